"""One exported model per layer family, run in onnxruntime and compared with predict."""

from __future__ import annotations

import pytest

pytest.importorskip("onnx")
pytest.importorskip("onnxruntime")

import numnet
from numnet import activations, layers


def seq(shape, *stack, name="model"):
    return numnet.Sequential([numnet.Input(shape), *stack], name=name)


def randomize_batch_norm(model, rng):
    """Moving statistics far from their initial 0 and 1, so using them shows."""
    for layer in model.layers:
        if isinstance(layer, layers.BatchNormalization):
            for weight, low, high in (
                (layer.gamma, 0.5, 2.0),
                (layer.beta, -1.0, 1.0),
                (layer.moving_mean, -1.0, 1.0),
                (layer.moving_variance, 0.2, 3.0),
            ):
                weight.data[...] = rng.uniform(low, high, weight.shape)
    return model


# --- core ----------------------------------------------------------------------------------
@pytest.mark.parametrize("activation", sorted(activations.ACTIVATIONS))
def test_dense_with_every_activation(exported, activation):
    result = exported(seq((5,), layers.Dense(4, activation=activation)))
    assert result.op_types[:2] == ["MatMul", "Add"]


def test_dense_on_sequences_and_without_bias(exported):
    result = exported(seq((3, 5), layers.Dense(4, use_bias=False), layers.Dense(2)))
    assert result.op_types == ["MatMul", "MatMul", "Add"]


def test_node_names_carry_layer_names(exported):
    model = seq((5,), layers.Dense(4, activation="relu", name="hidden"), layers.Dense(2))
    result = exported(model)
    names = [node.name for node in result.proto.graph.node]
    assert names[:3] == ["hidden/MatMul", "hidden/Add", "hidden/Relu"]
    assert [i.name for i in result.proto.graph.input] == [model.inputs[0].node.layer.name]
    assert [o.name for o in result.proto.graph.output] == model.output_names


@pytest.mark.parametrize(
    "layer",
    [
        layers.ReLU(),
        layers.ReLU(max_value=0.5),
        layers.ReLU(negative_slope=0.1),
        layers.ReLU(negative_slope=0.2, threshold=0.3, max_value=1.5),
        layers.LeakyReLU(0.2),
        layers.Softmax(axis=1),
        layers.Activation("softmax"),
        layers.Activation("log_softmax"),
        layers.Activation("linear"),
    ],
    ids=lambda layer: layer.name,
)
def test_activation_layers(exported, layer):
    exported(seq((3, 5), layer))


def test_dropout_is_removed(exported):
    result = exported(seq((5,), layers.Dense(4), layers.Dropout(0.5), layers.Dense(3)))
    assert "Dropout" not in result.op_types


@pytest.mark.parametrize("shape", [(5,), (4, 5), (4, 4, 3)])
def test_batch_normalization_uses_moving_statistics(exported, rng, shape):
    model = randomize_batch_norm(seq(shape, layers.BatchNormalization(epsilon=0.01)), rng)
    result = exported(model)
    fused = "BatchNormalization" in result.op_types
    assert fused == (len(shape) == 1)  # axis 1 of ONNX only for (N, C)


def test_batch_normalization_after_convolutions_stays_nchw(exported, rng):
    model = seq(
        (8, 8, 3),
        layers.Conv2D(4, 3),
        layers.BatchNormalization(),
        layers.Activation("relu"),
        layers.Conv2D(2, 3, data_format="channels_last"),
    )
    result = exported(randomize_batch_norm(model, rng))
    assert result.op_types.count("Transpose") == 2
    assert "BatchNormalization" in result.op_types


def test_batch_normalization_channels_first(exported, rng):
    model = seq(
        (3, 6, 6),
        layers.BatchNormalization(axis=1),
        layers.Conv2D(2, 3, data_format="channels_first"),
    )
    result = exported(randomize_batch_norm(model, rng))
    assert "Transpose" not in result.op_types


# --- convolutions and pooling --------------------------------------------------------------
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize(
    "settings",
    [
        {"kernel_size": 3},
        {"kernel_size": (3, 2), "strides": 2, "padding": "same", "activation": "relu"},
        {"kernel_size": 4, "strides": (2, 3), "padding": "same", "use_bias": False},
        {"kernel_size": 1, "padding": "valid", "activation": "tanh"},
    ],
)
def test_conv2d(exported, data_format, settings):
    shape = (9, 8, 3) if data_format == "channels_last" else (3, 9, 8)
    result = exported(seq(shape, layers.Conv2D(5, data_format=data_format, **settings)))
    expected = 2 if data_format == "channels_last" else 0
    assert result.op_types.count("Transpose") == expected


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize(
    "settings",
    [
        {"kernel_size": 3},
        {"kernel_size": 3, "strides": 2},
        {"kernel_size": 3, "strides": 2, "padding": "same"},
        {"kernel_size": 2, "strides": 3, "padding": "same"},
        {"kernel_size": 1, "strides": 2, "padding": "same"},
        {"kernel_size": 4, "strides": 2, "padding": "same", "output_padding": 1},
        {"kernel_size": (3, 2), "strides": (2, 3), "output_padding": (1, 2)},
        {"kernel_size": 2, "strides": 3, "activation": "sigmoid", "use_bias": False},
    ],
)
def test_conv2d_transpose(exported, data_format, settings):
    shape = (5, 4, 3) if data_format == "channels_last" else (3, 5, 4)
    exported(seq(shape, layers.Conv2DTranspose(2, data_format=data_format, **settings)))


@pytest.mark.parametrize("pooling", [layers.MaxPooling2D, layers.AveragePooling2D])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize(
    "settings",
    [
        {},
        {"pool_size": 3, "strides": 2},
        {"pool_size": 3, "padding": "same"},
        {"pool_size": (2, 3), "strides": (1, 2), "padding": "same"},
    ],
)
def test_pooling(exported, pooling, data_format, settings):
    shape = (7, 8, 3) if data_format == "channels_last" else (3, 7, 8)
    exported(seq(shape, pooling(data_format=data_format, **settings)))


@pytest.mark.parametrize("pooling", [layers.GlobalAveragePooling2D, layers.GlobalMaxPooling2D])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("keepdims", [False, True])
def test_global_pooling(exported, pooling, data_format, keepdims):
    shape = (5, 6, 3) if data_format == "channels_last" else (3, 5, 6)
    conv = layers.Conv2D(4, 3, padding="same", data_format=data_format)
    result = exported(seq(shape, conv, pooling(data_format=data_format, keepdims=keepdims)))
    # Channels-last: one Transpose into the convolution; (N, C) comes out of the reduction
    # in numnet's order, while the kept (N, 1, 1, C) needs a second one.
    expected = (1 + keepdims) if data_format == "channels_last" else 0
    assert result.op_types.count("Transpose") == expected


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_upsampling(exported, data_format):
    shape = (3, 4, 2) if data_format == "channels_last" else (2, 3, 4)
    stack = [layers.UpSampling2D((2, 3), data_format=data_format)]
    exported(seq(shape, *stack))
    conv = layers.Conv2D(3, 3, padding="same", data_format=data_format)
    exported(seq(shape, conv, layers.UpSampling2D(2, data_format=data_format), name="after_conv"))


def test_free_image_sizes_use_same_upper_padding(exported):
    model = seq(
        (None, None, 2),
        layers.Conv2D(3, 3, strides=2, padding="same"),
        layers.MaxPooling2D(3, strides=2, padding="same"),
        layers.AveragePooling2D(2, padding="same"),
        layers.Conv2DTranspose(2, 3, strides=2, padding="same"),
        layers.GlobalAveragePooling2D(),
    )
    exported(model)


# --- reshaping -----------------------------------------------------------------------------
def test_flatten_after_convolution_keeps_channels_last_order(exported):
    model = seq(
        (6, 6, 2), layers.Conv2D(3, 3), layers.MaxPooling2D(2), layers.Flatten(), layers.Dense(4)
    )
    result = exported(model)
    assert result.op_types.count("Transpose") == 2


@pytest.mark.parametrize("target", [(2, 12), (-1, 4), (4, 3, 2)])
def test_reshape(exported, target):
    exported(seq((4, 6), layers.Reshape(target)))


def test_reshape_and_permute_of_images(exported):
    model = seq(
        (4, 6, 2),
        layers.Conv2D(3, 3, padding="same"),
        layers.Permute((3, 1, 2)),
        layers.Reshape((3, -1)),
        layers.Permute((2, 1)),
    )
    result = exported(model)
    # The Permute right after the convolution reads its NCHW layout: one Transpose, not two.
    assert result.op_types.count("Transpose") == 3


def test_repeat_vector(exported):
    exported(seq((5,), layers.Dense(3), layers.RepeatVector(4), layers.Dense(2)))
