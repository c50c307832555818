"""Data-parallel scaling on one machine, and what it implies for many (numnet.distributed).

    NUMNET_DATA=../shared/datasets python benchmarks/scale.py --repeats 3 [--epochs 3]

On one 2-core machine, the same training two ways, seconds per epoch of `fit`:
  1 process   one process, 2 BLAS threads;
  2 processes ``mpiexec -n 2``, 1 BLAS thread each, a DistributedOptimizer averaging
              the gradients (each process computes half of every batch of 128);
for W1 (the notes' MLP of `numnet train`, 784-512-512-10 with dropout, L2 and batch norm,
Adam 1e-3) and LeNet-5 (`numnet.zoo.lenet5`, Adam 1e-3), both with batches of 128, float32.
Each measurement runs in its own process (or job); the two ways alternate. The epoch
time is the median of the epochs after the first (which also pays the first broadcast).

It also counts the bytes allreduced per step (every trainable weight's gradient, float32)
and models many machines: a ring allreduce makes each process send and receive
2 (K-1)/K times those bytes, so one step on K machines, each as fast as this one with
its whole batch of 128 split K ways, takes about
    t1 / K + 2 (K-1)/K * bytes / bandwidth + 2 (K-1) * latency
with t1 the measured one-process step, no overlap of communication and computation
(numnet averages after the backward pass), and 50 us of latency per message.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

WORKLOADS = ("W1", "LeNet-5")
BATCH = 128
LATENCY_S = 50e-6
MACHINES = (2, 4, 8, 16, 32)
GBITS = (1, 10)


# --- what a measured process runs -----------------------------------------------------------
def worker(workload: str, epochs: int, train_limit: int | None) -> None:
    """Train `workload` for `epochs` epochs and print its timings (rank 0) as JSON."""
    import numnet
    import numnet.distributed as dist
    from numnet import callbacks, optimizers, zoo
    from numnet.datasets import mnist

    world = dist.init()
    numnet.random.seed(0)
    (x, y), _ = mnist.load_data()
    x, y = x[:train_limit].astype("float32") / 255, y[:train_limit].astype("int64")
    model = zoo.mlp() if workload == "W1" else zoo.lenet5()
    x = x.reshape(len(x), 784) if workload == "W1" else x.reshape(len(x), 28, 28, 1)
    optimizer = dist.DistributedOptimizer(optimizers.Adam(1e-3))
    model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy")

    class EpochTimes(callbacks.Callback):
        def on_train_begin(self, logs=None):
            self.seconds = []

        def on_epoch_begin(self, epoch, logs=None):
            self.start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            self.seconds.append(time.perf_counter() - self.start)

    timer = EpochTimes()
    model.fit(x, y, batch_size=BATCH, epochs=epochs, verbose=0, seed=0, callbacks=[timer])
    if world.rank == 0:
        steps = -(-len(x) // BATCH)
        weights = model.trainable_weights
        result = {
            "processes": world.size,
            "epoch_seconds": timer.seconds,
            "seconds_per_epoch": statistics.median(timer.seconds[1:] or timer.seconds),
            "steps_per_epoch": steps,
            "collective_seconds_per_epoch": world.wait_seconds / epochs,
            "parameters": sum(w.size for w in weights),
            "bytes_per_step": sum(w.size * w.dtype.itemsize for w in weights),
        }
        print(json.dumps(result))


# --- the measurements -----------------------------------------------------------------------
def run_child(workload: str, processes: int, epochs: int, train_limit: int | None) -> dict:
    """One measurement in a fresh process (one thread each under mpiexec, else two)."""
    threads = "1" if processes > 1 else "2"
    env = {**os.environ, "OMP_NUM_THREADS": threads, "OPENBLAS_NUM_THREADS": threads}
    if processes > 1 and os.geteuid() == 0:  # Open MPI refuses root unless told
        env |= {"OMPI_ALLOW_RUN_AS_ROOT": "1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1"}
    command = [sys.executable, __file__, "--worker", workload, "--epochs", str(epochs)]
    if train_limit:
        command += ["--train-limit", str(train_limit)]
    if processes > 1:
        command = ["mpiexec", "-n", str(processes), *command]
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def many_machines(step_seconds: float, bytes_per_step: int) -> list[dict]:
    """The modelled step time and speedup on K machines at 1 and 10 Gbit/s."""
    rows = []
    for machines in MACHINES:
        row: dict = {"machines": machines}
        for gbits in GBITS:
            ring = 2 * (machines - 1) / machines * bytes_per_step
            network = ring / (gbits * 1e9 / 8) + 2 * (machines - 1) * LATENCY_S
            step = step_seconds / machines + network
            row[f"{gbits}G_network_ms"] = network * 1e3
            row[f"{gbits}G_speedup"] = step_seconds / step
        rows.append(row)
    return rows


def summarise(results: dict[str, dict[int, list[dict]]]) -> dict:
    report = {}
    for workload, by_processes in results.items():
        one, two = (
            statistics.median(r["seconds_per_epoch"] for r in by_processes[k]) for k in (1, 2)
        )
        first = by_processes[2][0]
        step = one / first["steps_per_epoch"]
        report[workload] = {
            "one_process_two_threads_s_per_epoch": one,
            "two_processes_one_thread_s_per_epoch": two,
            "speedup": one / two,
            "collective_s_per_epoch": statistics.median(
                r["collective_seconds_per_epoch"] for r in by_processes[2]
            ),
            "parameters": first["parameters"],
            "bytes_per_step": first["bytes_per_step"],
            "bytes_per_epoch": first["bytes_per_step"] * first["steps_per_epoch"],
            "one_process_step_ms": step * 1e3,
            "many_machines": many_machines(step, first["bytes_per_step"]),
        }
    return report


def print_tables(report: dict) -> None:
    print(
        "\n| workload | 1 process, 2 threads | 2 processes, 1 thread each | speedup "
        "| in allreduce | bytes/step |"
    )
    print("|---|---|---|---|---|---|")
    for name, row in report.items():
        print(
            f"| {name} | {row['one_process_two_threads_s_per_epoch']:.2f} s/epoch "
            f"| {row['two_processes_one_thread_s_per_epoch']:.2f} s/epoch "
            f"| {row['speedup']:.2f} | {row['collective_s_per_epoch']:.2f} s/epoch "
            f"| {row['bytes_per_step'] / 1e6:.2f} MB |"
        )
    for name, row in report.items():
        print(
            f"\n{name}: {row['parameters']:,} parameters, one step "
            f"{row['one_process_step_ms']:.1f} ms on this machine (modelled)"
        )
        print(
            "| machines | network ms/step, 1 Gbit/s | speedup | network ms/step, 10 Gbit/s "
            "| speedup |"
        )
        print("|---|---|---|---|---|")
        for r in row["many_machines"]:
            print(
                f"| {r['machines']} | {r['1G_network_ms']:.1f} | {r['1G_speedup']:.2f} "
                f"| {r['10G_network_ms']:.1f} | {r['10G_speedup']:.2f} |"
            )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=3, help="per measurement (3)")
    parser.add_argument("--train-limit", type=int, default=None, help="first N images only")
    parser.add_argument("--workloads", default=",".join(WORKLOADS))
    parser.add_argument("--json", default="benchmarks/scale.json")
    parser.add_argument("--worker", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.epochs, args.train_limit)
        return
    workloads = args.workloads.split(",")
    results: dict = {w: {1: [], 2: []} for w in workloads}
    for repeat in range(args.repeats):
        for workload in workloads:
            for processes in (1, 2):  # alternating
                outcome = run_child(workload, processes, args.epochs, args.train_limit)
                results[workload][processes].append(outcome)
                print(
                    f"run {repeat + 1}: {workload}, {processes} process(es): "
                    f"{outcome['seconds_per_epoch']:.3f} s/epoch",
                    flush=True,
                )
    report = summarise(results)
    print_tables(report)
    Path(args.json).write_text(json.dumps({"results": results, "report": report}, indent=2))
    print(f"\nwrote {args.json}")


if __name__ == "__main__":
    main()
