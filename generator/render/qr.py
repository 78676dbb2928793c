"""The one QR-code builder: a link as a crisp black-on-white image, for slides and panels.

Every code has the same border (two modules of white around it: enough to scan on any
background, smaller than the spec's four so a code stays large in a small box) and the
same fixed mask: qrcode's search over all eight masks costs ~4 ms a code, and any mask
scans.
"""

from __future__ import annotations

import io
from functools import lru_cache

from PIL import Image

BORDER = 2  # modules of white around the code
MASK = 2


@lru_cache(maxsize=4096)
def _modules(url: str) -> Image.Image:
    """Return the code with one pixel per module (cached: a deck links each paper twice)."""
    import qrcode

    code = qrcode.QRCode(border=BORDER, error_correction=qrcode.constants.ERROR_CORRECT_L,
                         mask_pattern=MASK)
    code.add_data(url)
    code.make(fit=True)
    matrix = code.get_matrix()
    image = Image.new("1", (len(matrix), len(matrix)), 1)
    image.putdata([0 if cell else 1 for row in matrix for cell in row])
    return image


def qr_image(url: str, scale: int = 1) -> Image.Image:
    """Return a new bilevel ("1") image of the code, `scale` whole pixels per module."""
    small = _modules(url)
    side = small.width * max(1, scale)
    return small.resize((side, side), Image.Resampling.NEAREST)


def qr_modules(url: str) -> int:
    """Return how many modules across the code for `url` is, border included."""
    return _modules(url).width


@lru_cache(maxsize=4096)
def qr_png(url: str, scale: int = 8) -> bytes:
    """Return the code as PNG bytes, `scale` pixels per module."""
    buffer = io.BytesIO()
    qr_image(url, scale).save(buffer, "PNG", optimize=False)
    return buffer.getvalue()
