"""Whole proceedings through the Batch API and `vllm run-batch` files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from factories import paper, write_event
from llm_server import LLMServer, Reply, llm_server_fixture  # noqa: F401

from generator.cli import main
from generator.core.event import open_event
from generator.drafting.backends.openai.batch import STATE_FILE


def event_with(tmp_path: Path, count: int = 3) -> Path:
    papers = [paper(title=f"Gated attention study {i}", id=f"p{i}") for i in range(count)]
    return write_event(tmp_path / "summaries" / "big", papers)


def run(*argv: str) -> int:
    """Run confgen; summarize gets the model name the batch tests use."""
    return main([*argv, *(["--model", "batch-model"] if argv[0] == "summarize" else [])])


def uploaded_lines(server: LLMServer) -> list[dict]:
    upload = next(f for f in server.files.values() if f["purpose"] == "batch")
    return [json.loads(line) for line in upload["content"].decode().splitlines()]


def summary_ids(event: Path) -> list[str]:
    return sorted(open_event(event).summaries)


class TestSubmit:
    def test_batch_uploads_one_request_per_paper_keyed_by_paper_id(
            self, llm_server: LLMServer, tmp_path: Path):
        event = event_with(tmp_path)
        assert run("summarize", str(event), "--batch") == 0
        lines = uploaded_lines(llm_server)
        assert [line["custom_id"] for line in lines] == ["p0", "p1", "p2"]
        assert {line["url"] for line in lines} == {"/v1/chat/completions"}
        assert lines[0]["body"]["response_format"]["type"] == "json_schema"
        assert lines[0]["body"]["model"] == "batch-model"
        assert llm_server.chat_requests == []
        state = json.loads((event / STATE_FILE).read_text())
        assert [b["id"] for b in state["batches"]] == list(llm_server.batches)

    def test_cached_papers_are_written_without_joining_the_batch(
            self, llm_server: LLMServer, tmp_path: Path):
        event = event_with(tmp_path)
        run("summarize", str(event), "--paper", "p0")
        (event / "p0.yaml").unlink()
        run("summarize", str(event), "--batch")
        assert [line["custom_id"] for line in uploaded_lines(llm_server)] == ["p1", "p2"]
        assert summary_ids(event) == ["p0"]


    def test_papers_already_in_a_batch_are_not_submitted_twice(
            self, llm_server: LLMServer, tmp_path: Path, capsys: pytest.CaptureFixture):
        llm_server.batch_polls_before_done = 5
        event = event_with(tmp_path)
        run("summarize", str(event), "--batch", "--paper", "p0")
        run("summarize", str(event), "--batch")
        assert "1 papers are already in a submitted batch" in capsys.readouterr().out
        second = list(llm_server.batches.values())[-1]
        assert [line["custom_id"] for line in second["_lines"]] == ["p1", "p2"]


class TestStatusAndCollect:
    def test_status_reports_each_batch(self, llm_server: LLMServer, tmp_path: Path,
                                       capsys: pytest.CaptureFixture):
        llm_server.batch_polls_before_done = 1
        event = event_with(tmp_path)
        run("summarize", str(event), "--batch")
        run("batch", "status", str(event))
        run("batch", "status", str(event))
        out = capsys.readouterr().out
        assert ": in_progress (0 completed" in out
        assert ": completed (3 completed, 0 failed, 3 papers)" in out

    def test_collect_writes_validated_summaries_and_fills_the_cache(
            self, llm_server: LLMServer, tmp_path: Path):
        event = event_with(tmp_path)
        run("summarize", str(event), "--batch")
        assert run("batch", "collect", str(event)) == 0
        folder = open_event(event)
        assert sorted(folder.summaries) == ["p0", "p1", "p2"]
        assert folder.summaries["p0"].provenance.model == "batch-model"
        assert not (event / STATE_FILE).exists()
        for key in ("p0", "p1", "p2"):
            (event / f"{key}.yaml").unlink()
        run("summarize", str(event))
        assert llm_server.chat_requests == []  # every draft came from the cache

    def test_a_summary_reviewed_after_submission_is_not_overwritten(
            self, llm_server: LLMServer, tmp_path: Path, capsys: pytest.CaptureFixture):
        event = event_with(tmp_path)
        run("summarize", str(event), "--batch")
        # While the batch runs, the user drafts p0 offline and marks it reviewed.
        assert main(["summarize", str(event), "--paper", "p0", "--backend", "offline"]) == 0
        path = event / "p0.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("status: draft",
                                                                 "status: reviewed"),
                        encoding="utf-8")
        before = path.read_bytes()
        capsys.readouterr()
        assert run("batch", "collect", str(event)) == 0
        assert path.read_bytes() == before
        out = capsys.readouterr().out
        assert f"kept {path}: marked reviewed after the batch was" in out
        folder = open_event(event)
        assert folder.summaries["p0"].status == "reviewed"
        assert folder.summaries["p0"].provenance.backend == "offline"
        assert {folder.summaries[k].provenance.model for k in ("p1", "p2")} == {"batch-model"}

    def test_collect_waits_for_a_running_batch(self, llm_server: LLMServer, tmp_path: Path,
                                               capsys: pytest.CaptureFixture):
        llm_server.batch_polls_before_done = 5
        event = event_with(tmp_path)
        run("summarize", str(event), "--batch")
        assert run("batch", "collect", str(event)) == 0
        assert "is still running; collect again later" in capsys.readouterr().out
        assert summary_ids(event) == []
        assert (event / STATE_FILE).exists()

    def test_an_invalid_result_fails_only_its_paper(self, llm_server: LLMServer,
                                                    tmp_path: Path,
                                                    capsys: pytest.CaptureFixture):
        event = event_with(tmp_path)
        llm_server.script(Reply(content="{not json", when="study 1"),
                          Reply(refusal="No.", when="study 2"))
        run("summarize", str(event), "--batch")
        assert run("batch", "collect", str(event)) == 1
        err = capsys.readouterr().err
        assert "failed p1: the reply is not valid JSON" in err
        assert "failed p2: the model refused: No." in err
        assert summary_ids(event) == ["p0"]

    def test_a_partly_expired_batch_is_resubmitted_for_the_rest(
            self, llm_server: LLMServer, tmp_path: Path, capsys: pytest.CaptureFixture):
        llm_server.batch_expire_after = 1
        event = event_with(tmp_path)
        run("summarize", str(event), "--batch")
        run("batch", "collect", str(event))
        assert summary_ids(event) == ["p0"]
        assert "resubmitted 2 papers" in capsys.readouterr().out
        resubmitted = list(llm_server.batches.values())[-1]
        assert [line["custom_id"] for line in resubmitted["_lines"]] == ["p1", "p2"]
        llm_server.batch_expire_after = None
        assert run("batch", "collect", str(event)) == 0
        assert summary_ids(event) == ["p0", "p1", "p2"]
        assert not (event / STATE_FILE).exists()


class TestVllmRunBatchFiles:
    def test_export_writes_the_jsonl_without_any_request(self, llm_server: LLMServer,
                                                        tmp_path: Path):
        event = event_with(tmp_path)
        requests = tmp_path / "requests.jsonl"
        assert run("summarize", str(event), "--batch-file", str(requests)) == 0
        lines = [json.loads(line) for line in requests.read_text().splitlines()]
        assert [line["custom_id"] for line in lines] == ["p0", "p1", "p2"]
        assert {line["method"] for line in lines} == {"POST"}
        assert llm_server.requests == []

    def test_import_validates_and_writes_the_results(self, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture):
        event = event_with(tmp_path)
        requests, results = tmp_path / "requests.jsonl", tmp_path / "results.jsonl"
        run("summarize", str(event), "--batch-file", str(requests))
        fake_vllm_run_batch(requests, results, broken="p2")
        assert main(["batch", "collect", str(event), "--batch-file", str(results),
                     "--model", "batch-model"]) == 1
        assert summary_ids(event) == ["p0", "p1"]
        assert "failed p2: HTTP 400: context too long" in capsys.readouterr().err


def fake_vllm_run_batch(requests: Path, results: Path, broken: str) -> None:
    """Answer each request line as `vllm run-batch` does, one output line per request."""
    server = LLMServer()
    rows = []
    for line in map(json.loads, requests.read_text().splitlines()):
        key = line["custom_id"]
        if key == broken:  # vLLM reports an error as a plain string and no body
            rows.append({"id": f"vllm-{key}", "custom_id": key, "error": "context too long",
                         "response": {"status_code": 400, "request_id": "r", "body": None}})
            continue
        answer = server.chat(line["body"])
        rows.append({"id": f"vllm-{key}", "custom_id": key, "error": None,
                     "response": {"status_code": 200, "request_id": "r", "body": answer.body}})
    results.write_text("".join(json.dumps(row) + "\n" for row in rows))
