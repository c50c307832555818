"""Where an epoch of `fit` goes: the time of every op's forward and backward, of the
optimizer's step, and the rest (the Python of the loop, the layers and the graph walk).

    NUMNET_DATA=../shared/datasets python benchmarks/profile_fit.py [W1|W2|W4|lenet5] [--threads 2]

Each op class's `forward` and `backward` is wrapped in a timer for one timed epoch (after
a short warm-up), so the table adds up to the epoch's wall time; the timers themselves
cost about a microsecond a call, counted in "the rest". Linear, MatMul and Conv2D are
matrix products with a little around them, the work BLAS spreads over every core; the
recurrent ops are loops of small products and element-wise steps; Conv2DMaxPool is a
convolution's product and its max pooling's one-core passes; the other ops run on one
core. Each row is named by the op's own class.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import defaultdict
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workload", nargs="?", default="W1", choices=["W1", "W2", "W4", "lenet5"])
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    os.environ["OMP_NUM_THREADS"] = os.environ["OPENBLAS_NUM_THREADS"] = str(args.threads)
    sys.path.insert(0, str(Path(__file__).parent))
    from compare import load_mnist  # after the thread settings: NumPy reads them on import

    import numnet
    from numnet import layers, optimizers, zoo
    from numnet.autograd.function import Function

    numnet.random.seed(0)
    x, y, _, _ = load_mnist()
    if args.workload == "W1":
        model, batch = zoo.mlp(), 128
    elif args.workload == "W2":
        model, batch, x = zoo.simple_cnn(), 100, x.reshape(-1, 28, 28, 1)
    elif args.workload == "lenet5":
        model, batch, x = zoo.lenet5(), 128, x.reshape(-1, 28, 28, 1)
    else:
        model = numnet.Sequential(
            [layers.Input((28, 28)), layers.LSTM(128), layers.Dense(10, activation="softmax")]
        )
        batch, x = 128, x.reshape(-1, 28, 28)
    model.compile(
        optimizer=optimizers.Adam(1e-3),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    model.fit(x[: 10 * batch], y[: 10 * batch], batch_size=batch, epochs=1, verbose=0)

    spent: dict[str, float] = defaultdict(float)

    def timed(part: str, method):
        def wrapper(op, *a, **k):  # named by the op's own class (a subclass may inherit)
            start = time.perf_counter()
            try:
                return method(op, *a, **k)
            finally:
                spent[f"{type(op).__name__}.{part}"] += time.perf_counter() - start

        return wrapper

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    for cls in set(subclasses(Function)):
        for part in ("forward", "backward"):
            if part in vars(cls):
                setattr(cls, part, timed(part, vars(cls)[part]))
    optimizer = type(model.optimizer)
    optimizer.step = timed("step", optimizer.step)

    start = time.perf_counter()
    model.fit(x, y, batch_size=batch, epochs=1, verbose=0, seed=0)
    total = time.perf_counter() - start
    products = {"Linear", "MatMul", "Conv2D", "ConvTranspose2D"}  # one product and a little
    recurrent = {"TimeLSTM", "TimeGRU", "TimeGRUResetBefore", "TimeRNN"}  # a loop of products
    pooled = {"Conv2DMaxPool"}  # a convolution's product and its pooling's one-core passes
    rows = sorted(spent.items(), key=lambda item: -item[1])
    print(f"{args.workload}, one epoch of fit, {args.threads} threads: {total:.3f} s")
    print(f"{'part':<34}{'s/epoch':>9}{'share':>8}")
    for name, seconds in rows:
        if seconds >= 0.005 * total:
            print(f"{name:<34}{seconds:>9.3f}{seconds / total:>8.1%}")

    def share(kinds: set[str]) -> float:
        return sum(s for n, s in spent.items() if n.split(".")[0] in kinds)

    step = sum(s for n, s in spent.items() if n.endswith(".step"))
    groups = {
        "ops that are a matrix product": share(products),
        "recurrent ops (products + steps)": share(recurrent),
        "convolution + max pooling ops": share(pooled),
        "other ops (one core)": sum(spent.values()) - share(products | recurrent | pooled) - step,
        "optimizer step": step,
        "the rest (loop, layers, graph)": total - sum(spent.values()),
    }
    for name, seconds in groups.items():
        if seconds:
            print(f"{'= ' + name:<34}{seconds:>9.3f}{seconds / total:>8.1%}")


if __name__ == "__main__":
    main()
