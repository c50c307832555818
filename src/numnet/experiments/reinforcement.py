"""Learning by trial: with no data set, DQN and REINFORCE learn to balance CartPole.

Reinforcement learning has no examples to imitate: the agent acts, the environment
answers with a reward, and what scored well is reinforced. In Gymnasium's CartPole-v1
the reward is 1 for every step the pole stays up, and an episode ends when it falls or
after 500 steps; a random policy keeps it up for about 22.

Both of numnet's agents are trained with the defaults of `numnet rl` (DQN for 600
episodes, REINFORCE for 3,000) on several seeds, keeping the best greedy policy each
finds (see `numnet.rl.keep_best`). Each kept policy is then tested on 100 fresh
episodes, the ones `numnet rl --play` plays; 475 is the environment's "solved" mark.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from numnet.experiments.common import Figure, Result, finish, prepare, save_figure
from numnet.rl import learn, play, random_returns
from numnet.rl.figures import moving_average

NAME = "reinforcement"
ENV = "CartPole-v1"
ALGORITHMS = ("dqn", "reinforce")
SOLVED = 475.0  # CartPole-v1's reward threshold
FULL = 500.0  # the time limit: the most an episode can return
FULL_RUN = {"seeds": 3, "episodes": {"dqn": 600, "reinforce": 3000}, "test_episodes": 100}
QUICK = {"seeds": 1, "episodes": {"dqn": 100, "reinforce": 250}, "test_episodes": 20}
WINDOW = 50  # episodes in the moving average of the training returns
COLOURS = {"dqn": "tab:blue", "reinforce": "tab:green"}


def claim(numbers: dict) -> tuple[str, bool]:
    """Holds when, for DQN and for REINFORCE, the median over seeds of the kept policy's
    mean return on fresh episodes is at least SOLVED (475), at least one seed's kept
    policy lasts all FULL (500) steps in every one of them, and the random policy's mean
    is below a tenth of SOLVED."""
    means, minima = numbers["test_mean_return"], numbers["test_min_return"]
    holds = (
        all(float(np.median(means[name])) >= SOLVED for name in ALGORITHMS)
        and all(max(minima[name]) >= FULL for name in ALGORITHMS)
        and numbers["random_policy_mean_return"] < SOLVED / 10
    )
    text = (
        "a policy learned by trial, with no data set, balances the pole for the full 500 "
        "steps: for DQN and for REINFORCE the median seed's kept policy averages at least "
        "475 steps on fresh CartPole episodes, at least one seed's lasts all 500 in every "
        "one of them, and a random policy lasts about 22"
    )
    return text, holds


def measure(seed: int = 0, quick: bool = False) -> dict:
    """Train both algorithms on each seed, test each kept policy, play the random floor."""
    config = QUICK if quick else FULL_RUN
    seeds = [seed + i for i in range(config["seeds"])]
    tests = config["test_episodes"]
    runs = {
        name: [_train_and_test(name, config["episodes"][name], s, tests) for s in seeds]
        for name in ALGORITHMS
    }
    floor = random_returns(ENV, tests)
    numbers: dict[str, Any] = {
        "env": ENV,
        "seeds": seeds,
        "episodes": config["episodes"],
        "test_episodes": tests,
        "solved_at": SOLVED,
        "random_policy_mean_return": float(floor.mean()),
        "test_mean_return": {n: [float(r["test"].mean()) for r in runs[n]] for n in ALGORITHMS},
        "test_min_return": {n: [float(r["test"].min()) for r in runs[n]] for n in ALGORITHMS},
        "kept_policy_episode": {n: [r["best"].episode for r in runs[n]] for n in ALGORITHMS},
        "kept_policy_evaluation": {n: [r["best"].mean for r in runs[n]] for n in ALGORITHMS},
        "seeds_solved": {
            n: sum(float(r["test"].mean()) >= SOLVED for r in runs[n]) for n in ALGORITHMS
        },
        "median_training_return_per_block": {
            n: _block_medians([r["returns"] for r in runs[n]]) for n in ALGORITHMS
        },
        "block": WINDOW,
    }
    evaluations = {
        n: {"episodes": [e.episode for e in runs[n][0]["evaluations"]],
            "means": [[e.mean for e in r["evaluations"]] for r in runs[n]]}
        for n in ALGORITHMS
    }  # fmt: skip
    returns = {n: [r["returns"] for r in runs[n]] for n in ALGORITHMS}
    return {"numbers": numbers, "returns": returns, "evaluations": evaluations}


def _train_and_test(algorithm: str, episodes: int, seed: int, tests: int) -> dict[str, Any]:
    """Train with `numnet rl`'s defaults, then play the kept policy on `tests` fresh
    episodes (those `numnet rl --play` plays with seed 0)."""
    learned = learn(ENV, algorithm, episodes, seed)
    record = learned.record
    return {
        "returns": record.returns,
        "evaluations": record.evaluations,
        "best": record.best,
        "test": play(learned.agent.policy, ENV, tests),
    }


def _block_medians(curves: list[list[float]]) -> list[float]:
    """The median over seeds of each block of WINDOW training episodes' mean return."""
    stacked = np.array(curves)
    blocks = stacked.shape[1] // WINDOW
    if blocks == 0:
        return [float(np.median(stacked.mean(axis=1)))]
    means = stacked[:, : blocks * WINDOW].reshape(len(curves), blocks, WINDOW).mean(axis=2)
    return [float(v) for v in np.median(means, axis=0)]


def draw(measured: dict, out_dir: Path) -> list[Figure]:
    """reinforcement_returns.png and reinforcement_test.png."""
    return [returns_by_episode(measured, out_dir), kept_policies(measured["numbers"], out_dir)]


def returns_by_episode(measured: dict, out_dir: Path) -> Figure:
    """Per algorithm: the median over seeds of the moving-average training return, the
    seeds' spread, the greedy evaluations, the random floor and the solved mark."""
    from numnet import plot

    numbers = measured["numbers"]
    fig, axes = plot.pyplot().subplots(1, 2, figsize=(11, 4.2), squeeze=False)
    for ax, name in zip(axes[0], ALGORITHMS, strict=True):
        curves = np.array([moving_average(r, WINDOW) for r in measured["returns"][name]])
        episodes = np.arange(1, curves.shape[1] + 1)
        colour = COLOURS[name]
        ax.fill_between(episodes, curves.min(axis=0), curves.max(axis=0), color=colour,
                        alpha=0.2, label=f"spread over {len(curves)} seeds")  # fmt: skip
        ax.plot(episodes, np.median(curves, axis=0), color=colour, label="median seed")
        greedy = measured["evaluations"][name]
        ax.plot(greedy["episodes"], np.median(greedy["means"], axis=0), ".", ms=3,
                color="tab:orange", label="greedy evaluation, median seed")  # fmt: skip
        ax.axhline(numbers["random_policy_mean_return"], color="k", ls=":",
                   label="random policy")  # fmt: skip
        ax.axhline(SOLVED, color="grey", ls="--", label="solved (475)")
        ax.set(title=f"{name.upper()} on {ENV}", xlabel="training episode",
               ylabel=f"return (moving average of {WINDOW})", ylim=(0, 520))  # fmt: skip
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8, loc="best")
    caption = (
        f"Training returns (the agents explore, so these understate the greedy policy), "
        f"median over seeds {numbers['seeds']} and their spread; dots: the greedy policy's "
        "mean return on the evaluation episodes (median seed). "
        + " ".join(
            f"{n.upper()}: median per {WINDOW} episodes at the end "
            f"{numbers['median_training_return_per_block'][n][-1]:.0f}."
            for n in ALGORITHMS
        )
    )
    return save_figure(fig, out_dir, "reinforcement_returns.png", caption)


def kept_policies(numbers: dict, out_dir: Path) -> Figure:
    """Each seed's kept policy, tested on fresh episodes, against the random floor."""
    from numnet import plot

    fig, ax = plot.pyplot().subplots(figsize=(7, 4.2))
    for i, name in enumerate(ALGORITHMS):
        values = numbers["test_mean_return"][name]
        ax.scatter(np.full(len(values), i), values, s=60, color=COLOURS[name], zorder=3,
                   label=f"{name.upper()} (one point per seed)")  # fmt: skip
        ax.hlines(np.median(values), i - 0.25, i + 0.25, color=COLOURS[name], lw=2)
    ax.axhline(numbers["random_policy_mean_return"], color="k", ls=":", label="random policy")
    ax.axhline(SOLVED, color="grey", ls="--", label="solved (475)")
    ax.set_xticks(range(len(ALGORITHMS)), [n.upper() for n in ALGORITHMS])
    ax.set(ylabel=f"mean return over {numbers['test_episodes']} fresh episodes",
           ylim=(0, 520), title="the kept greedy policies")  # fmt: skip
    ax.grid(alpha=0.3, axis="y")
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=2)
    caption = (
        f"Each seed's kept policy on {numbers['test_episodes']} fresh episodes (bar: median). "
        + " ".join(
            f"{n.upper()}: {numbers['seeds_solved'][n]} of {len(numbers['seeds'])} seeds "
            f"reach 475, kept at episodes {numbers['kept_policy_episode'][n]}."
            for n in ALGORITHMS
        )
        + f" The random policy averages {numbers['random_policy_mean_return']:.1f}."
    )
    return save_figure(fig, out_dir, "reinforcement_test.png", caption)


def run(out_dir: str | Path, seed: int = 0, quick: bool = False) -> Result:
    """Measure, draw into out_dir, and write results.json there."""
    measured = measure(seed, quick)
    figures = draw(measured, prepare(out_dir))
    return finish(out_dir, NAME, claim, measured["numbers"], figures, quick)
