"""The reading-list table (Paper | Venue | Why), split over as many slides as it needs.

Every cell is measured like any other text box: each row is as tall as its tallest
cell at the chosen size, rows are explicit heights (LibreOffice grows a row whose text
does not fit, which would push the table off the slide), and all pages share the
largest size that needs no more slides than the floor does.
"""

from __future__ import annotations

from dataclasses import replace

from pptx.dml.color import RGBColor

from ...core.models import Paper, Summary
from ...text import textfit
from ..geometry import Box
from ..theme import Theme
from . import oxml, units
from .slides import CONT, Deck, rule, title
from .text import (
    INSET,
    SIZE_STEP,
    Para,
    clean,
    cut_to_fit,
    fits_at,
    font_for,
    long_token_allowance,
    write_paragraphs,
)

COLUMNS = (("Paper", 0.44), ("Venue", 0.16), ("Why", 0.40))
CELL_MARGIN = 5.0  # points on every side of a cell's text
ROLE = "table"

Row = list[Para]


def reading_rows(papers: list[Paper], summaries: dict[str, Summary]) -> list[Row]:
    """Return one row per paper: linked title, venue (and award), why to read it."""
    rows = []
    for paper in papers:
        summary = summaries.get(paper.key)
        why = clean(summary.tldr) if summary else "No summary yet."
        venue = clean(paper.venue) + (f" · {clean(paper.award)}" if paper.award else "")
        rows.append([Para(clean(paper.title), bold=True, link=paper.url, space_after_em=0),
                     Para(venue or "—", color="muted", space_after_em=0),
                     Para(why, space_after_em=0)])
    return rows


def _widths(area: Box) -> list[float]:
    return [area.w * share for _, share in COLUMNS]


def _row_height(row: Row, size: float, font: textfit.Font, area: Box) -> float:
    height = 0.0
    for para, width in zip(row, _widths(area), strict=True):
        inner = width - 2 * CELL_MARGIN
        text_height = textfit.layout([para.for_fit()], inner, size, font).height
        height = max(height, text_height + long_token_allowance([para], inner, size, font))
    return height + 2 * CELL_MARGIN


def _pages(rows: list[Row], size: float, font: textfit.Font,
           area: Box) -> list[list[Row]] | None:
    """Split rows into pages under one header row at `size`; None if a row cannot fit."""
    room = area.h - _row_height(_header(), size, font, area)
    pages: list[list[Row]] = [[]]
    used = 0.0
    for row in rows:
        height = _row_height(row, size, font, area)
        if height > room:
            return None
        if used + height > room:
            pages.append([])
            used = 0.0
        pages[-1].append(row)
        used += height
    return pages


def _header() -> Row:
    return [Para(name, bold=True, color="on_accent", space_after_em=0) for name, _ in COLUMNS]


def _clamp(row: Row, area: Box, theme: Theme, size: float) -> Row:
    """Cut any cell taller than a third of the table at `size`, so every row fits a slide."""
    limit = area.h / 3 - 2 * CELL_MARGIN
    clamped = []
    for para, width in zip(row, _widths(area), strict=True):
        box = Box.at(0, 0, width - 2 * CELL_MARGIN + 2 * INSET, limit + 2 * INSET)
        if not fits_at([para], box, theme, size):
            head, _ = cut_to_fit([], para, box, theme, size, "body")
            para = head or replace(para, text="…")
        clamped.append(para)
    return clamped


def _choose(rows: list[Row], deck: Deck, area: Box) -> tuple[list[list[Row]], float]:
    floor, ceiling = deck.theme.sizes[ROLE]
    font = font_for(deck.theme, "body")
    rows = [_clamp(row, area, deck.theme, floor) for row in rows]
    best = _pages(rows, floor, font, area)
    if best is None:
        raise ValueError(f"a reading-list row cannot fit a slide at {floor} pt")
    best_size, size = floor, floor + SIZE_STEP
    while size <= ceiling:  # few sizes: a linear walk is clearer than a binary search
        candidate = _pages(rows, size, font, area)
        if candidate is None or len(candidate) > len(best):
            break
        best, best_size, size = candidate, size, size + SIZE_STEP
    return best, best_size


def reading_list_slides(deck: Deck, heading: str, papers: list[Paper],
                        summaries: dict[str, Summary]) -> list:
    """Add the reading list as a native table, continued on "(cont.)" slides."""
    frame = deck.frame("content")
    pages, size = _choose(reading_rows(papers, summaries), deck, frame.body)
    script = "The reading list: " + "; ".join(clean(p.title) for p in papers) + "."
    slides = []
    for index, rows in enumerate(pages):
        slide = deck.slide(script, "content")
        title(deck, slide, frame.title, heading, suffix=CONT if index else "")
        rule(deck, slide, frame.title)
        _table(deck, slide, [_header(), *rows], size, frame.body)
        deck.finish(slide)
        slides.append(slide)
    return slides


def _table(deck: Deck, slide, rows: list[Row], size: float, area: Box) -> None:
    theme, font = deck.theme, font_for(deck.theme, "body")
    heights = [_row_height(row, size, font, area) for row in rows]
    factor = units.scale(slide)
    frame = slide.shapes.add_table(len(rows), len(COLUMNS), *units.emu_box(
        Box.at(area.x, area.y, area.w, sum(heights)), factor))
    frame.name = "Reading list"
    table = frame.table
    table.first_row, table.horz_banding = True, False
    for column, width in zip(table.columns, _widths(area), strict=True):
        column.width = units.emu(width, factor)
    for index, (row, height) in enumerate(zip(rows, heights, strict=True)):
        table.rows[index].height = units.emu(height, factor)
        fill = "accent" if index == 0 else ("surface" if index % 2 == 0 else "background")
        for cell, para in zip(table.rows[index].cells, row, strict=True):
            _cell(cell, para, theme, size, theme.color(fill), slide.part, factor)


def _cell(cell, para: Para, theme, size: float, fill: str, part, factor: float) -> None:
    cell.fill.solid()
    cell.fill.fore_color.rgb = RGBColor.from_string(fill)
    cell.margin_left = cell.margin_right = units.emu(CELL_MARGIN, factor)
    cell.margin_top = cell.margin_bottom = units.emu(CELL_MARGIN, factor)
    frame = cell.text_frame
    frame.word_wrap = True
    write_paragraphs(oxml.text_body(frame), [para], theme, size * factor, theme.fonts["body"],
                     "left", part)
