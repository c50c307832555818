"""The `reinforcement` experiment: its claim is decided by its numbers, and its quick
form runs end to end."""

from __future__ import annotations

import json

from numnet.experiments import reinforcement


def numbers(dqn_means, reinforce_means, dqn_minima, reinforce_minima, floor=22.0):
    return {
        "test_mean_return": {"dqn": dqn_means, "reinforce": reinforce_means},
        "test_min_return": {"dqn": dqn_minima, "reinforce": reinforce_minima},
        "random_policy_mean_return": floor,
    }


def test_the_claim_is_decided_by_the_numbers():
    holds = numbers([500.0, 480.0, 300.0], [490.0, 476.0, 500.0], [500.0, 20, 9], [300, 500, 500])
    assert reinforcement.claim(holds)[1] is True
    # the median seed of one algorithm below 475
    assert reinforcement.claim(numbers([500.0, 470.0, 300.0], [500.0] * 3, [500.0] * 3,
                                       [500.0] * 3))[1] is False  # fmt: skip
    # no seed lasts all 500 steps in every test episode
    assert reinforcement.claim(numbers([500.0] * 3, [499.0] * 3, [500.0] * 3,
                                       [499.0] * 3))[1] is False  # fmt: skip
    # a random policy that good would make the task too easy to show anything
    assert reinforcement.claim(numbers([500.0] * 3, [500.0] * 3, [500.0] * 3, [500.0] * 3,
                                       floor=60.0))[1] is False  # fmt: skip


def test_the_quick_run_writes_its_results(tmp_path):
    result = reinforcement.run(tmp_path, seed=0, quick=True)
    saved = json.loads((tmp_path / "results.json").read_text())
    assert saved["quick"] is True and saved["claim_holds"] is result.claim_holds
    assert saved["claim_holds"] is reinforcement.claim(saved["numbers"])[1]
    found = saved["numbers"]
    assert 15 < found["random_policy_mean_return"] < 30
    # 100 DQN and 250 REINFORCE episodes already learn: well above the random policy.
    for name in ("dqn", "reinforce"):
        assert found["test_mean_return"][name][0] > 4 * found["random_policy_mean_return"]
    for figure in saved["figures"]:
        assert (tmp_path / figure["file"]).stat().st_size > 10_000
