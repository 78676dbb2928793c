"""Design units: every slide is laid out on a page 540 units high, as wide as its shape.

A 13.333 × 7.5 in slide is 960 × 540 design units of one point each; Google Slides'
10 × 5.625 in is the same 960 × 540 at 0.75 pt a unit; a 4:3 template (10 × 7.5 in) is
720 × 540. Boxes, insets and font sizes are chosen and fitted in design units, and
turned into EMU and points only when written, so a deck looks the same, in proportion,
at any size: text fitting is linear in size, so what fits in design units fits on the
slide. Only widths follow the aspect ratio; layouts read `Deck.w` for them.
"""

from __future__ import annotations

from pptx.util import Emu

from ..geometry import Box
from . import oxml

DESIGN_H = 540.0
EMU_PER_PT = 12700


def design_size(prs) -> tuple[float, float]:
    """Return the width and height of the deck's slides in design units."""
    return DESIGN_H * prs.slide_width / prs.slide_height, DESIGN_H


def scale(slide) -> float:
    """Return the points one design unit is on `slide` (or a layout, or their part):
    1.0 at 13.333 × 7.5 in."""
    return oxml.slide_height(slide) / EMU_PER_PT / DESIGN_H


def emu(value: float, factor: float) -> Emu:
    """Return `value` design units as EMU at `factor` points per unit."""
    return Emu(round(value * factor * EMU_PER_PT))


def emu_box(box: Box, factor: float) -> tuple[Emu, Emu, Emu, Emu]:
    """Return left, top, width and height of `box` in EMU."""
    return emu(box.x, factor), emu(box.y, factor), emu(box.w, factor), emu(box.h, factor)


def design_box(shape, factor: float) -> Box:
    """Return a shape's box (EMU on the slide) in design units."""
    unit = factor * EMU_PER_PT
    return Box.at(shape.left / unit, shape.top / unit, shape.width / unit, shape.height / unit)
