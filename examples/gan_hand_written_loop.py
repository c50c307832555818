"""The GAN game of the notes written as a plain loop, without `numnet.models.GAN`.

Two networks and two optimizers, and each step has the two phases:
1. the generator G fixed: the discriminator D learns real -> 1, generated -> 0;
2. D fixed: G learns to make D answer 1 for its images.
Nothing here is special to GANs: the same layers, losses and optimizers as any model.

Run: NUMNET_DATA=../shared/datasets python examples/gan_hand_written_loop.py
"""

from __future__ import annotations

import numpy as np

import numnet
from numnet import functional as F
from numnet import layers, optimizers
from numnet.datasets import DataLoader, mnist

LATENT_DIM = 64


def networks() -> tuple[numnet.Sequential, numnet.Sequential]:
    """G: noise -> 28x28 image in [0, 1]; D: image -> one logit (real if > 0)."""
    generator = numnet.Sequential(
        [
            numnet.Input((LATENT_DIM,)),
            layers.Dense(256),
            layers.LeakyReLU(0.2),
            layers.Dense(784, activation="sigmoid"),
            layers.Reshape((28, 28, 1)),
        ]
    )
    discriminator = numnet.Sequential(
        [
            numnet.Input((28, 28, 1)),
            layers.Flatten(),
            layers.Dense(256),
            layers.LeakyReLU(0.2),
            layers.Dense(1),
        ]
    )
    return generator, discriminator


def step(optimizer: optimizers.Optimizer, params: list, loss: numnet.Tensor) -> None:
    """One gradient step on `params` only."""
    optimizer.zero_grad(params)
    loss.backward()
    optimizer.step(params)


def main(epochs: int = 5, train_limit: int | None = None, seed: int = 0) -> dict[str, list]:
    """Train; return per-epoch mean losses and D's accuracy on generated images."""
    numnet.random.seed(seed)
    rng = np.random.default_rng(seed)
    (x_train, _), _ = mnist.load_data()
    real_images = (x_train[:train_limit, :, :, None] / 255).astype(np.float32)
    generator, discriminator = networks()
    d_optimizer = optimizers.Adam(2e-4, beta_1=0.5)
    g_optimizer = optimizers.Adam(2e-4, beta_1=0.5)
    bce = F.binary_cross_entropy_with_logits
    log: dict[str, list] = {"d_loss": [], "g_loss": [], "d_acc_fake": []}
    for epoch in range(epochs):
        generator.train(), discriminator.train()
        d_losses, g_losses, caught = [], [], []
        for real, _ in DataLoader(real_images, None, 64, shuffle=True, rng=rng):
            n = len(real)
            ones, zeros = np.ones((n, 1), np.float32), np.zeros((n, 1), np.float32)
            # Phase 1: G fixed (detach() cuts its images from its graph), D learns.
            fake = generator(rng.standard_normal((n, LATENT_DIM)).astype(np.float32)).detach()
            fake_score = discriminator(fake)
            d_loss = bce(discriminator(real), ones) + bce(fake_score, zeros)
            step(d_optimizer, discriminator.trainable_weights, d_loss)
            # Phase 2: D fixed (only G's weights step), G learns to be called real.
            noise = rng.standard_normal((n, LATENT_DIM)).astype(np.float32)
            g_loss = bce(discriminator(generator(noise)), ones)
            step(g_optimizer, generator.trainable_weights, g_loss)
            d_losses.append(d_loss.item()), g_losses.append(g_loss.item())
            caught.append(float((fake_score.data < 0).mean()))
        log["d_loss"].append(float(np.mean(d_losses)))
        log["g_loss"].append(float(np.mean(g_losses)))
        log["d_acc_fake"].append(float(np.mean(caught)))
        print(f"epoch {epoch + 1}: d_loss {log['d_loss'][-1]:.3f}, g_loss {log['g_loss'][-1]:.3f},"
              f" D catches {log['d_acc_fake'][-1]:.1%} of the fakes")  # fmt: skip
    log["generator"] = generator
    return log


if __name__ == "__main__":
    main()
