"""Experiments that reproduce the notes' claims, one module each.

Every module offers `measure(seed, quick)` (the numbers, no matplotlib), `draw(measured,
out_dir)` (the figures, no training), `claim(numbers)` (the claim's text and whether the
numbers bear it out) and `run(out_dir, seed, quick)`, which does all three and writes
results.json (see `common`). The table below names them without importing them, so
listing experiments stays instant; `load` imports one when it is run.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from numnet.naming import lookup

# name -> (module, one-line description), in the order of the notes.
EXPERIMENTS: dict[str, tuple[str, str]] = {
    "activations": (
        "numnet.experiments.activations",
        "step, sigmoid, tanh, ReLU, leaky ReLU, softmax, identity and their derivatives",
    ),
    "gates": (
        "numnet.experiments.gates",
        "AND/NAND/OR as perceptrons; XOR needs a hidden layer (decision regions)",
    ),
    "linear-collapse": (
        "numnet.experiments.linear_collapse",
        "a deep linear network is one linear layer; it cannot fit moons, one tanh layer can",
    ),
    "planar": (
        "numnet.experiments.planar",
        "flower set: logistic regression vs 4 tanh hidden units; hidden-size sweep",
    ),
    "zero-init": (
        "numnet.experiments.zero_init",
        "all-zero weights keep hidden units identical; random init breaks the symmetry",
    ),
    "init-histograms": (
        "numnet.experiments.init_histograms",
        "activation histograms for std 1, std 0.01, Xavier (sigmoid/tanh) and He (ReLU)",
    ),
    "vanishing-gradients": (
        "numnet.experiments.vanishing_gradients",
        "per-layer gradient norms of 10-layer sigmoid, tanh and ReLU networks",
    ),
    "dead-relu": (
        "numnet.experiments.dead_relu",
        "fraction of dead ReLU units against the learning rate, and with leaky ReLU",
    ),
    "optimizers": (
        "numnet.experiments.optimizers",
        "SGD, Momentum, Nesterov, AdaGrad, RMSProp, Adam: 2-D paths and MNIST loss",
    ),
    "lr-decay": (
        "numnet.experiments.lr_decay",
        "constant vs step vs exponential vs cosine learning-rate schedules on MNIST",
    ),
    "batchnorm": (
        "numnet.experiments.batchnorm",
        "training curves with and without batch normalisation across weight scales",
    ),
    "overfitting": (
        "numnet.experiments.overfitting",
        "300 training images: train vs test accuracy with no regularisation, L2, dropout",
    ),
    "hyperparameter-search": (
        "numnet.experiments.hyperparameter_search",
        "random search of learning rate and weight decay on a log scale, validation split",
    ),
    "mnist-mlp": (
        "numnet.experiments.mnist_mlp",
        "the notes' Keras MLP: curves, confusion matrix, most confident mistakes",
    ),
    "cnn-filters": (
        "numnet.experiments.cnn_filters",
        "LeNet-5's first-layer filters and feature maps before and after training",
    ),
    "input-normalization": (
        "numnet.experiments.input_normalization",
        "the notes' MLP on raw 0-255, [0, 1] and standardised pixels, with Adam and SGD",
    ),
    "one-hot": (
        "numnet.experiments.one_hot",
        "the digit as one number (MSE, rounded) vs one-hot softmax: accuracy, neighbour errors",
    ),
    "zigzag": (
        "numnet.experiments.zigzag",
        "all-positive inputs: one-signed updates, a neuron's path; sigmoid vs centred in an MLP",
    ),
    "gan": (
        "numnet.experiments.gan",
        "the two-player game on MNIST: digits by epoch, D pushed toward chance, mode collapse",
    ),
    "rnn-memory": (
        "numnet.experiments.rnn_memory",
        "SimpleRNN vs GRU vs LSTM on the adding problem at lengths 10, 50, 100; gradient decay",
    ),
    "seq2seq-addition": (
        "numnet.experiments.seq2seq_addition",
        "the book's encoder-decoder learns addition: plain vs reversed input vs peeky decoder",
    ),
    "reinforcement": (
        "numnet.experiments.reinforcement",
        "learning by trial: DQN and REINFORCE balance CartPole, against a random policy",
    ),
}


def describe(name: str) -> str:
    """The one-line description of experiment `name` (ValueError for unknown names)."""
    return lookup("experiment", name, EXPERIMENTS)[1]


def load(name: str) -> ModuleType:
    """Import and return experiment `name`'s module (ValueError listing the valid names)."""
    return importlib.import_module(lookup("experiment", name, EXPERIMENTS)[0])


__all__ = ["EXPERIMENTS", "describe", "load"]
