"""numnet.models.GAN: the two-phase game in a train_step, its logs, generate(), and the
errors for networks that do not fit together; and the hand-written example loop."""

import runpy
from pathlib import Path

import numpy as np
import pytest

import numnet
from numnet import layers, optimizers
from numnet.models import GAN, Sequential

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def one_dimensional_gan(latent_dim: int = 1) -> GAN:
    """G: an affine map of noise; D: a small tanh network with a sigmoid score."""
    generator = Sequential([numnet.Input((latent_dim,)), layers.Dense(1)], name="generator")
    discriminator = Sequential(
        [numnet.Input((1,)), layers.Dense(16, activation="tanh"),
         layers.Dense(1, activation="sigmoid")],
        name="discriminator",
    )  # fmt: skip
    return GAN(generator, discriminator, latent_dim)


def test_the_game_moves_the_generator_to_the_data_and_d_toward_chance(capsys):
    numnet.random.seed(0)
    real = np.random.default_rng(1).normal(4.0, 0.5, size=(1024, 1)).astype(np.float32)
    gan = one_dimensional_gan()
    gan.compile(d_optimizer=optimizers.Adam(0.01), g_optimizer=optimizers.Adam(0.01))
    before = gan.generate(2000, seed=0)
    history = gan.fit(real, batch_size=64, epochs=30)
    after = gan.generate(2000, seed=0)
    logs = history.history
    assert list(logs) == ["d_loss", "g_loss", "d_acc_real", "d_acc_fake"]
    assert abs(before.mean() - 4) > 3  # the untrained G outputs numbers around 0
    assert abs(np.clip(after, 0, 1).mean() - 1) < 0.01  # generate() clips to [0, 1] ...
    samples = gan.generator.predict(gan.noise(4000, np.random.default_rng(0)))
    assert abs(samples.mean() - 4.0) < 0.5, samples.mean()  # ... G itself reaches the data
    # At the game's balance D says 1/2 to everything: d_loss = 2 ln 2, g_loss = ln 2
    # (Goodfellow et al., 2014); early on D wins and its loss is far lower.
    assert logs["d_loss"][0] < 1.2 and abs(logs["d_loss"][-1] - 2 * np.log(2)) < 0.1
    assert abs(logs["g_loss"][-1] - np.log(2)) < 0.1
    out = capsys.readouterr().out
    assert "Epoch 30/30" in out and "d_acc_fake" in out


def test_generate_is_repeatable_and_checks_n():
    gan = one_dimensional_gan(latent_dim=3)
    np.testing.assert_array_equal(gan.generate(5, seed=7), gan.generate(5, seed=7))
    assert gan.generate(5, seed=7).shape == (5, 1)
    with pytest.raises(ValueError, match="positive number of images, got n=0"):
        gan.generate(0)


def test_networks_that_do_not_fit_together_are_named():
    generator = Sequential([numnet.Input((8,)), layers.Dense(4)], name="gen")
    critic = Sequential([numnet.Input((4,)), layers.Dense(1)], name="critic")
    with pytest.raises(
        ValueError, match="generator 'gen' does not take noise vectors of latent_dim=5"
    ):
        GAN(generator, critic, latent_dim=5)
    wide = Sequential([numnet.Input((6,)), layers.Dense(1)], name="wide")
    with pytest.raises(ValueError, match=r"discriminator 'wide' cannot take .*\(None, 4\)"):
        GAN(generator, wide, latent_dim=8)
    two_scores = Sequential([numnet.Input((4,)), layers.Dense(2)], name="two")
    with pytest.raises(ValueError, match=r"one score per image.*\(None, 2\)"):
        GAN(generator, two_scores, latent_dim=8)
    with pytest.raises(ValueError, match="latent_dim must be a positive integer"):
        GAN(generator, critic, latent_dim=0)
    gan = GAN(generator, critic, latent_dim=8)
    with pytest.raises(RuntimeError, match="compile"):
        gan.fit(np.zeros((4, 4), np.float32), verbose=0)


def test_the_hand_written_loop_plays_the_same_game():
    namespace = runpy.run_path(str(EXAMPLES / "gan_hand_written_loop.py"))
    log = namespace["main"](epochs=2, train_limit=1024, seed=0)
    assert len(log["d_loss"]) == 2 and all(np.isfinite(log["g_loss"]))
    images = log["generator"].predict(np.zeros((3, 64), np.float32))
    assert images.shape == (3, 28, 28, 1) and images.min() >= 0 and images.max() <= 1
