"""Can NumPy give W1's element-wise work the second core? Measured, not assumed.

    python benchmarks/threads.py            (needs threadpoolctl: pip install -e ".[bench]")

NumPy runs each element-wise function (Adam's passes, dropout, batch norm) on one core;
PyTorch spreads them over all of them. A NumPy program could still split the work itself:
NumPy releases the GIL inside a ufunc, so two Python threads can each run half of the
rows. This script times that on W1's shapes, one W1 step's worth of work at a time:

1. the cost of handing a task to a waiting Python thread and getting its result;
2. Adam's update of W1's 670k weights (ten in-cache passes, as numnet's blocked step)
   after a BLAS product, on one thread and split over two (half of the blocks each, or
   whole weights: the 401k first kernel in one thread, the rest in the other, which
   hands over once a step), with OpenBLAS's own threads
   as NumPy leaves them (they keep spinning, waiting for the next product, long after
   one ends) and with OpenBLAS limited to one thread (then the products lose the
   second core instead);
3. W1's three forward and five backward products with OpenBLAS on 2 threads, on 1, and
   on 1 thread each in two Python threads, each half of the rows.

Each figure is the median over `--repeats` rounds of `--steps` steps (ms per step).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from numnet.autograd.tensor import Tensor
from numnet.optimizers import Adam
from numnet.optimizers.base import row_blocks

F32 = np.float32


def median_ms(fn: Callable[[], object], steps: int, repeats: int) -> float:
    fn()
    rounds = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(steps):
            fn()
        rounds.append((time.perf_counter() - start) / steps * 1e3)
    return statistics.median(rounds)


def adam_blocks(optimizer: Adam, params: list[Tensor]) -> list[Callable[[], None]]:
    """numnet's Adam step on W1's weights as a list of jobs, one per cache-sized block."""
    optimizer.step(params)  # the first step makes the slots
    jobs = []
    for param in params:
        state = optimizer._state[id(param)]
        for rows in row_blocks(param.shape, optimizer.block_size):
            block_state = {name: array[rows] for name, array in state.items()}
            args = (param.data[rows], param.grad[rows], block_state, 1e-3)
            jobs.append(lambda args=args: optimizer.update(*args))
    return jobs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    from threadpoolctl import threadpool_info, threadpool_limits

    rng = np.random.default_rng(0)
    x, h = rng.random((128, 784), F32), rng.random((128, 512), F32)
    w1, w2, w3 = (rng.random(s, F32) * 0.01 for s in ((784, 512), (512, 512), (512, 10)))
    d3 = rng.random((128, 10), F32)
    d2 = rng.random((128, 512), F32)  # dz2: h.T @ h with one array would run BLAS's syrk
    shapes = [(784, 512), (512,), (512, 512), (512,), (512,), (512,), (512, 10), (10,)]
    params = [Tensor(rng.random(s, F32), requires_grad=True) for s in shapes]  # W1's weights
    for param in params:
        param.grad = rng.standard_normal(param.shape).astype(F32) * 1e-3
    # The same blocks twice, bound to two optimizers: each thread gets its own work array.
    jobs, other_jobs = adam_blocks(Adam(1e-3), params), adam_blocks(Adam(1e-3), params)
    pool = ThreadPoolExecutor(1)
    timed = lambda fn: median_ms(fn, args.steps, args.repeats)  # noqa: E731

    kernel_blocks = len(row_blocks(shapes[0], Adam.block_size))  # the first jobs

    def adam(split: bool, at: int | None = None) -> None:
        """Every block once: the first `at` (half by default) in the second thread."""
        x @ w1  # a product first: OpenBLAS's threads are then awake, as in training
        cut = (len(jobs) // 2 if at is None else at) if split else 0
        other = pool.submit(lambda: [job() for job in other_jobs[:cut]]) if split else None
        for job in jobs[cut:]:
            job()
        if other:
            other.result()

    def matmul(a, b, split: bool):
        if not split:
            return a @ b
        out = np.empty((a.shape[0], b.shape[1]), F32)
        if a.shape[0] >= b.shape[1]:  # halves of the rows
            half = a.shape[0] // 2
            job = pool.submit(np.matmul, a[:half], b, out[:half])
            np.matmul(a[half:], b, out=out[half:])
        else:  # halves of the columns
            half = b.shape[1] // 2
            job = pool.submit(np.matmul, a, b[:, :half], out[:, :half])
            np.matmul(a, b[:, half:], out=out[:, half:])
        job.result()
        return out

    def products(split: bool) -> None:
        for a, b in ((x, w1), (h, w2), (h, w3), (h.T, d3), (d3, w3.T), (h.T, d2), (d2, w2.T)):
            matmul(a, b, split)
        matmul(x.T, h, split)

    blas = next(i for i in threadpool_info() if i["user_api"] == "blas")
    threads = blas["num_threads"]
    print(f"NumPy {np.__version__}, {blas['internal_api']} {blas['version']} "
          f"({blas.get('architecture')}, {threads} threads); ms per W1 step")  # fmt: skip
    handoff = timed(lambda: pool.submit(int).result())
    print(f"{'hand a task to a Python thread and wait':<48}{handoff:.3f}")
    # (label, one thread, two threads, whether to time two threads beside OpenBLAS's own:
    # only for element-wise work, since the products would then share both cores twice)
    rows = [
        ("Adam, 670k weights, after a product", lambda: adam(False), lambda: adam(True), True),
        (
            "Adam, the first kernel in one thread",
            lambda: adam(False),
            lambda: adam(True, kernel_blocks),
            True,
        ),
        ("W1's products", lambda: products(False), lambda: products(True), False),
    ]
    for label, one, two, beside_openblas in rows:
        default = timed(one)
        with threadpool_limits(1, user_api="blas"):
            single, split = timed(one), timed(two)
        print(f"{label}:")
        cases = [(f"OpenBLAS on {threads} threads, one Python thread", default)]
        if beside_openblas:
            cases.append((f"OpenBLAS on {threads} threads, two Python threads", timed(two)))
        cases += [("OpenBLAS on 1 thread, one Python thread", single)]
        cases += [("OpenBLAS on 1 thread, two Python threads", split)]
        for case, ms in cases:
            print(f"  {case:<46}{ms:.3f}")


if __name__ == "__main__":
    main()
