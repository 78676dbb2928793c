"""Drafting against servers that answer like the models people run, through the real SDK.

Each reply style of tests/llm_server.py is a local or reasoning model's habit (a think
block, a fence in prose, damaged JSON, word limits overshot) or a server's limit (only
json_object, no `maxLength`). With every one, a 10-paper event gets all its summaries in
at most two requests per paper, and a second run makes no request.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from factories import ABSTRACT, paper, write_event
from llm_server import (  # noqa: F401
    REPLY_STYLES,
    LLMServer,
    Reply,
    llm_server_fixture,
    overshoot,
)

from generator.cli import main
from generator.core.cache import cache_dir
from generator.core.event import open_event
from generator.core.models import LIMITS, overshoots
from generator.drafting.backends.offline import draft_content
from generator.drafting.backends.openai.backend import OpenAIBackend
from generator.drafting.backends.openai.server import ServerMemory
from generator.drafting.summarize import plan, summarize
from generator.sources.arxiv import parse_feed

PAPERS = 10
FAST = {"timeout": 5, "max_retries": 1}
# Requests for the 10 papers: one each, plus what the style costs. A server that refuses
# part of the request costs one request (two for prompt-only) for the whole run, since
# the first paper learns what works before the others start. Overshooting replies get
# one request to shorten them; the model overshoots again and the best reply is kept.
EXPECTED_REQUESTS = {style: PAPERS for style in REPLY_STYLES} | {
    "overshoot": 2 * PAPERS, "json_object_only": PAPERS + 1, "prompt_only": PAPERS + 2,
    "rejects_max_length": PAPERS + 1}


FEED = parse_feed((Path(__file__).parent / "data" / "llm" / "arxiv_testing_10.xml").read_bytes())


def ten_paper_event(root: Path, edition: str = "") -> Path:
    """Write an event of the ten real arXiv papers (`edition` makes their titles new)."""
    return write_event(root, [paper(title=entry.title + edition, id=f"p{i}", arxiv=entry.base_id,
                                    authors=entry.authors, abstract=entry.abstract)
                              for i, entry in enumerate(FEED)])


def run(event: Path, force: bool = False, **options):
    folder = open_event(event)
    backend = OpenAIBackend(model="local-model", llm=FAST, **options)
    return summarize(folder, backend, plan(folder, None, force), concurrency=4)


@pytest.mark.parametrize("style", REPLY_STYLES)
def test_every_paper_gets_a_summary_in_at_most_two_requests(
        style: str, llm_server: LLMServer, tmp_path: Path):
    llm_server.use_style(style, extra_words=3)
    event = ten_paper_event(tmp_path / "ev")
    report = run(event)
    assert sorted(report.written) == [f"p{i}" for i in range(PAPERS)]
    assert report.failed == {}
    assert len(llm_server.chat_requests) == report.usage.requests == EXPECTED_REQUESTS[style]
    assert report.usage.requests / report.usage.drafts <= 2


@pytest.mark.parametrize("style", REPLY_STYLES)
def test_a_second_run_makes_no_request(style: str, llm_server: LLMServer, tmp_path: Path):
    llm_server.use_style(style)
    event = ten_paper_event(tmp_path / "ev")
    run(event)
    before = len(llm_server.chat_requests)
    assert run(event).usage.requests == 0  # every summary is there and current
    forced = run(event, force=True)  # redrafted, but from the response cache
    assert len(llm_server.chat_requests) == before
    assert (forced.cached, len(forced.written)) == (PAPERS, PAPERS)


class TestOvershoots:
    def test_every_overshoot_is_recorded_in_the_checks(self, llm_server: LLMServer,
                                                      tmp_path: Path):
        llm_server.use_style("overshoot", extra_words=3)
        run(ten_paper_event(tmp_path / "ev"))
        for summary in open_event(tmp_path / "ev").summaries.values():
            over = overshoots(summary)
            assert over and all(words == limit + 3 for _, words, limit in over)
            assert [(c.kind, c.field, c.value) for c in summary.checks] == \
                [("length", name, f"{words} words") for name, words, _ in over]

    def test_the_re_ask_names_each_field_and_how_much_to_cut(self, llm_server: LLMServer,
                                                            tmp_path: Path):
        llm_server.use_style("overshoot", extra_words=3)
        run(ten_paper_event(tmp_path / "ev"))
        reask = llm_server.chat_requests[1].body["messages"]
        assert reask[-2]["role"] == "assistant"
        ask = reask[-1]["content"]
        assert f"- tldr: {LIMITS['tldr'] + 3} words; at most {LIMITS['tldr']} (cut 3 or " \
               "more)" in ask
        assert "changing only these fields" in ask

    def test_confgen_check_shows_them(self, llm_server: LLMServer, tmp_path: Path,
                                      capsys: pytest.CaptureFixture):
        llm_server.use_style("overshoot", extra_words=3)
        event = ten_paper_event(tmp_path / "ev")
        run(event)
        capsys.readouterr()
        main(["check", str(event)])
        out = capsys.readouterr()
        text = out.out + out.err
        assert f"tldr has {LIMITS['tldr'] + 3} words, more than {LIMITS['tldr']}" in text
        assert text.count("p3.yaml") >= 3

    def test_a_reply_within_the_limits_after_the_re_ask_is_kept_clean(
            self, llm_server: LLMServer, tmp_path: Path):
        event = write_event(tmp_path / "ev", [paper(id="p0")])
        too_long = overshoot(json.loads(draft_content(paper()["title"], ABSTRACT)
                                        .model_dump_json()), 2)
        llm_server.script(Reply(content=json.dumps(too_long)))  # then plain replies
        report = run(event)
        assert report.usage.requests == 2
        assert open_event(event).summaries["p0"].checks == []

    def test_without_a_schema_the_model_may_send_only_the_shortened_fields(
            self, llm_server: LLMServer, tmp_path: Path):
        llm_server.use_style("json_object_only")
        event = write_event(tmp_path / "ev", [paper(id="p0")])
        data = json.loads(draft_content(paper()["title"], ABSTRACT).model_dump_json())
        llm_server.script(Reply(content=json.dumps({**data, "tldr": " ".join(["gate"] * 40)})),
                          Reply(content='{"tldr": "A sigmoid gate after attention helps."}'))
        report = run(event)
        ask = llm_server.chat_requests[-1].body["messages"][-1]["content"]
        assert "holding only these top-level fields, shortened: tldr" in ask
        summary = open_event(event).summaries["p0"]
        assert summary.tldr == "A sigmoid gate after attention helps."
        assert (summary.key_points, summary.checks) == (data["key_points"], [])
        assert report.usage.requests == 3  # json_schema refused once, then two

    def test_without_length_reasks_an_overshoot_costs_one_request(
            self, llm_server: LLMServer, tmp_path: Path):
        llm_server.use_style("overshoot", extra_words=1)
        folder = open_event(ten_paper_event(tmp_path / "ev"))
        backend = OpenAIBackend(model="m", llm={**FAST, "length_reasks": 0})
        report = summarize(folder, backend, plan(folder, None, False))
        assert (len(report.written), report.usage.requests) == (PAPERS, PAPERS)


class TestRepairs:
    def test_a_repaired_reply_says_so_in_provenance(self, llm_server: LLMServer,
                                                   tmp_path: Path):
        llm_server.use_style("damaged")
        run(ten_paper_event(tmp_path / "ev"))
        summaries = open_event(tmp_path / "ev").summaries.values()
        assert all(s.provenance.repaired for s in summaries)
        text = (tmp_path / "ev" / "p0.yaml").read_text(encoding="utf-8")
        assert "repaired: true" in text

    def test_a_clean_reply_writes_no_repaired_field(self, llm_server: LLMServer,
                                                   tmp_path: Path):
        run(ten_paper_event(tmp_path / "ev"))
        assert "repaired" not in (tmp_path / "ev" / "p0.yaml").read_text(encoding="utf-8")

    def test_reasoning_is_never_sent_back(self, llm_server: LLMServer, tmp_path: Path):
        folder = open_event(write_event(tmp_path / "ev", [paper(id="p0")]))
        llm_server.script(Reply(content='<think>the {tldr} first</think>{"tldr": "x"}'))
        summarize(folder, OpenAIBackend(model="m", llm=FAST), plan(folder, None, False))
        echoed = llm_server.chat_requests[1].body["messages"][-2]
        assert echoed == {"role": "assistant", "content": '{"tldr": "x"}'}


class TestServerKnowledge:
    def test_the_working_format_is_remembered_for_the_next_run(self, llm_server: LLMServer,
                                                               tmp_path: Path):
        llm_server.use_style("json_object_only")
        run(ten_paper_event(tmp_path / "one"))
        [record] = [json.loads(p.read_text()) for p in cache_dir("servers").glob("*.json")]
        assert (record["format"], record["confirmed"]) == ("json_object", True)
        before = len(llm_server.chat_requests)
        report = run(ten_paper_event(tmp_path / "two", edition=" (revised)"))
        sent = [r.body.get("response_format") for r in llm_server.chat_requests[before:]]
        assert report.usage.requests == PAPERS
        assert sent == [{"type": "json_object"}] * PAPERS

    def test_a_refused_keyword_is_dropped_but_the_schema_kept(self, llm_server: LLMServer,
                                                              tmp_path: Path):
        llm_server.use_style("rejects_max_length")
        run(ten_paper_event(tmp_path / "ev"))
        first, *rest = llm_server.chat_requests
        assert '"maxLength"' in json.dumps(first.body["response_format"])
        for request in rest:
            assert request.body["response_format"]["type"] == "json_schema"
            assert '"maxLength"' not in json.dumps(request.body["response_format"])

    def test_a_server_that_takes_max_length_gets_it(self, llm_server: LLMServer,
                                                    tmp_path: Path):
        run(ten_paper_event(tmp_path / "ev"))
        schema = llm_server.chat_requests[0].body["response_format"]["json_schema"]["schema"]
        assert schema["properties"]["tldr"]["maxLength"] > 0

    def test_servers_and_models_are_learned_apart(self, llm_server: LLMServer,
                                                  tmp_path: Path):
        llm_server.use_style("json_object_only")
        run(ten_paper_event(tmp_path / "one"))
        folder = open_event(ten_paper_event(tmp_path / "two", edition=" (revised)"))
        other = OpenAIBackend(model="another-model", llm=FAST)
        assert other.memory.format == "json_schema"
        summarize(folder, other, plan(folder, None, False))
        assert len(list(cache_dir("servers").glob("*.json"))) == 2


class TestBatches:
    """Batch results are read like live replies, without re-asks."""

    @pytest.mark.parametrize("style, repaired, with_checks", [
        ("think", False, False), ("prose", False, False), ("damaged", True, False),
        ("overshoot", False, True)])
    def test_batch_results_in_every_style_become_summaries(
            self, style: str, repaired: bool, with_checks: bool, llm_server: LLMServer,
            tmp_path: Path):
        llm_server.use_style(style)
        event = ten_paper_event(tmp_path / "ev")
        assert main(["summarize", str(event), "--model", "m", "--batch"]) == 0
        assert main(["batch", "collect", str(event)]) == 0
        summaries = open_event(event).summaries
        assert len(summaries) == PAPERS
        assert llm_server.chat_requests == []
        for summary in summaries.values():
            assert summary.provenance.repaired is repaired
            assert bool(summary.checks) is with_checks
            assert all(check.kind == "length" for check in summary.checks)

    def test_a_batch_sends_max_length_only_to_a_server_known_to_take_it(
            self, llm_server: LLMServer, tmp_path: Path):
        def batch_schema(event: Path) -> dict:
            main(["summarize", str(event), "--model", "m", "--batch", "--force"])
            upload = [f for f in llm_server.files.values() if f["purpose"] == "batch"][-1]
            line = json.loads(upload["content"].decode().splitlines()[0])
            return line["body"]["response_format"]["json_schema"]["schema"]

        event = ten_paper_event(tmp_path / "ev")
        assert "maxLength" not in json.dumps(batch_schema(event))  # nothing learned yet
        main(["summarize", str(write_event(tmp_path / "one", [paper(id="x")])), "--model", "m"])
        assert "maxLength" in json.dumps(batch_schema(event))  # a live draft showed it works


class DescribeServerMemory:
    def it_learns_again_when_its_file_is_unreadable(self, tmp_path: Path):
        memory = ServerMemory("http://127.0.0.1:9/v1", "m", root=tmp_path)
        memory.step_down("json_schema")
        memory.path.write_text("{not json")
        assert ServerMemory("http://127.0.0.1:9/v1", "m", root=tmp_path).format == "json_schema"

    def it_never_writes_credentials_from_the_base_url(self, tmp_path: Path):
        memory = ServerMemory("http://user:s3cret@127.0.0.1:9/v1", "m", root=tmp_path)
        memory.refuse(["maxLength"])
        record = json.loads(memory.path.read_text())
        assert "s3cret" not in memory.path.read_text()
        assert (record["server"], record["refused"]) == ("http://127.0.0.1:9/v1 m", ["maxLength"])

    def it_starts_no_higher_than_the_configured_format(self, tmp_path: Path):
        assert ServerMemory(None, "m", start="prompt", root=tmp_path).format == "prompt"


def test_the_usage_line_reports_requests_per_paper(llm_server: LLMServer, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture):
    llm_server.use_style("overshoot")
    event = ten_paper_event(tmp_path / "ev")
    assert main(["summarize", str(event), "--model", "m"]) == 0
    err = capsys.readouterr().err
    assert "usage: 20 requests (2.0 per paper)" in err
    assert main(["summarize", str(event), "--model", "m"]) == 0
    assert "usage:" not in capsys.readouterr().err  # nothing to draft, nothing sent
