"""The block editor: big event.yaml files edited paper by paper, everything else kept."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from generator.core.errors import ConfgenError
from generator.core.models import Paper
from generator.sources.blocks import BlockEditor, bulk_merge
from generator.sources.found import Found
from generator.sources.merge import EventDoc, merge

HAND_WRITTEN = """\
# My NeurIPS notes
name: NeurIPS 2025   # the big one
stats: ["21,575 submissions",
        "5,290 accepted"]
papers:
  # the one everybody talked about
  - title: Gated Attention for Large Language Models
    arxiv: "2505.06708"
    notes: Read first.   # my take

  - title: Artificial Hivemind
    topic: Evaluation
talks: []
"""


def found(title: str, **fields) -> Found:
    return Found(Paper(title=title, **fields), origin="openreview")


NEW = [found("Gated Attention for Large Language Models", arxiv="2505.06708",
             abstract="Gating helps.", presentation="Oral"),
       found("A New Paper", abstract="Fresh.", keywords=["x", "y"], topic="New"),
       found("Artificial Hivemind", abstract="Homogeneity.", topic="Ignored")]


def edited(tmp_path: Path, text: str, items: list[Found]) -> tuple[str, object]:
    path = tmp_path / "event.yaml"
    path.write_text(text, encoding="utf-8")
    editor = BlockEditor(path, name="x")
    report = bulk_merge(editor, items)
    return editor.text(), report


class DescribeBlockEditor:
    def it_changes_only_the_blocks_it_merges_into(self, tmp_path):
        text, report = edited(tmp_path, HAND_WRITTEN, NEW)
        assert report.added == ["a-new-paper"] and report.updated == ["2505.06708",
                                                                       "artificial-hivemind"]
        for kept in ("# My NeurIPS notes\n", "name: NeurIPS 2025   # the big one\n",
                     'stats: ["21,575 submissions",\n        "5,290 accepted"]\n',
                     "  # the one everybody talked about\n", "notes: Read first.   # my take",
                     "talks: []\n"):
            assert kept in text
        data = yaml.safe_load(text)
        assert [p["title"] for p in data["papers"]] == [
            "Gated Attention for Large Language Models", "Artificial Hivemind", "A New Paper"]
        assert data["papers"][0]["presentation"] == "Oral"
        assert data["papers"][1]["topic"] == "Evaluation"  # the reader's topic stays
        assert data["talks"] == []

    def it_follows_the_rules_of_the_full_merge(self, tmp_path):
        text, _ = edited(tmp_path, HAND_WRITTEN, NEW)
        (tmp_path / "full.yaml").write_text(HAND_WRITTEN, encoding="utf-8")
        doc = EventDoc(tmp_path / "full.yaml", name="x")
        merge(doc, NEW)
        assert yaml.safe_load(text) == yaml.safe_load(doc.text())

    def it_joins_papers_by_the_same_identity_rule_as_the_full_merge(self, tmp_path):
        """Same title but another id or link, or another arXiv id: a different paper."""
        start = ("name: x\npapers:\n"
                 "  - {title: Online reference, id: a, links: {paper: 'https://a.org'}}\n"
                 "  - {title: Same, id: s, arxiv: '2401.00001'}\n")
        items = [found("Online reference", id="b", links={"paper": "https://b.org"}),
                 found("Online reference", abstract="The first one."),
                 found("Other", id="s", arxiv="2401.00002"),
                 found("Same", abstract="Matched by title.")]
        text, report = edited(tmp_path, start, items)
        (tmp_path / "full.yaml").write_text(start, encoding="utf-8")
        doc = EventDoc(tmp_path / "full.yaml", name="x")
        merge(doc, items)
        assert yaml.safe_load(text) == yaml.safe_load(doc.text())
        assert len(yaml.safe_load(text)["papers"]) == 4 and len(report.added) == 2

    @pytest.mark.parametrize("layout", ["papers:\n- title: Old\n  notes: n\n",
                                        "papers:\n    - title: Old\n      notes: n\n"])
    def it_writes_new_papers_in_the_files_own_layout(self, tmp_path, layout):
        text, _ = edited(tmp_path, "name: X\n" + layout, [found("New One", abstract="A.")])
        first, new = layout.split("\n")[1], text.split("\n")[4]
        assert new.index("-") == first.index("-")
        assert yaml.safe_load(text)["papers"][1] == {"title": "New One", "abstract": "A."}

    def it_fills_an_empty_papers_list(self, tmp_path):
        text, report = edited(tmp_path, "name: X\npapers: []\n", [found("One"), found("Two")])
        assert yaml.safe_load(text)["papers"] == [{"title": "One"}, {"title": "Two"}]
        assert report.added == ["one", "two"]

    def it_creates_a_new_event(self, tmp_path):
        editor = BlockEditor(tmp_path / "new" / "event.yaml", name="new")
        bulk_merge(editor, [found("One")])
        text = editor.text()
        assert text.startswith("# Created by `confgen add`")
        assert yaml.safe_load(text) == {"name": "new", "papers": [{"title": "One"}]}

    def it_refuses_a_flow_list_of_papers(self, tmp_path):
        path = tmp_path / "event.yaml"
        path.write_text("name: X\npapers: [{title: A}]\n", encoding="utf-8")
        with pytest.raises(ConfgenError, match=r"event.yaml:2: papers is a \[flow\] list"):
            BlockEditor(path, name="x")

    def it_never_duplicates_a_paper_found_twice(self, tmp_path):
        text, report = edited(tmp_path, "name: X\npapers: []\n",
                              [found("Same"), found("Same", abstract="Now with text.")])
        assert yaml.safe_load(text)["papers"] == [{"title": "Same",
                                                   "abstract": "Now with text."}]
        assert report.added == ["same"]
