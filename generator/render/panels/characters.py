"""The comic cast: friendly characters drawn from vector shapes, with expressions.

Looks (hair, skin, shirt, glasses) are data in templates/panels/characters.yaml and go
to speakers by order of appearance, so "Sam" and "Ada" from the offline drafter, or any
names an LLM picks, always get distinct, stable looks. The expression follows what the
character says in the frame: a question looks curious, an exclamation excited.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import yaml

from .canvas import Color, Pen, parse_color
from .layout import PANELS_DIR


@dataclass(frozen=True)
class Look:
    hair_style: str
    hair: Color
    skin: Color
    shirt: Color
    glasses: bool


@dataclass(frozen=True)
class Pose:
    """Where and how one character stands in a frame."""

    x: float  # centre
    ground: float  # bottom of the body
    height: float  # ground to top of the head
    facing: int  # +1 looks right, -1 looks left
    expression: str = "smile"  # smile | talk | curious | excited
    waving: bool = False

    @property
    def head_radius(self) -> float:
        return self.height * 0.24

    @property
    def head_center(self) -> tuple[float, float]:
        return self.x, self.ground - self.height + self.head_radius * 1.08

    @property
    def mouth(self) -> tuple[float, float]:
        """Return the point speech-bubble tails aim at."""
        x, y = self.head_center
        return x + self.facing * self.head_radius * 0.15, y + self.head_radius * 0.3


@cache
def _cast() -> dict:
    return yaml.safe_load((PANELS_DIR / "characters.yaml").read_text(encoding="utf-8"))


def look(index: int) -> Look:
    """Return the look of the `index`-th speaker (cycling through the cast)."""
    looks = _cast()["looks"]
    data = looks[index % len(looks)]
    return Look(data["hair_style"], parse_color(data["hair"]), parse_color(data["skin"]),
                parse_color(data["shirt"]), bool(data["glasses"]))


def expression_for(text: str | None) -> str:
    """Return the expression for a line of dialogue (None: listening)."""
    if text is None:
        return "smile"
    stripped = text.rstrip()
    if stripped.endswith("?"):
        return "curious"
    if stripped.endswith("!"):
        return "excited"
    return "talk"


def draw_character(pen: Pen, pose: Pose, who: Look, ink: Color, stroke: float) -> None:
    """Draw one character: body, arm, head, hair, face."""
    _body(pen, pose, who, ink, stroke)
    if who.hair_style == "bob":
        _hair_back(pen, pose, who, ink, stroke)
    cx, cy = pose.head_center
    r = pose.head_radius
    pen.circle((cx, cy), r, fill=who.skin, outline=ink, width=stroke)
    _hair(pen, pose, who, ink, stroke)
    _face(pen, pose, who, ink, stroke)


def _body(pen: Pen, pose: Pose, who: Look, ink: Color, stroke: float) -> None:
    r = pose.head_radius
    cx, cy = pose.head_center
    top = cy + r * 0.8
    half = r * 1.05
    pen.rect((cx - half, top, cx + half, pose.ground + stroke), r * 0.8, fill=who.shirt,
             outline=ink, width=stroke, corners=(True, True, False, False))
    # a collar: the neck line in skin colour
    pen.chord((cx - r * 0.38, top - r * 0.3, cx + r * 0.38, top + r * 0.32), 0, 180,
              fill=who.skin, outline=ink, width=stroke * 0.8)
    if pose.waving:
        shoulder = (cx + pose.facing * half * 0.8, top + r * 0.55)
        hand = (cx + pose.facing * r * 1.75, top - r * 0.35)
        pen.line([shoulder, hand], ink, r * 0.42 + stroke * 2)
        pen.line([shoulder, hand], who.shirt, r * 0.42)
        pen.circle(hand, r * 0.25, fill=who.skin, outline=ink, width=stroke * 0.8)


def _hair_back(pen: Pen, pose: Pose, who: Look, ink: Color, stroke: float) -> None:
    cx, cy = pose.head_center
    r = pose.head_radius
    pen.rect((cx - r * 1.18, cy - r * 1.12, cx + r * 1.18, cy + r * 0.75), r * 0.9,
             fill=who.hair, outline=ink, width=stroke)


def _hair(pen: Pen, pose: Pose, who: Look, ink: Color, stroke: float) -> None:
    cx, cy = pose.head_center
    r = pose.head_radius
    style = who.hair_style
    if style == "bun":
        pen.circle((cx - pose.facing * r * 0.25, cy - r * 1.15), r * 0.42, fill=who.hair,
                   outline=ink, width=stroke)
    if style == "curly":
        for angle_x, angle_y in ((-0.85, -0.45), (-0.5, -0.85), (0, -1.0), (0.5, -0.85),
                                 (0.85, -0.45)):
            pen.circle((cx + angle_x * r, cy + angle_y * r), r * 0.38, fill=who.hair,
                       outline=ink, width=stroke)
        return
    if style == "spiky":
        spikes = [(cx + dx * r, cy - r * 0.45) for dx in (-0.98, 0.98)]
        tips = [(cx + dx * r, cy - r * (1.35 if i % 2 else 1.15))
                for i, dx in enumerate((-0.8, -0.4, 0.0, 0.4, 0.8))]
        pen.polygon([spikes[0], *tips, spikes[1]], fill=who.hair, outline=ink, width=stroke)
        return
    # a cap of hair over the top of the head, with a side-swept fringe
    pen.chord((cx - r * 1.07, cy - r * 1.1, cx + r * 1.07, cy + r * 1.04), 196, 344,
              fill=who.hair, outline=ink, width=stroke)
    f = pose.facing
    fringe = [(cx - f * r * 0.98, cy - r * 0.32), (cx - f * r * 0.2, cy - r * 0.62),
              (cx + f * r * 0.55, cy - r * 0.38), (cx + f * r * 0.9, cy - r * 0.5),
              (cx + f * r * 0.6, cy - r * 0.95)]
    pen.polygon(fringe, fill=who.hair)


def _face(pen: Pen, pose: Pose, who: Look, ink: Color, stroke: float) -> None:
    cx, cy = pose.head_center
    r = pose.head_radius
    look_x = pose.facing * r * 0.14
    eye_y = cy + r * 0.02
    for side in (-1, 1):
        ex = cx + side * r * 0.38 + look_x
        pen.ellipse((ex - r * 0.1, eye_y - r * 0.14, ex + r * 0.1, eye_y + r * 0.14), fill=ink)
        pen.circle((ex + r * 0.035, eye_y - r * 0.06), r * 0.035, fill=(255, 255, 255))
        pen.circle((cx + side * r * 0.62 + look_x * 0.5, cy + r * 0.36), r * 0.15,
                   fill=parse_color(_cast()["blush"]))
        if who.glasses:
            pen.circle((ex, eye_y), r * 0.27, outline=ink, width=stroke * 0.8)
        _brow(pen, pose, ex, eye_y, side, ink, stroke)
    if who.glasses:
        pen.line([(cx - r * 0.12 + look_x, eye_y), (cx + r * 0.12 + look_x, eye_y)], ink,
                 stroke * 0.8)
    _mouth(pen, pose, ink, stroke)


def _brow(pen: Pen, pose: Pose, ex: float, eye_y: float, side: int, ink: Color,
          stroke: float) -> None:
    r = pose.head_radius
    lift = r * (0.2 if pose.expression == "curious" and side == pose.facing else 0.0)
    y = eye_y - r * 0.3 - lift
    tilt = -r * 0.05 * side
    pen.line([(ex - r * 0.13, y + tilt), (ex + r * 0.13, y - tilt)], ink, stroke * 0.9)


def _mouth(pen: Pen, pose: Pose, ink: Color, stroke: float) -> None:
    r = pose.head_radius
    mx, my = pose.mouth
    inside = parse_color(_cast()["mouth"])
    if pose.expression == "curious":
        pen.ellipse((mx - r * 0.1, my - r * 0.08, mx + r * 0.1, my + r * 0.16), fill=inside,
                    outline=ink, width=stroke * 0.8)
    elif pose.expression in ("talk", "excited"):
        w = r * (0.36 if pose.expression == "excited" else 0.26)
        h = r * (0.42 if pose.expression == "excited" else 0.3)
        pen.chord((mx - w, my - h, mx + w, my + h), 0, 180, fill=inside, outline=ink,
                  width=stroke * 0.8)
    else:
        pen.arc((mx - r * 0.28, my - r * 0.28, mx + r * 0.28, my + r * 0.14), 20, 160, ink,
                stroke)
