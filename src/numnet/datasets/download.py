"""Fetching a file from a list of mirrors: progress bar, checksum, deadline, atomic rename.

Whatever goes wrong with a mirror (it is down, answers an HTTP error or garbage, cuts
the transfer, sends the wrong bytes, stalls, or trickles so slowly that the file would
take hours) moves on to the next one. One deadline bounds the time for the file, all
mirrors together: a mirror too slow to finish within it is left as soon as that is
clear, and once it is spent the mirrors not yet tried are not. When all fail, one
`DownloadError` says what each mirror did. The bytes go to a temporary file that is
renamed into place only once complete and verified, so no run ever finds, and trusts, a
partial file.
"""

from __future__ import annotations

import functools
import hashlib
import http.client
import os
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO

from numnet.progbar import Progbar

Opener = Callable[[str], IO[bytes]]

STALL_TIMEOUT = 30.0  # seconds without a byte before a mirror counts as stalled
DEADLINE = 600.0  # seconds one file may take, all its mirrors together
_CHUNK = 1 << 16


class DownloadError(RuntimeError):
    """Every mirror failed; the message says what each one did."""


def _default_opener(url: str, timeout: float = STALL_TIMEOUT) -> IO[bytes]:
    return urllib.request.urlopen(url, timeout=timeout)


def fetch(
    filename: str,
    mirrors: Sequence[str],
    md5: str,
    target_dir: Path,
    opener: Opener | None = None,
    show_progress: bool = True,
    deadline: float = DEADLINE,
    stall_timeout: float = STALL_TIMEOUT,
) -> Path:
    """Download `filename` from the first mirror that serves it with the right MD5.

    The mirrors share `deadline` seconds: the file arrives within them, or the download
    fails (a read in flight may add at most `stall_timeout`), and the mirrors left when
    they are spent are not tried. A mirror that sends nothing for `stall_timeout`
    seconds (with the default opener), or whose pace, after that long, would not finish
    the file before the deadline, counts as failed. Raises DownloadError listing what
    each mirror did; the target folder then holds nothing new.
    """
    target_dir = Path(target_dir)
    target_dir.mkdir(parents=True, exist_ok=True)
    end = time.monotonic() + deadline
    failures = []
    for index, mirror in enumerate(mirrors):
        remaining = end - time.monotonic()
        if remaining <= 0:
            failures += [
                f"{m}{filename}: not tried (the {deadline:g} s deadline was spent)"
                for m in mirrors[index:]
            ]
            break
        url = mirror + filename
        open_url = opener or functools.partial(
            _default_opener, timeout=min(stall_timeout, remaining)
        )
        try:
            return _fetch_one(
                url, md5, target_dir / filename, open_url, show_progress, end, stall_timeout
            )
        except Exception as error:  # whatever a mirror does, try the next one
            failures.append(f"{url}: {describe(error)}")
    raise DownloadError("\n  ".join([f"could not download {filename}:", *failures]))


def describe(error: BaseException) -> str:
    """What a failed attempt did, in words (http.client's own messages are often only
    the bytes the server sent)."""
    message = str(error).strip()
    kind = f"{type(error).__name__}: {message}" if message else type(error).__name__
    if isinstance(error, urllib.error.HTTPError):
        return f"HTTP error {error.code} ({error.reason})"
    if isinstance(error, urllib.error.URLError):
        return f"cannot connect ({error.reason})"
    if isinstance(error, http.client.IncompleteRead):
        return f"the transfer was cut short ({kind})"
    if isinstance(error, http.client.HTTPException):
        return f"no valid HTTP answer ({kind})"
    if isinstance(error, TimeoutError) and message == "timed out":
        return "stalled: no data within the timeout"
    if isinstance(error, OSError | ValueError) and message:
        return message
    return kind


def _fetch_one(
    url: str,
    md5: str,
    target: Path,
    opener: Opener,
    show_progress: bool,
    end: float,
    grace: float,
) -> Path:
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as out:
            digest = _copy(url, out, opener, show_progress, end, grace)
        if digest != md5:
            raise ValueError(f"checksum mismatch (md5 {digest}, expected {md5})")
        os.replace(temporary, target)
        return target
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def _copy(
    url: str, out: IO[bytes], opener: Opener, show_progress: bool, end: float, grace: float
) -> str:
    """Copy the body at `url` into `out` before `end` (a time.monotonic() value), giving
    up after `grace` seconds if the pace so far would miss it; return the body's MD5."""
    digest = hashlib.md5()
    start = time.monotonic()
    with opener(url) as response:
        total = int(getattr(response, "headers", {}).get("Content-Length") or 0) or None
        bar = Progbar(total, unit="B", stream=sys.stderr) if show_progress else None
        # read1 returns what has arrived, so a trickling server cannot hold one read open
        read = getattr(response, "read1", response.read)
        received = 0
        while chunk := read(_CHUNK):
            out.write(chunk)
            digest.update(chunk)
            received += len(chunk)
            now = time.monotonic()
            if now > end:
                raise TimeoutError(f"too slow: {received} bytes before the deadline")
            if total and now - start > grace and start + (now - start) * total / received > end:
                raise TimeoutError(
                    f"too slow: {received} of {total} bytes in {now - start:.1f} s, a pace "
                    f"that would miss the deadline"
                )
            if bar:
                bar.update(received)
        if total is not None and received != total:
            raise OSError(f"transfer interrupted after {received} of {total} bytes")
        if bar:
            bar.update(received, final=True)
    return digest.hexdigest()
