"""numnet against PyTorch (CPU) on the notes' networks, measured side by side.

    NUMNET_DATA=../shared/datasets python benchmarks/compare.py [--repeats 3] [--json out.json]

numnet is timed through `model.fit(..., metrics=["accuracy"], verbose=0)`, the path every
user takes (one call, each epoch timed by a callback); PyTorch's loop does the same work
(the running loss and batch accuracy). Workloads (float32, the same thread count for both,
the same MNIST data and batch order):
  W1  the notes' MLP (784-512-512-10, dropout, L2, batch norm, Adam 1e-3, batch 128):
      seconds per epoch (median of the timed epochs), test accuracy after 4 epochs,
      peak resident memory of the whole training process;
  W2  DLFS SimpleConvNet (conv 30 5x5, ReLU, 2x2 max pool, 100, 10; Adam 1e-3, batch 100):
      seconds per epoch and test accuracy after 1 epoch;
  W3  W1's model predicting the 10,000 test images in batches of 1000: images per second
      (the median of 21 passes).
  W4  the row-by-row LSTM(128) classifier (28 steps of 28 pixels, Dense 10; Adam 1e-3,
      batch 128) against a torch.nn.LSTM loop: seconds per epoch and test accuracy after
      1 epoch.
Every measurement runs in a fresh child process, numnet and PyTorch alternating, so one
framework's memory or thread pools never disturb the other (the thread count is set for
each child: run this script itself with no OMP_NUM_THREADS). The report gives the median
and the range over the repeats, the CPU and each framework's BLAS library and kernel
(threadpoolctl, NumPy's; PyTorch's from its build configuration). Also measured: the "BLAS
floor" of W1, the time NumPy's float32 matrix products alone take for one epoch (also
with Adam's update after each step's products), the images per second W3 would reach
with its products alone (in NumPy and in PyTorch, each in its own child process beside
the frameworks' W3 in every repeat), and the seconds W4's LSTM
spends in its products alone (28 steps, one small product forward and three backward each). With
--book, W2 also runs in the style of the book's own code (benchmarks/book_style.py), once
per repeat, for the "5x faster than the book's approach" target. W1 also runs written by
hand in NumPy (benchmarks/numpy_w1.py, no framework), in its own child process beside the
two frameworks: what NumPy itself needs for that epoch; so does W3 (the same file's
`probabilities`: batch norm folded, activations in place).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

THREADS = 2
EPOCHS_W1 = 4


def load_mnist() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Float32 images in [0, 1] (scaled in place: no second full-size copy) and labels."""
    from numnet.datasets import mnist

    (x, y), (xt, yt) = mnist.load_data()
    images = []
    for raw in (x, xt):
        scaled = raw.reshape(-1, 784).astype(np.float32)
        scaled /= 255
        images.append(scaled)
    return images[0], y.astype(np.int64), images[1], yt.astype(np.int64)


def batch_orders(n: int, batch: int, epochs: int, seed: int = 0) -> list[list[np.ndarray]]:
    """The shuffled batch indices of every epoch, shared by both frameworks: the order
    numnet's `fit(..., seed=seed)` draws (one permutation of the generator per epoch)."""
    rng = np.random.default_rng(seed)
    return [np.array_split(rng.permutation(n), range(batch, n, batch)) for _ in range(epochs)]


# --- numnet ---------------------------------------------------------------------------------
def numnet_w1(epochs: int, predict_only: bool = False) -> dict[str, float]:
    import numnet
    from numnet import optimizers, zoo

    numnet.random.seed(0)
    x, y, xt, yt = load_mnist()
    model = zoo.mlp()
    model.compile(
        optimizer=optimizers.Adam(1e-3),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    if predict_only:
        model.build((784,))
        return {"images_per_s": _throughput(lambda: model.predict(xt, batch_size=1000), len(xt))}
    return _numnet_fit(model, x, y, xt, yt, batch=128, epochs=epochs)


def numnet_w2(epochs: int) -> dict[str, float]:
    import numnet
    from numnet import optimizers, zoo

    numnet.random.seed(0)
    x, y, xt, yt = load_mnist()
    model = zoo.simple_cnn()
    model.compile(
        optimizer=optimizers.Adam(1e-3),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    shape = (-1, 28, 28, 1)
    return _numnet_fit(model, x.reshape(shape), y, xt.reshape(shape), yt, batch=100, epochs=epochs)


def _numnet_fit(model, x, y, xt, yt, batch: int, epochs: int) -> dict[str, float]:
    """One `model.fit` call, the path every user takes (the accuracy metric on, no
    progress bar), timed per epoch by a callback; then the test accuracy."""
    from numnet.models.callbacks import Callback

    class EpochTimer(Callback):
        def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
            self.start = time.perf_counter()

        def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
            times.append(time.perf_counter() - self.start)

    times: list[float] = []
    history = model.fit(
        x, y, batch_size=batch, epochs=epochs, verbose=0, seed=0, callbacks=[EpochTimer()]
    )
    accuracy = float((model.predict(xt, batch_size=1000).argmax(1) == yt).mean())
    return {
        "seconds_per_epoch": statistics.median(times),
        "accuracy": accuracy,
        "train_accuracy": history.history["accuracy"][-1],
    }


def numnet_w4(epochs: int) -> dict[str, float]:
    """The row-by-row LSTM classifier (W4)."""
    import numnet
    from numnet import layers, optimizers

    numnet.random.seed(0)
    x, y, xt, yt = load_mnist()
    x, xt = x.reshape(-1, 28, 28), xt.reshape(-1, 28, 28)
    model = numnet.Sequential(
        [layers.Input((28, 28)), layers.LSTM(128), layers.Dense(10, activation="softmax")]
    )
    model.compile(
        optimizer=optimizers.Adam(1e-3),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return _numnet_fit(model, x, y, xt, yt, batch=128, epochs=epochs)


# --- PyTorch --------------------------------------------------------------------------------
def torch_w1(epochs: int, predict_only: bool = False) -> dict[str, float]:
    import torch
    from torch import nn

    torch.manual_seed(0)
    x, y, xt, yt = (torch.from_numpy(a) for a in load_mnist())
    hidden = nn.Linear(512, 512)
    model = nn.Sequential(
        nn.Linear(784, 512), nn.ReLU(), nn.Dropout(0.2),
        hidden, nn.BatchNorm1d(512, eps=1e-3, momentum=0.01), nn.ReLU(), nn.Dropout(0.2),
        nn.Linear(512, 10),
    )  # fmt: skip
    for layer in model:
        if isinstance(layer, nn.Linear):  # Keras' initialisation, as numnet's Dense
            nn.init.xavier_uniform_(layer.weight)
            nn.init.zeros_(layer.bias)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    if predict_only:
        model.eval()

        def predict() -> None:
            with torch.no_grad():
                torch.cat([model(xt[i : i + 1000]).softmax(1) for i in range(0, len(xt), 1000)])

        return {"images_per_s": _throughput(predict, len(xt))}

    def loss_of(logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        return nn.functional.cross_entropy(logits, target) + 0.001 * (hidden.weight**2).sum()

    return _torch_epochs(model, optimizer, x, y, xt, yt, batch=128, epochs=epochs, loss=loss_of)


def torch_w2(epochs: int) -> dict[str, float]:
    import torch
    from torch import nn

    torch.manual_seed(0)
    x, y, xt, yt = (torch.from_numpy(a) for a in load_mnist())
    x, xt = x.reshape(-1, 1, 28, 28), xt.reshape(-1, 1, 28, 28)
    model = nn.Sequential(
        nn.Conv2d(1, 30, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(4320, 100), nn.ReLU(), nn.Linear(100, 10),
    )  # fmt: skip
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    return _torch_epochs(model, optimizer, x, y, xt, yt, batch=100, epochs=epochs)


def torch_w4(epochs: int) -> dict[str, float]:
    import torch
    from torch import nn

    torch.manual_seed(0)
    x, y, xt, yt = (torch.from_numpy(a) for a in load_mnist())
    x, xt = x.reshape(-1, 28, 28), xt.reshape(-1, 28, 28)

    class RowReader(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.lstm, self.out = nn.LSTM(28, 128, batch_first=True), nn.Linear(128, 10)

        def forward(self, images: torch.Tensor) -> torch.Tensor:
            return self.out(self.lstm(images)[0][:, -1])

    model = RowReader()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    return _torch_epochs(model, optimizer, x, y, xt, yt, batch=128, epochs=epochs)


def _torch_epochs(
    model, optimizer, x, y, xt, yt, batch: int, epochs: int, loss=None
) -> dict[str, float]:
    """A plain PyTorch training loop over the shared batch orders, timed per epoch, doing
    what numnet's `fit` does with the accuracy metric: the running mean of the loss and of
    the batch accuracy; then the test accuracy after it. `loss` defaults to cross-entropy
    (W1 adds its L2 term)."""
    import torch
    from torch import nn

    loss = loss or nn.functional.cross_entropy
    times = []
    for order in batch_orders(len(x), batch, epochs):
        start = time.perf_counter()
        model.train()
        seen = correct = 0
        total_loss = 0.0
        for index in order:
            index = torch.from_numpy(index)
            logits, target = model(x[index]), y[index]
            value = loss(logits, target)
            optimizer.zero_grad()
            value.backward()
            optimizer.step()
            seen += len(index)
            total_loss += value.item() * len(index)
            correct += int((logits.argmax(1) == target).sum())
            logs = {"loss": total_loss / seen, "accuracy": correct / seen}
        times.append(time.perf_counter() - start)
    model.eval()
    with torch.no_grad():
        accuracy = float((model(xt).argmax(1) == yt).float().mean())
    return {
        "seconds_per_epoch": statistics.median(times),
        "accuracy": accuracy,
        "train_accuracy": logs["accuracy"],
    }


def numpy_w1(epochs: int) -> dict[str, float]:
    """W1 written by hand in NumPy (benchmarks/numpy_w1.py): no framework around it."""
    sys.path.insert(0, str(Path(__file__).parent))
    from numpy_w1 import train

    x, y, xt, yt = load_mnist()
    times, network, train_accuracy = train(x, y, batch_orders(len(x), 128, epochs))
    return {
        "seconds_per_epoch": statistics.median(times),
        "accuracy": float((network.predict(xt) == yt).mean()),
        "train_accuracy": train_accuracy,
    }


def numpy_w3() -> dict[str, float]:
    """W3 written by hand in NumPy (numpy_w1.py's `probabilities`), beside the frameworks."""
    sys.path.insert(0, str(Path(__file__).parent))
    from numpy_w1 import HandWrittenMLP

    xt = load_mnist()[2]
    network = HandWrittenMLP()
    return {"images_per_s": _throughput(lambda: network.probabilities(xt), len(xt))}


def book_w2(epochs: int) -> dict[str, float]:
    """W2 with the book's approach (benchmarks/book_style.py): its arithmetic is float64."""
    sys.path.insert(0, str(Path(__file__).parent))
    from book_style import Adam, SimpleConvNet

    x, y, xt, yt = load_mnist()
    x, xt = x.reshape(-1, 1, 28, 28), xt.reshape(-1, 1, 28, 28)
    network, optimizer = SimpleConvNet(), Adam(0.001)
    times = []
    for order in batch_orders(len(x), 100, epochs):
        start = time.perf_counter()
        for index in order:
            optimizer.update(network.params, network.gradient(x[index], y[index]))
        times.append(time.perf_counter() - start)
    predicted = np.concatenate(
        [network.predict(xt[i : i + 1000]).argmax(1) for i in range(0, len(xt), 1000)]
    )
    return {
        "seconds_per_epoch": statistics.median(times),
        "accuracy": float((predicted == yt).mean()),
    }


def _throughput(predict: object, count: int, repeats: int = 21) -> float:
    predict()  # warm up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        predict()
        times.append(time.perf_counter() - start)
    return count / statistics.median(times)


def blas_floor(with_adam: bool = False) -> float:
    """Seconds one W1 epoch spends in its float32 matrix products alone (469 steps).

    With `with_adam`, each step also applies Adam to the eight weights the way
    numpy_w1.py does (its fewest NumPy passes, in cache-sized blocks): what any NumPy
    program of W1 spends before its dropout, batch norm, activations and loss."""
    rng = np.random.default_rng(0)
    a = {
        s: rng.random(s, dtype=np.float32)
        for s in [(128, 784), (784, 512), (128, 512), (512, 512), (512, 10), (128, 10)]
    }
    # dW2 = h1.T @ dz2 multiplies two different arrays. Written h.T @ h, with one array,
    # NumPy would hand it to BLAS's syrk (a product of a matrix with its own transpose),
    # which OpenBLAS ran at half the speed: 760 us against 390 on this machine.
    d = rng.random((128, 512), dtype=np.float32)
    net = None
    if with_adam:
        sys.path.insert(0, str(Path(__file__).parent))
        from numpy_w1 import HandWrittenMLP

        net = HandWrittenMLP()
        vectors = (rng.random(p.shape, dtype=np.float32) for p in net.params if p.ndim == 1)
        b1, b2, gamma, beta, b3 = vectors
    start = time.perf_counter()
    for _ in range(469):
        h1 = a[128, 784] @ a[784, 512]
        h2 = h1 @ a[512, 512]
        h2 @ a[512, 10]  # forward
        g3 = a[128, 512].T @ a[128, 10]  # dW3
        a[128, 10] @ a[512, 10].T  # dx3
        g2 = a[128, 512].T @ d  # dW2
        d @ a[512, 512].T  # dx2
        g1 = a[128, 784].T @ a[128, 512]  # dW1
        if net is not None:
            net.adam([g1, b1, g2, b2, gamma, beta, g3, b3])
    return time.perf_counter() - start


def torch_products_w1() -> dict[str, float]:
    """PyTorch's BLAS floor of W1: the same eight products per step as `blas_floor`, with
    the weights stored (out, in) and the weight gradients grad_out.T @ input, as nn.Linear
    computes them (469 steps; median of 3 epochs)."""
    import torch

    generator = torch.Generator().manual_seed(0)
    shapes = [(128, 784), (512, 784), (128, 512), (512, 512), (10, 512), (128, 10)]
    a = {s: torch.rand(s, generator=generator) for s in shapes}
    d = torch.rand(128, 512, generator=generator)  # dz2, not h1 again (see blas_floor)

    def epoch() -> float:
        start = time.perf_counter()
        for _ in range(469):
            h1 = a[128, 784] @ a[512, 784].T
            h2 = h1 @ a[512, 512].T
            h2 @ a[10, 512].T  # forward
            a[128, 10].T @ a[128, 512]  # dW3
            a[128, 10] @ a[10, 512]  # dx3
            d.T @ a[128, 512]  # dW2
            d @ a[512, 512]  # dx2
            a[128, 512].T @ a[128, 784]  # dW1
        return time.perf_counter() - start

    return {"seconds_per_epoch": statistics.median(epoch() for _ in range(3))}


def blas_floor_w4() -> float:
    """Seconds one W4 epoch (469 batches of 128) spends in the LSTM's float32 matrix
    products alone: the input projection of all 28 steps, then per step h @ W_h forward
    and dW_h, dW_x and dh = dA @ W_h.T backward (the input needs no gradient)."""
    rng = np.random.default_rng(0)
    x = rng.random((28, 128, 28), dtype=np.float32)
    w_x, w_h = rng.random((28, 512), dtype=np.float32), rng.random((128, 512), dtype=np.float32)
    h, da = rng.random((128, 128), dtype=np.float32), rng.random((128, 512), dtype=np.float32)
    w_h_t = np.ascontiguousarray(w_h.T)
    start = time.perf_counter()
    for _ in range(469):
        x.reshape(-1, 28) @ w_x
        for t in range(28):
            h @ w_h  # forward
            h.T @ da, x[t].T @ da, da @ w_h_t  # backward
    return time.perf_counter() - start


def blas_ceiling_w3() -> dict[str, float]:
    """Images per second W3 would reach if predicting were its three float32 matrix
    products alone in NumPy (10 batches of 1000; median of 21 passes): more than any
    program that leaves those products to NumPy's BLAS can reach."""
    rng = np.random.default_rng(0)
    x = rng.random((1000, 784), dtype=np.float32)
    w = [rng.random(s, dtype=np.float32) for s in [(784, 512), (512, 512), (512, 10)]]
    return _w3_products(x, w)


def torch_products_w3() -> dict[str, float]:
    """The same three products in PyTorch, with the weights stored (out, in) as nn.Linear
    keeps them: what its BLAS gives the W3 model before any bias, ReLU or softmax."""
    import torch

    generator = torch.Generator().manual_seed(0)
    x = torch.rand(1000, 784, generator=generator)
    w = [torch.rand(s, generator=generator) for s in [(512, 784), (512, 512), (10, 512)]]
    return _w3_products(x, [weight.T for weight in w])


def _w3_products(x: Any, w: list[Any]) -> dict[str, float]:
    """Images per second of x @ w[0] @ w[1] @ w[2] over 10 batches (NumPy or PyTorch)."""

    def products() -> None:
        for _ in range(10):
            x @ w[0] @ w[1] @ w[2]

    return {"images_per_s": _throughput(products, 10_000)}


WORKERS = {
    ("numnet", "W1"): lambda: numnet_w1(EPOCHS_W1),
    ("numnet", "W2"): lambda: numnet_w2(1),
    ("numnet", "W3"): lambda: numnet_w1(0, predict_only=True),
    ("torch", "W1"): lambda: torch_w1(EPOCHS_W1),
    ("torch", "W2"): lambda: torch_w2(1),
    ("torch", "W3"): lambda: torch_w1(0, predict_only=True),
    ("book", "W2"): lambda: book_w2(1),
    ("numpy", "W1"): lambda: numpy_w1(EPOCHS_W1),
    ("numpy", "W3"): numpy_w3,
    ("numpy_products", "W3"): blas_ceiling_w3,
    ("torch_products", "W3"): torch_products_w3,
    ("torch_products", "W1"): torch_products_w1,
    ("numnet", "W4"): lambda: numnet_w4(1),
    ("torch", "W4"): lambda: torch_w4(1),
}


def worker(framework: str, workload: str) -> None:
    if framework.startswith("torch"):
        import torch

        torch.set_num_threads(THREADS)
    result = WORKERS[framework, workload]()
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({**result, "blas": blas_in_use(framework)}))


def blas_in_use(framework: str) -> str:
    """The BLAS library (and kernel) this worker process computed with."""
    if framework.startswith("torch"):
        import torch

        lines = torch.__config__.show().splitlines()
        blas = [line.strip(" -") for line in lines if "Math Kernel" in line or "MKL-DNN" in line]
        capability = [line.strip(" -") for line in lines if "CPU capability" in line]
        return "; ".join(blas + capability) or "see torch.__config__.show()"
    from threadpoolctl import threadpool_info

    return "; ".join(
        f"{pool['internal_api']} {pool['version']} ({pool.get('architecture', '?')}, "
        f"{pool['num_threads']} threads)"
        for pool in threadpool_info()
        if pool["user_api"] == "blas"
    )


def run_child(framework: str, workload: str) -> dict[str, float]:
    env = {**os.environ, "OMP_NUM_THREADS": str(THREADS), "OPENBLAS_NUM_THREADS": str(THREADS)}
    done = subprocess.run(
        [sys.executable, __file__, "--worker", framework, workload],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"{framework} {workload} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--workloads", default="W1,W2,W3")
    parser.add_argument("--json", default="benchmarks/results.json")
    parser.add_argument("--book", action="store_true", help="also run W2 the book's way")
    parser.add_argument(
        "--worker", nargs=2, metavar=("FRAMEWORK", "WORKLOAD"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.worker:
        worker(*args.worker)
        return
    workloads = args.workloads.split(",")
    results: dict[str, dict[str, list[dict[str, float]]]] = {
        w: {"numnet": [], "torch": []} for w in workloads
    }
    if args.book and "W2" in results:
        results["W2"]["book"] = []
    for by_hand in {"W1", "W3"} & set(results):
        results[by_hand]["numpy"] = []
    if "W1" in results:  # PyTorch's own BLAS floor, beside NumPy's (measured below)
        results["W1"]["torch_products"] = []
    if "W3" in results:  # what NumPy's and PyTorch's BLAS give W3's products alone
        results["W3"]["numpy_products"], results["W3"]["torch_products"] = [], []
    for repeat in range(args.repeats):
        for workload in workloads:
            for framework in results[workload]:  # interleaved
                outcome = run_child(framework, workload)
                results[workload][framework].append(outcome)
                print(f"run {repeat + 1}: {workload} {framework}: {outcome}", flush=True)
    floor = statistics.median(blas_floor() for _ in range(3))
    report = summarise(results, floor)
    if "W1" in results:
        report["floor_w1_with_adam_s_per_epoch"] = statistics.median(
            blas_floor(with_adam=True) for _ in range(3)
        )
    if "W4" in results:
        report["blas_floor_w4_s_per_epoch"] = statistics.median(blas_floor_w4() for _ in range(3))
    print_table(report)
    Path(args.json).write_text(json.dumps(report, indent=2))
    print(f"\nwrote {args.json}")


def summarise(results: dict, floor: float) -> dict:
    import numnet

    try:
        import torch

        torch_version = torch.__version__
    except ImportError:
        torch_version = "not installed"
    rows, spread, blas = {}, {}, {}
    for workload, by_framework in results.items():
        row, ranges = {}, {}
        for framework, runs in by_framework.items():
            blas[framework] = runs[0]["blas"]
            keys = [k for k in runs[0] if k != "blas"]
            row[framework] = {k: statistics.median(r[k] for r in runs) for k in keys}
            ranges[framework] = {
                k: [min(r[k] for r in runs), max(r[k] for r in runs)] for k in keys
            }
        rows[workload], spread[workload] = row, ranges
    return {
        "date": date.today().isoformat(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {THREADS} threads",
        "cpu": cpu_model(),
        "blas": blas,
        "versions": {
            "numnet": numnet.__version__,
            "numpy": np.__version__,
            "torch": torch_version,
            "python": platform.python_version(),
        },
        "blas_floor_w1_s_per_epoch": floor,
        "repeats": len(next(iter(next(iter(results.values())).values()))),
        "workloads": rows,
        "range_over_repeats": spread,
    }


def cpu_model() -> str:
    """The CPU's model name, its family/model/stepping numbers (a virtual machine often
    shows only a generic name: the numbers tell two machines of one kind apart) and its
    widest vector instructions (Linux), else the platform's."""
    try:
        info = Path("/proc/cpuinfo").read_text()
    except OSError:
        return platform.processor() or "unknown"
    fields: dict[str, str] = {}
    for line in info.splitlines():
        key, _, value = line.partition(":")
        fields.setdefault(key.strip(), value.strip())
    numbers = ", ".join(
        f"{key} {fields[key]}" for key in ("cpu family", "model", "stepping") if key in fields
    )
    vector = next(
        (f for f in ("avx512f", "avx2", "avx", "neon") if f in fields.get("flags", "").split()), ""
    )
    details = "; ".join(part for part in (numbers, vector) if part)
    name = fields.get("model name", "unknown")
    return f"{name} ({details})" if details else name


def print_table(report: dict) -> None:
    print(f"\n{report['date']}, {report['machine']}, {report['cpu']}")
    for framework, library in report["blas"].items():
        print(f"  {framework}: {library}")
    print(f"median [min, max] of {report['repeats']} repeats; ratio = numnet / PyTorch (medians)")
    print(f"{'measure':<26}{'numnet':>34}{'PyTorch':>34}{'ratio':>8}")
    labels = {
        "seconds_per_epoch": "s/epoch",
        "accuracy": "test accuracy",
        "train_accuracy": "train accuracy",
        "images_per_s": "images/s",
        "peak_rss_mb": "peak RSS, MB",
    }
    for workload, row in report["workloads"].items():
        ranges = report["range_over_repeats"][workload]
        for key, label in labels.items():
            if key in row["numnet"]:
                cells = [
                    f"{row[f][key]:.4g} [{ranges[f][key][0]:.4g}, {ranges[f][key][1]:.4g}]"
                    for f in ("numnet", "torch")
                ]
                ratio = row["numnet"][key] / row["torch"][key]
                print(f"{workload + ' ' + label:<26}{cells[0]:>34}{cells[1]:>34}{ratio:>8.2f}")
    floor = report["blas_floor_w1_s_per_epoch"]
    print(f"{'W1 BLAS floor, s/epoch':<26}{floor:>34.3g}")
    if "W1" in report["workloads"]:
        ours = report["workloads"]["W1"]["numnet"]["seconds_per_epoch"]
        print(f"W1 numnet / BLAS floor: {ours / floor:.2f}")
        if "torch_products" in report["workloads"]["W1"]:  # reports before 2026-12-07 lack it
            theirs = report["workloads"]["W1"]["torch_products"]["seconds_per_epoch"]
            print(
                f"W1 PyTorch's products alone: {theirs:.3g} s/epoch; NumPy's BLAS floor / "
                f"PyTorch's: {floor / theirs:.2f}"
            )
        with_adam = report["floor_w1_with_adam_s_per_epoch"]
        print(
            f"W1 products + Adam's update alone: {with_adam:.3g} s/epoch, "
            f"{with_adam / floor:.2f}x the BLAS floor"
        )
    if "blas_floor_w4_s_per_epoch" in report:
        print(f"W4 its LSTM's products alone: {report['blas_floor_w4_s_per_epoch']:.3g} s/epoch")
    w3 = report["workloads"].get("W3", {})
    if "numpy_products" in w3:
        cells = []
        for framework in ("numpy_products", "torch_products"):
            low, high = report["range_over_repeats"]["W3"][framework]["images_per_s"]
            cells.append(f"{w3[framework]['images_per_s']:.4g} [{low:.4g}, {high:.4g}]")
        print(f"W3 its matrix products alone, images/s: NumPy {cells[0]}, PyTorch {cells[1]}")
        ours, theirs = w3["numpy_products"]["images_per_s"], w3["torch_products"]["images_per_s"]
        print(
            f"W3 PyTorch's products alone / NumPy's: {theirs / ours:.2f}; NumPy's products "
            f"alone / PyTorch's whole predict: {ours / w3['torch']['images_per_s']:.2f}"
        )
    for workload, key, unit in [
        ("W1", "seconds_per_epoch", "s/epoch"),
        ("W3", "images_per_s", "images/s"),
    ]:
        row = report["workloads"].get(workload, {})
        if "numpy" not in row:
            continue
        value, theirs, ours = (row[f][key] for f in ("numpy", "torch", "numnet"))
        low, high = report["range_over_repeats"][workload]["numpy"][key]
        accuracy = row["numpy"].get("accuracy")
        tested = "" if accuracy is None else f", test accuracy {accuracy:.4f}"
        print(
            f"{workload} by hand in NumPy: {value:.4g} [{low:.4g}, {high:.4g}] {unit}{tested}; "
            f"/ PyTorch {value / theirs:.2f}; numnet / by hand {ours / value:.2f}"
        )
    book = report["workloads"].get("W2", {}).get("book")
    if book:
        ours, theirs = report["workloads"]["W2"]["numnet"], book["seconds_per_epoch"]
        print(
            f"W2 the book's way: {theirs:.3g} s/epoch, test accuracy {book['accuracy']:.4f}; "
            f"numnet is {theirs / ours['seconds_per_epoch']:.1f}x faster"
        )


if __name__ == "__main__":
    main()
