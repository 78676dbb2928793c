"""Draft the summaries an event is missing, concurrently, one atomic file at a time.

Each paper is independent: a failure is recorded and the others go on. Every summary
is written the moment it is done, so an interrupted run resumes where it stopped.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from ..core.errors import ConfgenError, DraftError, Problem
from ..core.event import EventFolder, output_view
from ..core.fulltext import DEFAULT_TOKENS, excerpt, locate
from ..core.grounding import ground
from ..core.models import Paper, Provenance, Summary, length_checks
from ..core.store import needs_draft, save_summary, source_hash
from .backends import Backend, DraftRequest, DraftResult, Usage


@dataclass
class SummarizeReport:
    written: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    usage: Usage = field(default_factory=Usage)
    cached: int = 0
    wall_time: float = 0.0  # seconds spent drafting


def plan_shown(folder: EventFolder, only: list[str] | None,
               force: bool) -> tuple[EventFolder, list[tuple[Paper, str]]]:
    """Return the output view (selected papers only, see `output_view`) and its plan.

    A paper of the event that is not selected is never drafted: asking for it by id is
    an error that says how to select it.
    """
    view = output_view(folder)
    shown, known = {p.key for p in view.papers}, {p.key for p in folder.papers}
    hidden = [pid for pid in only or [] if pid not in shown and pid in known]
    if hidden:
        raise ConfgenError(f"not selected, so never drafted or shown: {', '.join(hidden)}; "
                           "set `selected: true` on it in event.yaml first")
    return view, plan(view, only, force)


def plan(folder: EventFolder, only: list[str] | None, force: bool) -> list[tuple[Paper, str]]:
    """Return the papers to draft and why; unknown ids in `only` are an error."""
    known = {paper.key: paper for paper in folder.papers}
    if only:
        unknown = [pid for pid in only if pid not in known]
        if unknown:
            raise ConfgenError([Problem(folder.root / "event.yaml", None,
                                        f"no paper with id {pid!r}") for pid in unknown])
    chosen = [known[pid] for pid in only] if only else folder.papers
    todo = []
    for paper in chosen:
        reason = needs_draft(folder, paper, force)
        if reason:
            todo.append((paper, reason))
    return todo


def build_summary(paper: Paper, result: DraftResult, backend: str) -> Summary:
    """Wrap a backend's draft with provenance, grounding and word-limit checks."""
    provenance = Provenance(
        backend=backend,
        model=result.model,
        source_hash=source_hash(paper),
        prompt_hash=result.prompt_hash,
        created=datetime.now(UTC).replace(microsecond=0).isoformat(),
        repaired=result.repaired,
    )
    checks = ground(result.content, paper.source_text, paper.title) + length_checks(result.content)
    content = result.content.model_dump()
    for number in content["key_numbers"]:  # where in the paper each number was read
        number["where"] = number.get("where") or locate(
            number["source"], paper.fulltext, abstract=paper.abstract, notes=paper.notes)
    return Summary(id=paper.key, status="draft", provenance=provenance, checks=checks,
                   **content)


def request_for(paper: Paper, style: str = "talk", tokens: int = DEFAULT_TOKENS) -> DraftRequest:
    """Return what a backend drafts from: the abstract and notes, then the sections of the
    full text that matter most within `tokens` (event.yaml `llm: fulltext_tokens`)."""
    source = "\n\n".join(part for part in (paper.abstract, paper.notes, paper.body,
                                            excerpt(paper.fulltext, tokens)) if part)
    return DraftRequest(paper_id=paper.key, title=paper.title, source=source,
                        style=style, notes=paper.notes)


def fulltext_tokens(folder: EventFolder) -> int:
    """Return the event's `llm: fulltext_tokens` (validated by `confgen check`)."""
    value = folder.event.llm.get("fulltext_tokens", DEFAULT_TOKENS)
    return value if isinstance(value, int) and value >= 0 else DEFAULT_TOKENS


async def _draft_one(backend: Backend, folder: EventFolder, paper: Paper, reason: str,
                     style: str, report: SummarizeReport,
                     on_done: Callable[[str, str], None]) -> None:
    if not paper.source_text.strip():  # never a summary made up from a title alone
        report.failed[paper.key] = ("no abstract, notes or text to draft from (a PDF without "
                                    "a text layer?); add its abstract or notes to event.yaml")
        on_done(paper.key, "failed")
        return
    try:
        result = await backend.draft(request_for(paper, style, fulltext_tokens(folder)))
    except DraftError as exc:
        report.failed[paper.key] = str(exc)
        _add_usage(report.usage, getattr(exc, "usage", None))
        on_done(paper.key, "failed")
        return
    if not save_summary(folder, paper, build_summary(paper, result, backend.name),
                        force=reason == "forced"):
        report.kept.append(paper.key)  # marked reviewed while it was being drafted
        on_done(paper.key, "kept")
        return
    report.written.append(paper.key)
    _add_usage(report.usage, result.usage)
    report.cached += int(result.usage.cached)
    tokens = result.usage.input_tokens + result.usage.output_tokens
    on_done(paper.key, "cached" if result.usage.cached else "done", tokens)


def _add_usage(total: Usage, part: Usage | None) -> None:
    """Add a draft's usage (failed drafts report theirs too) to the run's total."""
    if part is not None:
        total.requests += part.requests
        total.input_tokens += part.input_tokens
        total.output_tokens += part.output_tokens
        total.drafts += part.drafts


async def summarize_async(folder: EventFolder, backend: Backend, todo: list[tuple[Paper, str]],
                          concurrency: int = 8, style: str = "talk",
                          on_done: Callable[[str, str], None] = lambda *_: None) -> SummarizeReport:
    """Draft every paper in `todo` with at most `concurrency` in flight."""
    report = SummarizeReport()
    started = time.perf_counter()
    gate = asyncio.Semaphore(max(1, concurrency))

    async def guarded(paper: Paper, reason: str) -> None:
        async with gate:
            await _draft_one(backend, folder, paper, reason, style, report, on_done)

    try:
        await asyncio.gather(*(guarded(paper, reason) for paper, reason in todo))
    finally:
        await backend.aclose()
        report.wall_time = time.perf_counter() - started
    todo_ids = {paper.key for paper, _ in todo}
    report.kept += [p.key for p in folder.papers if p.key not in todo_ids]
    return report


def summarize(folder: EventFolder, backend: Backend, todo: list[tuple[Paper, str]],
              **options) -> SummarizeReport:
    """Synchronous wrapper around `summarize_async`."""
    return asyncio.run(summarize_async(folder, backend, todo, **options))
