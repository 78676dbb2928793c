"""The paper slide: title, authors, award badge, summary, figure or panel, QR code, link.

The summary body is fitted as one block (what was done, why it matters, key points);
what does not fit at the body floor continues on "(cont.)" slides, which drop the
picture to give the text the full width. The speaker notes hold the whole summary as a
script the presenter can read.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pptx.enum.shapes import MSO_SHAPE

from ..models import Paper, Summary
from .deck_slides import CONT, MARGIN, SLIDE_H, SLIDE_W, Deck, picture, rect, rule, text, title
from .deck_text import Box, Para, add_text, clean, paginate

NO_SUMMARY = "No summary yet: run `confgen summarize` to draft one."
TITLE_BOX = Box(MARGIN, 16, SLIDE_W - 2 * MARGIN, 70)
AUTHORS_BOX = Box(MARGIN, 86, SLIDE_W - 2 * MARGIN, 26)
BODY_TOP, BODY_BOTTOM = 130.0, SLIDE_H - 52
QR_SIZE = 70.0
BADGE_W = 190.0


@dataclass(frozen=True)
class PaperView:
    """What a paper slide shows: the paper, its summary (if any) and its picture."""

    paper: Paper
    summary: Summary | None
    image: Path | None
    qr: bool = True


def short_authors(authors: list[str]) -> str:
    """Return "Qiu, Wang, … Lin (13 authors)" for long lists, full names for short ones."""
    names = [clean(a) for a in authors if clean(a)]
    if len(names) <= 2:
        return " and ".join(names)
    surnames = [name.split()[-1] for name in names]
    if len(names) == 3:
        return ", ".join(surnames)
    return f"{surnames[0]}, {surnames[1]}, … {surnames[-1]} ({len(names)} authors)"


def byline(paper: Paper) -> str:
    parts = [short_authors(paper.authors), paper.venue, paper.topic]
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


def paper_slides(deck: Deck, view: PaperView, notes: str) -> list:
    """Add the paper's slide and any "(cont.)" slides its summary needs."""
    boxes = [_body_box(view.image is not None), _body_box(False)]
    pages = paginate(body_paras(view.summary), boxes, deck.theme, "body")
    slides = []
    for index, (paras, size) in enumerate(pages):
        slide = deck.slide(notes)
        _header(deck, slide, view, CONT if index else "")
        add_text(slide, boxes[min(index, 1)], paras, deck.theme, size, name="Body")
        if index == 0 and view.image is not None:
            picture(slide, view.image, _image_box(view.qr))
        _link_footer(deck, slide, view)
        slides.append(slide)
    return slides


def _body_box(with_image: bool) -> Box:
    """Return the summary's box: beside the picture, or wide but clear of the QR code."""
    width = 520.0 if with_image else SLIDE_W - 2 * MARGIN - QR_SIZE - 24
    return Box(MARGIN, BODY_TOP, width, BODY_BOTTOM - BODY_TOP - 6)


def _image_box(qr: bool) -> Box:
    x = MARGIN + 520 + 24
    bottom = SLIDE_H - 52 - (QR_SIZE + 10 if qr else 0)
    return Box(x, BODY_TOP, SLIDE_W - MARGIN - x, bottom - BODY_TOP)


def _header(deck: Deck, slide, view: PaperView, suffix: str) -> None:
    theme, paper = deck.theme, view.paper
    title_box = TITLE_BOX
    if paper.award:
        title_box = Box(TITLE_BOX.x, TITLE_BOX.y, TITLE_BOX.w - BADGE_W - 16, TITLE_BOX.h)
        _badge(deck, slide, clean(paper.award))
    title(deck, slide, title_box, clean(paper.title), suffix=suffix, link=paper.url)
    band = theme.layout.get("title_band", False)
    text(slide, AUTHORS_BOX if not band else Box(MARGIN, 98, AUTHORS_BOX.w, 26),
         [Para(byline(paper) or " ", color="muted")], theme, "small", name="Authors")
    rule(deck, slide, 118)


def _badge(deck: Deck, slide, award: str) -> None:
    theme = deck.theme
    box = Box(SLIDE_W - MARGIN - BADGE_W, 24, BADGE_W, 36)
    shape = rect(slide, box, theme.color("award"), MSO_SHAPE.ROUNDED_RECTANGLE)
    shape.adjustments[0] = 0.5
    shape.name = "Badge"
    text(slide, Box(box.x + 8, box.y, box.w - 16, box.h),
         [Para(f"★ {award}", bold=True, color="on_award", space_after_em=0)], theme, "badge",
         align="center", anchor="middle", name="Badge text")


def _link_footer(deck: Deck, slide, view: PaperView) -> None:
    url = view.paper.url
    if not url:
        return
    box = Box(MARGIN, SLIDE_H - 54, SLIDE_W - 2 * MARGIN - QR_SIZE - 100, 25)
    text(slide, box, [Para(url, color="link", link=url, space_after_em=0)], deck.theme, "small",
         name="Link")
    if view.qr:
        x, y = SLIDE_W - MARGIN - QR_SIZE, SLIDE_H - 52 - QR_SIZE + 10
        code = slide.shapes.add_picture(qr_png(url), _pt(x), _pt(y), _pt(QR_SIZE), _pt(QR_SIZE))
        code.name = "QR code"
        code.click_action.hyperlink.address = url


def _pt(value: float) -> int:
    return int(value * 12700)


def qr_png(url: str) -> io.BytesIO:
    """Return a crisp QR code for `url` as PNG bytes (one pixel per module, scaled up)."""
    return io.BytesIO(_qr_bytes(url))


@lru_cache(maxsize=4096)
def _qr_bytes(url: str) -> bytes:
    import qrcode
    from PIL import Image

    code = qrcode.QRCode(border=2, error_correction=qrcode.constants.ERROR_CORRECT_L)
    code.add_data(url)
    code.make(fit=True)
    matrix = code.get_matrix()
    size = len(matrix)
    image = Image.new("1", (size, size), 1)
    image.putdata([0 if cell else 1 for row in matrix for cell in row])
    image = image.resize((size * 8, size * 8), Image.Resampling.NEAREST)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=False)
    return buffer.getvalue()
