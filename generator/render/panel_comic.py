"""Comic frames: a caption box, characters, a prop and speech bubbles per frame.

Bubbles grow to fit their text: each is as narrow as its longest line allows, up to most
of the frame's width, and stacks above the characters. When the stack is too tall the
text shrinks, using one size for every frame so the comic reads evenly; below the
floor the longest lines are cut with '…' and the panel is reported.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..models import ComicFrame
from .draw_text import measure_line
from .panel_canvas import Box, Canvas, Pen
from .panel_characters import Pose, draw_character, expression_for, look
from .panel_icons import draw_icon, icon_for
from .panel_layout import grid
from .textfit import Font, Paragraph, layout

BUBBLE_WIDTH = 0.86  # of the bubble zone
_STEP = 0.5


@dataclass
class Scene:
    """The geometry of one frame before its bubbles are sized."""

    index: int
    frame: ComicFrame
    cell: Box
    poses: dict[str, Pose]
    zone: Box  # where bubbles may go
    caption_box: Box
    icon_box: Box | None


def cast_of(frames: list[ComicFrame]) -> list[str]:
    """Return the speakers in order of first appearance: the order that assigns looks."""
    cast: list[str] = []
    for frame in frames:
        for line in frame.lines:
            if line.speaker not in cast:
                cast.append(line.speaker)
    return cast


def draw_frames(canvas: Canvas, box: Box, frames: list[ComicFrame], where: str,
                target_aspect: float = 1.2) -> None:
    """Lay out and queue every frame of the comic inside `box`."""
    cast = cast_of(frames)
    cells = grid(len(frames), box, canvas.px(16), target_aspect)
    scenes = [_scene(canvas, i, frame, cell, cast, where)
              for i, (frame, cell) in enumerate(zip(frames, cells, strict=True))]
    floor, ceiling = canvas.sizes("bubble")
    size = min((_best_size(canvas, scene, floor, ceiling) for scene in scenes), default=floor)
    for scene in scenes:
        bubbles = _bubbles(canvas, scene, size, f"{where} comic[{scene.index}]")
        canvas.art.append(lambda pen, s=scene, b=bubbles: _draw_scene(canvas, pen, s, b, cast))


def _scene(canvas: Canvas, index: int, frame: ComicFrame, cell: Box, cast: list[str],
           where: str) -> Scene:
    x0, y0, x1, y1 = cell
    width, height = x1 - x0, y1 - y0
    pad = canvas.px(12)
    caption_box = _caption(canvas, index, frame.caption, cell, f"{where} comic[{index}] caption")
    speaking = {line.speaker: line.text for line in frame.lines}
    shown = [name for name in cast if name in speaking or cast.index(name) < 2]
    char_h = min(height * 0.36, width * 0.34)
    slots = [0.18, 0.82] if len(shown) <= 2 else [0.15 + 0.7 * i / (len(shown) - 1)
                                                 for i in range(len(shown))]
    poses = {}
    for position, name in zip(slots, shown, strict=False):
        facing = 1 if position < 0.5 else -1
        last = [line.speaker for line in frame.lines][-1]
        poses[name] = Pose(x0 + width * position, y1 - canvas.px(1.5), char_h, facing,
                           expression_for(speaking.get(name)), waving=name == last)
    head_top = min(p.head_center[1] - p.head_radius for p in poses.values())
    zone = (x0 + pad, caption_box[3] + pad * 0.8, x1 - pad, head_top - canvas.px(18))
    icon = min(width * 0.2, char_h * 0.62)
    icon_box = None if len(poses) > 2 else (
        x0 + width / 2 - icon / 2, y1 - icon - char_h * 0.12, x0 + width / 2 + icon / 2,
        y1 - char_h * 0.12)
    return Scene(index, frame, cell, poses, zone, caption_box, icon_box)


def _caption(canvas: Canvas, index: int, caption: str, cell: Box, where: str) -> Box:
    """Queue the frame's caption box (number + caption) and return its box."""
    x0, y0, x1, y1 = cell
    pad, inner = canvas.px(10), canvas.px(8)
    floor, ceiling = canvas.sizes("caption")
    number_w = ceiling * 1.5
    max_w = (x1 - x0) - 2 * pad - number_w - 2 * inner
    paragraphs = [Paragraph(caption or " ", bold=True)]
    fit, kept, style = canvas.fit_text(paragraphs, (0, 0, max_w, (y1 - y0) * 0.2), "caption",
                                       where, heading=True)
    text_w = max((measure_line(line, fit.size, style.family, True) for line in fit.lines[0]),
                 default=0.0)
    box = (x0 + pad, y0 + pad, x0 + pad + number_w + text_w + 2 * inner + canvas.px(4),
           y0 + pad + fit.height + 2 * inner)
    text_box = (box[0] + number_w + inner, box[1] + inner, box[2] - inner, box[3] - inner)
    canvas.queue_text(fit, kept, text_box, style, container=box)
    number_box = (box[0], box[1], box[0] + number_w, box[3])
    number = [Paragraph(str(index + 1), bold=True)]
    nfit, nkept, nstyle = canvas.fit_text(number, number_box, "caption", where, heading=True)
    canvas.queue_text(nfit, nkept, number_box, replace(nstyle, color=canvas.color("bubble"),
                      align="center", valign="middle"), container=number_box)
    return box


@dataclass
class Bubble:
    speaker: str
    box: Box
    text_box: Box
    paragraphs: list[Paragraph]
    size: float


def _measure_bubble(canvas: Canvas, text: str, size: float, max_w: float, family: str
                    ) -> tuple[float, float, list[str]]:
    """Return the text width, height and lines of a bubble's text at `size`."""
    fit = layout([Paragraph(text)], max_w, size, canvas_font(canvas))
    lines = fit.lines[0]
    width = max((measure_line(line, size, family) for line in lines), default=0.0)
    return width, fit.height, lines


def canvas_font(canvas: Canvas) -> Font:
    return Font(canvas.family(), canvas.theme.line_spacing)


def _padding(canvas: Canvas, size: float) -> tuple[float, float]:
    return size * 0.85, size * 0.55


def _stack_height(canvas: Canvas, scene: Scene, size: float) -> float:
    x0, y0, x1, y1 = scene.zone
    pad_x, pad_y = _padding(canvas, size)
    max_w = (x1 - x0) * BUBBLE_WIDTH - 2 * pad_x
    heights = [_measure_bubble(canvas, line.text, size, max_w, canvas.family())[1] + 2 * pad_y
               for line in scene.frame.lines]
    return sum(heights) + canvas.px(10) * (len(heights) - 1)


def _best_size(canvas: Canvas, scene: Scene, floor: float, ceiling: float) -> float:
    """Return the largest bubble text size at which the frame's bubbles stack in its zone."""
    room = scene.zone[3] - scene.zone[1]
    steps = int((ceiling - floor) / _STEP)
    low, high = 0, steps
    if _stack_height(canvas, scene, floor) > room:
        return floor
    while low < high:
        mid = (low + high + 1) // 2
        if _stack_height(canvas, scene, floor + mid * _STEP) <= room:
            low = mid
        else:
            high = mid - 1
    return floor + low * _STEP


def _bubbles(canvas: Canvas, scene: Scene, size: float, where: str) -> list[Bubble]:
    """Size and place the frame's bubbles at `size`, cutting text only past the floor."""
    x0, y0, x1, y1 = scene.zone
    pad_x, pad_y = _padding(canvas, size)
    max_w = (x1 - x0) * BUBBLE_WIDTH - 2 * pad_x
    gap = canvas.px(10)
    lines = scene.frame.lines
    shares = [_measure_bubble(canvas, line.text, size, max_w, canvas.family())[1]
              for line in lines]
    budget = (y1 - y0) - gap * (len(lines) - 1) - 2 * pad_y * len(lines)
    natural = sum(shares)
    planned = []
    for index, (line, height) in enumerate(zip(lines, shares, strict=True)):
        room = height if natural <= budget else budget * height / natural
        fit, kept, style = canvas.fit_text([Paragraph(line.text)], (0, 0, max_w, room),
                                           "bubble", f"{where} line {index + 1}",
                                           size_cap=size)
        text_w = max((measure_line(t, fit.size, style.family) for t in fit.lines[0]),
                     default=0.0)
        planned.append((line.speaker, fit, kept, style, text_w))
    return _place_bubbles(canvas, scene, planned, pad_x, pad_y, gap)


def _place_bubbles(canvas: Canvas, scene: Scene, planned: list, pad_x: float, pad_y: float,
                   gap: float) -> list[Bubble]:
    x0, y0, x1, y1 = scene.zone
    total = sum(fit.height + 2 * pad_y for _, fit, _, _, _ in planned) + gap * (len(planned) - 1)
    extra = max(0.0, (y1 - y0) - total)
    spread = min(extra * 0.3 / max(1, len(planned)), canvas.px(22))
    gap += spread
    top = y0 + (extra - spread * (len(planned) - 1)) * 0.5
    bubbles = []
    for speaker, fit, kept, style, text_w in planned:
        width = max(text_w + 2 * pad_x, fit.size * 3.2)
        height = fit.height + 2 * pad_y
        center = scene.poses[speaker].x if speaker in scene.poses else (x0 + x1) / 2
        left = min(max(center - width / 2, x0), x1 - width)
        box = (left, top, left + width, top + height)
        text_box = (left + pad_x, top + pad_y, left + width - pad_x, top + height - pad_y)
        canvas.queue_text(fit, kept, text_box, replace(style, align="center"), container=box)
        bubbles.append(Bubble(speaker, box, text_box, kept, fit.size))
        top += height + gap
    return bubbles


def _draw_scene(canvas: Canvas, pen: Pen, scene: Scene, bubbles: list[Bubble],
                cast: list[str]) -> None:
    x0, y0, x1, y1 = scene.cell
    ink = canvas.color("ink")
    stroke = canvas.px(canvas.style["shapes"]["stroke"])
    radius = canvas.px(canvas.style["shapes"]["radius"])
    pen.rect(scene.cell, radius, fill=canvas.frame_tint(scene.index))
    ground = min(p.ground - p.height * 0.28 for p in scene.poses.values())
    pen.rect((x0, ground, x1, y1), radius, fill=canvas.color("ground"),
             corners=(False, False, True, True))
    if scene.icon_box:
        draw_icon(pen, icon_for(scene.frame.caption, scene.index), scene.icon_box, canvas.color)
    for name, pose in scene.poses.items():
        draw_character(pen, pose, look(cast.index(name)), ink, stroke)
    for bubble in bubbles:
        _draw_bubble(canvas, pen, bubble, scene.poses.get(bubble.speaker), stroke)
    pen.rect(scene.caption_box, canvas.px(6), fill=canvas.color("caption"), outline=ink,
             width=stroke * 0.8)
    cx0, cy0, cx1, cy1 = scene.caption_box
    number_w = canvas.sizes("caption")[1] * 1.5
    pen.rect((cx0, cy0, cx0 + number_w, cy1), canvas.px(6), fill=canvas.color("accent"),
             outline=ink, width=stroke * 0.8, corners=(True, False, False, True))
    pen.rect(scene.cell, radius, outline=ink, width=stroke)


def _draw_bubble(canvas: Canvas, pen: Pen, bubble: Bubble, pose: Pose | None,
                 stroke: float) -> None:
    """Draw a bubble whose tail points at its speaker's head."""
    ink, fill = canvas.color("ink"), canvas.color("bubble")
    x0, y0, x1, y1 = bubble.box
    radius = min((y1 - y0) / 2, canvas.px(26))
    if pose is not None:
        head_x, head_y = pose.head_center
        tip = (head_x + pose.facing * pose.head_radius * 0.55,
               head_y - pose.head_radius * 1.2)
        half = min(canvas.px(11), (x1 - x0) * 0.12)
        base_x = min(max(tip[0] + pose.facing * half * 1.2, x0 + radius + half),
                     x1 - radius - half)
        pen.polygon([(base_x - half, y1 - stroke), (base_x + half, y1 - stroke), tip],
                    fill=fill, outline=ink, width=stroke)
    pen.rect(bubble.box, radius, fill=fill, outline=ink, width=stroke)
    if pose is not None:
        mid = ((base_x + tip[0]) / 2, (y1 + tip[1]) / 2)
        inner = half - stroke * 1.6
        pen.polygon([(base_x - inner, y1 - stroke * 2), (base_x + inner, y1 - stroke * 2),
                     (mid[0], mid[1] - stroke)], fill=fill)
