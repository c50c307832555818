"""Where dataset files are found, and the parsed-array cache.

Search order for a dataset's files (SPEC 4): an explicit `path`, the folder
``$NUMNET_DATA/<name>/``, numnet's cache folder (``$XDG_CACHE_HOME/numnet`` or
``~/.cache/numnet``), then a download into that cache. numnet writes only to its cache.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from numnet.datasets import download
from numnet.datasets.idx import IDXError, read_idx

SPLITS = {
    "x_train": ("train-images-idx3-ubyte", 3),
    "y_train": ("train-labels-idx1-ubyte", 1),
    "x_test": ("t10k-images-idx3-ubyte", 3),
    "y_test": ("t10k-labels-idx1-ubyte", 1),
}


@dataclass(frozen=True)
class IDXDataset:
    """An MNIST-layout dataset: four IDX files, the mirrors that serve them gzipped, the
    MD5 of each served .gz file, and the number of classes its labels count."""

    name: str
    mirrors: tuple[str, ...]
    gz_md5: dict[str, str]
    classes: int = 10


def cache_dir() -> Path:
    """numnet's cache folder: $XDG_CACHE_HOME/numnet or ~/.cache/numnet."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "numnet"


def candidate_dirs(dataset: IDXDataset, path: str | Path | None = None) -> list[Path]:
    """Folders searched for the files, in order."""
    dirs = []
    if path is not None:
        dirs += [Path(path), Path(path) / dataset.name]
    if os.environ.get("NUMNET_DATA"):
        dirs.append(Path(os.environ["NUMNET_DATA"]) / dataset.name)
    dirs.append(cache_dir() / dataset.name)
    return dirs


def _existing(folder: Path, stem: str) -> Path | None:
    """The raw or gzip file of `stem` in `folder`. Anything there under that name counts,
    so a directory in a file's place is reported by the reader instead of skipped."""
    for name in (stem, stem + ".gz"):
        if os.path.lexists(folder / name):
            return folder / name
    return None


def locate(dataset: IDXDataset, path: str | Path | None = None) -> dict[str, Path] | None:
    """The four files from the first folder that has all of them, or None."""
    for folder in candidate_dirs(dataset, path):
        found = {split: _existing(folder, stem) for split, (stem, _) in SPLITS.items()}
        if all(found.values()):
            return found  # type: ignore[return-value]
    return None


def offline_help(dataset: IDXDataset, path: str | Path | None) -> str:
    """What to do when the files are neither on disk nor downloadable (first line says it all)."""
    searched = "\n".join(f"  - {d}" for d in candidate_dirs(dataset, path))
    names = ", ".join(stem + ".gz" for stem, _ in SPLITS.values())
    return (
        f"{dataset.name} files not found and could not be downloaded: put the four files "
        f"({names}) in a folder named {dataset.name}/ and set NUMNET_DATA to its parent "
        f"folder (export NUMNET_DATA=/path/to/datasets), or pass path=...\n"
        f"Searched:\n{searched}"
    )


def ensure_files(
    dataset: IDXDataset,
    path: str | Path | None = None,
    opener: download.Opener | None = None,
) -> dict[str, Path]:
    """The four files, downloading them into the cache when no folder has them."""
    found = locate(dataset, path)
    if found is not None:
        return found
    target = cache_dir() / dataset.name
    try:
        for stem, _ in SPLITS.values():
            if _existing(target, stem) is None:
                download.fetch(
                    stem + ".gz", dataset.mirrors, dataset.gz_md5[stem], target, opener=opener
                )
    except download.DownloadError as error:
        raise FileNotFoundError(f"{offline_help(dataset, path)}\n{error}") from error
    return {split: target / (stem + ".gz") for split, (stem, _) in SPLITS.items()}


def _fingerprint(files: dict[str, Path]) -> str:
    """Changes whenever a source file is replaced, touched or resized."""
    parts = []
    for split in sorted(files):
        stat = files[split].stat()
        parts.append(f"{files[split].resolve()}:{stat.st_size}:{stat.st_mtime_ns}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def check_arrays(
    dataset: IDXDataset, arrays: dict[str, np.ndarray], files: dict[str, Path]
) -> None:
    """An IDXError naming the file unless images and labels belong together: as many
    images as labels, and every label one of the dataset's classes."""
    for kind in ("train", "test"):
        images, labels = arrays[f"x_{kind}"], arrays[f"y_{kind}"]
        if len(images) != len(labels):
            raise IDXError(
                f"{files[f'x_{kind}']} has {len(images)} images but {files[f'y_{kind}']} has "
                f"{len(labels)} labels: the files do not belong together"
            )
        outside = np.flatnonzero(labels >= dataset.classes)
        if len(outside):
            first = int(outside[0])
            raise IDXError(
                f"{files[f'y_{kind}']}: label {labels[first]} at position {first} is not one of "
                f"the {dataset.classes} classes 0-{dataset.classes - 1} ({len(outside)} such "
                f"labels); the file is damaged or belongs to another dataset"
            )


def _read_cache(cached: Path, fingerprint: str) -> dict[str, np.ndarray] | None:
    """The arrays of a parsed-array cache written for these source files, else None."""
    try:
        with np.load(cached, allow_pickle=False) as data:
            if str(data["fingerprint"]) == fingerprint:
                arrays = {split: data[split] for split in SPLITS}
                if all(arrays[s].ndim == ndim for s, (_, ndim) in SPLITS.items()):
                    return arrays
    except (OSError, ValueError, KeyError, EOFError):
        pass  # an unreadable cache is rebuilt
    return None


def load_arrays(
    dataset: IDXDataset, path: str | Path | None = None, opener: download.Opener | None = None
) -> dict[str, np.ndarray]:
    """The four uint8 arrays, parsed once and then served from an .npz cache (no pickle).

    The cache records a fingerprint of the source files and is rebuilt when they change.
    Whichever way they come, the arrays are checked (counts, labels) before use.
    """
    files = ensure_files(dataset, path, opener)
    try:
        fingerprint = _fingerprint(files)
    except OSError:  # a file that cannot even be looked at: the reader below says why
        fingerprint = None
    cached = cache_dir() / "parsed" / f"{dataset.name}-{(fingerprint or '')[:16]}.npz"
    arrays = _read_cache(cached, fingerprint) if fingerprint and cached.is_file() else None
    if arrays is None:
        arrays = {split: read_idx(files[split], ndim) for split, (_, ndim) in SPLITS.items()}
        check_arrays(dataset, arrays, files)
        if fingerprint:
            _write_cache(cached, arrays, fingerprint)
        return arrays
    check_arrays(dataset, arrays, files)
    return arrays


def _write_cache(cached: Path, arrays: dict[str, np.ndarray], fingerprint: str) -> None:
    """Write the cache under a name of its own, then rename it into place: a reader (or
    another process writing the same cache) never sees a half-written file."""
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=cached.parent, prefix=f".{cached.name}.")
    except OSError:
        return  # a read-only cache only costs speed
    try:
        with os.fdopen(fd, "wb") as f:
            np.savez(f, fingerprint=np.array(fingerprint), **arrays)
        os.replace(temporary, cached)
    except OSError:
        pass
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def keras_layout(
    dataset: IDXDataset, path: str | Path | None = None, opener: download.Opener | None = None
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """((x_train, y_train), (x_test, y_test)) as Keras' load_data returns them."""
    arrays = load_arrays(dataset, path, opener)
    return (arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"])
