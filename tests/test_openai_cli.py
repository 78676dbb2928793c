"""`confgen summarize/build` with the openai backend: cache, diff, usage, configuration, secrets."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import pytest
import yaml
from factories import paper, write_event
from llm_server import LLMServer, Reply, llm_server_fixture  # noqa: F401

from generator.cli import main
from generator.core.event import check_event, open_event

KEY = "sk-test-CONFGEN-secret-4f9a1c2e7b"


def summarize(event: Path, *options: str) -> int:
    return main(["summarize", str(event), "--model", "test-model", *options])


def fresh_example(example_copy: Path) -> Path:
    """The example event with its summaries removed, so every paper needs a draft."""
    for path in example_copy.glob("*.yaml"):
        if path.name != "event.yaml":
            path.unlink()
    return example_copy


def small_event(tmp_path: Path, count: int = 2, **fields) -> Path:
    papers = [paper(title=f"Gated attention study {i}", id=f"p{i}") for i in range(count)]
    return write_event(tmp_path / "summaries" / "small", papers, **fields)


class TestExampleEvent:
    def test_build_drafts_every_example_paper_through_the_sdk(
            self, llm_server: LLMServer, example_copy: Path, tmp_path: Path):
        event = fresh_example(example_copy)
        code = main(["build", str(event), "--model", "test-model", "--output",
                     str(tmp_path / "out")])
        folder = open_event(event)
        assert code == 0
        assert len(llm_server.chat_requests) == len(folder.papers)
        assert set(folder.summaries) == {p.key for p in folder.papers}
        assert {s.provenance.backend for s in folder.summaries.values()} == {"openai"}
        assert check_event(folder)[0] == []
        assert (tmp_path / "out" / event.name / "deck.pptx").is_file()

    def test_a_second_run_makes_zero_requests(self, llm_server: LLMServer, example_copy: Path,
                                              capsys: pytest.CaptureFixture):
        event = fresh_example(example_copy)
        assert summarize(event) == 0
        count = len(llm_server.chat_requests)
        for path in event.glob("*.yaml"):
            if path.name != "event.yaml":
                path.unlink()
        assert summarize(event) == 0
        assert len(llm_server.chat_requests) == count
        assert f"{count} cached" in capsys.readouterr().err

    def test_no_cache_asks_the_server_again(self, llm_server: LLMServer, tmp_path: Path):
        event = small_event(tmp_path)
        summarize(event)
        summarize(event, "--force", "--no-cache")
        assert len(llm_server.chat_requests) == 4


class TestCacheKey:
    def test_changing_model_prompt_or_source_misses_the_cache(self, llm_server: LLMServer,
                                                              tmp_path: Path):
        event = small_event(tmp_path, count=1)
        summarize(event)
        summarize(event, "--force", "--model", "other-model")
        summarize(event, "--style", "newsletter")  # not forced: p0 is up to date
        (event / "p0.yaml").unlink()
        summarize(event, "--style", "newsletter")
        text = (event / "event.yaml").read_text()
        (event / "event.yaml").write_text(text.replace("without any gate", "with no gate"))
        summarize(event)
        models = [r.body["model"] for r in llm_server.chat_requests]
        assert models == ["test-model", "other-model", "test-model", "test-model"]

    def test_the_cache_lives_in_confgen_cache_dir(self, llm_server: LLMServer, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch):
        monkeypatch.setenv("CONFGEN_CACHE_DIR", str(tmp_path / "elsewhere"))
        summarize(small_event(tmp_path, count=1))
        assert len(list((tmp_path / "elsewhere" / "responses").rglob("*.json"))) == 1


class TestRegenerateOne:
    def test_force_one_paper_redrafts_only_that_paper(self, llm_server: LLMServer,
                                                      tmp_path: Path):
        event = small_event(tmp_path)
        summarize(event)
        summarize(event, "--paper", "p1", "--force")
        assert len(llm_server.chat_requests) == 3
        assert "Gated attention study 1" in str(llm_server.chat_requests[-1].body)

    def test_diff_shows_what_changed(self, llm_server: LLMServer, tmp_path: Path,
                                     capsys: pytest.CaptureFixture):
        event = small_event(tmp_path)
        summarize(event)
        capsys.readouterr()
        from test_openai_faults import valid_reply

        llm_server.script(Reply(content=valid_reply(tldr="A sigmoid gate after attention.")))
        summarize(event, "--paper", "p0", "--force", "--diff")
        out = capsys.readouterr().out
        assert "+tldr: A sigmoid gate after attention." in out
        assert "--- a/p0.yaml" in out
        assert "created" not in out


class TestUsageReport:
    def test_the_usage_line_counts_requests_tokens_failures_and_cost(
            self, llm_server: LLMServer, tmp_path: Path, capsys: pytest.CaptureFixture):
        prices = {"test-model": {"input": 1.0, "output": 2.0}}
        event = small_event(tmp_path, count=3, llm={"prices": prices, "max_retries": 0})
        llm_server.script(Reply(status=500, when="study 2"))
        assert summarize(event) == 1
        err = capsys.readouterr().err
        words_in = [len(json.dumps(r.body["messages"]).split())  # the server's token count
                    for r in llm_server.chat_requests if "study 2" not in str(r.body)]
        match = re.search(r"usage: 3 requests \(1\.0 per paper\), ([\d,]+) tokens in, "
                          r"([\d,]+) out, 0 cached, 1 failed, [\d.]+ s, \$([\d.]+)", err)
        assert match, err
        tokens_in, tokens_out = (int(g.replace(",", "")) for g in match.groups()[:2])
        assert tokens_in == sum(words_in)
        assert float(match[3]) == pytest.approx((tokens_in * 1.0 + tokens_out * 2.0) / 1e6,
                                                abs=1e-4)
        assert "failed p2: HTTP 500" in err


class TestGroundingOptions:
    INVENTED = "The gate cuts perplexity by 97.5% on every benchmark."

    def test_check_shows_ungrounded_numbers_of_a_draft(self, llm_server: LLMServer,
                                                       tmp_path: Path,
                                                       capsys: pytest.CaptureFixture):
        from test_openai_faults import valid_reply

        event = small_event(tmp_path, count=1)
        llm_server.script(Reply(content=valid_reply(tldr=self.INVENTED)))
        summarize(event)
        assert main(["check", str(event)]) == 0
        assert "tldr: number '97.5%' does not appear in the source" in capsys.readouterr().err

    def test_strict_fails_a_paper_that_stays_ungrounded(self, llm_server: LLMServer,
                                                        tmp_path: Path,
                                                        capsys: pytest.CaptureFixture):
        from test_openai_faults import valid_reply

        event = small_event(tmp_path, count=1)
        llm_server.script(*[Reply(content=valid_reply(tldr=self.INVENTED))] * 2)
        assert summarize(event, "--strict") == 1
        assert "failed p0: --strict" in capsys.readouterr().err
        assert not (event / "p0.yaml").exists()


class TestConfiguration:
    def test_an_unknown_style_lists_the_known_ones(self, llm_server: LLMServer,
                                                   tmp_path: Path,
                                                   capsys: pytest.CaptureFixture):
        assert summarize(small_event(tmp_path, count=3), "--style", "haiku") == 2
        assert "unknown style 'haiku'; choose one of: newsletter, talk" in \
            capsys.readouterr().err

    def test_the_model_comes_from_the_event_llm_section(self, llm_server: LLMServer,
                                                        tmp_path: Path):
        event = small_event(tmp_path, count=1, llm={"model": "event-model"})
        assert main(["summarize", str(event)]) == 0
        assert llm_server.chat_requests[0].body["model"] == "event-model"

    def test_confgen_model_overrides_the_event_and_model_overrides_both(
            self, llm_server: LLMServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
        event = small_event(tmp_path, count=1, llm={"model": "event-model"})
        monkeypatch.setenv("CONFGEN_MODEL", "env-model")
        main(["summarize", str(event)])
        main(["summarize", str(event), "--force", "--model", "cli-model"])
        assert [r.body["model"] for r in llm_server.chat_requests] == ["env-model", "cli-model"]

    def test_no_model_is_a_clear_error(self, llm_server: LLMServer, tmp_path: Path,
                                       capsys: pytest.CaptureFixture):
        assert main(["summarize", str(small_event(tmp_path))]) == 2
        assert "no model configured" in capsys.readouterr().err

    def test_an_api_key_in_event_yaml_is_refused(self, llm_server: LLMServer, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture):
        event = small_event(tmp_path, llm={"api_key": KEY})
        assert summarize(event) == 2
        err = capsys.readouterr().err
        assert "never put an API key" in err and KEY not in err

    def test_the_newsletter_style_changes_the_prompt(self, llm_server: LLMServer,
                                                     tmp_path: Path):
        summarize(small_event(tmp_path, count=1), "--style", "newsletter")
        assert "internal newsletter" in llm_server.chat_requests[0].body["messages"][0][
            "content"]

    def test_a_prompt_folder_of_ones_own_overrides_the_bundled_templates(
            self, llm_server: LLMServer, tmp_path: Path):
        prompts = tmp_path / "prompts"
        (prompts / "styles").mkdir(parents=True)
        (prompts / "system.j2").write_text("Summarise for {{ style_guide }} Reply in JSON.")
        (prompts / "styles" / "pirate.md").write_text("pirates, arr.")
        summarize(small_event(tmp_path, count=1), "--prompts", str(prompts), "--style", "pirate")
        system, user = llm_server.chat_requests[0].body["messages"]
        assert system["content"] == "Summarise for pirates, arr. Reply in JSON."
        assert "<paper>" in user["content"]  # user.j2 still comes from the bundled set

    def test_the_llm_section_names_a_prompt_folder_beside_the_event(
            self, llm_server: LLMServer, tmp_path: Path):
        event = small_event(tmp_path, count=1, llm={"prompts": "my-prompts"})
        (event / "my-prompts").mkdir()
        (event / "my-prompts" / "system.j2").write_text("House style. Reply in JSON.")
        summarize(event)
        assert llm_server.chat_requests[0].body["messages"][0]["content"] == \
            "House style. Reply in JSON."

    def test_prompt_templates_run_in_a_sandbox(self, llm_server: LLMServer, tmp_path: Path,
                                               capsys: pytest.CaptureFixture):
        prompts = tmp_path / "prompts"
        prompts.mkdir()
        (prompts / "system.j2").write_text("{{ title.__class__.__mro__[1].__subclasses__() }}")
        assert summarize(small_event(tmp_path, count=1), "--prompts", str(prompts)) == 2
        assert "prompt template error" in capsys.readouterr().err
        assert llm_server.chat_requests == []

    def test_offline_stays_the_default_without_key_or_base_url(
            self, tmp_path: Path, capsys: pytest.CaptureFixture):
        assert main(["summarize", str(small_event(tmp_path, count=1))]) == 0
        assert "offline extractive drafter" in capsys.readouterr().err


class TestSecrets:
    def test_the_api_key_appears_in_no_file_and_no_output(
            self, llm_server: LLMServer, tmp_path: Path,
            monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture,
            caplog: pytest.LogCaptureFixture):
        llm_server.api_key = KEY
        monkeypatch.setenv("OPENAI_API_KEY", KEY)
        caplog.set_level(logging.DEBUG)
        event = small_event(tmp_path, count=3, llm={"max_retries": 0})
        llm_server.script(Reply(status=500, error=f"upstream said {KEY}", when="study 1"),
                          Reply(status=400, error=f"echo Bearer {KEY}", when="study 2"))
        main(["summarize", str(event), "--model", "m", "--batch-file",
              str(tmp_path / "requests.jsonl")])
        assert main(["summarize", str(event), "--model", "m"]) == 1
        assert llm_server.chat_requests[0].headers["authorization"] == f"Bearer {KEY}"
        assert "Sending HTTP Request" in caplog.text  # the SDK's debug log was captured
        assert_key_absent(KEY, tmp_path, capsys, caplog)

    def test_a_rejected_key_is_not_echoed(self, llm_server: LLMServer, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture,
                                          caplog: pytest.LogCaptureFixture):
        llm_server.api_key = "sk-the-right-one-000000"
        monkeypatch.setenv("OPENAI_API_KEY", KEY)
        event = small_event(tmp_path, count=3)
        assert summarize(event, "--concurrency", "1") == 1
        err = capsys.readouterr().err
        assert "rejected the API key (401)" in err
        assert len(llm_server.chat_requests) == 1  # the next papers fail without a request
        assert_key_absent(KEY, tmp_path, capsys, caplog, err)


def assert_key_absent(key: str, root: Path, capsys: pytest.CaptureFixture,
                      caplog: pytest.LogCaptureFixture, *seen: str) -> None:
    """Search every file under `root` and all captured output and logs for `key`."""
    files = [p for p in root.rglob("*") if p.is_file()]
    assert files, "nothing was written"
    leaks = [p for p in files if key.encode() in p.read_bytes()]
    captured = capsys.readouterr()
    assert leaks == []
    assert key not in captured.out + captured.err + "".join(seen)
    assert key not in caplog.text


def test_reviewed_summaries_are_left_alone(llm_server: LLMServer, tmp_path: Path):
    event = small_event(tmp_path, count=1)
    summarize(event)
    path = event / "p0.yaml"
    data = yaml.safe_load(path.read_text())
    path.write_text(yaml.safe_dump({**data, "status": "reviewed"}))
    summarize(event, "--backend", "openai")
    assert len(llm_server.chat_requests) == 1
