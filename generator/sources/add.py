"""`confgen add`: read every REF, look papers up, merge them into event.yaml, write once.

The stages run top-down and all reading and fetching happens before any writing: refs
are classified (every bad one reported at once), sources are asked (arXiv ids in one
batch), papers are merged into the round-trip document, the result is validated as an
`Event`, and only then are figures and event.yaml written, each atomically.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import ValidationError

from ..errors import ConfgenError, Problem
from ..event import EVENT_FILE
from ..models import Event
from ..yamlio import write_atomic
from .arxiv import ArxivClient, to_found
from .bibtex import read_bibtex
from .found import Found
from .merge import EventDoc, MergeReport, add_other_papers, entry_key, find_match, merge
from .openreview import OpenReviewClient
from .pdf import read_pdf
from .refs import Ref, classify, read_list

FIGURES_DIR = "figures"


@dataclass
class AddOptions:
    refs: list[str] = field(default_factory=list)
    list_file: Path | None = None
    figures: bool = False
    topic: str = ""


@dataclass
class AddResult:
    event_file: Path
    report: MergeReport
    written: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class Clients:
    """The network sources; tests and callers may pass their own."""

    arxiv: ArxivClient | None = None
    openreview: OpenReviewClient | None = None

    def get_arxiv(self) -> ArxivClient:
        self.arxiv = self.arxiv or ArxivClient()
        return self.arxiv

    def get_openreview(self) -> OpenReviewClient:
        self.openreview = self.openreview or OpenReviewClient()
        return self.openreview


def add_target(ref: str, summaries_root: Path = Path("summaries")) -> Path:
    """Return the event folder for `ref`, which need not exist yet.

    A folder holding event.yaml (or the file itself) is used as is; a bare name is an
    event under summaries/, new or not; any other path is that folder, created if needed.
    """
    path = Path(ref)
    if path.suffix == ".yaml":
        return path.parent
    if (path / EVENT_FILE).is_file():
        return path
    if len(path.parts) == 1 and ref not in (".", ".."):
        return summaries_root / ref
    return path


def collect_refs(options: AddOptions) -> list[Ref]:
    """Classify every REF and --list line, reporting all the bad ones together."""
    refs, problems = [], []
    for text in options.refs:
        try:
            refs += classify(text)
        except ConfgenError as exc:
            problems += exc.problems
    if options.list_file is not None:
        try:
            refs += read_list(options.list_file)
        except ConfgenError as exc:
            problems += exc.problems
    if problems:
        raise ConfgenError(problems)
    if not refs:
        raise ConfgenError("nothing to add: give arXiv ids, URLs, files or --list FILE")
    return refs


def resolve(refs: list[Ref], clients: Clients, figures: bool) -> tuple[list[Found], list[str]]:
    """Return the papers behind `refs` in their order, and the titles arXiv did not know."""
    arxiv_ids = [r.value for r in refs if r.kind == "arxiv"]
    entries = clients.get_arxiv().fetch(arxiv_ids) if arxiv_ids else {}
    note_ids = [r.value for r in refs if r.kind == "openreview"]
    notes = clients.get_openreview().fetch(note_ids) if note_ids else {}
    found: list[Found] = []
    unmatched: list[str] = []
    for ref in refs:
        if ref.kind == "arxiv":
            found.append(to_found(entries[ref.value], ref.value))
        elif ref.kind == "openreview":
            found.append(notes[ref.value])
        elif ref.kind == "bibtex":
            found += read_bibtex(Path(ref.value))
        elif ref.kind == "pdf":
            found.append(read_pdf(Path(ref.value), figures=figures))
        else:
            entry = clients.get_arxiv().search_title(ref.value)
            if entry is None:
                unmatched.append(ref.value)
            else:
                found.append(to_found(entry))
    return found, unmatched


def add_papers(root: Path, options: AddOptions, clients: Clients | None = None) -> AddResult:
    """Add the papers named in `options` to the event at `root`, creating it if needed."""
    refs = collect_refs(options)
    event_file = root / EVENT_FILE
    doc = EventDoc(event_file, name=root.name)  # read and check before any network call
    found, unmatched = resolve(refs, clients or Clients(), options.figures)
    report = merge(doc, found, options.topic)
    add_other_papers(doc, unmatched, report)
    result = AddResult(event_file, report)
    result.warnings += [f"no arXiv paper has the title {t!r}; listed under other_papers"
                        for t in report.other_papers]
    figure_files = _place_figures(doc, found, result) if options.figures else {}
    text = doc.text()
    validate(text, event_file)
    for path, data in figure_files.items():
        write_atomic(root / path, data)
        result.written.append(root / path)
    write_atomic(event_file, text)
    result.written.append(event_file)
    return result


def _place_figures(doc: EventDoc, found: list[Found], result: AddResult) -> dict[str, bytes]:
    """Point papers without a figure at the largest image of their PDF; return the files."""
    files: dict[str, bytes] = {}
    for item in found:
        if item.pdf is None:
            continue
        entry = find_match(doc.papers, item.paper)
        if entry is None or entry.get("figure"):
            continue
        if item.figure is None:
            result.warnings.append(f"{item.pdf}: no raster image found; add a figure by hand")
            continue
        data, suffix = item.figure
        name = f"{FIGURES_DIR}/{entry_key(entry)}{suffix}"
        entry["figure"] = name
        files[name] = data
    return files


def validate(text: str, event_file: Path) -> None:
    """Refuse to write an event.yaml that `confgen` could not load."""
    data = yaml.safe_load(text)
    try:
        event = Event.model_validate(data)
    except ValidationError as exc:
        raise ConfgenError([
            Problem(event_file, None, "after adding, "
                    f"{'.'.join(str(p) for p in err['loc']) or 'the event'}: {err['msg']}")
            for err in exc.errors(include_url=False)]) from None
    keys = [paper.key for paper in event.papers]
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    if duplicates:
        raise ConfgenError([Problem(event_file, None, f"duplicate paper id {key!r} after "
                                    "adding; set a distinct 'id'") for key in duplicates])
