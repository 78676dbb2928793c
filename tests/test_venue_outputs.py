"""A selected venue in the outputs: only the picks are drafted and shown; the stats, the
"most popular topics" chart and the newsletter's counts cover the whole venue."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from factories import run_cli
from pptx import Presentation
from test_select import INTERESTS, write_venue
from venue import make_venue

from generator.core.event import load_event
from generator.core.stats import venue_stats
from generator.sources.openreview import note_to_found

FOUND = [note_to_found(n, whole_venue=True) for n in make_venue(300, planted=10,
                                                                 distractors=10).notes]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path]:
    """The venue with six papers selected, built offline into out/."""
    base = tmp_path_factory.mktemp("built")
    root = write_venue(base / "neurips", FOUND, stats='["21,575 submissions"]')
    code = run(["select", str(root), "--interests", INTERESTS, "--top", "6"])
    assert code == 0
    code = run(["build", str(root), "--backend", "offline", "--jobs", "1",
                "--output", str(base / "out")])
    assert code == 0
    return root, base / "out" / "neurips"


def run(argv: list[str]) -> int:
    from generator.cli import main

    return main(argv)


def _texts(slide) -> list[str]:
    return [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]


class DescribeSelectedOutputs:
    def it_drafts_only_the_selected_papers(self, built):
        root, _ = built
        selected = {p.key for p in load_event(root).papers if p.selected}
        assert {p.stem for p in root.glob("*.yaml")} - {"event"} == selected

    def it_opens_with_the_venues_real_counts(self, built):
        root, out = built
        prs = Presentation(str(out / "deck.pptx"))
        stats = next(s for s in prs.slides if "At a glance" in _texts(s))
        text = " ".join(_texts(stats))
        assert text.index("21,575") < text.index("300")  # the user's stats come first
        stats_of = venue_stats(load_event(root))
        for line in stats_of.lines():
            number, _, rest = line.partition(" ")
            assert number in text and rest in text
        assert "6 of 300 papers are on LLM safety and alignment" in " ".join(
            stats_of.lines())

    def it_charts_the_most_popular_topics_of_the_venue(self, built):
        root, out = built
        prs = Presentation(str(out / "deck.pptx"))
        slide = next(s for s in prs.slides if "Most popular topics" in _texts(s))
        chart = next(shape.chart for shape in slide.shapes if shape.has_chart)
        counts = dict(venue_stats(load_event(root)).topics[:12])
        categories = list(chart.plots[0].categories)
        values = list(chart.plots[0].series[0].values)
        assert dict(zip(categories, values, strict=True)) == counts

    def it_shows_only_the_selected_papers(self, built):
        root, out = built
        papers = load_event(root).papers
        shown = [p for p in papers if p.selected]
        prs = Presentation(str(out / "deck.pptx"))
        deck_text = "\n".join(t for s in prs.slides for t in _texts(s))
        newsletter = (out / "newsletter.md").read_text(encoding="utf-8")
        for paper in shown:
            assert paper.title in newsletter
        others = [p for p in papers if not p.selected]
        assert not [p.title for p in others if p.title in newsletter]
        assert not [p.title for p in others if p.title in deck_text]
        assert len(list((out / "panels").glob("*.png"))) == 6

    def it_gives_the_newsletter_the_counts(self, built):
        root, out = built
        newsletter = (out / "newsletter.md").read_text(encoding="utf-8")
        assert newsletter.startswith("# NeurIPS 2025")
        assert "6 papers from NeurIPS 2025" in newsletter
        assert "**At a glance:** 21,575 submissions · 300 papers" in newsletter
        top, count = venue_stats(load_event(root)).topics[0]
        assert f"**Papers per topic:** {top} ({count})" in newsletter

    def it_refuses_to_draft_a_paper_that_is_not_selected(self, built, capsys):
        root, _ = built
        other = next(p for p in load_event(root).papers if not p.selected)
        code, out = run_cli(capsys, "summarize", str(root), "--paper", other.key)
        assert code == 2 and f"not selected, so never drafted or shown: {other.key}" in out
        assert not (root / f"{other.key}.yaml").exists()

    def it_exports_a_batch_of_the_selected_papers_only(self, built, tmp_path, monkeypatch):
        root, _ = built
        monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")  # export sends nothing
        monkeypatch.setenv("OPENAI_API_KEY", "test-key")
        requests = tmp_path / "requests.jsonl"
        assert run(["summarize", str(root), "--force", "--model", "m",
                    "--batch-file", str(requests)]) == 0
        exported = {json.loads(line)["custom_id"] for line in requests.read_text().splitlines()}
        assert exported == {p.key for p in load_event(root).papers if p.selected}
