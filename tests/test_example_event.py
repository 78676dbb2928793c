"""The bundled example, summaries/neurips-2025, is a complete and trustworthy event.

It is what `make demo` builds and what a new user copies, so it must load cleanly, have a
summary for every paper, and never state a number its sources do not contain.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from factories import drafted

from generator.core.event import check_event, open_event
from generator.core.grounding import ground
from generator.core.models import length_problems
from generator.core.store import source_hash
from generator.drafting.summarize import plan

EXAMPLE = Path(__file__).resolve().parent.parent / "summaries" / "neurips-2025"
FOLDER = open_event(EXAMPLE)
PAPER_IDS = [paper.key for paper in FOLDER.papers]
HAND_REVIEWED = {"artificial-hivemind", "rl-1000-layers", "rlvr-reasoning-limits"}


def _paper(paper_id: str):
    return next(paper for paper in FOLDER.papers if paper.key == paper_id)


def test_example_loads_without_errors_or_warnings():
    errors, warnings = check_event(open_event(EXAMPLE))
    assert errors == []
    assert warnings == []


def test_example_has_the_deck_sections_filled():
    event = FOLDER.event
    assert event.name == "NeurIPS 2025"
    assert event.stats and event.trends and event.other_papers
    assert [talk.speaker for talk in event.talks] == ["Rich Sutton", "Zeynep Tufekci"]
    assert all(3 <= len(talk.points) <= 6 for talk in event.talks)


def test_every_paper_has_a_summary():
    assert sorted(FOLDER.summaries) == sorted(PAPER_IDS)


def test_hand_reviewed_summaries_are_marked_reviewed_and_by_a_human():
    reviewed = {key for key, summary in FOLDER.summaries.items() if summary.status == "reviewed"}
    assert reviewed == HAND_REVIEWED
    for key in HAND_REVIEWED:
        assert FOLDER.summaries[key].provenance.backend == "human"


def test_no_summary_is_stale_so_summarize_has_nothing_to_do():
    for paper in FOLDER.papers:
        assert FOLDER.summaries[paper.key].provenance.source_hash == source_hash(paper), paper.key
    assert plan(FOLDER, None, force=False) == []


@pytest.mark.parametrize("paper_id", PAPER_IDS)
def test_every_number_and_quote_in_a_summary_is_in_its_source(paper_id: str):
    paper, summary = _paper(paper_id), FOLDER.summaries[paper_id]
    assert ground(summary, paper.source_text, paper.title) == []
    assert summary.checks == []


@pytest.mark.parametrize("paper_id", PAPER_IDS)
def test_every_summary_fits_the_word_limits(paper_id: str):
    assert length_problems(FOLDER.summaries[paper_id]) == []


@pytest.mark.parametrize("paper_id", PAPER_IDS)
def test_every_comic_is_a_dialogue_between_sam_and_ada(paper_id: str):
    comic = FOLDER.summaries[paper_id].comic
    speakers = {line.speaker for frame in comic for line in frame.lines}
    assert speakers == {"Sam", "Ada"}
    assert all(frame.lines[0].speaker == "Sam" for frame in comic)


def test_every_award_paper_links_to_the_paper_itself():
    award_papers = [paper for paper in FOLDER.papers if paper.award]
    assert len(award_papers) == 7
    for paper in award_papers:
        assert paper.arxiv or paper.links.get("paper"), paper.key
        assert paper.url.startswith("https://"), paper.key


def test_every_paper_has_a_topic_shared_with_another_paper():
    topics = [paper.topic for paper in FOLDER.papers]
    assert all(topics)
    assert all(topics.count(topic) >= 2 for topic in topics)


def test_drafting_the_example_again_keeps_every_summary_file(example_copy: Path):
    before = {path.name: path.read_bytes() for path in example_copy.glob("*.yaml")}
    drafted(example_copy)
    after = {path.name: path.read_bytes() for path in example_copy.glob("*.yaml")}
    assert after == before
