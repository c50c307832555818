"""Fashion-MNIST (Xiao, Rasul & Vollgraf 2017): Zalando clothing images in MNIST's format."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from numnet.datasets.download import Opener
from numnet.datasets.files import IDXDataset, keras_layout

CLASS_NAMES = (
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
)  # fmt: skip

DATASET = IDXDataset(
    name="fashion_mnist",
    mirrors=(
        "https://storage.googleapis.com/tensorflow/tf-keras-datasets/",
        "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
    ),
    gz_md5={
        "train-images-idx3-ubyte": "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
        "train-labels-idx1-ubyte": "25c81989df183df01b3e8a0aad5dffbe",
        "t10k-images-idx3-ubyte": "bef4ecab320f06d8554ea6380940ec79",
        "t10k-labels-idx1-ubyte": "bb300cfdad3c16e7a12a480ee83cd310",
    },
)

Split = tuple[np.ndarray, np.ndarray]


def load_data(path: str | Path | None = None, opener: Opener | None = None) -> tuple[Split, Split]:
    """Keras layout: ((x_train uint8 (N, 28, 28), y_train uint8 (N,)), (x_test, y_test))."""
    return keras_layout(DATASET, path, opener)
