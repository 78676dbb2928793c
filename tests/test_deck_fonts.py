"""Fonts in the deck: names viewers have, per script, and fonts they may lack.

The built-in themes name Arial, Calibri and Cambria, measured with their bundled
metric-compatible twins; text those lack is named per script. A user's theme naming
a font viewers may lack is reported once per build and, where its licence allows,
embedded as PowerPoint embeds fonts (EOT in /ppt/fonts/*.fntdata).
"""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

import pytest
import yaml
from lxml import etree
from openxml_audit import validate_pptx
from pptx import Presentation

from generator.core.paths import FONTS_DIR
from generator.render.deck import embed
from generator.render.deck.build import render_deck
from generator.render.theme import load_theme
from generator.text import fonts
from tests.factories import drafted, paper, write_event
from tests.test_deck_template import make_template

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"


def user_theme(tmp_path: Path, heading: str, body: str) -> Path:
    path = tmp_path / "theme.yaml"
    path.write_text(yaml.safe_dump({"name": "mine", "extends": "light",
                                    "fonts": {"heading": heading, "body": body}}))
    return path


@pytest.fixture
def folder(tmp_path):
    papers = [paper("注意力机制 and ★ stars: الانتباه", id="mixed", award="Best Paper"),
              paper("대규모 언어 모델 😀", id="korean", arxiv="2503.14858")]
    return drafted(write_event(tmp_path / "conf", papers, trends=["日本語のテキスト ★ → ∑"]))


def run_fonts(pptx: Path) -> dict[str, set[tuple[str, str, str]]]:
    """Return, per run text, the (latin, ea, cs) families it names."""
    named: dict[str, set] = {}
    for slide in Presentation(str(pptx)).slides:
        for run in slide._element.iter(f"{A}r"):
            rpr = run.find(f"{A}rPr")
            key = tuple(rpr.find(f"{A}{slot}").get("typeface") for slot in ("latin", "ea", "cs"))
            named.setdefault(run.findtext(f"{A}t").strip(), set()).add(key)
    return named


def test_twins_measure_like_the_family_they_stand_in_for():
    assert fonts.face("Calibri").path.name == "Carlito-Regular.ttf"
    assert fonts.face("Liberation Sans") == fonts.face("Arial")
    assert fonts.text_width("Metric", 20, "Carlito") == fonts.text_width("Metric", 20, "Calibri")


def test_each_bundled_twin_ships_with_its_licence():
    catalogue = yaml.safe_load((FONTS_DIR / "fonts.yaml").read_text())
    for entry in catalogue["families"].values():
        assert (FONTS_DIR / entry["licence"]).is_file()
        for style in ("regular", "bold", "italic"):
            assert style not in entry or (FONTS_DIR / entry[style]).is_file()


def test_cjk_symbols_and_rtl_name_fonts_each_viewer_has(tmp_path, folder, capsys):
    out = render_deck(folder, tmp_path / "d.pptx", load_theme("light"))
    named = run_fonts(out)
    assert named["注意力机制"] == {("Arial", "Microsoft YaHei", "Arial")}
    assert ("Arial", "Yu Gothic", "Arial") in named["日本語のテキスト"]
    assert ("Arial", "Malgun Gothic", "Arial") in named["대규모 언어 모델"]
    assert ("Segoe UI Symbol",) * 3 in named["★"]
    assert ("Segoe UI Emoji",) * 3 in named["😀"]
    assert all(families[0] in {"Arial", "Segoe UI Symbol", "Segoe UI Emoji"}
               for keys in named.values() for families in keys)
    assert capsys.readouterr().err == ""  # the built-in themes need no warning


@pytest.mark.parametrize("char", ["★", "฿", "中"])
def test_a_fallback_run_is_measured_with_the_widest_fallback_that_has_it(char):
    faces = [face for face in fonts.fallback_chain("Cambria")[1:]
             if ord(char) in fonts.coverage(face)]
    widths = [fonts.pil_font(face, 200).getlength(char) / 2 for face in faces]
    assert faces and fonts.text_width(char, 100, "Cambria") == pytest.approx(max(widths))


@pytest.mark.parametrize("text", ["한국어", "中文字", "ひらが"])
def test_cjk_and_hangul_are_measured_at_least_one_em_a_character(text):
    assert fonts.text_width(text, 10, "Arial") >= 30


def test_a_font_viewers_may_lack_is_reported_once_and_embedded(tmp_path, folder, capsys):
    theme = load_theme(str(user_theme(tmp_path, "Noto Sans", "Noto Sans")))
    out = render_deck(folder, tmp_path / "d.pptx", theme)
    warnings = capsys.readouterr().err.splitlines()
    assert len(warnings) == 1 and "'Noto Sans'" in warnings[0] and "embedded" in warnings[0]
    with zipfile.ZipFile(out) as package:
        parts = sorted(n for n in package.namelist() if n.startswith("ppt/fonts/"))
        presentation = etree.fromstring(package.read("ppt/presentation.xml"))
        data = package.read(parts[0])
        types = package.read("[Content_Types].xml").decode()
    assert parts == ["ppt/fonts/font1.fntdata", "ppt/fonts/font2.fntdata"]  # regular, bold
    assert 'Extension="fntdata" ContentType="application/x-fontdata"' in types
    entry = presentation.find(f"{P}embeddedFontLst/{P}embeddedFont")
    assert entry.find(f"{P}font").get("typeface") == "Noto Sans"
    assert [child.tag[len(P):] for child in entry][1:] == ["regular", "bold"]
    assert presentation.get("embedTrueTypeFonts") == "1"
    ttf = (FONTS_DIR / "NotoSans-Regular.ttf").read_bytes()
    assert_eot_wraps(data, ttf, "Noto Sans")
    assert validate_pptx(str(out)).error_count == 0


def assert_eot_wraps(data: bytes, ttf: bytes, family: str) -> None:
    """Check an EOT 1.0 header against the W3C EOT submission's layout."""
    eot_size, font_size, version, flags = struct.unpack_from("<IIII", data)
    assert (eot_size, font_size, version, flags) == (len(data), len(ttf), 0x00010000, 0)
    assert struct.unpack_from("<H", data, 34)[0] == 0x504C  # MagicNumber
    assert data.endswith(ttf)
    length = struct.unpack_from("<H", data, 82)[0]
    assert data[84:84 + length].decode("utf-16-le") == family


def test_a_font_whose_files_cannot_be_embedded_is_only_reported(tmp_path, folder, capsys):
    render_deck(folder, tmp_path / "d.pptx", load_theme(str(user_theme(tmp_path, "Inter",
                                                                        "Inter"))))
    warnings = capsys.readouterr().err.splitlines()
    assert len(warnings) == 1 and "'Inter'" in warnings[0]
    assert "not embedded: it has PostScript outlines" in warnings[0]


def test_a_restricted_licence_forbids_embedding(tmp_path):
    from fontTools.ttLib import TTFont

    font = TTFont(FONTS_DIR / "DejaVuSans.ttf")
    font["OS/2"].fsType = 0x0002
    font.save(tmp_path / "restricted.ttf")
    assert "licence forbids embedding" in embed.embeddable(tmp_path / "restricted.ttf")
    assert embed.embeddable(FONTS_DIR / "DejaVuSans.ttf") is None


@pytest.mark.skipif(fonts.canonical("Noto Serif") is None, reason="Noto Serif not installed "
                    "(apt-get install fonts-noto-core)")
def test_an_installed_template_font_is_measured_reported_and_embedded(tmp_path, folder, capsys):
    template = make_template(tmp_path / "corporate.pptx", minor_font="Noto Serif")
    out = render_deck(folder, tmp_path / "d.pptx", load_theme("light"), template=template)
    warnings = capsys.readouterr().err.splitlines()
    assert len(warnings) == 1 and "'Noto Serif'" in warnings[0] and "embedded" in warnings[0]
    body = [run.font.name for slide in Presentation(str(out)).slides for shape in slide.shapes
            if shape.name == "Body" for p in shape.text_frame.paragraphs for run in p.runs]
    assert "Noto Serif" in body
    with zipfile.ZipFile(out) as package:
        assert "ppt/fonts/font1.fntdata" in package.namelist()


def test_a_template_font_that_cannot_be_measured_gives_way_to_the_theme_font(
        tmp_path, folder, capsys):
    template = make_template(tmp_path / "corporate.pptx", minor_font="Acme Corporate Sans")
    out = render_deck(folder, tmp_path / "d.pptx", load_theme("light"), template=template)
    warnings = capsys.readouterr().err.splitlines()
    assert len(warnings) == 1 and "'Acme Corporate Sans' cannot be measured" in warnings[0]
    body = {run.font.name for slide in Presentation(str(out)).slides for shape in slide.shapes
            if shape.name == "Body" for p in shape.text_frame.paragraphs for run in p.runs}
    assert "Arial" in body and "Acme Corporate Sans" not in body


def test_the_theme_part_names_the_same_script_fonts_as_the_runs(tmp_path, folder):
    out = render_deck(folder, tmp_path / "d.pptx", load_theme("light"))
    with zipfile.ZipFile(out) as package:
        theme = etree.fromstring(package.read("ppt/theme/theme1.xml"))
    minor = theme.find(f".//{A}minorFont")
    scripts = {font.get("script"): font.get("typeface") for font in minor.iter(f"{A}font")}
    assert minor.find(f"{A}latin").get("typeface") == "Arial"
    assert (scripts["Hans"], scripts["Jpan"], scripts["Hang"]) == (
        "Microsoft YaHei", "Yu Gothic", "Malgun Gothic")
