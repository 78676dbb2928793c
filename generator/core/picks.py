"""The one rule for an event's top picks, shared by the deck and the reading list.

The reader's own `deck.top_picks` win. Otherwise papers are ranked by what says a human
cared: a reviewed summary first, then an award, then notes of the reader's own, then the
order `confgen select` ranked them in; ties keep the order they came in.
"""

from __future__ import annotations

from collections.abc import Sequence

from .event import EventFolder
from .models import Paper


def top_picks(folder: EventFolder, papers: Sequence[Paper] | None = None,
              limit: int | None = None) -> list[Paper]:
    """Return the top picks among `papers` (default: the folder's), at most `limit` ranked."""
    papers = list(folder.papers if papers is None else papers)
    by_key = {paper.key: paper for paper in papers}
    chosen = folder.event.deck.get("top_picks") or []
    if chosen:
        return [by_key[key] for key in chosen if key in by_key]
    picked = folder.event.selection.picked if folder.event.selection else []
    rank = {key: i for i, key in enumerate(picked)}

    def order(paper: Paper) -> tuple[bool, bool, bool, int]:
        summary = folder.summaries.get(paper.key)
        reviewed = summary is not None and summary.status == "reviewed"
        return (not reviewed, not paper.award, not paper.notes, rank.get(paper.key, len(rank)))

    return sorted(papers, key=order)[:limit]
