"""Turn a paper's graphics files into bounded PNG or JPEG images a slide can show.

PNG and JPEG are kept as they are when small enough, else scaled down; PDF figures are
rasterised with pypdfium2 (Apache-2.0/BSD); EPS and PS go through Ghostscript when it
is installed (`gs`, run with -dSAFER), else they are reported. Subfigures (several
files in one figure) are set side by side in one image. Every result is at most
MAX_PIXELS and is checked by `core.images.image_bytes_problem` like a user's figure.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import warnings
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageChops, UnidentifiedImageError

from ..core.images import FORMATS
from ..core.images import MAX_PIXELS as SOURCE_PIXELS  # a source image, before scaling

MAX_PIXELS = 4_000_000  # a figure image: about 2400 x 1660
MAX_SIDE = 4000
RENDER_DPI = 200
GAP = 24  # pixels between subfigures


class FigureProblem(ValueError):
    """A graphics file that cannot become an image (format, damage, no Ghostscript)."""


def figure_image(parts: list[tuple[str, bytes]]) -> tuple[bytes, str]:
    """Return (image bytes, ".png" or ".jpg") for a figure made of `parts` (name, data)."""
    if len(parts) == 1:
        name, data = parts[0]
        kind = _kind(name, data)
        if kind in ("png", "jpeg"):
            kept = _keep(data, kind)
            if kept is not None:
                return kept
        return png_bytes(bounded(_open(name, data))), ".png"
    images = [_open(name, data) for name, data in parts]
    return png_bytes(bounded(side_by_side(images))), ".png"


def _kind(name: str, data: bytes) -> str:
    """Return the format by magic bytes (a file named without extension too)."""
    if data.startswith(b"\x89PNG"):
        return "png"
    if data.startswith(b"\xff\xd8"):
        return "jpeg"
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith((b"%!PS", b"\xc5\xd0\xd3\xc6")):
        return "eps"
    return Path(name).suffix.lower().lstrip(".") or "unknown"


def _keep(data: bytes, kind: str) -> tuple[bytes, str] | None:
    """Return the file unchanged when it is within the limits, else None."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            fits = image.width * image.height <= MAX_PIXELS
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise FigureProblem("not an image PIL can read") from None
    return (data, ".png" if kind == "png" else ".jpg") if fits else None


def _open(name: str, data: bytes) -> Image.Image:
    kind = _kind(name, data)
    if kind == "pdf":
        return rasterise_pdf(data)
    if kind in ("eps", "ps"):
        return _ghostscript(data)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=FORMATS)
            if image.width * image.height <= SOURCE_PIXELS:  # known before decoding
                image.draft("RGB", (MAX_SIDE, MAX_SIDE))  # JPEG: decode at a smaller scale
                image.load()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError,
            Image.DecompressionBombWarning):
        raise FigureProblem(f"{name}: not an image confgen can read") from None
    if image.width * image.height > SOURCE_PIXELS:
        raise FigureProblem(f"{name}: {image.width}x{image.height} pixels is over the limit "
                            f"of {SOURCE_PIXELS:,}")
    return image


def rasterise_pdf(data: bytes, page_index: int = 0,
                  crop: tuple[float, float, float, float] | None = None) -> Image.Image:
    """Render one page of a PDF (or the `crop` box (left, bottom, right, top) of it, in
    PDF points) at up to RENDER_DPI, within MAX_PIXELS."""
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise FigureProblem(f"unreadable PDF figure ({exc})") from None
    try:
        page = document[page_index]
        width, height = page.get_size()
        left, bottom, right, top = crop or (0, 0, width, height)
        area = max(1.0, (right - left) * (top - bottom))
        scale = min(RENDER_DPI / 72, (MAX_PIXELS / area) ** 0.5)
        margins = (max(0, left), max(0, bottom), max(0, width - right), max(0, height - top))
        bitmap = page.render(scale=scale, crop=margins, fill_color=(255, 255, 255, 255))
        return trim(bitmap.to_pil().convert("RGB"))
    finally:
        document.close()


def _ghostscript(data: bytes) -> Image.Image:
    gs = shutil.which("gs")
    if gs is None:
        raise FigureProblem("an EPS figure needs Ghostscript (`gs`), which is not installed")
    command = [gs, "-dSAFER", "-dBATCH", "-dNOPAUSE", "-dQUIET", "-dEPSCrop", "-sDEVICE=png16m",
               f"-r{RENDER_DPI // 2}", "-dTextAlphaBits=4", "-dGraphicsAlphaBits=4",
               "-sOutputFile=-", "-"]
    try:
        done = subprocess.run(command, input=data, capture_output=True, timeout=60, check=True)
        return Image.open(io.BytesIO(done.stdout)).convert("RGB")
    except (subprocess.SubprocessError, OSError, UnidentifiedImageError) as exc:
        raise FigureProblem(f"Ghostscript could not render the EPS figure ({exc})") from None


def trim(image: Image.Image, pad: int = 8) -> Image.Image:
    """Return `image` without the white margins a PDF page puts around its drawing."""
    box = ImageChops.difference(image, Image.new("RGB", image.size, "white")).getbbox()
    if box is None:
        return image
    left, top, right, bottom = box
    return image.crop((max(0, left - pad), max(0, top - pad), min(image.width, right + pad),
                       min(image.height, bottom + pad)))


def side_by_side(images: list[Image.Image]) -> Image.Image:
    """Return subfigures in one row, scaled to the same height, on white."""
    height = min(max(i.height for i in images), 1200)
    scaled = [i.convert("RGB").resize((max(1, round(i.width * height / i.height)), height))
              for i in images]
    row = Image.new("RGB", (sum(i.width for i in scaled) + GAP * (len(scaled) - 1), height),
                    "white")
    x = 0
    for image in scaled:
        row.paste(image, (x, 0))
        x += image.width + GAP
    return row


def bounded(image: Image.Image) -> Image.Image:
    """Return `image` scaled down to at most MAX_PIXELS, its aspect kept."""
    pixels = image.width * image.height
    if pixels <= MAX_PIXELS:
        return image
    factor = (MAX_PIXELS / pixels) ** 0.5
    size = (max(1, int(image.width * factor)), max(1, int(image.height * factor)))
    return image.resize(size, Image.Resampling.LANCZOS)


def png_bytes(image: Image.Image) -> bytes:
    """Return `image` encoded as PNG."""
    out = io.BytesIO()
    if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
        image = image.convert("RGB")
    image.save(out, "PNG", optimize=False)
    return out.getvalue()
