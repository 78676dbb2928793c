"""PDF and PNG export through LibreOffice and pdftoppm, and their failure messages."""

from __future__ import annotations

import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from PIL import Image

from generator.core.errors import ConfgenError
from generator.core.paths import FONTS_DIR
from generator.render.deck.build import export_pdf, export_pngs, render_deck
from generator.render.deck.libreoffice import convert, fonts_conf
from generator.render.theme import load_theme
from tests.factories import drafted, paper, write_event
from tests.pdfboxes import words_of

needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None,
                                   reason="LibreOffice is not installed")


@pytest.fixture
def small_deck(tmp_path: Path) -> Path:
    root = write_event(tmp_path / "conf", [paper()], deck={"sections": ["title", "papers"]})
    return render_deck(drafted(root), tmp_path / "out" / "deck.pptx", load_theme("light"))


@pytest.mark.slow
@needs_soffice
def test_pdf_and_png_export_give_one_page_and_one_image_per_slide(small_deck, tmp_path):
    pdf = export_pdf(small_deck)
    assert pdf == small_deck.with_suffix(".pdf")
    assert len(words_of(pdf)) == 3  # title, divider, paper
    pngs = export_pngs(pdf, tmp_path / "slides", dpi=30)
    assert [p.name for p in pngs] == ["slide-01.png", "slide-02.png", "slide-03.png"]
    with Image.open(pngs[0]) as image:
        assert image.size[0] == pytest.approx(400, abs=1) and image.size[1] == 225


@pytest.mark.slow
@needs_soffice
def test_parallel_conversions_do_not_share_a_profile(small_deck, tmp_path):
    outs = [tmp_path / "a", tmp_path / "b"]
    with ThreadPoolExecutor(2) as pool:
        pdfs = list(pool.map(lambda out: convert(small_deck, out), outs))
    assert [p.parent for p in pdfs] == outs
    assert all(p.stat().st_size > 0 for p in pdfs)


def test_a_missing_libreoffice_is_a_clear_error(small_deck, tmp_path, monkeypatch):
    monkeypatch.setenv("CONFGEN_SOFFICE", "no-such-soffice-binary")
    with pytest.raises(ConfgenError, match="LibreOffice .* not installed"):
        export_pdf(small_deck, tmp_path)
    assert not (tmp_path / "deck.pdf").exists()


def test_a_missing_deck_is_a_clear_error(tmp_path):
    with pytest.raises(ConfgenError, match="file not found"):
        convert(tmp_path / "nope.pptx", tmp_path)


def test_the_fontconfig_file_puts_the_bundled_fonts_first(tmp_path):
    text = fonts_conf(tmp_path).read_text()
    assert text.index(f"<dir>{FONTS_DIR}</dir>") < text.index("<include")
