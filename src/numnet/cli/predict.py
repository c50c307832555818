"""`numnet predict MODEL IMAGE...`: the three likeliest classes of each image."""

from __future__ import annotations

import argparse
import sys
from typing import Any

import numpy as np

from numnet.cli.common import load_built_model, one_line, shaped
from numnet.images import read_digit


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add `predict` and its arguments to `subparsers`; return its parser."""
    predict = subparsers.add_parser("predict", help="classify PNG/JPEG images of digits")
    predict.add_argument("model", help="model file")
    predict.add_argument("images", nargs="+", help="image files (any size, colour or grey)")
    return predict


def run(args: argparse.Namespace) -> int:
    """Print `path: k1 (p1), k2 (p2), k3 (p3)` for every image, and one line on stderr for
    each image that cannot be read; the exit status is 1 when any could not."""
    model = load_built_model(args.model)
    readable, images = [], []
    for path in args.images:
        try:
            images.append(read_digit(path))
            readable.append(path)
        except (ValueError, OSError) as error:
            print(f"numnet predict: error: {one_line(error)}", file=sys.stderr)
    if images:
        probabilities = model.predict(shaped(np.stack(images), model.sample_shape))
        for path, p in zip(readable, probabilities, strict=True):
            top = np.argsort(p)[::-1][:3]
            ranked = ", ".join(f"{k} ({p[k]:.1%})" for k in top)
            print(f"{path}: {ranked}")
    return 0 if len(readable) == len(args.images) else 1
