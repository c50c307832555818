"""Environments are checked and seeded; Gymnasium stays optional."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from numnet.rl import make_env, random_returns
from numnet.rl.environment import (
    EVALUATION,
    INSTALL_HINT,
    PLAY,
    TRAINING,
    episode_seeds,
    gymnasium,
    play_episode,
)
from numnet.rl.policy import check_fits, evaluate, mlp


@pytest.mark.parametrize(
    "env_id, message",
    [
        ("NoSuchEnv-v0", "unknown environment 'NoSuchEnv-v0'"),
        ("CartPole-v9", "unknown environment 'CartPole-v9'"),
        ("Pendulum-v1", "Pendulum-v1's actions are continuous"),
        ("MountainCarContinuous-v0", "MountainCarContinuous-v0's actions are continuous"),
        ("FrozenLake-v1", "are not a flat vector of numbers"),
    ],
)
def test_unusable_environments_are_named(env_id, message):
    with pytest.raises(ValueError, match=message) as error:
        make_env(env_id)
    assert len(str(error.value).splitlines()) == 1


def test_discrete_environments_are_accepted():
    for env_id, size, actions in (("CartPole-v1", 4, 2), ("Acrobot-v1", 6, 3)):
        env = make_env(env_id)
        assert env.observation_space.shape == (size,) and env.action_space.n == actions
        env.close()


def test_episode_seeds_are_reproducible_and_apart():
    assert episode_seeds(3, TRAINING, 5) == episode_seeds(3, TRAINING, 5)
    training = set(episode_seeds(3, TRAINING, 3000))
    assert not training & set(episode_seeds(3, EVALUATION, 10))
    assert not training & set(episode_seeds(0, PLAY, 100))
    assert episode_seeds(3, TRAINING, 5) != episode_seeds(4, TRAINING, 5)
    with pytest.raises(ValueError, match="seed must be"):
        episode_seeds(-1, PLAY, 1)


def test_play_episode_and_a_policy_that_balances(balancing):
    env = make_env("CartPole-v1")
    returns = evaluate(balancing, env, episode_seeds(0, PLAY, 5))
    assert returns.tolist() == [500.0] * 5  # the time limit
    left = play_episode(env, lambda observation: 0, seed=1)
    assert 8 <= left <= 12  # always pushing left topples the pole within a dozen steps
    assert play_episode(env, lambda observation: 0, seed=1) == left  # the seed fixes it


def test_random_policy_is_the_floor():
    returns = random_returns("CartPole-v1", 100, seed=0)
    assert 15 < returns.mean() < 30
    np.testing.assert_array_equal(returns, random_returns("CartPole-v1", 100, seed=0))


def test_check_fits_names_the_mismatch():
    env = make_env("CartPole-v1")
    check_fits(mlp(4, 2, (8,)), env, "CartPole-v1", "p.npz")
    with pytest.raises(ValueError, match=r"p.npz takes observations of shape \(6,\)"):
        check_fits(mlp(6, 3, (8,)), env, "CartPole-v1", "p.npz")
    with pytest.raises(ValueError, match="CartPole-v1 has 2 actions"):
        check_fits(mlp(4, 3, (8,)), env, "CartPole-v1", "p.npz")


def test_without_gymnasium_the_error_says_how_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "gymnasium", None)  # makes `import gymnasium` fail
    with pytest.raises(ImportError) as error:
        gymnasium()
    assert str(error.value) == INSTALL_HINT and 'pip install -e ".[rl]"' in INSTALL_HINT


def test_importing_numnet_does_not_import_gymnasium():
    code = (
        "import sys, numnet, numnet.rl, numnet.cli.parser\n"
        "numnet.cli.parser.build_parser()\n"
        "print('gymnasium' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
