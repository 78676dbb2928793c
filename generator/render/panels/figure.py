"""The paper's key figure on a panel: the image scaled to fit (never distorted, never
cropped) on a card, its caption and credit line ("Figure 1 of arXiv:2505.06708") below.

A layout asks for it with `figure: true` on its `host` slot (explainer.yaml does): the
figure takes the host's place when the paper has one, and the host speaks otherwise.
"""

from __future__ import annotations

from PIL import Image

from ...core.figures import KeyFigure
from ...text.textfit import Paragraph
from .canvas import Box, Canvas, Pen

CAPTION_SHARE = 0.3  # of the card's height, at most, for the caption and credit line


def draw_figure(canvas: Canvas, box: Box, figure: KeyFigure, where: str) -> None:
    """Queue the figure card inside `box`."""
    pad = canvas.px(canvas.style["shapes"]["padding"])
    radius = canvas.px(canvas.style["shapes"]["radius"])
    inner = Box(*box).inset(pad)
    paragraphs = ([Paragraph(figure.caption, space_after_em=0.2)] if figure.caption else []) + \
        [Paragraph(figure.credit)]
    room = (inner[0], inner[1], inner[2], inner[1] + (inner[3] - inner[1]) * CAPTION_SHARE)
    fit, kept, style = canvas.fit_text(paragraphs, room, "caption", f"{where} figure caption")
    caption_h = fit.height
    with Image.open(figure.path) as source:
        image = source.convert("RGB")
    area_w, area_h = inner[2] - inner[0], inner[3] - inner[1] - caption_h - pad / 2
    scale = min(area_w / image.width, area_h / image.height)
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    picture = image.resize(size, Image.Resampling.LANCZOS)
    left = round(inner[0] + (area_w - size[0]) / 2)
    top = round(inner[1] + (area_h - size[1]) / 2)

    def card(pen: Pen) -> None:
        pen.rect(box, radius, fill=canvas.color("box"))

    canvas.ground.append(card)
    canvas.text.append(lambda image, _draw: image.paste(picture, (left, top)))
    below = (inner[0], inner[3] - caption_h, inner[2], inner[3])
    colors = [canvas.color("ink"), canvas.color("muted")][-len(kept):]
    canvas.queue_text(fit, kept, below, style, colors=colors, container=box)
