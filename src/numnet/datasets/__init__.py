"""Datasets: MNIST and Fashion-MNIST readers, synthetic 2-D sets, and mini-batching."""

from numnet.datasets import fashion_mnist, mnist
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
    "fashion_mnist",
    "load_mnist",
    "make_circles",
    "make_moons",
    "make_planar",
    "make_spirals",
    "make_xor",
    "mnist",
]
