"""Datasets: MNIST and Fashion-MNIST readers, synthetic 2-D sets, sequence tasks (the adding
problem, the addition set), and mini-batching."""

from numnet.datasets import addition, fashion_mnist, mnist
from numnet.datasets.adding_problem import adding_problem
from numnet.datasets.loader import DataLoader
from numnet.datasets.mnist import load_mnist
from numnet.datasets.synthetic import (
    make_circles,
    make_moons,
    make_planar,
    make_spirals,
    make_xor,
)

__all__ = [
    "DataLoader",
    "adding_problem",
    "addition",
    "fashion_mnist",
    "load_mnist",
    "make_circles",
    "make_moons",
    "make_planar",
    "make_spirals",
    "make_xor",
    "mnist",
]
