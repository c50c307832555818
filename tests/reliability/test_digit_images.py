"""Images for `numnet predict`: transparency and 16 bits read as a person sees them; an image
too large, too small, a directory, a non-image or an unreadable file is one clear line."""

from __future__ import annotations

import struct
import zlib

import numpy as np
import pytest
from PIL import Image
from reliability_helpers import make_unreadable

from numnet.images import read_digit


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def bomb_png(width: int, height: int) -> bytes:
    """A few hundred bytes of PNG whose header declares width x height grey pixels."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * 1000)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", pixels)
        + png_chunk(b"IEND", b"")
    )


def drawn_digit(size: int = 56) -> np.ndarray:
    """A bar of ink (True) in the middle of a blank canvas."""
    ink = np.zeros((size, size), dtype=bool)
    ink[size // 4 : 3 * size // 4, size // 2 - 3 : size // 2 + 3] = True
    return ink


def test_a_transparent_background_reads_as_white_paper(tmp_path):
    ink = drawn_digit()
    rgba = np.zeros((*ink.shape, 4), dtype=np.uint8)  # transparent black everywhere...
    rgba[ink] = (0, 0, 0, 255)  # ...but the ink, opaque black
    Image.fromarray(rgba, "RGBA").save(tmp_path / "drawn.png")
    opaque = np.where(ink, 0, 255).astype(np.uint8)  # the same drawing on white paper
    Image.fromarray(opaque).save(tmp_path / "paper.png")
    digit = read_digit(tmp_path / "drawn.png")
    assert digit.max() == pytest.approx(1.0, abs=0.05) and digit[0, 0] == 0  # MNIST: ink bright
    np.testing.assert_allclose(digit, read_digit(tmp_path / "paper.png"), atol=1e-6)


def test_a_16_bit_image_is_scaled_not_clipped(tmp_path):
    ink = drawn_digit()
    grey16 = np.where(ink, 60_000, 1_000).astype(np.uint16)  # bright ink on dark ground
    Image.fromarray(grey16).save(tmp_path / "deep.png")
    grey8 = np.where(ink, round(60_000 / 257), round(1_000 / 257)).astype(np.uint8)
    Image.fromarray(grey8).save(tmp_path / "flat.png")
    np.testing.assert_allclose(
        read_digit(tmp_path / "deep.png"), read_digit(tmp_path / "flat.png"), atol=0.02
    )


@pytest.mark.parametrize(
    ("size", "message"),
    [
        ((100_000, 100_000), "is too large to read|more than the"),  # Pillow's own bomb limit
        ((9_000, 9_000), "more than the 67,108,864 numnet reads"),  # within Pillow's
        ((1, 1), "1x1 pixels: too small to show a digit"),
        ((300, 4), "300x4 pixels: too small"),
    ],
)
def test_sizes_are_refused_from_the_header(tmp_path, size, message):
    path = tmp_path / "image.png"
    path.write_bytes(bomb_png(*size))
    with pytest.raises(ValueError, match=message) as info:
        read_digit(path)
    assert str(path) in str(info.value)


def test_files_that_are_not_images(tmp_path, monkeypatch):
    with pytest.raises(ValueError, match="is a directory, not an image"):
        read_digit(tmp_path)
    (tmp_path / "notes.png").write_text("hello")
    with pytest.raises(ValueError, match="is not a readable image"):
        read_digit(tmp_path / "notes.png")
    damaged = tmp_path / "damaged.png"
    noise = np.random.default_rng(0).integers(0, 256, (40, 40), dtype=np.uint8)
    Image.fromarray(noise).save(damaged)
    damaged.write_bytes(damaged.read_bytes()[: damaged.stat().st_size // 2])  # cut short
    with pytest.raises(ValueError, match="is not a readable image"):
        read_digit(damaged)
    with pytest.raises(FileNotFoundError, match="does not exist"):
        read_digit(tmp_path / "missing.png")
    locked = tmp_path / "locked.png"
    Image.fromarray(np.zeros((40, 40), np.uint8)).save(locked)
    make_unreadable(locked, monkeypatch)
    with pytest.raises(ValueError, match="permission denied"):
        read_digit(locked)
