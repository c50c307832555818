"""SimpleRNN, LSTM and GRU as layers: Keras' weight layout and parameter counts, the
layer against its functional op and against PyTorch, the fast and the step path,
return_sequences / return_state / go_backwards / initial_state (eager and symbolic),
dropout, stateful truncated BPTT, errors, float64 gradients, and a small learning task."""

from __future__ import annotations

import numpy as np
import pytest

import numnet
from numnet import functional as F
from numnet import layers
from numnet.autograd.graph import topological_order

KINDS = {
    "SimpleRNN": lambda units, **kw: layers.SimpleRNN(units, **kw),
    "LSTM": lambda units, **kw: layers.LSTM(units, **kw),
    "GRU": lambda units, **kw: layers.GRU(units, **kw),
    "GRU_reset_before": lambda units, **kw: layers.GRU(units, reset_after=False, **kw),
}


def sequences(n=3, steps=5, features=4, seed=0, dtype=np.float64):
    return np.random.default_rng(seed).normal(size=(n, steps, features)).astype(dtype)


@pytest.mark.parametrize(
    ("kind", "params"),
    [
        ("SimpleRNN", 128 * (28 + 128 + 1)),
        ("LSTM", 4 * 128 * (28 + 128 + 1)),
        ("GRU", 3 * 128 * (28 + 128 + 2)),
        ("GRU_reset_before", 3 * 128 * (28 + 128 + 1)),
    ],
)
def test_parameter_counts_match_keras(kind, params):
    layer = KINDS[kind](128)
    y = layer(sequences(n=2, steps=3, features=28, dtype=np.float32))
    assert y.shape == (2, 128) and y.dtype == np.float32
    assert layer.count_params() == params
    assert params in (20_096, 80_384, 60_672, 60_288)


@pytest.mark.parametrize(
    ("kind", "shapes"),
    [
        ("SimpleRNN", [(4, 6), (6, 6), (6,)]),
        ("LSTM", [(4, 24), (6, 24), (24,)]),
        ("GRU", [(4, 18), (6, 18), (2, 18)]),
        ("GRU_reset_before", [(4, 18), (6, 18), (18,)]),
    ],
)
def test_weights_in_keras_layout(kind, shapes):
    layer = KINDS[kind](6)
    layer(sequences())
    assert [w.shape for w in layer.weights] == shapes
    assert [w.name.split("/")[-1] for w in layer.weights] == ["kernel", "recurrent_kernel", "bias"]
    # orthogonal recurrent kernel: its rows are orthonormal (Saxe et al. 2014)
    w_h = layer.recurrent_kernel.data
    np.testing.assert_allclose(w_h @ w_h.T, np.eye(6), atol=1e-10)


def test_lstm_unit_forget_bias():
    layer = layers.LSTM(3)
    layer(sequences())
    np.testing.assert_array_equal(layer.bias.data, [0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0])
    plain = layers.LSTM(3, unit_forget_bias=False)
    plain(sequences())
    np.testing.assert_array_equal(plain.bias.data, np.zeros(12))


def functional_op(layer, x, states):
    """The same computation written with numnet.functional directly."""
    args = (layer.kernel, layer.recurrent_kernel, layer.bias)
    if isinstance(layer, layers.LSTM):
        hs, _ = F.lstm(x, *states, *args, go_backwards=layer.go_backwards)
        return hs
    if isinstance(layer, layers.GRU):
        return F.gru(
            x, *states, *args, reset_after=layer.reset_after, go_backwards=layer.go_backwards
        )
    return F.simple_rnn(x, *states, *args, go_backwards=layer.go_backwards)


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("go_backwards", [False, True])
def test_forward_equals_the_functional_op(kind, go_backwards):
    layer = KINDS[kind](5, return_sequences=True, go_backwards=go_backwards)
    x = sequences()
    rng = np.random.default_rng(1)
    states = [rng.normal(size=(3, 5)) for _ in layer.state_names]
    out = layer(x, initial_state=states)
    np.testing.assert_allclose(out.data, functional_op(layer, x, states).data, atol=1e-12)
    last = KINDS[kind](5, go_backwards=go_backwards)
    last(x)
    last.set_weights(layer.get_weights())
    np.testing.assert_allclose(last(x, initial_state=states).data, out.data[:, -1], atol=1e-12)


PATHS = ("fast", "step")


def both_paths(layer, path, x_data, initial, grad_out):
    """The outputs and every gradient (input, initial states, weights) of one path: the
    whole-sequence op ("fast") or the loop of autograd steps ("step")."""
    x = numnet.tensor(x_data, requires_grad=True)
    states = [numnet.tensor(s, requires_grad=True) for s in initial]
    for w in layer.weights:
        w.grad = None
    if path == "fast":
        hs, _ = layer.run_sequence(x, states)
    else:
        hs, _ = layer.run_steps(x, states, None, None)
    (hs * grad_out).sum().backward()
    return [hs.data, x.grad, *(s.grad for s in states), *(w.grad for w in layer.weights)]


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("go_backwards", [False, True])
def test_fast_and_step_paths_agree_with_rates_zero(kind, go_backwards):
    """The whole-sequence op and the per-step loop of functional ops: same values, same
    gradients of inputs, initial states and weights."""
    layer = KINDS[kind](4, return_sequences=True, go_backwards=go_backwards)
    layer(sequences())
    rng = np.random.default_rng(2)
    grad_out = rng.normal(size=(3, 5, 4))
    initial = [rng.normal(size=(3, 4)) for _ in layer.state_names]
    results = [both_paths(layer, path, sequences(), initial, grad_out) for path in PATHS]
    for fast, step in zip(*results, strict=True):
        np.testing.assert_allclose(step, fast, atol=1e-10)


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("go_backwards", [False, True])
def test_fast_and_step_paths_agree_in_float32(kind, go_backwards):
    """As above at a larger size in float32, the dtype training runs in: the op's fast
    forms (time-major caches, in-place gates, per-step sums) give the step loop's numbers
    to float32 precision, and no array is silently promoted to float64."""
    n, steps, features, units = 32, 12, 7, 16
    layer = KINDS[kind](units, return_sequences=True, go_backwards=go_backwards)
    layer(sequences(n, steps, features, dtype=np.float32))
    rng = np.random.default_rng(3)
    grad_out = rng.normal(size=(n, steps, units)).astype(np.float32)
    initial = [rng.normal(size=(n, units)).astype(np.float32) for _ in layer.state_names]
    x = sequences(n, steps, features, dtype=np.float32)
    results = [both_paths(layer, path, x, initial, grad_out) for path in PATHS]
    for fast, step in zip(*results, strict=True):
        assert fast.dtype == np.float32
        np.testing.assert_allclose(fast, step, rtol=1e-4, atol=1e-4 * np.abs(step).max())


def test_go_backwards_reads_the_reversed_sequence_and_keeps_processing_order():
    x = sequences()
    forward = layers.LSTM(3, return_sequences=True)
    backward = layers.LSTM(3, return_sequences=True, go_backwards=True)
    forward(x)
    backward(x)
    backward.set_weights(forward.get_weights())
    np.testing.assert_allclose(backward(x).data, forward(x[:, ::-1]).data, atol=1e-12)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_return_sequences_and_state_shapes(kind):
    x = sequences()
    out = KINDS[kind](6, return_sequences=True, return_state=True)(x)
    n_states = 2 if kind == "LSTM" else 1
    assert isinstance(out, list) and len(out) == 1 + n_states
    assert out[0].shape == (3, 5, 6) and all(s.shape == (3, 6) for s in out[1:])
    np.testing.assert_array_equal(out[1].data, out[0].data[:, -1])
    last = KINDS[kind](6, return_state=True)(x)
    assert [t.shape for t in last] == [(3, 6)] * (1 + n_states)


def test_initial_state_changes_the_output_and_accepts_one_tensor():
    layer = layers.GRU(3)
    x = sequences()
    zero = layer(x).data
    h0 = np.ones((3, 3))
    np.testing.assert_array_equal(layer(x, initial_state=np.zeros((3, 3))).data, zero)
    assert not np.allclose(layer(x, initial_state=h0).data, zero)
    np.testing.assert_array_equal(
        layer(x, initial_state=h0).data, layer(x, initial_state=[h0]).data
    )


def test_symbolic_initial_state_encoder_decoder_runs_saves_and_loads(tmp_path):
    encoder_in, decoder_in = numnet.Input((None, 4)), numnet.Input((None, 2))
    _, h, c = layers.LSTM(5, return_state=True)(encoder_in)
    decoded = layers.LSTM(5, return_sequences=True)(decoder_in, initial_state=[h, c])
    model = numnet.Model([encoder_in, decoder_in], layers.Dense(2)(decoded))
    x_enc, x_dec = sequences(4, 6, 4, dtype=np.float32), sequences(4, 3, 2, 1, dtype=np.float32)
    predicted = model.predict([x_enc, x_dec])
    assert predicted.shape == (4, 3, 2)
    encoder, decoder, dense = model.layers
    _, h_t, c_t = encoder(x_enc)
    by_hand = dense(decoder(x_dec, initial_state=[h_t, c_t])).data
    np.testing.assert_allclose(predicted, by_hand, atol=1e-6)
    model.save(tmp_path / "seq2seq.npz")
    restored = numnet.models.load_model(tmp_path / "seq2seq.npz")
    np.testing.assert_allclose(restored.predict([x_enc, x_dec]), predicted, atol=1e-6)
    lines = []
    model.summary(print_fn=lines.append)
    assert any("lstm[0][1], lstm[0][2]" in line for line in lines)


# --- errors -------------------------------------------------------------------------------
def test_two_dimensional_input_is_a_clear_error():
    with pytest.raises(
        ValueError, match=r"LSTM layer 'lstm' expects sequences of shape \(N, T, D\)"
    ):
        layers.LSTM(4)(np.zeros((3, 5)))


def test_wrong_feature_count_after_build_names_the_expected_shape():
    layer = layers.GRU(4)
    layer(sequences(features=4))
    with pytest.raises(ValueError, match=r"'gru' expects sequences of shape \(N, T, 4\)"):
        layer(sequences(features=3))


def test_wrong_feature_count_in_a_functional_graph():
    with pytest.raises(ValueError, match="simple_rnn"):
        layers.SimpleRNN(3)(numnet.Input((7,)))


def test_set_weights_with_wrong_shapes_names_layer_and_shape():
    layer = layers.LSTM(4)
    layer(sequences())
    weights = layer.get_weights()
    weights[1] = np.zeros((4, 12))
    with pytest.raises(ValueError, match=r"lstm/recurrent_kernel has shape \(4, 16\)"):
        layer.set_weights(weights)


def test_bad_initial_states_and_arguments():
    layer = layers.LSTM(4)
    with pytest.raises(ValueError, match=r"takes 2 initial state\(s\)"):
        layer(sequences(), initial_state=[np.zeros((3, 4))])
    with pytest.raises(ValueError, match=r"initial state c must have shape \(N, units\)"):
        layer(sequences(), initial_state=[np.zeros((3, 4)), np.zeros((3, 5))])
    with pytest.raises(ValueError, match="units must be a positive integer"):
        layers.GRU(0)
    with pytest.raises(ValueError, match="recurrent_dropout must be in"):
        layers.SimpleRNN(3, recurrent_dropout=1.0)


# --- dropout ------------------------------------------------------------------------------
def identity_rnn(**kwargs):
    """A SimpleRNN with identity activation, W_x = W_h = I and no bias: h_t = x_t + h_{t-1},
    so each unit's dropout mask can be read off the output."""
    layer = layers.SimpleRNN(
        3, activation="linear", use_bias=False, return_sequences=True, **kwargs
    )
    layer(np.zeros((1, 1, 3)))
    layer.set_weights([np.eye(3), np.eye(3)])
    return layer


def test_input_dropout_uses_one_mask_per_sequence_and_only_in_training():
    layer = identity_rnn(dropout=0.5, seed=0)
    x = np.ones((8, 4, 3))
    inference = layer(x).data
    np.testing.assert_array_equal(
        inference, np.broadcast_to(np.arange(1, 5)[None, :, None], (8, 4, 3))
    )
    steps = np.diff(layer(x, training=True).data, axis=1, prepend=0)  # = x_t * mask
    assert set(np.unique(steps)) <= {0.0, 2.0} and 0 < steps.mean() < 2
    np.testing.assert_array_equal(steps, np.broadcast_to(steps[:, :1], steps.shape))


def test_recurrent_dropout_masks_h_before_the_recurrent_product_with_one_mask():
    layer = identity_rnn(recurrent_dropout=0.5, seed=1)
    x = np.ones((16, 4, 3))
    out = layer(x, training=True).data
    # h_t = 1 + m * h_{t-1}: a dropped unit stays at 1, a kept one (m = 2) runs 1, 3, 7, 15
    kept = out[:, -1] == 15
    assert kept.any() and (~kept).any()
    expected = np.where(kept[:, None, :], np.array([1, 3, 7, 15])[None, :, None], 1.0)
    np.testing.assert_array_equal(out, expected)
    np.testing.assert_array_equal(
        layer(x).data[:, -1], np.full((16, 3), 4.0)
    )  # inference: h_t = 1 + h_{t-1}


# --- stateful -----------------------------------------------------------------------------
def test_stateful_continues_the_sequence_and_detaches_between_batches():
    x = sequences(n=2, steps=6, seed=3)
    whole = layers.LSTM(4)
    expected = whole(x).data
    layer = layers.LSTM(4, stateful=True)
    layer(x[:, :3])
    layer.set_weights(whole.get_weights())
    layer.reset_states()
    first = layer(x[:, :3])
    held = layer.states
    assert all(s.creator is None and not s.requires_grad for s in held)
    second = layer(x[:, 3:])
    np.testing.assert_allclose(second.data, expected, atol=1e-12)
    # truncated BPTT: the second batch's graph is no larger than the first's and never
    # reaches a tensor computed in the first batch (the weights, leaves, are shared)
    graph_first, graph_second = topological_order(first.sum()), topological_order(second.sum())
    assert len(graph_second) == len(graph_first)
    computed_first = {id(t) for t in graph_first if t.creator is not None}
    assert not any(id(t) in computed_first for t in graph_second)
    second.sum().backward()
    assert held[0].grad is None


def test_reset_states_starts_again_from_zeros_and_batch_size_is_fixed():
    x = sequences(n=2, steps=3)
    layer = layers.GRU(3, stateful=True)
    fresh = layer(x).data
    assert not np.allclose(layer(x).data, fresh)
    with pytest.raises(ValueError, match="stateful and holds states for batches of 2"):
        layer(sequences(n=3, steps=3))
    layer.reset_states()
    assert layer.states is None
    np.testing.assert_array_equal(layer(x).data, fresh)
    with pytest.raises(AttributeError, match="not stateful"):
        layers.GRU(3).reset_states()


def test_reset_states_to_given_arrays():
    layer = layers.LSTM(2, stateful=True)
    x = sequences(n=2, steps=3)
    layer(x)
    h0, c0 = np.ones((2, 2)), -np.ones((2, 2))
    layer.reset_states([h0, c0])
    expected = layers.LSTM(2)
    expected(x)
    expected.set_weights(layer.get_weights())
    np.testing.assert_array_equal(layer(x).data, expected(x, initial_state=[h0, c0]).data)
    with pytest.raises(ValueError, match="takes 2 initial state"):
        layer.reset_states([h0])


def test_stateful_layer_in_a_model_keeps_no_state_from_building():
    model = numnet.Sequential([numnet.Input((3, 4)), layers.SimpleRNN(2, stateful=True)])
    assert model.layers[0].states is None
    model.predict(sequences(n=5, steps=3, dtype=np.float32), batch_size=5)
    assert model.layers[0].states[0].shape == (5, 2)


# --- dtype and gradients ------------------------------------------------------------------
@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("return_sequences", [False, True])
def test_float64_gradients_of_the_layer(kind, return_sequences):
    layer = KINDS[kind](3, return_sequences=return_sequences, go_backwards=return_sequences)
    x = sequences(n=2, steps=3, features=2)
    layer(x)
    assert all(w.dtype == np.float64 for w in layer.weights)
    assert numnet.gradcheck(layer, x, params=layer.parameters(), atol=1e-6, rtol=1e-4)


@pytest.mark.parametrize("kind", ["SimpleRNN", "LSTM", "GRU"])
def test_float64_gradients_of_the_step_path(kind):
    """Activations other than the op's run the step loop; autograd differentiates it."""
    extra = {} if kind == "SimpleRNN" else {"recurrent_activation": "tanh"}
    layer = KINDS[kind](3, activation="sigmoid", return_sequences=True, **extra)
    x = sequences(n=2, steps=3, features=2)
    layer(x)
    assert not layer.has_fast_path()
    assert numnet.gradcheck(layer, x, params=layer.parameters(), atol=1e-6, rtol=1e-4)


def test_float32_by_default_and_float64_from_float64_inputs():
    assert layers.LSTM(2)(sequences(dtype=np.float32)).dtype == np.float32
    assert layers.LSTM(2)(sequences(dtype=np.float64)).dtype == np.float64


# --- PyTorch as the oracle ------------------------------------------------------------------
def to_torch(kind, weights, torch):
    """Keras-layout weights as the parameters of torch.nn.LSTM / GRU (gate order i, f, g, o
    for both LSTMs; Keras' GRU z, r, h is torch's r, z, n)."""
    kernel, recurrent_kernel, bias = weights
    order = [0, 1, 2, 3] if kind == "LSTM" else [1, 0, 2]

    def blocks(w):
        parts = np.split(w, len(order), axis=-1)
        return torch.tensor(np.concatenate([parts[k] for k in order], axis=-1))

    b_ih, b_hh = (bias, np.zeros_like(bias)) if kind == "LSTM" else (bias[0], bias[1])
    return {
        "weight_ih_l0": blocks(kernel).T,
        "weight_hh_l0": blocks(recurrent_kernel).T,
        "bias_ih_l0": blocks(b_ih),
        "bias_hh_l0": blocks(b_hh),
    }


@pytest.mark.parametrize("kind", ["LSTM", "GRU"])
def test_layers_match_pytorch_with_keras_weights(kind):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(5)
    n, steps, d, u = 3, 6, 4, 5
    weights = [rng.normal(scale=0.5, size=s) for s in ((d, 4 * u), (u, 4 * u), (4 * u,))]
    if kind == "GRU":
        weights = [rng.normal(scale=0.5, size=s) for s in ((d, 3 * u), (u, 3 * u), (2, 3 * u))]
    layer = KINDS[kind](u, return_sequences=True, return_state=True)
    x = sequences(n, steps, d, seed=6)
    layer(x)
    layer.set_weights(weights)
    h0 = rng.normal(size=(n, u))
    states = [h0, rng.normal(size=(n, u))] if kind == "LSTM" else [h0]
    hs, *final = layer(x, initial_state=states)

    module = getattr(torch.nn, kind)(d, u, batch_first=True, dtype=torch.float64)
    with torch.no_grad():
        for name, value in to_torch(kind, weights, torch).items():
            getattr(module, name).copy_(value)
    torch_states = tuple(torch.tensor(s)[None] for s in states)
    expected, torch_final = module(
        torch.tensor(x), torch_states if kind == "LSTM" else torch_states[0]
    )
    np.testing.assert_allclose(hs.data, expected.detach().numpy(), atol=1e-10)
    torch_final = torch_final if kind == "LSTM" else (torch_final,)
    for ours, theirs in zip(final, torch_final, strict=True):
        np.testing.assert_allclose(ours.data, theirs[0].detach().numpy(), atol=1e-10)


# --- learning -----------------------------------------------------------------------------
def test_lstm_learns_whether_a_sequence_sums_to_a_positive_number():
    numnet.random.seed(0)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(512, 10, 1)).astype(np.float32)
    y = (x.sum(axis=(1, 2)) > 0).astype(np.float32)
    model = numnet.Sequential(
        [numnet.Input((10, 1)), layers.LSTM(8), layers.Dense(1, activation="sigmoid")]
    )
    model.compile(numnet.optimizers.Adam(0.02), "binary_crossentropy", metrics=["accuracy"])
    model.fit(x, y, batch_size=32, epochs=8, verbose=0)
    _, accuracy = model.evaluate(x, y, verbose=0)
    assert accuracy > 0.9
