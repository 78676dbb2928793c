"""Everything the deck does below python-pptx's public API, in one place.

python-pptx has no public way to do these; each block cites the upstream issue. They use
private attributes or raw XML of the python-pptx version pinned in pyproject.toml, and
tests/test_oxml.py fails if an upgrade moves what they rely on.

- Part naming and relationship lookup in constant time (`fast_package`): python-pptx
  walks every part for each new part name and every relationship for each new slide,
  O(n²) in a large deck (scanny/python-pptx#644, PR #646, not merged).
- Adding a picture from an image part we already hold (`add_picture_part`):
  `shapes.add_picture` looks for an identical image by walking every part (#644, #646).
- Deleting a template's slides (`drop_slides`, #67) and shapes (`remove_shape`, #246).
- Reading and writing the theme part (`read_theme`, `write_theme`): python-pptx has no
  theme API (#308, #917).
- Raw DrawingML for paragraphs and runs (`paragraph_element`, `run_element`,
  `set_paragraphs`): python-pptx's property setters cost more than all the measuring
  (a 1,000-paper deck writes some 50,000 runs), and its `font.name` sets only `a:latin`
  where LibreOffice needs `a:ea` and `a:cs` too. The text body of a frame has no public
  accessor (`text_body`).
- Template masters and layouts: turning off autofit and all-caps (`no_autofit_or_caps`),
  finding vertical text (`has_vertical_text`), and dropping a shape's style reference
  (`drop_shape_style`).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from lxml import etree
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.packuri import PackURI
from pptx.oxml.ns import qn
from pptx.parts.image import ImagePart

IMAGE_PREFIX = "/ppt/media/image"


class _PartNames:
    def __init__(self, package):
        self.used = {str(part.partname) for part in package.iter_parts()}
        self.image_indexes = {part.partname.idx for part in package.iter_parts()
                              if part.partname.startswith(IMAGE_PREFIX)}
        self.next_index: dict[str, int] = {}

    def next_partname(self, template: str) -> PackURI:
        index = self.next_index.get(template, 1)
        while template % index in self.used:
            index += 1
        self.next_index[template] = index + 1
        self.used.add(template % index)
        return PackURI(template % index)

    def next_image_partname(self, ext: str) -> PackURI:
        index = self.next_index.get(IMAGE_PREFIX, 1)
        while index in self.image_indexes:
            index += 1
        self.next_index[IMAGE_PREFIX] = index + 1
        self.image_indexes.add(index)
        return PackURI(f"{IMAGE_PREFIX}{index}.{ext}")


def _index_relationships(rels) -> None:
    """Make `rels.get_or_add` a dict lookup (confgen never drops a presentation rel)."""
    index = {(rel.reltype, id(rel.target_part)): rId
             for rId, rel in rels.items() if not rel.is_external}
    add = rels._add_relationship

    def get_or_add(reltype: str, target_part) -> str:
        key = (reltype, id(target_part))
        if key not in index:
            index[key] = add(reltype, target_part)
        return index[key]

    rels.get_or_add = get_or_add


def fast_package(presentation) -> None:
    """Replace part naming and the presentation's relationship lookup on this instance."""
    package = presentation.part.package
    names = _PartNames(package)
    package.next_partname = names.next_partname
    package.next_image_partname = names.next_image_partname
    _index_relationships(presentation.part.rels)


# --- pictures ----------------------------------------------------------------------------

def new_image_part(presentation, image, index: int) -> ImagePart:
    """Return a new image part for a python-pptx `Image`, named /ppt/media/confgen-<index>."""
    partname = PackURI(f"/ppt/media/confgen-{index}.{image.ext}")
    return ImagePart(partname, image.content_type, presentation.part.package, image.blob,
                     image.filename)


def add_picture_part(slide, part: ImagePart, box):
    """Add a picture of `part` at `box` (left, top, width, height in EMU); return it."""
    rid = slide.part.relate_to(part, RT.IMAGE)
    element = slide.shapes._add_pic_from_image_part(part, rid, *box)
    return slide.shapes._shape_factory(element)


# --- slides and shapes -------------------------------------------------------------------

def slide_height(slide) -> int:
    """Return the height in EMU of the slides of the deck that `slide` (a slide, layout,
    or their part) belongs to: there is no public path from a slide to its deck's size."""
    part = getattr(slide, "part", slide)
    return int(part.package.presentation_part._element.sldSz.cy)


def drop_slides(presentation) -> None:
    """Remove every slide (a template's sample slides) from the presentation."""
    id_list = presentation.slides._sldIdLst
    for slide_id in list(id_list):
        presentation.part.drop_rel(slide_id.rId)
        id_list.remove(slide_id)


def remove_shape(shape) -> None:
    """Remove a shape from its slide."""
    shape.element.getparent().remove(shape.element)


def bring_to_front(shape) -> None:
    """Move a shape to the top of its slide's z-order (python-pptx has no API, #49): a
    placeholder cloned from the layout comes first, under shapes drawn after it."""
    element = shape.element
    tree = element.getparent()
    tree.remove(element)
    tree.insert_element_before(element, "p:extLst")


def set_alt_text(shape, text: str) -> None:
    """Set a shape's alternative text (`cNvPr/@descr`; python-pptx has no API, #1019)."""
    shape._element.xpath("./*[1]/p:cNvPr")[0].set("descr", text)


def add_title_placeholder(slide):
    """Add a title placeholder to a slide whose layout has none, and return it: outline
    view and screen readers find a slide's title only in a title placeholder."""
    from pptx.enum.shapes import PP_PLACEHOLDER
    from pptx.oxml.shapes.autoshape import CT_Shape

    shapes = slide.shapes
    sp = CT_Shape.new_placeholder_sp(shapes._next_shape_id, "Title", PP_PLACEHOLDER.TITLE,
                                     "horz", "full", 0)
    shapes._spTree.insert_element_before(sp, "p:extLst")
    return shapes._shape_factory(sp)


def drop_shape_style(shape) -> None:
    """Remove an autoshape's style reference (its effect draws a shadow in LibreOffice)."""
    style = shape.element.find(qn("p:style"))
    if style is not None:
        shape.element.remove(style)


# --- masters and layouts -----------------------------------------------------------------

def no_autofit_or_caps(element) -> None:
    """Turn off shrink-on-overflow and all-caps everywhere under a master or layout."""
    for body in element.xpath(".//a:bodyPr"):
        for fit in body.xpath("a:normAutofit | a:spAutoFit"):
            body.replace(fit, etree.SubElement(body, qn("a:noAutofit")))
    for styled in element.xpath(".//*[@cap]"):
        styled.set("cap", "none")


def has_vertical_text(element) -> bool:
    """Say whether any text body under `element` sets its text vertically."""
    return bool(element.xpath(".//a:bodyPr[@vert and @vert != 'horz']"))


# --- theme part --------------------------------------------------------------------------

_SCHEME = qn("a:clrScheme")


def _theme_root(presentation):
    """Return the first master's theme part and its parsed XML."""
    return _theme_root_of(presentation.slide_master)


def read_theme(presentation) -> tuple[dict[str, str | None], dict[str, str | None]]:
    """Return the theme's colour scheme (slot such as "accent1" -> RRGGBB or None) and
    its Latin fonts ("majorFont"/"minorFont" -> typeface or None)."""
    _, root = _theme_root(presentation)
    scheme = {el.tag.split("}")[1]: _color_of(el) for el in root.iterfind(f".//{_SCHEME}/*")}
    latin = {}
    for slot in ("majorFont", "minorFont"):
        element = root.find(f".//{qn('a:' + slot)}/{qn('a:latin')}")
        latin[slot] = element.get("typeface") if element is not None else None
    return scheme, latin


def _color_of(element) -> str | None:
    for child in element:
        value = child.get("val") if child.tag.endswith("srgbClr") else child.get("lastClr")
        if value and re.fullmatch(r"[0-9A-Fa-f]{6}", value):
            return value.upper()
    return None


def write_theme(presentation, colors: dict[str, str], latin: dict[str, str],
                scripts: dict[str, str] | None = None) -> None:
    """Set scheme colours (slot -> RRGGBB), Latin fonts and the fonts of other scripts
    (script code such as "Jpan" -> typeface) in the first master's theme."""
    part, root = _theme_root(presentation)
    for slot, value in colors.items():
        element = root.find(f".//{_SCHEME}/{qn('a:' + slot)}")
        if element is not None:
            for child in list(element):
                element.remove(child)
            etree.SubElement(element, qn("a:srgbClr")).set("val", value)
    for slot, typeface in latin.items():
        element = root.find(f".//{qn('a:' + slot)}/{qn('a:latin')}")
        if element is not None:
            element.set("typeface", typeface)
    for script, typeface in (scripts or {}).items():
        for element in root.iterfind(f".//{qn('a:font')}[@script='{script}']"):
            element.set("typeface", typeface)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# --- paragraphs and runs -----------------------------------------------------------------

_R_ID = qn("r:id")


def text_body(text_frame):
    """Return the `a:txBody` / `p:txBody` element of a text frame (shape or table cell)."""
    return text_frame._txBody


def set_paragraphs(body, paragraphs) -> None:
    """Replace the paragraphs of a text body element with `paragraphs` (`a:p` elements)."""
    for old in body.findall(qn("a:p")):
        body.remove(old)
    for paragraph in paragraphs:
        body.append(paragraph)


def paragraph_element(align: str, indent: int, line_spacing: float, space_after: float,
                      bullet_color: str | None):
    """Return an empty `a:p` with its properties.

    `indent` is the hanging indent in EMU, `line_spacing` a multiple, `space_after` in
    points; with `bullet_color` (hex) a "•" bullet, otherwise no bullet at all (a
    template's master may give body paragraphs one), and never any space before.
    """
    p = etree.Element(qn("a:p"))
    # no hanging punctuation: LibreOffice would let a CJK "。" hang past the box's edge
    ppr = etree.SubElement(p, qn("a:pPr"), algn=align, hangingPunct="0")
    ppr.set("marL", str(indent))
    ppr.set("indent", str(-indent))
    spacing = str(int(line_spacing * 100000))
    etree.SubElement(etree.SubElement(ppr, qn("a:lnSpc")), qn("a:spcPct"), val=spacing)
    etree.SubElement(etree.SubElement(ppr, qn("a:spcBef")), qn("a:spcPts"), val="0")
    after = str(round(space_after * 100))
    etree.SubElement(etree.SubElement(ppr, qn("a:spcAft")), qn("a:spcPts"), val=after)
    if bullet_color:  # the bullet uses the text's own font
        clr = etree.SubElement(ppr, qn("a:buClr"))
        etree.SubElement(clr, qn("a:srgbClr"), val=bullet_color)
        etree.SubElement(ppr, qn("a:buChar"), char="•")
    else:
        etree.SubElement(ppr, qn("a:buNone"))
    return p


class RunFonts(NamedTuple):
    """The families a run names per script (`a:latin`, `a:ea`, `a:cs`, `a:sym`) and its
    language: a viewer picks one of the first three for each character by its script."""

    latin: str
    ea: str
    cs: str
    sym: str | None = None
    lang: str | None = None


def run_element(text: str, fonts: RunFonts, size: float, bold: bool,
                color: str | None, link_id: str | None):
    """Return an `a:r` of `text` at `size` points (rounded down to the 1/100 pt the
    format stores) in `fonts`; `color` None inherits (a template's title colour)."""
    run = etree.Element(qn("a:r"))
    rpr = etree.SubElement(run, qn("a:rPr"), sz=str(max(100, int(size * 100 + 1e-6))),
                           b="1" if bold else "0", dirty="0")
    if fonts.lang:
        rpr.set("lang", fonts.lang)
    if color:
        etree.SubElement(etree.SubElement(rpr, qn("a:solidFill")), qn("a:srgbClr"), val=color)
    etree.SubElement(rpr, qn("a:latin"), typeface=fonts.latin)
    etree.SubElement(rpr, qn("a:ea"), typeface=fonts.ea)
    etree.SubElement(rpr, qn("a:cs"), typeface=fonts.cs)
    if fonts.sym:
        etree.SubElement(rpr, qn("a:sym"), typeface=fonts.sym)
    if link_id:
        etree.SubElement(rpr, qn("a:hlinkClick")).set(_R_ID, link_id)
    etree.SubElement(run, qn("a:t")).text = text
    return run


# --- package: document properties, thumbnail, slide size type ---------------------------

_EP = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
_VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_THUMBNAIL = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail"
_SIZE_TYPES = {(9144000, 6858000): "screen4x3", (9144000, 5143500): "screen16x9",
               (9144000, 5715000): "screen16x10"}  # PowerPoint writes none for Widescreen


def write_app_properties(presentation, counts: dict[str, int], presentation_format: str,
                         titles: list[str]) -> None:
    """Rewrite docProps/app.xml (a plain part to python-pptx, #91): the application, the
    slide, note, word and paragraph `counts`, the format and the slide titles."""
    part = presentation.part.package.part_related_by(RT.EXTENDED_PROPERTIES)
    root = etree.Element(f"{{{_EP}}}Properties", nsmap={None: _EP, "vt": _VT})

    def add(tag: str, text: str):
        element = etree.SubElement(root, f"{{{_EP}}}{tag}")
        element.text = text
        return element

    add("TotalTime", "0")
    add("Application", "confgen")
    add("PresentationFormat", presentation_format)
    for tag, value in counts.items():
        add(tag, str(value))
    pairs = etree.SubElement(add("HeadingPairs", ""), f"{{{_VT}}}vector", baseType="variant",
                             size="4")
    masters = len(presentation.slide_masters)
    for label, count in (("Theme", masters), ("Slide Titles", len(titles))):
        _variant(pairs, "lpstr", label)
        _variant(pairs, "i4", str(count))
    names = [_theme_root_of(master)[1].get("name") or "Theme"
             for master in presentation.slide_masters] + titles
    parts = etree.SubElement(add("TitlesOfParts", ""), f"{{{_VT}}}vector", baseType="lpstr",
                             size=str(len(names)))
    for name in names:
        etree.SubElement(parts, f"{{{_VT}}}lpstr").text = name
    for tag in ("LinksUpToDate", "SharedDoc", "HyperlinksChanged"):
        add(tag, "false")
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _variant(vector, kind: str, text: str) -> None:
    variant = etree.SubElement(vector, f"{{{_VT}}}variant")
    etree.SubElement(variant, f"{{{_VT}}}{kind}").text = text


def _theme_root_of(master):
    """Return a master's theme part and its parsed XML."""
    part = master.part.part_related_by(RT.THEME)
    return part, etree.fromstring(part.blob)


def drop_thumbnail_and_printer_settings(presentation) -> None:
    """Drop the template's thumbnail (a picture of its own first slide) and printer
    settings: python-pptx has no API for either."""
    package = presentation.part.package
    for rid, rel in list(package._rels.items()):
        if rel.reltype == _THUMBNAIL:
            package.drop_rel(rid)
    for rid, rel in list(presentation.part.rels.items()):
        if rel.reltype == RT.PRINTER_SETTINGS:
            presentation.part.drop_rel(rid)


def tag_slide_size(presentation) -> None:
    """Set `p:sldSz/@type` to what the size is (python-pptx keeps the template's 4:3)."""
    size = presentation.part._element.find(qn("p:sldSz"))
    kind = _SIZE_TYPES.get((int(size.get("cx")), int(size.get("cy"))))
    if kind:
        size.set("type", kind)
    else:
        size.attrib.pop("type", None)


# --- embedded fonts ----------------------------------------------------------------------

_FONT_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/font"
FONTDATA = "application/x-fontdata"
_LIST_FOLLOWS = ("p:custShowLst", "p:photoAlbum", "p:custDataLst", "p:kinsoku",
                 "p:defaultTextStyle", "p:modifyVerifier", "p:extLst")


def embed_font(presentation, typeface: str, styles: dict[str, bytes]) -> None:
    """Embed font data (EOT, one blob per style: regular, bold, italic, boldItalic) as
    /ppt/fonts/fontN.fntdata parts listed in `p:embeddedFontLst` (python-pptx has no
    API for embedded fonts)."""
    from pptx.opc.package import Part

    root = presentation.part._element
    font_list = root.find(qn("p:embeddedFontLst"))
    if font_list is None:
        font_list = etree.Element(qn("p:embeddedFontLst"))
        following = next((root.find(qn(tag)) for tag in _LIST_FOLLOWS
                          if root.find(qn(tag)) is not None), None)
        if following is not None:
            following.addprevious(font_list)
        else:
            root.append(font_list)
    entry = etree.SubElement(font_list, qn("p:embeddedFont"))
    etree.SubElement(entry, qn("p:font"), typeface=typeface)
    package = presentation.part.package
    for style in ("regular", "bold", "italic", "boldItalic"):  # the schema's order
        if style in styles:
            part = Part(package.next_partname("/ppt/fonts/font%d.fntdata"), FONTDATA, package,
                        styles[style])
            rid = presentation.part.relate_to(part, _FONT_RT)
            etree.SubElement(entry, qn(f"p:{style}")).set(_R_ID, rid)
    root.set("embedTrueTypeFonts", "1")
