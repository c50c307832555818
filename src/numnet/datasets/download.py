"""Fetching a file from a list of mirrors: progress bar, checksum, atomic rename."""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO

from numnet.progbar import Progbar

Opener = Callable[[str], IO[bytes]]


class DownloadError(RuntimeError):
    """Every mirror failed; the message says what to do instead."""


def _default_opener(url: str) -> IO[bytes]:
    return urllib.request.urlopen(url, timeout=30)


def fetch(
    filename: str,
    mirrors: Sequence[str],
    md5: str,
    target_dir: Path,
    opener: Opener | None = None,
    show_progress: bool = True,
) -> Path:
    """Download `filename` from the first mirror that serves it with the right MD5.

    The bytes go to a temporary file in `target_dir`, which is renamed into place only
    when complete and verified, so an interrupted download never leaves a partial file.
    Raises DownloadError listing what each mirror did.
    """
    opener = opener or _default_opener
    target_dir.mkdir(parents=True, exist_ok=True)
    failures = []
    for mirror in mirrors:
        url = mirror + filename
        try:
            return _fetch_one(url, md5, target_dir / filename, opener, show_progress)
        except (OSError, urllib.error.URLError, ValueError) as error:
            failures.append(f"{url}: {error}")
    raise DownloadError("\n  ".join([f"could not download {filename}:", *failures]))


def _fetch_one(url: str, md5: str, target: Path, opener: Opener, show_progress: bool) -> Path:
    digest = hashlib.md5()
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as out, opener(url) as response:
            total = int(getattr(response, "headers", {}).get("Content-Length") or 0) or None
            bar = Progbar(total, unit="B", stream=sys.stderr) if show_progress else None
            received = 0
            while chunk := response.read(1 << 16):
                out.write(chunk)
                digest.update(chunk)
                received += len(chunk)
                if bar:
                    bar.update(received)
            if total is not None and received != total:
                raise OSError(f"transfer interrupted after {received} of {total} bytes")
            if bar:
                bar.update(received, final=True)
        if digest.hexdigest() != md5:
            raise ValueError(f"checksum mismatch (md5 {digest.hexdigest()}, expected {md5})")
        os.replace(temporary, target)
        return target
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
