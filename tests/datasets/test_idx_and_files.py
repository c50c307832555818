"""The IDX reader, the search order, the parsed cache and the download path (no network)."""

from __future__ import annotations

import gzip
import hashlib
import io
import os
from pathlib import Path

import numpy as np
import pytest

from numnet.datasets import download, files, load_mnist, mnist
from numnet.datasets.idx import IDXError, read_idx


def idx_bytes(array: np.ndarray) -> bytes:
    header = bytes([0, 0, 0x08, array.ndim]) + b"".join(
        int(n).to_bytes(4, "big") for n in array.shape
    )
    return header + array.astype(np.uint8).tobytes()


def write_fake_mnist(
    folder: Path, n_train: int = 6, n_test: int = 4, compress: bool = True
) -> None:
    rng = np.random.default_rng(0)
    folder.mkdir(parents=True, exist_ok=True)
    content = {
        "train-images-idx3-ubyte": rng.integers(0, 256, (n_train, 28, 28)),
        "train-labels-idx1-ubyte": rng.integers(0, 10, n_train),
        "t10k-images-idx3-ubyte": rng.integers(0, 256, (n_test, 28, 28)),
        "t10k-labels-idx1-ubyte": rng.integers(0, 10, n_test),
    }
    for stem, array in content.items():
        data = idx_bytes(array)
        if compress:
            (folder / f"{stem}.gz").write_bytes(gzip.compress(data))
        else:
            (folder / stem).write_bytes(data)


def test_real_mnist_from_numnet_data():
    (x_train, y_train), (x_test, y_test) = mnist.load_data()
    assert x_train.shape == (60000, 28, 28) and x_train.dtype == np.uint8
    assert y_train.shape == (60000,) and y_train.dtype == np.uint8
    assert x_test.shape == (10000, 28, 28)
    counts = np.bincount(y_test, minlength=10)
    assert counts.tolist() == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
    digest = hashlib.md5(idx_bytes(x_test)).hexdigest()
    assert digest == "2646ac647ad5339dbf082846283269ea"  # the decompressed file's MD5


def test_load_mnist_book_layout():
    (x, t), (_x_test, _t_test) = load_mnist(normalize=True, flatten=False, one_hot_label=True)
    assert x.shape == (60000, 1, 28, 28) and x.dtype == np.float32 and x.max() == 1.0
    assert t.shape == (60000, 10) and t.sum() == 60000
    (x, t), _ = load_mnist(normalize=False)
    assert x.shape == (60000, 784) and x.dtype == np.uint8 and t.ndim == 1


def test_raw_and_gzip_files_and_explicit_path(tmp_path):
    write_fake_mnist(tmp_path / "a", compress=False)
    write_fake_mnist(tmp_path / "b" / "mnist", compress=True)
    (x_raw, _), _ = mnist.load_data(path=tmp_path / "a")
    (x_gz, _), _ = mnist.load_data(path=tmp_path / "b")  # the parent of mnist/ works too
    np.testing.assert_array_equal(x_raw, x_gz)
    assert x_raw.shape == (6, 28, 28)


@pytest.mark.parametrize(
    ("mangle", "message"),
    [
        (lambda b: b[:-10], "truncated"),
        (lambda b: b + b"extra", "longer than its header says"),
        (lambda b: b"\x12\x34" + b[2:], "not an IDX file"),
        (lambda b: b[:6], "header is incomplete"),
        (lambda b: b"", "not an IDX file"),
    ],
)
def test_idx_errors_name_the_file(tmp_path, mangle, message):
    path = tmp_path / "train-images-idx3-ubyte"
    path.write_bytes(mangle(idx_bytes(np.zeros((2, 3, 3)))))
    with pytest.raises(IDXError, match=message) as info:
        read_idx(path, 3)
    assert str(path) in str(info.value)


def test_wrong_kind_and_damaged_gzip(tmp_path):
    labels = tmp_path / "labels"
    labels.write_bytes(idx_bytes(np.arange(5)))
    with pytest.raises(IDXError, match="holds idx1 data, expected images"):
        read_idx(labels, 3)
    damaged = tmp_path / "images.gz"
    damaged.write_bytes(gzip.compress(idx_bytes(np.zeros((2, 3, 3))))[:-8])
    with pytest.raises(IDXError, match="damaged gzip"):
        read_idx(damaged, 3)


def test_mismatched_image_and_label_counts(tmp_path):
    write_fake_mnist(tmp_path / "mnist")
    (tmp_path / "mnist" / "train-labels-idx1-ubyte.gz").write_bytes(
        gzip.compress(idx_bytes(np.arange(5)))
    )
    with pytest.raises(IDXError, match="do not belong together"):
        mnist.load_data(path=tmp_path)


def test_search_order_prefers_explicit_path_then_numnet_data(tmp_path, monkeypatch):
    write_fake_mnist(tmp_path / "explicit" / "mnist", n_train=3)
    write_fake_mnist(tmp_path / "env" / "mnist", n_train=5)
    monkeypatch.setenv("NUMNET_DATA", str(tmp_path / "env"))
    assert len(mnist.load_data(path=tmp_path / "explicit")[0][0]) == 3
    assert len(mnist.load_data()[0][0]) == 5


def test_parsed_cache_is_used_and_invalidated(tmp_path, monkeypatch):
    write_fake_mnist(tmp_path / "data" / "mnist", n_train=6)
    monkeypatch.setenv("NUMNET_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    mnist.load_data()
    cached = list((tmp_path / "cache" / "numnet" / "parsed").glob("mnist-*.npz"))
    assert len(cached) == 1
    # The data folder is never written to.
    assert sorted(p.name for p in (tmp_path / "data" / "mnist").iterdir()) == sorted(
        f"{s}.gz" for s, _ in files.SPLITS.values()
    )
    write_fake_mnist(tmp_path / "data" / "mnist", n_train=8)  # the source changes
    source = tmp_path / "data" / "mnist" / "train-images-idx3-ubyte.gz"
    os.utime(source, ns=(1, 1))
    assert len(mnist.load_data()[0][0]) == 8


class FakeResponse(io.BytesIO):
    """What urlopen returns: a readable body with a Content-Length header."""

    def __init__(self, body: bytes, length: int | None = None) -> None:
        super().__init__(body)
        self.headers = {"Content-Length": str(len(body) if length is None else length)}


def served_files() -> dict[str, bytes]:
    rng = np.random.default_rng(1)
    return {
        "train-images-idx3-ubyte.gz": gzip.compress(idx_bytes(rng.integers(0, 256, (4, 28, 28)))),
        "train-labels-idx1-ubyte.gz": gzip.compress(idx_bytes(rng.integers(0, 10, 4))),
        "t10k-images-idx3-ubyte.gz": gzip.compress(idx_bytes(rng.integers(0, 256, (2, 28, 28)))),
        "t10k-labels-idx1-ubyte.gz": gzip.compress(idx_bytes(rng.integers(0, 10, 2))),
    }


@pytest.fixture
def offline_cache(tmp_path, monkeypatch):
    monkeypatch.delenv("NUMNET_DATA", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    served = served_files()
    md5 = {name[:-3]: hashlib.md5(body).hexdigest() for name, body in served.items()}
    monkeypatch.setattr(
        mnist, "DATASET", files.IDXDataset("mnist", ("https://a/", "https://b/"), md5)
    )
    return tmp_path / "cache" / "numnet" / "mnist", served


def test_download_tries_mirrors_and_caches(offline_cache):
    target, served = offline_cache
    requested = []

    def opener(url: str) -> FakeResponse:
        requested.append(url)
        if url.startswith("https://a/"):
            raise OSError("mirror a is down")
        return FakeResponse(served[url.rsplit("/", 1)[1]])

    (x, _y), (x_test, _) = mnist.load_data(opener=opener)
    assert x.shape == (4, 28, 28) and x_test.shape == (2, 28, 28)
    assert requested[:2] == [
        "https://a/train-images-idx3-ubyte.gz",
        "https://b/train-images-idx3-ubyte.gz",
    ]
    assert sorted(p.name for p in target.iterdir()) == sorted(served)
    mnist.load_data(opener=lambda url: pytest.fail("downloaded twice"))


def test_checksum_mismatch_keeps_nothing(offline_cache):
    target, _ = offline_cache
    with pytest.raises(FileNotFoundError, match="could not be downloaded") as info:
        mnist.load_data(opener=lambda url: FakeResponse(b"not the file"))
    assert "checksum mismatch" in str(info.value)
    assert not target.exists() or not any(target.iterdir())


def test_interrupted_transfer_leaves_no_half_file(offline_cache):
    target, served = offline_cache

    def opener(url: str) -> FakeResponse:
        body = served[url.rsplit("/", 1)[1]]
        return FakeResponse(body[: len(body) // 2], length=len(body))  # the connection drops

    with pytest.raises(FileNotFoundError, match="NUMNET_DATA") as info:
        mnist.load_data(opener=opener)
    assert "interrupted" in str(info.value)
    assert not any(target.iterdir())


def test_fetch_writes_atomically(tmp_path):
    body = b"x" * 100_000
    path = download.fetch(
        "f.bin", ["https://m/"], hashlib.md5(body).hexdigest(), tmp_path,
        opener=lambda url: FakeResponse(body), show_progress=False,
    )  # fmt: skip
    assert path.read_bytes() == body and [p.name for p in tmp_path.iterdir()] == ["f.bin"]
