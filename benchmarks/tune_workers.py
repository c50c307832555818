"""Trials per minute of `numnet tune` with 1 worker process against 2 sharing SQLite.

Each setting gets a fresh study in its own folder; every worker is a `numnet tune`
process with one BLAS thread, run for --seconds (Optuna's timeout: no trial starts after
it, the running ones finish). The rate is finished trials over the wall time from the
first start to the last exit, start-up included, as a user sees it. The network's shape
and batch size are fixed so that every trial is the same work; the learning rate, the
optimizer, the activation, dropout and weight decay are still searched.

    python benchmarks/tune_workers.py                     # 2 x 120 s, on an idle machine
    python benchmarks/tune_workers.py --seconds 10 --train-limit 600   # a quick check
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import optuna

SAME_WORK = ["--space", "layers=2", "--space", "units=128", "--space", "batch_size=128"]


def run_workers(n: int, args: argparse.Namespace, folder: Path) -> dict[str, float]:
    """Start `n` workers on one fresh SQLite study in `folder`; time them; count trials."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "study.db").unlink(missing_ok=True)
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MPLBACKEND": "Agg"}
    command = [
        sys.executable, "-m", "numnet.cli", "tune", "--timeout", str(args.seconds),
        "--model", "mlp", "--epochs", str(args.epochs), "--train-limit", str(args.train_limit),
        "--pruner", "none", "--study-name", "bench", "--out", str(folder), *SAME_WORK,
    ]  # fmt: skip
    start = time.perf_counter()
    workers = []
    for i in range(n):
        log = (folder / f"worker{i}.log").open("w")
        workers.append(
            subprocess.Popen([*command, "--seed", str(i)], stdout=log, stderr=log, env=env)
        )
    for worker in workers:
        if worker.wait() != 0:
            raise SystemExit(f"a worker failed: see {folder}/worker*.log")
    wall = time.perf_counter() - start
    study = optuna.load_study(study_name="bench", storage=f"sqlite:///{folder / 'study.db'}")
    finished = [t for t in study.trials if t.state.name == "COMPLETE"]
    seconds = [(t.datetime_complete - t.datetime_start).total_seconds() for t in finished]
    return {
        "workers": n,
        "trials": len(finished),
        "wall_s": wall,
        "trials_per_minute": 60 * len(finished) / wall,
        "mean_trial_s": sum(seconds) / max(len(seconds), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=120, help="each setting's timeout (120)")
    parser.add_argument("--epochs", type=int, default=1, help="epochs per trial (1)")
    parser.add_argument("--train-limit", type=int, default=6000, help="training images (6000)")
    parser.add_argument("--out", default="runs/tune_workers", help="folder for studies and logs")
    args = parser.parse_args()
    out = Path(args.out)
    results = [run_workers(n, args, out / f"{n}-workers") for n in (1, 2)]
    print(f"{os.cpu_count()} CPUs; {args.epochs} epoch(s) on {args.train_limit} images per trial")
    print("workers  trials  wall (s)  trials/min  mean trial (s)")
    for r in results:
        print(
            f"{r['workers']:>7}  {r['trials']:>6}  {r['wall_s']:>8.1f}  "
            f"{r['trials_per_minute']:>10.2f}  {r['mean_trial_s']:>14.2f}"
        )
    speedup = results[1]["trials_per_minute"] / results[0]["trials_per_minute"]
    print(f"2 workers / 1 worker: {speedup:.2f}x trials per minute")
    summary = {
        "settings": vars(args),
        "cpus": os.cpu_count(),
        "results": results,
        "speedup": speedup,
    }
    (out / "results.json").write_text(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
