"""Panel layouts as data: sizes, slot geometry, grids, the comic cast."""

from __future__ import annotations

import itertools

import pytest

from generator.core.errors import ConfgenError
from generator.core.models import ComicFrame, DialogueLine
from generator.render.panels.characters import expression_for, look
from generator.render.panels.comic import cast_of
from generator.render.panels.icons import icon_for
from generator.render.panels.layout import grid, layout_names, load_layout, place, resolve_size

KNOWN_SLOTS = {"header", "frames", "what_was_done", "why_it_matters", "key_numbers", "host",
               "qr", "footer"}


def test_the_three_layouts_are_bundled():
    assert {"comic", "explainer", "card"} <= set(layout_names())


@pytest.mark.parametrize(("preset", "size"), [("newsletter", (1200, 1500)),
                                              ("square", (1080, 1080)),
                                              ("slide", (1920, 1080)),
                                              ("social", (1600, 900))])
def test_size_presets(preset, size):
    assert resolve_size(preset) == size


def test_width_and_height_override_the_preset():
    assert resolve_size(None, 800, 600) == (800, 600)
    assert resolve_size("slide", height=1200) == (1920, 1200)


def test_unknown_preset_and_layout_are_user_errors():
    with pytest.raises(ConfgenError, match="unknown panel size 'poster'"):
        resolve_size("poster")
    with pytest.raises(ConfgenError, match="unknown panel layout 'poster'"):
        load_layout("poster")


def overlaps(a, b) -> bool:
    return a[0] < b[2] - 0.01 and b[0] < a[2] - 0.01 and a[1] < b[3] - 0.01 and b[1] < a[3] - 0.01


@pytest.mark.parametrize("size", [(1200, 1500), (1080, 1080), (1920, 1080), (1600, 900),
                                  (700, 2000)])
@pytest.mark.parametrize("name", ["comic", "explainer", "card"])
def test_slots_are_known_inside_the_canvas_and_do_not_overlap(name, size):
    slots = place(load_layout(name), *size, unit=min(size) / 1000)
    assert {s.name for s in slots} <= KNOWN_SLOTS
    assert {"header", "footer"} <= {s.name for s in slots}
    for slot in slots:
        x0, y0, x1, y1 = slot.box
        assert 0 <= x0 < x1 <= size[0] and 0 <= y0 < y1 <= size[1]
    for a, b in itertools.combinations(slots, 2):
        assert not overlaps(a.box, b.box), (a.name, b.name)


def test_grid_prefers_full_rows_and_strips_when_wide():
    assert len({c[1] for c in grid(4, (0, 0, 1000, 800), 10)}) == 2  # 2 × 2
    assert len({c[1] for c in grid(4, (0, 0, 2000, 500), 10)}) == 1  # a strip
    assert len({c[0] for c in grid(3, (0, 0, 400, 1200), 10)}) == 1  # a column


def test_grid_takes_a_fixed_column_count():
    assert len({c[1] for c in grid(4, (0, 0, 1000, 1000), 10, columns=4)}) == 1
    assert len({c[0] for c in grid(4, (0, 0, 2000, 500), 10, columns=1)}) == 1


def test_grid_cells_do_not_overlap_and_fill_the_box():
    cells = grid(3, (0, 0, 1000, 700), 10)
    for a, b in itertools.combinations(cells, 2):
        assert not overlaps(a, b)
    assert max(c[2] for c in cells) == pytest.approx(1000)
    assert max(c[3] for c in cells) == pytest.approx(700)


def frame(*lines: tuple[str, str]) -> ComicFrame:
    return ComicFrame(caption="c", lines=[DialogueLine(speaker=s, text=t) for s, t in lines])


def test_speakers_get_looks_by_order_of_appearance():
    frames = [frame(("Kim", "Hi?"), ("Lee", "Hello.")), frame(("Max", "Me too!"))]
    assert cast_of(frames) == ["Kim", "Lee", "Max"]
    assert len({look(i) for i in range(3)}) == 3


def test_expressions_follow_the_line():
    assert expression_for("What is it?") == "curious"
    assert expression_for("It works!") == "excited"
    assert expression_for("It is a gate.") == "talk"
    assert expression_for(None) == "smile"


def test_frames_get_props_from_their_captions_without_repeats():
    assert icon_for("The idea", 0) == "lightbulb"
    assert icon_for("Results on 15B models", 3) == "chart"
    assert icon_for("Networks everywhere", 1) != "chart"  # "work" only starts a word
    assert icon_for("The idea", 1, used={"lightbulb"}) != "lightbulb"
