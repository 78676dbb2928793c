"""Decks built on a user's own .pptx template, which each test makes itself."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from PIL import Image
from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.util import Emu, Pt

from generator.core.errors import ConfgenError
from generator.render.deck.build import render_deck
from generator.render.deck.libreoffice import convert
from generator.render.theme import load_theme
from tests.factories import drafted, paper, write_event
from tests.pdfboxes import misplaced_words

WIDESCREEN = (12192000, 6858000)  # PowerPoint's 13.333 x 7.5 in
GOOGLE = (9144000, 5143500)  # Google Slides' 16:9, 10 x 5.625 in
STANDARD = (9144000, 6858000)  # 4:3, 10 x 7.5 in (python-pptx's default template)

RENAMES = {"Title Slide": "ACME Title Slide", "Section Header": "ACME Section Header",
           "Title and Content": "ACME Title and Content", "Title Only": "ACME Title Only",
           "Picture with Caption": "ACME Figure", "Blank": "ACME Blank"}


def make_template(path: Path, renames: dict[str, str] = RENAMES, minor_font: str = "Noto Sans",
                  size: tuple[int, int] = WIDESCREEN) -> Path:
    """Write a template of `size` (EMU): renamed layouts, a teal accent and `minor_font`
    for body text, its placeholders scaled from python-pptx's 4:3 default."""
    prs = Presentation()
    sx, sy = size[0] / STANDARD[0], size[1] / STANDARD[1]
    prs.slide_width, prs.slide_height = Emu(size[0]), Emu(size[1])
    shapes = [s for layout in prs.slide_layouts for s in layout.shapes]
    for shape in [*prs.slide_master.shapes, *shapes]:
        if shape._element.xfrm is not None:  # others inherit from the master
            shape.left, shape.width = int(shape.left * sx), int(shape.width * sx)
            shape.top, shape.height = int(shape.top * sy), int(shape.height * sy)
    for layout in prs.slide_layouts:
        if layout.name == "Picture with Caption" and size[0] / size[1] > 1.5:
            _picture_on_the_right(layout, size[1] / WIDESCREEN[1])
        layout._element.cSld.set("name", renames.get(layout.name, layout.name))
    part = prs.slide_master.part.part_related_by(RT.THEME)
    xml = part.blob.decode()
    xml = re.sub(r"(<a:accent1>)<a:srgbClr val=\"\w+\"/>", r'\1<a:srgbClr val="00897B"/>', xml)
    xml = re.sub(r"(<a:minorFont><a:latin typeface=)\"[^\"]*\"", rf'\1"{minor_font}"', xml)
    part._blob = xml.encode()
    prs.slides.add_slide(prs.slide_layouts[0])  # a sample slide the deck must not keep
    prs.save(str(path))
    return path


def _picture_on_the_right(layout, scale: float) -> None:
    """Arrange the layout as title on top, text on the left, picture on the right."""
    boxes = {"Title": (40, 24, 880, 60), "Picture": (560, 120, 360, 340),
             "Text": (40, 120, 500, 380)}
    for shape in layout.placeholders:
        for key, box in boxes.items():
            if shape.name.startswith(key):
                shape.left, shape.top, shape.width, shape.height = (Pt(v * scale) for v in box)


def event(root: Path, **deck) -> Path:
    papers = [paper("Gated Attention", id="gated", award="Best Paper", topic="Architectures"),
              paper("Deep RL", id="deep-rl", arxiv="2503.14858", topic="RL",
                    figure="fig.png")]
    write_event(root, papers, stats=["21,575 submissions"], trends=["Lots of RL"],
                talks=[{"title": "The Oak Architecture", "speaker": "Rich Sutton",
                        "points": ["Options"]}], deck=deck)
    Image.new("RGB", (640, 480), "orange").save(root / "fig.png")
    return root


def layout_names(prs) -> list[str]:
    return [slide.slide_layout.name for slide in prs.slides]


def titles(prs) -> list[str]:
    return [next((s.text_frame.text for s in slide.shapes if s.name == "Title"), "")
            for slide in prs.slides]


@pytest.fixture
def templated(tmp_path: Path):
    template = make_template(tmp_path / "acme.pptx")
    folder = drafted(event(tmp_path / "conf"))
    out = render_deck(folder, tmp_path / "deck.pptx", load_theme("light"), template=template)
    return Presentation(str(out))


def test_slides_use_the_template_layouts_found_by_name(templated):
    names = layout_names(templated)
    assert names[0] == "ACME Title Slide" and names[-1] == "ACME Title Slide"
    assert names[titles(templated).index("RL")] == "ACME Section Header"
    assert names[titles(templated).index("Trends")] == "ACME Title and Content"
    assert names[titles(templated).index("Deep RL")] == "ACME Title Only"


def test_titles_and_bodies_go_into_the_layout_placeholders(templated):
    slide = templated.slides[titles(templated).index("Trends")]
    title = next(s for s in slide.shapes if s.name == "Title")
    body = next(s for s in slide.shapes if s.name == "Body")
    assert title.is_placeholder and body.is_placeholder
    assert body.text_frame.text == "Lots of RL"


def test_the_sample_slides_of_the_template_are_dropped(templated):
    assert titles(templated)[0] == "Test Conf 2025"
    assert titles(templated).count("Test Conf 2025") == 1


def test_no_empty_placeholder_is_left_behind(templated):
    for slide in templated.slides:
        assert all(ph.has_text_frame and ph.text_frame.text for ph in slide.placeholders)


def test_body_text_uses_the_template_font_when_it_can_be_measured(templated):
    slide = templated.slides[titles(templated).index("Trends")]
    body = next(s for s in slide.shapes if s.name == "Body")
    assert {r.font.name for p in body.text_frame.paragraphs for r in p.runs} == {"Noto Sans"}


def test_a_template_font_with_a_bundled_twin_is_kept(tmp_path):
    template = make_template(tmp_path / "t.pptx", minor_font="Calibri")
    out = render_deck(drafted(event(tmp_path / "conf")), tmp_path / "d.pptx",
                      load_theme("light"), template=template)
    prs = Presentation(str(out))
    body = next(s for s in prs.slides[titles(prs).index("Trends")].shapes if s.name == "Body")
    assert body.text_frame.paragraphs[0].runs[0].font.name == "Calibri"  # measured: Carlito


def test_missing_layout_names_fall_back_to_layouts_with_the_right_placeholders(tmp_path):
    names = [layout.name for layout in Presentation().slide_layouts]
    template = make_template(tmp_path / "t.pptx", renames={n: f"Layout {i}"
                                                           for i, n in enumerate(names)})
    out = render_deck(drafted(event(tmp_path / "conf")), tmp_path / "d.pptx",
                      load_theme("light"), template=template)
    prs = Presentation(str(out))
    names = layout_names(prs)
    assert names[0] == "Layout 0"  # the one with a title and a subtitle
    assert names[titles(prs).index("Trends")] == "Layout 1"  # title and body
    assert all(any(s.name == "Title" for s in slide.shapes) for slide in prs.slides)


def test_deck_layouts_choose_a_layout_and_its_picture_placeholder(tmp_path):
    template = make_template(tmp_path / "t.pptx")
    root = event(tmp_path / "conf", layouts={"paper": "ACME Figure"})
    prs = Presentation(str(render_deck(drafted(root), tmp_path / "d.pptx", load_theme("light"),
                                       template=template)))
    slide = next(s for s in prs.slides if any(shape.name == "Picture" for shape in s.shapes))
    assert slide.slide_layout.name == "ACME Figure"
    frame = next(ph for ph in slide.slide_layout.placeholders if "Picture" in ph.name)
    pic = next(s for s in slide.shapes if s.name == "Picture")
    assert frame.left <= pic.left and pic.left + pic.width <= frame.left + frame.width + 12700
    assert frame.top <= pic.top and pic.top + pic.height <= frame.top + frame.height + 12700


def test_an_unknown_layout_name_lists_the_template_layouts(tmp_path):
    template = make_template(tmp_path / "t.pptx")
    root = event(tmp_path / "conf", layouts={"paper": "Nope"})
    with pytest.raises(ConfgenError, match="no layout named 'Nope'.*'ACME Figure'"):
        render_deck(drafted(root), tmp_path / "d.pptx", load_theme("light"), template=template)


@pytest.mark.parametrize("size", [WIDESCREEN, GOOGLE, STANDARD, (12188952, 6858000)],
                         ids=["13.333x7.5", "10x5.625", "4:3", "Inches(13.333)"])
def test_templates_of_every_common_size_are_laid_out_in_proportion(tmp_path, size):
    template = make_template(tmp_path / "t.pptx", size=size)
    out = render_deck(drafted(event(tmp_path / "conf")), tmp_path / "d.pptx",
                      load_theme("light"), template=template)
    prs = Presentation(str(out))
    assert (prs.slide_width, prs.slide_height) == size
    for slide in prs.slides:
        for shape in slide.shapes:
            assert 0 <= shape.left and shape.left + shape.width <= size[0] + 12700
            assert 0 <= shape.top and shape.top + shape.height <= size[1] + 12700
    title = next(s for s in prs.slides[titles(prs).index("Trends")].shapes if s.name == "Title")
    sizes = {run.font.size for p in title.text_frame.paragraphs for run in p.runs}
    assert max(sizes) <= Pt(30) * size[1] / WIDESCREEN[1]  # text scales with the slide


def test_a_template_of_another_shape_is_refused(tmp_path):
    template = make_template(tmp_path / "t.pptx", size=(6858000, 6858000))
    with pytest.raises(ConfgenError, match="16:9 .* 4:3"):
        render_deck(drafted(event(tmp_path / "conf")), tmp_path / "d.pptx",
                    load_theme("light"), template=template)


def test_a_file_that_is_not_a_pptx_is_refused(tmp_path):
    bogus = tmp_path / "t.pptx"
    bogus.write_text("not a zip")
    with pytest.raises(ConfgenError, match="cannot open as a .pptx template"):
        render_deck(drafted(event(tmp_path / "conf")), tmp_path / "d.pptx",
                    load_theme("light"), template=bogus)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_no_word_leaves_its_box_on_the_template(tmp_path):
    template = make_template(tmp_path / "acme.pptx")
    out = render_deck(drafted(event(tmp_path / "conf")), tmp_path / "deck.pptx",
                      load_theme("light"), template=template)
    assert misplaced_words(out, convert(out, tmp_path)) == []
