"""The blocked update (a large parameter updated a block of rows at a time, so that its
slots stay in cache) computes exactly what one whole-array update computes."""

import numpy as np
import pytest

import numnet
from numnet import optimizers
from numnet.optimizers.base import row_blocks

BUILT_IN = [
    lambda: optimizers.SGD(0.1, momentum=0.9),
    lambda: optimizers.SGD(0.1, momentum=0.9, nesterov=True),
    lambda: optimizers.SGD(0.1, momentum=0.9, dampening=0.9),
    lambda: optimizers.Adagrad(0.1),
    lambda: optimizers.RMSprop(0.01),
    lambda: optimizers.Adam(0.01),
    lambda: optimizers.AdamW(0.01),
    lambda: optimizers.Adam(0.01, global_clipnorm=1.0),
]
SHAPES = [(300, 7), (5, 40, 3), (1000,), (3,)]


def train(optimizer: optimizers.Optimizer, dtype: str, steps: int = 5) -> list[np.ndarray]:
    rng = np.random.default_rng(0)
    params = [numnet.Tensor(rng.normal(size=s).astype(dtype), requires_grad=True) for s in SHAPES]
    for _ in range(steps):
        for p in params:
            p.grad = rng.normal(size=p.shape).astype(dtype)
        optimizer.step(params)
    return [p.data for p in params]


@pytest.mark.parametrize("make", BUILT_IN)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_blocks_equal_the_whole_array_update(make, dtype):
    whole = make()
    whole.elementwise = False  # the plain form: one update call per parameter
    blocked = make()
    assert blocked.elementwise
    blocked.block_size = 64  # (300, 7) in 34 blocks, (5, 40, 3) in 5, (1000,) in 16
    for a, b in zip(train(whole, dtype), train(blocked, dtype), strict=True):
        np.testing.assert_array_equal(a, b)


def test_row_blocks_cover_every_row_once():
    for shape, size in [((300, 7), 64), ((5, 40, 3), 64), ((1000,), 64), ((7, 1000), 64)]:
        rows = np.concatenate([np.arange(shape[0])[b] for b in row_blocks(shape, size)])
        np.testing.assert_array_equal(rows, np.arange(shape[0]))
    assert row_blocks((), 64) == []
    assert len(row_blocks((10, 10), 1000)) == 1


def test_a_custom_optimizer_gets_the_whole_parameter():
    """Blocks are opt-in: a learner's own optimizer sees the whole array in `update`."""
    seen = []

    class Sign(optimizers.Optimizer):
        def update(self, param, grad, state, lr):
            seen.append(param.shape)
            state.setdefault("steps", np.zeros_like(param))
            param -= lr * np.sign(grad)

    train(Sign(0.1), "float32", steps=2)
    assert seen == SHAPES * 2


def test_adam_shares_one_scratch_array_and_keeps_the_formula():
    """Adam's intermediate values go to one work array per dtype, shared by every block
    of every parameter; each parameter still follows the textbook update (float64 here),
    whatever the other parameters, their sizes and dtypes, left in that array."""
    rng = np.random.default_rng(1)
    shapes_dtypes = [((300, 7), "float32"), ((1000,), "float64"), ((3,), "float32")]
    params = [
        numnet.Tensor(rng.normal(size=s).astype(d), requires_grad=True) for s, d in shapes_dtypes
    ]
    start = [p.data.astype(np.float64) for p in params]
    adam = optimizers.Adam(0.01)
    adam.block_size = 64
    grads = [[rng.normal(size=s) for s, _ in shapes_dtypes] for _ in range(4)]
    for step_grads in grads:
        for p, g in zip(params, step_grads, strict=True):
            p.grad = g.astype(p.dtype)
        adam.step(params)
    for i, (p, w) in enumerate(zip(params, start, strict=True)):
        m = v = np.zeros_like(w)
        for t, step_grads in enumerate(grads, start=1):
            g = step_grads[i].astype(p.dtype).astype(np.float64)
            m, v = 0.9 * m + 0.1 * g, 0.999 * v + 0.001 * g**2
            w = w - 0.01 * np.sqrt(1 - 0.999**t) / (1 - 0.9**t) * m / (np.sqrt(v) + 1e-7)
        tolerance = 1e-12 if p.dtype == np.float64 else 2e-6
        np.testing.assert_allclose(p.data, w, rtol=0, atol=tolerance)
    assert all(set(state) == {"m_sum", "v_sum"} for state in adam._state.values())
    assert {d: a.size for d, a in adam._scratch.items()} == {
        np.dtype("float32"): 2100,  # the largest float32 parameter (its first, whole step)
        np.dtype("float64"): 1000,
    }
