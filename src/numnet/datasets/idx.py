"""Reader for the IDX format of MNIST (LeCun et al.): raw or gzip-compressed.

Layout: two zero bytes, a type code (0x08 = unsigned byte), the number of dimensions,
then one big-endian uint32 per dimension, then the data.
"""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path

import numpy as np

_UNSIGNED_BYTE = 0x08


class IDXError(ValueError):
    """A file that is not a valid IDX file (truncated, corrupt, or of the wrong kind)."""


def read_bytes(path: Path) -> bytes:
    """The decompressed content of a raw or gzip file, with clear errors."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise IDXError(f"cannot read {path}: {error.strerror or error}") from error
    if raw[:2] != b"\x1f\x8b":
        return raw
    try:
        return gzip.decompress(raw)
    except (OSError, EOFError, zlib.error) as error:
        raise IDXError(
            f"{path} is a damaged gzip file ({error}); delete it and download it again"
        ) from error


def read_idx(path: str | Path, expected_ndim: int | None = None) -> np.ndarray:
    """Parse one IDX file into a uint8 array, validating magic number, dimensions and length."""
    path = Path(path)
    data = read_bytes(path)
    if len(data) < 4 or data[:2] != b"\x00\x00":
        raise IDXError(f"{path} is not an IDX file (bad magic number {data[:4].hex() or 'empty'})")
    dtype_code, ndim = data[2], data[3]
    if dtype_code != _UNSIGNED_BYTE:
        raise IDXError(f"{path}: unsupported IDX element type 0x{dtype_code:02x} (expected 0x08)")
    if expected_ndim is not None and ndim != expected_ndim:
        kind = {1: "labels (idx1)", 3: "images (idx3)"}.get(expected_ndim, f"idx{expected_ndim}")
        raise IDXError(f"{path} holds idx{ndim} data, expected {kind}: is it the right file?")
    header = 4 + 4 * ndim
    if len(data) < header:
        raise IDXError(f"{path} is truncated: its header is incomplete")
    shape = tuple(int(n) for n in np.frombuffer(data, dtype=">u4", count=ndim, offset=4))
    expected = int(np.prod(shape)) if shape else 0
    actual = len(data) - header
    if actual != expected:
        problem = "truncated" if actual < expected else "longer than its header says"
        raise IDXError(
            f"{path} is {problem}: header says {shape} = {expected} bytes of data, found {actual}; "
            f"delete it and get the file again"
        )
    return np.frombuffer(data, dtype=np.uint8, offset=header).reshape(shape)
