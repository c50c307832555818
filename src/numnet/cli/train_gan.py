"""`numnet train --model gan|dcgan`: play the GAN game on MNIST, then score the digits.

Writes generator.npz (noise (N, latent_dim) -> images (N, 28, 28, 1) in [0, 1]), a sample
grid per epoch (the same noise every epoch), curves.png (losses and D's accuracies) and
metrics.json with the scores of the generated digits, of the untrained generator and of
real training digits, all measured by one MNIST classifier.
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

import numnet
from numnet import gan_zoo
from numnet.callbacks import SampleGrid
from numnet.cli.common import (
    CommandError,
    check_writable,
    diverged,
    json_safe,
    load_split,
    versions,
)
from numnet.generative import mnist_classifier, reference_scores, score_images
from numnet.models import load_model

SCORED_IMAGES = 2000  # generated digits scored per measurement


def run(args: argparse.Namespace) -> int:
    """Train the named GAN, print and save its scores; return the exit status."""
    recipe = gan_zoo.GANS[args.model.lower()]
    epochs, batch_size = args.epochs or recipe.epochs, args.batch_size or recipe.batch_size
    numnet.random.seed(args.seed)
    out = Path(args.out or Path("runs") / datetime.now().strftime("%Y%m%d-%H%M%S"))
    x_train, _ = load_split(args.dataset, "train", args.train_limit)
    x_train = x_train.reshape(-1, 28, 28, 1)
    classifier = load_model(args.classifier) if args.classifier else mnist_classifier()
    gan = recipe.build(gan_zoo.LATENT_DIM)
    check_writable(out)  # now, not after the training has run
    untrained = score_images(gan.generate(SCORED_IMAGES, seed=args.seed), classifier)
    print(f"Training {args.model} on {args.dataset}: {len(x_train)} images, {epochs} epochs")
    grids = SampleGrid(str(out / "samples" / "epoch_{epoch:03d}.png"), n=64, seed=args.seed)
    start = time.perf_counter()
    history = gan.fit(x_train, batch_size=batch_size, epochs=epochs, seed=args.seed,
                      callbacks=[grids])  # fmt: skip
    wall = time.perf_counter() - start
    if problem := diverged(history.history):
        raise CommandError(f"training diverged ({problem}); no generator was saved")
    scores = {
        "generated": score_images(gan.generate(SCORED_IMAGES, seed=args.seed), classifier),
        "untrained_generator": untrained,
        "real_training_digits": reference_scores(classifier, n=SCORED_IMAGES),
    }
    _print_scores(scores)
    out.mkdir(parents=True, exist_ok=True)
    gan.generator.save(out / "generator.npz")
    metrics = {
        "config": {"model": args.model, "dataset": args.dataset, "epochs": epochs,
                   "batch_size": batch_size, "seed": args.seed, "train_samples": len(x_train)},
        "history": history.history,
        "scores": scores,
        "wall_time_s": wall,
        "seconds_per_epoch": wall / max(len(history.history.get("d_loss", [])), 1),
        "versions": versions(),
    }  # fmt: skip
    text = json.dumps(json_safe(metrics), indent=2, allow_nan=False, default=_plain)
    (out / "metrics.json").write_text(text)
    written = ["generator.npz", "metrics.json", "samples/", *_curves(out, history.history)]
    print(f"Wrote {', '.join(written)} to {out}")
    return 0


def _plain(value: Any) -> Any:
    """NumPy numbers and arrays as JSON numbers and lists."""
    return value.tolist() if isinstance(value, np.ndarray | np.generic) else str(value)


def _print_scores(scores: dict[str, dict[str, Any]]) -> None:
    """One line per image set: classes present, largest class share, confidence, IS, FD."""
    print("Scores by an MNIST classifier (classes present, largest share, mean confidence, "
          "inception score, Frechet distance to real test digits):")  # fmt: skip
    for name, s in scores.items():
        print(
            f"  {name:<21} {s['classes_present']:>2} classes, max share "
            f"{s['max_class_share']:.1%}, confidence {s['mean_confidence']:.3f}, "
            f"IS {s['inception_score']:.2f}, FD {s['frechet_distance']:.2f}"
        )


def _curves(out: Path, history: dict[str, list[float]]) -> list[str]:
    """curves.png: the two losses and D's two accuracies per epoch (when matplotlib is there)."""
    try:
        from numnet import plot

        plt = plot.pyplot()
    except ImportError:
        return []
    epochs = np.arange(1, len(history["d_loss"]) + 1)
    fig, (losses, accuracy) = plt.subplots(1, 2, figsize=(10, 3.8))
    for key in ("d_loss", "g_loss"):
        losses.plot(epochs, history[key], marker="o", label=key)
    for key in ("d_acc_real", "d_acc_fake"):
        accuracy.plot(epochs, history[key], marker="o", label=key)
    accuracy.axhline(0.5, color="grey", linestyle=":", label="chance")
    losses.set(title="losses", xlabel="epoch")
    accuracy.set(title="discriminator accuracy", xlabel="epoch", ylim=(0, 1.02))
    for ax in (losses, accuracy):
        ax.legend()
    fig.tight_layout()
    fig.savefig(out / "curves.png", dpi=100)
    plt.close(fig)
    return ["curves.png"]
