"""Downloads against a misbehaving local server (127.0.0.1, never the network) or a fake
opener on a fake clock: every way a mirror can fail moves on to the next, the mirrors
share one deadline per file, all failing is one DownloadError saying what each did, and
no partial file is ever left behind."""

from __future__ import annotations

import hashlib
import http.server
import io
import threading
import time
import urllib.error
from collections.abc import Iterator
from types import SimpleNamespace

import pytest

from numnet.datasets import download
from numnet.datasets.download import DownloadError, fetch

BODY = bytes(range(256)) * 400  # 100 KiB
MD5 = hashlib.md5(BODY).hexdigest()


class MisbehavingMirror(http.server.BaseHTTPRequestHandler):
    """Serves BODY at /<behaviour>/<file>, misbehaving as the behaviour says."""

    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:  # keep the test output clean
        pass

    def do_GET(self) -> None:
        behaviour = self.path.strip("/").split("/")[0]
        getattr(self, f"serve_{behaviour}")()

    def _headers(self, length: int | None = len(BODY), status: int = 200) -> None:
        self.send_response(status)
        if length is not None:
            self.send_header("Content-Length", str(length))
        self.end_headers()

    def serve_ok(self) -> None:
        self._headers()
        self.wfile.write(BODY)

    def serve_not_found(self) -> None:
        self._headers(0, status=404)

    def serve_server_error(self) -> None:
        self._headers(0, status=503)

    def serve_bad_status_line(self) -> None:
        self.wfile.write(b"garbage, not HTTP\r\n\r\n")
        self.close_connection = True

    def serve_cut_chunked(self) -> None:
        self.send_response(200)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        self.wfile.write(b"%x\r\n%s\r\n" % (1000, BODY[:1000]))
        self.wfile.write(b"%x\r\n%s" % (1000, BODY[1000:1500]))  # the chunk is cut short
        self.close_connection = True

    def serve_cut_length(self) -> None:
        self._headers()
        self.wfile.write(BODY[: len(BODY) // 2])
        self.close_connection = True

    def serve_wrong_bytes(self) -> None:
        self._headers()
        self.wfile.write(BODY[::-1])

    def serve_stall(self) -> None:
        self._headers()
        self.wfile.write(BODY[:100])
        self.wfile.flush()
        time.sleep(3)  # the client's stall timeout is far shorter
        self.close_connection = True

    def serve_trickle(self, length: int | None = len(BODY)) -> None:
        self._headers(length)
        for byte in BODY[:300]:  # a byte every 20 ms: 30 minutes for the whole body
            self.wfile.write(bytes([byte]))
            self.wfile.flush()
            time.sleep(0.02)
        self.close_connection = True

    def serve_trickle_unsized(self) -> None:
        self.serve_trickle(length=None)  # no Content-Length: the pace predicts nothing


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), MisbehavingMirror)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


FAILURES = {
    "not_found": "HTTP error 404",
    "server_error": "HTTP error 503",
    "bad_status_line": "no valid HTTP answer",
    "cut_chunked": "cut short",
    "cut_length": "interrupted after",
    "wrong_bytes": "checksum mismatch",
    "stall": "stalled",
    "trickle": "too slow",
}


def quick_fetch(mirrors: list[str], target, deadline: float = 2.0) -> object:
    return fetch(
        "f.bin", mirrors, MD5, target, show_progress=False, deadline=deadline, stall_timeout=0.5
    )


@pytest.mark.parametrize("behaviour", list(FAILURES))
def test_each_failure_moves_on_to_the_next_mirror(server, tmp_path, behaviour):
    path = quick_fetch([f"{server}/{behaviour}/", f"{server}/ok/"], tmp_path)
    assert path.read_bytes() == BODY
    assert [p.name for p in tmp_path.iterdir()] == ["f.bin"]  # no partial file beside it


def test_all_mirrors_failing_is_one_error_saying_what_each_did(server, tmp_path):
    mirrors = [f"{server}/{behaviour}/" for behaviour in FAILURES]
    start = time.monotonic()
    with pytest.raises(DownloadError) as info:
        quick_fetch(mirrors, tmp_path)
    assert time.monotonic() - start < 15  # a stall ends at its timeout, a trickle at its pace
    lines = str(info.value).splitlines()
    assert lines[0] == "could not download f.bin:"
    for mirror, (behaviour, says) in zip(mirrors, FAILURES.items(), strict=True):
        line = next(line for line in lines if f"{mirror}f.bin" in line)
        assert says in line, f"{behaviour}: {line}"
    assert list(tmp_path.iterdir()) == []


def test_slow_mirrors_share_one_deadline(server, tmp_path):
    """Mirrors that trickle without saying the file's size: with a deadline for each,
    three of them would take three deadlines; the first spends the file's one deadline,
    and the others (a good one too) are reported as not tried."""
    mirrors = [f"{server}/trickle_unsized/", f"{server}/trickle_unsized/", f"{server}/ok/"]
    start = time.monotonic()
    with pytest.raises(DownloadError) as info:
        quick_fetch(mirrors, tmp_path, deadline=0.8)
    assert time.monotonic() - start < 1.5
    lines = str(info.value).splitlines()
    assert lines[1].startswith(f"  {mirrors[0]}f.bin: too slow")
    assert lines[2:] == [
        f"  {mirror}f.bin: not tried (the 0.8 s deadline was spent)" for mirror in mirrors[1:]
    ]
    assert list(tmp_path.iterdir()) == []


class FakeClock:
    """time.monotonic for the download module, moved on only by the fake mirrors."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.now = 0.0
        monkeypatch.setattr(download, "time", SimpleNamespace(monotonic=lambda: self.now))


def test_the_time_left_cuts_the_next_mirrors_timeout(monkeypatch, tmp_path):
    clock = FakeClock(monkeypatch)
    timeouts = []

    def slow_refusal(url: str, timeout: float):
        timeouts.append(timeout)
        clock.now += 0.7
        raise urllib.error.URLError("refused")

    monkeypatch.setattr(download, "_default_opener", slow_refusal)
    with pytest.raises(DownloadError) as info:
        quick_fetch(["a/", "b/", "c/"], tmp_path, deadline=1.0)
    assert timeouts == [0.5, pytest.approx(0.3)]  # the stall timeout, then the time left
    assert str(info.value).splitlines()[1:] == [
        "  a/f.bin: cannot connect (refused)",
        "  b/f.bin: cannot connect (refused)",
        "  c/f.bin: not tried (the 1 s deadline was spent)",
    ]


class Paced(io.BytesIO):
    """A response of BODY delivering 1 KiB per `seconds` of the fake clock."""

    def __init__(self, clock: FakeClock, seconds: float) -> None:
        super().__init__(BODY)
        self.clock, self.seconds = clock, seconds
        self.headers = {"Content-Length": str(len(BODY))}

    def read1(self, size: int = -1) -> bytes:
        self.clock.now += self.seconds
        return self.read(1024)


def test_a_mirror_too_slow_for_the_deadline_is_left_in_time_for_the_next(monkeypatch, tmp_path):
    """At 1 KiB per 0.1 s the 100 KiB file would take 10 s of the 5 s deadline: the
    mirror is left once its pace has shown that for the stall timeout (0.5 s)."""
    clock = FakeClock(monkeypatch)
    opened = []

    def opener(url: str) -> Paced:
        opened.append((url, clock.now))
        return Paced(clock, 0.1 if url.startswith("slow/") else 0.001)

    path = fetch(
        "f.bin", ["slow/", "fast/"], MD5, tmp_path, opener, False, deadline=5.0, stall_timeout=0.5
    )
    assert path.read_bytes() == BODY
    assert opened == [("slow/f.bin", 0.0), ("fast/f.bin", pytest.approx(0.6))]


def test_an_unreachable_mirror_is_reported(tmp_path):
    with pytest.raises(DownloadError, match="cannot connect"):
        quick_fetch(["http://127.0.0.1:9/"], tmp_path)  # the discard port: refused


class Interrupted(io.BytesIO):
    """A response that Ctrl-C interrupts halfway."""

    def __init__(self, body: bytes) -> None:
        super().__init__(body)
        self.headers = {"Content-Length": str(len(body))}

    def read(self, size: int = -1) -> bytes:
        if self.tell() > len(BODY) // 2:
            raise KeyboardInterrupt
        return super().read(min(size, 4096))

    read1 = read


def test_an_interrupted_download_leaves_nothing(tmp_path):
    with pytest.raises(KeyboardInterrupt):
        fetch("f.bin", ["https://m/"], MD5, tmp_path, lambda url: Interrupted(BODY), False)
    assert list(tmp_path.iterdir()) == []


def test_describe_says_what_an_error_was():
    assert download.describe(TimeoutError("timed out")) == "stalled: no data within the timeout"
    assert download.describe(KeyError("x")) == "KeyError: 'x'"
    assert download.describe(RuntimeError()) == "RuntimeError"
