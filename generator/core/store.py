"""Read and write summary files: one human-editable YAML file per paper.

This is the one place that decides what may be overwritten: every writer of summaries
(`summarize`, `batch collect`, the review page) saves through `save_summary`, which
re-reads the file on disk at write time, so a summary marked reviewed while a run or a
batch was under way is kept unless the writer was forced.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import yaml

from .errors import ConfgenError, Problem
from .event import EventFolder, load_summary
from .hashing import content_hash
from .models import Paper, Summary
from .yamlio import dump_yaml, write_atomic

HEADER = (
    "# Summary drafted by confgen. Edit freely: confgen renders what is here.\n"
    "# Set `status: reviewed` to protect your edits from `confgen summarize` "
    "(only --force overwrites it).\n"
)


def source_hash(paper: Paper) -> str:
    """Hash of everything a summary is drafted from; a change means a stale draft."""
    return content_hash(paper.title, paper.source_text)


def summary_yaml(summary: Summary) -> str:
    data = summary.model_dump(mode="json")
    ordered = {"id": data.pop("id"), "status": data.pop("status"), **data}
    if not ordered["checks"]:
        ordered.pop("checks")
    for number in ordered.get("key_numbers", []):
        if not number.get("where"):
            number.pop("where", None)  # no place known: the field is left out
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
    """Write a summary file as it is, atomically (write_atomic keeps an existing file's mode)."""
    write_atomic(path, summary_yaml(summary))


def save_summary(folder: EventFolder, paper: Paper, summary: Summary, force: bool = False) -> bool:
    """Save `summary` for `paper` unless the file on disk is reviewed; return if it was."""
    path = folder.summary_path(paper)
    if not force and reviewed_on_disk(path):
        return False
    write_summary(path, summary)
    folder.summaries[paper.key] = summary
    return True


def mark_reviewed(folder: EventFolder, paper: Paper) -> Summary:
    """Set the summary of `paper`, as it is on disk now, to `status: reviewed` and save it.

    The file is read again (not taken from `folder`), so an edit saved since the folder
    was opened is what gets approved; an invalid or missing file is a ConfgenError.
    """
    path = folder.summary_path(paper)
    if not path.exists():
        raise ConfgenError([Problem(path, None, "no summary yet: draft one first")])
    summary, problems = load_summary(path)
    if summary is None:
        raise ConfgenError(problems)
    reviewed = summary.model_copy(update={"status": "reviewed"})
    save_summary(folder, paper, reviewed, force=True)
    return reviewed


def reviewed_on_disk(path: Path) -> bool:
    """Say whether the summary file at `path` is marked `status: reviewed` right now."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return False
    return isinstance(data, dict) and data.get("status") == "reviewed"


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
