import numpy as np
import pytest

from numnet import perceptron
from numnet.perceptron import AND, NAND, OR, XOR, Perceptron, learn_gate

INPUTS = [(0, 0), (1, 0), (0, 1), (1, 1)]


@pytest.mark.parametrize(
    ("gate", "truth"),
    [(AND, [0, 0, 0, 1]), (NAND, [1, 1, 1, 0]), (OR, [0, 1, 1, 1]), (XOR, [0, 1, 1, 0])],
)
def test_gates_truth_tables(gate, truth):
    outputs = [gate(a, b) for a, b in INPUTS]
    assert outputs == truth
    assert all(type(o) is int for o in outputs)


@pytest.mark.parametrize("truth", [[0, 0, 0, 1], [1, 1, 1, 0], [0, 1, 1, 1]])
def test_perceptron_rule_learns_separable_gates(truth):
    p = learn_gate(truth)
    assert p.converged
    np.testing.assert_array_equal(p.predict(perceptron.GATE_INPUTS), truth)


def test_perceptron_rule_cannot_learn_xor():
    p = learn_gate([0, 1, 1, 0], max_epochs=200)
    assert not p.converged and p.epochs_run == 200
    assert (p.predict(perceptron.GATE_INPUTS) != [0, 1, 1, 0]).any()


def test_perceptron_validates_input():
    with pytest.raises(ValueError, match="learning_rate"):
        Perceptron(learning_rate=0)
    with pytest.raises(ValueError, match="shape"):
        Perceptron().fit(np.zeros((4, 3)), [0, 0, 0, 1])
