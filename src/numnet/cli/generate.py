"""`numnet generate GENERATOR`: draw images from a saved generator as a PNG grid."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import numpy as np

from numnet.cli.common import CommandError, load_built_model, positive_int
from numnet.models import Model
from numnet.visualize import image_grid

# A flat output of this many values is read as one MNIST-sized image.
FLAT_IMAGE = {784: (28, 28, 1)}
EXPECTED = "noise (latent_dim,) to images (28, 28, 1), (28, 28) or (784,)"


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add `generate` and its flags to `subparsers`; return its parser."""
    generate = subparsers.add_parser(
        "generate", help="draw images from a generator (e.g. a GAN's) as a PNG grid"
    )
    generate.add_argument(
        "generator", help="generator model file (generator.npz from numnet train --model gan)"
    )
    generate.add_argument("--n", type=positive_int, default=64, help="how many images (64)")
    generate.add_argument("--out", default="grid.png", help="PNG grid to write (grid.png)")
    generate.add_argument(
        "--npy", default=None, help="also save the images as float32 (n, H, W, C) .npy"
    )
    generate.add_argument(
        "--seed", type=int, default=None, help="noise seed: the same seed, the same images"
    )
    return generate


def run(args: argparse.Namespace) -> int:
    """Draw N(0, 1) noise, run the generator on it, write the grid (and the .npy)."""
    model = load_built_model(args.generator)
    latent_dim, image_shape = generator_shapes(model, args.generator)
    rng = np.random.default_rng(args.seed)
    noise = rng.standard_normal((args.n, latent_dim))
    images = model.predict(noise, batch_size=256).reshape(args.n, *image_shape)
    images = np.clip(images, 0.0, 1.0).astype(np.float32)
    seed = "" if args.seed is None else f", seed {args.seed}"
    title = f"{Path(args.generator).name}: {args.n} samples{seed}"
    written = [str(image_grid(images, args.out, title))]
    if args.npy:
        Path(args.npy).parent.mkdir(parents=True, exist_ok=True)
        np.save(args.npy, images, allow_pickle=False)
        written.append(args.npy)
    print(f"Wrote {' and '.join(written)} ({args.n} images from {args.generator}{seed})")
    return 0


def generator_shapes(model: Model, path: str) -> tuple[int, tuple[int, ...]]:
    """(latent_dim, shape of one image as (H, W, C)) of a model mapping (N, latent_dim)
    noise to (N, H, W, C) with C = 1 or 3, (N, H, W) or (N, 784) images; a CommandError
    naming the file and what was expected for any other model (a classifier, say)."""
    inputs = [tuple(t.shape[1:]) for t in model.inputs]
    outputs = [tuple(t.shape[1:]) for t in model.outputs]
    if len(inputs) == 1 and len(inputs[0]) == 1 and len(outputs) == 1:
        image_shape = _image_shape(outputs[0])
        if image_shape is not None:
            return int(inputs[0][0]), image_shape
    mapping = f"{_describe(inputs)} to {_describe(outputs)}"
    raise CommandError(f"{path} is not an image generator: it maps {mapping}; expected {EXPECTED}")


def _image_shape(shape: tuple[Any, ...]) -> tuple[int, ...] | None:
    """One output sample's shape as (H, W, C), or None when it is not an image."""
    if not all(isinstance(n, int | np.integer) for n in shape):
        return None
    if len(shape) == 1:
        return FLAT_IMAGE.get(shape[0])
    if len(shape) == 2:
        return (*shape, 1)
    if len(shape) == 3 and shape[-1] in (1, 3):
        return shape
    return None


def _describe(shapes: list[tuple[Any, ...]]) -> str:
    return ", ".join(str(shape) for shape in shapes) if shapes else "nothing"
