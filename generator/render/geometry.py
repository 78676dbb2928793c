"""The one rectangle type every renderer uses: a box by its edges.

Deck boxes are in points from the slide's top-left corner, panel boxes in canvas pixels;
both are `Box(x0, y0, x1, y1)`. `Box.at(x, y, w, h)` builds one from a corner and a size,
and `x`, `y`, `w`, `h` read it back that way. A Box is a tuple, so Pillow takes it as is.
"""

from __future__ import annotations

from typing import NamedTuple


class Box(NamedTuple):
    """A rectangle: left, top, right and bottom edges."""

    x0: float
    y0: float
    x1: float
    y1: float

    @classmethod
    def at(cls, x: float, y: float, w: float, h: float) -> Box:
        """Return the box with top-left corner (x, y), width w and height h."""
        return cls(x, y, x + w, y + h)

    @property
    def x(self) -> float:
        return self.x0

    @property
    def y(self) -> float:
        return self.y0

    @property
    def w(self) -> float:
        return self.x1 - self.x0

    @property
    def h(self) -> float:
        return self.y1 - self.y0

    def below(self, h: float, gap: float = 0.0) -> Box:
        """Return a box as wide as this one, `h` high, `gap` under it."""
        return Box(self.x0, self.y1 + gap, self.x1, self.y1 + gap + h)

    def inset(self, dx: float, dy: float | None = None) -> Box:
        """Return this box shrunk by `dx` left and right and `dy` (default dx) top and bottom."""
        dy = dx if dy is None else dy
        return Box(self.x0 + dx, self.y0 + dy, self.x1 - dx, self.y1 - dy)
