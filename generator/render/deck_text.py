"""Fitted, native text boxes for the deck: measure with textfit, then write the XML.

Every box is written with word wrap on, autofit off and explicit insets, and its size
comes from `textfit.fit` over the box minus those insets. Each run names the font that
measured it (the bundled fallback chain: Inter, then DejaVu Sans for symbols, Droid Sans
Fallback for CJK, Noto Color Emoji) in `a:latin`, and Droid Sans Fallback in `a:ea`, so
LibreOffice and PowerPoint set the text with the same faces that were measured.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from lxml import etree
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Pt

from . import fonts, textfit
from .theme import Theme

EA_FONT = "Droid Sans Fallback"
INSET = 4.0  # points on every side of every text box
BULLET_EM = 1.1  # hanging indent of a bullet, in ems of its paragraph
SIZE_STEP = 0.5  # points between the sizes tried
MIN_CUT_WORDS = 8  # a paragraph is cut across pages only if this much of it stays


@dataclass(frozen=True)
class Box:
    """A rectangle on the slide, in points from the top-left corner."""

    x: float
    y: float
    w: float
    h: float

    def inner(self) -> tuple[float, float]:
        """Return the width and height left for text once the insets are taken off."""
        return self.w - 2 * INSET, self.h - 2 * INSET

    def below(self, h: float, gap: float = 0.0) -> Box:
        return Box(self.x, self.y + self.h + gap, self.w, h)


@dataclass(frozen=True)
class Para:
    """One paragraph of a text box, with how it looks and where it links."""

    text: str
    bold: bool = False
    color: str = "text"  # a theme colour role
    bullet: bool = False
    scale: float = 1.0
    space_after_em: float = 0.35
    link: str = ""
    keep_with_next: bool = False  # a heading: never the last paragraph of a slide

    def for_fit(self) -> textfit.Paragraph:
        return textfit.Paragraph(self.text, self.bold, BULLET_EM if self.bullet else 0.0,
                                 self.space_after_em, self.scale)


def clean(text: str) -> str:
    """Collapse whitespace and newlines: the deck sets each field as one paragraph."""
    return " ".join(str(text).split())


def font_for(theme: Theme, font_role: str) -> textfit.Font:
    return textfit.Font(theme.fonts[font_role], theme.line_spacing)


def fit_paras(paras: list[Para], box: Box, theme: Theme, role: str,
              font_role: str = "body") -> textfit.Fit | None:
    """Return the largest fit of `paras` in `box` within the role's sizes, or None."""
    floor, ceiling = theme.sizes[role]
    width, height = box.inner()
    return textfit.fit([p.for_fit() for p in paras], width, height,
                       font_for(theme, font_role), floor, ceiling)


def fits_at(paras: list[Para], box: Box, theme: Theme, size: float,
            font_role: str = "body") -> bool:
    width, height = box.inner()
    result = textfit.layout([p.for_fit() for p in paras], width, size, font_for(theme, font_role))
    return result.height <= height


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
    kept = count
    while kept > 0 and paras[kept - 1].keep_with_next:  # no heading at a page's foot
        kept -= 1
    if kept > 0:
        following = paras[kept]
        if kept == count and not (following.bullet or following.keep_with_next):
            head, tail = _cut(paras[:kept], following, box, theme, size, font_role)
            if head is not None and len(head.text.split()) >= MIN_CUT_WORDS:
                return paras[:kept] + [head], [tail] + paras[kept + 1:]
        return paras[:kept], paras[kept:]
    head, tail = _cut(paras[:count], paras[count], box, theme, size, font_role)
    if head is None:
        if count == 0:
            raise ValueError(f"box {box} cannot hold one line at {size} pt")
        return paras[:count], paras[count:]
    return paras[:count] + [head], [tail] + paras[count + 1:]


def _cut(before: list[Para], para: Para, box: Box, theme: Theme, size: float,
         font_role: str) -> tuple[Para | None, Para]:
    """Cut `para` after the most words that fit below `before`; (None, para) if none do."""
    words = para.text.split()
    if len(words) < 2:  # one enormous token (a URL, a formula): cut it by characters
        words = list(para.text)
        joiner = ""
    else:
        joiner = " "

    def head_of(n: int) -> Para:
        return replace(para, text=joiner.join(words[:n]) + " …", keep_with_next=False)

    low, high = 0, len(words) - 1
    while low < high:
        mid = (low + high + 1) // 2
        if fits_at(before + [head_of(mid)], box, theme, size, font_role):
            low = mid
        else:
            high = mid - 1
    if low == 0:
        return None, para
    return head_of(low), replace(para, text="… " + joiner.join(words[low:]), bullet=False)


def add_text(slide, box: Box, paras: list[Para], theme: Theme, size: float,
             font_role: str = "body", align: str = "left", anchor: str = "top", name: str = ""):
    """Add a native text box holding `paras` at `size` points and return the shape."""
    shape = slide.shapes.add_textbox(Pt(box.x), Pt(box.y), Pt(box.w), Pt(box.h))
    if name:
        shape.name = name  # tests and the golden dump find shapes by these names
    frame = shape.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.margin_left = frame.margin_right = Pt(INSET)
    frame.margin_top = frame.margin_bottom = Pt(INSET)
    frame.vertical_anchor = {"top": MSO_ANCHOR.TOP, "middle": MSO_ANCHOR.MIDDLE,
                             "bottom": MSO_ANCHOR.BOTTOM}[anchor]
    family = theme.fonts[font_role]
    for index, para in enumerate(paras):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        write_paragraph(paragraph, para, theme, size * para.scale, family, align)
    return shape


def fitted_text(slide, box: Box, paras: list[Para], theme: Theme, role: str,
                font_role: str = "body", **style):
    """Add `paras` at the largest size that fits; return None if they cannot fit at the floor."""
    result = fit_paras(paras, box, theme, role, font_role)
    if result is None:
        return None
    return add_text(slide, box, paras, theme, result.size, font_role, **style)


def write_paragraph(paragraph, para: Para, theme: Theme, size: float, family: str,
                    align: str = "left") -> None:
    """Fill a python-pptx paragraph with `para`, one run per font of the fallback chain."""
    paragraph.alignment = {"left": PP_ALIGN.LEFT, "center": PP_ALIGN.CENTER,
                           "right": PP_ALIGN.RIGHT}[align]
    paragraph.line_spacing = theme.line_spacing
    paragraph.space_after = Pt(round(para.space_after_em * size, 1))
    if para.bullet:
        _bullet(paragraph, size, theme.color("accent"))
    color = theme.color(para.color)
    for chunk, linked in _link_chunks(para):
        for face, text in fonts.split_runs(chunk, family, para.bold):
            run = paragraph.add_run()
            run.text = text
            _style_run(run, face.family, size, para.bold, color)
            if linked:
                run.hyperlink.address = para.link


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


def _style_run(run, family: str, size: float, bold: bool, color: str) -> None:
    font = run.font
    font.size = Pt(round(size, 2))
    font.bold = bold
    font.color.rgb = RGBColor.from_string(color)
    rpr = run._r.get_or_add_rPr()
    for tag, face in (("a:latin", family), ("a:ea", EA_FONT), ("a:cs", family)):
        element = etree.SubElement(rpr, qn(tag))
        element.set("typeface", face)


def _bullet(paragraph, size: float, color: str) -> None:
    """Give `paragraph` a round bullet with a hanging indent of BULLET_EM ems."""
    ppr = paragraph._p.get_or_add_pPr()
    indent = int(Pt(BULLET_EM * size))
    ppr.set("marL", str(indent))
    ppr.set("indent", str(-indent))
    # pPr children follow the schema order (lnSpc, spcBef, spcAft, buClr, buChar), so this
    # runs after line and paragraph spacing are set; the bullet uses the text's own font.
    clr = etree.SubElement(ppr, qn("a:buClr"))
    etree.SubElement(clr, qn("a:srgbClr")).set("val", color)
    etree.SubElement(ppr, qn("a:buChar")).set("char", "•")


def line_fits(text: str, width: float, size: float, theme: Theme, font_role: str = "body",
              bold: bool = False) -> bool:
    """Say whether `text` sets on one line of `width` (box inner width) at `size`."""
    font = font_for(theme, font_role)
    return len(textfit.wrap(text, width, size, font, bold)) <= 1
