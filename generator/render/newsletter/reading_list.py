"""Render one reading list across events: Markdown + HTML, by conference, then topic.

In the shape readers publish them: for each event, its award papers first, then one
section per topic with each selected paper and its take (the reader's own notes, else
the summary's tl;dr, else the abstract's first sentence); the curated top picks come
last as "Read these first" and "Second priority" tables (Paper | Venue | Why). Every
value is escaped and the HTML sanitised as in the newsletter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ...core.errors import ConfgenError
from ...core.event import EventFolder, output_view
from ...core.models import Paper
from ...core.picks import top_picks as ranked_picks
from ...core.topics import group_by_topic
from ...core.yamlio import write_atomic
from ..theme import Theme
from .newsletter import (
    _template_errors,
    environment,
    escape_markdown,
    render_html,
    safe_url,
)

FIRST_PICKS = 6
SECOND_PICKS = 6


@dataclass
class Item:
    paper: Paper
    url: str
    take: str
    venue: str


def take_of(folder: EventFolder, paper: Paper) -> str:
    """Return what the list says of a paper: the reader's notes, else the tl;dr, else the
    abstract's first sentence."""
    if paper.notes:
        return paper.notes
    summary = folder.summaries.get(paper.key)
    if summary is not None:
        return summary.tldr
    first = re.split(r"(?<=[.!?])\s+", paper.abstract.strip(), maxsplit=1)[0]
    return first


def _item(folder: EventFolder, paper: Paper) -> Item:
    return Item(paper, safe_url(paper.url), take_of(folder, paper),
                paper.venue or folder.event.name)


def _event_section(folder: EventFolder) -> dict:
    view = output_view(folder)
    awards = [_item(view, p) for p in view.papers if p.award]
    topics = [(topic, [_item(view, p) for p in papers if not p.award])
              for topic, papers in group_by_topic(view.papers, order="as_listed")]
    return {"name": view.event.name, "awards": awards,
            "topics": [(t, items) for t, items in topics if items],
            "count": len(view.papers), "total": view.venue.total if view.venue else None}


def top_picks(folders: list[EventFolder]) -> list[Item]:
    """Return the curated picks across events (`core.picks.top_picks` of each), interleaved."""
    per_event = []
    for folder in folders:
        view = output_view(folder)
        chosen = ranked_picks(view)
        per_event.append([_item(view, p) for p in chosen])
    picks: list[Item] = []
    for round_ in range(max((len(items) for items in per_event), default=0)):
        picks += [items[round_] for items in per_event if round_ < len(items)]
    return picks[:FIRST_PICKS + SECOND_PICKS]


def render_markdown(folders: list[EventFolder], title: str, about: str = "") -> str:
    """Return the reading list as Markdown."""
    env = environment()
    env.filters["cell"] = lambda value: escape_markdown(value).replace("|", "\\|")
    folders = [output_view(folder) for folder in folders]  # each view computed once
    picks = top_picks(folders)
    text = env.get_template("reading_list.md.j2").render(
        title=title, about=about, events=[_event_section(f) for f in folders],
        first=picks[:FIRST_PICKS], second=picks[FIRST_PICKS:])
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def render_reading_list(folders: list[EventFolder], out_dir: Path, theme: Theme,
                        title: str = "", about: str = "") -> list[Path]:
    """Write reading-list.md and reading-list.html into `out_dir`; return their paths."""
    if not folders:
        raise ConfgenError("a reading list needs at least one event")
    title = title or "Reading list: " + " and ".join(f.event.name for f in folders)
    with _template_errors(None):
        md_text = render_markdown(folders, title, about)
        html = render_html(md_text, title, theme, tables=True)
    md_path, html_path = out_dir / "reading-list.md", out_dir / "reading-list.html"
    write_atomic(md_path, md_text)
    write_atomic(html_path, html)
    return [md_path, html_path]
