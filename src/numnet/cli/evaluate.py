"""`numnet evaluate MODEL`: test loss, accuracy and confusion matrix of a saved model."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import numpy as np

from numnet import plot
from numnet.cli.common import (
    CLASS_NAMES,
    CommandError,
    load_built_model,
    load_split,
    positive_int,
    shaped,
)


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add `evaluate` and its flags to `subparsers`; return its parser."""
    evaluate = subparsers.add_parser(
        "evaluate", help="test loss, accuracy and confusion matrix of a model"
    )
    evaluate.add_argument("model", help="model file written by numnet train or model.save")
    evaluate.add_argument("--dataset", default="mnist", help="mnist or fashion_mnist")
    evaluate.add_argument(
        "--limit", type=positive_int, default=None, help="use only the first N test images"
    )
    return evaluate


def run(args: argparse.Namespace) -> int:
    """Print the test scores and confusion matrix; write it as a PNG next to the model."""
    model = load_built_model(args.model)
    x, y = load_split(args.dataset, "test", args.limit)
    x = shaped(x, model.sample_shape)
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
    _print_matrix(matrix)
    _draw_matrix(matrix, args.model, args.dataset)
    return 0


def _print_matrix(matrix: np.ndarray) -> None:
    print("Confusion matrix (rows: true class, columns: predicted class):")
    print("      " + " ".join(f"{c:>5}" for c in range(10)))
    for label, row in enumerate(matrix):
        print(f"{label:>5} " + " ".join(f"{n:>5}" for n in row))


def _draw_matrix(matrix: np.ndarray, model_path: str, dataset: str) -> None:
    """<model>-confusion.png beside the model file; a note instead without matplotlib."""
    target = Path(model_path).with_name(Path(model_path).stem + "-confusion.png")
    try:
        names = CLASS_NAMES[dataset] if dataset != "mnist" else None
        plot.confusion_matrix(matrix, target, names, f"{Path(model_path).name} on {dataset}")
        print(f"Wrote {target}")
    except ImportError as error:
        print(f"note: {error}; skipped the confusion-matrix PNG")
