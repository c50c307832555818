"""`Sequential` runs a max pooling before the ReLU of the Conv2D in front of it
(max_pool(relu(z)) = relu(max_pool(z))), in one op with the convolution when its windows
tile the convolution's output: the same outputs and the same gradients as the order the
layers are written in, ties and padding included."""

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


def op_types(t: Tensor) -> set[str]:
    """The classes of the ops that computed t."""
    seen, todo = set(), [t]
    while todo:
        fn = todo.pop().creator
        if fn is not None:
            seen.add(type(fn).__name__)
            todo.extend(fn.inputs)
    return seen


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
    ("pool", "data_format", "size"),
    [
        (layers.MaxPooling2D(2), "channels_last", 9),
        (layers.MaxPooling2D(2), "channels_last", 10),  # 8x8 convolved: one op
        (layers.MaxPooling2D(2, data_format="channels_first"), "channels_first", 9),
        (layers.MaxPooling2D(2, data_format="channels_first"), "channels_first", 10),
        (layers.MaxPooling2D(2, padding="same"), "channels_last", 10),  # tiles: pads none
        (layers.MaxPooling2D(3, strides=2, padding="same"), "channels_last", 9),  # overlaps
    ],
)
def test_pooling_first_gives_the_same_outputs_and_gradients(pool, data_format, size):
    numnet.random.seed(0)
    model = stack(pool, data_format)
    rng = np.random.default_rng(0)
    shape = (5, 2, size, size) if data_format == "channels_first" else (5, size, size, 2)
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


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_tiling_windows_pool_in_the_convolution_op_and_shapes_stay_each_layers(data_format):
    numnet.random.seed(0)
    model = numnet.Sequential(
        [
            layers.Conv2D(3, 3, activation="relu", data_format=data_format),
            layers.MaxPooling2D(2, data_format=data_format),
        ]
    )
    shape = (2, 10, 10, 1) if data_format == "channels_last" else (2, 1, 10, 10)
    x = Tensor(np.random.default_rng(2).standard_normal(shape).astype(np.float32))
    model(x)  # the first call builds the convolution's weights (two ops)
    out = model(x)
    assert {"Conv2DMaxPool", "ReLU"} <= op_types(out) and "MaxPool2D" not in op_types(out)
    conv, pool = model.layers
    expected = [(2, 8, 8, 3), (2, 4, 4, 3)]
    if data_format == "channels_first":
        expected = [(2, 3, 8, 8), (2, 3, 4, 4)]
    assert [conv.output_shape, pool.output_shape] == expected
    np.testing.assert_array_equal(out.data, F.relu(written_order(model, x)).data)


def test_windows_that_do_not_tile_take_the_two_ops():
    numnet.random.seed(0)
    model = numnet.Sequential([layers.Conv2D(3, 3, activation="relu"), layers.MaxPooling2D(2)])
    x = Tensor(np.random.default_rng(2).standard_normal((2, 9, 9, 1)).astype(np.float32))
    model(x)
    out = model(x)  # 7x7 convolved: the last row and column are no window's
    assert {"Conv2D", "MaxPool2D"} <= op_types(out) and "Conv2DMaxPool" not in op_types(out)
    assert out.shape == (2, 3, 3, 3)
