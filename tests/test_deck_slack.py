"""Room for renderers that set lines taller than LibreOffice does.

PowerPoint, Keynote and Java renderers (Apache POI) space the lines of one font up to
15 % wider than LibreOffice. The deck is fitted with that much room, and these tests
prove it with a real renderer: the deck's line spacing is raised by 15 % in its XML and
LibreOffice renders it; every word must still lie inside its box. Without the room the
same check fails, so the test can tell the difference.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest

from generator.core.event import open_event
from generator.render.deck import text
from generator.render.deck.build import render_deck
from generator.render.deck.libreoffice import convert
from generator.render.theme import load_theme
from tests.pdfboxes import misplaced_words

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed"),
]

EXAMPLE = Path(__file__).resolve().parent.parent / "summaries" / "neurips-2025"
TALLER = 1.15
_LINE_SPACING = re.compile(rb'(<a:lnSpc><a:spcPct val=")(\d+)')


def with_taller_lines(pptx: Path, out: Path, factor: float = TALLER) -> Path:
    """Copy `pptx` to `out` with the line spacing of every slide paragraph times `factor`."""
    def raise_spacing(match: re.Match) -> bytes:
        return match.group(1) + str(round(int(match.group(2)) * factor)).encode()

    with zipfile.ZipFile(pptx) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("ppt/slides/slide"):
                data = _LINE_SPACING.sub(raise_spacing, data)
            copy.writestr(item, data)
    return out


def taller_render_problems(tmp_path: Path) -> list[str]:
    deck = render_deck(open_event(EXAMPLE), tmp_path / "deck.pptx", load_theme("light"))
    tall = with_taller_lines(deck, tmp_path / "tall.pptx")
    return misplaced_words(tall, convert(tall, tmp_path))


def test_the_deck_fits_a_renderer_whose_lines_are_15_percent_taller(tmp_path):
    assert text.LINE_SLACK >= TALLER
    assert taller_render_problems(tmp_path) == []


def test_without_the_room_taller_lines_overflow(tmp_path, monkeypatch):
    monkeypatch.setattr(text, "LINE_SLACK", 1.0)
    assert len(taller_render_problems(tmp_path)) > 10
