"""Image layers: layouts, Keras' 'same' padding, clear errors, summary, the CNN pictures."""

import numpy as np
import pytest

import numnet
from numnet import layers, zoo
from numnet.visualize import draw_cnn, first_conv_maps


def test_channels_last_and_first_agree():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(2, 6, 5, 3)).astype(np.float32)
    last = layers.Conv2D(4, 3, padding="same")
    first = layers.Conv2D(4, 3, padding="same", data_format="channels_first")
    y_last = last(x)
    first(np.moveaxis(x, -1, 1))
    first.kernel.data[...] = last.kernel.data
    y_first = first(np.moveaxis(x, -1, 1))
    np.testing.assert_allclose(np.moveaxis(y_first.numpy(), 1, -1), y_last.numpy(), atol=1e-5)


@pytest.mark.parametrize(
    ("size", "stride", "expected"), [(28, 1, 28), (28, 2, 14), (7, 2, 4), (5, 3, 2)]
)
def test_same_padding_follows_keras(size, stride, expected):
    y = layers.Conv2D(1, 4, strides=stride, padding="same")(np.zeros((1, size, size, 1)))
    assert y.shape == (1, expected, expected, 1)


def test_channel_mismatch_names_the_layer_and_shapes():
    conv = layers.Conv2D(4, 3, name="conv_a")
    conv(np.zeros((1, 8, 8, 3)))
    with pytest.raises(
        ValueError, match=r"'conv_a' expects 3 input channels .* shape \(1, 8, 8, 1\)"
    ):
        conv(np.zeros((1, 8, 8, 1)))


def test_image_smaller_than_kernel_names_the_layer():
    with pytest.raises(ValueError, match=r"'small'.* 3x3 input is smaller than its 5x5 kernel"):
        layers.Conv2D(2, 5, name="small")(np.zeros((1, 3, 3, 1)))
    with pytest.raises(ValueError, match="smaller than its 2x2 window"):
        layers.MaxPooling2D(2, name="pool")(np.zeros((1, 1, 1, 4)))
    with pytest.raises(ValueError, match=r"expects image batches \(N, H, W, C\)"):
        layers.Conv2D(2, 3)(np.zeros((4, 784)))


def test_lenet5_summary_shapes_and_parameters(capsys):
    zoo.lenet5().summary()
    out = capsys.readouterr().out
    assert "conv2d (Conv2D)" in out and "max_pooling2d_1 (MaxPooling2D)" in out
    for shape in [
        "(None, 28, 28, 6)",
        "(None, 14, 14, 6)",
        "(None, 10, 10, 16)",
        "(None, 400)",
        "(None, 84)",
    ]:
        assert shape in out
    # 156 + 2,416 + 48,120 + 10,164 + 850 parameters.
    assert "Total params: 61,706" in out


def test_cnn_pictures(tmp_path):
    numnet.random.seed(0)
    model = zoo.lenet5()
    image = np.random.default_rng(0).random((28, 28, 1)).astype(np.float32)
    model.build((28, 28, 1))
    assert first_conv_maps(model, image).shape == (6, 28, 28)
    paths = draw_cnn(model, image, tmp_path, "before")
    assert [p.name for p in paths] == ["filters_before.png", "feature_maps_before.png"]
    assert all(p.stat().st_size > 1000 for p in paths)
    with pytest.raises(ValueError, match="has no Conv2D"):
        draw_cnn(zoo.mlp(), image, tmp_path, "x")
