"""Find words that a rendered deck draws outside their text box.

LibreOffice renders the .pptx to PDF; pdfplumber gives every word's box. Each word is
matched to the text shapes whose text contains it, and must lie inside one of those
shapes' boxes (and inside the slide). A word whose text no shape contains (an emoji
drawn as an image glyph, a ligature) must still lie inside some text shape.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
from pptx import Presentation
from pptx.util import Emu

TOLERANCE = 1.5  # points: anti-aliasing and glyph side bearings
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class ShapeBox:
    name: str
    x0: float
    top: float
    x1: float
    bottom: float
    text: str  # without whitespace, for substring matching

    def holds(self, word: dict, tolerance: float = TOLERANCE) -> bool:
        return (word["x0"] >= self.x0 - tolerance and word["x1"] <= self.x1 + tolerance
                and word["top"] >= self.top - tolerance
                and word["bottom"] <= self.bottom + tolerance)


def squash(text: str) -> str:
    return _SPACE.sub("", text).replace("\u2026", "...")


def shape_boxes(slide) -> list[ShapeBox]:
    """Return the box (in points) and text of every shape on `slide` that holds text."""
    boxes = []
    for shape in slide.shapes:
        words = _shape_text(shape)
        if words is None:
            continue
        x, y = Emu(shape.left).pt, Emu(shape.top).pt
        boxes.append(ShapeBox(shape.name, x, y, x + Emu(shape.width).pt,
                              y + Emu(shape.height).pt, squash(words)))
    return boxes


def _shape_text(shape) -> str | None:
    if shape.has_text_frame and shape.text_frame.text.strip():
        return shape.text_frame.text
    if getattr(shape, "has_table", False) and shape.has_table:
        return " ".join(cell.text for row in shape.table.rows for cell in row.cells)
    if getattr(shape, "has_chart", False) and shape.has_chart:
        plot = shape.chart.plots[0]
        values = [f"{v:g}" for series in plot.series for v in series.values]
        heading = shape.chart.chart_title.text_frame.text if shape.chart.has_title else ""
        return " ".join([*map(str, plot.categories), *values, heading])
    return None


def page_words(page) -> list[dict]:
    return page.extract_words(keep_blank_chars=False, use_text_flow=True)


def misplaced_words(pptx: Path, pdf: Path, tolerance: float = TOLERANCE) -> list[str]:
    """Return a description of every word drawn outside its shape or the slide."""
    prs = Presentation(str(pptx))
    slide_w, slide_h = Emu(prs.slide_width).pt, Emu(prs.slide_height).pt
    problems = []
    with pdfplumber.open(str(pdf)) as document:
        if len(document.pages) != len(prs.slides):
            return [f"PDF has {len(document.pages)} pages, deck has {len(prs.slides)} slides"]
        for number, (page, slide) in enumerate(zip(document.pages, prs.slides, strict=True), 1):
            sx, sy = slide_w / float(page.width), slide_h / float(page.height)
            boxes = shape_boxes(slide)
            for word in page_words(page):
                word = {**word, "x0": word["x0"] * sx, "x1": word["x1"] * sx,
                        "top": word["top"] * sy, "bottom": word["bottom"] * sy}
                problem = _check(word, boxes, slide_w, slide_h, tolerance)
                if problem:
                    problems.append(f"slide {number}: {problem}")
    return problems


def _check(word: dict, boxes: list[ShapeBox], slide_w: float, slide_h: float,
           tolerance: float) -> str | None:
    where = f"{word['text']!r} at ({word['x0']:.1f}, {word['top']:.1f})-" \
            f"({word['x1']:.1f}, {word['bottom']:.1f})"
    if (word["x0"] < -tolerance or word["top"] < -tolerance
            or word["x1"] > slide_w + tolerance or word["bottom"] > slide_h + tolerance):
        return f"{where} leaves the slide"
    owners = [box for box in boxes if squash(word["text"]) and squash(word["text"]) in box.text]
    pool = owners or boxes
    if any(box.holds(word, tolerance) for box in pool):
        return None
    names = ", ".join(f"{b.name} ({b.x0:.0f}, {b.top:.0f})-({b.x1:.0f}, {b.bottom:.0f})"
                      for b in pool[:3])
    return f"{where} lies outside {names}"


def words_of(pdf: Path) -> list[list[str]]:
    """Return the words of each page, for checks on what the PDF shows."""
    with pdfplumber.open(str(pdf)) as document:
        return [[w["text"] for w in page_words(page)] for page in document.pages]
