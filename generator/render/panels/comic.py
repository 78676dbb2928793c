"""Comic frames: a caption box, characters, a prop and speech bubbles per frame.

Bubbles grow to fit their text: each is as narrow as its longest line allows, up to most
of the frame's width, and stacks above the characters. When the stack is too tall the
text shrinks, using one size for every frame so the comic reads evenly; below the
floor the longest lines are cut with '…' and the panel is reported.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from PIL import Image

from ...core.models import ComicFrame
from ...text.textfit import Font, Paragraph, layout
from .canvas import Box, Canvas, Pen, TailRecord, blend
from .characters import Pose, draw_character, expression_for, look
from .draw_text import estimate_width
from .icons import draw_icon, icon_for
from .layout import grid

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
                target_aspect: float = 1.2,
                backdrops: list[Image.Image | None] | None = None,
                columns: int | None = None) -> None:
    """Lay out and queue every frame of the comic inside `box` (over optional art):
    a grid or a strip chosen from the box's shape, or `columns` wide."""
    cast = cast_of(frames)
    cells = grid(len(frames), box, canvas.px(16), target_aspect, columns)
    scenes = [_scene(canvas, i, frame, cell, cast, where)
              for i, (frame, cell) in enumerate(zip(frames, cells, strict=True))]
    # one text size for every frame, so the comic reads evenly
    modes = [choose_mode(canvas, scene) for scene in scenes]
    size = min(size for _, size in modes)
    used: set[str] = set()
    for scene, (mode, _) in zip(scenes, modes, strict=True):
        bubbles = _bubbles(canvas, scene, mode, size, f"{where} comic[{scene.index}]")
        icon = icon_for(scene.frame.caption, scene.index, used)
        used.add(icon)
        backdrop = backdrops[scene.index] if backdrops else None
        # separate drawings, so the scene, the same in most panels, is drawn once
        canvas.ground.append(lambda pen, s=scene, i=icon, d=backdrop:
                             _draw_scene(canvas, pen, s, cast, i, d))
        for bubble in bubbles:
            canvas.art.append(lambda pen, s=scene, b=bubble:
                              _draw_bubble(canvas, pen, b, s.poses.get(b.speaker)))
        canvas.art.append(lambda pen, s=scene: _draw_caption_box(canvas, pen, s))


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
    text_w = estimate_width(fit.lines[0], fit.size, style.family, True)
    box = (x0 + pad, y0 + pad, x0 + pad + number_w + text_w + 2 * inner + canvas.px(4),
           y0 + pad + fit.height + 2 * inner)
    text_box = (box[0] + number_w + inner, box[1] + inner, box[2] - inner, box[3] - inner)
    canvas.queue_text(fit, kept, text_box, replace(style, color=canvas.color("line")),
                      container=box)
    number_box = (box[0], box[1], box[0] + number_w, box[3])
    number = [Paragraph(str(index + 1), bold=True)]
    nfit, nkept, nstyle = canvas.fit_text(number, number_box, "caption", where, heading=True)
    canvas.queue_text(nfit, nkept, number_box, replace(nstyle, color=canvas.color("on_accent"),
                      align="center", valign="middle"), container=number_box)
    return box


@dataclass
class Bubble:
    speaker: str
    box: Box
    text_box: Box
    paragraphs: list[Paragraph]
    size: float


def canvas_font(canvas: Canvas) -> Font:
    """Return the body font that bubbles are set in."""
    return Font(canvas.family(), canvas.theme.line_spacing)


def _padding(size: float) -> tuple[float, float]:
    return size * 0.85, size * 0.55


def _modes(scene: Scene) -> list[str]:
    """Return the bubble arrangements that suit the frame: stacked, or side by side when
    two different speakers stand on opposite sides."""
    lines = scene.frame.lines
    if len(lines) != 2 or not all(line.speaker in scene.poses for line in lines):
        return ["stack"]
    middle = (scene.zone[0] + scene.zone[2]) / 2
    sides = {scene.poses[line.speaker].x < middle for line in lines}
    return ["stack", "side"] if len(sides) == 2 else ["stack"]


def _lanes(canvas: Canvas, scene: Scene, mode: str) -> list[tuple[float, float]]:
    """Return the horizontal range each bubble may use."""
    x0, _, x1, _ = scene.zone
    if mode == "stack":
        return [(x0, x1)] * len(scene.frame.lines)
    middle, half_gap = (x0 + x1) / 2, canvas.px(6)
    return [(x0, middle - half_gap) if scene.poses[line.speaker].x < middle
            else (middle + half_gap, x1) for line in scene.frame.lines]


def _text_heights(canvas: Canvas, scene: Scene, mode: str, size: float) -> list[float]:
    pad_x, _ = _padding(size)
    font = canvas_font(canvas)
    return [layout([Paragraph(line.text)], _text_width(lane, mode) - 2 * pad_x, size,
                   font).height
            for line, lane in zip(scene.frame.lines, _lanes(canvas, scene, mode), strict=True)]


def _text_width(lane: tuple[float, float], mode: str) -> float:
    return (lane[1] - lane[0]) * (BUBBLE_WIDTH if mode == "stack" else 1.0)


def _needed(canvas: Canvas, scene: Scene, mode: str, size: float) -> float:
    """Return the height the frame's bubbles need at `size`."""
    heights = [h + 2 * _padding(size)[1] for h in _text_heights(canvas, scene, mode, size)]
    if mode == "side":
        return max(heights)
    return sum(heights) + canvas.px(10) * (len(heights) - 1)


def _best_size(canvas: Canvas, scene: Scene, mode: str, floor: float, ceiling: float) -> float:
    """Return the largest text size at which the frame's bubbles fit its zone."""
    room = scene.zone[3] - scene.zone[1]
    low, high = 0, int((ceiling - floor) / _STEP)
    while low < high:
        mid = (low + high + 1) // 2
        if _needed(canvas, scene, mode, floor + mid * _STEP) <= room:
            low = mid
        else:
            high = mid - 1
    return floor + low * _STEP


def choose_mode(canvas: Canvas, scene: Scene) -> tuple[str, float]:
    """Return the arrangement giving the largest text, and that size."""
    floor, ceiling = canvas.sizes("bubble")
    options = [(_best_size(canvas, scene, mode, floor, ceiling), -i, mode)
               for i, mode in enumerate(_modes(scene))]
    size, _, mode = max(options)
    return mode, size


def _bubbles(canvas: Canvas, scene: Scene, mode: str, size: float, where: str) -> list[Bubble]:
    """Size and place the frame's bubbles at `size`, cutting text only past the floor."""
    pad_x, pad_y = _padding(size)
    lines, lanes = scene.frame.lines, _lanes(canvas, scene, mode)
    room = scene.zone[3] - scene.zone[1]
    natural = _text_heights(canvas, scene, mode, size)
    budget = room - 2 * pad_y * (1 if mode == "side" else len(lines))
    budget -= canvas.px(10) * (len(lines) - 1) if mode == "stack" else 0
    planned = []
    for index, (line, lane, height) in enumerate(zip(lines, lanes, natural, strict=True)):
        share = height if mode == "side" or sum(natural) <= budget else (
            budget * height / sum(natural))
        max_w = _text_width(lane, mode) - 2 * pad_x
        fit, kept, style = canvas.fit_text([Paragraph(line.text)],
                                           (0, 0, max_w, min(share, budget)), "bubble",
                                           f"{where} line {index + 1}", size_cap=size)
        width = max(estimate_width(fit.lines[0], fit.size, style.family) + 2 * pad_x,
                    fit.size * 3.2)
        planned.append((line.speaker, lane, fit, kept, style, min(width, lane[1] - lane[0])))
    tops = _tops(canvas, scene, mode, [p[2].height + 2 * pad_y for p in planned])
    bubbles = []
    for (speaker, lane, fit, kept, style, width), top in zip(planned, tops, strict=True):
        center = scene.poses[speaker].x if speaker in scene.poses else sum(lane) / 2
        left = min(max(center - width / 2, lane[0]), lane[1] - width)
        box = (left, top, left + width, top + fit.height + 2 * pad_y)
        text_box = (left + pad_x, top + pad_y, box[2] - pad_x, box[3] - pad_y)
        canvas.queue_text(fit, kept, text_box,
                          replace(style, align="center", color=canvas.color("line")),
                          container=box)
        bubbles.append(Bubble(speaker, box, text_box, kept, fit.size))
        if speaker in scene.poses:
            heads = {name: pose.head_center for name, pose in scene.poses.items()}
            canvas.tails.append(TailRecord(speaker, box, tail_for(canvas, box,
                                           scene.poses[speaker]).tip, heads))
    return bubbles


def _tops(canvas: Canvas, scene: Scene, mode: str, heights: list[float]) -> list[float]:
    """Return each bubble's top: stacked with even gaps, or side by side and staggered."""
    y0, y1 = scene.zone[1], scene.zone[3]
    room = y1 - y0
    if mode == "side":
        first, second = heights
        stagger = max(0.0, min(first * 0.5, room - second))
        total = max(first, stagger + second)
        top = y0 + (room - total) * 0.5
        return [top, top + stagger]
    gap = canvas.px(10)
    extra = max(0.0, room - sum(heights) - gap * (len(heights) - 1))
    spread = min(extra * 0.3 / len(heights), canvas.px(22))
    top = y0 + (extra - spread * (len(heights) - 1)) * 0.5
    tops = []
    for height in heights:
        tops.append(top)
        top += height + gap + spread
    return tops


def _draw_scene(canvas: Canvas, pen: Pen, scene: Scene, cast: list[str], icon: str,
                backdrop: Image.Image | None = None) -> None:
    """Draw a frame without its text: backdrop, ground, prop, characters, outline.

    The outline may go before the bubbles and the caption: they keep clear of it.
    """
    x0, y0, x1, y1 = scene.cell
    ink, stroke = canvas.color("line"), _stroke(canvas)
    radius = canvas.px(canvas.style["shapes"]["radius"])
    tint = canvas.frame_tint(scene.index)
    pen.rect(scene.cell, radius, fill=tint)
    if backdrop is not None:
        pen.paste_cover(backdrop, scene.cell, radius)
    else:
        ground = min(p.ground - p.height * 0.28 for p in scene.poses.values())
        # blend the ground colour here: Pillow's rounded corners overlap, and a
        # translucent fill would show the overlaps as darker squares
        pen.rect((x0, ground, x1, y1), radius, fill=blend(tint, canvas.color("ground")),
                 corners=(False, False, True, True))
        if scene.icon_box:
            draw_icon(pen, icon, scene.icon_box, canvas.icon_color)
    for name, pose in scene.poses.items():
        draw_character(pen, pose, look(cast.index(name)), ink, stroke)
    pen.rect(scene.cell, radius, outline=ink, width=stroke)


def _stroke(canvas: Canvas) -> float:
    return canvas.px(canvas.style["shapes"]["stroke"])


def _draw_caption_box(canvas: Canvas, pen: Pen, scene: Scene) -> None:
    """Draw the caption box with its number tab."""
    ink, stroke = canvas.color("line"), _stroke(canvas)
    pen.rect(scene.caption_box, canvas.px(6), fill=canvas.color("caption"), outline=ink,
             width=stroke * 0.8)
    cx0, cy0, cx1, cy1 = scene.caption_box
    number_w = canvas.sizes("caption")[1] * 1.5
    pen.rect((cx0, cy0, cx0 + number_w, cy1), canvas.px(6), fill=canvas.color("accent"),
             outline=ink, width=stroke * 0.8, corners=(True, False, False, True))


@dataclass(frozen=True)
class Tail:
    """A speech-bubble tail: its base on the bubble's bottom edge and its tip."""

    base_x: float
    half: float
    tip: tuple[float, float]


def tail_for(canvas: Canvas, box: Box, pose: Pose) -> Tail:
    """Return the tail from bubble `box` to just above the speaker's head."""
    x0, _, x1, _ = box
    head_x, head_y = pose.head_center
    tip = (head_x + pose.facing * pose.head_radius * 0.55, head_y - pose.head_radius * 1.2)
    radius = min((box[3] - box[1]) / 2, canvas.px(26))
    half = min(canvas.px(11), (x1 - x0) * 0.12)
    base_x = min(max(tip[0] + pose.facing * half * 1.2, x0 + radius + half), x1 - radius - half)
    return Tail(base_x, half, tip)


def _draw_bubble(canvas: Canvas, pen: Pen, bubble: Bubble, pose: Pose | None) -> None:
    """Draw a bubble whose tail points at its speaker's head."""
    ink, fill, stroke = canvas.color("line"), canvas.color("bubble"), _stroke(canvas)
    x0, y0, x1, y1 = bubble.box
    tail = tail_for(canvas, bubble.box, pose) if pose is not None else None
    if tail is not None:
        pen.polygon([(tail.base_x - tail.half, y1 - stroke),
                     (tail.base_x + tail.half, y1 - stroke), tail.tip],
                    fill=fill, outline=ink, width=stroke)
    pen.rect(bubble.box, min((y1 - y0) / 2, canvas.px(26)), fill=fill, outline=ink,
             width=stroke)
    if tail is not None:  # cover the outline where the tail joins the bubble
        mid = ((tail.base_x + tail.tip[0]) / 2, (y1 + tail.tip[1]) / 2)
        inner = tail.half - stroke * 1.6
        pen.polygon([(tail.base_x - inner, y1 - stroke * 2),
                     (tail.base_x + inner, y1 - stroke * 2), (mid[0], mid[1] - stroke)],
                    fill=fill)
