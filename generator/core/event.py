"""Load an event folder: event.yaml plus one summary file per paper.

All reading and validation happen here, before anything is written, so a bad input
stops the run with every problem listed and no file touched.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ConfgenError, Problem
from .figures import KeyFigure, key_figure
from .fulltext import load_fulltext
from .grounding import ground
from .images import image_problem
from .models import Event, Paper, Summary, length_problems
from .stats import VenueStats, has_selection, shown_papers, venue_stats, with_stats
from .validation import validate_doc
from .yamlio import read_yaml

EVENT_FILE = "event.yaml"


@dataclass
class EventFolder:
    """An event and the summaries found beside it."""

    root: Path
    event: Event
    summaries: dict[str, Summary] = field(default_factory=dict)
    summary_problems: list[Problem] = field(default_factory=list)
    venue: VenueStats | None = None  # set on the output view of a selected venue
    # figures/<id>/figures.yaml, read once per paper: deck, panels and stamps all ask
    key_figures: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def slug(self) -> str:
        return self.root.name

    @property
    def papers(self) -> list[Paper]:
        return self.event.papers

    def summary_path(self, paper: Paper) -> Path:
        return self.root / f"{paper.key}.yaml"

    def figure_path(self, paper: Paper) -> Path | None:
        figure = self.key_figure(paper)
        return figure.path if figure else None

    def key_figure(self, paper: Paper) -> KeyFigure | None:
        """Return the figure the paper's slide shows (see core.figures), or None."""
        memo = (paper.key, paper.figure)
        if memo not in self.key_figures:
            try:
                self.key_figures[memo] = key_figure(self.root, paper.key, paper.figure)
            except ConfgenError:  # reported by load_event; renderers fall back to the panel
                self.key_figures[memo] = None
        return self.key_figures[memo]

    def shown_figure(self, paper: Paper) -> KeyFigure | None:
        """Return the paper's key figure when its file is there to show, else None."""
        figure = self.key_figure(paper)
        return figure if figure is not None and figure.path.is_file() else None


def output_view(folder: EventFolder) -> EventFolder:
    """Return the folder as the outputs see it: the one place where a selection applies.

    Without selected papers, this is `folder` itself. With them, the view's papers are
    the shown ones (`core.stats.shown_papers`), its stats the user's followed by the
    whole venue's computed numbers, and `venue` holds those counts (for the topic chart).
    """
    if folder.venue is not None or not has_selection(folder.event):
        return folder
    stats = venue_stats(folder.event)
    shown = shown_papers(folder.event)
    event = folder.event.model_copy(update={"papers": shown,
                                            "stats": with_stats(folder.event, stats)})
    keys = {paper.key for paper in shown}
    summaries = {key: s for key, s in folder.summaries.items() if key in keys}
    return EventFolder(folder.root, event, summaries, folder.summary_problems, stats,
                       folder.key_figures)


def resolve_event_dir(ref: str | Path, summaries_root: Path = Path("summaries")) -> Path:
    """Accept an event folder path or a bare event name under summaries/."""
    path = Path(ref)
    if (path / EVENT_FILE).is_file() or path.suffix == ".yaml":
        return path.parent if path.suffix == ".yaml" else path
    candidate = summaries_root / str(ref)
    if (candidate / EVENT_FILE).is_file():
        return candidate
    raise ConfgenError(f"no event found: neither {path} nor {candidate} holds an {EVENT_FILE}")


def load_event(root: Path) -> Event:
    """Read and validate event.yaml, raising every problem at once."""
    doc = read_yaml(root / EVENT_FILE)
    event, problems = validate_doc(doc, Event)
    if event is not None:
        problems += _paper_problems(doc, event, root)
        for paper in event.papers:
            try:
                paper.attach_fulltext(load_fulltext(root, paper.key))
            except ConfgenError as exc:
                problems += exc.problems
    if problems:
        raise ConfgenError(problems)
    return event  # type: ignore[return-value]


def _paper_problems(doc, event: Event, root: Path) -> list[Problem]:
    problems, seen = [], {}
    for index, paper in enumerate(event.papers):
        key = paper.key
        if key in seen:
            problems.append(doc.problem(("papers", index), f"duplicate paper id {key!r} "
                                        f"(also papers[{seen[key]}]); set a distinct 'id'"))
        seen.setdefault(key, index)
        if key == "event":
            problems.append(doc.problem(("papers", index, "id"), "id 'event' is reserved"))
        problems += _figure_problems(doc, root, paper, ("papers", index, "figure"))
    return problems


def _figure_problems(doc, root: Path, paper: Paper, loc: tuple) -> list[Problem]:
    try:
        figure = key_figure(root, paper.key, paper.figure)
    except ConfgenError as exc:
        return [doc.problem(loc, problem.message) for problem in exc.problems]
    if figure is None:
        return []
    name = paper.figure or str(figure.path.relative_to(root))
    if not figure.path.is_file():
        return [doc.problem(loc, f"figure file {name!r} not found in {root}")]
    reason = image_problem(figure.path)
    return [doc.problem(loc, f"figure {name!r}: {reason}")] if reason else []


def load_summary(path: Path) -> tuple[Summary | None, list[Problem]]:
    """Read one summary file; return it or the problems that stop it from loading."""
    doc = read_yaml(path)
    summary, problems = validate_doc(doc, Summary)
    if summary is not None and summary.id != path.stem:
        problems.append(doc.problem(("id",), f"id {summary.id!r} does not match the file "
                                    f"name {path.name!r}"))
    return (summary if not problems else None), problems  # type: ignore[return-value]


def open_event(root: Path, only: Collection[str] | None = None) -> EventFolder:
    """Load the event and every existing summary (or those of the paper ids in `only`);
    summary problems are collected, not raised."""
    event = load_event(root)
    folder = EventFolder(root, event)
    for paper in event.papers:
        path = folder.summary_path(paper)
        if (only is not None and paper.key not in only) or not path.exists():
            continue
        try:
            summary, problems = load_summary(path)
        except ConfgenError as exc:
            summary, problems = None, exc.problems
        folder.summary_problems += problems
        if summary is not None:
            folder.summaries[paper.key] = summary
    return folder


def check_event(folder: EventFolder) -> tuple[list[Problem], list[Problem]]:
    """Return (errors, warnings) for an event and its summaries."""
    errors = list(folder.summary_problems)
    warnings = []
    for paper in folder.papers:
        path = folder.summary_path(paper)
        summary = folder.summaries.get(paper.key)
        if summary is None:
            if not path.exists() and not paper.source_text.strip():
                warnings.append(Problem(path, None, "no summary: the paper has no abstract, "
                                        "notes or text to draft from (a PDF without a text "
                                        "layer?); add its abstract or notes to event.yaml"))
            elif not path.exists():
                warnings.append(Problem(path, None, "no summary yet; run `confgen summarize`"))
            continue
        # Re-check grounding now: the file may have been edited by hand since drafting.
        checks = ground(summary, paper.source_text, paper.title)
        warnings += [Problem(path, None, f"{c.field}: {c.message}") for c in checks]
        warnings += [Problem(path, None, f"too long for the layouts: {m}")
                     for m in length_problems(summary)]
    return errors, warnings
