"""Panel layouts and sizes as data: templates/panels/*.yaml → boxes on a canvas.

A layout file holds variants for tall, square and wide canvases; each variant is a tree
of `rows` / `cols` whose leaves name slots (header, frames, footer, ...). This module
only does geometry: it turns the tree into a box per slot for a given canvas, so a user
changes a layout without touching Python.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cache

import yaml

from ...core.errors import ConfgenError
from ...core.paths import TEMPLATES_DIR
from ..geometry import Box

PANELS_DIR = TEMPLATES_DIR / "panels"

_RESERVED = ("style", "sizes", "characters")  # data files, not layouts


@dataclass(frozen=True)
class Slot:
    """A leaf of the layout: what to draw, where, and its options."""

    name: str
    box: Box
    options: dict = field(default_factory=dict)


@cache
def _read(name: str) -> dict:
    path = PANELS_DIR / f"{name}.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def layout_names() -> list[str]:
    """Return the names of the bundled panel layouts."""
    return sorted(p.stem for p in PANELS_DIR.glob("*.yaml") if p.stem not in _RESERVED)


def size_presets() -> dict[str, tuple[int, int]]:
    """Return the named sizes (newsletter, square, slide, social) as (width, height)."""
    return {name: (int(w), int(h)) for name, (w, h) in _read("sizes").items()}


def resolve_size(preset: str | None = None, width: int | None = None,
                 height: int | None = None) -> tuple[int, int]:
    """Return the canvas size from a preset name, overridden by an explicit width/height."""
    presets = size_presets()
    if preset is not None and preset not in presets:
        raise ConfgenError(f"unknown panel size {preset!r}; presets: {', '.join(presets)} "
                           "(or give --width and --height)")
    base_w, base_h = presets[preset or "newsletter"]
    size = (width or base_w, height or base_h)
    if min(size) < 200 or max(size) > 8000:
        raise ConfgenError(f"panel size {size[0]}×{size[1]} is outside 200–8000 px")
    return size


def style() -> dict:
    """Return the shared panel style (text sizes, shapes, colours)."""
    return _read("style")


def load_layout(name: str) -> dict:
    """Return the named layout's data, or raise a ConfgenError listing the known ones."""
    if name in _RESERVED or not (PANELS_DIR / f"{name}.yaml").is_file():
        raise ConfgenError(f"unknown panel layout {name!r}; layouts: {', '.join(layout_names())}")
    return _read(name)


def choose_variant(layout: dict, width: float, height: float) -> dict:
    """Return the first variant whose `min_ratio` the canvas's height/width reaches."""
    ratio = height / width
    for variant in layout["variants"]:
        if ratio >= variant.get("min_ratio", 0):
            return variant
    return layout["variants"][-1]


def place(layout: dict, width: float, height: float, unit: float) -> list[Slot]:
    """Return every slot of the layout's variant for a canvas, boxes in canvas pixels."""
    variant = choose_variant(layout, width, height)
    margin = variant.get("margin", 32) * unit
    gap = variant.get("gap", 20) * unit
    slots: list[Slot] = []
    _split(variant["root"], Box(margin, margin, width - margin, height - margin), gap, unit,
           slots)
    return slots


def _split(node: dict, box: Box, gap: float, unit: float, slots: list[Slot]) -> None:
    if "slot" in node:
        options = {k: v for k, v in node.items() if k not in ("slot", "weight", "px")}
        slots.append(Slot(node["slot"], box, options))
        return
    vertical = "rows" in node
    children = node["rows"] if vertical else node["cols"]
    x0, y0, x1, y1 = box
    extent = (y1 - y0) if vertical else (x1 - x0)
    sizes = _shares(children, extent - gap * (len(children) - 1), unit)
    cursor = y0 if vertical else x0
    for child, size in zip(children, sizes, strict=True):
        child_box = (Box(x0, cursor, x1, cursor + size) if vertical
                     else Box(cursor, y0, cursor + size, y1))
        _split(child, child_box, gap, unit, slots)
        cursor += size + gap


def _shares(children: list[dict], extent: float, unit: float) -> list[float]:
    """Give fixed children their px, and share the rest by weight."""
    fixed = sum(c["px"] * unit for c in children if "px" in c)
    weights = sum(c.get("weight", 1) for c in children if "px" not in c) or 1
    free = max(0.0, extent - fixed)
    return [c["px"] * unit if "px" in c else free * c.get("weight", 1) / weights
            for c in children]


def grid(count: int, box: Box, gap: float, target_aspect: float = 1.25,
         columns: int | None = None) -> list[Box]:
    """Split `box` into `count` cells: `columns` wide if given, else the column count
    whose cells come closest to `target_aspect` (width / height), preferring full rows.
    A short last row stretches its cells."""
    x0, y0, x1, y1 = box
    width, height = x1 - x0, y1 - y0

    def badness(cols: int) -> float:
        rows = math.ceil(count / cols)
        cell = ((width - gap * (cols - 1)) / cols) / ((height - gap * (rows - 1)) / rows)
        ragged = 0.6 if count % cols else 0.0  # a short last row looks unfinished
        return abs(math.log(max(cell, 1e-6) / target_aspect)) + ragged

    cols = min(max(1, columns), count) if columns else min(range(1, count + 1), key=badness)
    rows = math.ceil(count / cols)
    cell_h = (height - gap * (rows - 1)) / rows
    cells = []
    for index in range(count):
        row = index // cols
        in_row = min(cols, count - row * cols)
        cell_w = (width - gap * (in_row - 1)) / in_row
        left = x0 + (index - row * cols) * (cell_w + gap)
        top = y0 + row * (cell_h + gap)
        cells.append(Box(left, top, left + cell_w, top + cell_h))
    return cells
