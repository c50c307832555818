"""Hostile and faulty files for the reliability tests: IDX files, model archives, and a
way to make a file unreadable even for root."""

from __future__ import annotations

import builtins
import gzip
import io
import json
import os
import zipfile
from pathlib import Path

import numpy as np
import pytest

from numnet import layers
from numnet.models import Sequential

IDX_STEMS = (
    "train-images-idx3-ubyte",
    "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte",
    "t10k-labels-idx1-ubyte",
)


def idx_header(shape: tuple[int, ...], dtype_code: int = 0x08) -> bytes:
    """The magic number and dimensions of an IDX file of this shape."""
    return bytes([0, 0, dtype_code, len(shape)]) + b"".join(n.to_bytes(4, "big") for n in shape)


def idx_bytes(array: np.ndarray) -> bytes:
    return idx_header(array.shape) + array.astype(np.uint8).tobytes()


def write_fake_mnist(
    folder: Path,
    n_train: int = 6,
    n_test: int = 4,
    train_labels: np.ndarray | None = None,
    test_labels: np.ndarray | None = None,
) -> Path:
    """Four gzip IDX files of random digits in `folder`; returns the folder."""
    rng = np.random.default_rng(0)
    folder.mkdir(parents=True, exist_ok=True)
    content = {
        "train-images-idx3-ubyte": rng.integers(0, 256, (n_train, 28, 28)),
        "train-labels-idx1-ubyte": (
            rng.integers(0, 10, n_train) if train_labels is None else train_labels
        ),
        "t10k-images-idx3-ubyte": rng.integers(0, 256, (n_test, 28, 28)),
        "t10k-labels-idx1-ubyte": (
            rng.integers(0, 10, n_test) if test_labels is None else test_labels
        ),
    }
    for stem, array in content.items():
        (folder / f"{stem}.gz").write_bytes(gzip.compress(idx_bytes(array)))
    return folder


def make_unreadable(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Take away the permission to read `path`. Root reads anything, so when the tests
    run as root, opening that one path is made to fail as the kernel would."""
    path.chmod(0)
    if os.geteuid() != 0:
        return
    real_open = builtins.open

    def guarded_open(file, *args, **kwargs):
        if isinstance(file, str | os.PathLike) and Path(file).resolve() == path.resolve():
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded_open)
    monkeypatch.setattr(io, "open", guarded_open)


def tiny_model(input_shape: tuple[int, ...] = (784,), units: int = 10) -> Sequential:
    model = Sequential([layers.Dense(units, activation="softmax", input_shape=input_shape)])
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def npy_member(array_header: dict, data: bytes) -> bytes:
    """A .npy file with this header dict (descr, fortran_order, shape) and these bytes,
    whatever they claim."""
    text = repr(array_header).encode("latin1")
    length = 10 + len(text) + 1
    padding = b" " * (-length % 64)
    header = text + padding + b"\n"
    return b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") + header + data


def write_archive(path: Path, members: dict[str, bytes]) -> Path:
    """An uncompressed zip archive holding these members as they are."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return path


def architecture_member(record: dict) -> bytes:
    """The architecture record as numnet stores it: JSON text in a uint8 array."""
    buffer = io.BytesIO()
    np.save(buffer, np.frombuffer(json.dumps(record).encode(), dtype=np.uint8))
    return buffer.getvalue()


def array_member(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=False)
    return buffer.getvalue()


def saved_members(model: Sequential) -> tuple[dict, list[np.ndarray]]:
    """The architecture record and weights `model.save` would write."""
    from numnet.models.saving import FORMAT, FORMAT_VERSION, compile_config
    from numnet.models.serialization import layer_config

    layer = layer_config(model)
    record = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "numnet_version": "test",
        "class_name": layer["class_name"],
        "config": layer["config"],
        "compile": compile_config(model),
    }
    return record, model.get_weights()


def write_model_file(path: Path, record: dict, weights: list[np.ndarray]) -> Path:
    """A model file with this (possibly hostile) record and these arrays."""
    members = {"architecture.npy": architecture_member(record)}
    members |= {f"weight_{i:04d}.npy": array_member(w) for i, w in enumerate(weights)}
    return write_archive(path, members)
