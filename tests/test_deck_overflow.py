"""No word leaves its box: a stress deck rendered by LibreOffice, checked word by word.

One deck (tests/stress.py), one LibreOffice conversion for the whole module, with the
bundled fonts; tests/test_deck_viewers.py renders it with the system's fonts only.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pdfplumber
import pytest
from pptx import Presentation

from generator.core.event import open_event
from generator.render.deck.build import render_deck
from generator.render.deck.libreoffice import convert
from generator.render.deck.text import clean
from generator.render.theme import load_theme
from tests.pdfboxes import misplaced_words, words_of
from tests.stress import LONG_TITLE, words, write_stress_event

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed"),
]

@pytest.fixture(scope="module")
def stress(tmp_path_factory) -> tuple[Path, Path, Path]:
    """Build the stress deck once and render it once; return (event, pptx, pdf)."""
    base = tmp_path_factory.mktemp("stress")
    root = write_stress_event(base / "stress-2025")
    pptx = render_deck(open_event(root), base / "out" / "deck.pptx", load_theme("light"))
    pdf = convert(pptx, base / "out")
    return root, pptx, pdf


def test_every_word_lies_inside_its_shape_and_the_slide(stress):
    _, pptx, pdf = stress
    assert misplaced_words(pptx, pdf) == []


def test_a_400_word_summary_continues_on_cont_slides(stress):
    _, pptx, _ = stress
    titles = _titles(pptx)
    assert titles.count("Long summary (cont.)") >= 1
    assert titles.index("Long summary (cont.)") == titles.index("Long summary") + 1


def test_the_whole_summary_is_on_the_slides_when_it_is_split(stress):
    _, pptx, _ = stress
    body = " ".join(_shape_texts(pptx, "Body")).replace("…", " ")
    for word in set(clean(words(400)).split()):
        assert word in body


def test_an_overlong_title_is_shortened_with_the_full_title_in_the_notes(stress):
    _, pptx, _ = stress
    slide = next(s for s in Presentation(str(pptx)).slides if _title(s).startswith("Scaling"))
    assert _title(slide).endswith("…")
    assert len(_title(slide)) < len(LONG_TITLE)
    assert LONG_TITLE in slide.notes_slide.notes_text_frame.text


def test_latex_is_set_as_unicode_math(stress):
    _, pptx, _ = stress
    slide = next(s for s in Presentation(str(pptx)).slides if "regret" in _title(s))
    assert _title(slide).endswith("and O(√d) regret")


def test_cjk_and_emoji_text_reaches_the_pdf(stress):
    _, _, pdf = stress
    text = "".join("".join(page) for page in words_of(pdf))
    assert "注意力机制" in text
    assert "Faster" in text and "inference" in text


def test_hangul_is_drawn_with_a_font_that_has_it(stress):
    _, _, pdf = stress
    with pdfplumber.open(str(pdf)) as document:
        fonts = {char["fontname"].split("+")[-1] for page in document.pages
                 for char in page.chars if "\uac00" <= char["text"] <= "\ud7a3"}
    assert fonts and all(name.startswith("NanumSquare") for name in fonts)


def test_long_lists_continue_on_cont_slides(stress):
    _, pptx, _ = stress
    titles = _titles(pptx)
    assert "Other interesting papers (cont.)" in titles
    assert "Trends (cont.)" in titles


def _title(slide) -> str:
    return next((s.text_frame.text for s in slide.shapes if s.name == "Title"), "")


def _titles(pptx: Path) -> list[str]:
    return [_title(slide) for slide in Presentation(str(pptx)).slides]


def _shape_texts(pptx: Path, name: str) -> list[str]:
    return [shape.text_frame.text for slide in Presentation(str(pptx)).slides
            for shape in slide.shapes if shape.name == name]
