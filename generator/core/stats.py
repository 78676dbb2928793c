"""What the outputs show of a whole venue: the selected papers, and the venue's numbers.

An event may hold a whole proceedings (5,290 papers) of which the reader selected 30.
`shown_papers` is the one rule for which papers the deck, panels and newsletter cover;
`venue_stats` counts the whole venue (papers, orals, spotlights, papers per topic, the
reader's share), so a talk's opening numbers come from the data rather than by hand.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .models import Event, Paper
from .topics import NO_TOPIC

# What `selection.include` adds to the selected papers.
INCLUDE = {"awards": lambda p: bool(p.award),
           "orals": lambda p: p.presentation.casefold() == "oral",
           "spotlights": lambda p: p.presentation.casefold() == "spotlight"}


@dataclass
class VenueStats:
    """Counts over every paper of the event, not only the shown ones."""

    total: int
    presentations: dict[str, int] = field(default_factory=dict)  # "Oral" -> 77
    topics: list[tuple[str, int]] = field(default_factory=list)  # largest first
    selected: int = 0
    label: str = ""

    def lines(self) -> list[str]:
        """Return the stats as the sentences a talk states, each leading with its number:
        "5,290 papers", "77 orals", "688 spotlights", "1,023 papers on Deep learning, the
        most popular topic", "61 of 5,290 papers are on LLM safety"."""
        lines = [f"{self.total:,} papers"]
        lines += [f"{self.presentations[k]:,} {k.lower()}s" for k in ("Oral", "Spotlight")
                  if self.presentations.get(k)]
        named = [(t, n) for t, n in self.topics if t != NO_TOPIC]
        if len(named) > 1:
            lines.append(f"{named[0][1]:,} papers on {named[0][0]}, the most popular topic")
        if self.selected:
            about = f" are on {self.label}" if self.label else " selected"
            lines.append(f"{self.selected:,} of {self.total:,} papers{about}")
        return lines


def has_selection(event: Event) -> bool:
    """Tell whether the reader selected papers (then the outputs show only those)."""
    return any(paper.selected for paper in event.papers)


def shown_papers(event: Event) -> list[Paper]:
    """Return the papers the outputs cover: every paper, or the selected ones plus what
    `selection.include` asks for (awards, orals, spotlights), in event order."""
    if not has_selection(event):
        return list(event.papers)
    include = [INCLUDE[name] for name in (event.selection.include if event.selection else [])]
    return [p for p in event.papers if p.selected or any(rule(p) for rule in include)]


def interests_label(event: Event) -> str:
    """Return how the stats name the reader's interests: `label`, else `interests` up to
    its first colon ("LLM safety and alignment: jailbreaks, ..." -> "LLM safety and
    alignment")."""
    selection = event.selection
    if selection is None:
        return ""
    if selection.label:
        return selection.label
    head = selection.interests.split(":", 1)[0].strip()
    return head if len(head.split()) <= 8 else ""


def venue_stats(event: Event) -> VenueStats:
    """Count the whole event: papers, presentations, papers per topic, the reader's share."""
    presentations = Counter(p.presentation.title() for p in event.papers if p.presentation)
    topics = Counter(p.topic or NO_TOPIC for p in event.papers)
    return VenueStats(total=len(event.papers),
                      presentations=dict(presentations),
                      topics=sorted(topics.items(), key=lambda item: (-item[1], item[0])),
                      selected=sum(1 for p in event.papers if p.selected),
                      label=interests_label(event))


def with_stats(event: Event, stats: VenueStats) -> list[str]:
    """Return the event's stats: the user's own first, then the computed ones they lack."""
    own = [s.casefold() for s in event.stats]
    return list(event.stats) + [line for line in stats.lines() if line.casefold() not in own]
