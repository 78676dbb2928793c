"""Shapes drawn as cached, anti-aliased sprites look like shapes drawn on the panel itself."""

from __future__ import annotations

import pytest
from PIL import Image, ImageChops

from generator.render.panels import pen as panel_pen
from generator.render.panels.pen import SUPERSAMPLE, Pen, Recorder, composite, ground

INK = (26, 29, 35)
TINT = (232, 240, 255)
BACKGROUND = (255, 255, 255)


def scene(pen) -> None:
    """Draw a little frame: a tinted box, a face with a translucent blush, a thick outline."""
    pen.rect((10, 10, 110, 90), 12, fill=TINT)
    pen.circle((60, 50), 22, fill=(245, 205, 165), outline=INK, width=3)
    pen.circle((72, 42), 5, fill=(255, 122, 138, 85))
    pen.polygon([(20, 85), (40, 60), (60, 85)], fill=(52, 81, 209), outline=INK, width=4)
    pen.line([(70, 30), (100, 20)], INK, 3)
    pen.arc((45, 40, 75, 65), 20, 160, INK, 2)
    pen.rect((10, 10, 110, 90), 12, outline=INK, width=3)


def direct(drawings, size=(120, 100)) -> Image.Image:
    """Draw the way panels used to: everything on one supersampled canvas, reduced."""
    big = Image.new("RGB", (size[0] * SUPERSAMPLE, size[1] * SUPERSAMPLE), BACKGROUND)
    pen = Pen(big, SUPERSAMPLE)
    for draw in drawings:
        draw(pen)
    return big.reduce(SUPERSAMPLE)


def largest_difference(a: Image.Image, b: Image.Image) -> int:
    return max(high for _, high in ImageChops.difference(a, b).getextrema())


@pytest.fixture(autouse=True)
def _empty_caches(monkeypatch):
    monkeypatch.setattr(panel_pen, "_sprites", type(panel_pen._sprites)())
    monkeypatch.setattr(panel_pen, "_grounds", type(panel_pen._grounds)())


def test_a_sprite_matches_drawing_on_the_whole_canvas():
    image = Image.new("RGB", (120, 100), BACKGROUND)
    composite(image, [scene])
    assert largest_difference(image, direct([scene])) <= 2  # rounding of premultiplied alpha


def test_translucent_colours_blend_over_what_the_drawing_put_under_them():
    image = Image.new("RGB", (120, 100), BACKGROUND)
    composite(image, [scene])
    blush = image.getpixel((72, 42))
    assert blush != (255, 122, 138) and blush[0] > blush[2]  # pink over the skin, not opaque


def test_thick_outlines_are_not_clipped_by_the_sprite_bounds():
    def star(pen):
        pen.polygon([(30, 5), (55, 50), (5, 50)], outline=INK, width=8)

    image = Image.new("RGB", (60, 60), BACKGROUND)
    composite(image, [star])
    assert largest_difference(image, direct([star], (60, 60))) <= 2


def test_cached_sprites_and_grounds_give_the_same_pixels():
    first = ground((120, 100), BACKGROUND, [scene])
    assert panel_pen._grounds and panel_pen._sprites
    again = ground((120, 100), BACKGROUND, [scene])
    assert again.tobytes() == first.tobytes()
    assert again is not first  # a copy: drawing text on it leaves the cache alone
    panel_pen._grounds.clear()
    panel_pen._sprites.clear()
    assert ground((120, 100), BACKGROUND, [scene]).tobytes() == first.tobytes()


def test_later_drawings_go_over_earlier_ones():
    def box(pen):
        pen.rect((0, 0, 40, 40), fill=(200, 0, 0))

    def bubble(pen):
        pen.rect((20, 20, 60, 60), fill=(0, 0, 200))

    image = Image.new("RGB", (64, 64), BACKGROUND)
    composite(image, [box, bubble])
    assert image.getpixel((30, 30)) == (0, 0, 200)
    assert image.getpixel((10, 10)) == (200, 0, 0)


def test_a_recording_knows_where_it_draws():
    recording = Recorder()
    recording.line([(10, 10), (50, 30)], INK, 4)
    x0, y0, x1, y1 = recording.region(100, 100)
    assert x0 <= 10 - 2 and y0 <= 10 - 2 and x1 >= 50 + 2 and y1 >= 30 + 2
    assert Recorder().region(100, 100) is None
