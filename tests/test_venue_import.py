"""`confgen add --venue` and paper-list files: a whole proceedings in, merged in seconds.

The venue comes from the local OpenReview API v2 stand-in (tests/source_server.py), which
pages a generated venue (tests/venue.py) 1,000 notes at a time as the real API does.
"""

from __future__ import annotations

import copy
from collections import Counter
from pathlib import Path

import pytest
import yaml
from factories import run_cli
from source_server import serve
from venue import VENUE_ID, make_venue

from generator.core.event import load_event

DATA = Path(__file__).parent / "data" / "paperlists"
VENUE = make_venue(1_200, planted=10, distractors=10)


@pytest.fixture
def server(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    with serve(monkeypatch) as running:
        running.venue_notes = copy.deepcopy(VENUE.notes)
        yield running


def _venue_requests(server) -> list[dict]:
    return [r.query for r in server.requests if "content.venueid" in r.query]


class DescribeVenueImport:
    def it_pages_through_every_accepted_paper(self, server, capsys):
        code, out = run_cli(capsys, "add", "neurips", "--venue", VENUE_ID)
        assert code == 0, out
        assert [(q["offset"], q["limit"]) for q in _venue_requests(server)] == [
            ("0", "1000"), ("1000", "1000")]
        event = load_event(Path("summaries/neurips"))
        assert len(event.papers) == 1_200
        assert event.name == "NeurIPS 2025"  # a new event is named after its venue
        assert "added 1,200" in out and "next: confgen select" in out

    def it_reads_oral_spotlight_and_poster_as_the_presentation(self, server, capsys):
        run_cli(capsys, "add", "neurips", "--venue", VENUE_ID)
        event = load_event(Path("summaries/neurips"))
        kinds = Counter(p.presentation for p in event.papers)
        assert kinds == {"Oral": round(1200 * 77 / 5290), "Spotlight": round(1200 * 688 / 5290),
                         "Poster": 1200 - 17 - 156}
        assert not any(p.award for p in event.papers)  # orals do not fill the award slides
        assert {p.venue for p in event.papers} == {"NeurIPS 2025"}

    def it_takes_the_topic_from_the_primary_area(self, server, capsys):
        run_cli(capsys, "add", "neurips", "--venue", VENUE_ID)
        event = load_event(Path("summaries/neurips"))
        paper = next(p for p in event.papers if p.primary_area == "reinforcement_learning")
        assert paper.topic == "Reinforcement learning"
        assert paper.keywords and paper.links["openreview"].startswith("https://openreview.net/")

    def it_updates_on_a_second_run_and_keeps_the_readers_edits(self, server, capsys, tmp_path):
        run_cli(capsys, "add", "neurips", "--venue", VENUE_ID)
        path = Path("summaries/neurips/event.yaml")
        text = path.read_text(encoding="utf-8")
        first = load_event(path.parent).papers[0]
        text = text.replace("name: NeurIPS 2025", "name: NeurIPS 2025  # my talk", 1)
        text = text.replace(f"  - title: {first.title}\n",
                            f"  - title: {first.title}\n    notes: Read this one first.\n", 1)
        path.write_text(text, encoding="utf-8")
        code, out = run_cli(capsys, "add", "neurips", "--venue", VENUE_ID)
        assert code == 0, out
        event = load_event(path.parent)
        assert len(event.papers) == 1_200  # no duplicates
        assert event.name == "NeurIPS 2025" and "# my talk" in path.read_text(encoding="utf-8")
        assert event.papers[0].notes == "Read this one first."
        assert "unchanged 1,200" in out  # the cached pages answer the same

    def it_retries_a_busy_server(self, server, capsys):
        server.fail_next("openreview", 503, times=2)
        code, out = run_cli(capsys, "add", "neurips", "--venue", VENUE_ID)
        assert code == 0, out
        assert len(load_event(Path("summaries/neurips")).papers) == 1_200

    def it_reports_a_malformed_page_and_writes_nothing(self, server, capsys):
        server.fail_next("openreview", 200, body=b'{"notes": "nope"}',
                         content_type="application/json")
        code, out = run_cli(capsys, "add", "neurips", "--venue", VENUE_ID)
        assert code == 2 and "sent a malformed answer: expected a JSON object with a 'notes' " \
            "list" in out
        assert not Path("summaries/neurips/event.yaml").exists()

    def it_names_an_unknown_venue(self, server, capsys):
        code, out = run_cli(capsys, "add", "neurips", "--venue", "NoSuch.cc/2025/Conference")
        assert code == 2
        assert "no accepted papers for venue 'NoSuch.cc/2025/Conference'" in out
        assert not Path("summaries/neurips/event.yaml").exists()


class DescribePaperLists:
    def it_adds_only_accepted_papers_and_says_what_it_left_out(self, tmp_path, capsys,
                                                                monkeypatch):
        monkeypatch.chdir(tmp_path)
        code, out = run_cli(capsys, "add", "iclr", str(DATA / "iclr2018_first20.json"))
        assert code == 0, out
        event = load_event(Path("summaries/iclr"))
        assert len(event.papers) == 7 and {p.presentation for p in event.papers} == {"Poster"}
        assert {p.venue for p in event.papers} == {"ICLR 2018"}
        assert "left out 10 Reject record(s)" in out and "left out 1 Withdraw" in out
        counting = next(p for p in event.papers if p.title.startswith("Learning to Count"))
        assert counting.authors == ["Yan Zhang", "Jonathon Hare", "Adam Prügel-Bennett"]
        assert counting.keywords[:2] == ["visual question answering", "vqa"]

    def it_reads_spotlights_latex_titles_and_primary_areas(self, tmp_path, capsys, monkeypatch):
        monkeypatch.chdir(tmp_path)
        code, out = run_cli(capsys, "add", "lists", str(DATA / "nips2018_first16.json"),
                            str(DATA / "acmmm2024_first10.json"))
        assert code == 0, out
        event = load_event(Path("summaries/lists"))
        assert len(event.papers) == 26
        kinds = Counter(p.presentation for p in event.papers)
        assert kinds == {"Poster": 22, "Spotlight": 3, "Oral": 1}
        assert event.papers[0].title == "ℓ₁-regression with Heavy-tailed Distributions"
        assert event.papers[0].authors == ["Lijun Zhang", "Zhi-Hua Zhou"]
        assert "[Content] Multimodal Fusion" in {p.topic for p in event.papers}

    def it_merges_a_list_twice_without_duplicates(self, tmp_path, capsys, monkeypatch):
        monkeypatch.chdir(tmp_path)
        listed = str(DATA / "nips2024_first30.json")
        run_cli(capsys, "add", "nips", listed)
        code, out = run_cli(capsys, "add", "nips", listed)
        assert code == 0 and "unchanged 30" in out
        data = yaml.safe_load(Path("summaries/nips/event.yaml").read_text(encoding="utf-8"))
        assert len(data["papers"]) == 30

    def it_reports_malformed_json_with_its_line(self, tmp_path, capsys, monkeypatch):
        monkeypatch.chdir(tmp_path)
        bad = tmp_path / "bad.json"
        bad.write_text('[\n  {"title": "A"},\n  {"title": }\n]\n', encoding="utf-8")
        code, out = run_cli(capsys, "add", "x", str(bad))
        assert code == 2 and f"{bad}:3: invalid JSON" in out
        assert "Traceback" not in out


@pytest.mark.parametrize(("status", "presentation", "award"), [
    ("Poster", "Poster", ""), ("Accept (Oral)", "Oral", ""),
    ("Spotlight Poster", "Spotlight", ""), ("Highlight", "Highlight", ""), ("Accept", "", ""),
    ("Best Paper Award", "", "Best Paper Award"),
])
def test_a_list_status_reads_as_presentation_or_award(tmp_path, status, presentation, award):
    from generator.sources.paperlist import read_paperlist

    listed = tmp_path / "icml2025.json"
    listed.write_text(f'[{{"title": "T", "author": "A; B", "status": "{status}"}}]',
                      encoding="utf-8")
    paper = read_paperlist(listed).found[0].paper
    assert (paper.presentation, paper.award, paper.venue) == (presentation, award, "ICML 2025")
    assert paper.authors == ["A", "B"]
