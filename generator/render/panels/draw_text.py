"""Draw fitted text onto Pillow images, run by run, with fallback fonts.

`textfit` decides sizes and line breaks; this module puts the lines on the image. Each
line is split into runs (`fonts.split_runs`) so CJK uses Droid Sans Fallback and emoji
use Noto Color Emoji. That emoji font is a bitmap with a single 109 px strike, so emoji
are drawn at 109 px into a small RGBA image, resized and pasted.

Right-to-left runs (Hebrew, Arabic) are shaped by libraqm when Pillow has it; a line
whose first strong character is right-to-left is laid out from the right edge. Without
libraqm such text is drawn in logical order, unshaped.

Every drawn line is returned as a `TextRecord` (its text, its box and the box that
holds it), so tests can check that no text leaves its container.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont, features

from ...text import fonts
from ...text.textfit import SAFETY_WIDTH, Fit, Font, Paragraph, fit, layout, line_height, tokens
from ..geometry import Box

HAS_RAQM = features.check("raqm")
WORD_STEPS = 4  # sub-pixel positions across that a word image is drawn at
WORD_CACHE = 12_000  # word images kept per process, ~4 KB each


@dataclass(frozen=True)
class TextRecord:
    """One drawn line: its text, its box and its container, in image pixels."""

    text: str
    box: Box
    container: Box


@dataclass(frozen=True)
class Style:
    """How a block of text is drawn: family, colour, alignment."""

    family: str
    color: tuple[int, int, int]
    align: str = "left"  # left | center | right
    valign: str = "top"  # top | middle | bottom
    line_spacing: float = 1.0

    @property
    def font(self) -> Font:
        return Font(self.family, self.line_spacing)


def _strong_direction(text: str) -> str | None:
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return None


def is_rtl(text: str) -> bool:
    """Return True when the first strong character of `text` is right-to-left."""
    return _strong_direction(text) == "rtl"


@lru_cache(maxsize=64)  # a font in use holds ~0.3 MB
def _raqm_font(face: fonts.Face, size: float) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(face.path), size, layout_engine=ImageFont.Layout.RAQM)


def _run_font(face: fonts.Face, run: str, size: float) -> tuple[ImageFont.FreeTypeFont, dict]:
    """Return the font and draw options for one run.

    With libraqm, runs are shaped by HarfBuzz, whose unhinted advances match the widths
    textfit measured; RTL runs are also reordered. Without it, the basic layout is used.
    """
    if HAS_RAQM:
        return _raqm_font(face, size), ({"direction": "rtl"} if is_rtl(run) else {})
    return fonts.pil_font(face, size), {}


@lru_cache(maxsize=512)
def _emoji_image(run: str, size: float) -> Image.Image:
    """Render an emoji run at the font's only strike and scale it to `size`."""
    font = fonts.pil_font(fonts.face(fonts.EMOJI_FAMILY), fonts.EMOJI_STRIKE)
    ascent, descent = font.getmetrics()
    width = max(1, round(font.getlength(run)))
    strike = Image.new("RGBA", (width, ascent + descent), (0, 0, 0, 0))
    ImageDraw.Draw(strike).text((0, 0), run, font=font, embedded_color=True)
    factor = size / fonts.EMOJI_STRIKE
    target = (max(1, round(width * factor)), max(1, round((ascent + descent) * factor)))
    return strike.resize(target, Image.Resampling.LANCZOS)


def _run_width(face: fonts.Face, run: str, size: float) -> float:
    if face.is_emoji:
        strike = fonts.pil_font(face, fonts.EMOJI_STRIKE)
        return strike.getlength(run) * size / fonts.EMOJI_STRIKE
    if _by_words(run):
        return _word_positions(face, run)[1] * size / fonts.REFERENCE_SIZE
    font, options = _run_font(face, run, size)
    return font.getlength(run, **options)


# Setting text word by word. Shaping a line costs a fixed ~0.2 ms with Inter (HarfBuzz
# sets the font up again for every call) and rasterising its glyphs most of the rest;
# words repeat across lines and panels. So a left-to-right run is set as its words:
# each word is shaped and rasterised once per size and sub-pixel offset and the image
# reused, each word's advance measured once (at the reference size, scaled: HarfBuzz's
# advances are unhinted, so linear in size), and the space between two words carries
# the kerning the font gives a space next to each of their letters.


@lru_cache(maxsize=20_000)
def _by_words(run: str) -> bool:
    """Return True for runs set word by word: those with no right-to-left text."""
    return not any(unicodedata.bidirectional(char) in ("R", "AL", "AN") for char in run)


@lru_cache(maxsize=4096)
def _word_positions(face: fonts.Face, run: str) -> tuple[tuple[tuple[str, float], ...], float]:
    """Return each word of `run` with its left edge, and the run's advance, at the
    reference size (cached: a line is measured, then drawn)."""
    words, x, space, previous = [], 0.0, _advance(face, " "), ""
    for index, word in enumerate(run.split(" ")):
        if index:
            x += space + (_space_kerning(face, previous[-1], True) if previous else 0.0)
            x += _space_kerning(face, word[0], False) if word else 0.0
        if word:
            words.append((word, x))
            x += _advance(face, word)
        previous = word
    return tuple(words), x


@lru_cache(maxsize=50_000)
def _advance(face: fonts.Face, text: str) -> float:
    font, options = _run_font(face, text, fonts.REFERENCE_SIZE)
    return font.getlength(text, **options)


@lru_cache(maxsize=4096)
def _space_kerning(face: fonts.Face, char: str, before_space: bool) -> float:
    """Return how shaping moves a space after `char` (or `char` after a space)."""
    pair = f"{char} " if before_space else f" {char}"
    return _advance(face, pair) - _advance(face, char) - _advance(face, " ")


def _draw_words(draw: ImageDraw.ImageDraw, xy: tuple[float, float], run: str,
                face: fonts.Face, size: float, color: tuple[int, int, int]) -> None:
    """Draw a run word by word from cached word images; `xy` is its baseline origin,
    whose height is rounded to a whole pixel (crisper, and fewer images to cache)."""
    x, baseline = xy[0], round(xy[1])
    scale = size / fonts.REFERENCE_SIZE
    for word, offset in _word_positions(face, run)[0]:
        pixel, step = divmod(round((x + offset * scale) * WORD_STEPS), WORD_STEPS)
        mask, (dx, dy) = _word_image(face, size, word, step)
        draw.bitmap((pixel + dx, baseline + dy), mask, fill=color)


@lru_cache(maxsize=WORD_CACHE)
def _word_image(face: fonts.Face, size: float, word: str,
                step: int) -> tuple[Image.Image, tuple[int, int]]:
    """Return a word's coverage mask drawn `step` / WORD_STEPS px right of a pixel edge,
    and its offset from that pixel's baseline origin."""
    font, _ = _run_font(face, word, size)
    left, top, right, bottom = font.getbbox(word, anchor="ls")
    # the origin sits at whole pixels (ox, oy) >= 0 with a pixel of room on every side, so
    # Pillow sets the word at the same sub-pixel start as getmask2 would (the spare rows
    # and columns stay empty: drawn through the mask, they change nothing)
    ox, oy = max(0, 2 - math.floor(left)), max(0, 2 - math.floor(top))
    mask = Image.new("L", (ox + math.ceil(right) + 2, oy + math.ceil(bottom) + 2), 0)
    ImageDraw.Draw(mask).text((ox + step / WORD_STEPS, oy), word, fill=255, font=font,
                              anchor="ls")
    return mask, (-ox, -oy)


@lru_cache(maxsize=20_000)
def _runs(text: str, family: str, bold: bool) -> tuple[tuple[fonts.Face, str], ...]:
    return tuple(fonts.split_runs(text, family, bold))


@lru_cache(maxsize=20_000)
def line_runs(text: str, family: str, bold: bool,
              size: float) -> tuple[tuple[fonts.Face, str, float], ...]:
    """Return (face, run, width) for each run of `text`, in visual order."""
    runs = tuple((face, run, _run_width(face, run, size)) for face, run in
                 _runs(text, family, bold))
    return runs[::-1] if is_rtl(text) else runs


def measure_line(text: str, size: float, family: str, bold: bool = False) -> float:
    """Return the drawn width of one line, as `draw_line` will set it."""
    return sum(width for _, _, width in line_runs(text, family, bold, size))


def estimate_width(lines: list[str], size: float, family: str, bold: bool = False) -> float:
    """Return the widest line as text fitting measures it (with its safety margin).

    Cheap (cached per text, linear in size): use it to size boxes around wrapped text.
    """
    return max((fonts.text_width(line, size, family, bold) for line in lines),
               default=0.0) * SAFETY_WIDTH


def _baseline(text: str, size: float, family: str, bold: bool, spacing: float) -> float:
    """Return the baseline offset from the line top: leading split above and below."""
    faces = {f for f, _ in _runs(text, family, bold)} or {fonts.face(family, bold)}
    ascent = max(fonts.ascent_em(f) for f in faces) * size
    natural = max(fonts.line_height_em(f) for f in faces) * size
    extra = line_height(text, size, Font(family, spacing), bold) - natural
    return ascent + max(0.0, extra) / 2


def draw_line(image: Image.Image, draw: ImageDraw.ImageDraw, xy: tuple[float, float], text: str,
              size: float, family: str, color: tuple[int, int, int], bold: bool = False,
              spacing: float = 1.0) -> float:
    """Draw one line with its top-left at `xy`; return its width."""
    x, top = xy
    baseline = top + _baseline(text, size, family, bold, spacing)
    for face, run, width in line_runs(text, family, bold, size):
        if face.is_emoji:
            if run.strip():
                glyphs = _emoji_image(run, size)
                ascent = fonts.pil_font(face, 0).getmetrics()[0] * size / fonts.EMOJI_STRIKE
                image.paste(glyphs, (round(x), round(baseline - ascent)), glyphs)
        elif _by_words(run):
            _draw_words(draw, (x, baseline), run, face, size, color)
        else:
            font, options = _run_font(face, run, size)
            draw.text((x, baseline), run, font=font, fill=color, anchor="ls", **options)
        x += width
    return x - xy[0]


def draw_fitted_paragraphs(image: Image.Image, draw: ImageDraw.ImageDraw, fit: Fit,
               paragraphs: list[Paragraph], box: Box, style: Style,
               colors: list[tuple[int, int, int]] | None = None,
               container: Box | None = None) -> list[TextRecord]:
    """Draw the fitted paragraphs inside `box`; return a record per line."""
    x0, y0, x1, y1 = box
    font = style.font
    top = {"top": y0, "middle": y0 + (y1 - y0 - fit.height) / 2,
           "bottom": y1 - fit.height}[style.valign]
    records, y = [], top
    for index, (para, lines) in enumerate(zip(paragraphs, fit.lines, strict=True)):
        size = fit.size * para.scale
        color = colors[index] if colors else style.color
        step = line_height(para.text, size, font, para.bold)
        indent = para.indent_em * size
        for line in lines:
            line_size, width = _size_to_width(line, size, style.family, para.bold,
                                              x1 - x0 - indent)
            left = _aligned_left(line, width, x0 + indent, x1, style.align)
            draw_line(image, draw, (left, y), line, line_size, style.family, color, para.bold,
                      style.line_spacing)
            records.append(TextRecord(line, (left, y, left + width, y + step), container or box))
            y += step
        if index < len(paragraphs) - 1:
            y += para.space_after_em * size
    return records


def _size_to_width(line: str, size: float, family: str, bold: bool,
                   available: float) -> tuple[float, float]:
    """Return a size at which the drawn line fits `available`, and its width.

    textfit measures with a safety margin, but glyph hinting (without libraqm) can still
    make a line of repeated narrow glyphs a few percent wider; such a line is set a
    little smaller rather than let it leave its box.
    """
    width = measure_line(line, size, family, bold)
    while width > available > 0 and size > 1:
        size *= max(0.5, available / width * 0.995)
        width = measure_line(line, size, family, bold)
    return size, width


def _aligned_left(line: str, width: float, x0: float, x1: float, align: str) -> float:
    if align == "center":
        return x0 + (x1 - x0 - width) / 2
    if align == "right" or (align == "left" and is_rtl(line)):
        return x1 - width
    return x0


def fit_or_truncate(paragraphs: list[Paragraph], width: float, height: float, font: Font,
                    floor: float, ceiling: float) -> tuple[Fit, list[Paragraph], bool]:
    """Fit the paragraphs; if they cannot fit at `floor`, cut them with '…' at the floor.

    Return the fit, the paragraphs actually set (shortened when cut) and whether text was
    cut, so the caller can report it: cutting is the last resort, never silent.
    """
    result = fit(paragraphs, width, height, font, floor, max(floor, ceiling))
    if result is not None:
        return result, paragraphs, False
    kept: list[Paragraph] = []
    for para in paragraphs:
        trial = layout([*kept, para], width, floor, font)
        if trial.height <= height:
            kept.append(para)
            continue
        shortened = _shorten(kept, para, width, height, font, floor)
        if shortened is not None:
            kept.append(shortened)
        break
    kept = kept or [Paragraph("…", paragraphs[0].bold, scale=paragraphs[0].scale)]
    return layout(kept, width, floor, font), kept, True


def _shorten(kept: list[Paragraph], para: Paragraph, width: float, height: float,
             font: Font, floor: float) -> Paragraph | None:
    """Return `para` cut to the longest token prefix (plus '…') that fits under `kept`."""
    parts = tokens(para.text)

    def candidate(count: int) -> Paragraph:
        text = "".join((" " if space and i else "") + tok for i, (tok, space)
                       in enumerate(parts[:count])).rstrip(",;:-–— ") + "…"
        return Paragraph(text, para.bold, para.indent_em, para.space_after_em, para.scale)

    def fits(count: int) -> bool:
        return layout([*kept, candidate(count)], width, floor, font).height <= height

    if not parts or not fits(1):
        return None
    low, high = 1, len(parts) - 1
    while low < high:  # binary search: the longest prefix that still fits
        mid = (low + high + 1) // 2
        low, high = (mid, high) if fits(mid) else (low, mid - 1)
    return candidate(low)
