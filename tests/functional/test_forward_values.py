"""Forward values against the textbooks and against hand-written NumPy."""

import warnings

import numpy as np
import pytest

import numnet
from numnet import functional as F


def test_three_layer_network_of_the_book():
    # "Deep Learning from Scratch" 3.4.3: the same weights give [0.31682708, 0.69627909].
    W1 = np.array([[0.1, 0.3, 0.5], [0.2, 0.4, 0.6]])
    b1 = np.array([0.1, 0.2, 0.3])
    W2 = np.array([[0.1, 0.4], [0.2, 0.5], [0.3, 0.6]])
    b2 = np.array([0.1, 0.2])
    W3 = np.array([[0.1, 0.3], [0.2, 0.4]])
    b3 = np.array([0.1, 0.2])
    x = np.array([1.0, 0.5])
    a1 = F.sigmoid(F.linear(x, W1, b1))
    a2 = F.sigmoid(F.linear(a1, W2, b2))
    y = F.identity(F.linear(a2, W3, b3))
    np.testing.assert_allclose(y.numpy(), [0.31682708, 0.69627909], rtol=1e-7)


def test_softmax_is_stable_for_large_inputs():
    y = F.softmax([1010.0, 1000.0, 990.0]).numpy()
    assert np.all(np.isfinite(y))
    np.testing.assert_allclose(y, [9.99954600e-01, 4.53978686e-05, 2.06106005e-09], rtol=1e-5)
    np.testing.assert_allclose(
        F.log_softmax([1010.0, 1000.0]).numpy(), [-4.54e-05, -10.0000454], rtol=1e-3
    )


def test_sigmoid_never_overflows():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y = F.sigmoid(np.array([-1000.0, 0.0, 1000.0])).numpy()
        z = F.softplus(np.array([-1000.0, 1000.0])).numpy()
    np.testing.assert_allclose(y, [0.0, 0.5, 1.0])
    np.testing.assert_allclose(z, [0.0, 1000.0])


def test_activation_values():
    x = np.array([-2.0, -0.5, 0.5, 2.0])
    np.testing.assert_array_equal(F.step_function(x).numpy(), [0, 0, 1, 1])
    np.testing.assert_allclose(F.relu(x).numpy(), [0, 0, 0.5, 2])
    np.testing.assert_allclose(F.leaky_relu(x, 0.1).numpy(), [-0.2, -0.05, 0.5, 2])
    np.testing.assert_allclose(F.tanh(x).numpy(), np.tanh(x))
    np.testing.assert_allclose(F.elu(x).numpy(), np.where(x > 0, x, np.expm1(x)))
    np.testing.assert_allclose(F.gelu(np.array([0.0, 1.0])).numpy(), [0.0, 0.841192], rtol=1e-5)


def test_losses_match_the_formulas():
    y = np.array([[0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0]])
    t = np.array([[0, 0, 1, 0, 0, 0, 0, 0, 0, 0]])
    # DLFS 4.2.2: cross_entropy_error of this y is 0.510825457099338.
    assert F.cross_entropy_error(y, t).item() == pytest.approx(0.510825457099338)
    assert F.cross_entropy_error(y[0], 2).item() == pytest.approx(0.510825457099338)
    assert F.mean_squared_error(y, t).item() == pytest.approx(np.mean((y - t) ** 2))
    z = np.array([[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]])
    expected = -np.mean(np.log(np.exp(z[[0, 1], [0, 1]]) / np.exp(z).sum(1)))
    assert F.softmax_cross_entropy(z, [0, 1]).item() == pytest.approx(expected)
    assert F.softmax_cross_entropy(z, np.eye(3)[[0, 1]]).item() == pytest.approx(expected)
    p, labels = np.array([0.9, 0.2]), np.array([1, 0])
    bce = -np.mean(labels * np.log(p) + (1 - labels) * np.log(1 - p))
    assert F.binary_cross_entropy(p, labels).item() == pytest.approx(bce)
    logits = np.log(p / (1 - p))
    assert F.binary_cross_entropy_with_logits(logits, labels).item() == pytest.approx(bce)


def test_softmax_cross_entropy_is_stable_for_huge_logits():
    loss = F.softmax_cross_entropy(np.array([[1000.0, -1000.0]]), [1])
    assert loss.item() == pytest.approx(2000.0)


def test_loss_targets_are_checked():
    with pytest.raises(ValueError, match="label 10 is out of range for 10 classes"):
        F.softmax_cross_entropy(np.zeros((2, 10)), [3, 10])
    with pytest.raises(ValueError, match="targets"):
        F.softmax_cross_entropy(np.zeros((2, 10)), np.zeros((2, 5)))
    with pytest.raises(ValueError, match="shape"):
        F.mean_squared_error(np.zeros((4, 2)), np.zeros(3))
    # (N, 1) predictions against (N,) targets are reconciled, not broadcast to (N, N).
    assert F.mean_squared_error(np.ones((3, 1)), np.zeros(3)).item() == pytest.approx(1.0)


def test_dropout_is_inverted_and_seeded():
    x = np.ones((1000, 100), dtype=np.float32)
    y = F.dropout(x, 0.2, training=True, rng=np.random.default_rng(0)).numpy()
    assert set(np.unique(y)) == {0.0, np.float32(1.25)}
    assert y.mean() == pytest.approx(1.0, abs=0.01)
    again = F.dropout(x, 0.2, training=True, rng=np.random.default_rng(0)).numpy()
    np.testing.assert_array_equal(y, again)
    np.testing.assert_array_equal(F.dropout(x, 0.2, training=False).numpy(), x)
    with pytest.raises(ValueError, match="rate"):
        F.dropout(x, 1.0)


@pytest.mark.parametrize("rate", [0.05, 0.5, 0.9])
def test_dropout_drops_the_asked_share(rate):
    x = np.ones((999, 101))  # an odd size: the last 64-bit draw is half used
    y = F.dropout(x, rate, training=True, rng=np.random.default_rng(1)).numpy()
    assert (y == 0).mean() == pytest.approx(rate, abs=0.005)


def test_batch_norm_train_and_inference():
    rng = np.random.default_rng(0)
    x = rng.normal(3.0, 2.0, (256, 4))
    mean, var = np.zeros(4), np.ones(4)
    y = F.batch_norm(x, np.ones(4), np.zeros(4), mean, var, training=True, momentum=0.9)
    np.testing.assert_allclose(y.numpy().mean(0), 0, atol=1e-6)
    np.testing.assert_allclose(y.numpy().std(0), 1, atol=1e-3)
    np.testing.assert_allclose(mean, 0.1 * x.mean(0))
    np.testing.assert_allclose(var, 0.9 + 0.1 * x.var(0))
    z = F.batch_norm(x, 2 * np.ones(4), np.ones(4), mean, var, training=False).numpy()
    np.testing.assert_allclose(z, 2 * (x - mean) / np.sqrt(var + 1e-3) + 1)
    assert numnet.tensor(z).shape == (256, 4)
