"""Read and write summary files: one human-editable YAML file per paper."""

from __future__ import annotations

import difflib
from datetime import UTC, datetime
from pathlib import Path

from ..drafting.backends.base import DraftResult, content_hash
from .event import EventFolder
from .grounding import ground
from .models import Paper, Provenance, Summary
from .yamlio import dump_yaml, write_atomic

HEADER = (
    "# Summary drafted by confgen. Edit freely: confgen renders what is here.\n"
    "# Set `status: reviewed` to protect your edits from `confgen summarize` "
    "(only --force overwrites it).\n"
)


def source_hash(paper: Paper) -> str:
    """Hash of everything a summary is drafted from; a change means a stale draft."""
    return content_hash(paper.title, paper.source_text)


def build_summary(paper: Paper, result: DraftResult, backend: str) -> Summary:
    """Wrap a backend's draft with provenance and grounding checks."""
    provenance = Provenance(
        backend=backend,
        model=result.model,
        source_hash=source_hash(paper),
        prompt_hash=result.prompt_hash,
        created=datetime.now(UTC).replace(microsecond=0).isoformat(),
    )
    checks = ground(result.content, paper.source_text, paper.title)
    return Summary(id=paper.key, status="draft", provenance=provenance, checks=checks,
                   **result.content.model_dump())


def summary_yaml(summary: Summary) -> str:
    data = summary.model_dump(mode="json")
    ordered = {"id": data.pop("id"), "status": data.pop("status"), **data}
    if not ordered["checks"]:
        ordered.pop("checks")
    return HEADER + dump_yaml(ordered)


def summary_diff(old: Summary | None, new: Summary, name: str) -> str:
    """Return a unified diff of two summaries' YAML, ignoring when each was created."""
    def lines(summary: Summary | None) -> list[str]:
        if summary is None:
            return []
        timeless = summary.model_copy(update={"provenance": summary.provenance.model_copy(
            update={"created": ""})})
        return summary_yaml(timeless).splitlines(keepends=True)

    return "".join(difflib.unified_diff(lines(old), lines(new), f"a/{name}", f"b/{name}"))


def write_summary(path: Path, summary: Summary) -> None:
    write_atomic(path, summary_yaml(summary))


def needs_draft(folder: EventFolder, paper: Paper, force: bool) -> str | None:
    """Return why `paper` should be drafted now, or None to keep its summary."""
    path = folder.summary_path(paper)
    summary = folder.summaries.get(paper.key)
    if force:
        return "forced"
    if summary is None:
        return "invalid summary file" if path.exists() else "missing"
    if summary.status == "reviewed":
        return None
    if summary.provenance.source_hash != source_hash(paper):
        return "source changed"
    return None
