"""Datasets: MNIST and Fashion-MNIST readers, synthetic 2-D sets, and mini-batching."""

from numnet.datasets import fashion_mnist, mnist
from numnet.datasets.loader import DataLoader
from numnet.datasets.mnist import load_mnist

__all__ = ["DataLoader", "fashion_mnist", "load_mnist", "mnist"]
