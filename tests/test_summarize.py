"""Drafting: missing summaries are drafted, reviewed ones are protected, stale ones redone."""

from pathlib import Path

import pytest
import yaml
from factories import ABSTRACT, drafted, paper, write_event

from generator.cli import main
from generator.core.event import open_event
from generator.core.yamlio import dump_yaml


@pytest.fixture
def event_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return write_event(tmp_path / "summaries" / "conf",
                       [paper(), paper(title="Second Paper", arxiv="2501.00001")])


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text())


def test_summarize_drafts_every_missing_summary_offline(event_dir, capsys):
    assert main(["summarize", "conf"]) == 0
    out = capsys.readouterr()
    assert "offline" in out.err
    for key in ("2505.06708", "2501.00001"):
        data = load(event_dir / f"{key}.yaml")
        assert data["status"] == "draft"
        assert data["provenance"]["backend"] == "offline"
        assert 3 <= len(data["key_points"]) <= 5
        assert 3 <= len(data["comic"]) <= 4


def test_a_reviewed_summary_is_never_overwritten_without_force(event_dir):
    drafted(event_dir)
    path = event_dir / "2505.06708.yaml"
    data = load(path)
    data.update(status="reviewed", tldr="My own words.")
    path.write_text(dump_yaml(data))
    text_before = path.read_text()
    (event_dir / "event.yaml").write_text(
        (event_dir / "event.yaml").read_text().replace("softmax", "plain softmax"))
    assert main(["summarize", "conf"]) == 0
    assert path.read_text() == text_before
    assert main(["summarize", "conf", "--paper", "2505.06708", "--force"]) == 0
    assert load(path)["status"] == "draft"


def test_a_draft_whose_source_changed_is_drafted_again(event_dir):
    drafted(event_dir)
    second = event_dir / "2501.00001.yaml"
    untouched = second.read_text()
    event_file = event_dir / "event.yaml"
    event_file.write_text(event_file.read_text().replace(
        "without any gate.", "without any gate, as we show in 12 experiments.", 1))
    assert main(["summarize", "conf", "--paper", "2505.06708"]) == 0
    assert "12" in (event_dir / "2505.06708.yaml").read_text()
    assert second.read_text() == untouched


def test_an_unchanged_draft_is_kept(event_dir, capsys):
    drafted(event_dir)
    before = (event_dir / "2505.06708.yaml").read_text()
    assert main(["summarize", "conf"]) == 0
    assert "nothing to draft" in capsys.readouterr().out
    assert (event_dir / "2505.06708.yaml").read_text() == before


def test_an_unknown_paper_id_is_an_error(event_dir, capsys):
    assert main(["summarize", "conf", "--paper", "nope"]) == 2
    assert "no paper with id 'nope'" in capsys.readouterr().err


def test_drafts_are_grounded_in_the_source(event_dir):
    folder = drafted(event_dir)
    for summary in folder.summaries.values():
        assert summary.checks == []
        for number in summary.key_numbers:
            assert number.source in ABSTRACT


def test_summaries_reload_exactly_as_written(event_dir):
    first = drafted(event_dir).summaries
    assert open_event(event_dir).summaries == first


def test_check_reports_a_number_added_by_hand_that_the_source_lacks(event_dir, capsys):
    drafted(event_dir)
    path = event_dir / "2505.06708.yaml"
    data = load(path)
    data["why_it_matters"] = "It is 42% faster and “beats every baseline”."
    path.write_text(dump_yaml(data))
    assert main(["check", "conf"]) == 0  # warnings, not errors
    err = capsys.readouterr().err
    assert "2505.06708.yaml: why_it_matters: number '42%' does not appear in the source" in err
    assert "quoted phrase 'beats every baseline' is not in the source" in err
