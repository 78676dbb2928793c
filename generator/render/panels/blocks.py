"""The non-comic parts of a panel: header and badge, text blocks, callouts, QR, footer.

Each `draw_<slot>` queues shapes and text for one layout slot inside its box. Text goes
through `Canvas.fit_text`, so it is set at the largest size that fits, and is cut (and
reported) only below the floor.
"""

from __future__ import annotations

from dataclasses import replace

from ...core.models import Event, Paper, Summary
from ...text.bylines import short_authors
from ...text.textfit import Font, Paragraph, fit
from ..qr import qr_image, qr_modules
from .canvas import Box, Canvas, Pen, blend
from .characters import Pose, draw_character, look
from .draw_text import estimate_width
from .icons import draw_icon

BYLINE_NAMES = 4  # authors named in a panel's footer


def display_link(url: str) -> str:
    """Return the link without its scheme, for printing."""
    for prefix in ("https://", "http://"):
        if url.startswith(prefix):
            return url[len(prefix):].rstrip("/")
    return url


def badge_text(event: Event, paper: Paper) -> str:
    """Return the badge line: the award and the venue, or the event's name."""
    venue = paper.venue or event.name
    return " · ".join(part for part in (paper.award, venue) if part)


def draw_header(canvas: Canvas, box: Box, event: Event, paper: Paper, summary: Summary | None,
                where: str, tldr: bool = True) -> None:
    """Queue the badge, the title and (optionally) the tl;dr, stacked in `box`."""
    x0, y0, x1, y1 = box
    badge_bottom = _badge(canvas, (x0, y0, x1, y1), badge_text(event, paper), bool(paper.award),
                          f"{where} badge")
    top = badge_bottom + canvas.px(12)
    tl_text = summary.tldr if tldr and summary is not None else None
    room = _title_room(canvas, (x0, top, x1, y1), paper.title, tl_text)
    fit, kept, style = canvas.fit_text([Paragraph(paper.title, bold=True)],
                                       (x0, top, x1, top + room), "title",
                                       f"{where} title", heading=True)
    canvas.queue_text(fit, kept, (x0, top, x1, top + fit.height), style, container=box)
    if tl_text is not None:
        tl_box = (x0, top + fit.height + canvas.px(10), x1, y1)
        tfit, tkept, tstyle = canvas.fit_text([Paragraph(tl_text)], tl_box, "tldr",
                                              f"{where} tldr")
        canvas.queue_text(tfit, tkept, tl_box, replace(tstyle, color=canvas.color("muted")),
                          container=box)


def _title_room(canvas: Canvas, box: Box, title: str, tl_text: str | None) -> float:
    """Return the height the title may take: most of the box, less if the tl;dr needs it."""
    x0, y0, x1, y1 = box
    if tl_text is None:
        return y1 - y0
    font = Font(canvas.family(heading=True), canvas.theme.line_spacing)
    body = Font(canvas.family(), canvas.theme.line_spacing)
    for share in (0.64, 0.56, 0.48, 0.4):
        title_fit = fit([Paragraph(title, bold=True)], x1 - x0, (y1 - y0) * share, font,
                        *canvas.sizes("title"))
        if title_fit is None:
            break
        rest = (y1 - y0) - title_fit.height - canvas.px(10)
        if fit([Paragraph(tl_text)], x1 - x0, rest, body, *canvas.sizes("tldr")) is not None:
            return (y1 - y0) * share
    return (y1 - y0) * 0.64


def _badge(canvas: Canvas, box: Box, text: str, award: bool, where: str) -> float:
    """Queue a pill with a star (award) or a book (venue); return its bottom edge."""
    x0, y0, x1, _ = box
    floor, ceiling = canvas.sizes("badge")
    pad = ceiling * 0.7
    icon = ceiling * 1.25
    max_w = (x1 - x0) - 3 * pad - icon
    fit, kept, style = canvas.fit_text([Paragraph(text, bold=True)],
                                       (0, 0, max_w, ceiling * 3), "badge", where, heading=True)
    width = estimate_width(fit.lines[0], fit.size, style.family, True)
    height = max(fit.height, icon) + pad
    pill = (x0, y0, x0 + width + icon + 3 * pad, y0 + height)
    text_box = (x0 + icon + 2 * pad, y0, pill[2] - pad, pill[3])
    fill = canvas.color("award" if award else "accent")
    ink = canvas.color("on_award")
    icon_box = (x0 + pad, y0 + (height - icon) / 2, x0 + pad + icon, y0 + (height + icon) / 2)

    def art(pen: Pen) -> None:
        pen.rect(pill, height / 2, fill=fill)
        draw_icon(pen, "trophy" if award else "book", icon_box, canvas.icon_color)

    canvas.art.append(art)
    color = ink if award else canvas.color("on_accent")
    canvas.queue_text(fit, kept, text_box, replace(style, color=color, valign="middle"),
                      container=pill)
    return pill[3]


def _block_parts(canvas: Canvas, box: Box, heading: str, where: str, report: bool = True):
    """Return the heading's fit and the pill and body boxes of a text block."""
    x0, y0, x1, y1 = box
    pad = canvas.px(canvas.style["shapes"]["padding"])
    floor, ceiling = canvas.sizes("block_heading")
    hfit, hkept, hstyle = canvas.fit_text([Paragraph(heading, bold=True)],
                                          (0, 0, x1 - x0 - 4 * pad, ceiling * 2.6),
                                          "block_heading", f"{where} heading", heading=True,
                                          report=report)
    head_w = estimate_width(hfit.lines[0], hfit.size, hstyle.family, True)
    pill = (x0 + pad, y0 + pad, x0 + pad + head_w + pad * 1.4, y0 + pad + hfit.height + pad * 0.7)
    body = (x0 + pad, pill[3] + pad * 0.7, x1 - pad, y1 - pad)
    return hfit, hkept, hstyle, pill, body


def block_text_size(canvas: Canvas, box: Box, heading: str, text: str) -> float:
    """Return the size a block's body text would get, so sibling blocks can share it."""
    *_, body = _block_parts(canvas, box, heading, "", report=False)
    fit, _, _ = canvas.fit_text([Paragraph(text)], body, "block", "", report=False)
    return fit.size


def draw_headed_box(canvas: Canvas, box: Box, heading: str, text: str, color_role: str,
               where: str, size_cap: float | None = None) -> None:
    """Queue a rounded box with a coloured heading pill and fitted body text."""
    x0, y0, x1, y1 = box
    pad = canvas.px(canvas.style["shapes"]["padding"])
    hfit, hkept, hstyle, pill, body = _block_parts(canvas, box, heading, where)
    fit, kept, style = canvas.fit_text([Paragraph(text)], body, "block", where,
                                       size_cap=size_cap)
    accent = canvas.color(color_role)
    radius = canvas.px(canvas.style["shapes"]["radius"])

    def art(pen: Pen) -> None:
        pen.rect(box, radius, fill=canvas.color("box"))
        pen.rect((x0, y0 + radius, x0 + canvas.px(6), y1 - radius), canvas.px(3), fill=accent)
        pen.rect(pill, (pill[3] - pill[1]) / 2, fill=accent)

    canvas.ground.append(art)
    canvas.queue_text(hfit, hkept, (pill[0] + pad * 0.7, pill[1], pill[2] - pad * 0.7, pill[3]),
                      replace(hstyle, color=canvas.color("on_accent"), valign="middle"),
                      container=pill)
    canvas.queue_text(fit, kept, body, style, container=box)


def draw_key_numbers(canvas: Canvas, box: Box, summary: Summary, where: str) -> None:
    """Queue 1–3 key-number callouts side by side (key points when there are none)."""
    numbers = summary.key_numbers[:3]
    if not numbers:
        points = "\n".join(f"• {p}" for p in summary.key_points[:3])
        draw_headed_box(canvas, box, "Key points", points, "accent", f"{where} key points")
        return
    x0, y0, x1, y1 = box
    gap = canvas.px(16)
    width = (x1 - x0 - gap * (len(numbers) - 1)) / len(numbers)
    for index, number in enumerate(numbers):
        left = x0 + index * (width + gap)
        _callout(canvas, (left, y0, left + width, y1), number.value, number.label,
                 f"{where} key_numbers[{index}]")


def _callout(canvas: Canvas, box: Box, value: str, label: str, where: str) -> None:
    x0, y0, x1, y1 = box
    pad = canvas.px(canvas.style["shapes"]["padding"])
    inner = (x0 + pad, y0 + pad, x1 - pad, y1 - pad)
    split = inner[1] + (inner[3] - inner[1]) * 0.55
    vfit, vkept, vstyle = canvas.fit_text([Paragraph(value, bold=True)],
                                          (inner[0], inner[1], inner[2], split), "number_value",
                                          f"{where} value", heading=True)
    lfit, lkept, lstyle = canvas.fit_text([Paragraph(label or " ")],
                                          (inner[0], split, inner[2], inner[3]), "number_label",
                                          f"{where} label")
    radius = canvas.px(canvas.style["shapes"]["radius"])
    canvas.ground.append(lambda pen: pen.rect(box, radius, fill=canvas.color("box"),
                                              outline=canvas.color("accent"),
                                              width=canvas.px(2.5)))
    canvas.queue_text(vfit, vkept, (inner[0], inner[1], inner[2], split),
                      replace(vstyle, color=canvas.color("accent"), align="center",
                              valign="bottom"), container=box)
    canvas.queue_text(lfit, lkept, (inner[0], split + canvas.px(4), inner[2], inner[3]),
                      replace(lstyle, color=canvas.color("muted"), align="center"),
                      container=box)


def draw_footer(canvas: Canvas, box: Box, paper: Paper, where: str, qr: bool = False) -> None:
    """Queue the footer: a rule, the shortened authors and the link (and a QR code)."""
    x0, y0, x1, y1 = box
    gap = canvas.px(10)
    right = x1
    if qr and paper.url:
        side = y1 - y0 - gap
        right = x1 - side - gap
        _queue_qr(canvas, paper.url, (x1 - side, y0 + gap, x1, y1))
    parts = [(Paragraph(short_authors(paper.authors, BYLINE_NAMES), space_after_em=0.15), "muted"),
             (Paragraph(display_link(paper.url), bold=True), "link")]
    parts = [(para, role) for para, role in parts if para.text] or [(Paragraph(" "), "muted")]
    text_box = (x0, y0 + gap, right, y1)
    fit, kept, style = canvas.fit_text([p for p, _ in parts], text_box, "footer",
                                       f"{where} footer")
    canvas.ground.append(lambda pen: pen.rect((x0, y0, x1, y0 + canvas.px(2)),
                                              fill=canvas.color("box")))
    canvas.queue_text(fit, kept, text_box, replace(style, valign="middle"),
                      colors=[canvas.color(role) for _, role in parts][:len(kept)],
                      container=box)


def draw_qr(canvas: Canvas, box: Box, paper: Paper, where: str) -> None:
    """Queue a large QR code to the paper with a 'Read the paper' label under it."""
    x0, y0, x1, y1 = box
    floor, ceiling = canvas.sizes("qr_label")
    label_h = ceiling * 2.6
    side = min(x1 - x0, y1 - y0 - label_h)
    left = x0 + (x1 - x0 - side) / 2
    if paper.url and side > 0:
        _queue_qr(canvas, paper.url, (left, y0, left + side, y0 + side))
    label_box = (x0, y0 + side + canvas.px(6), x1, y1)
    fit, kept, style = canvas.fit_text([Paragraph("Scan to read the paper", bold=True)],
                                       label_box, "qr_label", f"{where} qr label")
    canvas.queue_text(fit, kept, label_box, replace(style, align="center",
                                                    color=canvas.color("muted")))


def _queue_qr(canvas: Canvas, url: str, box: Box) -> None:
    """Queue a crisp QR code: whole pixels per module, centred in `box`."""
    side = int(min(box[2] - box[0], box[3] - box[1]))
    image = qr_image(url, side // qr_modules(url)).convert("RGB")
    left = round(box[0] + (box[2] - box[0] - image.width) / 2)
    top = round(box[1] + (box[3] - box[1] - image.height) / 2)
    canvas.text.append(lambda img, draw: img.paste(image, (left, top)))


def draw_host(canvas: Canvas, box: Box, summary: Summary, where: str) -> None:
    """Queue a small stage: a host character beside a bubble, sized to its text, that
    gives the tl;dr."""
    x0, y0, x1, y1 = box
    inset, pad = canvas.px(18), canvas.px(22)
    char_h = min((y1 - y0) * 0.82, (x1 - x0) * 0.3)
    pose = Pose(x0 + inset + char_h * 0.42, y1 - canvas.px(1.5), char_h, 1, "talk")
    left = x0 + inset + char_h * 0.95
    area = (left + pad, y0 + inset + pad, x1 - inset - pad, y1 - inset - pad)
    paragraphs = [Paragraph("TL;DR", bold=True, scale=0.5, space_after_em=0.4),
                  Paragraph(summary.tldr)]
    fit, kept, style = canvas.fit_text(paragraphs, area, "host", f"{where} tldr", heading=True)
    text_w = max(estimate_width(lines, fit.size * para.scale, style.family, para.bold)
                 for lines, para in zip(fit.lines, kept, strict=True))
    height = fit.height + 2 * pad
    middle = min(max(pose.head_center[1], y0 + inset + height / 2), y1 - inset - height / 2)
    bubble = (left, middle - height / 2, left + text_w + 2 * pad, middle + height / 2)
    canvas.ground.append(lambda pen: _draw_stage(canvas, pen, box, pose))
    canvas.art.append(lambda pen: _draw_host_bubble(canvas, pen, pose, bubble))
    canvas.queue_text(fit, kept, (bubble[0] + pad, bubble[1] + pad, bubble[2] - pad,
                                  bubble[3] - pad), style,
                      colors=[canvas.color("accent"), canvas.color("line")], container=bubble)


def _draw_stage(canvas: Canvas, pen: Pen, box: Box, pose: Pose) -> None:
    """Draw the host's stage and the host (the bubble, inside the outline, comes later)."""
    x0, y0, x1, y1 = box
    ink, stroke = canvas.color("line"), canvas.px(canvas.style["shapes"]["stroke"])
    radius = canvas.px(canvas.style["shapes"]["radius"])
    tint = canvas.frame_tint(0)
    pen.rect(box, radius, fill=tint)
    pen.rect((x0, pose.ground - pose.height * 0.28, x1, y1), radius,
             fill=blend(tint, canvas.color("ground")), corners=(False, False, True, True))
    draw_character(pen, pose, look(1), ink, stroke)
    pen.rect(box, radius, outline=ink, width=stroke)


def _draw_host_bubble(canvas: Canvas, pen: Pen, pose: Pose, bubble: Box) -> None:
    """Draw the host's bubble with its tail pointing at the host."""
    ink, stroke = canvas.color("line"), canvas.px(canvas.style["shapes"]["stroke"])
    fill = canvas.color("bubble")
    left, height = bubble[0], bubble[3] - bubble[1]
    tip = (pose.mouth[0] + pose.head_radius * 1.05, pose.mouth[1])
    half = min(canvas.px(16), height * 0.3)
    cy = min(max(tip[1], bubble[1] + half * 2), bubble[3] - half * 2)
    pen.polygon([(left + stroke, cy - half), (left + stroke, cy + half), tip], fill=fill,
                outline=ink, width=stroke)
    pen.rect(bubble, min(canvas.px(28), height / 2), fill=fill, outline=ink, width=stroke)
    pen.polygon([(left + stroke * 3, cy - half + stroke * 1.5),
                 (left + stroke * 3, cy + half - stroke * 1.5),
                 ((left + tip[0]) / 2, (cy + tip[1]) / 2)], fill=fill)
