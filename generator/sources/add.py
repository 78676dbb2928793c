"""`confgen add`: read every REF, look papers up, merge them into event.yaml, write once.

The stages run top-down and all reading and fetching happens before any writing: refs
are classified (every bad one reported at once), sources are asked (arXiv ids in one
batch), papers are merged into the round-trip document, the result is validated as an
`Event`, and only then are figures and event.yaml written, each atomically.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import ValidationError

from ..core.errors import ConfgenError, Problem
from ..core.event import EVENT_FILE
from ..core.models import Event
from ..core.progress import console
from ..core.yamlio import FastLoader, write_atomic
from .arxiv import ArxivClient, to_found
from .arxiv_files import ArxivFilesClient
from .bibtex import read_bibtex_files
from .blocks import BlockEditor, bulk_merge
from .found import Found
from .merge import EventDoc, MergeReport, add_other_papers, entry_key, find_match, merge
from .openreview import OpenReviewClient
from .paper_assets import collect_assets
from .paperlist import read_paperlist
from .pdf import read_pdf
from .refs import Ref, classify, read_list

FIGURES_DIR = "figures"


@dataclass
class AddOptions:
    refs: list[str] = field(default_factory=list)
    list_file: Path | None = None
    figures: bool = False
    fulltext: bool = False  # arXiv papers: store the paper's text in fulltext/<id>.yaml
    topic: str = ""
    strict: bool = False  # refuse everything when any input is bad
    venue: str = ""  # an OpenReview venue id: import every accepted paper


@dataclass
class AddResult:
    event_file: Path
    report: MergeReport
    written: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)  # bad entries and files left out


@dataclass
class Clients:
    """The network sources; tests and callers may pass their own."""

    arxiv: ArxivClient | None = None
    openreview: OpenReviewClient | None = None
    arxiv_files: ArxivFilesClient | None = None

    def get_arxiv_files(self) -> ArxivFilesClient:
        """Return the client of arXiv's files host (e-prints, PDFs), created on first use."""
        self.arxiv_files = self.arxiv_files or ArxivFilesClient()
        return self.arxiv_files

    def get_arxiv(self) -> ArxivClient:
        """Return the arXiv client, created on first use."""
        self.arxiv = self.arxiv or ArxivClient()
        return self.arxiv

    def warnings(self) -> list[str]:
        """Return what the clients that ran had to warn about (an unwritable cache)."""
        return [w for client in (self.arxiv, self.openreview, self.arxiv_files)
                if client is not None
                for w in client.http.warnings]

    def get_openreview(self) -> OpenReviewClient:
        """Return the OpenReview client, created on first use."""
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


@dataclass
class Resolved:
    """The papers behind the refs, the titles arXiv did not know, and warnings."""

    found: list[Found] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)


def resolve(refs: list[Ref], clients: Clients, figures: bool) -> Resolved:
    """Return the papers behind `refs` in their order; local files are read first."""
    resolved = Resolved()
    local = _read_local(refs, figures, resolved)
    arxiv_ids = [r.value for r in refs if r.kind == "arxiv"]
    entries = clients.get_arxiv().fetch(arxiv_ids) if arxiv_ids else {}
    note_ids = [r.value for r in refs if r.kind == "openreview"]
    notes = clients.get_openreview().fetch(note_ids) if note_ids else {}
    completions = _complete_from_arxiv([f for items in local.values() for f in items], clients,
                                       resolved.warnings)
    _announce_titles(refs, clients)
    for ref in refs:
        if ref.kind == "arxiv":
            resolved.found.append(to_found(entries[ref.value], ref.value))
        elif ref.kind == "openreview":
            resolved.found.append(notes[ref.value])
        elif ref.kind in ("bibtex", "pdf"):
            for item in local[ref]:  # a completion follows its entry and updates it
                resolved.found += [item] + ([completions[id(item)]] if id(item) in completions
                                            else [])
        else:
            entry = clients.get_arxiv().search_title(ref.value)
            if entry is None:
                resolved.unmatched.append(ref.value)
            else:
                resolved.found.append(to_found(entry))
    return resolved


def _read_local(refs: list[Ref], figures: bool, resolved: Resolved) -> dict[Ref, list[Found]]:
    """Read every .bib file together (shared @string macros) and every PDF on its own.

    A bad entry or file is recorded in `resolved.skipped`; the others are still read.
    """
    bib_refs = [ref for ref in refs if ref.kind == "bibtex"]
    bib = read_bibtex_files(list(dict.fromkeys(Path(ref.value) for ref in bib_refs)))
    resolved.skipped += bib.problems
    resolved.warnings += bib.warnings
    local = {ref: bib.found.get(Path(ref.value), []) for ref in bib_refs}
    for ref in refs:
        if ref.kind != "pdf":
            continue
        try:
            item = read_pdf(Path(ref.value), figures=figures)
        except ConfgenError as exc:
            resolved.skipped += exc.problems
            local[ref] = []
            continue
        local[ref] = [item]
        if item.note:
            resolved.warnings.append(item.note)
    return local


def _complete_from_arxiv(items: list[Found], clients: Clients,
                         warnings: list[str]) -> dict[int, Found]:
    """Fetch arXiv metadata for BibTeX entries that name an arXiv id but have no abstract.

    BibTeX rarely carries abstracts, and drafting needs one. This is a bonus: when arXiv
    cannot help, the entries are still added as they are, with a warning.
    """
    wanted = {id(item): item.paper.arxiv for item in items
              if item.origin == "bibtex" and item.paper.arxiv and not item.paper.abstract}
    if not wanted:
        return {}
    try:
        entries = clients.get_arxiv().fetch(sorted(set(wanted.values())), missing_ok=True)
    except ConfgenError as exc:
        warnings.append(f"could not complete {len(wanted)} BibTeX entries from arXiv: "
                        f"{exc.problems[0].message}")
        return {}
    return {key: to_found(entries[arxiv], arxiv) for key, arxiv in wanted.items()
            if arxiv in entries}


def _announce_titles(refs: list[Ref], clients: Clients) -> None:
    titles = sum(1 for r in refs if r.kind == "title")
    if titles > 1 and clients.get_arxiv().http.interval:
        console.print(f"looking up {titles} titles on arXiv, one request every "
                      f"{clients.get_arxiv().http.interval:g} s")


def add_papers(root: Path, options: AddOptions, clients: Clients | None = None) -> AddResult:
    """Add the papers named in `options` to the event at `root`, creating it if needed."""
    if options.venue or any(Path(r).suffix.lower() == ".json" for r in options.refs):
        return add_in_bulk(root, options, clients or Clients())
    refs = collect_refs(options)
    event_file = root / EVENT_FILE
    doc = EventDoc(event_file, name=root.name)  # read and check before any network call
    clients = clients or Clients()
    resolved = resolve(refs, clients, options.figures)
    _refuse_if_nothing_good(resolved, options)
    found = resolved.found
    report = merge(doc, found, options.topic)
    add_other_papers(doc, resolved.unmatched, report)
    result = AddResult(event_file, report, warnings=resolved.warnings + clients.warnings(),
                       skipped=resolved.skipped)
    result.warnings += [f"no arXiv paper has the title {t!r}; listed under other_papers"
                        for t in report.other_papers]
    figure_files = _place_figures(doc, found, result) if options.figures else {}
    figure_files |= _arxiv_assets(doc, found, clients, options, result)
    text = doc.text()
    validate(text, event_file)
    for path, data in figure_files.items():
        write_atomic(root / path, data)
        result.written.append(root / path)
    write_atomic(event_file, text)
    result.written.append(event_file)
    return result


def _arxiv_assets(doc: EventDoc, found: list[Found], clients: Clients, options: AddOptions,
                  result: AddResult) -> dict[str, bytes]:
    """Fetch the figures and full text of the arXiv papers added (see paper_assets)."""
    if not (options.figures or options.fulltext):
        return {}
    wanted, without = {}, 0
    for item in found:
        entry = find_match(doc.papers, item.paper) if item.paper.arxiv else None
        if entry is not None and item.paper.arxiv:  # that version: a new one is a new URL
            wanted[entry_key(entry)] = item.version or item.paper.arxiv
        elif item.pdf is None:
            without += 1
    if without:
        result.warnings.append(f"{without} paper(s) have no arXiv id: --figures and "
                               "--fulltext fetch nothing for them")
    assets = collect_assets(list(wanted.items()), clients.get_arxiv_files(), options.figures,
                            options.fulltext)
    files: dict[str, bytes] = {}
    for key in wanted:
        files |= assets[key].files
        result.warnings += assets[key].notes
    return files


def _refuse_if_nothing_good(resolved: Resolved, options: AddOptions) -> None:
    """Refuse all when `--strict` saw a bad input, or when nothing good is left to add."""
    if resolved.skipped and (options.strict or not (resolved.found or resolved.unmatched)):
        raise ConfgenError(resolved.skipped)


def add_in_bulk(root: Path, options: AddOptions, clients: Clients) -> AddResult:
    """Add a whole venue or paper lists (with any other refs) block by block, in seconds."""
    refs = collect_refs(options) if options.refs or options.list_file else []
    event_file = root / EVENT_FILE
    editor = BlockEditor(event_file, name=root.name)  # read and check before any network call
    found, warnings = [], []
    if options.figures:
        warnings.append("--figures is ignored with a venue or a paper list")
    if options.venue:
        found += clients.get_openreview().venue_papers(options.venue)
    for ref in (r for r in refs if r.kind == "paperlist"):
        listed = read_paperlist(Path(ref.value))
        found += listed.found
        warnings += [f"{ref.value}: left out {n} {status or 'unknown-status'} record(s)"
                     for status, n in listed.skipped.items()]
    resolved = Resolved()
    others = [r for r in refs if r.kind != "paperlist"]
    if others:
        resolved = resolve(others, clients, figures=False)
        _refuse_if_nothing_good(resolved, options)
        found += resolved.found
        warnings += resolved.warnings + [f"no arXiv paper has the title {t!r}; not added"
                                         for t in resolved.unmatched]
    report = bulk_merge(editor, found, options.topic)
    venues = {item.paper.venue for item in found}
    if not event_file.exists() and len(venues) == 1 and "" not in venues:
        editor.set_key("name", venues.pop())  # a new event is named after its venue
    text = editor.text()
    validate(text, event_file)
    write_atomic(event_file, text)
    return AddResult(event_file, report, [event_file], warnings + clients.warnings(),
                     skipped=resolved.skipped)


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
        doc.set_field(entry, "figure", name)
        key = entry_key(entry)
        if key in result.report.unchanged:
            result.report.unchanged.remove(key)
            result.report.updated.append(key)
        files[name] = data
    return files


def validate(text: str, event_file: Path) -> None:
    """Refuse to write an event.yaml that `confgen` could not load."""
    data = yaml.load(text, Loader=FastLoader)  # noqa: S506 - a safe loader
    try:
        event = Event.model_validate(data)
    except ValidationError as exc:
        raise ConfgenError([
            Problem(event_file, None, "after adding, "
                    f"{'.'.join(str(p) for p in err['loc']) or 'the event'}: {err['msg']}")
            for err in exc.errors(include_url=False)]) from None
    keys = [paper.key for paper in event.papers]
    duplicates = sorted(key for key, n in Counter(keys).items() if n > 1)
    if duplicates:
        raise ConfgenError([Problem(event_file, None, f"duplicate paper id {key!r} after "
                                    "adding; set a distinct 'id'") for key in duplicates])
