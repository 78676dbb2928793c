"""Read a paper PDF with pypdfium2: its text page by page and its captioned figures.

For a paper without LaTeX source. Each "Figure N:" (or "Fig. N.") caption at the start
of a line marks a figure; the figure is the region of the page above the caption that
holds its images and vector drawings (the page objects between the caption and the
caption or page edge above it, in the caption's column), rendered as one image. So a
vector plot, which has no image to extract, is found as well as a photo. The text stops
at the references.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ..core.fulltext import Section
from .figure_images import FigureProblem, rasterise_pdf

MAX_PAGES = 60
_CAPTION = re.compile(r"(?m)^\s*(?:Figure|Fig\.)\s*(\d{1,3})\s*[:.|]\s*")
_CAPTION_END = re.compile(r"\n\s*\n|(?<=\.)\s*\n(?=[A-Z0-9])")  # a blank line, or a sentence end
_HEADING = re.compile(r"(?m)^[ \t]*(\d{1,2}(?:\.\d{1,2})?)\.?[ \t]+"
                      r"([A-Z][A-Za-z][\w ,:&/-]{0,58})[ \t]*$")  # "2 Results", "3.1 Setup"
_REFERENCES = re.compile(r"(?m)^\s*(?:\d+\.?\s*)?(?:References|Bibliography)\s*$")
_GRAPHICS = (pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_PATH)
GAP = 30.0  # points between the drawings of one figure
LABEL_REACH = 12.0  # points outside the drawings where a label still belongs to them
_TEXT = pdfium_c.FPDF_PAGEOBJ_TEXT
MIN_SIDE = 40.0  # points: smaller regions are rules and bullets, not figures


@dataclass
class PdfFigure:
    number: int
    caption: str
    page: int
    box: tuple[float, float, float, float]  # left, bottom, right, top in points


def pdf_text(data: bytes) -> list[Section]:
    """Return the paper's text up to its references, split at numbered section headings
    ("2 Results") and at page ends, so every part knows its section and page."""
    document = pdfium.PdfDocument(data)
    parts: list[Section] = []
    title = ""
    try:
        for index in range(min(len(document), MAX_PAGES)):
            text = _page_text(document[index])
            end = _REFERENCES.search(text) if index > 0 else None
            title = _split_page(text[:end.start()] if end else text, index + 1, title, parts)
            if end:
                break
    finally:
        document.close()
    return parts


def _split_page(text: str, page: int, title: str, parts: list[Section]) -> str:
    """Append the page's parts to `parts`; return the title of the section it ends in."""
    pieces = _HEADING.split(text)  # text, number, title, text, ...
    chunks = [(title, pieces[0])] + list(zip(pieces[2::3], pieces[3::3], strict=True))
    for name, chunk in chunks:
        chunk = chunk.strip()
        if chunk:
            parts.append(Section(title=name.strip() or f"Page {page}", text=chunk, page=page))
        title = name
    return title


def _page_text(page) -> str:
    textpage = page.get_textpage()
    try:
        text = textpage.get_text_range().replace("\r\n", "\n").replace("\r", "\n")
    finally:
        textpage.close()
    return _tidy(text)


def _tidy(text: str) -> str:
    """Join words pdfium split at line ends (U+FFFE marks its soft hyphens), NFC."""
    text = re.sub(r"\ufffe\s*|(?<=[a-z])-\n(?=[a-z])", "", text)
    return re.sub(r"[ \t]+", " ", unicodedata.normalize("NFC", text))


def find_figures(data: bytes) -> list[PdfFigure]:
    """Return every captioned figure whose page region holds graphics, in order."""
    document = pdfium.PdfDocument(data)
    found: dict[int, PdfFigure] = {}
    try:
        for index in range(min(len(document), MAX_PAGES)):
            for figure in _page_figures(document[index], index + 1):
                found.setdefault(figure.number, figure)
    finally:
        document.close()
    return [found[n] for n in sorted(found)]


def _page_figures(page, number: int) -> list[PdfFigure]:
    width, height = page.get_size()
    captions = _captions(page, width)
    if not captions:
        return []
    objects = [obj.get_bounds() for obj in page.get_objects(filter=_GRAPHICS, max_depth=3)]
    labels = [obj.get_bounds() for obj in page.get_objects(filter=[_TEXT], max_depth=3)]
    figures = []
    for figure_number, caption, top, (low, high) in captions:
        ceiling = min([c[2] for c in captions if c[2] > top + 2 and c[3][0] < high and
                       c[3][1] > low] + [height])
        box = _region(objects, top, ceiling, low, high)
        box = _with_labels(box, labels, top) if box else None
        if box and box[2] - box[0] >= MIN_SIDE and box[3] - box[1] >= MIN_SIDE:
            pad = 4
            box = (max(0, box[0] - pad), max(0, box[1] - pad), min(width, box[2] + pad),
                   min(height, box[3] + pad))
            figures.append(PdfFigure(figure_number, caption, number, box))
    return figures


def _captions(page, width: float) -> list[tuple[int, str, float, tuple[float, float]]]:
    """Return (number, caption, top, column span) of the captions that open a line."""
    textpage = page.get_textpage()
    try:
        text = textpage.get_text_range()  # as is: its indices are the char boxes'
        captions = []
        for match in _CAPTION.finditer(text):
            left, _bottom, _right, top = textpage.get_charbox(match.start(1))
            line_end = text.find("\n", match.end())
            right = textpage.get_charbox(max(match.end(), (line_end if line_end > 0 else
                                                           len(text)) - 1))[2]
            caption = _CAPTION_END.split(text[match.end():], maxsplit=1)[0]
            half = right < width / 2 + 10 or left > width / 2 - 30
            span = ((0, width / 2) if left < width / 2 else (width / 2, width)) if half \
                else (0, width)
            captions.append((int(match.group(1)), " ".join(_tidy(caption).split())[:600], top,
                             span))
    finally:
        textpage.close()
    return captions


def _with_labels(box: tuple[float, float, float, float], labels: list,
                 top: float) -> tuple[float, float, float, float]:
    """Return `box` grown to hold the text drawn on and around the graphics (axis and tick
    labels, legends), but not the caption below nor the body text beyond LABEL_REACH."""
    left, bottom, right, upper = box
    inside = [t for t in labels if t[0] >= left - LABEL_REACH and t[2] <= right + LABEL_REACH
              and t[1] >= top - 1 and t[3] <= upper + LABEL_REACH]
    return (min([left] + [t[0] for t in inside]), min([bottom] + [t[1] for t in inside]),
            max([right] + [t[2] for t in inside]), max([upper] + [t[3] for t in inside]))


def _region(objects: list, top: float, ceiling: float, low: float,
            high: float) -> tuple[float, float, float, float] | None:
    """Return the box of the graphics stacked right above a caption, in its column."""
    column = [o for o in objects if o[1] >= top - 2 and o[3] <= ceiling + 2 and
              o[0] >= low - 20 and o[2] <= high + 20]
    reach, chosen = top, []
    for obj in sorted(column, key=lambda o: o[1]):
        if obj[1] > reach + GAP:
            break
        chosen.append(obj)
        reach = max(reach, obj[3])
    if not chosen:
        return None
    return (min(o[0] for o in chosen), min(o[1] for o in chosen),
            max(o[2] for o in chosen), max(o[3] for o in chosen))


def figure_png(data: bytes, figure: PdfFigure):
    """Return the page region of `figure` as an image."""
    try:
        return rasterise_pdf(data, figure.page - 1, crop=figure.box)
    except (FigureProblem, IndexError) as exc:
        raise FigureProblem(f"page {figure.page}: {exc}") from None
