"""The command line reports every error it can as one line on stderr with a non-zero exit;
only --debug shows a traceback."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image
from reliability_helpers import saved_members, tiny_model, write_fake_mnist, write_model_file

from numnet import cli
from numnet.cli import evaluate


def one_error_line(capsys) -> str:
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err, err
    return err


@pytest.fixture
def model_file(tmp_path) -> str:
    path = tmp_path / "model.npz"
    tiny_model().save(path)
    return str(path)


def test_labels_outside_the_classes_stop_evaluate_naming_the_file(tmp_path, monkeypatch, capsys):
    folder = write_fake_mnist(tmp_path / "mnist", test_labels=np.array([0, 1, 2, 99]))
    labels = folder / "t10k-labels-idx1-ubyte.gz"
    monkeypatch.setenv("NUMNET_DATA", str(tmp_path))
    path = tmp_path / "model.npz"
    tiny_model().save(path)
    assert cli.main(["evaluate", str(path)]) == 1
    err = one_error_line(capsys)
    assert str(labels) in err and "label 99 at position 3 is not one of the 10 classes" in err


def test_a_hostile_model_file_is_one_line_naming_the_field(tmp_path, capsys):
    record, weights = saved_members(tiny_model())
    record["config"]["layers"][0]["config"]["units"] = 200_000_000
    path = write_model_file(tmp_path / "hostile.npz", record, weights)
    for argv in (["evaluate", str(path)], ["predict", str(path), "x.png"], ["export", str(path)]):
        assert cli.main(argv) == 1
        assert "field config.layers[0].config.units" in one_error_line(capsys)


def test_predict_says_one_line_per_bad_image_and_still_answers_the_rest(
    tmp_path, model_file, capsys
):
    good = tmp_path / "good.png"
    Image.fromarray(np.zeros((28, 28), np.uint8)).save(good)
    tiny = tmp_path / "tiny.png"
    Image.fromarray(np.zeros((1, 1), np.uint8)).save(tiny)
    text = tmp_path / "notes.png"
    text.write_text("hello")
    folder = tmp_path / "folder"
    folder.mkdir()
    argv = ["predict", model_file, str(good), str(tiny), str(text), str(folder), "missing.png"]
    assert cli.main(argv) == 1
    captured = capsys.readouterr()
    assert captured.out.startswith(f"{good}: ") and len(captured.out.splitlines()) == 1
    errors = captured.err.strip().splitlines()
    assert len(errors) == 4 and "Traceback" not in captured.err
    for error, says in zip(
        errors,
        ["too small", "not a readable image", "is a directory", "does not exist"],
        strict=True,
    ):
        assert error.startswith("numnet predict: error: ") and says in error


@pytest.mark.parametrize(
    ("raised", "shown"),
    [
        (MemoryError("Unable to allocate 4.00 TiB"), "MemoryError: Unable to allocate 4.00 TiB"),
        (KeyError("weight_0001"), "KeyError: 'weight_0001'"),
        (RecursionError(), "RecursionError"),
        (Image.DecompressionBombError("too big"), "DecompressionBombError: too big"),
    ],
)
def test_unexpected_errors_are_one_line_and_a_traceback_only_with_debug(
    model_file, monkeypatch, capsys, raised, shown
):
    def fail(*args):
        raise raised

    monkeypatch.setattr(evaluate, "load_built_model", fail)
    assert cli.main(["evaluate", model_file]) == 1
    err = one_error_line(capsys)
    assert err.startswith(f"numnet evaluate: error: {shown}") and "--debug" in err
    with pytest.raises(type(raised)):
        cli.main(["--debug", "evaluate", model_file])
