"""The `numnet` command line: train, evaluate, predict, info."""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import numpy as np

import numnet
from numnet import optimizers, plot, zoo
from numnet.datasets import fashion_mnist, files, mnist
from numnet.experiments import EXPERIMENTS
from numnet.experiments.report import write_index
from numnet.layers import Conv2D
from numnet.models import Model, load_model
from numnet.naming import lookup
from numnet.optimizers import schedules
from numnet.visualize import draw_cnn

DATASETS = {"mnist": mnist, "fashion_mnist": fashion_mnist}
CLASS_NAMES = {
    "mnist": [str(i) for i in range(10)],
    "fashion_mnist": list(fashion_mnist.CLASS_NAMES),
}


class CommandError(Exception):
    """A problem to report in one line, without a traceback."""


def load_split(dataset: str, split: str, limit: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Images scaled to [0, 1] (float32) and integer labels of the train or test split."""
    module = lookup("dataset", dataset, DATASETS)
    (x_train, y_train), (x_test, y_test) = module.load_data()
    x, y = (x_train, y_train) if split == "train" else (x_test, y_test)
    if limit is not None:
        x, y = x[:limit], y[:limit]
    return x.astype(np.float32) / 255.0, y.astype(np.int64)


def _shaped(x: np.ndarray, sample_shape: Sequence[int]) -> np.ndarray:
    return x.reshape(len(x), *sample_shape)


def _train(args: argparse.Namespace) -> int:
    entry = lookup("model", args.model, zoo.MODELS)
    epochs = args.epochs or entry.epochs
    args.batch_size = args.batch_size or entry.batch_size
    numnet.random.seed(args.seed)
    out = Path(args.out or Path("runs") / datetime.now().strftime("%Y%m%d-%H%M%S"))
    x_train, y_train = load_split(args.dataset, "train", args.train_limit)
    x_test, y_test = load_split(args.dataset, "test", args.test_limit)
    x_train, x_test = _shaped(x_train, entry.sample_shape), _shaped(x_test, entry.sample_shape)
    model = entry.build()
    optimizer = _optimizer(
        args.optimizer, args.lr, entry.lr_decay, -(-len(x_train) // args.batch_size)
    )
    model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    print(f"Training {args.model} on {args.dataset}: {len(x_train)} images, {epochs} epochs")
    is_cnn = any(isinstance(layer, Conv2D) for layer in model.layers)
    pictures: list[str] = []
    if is_cnn:
        pictures += _draw_cnn(model, x_test[0], out, "before")
    start = time.perf_counter()
    history = model.fit(
        x_train, y_train, batch_size=args.batch_size, epochs=epochs,
        validation_data=(x_test, y_test), verbose=1, seed=args.seed,
    )  # fmt: skip
    wall = time.perf_counter() - start
    test_loss, test_accuracy = model.evaluate(x_test, y_test, batch_size=1000)
    print(f"Test accuracy: {test_accuracy:.4f} (test loss {test_loss:.4f}, {wall:.1f}s)")
    out.mkdir(parents=True, exist_ok=True)
    model.save(out / "model.npz")
    config = {
        key: getattr(args, key)
        for key in ("model", "dataset", "batch_size", "optimizer", "lr", "seed")
    }
    metrics = {
        "config": {
            **config,
            "epochs": epochs,
            "train_samples": len(x_train),
            "test_samples": len(x_test),
        },
        "history": history.history,
        "test_loss": test_loss,
        "test_accuracy": test_accuracy,
        "wall_time_s": wall,
        "seconds_per_epoch": wall / max(len(history.history.get("loss", [])), 1),
        "versions": _versions(),
    }
    (out / "metrics.json").write_text(json.dumps(metrics, indent=2))
    written = ["model.npz", "metrics.json"]
    try:
        plot.training_curves(
            history.history, out / "curves.png", f"{args.model} on {args.dataset}", "test set"
        )
        written.append("curves.png")
    except ImportError as error:
        print(f"note: {error}; skipped curves.png")
    if is_cnn:
        pictures += _draw_cnn(model, x_test[0], out, "after")
    print(f"Wrote {', '.join(written + pictures)} to {out}")
    return 0


def _optimizer(
    name: str, lr: float | None, decay: float | None, steps: int
) -> optimizers.Optimizer:
    """The named optimizer; with `decay`, its learning rate shrinks by that factor each epoch."""
    optimizer_cls = lookup("optimizer", name, optimizers.OPTIMIZERS)
    learning_rate = lr or optimizer_cls().current_learning_rate
    if decay:
        learning_rate = schedules.ExponentialDecay(learning_rate, steps, decay, staircase=True)
    return optimizer_cls(learning_rate=learning_rate)


def _draw_cnn(model: Model, image: np.ndarray, out: Path, label: str) -> list[str]:
    """The first conv layer's filters and feature maps, when matplotlib is there."""
    try:
        return [path.name for path in draw_cnn(model, image, out, label)]
    except ImportError:
        return []


def _load(path: str) -> Model:
    if not Path(path).exists():
        raise CommandError(f"model file {path} does not exist")
    model = load_model(path)
    if model.sample_shape is None:
        raise CommandError(f"{path} holds a model that was never built (no input shape)")
    return model


def _evaluate(args: argparse.Namespace) -> int:
    model = _load(args.model)
    x, y = load_split(args.dataset, "test", args.limit)
    x = _shaped(x, model.sample_shape)
    if model.loss is None:
        model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    probabilities = model.predict(x, batch_size=1000)
    if probabilities.ndim != 2 or probabilities.shape[1] != 10:
        raise CommandError(f"{args.model} outputs shape {probabilities.shape[1:]}, not 10 classes")
    scores = model.evaluate(x, y, batch_size=1000, return_dict=True)
    predicted = probabilities.argmax(1)
    matrix = np.zeros((10, 10), dtype=np.int64)
    np.add.at(matrix, (y, predicted), 1)
    accuracy = (predicted == y).mean()
    print(f"Test loss: {scores['loss']:.4f}  test accuracy: {accuracy:.4f}  ({len(y)} images)")
    print("Confusion matrix (rows: true class, columns: predicted class):")
    print("      " + " ".join(f"{c:>5}" for c in range(10)))
    for label, row in enumerate(matrix):
        print(f"{label:>5} " + " ".join(f"{n:>5}" for n in row))
    target = Path(args.model).with_name(Path(args.model).stem + "-confusion.png")
    try:
        names = CLASS_NAMES[args.dataset] if args.dataset != "mnist" else None
        plot.confusion_matrix(matrix, target, names, f"{Path(args.model).name} on {args.dataset}")
        print(f"Wrote {target}")
    except ImportError as error:
        print(f"note: {error}; skipped the confusion-matrix PNG")
    return 0


def _predict(args: argparse.Namespace) -> int:
    from numnet.images import read_digit

    model = _load(args.model)
    images = np.stack([read_digit(path) for path in args.images])
    probabilities = model.predict(_shaped(images, model.sample_shape))
    for path, p in zip(args.images, probabilities, strict=True):
        top = np.argsort(p)[::-1][:3]
        ranked = ", ".join(f"{k} ({p[k]:.1%})" for k in top)
        print(f"{path}: {ranked}")
    return 0


def _experiment(args: argparse.Namespace) -> int:
    out = Path(args.out or Path("runs") / "experiments")
    if args.name == "list":
        for name, module in EXPERIMENTS.items():
            print(f"{name:<22}{module.DESCRIPTION}")
        return 0
    names = list(EXPERIMENTS) if args.name == "all" else [args.name]
    modules = [lookup("experiment", name, EXPERIMENTS) for name in names]
    done = []
    for name, module in zip(names, modules, strict=True):
        start = time.perf_counter()
        folder = out / name if args.name == "all" else out
        result = module.run(folder, seed=args.seed, quick=args.quick)
        seconds = time.perf_counter() - start
        print(f"{name} ({seconds:.1f}s): {result.claim}")
        for key, value in result.numbers.items():
            print(f"  {key}: {value}")
        done.append((name, result, seconds))
    if args.name == "all":
        print(f"Wrote {write_index(done, out)}")
    else:
        print(f"Wrote {', '.join(f.file for f in done[0][1].figures)} and results.json to {out}")
    return 0


def _versions() -> dict[str, str]:
    return {
        "numnet": numnet.__version__,
        "numpy": np.__version__,
        "python": platform.python_version(),
    }


def _info(args: argparse.Namespace) -> int:
    print(" ".join(f"{name} {version}" for name, version in _versions().items()))
    print(f"NUMNET_DATA: {os.environ.get('NUMNET_DATA') or '(not set)'}")
    print(f"cache folder: {files.cache_dir()}")
    for name, module in DATASETS.items():
        found = files.locate(module.DATASET)
        where = found["x_train"].parent if found else "not found (will be downloaded on first use)"
        print(f"{name}: {where}")
    return 0


def positive_int(text: str) -> int:
    """An argparse type: a whole number >= 1."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 1, got {text!r}")
    return value


def positive_float(text: str) -> float:
    """An argparse type: a number > 0."""
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0:
        raise argparse.ArgumentTypeError(f"expected a number > 0, got {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every numnet command."""
    parser = argparse.ArgumentParser(
        prog="numnet", description="numnet: deep learning from scratch on NumPy."
    )
    parser.add_argument("--version", action="version", version=f"numnet {numnet.__version__}")
    parser.add_argument("--debug", action="store_true", help="show full tracebacks on errors")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    train = commands.add_parser(
        "train", help="train a network on MNIST and save it with its curves"
    )
    models = ", ".join(f"{k} ({v.description})" for k, v in zoo.MODELS.items())
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
    train.set_defaults(run=_train)

    evaluate = commands.add_parser(
        "evaluate", help="test loss, accuracy and confusion matrix of a model"
    )
    evaluate.add_argument("model", help="model file written by numnet train or model.save")
    evaluate.add_argument("--dataset", default="mnist", help="mnist or fashion_mnist")
    evaluate.add_argument(
        "--limit", type=positive_int, default=None, help="use only the first N test images"
    )
    evaluate.set_defaults(run=_evaluate)

    predict = commands.add_parser("predict", help="classify PNG/JPEG images of digits")
    predict.add_argument("model", help="model file")
    predict.add_argument("images", nargs="+", help="image files (any size, colour or grey)")
    predict.set_defaults(run=_predict)

    experiment = commands.add_parser(
        "experiment", help="reproduce a claim of the notes as a figure"
    )
    experiment.add_argument("name", help=f"list, all, or one of: {', '.join(EXPERIMENTS)}")
    experiment.add_argument("--out", default=None, help="output folder (runs/experiments)")
    experiment.add_argument("--seed", type=int, default=0, help="random seed (0)")
    experiment.add_argument("--quick", action="store_true", help="a reduced, faster configuration")
    experiment.set_defaults(run=_experiment)

    info = commands.add_parser("info", help="versions, where data is found, the cache folder")
    info.set_defaults(run=_info)
    return parser


EXPECTED_ERRORS = (CommandError, FileNotFoundError, ValueError, ImportError, OSError, TypeError)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (1 with a one-line message on errors)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        return 0
    try:
        return int(args.run(args))
    except EXPECTED_ERRORS as error:
        if args.debug:
            raise
        message = str(error).strip().splitlines()
        print(
            f"numnet {args.command}: error: {message[0] if message else type(error).__name__}",
            file=sys.stderr,
        )
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
