"""Draft whole proceedings through the Batch API, or through `vllm run-batch` files.

`summarize --batch` writes one request line per paper (`custom_id` = paper id) in the
OpenAI batch JSONL format, uploads it and creates a batch; the batch ids are kept in
`<event>/.confgen-batch.json`. `batch collect` downloads the results, validates each
like a live reply and writes the summaries; a batch that expired part-way is
resubmitted for the papers it did not finish. The same JSONL runs offline with
`vllm run-batch -i requests.jsonl -o results.jsonl --model M`, and `batch collect
--batch-file results.jsonl` imports its output.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import openai
from pydantic import ValidationError

from ....core.errors import ConfgenError
from ....core.event import EventFolder
from ....core.models import Paper
from ....core.store import save_summary, source_hash
from ....core.yamlio import write_atomic
from ...summarize import build_summary, request_for
from ..base import DraftResult, Usage
from .backend import OpenAIBackend
from .chat import ReplyFatal, chat_params, check_choice, describe_api_error
from .reply import ReplyError, read_message

STATE_FILE = ".confgen-batch.json"
ENDPOINT = "/v1/chat/completions"
PENDING = ("validating", "in_progress", "finalizing", "cancelling")


@dataclass
class CollectReport:
    written: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    kept: list[str] = field(default_factory=list)  # reviewed after submission: not overwritten
    pending: list[str] = field(default_factory=list)  # batch ids still running
    resubmitted: list[str] = field(default_factory=list)  # paper ids sent again
    usage: Usage = field(default_factory=Usage)


# --- requests -------------------------------------------------------------------------
def _request(backend: OpenAIBackend, paper: Paper, style: str):
    return request_for(paper, style, backend.settings.fulltext_tokens)


def request_lines(backend: OpenAIBackend, papers: list[Paper], style: str) -> list[dict]:
    """Return one Batch API request line per paper, with the live request's parameters."""
    mode, sent = backend.memory.format, backend.sent_schema()
    if sent is not None and not backend.memory.confirmed:
        sent = backend.schema  # a batch cannot probe: send no keyword the server may refuse
    lines = []
    for paper in papers:
        messages = backend.prompts.messages(_request(backend, paper, style),
                                            None if mode == "json_schema" else backend.schema)
        body = chat_params(backend.settings, backend.model, messages, mode, sent)
        lines.append({"custom_id": paper.key, "method": "POST", "url": ENDPOINT, "body": body})
    return lines


def jsonl(rows: list[dict]) -> str:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


def export_file(backend: OpenAIBackend, papers: list[Paper], style: str, path: Path) -> Path:
    """Write the request JSONL for `vllm run-batch` (or a manual upload) to `path`."""
    write_atomic(path, jsonl(request_lines(backend, papers, style)))
    return path


# --- state ----------------------------------------------------------------------------
def load_state(folder: EventFolder) -> dict:
    path = folder.root / STATE_FILE
    if not path.exists():
        return {"batches": []}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfgenError(f"{path}: unreadable batch state ({exc})") from None


def save_state(folder: EventFolder, state: dict) -> None:
    path = folder.root / STATE_FILE
    if state["batches"]:
        write_atomic(path, json.dumps(state, indent=1))
    else:
        path.unlink(missing_ok=True)


def recorded_model(folder: EventFolder, results: Path | None) -> str | None:
    """Return the model the event's batches (or a results file) were made with."""
    if results is None:
        batches = load_state(folder)["batches"]
        return batches[0]["model"] if batches else None
    try:
        with results.open(encoding="utf-8") as lines:
            first = json.loads(next(lines, "{}") or "{}")
    except (OSError, ValueError):
        return None  # import_file reports the unreadable file
    return ((first.get("response") or {}).get("body") or {}).get("model")


# --- submit, status, collect ----------------------------------------------------------
async def submit(backend: OpenAIBackend, folder: EventFolder, papers: list[Paper],
                 style: str, force: bool = False) -> dict:
    """Upload the requests for `papers`, create a batch and record it; return the record."""
    data = jsonl(request_lines(backend, papers, style)).encode("utf-8")
    try:
        upload = await backend.client.files.create(
            file=(f"{folder.slug}-requests.jsonl", data), purpose="batch")
        batch = await backend.client.batches.create(
            input_file_id=upload.id, endpoint=ENDPOINT,
            completion_window=backend.settings.completion_window,  # type: ignore[arg-type]
            metadata={"confgen_event": folder.slug})
    except openai.OpenAIError as exc:
        raise ConfgenError(f"batch submission failed: "
                           f"{describe_api_error(exc, backend.settings)}") from None
    record = {"id": batch.id, "input_file_id": upload.id, "model": backend.model,
              "style": style, "submitted": datetime.now(UTC).replace(microsecond=0).isoformat(),
              "papers": {paper.key: source_hash(paper) for paper in papers}, "force": force}
    state = load_state(folder)
    state["batches"].append(record)
    save_state(folder, state)
    return record


async def statuses(backend: OpenAIBackend, folder: EventFolder) -> list[dict]:
    """Return id, status and request counts of every batch recorded for the event."""
    rows = []
    for record in load_state(folder)["batches"]:
        batch = await _retrieve(backend, record["id"])
        counts = batch.request_counts
        rows.append({"id": batch.id, "status": batch.status, "papers": len(record["papers"]),
                     "completed": counts.completed if counts else 0,
                     "failed": counts.failed if counts else 0})
    return rows


async def collect(backend: OpenAIBackend, folder: EventFolder) -> CollectReport:
    """Write the summaries of every finished batch; resubmit what an expiry left undone."""
    report = CollectReport()
    state = load_state(folder)
    still_open = []
    for record in state["batches"]:
        batch = await _retrieve(backend, record["id"])
        if batch.status in PENDING:
            report.pending.append(batch.id)
            still_open.append(record)
            continue
        results = await _download(backend, batch.output_file_id)
        results += await _download(backend, batch.error_file_id)
        unfinished = apply_results(backend, folder, results, record, report)
        if unfinished and batch.status == "expired":
            still_open.append(await _resubmit(backend, folder, record, unfinished, report))
        for key in unfinished if batch.status != "expired" else []:
            report.failed.setdefault(key, f"batch {batch.id} ended {batch.status} without "
                                          "a result for this paper")
    state = load_state(folder)
    state["batches"] = still_open
    save_state(folder, state)
    return report


def import_file(backend: OpenAIBackend, folder: EventFolder, path: Path,
                style: str) -> CollectReport:
    """Write summaries from a results JSONL file (e.g. from `vllm run-batch`)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfgenError(f"cannot read {path}: {exc}") from None
    rows = parse_jsonl(text, str(path))
    report = CollectReport()
    record = {"style": style, "papers": {row.get("custom_id"): None for row in rows}}
    for key in apply_results(backend, folder, rows, record, report):
        report.failed.setdefault(key, f"{path} has no result for this paper")
    return report


# --- results --------------------------------------------------------------------------
def apply_results(backend: OpenAIBackend, folder: EventFolder, rows: list[dict],
                  record: dict, report: CollectReport) -> list[str]:
    """Validate and write each result; return the ids that expired without a result."""
    papers = {paper.key: paper for paper in folder.papers}
    expected = record["papers"]
    unfinished = [key for key in expected if key not in {r.get("custom_id") for r in rows}]
    for row in rows:
        key = str(row.get("custom_id"))
        paper = papers.get(key)
        if key not in expected or paper is None:
            report.failed[key] = "result for a paper this event does not have"
            continue
        if error_text(row.get("error")).startswith("batch_expired"):
            unfinished.append(key)
            continue
        if expected[key] and expected[key] != source_hash(paper):
            report.failed[key] = "the paper changed after submission; run summarize again"
            continue
        try:
            result = result_from_row(row, backend, record["style"])
        except ReplyError as exc:
            report.failed[key] = str(exc)
            continue
        if not _write(backend, folder, paper, result, record["style"], record.get("force", False)):
            report.kept.append(key)
            continue
        report.written.append(key)
        report.usage.input_tokens += result.usage.input_tokens
        report.usage.output_tokens += result.usage.output_tokens
    return unfinished


def result_from_row(row: dict, backend: OpenAIBackend, style: str) -> DraftResult:
    """Read one batch output line exactly like a live reply (no re-asks: overshoots stay)."""
    error, response = row.get("error"), row.get("response") or {}
    if response.get("status_code") not in (None, 200) or not response.get("body"):
        body = response.get("body") or {}
        detail = error_text(body.get("error") or error) or "no reply body"
        raise ReplyError(f"HTTP {response.get('status_code')}: {detail}")
    if error:
        raise ReplyError(f"batch error: {error_text(error)}")
    try:
        completion = openai.types.chat.ChatCompletion.model_validate(response["body"])
    except (ValidationError, KeyError) as exc:
        raise ReplyError(f"not a chat completion: {exc}") from None
    if not completion.choices:
        raise ReplyError("the reply had no choices")
    try:
        check_choice(completion.choices[0])
    except ReplyFatal as exc:
        raise ReplyError(str(exc)) from None
    reading = read_message(completion.choices[0].message)
    usage = completion.usage
    return DraftResult(content=reading.content, model=completion.model or backend.model,
                       prompt_hash=backend.prompt_hash(style), repaired=reading.repaired,
                       usage=Usage(requests=0, input_tokens=usage.prompt_tokens if usage else 0,
                                   output_tokens=usage.completion_tokens if usage else 0))


def error_text(error: object) -> str:
    """Return 'code: message' from an OpenAI error object, or vLLM's plain string."""
    if isinstance(error, dict):
        return ": ".join(str(error[k]) for k in ("code", "message") if error.get(k))
    return str(error or "")


def _write(backend: OpenAIBackend, folder: EventFolder, paper: Paper, result: DraftResult,
           style: str, force: bool = False) -> bool:
    """Cache the draft and save it through the store; False when a reviewed file is kept."""
    if backend.cache:
        key = backend.key_for(_request(backend, paper, style))
        backend.cache.put(key, result.content, result.model, result.usage, result.repaired)
    return save_summary(folder, paper, build_summary(paper, result, backend.name), force)


def parse_jsonl(text: str, where: str) -> list[dict]:
    """Return the JSON object on each non-blank line; a broken line names its number."""
    rows = []
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except ValueError:
                raise ConfgenError(f"{where}:{number}: not a JSON line") from None
    return rows


async def _retrieve(backend: OpenAIBackend, batch_id: str):
    try:
        return await backend.client.batches.retrieve(batch_id)
    except openai.OpenAIError as exc:
        raise ConfgenError(f"batch {batch_id}: "
                           f"{describe_api_error(exc, backend.settings)}") from None


async def _download(backend: OpenAIBackend, file_id: str | None) -> list[dict]:
    if not file_id:
        return []
    try:
        response = await backend.client.files.content(file_id)
    except openai.OpenAIError as exc:
        raise ConfgenError(f"file {file_id}: "
                           f"{describe_api_error(exc, backend.settings)}") from None
    return parse_jsonl(response.text, file_id)


async def _resubmit(backend: OpenAIBackend, folder: EventFolder, record: dict,
                    unfinished: list[str], report: CollectReport) -> dict:
    """Submit a new batch for the papers an expired batch left undone."""
    papers = [paper for paper in folder.papers if paper.key in unfinished]
    new = await submit(backend, folder, papers, record["style"], record.get("force", False))
    report.resubmitted += [paper.key for paper in papers]
    return new


def write_cached(backend: OpenAIBackend, folder: EventFolder, papers: list[Paper],
                 style: str, force: bool = False) -> tuple[list[str], list[Paper]]:
    """Write the drafts the response cache already holds; return them and the rest."""
    written, rest = [], []
    for paper in papers:
        hit = backend.cache.get(backend.key_for(_request(backend, paper, style))) \
            if backend.cache and backend.read_cache else None
        if hit is None:
            rest.append(paper)
            continue
        result = DraftResult(content=hit.content, model=hit.model or backend.model,
                             prompt_hash=backend.prompt_hash(style), usage=Usage(cached=True),
                             repaired=hit.repaired)
        if _write(backend, folder, paper, result, style, force):
            written.append(paper.key)
    return written, rest
