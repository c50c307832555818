"""Recurrent models exported to ONNX's RNN, LSTM and GRU operators: every option of the
layers, Bidirectional, Embedding, TimeDistributed, and the clear errors."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("onnx")
pytest.importorskip("onnxruntime")

import numnet
from numnet import layers
from numnet.onnx import ExportError, to_onnx

RECURRENT = [layers.SimpleRNN, layers.LSTM, layers.GRU]


def model_of(shape, *stack, name="model"):
    return numnet.Sequential([numnet.Input(shape), *stack], name=name)


def scramble(model, rng, scale=0.5):
    """Random values in every weight (biases included), so each gate's bias shows."""
    model.set_weights([rng.normal(0, scale, w.shape) for w in model.get_weights()])
    return model


@pytest.mark.parametrize("kind", RECURRENT, ids=lambda k: k.__name__)
@pytest.mark.parametrize("return_sequences", [False, True])
@pytest.mark.parametrize("go_backwards", [False, True])
def test_recurrent_layers(exported, rng, kind, return_sequences, go_backwards):
    layer = kind(4, return_sequences=return_sequences, go_backwards=go_backwards)
    result = exported(scramble(model_of((5, 3), layer), rng))
    assert {"SimpleRNN": "RNN"}.get(kind.__name__, kind.__name__) in result.op_types


@pytest.mark.parametrize(
    "layer",
    [
        layers.SimpleRNN(3, activation="relu"),
        layers.SimpleRNN(3, activation="sigmoid", use_bias=False),
        layers.LSTM(3, recurrent_activation="tanh", use_bias=False),
        layers.LSTM(3, unit_forget_bias=False, dropout=0.3, recurrent_dropout=0.2),
        layers.GRU(3, reset_after=False),
        layers.GRU(3, reset_after=False, use_bias=False),
        layers.GRU(3, activation="relu", use_bias=False),
    ],
    ids=lambda layer: layer.name,
)
def test_recurrent_options(exported, rng, layer):
    exported(scramble(model_of((4, 2), layer), rng))


@pytest.mark.parametrize("kind", RECURRENT, ids=lambda k: k.__name__)
def test_return_state(exported, rng, kind):
    x = numnet.Input((5, 3))
    outputs = kind(4, return_sequences=True, return_state=True)(x)
    result = exported(scramble(numnet.Model(x, outputs), rng))
    assert len(result.proto.graph.output) == len(outputs)


def test_stacked_layers_need_no_transposes_between_them(exported, rng):
    model = model_of(
        (6, 3),
        layers.LSTM(4, return_sequences=True),
        layers.GRU(3, return_sequences=True, go_backwards=True),
        layers.SimpleRNN(2),
        layers.Dense(2),
    )
    result = exported(scramble(model, rng))
    assert result.op_types.count("Transpose") == 1


def test_free_sequence_length(exported, rng):
    model = scramble(model_of((None, 3), layers.GRU(4, return_sequences=True)), rng)
    result = exported(model)
    for steps in (1, 9):
        result.compare([rng.standard_normal((2, steps, 3)).astype(np.float32)])


def test_encoder_states_start_the_decoder(exported, rng):
    source, target = numnet.Input((5, 3)), numnet.Input((4, 2))
    _, h, c = layers.LSTM(6, return_state=True, name="encoder")(source)
    decoded = layers.LSTM(6, return_sequences=True, name="decoder")(target, initial_state=[h, c])
    scores = layers.TimeDistributed(layers.Dense(3, activation="softmax"))(decoded)
    exported(scramble(numnet.Model([source, target], scores), rng))


@pytest.mark.parametrize("merge_mode", ["concat", "sum", "mul", "ave", None])
@pytest.mark.parametrize("return_sequences", [False, True])
def test_bidirectional(exported, rng, merge_mode, return_sequences):
    rnn = layers.LSTM(3, return_sequences=return_sequences)
    x = numnet.Input((5, 2))
    outputs = layers.Bidirectional(rnn, merge_mode=merge_mode)(x)
    exported(scramble(numnet.Model(x, outputs), rng))


def test_bidirectional_with_its_own_backward_layer_and_states(exported, rng):
    forward = layers.GRU(3, return_sequences=True, return_state=True, go_backwards=True)
    backward = layers.GRU(3, return_sequences=True, return_state=True)
    x = numnet.Input((5, 2))
    outputs = layers.Bidirectional(forward, backward_layer=backward)(x)
    exported(scramble(numnet.Model(x, outputs), rng))


def ids_of(batch, steps=6, vocabulary=10, dtype=np.float32, seed=0):
    """Token ids in [0, vocabulary), zeros included."""
    return [
        np.random.default_rng(seed + batch).integers(0, vocabulary, (batch, steps)).astype(dtype)
    ]


@pytest.mark.parametrize("dtype", ["float32", "int32"])
def test_embedding_then_recurrent(exported, rng, dtype):
    ids = numnet.Input((6,), dtype=dtype)
    vectors = layers.Embedding(10, 4)(ids)
    scores = layers.Dense(2)(layers.Bidirectional(layers.SimpleRNN(3))(vectors))
    model = scramble(numnet.Model(ids, scores), rng)
    exported(model, make_inputs=lambda n: ids_of(n, dtype=np.dtype(dtype)))


def test_a_mask_nothing_reads_is_fine(exported):
    model = model_of((6,), layers.Embedding(10, 4, mask_zero=True), layers.Dense(2))
    exported(model, make_inputs=ids_of)


@pytest.mark.parametrize(
    "inner",
    [layers.Dense(3, activation="relu"), layers.Conv2D(2, 3, padding="same"), layers.Flatten()],
    ids=lambda layer: layer.name,
)
def test_time_distributed(exported, rng, inner):
    shape = (4, 3) if isinstance(inner, layers.Dense) else (4, 5, 5, 2)
    exported(model_of(shape, layers.TimeDistributed(inner)))


# --- what cannot be exported -----------------------------------------------------------------
def test_masked_steps_are_a_clear_error():
    model = model_of((6,), layers.Embedding(10, 4, mask_zero=True), layers.LSTM(3, name="reader"))
    with pytest.raises(ExportError, match=r"LSTM layer 'reader'.*mask"):
        to_onnx(model)
    model = model_of((6, 2), layers.Masking(name="pad"), layers.GRU(3))
    with pytest.raises(ExportError, match=r"Masking layer 'pad'"):
        to_onnx(model)


def test_stateful_layers_are_a_clear_error():
    model = model_of((4, 2), layers.GRU(3, stateful=True, name="memory"))
    with pytest.raises(ExportError, match=r"GRU layer 'memory'.*stateful"):
        to_onnx(model)


def test_unexportable_activation_is_a_clear_error():
    model = model_of((4, 2), layers.SimpleRNN(3, activation="gelu", name="odd"))
    with pytest.raises(ExportError, match=r"SimpleRNN layer 'odd'.*'gelu'"):
        to_onnx(model)


def test_dropout_in_training_mode_is_a_clear_error():
    x = numnet.Input((4, 2))
    y = layers.LSTM(3, dropout=0.5, name="noisy")(x, training=True)
    with pytest.raises(ExportError, match=r"LSTM layer 'noisy'.*training=True"):
        to_onnx(numnet.Model(x, y))
