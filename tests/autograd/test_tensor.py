import gc
import weakref

import numpy as np
import pytest

import numnet
from numnet import functional as F


def test_dtype_rules():
    assert numnet.tensor(1.5).dtype == np.float32
    assert numnet.tensor([1, 2, 3]).dtype == np.float32
    assert numnet.tensor(np.arange(3)).dtype == np.float32
    assert numnet.tensor(np.ones(3, dtype=np.float64)).dtype == np.float64
    assert numnet.tensor([1.0], dtype=np.float64).dtype == np.float64
    x = numnet.tensor(np.ones(3))
    assert (x + 1.5).dtype == np.float64  # a Python number follows the tensor
    assert (numnet.tensor([1.0]) * 0.1).dtype == np.float32


def test_attributes_and_numpy_interop():
    t = numnet.tensor([[1, 2], [3, 4]])
    assert t.shape == (2, 2) and t.ndim == 2 and t.size == 4
    assert isinstance(t.numpy(), np.ndarray)
    np.testing.assert_array_equal(np.asarray(t), [[1, 2], [3, 4]])
    assert t.grad is None and not t.requires_grad
    s = np.ones(2, dtype=np.float32) + numnet.tensor([1.0, 2.0], requires_grad=True)
    assert isinstance(s, numnet.Tensor) and s.requires_grad


def test_gradient_accumulates_when_a_tensor_is_used_twice():
    x = numnet.tensor(3.0, requires_grad=True)
    y = x * x + x  # dy/dx = 2x + 1 = 7
    y.backward()
    assert x.grad == pytest.approx(7.0)
    y = x * 2
    y.backward()  # .grad accumulates across calls, as in PyTorch
    assert x.grad == pytest.approx(9.0)


def test_broadcast_gradients_are_summed_back():
    a = numnet.tensor(np.ones((4, 3)), requires_grad=True)
    b = numnet.tensor(np.ones((1, 3)), requires_grad=True)
    c = numnet.tensor(np.ones(3), requires_grad=True)
    ((a + b) * c).sum().backward()
    assert b.grad.shape == (1, 3) and c.grad.shape == (3,)
    np.testing.assert_allclose(b.grad, [[4, 4, 4]])
    np.testing.assert_allclose(c.grad, [8, 8, 8])


def test_backward_of_non_scalar_needs_grad():
    x = numnet.tensor([1.0, 2.0], requires_grad=True)
    y = x * 3
    with pytest.raises(RuntimeError, match="non-scalar"):
        y.backward()
    y.backward(np.array([1.0, 10.0]))
    np.testing.assert_allclose(x.grad, [3, 30])
    x.grad = None
    y.backward(numnet.tensor([1.0, 1.0]))
    np.testing.assert_allclose(x.grad, [3, 3])
    with pytest.raises(ValueError, match="shape"):
        y.backward(np.ones(3))


def test_backward_without_grad_is_a_clear_error():
    with pytest.raises(RuntimeError, match="does not require grad"):
        numnet.tensor(1.0).backward()


def test_no_grad_records_nothing():
    x = numnet.tensor([1.0], requires_grad=True)
    with numnet.no_grad():
        y = x * 2
        assert not numnet.is_grad_enabled()
    assert numnet.is_grad_enabled()
    assert not y.requires_grad and y.creator is None


def test_deep_chain_backpropagates_without_recursion():
    x = numnet.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(10_000):
        y = y * 1.0 + 0.0
    y.backward()
    assert x.grad == pytest.approx(1.0)


def test_graph_is_freed_when_result_is_dropped():
    x = numnet.tensor(np.ones(3), requires_grad=True)
    y = F.tanh(x * 2)
    ref = weakref.ref(y.creator)
    del y
    gc.collect()
    assert ref() is None


def test_retain_grad_keeps_intermediate_gradient():
    x = numnet.tensor([1.0, 2.0], requires_grad=True)
    h = (x * 3).retain_grad()
    (h * h).sum().backward()
    np.testing.assert_allclose(h.grad, [6, 12])


def test_comparisons_and_indexing():
    x = numnet.tensor([1.0, 5.0, 3.0], requires_grad=True)
    assert (x > 2).numpy().tolist() == [False, True, True]
    y = x[np.array([0, 0, 2])].sum()
    y.backward()
    np.testing.assert_allclose(x.grad, [2, 0, 1])


def test_methods_match_numpy():
    a = np.arange(6, dtype=np.float32).reshape(2, 3)
    t = numnet.tensor(a)
    np.testing.assert_allclose(t.sum(axis=0).numpy(), a.sum(0))
    np.testing.assert_allclose(t.mean(axis=1, keepdims=True).numpy(), a.mean(1, keepdims=True))
    np.testing.assert_allclose(t.max().numpy(), a.max())
    np.testing.assert_allclose(t.min(axis=1).numpy(), a.min(1))
    np.testing.assert_allclose(t.T.numpy(), a.T)
    np.testing.assert_allclose(t.reshape(3, 2).numpy(), a.reshape(3, 2))
    np.testing.assert_allclose(t.transpose(1, 0).numpy(), a.T)
    np.testing.assert_allclose((t**2).numpy(), a**2)
    np.testing.assert_allclose((t @ t.T).numpy(), a @ a.T)
    np.testing.assert_allclose(t.clip(1, 4).numpy(), a.clip(1, 4))
    np.testing.assert_allclose(numnet.concatenate([t, t], axis=0).numpy(), np.concatenate([a, a]))
    np.testing.assert_allclose(numnet.stack([t, t], axis=1).numpy(), np.stack([a, a], 1))
    np.testing.assert_allclose(numnet.where(a > 2, t, -t).numpy(), np.where(a > 2, a, -a))
    assert "tensor(" in repr(t)


def test_gradients_never_share_memory():
    """The walk stores a fresh gradient at a leaf without copying it, but no two tensors'
    .grad (nor a tensor's .grad and the caller's seed) may be one array: changing one
    would change the other."""
    a = numnet.tensor(np.ones(3), requires_grad=True)
    b = numnet.tensor(np.ones(3), requires_grad=True)
    c = numnet.tensor(np.ones(3), requires_grad=True)
    hidden = a + b  # Add passes its gradient through unchanged, to both inputs
    hidden.retain_grad()
    y = hidden + c
    seed = np.arange(3.0)
    y.backward(seed)
    grads = [a.grad, b.grad, c.grad, hidden.grad, seed]
    for i, g in enumerate(grads):
        for other in grads[i + 1 :]:
            assert not np.shares_memory(g, other)
    a.grad += 1
    np.testing.assert_array_equal(b.grad, seed)
    leaf = numnet.tensor(np.ones(3), requires_grad=True)
    leaf.backward(seed)  # a leaf as the root keeps a copy of the seed
    assert leaf.grad is not seed and not np.shares_memory(leaf.grad, seed)


def test_weight_gradient_is_stored_without_a_copy(monkeypatch):
    """A matrix product's weight gradient is a fresh array: it becomes W.grad as it is."""
    from numnet.autograd.ops import linalg

    returned = []
    plain = linalg.Linear.backward

    def spy(self, grad_out):
        returned.append(plain(self, grad_out))
        return returned[-1]

    monkeypatch.setattr(linalg.Linear, "backward", spy)
    x = numnet.tensor(np.ones((4, 3)))
    W = numnet.tensor(np.ones((3, 2)), requires_grad=True)
    F.linear(x, W).sum().backward()
    np.testing.assert_array_equal(W.grad, np.full((3, 2), 4.0))
    assert W.grad is returned[0][1]
