"""Fit text into boxes by measuring it with the real font files.

Shared by the deck and the panels, so what fits on a slide fits in a panel. Sizes are
in the caller's unit (points for slides, pixels for images); widths scale linearly with
size, so each word is measured once. A box either gets the largest size between a
role's floor and ceiling at which every line fits, or `None`: the caller then splits
the text (a "(cont.)" slide) or reports it, and never lets it overflow.

Measurements are padded by `SAFETY` because LibreOffice and PowerPoint shape text with
kerning that may differ slightly from Pillow's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .fonts import REFERENCE_SIZE, reference_width, text_line_height, text_width

SAFETY_WIDTH = 1.04
SAFETY_HEIGHT = 1.03
_CJK = (
    r"\u2e80-\u2fff\u3000-\u30ff\u3100-\u31ff\u3200-\u4dbf\u4e00-\u9fff"
    r"\ua000-\ua4cf\uac00-\ud7af\uf900-\ufaff\uff00-\uffef"
)
# A token is a CJK character (breakable anywhere) or a run of non-space, non-CJK text.
_TOKEN = re.compile(rf"[{_CJK}]|[^\s{_CJK}]+")


@dataclass(frozen=True)
class Paragraph:
    """One paragraph to set: its text, weight, left indent and space after, in ems."""

    text: str
    bold: bool = False
    indent_em: float = 0.0
    space_after_em: float = 0.3
    scale: float = 1.0  # relative size within the block, e.g. 1.2 for a lead line


@dataclass(frozen=True)
class Font:
    family: str
    line_spacing: float = 1.0  # multiple of the font's own line height
    line_slack: float = 1.0  # room for renderers that set lines taller than LibreOffice


@dataclass
class Fit:
    """The chosen size and the wrapped lines of each paragraph at that size."""

    size: float
    lines: list[list[str]]
    height: float
    widths: list[list[float]] = field(default_factory=list)


def tokens(text: str) -> list[tuple[str, bool]]:
    """Return (token, space_before) pairs; CJK characters are tokens of their own."""
    return list(_tokens(text))


@lru_cache(maxsize=20_000)
def _tokens(text: str) -> tuple[tuple[str, bool], ...]:
    return tuple((match.group(0), match.start() > 0 and text[match.start() - 1].isspace())
                 for match in _TOKEN.finditer(text))


@lru_cache(maxsize=20_000)
def _measured_tokens(text: str, family: str, bold: bool) -> tuple[tuple[str, bool, float], ...]:
    """Return (token, space_before, width at the reference size): fitting wraps the same
    text at many sizes, and widths scale linearly with size."""
    return tuple((token, space, reference_width(token, family, bold))
                 for token, space in _tokens(text))


def _split_long(token: str, width: float, size: float, font: Font, bold: bool) -> list[str]:
    """Break a token wider than the line (a URL, a formula) into pieces that fit."""
    pieces, current = [], ""
    for char in token:
        if current and _measure(current + char, size, font, bold) > width:
            pieces.append(current)
            current = char
        else:
            current += char
    return pieces + ([current] if current else [])


def _measure(text: str, size: float, font: Font, bold: bool) -> float:
    return text_width(text, size, font.family, bold) * SAFETY_WIDTH


def wrap(text: str, width: float, size: float, font: Font, bold: bool = False) -> list[str]:
    """Greedy-wrap `text` into lines no wider than `width` at `size`."""
    return list(_wrap_cached(text, width, size, font, bold))


@lru_cache(maxsize=50_000)
def _wrap_cached(text: str, width: float, size: float, font: Font, bold: bool) -> tuple[str, ...]:
    # cached: fitting tries the same paragraph at the same sizes for several boxes
    return tuple(_wrap(text, width, size, font, bold))


def _wrap(text: str, width: float, size: float, font: Font, bold: bool) -> list[str]:
    lines: list[str] = []
    for hard_line in text.split("\n"):
        lines += _wrap_line(hard_line, width, size, font, bold) or [""]
    return lines


def _wrap_line(text: str, width: float, size: float, font: Font, bold: bool) -> list[str]:
    lines: list[str] = []
    line, line_width = "", 0.0
    space = _measure(" ", size, font, bold)
    for token, space_before, reference in _measured_tokens(text, font.family, bold):
        # the same arithmetic as _measure, on a width measured once per token
        token_width = reference * size / REFERENCE_SIZE * SAFETY_WIDTH
        pieces = [token] if token_width <= width else _split_long(token, width, size, font, bold)
        for index, piece in enumerate(pieces):
            piece_width = token_width if len(pieces) == 1 else _measure(piece, size, font, bold)
            gap = space if (space_before and index == 0 and line) else 0.0
            if line and line_width + gap + piece_width > width:
                lines.append(line)
                line, line_width, gap = "", 0.0, 0.0
            line += (" " if gap else "") + piece
            line_width += gap + piece_width
    return lines + ([line] if line else [])


def line_height(text: str, size: float, font: Font, bold: bool = False) -> float:
    return (text_line_height(text, size, font.family, bold) * font.line_spacing * SAFETY_HEIGHT
            * font.line_slack)


def layout(paragraphs: list[Paragraph], width: float, size: float, font: Font) -> Fit:
    """Wrap every paragraph at `size` and return the lines and the total height."""
    all_lines, height = [], 0.0
    for index, para in enumerate(paragraphs):
        para_size = size * para.scale
        usable = width - para.indent_em * para_size
        lines = wrap(para.text, usable, para_size, font, para.bold) if usable > 0 else []
        all_lines.append(lines)
        height += len(lines) * line_height(para.text, para_size, font, para.bold)
        if index < len(paragraphs) - 1:
            height += para.space_after_em * para_size
    return Fit(size=size, lines=all_lines, height=height)


def fit(
    paragraphs: list[Paragraph],
    width: float,
    height: float,
    font: Font,
    floor: float,
    ceiling: float,
    step: float = 0.5,
) -> Fit | None:
    """Return the largest layout between `floor` and `ceiling` that fits the box, or None."""
    best = layout(paragraphs, width, floor, font)
    if not _fits(best, width, height, paragraphs, font):
        return None
    low, high = 0, int((ceiling - floor) / step)
    while low < high:  # binary search over size steps; layout height grows with size
        mid = (low + high + 1) // 2
        candidate = layout(paragraphs, width, floor + mid * step, font)
        if _fits(candidate, width, height, paragraphs, font):
            best, low = candidate, mid
        else:
            high = mid - 1
    return best


def _fits(result: Fit, width: float, height: float, paragraphs: list[Paragraph],
          font: Font) -> bool:
    if result.height > height:
        return False
    for para in paragraphs:
        usable = width - para.indent_em * result.size * para.scale
        if usable <= 0 and para.text:
            return False
    return True


def truncate_words(text: str, width: float, size: float, font: Font, bold: bool = False,
                   max_lines: int = 1) -> tuple[str, bool]:
    """Shorten `text` at a word boundary so it wraps into `max_lines`; add '…' if cut."""
    if len(wrap(text, width, size, font, bold)) <= max_lines:
        return text, False
    words = text.split()
    low, high = 1, len(words)
    while low < high:
        mid = (low + high + 1) // 2
        candidate = " ".join(words[:mid]).rstrip(",;:-") + "…"
        if len(wrap(candidate, width, size, font, bold)) <= max_lines:
            low = mid
        else:
            high = mid - 1
    return " ".join(words[:low]).rstrip(",;:-") + "…", True
