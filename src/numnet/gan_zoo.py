"""Named GANs for `numnet train --model gan|dcgan`: a generator and a discriminator for
28x28 grey digits in [0, 1], the optimizers of their recipe, and default epochs.

* `gan`: multilayer perceptrons with leaky ReLU (as in Goodfellow et al., 2014, with the
  batch normalisation and Adam settings DCGAN made standard), minutes on two cores.
* `dcgan`: Radford, Metz & Chintala (2015): a Conv2DTranspose generator with batch
  normalisation, a strided-convolution discriminator with leaky ReLU, weights drawn from
  N(0, 0.02), Adam with learning rate 2e-4 and beta_1 0.5.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numnet
from numnet import initializers, layers, optimizers
from numnet.models import GAN, Sequential

LATENT_DIM = 64


@dataclass(frozen=True)
class GANRecipe:
    """How to build one named GAN, and how long to train it."""

    build: Callable[[int], GAN]
    epochs: int
    batch_size: int
    description: str


def _adam() -> optimizers.Adam:
    return optimizers.Adam(2e-4, beta_1=0.5)  # DCGAN's settings: a slower, steadier game


def compiled(generator: Sequential, discriminator: Sequential, latent_dim: int) -> GAN:
    """The GAN of the two networks, compiled with one Adam each; D's targets for real
    images are 0.9 (one-sided label smoothing, Salimans et al., 2016)."""
    gan = GAN(generator, discriminator, latent_dim, label_smoothing=0.1)
    gan.compile(d_optimizer=_adam(), g_optimizer=_adam())
    return gan


def mlp_gan(latent_dim: int = LATENT_DIM, batch_norm: bool = True) -> GAN:
    """Dense generator latent-256-512-784 with batch norm and discriminator 784-512-256-1
    with dropout. `batch_norm=False` leaves the generator's batch norm out: the `gan`
    experiment trains that too, to show what batch norm does against mode collapse."""

    def normalized() -> list[layers.Layer]:
        return [layers.BatchNormalization(momentum=0.8)] if batch_norm else []

    generator = Sequential(
        [
            numnet.Input((latent_dim,)),
            layers.Dense(256),
            *normalized(),
            layers.LeakyReLU(0.2),
            layers.Dense(512),
            *normalized(),
            layers.LeakyReLU(0.2),
            layers.Dense(784, activation="sigmoid"),
            layers.Reshape((28, 28, 1)),
        ],
        name="generator",
    )
    discriminator = Sequential(
        [
            numnet.Input((28, 28, 1)),
            layers.Flatten(),
            layers.Dense(512),
            layers.LeakyReLU(0.2),
            layers.Dropout(0.3),
            layers.Dense(256),
            layers.LeakyReLU(0.2),
            layers.Dropout(0.3),
            layers.Dense(1, activation="sigmoid"),
        ],
        name="discriminator",
    )
    return compiled(generator, discriminator, latent_dim)


def dcgan(latent_dim: int = LATENT_DIM) -> GAN:
    """Conv2DTranspose generator 7x7x64 -> 14x14x32 -> 28x28x1 with batch norm and ReLU;
    discriminator of strided convolutions 32 -> 64 with leaky ReLU, no pooling. The usual
    MNIST DCGAN has twice these widths (7x7x128 -> 14x14x64; 64 -> 128); halving them cuts
    the work of a step about four times, which on a CPU decides whether it trains in
    minutes or in an hour."""
    normal = initializers.RandomNormal(stddev=0.02)
    generator = Sequential(
        [
            numnet.Input((latent_dim,)),
            layers.Dense(7 * 7 * 64, kernel_initializer=normal),
            layers.BatchNormalization(),
            layers.ReLU(),
            layers.Reshape((7, 7, 64)),
            layers.Conv2DTranspose(32, 4, strides=2, padding="same", kernel_initializer=normal),
            layers.BatchNormalization(),
            layers.ReLU(),
            layers.Conv2DTranspose(
                1, 4, strides=2, padding="same", activation="sigmoid", kernel_initializer=normal
            ),
        ],
        name="generator",
    )
    discriminator = Sequential(
        [
            numnet.Input((28, 28, 1)),
            layers.Conv2D(32, 4, strides=2, padding="same", kernel_initializer=normal),
            layers.LeakyReLU(0.2),
            layers.Conv2D(64, 4, strides=2, padding="same", kernel_initializer=normal),
            layers.LeakyReLU(0.2),
            layers.Flatten(),
            layers.Dense(1, activation="sigmoid", kernel_initializer=normal),
        ],
        name="discriminator",
    )
    return compiled(generator, discriminator, latent_dim)


GANS: dict[str, GANRecipe] = {
    # Batch 32: twice the steps of batch 64 per epoch. Measured with seed 0 after 30
    # epochs: batch 64 gave a mean classifier confidence of 0.89-0.90 (Fréchet distance
    # 25-26) in two runs, batch 32 gave 0.91 (21); a cosine-decayed learning rate at
    # batch 64 gave 0.88 (36).
    "gan": GANRecipe(mlp_gan, epochs=30, batch_size=32, description="MLP GAN"),
    "dcgan": GANRecipe(dcgan, epochs=10, batch_size=128, description="DCGAN (slow)"),
}
