"""Model files: damaged or hostile ones are a ModelFileError naming the file and the field,
refused before anything large is allocated; saving is atomic, also for concurrent writers."""

from __future__ import annotations

import json
import threading
import tracemalloc

import numpy as np
import pytest
from reliability_helpers import (
    architecture_member,
    array_member,
    npy_member,
    saved_members,
    tiny_model,
    write_archive,
    write_model_file,
)

from numnet import layers
from numnet.models import Sequential, load_model
from numnet.models.saving import ModelFileError


def refused_cheaply(path, match: str) -> ModelFileError:
    """Load `path` expecting a ModelFileError matching `match` that names the file, and
    check that refusing it allocated next to nothing."""
    tracemalloc.start()
    try:
        with pytest.raises(ModelFileError, match=match) as info:
            load_model(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert str(path) in str(info.value)
    assert peak < 20_000_000, f"refusing {path.name} allocated {peak:,} bytes"
    return info.value


def test_a_tiny_file_declaring_a_200_million_unit_layer(tmp_path):
    record, weights = saved_members(tiny_model())
    record["config"]["layers"][0]["config"]["units"] = 200_000_000
    path = write_model_file(tmp_path / "huge-layer.npz", record, weights)
    assert path.stat().st_size < 40_000
    error = refused_cheaply(path, "declares a size of 200000000")
    assert "config.layers[0].config.units" in str(error)


@pytest.mark.parametrize(
    "shape", [[1_000_000, 1_000_000], [100_000, 100_000, 3], [70_000, 70_000, None]]
)
def test_a_huge_declared_input_is_refused_before_the_dry_run(tmp_path, shape):
    record, weights = saved_members(tiny_model())
    record["config"]["input_shape"] = shape
    path = write_model_file(tmp_path / "huge-input.npz", record, weights)
    error = refused_cheaply(path, "declares samples of shape")
    assert "config.input_shape" in str(error)


def test_a_wide_layer_on_a_large_input_is_refused(tmp_path):
    """Each number is plausible alone; together they would make an 8 GB kernel."""
    model = tiny_model(input_shape=(4,), units=2000)
    record, weights = saved_members(model)
    record["config"]["input_shape"] = [4_000_000]
    path = write_model_file(tmp_path / "wide.npz", record, weights)
    refused_cheaply(path, "building it could take 8000000000 values")


def test_many_layers_of_a_plausible_size_are_refused(tmp_path):
    """200 layers of 1,000 units declared, 8 KB of weights stored."""
    record, weights = saved_members(tiny_model())
    dense = record["config"]["layers"][0]
    record["config"]["layers"] = [
        {**dense, "name": f"d{i}", "config": {**dense["config"], "name": f"d{i}", "units": 1000}}
        for i in range(200)
    ]
    path = write_model_file(tmp_path / "deep.npz", record, weights)
    refused_cheaply(path, "building it could take")


def test_a_4_tib_array_is_refused_before_allocating(tmp_path):
    record, _ = saved_members(tiny_model())
    header = {"descr": "<f4", "fortran_order": False, "shape": (1 << 40,)}
    path = write_archive(
        tmp_path / "4tib.npz",
        {
            "architecture.npy": architecture_member(record),
            "weight_0000.npy": npy_member(header, b"\x00" * 64),
        },
    )
    refused_cheaply(path, r"field weight_0000 declares shape \(1099511627776,\)")


def test_overlapping_members_cannot_multiply_the_file(tmp_path):
    """A zip whose directory lists one stored block many times (a 'zip bomb')."""
    path = tmp_path / "model.npz"
    tiny_model().save(path)
    data = bytearray(path.read_bytes())
    directory = data.rfind(b"PK\x05\x06")
    count = int.from_bytes(data[directory + 10 : directory + 12], "little")
    start = int.from_bytes(data[directory + 16 : directory + 20], "little")
    entries = bytes(data[start:directory])
    # list every member 50 times, under new names, all pointing at the same bytes
    new_directory = b"".join(
        entries.replace(b"weight_", b"weigh%02d" % i).replace(
            b"architecture", b"architectu%02d" % i
        )
        for i in range(50)
    )
    tail = bytearray(data[directory:])
    tail[8:10] = tail[10:12] = (count * 50).to_bytes(2, "little")
    tail[12:16] = len(new_directory).to_bytes(4, "little")
    path.write_bytes(bytes(data[:start]) + new_directory + bytes(tail))
    with pytest.raises(ModelFileError, match="members claim more bytes than the file has"):
        load_model(path)


@pytest.mark.parametrize(
    ("array", "message"),
    [
        (np.zeros((784, 10), np.complex64), "dtype complex64"),
        (np.zeros(10, [("a", "<f4"), ("b", "<i4")]), "dtype"),
        (np.array(["x"] * 10), "dtype <U1"),
        (np.full((784, 10), np.nan, np.float32), "NaN or infinite"),
        (np.full((784, 10), np.inf, np.float32), "NaN or infinite"),
    ],
)
def test_unusable_arrays_are_refused_naming_the_field(tmp_path, array, message):
    record, weights = saved_members(tiny_model())
    weights[0] = array
    path = write_model_file(tmp_path / "model.npz", record, weights)
    with pytest.raises(ModelFileError, match=message) as info:
        load_model(path)
    assert "weight_0000" in str(info.value) and str(path) in str(info.value)


def test_non_finite_weights_load_with_the_explicit_flag(tmp_path):
    model = tiny_model()
    weights = model.get_weights()
    weights[1][:] = np.nan
    model.set_weights(weights)
    model.save(tmp_path / "diverged.npz")
    with pytest.raises(ModelFileError, match="allow_nonfinite=True"):
        load_model(tmp_path / "diverged.npz")
    loaded = load_model(tmp_path / "diverged.npz", allow_nonfinite=True)
    assert np.isnan(loaded.get_weights()[1]).all()


def test_an_object_array_is_never_unpickled(tmp_path):
    marker = tmp_path / "ran"

    class Exploit:
        def __reduce__(self):
            return (open, (str(marker), "w"))

    record, _ = saved_members(tiny_model())
    path = write_archive(
        tmp_path / "evil.npz",
        {
            "architecture.npy": architecture_member(record),
            "weight_0000.npy": npy_member(
                {"descr": "|O", "fortran_order": False, "shape": (1,)}, b"\x80\x04N."
            ),
        },
    )
    np.savez(tmp_path / "evil2.npz", architecture=np.array([Exploit()], dtype=object))
    for evil in (path, tmp_path / "evil2.npz"):
        with pytest.raises(ModelFileError, match="pickled Python objects"):
            load_model(evil)
    assert not marker.exists()


def damaged_records():
    """(what is changed, the change, the field the error must name)."""

    def layer(record, **changes):
        record["config"]["layers"][0]["config"].update(changes)

    return [
        ("units", lambda r: layer(r, units=-3), "config.layers[0]"),
        ("activation", lambda r: layer(r, activation=["relu"]), "config.layers[0]"),
        ("extra argument", lambda r: layer(r, surprise=1), "config.layers[0]"),
        ("class", lambda r: r["config"]["layers"][0].update(class_name="Nope"), "layers[0]"),
        ("config type", lambda r: r.update(config=[1, 2]), "field config"),
        ("layers type", lambda r: r["config"].update(layers={"a": 1}), "field config"),
        ("format version", lambda r: r.update(format_version="1"), "field format_version"),
        ("optimizer", lambda r: r["compile"]["optimizer"].update(class_name="adamax"), "compile"),
        ("optimizer config", lambda r: r["compile"]["optimizer"].update(config=7), "compile"),
        ("loss", lambda r: r["compile"].update(loss={"class_name": "Nope"}), "compile.loss"),
        ("loss type", lambda r: r["compile"].update(loss=3), "compile.loss"),
        ("metrics", lambda r: r["compile"].update(metrics=["nope"]), "field compile"),
        ("compile type", lambda r: r.update(compile=[]), "field compile"),
    ]


@pytest.mark.parametrize(
    ("change", "field"), [d[1:] for d in damaged_records()], ids=[d[0] for d in damaged_records()]
)
def test_damage_in_the_record_names_the_field(tmp_path, change, field):
    record, weights = saved_members(tiny_model())
    change(record)
    path = write_model_file(tmp_path / "model.npz", record, weights)
    with pytest.raises(ModelFileError) as info:
        load_model(path)
    assert str(path) in str(info.value) and field in str(info.value), str(info.value)


def test_damage_in_the_arrays_names_the_field(tmp_path):
    record, weights = saved_members(tiny_model())
    path = write_model_file(tmp_path / "shape.npz", record, [weights[0].T, weights[1]])
    with pytest.raises(ModelFileError, match="field weights do not fit"):
        load_model(path)
    path = write_model_file(tmp_path / "cut.npz", record, [weights[0][:5], weights[1]])
    with pytest.raises(ModelFileError, match=r"layers\[0\]: .* 7850 weight values, but the file"):
        load_model(path)
    path = write_model_file(tmp_path / "missing.npz", record, weights)
    data = path.read_bytes().replace(b"weight_0000", b"weight_0009")
    path.write_bytes(data)
    with pytest.raises(ModelFileError, match=r"field weight_0000 is missing"):
        load_model(path)


def test_deeply_nested_json_is_refused(tmp_path):
    nested = "[" * 100_000 + "]" * 100_000
    path = write_archive(
        tmp_path / "deep.npz",
        {"architecture.npy": array_member(np.frombuffer(nested.encode(), np.uint8))},
    )
    with pytest.raises(ModelFileError, match="field architecture is corrupt JSON"):
        load_model(path)


def test_a_directory_and_an_unreadable_file(tmp_path, monkeypatch):
    from reliability_helpers import make_unreadable

    with pytest.raises(ModelFileError, match="is a directory"):
        load_model(tmp_path)
    path = tmp_path / "model.npz"
    tiny_model().save(path)
    make_unreadable(path, monkeypatch)
    with pytest.raises(ModelFileError, match="permission denied"):
        load_model(path)


def test_concurrent_savers_and_a_reader_never_see_half_a_file(tmp_path):
    path = tmp_path / "shared.npz"
    model = Sequential([layers.Dense(256, input_shape=(512,)), layers.Dense(10)])
    model.compile(optimizer="adam", loss="mse")
    model.save(path)
    errors: list[BaseException] = []
    stop = threading.Event()

    def save_repeatedly() -> None:
        try:
            for _ in range(15):
                model.save(path)
        except BaseException as error:  # report it in the main thread
            errors.append(error)

    def load_repeatedly() -> None:
        try:
            while not stop.is_set():
                load_model(path)
        except BaseException as error:
            errors.append(error)

    reader = threading.Thread(target=load_repeatedly)
    writers = [threading.Thread(target=save_repeatedly) for _ in range(4)]
    reader.start()
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join()
    stop.set()
    reader.join()
    assert not errors, errors
    assert [p.name for p in tmp_path.iterdir()] == ["shared.npz"]  # no temporary left
    np.testing.assert_array_equal(load_model(path).get_weights()[0], model.get_weights()[0])


def test_a_saved_model_still_round_trips(tmp_path):
    model = tiny_model()
    model.save(tmp_path / "m.npz")
    x = np.random.default_rng(0).random((3, 784), dtype=np.float32)
    np.testing.assert_allclose(load_model(tmp_path / "m.npz").predict(x), model.predict(x))
    record = json.loads(
        np.load(tmp_path / "m.npz", allow_pickle=False)["architecture"].tobytes().decode()
    )
    assert record["format"] == "numnet-model"


def test_load_weights_checks_the_saved_input_shape_too(tmp_path):
    record, weights = saved_members(tiny_model())
    record["config"]["input_shape"] = [1_000_000, 1_000_000]
    path = write_model_file(tmp_path / "model.npz", record, weights)
    unbuilt = Sequential([layers.Dense(10, activation="softmax")])
    with pytest.raises(ModelFileError, match="declares samples of shape"):
        unbuilt.load_weights(path)
    record["config"]["input_shape"] = ["a"]
    write_model_file(path, record, weights)
    with pytest.raises(ModelFileError, match=r"field config\.input_shape"):
        unbuilt.load_weights(path)
