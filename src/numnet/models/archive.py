"""Reading the arrays of a model file without trusting it.

A model file is NumPy's .npz: a zip archive with one .npy member per array. Each
member's header is read and checked before its array is allocated: a plain numeric
dtype (no Python objects, which would need pickle; no structured, complex, string or
date values) and a shape whose size is exactly the bytes the member holds, within what
the archive itself can hold. So reading allocates no more than the file's own size (for
a compressed member, at most the ~1,000-fold that deflate can expand), and a 1 KB file
that declares a 4 TiB array is refused before anything is allocated. Nothing is ever
unpickled, so nothing in the file runs.
"""

from __future__ import annotations

import math
import os
import zipfile
from pathlib import Path
from typing import IO, Any

import numpy as np

MAX_DEFLATE_RATIO = 1032  # the most deflate can expand its input
ALLOWED_KINDS = "biuf"  # booleans, integers, floats
_HEADER_READERS = {
    (1, 0): np.lib.format.read_array_header_1_0,
    (2, 0): np.lib.format.read_array_header_2_0,
}


class ModelFileError(ValueError):
    """A file that is not a loadable numnet model (wrong kind, corrupt, or unsafe); the
    message names the file and, when one is to blame, the field."""


def read_arrays(
    path: Path, names: Any = None, allow_nonfinite: bool = False
) -> dict[str, np.ndarray]:
    """The arrays stored in the .npz archive at `path`, by name (those for which
    `names(name)` is true, when given). Non-finite floats are refused unless
    `allow_nonfinite`. Any damage is a ModelFileError naming the file and the array."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = _checked_members(path, archive)
            wanted = [m for m in members if names is None or names(m.filename[:-4])]
            arrays = {m.filename[:-4]: _read_member(path, archive, m) for m in wanted}
    except ModelFileError:
        raise
    except Exception as error:
        # zipfile, zlib and NumPy's header parser raise a dozen kinds of exception on
        # damaged bytes; to a caller each means the same: this is not a usable file.
        raise ModelFileError(
            f"{path} is not a numnet model file (a damaged archive: {_describe(error)})"
        ) from error
    if not allow_nonfinite:
        for name, array in arrays.items():
            if array.dtype.kind == "f" and not np.isfinite(array).all():
                raise ModelFileError(
                    f"{path}: field {name} holds NaN or infinite values (a diverged "
                    f"training?); pass allow_nonfinite=True to load it anyway"
                )
    return arrays


def _describe(error: BaseException) -> str:
    message = str(error).strip()
    return f"{type(error).__name__}: {message}" if message else type(error).__name__


def _checked_members(path: Path, archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    """The archive's members, once their declared sizes add up to no more than the file
    can hold: every member's packed bytes inside the file, without overlap, and
    unpacked sizes within what their compression can produce."""
    members = archive.infolist()
    names = [m.filename for m in members]
    if len(set(names)) != len(names):
        raise ModelFileError(f"{path}: the archive lists the same array twice")
    packed = 0
    for member in members:
        field = member.filename.removesuffix(".npy")
        if not member.filename.endswith(".npy"):
            raise ModelFileError(f"{path}: member {member.filename!r} is not a NumPy array")
        if member.compress_type == zipfile.ZIP_STORED:
            expansion = 1
        elif member.compress_type == zipfile.ZIP_DEFLATED:
            expansion = MAX_DEFLATE_RATIO
        else:
            raise ModelFileError(f"{path}: field {field} uses an unsupported compression")
        if member.file_size > max(member.compress_size, 1) * expansion:
            raise ModelFileError(
                f"{path}: field {field} claims {member.file_size} bytes, more than its "
                f"{member.compress_size} stored bytes can hold"
            )
        packed += member.compress_size
    if packed > os.path.getsize(path):
        raise ModelFileError(f"{path}: its members claim more bytes than the file has")
    return members


def _read_header(path: Path, field: str, stream: IO[bytes]) -> tuple[tuple[int, ...], bool, Any]:
    """(shape, fortran_order, dtype) from a .npy header: read, not yet trusted."""
    version = np.lib.format.read_magic(stream)
    reader = _HEADER_READERS.get(version)
    if reader is None:
        raise ModelFileError(f"{path}: field {field} is in .npy format {version}, not 1.0/2.0")
    return reader(stream)


def _read_member(path: Path, archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> np.ndarray:
    """One array, its header checked against its size before anything is allocated."""
    field = member.filename[:-4]
    with archive.open(member) as stream:
        shape, fortran_order, dtype = _read_header(path, field, stream)
        if dtype.hasobject:
            raise ModelFileError(
                f"{path}: field {field} holds pickled Python objects; numnet model files "
                f"never do, and unpickling can run arbitrary code, so it was not loaded"
            )
        if dtype.kind not in ALLOWED_KINDS or dtype.fields is not None or dtype.subdtype:
            raise ModelFileError(
                f"{path}: field {field} has dtype {dtype}; model files hold only plain "
                f"numbers (no objects, structured, complex or text arrays)"
            )
        if any(n < 0 for n in shape):
            raise ModelFileError(f"{path}: field {field} declares a negative shape {shape}")
        nbytes = math.prod(shape) * dtype.itemsize  # Python integers: cannot overflow
        held = member.file_size - stream.tell()
        if nbytes != held:
            raise ModelFileError(
                f"{path}: field {field} declares shape {shape} of {dtype} ({nbytes} bytes) "
                f"but holds {held} bytes"
            )
        data = stream.read(nbytes)  # no more than the member holds, checked just above
        if len(data) != nbytes or stream.read(1):  # reading to the end checks the CRC
            raise ModelFileError(f"{path}: field {field} is truncated")
    array = np.frombuffer(data, dtype=dtype)
    return array.reshape(shape, order="F" if fortran_order else "C")
