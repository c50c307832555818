"""`numnet tune` end to end: what it prints and writes, shared settings, bad input."""

from __future__ import annotations

import json
import subprocess
import sys

import optuna
import pytest
from tune_helpers import FAST, reported_trials

from numnet.datasets import mnist
from numnet.models import load_model


def test_a_search_prints_its_trials_and_writes_best_json_and_the_plot(tmp_path, tune):
    status, out, err = tune("--trials", "3", *FAST, "--out", str(tmp_path), "--seed", "0")
    assert status == 0, err
    assert reported_trials(out) == [0, 1, 2]
    study = optuna.load_study(study_name="mlp-mnist", storage=f"sqlite:///{tmp_path}/study.db")
    best = json.loads((tmp_path / "best.json").read_text())
    assert best["best_trial"] == study.best_trial.number
    assert best["best_val_accuracy"] == study.best_value
    assert best["best_params"] == study.best_trial.params
    assert best["settings"]["epochs"] == 2 and best["settings"]["train_limit"] == 300
    assert sum(best["trials"].values()) == 3
    assert f"Best trial {study.best_trial.number}: val_accuracy {study.best_value:.4f}" in out
    assert f"optuna-dashboard sqlite:///{tmp_path.resolve()}/study.db" in out
    assert (tmp_path / "search.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_later_worker_adopts_the_study_settings_and_refuses_others(tmp_path, tune):
    assert tune("--trials", "1", *FAST, "--out", str(tmp_path))[0] == 0
    status, out, _ = tune("--trials", "1", "--out", str(tmp_path))  # no flags: the study's
    assert status == 0 and "2 epochs per trial, 270 images to fit" in out
    assert "Study 'mlp-mnist': 2 trials" in out
    status, _, err = tune("--trials", "1", "--epochs", "3", "--out", str(tmp_path))
    assert status == 1
    assert "study 'mlp-mnist' was started with epochs 2, not 3" in err


def test_retrain_measures_the_best_configuration_once_on_the_test_set(tmp_path, tune):
    assert tune("--trials", "2", *FAST, "--out", str(tmp_path))[0] == 0
    status, out, err = tune(
        "--load", "--study-name", "mlp-mnist", "--trials", "0", "--retrain",
        "--test-limit", "200", "--out", str(tmp_path),
    )  # fmt: skip
    assert status == 0, err
    assert reported_trials(out) == []  # --trials 0: no new trial
    retrained = json.loads((tmp_path / "best.json").read_text())["retrained"]
    (_, _), (x_test, y_test) = mnist.load_data()
    model = load_model(tmp_path / "model.npz")
    predicted = model.predict(x_test[:200].reshape(200, 784) / 255).argmax(axis=1)
    accuracy = (predicted == y_test[:200]).mean()
    assert retrained["test_accuracy"] == pytest.approx(accuracy, abs=1e-6)
    assert retrained["test_samples"] == 200 and retrained["train_samples"] == 300
    assert f"Test accuracy: {accuracy:.4f}" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--storage", "foo://nowhere"], "cannot open --storage foo://nowhere: Can't load plugin"),
        (["--storage", "not a url"], "cannot open --storage not a url: Could not parse"),
        (["--storage", "sqlite:////no/such/folder/s.db"], "unable to open database file"),
        (["--storage", "postgresql://me:secret@127.0.0.1:9/db"], "postgresql://me:***@127.0.0.1"),
        (["--load", "--study-name", "nope"], "--load: no study named 'nope'"),
        (["--space", "learning_rate=0.1:0.001"], "learning_rate=0.1:0.001 is empty"),
        (["--space", "learning_rate=0:1"], "log scale, so both bounds must be > 0"),
        (["--model", "lenet5", "--space", "units=8:16"], "no parameter 'units'"),
        (["--model", "resnet"], "unknown model 'resnet'"),
        (["--validation-split", "1"], "--validation-split must lie in (0, 1)"),
    ],
)
def test_bad_input_is_one_clear_line(tmp_path, tune, argv, message):
    status, _, err = tune("--trials", "1", *argv, "--out", str(tmp_path))
    assert status == 1
    assert len(err.strip().splitlines()) == 1 and err.startswith("numnet tune: error: "), err
    assert message in err and "secret" not in err


def test_without_optuna_the_command_says_how_to_install_it(tmp_path, tune, monkeypatch):
    monkeypatch.setitem(sys.modules, "optuna", None)  # makes `import optuna` fail
    status, _, err = tune("--trials", "1", "--out", str(tmp_path))
    assert status == 1
    assert err.strip() == (
        'numnet tune: error: hyperparameter search needs Optuna: pip install -e ".[tune]" '
        "(or pip install optuna)"
    )


def test_importing_numnet_its_tuning_and_its_cli_never_imports_optuna():
    code = (
        "import sys, numnet, numnet.tuning, numnet.cli.tune, numnet.cli; "
        "sys.exit('optuna' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code], timeout=60).returncode == 0


def test_a_study_without_trials_reports_so_and_still_writes_its_files(tmp_path, tune):
    status, out, err = tune("--trials", "0", "--out", str(tmp_path))
    assert status == 0, err
    assert "0 trials (none)" in out and "No trial has completed yet." in out
    best = json.loads((tmp_path / "best.json").read_text())
    assert best["best_trial"] is None and best["trials"] == {}
    assert (tmp_path / "search.png").exists()
    status, _, err = tune("--trials", "0", "--retrain", "--out", str(tmp_path))
    assert status == 1 and "--retrain: no trial has completed yet" in err
