"""The `deck:` section of event.yaml: which sections appear, in what order, and how.

`Event.deck` is a free-form mapping so the event loader stays generic; this module owns
its meaning and validates it before anything is drawn, so a typo such as `section:`
stops the run with a clear message instead of being ignored.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ...core.errors import ConfgenError, Problem
from ...core.yamlio import read_yaml

SECTIONS = ("title", "agenda", "stats", "trends", "awards", "top_picks", "chart", "papers",
            "talks", "other_papers", "reading_list", "closing")
DEFAULT_SECTIONS = ("title", "agenda", "stats", "trends", "awards", "top_picks", "papers",
                    "talks", "other_papers", "reading_list", "closing")


class DeckConfig(BaseModel):
    """Choices for one event's deck; every key is optional."""

    model_config = ConfigDict(extra="forbid")

    title: str | None = None
    subtitle: str | None = None
    sections: list[str] = Field(default_factory=lambda: list(DEFAULT_SECTIONS))
    order: Literal["awards_first", "as_listed", "title"] = "awards_first"
    topics: list[str] = []
    papers_per_topic: int | None = Field(default=None, ge=1)
    top_picks: list[str] = []
    max_top_picks: int = Field(default=5, ge=1, le=8)
    qr: bool = True
    # Where a paper's panel goes when its key figure takes the slide: a slide of its own
    # after the paper's, or only named in the speaker notes.
    panel: Literal["slide", "notes"] = "notes"
    figure_slides: bool = False  # a slide per paper with its figure large, the caption below
    layouts: dict[str, str] = {}  # kind of slide -> layout name in a --template .pptx

    @field_validator("layouts")
    @classmethod
    def _known_kinds(cls, value: dict[str, str]) -> dict[str, str]:
        kinds = ("title", "section", "content", "paper", "blank")
        unknown = [kind for kind in value if kind not in kinds]
        if unknown:
            raise ValueError(f"unknown slide kind {unknown[0]!r} (known: {', '.join(kinds)})")
        return value

    @field_validator("sections")
    @classmethod
    def _known_sections(cls, value: list[str]) -> list[str]:
        for name in value:
            if name not in SECTIONS:
                hint = difflib.get_close_matches(name, SECTIONS, n=1)
                extra = f"; did you mean {hint[0]!r}?" if hint else ""
                raise ValueError(f"unknown section {name!r}{extra} (known: {', '.join(SECTIONS)})")
        duplicates = sorted({name for name in value if value.count(name) > 1})
        if duplicates:
            raise ValueError(f"section listed twice: {', '.join(duplicates)}")
        return value


def deck_config(raw: dict | None, source: Path | None = None,
                paper_ids: list[str] | None = None) -> DeckConfig:
    """Validate the `deck:` mapping of event.yaml, raising every problem as a ConfgenError."""
    try:
        config = DeckConfig.model_validate(raw or {})
    except ValidationError as exc:
        raise ConfgenError([Problem(source, _line(source, error["loc"]), _message(error))
                            for error in exc.errors(include_url=False)]) from None
    unknown = [(i, pid) for i, pid in enumerate(config.top_picks)
               if paper_ids is not None and pid not in paper_ids]
    if unknown:
        raise ConfgenError([Problem(source, _line(source, ("top_picks", i)),
                                    f"deck.top_picks: no paper with id {pid!r}")
                            for i, pid in unknown])
    return config


def _line(source: Path | None, loc: tuple) -> int | None:
    """Return the line of `deck.<loc>` in the event file, if it can be read."""
    if source is None or not Path(source).is_file():
        return None
    try:
        return read_yaml(Path(source)).line_of(("deck", *loc))
    except ConfgenError:
        return None


def _message(error: dict) -> str:
    where = ".".join(str(part) for part in ("deck", *error["loc"]))
    if error["type"] == "extra_forbidden":
        key = str(error["loc"][-1])
        hint = difflib.get_close_matches(key, DeckConfig.model_fields, n=1)
        extra = f"; did you mean {hint[0]!r}?" if hint else ""
        return (f"{where}: unknown key{extra} "
                f"(known: {', '.join(DeckConfig.model_fields)})")
    return f"{where}: {error['msg']}"
