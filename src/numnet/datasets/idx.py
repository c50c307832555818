"""Reader for the IDX format of MNIST (LeCun et al.): raw or gzip-compressed.

Layout: two zero bytes, a type code (0x08 = unsigned byte), the number of dimensions,
then one big-endian uint32 per dimension, then the data.

Any bytes end in an array or in an `IDXError` naming the file. The header is checked
before the data is read, and a gzip file is decompressed as a stream that stops one byte
past the size its header announces, so a small file that inflates to gigabytes (a gzip
bomb) costs no more memory than a genuine file with that header.
"""

from __future__ import annotations

import gzip
import math
import os
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import numpy as np

_UNSIGNED_BYTE = 0x08
_GZIP_MAGIC = b"\x1f\x8b"
_CHUNK = 1 << 20
# What a damaged gzip stream raises while it is decompressed.
_GZIP_ERRORS = (gzip.BadGzipFile, EOFError, zlib.error)


class IDXError(ValueError):
    """A file that is not a valid IDX file (truncated, corrupt, or of the wrong kind)."""


def _cannot_read(path: Path, error: OSError) -> IDXError:
    """The error for a file the operating system will not give us, saying why."""
    if isinstance(error, IsADirectoryError):
        return IDXError(f"{path} is a directory, not an IDX file")
    if isinstance(error, FileNotFoundError):
        return IDXError(f"{path} does not exist")
    if isinstance(error, PermissionError):
        return IDXError(f"cannot read {path}: permission denied (check the file's permissions)")
    return IDXError(f"cannot read {path}: {error.strerror or error}")


@contextmanager
def _open(path: Path) -> Iterator[tuple[IO[bytes], int | None]]:
    """The file's content as a stream, decompressed if it is gzip, and its size on disk
    when the stream is the raw file (None for gzip, whose decompressed size is unknown)."""
    try:
        if path.is_dir():
            raise IsADirectoryError(21, "Is a directory", str(path))
        raw = open(path, "rb")  # noqa: SIM115 (closed below, also on errors)
    except OSError as error:
        raise _cannot_read(path, error) from error
    with raw:
        try:
            compressed = raw.read(2) == _GZIP_MAGIC
            raw.seek(0)
            if not compressed:
                yield raw, os.fstat(raw.fileno()).st_size
                return
            with gzip.GzipFile(fileobj=raw, mode="rb") as stream:
                yield stream, None
        except _GZIP_ERRORS as error:
            raise IDXError(
                f"{path} is a damaged gzip file ({error}); delete it and download it again"
            ) from error
        except OSError as error:
            raise _cannot_read(path, error) from error


def _read_up_to(stream: IO[bytes], limit: int) -> bytearray:
    """At most `limit` bytes of the stream, read in chunks so that only the bytes the
    stream really holds are ever allocated."""
    data = bytearray()
    while len(data) < limit:
        chunk = stream.read(min(_CHUNK, limit - len(data)))
        if not chunk:
            break
        data += chunk
    return data


def _header(stream: IO[bytes], path: Path, expected_ndim: int | None) -> tuple[int, ...]:
    """The shape the header declares, after checking magic number, type and rank."""
    magic = bytes(_read_up_to(stream, 4))
    if len(magic) < 4 or magic[:2] != b"\x00\x00":
        raise IDXError(f"{path} is not an IDX file (bad magic number {magic.hex() or 'empty'})")
    dtype_code, ndim = magic[2], magic[3]
    if dtype_code != _UNSIGNED_BYTE:
        raise IDXError(f"{path}: unsupported IDX element type 0x{dtype_code:02x} (expected 0x08)")
    if expected_ndim is not None and ndim != expected_ndim:
        kind = {1: "labels (idx1)", 3: "images (idx3)"}.get(expected_ndim, f"idx{expected_ndim}")
        raise IDXError(f"{path} holds idx{ndim} data, expected {kind}: is it the right file?")
    if ndim == 0:
        raise IDXError(f"{path}: its header declares no dimensions (ndim 0)")
    dims = bytes(_read_up_to(stream, 4 * ndim))
    if len(dims) < 4 * ndim:
        raise IDXError(f"{path} is truncated: its header is incomplete")
    shape = tuple(int.from_bytes(dims[i : i + 4], "big") for i in range(0, 4 * ndim, 4))
    if 0 in shape:
        raise IDXError(f"{path}: its header declares an empty dimension, shape {shape}")
    return shape


def _length_error(path: Path, shape: tuple[int, ...], expected: int, actual: int) -> IDXError:
    problem = "truncated" if actual < expected else "longer than its header says"
    found = f"{actual}" if actual <= expected else f"more than {expected}"
    return IDXError(
        f"{path} is {problem}: header says {shape} = {expected} bytes of data, found {found}; "
        f"delete it and get the file again"
    )


def read_idx(path: str | Path, expected_ndim: int | None = None) -> np.ndarray:
    """Parse one IDX file into a uint8 array, validating magic number, dimensions and length.

    Raises IDXError (a ValueError naming the file) for anything else: a missing,
    unreadable or damaged file, a wrong element type or rank, a header whose dimensions
    are empty, or data shorter or longer than the header says.
    """
    path = Path(path)
    with _open(path) as (stream, size_on_disk):
        shape = _header(stream, path, expected_ndim)
        expected = math.prod(shape)  # Python integers: no overflow, however large
        if size_on_disk is not None:  # a raw file: its size tells at once whether it fits
            actual = size_on_disk - 4 - 4 * len(shape)
            if actual != expected:
                raise _length_error(path, shape, expected, actual)
        data = _read_up_to(stream, expected + 1)  # one byte more reveals a longer file
    if len(data) != expected:
        raise _length_error(path, shape, expected, len(data))
    return np.frombuffer(data, dtype=np.uint8).reshape(shape)
