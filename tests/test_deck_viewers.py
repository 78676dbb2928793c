"""Decks as a viewer sees them: LibreOffice with only the machine's own fonts.

No bundled-font fontconfig file: LibreOffice finds Arial, Calibri and Cambria as their
metric-compatible twins from Debian's fonts-liberation2 and fonts-crosextra-carlito /
-caladea (what a LibreOffice install brings), and whatever it has for CJK, emoji and
symbols. Every word of the example and the stress event, in each built-in theme and on
a user template at 13.333 × 7.5 in and at Google Slides' 10 × 5.625 in, must lie inside
its box.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from generator.core.event import open_event
from generator.render.deck.build import render_deck
from generator.render.deck.libreoffice import convert
from generator.render.theme import load_theme
from tests.pdfboxes import misplaced_words
from tests.stress import write_stress_event
from tests.test_deck_template import GOOGLE, WIDESCREEN, make_template

EXAMPLE = Path(__file__).resolve().parent.parent / "summaries" / "neurips-2025"
TWINS = {"Arial": "Liberation Sans", "Calibri": "Carlito", "Cambria": "Caladea"}


def _system_has_twins() -> bool:
    if shutil.which("fc-match") is None:
        return False
    return all(twin in subprocess.run(["fc-match", family], capture_output=True, text=True,
                                      check=False).stdout for family, twin in TWINS.items())


pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed"),
    pytest.mark.skipif(not _system_has_twins(), reason="the system lacks the metric twins "
                       "(apt-get install fonts-liberation2 fonts-crosextra-carlito "
                       "fonts-crosextra-caladea)"),
]


def system_render_problems(folder, out: Path, theme: str = "light",
                           template: Path | None = None) -> list[str]:
    deck = render_deck(folder, out / "deck.pptx", load_theme(theme), template=template)
    return misplaced_words(deck, convert(deck, out, system_fonts=True))


@pytest.mark.parametrize("theme", ["light", "dark", "bold"])
def test_the_example_fits_with_system_fonts(tmp_path, theme):
    assert system_render_problems(open_event(EXAMPLE), tmp_path, theme) == []


@pytest.mark.parametrize("theme", ["light", "dark", "bold"])
def test_the_stress_event_fits_with_system_fonts(tmp_path, theme):
    folder = open_event(write_stress_event(tmp_path / "stress"))
    assert system_render_problems(folder, tmp_path, theme) == []


@pytest.mark.parametrize("size", [WIDESCREEN, GOOGLE], ids=["13.333x7.5", "10x5.625"])
def test_the_stress_event_fits_a_user_template_with_system_fonts(tmp_path, size):
    template = make_template(tmp_path / "acme.pptx", minor_font="Calibri", size=size)
    folder = open_event(write_stress_event(tmp_path / "stress"))
    assert system_render_problems(folder, tmp_path, template=template) == []
