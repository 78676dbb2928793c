"""The deck's workarounds below python-pptx's public API (render/deck/oxml.py).

Each relies on python-pptx internals of the pinned version; these tests fail when an
upgrade moves one, before a deck silently comes out wrong or slow.
"""

from __future__ import annotations

import io

import pytest
from pptx import Presentation
from pptx.opc.package import _Relationships
from pptx.package import Package
from pptx.parts.image import Image as PptxImage
from pptx.shapes.picture import Picture
from pptx.shapes.shapetree import SlideShapes
from pptx.slide import Slides
from pptx.text.text import TextFrame
from pptx.util import Pt

from generator.render.deck import oxml
from generator.render.qr import qr_png


def _deck(slides: int, fast: bool):
    prs = Presentation()
    if fast:
        oxml.fast_package(prs)
    images = {}
    for index in range(slides):
        slide = prs.slides.add_slide(prs.slide_layouts[6])
        slide.notes_slide.notes_text_frame.text = f"notes {index}"
        image = PptxImage.from_blob(qr_png(f"https://example.org/{index % 3}"))
        if image.sha1 not in images:
            images[image.sha1] = oxml.new_image_part(prs, image, len(images) + 1)
        oxml.add_picture_part(slide, images[image.sha1], (Pt(10), Pt(10), Pt(50), Pt(50)))
        slide.shapes.add_picture(io.BytesIO(qr_png(f"https://example.org/p{index}")), 0, 0)
    return prs


def _saved(prs):
    buffer = io.BytesIO()
    prs.save(buffer)
    buffer.seek(0)
    return Presentation(buffer)


def test_the_private_names_the_workarounds_use_still_exist():
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    assert callable(SlideShapes._add_pic_from_image_part)
    assert callable(SlideShapes._shape_factory)
    assert callable(_Relationships._add_relationship)
    assert callable(_Relationships.get_or_add)
    assert callable(Package.next_partname) and callable(Package.next_image_partname)
    assert isinstance(prs.slides, Slides) and hasattr(prs.slides, "_sldIdLst")
    frame = slide.shapes.add_textbox(0, 0, 9, 9).text_frame
    assert isinstance(frame, TextFrame) and frame._txBody is slide.shapes[0].element.txBody
    assert hasattr(prs.slide_master.part.part_related_by(
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme"), "_blob")


def test_fast_package_hands_out_the_names_python_pptx_would():
    def names(prs):
        return sorted(str(part.partname) for part in _saved(prs).part.package.iter_parts())

    fast, slow = names(_deck(12, fast=True)), names(_deck(12, fast=False))
    assert fast == slow
    assert len(fast) == len(set(fast))


def test_python_pptx_still_asks_the_package_for_new_names():
    """fast_package replaces methods on the instance: python-pptx must still call them."""
    prs = Presentation()
    oxml.fast_package(prs)
    asked = []
    package = prs.part.package
    partname, image_partname = package.next_partname, package.next_image_partname
    package.next_partname = lambda template: asked.append(template) or partname(template)
    package.next_image_partname = lambda ext: asked.append(ext) or image_partname(ext)
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    slide.notes_slide.notes_text_frame.text = "notes"
    slide.shapes.add_picture(io.BytesIO(qr_png("https://example.org")), 0, 0)
    assert any("notesSlide" in template for template in asked)
    assert "png" in asked


def test_a_shared_picture_part_is_stored_once_and_reopens():
    prs = _saved(_deck(6, fast=True))
    pictures = [shape for slide in prs.slides for shape in slide.shapes
                if isinstance(shape, Picture)]
    assert len(pictures) == 12
    assert pictures[0].left == Pt(10) and pictures[0].width == Pt(50)
    shared = {p.image.sha1 for p in pictures[::2]}
    media = {str(part.partname) for part in prs.part.package.iter_parts()
             if str(part.partname).startswith("/ppt/media/confgen-")}
    assert len(shared) == len(media) == 3


def test_slides_shapes_and_theme_edits_survive_a_save():
    prs = _deck(3, fast=False)
    oxml.write_theme(prs, {"accent1": "123456"}, {"majorFont": "Inter"})
    scheme, latin = oxml.read_theme(prs)
    assert scheme["accent1"] == "123456" and latin["majorFont"] == "Inter"
    oxml.drop_slides(prs)
    reopened = _saved(prs)
    assert len(reopened.slides) == 0
    assert oxml.read_theme(reopened)[0]["accent1"] == "123456"
    slide = reopened.slides.add_slide(reopened.slide_layouts[1])
    title = slide.shapes.title
    oxml.remove_shape(title)
    assert title.shape_id not in {shape.shape_id for shape in _saved(reopened).slides[0].shapes}


@pytest.mark.parametrize("bullet", [None, "FF0000"])
def test_raw_paragraphs_read_back_through_the_public_api(bullet):
    prs = Presentation()
    box = prs.slides.add_slide(prs.slide_layouts[6]).shapes.add_textbox(0, 0, Pt(200), Pt(50))
    paragraph = oxml.paragraph_element("ctr", 0, 1.1, 4.0, bullet)
    fonts = oxml.RunFonts("Inter", "Yu Gothic", "Arial")
    paragraph.append(oxml.run_element("Hello", fonts, 18, True, "00FF00", None))
    oxml.set_paragraphs(oxml.text_body(box.text_frame), [paragraph])
    text_box = _saved(prs).slides[0].shapes[0]
    run = text_box.text_frame.paragraphs[0].runs[0]
    assert (text_box.text_frame.text, run.font.size, run.font.bold, run.font.name) == (
        "Hello", Pt(18), True, "Inter")
    assert str(run.font.color.rgb) == "00FF00"
