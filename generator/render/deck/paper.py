"""The paper slide: title, authors, award badge, summary, figure or panel, QR code, link.

The summary body is fitted as one block (what was done, why it matters, key points);
what does not fit at the body floor continues on "(cont.)" slides, which drop the
picture to give the text the full width. The speaker notes hold the whole summary as a
script the presenter can read.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PIL import Image
from pptx.enum.shapes import MSO_SHAPE

from ...core.figures import KeyFigure
from ...core.models import Paper, Summary
from ...text.bylines import short_authors
from ..geometry import Box
from ..qr import qr_png
from .slides import CONT, Deck, body_text, picture, rect, rule, text, title
from .text import INSET, Para, clean, first_page, fit_paras, line_box_h, paginate

NO_SUMMARY = "No summary yet: run `confgen summarize` to draft one."
FIGURE = " (figure)"
PANEL = " (panel)"
QR_SIZE = 70.0
BYLINE_NAMES = 3  # authors named on a paper slide
BADGE_W = 190.0
MIN_TEXT_W = 300.0  # a picture placeholder must leave this much width for the summary
TEXT_SHARE = 0.59  # of the width, for the summary beside a picture
CAPTION_SHARE = 0.38  # of a figure's box, at most, for its caption and credit line
CAPTION_GAP = 6.0
MIN_CAPTION_W = 260.0  # a caption under a narrow figure is at least this wide


@dataclass(frozen=True)
class PaperView:
    """What a paper slide shows: the paper, its summary (if any) and its picture."""

    paper: Paper
    summary: Summary | None
    image: Path | None
    qr: bool = True
    figure: KeyFigure | None = None  # the paper's key figure, when `image` is one
    panel: Path | None = None  # the panel a key figure displaced, for a slide of its own
    figure_slide: bool = False  # also a slide with the figure large, the caption below


def byline(paper: Paper) -> str:
    parts = [short_authors(paper.authors, BYLINE_NAMES), paper.venue, paper.topic]
    return " · ".join(clean(p) for p in parts if p)


def body_paras(summary: Summary | None) -> list[Para]:
    """Return the slide body: what was done, why it matters, key points."""
    if summary is None:
        return [Para(NO_SUMMARY, color="muted")]
    paras = [
        _heading("What they did", "accent"), Para(clean(summary.what_was_done)),
        _heading("Why it matters", "accent_2"), Para(clean(summary.why_it_matters)),
    ]
    if summary.key_points:
        paras.append(_heading("Key points", "accent"))
        paras += [Para(clean(point), bullet=True, space_after_em=0.2)
                  for point in summary.key_points]
    return paras


def _heading(words: str, color: str) -> Para:
    return Para(words.upper(), bold=True, color=color, scale=0.72, space_after_em=0.12,
                keep_with_next=True)


@dataclass(frozen=True)
class PaperBoxes:
    """Where each part of a paper slide goes, derived from the paper frame."""

    title: Box
    badge: Box | None
    authors: Box
    first: Box  # the summary on the first slide (beside the picture, if any)
    rest: Box  # the summary on "(cont.)" slides
    picture: Box | None
    link: Box
    qr: Box | None


def paper_boxes(deck: Deck, view: PaperView) -> PaperBoxes:
    """Lay out a paper slide inside the frame of the 'paper' layout."""
    frame = deck.frame("paper")
    region, heading = frame.body, frame.title
    badge = None
    if view.paper.award:
        badge = Box.at(heading.x + heading.w - BADGE_W, heading.y + 8, BADGE_W, 36)
        heading = Box.at(heading.x, heading.y, heading.w - BADGE_W - 16, heading.h)
    flat = bool(deck.theme.layout.get("title_band")) or deck.templated  # no accent rule
    authors = Box.at(region.x, region.y + (12 if flat and not deck.templated else 0), region.w,
                     line_box_h(deck.theme, "small", 26))
    top = authors.y + authors.h + (6 if flat else 18)
    bottom = region.y + region.h - 36
    right = region.x + region.w
    qr = None
    if view.qr and view.paper.url:
        qr = Box.at(right - QR_SIZE, region.y + region.h - QR_SIZE - 14, QR_SIZE, QR_SIZE)
    link_h = line_box_h(deck.theme, "small", 25)
    link = Box.at(region.x, region.y + region.h - link_h - 1, region.w - QR_SIZE - 100, link_h)
    rest = Box.at(region.x, top, region.w - (QR_SIZE + 24 if qr else 0), bottom - top)
    first, picture = rest, None
    if view.image is not None:
        left = region.w * TEXT_SHARE + 24  # 544 of 880 on a 16:9 slide
        picture = Box.at(region.x + left, top, region.w - left, (qr.y - 20 if qr else bottom) - top)
        if frame.picture is not None and frame.picture.x >= region.x + MIN_TEXT_W:
            picture = frame.picture  # a template's picture placeholder beside the text
        width = (min(region.w * TEXT_SHARE, picture.x - 24 - region.x) if picture.x > region.x
                 else region.w)
        first = Box.at(region.x, top, width, bottom - top)
    return PaperBoxes(heading, badge, authors, first, rest, picture, link, qr)


def paper_slides(deck: Deck, view: PaperView, notes: str) -> list:
    """Add the paper's slide, any "(cont.)" slides, and a figure slide if it needs one.

    The picture sits beside the summary when both fit on one slide; otherwise the
    summary takes the full width and the picture gets a slide of its own after it, as
    in a hand-made trip report.
    """
    boxes = paper_boxes(deck, view)
    paras = body_paras(view.summary)
    beside = boxes.picture is not None and fit_paras(paras, boxes.first, deck.theme,
                                                     "body") is not None
    if beside:
        pages = paginate(paras, boxes.first, deck.theme, "body")
    else:
        pages = paginate(paras, boxes.rest, deck.theme, "body")
    slides = []
    for index, (page, size) in enumerate(pages):
        slide = deck.slide(notes, "paper")
        _header(deck, slide, view, boxes, CONT if index else "")
        body_text(deck, slide, boxes.first if beside else boxes.rest, page, size)
        if beside:
            figure_block(deck, slide, view, boxes.picture)
        _link_footer(deck, slide, view, boxes)
        deck.finish(slide)
        slides.append(slide)
    if boxes.picture is not None and (not beside or view.figure_slide):
        slides.append(_figure_slide(deck, view, boxes, notes))
    if view.panel is not None:
        panel_view = PaperView(view.paper, view.summary, view.panel, view.qr)
        slides.append(_figure_slide(deck, panel_view, boxes, notes, PANEL))
    return slides


def figure_block(deck: Deck, slide, view: PaperView, box: Box) -> None:
    """Add the picture scaled to fit `box`, never distorted; a key figure gets its caption
    and credit line ("Figure 1 of arXiv:2505.06708") under it, as wide as the picture."""
    figure = view.figure
    if figure is None or view.image is None:
        picture(deck, slide, view.image, box, _alt(view))
        return
    with Image.open(view.image) as image:
        width, height = image.size
    column = box
    for _ in range(2):  # measured at the box's width, then again at a narrower picture's
        shown, used = _caption(deck, figure, column, box.h)
        scale = min(box.w / width, (box.h - used - CAPTION_GAP) / height)
        narrower = max(width * scale, MIN_CAPTION_W)
        if narrower >= column.w - 1:
            break
        column = Box.at(box.x + (box.w - narrower) / 2, box.y, narrower, box.h)
    top = box.y + (box.h - height * scale - CAPTION_GAP - used) / 2  # the pair centred
    picture(deck, slide, view.image, Box.at(box.x, top, box.w, height * scale), _alt(view))
    below = Box.at(column.x, top + height * scale + CAPTION_GAP, column.w, used)
    text(slide, below, shown, deck.theme, "small", name="Figure caption")


def _caption(deck: Deck, figure: KeyFigure, column: Box, room: float) -> tuple[list[Para], float]:
    """Return the caption paragraphs that fit under a figure in `column`, and their height;
    a long caption is cut, the credit line always shows."""
    credit = Para(figure.credit, color="muted", space_after_em=0)
    paras = ([Para(clean(figure.caption), space_after_em=0.2)] if figure.caption else []) + \
        [credit]
    limit = Box.at(column.x, column.y, column.w, room * CAPTION_SHARE)
    shown, _ = first_page(paras, limit, deck.theme, "small")
    if credit not in shown:
        shown, _ = first_page([*shown[:1], credit], limit, deck.theme, "small")
    fit = fit_paras(shown, limit, deck.theme, "small")
    return shown, min(limit.h, (fit.height if fit is not None else limit.h) + 2 * INSET)


def _alt(view: PaperView) -> str:
    """Return the alternative text of the paper's figure or panel: title and tl;dr."""
    tldr = clean(view.summary.tldr) if view.summary else ""
    return clean(view.paper.title) + (f": {tldr}" if tldr else "")


def _figure_slide(deck: Deck, view: PaperView, boxes: PaperBoxes, notes: str,
                  suffix: str = FIGURE):
    """Add a slide that shows the paper's figure or panel as large as the frame allows."""
    slide = deck.slide(notes, "paper")
    _header(deck, slide, view, boxes, suffix)
    placeholder = deck.frame("paper").picture  # a template's picture placeholder
    figure_block(deck, slide, view, placeholder or boxes.rest)
    _link_footer(deck, slide, view, boxes)
    deck.finish(slide)
    return slide


def _header(deck: Deck, slide, view: PaperView, boxes: PaperBoxes, suffix: str) -> None:
    paper = view.paper
    if boxes.badge is not None:
        _badge(deck, slide, boxes.badge, clean(paper.award))
    title(deck, slide, boxes.title, clean(paper.title), suffix=suffix, link=paper.url)
    text(slide, boxes.authors, [Para(byline(paper) or " ", color="muted")], deck.theme, "small",
         name="Authors")
    rule(deck, slide, Box.at(boxes.authors.x, boxes.authors.y, 0, 24))


def _badge(deck: Deck, slide, box: Box, award: str) -> None:
    """Add the award pill: a drawn star (a shape, not a glyph some fonts lack) and the
    award's name."""
    theme = deck.theme
    shape = rect(slide, box, theme.color("award"), MSO_SHAPE.ROUNDED_RECTANGLE)
    shape.adjustments[0] = 0.5
    shape.name = "Badge"
    star = box.h * 0.5
    rect(slide, Box.at(box.x + 12, box.y + (box.h - star) / 2, star, star),
         theme.color("on_award"), MSO_SHAPE.STAR_5_POINT).name = "Badge star"
    left = 12 + star + 2
    text(slide, Box.at(box.x + left, box.y, box.w - left - 8, box.h),
         [Para(award, bold=True, color="on_award", space_after_em=0)], theme, "badge",
         align="center", anchor="middle", name="Badge text")


def _link_footer(deck: Deck, slide, view: PaperView, boxes: PaperBoxes) -> None:
    url = view.paper.url
    if not url:
        return
    text(slide, boxes.link, [Para(url, color="link", link=url, space_after_em=0)], deck.theme,
         "small", name="Link")
    if boxes.qr is not None:
        code = deck.image(slide, qr_png(url), boxes.qr, "QR code", f"QR code: {url}")
        code.click_action.hyperlink.address = url
