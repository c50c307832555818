"""`numnet rl`: train, play, and one clear line for every bad input."""

from __future__ import annotations

import json
import sys

import pytest

import numnet
from numnet import cli
from numnet.rl.policy import mlp


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """A short DQN run through the command line (40 episodes, a few seconds)."""
    out = tmp_path_factory.mktemp("rl") / "run"
    assert cli.main(["rl", "--episodes", "40", "--eval-every", "20", "--seed", "1",
                     "--out", str(out)]) == 0  # fmt: skip
    return out


def test_training_writes_the_policy_metrics_and_figure(trained):
    metrics = json.loads((trained / "metrics.json").read_text())
    assert len(metrics["returns"]) == len(metrics["lengths"]) == 40
    assert [e["episode"] for e in metrics["evaluations"]] == [20, 40]
    best = metrics["best"]
    assert best["mean_return"] == max(e["mean_return"] for e in metrics["evaluations"])
    assert best["confirmed"] and best["episodes"] == 100  # 10 evaluation + 90 confirmation
    assert best["kept_as"] == "policy.npz" and "--eval-every" in best["why"]
    assert metrics["config"]["hyperparameters"]["replay_size"] > 0
    config = metrics["config"]
    assert len(config["evaluation_seeds"]) == 10 and len(config["confirmation_seeds"]) == 90
    assert not set(config["evaluation_seeds"]) & set(config["confirmation_seeds"])
    assert len(metrics["test"]["returns"]) == 100 and metrics["cpu_time_s"] > 0
    assert (trained / "returns.png").stat().st_size > 10_000


def test_play_reproduces_the_reported_test(trained, capsys):
    metrics = json.loads((trained / "metrics.json").read_text())
    assert cli.main(["rl", "--play", str(trained / "policy.npz"), "--episodes", "100"]) == 0
    out = capsys.readouterr().out
    test = metrics["test"]
    assert f"mean return {test['mean_return']:.1f}, minimum {test['min_return']:.1f}" in out


def test_play_of_a_balancing_policy(balancing, tmp_path, capsys):
    balancing.save(tmp_path / "hand.npz")
    assert cli.main(["rl", "--play", str(tmp_path / "hand.npz"), "--episodes", "5",
                     "--seed", "3"]) == 0  # fmt: skip
    assert "mean return 500.0, minimum 500.0 over 5 greedy episodes" in capsys.readouterr().out


@pytest.fixture
def acrobot_policy(tmp_path):
    path = tmp_path / "acrobot.npz"
    numnet.random.seed(0)
    mlp(6, 3, (8,)).save(path)
    return str(path)


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--env", "NoSuchEnv-v0"], "unknown environment 'NoSuchEnv-v0'"),
        (["--env", "Pendulum-v1"], "Pendulum-v1's actions are continuous"),
        (["--env", "MountainCarContinuous-v0"], "actions are continuous"),
        (["--episodes", "0"], "--episodes must be at least 1, got 0"),
        (["--eval-every", "-2"], "--eval-every must be at least 1"),
        (["--seed", "-1"], "--seed must be at least 0, got -1"),
        (["--confirm-episodes", "-1"], "--confirm-episodes must be at least 0"),
        (["--play", "missing.npz"], "model file missing.npz does not exist"),
        (["--play", "ACROBOT"], "takes observations of shape (6,), but CartPole-v1 gives (4,)"),
        (["--play", "ACROBOT", "--env", "Pendulum-v1"], "actions are continuous"),
    ],
)
def test_bad_input_gives_one_clear_line(argv, message, acrobot_policy, capsys):
    argv = [acrobot_policy if a == "ACROBOT" else a for a in argv]
    assert cli.main(["rl", *argv]) == 1
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1 and "Traceback" not in err


def test_a_policy_for_acrobot_plays_acrobot(acrobot_policy, capsys):
    assert cli.main(["rl", "--play", acrobot_policy, "--env", "Acrobot-v1",
                     "--episodes", "1"]) == 0  # fmt: skip
    assert "Acrobot-v1: mean return " in capsys.readouterr().out


def test_without_gymnasium_one_line_says_how_to_install(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "gymnasium", None)
    assert cli.main(["rl", "--episodes", "1"]) == 1
    err = capsys.readouterr().err.strip()
    assert (
        err == "numnet rl: error: numnet rl needs Gymnasium (the optional extra rl): "
        'pip install -e ".[rl]"'
    )


def test_help_explains_keeping_the_best(capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["rl", "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    text = " ".join(out.split())  # argparse wraps lines
    assert "--play" in text and "beats the best mean so far" in text and "policy.npz" in text
