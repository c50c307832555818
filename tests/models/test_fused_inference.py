"""Sequential's fused inference (numnet.models.fused_inference) against the same layers
called one by one: Dense with batch norm folded or applied in place, and a ReLU or
softmax run in place."""

from __future__ import annotations

import numpy as np
import pytest

import numnet
from numnet import layers, zoo
from numnet.autograd.mode import no_grad
from numnet.models import Sequential
from numnet.models import fused_inference as fused
from numnet.models.fused_inference import dense_run


def one_by_one(model: Sequential, x: np.ndarray) -> np.ndarray:
    """The plain road: each layer called on its own (never fused), in inference."""
    with model.mode(False), no_grad():
        h = numnet.Tensor(x)
        for layer in model.layers:
            h = layer(h)
    return h.numpy()


def with_statistics(model: Sequential, seed: int = 0) -> Sequential:
    """Batch norms given moving statistics, gamma and beta far from their initial ones,
    so a wrong fold cannot pass for the identity."""
    rng = np.random.default_rng(seed)
    for layer in model.layers:
        if isinstance(layer, layers.BatchNormalization):
            n = layer.gamma.shape[0]
            layer.gamma.data[...] = rng.uniform(0.5, 2, n)
            layer.beta.data[...] = rng.normal(0, 1, n)
            layer.moving_mean.data[...] = rng.normal(0, 1, n)
            layer.moving_variance.data[...] = rng.uniform(0.1, 3, n)
    return model


def images(rows: int, dtype=np.float32) -> np.ndarray:
    return np.random.default_rng(1).random((rows, 784)).astype(dtype)


@pytest.mark.parametrize("rows", [1000, 100])  # folded (2 rows >= 512 inputs), in place
def test_the_notes_mlp_predicts_what_its_layers_compute(rows):
    model = with_statistics(zoo.mlp())
    model.build((784,))
    x = images(rows)
    expected = one_by_one(model, x)
    got = model.predict(x, batch_size=rows)
    if rows == 100:  # batch norm applied in place: the same operations, the same bits
        np.testing.assert_array_equal(got, expected)
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-7)
    assert np.allclose(got.sum(axis=1), 1, atol=1e-6)


def test_batch_norm_is_folded_only_when_the_batch_is_large_enough(monkeypatch):
    folds = []
    real = fused.fold
    monkeypatch.setattr(fused, "fold", lambda *a: folds.append(a[0].shape) or real(*a))
    model = with_statistics(zoo.mlp())
    model.build((784,))
    model.predict(images(256), batch_size=256)  # 2 * 256 >= 512: folded
    model.predict(images(255), batch_size=255)  # 510 < 512: in place
    assert folds == [(512, 512)]


def test_the_runs_of_the_notes_mlp():
    model = zoo.mlp()
    model.build((784,))
    x, stack = numnet.Tensor(images(4)), model.layers
    with model.mode(False), no_grad():
        starts = {i: dense_run(stack, i, x) for i in range(len(stack))}
    # Dense ReLU Dropout | Dense BatchNorm ReLU Dropout | Dense softmax
    assert [starts[i] for i in (0, 3, 7)] == [3, 4, 2]
    assert all(starts[i] == 0 for i in (1, 2, 4, 5, 6, 8))


def test_nothing_is_fused_while_recording_or_training():
    model = zoo.mlp()
    model.build((784,))
    x = numnet.Tensor(images(4))
    with model.mode(False):
        assert dense_run(model.layers, 0, x) == 0  # recording: the graph is needed
    with model.mode(True), no_grad():
        assert dense_run(model.layers, 0, x) == 0  # dropout and batch statistics
    with model.mode(False), no_grad():
        assert dense_run(model.layers, 0, x) == 3


@pytest.mark.parametrize(
    "stack",
    [
        lambda: [layers.Dense(32, activation="relu"), layers.Dropout(0.5), layers.Dense(10)],
        lambda: [layers.Dense(32), layers.ReLU(), layers.Dense(10), layers.Softmax()],
        lambda: [layers.Dense(32, activation="softmax"), layers.Dense(3, activation="linear")],
        lambda: [layers.Dense(32, activation="sigmoid"), layers.Dense(10, activation="tanh")],
        lambda: [layers.Dense(32), layers.ReLU(max_value=0.5), layers.Dense(10)],
        lambda: [layers.Dense(32), layers.ReLU(negative_slope=0.1), layers.Activation("elu")],
        lambda: [layers.Dense(32, use_bias=False), layers.Activation("relu"), layers.Dense(4)],
    ],
)
def test_runs_without_batch_norm_give_the_same_bits(stack):
    model = Sequential([layers.Input((784,)), *stack()])
    x = images(64)
    np.testing.assert_array_equal(model.predict(x, batch_size=64), one_by_one(model, x))


@pytest.mark.parametrize("rows", [1000, 10])
@pytest.mark.parametrize(
    "stack",
    [
        # batch norm straight after Dense, with and without a bias, with Dropout between
        lambda: [layers.Dense(16), layers.BatchNormalization(), layers.ReLU()],
        lambda: [layers.Dense(16, use_bias=False), layers.BatchNormalization()],
        lambda: [layers.Dense(16), layers.Dropout(0.3), layers.BatchNormalization(epsilon=0.5)],
        # after an activation batch norm does not fold: it runs as its own layer
        lambda: [layers.Dense(16, activation="relu"), layers.BatchNormalization()],
        lambda: [layers.Dense(16), layers.Activation("relu"), layers.BatchNormalization()],
        # two in a row: only the first folds
        lambda: [layers.Dense(16), layers.BatchNormalization(), layers.BatchNormalization()],
    ],
)
def test_runs_with_batch_norm_match_their_layers(stack, rows):
    model = with_statistics(Sequential([layers.Input((784,)), *stack()]))
    x = images(rows)
    got = model.predict(x, batch_size=rows)
    # float32 rounding of sums of 784 products of order 1, then of batch norm's shift
    np.testing.assert_allclose(got, one_by_one(model, x), rtol=1e-5, atol=2e-5)


def test_sequences_and_batch_norm_over_another_axis():
    model = with_statistics(
        Sequential(
            [
                layers.Input((6, 8)),
                layers.Dense(6),
                layers.BatchNormalization(axis=1),  # over the 6 steps, not the 6 units
                layers.Dense(4),
                layers.BatchNormalization(axis=2),  # over the units: folds
                layers.Softmax(),
            ]
        )
    )
    x = np.random.default_rng(3).standard_normal((50, 6, 8)).astype(np.float32)
    got = model.predict(x, batch_size=50)
    np.testing.assert_allclose(got, one_by_one(model, x), rtol=1e-5, atol=1e-6)


def test_float64_models_stay_float64():
    model = Sequential(
        [layers.Dense(64), layers.BatchNormalization(), layers.ReLU(), layers.Dense(10)]
    )
    x = images(600, np.float64)
    model(x[:2])  # built on float64 samples: float64 weights
    with_statistics(model)
    got = model.predict(x, batch_size=600)
    assert got.dtype == np.float64 and model.layers[0].kernel.dtype == np.float64
    np.testing.assert_allclose(got, one_by_one(model, x), rtol=1e-12, atol=1e-12)


def test_a_wrong_input_is_refused_with_the_layers_message():
    model = zoo.mlp()
    model.build((784,))
    with pytest.raises(ValueError, match="expects samples of shape"):
        model.predict(np.zeros((3, 100), np.float32))


def test_each_layer_records_its_output_shape():
    model = zoo.mlp()
    model.build((784,))
    model.predict(images(7), batch_size=7)
    assert [layer.output_shape for layer in model.layers] == [(7, 512)] * 7 + [(7, 10)] * 2


def test_evaluate_gives_the_loss_and_accuracy_of_its_predictions():
    model = with_statistics(zoo.mlp())
    model.compile(loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.build((784,))
    x, labels = images(300), np.random.default_rng(4).integers(0, 10, 300)
    p = one_by_one(model, x)
    loss, accuracy = model.evaluate(x, labels, batch_size=300, verbose=0)
    assert accuracy == pytest.approx(np.mean(p.argmax(axis=1) == labels))
    cross_entropy = -np.mean(np.log(np.clip(p[np.arange(300), labels], 1e-7, 1)))
    penalty = 0.001 * np.sum(model.layers[3].kernel.numpy() ** 2)  # the L2 of layer 2
    assert loss == pytest.approx(cross_entropy + penalty, rel=1e-4)
