"""Panels: size, text geometry (never clipped), stress text, determinism, files written."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from factories import drafted, paper, write_event
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from generator.core.errors import ConfgenError
from generator.core.models import ComicFrame, DialogueLine
from generator.render.panels import panel as panel_module
from generator.render.panels.panel import (
    check_panels,
    panel_problems,
    png_bytes,
    render_panel,
    render_panel_detailed,
    render_panels,
    worker_count,
)
from generator.render.theme import load_theme

LAYOUTS = ["comic", "explainer", "card"]
SIZES = [(1200, 1500), (1080, 1080), (1920, 1080), (1600, 900)]
LONG_WORDS = ("attention gates sparsity routing experts scaling stability context tokens "
              "benchmark").split()


def words(count: int) -> str:
    return " ".join(LONG_WORDS[i % len(LONG_WORDS)] for i in range(count)) + "."


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory):
    root = write_event(tmp_path_factory.mktemp("panels") / "ev", [
        paper(award="Best Paper", links={"paper": "https://arxiv.org/abs/2505.06708"}),
        paper("A Second Paper Without Any Award", id="second", arxiv=None),
    ])
    return drafted(root)


@pytest.fixture(scope="module")
def theme():
    return load_theme("light")


def first(folder):
    item = folder.papers[0]
    return folder.event, item, folder.summaries[item.key]


def assert_inside(outer, inner, slack: float = 0.5) -> None:
    assert inner[0] >= outer[0] - slack and inner[1] >= outer[1] - slack, (outer, inner)
    assert inner[2] <= outer[2] + slack and inner[3] <= outer[3] + slack, (outer, inner)


def sources(item, summary) -> list[str]:
    texts = [item.title, summary.tldr, summary.what_was_done, summary.why_it_matters]
    return texts + [line.text for frame in summary.comic for line in frame.lines]


def assert_no_clipping(result, texts: list[str]) -> None:
    """Every line lies inside its container, and every container inside the image; text
    that had to be cut ends with '…' and is reported."""
    image_box = (0, 0, result.image.width, result.image.height)
    assert result.records, "the panel drew no text"
    for record in result.records:
        assert_inside(record.container, record.box)
        assert_inside(image_box, record.container)
    cut = [r.text for r in result.records
           if r.text.endswith("…") and not any(r.text in t for t in texts)]
    if cut:
        assert result.problems, f"text was cut without a reported problem: {cut}"


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_panel_has_the_requested_size_and_keeps_text_in_its_boxes(folder, theme, layout, size):
    event, item, summary = first(folder)
    result = render_panel_detailed(event, item, summary, theme, layout, size)
    assert result.image.size == size
    assert_no_clipping(result, sources(item, summary))
    assert result.problems == []


def test_scale_multiplies_the_pixel_size(folder, theme):
    image = render_panel(*first(folder), theme, "comic", (600, 750), scale=2)
    assert image.size == (1200, 1500)


def test_panel_shows_title_link_and_every_dialogue_line(folder, theme):
    event, item, summary = first(folder)
    result = render_panel_detailed(event, item, summary, theme, "comic")
    drawn = " ".join(r.text for r in result.records)
    assert "Gated Attention" in drawn
    assert "arxiv.org/abs/2505.06708" in drawn
    assert "Best Paper" in drawn
    for frame in summary.comic:
        for line in frame.lines:
            assert line.text.split()[-1] in drawn


def stressed(summary, **changes):
    return summary.model_copy(update=changes)


def stress_cases(summary):
    long_title = "Scaling " + words(60)
    cjk = "注意力机制的门控改进了训练稳定性和长上下文外推能力。" * 3
    emoji = "Gates make attention sparse 🚀🎉 and stable ✨ — wow 😀!"
    comic = [ComicFrame(caption=words(14), lines=[
        DialogueLine(speaker="Sam", text=words(18) + "?"),
        DialogueLine(speaker="Ada", text=words(18)),
        DialogueLine(speaker="Bo", text=words(18) + "!")]) for _ in range(4)]
    cjk_comic = [ComicFrame(caption="问题", lines=[
        DialogueLine(speaker="小明", text=cjk), DialogueLine(speaker="Ada", text=emoji)])
        for _ in range(3)]
    return {
        "long title": ({"title": long_title}, {}),
        "40 authors": ({"authors": [f"Author Number{i} Surname" for i in range(40)]}, {}),
        "400-word summary": ({}, {"what_was_done": words(400), "why_it_matters": words(400),
                                  "tldr": words(120)}),
        "long dialogue": ({}, {"comic": comic}),
        "cjk and emoji": ({"title": cjk}, {"what_was_done": cjk + emoji, "tldr": emoji,
                                           "comic": cjk_comic}),
        "long url": ({"links": {"paper": "https://example.org/" + "x" * 300}}, {}),
    }


@pytest.mark.parametrize("case", ["long title", "40 authors", "400-word summary",
                                  "long dialogue", "cjk and emoji", "long url"])
@pytest.mark.parametrize("layout", LAYOUTS)
def test_stress_text_never_leaves_its_box(folder, theme, case, layout):
    event, item, summary = first(folder)
    paper_changes, summary_changes = stress_cases(summary)[case]
    item = item.model_copy(update=paper_changes)
    summary = stressed(summary, **summary_changes)
    for size in ((1200, 1500), (1600, 900)):
        result = render_panel_detailed(event, item, summary, theme, layout, size)
        assert_no_clipping(result, sources(item, summary))


def test_text_too_long_for_the_floor_is_cut_and_reported(folder, theme):
    event, item, summary = first(folder)
    summary = stressed(summary, what_was_done=words(1500))
    result = render_panel_detailed(event, item, summary, theme, "comic")
    assert any(r.text.endswith("…") and r.text not in summary.what_was_done
               for r in result.records)
    problems = panel_problems(event, item, summary, theme, "comic")
    assert any("what_was_done" in p and item.key in p for p in problems)


def test_text_that_fits_is_not_reported(folder, theme):
    assert panel_problems(*first(folder), theme, "comic") == []
    assert check_panels(folder, theme) == []


def test_check_locates_panel_problems_at_the_summary_file(folder, theme):
    key = folder.papers[0].key
    summaries = {**folder.summaries, key: stressed(folder.summaries[key],
                                                   why_it_matters=words(1500))}
    problems = check_panels(type(folder)(folder.root, folder.event, summaries), theme)
    assert problems and all(p.path == folder.summary_path(folder.papers[0]) for p in problems)
    assert any("why_it_matters" in p.message for p in problems)


def ink_in(image: Image.Image, box) -> set:
    region = image.crop(tuple(round(v) for v in box)).convert("RGB")
    return {colour for _, colour in region.getcolors(maxcolors=1 << 20)}


def test_cjk_and_emoji_are_drawn_not_blank(folder, theme):
    event, item, summary = first(folder)
    item = item.model_copy(update={"title": "注意力 😀"})
    result = render_panel_detailed(event, item, summary, theme, "card")
    title = next(r for r in result.records if r.text == "注意力 😀")
    colours = ink_in(result.image, title.box)
    assert len(colours) > 20  # glyph edges and the emoji's colours, not an empty box
    assert any(abs(r - g) > 60 or abs(g - b) > 60 for r, g, b in colours)  # colour emoji


def test_same_input_gives_identical_png_bytes(folder, theme):
    event, item, summary = first(folder)
    one = png_bytes(render_panel(event, item, summary, theme))
    two = png_bytes(render_panel(event, item, summary, theme))
    assert one == two
    assert b"tIME" not in one and b"tEXt" not in one


def test_render_panels_writes_one_png_per_summarised_paper(folder, theme, tmp_path):
    written = render_panels(folder, tmp_path / "panels", theme)
    assert [p.name for p in written] == [f"{p.key}.png" for p in folder.papers]
    with Image.open(io.BytesIO(written[0].read_bytes())) as image:
        assert image.size == (1200, 1500)
    assert not list((tmp_path / "panels").glob(".*.tmp"))


def test_render_panels_skips_papers_without_a_summary(folder, theme, tmp_path):
    missing = folder.papers[1].key
    partial = type(folder)(folder.root, folder.event,
                           {k: v for k, v in folder.summaries.items() if k != missing})
    written = render_panels(partial, tmp_path, theme)
    assert [p.stem for p in written] == [folder.papers[0].key]


def test_render_panels_renders_only_the_chosen_papers(folder, theme, tmp_path):
    written = render_panels(folder, tmp_path, theme, paper_ids=["second"], layout="card",
                            size=(1080, 1080))
    assert written == [tmp_path / "second.png"]


def test_unknown_paper_id_and_layout_are_user_errors(folder, theme, tmp_path):
    with pytest.raises(ConfgenError, match="no paper with id 'nope'"):
        render_panels(folder, tmp_path, theme, paper_ids=["nope"])
    with pytest.raises(ConfgenError, match="unknown panel layout"):
        render_panels(folder, tmp_path, theme, layout="poster")
    assert list(Path(tmp_path).iterdir()) == []


def test_parallel_rendering_writes_the_same_bytes(folder, theme, tmp_path, monkeypatch):
    monkeypatch.setattr(panel_module, "MIN_PANELS_PER_PROCESS", 1)  # two panels, two workers
    serial = render_panels(folder, tmp_path / "one", theme, jobs=1)
    parallel = render_panels(folder, tmp_path / "two", theme, jobs=2)
    assert [p.read_bytes() for p in serial] == [p.read_bytes() for p in parallel]


def test_jobs_zero_means_one_process_per_usable_core():
    assert worker_count(0) >= 1
    assert worker_count(0) <= (os.cpu_count() or 1)
    assert worker_count(3) == 3


def test_right_to_left_lines_are_set_flush_right(folder, theme):
    event, item, summary = first(folder)
    hebrew = "תשומת לב עם שער משפרת את היציבות של אימון מודלים גדולים ואת ההכללה להקשר ארוך. " * 2
    summary = stressed(summary, what_was_done=hebrew.strip())
    result = render_panel_detailed(event, item, summary, theme, "explainer")
    lines = [r for r in result.records if "שער" in r.text or "ההכללה" in r.text]
    assert len(lines) >= 2
    rights = {round(r.box[2]) for r in lines}
    assert max(rights) - min(rights) <= 1
    assert len({round(r.box[0]) for r in lines}) > 1  # ragged on the left, not the right


def test_a_larger_size_never_wins_by_breaking_a_word(folder, theme):
    event, item, summary = first(folder)
    summary = stressed(summary, tldr="Across more than 30 variants, the gate consistently "
                                     "improves 15B mixture-of-experts and 1.7B dense models.")
    for size in SIZES:
        result = render_panel_detailed(event, item, summary, theme, "card", size)
        drawn = {word for r in result.records for word in r.text.split()}
        assert "mixture-of-experts" in drawn, size


@pytest.mark.parametrize("size", SIZES)
def test_every_bubble_tail_points_at_its_speaker(folder, theme, size):
    event, item, summary = first(folder)
    result = render_panel_detailed(event, item, summary, theme, "comic", size)
    assert len(result.tails) == sum(len(frame.lines) for frame in summary.comic)
    for tail in result.tails:
        (x, y), bubble = tail.tip, tail.bubble
        assert y > bubble[3], "the tail leaves the bubble downwards, towards the heads"
        nearest = min(tail.heads, key=lambda name: (tail.heads[name][0] - x) ** 2
                      + (tail.heads[name][1] - y) ** 2)
        assert nearest == tail.speaker


def test_a_third_speaker_gets_a_place_a_look_and_tails_of_their_own(folder, theme):
    event, item, summary = first(folder)
    comic = [ComicFrame(caption=f"Part {i}", lines=[
        DialogueLine(speaker="Sam", text="What is it?"),
        DialogueLine(speaker="Ada", text="A gate after attention."),
        DialogueLine(speaker="Bo", text="And it works!")]) for i in range(3)]
    result = render_panel_detailed(event, item, stressed(summary, comic=comic), theme)
    assert {t.speaker for t in result.tails} == {"Sam", "Ada", "Bo"}
    for tail in result.tails:
        assert set(tail.heads) == {"Sam", "Ada", "Bo"}
        x, y = tail.tip
        nearest = min(tail.heads, key=lambda n: (tail.heads[n][0] - x) ** 2
                      + (tail.heads[n][1] - y) ** 2)
        assert nearest == tail.speaker
    assert result.problems == []


def luminances(image: Image.Image, box) -> list[int]:
    region = image.crop(tuple(round(v) for v in box)).convert("L")
    return [value for _, value in region.getcolors(maxcolors=1 << 20)]


@pytest.mark.parametrize("name", ["light", "dark", "bold"])
def test_text_contrasts_with_its_background_in_every_theme(folder, name):
    event, item, summary = first(folder)
    result = render_panel_detailed(event, item, summary, load_theme(name), "comic")
    page = result.image.convert("L").getpixel((5, result.image.height - 5))
    bubbles = {tail.bubble for tail in result.tails}
    bubble_lines = [r for r in result.records if r.container in bubbles]
    assert bubble_lines
    for record in bubble_lines:  # dark text in white bubbles, whatever the theme
        assert min(luminances(result.image, record.box)) < 90
    title = next(r for r in result.records if r.text and r.text in item.title)
    extreme = (max if page < 128 else min)(luminances(result.image, title.box))
    assert abs(extreme - page) > 150


@settings(max_examples=25, deadline=None)
@given(text=st.text(st.characters(blacklist_categories=("Cs", "Cc", "Co", "Cn")),
                    min_size=1, max_size=240).filter(str.strip))
def test_any_text_stays_inside_its_boxes(folder, theme, text):
    event, item, summary = first(folder)
    comic = [frame.model_copy(update={"caption": text[:40], "lines": [
        line.model_copy(update={"text": text}) for line in frame.lines]})
        for frame in summary.comic]
    item = item.model_copy(update={"title": text})
    summary = stressed(summary, tldr=text, what_was_done=text, comic=comic)
    result = render_panel_detailed(event, item, summary, theme, "comic", (600, 750))
    assert_no_clipping(result, sources(item, summary))


@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_paper_without_a_summary_still_gets_its_title_and_link(folder, theme, layout):
    event, item, _ = first(folder)
    result = render_panel_detailed(event, item, None, theme, layout)
    drawn = " ".join(r.text for r in result.records)
    assert "Gated Attention" in drawn and "arxiv.org/abs/2505.06708" in drawn
    assert result.tails == []
