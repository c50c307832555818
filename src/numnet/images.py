"""Turning a photo or drawing of a digit into an MNIST-style 28x28 input (needs Pillow)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

MIN_SIDE = 8  # pixels: a smaller image cannot show a digit
MAX_PIXELS = 8192 * 8192  # larger images are refused from their header, before decoding


class ImageFileError(ValueError):
    """An image file that cannot be used; the message names the file and why."""


def _pillow() -> Any:
    try:
        from PIL import Image
    except ImportError as error:
        raise ImportError("reading images needs Pillow: pip install 'numnet[plot]'") from error
    return Image


def to_mnist(grey: np.ndarray) -> np.ndarray:
    """A grey image (any size, 0-255) as MNIST has it, float32 in [0, 1].

    Dark ink on a light background is inverted to MNIST's white on black. A 28x28 image
    is taken as it is; any other is normalised the way MNIST was made: the ink's bounding
    box scaled into 20x20, then placed in 28x28 with its centre of mass in the middle.
    """
    grey = grey.astype(np.float32)
    border = np.concatenate([grey[0], grey[-1], grey[:, 0], grey[:, -1]])
    if border.mean() > 127:
        grey = 255 - grey
    if grey.shape == (28, 28):
        return grey / 255.0
    ink = np.argwhere(grey > 0.2 * grey.max()) if grey.max() > 0 else np.empty((0, 2))
    if len(ink):
        (top, left), (bottom, right) = ink.min(0), ink.max(0) + 1
        grey = grey[top:bottom, left:right]
    height, width = grey.shape
    scale = 20 / max(height, width)
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    image = _pillow().fromarray(grey.astype(np.uint8)).resize(size, _pillow().LANCZOS)
    small = np.asarray(image, dtype=np.float32)
    canvas = np.zeros((28, 28), dtype=np.float32)
    total = small.sum() or 1.0
    rows, cols = np.indices(small.shape)
    centre = (rows * small).sum() / total, (cols * small).sum() / total
    top = int(np.clip(round(14 - centre[0]), 0, 28 - size[1]))
    left = int(np.clip(round(14 - centre[1]), 0, 28 - size[0]))
    canvas[top : top + size[1], left : left + size[0]] = small
    return canvas / 255.0


def read_digit(path: str | Path) -> np.ndarray:
    """Read a PNG/JPEG (colour or grey, any size) as a 28x28 float32 MNIST-style image.

    A transparent background counts as white paper; 16-bit images are scaled, not
    clipped. Anything that is not a usable image (missing, a directory, unreadable,
    damaged, smaller than MIN_SIDE or larger than MAX_PIXELS) is one clear error naming
    the file: FileNotFoundError when it does not exist, else ValueError.
    """
    return to_mnist(read_grey(Path(path)))


def read_grey(path: Path) -> np.ndarray:
    """The image at `path` as float32 grey levels 0-255, checked as `read_digit` says."""
    Image = _pillow()
    try:
        if path.is_dir():
            raise ImageFileError(f"{path} is a directory, not an image")
        with Image.open(path) as image:
            _check_size(path, image.size)
            return grey_levels(image)
    except ImageFileError:
        raise
    except FileNotFoundError as error:
        raise FileNotFoundError(f"image {path} does not exist") from error
    except PermissionError as error:
        raise ImageFileError(f"cannot read image {path}: permission denied") from error
    except Image.DecompressionBombError as error:
        raise ImageFileError(f"{path} is too large to read ({error})") from error
    except Exception as error:
        # Pillow's decoders raise many kinds of exception on a damaged or foreign file
        # (OSError, SyntaxError, struct.error, ...): to the user each means the same.
        raise ImageFileError(
            f"{path} is not a readable image (PNG or JPEG expected): {type(error).__name__}"
        ) from error


def _check_size(path: Path, size: tuple[int, int]) -> None:
    """Refuse, from the header alone, images too small to show a digit or so large that
    decoding them (a decompression bomb, say) would take gigabytes."""
    width, height = size
    if width < MIN_SIDE or height < MIN_SIDE:
        raise ImageFileError(
            f"{path} is {width}x{height} pixels: too small to show a digit "
            f"(at least {MIN_SIDE}x{MIN_SIDE})"
        )
    if width * height > MAX_PIXELS:
        raise ImageFileError(
            f"{path} is {width}x{height} pixels, more than the {MAX_PIXELS:,} numnet reads; "
            f"scale it down first"
        )


def grey_levels(image: Any) -> np.ndarray:
    """A Pillow image as float32 grey levels 0-255: transparent parts composited over
    white (a digit drawn on a transparent canvas is ink on paper), and images of more
    than 8 bits per pixel scaled from their range instead of clipped at 255."""
    if image.mode in ("I", "F") or image.mode.startswith("I;16"):
        values = np.asarray(image, dtype=np.float32)
        return np.clip(values * (255.0 / _white_level(image.mode, values)), 0, 255)
    if "A" in image.getbands() or "transparency" in image.info:
        Image = _pillow()
        rgba = image.convert("RGBA")
        image = Image.alpha_composite(Image.new("RGBA", rgba.size, "white"), rgba)
    return np.asarray(image.convert("L"), dtype=np.float32)


def _white_level(mode: str, values: np.ndarray) -> float:
    """The value that means white in a wide image: 65535 at 16 bits, 1.0 for floats in
    [0, 1], else the largest value (at least 255, so 8-bit values stored wide stay)."""
    top = float(values.max(initial=0.0))
    if mode.startswith("I;16") or (mode == "I" and 255 < top <= 65535):
        return 65535.0
    if mode == "F" and 0 < top <= 1.0:
        return 1.0
    return max(top, 255.0)
