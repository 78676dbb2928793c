"""Top picks: one rule for the deck's "Top picks" slide and the reading list."""

from __future__ import annotations

import yaml
from factories import drafted, paper, write_event

from generator.core.event import open_event
from generator.core.picks import top_picks


def _event(tmp_path, **fields):
    papers = [paper(f"Paper {name}", id=name, arxiv=None) for name in "abcde"]
    papers[1]["award"] = "Oral"
    papers[2]["notes"] = "Our own take."
    root = write_event(tmp_path / "ev", papers, **fields)
    folder = drafted(root)
    summary = folder.root / "e.yaml"
    data = yaml.safe_load(summary.read_text())
    summary.write_text(yaml.safe_dump({**data, "status": "reviewed"}))
    return open_event(root)


class DescribeTopPicks:
    def it_ranks_reviewed_then_awards_then_the_readers_notes(self, tmp_path):
        folder = _event(tmp_path)
        assert [p.key for p in top_picks(folder)] == ["e", "b", "c", "a", "d"]

    def it_breaks_ties_by_the_order_select_ranked_them_in(self, tmp_path):
        folder = _event(tmp_path, selection={"picked": ["d", "a"]})
        assert [p.key for p in top_picks(folder, limit=4)] == ["e", "b", "c", "d"]

    def it_keeps_the_readers_own_choice_whole_and_in_its_order(self, tmp_path):
        folder = _event(tmp_path, deck={"top_picks": ["d", "a"]})
        assert [p.key for p in top_picks(folder, limit=1)] == ["d", "a"]
