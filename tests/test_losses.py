"""Keras-style loss classes: values (Keras' documented examples), from_logits, label
smoothing, the fused softmax / sigmoid path, gradients, dtypes, and get/serialize."""

from __future__ import annotations

import json

import numpy as np
import pytest

import numnet
from numnet import functional as F
from numnet import layers, losses, models


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-z))


def test_values_of_keras_documented_examples():
    # The examples of Keras' loss docstrings, with the values Keras prints.
    bce_logits = losses.BinaryCrossentropy(from_logits=True)
    assert float(bce_logits([0, 1, 0, 0], [-18.6, 0.51, 2.94, -12.8]).data) == pytest.approx(
        0.865, abs=1e-3
    )
    bce = losses.BinaryCrossentropy()
    value = bce([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]])
    assert float(value.data) == pytest.approx(0.815, abs=1e-3)
    probabilities = [[0.05, 0.95, 0], [0.1, 0.8, 0.1]]
    cce = losses.CategoricalCrossentropy()
    assert float(cce([[0, 1, 0], [0, 0, 1]], probabilities).data) == pytest.approx(1.177, abs=1e-3)
    scce = losses.SparseCategoricalCrossentropy()
    assert float(scce([1, 2], probabilities).data) == pytest.approx(1.177, abs=1e-3)
    mse = losses.MeanSquaredError()
    assert float(mse([[0.0, 1.0], [0.0, 0.0]], [[1.0, 1.0], [1.0, 0.0]]).data) == 0.5
    mae = losses.MeanAbsoluteError()
    assert float(mae([[0.0, 1.0], [0.0, 0.0]], [[1.0, 1.0], [1.0, 0.0]]).data) == 0.5


def test_from_logits_equals_probabilities_and_label_smoothing_formula(rng):
    z = rng.normal(size=(6, 4)) * 2
    labels = rng.integers(0, 4, 6)
    one_hot = np.eye(4)[labels]
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    for loss, t in [
        (losses.CategoricalCrossentropy, one_hot),
        (losses.CategoricalCrossentropy, labels),
        (losses.SparseCategoricalCrossentropy, labels),
        (losses.SparseCategoricalCrossentropy, labels[:, None]),
    ]:
        from_logits = float(loss(from_logits=True)(t, z).data)
        assert from_logits == pytest.approx(float(loss()(t, p).data), rel=1e-6)
        assert from_logits == pytest.approx(-np.mean(np.log(p[np.arange(6), labels])))
    smooth = one_hot * 0.9 + 0.1 / 4
    expected = -np.mean((smooth * np.log(p)).sum(axis=1))
    for t in (one_hot, labels):
        cce = losses.CategoricalCrossentropy(from_logits=True, label_smoothing=0.1)
        assert float(cce(t, z).data) == pytest.approx(expected)
    zb, tb = rng.normal(size=(8, 1)), rng.integers(0, 2, (8, 1))
    s = tb * 0.8 + 0.1
    expected = -np.mean(s * np.log(sigmoid(zb)) + (1 - s) * np.log(1 - sigmoid(zb)))
    bce = losses.BinaryCrossentropy(from_logits=True, label_smoothing=0.2)
    assert float(bce(tb, zb).data) == pytest.approx(expected)
    assert float(losses.BinaryCrossentropy(label_smoothing=0.2)(tb, sigmoid(zb)).data) == (
        pytest.approx(expected)
    )


def test_softmax_output_uses_the_fused_form():
    """Probabilities that underflow to 0 would give log(1e-7) = 16.1 if clipped; the fused
    form reaches back to the logits and gets the exact 1000."""
    z = numnet.tensor([[0.0, 1000.0]], dtype=np.float64, requires_grad=True)
    loss = losses.CategoricalCrossentropy()([0], F.softmax(z))
    assert float(loss.data) == pytest.approx(1000.0)
    loss.backward()
    np.testing.assert_allclose(z.grad, [[-1.0, 1.0]])
    zb = numnet.tensor([[-800.0]], dtype=np.float64, requires_grad=True)
    assert float(losses.BinaryCrossentropy()([[1.0]], F.sigmoid(zb)).data) == pytest.approx(800)


@pytest.mark.parametrize(
    "loss",
    [
        losses.BinaryCrossentropy(from_logits=True, label_smoothing=0.1),
        losses.BinaryCrossentropy(),
        losses.CategoricalCrossentropy(from_logits=True),
        losses.CategoricalCrossentropy(label_smoothing=0.2),
        losses.SparseCategoricalCrossentropy(from_logits=True),
        losses.MeanSquaredError(),
        losses.MeanAbsoluteError(),
    ],
    ids=repr,
)
def test_gradients_and_dtypes(loss, rng):
    sparse = isinstance(loss, losses.SparseCategoricalCrossentropy)
    binary = isinstance(loss, losses.BinaryCrossentropy)
    y_pred = rng.uniform(0.1, 0.9, (5, 1 if binary else 3))
    if not binary and not getattr(loss, "from_logits", True):
        y_pred /= y_pred.sum(axis=1, keepdims=True)
    labels = rng.integers(0, y_pred.shape[1] if not binary else 2, 5)
    y_true = labels if sparse else (labels[:, None] if binary else np.eye(3)[labels])
    assert numnet.gradcheck(lambda p: loss(y_true, p), y_pred)
    value = loss(y_true, y_pred.astype(np.float32))
    assert value.dtype == np.float32 and value.shape == ()


def test_get_and_serialize_round_trip_through_json():
    for loss in [
        losses.BinaryCrossentropy(from_logits=True, label_smoothing=0.1),
        losses.CategoricalCrossentropy(from_logits=True),
        losses.SparseCategoricalCrossentropy(from_logits=True),
        losses.MeanSquaredError(),
        losses.MeanAbsoluteError(),
    ]:
        restored = losses.get(json.loads(json.dumps(losses.serialize(loss))))
        assert type(restored) is type(loss)
        assert restored.get_config() == loss.get_config()
    instance = losses.BinaryCrossentropy(from_logits=True)
    assert losses.get(instance) is instance
    assert isinstance(losses.get(losses.MeanSquaredError), losses.MeanSquaredError)
    assert isinstance(losses.get("mse"), losses.MeanSquaredError)
    assert isinstance(losses.get("BinaryCrossentropy"), losses.BinaryCrossentropy)
    keras_style = {"class_name": "SparseCategoricalCrossentropy", "config": {"from_logits": True}}
    assert losses.get(keras_style).from_logits is True
    with pytest.raises(ValueError, match="unknown loss 'hinge'; valid names: binary_crossentropy"):
        losses.get("hinge")
    with pytest.raises(ValueError, match=r"label_smoothing must be in \[0, 1\]"):
        losses.CategoricalCrossentropy(label_smoothing=2)


def test_compiled_loss_survives_save_and_load(tmp_path):
    model = models.Sequential([layers.Input((3,)), layers.Dense(2)])
    model.compile("sgd", losses.CategoricalCrossentropy(from_logits=True, label_smoothing=0.1))
    model.save(tmp_path / "model.npz")
    restored = models.load_model(tmp_path / "model.npz").loss
    restored = losses.get(restored)
    assert isinstance(restored, losses.CategoricalCrossentropy)
    assert restored.get_config() == {"from_logits": True, "label_smoothing": 0.1}
