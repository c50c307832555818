"""Conv2DTranspose, UpSampling2D, Reshape, Permute, RepeatVector, GlobalMaxPooling2D, the
activation layers and the merge layers: Keras' shapes and values, gradients, configs and
error messages. (The generic contract over single-input layers is test_layer_contract.py.)
"""

from __future__ import annotations

import numpy as np
import pytest

import numnet
from numnet import layers, models

# (padding, size, kernel, stride, output_padding, Keras' output size), measured with
# keras 3.15 (JAX backend) on a size x size input.
KERAS_SIZES = [
    ("valid", 5, 3, 1, None, 7),
    ("valid", 5, 3, 2, None, 11),
    ("valid", 4, 1, 3, None, 12),
    ("valid", 4, 2, 3, None, 12),
    ("valid", 4, 3, 2, 1, 10),
    ("valid", 7, 4, 2, None, 16),
    ("same", 7, 4, 2, None, 14),
    ("same", 7, 3, 2, None, 14),
    ("same", 5, 5, 3, None, 15),
    ("same", 4, 1, 2, None, 8),
    ("same", 4, 3, 2, 1, 8),
    ("same", 4, 4, 2, 0, 6),
    ("same", 3, 5, 1, None, 3),
    ("same", 4, 2, 3, 2, 11),
]


@pytest.mark.parametrize(("padding", "size", "kernel", "stride", "extra", "expected"), KERAS_SIZES)
def test_conv2d_transpose_output_size_follows_keras(padding, size, kernel, stride, extra, expected):
    layer = layers.Conv2DTranspose(2, kernel, strides=stride, padding=padding, output_padding=extra)
    y = layer(np.zeros((1, size, size, 3), dtype=np.float32))
    assert y.shape == (1, expected, expected, 2)
    assert layer.compute_output_shape((None, size, size, 3)) == (None, expected, expected, 2)


# Outputs of keras.layers.Conv2DTranspose(1, 3, strides=2, use_bias=False) on the 2x2
# image [[1, 2], [3, 4]] with the kernel 1..9 (row by row), as Keras computes them.
KERAS_SAME = [[1, 2, 5, 4], [4, 5, 14, 10], [10, 14, 36, 24], [12, 15, 34, 20]]
KERAS_VALID = [
    [1, 2, 5, 4, 6],
    [4, 5, 14, 10, 12],
    [10, 14, 36, 24, 30],
    [12, 15, 34, 20, 24],
    [21, 24, 55, 32, 36],
]


@pytest.mark.parametrize(
    ("padding", "extra", "expected"),
    [("same", None, KERAS_SAME), ("valid", None, KERAS_VALID), ("same", 1, KERAS_SAME)],
)
def test_conv2d_transpose_values_match_keras(padding, extra, expected):
    layer = layers.Conv2DTranspose(
        1, 3, strides=2, padding=padding, output_padding=extra, use_bias=False
    )
    x = np.arange(1, 5, dtype=np.float32).reshape(1, 2, 2, 1)
    layer(x)
    layer.set_weights([np.arange(1, 10, dtype=np.float32).reshape(3, 3, 1, 1)])
    np.testing.assert_array_equal(layer(x).numpy()[0, :, :, 0], expected)


def test_conv2d_transpose_kernel_layout_matches_keras():
    """Keras' kernel is (kh, kw, filters, in_channels); its weights load unchanged."""
    layer = layers.Conv2DTranspose(3, 2, use_bias=False)
    x = np.arange(1, 9, dtype=np.float32).reshape(1, 2, 2, 2)
    layer(x)
    assert layer.kernel.shape == (2, 2, 3, 2)
    layer.set_weights([np.arange(1, 25, dtype=np.float32).reshape(2, 2, 3, 2)])
    expected = [  # keras 3.15's output for the same weights and input
        [[5, 11, 17], [34, 54, 74], [53, 67, 81]],
        [[58, 86, 114], [260, 332, 404], [250, 294, 338]],
        [[149, 171, 193], [418, 470, 522], [293, 323, 353]],
    ]
    np.testing.assert_array_equal(layer(x).numpy()[0], expected)


def test_conv2d_transpose_channels_first_agrees_and_initializer_fans():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(2, 5, 4, 3)).astype(np.float32)
    last = layers.Conv2DTranspose(4, 3, strides=2, padding="same", activation="relu")
    first = layers.Conv2DTranspose(
        4, 3, strides=2, padding="same", activation="relu", data_format="channels_first"
    )
    y_last = last(x)
    first(np.moveaxis(x, -1, 1))
    first.set_weights(last.get_weights())
    y_first = first(np.moveaxis(x, -1, 1))
    np.testing.assert_allclose(np.moveaxis(y_first.numpy(), 1, -1), y_last.numpy(), atol=1e-5)
    # Keras' fans for a transposed kernel: fan_in = filters * kh * kw (here 64 * 9).
    wide = layers.Conv2DTranspose(64, 3, kernel_initializer="he_uniform")
    wide(np.zeros((1, 4, 4, 16), dtype=np.float32))
    assert abs(wide.kernel.data.std() / np.sqrt(2 / (64 * 9)) - 1) < 0.05


def test_conv2d_transpose_errors_name_the_layer():
    with pytest.raises(ValueError, match=r"output_padding .* must be smaller than strides"):
        layers.Conv2DTranspose(2, 3, strides=2, output_padding=2)
    with pytest.raises(ValueError, match="padding must be 'valid' or 'same'"):
        layers.Conv2DTranspose(2, 3, padding="full")
    up = layers.Conv2DTranspose(2, 3, name="up")
    up(np.zeros((1, 4, 4, 3)))
    with pytest.raises(ValueError, match=r"'up' expects 3 input channels .* \(1, 4, 4, 1\)"):
        up(np.zeros((1, 4, 4, 1)))
    with pytest.raises(ValueError, match=r"'up' expects image batches \(N, H, W, C\)"):
        up(np.zeros((4, 3)))
    with pytest.raises(ValueError, match="'empty' would give an empty 0x0 output"):
        layers.Conv2DTranspose(1, 2, padding="same", output_padding=0, name="empty")(
            np.zeros((1, 1, 1, 1))
        )


def test_reshape_permute_repeat_upsample_values():
    x = np.arange(24.0).reshape(2, 3, 4)
    np.testing.assert_array_equal(layers.Reshape((4, -1))(x).numpy(), x.reshape(2, 4, 3))
    np.testing.assert_array_equal(layers.Permute((2, 1))(x).numpy(), x.transpose(0, 2, 1))
    v = np.arange(6.0).reshape(2, 3)
    np.testing.assert_array_equal(layers.RepeatVector(4)(v).numpy(), np.stack([v] * 4, axis=1))
    image = np.arange(8.0).reshape(1, 2, 2, 2)
    up = layers.UpSampling2D((2, 3))(image).numpy()
    np.testing.assert_array_equal(up, image.repeat(2, axis=1).repeat(3, axis=2))
    first = layers.UpSampling2D(2, data_format="channels_first")(image).numpy()
    np.testing.assert_array_equal(first, image.repeat(2, axis=2).repeat(2, axis=3))
    assert layers.Reshape((-1, 2)).compute_output_shape((None, 3, 4)) == (None, 6, 2)
    assert layers.UpSampling2D(2).compute_output_shape((None, 3, None, 5)) == (None, 6, None, 5)
    assert layers.RepeatVector(3).compute_output_shape((None, 5)) == (None, 3, 5)
    assert layers.Permute((2, 1)).compute_output_shape((None, 3, 5)) == (None, 5, 3)


def test_global_max_pooling_and_activation_layers():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(2, 3, 4, 5))
    np.testing.assert_array_equal(layers.GlobalMaxPooling2D()(x).numpy(), x.max(axis=(1, 2)))
    kept = layers.GlobalMaxPooling2D(keepdims=True, data_format="channels_first")(x).numpy()
    np.testing.assert_array_equal(kept, x.max(axis=(2, 3), keepdims=True))
    t = np.array([-2.0, -0.5, 0.0, 0.3, 1.0, 7.0])
    np.testing.assert_allclose(layers.LeakyReLU()(t).numpy(), np.where(t > 0, t, 0.3 * t))
    assert layers.LeakyReLU(alpha=0.2).negative_slope == 0.2  # the Keras 2 name
    np.testing.assert_allclose(layers.ReLU()(t).numpy(), np.maximum(t, 0))
    relu6 = layers.ReLU(max_value=6.0, negative_slope=0.1, threshold=0.5)(t).numpy()
    np.testing.assert_allclose(relu6, np.where(t >= 0.5, np.minimum(t, 6.0), 0.1 * (t - 0.5)))
    soft = layers.Softmax(axis=1)(x).numpy()
    np.testing.assert_allclose(soft.sum(axis=1), 1.0)


def test_new_layer_errors_name_the_layer():
    with pytest.raises(ValueError, match=r"'flat' cannot reshape samples of shape \(3, 4\)"):
        layers.Reshape((5, -1), name="flat")(np.zeros((2, 3, 4)))
    with pytest.raises(ValueError, match="12 values"):
        layers.Reshape((5, 2))(np.zeros((2, 3, 4)))
    with pytest.raises(ValueError, match="at most one -1"):
        layers.Reshape((-1, -1))
    with pytest.raises(ValueError, match=r"permutation of 1\.\.2"):
        layers.Permute((0, 1))
    with pytest.raises(ValueError, match="'perm' with dims"):
        layers.Permute((2, 1), name="perm")(np.zeros((2, 3)))
    with pytest.raises(ValueError, match=r"'rep' expects \(N, D\) inputs"):
        layers.RepeatVector(2, name="rep")(np.zeros((2, 3, 4)))
    with pytest.raises(ValueError, match="interpolation='nearest' only"):
        layers.UpSampling2D(interpolation="bilinear")
    with pytest.raises(ValueError, match="'gmp' expects image batches"):
        layers.GlobalMaxPooling2D(name="gmp")(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="negative_slope must be >= 0"):
        layers.LeakyReLU(-1.0)


MERGES = [
    (layers.Add, layers.add, lambda a, b, c: a + b + c),
    (layers.Multiply, layers.multiply, lambda a, b, c: a * b * c),
    (layers.Average, layers.average, lambda a, b, c: (a + b + c) / 3),
    (layers.Maximum, layers.maximum, lambda a, b, c: np.maximum(np.maximum(a, b), c)),
    (layers.Minimum, layers.minimum, lambda a, b, c: np.minimum(np.minimum(a, b), c)),
    (layers.Concatenate, layers.concatenate, lambda a, b, c: np.concatenate([a, b, c], -1)),
]


@pytest.mark.parametrize(
    ("cls", "function", "reference"), MERGES, ids=[m[0].__name__ for m in MERGES]
)
def test_merge_layers_values_gradients_and_shapes(cls, function, reference):
    rng = np.random.default_rng(2)
    a, b, c = (rng.normal(size=(2, 3, 4)) for _ in range(3))
    np.testing.assert_allclose(cls()([a, b, c]).numpy(), reference(a, b, c))
    np.testing.assert_allclose(function([a, b, c]).numpy(), reference(a, b, c))
    assert numnet.gradcheck(lambda *xs: cls()(list(xs)), a, b, c)
    expected = reference(a, b, c).shape
    assert cls().compute_output_shape([(None, 3, 4)] * 3) == (None, *expected[1:])


def test_subtract_and_broadcasting_merges():
    rng = np.random.default_rng(3)
    a, b = rng.normal(size=(2, 3, 4)), rng.normal(size=(2, 1, 4))
    np.testing.assert_allclose(layers.subtract([a, b]).numpy(), a - b)
    assert numnet.gradcheck(lambda x, y: layers.Subtract()([x, y]), a, b)
    assert layers.Add().compute_output_shape([(None, 3, 4), (None, 1, 4)]) == (None, 3, 4)
    concatenated = layers.concatenate([a, a[:, :2]], axis=1)
    assert concatenated.shape == (2, 5, 4)
    assert layers.Concatenate(axis=1).compute_output_shape([(None, 3, 4), (None, 2, 4)]) == (
        None,
        5,
        4,
    )


def test_merge_errors_name_the_layer():
    a, b = np.zeros((2, 3)), np.zeros((2, 4))
    with pytest.raises(
        ValueError, match=r"'sum' cannot combine inputs of shapes \(2, 3\), \(2, 4\)"
    ):
        layers.Add(name="sum")([a, b])
    with pytest.raises(ValueError, match="'diff' takes exactly 2 inputs, got 3"):
        layers.Subtract(name="diff")([a, a, a])
    with pytest.raises(ValueError, match="'sum' must be called on a list of tensors"):
        layers.Add(name="sum")(a)
    with pytest.raises(ValueError, match=r"'cat' \(axis=0\) needs inputs of equal rank"):
        layers.Concatenate(axis=0, name="cat")([a, b])
    with pytest.raises(ValueError, match="needs inputs of equal rank"):
        layers.concatenate([a, np.zeros((2, 3, 1))])


def test_merges_in_a_functional_model_save_and_load(tmp_path):
    a, b = numnet.Input((4,), name="a"), numnet.Input((4,), name="b")
    merged = layers.concatenate(
        [layers.add([a, b]), layers.maximum([a, b]), layers.subtract([a, b])]
    )
    out = layers.Dense(3)(layers.LeakyReLU(0.2)(layers.Reshape((-1,))(merged)))
    model = numnet.Model([a, b], out)
    rng = np.random.default_rng(4)
    x1, x2 = rng.normal(size=(2, 5, 4)).astype(np.float32)
    expected = model.predict([x1, x2])
    model.save(tmp_path / "merge.npz")
    np.testing.assert_allclose(
        models.load_model(tmp_path / "merge.npz").predict([x1, x2]), expected
    )


CONFIGURED = [
    lambda: layers.Conv2DTranspose(
        3,
        (3, 2),
        strides=(2, 1),
        padding="same",
        output_padding=(1, 0),
        activation="relu",
        kernel_initializer="he_normal",
        kernel_regularizer=numnet.regularizers.l2(0.01),
        data_format="channels_first",
        name="deconv",
    ),
    lambda: layers.UpSampling2D((2, 3), data_format="channels_first"),
    lambda: layers.Reshape((4, -1)),
    lambda: layers.Permute((2, 1)),
    lambda: layers.RepeatVector(3),
    lambda: layers.GlobalMaxPooling2D(keepdims=True),
    lambda: layers.GlobalAveragePooling2D(data_format="channels_first"),
    lambda: layers.ReLU(max_value=6.0, negative_slope=0.1, threshold=0.2),
    lambda: layers.LeakyReLU(negative_slope=0.2),
    lambda: layers.Softmax(axis=1),
    lambda: layers.Concatenate(axis=1),
    lambda: layers.Subtract(name="difference"),
]


@pytest.mark.parametrize("make", CONFIGURED, ids=lambda make: type(make()).__name__)
def test_get_config_round_trips(make):
    layer = make()
    config = layer.get_config()
    clone = type(layer)(**config)
    assert clone.get_config() == config
    assert layers.LAYERS[type(layer).__name__] is type(layer)
