"""`numnet predict MODEL IMAGE...`: the three likeliest classes of each image."""

from __future__ import annotations

import argparse
from typing import Any

import numpy as np

from numnet.cli.common import load_built_model, shaped
from numnet.images import read_digit


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add `predict` and its arguments to `subparsers`; return its parser."""
    predict = subparsers.add_parser("predict", help="classify PNG/JPEG images of digits")
    predict.add_argument("model", help="model file")
    predict.add_argument("images", nargs="+", help="image files (any size, colour or grey)")
    return predict


def run(args: argparse.Namespace) -> int:
    """Print `path: k1 (p1), k2 (p2), k3 (p3)` for every image."""
    model = load_built_model(args.model)
    images = np.stack([read_digit(path) for path in args.images])
    probabilities = model.predict(shaped(images, model.sample_shape))
    for path, p in zip(args.images, probabilities, strict=True):
        top = np.argsort(p)[::-1][:3]
        ranked = ", ".join(f"{k} ({p[k]:.1%})" for k in top)
        print(f"{path}: {ranked}")
    return 0
