"""The notes' MNIST network trained by a hand-written loop, PyTorch style.

The same layer objects that serve `fit` are driven directly: forward, loss, backward,
optimizer step; evaluation runs under `no_grad`.

Run: NUMNET_DATA=../shared/datasets python examples/hand_written_loop.py
"""

from __future__ import annotations

import numpy as np

import numnet
from numnet import functional as F
from numnet import layers, optimizers, regularizers
from numnet.datasets import DataLoader, load_mnist
from numnet.models import Sequential


def build() -> Sequential:
    """784-512-512-10 with dropout, L2 and batch norm; outputs logits."""
    return Sequential(
        [
            layers.Dense(512, activation="relu"),
            layers.Dropout(0.2),
            layers.Dense(512, kernel_regularizer=regularizers.l2(0.001)),
            layers.BatchNormalization(),
            layers.Activation("relu"),
            layers.Dropout(0.2),
            layers.Dense(10),
        ]
    )


def accuracy(model: Sequential, x: np.ndarray, t: np.ndarray) -> float:
    """Test accuracy, computed in inference mode without recording a graph."""
    model.eval()
    with numnet.no_grad():
        predicted = np.concatenate(
            [model(xb).numpy().argmax(1) for xb, _ in DataLoader(x, t, 1000)]
        )
    return float((predicted == t).mean())


def main(epochs: int = 4, seed: int = 0) -> float:
    """Train and return the test accuracy."""
    numnet.random.seed(seed)
    (x_train, t_train), (x_test, t_test) = load_mnist()
    model = build()
    optimizer = optimizers.Adam(0.001)
    batches = DataLoader(x_train, t_train, 128, shuffle=True, rng=np.random.default_rng(seed))
    for epoch in range(epochs):
        model.train()
        for xb, tb in batches:
            loss = F.softmax_cross_entropy(model(xb), tb) + model.regularization_loss()
            optimizer.zero_grad(model.parameters())
            loss.backward()
            optimizer.step(model.parameters())
        test_accuracy = accuracy(model, x_test, t_test)
        print(f"epoch {epoch + 1}: last loss {loss.item():.4f}, test accuracy {test_accuracy:.4f}")
    return accuracy(model, x_test, t_test)


if __name__ == "__main__":
    main()
