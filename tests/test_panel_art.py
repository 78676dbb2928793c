"""Optional art (--art openai): fetched from the Images API once, cached by what each frame shows,
drawn under the characters and bubbles; panels without it are unchanged."""

from __future__ import annotations

import base64
import io
import re

import pytest
from factories import drafted, paper, write_event
from llm_server import Recorded, Response, llm_server_fixture  # noqa: F401
from PIL import Image

from generator.core.art import art_file, cached_art
from generator.core.errors import ConfgenError
from generator.drafting.backends.openai.images import art_prompt, fetch_art
from generator.render.panels.panel import png_bytes, render_panel_detailed
from generator.render.theme import load_theme

SCENE = (250, 120, 40)  # a colour no panel uses


def fake_image(_server, _request: Recorded, _match: re.Match) -> Response:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), SCENE).save(buffer, "PNG")
    return Response(body={"created": 0, "data": [{"b64_json": base64.b64encode(
        buffer.getvalue()).decode()}]})


@pytest.fixture
def images(llm_server, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "test-key")
    llm_server.add_route("POST", r"/v1/images/generations", fake_image)
    return llm_server


@pytest.fixture
def folder(tmp_path):
    return drafted(write_event(tmp_path / "ev", [paper()]))


def image_requests(server) -> list[Recorded]:
    return [r for r in server.requests if r.path.endswith("/images/generations")]


def test_art_is_fetched_once_per_frame_and_then_read_from_the_cache(images, folder):
    first = fetch_art(folder)
    summary = next(iter(folder.summaries.values()))
    assert len(first.fetched) == len(summary.comic) and not first.failed
    assert len(image_requests(images)) == len(summary.comic)
    again = fetch_art(folder)
    assert again.fetched == [] and len(again.cached) == len(summary.comic)
    assert len(image_requests(images)) == len(summary.comic)  # no new request


def test_prompts_describe_the_frame_and_ask_for_no_text(images, folder):
    fetch_art(folder)
    item, summary = folder.papers[0], next(iter(folder.summaries.values()))
    prompts = [r.body["prompt"] for r in image_requests(images)]
    assert prompts == [art_prompt(item, frame) for frame in summary.comic]
    assert all("no text" in p for p in prompts)


def fetched_and_rendered(folder):
    """Fetch the art, then render the only paper's panel without and with it."""
    fetch_art(folder)
    item, summary = folder.papers[0], next(iter(folder.summaries.values()))
    theme = load_theme("light")
    return (summary, render_panel_detailed(folder.event, item, summary, theme),
            render_panel_detailed(folder.event, item, summary, theme, art=True))


def test_art_is_drawn_under_the_bubbles_only_when_asked(images, folder):
    summary, plain, with_art = fetched_and_rendered(folder)
    assert png_bytes(plain.image) != png_bytes(with_art.image)
    bubble = next(r for r in with_art.records if r.text == summary.comic[0].lines[0].text)
    x0, y0, x1, y1 = bubble.container
    backdrop = with_art.image.getpixel((round(x0) - 6, round((y0 + y1) / 2)))
    assert backdrop[0] > backdrop[2] + 60  # the orange scene shows beside the bubble
    inside = with_art.image.getpixel((round(x0) + 6, round((y0 + y1) / 2)))
    assert inside == (255, 255, 255)  # the bubble stays white over the art
    assert [r.text for r in plain.records] == [r.text for r in with_art.records]


def test_missing_art_leaves_the_frame_plain(folder):
    item, summary = folder.papers[0], next(iter(folder.summaries.values()))
    assert cached_art(item, summary.comic[0]) is None
    theme = load_theme("light")
    assert png_bytes(render_panel_detailed(folder.event, item, summary, theme).image) == \
        png_bytes(render_panel_detailed(folder.event, item, summary, theme, art=True).image)


def test_a_failed_image_is_reported_and_skipped(llm_server, monkeypatch, folder):
    monkeypatch.setenv("OPENAI_API_KEY", "test-key")
    llm_server.add_route("POST", r"/v1/images/generations",
                         lambda *_: Response(status=400, body={"error": {"message": "no"}}))
    report = fetch_art(folder)
    item, summary = folder.papers[0], next(iter(folder.summaries.values()))
    assert report.fetched == [] and len(report.failed) == len(summary.comic)
    assert "comic[0]" in report.failed[0]
    assert not art_file(item, summary.comic[0]).exists()


def test_fetching_art_needs_an_api_key(folder):
    with pytest.raises(ConfgenError, match="OPENAI_API_KEY"):
        fetch_art(folder)


def test_art_is_found_for_a_title_written_in_latex(images, tmp_path):
    """The renderer cleans `$…$` for display but looks art up by the paper as written."""
    folder = drafted(write_event(tmp_path / "tex", [paper(r"Regret $O(\sqrt{T})$ for "
                                                          r"$\alpha$-Bandits", arxiv=None)]))
    _, plain, with_art = fetched_and_rendered(folder)
    assert png_bytes(plain.image) != png_bytes(with_art.image)
