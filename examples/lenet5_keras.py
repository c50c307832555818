"""LeNet-5 on MNIST with the Keras API, and a look at what its first layer learns.

Run: NUMNET_DATA=../shared/datasets python examples/lenet5_keras.py [epochs] [out_dir]
Writes filters_before.png / filters_after.png and feature_maps_before/after.png.
"""

from __future__ import annotations

import sys

import numnet
from numnet import layers
from numnet.datasets import mnist
from numnet.models import Sequential
from numnet.visualize import draw_cnn


def main(epochs: int = 10, out_dir: str = "runs/lenet5", train_limit: int | None = None) -> float:
    """Train LeNet-5, draw its filters before and after, return the test accuracy."""
    numnet.random.seed(0)
    (x_train, y_train), (x_test, y_test) = mnist.load_data()
    x_train = x_train[:train_limit].reshape(-1, 28, 28, 1).astype("float32") / 255
    y_train = y_train[:train_limit]
    x_test = x_test.reshape(-1, 28, 28, 1).astype("float32") / 255

    model = Sequential(
        [
            layers.Conv2D(6, 5, padding="same", activation="relu", input_shape=(28, 28, 1)),
            layers.MaxPooling2D(2),
            layers.Conv2D(16, 5, activation="relu"),
            layers.MaxPooling2D(2),
            layers.Flatten(),
            layers.Dense(120, activation="relu"),
            layers.Dense(84, activation="relu"),
            layers.Dense(10, activation="softmax"),
        ]
    )
    model.summary()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    draw_cnn(model, x_test[0], out_dir, "before")
    model.fit(x_train, y_train, batch_size=128, epochs=epochs, validation_data=(x_test, y_test))
    draw_cnn(model, x_test[0], out_dir, "after")
    _, accuracy = model.evaluate(x_test, y_test, batch_size=1000)
    print(f"test accuracy {accuracy:.4f}; pictures in {out_dir}")
    return accuracy


if __name__ == "__main__":
    main(
        int(sys.argv[1]) if len(sys.argv) > 1 else 10,
        sys.argv[2] if len(sys.argv) > 2 else "runs/lenet5",
    )
