"""Text fitting: measured with the real fonts, wrapped per paragraph, never overflowing."""

import pytest

from generator.text.fonts import split_runs, text_width
from generator.text.textfit import Font, Paragraph, fit, layout, tokens, truncate_words, wrap

INTER = Font("Inter", line_spacing=1.0)
LONG = ("Gated attention adds a head-specific sigmoid gate after scaled dot-product attention, "
        "which removes attention sinks and improves long-context extrapolation. ") * 4


class DescribeMeasuring:
    def it_measures_wider_text_as_wider(self):
        assert text_width("WWWW", 20, "Inter") > text_width("iiii", 20, "Inter")

    def it_scales_width_with_size(self):
        assert text_width("confgen", 40, "Inter") == pytest.approx(
            2 * text_width("confgen", 20, "Inter"))

    def it_sets_cjk_and_emoji_in_fallback_fonts(self):
        faces = {face.family: run for face, run in split_runs("Hi 世界 😀", "Inter")}
        assert faces["Droid Sans Fallback"].strip() == "世界"
        assert faces["Noto Color Emoji"].strip() == "😀"


class DescribeWrapping:
    def it_keeps_every_line_within_the_width(self):
        for line in wrap(LONG, 300, 14, INTER):
            assert text_width(line, 14, "Inter") <= 300

    def it_breaks_cjk_between_characters(self):
        assert [t for t, _ in tokens("注意力机制")] == list("注意力机制")
        lines = wrap("注意力机制" * 20, 200, 16, INTER)
        assert len(lines) > 1 and all(text_width(x, 16, "Inter") <= 200 for x in lines)

    def it_breaks_a_word_longer_than_the_line(self):
        url = "https://example.org/" + "a" * 200
        lines = wrap(url, 150, 12, INTER)
        assert "".join(lines) == url
        assert all(text_width(x, 12, "Inter") <= 150 for x in lines)

    def it_keeps_explicit_line_breaks(self):
        assert wrap("one\ntwo", 500, 12, INTER) == ["one", "two"]


class DescribeFitting:
    def it_picks_the_largest_size_that_fits(self):
        paragraphs = [Paragraph(LONG)]
        result = fit(paragraphs, 400, 300, INTER, floor=8, ceiling=40)
        assert result is not None and result.height <= 300
        bigger = layout(paragraphs, 400, result.size + 0.5, INTER)
        assert bigger.height > 300

    def it_stays_at_the_ceiling_for_short_text(self):
        assert fit([Paragraph("Short")], 400, 300, INTER, floor=8, ceiling=24).size == 24

    def it_returns_none_when_the_floor_does_not_fit(self):
        assert fit([Paragraph(LONG * 10)], 200, 100, INTER, floor=10, ceiling=20) is None

    def it_counts_bullet_indent_and_paragraph_spacing(self):
        flat = layout([Paragraph(LONG)] * 3, 400, 14, INTER)
        indented = layout([Paragraph(LONG, indent_em=2, space_after_em=1)] * 3, 400, 14, INTER)
        assert indented.height > flat.height


def test_truncate_words_cuts_at_a_word_boundary():
    title = "Gated Attention for Large Language Models: Non-linearity, Sparsity, and Sinks"
    short, cut = truncate_words(title, 250, 20, INTER, bold=True)
    assert cut and short.endswith("…")
    assert title.startswith(short[:-1])
    assert len(wrap(short, 250, 20, INTER, True)) == 1
