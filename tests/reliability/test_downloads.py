"""Downloads against a misbehaving local server (127.0.0.1, never the network): every way a
mirror can fail moves on to the next, all failing is one DownloadError saying what each
did, and no partial file is ever left behind."""

from __future__ import annotations

import hashlib
import http.server
import io
import threading
import time
from collections.abc import Iterator

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

    def serve_trickle(self) -> None:
        self._headers()
        for byte in BODY[:300]:  # a byte every 20 ms: 30 minutes for the whole body
            self.wfile.write(bytes([byte]))
            self.wfile.flush()
            time.sleep(0.02)
        self.close_connection = True


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


def quick_fetch(mirrors: list[str], target) -> object:
    return fetch(
        "f.bin", mirrors, MD5, target, show_progress=False, deadline=1.0, stall_timeout=0.5
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
    assert time.monotonic() - start < 15  # stalls and trickles end at their deadlines
    lines = str(info.value).splitlines()
    assert lines[0] == "could not download f.bin:"
    for mirror, (behaviour, says) in zip(mirrors, FAILURES.items(), strict=True):
        line = next(line for line in lines if f"{mirror}f.bin" in line)
        assert says in line, f"{behaviour}: {line}"
    assert list(tmp_path.iterdir()) == []


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
