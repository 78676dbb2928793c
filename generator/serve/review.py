"""What the review page does to an event: read, edit, approve and redraft, one paper at a time.

Every request reads the event from disk again, so an edit made in an editor or by a
`confgen build` shows at once. Every write goes through the summary store and holds the
event lock for that write only (milliseconds; a redraft holds it while it drafts): a write
while `confgen build` runs is refused with "busy" (HTTP 423), and a build started during
a write is refused the same way, so the two never interleave. Between writes the page
holds no lock, and a build can run while the page is open.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from pydantic import ValidationError

from ..build import choose_backend
from ..core.errors import ConfgenError
from ..core.event import EventFolder, check_event, open_event
from ..core.grounding import ground
from ..core.hashing import file_hash
from ..core.models import LIMITS, SAFE_ID, Paper, Provenance, Summary, SummaryContent, over_limit
from ..core.store import mark_reviewed, reviewed_on_disk, save_summary, source_hash
from ..drafting.backends import get_backend
from ..drafting.summarize import plan, summarize
from ..incremental import event_lock
from .highlight import grounding_terms, highlight

# Keys of a summary file that the page shows but never takes from an edit.
READ_ONLY = ("id", "status", "provenance", "checks")


class ReviewError(Exception):
    """A request the page cannot carry out: an HTTP status and a message for the reader."""

    status = 400

    def __init__(self, message: str, errors: list[dict] | None = None):
        super().__init__(message)
        self.message, self.errors = message, errors or []


class NotFound(ReviewError):
    status = 404


class Conflict(ReviewError):
    status = 409


class Locked(ReviewError):
    status = 423


class Invalid(ReviewError):
    status = 422


class DraftFailed(ReviewError):
    status = 502


@dataclass
class Reviewer:
    """One event under review, and how redrafts are made."""

    root: Path
    backend: str | None = None
    backend_options: dict = field(default_factory=dict)
    style: str = "talk"
    theme: str = "light"

    def open(self, paper_id: str | None = None) -> EventFolder:
        """Read the event from disk with every summary, or with `paper_id`'s alone."""
        try:
            return open_event(self.root, None if paper_id is None else {paper_id})
        except ConfgenError as exc:
            raise ReviewError(str(exc)) from None

    def paper(self, folder: EventFolder, paper_id: str) -> Paper:
        """Return the paper called `paper_id`; anything else (paths, unknown ids) is a 404."""
        if SAFE_ID.match(paper_id):
            for paper in folder.papers:
                if paper.key == paper_id:
                    return paper
        raise NotFound(f"no paper with id {paper_id!r} in this event")

    @contextmanager
    def writing(self, paper_id: str) -> Iterator[EventFolder]:
        """Hold the event lock for one write and yield the event as it is on disk now."""
        lock = event_lock(self.root)
        try:
            lock.__enter__()
        except ConfgenError as exc:
            raise Locked(f"{exc}; nothing was saved") from None
        try:
            yield self.open(paper_id)
        finally:
            lock.__exit__(None, None, None)

    def backend_name(self) -> str:
        if self.backend is None:
            self.backend = choose_backend(None)
        return self.backend


def status_of(folder: EventFolder, paper: Paper) -> str:
    """Return missing, invalid, draft or reviewed."""
    summary = folder.summaries.get(paper.key)
    if summary is not None:
        return summary.status
    return "invalid" if folder.summary_path(paper).exists() else "missing"


def version_of(folder: EventFolder, paper: Paper) -> str:
    """Return a stamp of the summary file's bytes ("" when there is none)."""
    path = folder.summary_path(paper)
    return file_hash(path) if path.is_file() else ""


def warnings_of(folder: EventFolder) -> dict[Path, list[str]]:
    """Return `confgen check`'s warnings for the loaded summaries, by summary file."""
    found: dict[Path, list[str]] = {}
    for problem in check_event(folder)[1]:
        found.setdefault(problem.path, []).append(problem.message)
    return found


def row(folder: EventFolder, paper: Paper, warnings: dict[Path, list[str]]) -> dict:
    """Return what the index shows about one paper."""
    summary = folder.summaries.get(paper.key)
    return {"id": paper.key, "title": paper.title, "topic": paper.topic, "award": paper.award,
            "status": status_of(folder, paper),
            "warnings": warnings.get(folder.summary_path(paper), []) if summary else [],
            "stale": bool(summary and summary.provenance.source_hash != source_hash(paper))}


def list_papers(reviewer: Reviewer) -> dict:
    folder = reviewer.open()
    warnings = warnings_of(folder)
    return {"event": folder.event.name,
            "papers": [row(folder, p, warnings) for p in folder.papers]}


def _sources(paper: Paper, summary: Summary | None) -> list[dict]:
    full = paper.fulltext.text if paper.fulltext is not None else ""
    parts = [("Abstract", paper.abstract), ("Notes", paper.notes), ("Full text", paper.body),
             ("Paper text", full)]
    return [{"name": name, "text": text, "segments": highlight(text, paper, summary)}
            for name, text in parts if text]


def detail(reviewer: Reviewer, paper_id: str) -> dict:
    """Return a paper with its source text, highlights, summary and problems."""
    folder = reviewer.open(paper_id)
    paper = reviewer.paper(folder, paper_id)
    summary = folder.summaries.get(paper.key)
    keys = [p.key for p in folder.papers]
    at = keys.index(paper.key)
    problems = [f"{p.path.name}:{p.line}: {p.message}" if p.line else f"{p.path.name}: {p.message}"
                for p in folder.summary_problems if p.path == folder.summary_path(paper)]
    return {
        **row(folder, paper, warnings_of(folder)), "authors": paper.authors,
        "venue": paper.venue, "url": paper.url,
        "sources": _sources(paper, summary),
        "summary": summary.model_dump(mode="json") if summary else None,
        "problems": problems, "terms": grounding_terms(paper, summary) if summary else [],
        "version": version_of(folder, paper), "limits": LIMITS, "event": folder.event.name,
        "previous": keys[at - 1] if at > 0 else None,
        "next": keys[at + 1] if at + 1 < len(keys) else None,
    }


def _location(loc: tuple) -> str:
    return ".".join(str(part) for part in loc)


def validate_edit(body: object) -> SummaryContent:
    """Validate an edit with the summary model and the word limits; raise every error."""
    if not isinstance(body, dict):
        raise Invalid("expected a JSON object with the summary's fields",
                      [{"loc": "", "message": "expected a JSON object"}])
    data = {key: value for key, value in body.items() if key not in READ_ONLY}
    try:
        content = SummaryContent.model_validate(data)
    except ValidationError as exc:
        errors = [{"loc": _location(e["loc"]),
                   "message": "unknown key" if e["type"] == "extra_forbidden"
                   else e["msg"].removeprefix("Value error, ")}
                  for e in exc.errors(include_url=False)]
        raise Invalid("the summary is not valid; nothing was saved", errors) from None
    errors = [{"loc": _location(loc), "message": f"{words} words, more than {limit}"}
              for loc, words, limit in over_limit(content)]
    if errors:
        raise Invalid("some fields are longer than their word limits; nothing was saved", errors)
    return content


def _may_overwrite(folder: EventFolder, paper: Paper, version: str | None, force: bool) -> None:
    current = version_of(folder, paper)
    if force or (version is not None and version == current):
        return
    if version is not None:
        raise Conflict("the summary changed on disk since you opened it; reload the page to "
                       "see the new version (your edit was not saved)")
    if reviewed_on_disk(folder.summary_path(paper)):
        raise Conflict("the summary is reviewed: send its version (If-Match) or force=1 to "
                       "change it")


def save_edit(reviewer: Reviewer, paper_id: str, body: object, version: str | None = None,
              force: bool = False) -> dict:
    """Save an edited summary (status and provenance kept, grounding checked again)."""
    content = validate_edit(body)
    with reviewer.writing(paper_id) as folder:
        paper = reviewer.paper(folder, paper_id)
        _may_overwrite(folder, paper, version, force)
        old = folder.summaries.get(paper.key)
        provenance = old.provenance if old else Provenance(
            backend="manual", source_hash=source_hash(paper),
            created=datetime.now(UTC).replace(microsecond=0).isoformat())
        summary = Summary(id=paper.key, status=old.status if old else "draft",
                          provenance=provenance,
                          checks=ground(content, paper.source_text, paper.title),
                          **content.model_dump())
        save_summary(folder, paper, summary, force=True)
    return detail(reviewer, paper_id)


def approve(reviewer: Reviewer, paper_id: str) -> dict:
    """Mark the summary on disk reviewed."""
    with reviewer.writing(paper_id) as folder:
        paper = reviewer.paper(folder, paper_id)
        try:
            mark_reviewed(folder, paper)
        except ConfgenError as exc:
            raise Conflict(str(exc)) from None
    return detail(reviewer, paper_id)


def _keep_unless_forced(folder: EventFolder, paper: Paper) -> None:
    """Refuse to redraft over a reviewed summary, or a file that does not load (hand edits
    with a typo are still someone's work)."""
    path = folder.summary_path(paper)
    if reviewed_on_disk(path):
        raise Conflict("This summary is reviewed: redraft with force=1 to replace it")
    if path.exists() and paper.key not in folder.summaries:
        raise Conflict("This summary file does not load (see its problems): redraft with "
                       "force=1 to replace it")


def redraft(reviewer: Reviewer, paper_id: str, force: bool = False) -> dict:
    """Draft the paper again with the configured backend; a reviewed summary needs `force`."""
    name = reviewer.backend_name()
    with reviewer.writing(paper_id) as folder:
        paper = reviewer.paper(folder, paper_id)
        if not force:
            _keep_unless_forced(folder, paper)
        try:
            backend = get_backend(name, llm=folder.event.llm, event_root=folder.root,
                                  **reviewer.backend_options)
        except ConfgenError as exc:  # e.g. no model configured for the openai backend
            raise DraftFailed(f"cannot draft: {exc}") from None
        report = summarize(folder, backend, plan(folder, [paper.key], force=True),
                           concurrency=1, style=reviewer.style)
    if report.failed:
        raise DraftFailed(f"drafting failed: {report.failed[paper.key]}")
    return detail(reviewer, paper_id)


def summary_for_preview(reviewer: Reviewer, paper_id: str) -> tuple[EventFolder, Paper,
                                                                     Summary | None]:
    """Return the event, the paper and its current summary (None when missing or invalid)."""
    folder = reviewer.open(paper_id)
    paper = reviewer.paper(folder, paper_id)
    return folder, paper, folder.summaries.get(paper.key)
