"""Themes: colours, fonts and text sizes, shared by decks and panels.

A theme is data in templates/decks/<name>/theme.yaml. `extends: <parent>` inherits the
parent's values and overrides only what it lists.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from ..core.errors import ConfgenError, Problem
from ..core.paths import TEMPLATES_DIR
from ..text import fonts

THEMES_DIR = TEMPLATES_DIR / "decks"


class Theme(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    extends: str | None = None
    colors: dict[str, str]
    fonts: dict[str, str]
    sizes: dict[str, tuple[float, float]]
    line_spacing: float = 1.05
    layout: dict[str, object] = {}

    @field_validator("fonts")
    @classmethod
    def _bundled(cls, value: dict[str, str]) -> dict[str, str]:
        for role, family in value.items():
            if fonts.canonical(family) is None:
                raise ValueError(f"font {family!r} for {role!r} is neither bundled nor "
                                 f"installed (bundled: {', '.join(fonts.families())})")
        return value

    def color(self, role: str) -> str:
        return self.colors[role].lstrip("#")

    def rgb(self, role: str) -> tuple[int, int, int]:
        hex_value = self.color(role)
        return tuple(int(hex_value[i : i + 2], 16) for i in (0, 2, 4))  # type: ignore[return-value]


def _deep_merge(base: dict, override: dict) -> dict:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _theme_file(name_or_path: str) -> Path:
    path = Path(name_or_path)
    if path.suffix in (".yaml", ".yml") and path.is_file():
        return path
    candidate = THEMES_DIR / name_or_path / "theme.yaml"
    if candidate.is_file():
        return candidate
    known = sorted(p.name for p in THEMES_DIR.iterdir() if (p / "theme.yaml").is_file())
    raise ConfgenError(f"unknown theme {name_or_path!r}; built-in themes: {', '.join(known)}")


def _raw_theme(name_or_path: str, seen: tuple[str, ...] = ()) -> dict:
    if name_or_path in seen:
        raise ConfgenError(f"theme {name_or_path!r} extends itself through {' → '.join(seen)}")
    path = _theme_file(name_or_path)
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    parent = data.get("extends")
    if parent:
        data = _deep_merge(_raw_theme(parent, seen + (name_or_path,)), data)
    return data


@cache
def load_theme(name_or_path: str = "light") -> Theme:
    """Return the named built-in theme, or a theme file, with its parents merged in."""
    data = _raw_theme(name_or_path)
    try:
        return Theme.model_validate(data)
    except ValidationError as exc:
        problems = [Problem(_theme_file(name_or_path), None, f"{'.'.join(map(str, e['loc']))}: "
                            f"{e['msg']}") for e in exc.errors(include_url=False)]
        raise ConfgenError(problems) from None
