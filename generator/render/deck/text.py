"""Fitted, native text boxes for the deck: measure with textfit, then write the XML.

Every box is written with word wrap on, autofit off and explicit insets, and its size
comes from `textfit.fit` over the box minus those insets. Runs name families the major
viewers have: the theme's family (measured with its metric-compatible twin), and for
text that family lacks a family per script (`fonts.script_font`: Microsoft YaHei, Yu
Gothic, Malgun Gothic for CJK, Segoe UI Symbol, Segoe UI Emoji), measured with the
widest bundled fallback, so whichever font a viewer picks, the text fits.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache

from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.util import Pt

from ...text import fonts, textfit
from ...text.bylines import one_line
from ..geometry import Box
from ..theme import Theme
from . import oxml, units

COMPLEX_FONT = "Arial"  # Arabic and Hebrew: Arial has both on Windows and macOS
INSET = 4.0  # points on every side of every text box
BULLET_EM = 1.1  # hanging indent of a bullet, in ems of its paragraph
SIZE_STEP = 0.5  # points between the sizes tried
MIN_CUT_WORDS = 8  # a paragraph is cut across pages only if this much of it stays
# Lines are measured this much taller than LibreOffice sets them: PowerPoint, Keynote
# and Java renderers (Apache POI) space lines up to 15 % wider for the same font, and a
# deck must fit there too (tests/test_deck_slack.py renders it with such lines).
LINE_SLACK = 1.15


def inner(box: Box) -> tuple[float, float]:
    """Return the width and height a box leaves for text once the insets are taken off."""
    return box.w - 2 * INSET, box.h - 2 * INSET


@dataclass(frozen=True)
class Para:
    """One paragraph of a text box, with how it looks and where it links."""

    text: str
    bold: bool = False
    color: str | None = "text"  # a theme colour role; None inherits (template titles)
    bullet: bool = False
    scale: float = 1.0
    space_after_em: float = 0.35
    link: str = ""
    keep_with_next: bool = False  # a heading: never the last paragraph of a slide

    def for_fit(self) -> textfit.Paragraph:
        return textfit.Paragraph(self.text, self.bold, BULLET_EM if self.bullet else 0.0,
                                 self.space_after_em, self.scale)


clean = one_line  # the deck sets each field as one paragraph, LaTeX turned into Unicode


def font_for(theme: Theme, font_role: str) -> textfit.Font:
    return textfit.Font(theme.fonts[font_role], theme.line_spacing, LINE_SLACK)


def fit_paras(paras: list[Para], box: Box, theme: Theme, role: str,
              font_role: str = "body") -> textfit.Fit | None:
    """Return the largest fit of `paras` in `box` within the role's sizes, or None."""
    floor, ceiling = theme.sizes[role]
    width, height = inner(box)
    font = font_for(theme, font_role)
    room = height - long_token_allowance(paras, width, ceiling, font)
    result = textfit.fit([p.for_fit() for p in paras], width, room, font, floor, ceiling)
    if result is None and fits_at(paras, box, theme, floor, font_role):
        result = textfit.layout([p.for_fit() for p in paras], width, floor, font)
    return result


def line_box_h(theme: Theme, role: str, at_least: float, font_role: str = "body") -> float:
    """Return the height a one-line box of `role` needs (at least `at_least`): a font
    with tall lines (Noto Sans, a template's font) needs more than Arial."""
    floor = theme.sizes[role][0]
    return max(at_least, textfit.line_height("Ag", floor, font_for(theme, font_role))
               + 2 * INSET + 0.5)


def fits_at(paras: list[Para], box: Box, theme: Theme, size: float,
            font_role: str = "body") -> bool:
    """Say whether `paras` fit `box` at `size`."""
    width, height = inner(box)
    font = font_for(theme, font_role)
    result = textfit.layout([p.for_fit() for p in paras], width, size, font)
    return result.height + long_token_allowance(paras, width, size, font) <= height


def long_token_allowance(paras: list[Para], width: float, size: float,
                      font: textfit.Font) -> float:
    """Return a line of height for each token too wide for its line (a URL, a formula).

    Such a token is broken between characters, and LibreOffice prefers its own break
    opportunities (after '/' or '-'), which can start it on a new line: one more line.
    """
    extra = 0.0
    for para in paras:
        para_size = size * para.scale
        usable = width - (BULLET_EM * para_size if para.bullet else 0.0)
        for token in _long_tokens(para.text):
            if textfit.text_width(token, para_size, font.family, para.bold) > usable * 0.9:
                extra += textfit.line_height(token, para_size, font, para.bold)
    return extra


@lru_cache(maxsize=65536)
def _long_tokens(text: str) -> tuple[str, ...]:
    """Return the tokens of `text` long enough to need a line of their own."""
    return tuple(token for token in text.split() if len(token) > 12)


def paginate(paras: list[Para], boxes: Box | list[Box], theme: Theme, role: str,
             font_role: str = "body") -> list[tuple[list[Para], float]]:
    """Split `paras` into pages that each fit their box, never below the role's floor.

    Page i uses boxes[i] (the last box for the rest). Text that fits one page gets the
    largest size that fits; otherwise every page gets the largest size that needs no
    more pages than the floor does. A page takes whole paragraphs where it can (a
    heading is never left last); a long paragraph is cut at a word boundary and
    continues on the next page. Raises ValueError if a box cannot hold one line.
    """
    boxes = boxes if isinstance(boxes, list) else [boxes]
    result = fit_paras(paras, boxes[0], theme, role, font_role)
    if result is not None:
        return [(paras, result.size)]
    floor, ceiling = theme.sizes[role]
    best, best_size = _pages_at(paras, boxes, theme, floor, font_role), floor
    low, high = 0, int((ceiling - floor) / SIZE_STEP)
    while low < high:
        mid = (low + high + 1) // 2
        size = floor + mid * SIZE_STEP
        try:
            candidate = _pages_at(paras, boxes, theme, size, font_role)
        except ValueError:  # not even one line fits at this size
            candidate = best + [[]]
        if len(candidate) <= len(best):
            best, best_size, low = candidate, size, mid
        else:
            high = mid - 1
    return [(page, best_size) for page in best]


def _pages_at(paras: list[Para], boxes: list[Box], theme: Theme, size: float,
              font_role: str) -> list[list[Para]]:
    pages: list[list[Para]] = []
    rest = list(paras)
    while rest:
        box = boxes[min(len(pages), len(boxes) - 1)]
        if fits_at(rest, box, theme, size, font_role):
            pages.append(rest)
            break
        page, rest = _next_page(rest, box, theme, size, font_role)
        pages.append(page)
    return pages


def _next_page(paras: list[Para], box: Box, theme: Theme, size: float,
               font_role: str) -> tuple[list[Para], list[Para]]:
    """Return the paragraphs that fill one page at `size`, and the ones left over."""
    count = 0
    while count < len(paras) and fits_at(paras[: count + 1], box, theme, size, font_role):
        count += 1
    if count == len(paras):
        return paras, []
    kept = count
    while kept > 0 and paras[kept - 1].keep_with_next:  # no heading at a page's foot
        kept -= 1
    if kept > 0:
        following = paras[kept]
        if kept == count and not (following.bullet or following.keep_with_next):
            head, tail = cut_to_fit(paras[:kept], following, box, theme, size, font_role)
            if head is not None and len(head.text.split()) >= MIN_CUT_WORDS:
                return paras[:kept] + [head], [tail] + paras[kept + 1:]
        return paras[:kept], paras[kept:]
    head, tail = cut_to_fit(paras[:count], paras[count], box, theme, size, font_role)
    if head is None:
        if count == 0:
            raise ValueError(f"box {box} cannot hold one line at {size} pt")
        return paras[:count], paras[count:]
    return paras[:count] + [head], [tail] + paras[count + 1:]


CONTINUED = "… "  # starts the part of a paragraph that continues on the next page


def cut_to_fit(before: list[Para], para: Para, box: Box, theme: Theme, size: float,
         font_role: str) -> tuple[Para | None, Para]:
    """Cut `para` after the most words that fit below `before`; (None, para) if none do.

    Each cut takes at least one word (or, for one enormous token such as a URL, one
    character) of the paragraph's own text, so paginating always ends.
    """
    prefix = CONTINUED if para.text.startswith(CONTINUED) else ""
    text = para.text[len(prefix):]
    words, joiner = text.split(), " "
    if len(words) < 2:  # one enormous token (a URL, a formula): cut it by characters
        words, joiner = list(text), ""

    def head_of(n: int) -> Para:
        return replace(para, text=prefix + joiner.join(words[:n]) + " …", keep_with_next=False)

    low, high = 0, len(words) - 1
    while low < high:
        mid = (low + high + 1) // 2
        if fits_at(before + [head_of(mid)], box, theme, size, font_role):
            low = mid
        else:
            high = mid - 1
    if low == 0:
        return None, para
    tail = CONTINUED + joiner.join(words[low:])
    return head_of(low), replace(para, text=tail, bullet=False)


def first_page(paras: list[Para], box: Box, theme: Theme, role: str,
               font_role: str = "body") -> tuple[list[Para], float]:
    """Return what of `paras` fits `box` (all of it if it can) and the size to set it at."""
    result = fit_paras(paras, box, theme, role, font_role)
    if result is not None:
        return paras, result.size
    floor = theme.sizes[role][0]
    try:
        return _next_page(paras, box, theme, floor, font_role)[0], floor
    except ValueError:  # the box is too small for one line: show the start, at the floor
        return [replace(paras[0], text=paras[0].text[:1] + "…")], floor


def add_text(slide, box: Box, paras: list[Para], theme: Theme, size: float,
             font_role: str = "body", align: str = "left", anchor: str = "top", name: str = "",
             target=None):
    """Add a native text box holding `paras` at `size` (design units) and return it.

    With `target` (a placeholder of a user's template) the text goes into that
    placeholder instead, pinned to `box`, with the same explicit wrap, insets and no
    autofit.
    """
    factor = units.scale(slide)
    if target is None:
        shape = slide.shapes.add_textbox(*units.emu_box(box, factor))
    else:
        shape = target
        shape.left, shape.top, shape.width, shape.height = units.emu_box(box, factor)
    if name:
        shape.name = name  # tests and the golden dump find shapes by these names
    frame = shape.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.margin_left = frame.margin_right = units.emu(INSET, factor)
    frame.margin_top = frame.margin_bottom = units.emu(INSET, factor)
    frame.vertical_anchor = {"top": MSO_ANCHOR.TOP, "middle": MSO_ANCHOR.MIDDLE,
                             "bottom": MSO_ANCHOR.BOTTOM}[anchor]
    write_paragraphs(oxml.text_body(frame), paras, theme, size * factor, theme.fonts[font_role],
                     align, slide.part)
    return shape


_ALIGN = {"left": "l", "center": "ctr", "right": "r"}


def write_paragraphs(body, paras: list[Para], theme: Theme, size: float, family: str,
                     align: str, part) -> None:
    """Replace the paragraphs of a txBody element with `paras` at `size` points (as raw
    DrawingML, see `oxml`)."""
    oxml.set_paragraphs(body, [paragraph_xml(para, theme, size * para.scale, family, align,
                                             part) for para in paras])


def paragraph_xml(para: Para, theme: Theme, size: float, family: str, align: str, part):
    """Return an `a:p` element for `para`, one run per font of the fallback chain."""
    indent = int(Pt(BULLET_EM * size)) if para.bullet else 0
    p = oxml.paragraph_element(_ALIGN[align], indent, theme.line_spacing,
                               para.space_after_em * size,
                               theme.color("accent") if para.bullet else None)
    color = theme.color(para.color) if para.color else None
    link_id = part.relate_to(para.link, RT.HYPERLINK, is_external=True) if para.link else None
    main = fonts.face(family, para.bold)
    for chunk, linked in _link_chunks(para):
        for face, text in fonts.split_runs(chunk, family, para.bold):
            p.append(oxml.run_element(text, run_fonts(face, main, text, family), size,
                                      para.bold, color, link_id if linked else None))
    return p


_KANA = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]")
_HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")
_WIDE = re.compile(r"[\u2e80-\u9fff\ua000-\ua4cf\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")


def run_fonts(face: fonts.Face, main: fonts.Face, text: str, family: str) -> oxml.RunFonts:
    """Return the families a run of `text` (set in `face`) names for each script."""
    if face.is_emoji:
        emoji = fonts.script_font("emoji")
        return oxml.RunFonts(emoji, emoji, emoji, emoji)
    if _WIDE.search(text):  # CJK, also where no bundled face has it (Hangul)
        lang = "ko" if _HANGUL.search(text) else "ja" if _KANA.search(text) else "zh"
        return oxml.RunFonts(family, fonts.script_font(lang), COMPLEX_FONT)
    if face == main or face.family == main.family:
        return oxml.RunFonts(family, family, COMPLEX_FONT)
    if any(unicodedata.bidirectional(char) in ("R", "AL") for char in text):
        return oxml.RunFonts(COMPLEX_FONT, COMPLEX_FONT, COMPLEX_FONT)
    if all(unicodedata.category(char).startswith("S") or char.isspace() for char in text):
        symbol = fonts.script_font("symbol")  # ★, arrows, maths: a font every viewer has
        return oxml.RunFonts(symbol, symbol, symbol, symbol)
    return oxml.RunFonts(family, family, COMPLEX_FONT)  # letters the twin lacks (Greek)


def _link_chunks(para: Para) -> list[tuple[str, bool]]:
    """Return the paragraph's text in (chunk, linked) parts: one linked chunk per word.

    LibreOffice draws a hyperlinked run as one field that it wraps only between
    characters, breaking words mid-way; a field per word (with its trailing space) wraps
    at the spaces like plain text.
    """
    if not para.link:
        return [(para.text, False)]
    words = para.text.split(" ")
    return [(word + (" " if i < len(words) - 1 else ""), True) for i, word in enumerate(words)]
