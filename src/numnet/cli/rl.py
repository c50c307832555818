"""`numnet rl`: learn to act in a Gymnasium environment by trial, or play a saved policy.

Training (DQN or REINFORCE) writes policy.npz (a numnet model file: observation (N, D)
-> one score per action, the greedy action is the argmax), metrics.json (every episode's
return, every evaluation, the best policy's episode and score, its test on 100 fresh
episodes) and returns.png. `--play POLICY` plays a saved policy greedily and prints its
mean and minimum return. Gymnasium is the optional extra `rl`.
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

from numnet.cli.common import CommandError, check_writable, json_safe, load_built_model, versions
from numnet.progbar import Progbar
from numnet.rl import algorithms as rl
from numnet.rl.environment import make_env
from numnet.rl.training import Episode

TEST_EPISODES = 100  # fresh episodes the kept policy is tested on after training
KEEP_BEST = (
    "The policy kept is not the last one: every --eval-every episodes the greedy policy "
    "plays --eval-episodes evaluation episodes (seeds apart from the training ones); one "
    "that beats the best mean so far plays --confirm-episodes more, and if its mean over "
    "all of them still beats the best, it becomes the best, saved as policy.npz. "
    "metrics.json records when and with what score. After training it is tested on 100 "
    "fresh episodes, the ones `numnet rl --play DIR/policy.npz` plays."
)


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add `rl` and its flags to `subparsers`; return its parser."""
    rl_parser = subparsers.add_parser(
        "rl",
        help="reinforcement learning on Gymnasium (DQN, REINFORCE); --play a saved policy",
        description="Learn a policy by trial in a Gymnasium environment with a discrete "
        "action space and a flat observation (CartPole-v1, Acrobot-v1), or --play one. "
        + KEEP_BEST,
    )
    algorithms = ", ".join(f"{k} ({v.description})" for k, v in rl.ALGORITHMS.items())
    rl_parser.add_argument("--env", default="CartPole-v1", help="Gymnasium id (CartPole-v1)")
    rl_parser.add_argument(
        "--algorithm", default="dqn", choices=sorted(rl.ALGORITHMS), help=algorithms
    )
    rl_parser.add_argument(
        "--episodes", type=int, default=None,
        help="training episodes (dqn 600, reinforce 3000); with --play, episodes to play (100)",
    )  # fmt: skip
    rl_parser.add_argument("--seed", type=int, default=0, help="random seed, >= 0 (0)")
    rl_parser.add_argument("--out", default=None, help="output folder (runs/rl-<timestamp>)")
    rl_parser.add_argument(
        "--eval-every", type=int, default=None,
        help="training episodes between evaluations of the greedy policy (dqn 5, reinforce 20)",
    )  # fmt: skip
    rl_parser.add_argument(
        "--eval-episodes", type=int, default=rl.EVALUATION_EPISODES,
        help=f"episodes per evaluation ({rl.EVALUATION_EPISODES})",
    )  # fmt: skip
    rl_parser.add_argument(
        "--confirm-episodes", type=int, default=rl.CONFIRMATION_EPISODES,
        help="more episodes a policy that beats the best must also play "
        f"({rl.CONFIRMATION_EPISODES}; 0: none)",
    )  # fmt: skip
    rl_parser.add_argument(
        "--play", metavar="POLICY", default=None,
        help="play this policy file greedily for --episodes (100) and print the mean and "
        "minimum return; the same --seed plays the same episodes",
    )  # fmt: skip
    return rl_parser


def run(args: argparse.Namespace) -> int:
    """Train and save a policy, or play one; return the exit status."""
    _check_numbers(args)
    if args.play:
        return play(args)
    return train(args)


def _check_numbers(args: argparse.Namespace) -> None:
    """One clear line for a count below 1 (below 0 for --confirm-episodes, --seed)."""
    smallest = {"episodes": 1, "eval_every": 1, "eval_episodes": 1, "confirm_episodes": 0,
                "seed": 0}  # fmt: skip
    for flag, least in smallest.items():
        value = getattr(args, flag)
        if value is not None and value < least:
            raise CommandError(f"--{flag.replace('_', '-')} must be at least {least}, got {value}")


def play(args: argparse.Namespace) -> int:
    """Play the policy file greedily; print its mean and minimum return."""
    make_env(args.env).close()  # a bad --env is reported before the file
    model = load_built_model(args.play)
    episodes = args.episodes or TEST_EPISODES
    returns = rl.play(model, args.env, episodes, args.seed, path=args.play)
    print(
        f"{args.env}: mean return {returns.mean():.1f}, minimum {returns.min():.1f} over "
        f"{episodes} greedy episodes of {args.play} (seed {args.seed})"
    )
    return 0


def train(args: argparse.Namespace) -> int:
    """Train the agent, save the best policy, test it, write the metrics and the figure."""
    make_env(args.env).close()  # a bad --env is reported before anything is written
    out = Path(args.out or Path("runs") / datetime.now().strftime("rl-%Y%m%d-%H%M%S"))
    check_writable(out)
    episodes = args.episodes or rl.ALGORITHMS[args.algorithm].episodes
    print(f"Training {args.algorithm} on {args.env} for {episodes} episodes (seed {args.seed})")
    bar = Progbar(episodes, unit="episode")
    returns: list[float] = []

    def show(episode: Episode) -> None:
        returns.append(episode.total_return)
        values = {"return": episode.total_return, "avg100": float(np.mean(returns[-100:]))}
        if "epsilon" in episode.logs:
            values["epsilon"] = episode.logs["epsilon"]
        bar.update(episode.number, values, final=episode.number == episodes)

    start, cpu_start = time.perf_counter(), time.process_time()
    learned = rl.learn(args.env, args.algorithm, episodes, args.seed, args.eval_every,
                       args.eval_episodes, args.confirm_episodes, on_episode=show)  # fmt: skip
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    learned.agent.policy.save(out / "policy.npz")
    # Test the file itself, exactly as `--play` will.
    test = rl.play(load_built_model(str(out / "policy.npz")), args.env, TEST_EPISODES)
    metrics = _metrics(args, learned, test, episodes, wall, cpu, out)
    (out / "metrics.json").write_text(json.dumps(json_safe(metrics), indent=2, allow_nan=False))
    best = learned.record.best
    print(
        f"Best policy: episode {best.episode}, mean {best.mean:.1f} over {best.episodes} "
        f"evaluation episodes; on "
        f"{TEST_EPISODES} fresh episodes: mean {test.mean():.1f}, minimum {test.min():.1f}"
    )
    written = ["policy.npz", "metrics.json", *_figure(out, learned)]
    print(f"Wrote {', '.join(written)} to {out} ({wall:.0f} s, {cpu:.0f} s of CPU)")
    return 0


def _metrics(
    args: argparse.Namespace,
    learned: rl.Learned,
    test: np.ndarray,
    episodes: int,
    wall: float,
    cpu: float,
    out: Path,
) -> dict[str, Any]:
    """What metrics.json holds."""
    record, agent = learned.record, learned.agent
    return {
        "config": {
            "env": args.env, "algorithm": args.algorithm, "episodes": episodes,
            "seed": args.seed, "eval_every": args.eval_every
            or rl.ALGORITHMS[args.algorithm].evaluate_every,
            "eval_episodes": args.eval_episodes, "evaluation_seeds": learned.evaluation_seeds,
            "confirm_episodes": args.confirm_episodes,
            "confirmation_seeds": learned.confirmation_seeds,
            "hyperparameters": asdict(agent.config),
        },
        "returns": record.returns,
        "lengths": record.lengths,
        "evaluations": [e.as_dict() for e in record.evaluations],
        "best": {**record.best.as_dict(), "kept_as": "policy.npz", "why": KEEP_BEST},
        "test": {
            "episodes": TEST_EPISODES, "seed": 0, "mean_return": float(test.mean()),
            "min_return": float(test.min()), "returns": test.tolist(),
            "command": f"numnet rl --play {out / 'policy.npz'} --env {args.env} "
            f"--episodes {TEST_EPISODES} --seed 0",
        },
        "wall_time_s": wall,
        "cpu_time_s": cpu,
        "versions": versions(),
    }  # fmt: skip


def _figure(out: Path, learned: rl.Learned) -> list[str]:
    """returns.png, when matplotlib is there."""
    from numnet.rl.figures import returns_figure

    title = f"{type(learned.agent).__name__} on {learned.env_id}"
    try:
        returns_figure(learned.record, out / "returns.png", title, learned.threshold)
    except ImportError:  # matplotlib is an optional extra
        return []
    return ["returns.png"]
