"""SGD's `dampening` against hand-computed updates: PyTorch's argument, the course's
momentum v = beta v + (1 - beta) dW as SGD(lr, momentum=beta, dampening=beta), and
Keras' form left bit-for-bit unchanged when dampening is 0."""

import numpy as np
import pytest

import numnet
from numnet import optimizers
from numnet.models import Sequential, load_model
from numnet.optimizers import schedules

W0 = np.array([1.0, -2.0, 3.0])
GRADS = [np.array([0.5, 0.1, -1.0]), np.array([-0.3, 0.7, 0.2]), np.array([0.9, -0.4, 0.6])]


def run(optimizer: optimizers.Optimizer, grads: list[np.ndarray], w0: np.ndarray = W0):
    w = numnet.Tensor(w0.copy(), requires_grad=True)
    for g in grads:
        w.grad = g.astype(w0.dtype)
        optimizer.step([w])
    return w.data


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("nesterov", [False, True])
def test_dampening_zero_is_keras_form_bit_for_bit(dtype, nesterov):
    """v <- m v - lr g, W <- W + v (or W + m v - lr g), written as before dampening existed."""
    lr, m = 0.1, 0.9
    w, v = W0.astype(dtype), np.zeros(3, dtype)
    for g in GRADS:
        g = g.astype(dtype)
        v *= m
        v -= lr * g
        w = w + (m * v - lr * g if nesterov else v)
    got = run(
        optimizers.SGD(lr, momentum=m, nesterov=nesterov, dampening=0.0), GRADS, W0.astype(dtype)
    )
    np.testing.assert_array_equal(got, w)
    assert got.dtype == dtype


def test_course_momentum_is_dampening_equal_to_momentum():
    """The course's "Optimization methods": v = beta v + (1 - beta) dW, W = W - alpha v."""
    alpha, beta = 0.07, 0.9
    w, v = W0.copy(), np.zeros(3)
    for g in GRADS:
        v = beta * v + (1 - beta) * g
        w = w - alpha * v
    got = run(optimizers.SGD(alpha, momentum=beta, dampening=beta), GRADS)
    np.testing.assert_allclose(got, w, rtol=1e-13, atol=1e-15)
    # the first step moves by alpha (1 - beta) g, not the undampened alpha g
    first = run(optimizers.SGD(alpha, momentum=beta, dampening=beta), GRADS[:1])
    np.testing.assert_allclose(first, W0 - alpha * (1 - beta) * GRADS[0], rtol=1e-15)


@pytest.mark.parametrize("momentum, dampening", [(0.5, 0.2), (0.9, 1.0), (0.3, 0.0)])
def test_dampening_is_pytorch_form_at_constant_rate(momentum, dampening):
    """PyTorch: v <- m v + (1 - d) g, W <- W - lr v, here with v starting at zero."""
    lr = 0.05
    w, v = W0.copy(), np.zeros(3)
    for g in GRADS:
        v = momentum * v + (1 - dampening) * g
        w = w - lr * v
    got = run(optimizers.SGD(lr, momentum=momentum, dampening=dampening), GRADS)
    np.testing.assert_allclose(got, w, rtol=1e-13, atol=1e-15)


def test_dampening_under_a_schedule_keeps_each_steps_rate():
    """Keras' form: each step's rate enters v with its gradient, v <- m v - lr_t (1 - d) g_t."""
    schedule = schedules.ExponentialDecay(0.1, decay_steps=1, decay_rate=0.5)
    m, d = 0.9, 0.4
    w, v = W0.copy(), np.zeros(3)
    for t, g in enumerate(GRADS):
        v = m * v - schedule(t) * (1 - d) * g
        w = w + v
    got = run(optimizers.SGD(schedule, momentum=m, dampening=d), GRADS)
    np.testing.assert_allclose(got, w, rtol=1e-13)


def test_dampening_without_momentum_changes_nothing():
    got = run(optimizers.SGD(0.1, dampening=0.5), GRADS)
    np.testing.assert_array_equal(got, run(optimizers.SGD(0.1), GRADS))


@pytest.mark.parametrize("bad", [-0.1, 1.5, float("nan"), "0.5", None])
def test_dampening_outside_zero_one_is_refused(bad):
    with pytest.raises(ValueError, match="dampening must be in"):
        optimizers.SGD(0.1, momentum=0.9, dampening=bad)


def test_nesterov_needs_zero_dampening():
    with pytest.raises(ValueError, match="nesterov momentum needs dampening=0"):
        optimizers.SGD(0.1, momentum=0.9, nesterov=True, dampening=0.9)
    optimizers.SGD(0.1, momentum=0.9, nesterov=True, dampening=0.0)


@pytest.mark.parametrize("cls", [optimizers.SGD, optimizers.Momentum])
def test_config_round_trip_and_old_configs(cls):
    optimizer = cls(0.02, momentum=0.8, dampening=0.8)
    config = optimizer.get_config()
    assert config["dampening"] == 0.8
    rebuilt = cls.from_config(config)
    assert (rebuilt.momentum, rebuilt.dampening) == (0.8, 0.8)
    np.testing.assert_array_equal(run(rebuilt, GRADS), run(cls(0.02, 0.8, dampening=0.8), GRADS))
    old = {k: v for k, v in config.items() if k != "dampening"}  # saved before dampening
    assert cls.from_config(old).dampening == 0.0


def test_model_file_keeps_dampening(tmp_path):
    model = Sequential([numnet.layers.Dense(1, input_shape=(2,))])
    model.compile(optimizers.SGD(0.01, momentum=0.9, dampening=0.9), loss="mse")
    model.save(tmp_path / "model.npz")
    loaded = load_model(tmp_path / "model.npz").optimizer
    assert (type(loaded), loaded.momentum, loaded.dampening) == (optimizers.SGD, 0.9, 0.9)
