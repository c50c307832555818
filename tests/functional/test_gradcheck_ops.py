"""One gradient check over every op, in float64, for several shapes."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import numnet
from numnet import functional as F
from numnet.backend import get_array_module

# tests/ is on sys.path (it holds conftest.py): the fake array library lives with the
# backend's tests.
from test_backend import FakeArray, fake, fake_numpy  # noqa: F401 (a fixture)


def away_from_zero(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """Values with |x| in [0.2, 2]: far from the kinks of relu, abs, clip and max ties."""
    return rng.uniform(0.2, 2.0, shape) * rng.choice([-1.0, 1.0], shape)


def positive(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    return rng.uniform(0.5, 2.0, shape)


def probabilities(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    p = rng.uniform(0.1, 1.0, shape)
    return p / p.sum(axis=-1, keepdims=True)


def labels(rng: np.random.Generator, n: int, classes: int) -> np.ndarray:
    return rng.integers(0, classes, n)


def one_hot(rng: np.random.Generator, n: int, classes: int) -> np.ndarray:
    return np.eye(classes)[labels(rng, n, classes)]


def running_stats(features: int) -> tuple[np.ndarray, np.ndarray]:
    return np.linspace(-0.5, 0.5, features), np.linspace(0.5, 1.5, features)


def dropout_fixed(x: numnet.Tensor) -> numnet.Tensor:
    # A fresh generator with the same seed each call keeps the mask fixed for the check.
    return F.dropout(x, 0.3, training=True, rng=np.random.default_rng(7))


Case = tuple[str, Callable[..., numnet.Tensor], Callable[[np.random.Generator], list]]

CASES: list[Case] = [
    ("add", F.add, lambda r: [r.normal(size=(3, 4)), r.normal(size=(3, 4))]),
    ("add_broadcast", F.add, lambda r: [r.normal(size=(3, 1, 4)), r.normal(size=(2, 1))]),
    ("sub_broadcast", F.sub, lambda r: [r.normal(size=(4,)), r.normal(size=(3, 4))]),
    ("mul_broadcast", F.mul, lambda r: [r.normal(size=(3, 4)), r.normal(size=(1, 4))]),
    ("div_broadcast", F.div, lambda r: [r.normal(size=(2, 3)), positive(r, (3,))]),
    ("neg", F.neg, lambda r: [r.normal(size=(5,))]),
    ("pow_scalar", lambda x: x**3, lambda r: [r.normal(size=(3, 2))]),
    ("pow_tensor", F.pow, lambda r: [positive(r, (3, 2)), r.normal(size=(1, 2))]),
    ("square", F.square, lambda r: [r.normal(size=(4,))]),
    ("exp", F.exp, lambda r: [r.normal(size=(3, 3))]),
    ("log", F.log, lambda r: [positive(r, (3, 3))]),
    ("sqrt", F.sqrt, lambda r: [positive(r, (2, 5))]),
    ("abs", F.abs, lambda r: [away_from_zero(r, (4, 3))]),
    ("clip", lambda x: F.clip(x, -0.5, 0.5), lambda r: [away_from_zero(r, (4, 3)) * 0.7]),
    ("cast", lambda x: F.cast(x, np.float64) * 2, lambda r: [r.normal(size=(3,))]),
    ("sum_all", F.sum, lambda r: [r.normal(size=(3, 4))]),
    ("sum_axis", lambda x: F.sum(x, axis=1), lambda r: [r.normal(size=(3, 4, 2))]),
    ("sum_axes_keepdims", lambda x: F.sum(x, (0, 2), True), lambda r: [r.normal(size=(3, 1, 2))]),
    ("mean_all", F.mean, lambda r: [r.normal(size=(3, 4))]),
    ("mean_axis", lambda x: F.mean(x, axis=-1), lambda r: [r.normal(size=(2, 5))]),
    ("max_all", F.max, lambda r: [r.permutation(12).reshape(3, 4) * 0.5]),
    ("max_axis", lambda x: F.max(x, axis=0), lambda r: [r.permutation(12).reshape(3, 4) * 0.5]),
    (
        "min_keepdims",
        lambda x: F.min(x, 1, True),
        lambda r: [r.permutation(12).reshape(3, 4) * 0.5],
    ),
    ("logsumexp", lambda x: F.logsumexp(x, axis=1), lambda r: [r.normal(size=(3, 4))]),
    ("sum_of_squares", F.sum_of_squares, lambda r: [r.normal(size=(3, 1, 4))]),
    (
        "reshape",
        lambda x: F.reshape(x, (4, 3)) * np.arange(12.0).reshape(4, 3),
        lambda r: [r.normal(size=(2, 6))],
    ),
    ("transpose", lambda x: F.transpose(x, (2, 0, 1)), lambda r: [r.normal(size=(2, 3, 4))]),
    ("transpose_T", lambda x: x.T, lambda r: [r.normal(size=(2, 3))]),
    ("getitem_slice", lambda x: x[1:, ::2], lambda r: [r.normal(size=(3, 5))]),
    ("getitem_int_array", lambda x: x[np.array([0, 2, 0]), 1], lambda r: [r.normal(size=(3, 4))]),
    (
        "concatenate",
        lambda a, b: F.concatenate([a, b], axis=1),
        lambda r: [r.normal(size=(2, 3)), r.normal(size=(2, 1))],
    ),
    (
        "stack",
        lambda a, b: F.stack([a, b], axis=-1),
        lambda r: [r.normal(size=(2, 3)), r.normal(size=(2, 3))],
    ),
    ("broadcast_to", lambda x: F.broadcast_to(x, (3, 2, 4)), lambda r: [r.normal(size=(2, 1))]),
    (
        "where",
        lambda x, y: F.where(np.array([True, False, True]), x, y),
        lambda r: [r.normal(size=(2, 3)), r.normal(size=(3,))],
    ),
    ("matmul_2d", F.matmul, lambda r: [r.normal(size=(3, 4)), r.normal(size=(4, 2))]),
    ("matmul_batched", F.matmul, lambda r: [r.normal(size=(2, 3, 4)), r.normal(size=(4, 5))]),
    ("matmul_vector", F.matmul, lambda r: [r.normal(size=(4,)), r.normal(size=(4, 3))]),
    ("matmul_matrix_vector", F.matmul, lambda r: [r.normal(size=(2, 4)), r.normal(size=(4,))]),
    (
        "linear",
        F.linear,
        lambda r: [r.normal(size=(5, 3)), r.normal(size=(3, 4)), r.normal(size=(4,))],
    ),
    ("linear_no_bias_3d", F.linear, lambda r: [r.normal(size=(2, 3, 4)), r.normal(size=(4, 2))]),
    ("step_function", F.step_function, lambda r: [away_from_zero(r, (4,))]),
    ("identity", F.identity, lambda r: [r.normal(size=(3, 2))]),
    ("sigmoid", F.sigmoid, lambda r: [r.normal(size=(3, 4)) * 3]),
    ("tanh", F.tanh, lambda r: [r.normal(size=(3, 4))]),
    ("relu", F.relu, lambda r: [away_from_zero(r, (3, 4))]),
    ("leaky_relu", lambda x: F.leaky_relu(x, 0.1), lambda r: [away_from_zero(r, (3, 4))]),
    ("elu", F.elu, lambda r: [away_from_zero(r, (3, 4))]),
    ("gelu", F.gelu, lambda r: [r.normal(size=(3, 4))]),
    ("softplus", F.softplus, lambda r: [r.normal(size=(3, 4)) * 3]),
    ("softmax", F.softmax, lambda r: [r.normal(size=(3, 4))]),
    ("softmax_axis0", lambda x: F.softmax(x, axis=0), lambda r: [r.normal(size=(3, 4))]),
    ("log_softmax", F.log_softmax, lambda r: [r.normal(size=(3, 4))]),
    ("mse", F.mean_squared_error, lambda r: [r.normal(size=(4, 3)), r.normal(size=(4, 3))]),
    (
        "bce",
        F.binary_cross_entropy,
        lambda r: [r.uniform(0.1, 0.9, (6, 1)), r.integers(0, 2, (6, 1))],
    ),
    (
        "bce_logits",
        F.binary_cross_entropy_with_logits,
        lambda r: [r.normal(size=(6,)) * 3, r.integers(0, 2, 6)],
    ),
    (
        "cross_entropy_one_hot",
        F.cross_entropy_error,
        lambda r: [probabilities(r, (5, 4)), one_hot(r, 5, 4).astype(np.int64)],
    ),
    (
        "cross_entropy_labels",
        F.cross_entropy_error,
        lambda r: [probabilities(r, (5, 4)), labels(r, 5, 4)],
    ),
    (
        "softmax_ce_one_hot",
        F.softmax_cross_entropy,
        lambda r: [r.normal(size=(5, 4)), one_hot(r, 5, 4).astype(np.int64)],
    ),
    (
        "softmax_ce_labels",
        F.softmax_cross_entropy,
        lambda r: [r.normal(size=(5, 4)) * 4, labels(r, 5, 4)],
    ),
    (
        "softmax_ce_sequence",
        F.softmax_cross_entropy,
        lambda r: [r.normal(size=(2, 3, 4)), r.integers(0, 4, (2, 3))],
    ),
    (
        "conv2d",
        lambda x, w, b: F.conv2d(x, w, b, stride=(1, 2), pad=1),
        lambda r: [r.normal(size=(2, 2, 5, 4)), r.normal(size=(3, 2, 3, 3)), r.normal(size=(3,))],
    ),
    (
        "conv2d_max_pool",
        lambda x, w, b: F.conv2d_max_pool(x, w, b, stride=(1, 2), pad=1, pool=2),
        lambda r: [r.normal(size=(2, 2, 6, 7)), r.normal(size=(3, 2, 3, 3)), r.normal(size=(3,))],
    ),
    (
        "max_pool2d",
        lambda x: F.max_pool2d(x, 2),
        lambda r: [r.permutation(32).reshape(1, 2, 4, 4) * 0.1],
    ),
    (
        "avg_pool2d",
        lambda x: F.avg_pool2d(x, (2, 3), stride=1, pad=1),
        lambda r: [r.normal(size=(2, 1, 4, 5))],
    ),
    ("dropout", dropout_fixed, lambda r: [r.normal(size=(4, 5))]),
    (
        "batch_norm_train",
        lambda x, g, b: F.batch_norm(x, g, b),
        lambda r: [r.normal(size=(6, 3)), positive(r, (3,)), r.normal(size=(3,))],
    ),
    (
        "batch_norm_train_nchw",
        lambda x, g, b: F.batch_norm(x, g, b, axis=1),
        lambda r: [r.normal(size=(2, 3, 2, 2)), positive(r, (3,)), r.normal(size=(3,))],
    ),
    (
        "batch_norm_inference",
        lambda x, g, b: F.batch_norm(x, g, b, *running_stats(3), training=False),
        lambda r: [r.normal(size=(4, 3)), positive(r, (3,)), r.normal(size=(3,))],
    ),
    (
        "conv_transpose2d",
        lambda x, w, b: F.conv_transpose2d(x, w, b, stride=2, pad=1, output_padding=1),
        lambda r: [r.normal(size=(1, 2, 3, 3)), r.normal(size=(2, 3, 3, 3)), r.normal(size=(3,))],
    ),
    ("upsample2d", lambda x: F.upsample2d(x, (2, 3)), lambda r: [r.normal(size=(2, 2, 3, 2))]),
    (
        "maximum",
        F.maximum,
        lambda r: [r.permutation(12).reshape(3, 4) * 0.5, r.permutation(4) * 0.5 + 0.25],
    ),
    (
        "minimum",
        F.minimum,
        lambda r: [r.permutation(12).reshape(3, 4) * 0.5, r.permutation(4) * 0.5 + 0.25],
    ),
]


@pytest.mark.parametrize(("name", "fn", "make_inputs"), CASES, ids=[c[0] for c in CASES])
def test_op_gradient(name: str, fn: Callable, make_inputs: Callable) -> None:
    inputs = make_inputs(np.random.default_rng(abs(hash(name)) % 2**32))
    assert numnet.gradcheck(fn, *inputs)


@pytest.mark.usefixtures("fake_numpy")
@pytest.mark.parametrize(("name", "fn", "make_inputs"), CASES, ids=[c[0] for c in CASES])
def test_op_computes_with_the_module_of_its_inputs(
    name: str, fn: Callable, make_inputs: Callable
) -> None:
    """Every op, on arrays of a registered module, computes with that module (forward and
    backward) and gets NumPy's numbers."""
    inputs = make_inputs(np.random.default_rng(abs(hash(name)) % 2**32))
    expected, expected_args = _forward_backward(fn, [np.asarray(x) for x in inputs])
    out, args = _forward_backward(fn, [fake(x) for x in inputs])
    assert type(out.data) is FakeArray
    np.testing.assert_allclose(out.data.view(np.ndarray), expected.data, rtol=1e-12)
    for arg, expected_arg in zip(args, expected_args, strict=True):
        if isinstance(arg, numnet.Tensor):
            assert type(arg.grad) is FakeArray
            np.testing.assert_allclose(arg.grad.view(np.ndarray), expected_arg.grad, rtol=1e-12)


def _forward_backward(fn: Callable, arrays: list) -> tuple[numnet.Tensor, list]:
    """fn's output, and its arguments (floating ones as float64 Tensors that got the
    gradient of sum(output * v) for a fixed v; integer ones as they were)."""
    args = [
        numnet.tensor(x, dtype=np.float64, requires_grad=True) if x.dtype.kind == "f" else x
        for x in arrays
    ]
    out = fn(*args)
    weights = np.random.default_rng(0).standard_normal(out.shape)
    (out * get_array_module(out.data).asarray(weights)).sum().backward()
    return out, args


def test_ops_keep_float64_and_float32():
    for dtype in (np.float32, np.float64):
        x = numnet.tensor(np.ones((2, 3), dtype=dtype), requires_grad=True)
        y = F.softmax(F.linear(x, np.ones((3, 3), dtype=dtype)) * 2 + 1)
        loss = F.softmax_cross_entropy(y, np.array([0, 1]))
        loss.backward()
        assert y.dtype == dtype and loss.dtype == dtype and x.grad.dtype == dtype


@settings(max_examples=25, deadline=None)
@given(
    shape=st.lists(st.integers(1, 3), min_size=1, max_size=3),
    drop=st.lists(st.booleans(), min_size=3, max_size=3),
)
def test_broadcast_mul_any_shapes(shape: list[int], drop: list[bool]) -> None:
    """Broadcasting against any shape with some axes collapsed to size 1."""
    other = [1 if d else n for n, d in zip(shape, drop, strict=False)]
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=shape), rng.normal(size=other)
    assert numnet.gradcheck(lambda x, y: x * y + x / (1.5 + y * y), a, b)


class _WrongSquare(numnet.Function):
    """x**2 with a deliberately wrong derivative (x instead of 2x)."""

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.x = x
        return x * x

    def backward(self, grad_out: np.ndarray) -> tuple[np.ndarray]:
        return (grad_out * self.x,)


def test_gradcheck_catches_a_wrong_gradient():
    x = np.array([[1.0, 2.0], [3.0, -4.0]])
    with pytest.raises(
        AssertionError, match=r"input 0 \(shape \(2, 2\)\) at element \(\d, \d\): autograd"
    ):
        numnet.gradcheck(lambda t: numnet.apply(_WrongSquare(), t), x)


def test_gradcheck_checks_params_read_by_fn():
    rng = np.random.default_rng(0)
    W = numnet.tensor(rng.normal(size=(3, 2)), requires_grad=True)
    assert numnet.gradcheck(lambda x: F.tanh(F.linear(x, W)), rng.normal(size=(4, 3)), params=[W])
    with pytest.raises(AssertionError, match=r"parameter 0 \(shape \(3, 2\)\)"):
        numnet.gradcheck(lambda x: x * numnet.apply(_WrongSquare(), W), np.ones((3, 2)), params=[W])
    with pytest.raises(TypeError, match="float64"):
        numnet.gradcheck(F.exp, np.ones(2), params=[numnet.tensor([1.0], requires_grad=True)])


def test_numerical_gradient_matches_the_book():
    # DLFS 4.4: the gradient of x0**2 + x1**2 at (3, 4) is (6, 8).
    grad = numnet.numerical_gradient(lambda x: np.sum(x**2), np.array([3.0, 4.0]))
    np.testing.assert_allclose(grad, [6.0, 8.0], rtol=1e-6)
