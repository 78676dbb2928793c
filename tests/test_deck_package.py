"""The deck package describes itself: titles, alt text, properties, and a valid schema.

Every deck is reopened with python-pptx, as another tool would read it, and validated
against the ECMA-376 transitional schemas with openxml-audit (an Open XML SDK-class
validator in pure Python, offline).
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from openxml_audit import validate_pptx
from PIL import Image
from pptx import Presentation
from pptx.shapes.picture import Picture

from generator.core.event import open_event
from generator.render.deck.build import render_deck
from generator.render.theme import load_theme
from tests.factories import drafted, paper, write_event
from tests.test_deck_template import GOOGLE, STANDARD, make_template

EXAMPLE = Path(__file__).resolve().parent.parent / "summaries" / "neurips-2025"
EP = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"


def event(root: Path) -> Path:
    papers = [paper("Gated Attention", id="gated", award="Best Paper", figure="fig.png"),
              paper("Deep RL", id="deep-rl", arxiv="2503.14858", topic="RL")]
    write_event(root, papers, presenter="Ada Lovelace", location="San Diego",
                trends=["Lots of RL"])
    Image.new("RGB", (640, 480), "orange").save(root / "fig.png")
    return root


@pytest.fixture(scope="module")
def decks(tmp_path_factory) -> dict[str, Path]:
    """The example in each theme, a small event with a figure, and it on two templates."""
    base = tmp_path_factory.mktemp("package")
    out = {name: render_deck(open_event(EXAMPLE), base / f"{name}.pptx", load_theme(name))
           for name in ("light", "dark", "bold")}
    folder = drafted(event(base / "conf"))
    out["figure"] = render_deck(folder, base / "figure.pptx", load_theme("light"))
    for name, size in (("google", GOOGLE), ("standard", STANDARD)):
        template = make_template(base / f"{name}-template.pptx", size=size)
        out[name] = render_deck(folder, base / f"{name}.pptx", load_theme("light"),
                                template=template)
    return out


NAMES = ("light", "dark", "bold", "figure", "google", "standard")


@pytest.mark.parametrize("name", NAMES)
def test_every_slide_has_a_title_placeholder_with_text(decks, name):
    for slide in Presentation(str(decks[name])).slides:
        assert slide.shapes.title is not None and slide.shapes.title.text_frame.text.strip()


@pytest.mark.parametrize("name", ("figure", "google"))
def test_every_picture_has_alt_text(decks, name):
    pictures = [shape for slide in Presentation(str(decks[name])).slides
                for shape in slide.shapes if isinstance(shape, Picture)]
    alts = {shape.name: shape._element.xpath("./p:nvPicPr/p:cNvPr/@descr")[0]
            for shape in pictures}
    assert alts["QR code"].startswith("QR code: https://arxiv.org/abs/")
    assert alts["Picture"].startswith("Gated Attention: ")  # the title, then the tl;dr
    assert all(alt.strip() for alt in alts.values())


def test_core_properties_come_from_the_event_and_this_build(decks):
    props = Presentation(str(decks["figure"])).core_properties
    assert (props.title, props.author, props.last_modified_by) == (
        "Test Conf 2025", "Ada Lovelace", "Ada Lovelace")
    assert props.subject == "Trip report · Test Conf 2025 · December 2025 · San Diego"
    assert props.keywords == "Architectures; RL"
    assert "python-pptx" not in (props.comments or "")
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    assert props.created == props.modified and abs(now - props.created) < dt.timedelta(hours=1)


def test_source_date_epoch_makes_the_build_time_reproducible(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764590400")
    folder = drafted(event(tmp_path / "conf"))
    props = Presentation(str(render_deck(folder, tmp_path / "d.pptx", load_theme("light")))
                         ).core_properties
    assert props.created == dt.datetime(2025, 12, 1, 12, 0, 0)


@pytest.mark.parametrize(("name", "fmt", "size_type"), [
    ("light", "Widescreen", None), ("google", "On-screen Show (16:9)", "screen16x9"),
    ("standard", "On-screen Show (4:3)", "screen4x3")])
def test_app_xml_counts_the_slides_and_the_size_says_what_it_is(decks, name, fmt, size_type):
    prs = Presentation(str(decks[name]))
    with zipfile.ZipFile(decks[name]) as package:
        app = etree.fromstring(package.read("docProps/app.xml"))
        names = package.namelist()
    assert app.findtext(f"{EP}Slides") == str(len(prs.slides))
    assert app.findtext(f"{EP}Application") == "confgen"
    assert app.findtext(f"{EP}PresentationFormat") == fmt
    titles = [t.text for t in app.find(f"{EP}TitlesOfParts")[0]]
    assert titles[-len(prs.slides):] == [s.shapes.title.text_frame.text for s in prs.slides]
    assert prs.part._element.find(
        "{http://schemas.openxmlformats.org/presentationml/2006/main}sldSz").get("type") \
        == size_type
    assert "docProps/thumbnail.jpeg" not in names
    assert not [n for n in names if "printerSettings" in n]


def test_built_in_themes_ship_only_the_layouts_the_deck_uses(decks):
    prs = Presentation(str(decks["light"]))
    assert [layout.name for layout in prs.slide_layouts] == ["Title Only"]


def test_a_template_keeps_its_layouts(decks):
    assert len(Presentation(str(decks["google"])).slide_layouts) == 11


@pytest.mark.parametrize("name", NAMES)
def test_the_package_validates_against_the_ecma_376_schemas(decks, name):
    result = validate_pptx(str(decks[name]))
    assert result.is_valid, [str(error) for error in result.errors[:10]]
    assert result.error_count == 0
