"""`numnet train`: train a named network on MNIST and save it with its curves."""

from __future__ import annotations

import argparse
import json
import time
import traceback
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

import numnet
from numnet import distributed, gan_zoo, optimizers, plot, zoo
from numnet.cli import train_gan
from numnet.cli.common import (
    CommandError,
    check_writable,
    diverged,
    json_safe,
    load_split,
    one_line,
    positive_float,
    positive_int,
    shaped,
    versions,
)
from numnet.layers import Conv2D
from numnet.models import Model
from numnet.naming import lookup
from numnet.visualize import draw_cnn


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add `train` and its flags to `subparsers`; return its parser."""
    train = subparsers.add_parser(
        "train", help="train a network on MNIST and save it with its curves"
    )
    models = ", ".join(
        f"{k} ({v.description})" for k, v in [*zoo.MODELS.items(), *gan_zoo.GANS.items()]
    )
    train.add_argument("--model", default="mlp", help=f"network to train: {models}")
    train.add_argument("--dataset", default="mnist", help="mnist or fashion_mnist")
    train.add_argument(
        "--epochs", type=positive_int, default=None, help="passes over the data (model default)"
    )
    train.add_argument(
        "--batch-size", type=positive_int, default=None, help="samples per step (model default)"
    )
    train.add_argument(
        "--optimizer", default="adam", help=f"one of {', '.join(optimizers.OPTIMIZERS)}"
    )
    train.add_argument(
        "--lr", type=positive_float, default=None, help="learning rate (optimizer default)"
    )
    train.add_argument("--seed", type=int, default=0, help="random seed (0)")
    train.add_argument("--out", default=None, help="output folder (runs/<timestamp>)")
    train.add_argument(
        "--train-limit",
        type=positive_int,
        default=None,
        help="use only the first N training images",
    )
    train.add_argument(
        "--test-limit", type=positive_int, default=None, help="use only the first N test images"
    )
    train.add_argument(
        "--classifier", default=None, help="GANs: the MNIST classifier file that scores digits"
    )
    train.add_argument(
        "--distributed",
        action="store_true",
        help="train data-parallel in the processes of mpiexec -n K (numnet.distributed): "
        "--batch-size is then the batch of all K together",
    )
    return train


def run(args: argparse.Namespace) -> int:
    """Train, print the test accuracy, and write model, metrics and pictures to --out.

    With --distributed, in each process of ``mpiexec -n K``: all of them train (each on
    its share of every batch), rank 0 alone prints, tests and writes."""
    if args.model.lower() in gan_zoo.GANS:
        if args.distributed:
            raise CommandError("--distributed trains the classifiers of --model, not GANs")
        return train_gan.run(args)
    if not args.distributed:
        return _train(args, distributed.World())
    world = _join_processes()
    try:
        return _train(args, world)
    except distributed.DistributedError:  # every process raises it alike: rank 0 reports it
        if world.rank == 0:
            raise
        return 1
    except Exception as error:  # this process alone: end the others now, not at a timeout
        if world.size == 1:
            raise
        if args.debug:
            traceback.print_exc()
        world.abort(f"rank {world.rank}: {one_line(error)}")
        raise


def _join_processes() -> distributed.World:
    """The processes of ``mpiexec -n K numnet train --distributed``; a CommandError
    without mpi4py or outside mpiexec."""
    try:
        import mpi4py  # noqa: F401  (the package only: MPI starts with mpi4py.MPI)
    except ImportError as error:
        raise CommandError(
            "--distributed needs mpi4py and an MPI: pip install 'numnet[distributed]'"
        ) from error
    if not distributed.launched_by_mpiexec():
        raise CommandError(
            "--distributed trains in the processes mpiexec starts: "
            "mpiexec -n 2 numnet train --distributed ..."
        )
    return distributed.init()


def _train(args: argparse.Namespace, world: distributed.World) -> int:
    """Train one zoo network in `world`'s processes; rank 0 alone prints and writes."""
    entry = lookup("model", args.model, zoo.MODELS)
    epochs = args.epochs or entry.epochs
    args.batch_size = args.batch_size or entry.batch_size
    numnet.random.seed(args.seed)
    out = Path(args.out or Path("runs") / datetime.now().strftime("%Y%m%d-%H%M%S"))
    x_train, y_train = load_split(args.dataset, "train", args.train_limit)
    x_test, y_test = load_split(args.dataset, "test", args.test_limit)
    x_train, x_test = shaped(x_train, entry.sample_shape), shaped(x_test, entry.sample_shape)
    model = entry.build()
    steps_per_epoch = -(-len(x_train) // args.batch_size)
    optimizer = _optimizer(args.optimizer, args.lr, entry, steps_per_epoch)
    if world.size > 1:
        optimizer = distributed.DistributedOptimizer(optimizer, world)
    model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    lead = world.rank == 0  # the process that prints and writes
    if lead:
        check_writable(out)  # now, not after the training has run
        print(f"Training {args.model} on {args.dataset}: {len(x_train)} images, {epochs} epochs")
    is_cnn = any(isinstance(layer, Conv2D) for layer in model.layers)
    pictures = _draw_cnn(model, x_test[0], out, "before") if is_cnn and lead else []
    start = time.perf_counter()
    history = model.fit(
        x_train, y_train, batch_size=args.batch_size, epochs=epochs,
        validation_data=(x_test, y_test), verbose=1, seed=args.seed,
    )  # fmt: skip
    wall = time.perf_counter() - start
    if not lead:
        return 0
    if problem := diverged(history.history):
        raise CommandError(f"training diverged ({problem}); no model was saved: try a smaller --lr")
    test_loss, test_accuracy = model.evaluate(x_test, y_test, batch_size=1000)
    print(f"Test accuracy: {test_accuracy:.4f} (test loss {test_loss:.4f}, {wall:.1f}s)")
    counts = {"epochs": epochs, "train_samples": len(x_train), "test_samples": len(x_test)}
    counts["processes"] = world.size
    metrics = _metrics(args, counts, history.history, test_loss, test_accuracy, wall)
    written = _save(out, model, metrics, f"{args.model} on {args.dataset}")
    if is_cnn:
        pictures += _draw_cnn(model, x_test[0], out, "after")
    print(f"Wrote {', '.join(written + pictures)} to {out}")
    return 0


def _optimizer(
    name: str, lr: float | None, entry: zoo.ZooEntry, steps: int
) -> optimizers.Optimizer:
    """The named optimizer at `lr`, else at the entry's learning rate (tuned for Adam),
    else at its own default; with the entry's `lr_decay` the rate shrinks by that factor
    each epoch, and the entry's `clipnorm` clips the gradients."""
    optimizer_cls = lookup("optimizer", name, optimizers.OPTIMIZERS)
    tuned = entry.learning_rate if optimizer_cls is optimizers.Adam else None
    learning_rate = lr or tuned or optimizer_cls().current_learning_rate
    return entry.optimizer(optimizer_cls, learning_rate, steps)


def _metrics(
    args: argparse.Namespace,
    counts: dict[str, int],
    history: dict[str, list[float]],
    test_loss: float,
    test_accuracy: float,
    wall: float,
) -> dict[str, Any]:
    """What metrics.json records: the configuration, curves, test scores, time, versions."""
    config = {
        key: getattr(args, key)
        for key in ("model", "dataset", "batch_size", "optimizer", "lr", "seed")
    }
    return {
        "config": {**config, **counts},
        "history": history,
        "test_loss": test_loss,
        "test_accuracy": test_accuracy,
        "wall_time_s": wall,
        "seconds_per_epoch": wall / max(len(history.get("loss", [])), 1),
        "versions": versions(),
    }


def _save(out: Path, model: Model, metrics: dict[str, Any], title: str) -> list[str]:
    """Write model.npz, metrics.json and (with matplotlib) curves.png; return their names."""
    out.mkdir(parents=True, exist_ok=True)
    model.save(out / "model.npz")
    (out / "metrics.json").write_text(json.dumps(json_safe(metrics), indent=2, allow_nan=False))
    written = ["model.npz", "metrics.json"]
    try:
        plot.training_curves(metrics["history"], out / "curves.png", title, "test set")
        written.append("curves.png")
    except ImportError as error:
        print(f"note: {error}; skipped curves.png")
    return written


def _draw_cnn(model: Model, image: np.ndarray, out: Path, label: str) -> list[str]:
    """The first conv layer's filters and feature maps, when matplotlib is there."""
    try:
        return [path.name for path in draw_cnn(model, image, out, label)]
    except ImportError:
        return []
