"""Embedding, masking, Bidirectional and TimeDistributed, and the save/load and summary
contract of every sequence layer (SimpleRNN, LSTM, GRU included)."""

from __future__ import annotations

import numpy as np
import pytest

import numnet
from numnet import functional as F
from numnet import layers
from numnet.models import Sequential, load_model


def sequences(n=3, steps=5, features=4, seed=0, dtype=np.float64):
    return np.random.default_rng(seed).normal(size=(n, steps, features)).astype(dtype)


# --- Embedding ----------------------------------------------------------------------------
def test_embedding_op_gradcheck_with_repeated_ids():
    weights = np.random.default_rng(0).normal(size=(6, 3))
    ids = np.array([[0, 2, 2, 5], [2, 1, 0, 0]])
    assert numnet.gradcheck(lambda w: F.embedding(ids, w), weights)
    w = numnet.tensor(weights, requires_grad=True)
    out = F.embedding(ids, w)
    np.testing.assert_array_equal(out.data, weights[ids])
    out.backward(np.ones_like(out.data))
    counts = np.bincount(ids.ravel(), minlength=6)  # row k gets one 1 per occurrence of k
    np.testing.assert_array_equal(w.grad, np.repeat(counts[:, None], 3, axis=1))


def test_embedding_layer_looks_up_rows_from_int_and_whole_float_ids():
    layer = layers.Embedding(10, 4)
    ids = np.array([[1, 2, 9], [0, 0, 3]])
    out = layer(ids)
    assert out.shape == (2, 3, 4) and out.dtype == np.float32
    assert layer.embeddings.shape == (10, 4) and layer.count_params() == 40
    assert np.abs(layer.embeddings.data).max() <= 0.05  # Keras' U(-0.05, 0.05)
    np.testing.assert_array_equal(out.data, layer.embeddings.data[ids])
    np.testing.assert_array_equal(layer(ids.astype(np.float32)).data, out.data)
    np.testing.assert_array_equal(layer(numnet.Tensor.from_array(ids)).data, out.data)


def test_embedding_layer_gradient_float64():
    layer = layers.Embedding(5, 2, dtype="float64")
    ids = np.array([[1, 1, 4], [0, 3, 1]])
    layer(ids)
    assert layer.embeddings.dtype == np.float64
    assert numnet.gradcheck(lambda: layer(ids), params=layer.parameters())


@pytest.mark.parametrize(
    ("ids", "message"),
    [
        ([[1, 10]], r"ids in \[0, 10\), got 10"),
        ([[-1, 2]], r"ids in \[0, 10\), got -1"),
        (np.array([[1.5, 2.0]]), r"non-integral value 1.5"),
    ],
)
def test_embedding_rejects_bad_ids_naming_the_layer(ids, message):
    with pytest.raises(ValueError, match=f"Embedding layer 'embedding'.*{message}"):
        layers.Embedding(10, 3)(np.asarray(ids))


def test_embedding_mask_zero_makes_recurrent_layers_skip_padding():
    embedding = layers.Embedding(8, 3, mask_zero=True)
    lstm = layers.LSTM(4)
    model = Sequential([numnet.Input((5,), dtype="int32"), embedding, lstm])
    ids = np.array([[3, 1, 4, 0, 0], [2, 7, 1, 5, 6], [5, 0, 0, 0, 0]])
    predicted = model.predict(ids)
    vectors = embedding.embeddings.data
    for row, output in zip(ids, predicted, strict=True):
        length = int((row != 0).sum())  # the padding is at the end
        alone = lstm(vectors[row[None, :length]]).data[0]
        np.testing.assert_allclose(output, alone, atol=1e-6)
    assert embedding(ids)._keras_mask.tolist() == (ids != 0).tolist()


def test_masked_steps_carry_the_state_and_sequences_keep_the_mask():
    x = sequences(n=2, steps=4, features=3)
    mask = np.array([[True, True, False, False], [True, True, True, True]])
    layer = layers.GRU(2, return_sequences=True)
    out = layer(x, mask=mask)
    np.testing.assert_array_equal(out.data[0, 2], out.data[0, 1])  # state carried over
    np.testing.assert_allclose(out.data[0, :2], layer(x[:1, :2]).data[0], atol=1e-12)
    np.testing.assert_allclose(out.data[1], layer(x[1:]).data[0], atol=1e-12)
    np.testing.assert_array_equal(out._keras_mask, mask)
    assert numnet.gradcheck(lambda x_in: layer(x_in, mask=mask), x, params=layer.parameters())


def test_masking_layer_marks_steps_equal_to_the_mask_value():
    x = sequences(n=2, steps=4, features=3)
    x[0, 3] = 0.0
    out = layers.Masking()(x)
    assert out._keras_mask.tolist() == [[True, True, True, False], [True] * 4]
    lstm = layers.LSTM(2)
    np.testing.assert_allclose(lstm(out).data[0], lstm(x[:1, :3]).data[0], atol=1e-12)


# --- Bidirectional ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("merge_mode", "merge"),
    [
        ("concat", lambda a, b: np.concatenate([a, b], axis=-1)),
        ("sum", lambda a, b: a + b),
        ("mul", lambda a, b: a * b),
        ("ave", lambda a, b: (a + b) / 2),
        (None, lambda a, b: [a, b]),
    ],
)
@pytest.mark.parametrize("return_sequences", [False, True])
def test_bidirectional_merges_forward_and_flipped_backward(merge_mode, merge, return_sequences):
    x = sequences()
    bi = layers.Bidirectional(
        layers.LSTM(3, return_sequences=return_sequences), merge_mode=merge_mode
    )
    out = bi(x)
    assert [layer.name for layer in bi.sublayers] == ["forward_lstm", "backward_lstm"]
    assert bi.backward_layer.go_backwards and not bi.forward_layer.go_backwards
    assert bi.count_params() == 2 * 4 * 3 * (4 + 3 + 1)
    forward, backward = layers.LSTM(3, return_sequences=return_sequences), layers.LSTM(3)
    forward(x)
    backward = layers.LSTM(3, return_sequences=return_sequences)
    backward(x)
    forward.set_weights(bi.get_weights()[:3])
    backward.set_weights(bi.get_weights()[3:])
    backward_out = backward(x[:, ::-1]).data  # reads x_T first, like go_backwards
    if return_sequences:
        backward_out = backward_out[:, ::-1]  # step t has read x_t .. x_T
    expected = merge(forward(x).data, backward_out)
    got = [o.data for o in out] if merge_mode is None else out.data
    np.testing.assert_allclose(got, expected, atol=1e-12)


def test_bidirectional_return_state_and_initial_state():
    x = sequences()
    bi = layers.Bidirectional(layers.GRU(2, return_state=True))
    out, h_forward, h_backward = bi(x)
    assert out.shape == (3, 4)
    np.testing.assert_array_equal(out.data, np.concatenate([h_forward.data, h_backward.data], -1))
    states = [np.ones((3, 2)), -np.ones((3, 2))]
    _, h_f2, h_b2 = bi(x, initial_state=states)
    np.testing.assert_allclose(
        h_f2.data, bi.forward_layer(x, initial_state=states[:1])[1].data, atol=1e-12
    )
    np.testing.assert_allclose(
        h_b2.data, bi.backward_layer(x, initial_state=states[1:])[1].data, atol=1e-12
    )


def test_bidirectional_with_an_explicit_backward_layer_and_errors():
    bi = layers.Bidirectional(
        layers.SimpleRNN(2), backward_layer=layers.SimpleRNN(2, go_backwards=True, name="back")
    )
    assert bi(sequences()).shape == (3, 4) and bi.backward_layer.name == "back"
    with pytest.raises(ValueError, match="must differ in go_backwards"):
        layers.Bidirectional(layers.SimpleRNN(2), backward_layer=layers.SimpleRNN(2))
    with pytest.raises(ValueError, match="merge_mode"):
        layers.Bidirectional(layers.SimpleRNN(2), merge_mode="max")
    with pytest.raises(ValueError, match="needs a recurrent layer"):
        layers.Bidirectional(layers.Dense(2))


def test_bidirectional_stateful_reset():
    bi = layers.Bidirectional(layers.LSTM(2, stateful=True))
    x = sequences(n=2)
    fresh = bi(x).data
    assert len(bi.states) == 4
    bi.reset_states()
    assert bi.states is None
    np.testing.assert_array_equal(bi(x).data, fresh)


# --- TimeDistributed ----------------------------------------------------------------------
def test_time_distributed_dense_equals_dense_on_three_dimensional_input():
    x = sequences()
    wrapped = layers.TimeDistributed(layers.Dense(2, activation="tanh"))
    out = wrapped(x)
    assert out.shape == (3, 5, 2) and wrapped.count_params() == 4 * 2 + 2
    dense = layers.Dense(2, activation="tanh")
    dense(x)
    dense.set_weights(wrapped.get_weights())
    np.testing.assert_allclose(out.data, dense(x).data, atol=1e-12)
    assert numnet.gradcheck(wrapped, x, params=wrapped.parameters())


def test_time_distributed_needs_a_time_axis():
    with pytest.raises(ValueError, match=r"TimeDistributed layer 'time_distributed'.*\(N, T"):
        layers.TimeDistributed(layers.Dense(2))(np.zeros((3, 4)))


# --- every sequence layer: save/load, summary, train vs inference ----------------------------
MODELS = {
    "SimpleRNN": lambda: [layers.SimpleRNN(3, return_sequences=True, go_backwards=True)],
    "LSTM": lambda: [layers.LSTM(3, dropout=0.2, recurrent_dropout=0.2)],
    "GRU": lambda: [layers.GRU(3, reset_after=False, activation="relu")],
    "Bidirectional": lambda: [layers.Bidirectional(layers.GRU(2, return_sequences=True), "sum")],
    "TimeDistributed": lambda: [layers.TimeDistributed(layers.Dense(2))],
    "Embedding": lambda: [layers.Embedding(7, 2, mask_zero=True), layers.LSTM(2)],
    "Masking": lambda: [layers.Masking(), layers.SimpleRNN(2)],
}
OUTPUTS = {
    "SimpleRNN": ((None, 5, 3), 3 * (4 + 3 + 1)),
    "LSTM": ((None, 3), 4 * 3 * (4 + 3 + 1)),
    "GRU": ((None, 3), 3 * 3 * (4 + 3 + 1)),
    "Bidirectional": ((None, 5, 2), 2 * 3 * 2 * (4 + 2 + 2)),
    "TimeDistributed": ((None, 5, 2), 4 * 2 + 2),
    "Embedding": ((None, 2), 7 * 2 + 4 * 2 * (2 + 2 + 1)),
    "Masking": ((None, 2), 2 * (4 + 2 + 1)),
}


def model_input(name):
    if name == "Embedding":
        ids = np.random.default_rng(0).integers(0, 7, size=(4, 5))
        return numnet.Input((5,), dtype="int32"), ids
    return numnet.Input((5, 4)), sequences(n=4, dtype=np.float32)


@pytest.mark.parametrize("name", sorted(MODELS))
def test_sequential_save_load_and_summary(name, tmp_path):
    symbolic_input, x = model_input(name)
    model = Sequential([symbolic_input, *MODELS[name]()])
    expected = model.predict(x)
    model.save(tmp_path / "model.npz")
    restored = load_model(tmp_path / "model.npz")
    np.testing.assert_allclose(restored.predict(x), expected, atol=1e-6)
    assert [type(layer) for layer in restored.layers] == [type(layer) for layer in model.layers]
    shape, params = OUTPUTS[name]
    lines = []
    model.summary(print_fn=lines.append)
    assert str(shape) in lines[-6] and f"Total params: {params:,}" in lines
    assert model.count_params() == params


@pytest.mark.parametrize("name", sorted(MODELS))
def test_functional_save_load(name, tmp_path):
    symbolic_input, x = model_input(name)
    y = symbolic_input
    for layer in MODELS[name]():
        y = layer(y)
    model = numnet.Model(symbolic_input, layers.Dense(1)(layers.Flatten()(y) if y.ndim > 2 else y))
    expected = model.predict(x)
    model.save(tmp_path / "model.npz")
    np.testing.assert_allclose(load_model(tmp_path / "model.npz").predict(x), expected, atol=1e-6)


def test_dropout_acts_only_in_training():
    layer = layers.LSTM(4, dropout=0.5, recurrent_dropout=0.5, seed=0)
    x = sequences()
    inference = layer(x).data
    np.testing.assert_array_equal(layer(x, training=False).data, inference)
    assert not np.allclose(layer(x, training=True).data, inference)
    plain = layers.LSTM(4)
    plain(x)
    plain.set_weights(layer.get_weights())
    np.testing.assert_array_equal(plain(x).data, inference)


@pytest.mark.parametrize(
    "make",
    [
        lambda: layers.LSTM(3, return_sequences=True, return_state=True),
        lambda: layers.GRU(3, return_state=True),
        lambda: layers.SimpleRNN(3),
        lambda: layers.Bidirectional(layers.LSTM(3, return_sequences=True)),
        lambda: layers.Bidirectional(layers.GRU(3, return_state=True), merge_mode=None),
        lambda: layers.Bidirectional(layers.SimpleRNN(3, return_state=True), merge_mode="ave"),
        lambda: layers.TimeDistributed(layers.Dense(7)),
    ],
)
def test_compute_output_shape_agrees_with_the_output(make):
    layer = make()
    out = layer(sequences())
    shapes = [o.shape for o in out] if isinstance(out, list) else out.shape
    expected = layer.compute_output_shape((3, 5, 4))
    assert shapes == ([tuple(s) for s in expected] if isinstance(expected, list) else expected)


def test_bidirectional_symbolic_initial_state_saves_and_loads(tmp_path):
    x_in, s_in = numnet.Input((None, 3)), numnet.Input((4,))
    h = layers.Dense(4)(s_in)
    bi = layers.Bidirectional(layers.GRU(4, return_sequences=True))
    model = numnet.Model([x_in, s_in], bi(x_in, initial_state=[h, h]))
    x, s = sequences(2, 5, 3, dtype=np.float32), np.ones((2, 4), np.float32)
    predicted = model.predict([x, s])
    h_value = model.get_layer("dense")(s)
    np.testing.assert_allclose(predicted, bi(x, initial_state=[h_value, h_value]).data, atol=1e-6)
    model.save(tmp_path / "model.npz")
    np.testing.assert_allclose(load_model(tmp_path / "model.npz").predict([x, s]), predicted)
