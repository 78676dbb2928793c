"""The one topic grouping: papers by topic, in a chosen order, for every renderer.

Papers without a topic go under `NO_TOPIC`. The deck passes its `deck:` settings (topic
order, paper order, papers per topic); the newsletter takes the defaults.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal

from .models import Paper

NO_TOPIC = "More papers"  # distinct from the "Other interesting papers" section
Order = Literal["awards_first", "as_listed", "title"]


def group_by_topic(papers: Iterable[Paper], topic_order: Sequence[str] = (),
                   order: Order = "awards_first",
                   limit: int | None = None) -> list[tuple[str, list[Paper]]]:
    """Return (topic, papers) pairs: the topics of `topic_order` first, then the others
    in order of first appearance; empty topics are left out.

    Within a topic, papers keep their listed order ("as_listed"), put award papers first
    (stable, "awards_first") or sort by title ("title"); `limit` keeps the first few.
    """
    groups: dict[str, list[Paper]] = {topic: [] for topic in topic_order}
    for paper in papers:
        groups.setdefault(paper.topic or NO_TOPIC, []).append(paper)
    ordered = []
    for topic, members in groups.items():
        if not members:
            continue
        if order == "awards_first":
            members = sorted(members, key=lambda p: not p.award)
        elif order == "title":
            members = sorted(members, key=lambda p: p.title.casefold())
        ordered.append((topic, members[:limit]))
    return ordered
