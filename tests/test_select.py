"""`confgen select`: rank a whole venue by a sentence of interests, mark the picks.

The venue is generated (tests/venue.py): background papers from a dozen areas, planted
papers on LLM safety and alignment, and distractors that share the interests' words in
another sense (multiple sequence alignment, word alignment, reward shaping for robots).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from factories import run_cli
from venue import make_venue

from generator.core.event import load_event, open_event, output_view
from generator.core.stats import venue_stats
from generator.select.mark import SelectOptions, select_papers
from generator.select.rank import rank
from generator.sources.blocks import BlockEditor, bulk_merge
from generator.sources.openreview import note_to_found

INTERESTS = "LLM safety and alignment: jailbreaks, RLHF, reward models"
VENUE = make_venue(1_000, planted=30, distractors=30)
FOUND = [note_to_found(note, whole_venue=True) for note in VENUE.notes]
TITLE_OF = {note["id"]: found.paper.title for note, found in zip(VENUE.notes, FOUND, strict=True)}
PLANTED = {TITLE_OF[i] for i in VENUE.on_topic}
DISTRACTORS = {TITLE_OF[i] for i in VENUE.distractors}


def titles(event, keys) -> set[str]:
    """Return the titles of the papers with these ids."""
    by_key = {p.key: p.title for p in event.papers}
    return {by_key[k] for k in keys}


def write_venue(root: Path, found=FOUND, **top) -> Path:
    """Write the generated venue as an event.yaml, the way `confgen add --venue` does."""
    editor = BlockEditor(root / "event.yaml", name=found[0].paper.venue)
    bulk_merge(editor, found)
    text = editor.text()
    for key, value in top.items():
        text = text.replace("papers:\n", f"{key}: {value}\npapers:\n", 1)
    root.mkdir(parents=True, exist_ok=True)
    (root / "event.yaml").write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def venue_dir(tmp_path_factory) -> Path:
    return write_venue(tmp_path_factory.mktemp("venue") / "neurips")


@pytest.fixture
def event_dir(venue_dir, tmp_path) -> Path:
    return Path(shutil.copytree(venue_dir, tmp_path / "neurips"))


class DescribeRanking:
    def it_finds_the_planted_papers_and_none_of_the_distractors(self, venue_dir):
        event = load_event(venue_dir)
        ranking = rank(event.papers, INTERESTS)
        top = titles(event, [r.key for r in ranking.results[:30]])
        precision = len(top & PLANTED) / 30
        assert precision >= 0.9, precision
        assert not top & DISTRACTORS

    def it_reads_sequence_and_word_alignment_as_another_sense(self, venue_dir):
        event = load_event(venue_dir)
        ranking = rank(event.papers, INTERESTS)
        assert {"sequence alignment", "word alignment", "distribution alignment"} <= set(
            ranking.other_senses["alignment"])
        scores = {r.key: r.score for r in ranking.results}
        msa = [p.key for p in event.papers if p.title.startswith("Fast Multiple Sequence")]
        on_topic = [p.key for p in event.papers if p.title in PLANTED]
        assert msa and max(scores[k] for k in msa) < 0.2 * min(scores[k] for k in on_topic)

    def it_says_which_terms_matched(self, venue_dir):
        ranking = rank(load_event(venue_dir).papers, INTERESTS)
        jailbreak = next(r for r in ranking.results if r.key.startswith("jailbreak-attacks"))
        assert "jailbreak" in jailbreak.why and "llm" in jailbreak.why
        reward = next(r for r in ranking.results if r.key.startswith("reward-model-over"))
        assert "reward model" in reward.why and "rlhf" in reward.why
        assert "model" not in reward.why  # the pair says it

    def it_ranks_papers_like_the_ones_the_reader_likes(self, venue_dir):
        event = load_event(venue_dir)
        liked = next(p.key for p in event.papers if p.title.startswith("Red-Teaming"))
        ranking = rank(event.papers, "", like=[liked])
        top = [r.key for r in ranking.results[:8]]
        assert top[0] == liked
        assert all(k.startswith("red-teaming") for k in top)


class DescribeSelect:
    def it_marks_the_picks_with_why_and_records_the_selection(self, event_dir):
        result = select_papers(event_dir, SelectOptions(interests=INTERESTS, top=30))
        assert len(result.picks) == 30
        event = load_event(event_dir)
        selected = {p.key for p in event.papers if p.selected}
        assert selected == {r.key for r in result.picks}
        assert len(titles(event, selected) & PLANTED) >= 27
        assert event.selection.interests == INTERESTS and event.selection.top == 30
        assert event.selection.picked == [r.key for r in result.picks]
        text = (event_dir / "event.yaml").read_text(encoding="utf-8")
        assert text.count("selected: true  # matches: ") == 30

    def it_keeps_hand_picks_drops_and_comments_when_run_again(self, event_dir):
        select_papers(event_dir, SelectOptions(interests=INTERESTS, top=10))
        path = event_dir / "event.yaml"
        event = load_event(event_dir)
        dropped = event.selection.picked[0]
        hand = next(p for p in event.papers if not p.selected and p.title not in PLANTED)
        text = path.read_text(encoding="utf-8")
        text = text.replace("name: NeurIPS 2025", "name: NeurIPS 2025  # my trip report", 1)
        text = _set_in_block(text, dropped, "selected: false")
        text = _set_in_block(text, hand.key, "selected: true")
        path.write_text(text, encoding="utf-8")
        result = select_papers(event_dir, SelectOptions(interests=INTERESTS, top=10))
        event = load_event(event_dir)
        selected = {p.key for p in event.papers if p.selected}
        assert hand.key in selected and dropped not in selected
        assert result.kept == [hand.key] and len(selected) == 10
        assert "# my trip report" in path.read_text(encoding="utf-8")

    def it_replaces_the_last_runs_picks(self, event_dir):
        select_papers(event_dir, SelectOptions(interests=INTERESTS, top=5))
        select_papers(event_dir, SelectOptions(interests="multiple sequence alignment of "
                                                         "protein families", top=5))
        event = load_event(event_dir)
        selected = {p.key for p in event.papers if p.selected}
        assert len(selected) == 5 and titles(event, selected) <= DISTRACTORS

    def it_picks_fewer_than_asked_rather_than_papers_that_barely_match(self, event_dir,
                                                                        capsys):
        code, out = run_cli(capsys, "select", str(event_dir), "--interests", INTERESTS,
                            "--top", "500", "--clusters", "0")
        assert code == 0, out
        event = load_event(event_dir)
        selected = [p for p in event.papers if p.selected]
        assert 30 <= len(selected) < 500
        assert f"selected {len(selected)} of 1,000 papers" in out
        assert "match well enough" in out
        assert PLANTED <= titles(event, {p.key for p in selected})

    def it_refuses_an_unknown_liked_paper(self, event_dir, capsys):
        code, out = run_cli(capsys, "select", str(event_dir), "--like", "no-such-paper")
        assert code == 2 and "--like no-such-paper: no paper with that id" in out

    def it_prints_the_picks_with_their_terms(self, event_dir, capsys):
        code, out = run_cli(capsys, "select", str(event_dir), "--interests", INTERESTS,
                            "--top", "5")
        assert code == 0, out
        assert "selected 5 of 1,000 papers for 'LLM safety" in out
        assert "  1. " in out and "(reward model, rlhf" in out
        assert "'alignment' in" in out and "read as another sense" in out


class DescribeStats:
    def it_counts_the_whole_venue_and_the_readers_share(self, event_dir):
        select_papers(event_dir, SelectOptions(interests=INTERESTS, top=30))
        stats = venue_stats(load_event(event_dir))
        assert stats.total == 1_000 and stats.selected == 30
        assert stats.presentations == {"Oral": 15, "Spotlight": 130, "Poster": 855}
        assert sum(n for _, n in stats.topics) == 1_000
        areas = {}
        for note in VENUE.notes:
            area = note["content"]["primary_area"]["value"]
            areas[area] = areas.get(area, 0) + 1
        assert sorted(n for _, n in stats.topics) == sorted(areas.values())
        assert stats.lines() == [
            "1,000 papers", "15 orals", "130 spotlights",
            f"{stats.topics[0][1]} papers on {stats.topics[0][0]}, the most popular topic",
            "30 of 1,000 papers are on LLM safety and alignment"]

    def it_puts_the_users_stats_first_and_shows_only_the_selection(self, tmp_path):
        root = write_venue(tmp_path / "neurips", stats='["21,575 submissions"]')
        select_papers(root, SelectOptions(interests=INTERESTS, top=12))
        view = output_view(open_event(root))
        assert view.event.stats[0] == "21,575 submissions"
        assert "12 of 1,000 papers are on LLM safety and alignment" in view.event.stats
        assert len(view.papers) == 12 and all(p.selected for p in view.papers)

    def it_adds_orals_when_asked(self, event_dir):
        select_papers(event_dir, SelectOptions(interests=INTERESTS, top=12, include=["orals"]))
        view = output_view(open_event(event_dir))
        orals = [p for p in view.papers if p.presentation == "Oral"]
        assert len(orals) == 15 and len(view.papers) == 12 + len(
            [p for p in orals if not p.selected])


class DescribeTopics:
    def it_clusters_papers_without_a_topic_into_labelled_groups(self, tmp_path):
        found = [note_to_found(n, whole_venue=True) for n in make_venue(400, areas=False).notes]
        root = write_venue(tmp_path / "plain", found)
        assert not any(p.topic for p in load_event(root).papers)
        result = select_papers(root, SelectOptions(cluster=12))
        topics = {p.topic for p in load_event(root).papers}
        assert "" not in topics and 2 <= len(topics) <= 12
        assert sum(result.clustered.values()) == 400
        label = max(result.clustered, key=result.clustered.get)
        select_papers(root, SelectOptions(cluster=0, rename={label: "My topic"}))
        renamed = [p for p in load_event(root).papers if p.topic == "My topic"]
        assert len(renamed) == result.clustered[label]


def _set_in_block(text: str, key: str, line: str) -> str:
    """Put `line` into the block of the paper whose id (a title slug) is `key`."""
    lines = text.splitlines(keepends=True)
    event_papers = load_event_text(text)
    index = next(i for i, p in enumerate(event_papers) if p.key == key)
    starts = [i for i, ln in enumerate(lines) if ln.startswith("  - title:")]
    block = starts[index]
    existing = next((i for i in range(block, starts[index + 1] if index + 1 < len(starts)
                                      else len(lines)) if "selected:" in lines[i]), None)
    if existing is not None:
        lines[existing] = f"    {line}\n"
    else:
        lines.insert(block + 1, f"    {line}\n")
    return "".join(lines)


def load_event_text(text: str):
    import yaml

    from generator.core.models import Event

    return Event.model_validate(yaml.safe_load(text)).papers
