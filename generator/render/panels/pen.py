"""Anti-aliased shapes for panels: a supersampling Pen, and sprites cached across panels.

Pillow does not anti-alias shapes, so shapes are drawn `SUPERSAMPLE` times larger and
reduced. Rather than keep a supersampled copy of the whole panel, each queued drawing
(a frame's scene, a bubble, a box) is first recorded; the recorded calls are drawn
supersampled into a transparent sprite that covers only their bounds, which is reduced
and composited onto the panel in queue order.

Most of a panel (frames, characters, icons, boxes) is the same from one paper to the
next, so sprites are cached by their recorded calls: equal calls draw equal pixels, and
a panel is the same whether its sprites came from the cache or not. A translucent colour
blends with what the same drawing put under it (a drawing starts transparent), so a
translucent shape belongs in the same drawing as the opaque shape it tints.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Callable, Sequence

from PIL import Image, ImageDraw

from ..geometry import Box

SUPERSAMPLE = 2
SPRITE_CACHE = 96  # sprites kept per process: a panel uses ~10 that repeat across papers
MARGIN = 2  # px around a drawing's bounds, for anti-aliased edges

Color = tuple[int, ...]
Region = tuple[int, int, int, int]


class Pen:
    """Draw shapes in canvas pixels on a supersampled image whose top-left is `origin`.

    On an RGBA image (a sprite), translucent colours are composited over what is already
    drawn, as they would be on an opaque image, rather than replacing it.
    """

    def __init__(self, image: Image.Image, factor: int, origin: tuple[int, int] = (0, 0)):
        self.image = image
        self.opaque = ImageDraw.Draw(image)
        self.blended = ImageDraw.Draw(image, "RGBA") if image.mode == "RGB" else None
        self.k = factor
        self.origin = origin
        self._layer: Image.Image | None = None  # where translucent shapes go on a sprite
        self._pending: tuple[int, int, int, int] | None = None

    def _with(self, *colors: Color | None, bounds: Sequence[float]) -> ImageDraw.ImageDraw:
        """Return the draw for these colours; `bounds` (image px) hold what it will draw."""
        self.finish()
        if not any(c is not None and len(c) == 4 for c in colors):
            return self.opaque
        if self.blended is not None:
            return self.blended  # 4× slower than opaque: only for translucent colours
        if self._layer is None:
            self._layer = Image.new("RGBA", self.image.size, (0, 0, 0, 0))
        x0, y0, x1, y1 = bounds
        width, height = self.image.size
        self._pending = (max(0, math.floor(x0) - 1), max(0, math.floor(y0) - 1),
                         min(width, math.ceil(x1) + 2), min(height, math.ceil(y1) + 2))
        return ImageDraw.Draw(self._layer)

    def finish(self) -> None:
        """Composite the last translucent shape drawn on a sprite over the sprite."""
        if self._pending is None or self._layer is None:
            return
        x0, y0, x1, y1 = self._pending
        self._pending = None
        if x0 < x1 and y0 < y1:
            self.image.alpha_composite(self._layer, (x0, y0), (x0, y0, x1, y1))
            self._layer.paste((0, 0, 0, 0), (x0, y0, x1, y1))

    def _box(self, box: Sequence[float]) -> list[float]:
        ox, oy = self.origin
        x0, y0, x1, y1 = ((v - o) * self.k for v, o in zip(box, (ox, oy, ox, oy), strict=True))
        return [x0, y0, max(x0, x1), max(y0, y1)]

    def _pts(self, points: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
        ox, oy = self.origin
        return [((x - ox) * self.k, (y - oy) * self.k) for x, y in points]

    @staticmethod
    def _span(points: Sequence[tuple[float, float]], pad: float) -> tuple[float, ...]:
        xs, ys = [x for x, _ in points], [y for _, y in points]
        return min(xs) - pad, min(ys) - pad, max(xs) + pad, max(ys) + pad

    def _w(self, width: float) -> int:
        return max(1, round(width * self.k)) if width else 0

    def rect(self, box: Box, radius: float = 0, fill: Color | None = None,
             outline: Color | None = None, width: float = 0,
             corners: tuple[bool, bool, bool, bool] | None = None) -> None:
        xy = self._box(box)
        self._with(fill, outline, bounds=xy).rounded_rectangle(
            xy, radius * self.k, fill=fill, outline=outline, width=self._w(width),
            corners=corners)

    def ellipse(self, box: Box, fill: Color | None = None, outline: Color | None = None,
                width: float = 0) -> None:
        xy = self._box(box)
        self._with(fill, outline, bounds=xy).ellipse(xy, fill=fill, outline=outline,
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
            self._with(fill, bounds=self._span(pts, 0)).polygon(pts, fill=fill)
        if outline is not None:
            line_width = self._w(width or 1)
            self._with(outline, bounds=self._span(pts, line_width)).line(
                [*pts, pts[0], pts[1]], fill=outline, width=line_width, joint="curve")

    def line(self, points: Sequence[tuple[float, float]], fill: Color, width: float) -> None:
        pts, line_width = self._pts(points), self._w(width)
        self._with(fill, bounds=self._span(pts, line_width)).line(
            pts, fill=fill, width=line_width, joint="curve")
        radius = width / 2  # round caps: Pillow's lines end square
        for x, y in (points[0], points[-1]):
            self.circle((x, y), radius * 0.98, fill=fill)

    def arc(self, box: Box, start: float, end: float, fill: Color, width: float) -> None:
        xy = self._box(box)
        self._with(fill, bounds=xy).arc(xy, start, end, fill=fill, width=self._w(width))

    def chord(self, box: Box, start: float, end: float, fill: Color | None = None,
              outline: Color | None = None, width: float = 0) -> None:
        xy = self._box(box)
        self._with(fill, outline, bounds=xy).chord(xy, start, end, fill=fill, outline=outline,
                                                   width=self._w(width))

    def paste_cover(self, image: Image.Image, box: Box, radius: float, wash: float = 0.3) -> None:
        """Paste `image` cropped to fill `box` (rounded corners), washed towards white
        so text and characters drawn over it stay legible."""
        self.finish()
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


def _points(points: Sequence[Sequence[float]]) -> tuple[tuple[float, ...], ...]:
    """Return points as a tuple of tuples, so recorded calls can be hashed."""
    return tuple(tuple(point) for point in points)


class Recorder:
    """Stand in for a Pen: record every call and the bounds it draws in."""

    def __init__(self) -> None:
        self.calls: list[tuple] = []
        self.bounds: list[float] = [math.inf, math.inf, -math.inf, -math.inf]
        self.cacheable = True
        self.opaque = True  # every colour opaque, no image pasted: pixels are all or nothing

    def _add(self, call: tuple, points: Sequence[Sequence[float]], pad: float = 0,
             colors: Sequence[Color | None] = ()) -> None:
        self.calls.append(call)
        if any(c is not None and len(c) == 4 for c in colors):
            self.opaque = False
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        b = self.bounds
        b[0], b[1] = min(b[0], min(xs) - pad), min(b[1], min(ys) - pad)
        b[2], b[3] = max(b[2], max(xs) + pad), max(b[3], max(ys) + pad)

    def rect(self, box: Box, radius: float = 0, fill: Color | None = None,
             outline: Color | None = None, width: float = 0,
             corners: tuple[bool, bool, bool, bool] | None = None) -> None:
        self._add(("rect", tuple(box), radius, fill, outline, width,
                   tuple(corners) if corners else None), (box[:2], box[2:]), 0, (fill, outline))

    def ellipse(self, box: Box, fill: Color | None = None, outline: Color | None = None,
                width: float = 0) -> None:
        self._add(("ellipse", tuple(box), fill, outline, width), (box[:2], box[2:]), 0,
                  (fill, outline))

    def circle(self, center: tuple[float, float], radius: float, **kwargs) -> None:
        x, y = center
        self.ellipse((x - radius, y - radius, x + radius, y + radius), **kwargs)

    def polygon(self, points: Sequence[tuple[float, float]], fill: Color | None = None,
                outline: Color | None = None, width: float = 0) -> None:
        self._add(("polygon", _points(points), fill, outline, width), points,
                  width if outline is not None else 0, (fill, outline))

    def line(self, points: Sequence[tuple[float, float]], fill: Color, width: float) -> None:
        self._add(("line", _points(points), fill, width), points, width, (fill,))

    def arc(self, box: Box, start: float, end: float, fill: Color, width: float) -> None:
        self._add(("arc", tuple(box), start, end, fill, width), (box[:2], box[2:]), 0, (fill,))

    def chord(self, box: Box, start: float, end: float, fill: Color | None = None,
              outline: Color | None = None, width: float = 0) -> None:
        self._add(("chord", tuple(box), start, end, fill, outline, width), (box[:2], box[2:]),
                  0, (fill, outline))

    def paste_cover(self, image: Image.Image, box: Box, radius: float, wash: float = 0.3) -> None:
        self.cacheable = self.opaque = False  # an image is not a key: drawn every time
        self._add(("paste_cover", image, tuple(box), radius, wash), (box[:2], box[2:]))

    def region(self, width: int, height: int) -> Region | None:
        """Return the whole-pixel box the calls draw in, within a canvas; None if empty."""
        x0, y0, x1, y1 = self.bounds
        if not self.calls or x0 > x1:
            return None
        region = (max(0, math.floor(x0) - MARGIN), max(0, math.floor(y0) - MARGIN),
                  min(width, math.ceil(x1) + MARGIN), min(height, math.ceil(y1) + MARGIN))
        return region if region[0] < region[2] and region[1] < region[3] else None


_sprites: OrderedDict[tuple, Image.Image] = OrderedDict()


def sprite(recording: Recorder, region: Region) -> Image.Image:
    """Return the recorded calls drawn anti-aliased as an RGBA image of `region`."""
    key = (tuple(recording.calls), region) if recording.cacheable else None
    if key is not None and key in _sprites:
        _sprites.move_to_end(key)
        return _sprites[key]
    image = _draw(recording, region)
    if key is not None:
        _sprites[key] = image
        if len(_sprites) > SPRITE_CACHE:
            _sprites.popitem(last=False)
    return image


def _draw(recording: Recorder, region: Region) -> Image.Image:
    """Draw the calls supersampled on a transparent image and reduce it.

    Pillow's shapes are not anti-aliased: with opaque colours every supersampled pixel
    is either transparent black or opaque, so the image already holds premultiplied
    alpha ("RGBa") and is reduced as it is; otherwise `reduce` premultiplies first.
    """
    x0, y0, x1, y1 = region
    k = SUPERSAMPLE
    mode = "RGBa" if recording.opaque else "RGBA"
    big = Image.new(mode, ((x1 - x0) * k, (y1 - y0) * k), (0, 0, 0, 0))
    pen = Pen(big, k, (x0, y0))
    for name, *args in recording.calls:
        getattr(pen, name)(*args)
    pen.finish()
    return (big.reduce(k) if k > 1 else big).convert("RGBA")


def _record(drawing: Callable[[Pen], None]) -> Recorder:
    recording = Recorder()
    drawing(recording)  # type: ignore[arg-type]  # a Recorder stands in for a Pen
    return recording


def _paint(image: Image.Image, recordings: list[Recorder]) -> None:
    for recording in recordings:
        region = recording.region(image.width, image.height)
        if region is not None:
            shape = sprite(recording, region)
            image.paste(shape, region[:2], shape)


def composite(image: Image.Image, drawings: Sequence[Callable[[Pen], None]]) -> None:
    """Draw each queued drawing onto `image`, in order, as an anti-aliased sprite."""
    _paint(image, [_record(drawing) for drawing in drawings])


_grounds: OrderedDict[tuple, Image.Image] = OrderedDict()
GROUND_CACHE = 4  # whole backgrounds kept: one per layout and size in use


def ground(size: tuple[int, int], background: Color,
           drawings: Sequence[Callable[[Pen], None]]) -> Image.Image:
    """Return a new image of `size`: the background colour with `drawings` on it.

    The result is cached whole (by the recorded calls), for drawings that are the same
    in every panel of a build: frames, characters, boxes.
    """
    recordings = [_record(drawing) for drawing in drawings]
    key = None
    if all(r.cacheable for r in recordings):
        key = (size, background, tuple(tuple(r.calls) for r in recordings))
        if key in _grounds:
            _grounds.move_to_end(key)
            return _grounds[key].copy()
    image = Image.new("RGB", size, background)
    _paint(image, recordings)
    if key is not None:
        _grounds[key] = image.copy()
        if len(_grounds) > GROUND_CACHE:
            _grounds.popitem(last=False)
    return image
