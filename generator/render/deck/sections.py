"""The deck's sections, in the order an event's `deck.sections` lists them.

Each builder takes the Deck being drawn and the DeckInput (folder, settings, papers
grouped by topic) and adds its slides; a section with nothing to show adds none.
"""

from __future__ import annotations

from ...core.models import Paper
from ...core.picks import top_picks
from . import notes as notes
from .data import DeckInput
from .paper import PaperView, paper_slides
from .slides import Deck, bullets, content_slides, divider_slide, stats_slide, title_slide
from .text import Para, clean

SECTION_TITLES = {
    "stats": "At a glance", "trends": "Trends", "awards": "Award papers",
    "top_picks": "Top picks", "chart": "Papers per topic", "papers": "Papers",
    "talks": "Invited talks", "other_papers": "Other interesting papers",
    "reading_list": "Reading list",
}
CHART_TOPICS = 12  # bars on the venue's "most popular topics" chart
VENUE_CHART_TITLE = "Most popular topics"


def _papers(data: DeckInput) -> list[Paper]:
    return [paper for _, members in data.topics for paper in members]


def title_section(deck: Deck, data: DeckInput) -> None:
    event, config = data.folder.event, data.config
    heading = clean(config.title or event.name)
    subtitle = config.subtitle if config.subtitle is not None else " · ".join(
        p for p in ("Trip report", event.dates, event.location) if p)
    script = (f"Welcome. This is a trip report from {clean(event.name)}"
              f"{', ' + clean(event.dates) if event.dates else ''}"
              f"{', in ' + clean(event.location) if event.location else ''}.")
    presenter = clean(event.presenter)
    title_slide(deck, heading, clean(subtitle), "" if presenter in subtitle else presenter,
                script)


def agenda_section(deck: Deck, data: DeckInput) -> None:
    shown = [name for name in data.config.sections
             if name in SECTION_TITLES and _has_content(name, data)]
    items = []
    for name in shown:
        if name == "papers":
            items += [f"{topic} ({len(members)})" for topic, members in data.topics]
        elif name == "chart" and data.folder.venue is not None:
            items.append(VENUE_CHART_TITLE)
        else:
            items.append(SECTION_TITLES[name])
    if items:
        content_slides(deck, "Agenda", bullets(items), notes.list_notes("Today:", items))


def _has_content(name: str, data: DeckInput) -> bool:
    event = data.folder.event
    return bool({
        "stats": event.stats, "trends": event.trends, "talks": event.talks,
        "other_papers": event.other_papers,
        "awards": [p for p in _papers(data) if p.award],
        "top_picks": _top_picks(data),
    }.get(name, True))


def stats_section(deck: Deck, data: DeckInput) -> None:
    stats = [clean(s) for s in data.folder.event.stats]
    if stats:
        stats_slide(deck, SECTION_TITLES["stats"], stats,
                    notes.list_notes("The conference in numbers:", stats))


def trends_section(deck: Deck, data: DeckInput) -> None:
    trends = [clean(t) for t in data.folder.event.trends]
    if trends:
        content_slides(deck, SECTION_TITLES["trends"], bullets(trends),
                       notes.list_notes("What stood out this year:", trends))


def awards_section(deck: Deck, data: DeckInput) -> None:
    groups: dict[str, list[Paper]] = {}
    for paper in data.folder.papers:
        if paper.award:
            groups.setdefault(clean(paper.award), []).append(paper)
    if not groups:
        return
    paras: list[Para] = []
    for award, papers in groups.items():
        paras.append(Para(f"★ {award}", bold=True, color="award_text", space_after_em=0.2,
                          keep_with_next=True))
        paras += bullets([clean(p.title) for p in papers], [p.url for p in papers])
    script = "The award papers. " + " ".join(
        f"{award}: {'; '.join(clean(p.title) for p in members)}."
        for award, members in groups.items())
    content_slides(deck, SECTION_TITLES["awards"], paras, script)


def _top_picks(data: DeckInput) -> list[Paper]:
    """Return deck.top_picks, else the best-ranked papers that have a summary."""
    drafted = None if data.config.top_picks else [
        p for p in _papers(data) if p.key in data.folder.summaries]
    return top_picks(data.folder, drafted, data.config.max_top_picks)


def top_picks_section(deck: Deck, data: DeckInput) -> None:
    picks = _top_picks(data)
    if not picks:
        return
    paras = []
    for paper in picks:
        summary = data.folder.summaries.get(paper.key)
        paras.append(Para(clean(paper.title), bold=True, color="link", link=paper.url,
                          bullet=True, space_after_em=0.1, keep_with_next=bool(summary)))
        if summary:
            paras.append(Para(clean(summary.tldr), color="muted", scale=0.85))
    script = "My top picks: " + "; ".join(clean(p.title) for p in picks) + "."
    content_slides(deck, SECTION_TITLES["top_picks"], paras, script)


def chart_section(deck: Deck, data: DeckInput) -> None:
    """Add a native bar chart of papers per topic (only when listed in deck.sections)."""
    from .chart import topic_chart_slide

    venue = data.folder.venue
    if venue is not None:  # a selection of a whole venue: chart the venue, not the selection
        topic_chart_slide(deck, VENUE_CHART_TITLE, venue.topics[:CHART_TOPICS])
    elif data.topics:
        topic_chart_slide(deck, SECTION_TITLES["chart"],
                          [(topic, len(members)) for topic, members in data.topics])


def papers_section(deck: Deck, data: DeckInput) -> None:
    event_name = clean(data.folder.event.name)
    for topic, members in data.topics:
        count = f"{len(members)} paper{'s' if len(members) != 1 else ''}"
        titles = [("★ " if p.award else "") + clean(p.title) for p in members]
        divider_slide(deck, topic, count, titles,
                      notes.list_notes(f"Next, {topic}: {count}.", titles))
        for paper in members:
            summary = data.folder.summaries.get(paper.key)
            paper_slides(deck, _paper_view(data, paper, summary),
                         notes.paper_notes(paper, summary, event_name, data.panel_note(paper)))


def _paper_view(data: DeckInput, paper, summary) -> PaperView:
    """Return what the paper's slides show: its key figure (the panel displaced to a slide
    of its own when the deck asks), else its panel."""
    figure = data.figure_for(paper)
    panel = data.panel_for(paper) if figure and data.config.panel == "slide" else None
    return PaperView(paper, summary, figure.path if figure else data.panel_for(paper),
                     data.config.qr, figure=figure, panel=panel,
                     figure_slide=data.config.figure_slides and figure is not None)


def talks_section(deck: Deck, data: DeckInput) -> None:
    for talk in data.folder.event.talks:
        speaker = f"Invited talk · {clean(talk.speaker)}" if talk.speaker else "Invited talk"
        points = bullets([clean(p) for p in talk.points]) or [Para(" ")]
        content_slides(deck, clean(talk.title), points, notes.talk_notes(talk), subtitle=speaker)


def other_papers_section(deck: Deck, data: DeckInput) -> None:
    others = data.folder.event.other_papers
    if others:
        items = [clean(o.title) for o in others]
        paras = bullets(items, [o.url for o in others])
        content_slides(deck, SECTION_TITLES["other_papers"], paras,
                       notes.list_notes("Other papers worth a look:", items), role="list")


def reading_list_section(deck: Deck, data: DeckInput) -> None:
    from .table import reading_list_slides

    papers = _papers(data)
    if papers:
        reading_list_slides(deck, SECTION_TITLES["reading_list"], papers, data.folder.summaries)


def closing_section(deck: Deck, data: DeckInput) -> None:
    event = data.folder.event
    presenter = clean(event.presenter)
    subtitle = f"{presenter} · {clean(event.name)}" if presenter else clean(event.name)
    title_slide(deck, "Thank you — questions?", subtitle, "", "Thank you. Questions?")
