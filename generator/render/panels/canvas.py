"""The panel canvas: shapes drawn supersampled, text drawn crisp on top.

Pillow does not anti-alias shapes, so every shape (boxes, bubbles, characters, icons)
is queued and drawn supersampled, as sprites cached across panels (see panel_pen). Text
is queued separately and drawn afterwards at the final size, where Pillow's own glyph
anti-aliasing is sharper than a downsampled copy. Queuing also lets a slot measure all
its text before anything is drawn, so bubbles and boxes can be sized to their text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from PIL import Image, ImageDraw

from ...text.fonts import text_width
from ...text.textfit import SAFETY_WIDTH, Fit, Paragraph, tokens
from ..theme import Theme
from .draw_text import Style, TextRecord, draw_fitted_paragraphs, fit_or_truncate
from .pen import SUPERSAMPLE, Box, Color, Pen, composite, ground

__all__ = ["SUPERSAMPLE", "Box", "Canvas", "Color", "Pen", "TailRecord", "blend", "parse_color"]


def parse_color(value: str) -> Color:
    """Return an RGB or RGBA tuple from '#RRGGBB' or '#RRGGBBAA'."""
    value = value.lstrip("#")
    return tuple(int(value[i : i + 2], 16) for i in range(0, len(value), 2))


def _whole_word_size(paragraphs: list[Paragraph], width: float, family: str) -> float:
    """Return the largest size at which every word fits on a line, so a bigger size never
    wins by breaking a word in two (words longer than the line at any size still break)."""
    limit = float("inf")
    for para in paragraphs:
        widest = max((text_width(token, 1.0, family, para.bold) for token, _ in
                      tokens(para.text)), default=0.0) * SAFETY_WIDTH
        if widest > 0:  # at size s a word takes widest·s of width − indent_em·s
            limit = min(limit, width / ((widest + para.indent_em) * para.scale))
    return limit


def blend(base: Color, over: Color) -> Color:
    """Return `over` (RGB or RGBA) composited onto the opaque colour `base`."""
    if len(over) < 4:
        return over[:3]
    alpha = over[3] / 255
    return tuple(round(b * (1 - alpha) + o * alpha) for b, o in zip(base[:3], over[:3],
                                                                    strict=True))


@dataclass(frozen=True)
class TailRecord:
    """Where a bubble's tail points, with every character's head in its frame (for tests)."""

    speaker: str
    bubble: Box
    tip: tuple[float, float]
    heads: dict[str, tuple[float, float]]


@dataclass
class Canvas:
    """One panel being composed: geometry, queued drawing, text records and problems."""

    width: int
    height: int
    unit: float
    theme: Theme
    style: dict
    # shapes under everything else and the same in most panels (frames, boxes), then
    # the rest (bubbles, badges), each drawn in order; a shape in `art` may overlap a
    # `ground` shape but not an `art` shape queued before it
    ground: list[Callable[[Pen], None]] = field(default_factory=list)
    art: list[Callable[[Pen], None]] = field(default_factory=list)
    text: list[Callable[[Image.Image, ImageDraw.ImageDraw], None]] = field(default_factory=list)
    records: list[TextRecord] = field(default_factory=list)
    tails: list[TailRecord] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def color(self, role: str) -> Color:
        """Return a style colour: a style role, a theme role, or a hex value."""
        value = self.style["colors"].get(role, role)
        if isinstance(value, str) and value in self.theme.colors:
            return self.theme.rgb(value)
        if isinstance(value, str) and value.startswith("#"):
            return parse_color(value)
        return self.theme.rgb(role)

    def icon_color(self, role: str) -> Color:
        """Resolve an icon colour: icons sit on comic colours, so their ink is `line`."""
        return self.color("line" if role == "ink" else role)

    def frame_tint(self, index: int) -> Color:
        """Return the background tint of comic frame `index` (cycling)."""
        tints = self.style["colors"]["frames"]
        return parse_color(tints[index % len(tints)])

    def px(self, value: float) -> float:
        """Return a style length (px for a 1000 px short side) in canvas pixels."""
        return value * self.unit

    def sizes(self, role: str) -> tuple[float, float]:
        """Return a text role's [floor, ceiling] in canvas pixels."""
        floor, ceiling = self.style["text"][role]
        return floor * self.unit, ceiling * self.unit

    def family(self, heading: bool = False) -> str:
        """Return the theme's heading or body font family."""
        return self.theme.fonts["heading" if heading else "body"]

    def fit_text(self, paragraphs: list[Paragraph], box: Box, role: str, where: str,
                 heading: bool = False, size_cap: float | None = None, report: bool = True
                 ) -> tuple[Fit, list[Paragraph], Style]:
        """Fit paragraphs into `box` for a text role; record a problem if cut."""
        floor, ceiling = self.sizes(role)
        if size_cap is not None:
            ceiling = max(floor, min(ceiling, size_cap))
        style = Style(self.family(heading), self.color("ink"),
                      line_spacing=self.theme.line_spacing)
        x0, y0, x1, y1 = box
        ceiling = max(floor, min(ceiling, _whole_word_size(paragraphs, x1 - x0, style.family)))
        result, kept, cut = fit_or_truncate(paragraphs, x1 - x0, y1 - y0, style.font,
                                            floor, ceiling)
        if cut and report:
            self.problems.append(f"{where}: text does not fit at the smallest size "
                                 f"({floor / self.unit:g}px); it was cut with '…'")
        return result, kept, style

    def queue_text(self, fit: Fit, paragraphs: list[Paragraph], box: Box, style: Style,
                   colors: list[Color] | None = None, container: Box | None = None) -> None:
        """Queue fitted text for drawing in `box`; its records are kept for tests."""

        def run(image: Image.Image, draw: ImageDraw.ImageDraw) -> None:
            self.records.extend(draw_fitted_paragraphs(image, draw, fit, paragraphs, box, style,
                                           colors, container))

        self.text.append(run)

    def render(self) -> Image.Image:
        """Draw the queued shapes anti-aliased, then the queued text."""
        image = ground((self.width, self.height), self.color("background"), self.ground)
        composite(image, self.art)
        draw = ImageDraw.Draw(image)
        for op in self.text:
            op(image, draw)
        return image
