"""Speaker notes written as a script the presenter can read aloud.

The slide shows a digest; the notes carry everything: the full title and author list,
what was done, why it matters, key points and numbers with their sources, and every link.
"""

from __future__ import annotations

from ...core.fulltext import locate
from ...core.models import Paper, Summary, Talk
from .text import clean

MAX_NOTE_AUTHORS = 12


def author_line(authors: list[str]) -> str:
    """Return the authors as a sentence, naming at most MAX_NOTE_AUTHORS of them."""
    names = [clean(a) for a in authors if clean(a)]
    if not names:
        return ""
    if len(names) > MAX_NOTE_AUTHORS + 1:  # "and 1 more" would be longer than the name
        shown = ", ".join(names[:MAX_NOTE_AUTHORS])
        return f"{shown} and {len(names) - MAX_NOTE_AUTHORS} more"
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


def paper_notes(paper: Paper, summary: Summary | None, event_name: str, extra: str = "") -> str:
    """Return the script for a paper slide: intro, what, why, numbers, links (and
    `extra`, e.g. where the paper's panel is)."""
    title = clean(paper.title)
    intro = f"Next: “{title}”"
    if paper.authors:
        intro += f", by {author_line(paper.authors)}"
    venue = clean(paper.venue) or event_name
    if paper.award:
        intro += f". It received the {clean(paper.award)} award at {venue}"
    elif paper.venue:
        intro += f", at {venue}"
    parts = [intro + "."]
    if summary is None:
        parts.append("There is no summary of this paper yet; the link below has the paper.")
    else:
        parts += _summary_script(summary, paper)
    parts += [links_sentence(paper), extra]
    return "\n\n".join(p for p in parts if p)


def _summary_script(summary: Summary, paper: Paper) -> list[str]:
    parts = [f"In one line: {clean(summary.tldr)}",
             f"What they did: {clean(summary.what_was_done)}",
             f"Why it matters: {clean(summary.why_it_matters)}"]
    if summary.key_points:
        points = " ".join(f"{i}) {clean(p)}" for i, p in enumerate(summary.key_points, 1))
        parts.append(f"The key points: {points}")
    if summary.key_numbers:
        parts.append(f"Numbers worth quoting: {_numbers_sentence(summary, paper)}.")
    return parts


def _numbers_sentence(summary: Summary, paper: Paper) -> str:
    """Quote each source sentence once, after the numbers taken from it, and say where in
    the paper it is ("§ Results", "page 4") when the full text has it."""
    by_source: dict[str, list[str]] = {}
    where: dict[str, str] = {}
    for number in summary.key_numbers:
        source = clean(number.source)
        by_source.setdefault(source, []).append(
            f"{clean(number.value)} {clean(number.label)}".strip())
        where[source] = where.get(source) or number.where or locate(number.source,
                                                                     paper.fulltext)
    return "; ".join(f"{', '.join(values)} (“{source}”" + (f", {where[source]})" if where[source]
                                                           else ")")
                     for source, values in by_source.items())


def links_sentence(paper: Paper) -> str:
    """Return every link of the paper, the main one first."""
    links = []
    if paper.url:
        links.append(f"paper: {paper.url}")
    links += [f"{name}: {url}" for name, url in paper.links.items()
              if url and url != paper.url]
    return ("Links — " + "; ".join(links) + ".") if links else ""


def talk_notes(talk: Talk) -> str:
    speaker = f" by {clean(talk.speaker)}" if talk.speaker else ""
    points = " ".join(clean(p) for p in talk.points)
    return f"The invited talk “{clean(talk.title)}”{speaker}. {points}".strip()


def list_notes(intro: str, items: list[str]) -> str:
    return intro + "\n" + "\n".join(f"- {item}" for item in items)
