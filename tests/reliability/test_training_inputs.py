"""fit and evaluate refuse data they cannot use with a clear ValueError before the first
step; `numnet train` checks --out first, stops on divergence without saving a NaN model,
and writes standard JSON."""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path

import numpy as np
import pytest

from numnet import cli, layers
from numnet.cli import train
from numnet.models import Sequential


def small_model() -> Sequential:
    model = Sequential([layers.Dense(8, activation="relu", input_shape=(2,)), layers.Dense(3)])
    model.compile(optimizer="sgd", loss="mse")
    return model


def data(n: int = 20) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    return rng.normal(size=(n, 2)).astype(np.float32), rng.normal(size=(n, 3)).astype(np.float32)


@pytest.mark.parametrize(
    ("where", "value", "message"),
    [
        ("x", np.nan, r"x holds NaN or infinite values \(sample 7 is the first\)"),
        ("x", np.inf, r"x holds NaN or infinite values \(sample 7"),
        ("x", 1e300, r"x holds NaN or infinite values \(sample 7"),  # inf once in float32
        ("y", -np.inf, r"y holds NaN or infinite values \(sample 7"),
    ],
)
def test_non_finite_inputs_are_refused_before_the_first_step(where, value, message):
    model = small_model()
    x, y = data()
    x, y = x.astype(np.float64), y.astype(np.float64)
    (x if where == "x" else y)[7, 1] = value
    before = model.get_weights()
    with pytest.raises(ValueError, match=message):
        model.fit(x, y, epochs=1, verbose=0)
    for old, new in zip(before, model.get_weights(), strict=True):
        np.testing.assert_array_equal(old, new)  # not one step was taken
    with pytest.raises(ValueError, match=message):
        model.evaluate(x, y)


def test_non_finite_validation_data_is_refused_before_training():
    model = small_model()
    x, y = data()
    x_val = x.copy()
    x_val[3, 0] = np.nan
    with pytest.raises(ValueError, match=r"validation_data x holds NaN .*sample 3"):
        model.fit(x, y, validation_data=(x_val, y), verbose=0)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"x": np.zeros((0, 2)), "y": np.zeros((0, 3))}, "x has no samples"),
        ({"validation_data": (np.zeros((0, 2)), np.zeros((0, 3)))}, "validation_data has no"),
        ({"validation_data": ()}, "validation_data must be a pair"),
        ({"x": data(1)[0], "y": data(1)[1], "validation_split": 0.5}, "no training samples"),
        ({"validation_split": 0.99}, "no training samples"),
        ({"epochs": 2.5}, r"epochs must be a whole number >= 0, got 2.5"),
        ({"epochs": "3"}, "epochs must be a whole number"),
        ({"epochs": True}, "epochs must be a whole number"),
        ({"epochs": -1}, "epochs must be a whole number"),
        ({"initial_epoch": 0.5}, "initial_epoch must be a whole number"),
    ],
)
def test_fit_arguments_it_cannot_use_are_clear_value_errors(arguments, message):
    x, y = data()
    arguments = {"x": x, "y": y, "verbose": 0, **arguments}
    with pytest.raises(ValueError, match=message):
        small_model().fit(**arguments)


def test_evaluate_on_nothing_is_a_clear_error():
    with pytest.raises(ValueError, match="x has no samples"):
        small_model().evaluate(np.zeros((0, 2)), np.zeros((0, 3)))


def test_the_finite_check_makes_no_copy_of_the_data():
    """One float64 sum per array settles it: no temporary as large as the data."""
    from numnet.models.data import check_samples

    x, y = data(200_000)
    tracemalloc.start()
    try:
        check_samples(x, y)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < x.size // 2  # far below even a boolean mask of x


def run_train(*argv: str) -> int:
    return cli.main(["train", *argv])


def test_train_checks_that_out_is_writable_before_training(tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    status = run_train(
        "--model", "logistic", "--epochs", "1", "--train-limit", "100", "--test-limit", "50",
        "--out", str(blocker / "run"),
    )  # fmt: skip
    captured = capsys.readouterr()
    assert status == 1
    assert "Training" not in captured.out  # refused before the training began
    assert f"cannot write to --out {blocker / 'run'}" in captured.err
    assert len(captured.err.strip().splitlines()) == 1


def test_a_diverged_training_exits_non_zero_and_saves_no_model(tmp_path, capsys):
    status = run_train(
        "--model", "logistic", "--optimizer", "sgd", "--lr", "1e38", "--epochs", "2",
        "--train-limit", "256", "--test-limit", "64", "--out", str(tmp_path),
    )  # fmt: skip
    err = capsys.readouterr().err
    assert status == 1
    assert "training diverged" in err and "no model was saved" in err
    assert not (tmp_path / "model.npz").exists()


def test_metrics_json_is_standard_json(tmp_path):
    metrics = {
        "history": {"loss": [0.5, float("nan")], "val_loss": [np.float32(np.inf), 1.0]},
        "test_loss": float("-inf"),
        "test_accuracy": np.float64(0.5),
    }
    train._save(tmp_path, small_model(), metrics, "title")

    def refuse(token: str):
        raise AssertionError(f"non-standard JSON token {token}")

    written = json.loads(Path(tmp_path, "metrics.json").read_text(), parse_constant=refuse)
    assert written["history"] == {"loss": [0.5, None], "val_loss": [None, 1.0]}
    assert written["test_loss"] is None and written["test_accuracy"] == 0.5
