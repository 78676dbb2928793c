"""Props for comic frames: small vector icons stored as data in assets/icons/.

Each icon is a list of shapes in a 100 × 100 box (see assets/icons/README.md). A frame
gets the icon whose keywords appear in its caption, else the one for its position.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

import yaml

from ...core.paths import ICONS_DIR
from .canvas import Box, Color, Pen

Resolve = Callable[[str], Color]


@cache
def _icon(name: str) -> list[dict]:
    path = ICONS_DIR / f"{name}.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))["shapes"]


@cache
def _index() -> dict:
    return yaml.safe_load((ICONS_DIR / "index.yaml").read_text(encoding="utf-8"))


def icon_for(caption: str, position: int, used: set[str] | frozenset[str] = frozenset()) -> str:
    """Return the icon for a frame: a keyword starting a word of its caption, else its
    position; icons already `used` by earlier frames are avoided while others remain."""
    lowered = caption.lower()
    for name, words in _index()["keywords"].items():
        if name not in used and any(re.search(rf"\b{re.escape(word)}", lowered)
                                    for word in words):
            return name
    by_position = _index()["by_position"]
    preferred = by_position[position % len(by_position)]
    spare = [name for name in [preferred, *_index()["keywords"]] if name not in used]
    return spare[0] if spare else preferred


def draw_icon(pen: Pen, name: str, box: Box, color: Resolve) -> None:
    """Draw icon `name` scaled into the square `box`."""
    x0, y0, x1, y1 = box
    k = min(x1 - x0, y1 - y0) / 100

    def pt(p: list[float]) -> tuple[float, float]:
        return x0 + p[0] * k, y0 + p[1] * k

    for shape in _icon(name):
        fill = color(shape["fill"]) if "fill" in shape else None
        outline = color(shape["outline"]) if "outline" in shape else None
        width = shape.get("w", 0) * k
        kind = shape["shape"]
        if kind == "circle":
            pen.circle(pt(shape["c"]), shape["r"] * k, fill=fill, outline=outline, width=width)
        elif kind == "ellipse":
            pen.ellipse((*pt(shape["box"][:2]), *pt(shape["box"][2:])), fill=fill,
                        outline=outline, width=width)
        elif kind == "rect":
            pen.rect((*pt(shape["box"][:2]), *pt(shape["box"][2:])), shape.get("r", 0) * k,
                     fill=fill, outline=outline, width=width)
        elif kind == "polygon":
            pen.polygon([pt(p) for p in shape["points"]], fill=fill, outline=outline,
                        width=width)
        elif kind == "line":
            pen.line([pt(p) for p in shape["points"]], color(shape["color"]), width)
        elif kind == "arc":
            pen.arc((*pt(shape["box"][:2]), *pt(shape["box"][2:])), shape["start"],
                    shape["end"], color(shape["color"]), width)
