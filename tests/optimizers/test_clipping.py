"""Gradient clipping (clipvalue, clipnorm, global_clipnorm) against updates computed by hand."""

import numpy as np
import pytest

import numnet
from numnet import layers, optimizers
from numnet.models import Sequential, load_model

W0 = np.array([1.0, -2.0, 3.0, 0.5])
G = np.array([3.0, -4.0, 0.0, 0.5])  # ||G|| = sqrt(9 + 16 + 0.25) = sqrt(25.25)

EVERY_OPTIMIZER = sorted(optimizers.OPTIMIZERS)


def sgd_step(optimizer: optimizers.Optimizer, grads: list[np.ndarray]) -> list[np.ndarray]:
    """The weights after one step from W0 (one parameter per gradient)."""
    params = [numnet.Tensor(W0.copy(), requires_grad=True) for _ in grads]
    for param, grad in zip(params, grads, strict=True):
        param.grad = grad
    optimizer.step(params)
    return [param.data for param in params]


def test_clipvalue_clips_each_element():
    (w,) = sgd_step(optimizers.SGD(0.1, clipvalue=1.0), [G])
    np.testing.assert_allclose(w, W0 - 0.1 * np.array([1.0, -1.0, 0.0, 0.5]), rtol=0, atol=1e-15)


def test_clipnorm_rescales_a_long_gradient_to_the_norm():
    (w,) = sgd_step(optimizers.SGD(0.1, clipnorm=2.0), [G])
    np.testing.assert_allclose(w, W0 - 0.1 * G * 2.0 / np.sqrt(25.25), rtol=1e-15)
    assert np.linalg.norm((W0 - w) / 0.1) == pytest.approx(2.0)


def test_clipnorm_leaves_a_short_gradient_alone():
    (w,) = sgd_step(optimizers.SGD(0.1, clipnorm=10.0), [G])
    np.testing.assert_allclose(w, W0 - 0.1 * G, rtol=1e-15)


def test_clipnorm_clips_each_gradient_on_its_own():
    short = np.array([0.3, 0.4, 0.0, 0.0])  # norm 0.5: left alone
    w_long, w_short = sgd_step(optimizers.SGD(1.0, clipnorm=1.0), [G, short])
    np.testing.assert_allclose(w_long, W0 - G / np.sqrt(25.25), rtol=1e-15)
    np.testing.assert_allclose(w_short, W0 - short, rtol=1e-15)


def test_global_clipnorm_rescales_all_gradients_together():
    other = np.array([0.0, 0.0, 2.0, 0.0])
    global_norm = np.sqrt(25.25 + 4.0)  # sqrt of the sum of all squared gradients
    w_1, w_2 = sgd_step(optimizers.SGD(1.0, global_clipnorm=3.0), [G, other])
    scale = 3.0 / global_norm
    np.testing.assert_allclose(w_1, W0 - scale * G, rtol=1e-15)
    np.testing.assert_allclose(w_2, W0 - scale * other, rtol=1e-15)
    assert np.sqrt(np.sum((W0 - w_1) ** 2) + np.sum((W0 - w_2) ** 2)) == pytest.approx(3.0)
    # Below the threshold nothing changes.
    w_1, w_2 = sgd_step(optimizers.SGD(1.0, global_clipnorm=100.0), [G, other])
    np.testing.assert_allclose(w_1, W0 - G, rtol=1e-15)
    np.testing.assert_allclose(w_2, W0 - other, rtol=1e-15)


@pytest.mark.parametrize("name", EVERY_OPTIMIZER)
@pytest.mark.parametrize(
    ("clipping", "clipped"),
    [
        ({"clipvalue": 1.0}, np.clip(G, -1.0, 1.0)),
        ({"clipnorm": 2.0}, G * 2.0 / np.sqrt(25.25)),
        ({"global_clipnorm": 2.0}, G * 2.0 / np.sqrt(25.25)),
    ],
)
def test_every_optimizer_steps_as_if_given_the_clipped_gradient(name, clipping, clipped):
    cls = optimizers.OPTIMIZERS[name]
    with_clipping = cls(**clipping)
    for key, value in clipping.items():
        assert getattr(with_clipping, key) == value
    grad = G.copy()
    (w,) = sgd_step(with_clipping, [grad])
    (expected,) = sgd_step(cls(), [clipped])
    np.testing.assert_allclose(w, expected, rtol=1e-12)
    np.testing.assert_array_equal(grad, G)  # the gradient itself was not clipped in place


@pytest.mark.parametrize("clipping", ["clipvalue", "clipnorm", "global_clipnorm"])
def test_gradients_are_not_modified(clipping):
    grads = [G.copy(), np.array([10.0, 0.0, -10.0, 0.0], dtype=np.float32)]
    params = [numnet.Tensor(W0.astype(g.dtype), requires_grad=True) for g in grads]
    for param, grad in zip(params, grads, strict=True):
        param.grad = grad
    optimizers.Adam(**{clipping: 0.5}).step(params)
    assert params[0].grad is grads[0] and params[1].grad is grads[1]
    np.testing.assert_array_equal(grads[0], G)
    np.testing.assert_array_equal(grads[1], [10.0, 0.0, -10.0, 0.0])
    assert params[1].data.dtype == np.float32  # clipping keeps float32 in float32


def test_no_clipping_passes_the_gradients_through():
    grads = [G]
    assert optimizers.SGD().clip_gradients(grads) is grads


@pytest.mark.parametrize("name", ["clipnorm", "clipvalue", "global_clipnorm"])
@pytest.mark.parametrize("value", [0, 0.0, -1.0, float("nan"), "1"])
def test_non_positive_values_are_refused(name, value):
    with pytest.raises(ValueError, match=f"{name} must be a positive number"):
        optimizers.Adam(**{name: value})


@pytest.mark.parametrize(
    "clipping",
    [
        {"clipnorm": 1.0, "global_clipnorm": 1.0},
        {"clipnorm": 1.0, "clipvalue": 1.0},
        {"clipvalue": 1.0, "global_clipnorm": 1.0},
    ],
)
def test_only_one_kind_of_clipping(clipping):
    with pytest.raises(ValueError, match="at most one of clipnorm, clipvalue and global_clipnorm"):
        optimizers.SGD(**clipping)


def test_unknown_keyword_is_an_error():
    with pytest.raises(TypeError, match="clip_norm"):
        optimizers.SGD(clip_norm=1.0)


@pytest.mark.parametrize("name", EVERY_OPTIMIZER)
def test_config_round_trip(name):
    cls = optimizers.OPTIMIZERS[name]
    config = cls(clipnorm=0.5).get_config()
    assert config["clipnorm"] == 0.5
    assert config["clipvalue"] is None and config["global_clipnorm"] is None
    rebuilt = cls.from_config(config)
    assert rebuilt.get_config() == config


def test_fit_with_clipnorm_trains_and_saves(tmp_path):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 3)).astype(np.float32)
    y = (x @ np.array([[1.0], [-2.0], [0.5]], dtype=np.float32)).astype(np.float32)
    model = Sequential([numnet.Input((3,)), layers.Dense(1)])
    model.compile(optimizer=optimizers.SGD(0.1, clipnorm=1.0), loss="mse")
    history = model.fit(x, y, batch_size=16, epochs=20, verbose=0)
    losses = history.history["loss"]
    assert losses[-1] < 0.1 * losses[0]
    model.save(tmp_path / "clipped.npz")
    assert load_model(tmp_path / "clipped.npz").optimizer.clipnorm == 1.0
