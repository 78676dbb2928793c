"""Fonts a viewer may lack: say so once per build, and embed them the way PowerPoint does.

The built-in themes name only families every viewer has (`fonts.viewers_have`). A user's
theme or template may name another (Inter, or a corporate font installed on the
building machine): confgen then warns once, naming it, and embeds its TrueType files
when the font's licence allows (OS/2 `fsType` not "restricted" or "bitmap only"), so
PowerPoint on Windows and Mac shows it; Keynote, Google Slides and LibreOffice 7.4
ignore embedded fonts and substitute their own.

PresentationML embeds a font as `/ppt/fonts/fontN.fntdata` parts named in
`p:embeddedFontLst` (ECMA-376 Part 1, §19.2.1.9-10). The part holds an Embedded
OpenType (EOT) file; this module writes EOT version 0x00010000, uncompressed and
unobfuscated, as the W3C EOT submission describes, around the font's own bytes.
Fonts with PostScript (CFF) outlines, such as the bundled Inter .otf files, cannot be
embedded this way. PowerPoint itself was not available to check the result: the tests
check the structure against the specification, not PowerPoint's behaviour.
"""

from __future__ import annotations

import io
import struct
from pathlib import Path

from fontTools.ttLib import TTFont

from ...text import fonts
from . import oxml

RESTRICTED, BITMAP_ONLY = 0x0002, 0x0200
EOT_VERSION = 0x00010000
EOT_MAGIC = 0x504C


def embeddable(path: Path) -> str | None:
    """Return why the font file at `path` cannot be embedded, or None if it can."""
    with TTFont(path, lazy=True) as font:
        if "glyf" not in font:
            return "it has PostScript outlines (PowerPoint embeds TrueType fonts only)"
        fs_type = font["OS/2"].fsType
    if fs_type & 0x000F == RESTRICTED or fs_type & BITMAP_ONLY:
        return f"its licence forbids embedding (OS/2 fsType {fs_type:#06x})"
    return None


def eot(ttf: bytes) -> bytes:
    """Return `ttf` wrapped in an uncompressed EOT 1.0 header (W3C EOT submission)."""
    font = TTFont(io.BytesIO(ttf), lazy=True)
    os2, name = font["OS/2"], font["name"]
    p = os2.panose
    panose = bytes([p.bFamilyType, p.bSerifStyle, p.bWeight, p.bProportion, p.bContrast,
                    p.bStrokeVariation, p.bArmStyle, p.bLetterForm, p.bMidline, p.bXHeight])
    header = struct.pack("<IIII", 0, len(ttf), EOT_VERSION, 0)  # EOTSize set below; no flags
    header += panose + struct.pack("<BBIHH", 1, os2.fsSelection & 1, os2.usWeightClass,
                                   os2.fsType, EOT_MAGIC)
    header += struct.pack("<IIIIII", os2.ulUnicodeRange1, os2.ulUnicodeRange2,
                          os2.ulUnicodeRange3, os2.ulUnicodeRange4,
                          getattr(os2, "ulCodePageRange1", 0), getattr(os2, "ulCodePageRange2", 0))
    header += struct.pack("<I", font["head"].checkSumAdjustment) + bytes(16)  # + 4 reserved
    header += struct.pack("<H", 0)  # Padding1
    names = b""
    for index, name_id in enumerate((1, 2, 5, 4)):  # family, style, version, full name
        text = (name.getDebugName(name_id) or "").encode("utf-16-le")
        names += struct.pack("<H", len(text)) + text + (b"\0\0" if index < 3 else b"")
    data = bytearray(header + names + ttf)
    struct.pack_into("<I", data, 0, len(data))
    return bytes(data)


def viewer_fonts(prs, families: list[str], warn) -> None:
    """Warn once about each of `families` a viewer may lack; embed those we can."""
    for family in dict.fromkeys(families):
        if fonts.viewers_have(family):
            continue
        files = fonts.font_files(family) if fonts.canonical(family) else {}
        styles = {style: path for style, path in files.items() if style in ("regular", "bold")}
        reasons = {embeddable(path) for path in styles.values()} - {None}
        message = (f"the deck names the font {family!r}, which PowerPoint, Keynote and Google "
                   "Slides may not have; they substitute another font, and text may not fit")
        if styles and not reasons:
            oxml.embed_font(prs, family, {style: eot(path.read_bytes())
                                          for style, path in styles.items()})
            message += " (it is embedded in the deck for PowerPoint)"
        elif reasons:
            message += f" (not embedded: {sorted(reasons)[0]})"
        warn(message)
