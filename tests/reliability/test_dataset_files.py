"""IDX files and dataset folders: every faulty or hostile file is an IDXError naming it,
and reading never costs more memory than a genuine file of the same header."""

from __future__ import annotations

import gzip
import tracemalloc

import numpy as np
import pytest
from reliability_helpers import idx_bytes, idx_header, make_unreadable, write_fake_mnist

from numnet.datasets import load_mnist, mnist
from numnet.datasets.idx import IDXError, read_idx


def offline(url: str):
    raise OSError("no network in tests")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        # 2**31 * 2**31 * 4 = 2**64: a product that wraps to 0 in 64-bit integers
        (idx_header((2**31, 2**31, 4)), "truncated"),
        (idx_header((2**32 - 1,) * 3) + b"\x00" * 16, "truncated"),
        (idx_header(()), "no dimensions"),
        (idx_header((0, 28, 28)), "empty dimension"),
        (idx_header((2, 0)), "empty dimension"),
        (idx_header((2, 2)) + b"\x00" * 3, "truncated"),
        (idx_header((2, 2)) + b"\x00" * 5, "longer than its header says"),
        (idx_header((2, 2), dtype_code=0x0D) + b"\x00" * 16, "unsupported IDX element type"),
    ],
)
def test_hostile_headers_are_idx_errors_naming_the_file(tmp_path, content, message):
    for path, data in ((tmp_path / "raw", content), (tmp_path / "packed.gz", content)):
        path.write_bytes(gzip.compress(data) if path.suffix == ".gz" else data)
        with pytest.raises(IDXError, match=message) as info:
            read_idx(path)
        assert str(path) in str(info.value)


def test_a_gzip_bomb_costs_no_more_memory_than_its_header(tmp_path):
    """10 images declared, 200 MB of zeros behind them: read one byte past the header's
    size, then stop."""
    path = tmp_path / "bomb-idx3-ubyte.gz"
    declared = idx_header((10, 28, 28))
    with gzip.open(path, "wb", compresslevel=1) as f:
        f.write(declared)
        zeros = bytes(1 << 20)
        for _ in range(200):
            f.write(zeros)
    assert path.stat().st_size < 1_000_000
    tracemalloc.start()
    try:
        with pytest.raises(IDXError, match="longer than its header says"):
            read_idx(path, 3)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8_000_000, f"reading the bomb allocated {peak:,} bytes"


def test_labels_outside_the_classes_are_named(tmp_path):
    labels = np.array([1, 2, 3, 200, 4, 5])
    write_fake_mnist(tmp_path / "mnist", train_labels=labels)
    label_file = tmp_path / "mnist" / "train-labels-idx1-ubyte.gz"
    for load in (
        lambda: mnist.load_data(path=tmp_path, opener=offline),
        lambda: load_mnist(one_hot_label=True, path=tmp_path),
    ):
        with pytest.raises(IDXError, match=r"label 200 at position 3 is not one of the 10") as info:
            load()
        assert str(label_file) in str(info.value)


def test_a_directory_where_a_file_should_be_is_named(tmp_path):
    folder = write_fake_mnist(tmp_path / "mnist")
    (folder / "train-labels-idx1-ubyte.gz").unlink()
    (folder / "train-labels-idx1-ubyte").mkdir()
    with pytest.raises(IDXError, match="is a directory") as info:
        mnist.load_data(path=tmp_path, opener=offline)
    assert str(folder / "train-labels-idx1-ubyte") in str(info.value)


def test_an_unreadable_file_says_permission(tmp_path, monkeypatch):
    folder = write_fake_mnist(tmp_path / "mnist")
    target = folder / "t10k-images-idx3-ubyte.gz"
    make_unreadable(target, monkeypatch)
    with pytest.raises(IDXError, match="permission denied") as info:
        mnist.load_data(path=tmp_path, opener=offline)
    assert str(target) in str(info.value)


def test_image_and_label_counts_must_match(tmp_path):
    folder = write_fake_mnist(tmp_path / "mnist")
    (folder / "t10k-labels-idx1-ubyte.gz").write_bytes(gzip.compress(idx_bytes(np.arange(3))))
    with pytest.raises(IDXError, match=r"4 images but .* has 3 labels"):
        mnist.load_data(path=tmp_path, opener=offline)


def test_a_valid_file_still_reads_raw_and_gzipped(tmp_path):
    array = np.arange(2 * 3 * 4).reshape(2, 3, 4)
    (tmp_path / "raw").write_bytes(idx_bytes(array))
    (tmp_path / "packed.gz").write_bytes(gzip.compress(idx_bytes(array)))
    for name in ("raw", "packed.gz"):
        read = read_idx(tmp_path / name, 3)
        assert read.dtype == np.uint8 and read.flags.writeable
        np.testing.assert_array_equal(read, array)
