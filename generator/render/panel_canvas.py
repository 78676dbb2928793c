"""The panel canvas: shapes drawn supersampled, text drawn crisp on top.

Pillow does not anti-alias shapes, so every shape (boxes, bubbles, characters, icons)
is queued and drawn on a canvas `SUPERSAMPLE` times larger, which is then reduced. Text
is queued separately and drawn afterwards at the final size, where Pillow's own glyph
anti-aliasing is sharper than a downsampled copy. Queuing also lets a slot measure all
its text before anything is drawn, so bubbles and boxes can be sized to their text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from PIL import Image, ImageDraw

from .draw_text import Style, TextRecord, draw_block, fit_or_truncate
from .fonts import text_width
from .textfit import SAFETY_WIDTH, Fit, Paragraph, tokens
from .theme import Theme

SUPERSAMPLE = 2
Box = tuple[float, float, float, float]
Color = tuple[int, ...]


class Pen:
    """Draw shapes in canvas pixels on a supersampled image."""

    def __init__(self, image: Image.Image, factor: int):
        self.image = image
        self.opaque = ImageDraw.Draw(image)
        self.blended = ImageDraw.Draw(image, "RGBA")  # 4× slower: only for translucent colours
        self.k = factor

    def _with(self, *colors: Color | None) -> ImageDraw.ImageDraw:
        return self.blended if any(c is not None and len(c) == 4 for c in colors) else self.opaque

    def _box(self, box: Sequence[float]) -> list[float]:
        x0, y0, x1, y1 = (v * self.k for v in box)
        return [x0, y0, max(x0, x1), max(y0, y1)]

    def _pts(self, points: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
        return [(x * self.k, y * self.k) for x, y in points]

    def _w(self, width: float) -> int:
        return max(1, round(width * self.k)) if width else 0

    def rect(self, box: Box, radius: float = 0, fill: Color | None = None,
             outline: Color | None = None, width: float = 0,
             corners: tuple[bool, bool, bool, bool] | None = None) -> None:
        self._with(fill, outline).rounded_rectangle(self._box(box), radius * self.k, fill=fill,
                                    outline=outline, width=self._w(width), corners=corners)

    def ellipse(self, box: Box, fill: Color | None = None, outline: Color | None = None,
                width: float = 0) -> None:
        self._with(fill, outline).ellipse(self._box(box), fill=fill, outline=outline,
                                          width=self._w(width))

    def circle(self, center: tuple[float, float], radius: float, **kwargs) -> None:
        x, y = center
        self.ellipse((x - radius, y - radius, x + radius, y + radius), **kwargs)

    def polygon(self, points: Sequence[tuple[float, float]], fill: Color | None = None,
                outline: Color | None = None, width: float = 0) -> None:
        # Pillow draws a wide polygon outline through a mask as large as the whole image;
        # a closed round-jointed line looks the same and costs a fraction of that
        pts = self._pts(points)
        if fill is not None:
            self._with(fill).polygon(pts, fill=fill)
        if outline is not None:
            self._with(outline).line([*pts, pts[0], pts[1]], fill=outline,
                                     width=self._w(width or 1), joint="curve")

    def line(self, points: Sequence[tuple[float, float]], fill: Color, width: float) -> None:
        self._with(fill).line(self._pts(points), fill=fill, width=self._w(width), joint="curve")
        radius = width / 2  # round caps: Pillow's lines end square
        for x, y in (points[0], points[-1]):
            self.circle((x, y), radius * 0.98, fill=fill)

    def arc(self, box: Box, start: float, end: float, fill: Color, width: float) -> None:
        self._with(fill).arc(self._box(box), start, end, fill=fill, width=self._w(width))

    def chord(self, box: Box, start: float, end: float, fill: Color | None = None,
              outline: Color | None = None, width: float = 0) -> None:
        self._with(fill, outline).chord(self._box(box), start, end, fill=fill, outline=outline,
                                        width=self._w(width))

    def paste_cover(self, image: Image.Image, box: Box, radius: float, wash: float = 0.3) -> None:
        """Paste `image` cropped to fill `box` (rounded corners), washed towards white
        so text and characters drawn over it stay legible."""
        x0, y0, x1, y1 = (round(v) for v in self._box(box))
        width, height = max(1, x1 - x0), max(1, y1 - y0)
        scale = max(width / image.width, height / image.height)
        resized = image.convert("RGB").resize((max(width, round(image.width * scale)),
                                               max(height, round(image.height * scale))),
                                              Image.Resampling.LANCZOS)
        left, top = (resized.width - width) // 2, (resized.height - height) // 2
        cropped = resized.crop((left, top, left + width, top + height))
        washed = Image.blend(cropped, Image.new("RGB", cropped.size, "white"), wash)
        mask = Image.new("L", (width, height), 0)
        ImageDraw.Draw(mask).rounded_rectangle((0, 0, width - 1, height - 1),
                                               round(radius * self.k), fill=255)
        self.image.paste(washed, (x0, y0), mask)


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
            self.records.extend(draw_block(image, draw, fit, paragraphs, box, style,
                                           colors, container))

        self.text.append(run)

    def render(self) -> Image.Image:
        """Draw the queued shapes supersampled, reduce, then draw the queued text."""
        background = self.color("background")
        big = Image.new("RGB", (self.width * SUPERSAMPLE, self.height * SUPERSAMPLE),
                        background)
        pen = Pen(big, SUPERSAMPLE)
        for op in self.art:
            op(pen)
        image = big.reduce(SUPERSAMPLE) if SUPERSAMPLE > 1 else big
        draw = ImageDraw.Draw(image)
        for op in self.text:
            op(image, draw)
        return image
