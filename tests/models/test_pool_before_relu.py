"""`Sequential` runs a max pooling before the ReLU of the Conv2D in front of it
(max_pool(relu(z)) = relu(max_pool(z))): the same outputs and the same gradients as the
order the layers are written in, ties and padding included."""

from __future__ import annotations

import numpy as np
import pytest

import numnet
from numnet import functional as F
from numnet import layers
from numnet.autograd.tensor import Tensor
from numnet.functional.activation import ReLU
from numnet.models.sequential import pools_before_relu


def written_order(model: numnet.Sequential, x: Tensor) -> Tensor:
    """The stack called layer by layer, each with its own activation: the plain form."""
    for layer in model.layers:
        x = layer(x)
    return x


def stack(pool: layers.Layer, data_format: str = "channels_last") -> numnet.Sequential:
    return numnet.Sequential(
        [
            layers.Conv2D(4, 3, activation="relu", data_format=data_format),
            pool,
            layers.Flatten(),
            layers.Dense(3),
        ]
    )


@pytest.mark.parametrize(
    ("pool", "data_format"),
    [
        (layers.MaxPooling2D(2), "channels_last"),
        (layers.MaxPooling2D(2, data_format="channels_first"), "channels_first"),
        (layers.MaxPooling2D(3, strides=2, padding="same"), "channels_last"),  # overlaps, pads
    ],
)
def test_pooling_first_gives_the_same_outputs_and_gradients(pool, data_format):
    numnet.random.seed(0)
    model = stack(pool, data_format)
    rng = np.random.default_rng(0)
    shape = (5, 2, 9, 9) if data_format == "channels_first" else (5, 9, 9, 2)
    images = rng.standard_normal(shape)
    images[:2] = -np.abs(images[:2])  # many windows whose ReLU output is all zeros: ties
    images[2, ..., :] = 0.5  # constant patches: ties between equal positive values
    model.build(shape[1:])
    model.layers[0].kernel.data[...] = np.abs(model.layers[0].kernel.data)  # keep signs
    upstream = Tensor(rng.standard_normal((5, 3)).astype(np.float32))
    results = []
    for forward in (model, lambda t: written_order(model, t)):
        x = Tensor(images.astype(np.float32), requires_grad=True)
        out = forward(x)
        (out * upstream).sum().backward()
        results.append((out.data, [x.grad] + [w.grad for w in model.trainable_weights]))
        for w in model.trainable_weights:
            w.grad = None
    (out_a, grads_a), (out_b, grads_b) = results
    np.testing.assert_array_equal(out_a, out_b)
    for a, b in zip(grads_a, grads_b, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-6)


def test_the_relu_runs_on_the_pooled_values():
    numnet.random.seed(0)
    model = numnet.Sequential([layers.Conv2D(2, 3, activation="relu"), layers.MaxPooling2D(2)])
    x = Tensor(np.random.default_rng(1).standard_normal((2, 8, 8, 1)).astype(np.float32))
    out = model(x)
    assert isinstance(out.creator, ReLU)
    assert out.creator.inputs[0].shape == out.shape == (2, 3, 3, 2)  # the pooled values
    np.testing.assert_array_equal(out.data, F.relu(written_order(model, x)).data)


def test_only_a_conv_relu_before_a_max_pooling_is_reordered():
    relu_conv = layers.Conv2D(2, 3, activation="relu")
    assert pools_before_relu(relu_conv, layers.MaxPooling2D(2))
    assert not pools_before_relu(relu_conv, layers.AveragePooling2D(2))  # mean(relu) != relu(mean)
    assert not pools_before_relu(layers.Conv2D(2, 3, activation="elu"), layers.MaxPooling2D(2))
    assert not pools_before_relu(layers.Conv2D(2, 3), layers.MaxPooling2D(2))
