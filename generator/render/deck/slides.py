"""Slide builders for the trip-report deck: one function per kind of slide.

Each builder draws on a blank slide with its own shapes and fitted text boxes (see
`deck_text`), so the layout is the same in PowerPoint and LibreOffice. Text that cannot
fit at its role's floor continues on a "(cont.)" slide; titles that cannot fit are
shortened at a word boundary and the caller keeps the full title in the notes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from PIL import Image
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.parts.image import Image as PptxImage
from pptx.parts.image import ImagePart

from ...text import textfit
from ..geometry import Box
from ..theme import Theme
from . import oxml, units
from .template import Frame, drop_empty_placeholders, layout_frame, placeholder
from .text import INSET, Para, add_text, cut_to_fit, first_page, fit_paras, line_box_h, paginate

SLIDE_H = units.DESIGN_H  # design units (see `units`); the width follows the slide's shape
MARGIN = 40.0
CONT = " (cont.)"
_NUMBER = re.compile(r"[~≈<>]?\$?\d[\d,.]*(?:\s?(?:%|x|×|k|K|M|B)(?![A-Za-z]))?")


@dataclass
class Deck:
    """The presentation being built, its theme, layouts and what every slide shares."""

    prs: object
    theme: Theme
    footer: str
    layouts: dict[str, object]
    templated: bool = False  # on a user's template: its masters draw background and footer
    images: dict[str, ImagePart] = field(default_factory=dict)

    @property
    def w(self) -> float:
        """Return the slide width in design units (960 for 16:9, 720 for 4:3)."""
        return units.design_size(self.prs)[0]

    def slide(self, notes: str = "", kind: str = "blank", band: bool | None = None,
              fill: str = "background"):
        """Add a slide of `kind` with the background, footer and speaker notes."""
        slide = self.prs.slides.add_slide(self.layouts.get(kind) or self.layouts["blank"])
        if not self.templated:
            background = slide.background.fill
            background.solid()
            background.fore_color.rgb = RGBColor.from_string(self.theme.color(fill))
            if band if band is not None else self.theme.layout.get("title_band", False):
                rect(slide, Box.at(0, 0, self.w, 92), self.theme.color("accent"))
            if fill == "background":
                self._footer(slide)
        if notes:
            slide.notes_slide.notes_text_frame.text = notes
        return slide

    def image(self, slide, source: Path | bytes, box: Box, name: str, alt: str):
        """Add a picture stretched to `box`, described by `alt` for screen readers; each
        distinct image is stored once.

        python-pptx looks for an identical image by walking every part of the package,
        which makes a deck with a QR code per paper quadratic; a cache by SHA-1 does not.
        """
        image = (PptxImage.from_blob(source) if isinstance(source, bytes)
                 else PptxImage.from_file(str(source)))
        part = self.images.get(image.sha1)
        if part is None:
            part = oxml.new_image_part(self.prs, image, len(self.images) + 1)
            self.images[image.sha1] = part
        shape = oxml.add_picture_part(slide, part, units.emu_box(box, units.scale(slide)))
        shape.name = name
        oxml.set_alt_text(shape, alt)
        return shape

    def frame(self, kind: str) -> Frame:
        """Return where slides of `kind` put their title, body and picture."""
        default = frames(self.w)[kind]
        if not self.templated:
            return default
        return layout_frame(self.layouts.get(kind) or self.layouts["blank"], default, kind)

    def finish(self, slide) -> None:
        """Tidy a finished slide: drop the template placeholders it left empty."""
        if self.templated:
            drop_empty_placeholders(slide)

    def _footer(self, slide) -> None:
        number = str(len(self.prs.slides))
        h = line_box_h(self.theme, "caption", 22)
        box = Box.at(MARGIN, SLIDE_H - 8 - h, self.w - 2 * MARGIN - 60, h)
        text(slide, box, [Para(self.footer, color="muted")], self.theme, "caption",
             name="Footer")
        text(slide, Box.at(self.w - MARGIN - 60, box.y, 60, h),
             [Para(number, color="muted")], self.theme, "caption", align="right",
             name="Slide number")


def rect(slide, box: Box, color: str, shape=MSO_SHAPE.RECTANGLE):
    """Add a filled rectangle (or `shape`) at `box` (design units) with no outline."""
    shape_ = slide.shapes.add_shape(shape, *units.emu_box(box, units.scale(slide)))
    shape_.fill.solid()
    shape_.fill.fore_color.rgb = RGBColor.from_string(color)
    shape_.line.fill.background()
    oxml.drop_shape_style(shape_)  # its effect reference draws a shadow in LibreOffice
    return shape_


def text(slide, box: Box, paras: list[Para], theme: Theme, role: str, font_role: str = "body",
         **style):
    """Add `paras` fitted to `box`; drop trailing paragraphs (or cut one) that cannot fit."""
    shown, size = first_page(paras, box, theme, role, font_role)
    return add_text(slide, box, shown, theme, size, font_role, **style)


def title(deck: Deck, slide, box: Box, words: str, role: str = "slide_title",
          color: str | None = None, suffix: str = "", link: str = "", **style):
    """Add a heading fitted to `box`, shortened with '…' at the floor if it must be.

    The heading always goes into the slide's title placeholder (outline view, screen
    readers and accessibility checkers look for it there); on a template it keeps the
    colour its master gives titles.
    """
    theme = deck.theme
    target = placeholder(slide, "title") or oxml.add_title_placeholder(slide)
    if deck.templated:
        color = None
    elif color is None:
        color = "on_accent" if theme.layout.get("title_band") else "text"
    para = Para(words + suffix, bold=True, color=color, space_after_em=0)
    result = fit_paras([para], box, theme, role, "heading")
    if result is None:
        para = replace(para, text=shorten(words, suffix, box, theme, role))
        result = fit_paras([para], box, theme, role, "heading")
    size = result.size if result else theme.sizes[role][0]
    style.setdefault("name", "Title")
    shape = add_text(slide, box, [para], theme, size, "heading", target=target, **style)
    oxml.bring_to_front(shape)  # above a title band drawn after the slide was added
    if link:  # on the shape, not the runs: a linked run would take LibreOffice's link style
        shape.click_action.hyperlink.address = link
    return shape


def body_text(deck: Deck, slide, box: Box, paras: list[Para], size: float, **style):
    """Add body text at `box`: in the template's body placeholder when there is one."""
    target = placeholder(slide, "body") if deck.templated else None
    style.setdefault("name", "Body")
    return add_text(slide, box, paras, deck.theme, size, target=target, **style)


def shorten(words: str, suffix: str, box: Box, theme: Theme, role: str) -> str:
    """Cut `words` at a word boundary (or between characters of one long token) so that
    it, '…' and `suffix` fit `box` at the role's floor."""
    floor = theme.sizes[role][0]
    room = textfit.text_width(suffix, floor, theme.fonts["heading"], True) * textfit.SAFETY_WIDTH
    narrower = Box.at(box.x, box.y, max(box.w - room, 2 * INSET + 1), box.h)
    head, _ = cut_to_fit([], Para(words, bold=True), narrower, theme, floor, "heading")
    return (head.text if head else "…") + suffix


def rule(deck: Deck, slide, title_box: Box, color: str = "accent") -> None:
    """Add the short accent bar under a slide title (not on bands or templates)."""
    if not (deck.theme.layout.get("title_band") or deck.templated):
        rect(slide, Box.at(MARGIN, title_box.y + title_box.h + 8, 72, 4), deck.theme.color(color))


# --- generic content -------------------------------------------------------------------

def frames(w: float) -> dict[str, Frame]:
    """Return where each kind of slide puts its title and body on a slide `w` units wide."""
    title_box = Box.at(MARGIN, 18, w - 2 * MARGIN, 62)
    body_box = Box.at(MARGIN, 112, w - 2 * MARGIN, 380)
    return {
        "content": Frame(title_box, body_box),
        "blank": Frame(title_box, body_box),
        "paper": Frame(Box.at(MARGIN, 16, w - 2 * MARGIN, 70),
                       Box.at(MARGIN, 86, w - 2 * MARGIN, 426)),
        "title": Frame(Box.at(72, 120, w - 144, 170), Box.at(72, 326, w - 144, 110)),
        "section": Frame(Box.at(72, 110, w - 144, 140), Box.at(72, 280, w - 144, 220)),
    }
SUBTITLE_H = 28.0


def content_slides(deck: Deck, heading: str, paras: list[Para], notes: str = "",
                   subtitle: str = "", role: str = "bullets") -> list:
    """Add one slide of `paras` under `heading`, and "(cont.)" slides for what overflows."""
    frame = deck.frame("content")
    body = frame.body
    if subtitle:
        body = Box.at(body.x, body.y + SUBTITLE_H + 4, body.w, body.h - SUBTITLE_H - 4)
    slides = []
    for index, (page, size) in enumerate(paginate(paras, body, deck.theme, role)):
        slide = deck.slide(notes, "content")
        title(deck, slide, frame.title, heading, suffix=CONT if index else "")
        rule(deck, slide, frame.title)
        if subtitle:
            text(slide, Box.at(body.x, frame.body.y, body.w, SUBTITLE_H),
                 [Para(subtitle, color="muted")], deck.theme, "small", name="Subtitle")
        body_text(deck, slide, body, page, size)
        deck.finish(slide)
        slides.append(slide)
    return slides


def bullets(items: list[str], links: list[str] | None = None) -> list[Para]:
    links = links or [""] * len(items)
    return [Para(item, bullet=True, link=link, color="link" if link else "text")
            for item, link in zip(items, links, strict=True)]


# --- special slides --------------------------------------------------------------------

def title_slide(deck: Deck, heading: str, subtitle: str, presenter: str, notes: str):
    """Add the opening slide: the event name large, then dates, place and presenter."""
    theme, frame = deck.theme, deck.frame("title")
    filled = bool(theme.layout.get("title_fill")) and not deck.templated
    ink, soft = ("on_accent", "on_accent") if filled else ("text", "muted")
    slide = deck.slide(notes, "title", band=False, fill="accent" if filled else "background")
    if not (filled or deck.templated):
        rect(slide, Box.at(0, 0, 18, SLIDE_H), theme.color("accent"))
    title(deck, slide, frame.title, heading, role="title", color=ink, anchor="bottom")
    if not deck.templated:
        rect(slide, Box.at(76, 304, 120, 6), theme.color("on_accent" if filled else "accent"))
    lines = [Para(subtitle, color=ink, space_after_em=0.4)] if subtitle else []
    if presenter:
        lines.append(Para(presenter, color=soft))
    if lines:
        target = placeholder(slide, "subtitle") if deck.templated else None
        box = frame.subtitle or frame.body
        shown, size = first_page(lines, box, theme, "subtitle")
        add_text(slide, box, shown, theme, size, name="Subtitle", target=target)
    deck.finish(slide)
    return slide


def divider_slide(deck: Deck, heading: str, caption: str, items: list[str], notes: str):
    """Add a full-bleed accent slide that opens a section, listing what comes in it."""
    theme, frame = deck.theme, deck.frame("section")
    ink = "text" if deck.templated else "on_accent"
    slide = deck.slide(notes, "section", band=False, fill="accent")
    title(deck, slide, frame.title, heading, role="title", color=ink, anchor="bottom")
    paras = [Para(caption, bold=True, color=ink, scale=1.5, space_after_em=0.5)]
    paras += [Para(item, color=ink, space_after_em=0.2) for item in items]
    if not deck.templated:
        rect(slide, Box.at(76, frame.body.y - 18, 96, 5), theme.color("on_accent"))
    shown, size = first_page(paras, frame.body, theme, "small")
    body_text(deck, slide, frame.body, shown, size, name="Contents")
    deck.finish(slide)
    return slide


def stats_slide(deck: Deck, heading: str, stats: list[str], notes: str) -> list:
    """Add the stats as cards with the leading number large; many stats become bullets."""
    if not 1 <= len(stats) <= 6:
        return content_slides(deck, heading, bullets(stats), notes)
    frame = deck.frame("content")
    slide = deck.slide(notes, "content")
    title(deck, slide, frame.title, heading)
    rule(deck, slide, frame.title)
    for stat, box in zip(stats, _grid(len(stats), frame.body), strict=True):
        _stat_card(deck, slide, box, stat)
    deck.finish(slide)
    return [slide]


def _grid(count: int, area: Box, gap: float = 20.0) -> list[Box]:
    columns = {1: 1, 2: 2, 3: 3, 4: 2}.get(count, 3)
    rows = -(-count // columns)
    w = (area.w - gap * (columns - 1)) / columns
    h = min(190.0, (area.h - gap * (rows - 1)) / rows)
    return [Box.at(area.x + (i % columns) * (w + gap), area.y + (i // columns) * (h + gap), w, h)
            for i in range(count)]


def _stat_card(deck: Deck, slide, box: Box, stat: str) -> None:
    theme = deck.theme
    rect(slide, box, theme.color("surface"), MSO_SHAPE.ROUNDED_RECTANGLE).adjustments[0] = 0.06
    rect(slide, Box.at(box.x, box.y, 6, box.h), theme.color("accent"))
    inner = Box.at(box.x + 18, box.y + 12, box.w - 30, box.h - 24)
    match = _NUMBER.search(stat)
    if match is None:
        text(slide, inner, [Para(stat)], theme, "body", anchor="middle", name="Stat")
        return
    number = match.group(0).strip()
    label = stat[match.end():].strip(" ,:;–—-") if match.start() == 0 else stat
    number_box = Box.at(inner.x, inner.y, inner.w, inner.h * 0.5)
    text(slide, number_box, [Para(number, bold=True, color="accent", space_after_em=0)], theme,
         "number", "heading", anchor="bottom", name="Stat number")
    text(slide, number_box.below(inner.h * 0.5), [Para(label or stat, color="text")], theme,
         "body", name="Stat")


def picture(deck: Deck, slide, path: Path, box: Box, alt: str):
    """Add the image at `path` scaled to fit `box`, centred; return the shape."""
    with Image.open(path) as image:
        width, height = image.size
    scale = min(box.w / width, box.h / height)
    w, h = width * scale, height * scale
    return deck.image(slide, path, Box.at(box.x + (box.w - w) / 2, box.y + (box.h - h) / 2, w, h),
                      "Picture", alt)
