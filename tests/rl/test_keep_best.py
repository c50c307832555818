"""KeepBest keeps the best greedy policy it has evaluated, not the last one."""

from __future__ import annotations

import numpy as np
import pytest

from numnet.rl import KeepBest, make_env
from numnet.rl.environment import EVALUATION, episode_seeds
from numnet.rl.policy import evaluate


def test_the_best_policy_is_kept_and_restored(balancing, toppling):
    good, bad = balancing.get_weights(), toppling.get_weights()
    model = toppling
    keep = KeepBest(model, make_env("CartPole-v1"), episode_seeds(0, EVALUATION, 3), every=2)
    assert keep.after_episode(1) is None  # not its turn
    first = keep.after_episode(2)
    assert first.mean < 15 and keep.best is first
    model.set_weights(good)
    assert keep.after_episode(4).mean == 500.0 and keep.best.episode == 4
    model.set_weights(bad)  # training moved on and got worse
    assert keep.after_episode(5, last=True).episode == 5  # the last episode is evaluated
    assert keep.best.episode == 4 and [e.episode for e in keep.evaluations] == [2, 4, 5]
    keep.restore()
    for kept, expected in zip(model.get_weights(), good, strict=True):
        np.testing.assert_array_equal(kept, expected)


def test_a_tie_keeps_the_earlier_policy(balancing):
    keep = KeepBest(balancing, make_env("CartPole-v1"), episode_seeds(0, EVALUATION, 2), every=1)
    keep.after_episode(1)
    balancing.set_weights([w * 2 for w in balancing.get_weights()])  # the same actions
    keep.after_episode(2)
    assert keep.best.episode == 1 and keep.best.mean == 500.0
    assert keep.best.as_dict() == {
        "episode": 1,
        "mean_return": 500.0,
        "min_return": 500.0,
        "episodes": 2,
        "confirmed": False,
    }


def test_keep_best_refuses_nonsense(balancing):
    with pytest.raises(ValueError, match="every >= 1"):
        KeepBest(balancing, None, [1], every=0)
    with pytest.raises(ValueError, match="at least one evaluation seed"):
        KeepBest(balancing, None, [], every=1)


def test_a_lucky_policy_must_confirm_before_it_is_kept(balancing, linear_policy):
    """A policy that leans on the angular velocity a little too much balances the one
    evaluation episode but not every confirmation episode: its score (the mean over
    all seven) stays below the steady policy's, which is kept."""
    env = make_env("CartPole-v1")
    seeds = episode_seeds(0, EVALUATION, 7)
    lucky_policy = linear_policy((0.0, 0.0, 1.0, 0.9))
    assert evaluate(lucky_policy, env, seeds[:1]).tolist() == [500.0]
    assert evaluate(lucky_policy, env, seeds[1:]).min() < 500
    lucky = lucky_policy.get_weights()
    keep = KeepBest(balancing, env, seeds[:1], every=1, confirm_seeds=seeds[1:])
    good = balancing.get_weights()
    balancing.set_weights(lucky)
    first = keep.after_episode(1)
    assert first.confirmed and first.episodes == 7 and first.mean < 500
    balancing.set_weights(good)
    second = keep.after_episode(2)
    assert second.confirmed and second.mean == 500.0 and keep.best is second
    balancing.set_weights(lucky)
    third = keep.after_episode(3)  # 500 on the evaluation episode is not above the best
    assert third.mean == 500.0 and not third.confirmed and keep.best is second
