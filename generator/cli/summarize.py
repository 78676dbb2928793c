"""The CLI pieces of LLM drafting: `summarize --batch/--diff` and `confgen batch ...`.

`generator.cli` stays thin: it calls `register(subparsers)` once, and `cmd_summarize`
hands batch runs, diffs, failures and the usage line to the functions here.
"""

from __future__ import annotations

import argparse
import asyncio
import shlex
from collections import defaultdict
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

from ..core.event import EventFolder
from ..core.models import Summary
from ..core.progress import console
from ..core.store import summary_diff
from ..drafting.summarize import SummarizeReport, plan_shown

T = TypeVar("T")


def add_summarize_options(parser: argparse.ArgumentParser) -> None:
    """Add the options only `summarize` has: --diff, --batch, --batch-file."""
    parser.add_argument("--diff", action="store_true",
                        help="show what changed in each redrafted summary")
    parser.add_argument("--batch", action="store_true",
                        help="submit the drafts as one Batch API job; collect them later "
                             "with `confgen batch collect`")
    parser.add_argument("--batch-file", type=Path, metavar="JSONL",
                        help="write the batch requests to JSONL (e.g. for `vllm run-batch`) "
                             "instead of submitting them")


def register(sub: argparse._SubParsersAction) -> None:
    """Add `confgen batch status|collect EVENT` and the summarize-only options."""
    if "summarize" in sub.choices:
        add_summarize_options(sub.choices["summarize"])
    batch = sub.add_parser("batch", help="check or collect Batch API drafts",
                           description="check or collect Batch API drafts")
    actions = batch.add_subparsers(dest="batch_action", required=True, metavar="ACTION")
    status = actions.add_parser("status", help="show the event's batches")
    status.add_argument("event", help="event folder, or its name under summaries/")
    status.set_defaults(handler=cmd_batch_status)
    collect = actions.add_parser("collect", help="write the summaries of finished batches")
    collect.add_argument("event", help="event folder, or its name under summaries/")
    collect.add_argument("--batch-file", type=Path, metavar="JSONL",
                         help="import results from this JSONL (e.g. `vllm run-batch -o`)")
    collect.add_argument("--model", help="model name (for the cache key)")
    collect.add_argument("--style", default="talk", help="style the requests were made in")
    collect.set_defaults(handler=cmd_batch_collect)


def _backend(args: argparse.Namespace, folder: EventFolder):
    from ..drafting.backends.openai.backend import OpenAIBackend

    return OpenAIBackend(model=getattr(args, "model", None) or getattr(args, "recorded_model",
                                                                       None),
                         llm=folder.event.llm,
                         event_root=folder.root, prompts=getattr(args, "prompts", None),
                         cache=cache_mode(args))


def cache_mode(args: argparse.Namespace) -> str:
    """Return the backend's cache mode: off, refresh (--force: ask anew) or use."""
    if getattr(args, "no_cache", False):
        return "off"
    return "refresh" if getattr(args, "force", False) else "use"


def _run(args: argparse.Namespace, folder: EventFolder,
         work: Callable[..., Awaitable[T]]) -> T:
    """Run `work(backend)` on a fresh backend and close its client afterwards."""
    async def main() -> T:
        backend = _backend(args, folder)
        try:
            return await work(backend)
        finally:
            await backend.aclose()

    return asyncio.run(main())


def summarize_batch(args: argparse.Namespace, folder: EventFolder) -> int:
    """Export (--batch-file) or submit (--batch) the papers that need a draft."""
    from ..drafting.backends.openai import batch

    _, todo = plan_shown(folder, args.paper or None, args.force)  # selected papers only
    papers = [paper for paper, _ in todo]
    in_flight = {key for record in batch.load_state(folder)["batches"]
                 for key in record["papers"]}
    if in_flight and not args.force and not args.batch_file:
        waiting = [paper.key for paper in papers if paper.key in in_flight]
        papers = [paper for paper in papers if paper.key not in in_flight]
        if waiting:
            print(f"{len(waiting)} papers are already in a submitted batch; "
                  f"`confgen batch collect {shlex.quote(args.event)}` fetches them")
    cached, papers = _run(args, folder, lambda b: _async(batch.write_cached, b, folder,
                                                         papers, args.style, args.force))
    for key in cached:
        print(f"wrote {folder.root / f'{key}.yaml'} (from the response cache)")
    if not papers:
        print("nothing to submit: every summary is present and up to date")
        return 0
    if args.batch_file:
        async def export(backend) -> tuple[Path, str]:
            return batch.export_file(backend, papers, args.style, args.batch_file), backend.model

        path, model = _run(args, folder, export)
        print(f"wrote {path} ({len(papers)} requests); run it with `vllm run-batch -i "
              f"{shlex.quote(str(path))} -o results.jsonl --model {shlex.quote(model)}`, then "
              f"`confgen batch collect {shlex.quote(args.event)} "
              f"--batch-file results.jsonl`")
        return 0
    record = _run(args, folder, lambda b: batch.submit(b, folder, papers, args.style,
                                                       args.force))
    print(f"submitted batch {record['id']} with {len(papers)} papers; check it with "
          f"`confgen batch status {shlex.quote(args.event)}`")
    return 0


async def _async(function: Callable[..., T], *args: object) -> T:
    return function(*args)


def cmd_batch_status(args: argparse.Namespace, folder: EventFolder) -> int:
    """Print each recorded batch's status and request counts."""
    from ..drafting.backends.openai import batch

    args.recorded_model = batch.recorded_model(folder, None)
    rows = _run(args, folder, lambda b: batch.statuses(b, folder))
    if not rows:
        print("no batches recorded for this event")
    for row in rows:
        print(f"{row['id']}: {row['status']} ({row['completed']} completed, "
              f"{row['failed']} failed, {row['papers']} papers)")
    return 0


def cmd_batch_collect(args: argparse.Namespace, folder: EventFolder) -> int:
    """Write the summaries of finished batches, or import a results file."""
    from ..drafting.backends.openai import batch

    args.recorded_model = batch.recorded_model(folder, args.batch_file)
    if args.batch_file:
        report = _run(args, folder, lambda b: _async(batch.import_file, b, folder,
                                                     args.batch_file, args.style))
    else:
        report = _run(args, folder, lambda b: batch.collect(b, folder))
    for key in report.written:
        print(f"wrote {folder.root / f'{key}.yaml'}")
    for key in report.kept:
        print(f"kept {folder.root / f'{key}.yaml'}: marked reviewed after the batch was "
              "submitted (summarize --batch --force overwrites it)")
    print_failures(report.failed)
    if report.resubmitted:
        print(f"resubmitted {len(report.resubmitted)} papers the expired batch left undone")
    for batch_id in report.pending:
        print(f"batch {batch_id} is still running; collect again later")
    return 1 if report.failed else 0


def print_failures(failed: dict[str, str]) -> None:
    """Print one line per failed paper, or one per error shared by more than three."""
    by_error: dict[str, list[str]] = defaultdict(list)
    for key, error in sorted(failed.items()):
        by_error[error].append(key)
    for error, keys in by_error.items():
        if len(keys) > 3:
            console.print(f"failed {len(keys)} papers ({', '.join(keys[:3])}, …): {error}",
                          markup=False)
        else:
            for key in keys:
                console.print(f"failed {key}: {error}", markup=False)


def snapshot(folder: EventFolder, papers: list[str]) -> dict[str, Summary | None]:
    """Remember the summaries --diff compares against (all papers when none are named)."""
    keys = papers or [paper.key for paper in folder.papers]
    return {key: folder.summaries.get(key) for key in keys}


def print_diffs(folder: EventFolder, before: dict[str, Summary | None],
                written: list[str]) -> None:
    for key in written:
        new = folder.summaries.get(key)
        if new is None:
            continue
        text = summary_diff(before.get(key), new, f"{key}.yaml")
        print(text if text else f"{key}.yaml: no change")


def print_usage(folder: EventFolder, report: SummarizeReport, model: str | None) -> None:
    """Print the usage line when the run talked to (or saved requests from) an LLM."""
    if not (report.usage.requests or report.cached):
        return
    from ..drafting.backends.openai.settings import resolve_settings
    from ..drafting.backends.openai.usage import usage_line

    settings = resolve_settings(folder.event.llm, folder.root, model=model)
    console.print(usage_line(report.usage, cached=report.cached, failed=len(report.failed),
                             wall_time=report.wall_time, model=settings.model,
                             prices=settings.prices), markup=False)
