"""`numnet export MODEL --out model.onnx`: a saved model as an ONNX file."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from numnet.cli.common import load_built_model


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add `export` and its flags to `subparsers`; return its parser."""
    export = subparsers.add_parser(
        "export", help="write a saved model as ONNX, for onnxruntime and other runtimes"
    )
    export.add_argument("model", help="model file (model.npz from numnet train, or model.save)")
    export.add_argument(
        "--out", default=None, help="ONNX file to write (default: MODEL with suffix .onnx)"
    )
    return export


def run(args: argparse.Namespace) -> int:
    """Load the model, export it, and say what was written."""
    from numnet.onnx import OPSET, export  # their onnx package is optional: load it here

    model = load_built_model(args.model)
    out = Path(args.out) if args.out else Path(args.model).with_suffix(".onnx")
    export(model, out)
    inputs = ", ".join(f"{t.node.layer.name} {_shape(t.shape)}" for t in model.inputs)
    outputs = ", ".join(
        f"{name} {_shape(t.shape)}"
        for name, t in zip(model.output_names, model.outputs, strict=True)
    )
    print(f"Wrote {out} (ONNX opset {OPSET}; inputs: {inputs}; outputs: {outputs})")
    return 0


def _shape(shape: tuple[int | None, ...]) -> str:
    """(N, 28, 28, 1) for (None, 28, 28, 1)."""
    return "(" + ", ".join("N" if i == 0 else str(n) for i, n in enumerate(shape)) + ")"
