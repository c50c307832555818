"""MNIST handwritten digits (LeCun, Cortes & Burges): 60,000 + 10,000 28x28 grey images."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from numnet.datasets.download import Opener
from numnet.datasets.files import IDXDataset, keras_layout

DATASET = IDXDataset(
    name="mnist",
    mirrors=(
        "https://ossci-datasets.s3.amazonaws.com/mnist/",
        "https://storage.googleapis.com/cvdf-datasets/mnist/",
    ),
    gz_md5={
        "train-images-idx3-ubyte": "f68b3c2dcbeaaa9fbdd348bbdeb94873",
        "train-labels-idx1-ubyte": "d53e105ee54ea40749a09fcbcd1e9432",
        "t10k-images-idx3-ubyte": "9fb629c4189551a2d022fa330f9573f3",
        "t10k-labels-idx1-ubyte": "ec29112dd5afa0611ce80d1b7f02629c",
    },
)

Split = tuple[np.ndarray, np.ndarray]


def load_data(path: str | Path | None = None, opener: Opener | None = None) -> tuple[Split, Split]:
    """Keras layout: ((x_train uint8 (60000, 28, 28), y_train uint8 (60000,)), (x_test, y_test))."""
    return keras_layout(DATASET, path, opener)


def load_mnist(
    normalize: bool = True,
    flatten: bool = True,
    one_hot_label: bool = False,
    path: str | Path | None = None,
) -> tuple[Split, Split]:
    """The layout of "Deep Learning from Scratch": ((x_train, t_train), (x_test, t_test)).

    normalize: float32 pixels in [0, 1] (else uint8); flatten: (N, 784) (else (N, 1, 28, 28));
    one_hot_label: (N, 10) float32 targets (else integer labels).
    """
    (x_train, t_train), (x_test, t_test) = load_data(path)

    def images(x: np.ndarray) -> np.ndarray:
        x = x.reshape(len(x), -1) if flatten else x.reshape(len(x), 1, *x.shape[1:])
        return x.astype(np.float32) / 255.0 if normalize else x

    def labels(t: np.ndarray) -> np.ndarray:
        return np.eye(10, dtype=np.float32)[t] if one_hot_label else t

    return (images(x_train), labels(t_train)), (images(x_test), labels(t_test))
