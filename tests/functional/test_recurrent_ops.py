"""simple_rnn, lstm and gru: float64 gradient checks of every input, forward values by
hand and against explicit step loops, and forward and gradients against PyTorch's
nn.RNN / nn.LSTM / nn.GRU (a test-only oracle, skipped where torch is not installed)."""

from __future__ import annotations

import time

import numpy as np
import pytest

import numnet
from numnet import functional as F
from numnet.autograd.tensor import apply
from numnet.functional.lstm import TimeLSTM

N, D, U = 2, 3, 2
GATES = {"rnn": 1, "lstm": 4, "gru": 3, "gru_before": 3}


def make_inputs(kind: str, steps: int, seed: int = 0, n: int = N, d: int = D, u: int = U):
    """x, the initial state(s), kernel, recurrent_kernel and bias in Keras' layout."""
    rng = np.random.default_rng(seed)
    g = GATES[kind] * u
    states = [rng.normal(size=(n, u)) for _ in range(2 if kind == "lstm" else 1)]
    bias_shape = (2, g) if kind == "gru" else (g,)
    weights = [0.5 * rng.normal(size=s) for s in ((d, g), (u, g), bias_shape)]
    return [rng.normal(size=(n, steps, d)), *states, *weights]


def op(kind: str, go_backwards: bool = False, activation: str = "tanh"):
    """The op under test as a function of its inputs, returning one Tensor."""
    if kind == "rnn":
        return lambda *a: F.simple_rnn(*a, activation=activation, go_backwards=go_backwards)
    if kind == "lstm":  # the raw op: its output [hs | cs] checks the cell states too
        return lambda *a: apply(TimeLSTM(go_backwards), *a)
    return lambda *a: F.gru(*a, reset_after=kind == "gru", go_backwards=go_backwards)


CASES = [("rnn", "tanh"), ("rnn", "relu"), ("lstm", ""), ("gru", ""), ("gru_before", "")]


@pytest.mark.parametrize(("kind", "activation"), CASES)
@pytest.mark.parametrize("steps", [1, 3])
@pytest.mark.parametrize("go_backwards", [False, True])
def test_gradient_of_every_input(kind, activation, steps, go_backwards):
    inputs = make_inputs(kind, steps, seed=steps)
    assert numnet.gradcheck(op(kind, go_backwards, activation or "tanh"), *inputs)


@pytest.mark.parametrize("kind", ["rnn", "lstm", "gru", "gru_before"])
def test_gradient_without_bias(kind):
    *inputs, _ = make_inputs(kind, steps=2, seed=7)
    assert numnet.gradcheck(op(kind), *inputs)


def test_lstm_wrapper_gives_hs_and_final_cell_state_with_gradients():
    inputs = make_inputs("lstm", steps=3, seed=8)

    def fn(*a):
        hs, c_last = F.lstm(*a, go_backwards=True)
        return F.concatenate((hs.reshape((N, -1)), c_last), axis=1)

    assert numnet.gradcheck(fn, *inputs)
    hs, c_last = F.lstm(*inputs)
    full = apply(TimeLSTM(), *inputs).data
    np.testing.assert_array_equal(hs.data, full[..., :U])
    np.testing.assert_array_equal(c_last.data, full[:, -1, U:])


def test_simple_rnn_by_hand():
    """T = 2, one unit: h1 = tanh(0.5 * 1 + 0.1) and h2 = tanh(0.5 * 2 + 2 * h1 + 0.1)."""
    x = np.array([[[1.0], [2.0]]])
    kernel, recurrent_kernel, bias = np.array([[0.5]]), np.array([[2.0]]), np.array([0.1])
    hs = F.simple_rnn(x, np.zeros((1, 1)), kernel, recurrent_kernel, bias).data
    h1 = np.tanh(0.6)
    np.testing.assert_allclose(hs[0, :, 0], [h1, np.tanh(1.1 + 2 * h1)])
    # go_backwards reads x[:, 1] first and outputs in processing order
    hs_back = F.simple_rnn(x, None, kernel, recurrent_kernel, bias, go_backwards=True).data
    h1 = np.tanh(1.1)
    np.testing.assert_allclose(hs_back[0, :, 0], [h1, np.tanh(0.6 + 2 * h1)])
    relu = F.simple_rnn(-x, None, kernel, recurrent_kernel, bias, activation="relu").data
    np.testing.assert_allclose(relu[0, :, 0], [0.0, 0.0])


def sigmoid(a):
    return 1 / (1 + np.exp(-a))


def gru_reset_before_loop(x, h, kernel, recurrent_kernel, bias):
    """Keras' GRU(reset_after=False), one unit block at a time."""
    u = h.shape[1]
    (w_z, w_r, w_h), (u_z, u_r, u_h) = np.split(kernel, 3, 1), np.split(recurrent_kernel, 3, 1)
    b_z, b_r, b_h = np.split(bias, 3)
    hs = np.empty((*x.shape[:2], u))
    for t in range(x.shape[1]):
        z = sigmoid(x[:, t] @ w_z + h @ u_z + b_z)
        r = sigmoid(x[:, t] @ w_r + h @ u_r + b_r)
        hh = np.tanh(x[:, t] @ w_h + (r * h) @ u_h + b_h)
        h = hs[:, t] = z * h + (1 - z) * hh
    return hs


def test_gru_reset_before_matches_a_step_loop():
    inputs = make_inputs("gru_before", steps=4, seed=9)
    hs = F.gru(*inputs, reset_after=False).data
    np.testing.assert_allclose(hs, gru_reset_before_loop(*inputs), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("kind", ["rnn", "lstm", "gru", "gru_before"])
def test_go_backwards_is_the_forward_op_on_reversed_input(kind):
    x, *rest = make_inputs(kind, steps=4, seed=10)
    forward = op(kind)(np.ascontiguousarray(x[:, ::-1]), *rest).data
    np.testing.assert_allclose(op(kind, go_backwards=True)(x, *rest).data, forward)


def test_float32_stays_float32_and_zero_initial_state_is_the_default():
    x, h0, _, *weights = (a.astype(np.float32) for a in make_inputs("lstm", steps=3))
    kernel = numnet.tensor(weights[0], requires_grad=True)
    xt = numnet.tensor(x, requires_grad=True)
    hs, c_last = F.lstm(xt, None, None, kernel, *weights[1:])
    assert hs.dtype == np.float32 and c_last.dtype == np.float32
    (hs.sum() + c_last.sum()).backward()
    assert xt.grad.dtype == np.float32 and kernel.grad.dtype == np.float32
    zeros = np.zeros_like(h0)
    explicit, _ = F.lstm(x, zeros, zeros, *weights)
    np.testing.assert_array_equal(hs.data, explicit.data)
    gru_inputs = [a.astype(np.float32) for a in make_inputs("gru", steps=2)]
    assert F.gru(*gru_inputs).dtype == np.float32
    assert F.simple_rnn(*(a.astype(np.float32) for a in make_inputs("rnn", 2))).dtype == np.float32


def test_shape_errors():
    x, h0, kernel, recurrent_kernel, bias = make_inputs("gru", steps=2)
    with pytest.raises(ValueError, match=r"gru: bias has shape \(6,\), expected \(2, 6\)"):
        F.gru(x, h0, kernel, recurrent_kernel, bias[0])
    with pytest.raises(ValueError, match="kernel has shape"):
        F.simple_rnn(x, h0, kernel, recurrent_kernel[:, :2])
    with pytest.raises(ValueError, match=r"initial state has shape \(2, 3\)"):
        F.gru(x, np.zeros((2, 3)), kernel, recurrent_kernel, bias)
    with pytest.raises(ValueError, match=r"expects x of shape \(N, T, D\)"):
        F.gru(x[0], h0, kernel, recurrent_kernel, bias)
    with pytest.raises(ValueError, match="activation must be one of"):
        F.simple_rnn(x, h0, kernel[:, :2], recurrent_kernel[:, :2], activation="sigmoid")


def test_a_thousand_steps_backpropagate():
    x, h0, c0, *weights = make_inputs("lstm", steps=1000, n=2, d=3, u=4)
    leaves = [numnet.tensor(a, requires_grad=True) for a in (x, h0, c0, *weights)]
    start = time.perf_counter()
    hs, c_last = F.lstm(*leaves)
    (hs[:, -1].sum() + c_last.sum() + hs.mean()).backward()
    assert time.perf_counter() - start < 30
    for leaf in leaves:
        assert leaf.grad is not None and leaf.grad.shape == leaf.shape
        assert np.all(np.isfinite(leaf.grad))


# PyTorch as the oracle: Keras-layout leaves, mapped onto the torch module's parameters
# through torch.func.functional_call, so gradients come back in Keras' layout.


def torch_blocks(w, order, torch):
    """Reorder Keras' gate blocks (last axis) into PyTorch's; a kernel becomes (G, fan_in)."""
    blocks = torch.chunk(w, len(order), dim=-1)
    reordered = torch.cat([blocks[k] for k in order], dim=-1)
    return reordered.T if reordered.ndim == 2 else reordered


def torch_run(kind, inputs, go_backwards, torch):
    """Outputs and, for loss = sum(out * weights), the gradient of every input."""
    leaves = [torch.tensor(a, requires_grad=True) for a in inputs]
    x, h0 = leaves[0], leaves[1]
    kernel, recurrent_kernel, bias = leaves[-3:]
    if kind == "gru":  # Keras z, r, h -> PyTorch r, z, n; bias rows: input, recurrent
        order, b_ih, b_hh = (1, 0, 2), bias[0], bias[1]
    else:  # RNN: one block; LSTM: Keras i, f, c, o = PyTorch i, f, g, o
        order, b_ih, b_hh = tuple(range(GATES[kind])), bias, torch.zeros_like(bias)
    module = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[kind](
        D, U, batch_first=True, dtype=torch.float64
    )
    params = {
        "weight_ih_l0": torch_blocks(kernel, order, torch),
        "weight_hh_l0": torch_blocks(recurrent_kernel, order, torch),
        "bias_ih_l0": torch_blocks(b_ih, order, torch),
        "bias_hh_l0": torch_blocks(b_hh, order, torch),
    }
    x_seq = x.flip(1) if go_backwards else x
    state = (h0[None], leaves[2][None]) if kind == "lstm" else h0[None]
    hs, final = torch.func.functional_call(module, params, (x_seq, state))
    outputs = [hs, final[1][0]] if kind == "lstm" else [hs]
    rng = np.random.default_rng(11)
    loss = sum((o * torch.tensor(rng.normal(size=o.shape))).sum() for o in outputs)
    loss.backward()
    return [o.detach().numpy() for o in outputs], [leaf.grad.numpy() for leaf in leaves]


def numnet_run(kind, inputs, go_backwards):
    leaves = [numnet.tensor(a, requires_grad=True) for a in inputs]
    if kind == "lstm":
        outputs = list(F.lstm(*leaves, go_backwards=go_backwards))
    else:
        outputs = [op(kind, go_backwards)(*leaves)]
    rng = np.random.default_rng(11)
    loss = sum((o * rng.normal(size=o.shape)).sum() for o in outputs)
    loss.backward()
    return [o.data for o in outputs], [leaf.grad for leaf in leaves]


@pytest.mark.parametrize("kind", ["rnn", "lstm", "gru"])
@pytest.mark.parametrize("go_backwards", [False, True])
def test_matches_pytorch(kind, go_backwards):
    torch = pytest.importorskip("torch")
    inputs = make_inputs(kind, steps=5, seed=12)
    expected_outputs, expected_grads = torch_run(kind, inputs, go_backwards, torch)
    outputs, grads = numnet_run(kind, inputs, go_backwards)
    for got, expected in zip(outputs + grads, expected_outputs + expected_grads, strict=True):
        np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-8)
