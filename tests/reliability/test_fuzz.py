"""Fuzzing the readers of untrusted files with hypothesis: whatever the bytes, `read_idx`
ends in an array or an IDXError naming the file, and `load_model` in a model or a
ModelFileError naming the file. Bounded to well under a minute in CI; the README's
reliability section records longer runs of the same properties, made by running this
file as a script: `python tests/reliability/test_fuzz.py 20000` (examples per test)."""

from __future__ import annotations

import atexit
import gzip
import io
import json
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reliability_helpers import (
    architecture_member,
    array_member,
    idx_header,
    saved_members,
    write_archive,
    write_model_file,
)

from numnet import layers
from numnet.datasets.idx import IDXError, read_idx
from numnet.models import Model, Sequential, load_model
from numnet.models.saving import ModelFileError

EXAMPLES = {"idx": 1000, "model_bytes": 400, "model_members": 400, "model_json": 800}
LONG_RUN = int(sys.argv[1]) if __name__ == "__main__" and len(sys.argv) > 1 else None
FUZZ_DIR = Path(tempfile.mkdtemp(prefix="numnet-fuzz-"))  # one folder, reused by every input
atexit.register(shutil.rmtree, FUZZ_DIR, ignore_errors=True)


def fuzz_settings(kind: str):
    return settings(
        max_examples=LONG_RUN or EXAMPLES[kind],
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        database=None,
    )


# --- IDX ------------------------------------------------------------------------------
def check_read_idx(content: bytes, expected_ndim: int | None) -> None:
    """The property: an array that matches its header, or an IDXError naming the file."""
    path = FUZZ_DIR / ("fuzzed.gz" if content[:2] == b"\x1f\x8b" else "fuzzed")
    path.write_bytes(content)
    try:
        array = read_idx(path, expected_ndim)
    except IDXError as error:
        assert str(path) in str(error)
        return
    assert array.dtype == np.uint8 and array.ndim == content_ndim(content)
    assert 4 + 4 * array.ndim + array.size == len(idx_payload(content))


def idx_payload(content: bytes) -> bytes:
    return gzip.decompress(content) if content[:2] == b"\x1f\x8b" else content


def content_ndim(content: bytes) -> int:
    return idx_payload(content)[3]


@st.composite
def idx_files(draw) -> bytes:
    """IDX files near the valid ones: plausible headers, data of about the right length,
    a few bytes changed, sometimes gzipped (and then perhaps damaged)."""
    shape = tuple(
        draw(st.lists(st.integers(0, 6) | st.integers(0, 2**32 - 1), min_size=0, max_size=4))
    )
    code = draw(st.sampled_from([0x08, 0x08, 0x08, 0x09, 0x0D]))
    body = idx_header(shape, code)
    expected = int(np.prod(shape, dtype=object)) if shape else 0
    length = draw(st.sampled_from([expected, expected - 1, expected + 1, 0, 3]))
    body += bytes(max(0, min(length, 4096)))
    for position, value in draw(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 255)))):
        if position < len(body):
            body = body[:position] + bytes([value]) + body[position + 1 :]
    if draw(st.booleans()):
        body = gzip.compress(body)
        cut = draw(st.integers(0, len(body)))
        body = body[:cut] if draw(st.booleans()) else body
    return body


@fuzz_settings("idx")
@given(content=idx_files() | st.binary(max_size=64), expected_ndim=st.sampled_from([None, 1, 3]))
def test_read_idx_on_any_bytes(content, expected_ndim):
    check_read_idx(content, expected_ndim)


# --- model files ----------------------------------------------------------------------
def fuzz_model() -> Model:
    """A small model with most of what a file can hold: two layers, batch norm, a
    compiled optimizer, loss and metrics."""
    model = Sequential(
        [
            layers.Dense(6, activation="relu", input_shape=(4,)),
            layers.BatchNormalization(),
            layers.Dropout(0.25, seed=3),
            layers.Dense(3, activation="softmax"),
        ]
    )
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


RECORD, WEIGHTS = saved_members(fuzz_model())
VALID_FILE = write_model_file(FUZZ_DIR / "valid.npz", RECORD, WEIGHTS).read_bytes()


def check_load_model(content: bytes) -> None:
    """The property: a model, or a ModelFileError naming the file; nothing else."""
    path = FUZZ_DIR / "fuzzed.npz"
    path.write_bytes(content)
    try:
        model = load_model(path)
    except ModelFileError as error:
        assert str(path) in str(error)
        return
    assert isinstance(model, Model)


@fuzz_settings("model_bytes")
@given(
    edits=st.lists(st.tuples(st.integers(0, len(VALID_FILE) - 1), st.integers(0, 255)), max_size=8),
    cut=st.integers(0, len(VALID_FILE)),
)
def test_load_model_on_mutated_bytes(edits, cut):
    content = bytearray(VALID_FILE[:cut] if cut % 3 == 0 else VALID_FILE)
    for position, value in edits:
        if position < len(content):
            content[position] = value
    check_load_model(bytes(content))


MEMBERS = {
    "architecture.npy": architecture_member(RECORD),
    **{f"weight_{i:04d}.npy": array_member(w) for i, w in enumerate(WEIGHTS)},
}


def archive_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@fuzz_settings("model_members")
@given(data=st.data())
def test_load_model_on_mutated_arrays(data):
    """Mutations inside the .npy members, in archives whose checksums are right: the
    headers' descr, shape and lengths are what gets tested, not the zip's CRC."""
    name = data.draw(st.sampled_from(sorted(MEMBERS)))
    member = bytearray(MEMBERS[name])
    for _ in range(data.draw(st.integers(1, 4))):
        position = data.draw(st.integers(0, min(len(member), 128) - 1))  # mostly the header
        member[position] = data.draw(st.integers(0, 255))
    cut = data.draw(st.none() | st.integers(0, len(member)))
    check_load_model(archive_bytes({**MEMBERS, name: bytes(member[:cut])}))


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.sampled_from([0, 1, -1, 2, 1024, 1025, 2**31, 2**63, 200_000_000])
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
    | st.sampled_from(["Dense", "Sequential", "relu", "adam", "weight_0000", "dense[0][0]"]),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children)
    ),
    max_leaves=12,
)


def places(value, found: list) -> list:
    """Every (container, key) inside a JSON value, depth first."""
    items = value.items() if isinstance(value, dict) else enumerate(value)
    for key, item in items:
        found.append((value, key))
        if isinstance(item, dict | list):
            places(item, found)
    return found


@fuzz_settings("model_json")
@given(data=st.data())
def test_load_model_on_mutated_architecture(data):
    """Replace or delete a few values anywhere in the architecture record (a layer's
    units, a class name, the compile section...) and store it with the right weights."""
    record = json.loads(json.dumps(RECORD))
    for _ in range(data.draw(st.integers(1, 3))):
        spots = places(record, [])
        container, key = data.draw(st.sampled_from(spots))
        if isinstance(container, dict) and data.draw(st.booleans()):
            del container[key]
        else:
            container[key] = data.draw(json_values)
    members = {**MEMBERS, "architecture.npy": architecture_member(record)}
    check_load_model(archive_bytes(members))


def test_the_fuzzed_originals_are_valid():
    """The seeds of the mutations load, so the fuzzing starts from real files."""
    assert isinstance(load_model(write_archive(FUZZ_DIR / "seed.npz", MEMBERS)), Model)
    check_read_idx(idx_header((2, 3)) + bytes(6), None)


if __name__ == "__main__":
    import time
    from collections import Counter

    executions: Counter = Counter()

    def counted(check):
        def run(*args):
            executions[check.__name__] += 1
            return check(*args)

        return run

    # the tests look the checks up when they run: count every input they are given
    check_read_idx, check_load_model = counted(check_read_idx), counted(check_load_model)
    for test in (
        test_read_idx_on_any_bytes,
        test_load_model_on_mutated_bytes,
        test_load_model_on_mutated_arrays,
        test_load_model_on_mutated_architecture,
    ):
        executions.clear()
        start = time.perf_counter()
        test()
        seconds = time.perf_counter() - start
        print(f"{test.__name__}: {sum(executions.values())} inputs, no failure, {seconds:.0f} s")
