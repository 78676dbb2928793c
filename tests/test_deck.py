"""The deck reopened with python-pptx: slides, titles, notes, links and text-box settings."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_AUTO_SIZE
from pptx.util import Emu

from generator.core.errors import ConfgenError
from generator.render.deck.build import render_deck
from generator.render.deck.paper import NO_SUMMARY
from generator.render.deck.text import INSET
from generator.render.theme import load_theme
from generator.text.bylines import short_authors
from generator.text.latex import unlatex
from tests.factories import drafted, paper, write_event

NS = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main"}


def conference(root: Path, **fields) -> Path:
    """Write a small but complete event: awards, two topics, a talk, other papers."""
    papers = [
        paper("Gated Attention", id="gated", award="Best Paper", topic="Architectures",
              authors=[f"First{i} Last{i}" for i in range(13)]),
        paper("Deep RL", id="deep-rl", arxiv="2503.14858", topic="RL"),
        paper("Plain Architecture Paper", id="plain", arxiv="2501.00001", topic="Architectures",
              links={"paper": "https://example.org/plain", "code": "https://github.com/x/y"}),
    ]
    fields.setdefault("talks", [{"title": "The Oak Architecture", "speaker": "Rich Sutton",
                                 "points": ["Options", "Planning"]}])
    return write_event(root, papers, location="San Diego", presenter="Ada",
                       stats=["21,575 submissions", "5,290 accepted"], trends=["Lots of RL"],
                       other_papers=["A Plain Title",
                                     {"title": "Linked Title", "url": "https://example.org/l"}],
                       **fields)


@pytest.fixture
def deck(tmp_path: Path) -> tuple[Presentation, object]:
    folder = drafted(conference(tmp_path / "conf"))
    out = render_deck(folder, tmp_path / "out" / "deck.pptx", load_theme("light"))
    return Presentation(str(out)), folder


def titles(prs) -> list[str]:
    return [next((s.text_frame.text for s in slide.shapes if s.name == "Title"), "")
            for slide in prs.slides]


def notes(prs, title: str) -> str:
    index = titles(prs).index(title)
    return prs.slides[index].notes_slide.notes_text_frame.text


def test_the_deck_is_16_by_9(deck):
    prs, _ = deck
    assert (Emu(prs.slide_width).inches, Emu(prs.slide_height).inches) == pytest.approx(
        (13.333, 7.5), abs=0.01)


def test_slides_follow_the_trip_report_outline(deck):
    prs, _ = deck
    assert titles(prs) == [
        "Test Conf 2025", "Agenda", "At a glance", "Trends", "Award papers", "Top picks",
        "Architectures", "Gated Attention", "Plain Architecture Paper",
        "RL", "Deep RL", "The Oak Architecture", "Other interesting papers",
        "Reading list", "Thank you — questions?",
    ]


def test_award_papers_come_first_in_their_topic_and_wear_a_badge(deck):
    prs, _ = deck
    slide = prs.slides[titles(prs).index("Gated Attention")]
    badges = [s.text_frame.text for s in slide.shapes if s.name == "Badge text"]
    assert badges == ["Best Paper"]
    star = next(s for s in slide.shapes if s.name == "Badge star")  # drawn, not a glyph
    assert star.auto_shape_type == MSO_SHAPE.STAR_5_POINT


def test_topic_dividers_count_their_papers(deck):
    prs, _ = deck
    slide = prs.slides[titles(prs).index("Architectures")]
    contents = next(s for s in slide.shapes if s.name == "Contents").text_frame.text
    assert contents.splitlines() == ["2 papers", "★ Gated Attention", "Plain Architecture Paper"]


def test_paper_notes_hold_the_full_summary_and_every_link(deck):
    prs, folder = deck
    summary = folder.summaries["plain"]
    text = notes(prs, "Plain Architecture Paper")
    assert summary.what_was_done in text
    assert summary.why_it_matters in text
    assert all(point in text for point in summary.key_points)
    assert "https://example.org/plain" in text and "https://github.com/x/y" in text


def test_long_author_lists_are_shortened_on_the_slide_but_complete_in_notes(deck):
    prs, _ = deck
    slide = prs.slides[titles(prs).index("Gated Attention")]
    byline = next(s.text_frame.text for s in slide.shapes if s.name == "Authors")
    assert byline.startswith("Last0, Last1, … Last12 (13 authors)")
    assert "First11 Last11" in notes(prs, "Gated Attention")


def test_paper_titles_link_to_the_paper(deck):
    prs, _ = deck
    slide = prs.slides[titles(prs).index("Deep RL")]
    title = next(s for s in slide.shapes if s.name == "Title")
    assert title.click_action.hyperlink.address == "https://arxiv.org/abs/2503.14858"
    link = next(s for s in slide.shapes if s.name == "Link")
    url = title.click_action.hyperlink.address
    assert link.text_frame.paragraphs[0].runs[0].hyperlink.address == url


def test_every_paper_slide_has_a_qr_code_for_its_link(deck):
    prs, folder = deck
    for paper_ in folder.papers:
        slide = prs.slides[titles(prs).index(paper_.title)]
        codes = [s for s in slide.shapes if s.name == "QR code"]
        assert [c.click_action.hyperlink.address for c in codes] == [paper_.url]


def test_other_papers_are_hyperlinked_when_a_url_is_given(deck):
    prs, _ = deck
    slide = prs.slides[titles(prs).index("Other interesting papers")]
    body = next(s for s in slide.shapes if s.name == "Body")
    links = {p.text: {r.hyperlink.address for r in p.runs if r.text.strip()}
             for p in body.text_frame.paragraphs}
    assert links == {"A Plain Title": {None}, "Linked Title": {"https://example.org/l"}}


def test_text_boxes_wrap_without_autofit_and_name_viewer_fonts(deck):
    prs, _ = deck
    for slide in prs.slides:
        for shape in slide.shapes:
            if not shape.has_text_frame or not shape.text_frame.text:
                continue
            frame = shape.text_frame
            assert frame.word_wrap is True and frame.auto_size == MSO_AUTO_SIZE.NONE
            assert Emu(frame.margin_left).pt == pytest.approx(INSET)
            for run in (r for p in frame.paragraphs for r in p.runs):
                assert run.font.size is not None
                named = {run._r.rPr.find(f"a:{slot}", NS).get("typeface")
                         for slot in ("latin", "ea", "cs")}
                assert named <= {"Arial", "Segoe UI Symbol"}, run.text


def test_a_paper_without_summary_still_gets_a_slide(tmp_path):
    root = conference(tmp_path / "conf")
    folder = drafted(root)
    (root / "deep-rl.yaml").unlink()
    folder.summaries.pop("deep-rl")
    prs = Presentation(str(render_deck(folder, tmp_path / "d.pptx", load_theme("light"))))
    slide = prs.slides[titles(prs).index("Deep RL")]
    body = next(s for s in slide.shapes if s.name == "Body")
    assert body.text_frame.text == NO_SUMMARY
    assert "no summary" in slide.notes_slide.notes_text_frame.text.lower()


def test_the_figure_is_shown_beside_the_summary(tmp_path):
    root = conference(tmp_path / "conf")
    Image.new("RGB", (400, 300), "orange").save(root / "fig.png")
    (root / "event.yaml").write_text((root / "event.yaml").read_text().replace(
        "id: deep-rl", "id: deep-rl\n  figure: fig.png"))
    prs = Presentation(str(render_deck(drafted(root), tmp_path / "d.pptx", load_theme("light"))))
    slide = prs.slides[titles(prs).index("Deep RL")]
    assert [s.name for s in slide.shapes if s.name == "Picture"] == ["Picture"]


def test_a_panel_is_shown_when_there_is_no_figure(tmp_path):
    folder = drafted(conference(tmp_path / "conf"))
    panels = tmp_path / "panels"
    panels.mkdir()
    Image.new("RGB", (1200, 1500), "white").save(panels / "plain.png")
    prs = Presentation(str(render_deck(folder, tmp_path / "d.pptx", load_theme("light"),
                                       panels_dir=panels)))
    with_picture = [t for t, slide in zip(titles(prs), prs.slides, strict=True)
                    if any(s.name == "Picture" for s in slide.shapes)]
    assert with_picture == ["Plain Architecture Paper"]


def test_deck_sections_choose_and_order_the_slides(tmp_path):
    root = conference(tmp_path / "conf", deck={"sections": ["title", "talks", "closing"],
                                               "title": "My NeurIPS", "subtitle": "Notes"})
    prs = Presentation(str(render_deck(drafted(root), tmp_path / "d.pptx", load_theme("light"))))
    assert titles(prs) == ["My NeurIPS", "The Oak Architecture", "Thank you — questions?"]


@pytest.mark.parametrize("deck_settings, message", [
    ({"sections": ["title", "talk"]}, "did you mean 'talks'"),
    ({"sectons": ["title"]}, "did you mean 'sections'"),
    ({"papers_per_topic": 0}, "deck.papers_per_topic"),
    ({"top_picks": ["nope"]}, "no paper with id 'nope'"),
])
def test_a_bad_deck_section_is_a_clear_error(tmp_path, deck_settings, message):
    root = conference(tmp_path / "conf", deck=deck_settings)
    out = tmp_path / "d.pptx"
    with pytest.raises(ConfgenError, match=message) as caught:
        render_deck(drafted(root), out, load_theme("light"))
    assert not out.exists()
    problem = caught.value.problems[0]
    assert problem.path == root / "event.yaml" and problem.line is not None


def test_top_picks_show_the_chosen_papers_with_their_one_liners(tmp_path):
    root = conference(tmp_path / "conf", deck={"top_picks": ["deep-rl", "plain"]})
    folder = drafted(root)
    prs = Presentation(str(render_deck(folder, tmp_path / "d.pptx", load_theme("light"))))
    body = next(s for s in prs.slides[titles(prs).index("Top picks")].shapes if s.name == "Body")
    lines = body.text_frame.text.splitlines()
    assert lines == ["Deep RL", folder.summaries["deep-rl"].tldr,
                     "Plain Architecture Paper", folder.summaries["plain"].tldr]


def test_the_optional_chart_counts_papers_per_topic(tmp_path):
    root = conference(tmp_path / "conf", deck={"sections": ["chart"]})
    prs = Presentation(str(render_deck(drafted(root), tmp_path / "d.pptx", load_theme("light"))))
    chart = next(s for s in prs.slides[0].shapes if s.name == "Chart").chart
    counts = dict(zip(chart.plots[0].categories, chart.plots[0].series[0].values, strict=True))
    assert counts == {"Architectures": 2, "RL": 1}


def test_papers_per_topic_limits_each_topic(tmp_path):
    root = conference(tmp_path / "conf", deck={"papers_per_topic": 1})
    prs = Presentation(str(render_deck(drafted(root), tmp_path / "d.pptx", load_theme("light"))))
    assert "Plain Architecture Paper" not in titles(prs)
    assert "Gated Attention" in titles(prs)


@pytest.mark.parametrize("authors, expected", [
    ([], ""),
    (["Ada Lovelace"], "Ada Lovelace"),
    (["Ada Lovelace", "Alan Turing"], "Ada Lovelace and Alan Turing"),
    (["Ada Lovelace", "Alan Turing", "Grace Hopper"], "Lovelace, Turing, Hopper"),
    ([f"A{i} Qiu{i}" for i in range(13)], "Qiu0, Qiu1, … Qiu12 (13 authors)"),
    (["  Kurt\n Gödel ", "", "Emmy Noether"], "Kurt Gödel and Emmy Noether"),
])
def test_authors_are_shortened_to_surnames_with_a_count(authors, expected):
    assert short_authors(authors) == expected


@pytest.mark.parametrize("max_names, expected", [
    (3, "Qiu0, Qiu1, … Qiu4 (5 authors)"),
    (4, "Qiu0, Qiu1, Qiu2, … Qiu4 (5 authors)"),
    (5, "Qiu0, Qiu1, Qiu2, Qiu3, Qiu4"),
])
def test_one_byline_rule_cut_at_each_renderers_length(max_names, expected):
    assert short_authors([f"A{i} Qiu{i}" for i in range(5)], max_names) == expected


def test_the_deck_is_written_atomically(tmp_path, deck):
    out = tmp_path / "out"
    assert sorted(p.name for p in out.iterdir()) == ["deck.pptx"]


@pytest.mark.parametrize("latex, text", [
    ("$O(\\sqrt{d})$ regret", "O(√d) regret"),
    ("$\\mathbb{E}[X] \\leq \\epsilon$", "𝔼[X] ≤ ε"),
    ("$\\|\\phi(s) - \\psi(g)\\|_2$", "‖φ(s) - ψ(g)‖₂"),
    ("$x^{n+1}$ and $d^{1/2}$", "xⁿ⁺¹ and d^(1/2)"),
    ("top-$p$ sampling ($p = 0.9$)", "top-p sampling (p = 0.9)"),
    ("it costs $5 and $3 a month", "it costs $5 and $3 a month"),
])
def test_inline_latex_is_set_as_unicode_and_prices_are_left_alone(latex, text):
    assert unlatex(latex) == text


def test_part_names_stay_unique_and_sequential_in_a_large_deck(tmp_path):
    from factories import drafted, paper, write_event
    from pptx import Presentation

    from generator.render.deck.build import render_deck
    from generator.render.theme import load_theme

    papers = [paper(title=f"Paper {i}", id=f"p{i}", arxiv=f"2501.{i:05d}") for i in range(30)]
    folder = drafted(write_event(tmp_path / "conf", papers))
    deck = render_deck(folder, tmp_path / "deck.pptx", load_theme("light"))
    names = [str(part.partname) for part in Presentation(deck).part.package.iter_parts()]
    assert len(names) == len(set(names))
    notes = sorted(int(m.group(1)) for n in names if (m := re.search(r"notesSlide(\d+)", n)))
    assert notes == list(range(1, len(notes) + 1))


def test_notes_name_up_to_thirteen_authors_and_count_the_rest():
    from generator.render.deck.notes import author_line

    thirteen = [f"Author {i}" for i in range(13)]
    assert author_line(thirteen).endswith("Author 11 and Author 12")
    assert author_line([f"A{i}" for i in range(40)]).endswith("A11 and 28 more")
