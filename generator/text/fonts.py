"""The bundled fonts, with per-character fallback for symbols, CJK and emoji.

A family is known by the name a deck writes (Arial, Calibri, Cambria, Inter, ...); its
files are the family itself or its open metric-compatible twin (Liberation Sans,
Carlito, Caladea), so widths measured here are the widths PowerPoint and Keynote get
with the original and LibreOffice with the twin. Text is split into runs, each set in
the first face that has a glyph for it. Both the deck (measuring only) and the panels
(measuring and drawing) use these runs. A run in a fallback face is measured with the
widest fallback that has its characters, because a viewer may choose any font for it.
"""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import yaml
from fontTools.ttLib import TTFont
from PIL import ImageFont

from ..core.paths import FONTS_DIR

EMOJI_FAMILY = "Noto Color Emoji"
EMOJI_STRIKE = 109  # Noto Color Emoji is a bitmap font with one strike, 109 px
REFERENCE_SIZE = 200  # widths are measured once at this size and scaled


@dataclass(frozen=True)
class Face:
    """One font file: its family name, path, glyph coverage and vertical metrics."""

    family: str
    path: Path
    bold: bool

    @property
    def is_emoji(self) -> bool:
        return self.family == EMOJI_FAMILY


@cache
def _catalogue() -> dict:
    return yaml.safe_load((FONTS_DIR / "fonts.yaml").read_text(encoding="utf-8"))


def families() -> list[str]:
    return list(_catalogue()["families"])


def canonical(family: str) -> str | None:
    """Return the catalogue name of `family` or of the family it is a twin of, or None.

    A family confgen does not bundle but the machine has installed (a corporate font)
    joins the catalogue from its fontconfig files, so it is measured like the others.
    """
    wanted = family.strip().casefold()
    for name, entry in _catalogue()["families"].items():
        if wanted in [name.casefold()] + [a.casefold() for a in entry.get("aliases", [])]:
            return name
    installed = _installed(family.strip())
    if installed is None:
        return None
    _catalogue()["families"][family.strip()] = installed
    return family.strip()


@cache
def _installed(family: str) -> dict | None:
    """Return a catalogue entry for `family` from the machine's fonts, or None."""
    if not family or shutil.which("fc-match") is None:
        return None
    entry: dict[str, str] = {}
    for style, wanted in (("regular", "Regular"), ("bold", "Bold")):
        try:
            found = subprocess.run(["fc-match", "-f", "%{family}\t%{style}\t%{file}",
                                    f"{family}:style={wanted}"], capture_output=True, text=True,
                                   timeout=10, check=False).stdout.split("\t")
        except (OSError, subprocess.TimeoutExpired):
            return None
        if len(found) != 3 or not found[2].endswith((".ttf", ".otf", ".ttc")):
            continue
        names = [name.strip().casefold() for name in found[0].split(",")]
        if family.casefold() in names and (style == "regular" or wanted.casefold()
                                           in found[1].casefold()):
            entry[style] = found[2]  # an absolute path: FONTS_DIR / it is the path itself
    return {**entry, "installed": True} if "regular" in entry else None


def viewers_have(family: str) -> bool:
    """Say whether PowerPoint, Keynote, Google Slides and LibreOffice all have `family` or
    substitute its metric-compatible twin."""
    name = canonical(family)
    return bool(name and _catalogue()["families"][name].get("viewers"))


def script_font(script: str) -> str:
    """Return the family a deck names for `script` (zh, ja, ko, symbol, emoji)."""
    return _catalogue()["scripts"][script]


def font_files(family: str) -> dict[str, Path]:
    """Return the bundled files of `family` by style (regular, bold, italic)."""
    entry = _catalogue()["families"][canonical(family) or family]
    return {style: FONTS_DIR / entry[style] for style in ("regular", "bold", "italic")
            if style in entry}


@cache
def face(family: str, bold: bool = False) -> Face:
    """Return the face of `family` or its twin (bold if it has one)."""
    name = canonical(family)
    if name is None:
        raise KeyError(f"font family {family!r} is not bundled; known: {', '.join(families())}")
    entry = _catalogue()["families"][name]
    file = entry.get("bold") if bold and entry.get("bold") else entry["regular"]
    return Face(name, FONTS_DIR / file, bold and "bold" in entry)


@dataclass(frozen=True)
class FaceInfo:
    coverage: frozenset[int]
    line_height_em: float  # ascent + descent + gap, as LibreOffice and Pillow space lines
    ascent_em: float


@cache
def face_info(f: Face) -> FaceInfo:
    """Read glyph coverage and vertical metrics from the font file once."""
    with TTFont(f.path, lazy=True) as font:
        units = font["head"].unitsPerEm
        hhea = font["hhea"]
        return FaceInfo(
            coverage=frozenset(font.getBestCmap()),
            line_height_em=(hhea.ascent - hhea.descent + hhea.lineGap) / units,
            ascent_em=hhea.ascent / units,
        )


def coverage(f: Face) -> frozenset[int]:
    return face_info(f).coverage


def line_height_em(f: Face) -> float:
    return face_info(f).line_height_em


def ascent_em(f: Face) -> float:
    return face_info(f).ascent_em


@cache
def fallback_chain(family: str, bold: bool = False) -> tuple[Face, ...]:
    main = face(family, bold)
    names = [n for n in _catalogue()["fallbacks"] if n != main.family]
    return (main, *(face(name, bold) for name in names))


@lru_cache(maxsize=8192)
def _is_invisible(char: str) -> bool:
    return char.isspace() or unicodedata.category(char) in ("Mn", "Cf")


@lru_cache(maxsize=65536)
def _char_face(family: str, bold: bool, char: str) -> Face:
    # cached per character: splitting runs is on the hot path of every measurement
    return _face_for(fallback_chain(family, bold), ord(char))


def split_runs(text: str, family: str, bold: bool = False) -> list[tuple[Face, str]]:
    """Split `text` into (face, run) pairs, each run drawable by its face."""
    runs: list[tuple[Face, str]] = []
    current: Face | None = None
    chars: list[str] = []
    for char in text:
        # spaces and combining marks join the current run, except that a space after an
        # emoji goes back to the text face: the emoji font's space is a full emoji wide
        if current is not None and _is_invisible(char) and not (
                current.is_emoji and char.isspace()):
            chars.append(char)
            continue
        chosen = _char_face(family, bold, char)
        if chosen is current:
            chars.append(char)
            continue
        if current is not None:
            runs.append((current, "".join(chars)))
        current, chars = chosen, [char]
    if current is not None:
        runs.append((current, "".join(chars)))
    return runs


def _looks_like_emoji(codepoint: int) -> bool:
    return codepoint >= 0x1F000 or 0x2600 <= codepoint <= 0x27BF or codepoint in (0x200D, 0xFE0F)


def _face_for(chain: tuple[Face, ...], codepoint: int) -> Face:
    """Return the first face with the glyph; emoji prefer the colour emoji face."""
    if _looks_like_emoji(codepoint):
        chain = tuple(sorted(chain[1:], key=lambda f: not f.is_emoji))
    for candidate in chain:
        if codepoint in coverage(candidate):
            return candidate
    return chain[0]


@lru_cache(maxsize=64)
def pil_font(f: Face, size: int) -> ImageFont.FreeTypeFont:
    """Return a Pillow font; the emoji face only loads at its bitmap strike size."""
    if f.is_emoji:
        size = EMOJI_STRIKE
    return ImageFont.truetype(str(f.path), size, layout_engine=ImageFont.Layout.BASIC)


@lru_cache(maxsize=200_000)
def _run_width_at_reference(f: Face, run: str) -> float:
    if f.is_emoji:
        return pil_font(f, EMOJI_STRIKE).getlength(run) / EMOJI_STRIKE * REFERENCE_SIZE
    if not all(ord(char) in coverage(f) or _is_invisible(char) for char in run):
        return sum(_missing_width(f, char) for char in run)
    return pil_font(f, REFERENCE_SIZE).getlength(run)


def _missing_width(f: Face, char: str) -> float:
    """Return a character's width where no bundled face has it: a wide (CJK, Hangul)
    character is one em in every CJK font; others take the face's own (box) width."""
    width = pil_font(f, REFERENCE_SIZE).getlength(char)
    if ord(char) not in coverage(f) and unicodedata.east_asian_width(char) in ("W", "F"):
        return max(width, float(REFERENCE_SIZE))
    return width


@lru_cache(maxsize=200_000)
def _fallback_run_width(family: str, bold: bool, f: Face, run: str) -> float:
    """Return the widest width of `run` among the fallback faces that have all of it."""
    chain = fallback_chain(family, bold)
    if f is chain[0]:
        return _run_width_at_reference(f, run)
    needed = {ord(char) for char in run if not _is_invisible(char)}
    widths = [_run_width_at_reference(candidate, run) for candidate in chain[1:]
              if needed <= coverage(candidate)]
    wide = sum(unicodedata.east_asian_width(char) in ("W", "F") for char in run)
    return max(widths + [wide * float(REFERENCE_SIZE)],
               default=_run_width_at_reference(f, run))


@lru_cache(maxsize=200_000)
def _width_at_reference(text: str, family: str, bold: bool) -> float:
    return sum(_fallback_run_width(family, bold, f, run)
               for f, run in split_runs(text, family, bold))


def reference_width(text: str, family: str, bold: bool = False) -> float:
    """Return the advance width of `text` at `REFERENCE_SIZE` (cached)."""
    return _width_at_reference(text, family, bold)


def text_width(text: str, size: float, family: str, bold: bool = False) -> float:
    """Return the advance width of `text` set at `size` (in the caller's units)."""
    return _width_at_reference(text, family, bold) * size / REFERENCE_SIZE


def text_line_height(text: str, size: float, family: str, bold: bool = False) -> float:
    """Return the height of one line of `text`: the tallest face it uses."""
    return _line_height_em_of(text, family, bold) * size


@lru_cache(maxsize=100_000)
def _line_height_em_of(text: str, family: str, bold: bool) -> float:
    # cached: text fitting asks for the same paragraph's height at every size it tries
    faces = {f for f, _ in split_runs(text, family, bold)} or {face(family, bold)}
    return max(line_height_em(f) for f in faces)
