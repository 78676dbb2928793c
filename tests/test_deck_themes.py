"""The built-in themes: data with `extends:`, and the example deck in each with no overflow."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE_TYPE

from generator.core.event import open_event
from generator.render.deck.build import render_deck
from generator.render.deck.libreoffice import convert
from generator.render.theme import load_theme
from generator.text import fonts
from tests.pdfboxes import misplaced_words

EXAMPLE = Path(__file__).resolve().parent.parent / "summaries" / "neurips-2025"
THEMES = ("light", "dark", "bold")


def test_dark_and_bold_extend_light_and_override_only_what_they_list():
    light, dark, bold = (load_theme(name) for name in THEMES)
    assert dark.extends == bold.extends == "light"
    assert dark.sizes == light.sizes and dark.colors["background"] != light.colors["background"]
    assert bold.fonts == {"heading": "Cambria", "body": "Calibri"}
    assert bold.sizes["body"] == light.sizes["body"] and bold.sizes["title"] != light.sizes["title"]
    assert bold.layout["title_band"] is True


@pytest.mark.parametrize("name", THEMES)
def test_slides_take_the_theme_background_and_hyperlink_colour(tmp_path, name):
    theme = load_theme(name)
    out = render_deck(open_event(EXAMPLE), tmp_path / "deck.pptx", theme)
    prs = Presentation(str(out))
    assert prs.slides[1].background.fill.fore_color.rgb == RGBColor.from_string(
        theme.color("background"))
    theme_xml = prs.slide_master.part.part_related_by(
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme").blob
    assert f'<a:hlink><a:srgbClr val="{theme.color("link")}"/>'.encode() in theme_xml


@pytest.mark.parametrize("name", THEMES)
def test_built_in_themes_name_fonts_every_viewer_has_or_substitutes_exactly(name):
    theme = load_theme(name)
    assert all(fonts.viewers_have(family) for family in theme.fonts.values())


def test_our_own_design_uses_title_only_slides_whose_one_placeholder_is_the_title(tmp_path):
    out = render_deck(open_event(EXAMPLE), tmp_path / "deck.pptx", load_theme("light"))
    prs = Presentation(str(out))
    assert {slide.slide_layout.name for slide in prs.slides} == {"Title Only"}
    assert all([ph.name for ph in slide.placeholders] == ["Title"] for slide in prs.slides)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
@pytest.mark.parametrize("name", THEMES)
def test_the_example_deck_has_no_overflowing_word_in_any_theme(tmp_path, name):
    out = render_deck(open_event(EXAMPLE), tmp_path / "deck.pptx", load_theme(name))
    assert misplaced_words(out, convert(out, tmp_path)) == []


def test_titles_lie_above_the_title_band(tmp_path):
    out = render_deck(open_event(EXAMPLE), tmp_path / "deck.pptx", load_theme("bold"))
    for slide in Presentation(str(out)).slides:
        shapes = list(slide.shapes)
        title = slide.shapes.title
        under = [i for i, shape in enumerate(shapes)
                 if shape.shape_type == MSO_SHAPE_TYPE.AUTO_SHAPE
                 and shape.top < title.top + title.height and title.top < shape.top + shape.height
                 and shape.left < title.left + title.width]
        assert all(i < shapes.index(title) for i in under)
