"""Text set word by word from cached word images reads as text shaped line by line."""

from __future__ import annotations

import pytest
from factories import drafted, paper, write_event
from PIL import Image, ImageDraw

from generator.render.panels import draw_text
from generator.render.panels import pen as panel_pen
from generator.render.panels.panel import png_bytes, render_panel
from generator.render.theme import load_theme
from generator.text import fonts

LINES = ["Sparsity, and Attention-Sink-Free training",
         "We introduce a gate after attention: it helps. (Really!)",
         "AVA Type “quoted” words, 15B parameters, 3.5× faster"]


def shaped(text: str, size: float, bold: bool = False) -> float:
    """Return the whole line's advance as HarfBuzz (or Pillow's basic layout) sets it."""
    font, options = draw_text._run_font(fonts.face("Inter", bold), text, size)
    return font.getlength(text, **options)


@pytest.mark.parametrize("size", [13.5, 21.0, 48.0])
@pytest.mark.parametrize("line", LINES)
def test_a_line_set_word_by_word_is_as_wide_as_the_shaped_line(line, size):
    assert draw_text.measure_line(line, size, "Inter") == pytest.approx(shaped(line, size),
                                                                        abs=0.5)


@pytest.mark.parametrize("line", LINES)
def test_word_by_word_ink_lands_where_the_shaped_line_puts_it(line):
    size, family = 30.0, "Inter"
    words = Image.new("L", (900, 60), 0)
    draw_text.draw_line(words, ImageDraw.Draw(words), (10, 5), line, size, family, 255)
    whole = Image.new("L", (900, 60), 0)
    font, options = draw_text._run_font(fonts.face(family), line, size)
    baseline = 5 + draw_text._baseline(line, size, family, False, 1.0)
    ImageDraw.Draw(whole).text((10, baseline), line, font=font, fill=255, anchor="ls",
                               **options)
    for got, want in zip(words.getbbox(), whole.getbbox(), strict=True):
        assert abs(got - want) <= 1


def test_a_panel_does_not_depend_on_what_was_rendered_before(tmp_path):
    root = write_event(tmp_path / "ev", [
        paper(award="Best Paper"),
        paper("Another Paper About Sparse Mixtures of Experts", id="other")])
    folder = drafted(root)
    theme = load_theme("light")

    def panel(key: str) -> bytes:
        item = next(p for p in folder.papers if p.key == key)
        return png_bytes(render_panel(folder.event, item, folder.summaries[key], theme))

    for cache in (draw_text._word_image, draw_text._word_positions, draw_text._advance):
        cache.cache_clear()
    panel_pen._sprites.clear()
    panel_pen._grounds.clear()
    cold = panel(folder.papers[0].key)
    panel("other")
    assert panel(folder.papers[0].key) == cold
