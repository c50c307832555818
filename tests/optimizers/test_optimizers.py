"""One step of every optimizer against its formula computed by hand."""

import math

import numpy as np
import pytest

import numnet
from numnet import optimizers
from numnet.optimizers import schedules

W0 = np.array([1.0, -2.0, 3.0])
G = np.array([0.5, 0.1, -1.0])


def step(optimizer: optimizers.Optimizer, grads: list[np.ndarray]) -> np.ndarray:
    w = numnet.Tensor(W0.copy(), requires_grad=True)
    for g in grads:
        w.grad = g
        optimizer.step([w])
    return w.data


def test_sgd():
    np.testing.assert_allclose(step(optimizers.SGD(0.1), [G]), W0 - 0.1 * G)


def test_sgd_momentum_two_steps():
    v1 = -0.1 * G
    v2 = 0.9 * v1 - 0.1 * G
    np.testing.assert_allclose(step(optimizers.SGD(0.1, momentum=0.9), [G, G]), W0 + v1 + v2)
    np.testing.assert_allclose(step(optimizers.Momentum(0.1), [G, G]), W0 + v1 + v2)


def test_sgd_nesterov():
    v = -0.1 * G
    np.testing.assert_allclose(
        step(optimizers.SGD(0.1, momentum=0.9, nesterov=True), [G]), W0 + 0.9 * v - 0.1 * G
    )


def test_adagrad():
    h = 0.1 + G**2
    expected = W0 - 0.01 * G / (np.sqrt(h) + 1e-7)
    np.testing.assert_allclose(step(optimizers.Adagrad(0.01), [G]), expected)


def test_rmsprop():
    h = 0.1 * G**2
    expected = W0 - 0.001 * G / (np.sqrt(h) + 1e-7)
    np.testing.assert_allclose(step(optimizers.RMSprop(), [G]), expected)


def test_adam_three_steps():
    grads = [G, 0.2 - 0.5 * G, 2 * G]
    m = v = np.zeros(3)
    w = W0.copy()
    for t, g in enumerate(grads, start=1):
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g**2
        lr_t = 0.001 * math.sqrt(1 - 0.999**t) / (1 - 0.9**t)
        w = w - lr_t * m / (np.sqrt(v) + 1e-7)
    np.testing.assert_allclose(step(optimizers.Adam(), grads), w, rtol=1e-12)


def test_adamw_decays_weights_decoupled():
    w = W0 - 0.001 * 0.004 * W0
    m, v = 0.1 * G, 0.001 * G**2
    lr_t = 0.001 * math.sqrt(1 - 0.999) / (1 - 0.9)
    w = w - lr_t * m / (np.sqrt(v) + 1e-7)
    np.testing.assert_allclose(step(optimizers.AdamW(), [G]), w)


def test_float32_stays_float32():
    w = numnet.Tensor(np.ones(3, dtype=np.float32), requires_grad=True)
    for name in optimizers.OPTIMIZERS:
        w.grad = np.ones(3, dtype=np.float32)
        optimizers.get(name).step([w])
        assert w.data.dtype == np.float32


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: optimizers.SGD(-1), "learning_rate"),
        (lambda: optimizers.SGD(0.1, momentum=1.5), "momentum"),
        (lambda: optimizers.Adam(beta_1=1.0), "beta_1"),
        (lambda: optimizers.RMSprop(rho=-0.1), "rho"),
        (lambda: optimizers.Adam(epsilon=0), "epsilon"),
        (lambda: optimizers.get("adamm"), "valid names: adagrad, adam, adamw"),
    ],
)
def test_hyperparameters_are_validated(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_schedules():
    assert schedules.ExponentialDecay(0.1, 10, 0.5)(10) == pytest.approx(0.05)
    assert schedules.ExponentialDecay(0.1, 10, 0.5, staircase=True)(15) == pytest.approx(0.05)
    assert schedules.StepDecay(0.1, 5, 0.1)(12) == pytest.approx(0.001)
    assert schedules.InverseTimeDecay(0.1, 1, 0.5)(2) == pytest.approx(0.05)
    cosine = schedules.CosineDecay(0.1, 100, alpha=0.1)
    assert cosine(0) == pytest.approx(0.1)
    assert cosine(50) == pytest.approx(0.1 * (0.9 * 0.5 + 0.1))
    assert cosine(500) == pytest.approx(0.01)


def test_optimizer_follows_its_schedule():
    opt = optimizers.SGD(schedules.StepDecay(1.0, 1, 0.5))
    w = numnet.Tensor(np.zeros(1), requires_grad=True)
    for _ in range(3):
        w.grad = np.ones(1)
        opt.step([w])
    np.testing.assert_allclose(w.data, [-(1 + 0.5 + 0.25)])


def test_adam_flushes_subnormal_moments():
    w = numnet.Tensor(np.ones(2, dtype=np.float32), requires_grad=True)
    opt = optimizers.Adam()
    w.grad = np.array([1.0, 1.0], dtype=np.float32)
    opt.step([w])
    for _ in range(899):  # m of the first element decays by 0.9 per step: 0.1 * 0.9**899 < 1e-38
        w.grad = np.array([0.0, 1.0], dtype=np.float32)
        opt.step([w])
    m = opt._state[id(w)]["m_sum"]
    assert m[0] == 0.0 and m[1] > 5  # m_sum = m / (1 - beta_1)
    assert np.all((m == 0) | (np.abs(m) >= np.finfo(np.float32).tiny))
