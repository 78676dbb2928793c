"""Describe a .pptx deck as reviewable YAML: layout, shapes, boxes, text, links, notes.

The golden test compares this dump of the example deck with a committed copy, so any
change to the layout or the wording shows up as a readable diff in review.
"""

from __future__ import annotations

from pathlib import Path

from pptx import Presentation
from pptx.util import Emu

from ...core.yamlio import dump_yaml


def _box(shape) -> str:
    """Return "x,y wxh" in points, to one decimal."""
    x, y, w, h = (round(Emu(v).pt, 1) for v in (shape.left, shape.top, shape.width,
                                                 shape.height))
    return f"{x:g},{y:g} {w:g}x{h:g}"


def _paragraphs(frame) -> list[str]:
    return [p.text for p in frame.paragraphs]


def _sizes(frame) -> list[float]:
    sizes = {run.font.size.pt for p in frame.paragraphs for run in p.runs if run.font.size}
    return sorted(sizes)


def _links(shape) -> list[str]:
    links = []
    if shape.click_action.hyperlink.address:
        links.append(shape.click_action.hyperlink.address)
    if shape.has_text_frame:
        for paragraph in shape.text_frame.paragraphs:
            for run in paragraph.runs:
                address = run.hyperlink.address
                if address and address not in links:
                    links.append(address)
    return links


def describe_shape(shape) -> dict:
    """Return the facts about one shape worth reviewing."""
    entry: dict = {"name": shape.name, "box": _box(shape)}
    if getattr(shape, "has_table", False) and shape.has_table:
        entry["table"] = [[cell.text for cell in row.cells] for row in shape.table.rows]
    elif getattr(shape, "has_chart", False) and shape.has_chart:
        plot = shape.chart.plots[0]
        entry["chart"] = {str(c): v for c, v in zip(plot.categories, plot.series[0].values,
                                                    strict=True)}
    elif shape.has_text_frame and shape.text_frame.text:
        entry["size"] = _sizes(shape.text_frame)
        entry["text"] = _paragraphs(shape.text_frame)
    links = _links(shape) if hasattr(shape, "click_action") else []
    if links:
        entry["links"] = links
    return entry


def describe_deck(pptx: Path) -> list[dict]:
    """Return one entry per slide: its layout, shapes and speaker notes."""
    slides = []
    for number, slide in enumerate(Presentation(str(pptx)).slides, start=1):
        notes = slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else ""
        slides.append({"slide": number, "layout": slide.slide_layout.name,
                       "shapes": [describe_shape(shape) for shape in slide.shapes],
                       "notes": notes})
    return slides


def dump_deck(pptx: Path) -> str:
    """Return the deck's description as YAML text."""
    return dump_yaml(describe_deck(pptx))
