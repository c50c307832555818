"""One generic contract every layer meets: shape, parameter count, gradient, save/load,
train vs inference behaviour."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pytest

import numnet
from numnet import layers
from numnet.models import Sequential, load_model


@dataclass
class Spec:
    make: Callable[[], layers.Layer]
    input_shape: tuple[int, ...]
    output_shape: tuple[int, ...]
    params: int
    differs_in_training: bool = False


SPECS = {
    "Dense": Spec(lambda: layers.Dense(4, activation="tanh"), (5, 3), (5, 4), 3 * 4 + 4),
    "Dense_no_bias": Spec(lambda: layers.Dense(2, use_bias=False), (5, 3), (5, 2), 6),
    "Activation": Spec(lambda: layers.Activation("sigmoid"), (4, 3), (4, 3), 0),
    "Flatten": Spec(lambda: layers.Flatten(), (2, 3, 2), (2, 6), 0),
    "InputLayer": Spec(lambda: layers.InputLayer((3,)), (4, 3), (4, 3), 0),
    "Dropout": Spec(lambda: layers.Dropout(0.5, seed=3), (6, 4), (6, 4), 0, True),
    "BatchNormalization": Spec(lambda: layers.BatchNormalization(), (8, 3), (8, 3), 4 * 3, True),
    "BatchNormalization_images": Spec(
        lambda: layers.BatchNormalization(), (2, 3, 3, 2), (2, 3, 3, 2), 8, True
    ),
    "Conv2D": Spec(
        lambda: layers.Conv2D(3, 3, activation="relu"), (2, 5, 4, 2), (2, 3, 2, 3), 3 * 2 * 9 + 3
    ),
    "Conv2D_same_strided": Spec(
        lambda: layers.Conv2D(2, (3, 2), strides=2, padding="same"),
        (2, 5, 4, 1),
        (2, 3, 2, 2),
        2 * 6 + 2,
    ),
    "Conv2D_channels_first": Spec(
        lambda: layers.Conv2D(2, 3, data_format="channels_first"),
        (2, 3, 5, 4),
        (2, 2, 3, 2),
        2 * 27 + 2,
    ),
    "MaxPooling2D": Spec(lambda: layers.MaxPooling2D(2), (2, 4, 6, 3), (2, 2, 3, 3), 0),
    "MaxPooling2D_same": Spec(
        lambda: layers.MaxPooling2D(2, padding="same"), (1, 5, 5, 2), (1, 3, 3, 2), 0
    ),
    "AveragePooling2D": Spec(
        lambda: layers.AveragePooling2D((2, 3)), (2, 4, 6, 1), (2, 2, 2, 1), 0
    ),
    "GlobalAveragePooling2D": Spec(
        lambda: layers.GlobalAveragePooling2D(), (2, 3, 4, 5), (2, 5), 0
    ),
    "GlobalMaxPooling2D": Spec(lambda: layers.GlobalMaxPooling2D(), (2, 3, 4, 5), (2, 5), 0),
    "Conv2DTranspose": Spec(
        lambda: layers.Conv2DTranspose(3, 3, activation="tanh"),
        (2, 3, 4, 2),
        (2, 5, 6, 3),
        3 * 3 * 3 * 2 + 3,
    ),
    "Conv2DTranspose_same_strided": Spec(
        lambda: layers.Conv2DTranspose(2, (3, 2), strides=2, padding="same"),
        (2, 3, 2, 1),
        (2, 6, 4, 2),
        3 * 2 * 2 * 1 + 2,
    ),
    "Conv2DTranspose_channels_first_output_padding": Spec(
        lambda: layers.Conv2DTranspose(
            2, 2, strides=3, output_padding=1, use_bias=False, data_format="channels_first"
        ),
        (2, 3, 2, 3),
        (2, 2, 6, 9),
        2 * 2 * 2 * 3,
    ),
    "UpSampling2D": Spec(lambda: layers.UpSampling2D((2, 3)), (2, 2, 3, 2), (2, 4, 9, 2), 0),
    "Reshape": Spec(lambda: layers.Reshape((3, -1)), (2, 2, 3, 2), (2, 3, 4), 0),
    "Permute": Spec(lambda: layers.Permute((2, 3, 1)), (2, 2, 3, 4), (2, 3, 4, 2), 0),
    "RepeatVector": Spec(lambda: layers.RepeatVector(3), (2, 4), (2, 3, 4), 0),
    "ReLU": Spec(lambda: layers.ReLU(max_value=1.0, threshold=0.1), (4, 3), (4, 3), 0),
    "LeakyReLU": Spec(lambda: layers.LeakyReLU(0.2), (4, 3), (4, 3), 0),
    "Softmax": Spec(lambda: layers.Softmax(axis=1), (2, 3, 4), (2, 3, 4), 0),
    # Recurrent layers: Keras' parameter counts, k * units * (features + units + 1).
    "SimpleRNN": Spec(lambda: layers.SimpleRNN(4), (2, 5, 3), (2, 4), 4 * (3 + 4 + 1)),
    "LSTM_sequences": Spec(
        lambda: layers.LSTM(4, return_sequences=True), (2, 5, 3), (2, 5, 4), 4 * 4 * (3 + 4 + 1)
    ),
    "GRU": Spec(lambda: layers.GRU(4), (2, 5, 3), (2, 4), 3 * 4 * (3 + 4 + 2)),
    "GRU_reset_before_backwards": Spec(
        lambda: layers.GRU(4, reset_after=False, go_backwards=True),
        (2, 5, 3),
        (2, 4),
        3 * 4 * (3 + 4 + 1),
    ),
    "LSTM_dropout": Spec(
        lambda: layers.LSTM(3, dropout=0.5, recurrent_dropout=0.5, seed=1),
        (2, 4, 3),
        (2, 3),
        4 * 3 * (3 + 3 + 1),
        True,
    ),
    "Bidirectional": Spec(
        lambda: layers.Bidirectional(layers.SimpleRNN(3, return_sequences=True)),
        (2, 4, 2),
        (2, 4, 6),
        2 * 3 * (2 + 3 + 1),
    ),
    "TimeDistributed": Spec(
        lambda: layers.TimeDistributed(layers.Dense(2)), (2, 4, 3), (2, 4, 2), 3 * 2 + 2
    ),
    "Masking": Spec(lambda: layers.Masking(), (2, 4, 3), (2, 4, 3), 0),
}


@pytest.fixture(params=sorted(SPECS), ids=sorted(SPECS))
def spec(request: pytest.FixtureRequest) -> Spec:
    return SPECS[request.param]


def test_output_shape_and_parameter_count(spec: Spec, rng: np.random.Generator):
    layer = spec.make()
    y = layer(rng.normal(size=spec.input_shape).astype(np.float32))
    assert y.shape == spec.output_shape
    assert y.dtype == np.float32
    assert layer.count_params() == spec.params


def test_layer_gradient_float64(spec: Spec, rng: np.random.Generator):
    layer = spec.make()
    x = rng.normal(size=spec.input_shape)
    layer(x, training=True)  # builds float64 weights from the float64 input
    assert all(w.dtype == np.float64 for w in layer.weights)

    def run(x_in: numnet.Tensor) -> numnet.Tensor:
        if isinstance(layer, layers.Dropout | layers.LSTM):
            layer.rng = np.random.default_rng(0)  # the same mask on every evaluation
        return layer(x_in, training=True)

    assert numnet.gradcheck(run, x, params=layer.parameters(), atol=1e-6, rtol=1e-4)


def test_save_load_round_trip(spec: Spec, rng: np.random.Generator, tmp_path):
    model = Sequential([layers.Input(spec.input_shape[1:]), spec.make()])
    x = rng.normal(size=spec.input_shape).astype(np.float32)
    model(x, training=True)  # moves batch-norm statistics away from their defaults
    expected = model.predict(x)
    model.save(tmp_path / "model.npz")
    restored = load_model(tmp_path / "model.npz")
    np.testing.assert_allclose(restored.predict(x), expected, atol=1e-6)
    assert [type(layer) for layer in restored.layers] == [type(layer) for layer in model.layers]


def test_train_versus_inference(spec: Spec, rng: np.random.Generator):
    layer = spec.make()
    x = rng.normal(2.0, 3.0, size=spec.input_shape).astype(np.float32)
    train_out = layer(x, training=True).numpy()
    infer_out = layer(x, training=False).numpy()
    again = layer(x, training=False).numpy()
    np.testing.assert_array_equal(infer_out, again)  # inference is deterministic
    assert (not np.allclose(train_out, infer_out)) == spec.differs_in_training


def test_training_argument_switches_the_mode_for_one_call_only():
    """`layer(x, training=...)` runs that call in the mode asked for, tells a Keras-style
    `call(x, training)` the mode, and leaves the layer (and a model's layers) as they were;
    a call without it uses the layer's own mode."""
    seen = []

    class Recorder(layers.Layer):
        def call(self, x, training=None):
            seen.append((training, self.training))
            return x

    x = numnet.Tensor(np.ones((2, 3), dtype=np.float32))
    recorder = Recorder()
    recorder(x)
    recorder(x, training=True)
    assert not recorder.training
    recorder.train()
    recorder(x)
    recorder(x, training=False)
    assert recorder.training
    assert seen == [(False, False), (True, True), (True, True), (False, False)]
    model = Sequential([layers.Dropout(0.5, input_shape=(3,))])
    assert not (model(x, training=True).numpy() == 1).all()  # dropout acted in this call
    assert not model.training and not model.layers[0].training
    np.testing.assert_array_equal(model(x).numpy(), x.numpy())
