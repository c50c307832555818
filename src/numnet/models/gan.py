"""`GAN`: the notes' two networks in a game, as a Model whose `train_step` plays it.

The generator G turns random noise into images; the discriminator D scores an image as
real (1) or generated (0). Each training step has the notes' two phases:

1. G fixed, D learns: D is shown real images labelled 1 and G's images labelled 0.
2. D fixed, G learns: G's images go through D, and G is pushed toward the images D
   calls real.

As the phases alternate, G's images get harder to tell from real ones and D's accuracy
falls toward chance: the game's balance. Everything else (`fit`, callbacks, the progress
bar showing d_loss, g_loss and D's accuracy on real and on fake images) is the ordinary
Model machinery; `examples/gan_hand_written_loop.py` writes the same step in a plain loop.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np

from numnet import losses, metrics, optimizers, random
from numnet.autograd.mode import no_grad
from numnet.autograd.tensor import Tensor
from numnet.layers.base import Layer
from numnet.models.model import Model


@contextmanager
def frozen(network: Layer) -> Iterator[None]:
    """Within the block the network's weights get no gradient (so no update), while the
    network still runs as in training (dropout, batch statistics), as in phase one."""
    weights = network.trainable_weights
    for weight in weights:
        weight.requires_grad = False
    try:
        yield
    finally:
        for weight in weights:
            weight.requires_grad = True


class GAN(Model):
    """``GAN(generator, discriminator, latent_dim)``: G maps (N, latent_dim) noise to
    images; D maps images to one score each (a probability, or a logit with
    ``loss=BinaryCrossentropy(from_logits=True)``)."""

    def __init__(
        self,
        generator: Model,
        discriminator: Model,
        latent_dim: int,
        label_smoothing: float = 0.0,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if not 0 <= label_smoothing < 0.5:
            raise ValueError(f"label_smoothing must be in [0, 0.5), got {label_smoothing}")
        # One-sided label smoothing (Salimans et al., 2016): D's targets for real images
        # are 1 - label_smoothing, which keeps D from growing overconfident too early.
        self.real_label = 1.0 - label_smoothing
        if not isinstance(latent_dim, int | np.integer) or latent_dim < 1:
            raise ValueError(f"latent_dim must be a positive integer, got {latent_dim!r}")
        self.generator, self.discriminator = generator, discriminator
        self.latent_dim = int(latent_dim)
        self._check_shapes()
        self.d_loss_tracker, self.g_loss_tracker = metrics.Mean("d_loss"), metrics.Mean("g_loss")
        self.real_accuracy = metrics.Mean("d_acc_real")
        self.fake_accuracy = metrics.Mean("d_acc_fake")

    def _check_shapes(self) -> None:
        """Run one noise vector through G and D: a mismatch is an error naming the side."""
        with no_grad(), self.mode(False):
            try:
                image = self.generator(np.zeros((1, self.latent_dim), np.float32))
            except (ValueError, TypeError) as error:
                raise ValueError(
                    f"the generator {self.generator.name!r} does not take noise vectors of "
                    f"latent_dim={self.latent_dim}: {error}"
                ) from error
            try:
                score = self.discriminator(image)
            except (ValueError, TypeError) as error:
                raise ValueError(
                    f"the discriminator {self.discriminator.name!r} cannot take the "
                    f"generator's images of shape {(None, *image.shape[1:])}: {error}"
                ) from error
        if score.shape != (1, 1):
            raise ValueError(
                f"the discriminator {self.discriminator.name!r} must give one score per "
                f"image, shape (N, 1); it gives {(None, *score.shape[1:])}"
            )

    def compile(
        self,
        d_optimizer: Any = "adam",
        g_optimizer: Any = "adam",
        loss: Any = "binary_crossentropy",
    ) -> None:
        """One optimizer for each player, and the loss both phases use."""
        super().compile(optimizer=None)
        self.d_optimizer = optimizers.get(d_optimizer)
        self.g_optimizer = optimizers.get(g_optimizer)
        if d_optimizer is g_optimizer and not isinstance(d_optimizer, str):
            raise ValueError("give the two players two optimizer objects: each keeps its state")
        self.loss_fn = losses.get(loss)

    def noise(self, n: int, rng: np.random.Generator | None = None) -> np.ndarray:
        """n latent vectors drawn from N(0, 1)."""
        rng = rng or random.default_rng()
        return rng.standard_normal((n, self.latent_dim)).astype(self.generator.weights[0].dtype)

    def _says_real(self, score: Tensor) -> np.ndarray:
        """Which scores D gives to 'real': p > 0.5, or a logit > 0."""
        threshold = 0.0 if getattr(self.loss_fn, "from_logits", False) else 0.5
        return score.data > threshold

    def train_step(self, real: Any) -> dict[str, float]:
        """One round of the game on a batch of real images."""
        if not hasattr(self, "loss_fn"):
            raise RuntimeError("call gan.compile(d_optimizer, g_optimizer) before fit")
        n = len(real)
        ones, zeros = np.ones((n, 1), np.float32), np.zeros((n, 1), np.float32)

        # Phase 1, G fixed: D learns to say 1 to real images and 0 to generated ones.
        # detach() cuts the fakes from G's graph, so this loss cannot move G.
        fake = self.generator(self.noise(n), training=True).detach()
        real_score = self.discriminator(real, training=True)
        fake_score = self.discriminator(fake, training=True)
        d_loss = self.loss_fn(ones * self.real_label, real_score) + self.loss_fn(zeros, fake_score)
        self._step(self.d_optimizer, self.discriminator, d_loss)

        # Phase 2, D fixed: G learns to make D say 1. This is the "non-saturating" form
        # (Goodfellow et al., 2014): minimising log(1 - D(G(z))) instead would give G
        # almost no gradient early on, when D rejects its images with confidence.
        with frozen(self.discriminator):
            g_score = self.discriminator(
                self.generator(self.noise(n), training=True), training=True
            )
            g_loss = self.loss_fn(ones, g_score)
            self._step(self.g_optimizer, self.generator, g_loss)

        self.d_loss_tracker.update(d_loss.data, n)
        self.g_loss_tracker.update(g_loss.data, n)
        self.real_accuracy.update(self._says_real(real_score))
        self.fake_accuracy.update(~self._says_real(fake_score))
        return self.get_metrics_result()

    @staticmethod
    def _step(optimizer: optimizers.Optimizer, network: Model, loss: Tensor) -> None:
        params = network.trainable_weights
        optimizer.zero_grad(params)
        loss.backward()
        optimizer.step(params)

    def call(self, noise: Any) -> Tensor:
        """G's images for the given noise (a GAN called on noise is its generator)."""
        return self.generator(noise)

    def generate(self, n: int, seed: int | None = None) -> np.ndarray:
        """n generated images in [0, 1]; the same seed gives the same images."""
        if not isinstance(n, int | np.integer) or n < 1:
            raise ValueError(f"generate needs a positive number of images, got n={n!r}")
        rng = np.random.default_rng(seed) if seed is not None else None
        images = self.generator.predict(self.noise(int(n), rng), batch_size=256)
        return np.clip(images, 0.0, 1.0)
