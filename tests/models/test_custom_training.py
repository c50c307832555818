"""Custom training as in Keras 3: a `train_step` of one's own with two optimizers, a
`test_step`, `fit(x)` without targets, and logs that reach History and the progress bar."""

import numpy as np

import numnet
from numnet import functional as F
from numnet import layers, metrics, optimizers
from numnet.models import Model, Sequential


class TwoPlayerGame(Model):
    """A one-dimensional GAN: G turns noise into numbers, D tells them from real ones.

    Phase one trains D on real and (detached) generated numbers; phase two trains G
    through D, stepping only G's weights."""

    def __init__(self, seed: int = 0):
        super().__init__(name="two_player_game")
        self.generator = Sequential([layers.Dense(1, input_shape=(1,))], name="generator")
        self.discriminator = Sequential(
            [layers.Dense(16, activation="tanh", input_shape=(1,)), layers.Dense(1)],
            name="discriminator",
        )
        self.d_loss_tracker = metrics.Mean("d_loss")
        self.g_loss_tracker = metrics.Mean("g_loss")
        self.noise = np.random.default_rng(seed)

    def compile(self, d_optimizer, g_optimizer):
        super().compile()
        self.d_optimizer, self.g_optimizer = d_optimizer, g_optimizer

    def train_step(self, real):
        n = len(real)
        z = self.noise.normal(size=(n, 1)).astype(np.float32)
        ones, zeros = np.ones((n, 1), np.float32), np.zeros((n, 1), np.float32)
        fake = self.generator(z)
        d_loss = F.binary_cross_entropy_with_logits(self.discriminator(real), ones) + (
            F.binary_cross_entropy_with_logits(self.discriminator(fake.detach()), zeros)
        )
        d_params = self.discriminator.trainable_weights
        self.d_optimizer.zero_grad(d_params)
        d_loss.backward()
        self.d_optimizer.step(d_params)
        g_loss = F.binary_cross_entropy_with_logits(self.discriminator(self.generator(z)), ones)
        g_params = self.generator.trainable_weights
        self.g_optimizer.zero_grad(g_params)
        g_loss.backward()
        self.g_optimizer.step(g_params)
        self.d_loss_tracker.update_state(d_loss.data, n)
        self.g_loss_tracker.update_state(g_loss.data, n)
        return {"d_loss": self.d_loss_tracker.result(), "g_loss": self.g_loss_tracker.result()}


def test_a_two_player_train_step_with_two_optimizers_learns(capsys):
    numnet.random.seed(0)
    real = np.random.default_rng(1).normal(4.0, 0.5, size=(512, 1)).astype(np.float32)
    game = TwoPlayerGame()
    game.compile(d_optimizer=optimizers.Adam(0.01), g_optimizer=optimizers.Adam(0.01))
    z = np.random.default_rng(2).normal(size=(2000, 1)).astype(np.float32)
    before = game.generator.predict(z)
    history = game.fit(real, batch_size=64, epochs=40, verbose=1)
    after = game.generator.predict(z)
    assert set(history.history) == {"d_loss", "g_loss"} and len(history.history["d_loss"]) == 40
    assert abs(before.mean() - 4.0) > 2.0  # it starts far away ...
    assert abs(after.mean() - 4.0) < 0.5, after.mean()  # ... and ends near the real mean
    out = capsys.readouterr().out
    assert "Epoch 40/40" in out and "d_loss:" in out and "g_loss:" in out


def test_metrics_reset_each_epoch_and_test_step_feeds_evaluate():
    class Counting(Model):
        def __init__(self):
            super().__init__()
            self.dense = layers.Dense(1)
            self.seen = metrics.Mean("seen")

        def call(self, x):
            return self.dense(x)

        def train_step(self, data):
            x, _ = data
            self.seen.update_state(np.ones(len(x)))  # counts samples, as a mean of ones
            return {"batches": 1.0, "samples": self.seen.count}

        def test_step(self, data):
            x, y = data
            return {"error": float(np.abs(self(x).data - y).mean())}

    model = Counting()
    model.compile(optimizer="sgd")
    x, y = np.zeros((10, 3), np.float32), np.ones((10, 1), np.float32)
    history = model.fit(x, y, batch_size=4, epochs=3, verbose=0)
    assert history.history["samples"] == [10, 10, 10]  # the tracker restarts every epoch
    assert model.evaluate(x, y, batch_size=5) == 1.0  # zero weights and bias: |0 - 1|
    assert model.evaluate(x, y, return_dict=True) == {"error": 1.0}
