"""`confgen reading-list`: one list across events, by conference then topic, with each
paper's take (notes, else the tl;dr) and the curated top picks at the end."""

from __future__ import annotations

from pathlib import Path

import pytest
from factories import run_cli
from test_select import INTERESTS, write_venue
from venue import make_venue

from generator.core.event import load_event
from generator.sources.blocks import BlockEditor, set_field
from generator.sources.openreview import note_to_found

XSS = "<script>alert(1)</script> Read it <img src=x onerror=alert(2)>"


def venue(root: Path, n: int, seed: int, name: str) -> Path:
    notes = make_venue(n, seed=seed, planted=8, distractors=8, name=name).notes
    return write_venue(root, [note_to_found(x, whole_venue=True) for x in notes])


def edit(root: Path, key: str, **fields) -> None:
    """Set fields of one paper, as a reader editing event.yaml would."""
    editor = BlockEditor(root / "event.yaml", name=root.name)
    index = next(i for i, p in enumerate(load_event(root).papers) if p.key == key)

    def change(entry) -> bool:
        for name, value in fields.items():
            set_field(entry, name, value)
        return True

    editor.edit_paper(index, change)
    (root / "event.yaml").write_text(editor.text(), encoding="utf-8")


@pytest.fixture
def events(tmp_path, monkeypatch, capsys) -> tuple[Path, Path]:
    monkeypatch.chdir(tmp_path)
    neurips = venue(tmp_path / "neurips", 200, 0, "NeurIPS 2025")
    iclr = venue(tmp_path / "iclr", 150, 1, "ICLR 2026")
    for root in (neurips, iclr):
        code, out = run_cli(capsys, "select", str(root), "--interests", INTERESTS,
                            "--top", "6", "--clusters", "0")
        assert code == 0, out
    return neurips, iclr


def picks(root: Path) -> list:
    event = load_event(root)
    order = {key: i for i, key in enumerate(event.selection.picked)}
    return sorted((p for p in event.papers if p.selected), key=lambda p: order[p.key])


class DescribeReadingList:
    def it_groups_by_conference_then_topic_with_top_picks_last(self, events, capsys):
        neurips, iclr = events
        first = picks(neurips)[0]
        edit(neurips, first.key, notes="My favourite: clean and practical.", award="Best Paper")
        code, out = run_cli(capsys, "summarize", str(iclr), "--backend", "offline")
        assert code == 0, out
        code, out = run_cli(capsys, "reading-list", str(neurips), str(iclr),
                            "--output", "out")
        assert code == 0, out
        text = Path("out/reading-list.md").read_text(encoding="utf-8")
        assert text.startswith("# Reading list: NeurIPS 2025 and ICLR 2026")
        n, i, top = (text.index("## NeurIPS 2025"), text.index("## ICLR 2026"),
                     text.index("## Curated reading list"))
        assert n < i < top
        body = text[:top]
        awards = body.index("### Best papers & award winners")
        assert n < awards < i and "My favourite: clean and practical." in body[awards:i]
        for root in (neurips, iclr):
            for paper in picks(root):
                assert paper.title.replace("-", "\\-") in body or paper.title in body
                assert f"### {paper.topic}" in body
        iclr_folder = load_event(iclr)
        tldr_paper = picks(iclr)[0]
        from generator.core.event import open_event

        summary = open_event(iclr).summaries[tldr_paper.key]
        assert summary.tldr[:40] in text[i:top]
        assert iclr_folder.name == "ICLR 2026"
        table = text[top:]
        assert "### Read these first" in table and "| Paper | Venue | Why |" in table
        assert table.index(first.title[:20]) < table.index("### Second priority")

    def it_escapes_and_sanitises_what_readers_write(self, events, capsys):
        neurips, iclr = events
        edit(neurips, picks(neurips)[0].key, notes=XSS)
        code, out = run_cli(capsys, "reading-list", str(neurips), "--output", "out")
        assert code == 0, out
        html = Path("out/reading-list.html").read_text(encoding="utf-8")
        assert "<script>alert" not in html and "onerror" not in html.replace(
            "onerror=alert(2)&gt;", "")
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "<table>" in html and "<th>Paper</th>" in html

    def it_can_select_as_it_goes(self, tmp_path, monkeypatch, capsys):
        monkeypatch.chdir(tmp_path)
        root = venue(tmp_path / "neurips", 200, 0, "NeurIPS 2025")
        code, out = run_cli(capsys, "reading-list", str(root), "--interests", INTERESTS,
                            "--top", "4", "--clusters", "0", "--output", "out")
        assert code == 0, out
        assert "selected 4 of 200 papers" in out
        text = Path("out/reading-list.md").read_text(encoding="utf-8")
        assert "on LLM safety and alignment: jailbreaks, RLHF, reward models" in text
        assert all(p.title[:30] in text for p in picks(root))
