"""Open user images (figures) with limits, so a huge file or a decompression bomb is a
clear error instead of a crash or an out-of-memory kill."""

from __future__ import annotations

import io
import warnings
from pathlib import Path
from typing import BinaryIO

from PIL import Image, UnidentifiedImageError

MAX_FILE_BYTES = 25 * 1024 * 1024
MAX_PIXELS = 40_000_000  # e.g. 8000 x 5000
FORMATS = ("PNG", "JPEG", "GIF", "WEBP", "BMP", "TIFF")


def image_problem(path: Path) -> str | None:
    """Return why `path` is not a usable figure, or None when it is."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        return f"cannot read image: {exc.strerror}"
    return _problem(path, size)


def image_bytes_problem(data: bytes) -> str | None:
    """Return why image `data` (a figure not yet written) is not usable, or None."""
    return _problem(io.BytesIO(data), len(data))


def _problem(source: Path | BinaryIO, size: int) -> str | None:
    """Return why the image in `source` (`size` bytes) is not usable, or None."""
    if size > MAX_FILE_BYTES:
        return f"image is {size / 1e6:.0f} MB; the limit is {MAX_FILE_BYTES / 1e6:.0f} MB"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(source, formats=FORMATS) as image:
                width, height = image.size
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return f"image has too many pixels (limit {MAX_PIXELS:,})"
    except (UnidentifiedImageError, OSError, ValueError):
        return f"not an image confgen can read (formats: {', '.join(FORMATS)})"
    if width * height > MAX_PIXELS:
        return f"image is {width}x{height} pixels; the limit is {MAX_PIXELS:,} pixels"
    if width < 1 or height < 1:
        return "image is empty"
    return None
