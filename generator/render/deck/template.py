"""Build the deck on a .pptx template: the user's own, or python-pptx's default.

A user's template brings its slide masters, layouts and placeholders. Each kind of
slide (title, section, content, paper, blank) is mapped to a layout by name, with a
fallback when no name matches; titles, bodies and pictures go into the layout's
placeholders, and the text is still measured and fitted like everywhere else. Colours
come from the template's theme, and so do its fonts when confgen bundles them (text
can only be fitted with a font we can measure); otherwise the theme's fonts are named
explicitly on every run.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.exc import PackageNotFoundError
from pptx.util import Emu

from ...core.errors import ConfgenError, Problem
from ...text import fonts
from ..geometry import Box
from ..theme import Theme
from . import oxml, units

WIDESCREEN = (Emu(12192000), Emu(6858000))  # 13.333 in x 7.5 in: our own design
ASPECTS = (16 / 9, 4 / 3, 16 / 10)  # template shapes laid out (at any size)
ASPECT_TOLERANCE = 0.01  # Inches(13.333) is 305 EMU short of Widescreen, 0.002 %
MIN_BODY_H = 150.0  # a smaller body placeholder (a caption) is not used for the body...
MIN_SECTION_BODY_H = 60.0  # ...except under a section title, where it lists the papers
# Layout names tried for each kind of slide, in order (case-insensitive, then as a part
# of the layout's name, so "ACME Title Slide" still matches "title slide").
LAYOUT_NAMES = {
    "title": ("Title Slide", "Title Page", "Cover", "Opening"),
    "section": ("Section Header", "Section Title", "Section", "Divider"),
    "content": ("Title and Content", "Title, Content", "Content", "Text"),
    "paper": ("Paper", "Title Only"),
    "blank": ("Blank", "Empty"),
}
# Placeholders a layout needs to serve each kind when no name matches, best first.
FALLBACK_NEEDS = {
    "title": (("title", "subtitle"), ("title",)),
    "section": (("title", "body"), ("title",)),
    "content": (("title", "body"), ("title",)),
    "paper": (("title",),),
    "blank": ((),),
}
PLACEHOLDERS = {
    "title": (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE),
    "subtitle": (PP_PLACEHOLDER.SUBTITLE,),
    "body": (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT),
    "picture": (PP_PLACEHOLDER.PICTURE,),
}


@dataclass(frozen=True)
class Frame:
    """Where a kind of slide puts its title, body and picture (points)."""

    title: Box
    body: Box
    picture: Box | None = None
    subtitle: Box | None = None


def open_template(path: Path | None) -> Presentation:
    """Open the user's template (or the default), without its sample slides."""
    if path is None:
        prs = Presentation()
        prs.slide_width, prs.slide_height = WIDESCREEN
        _no_autofit_or_caps(prs)
        return prs
    path = Path(path)
    try:
        prs = Presentation(str(path))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        raise ConfgenError([Problem(path, None, f"cannot open as a .pptx template: {exc}")]) \
            from None
    aspect = prs.slide_width / prs.slide_height
    if not any(abs(aspect / wanted - 1) <= ASPECT_TOLERANCE for wanted in ASPECTS):
        raise ConfgenError([Problem(path, None, (
            f"slides are {Emu(prs.slide_width).inches:.4g} x {Emu(prs.slide_height).inches:.4g}"
            " in; confgen lays out 16:9 (e.g. 13.333 x 7.5 or 10 x 5.625 in), 4:3 "
            "(10 x 7.5 in) and 16:10 slides (PowerPoint: Design > Slide Size)"))])
    oxml.drop_slides(prs)
    _no_autofit_or_caps(prs)
    return prs


def title_only_layout(prs):
    """Return the default template's "Title Only" layout: our own design draws every
    shape but the title, which stays the layout's title placeholder."""
    return _by_name(list(prs.slide_layouts), ("Title Only",), exact=True)


def _no_autofit_or_caps(prs) -> None:
    """Turn off autofit and all-caps in the template's masters and layouts.

    LibreOffice applies a master's shrink-on-overflow even where a slide says
    `noAutofit`, and all-caps text is wider than the text we measured; the fitted sizes
    already keep every word in its box.
    """
    parts = [master for master in prs.slide_masters]
    parts += [layout for master in prs.slide_masters for layout in master.slide_layouts]
    for part in parts:
        oxml.no_autofit_or_caps(part.element)


def choose_layouts(prs, overrides: dict[str, str], source: Path | None) -> dict[str, object]:
    """Map each kind of slide to a layout: the named override, a known name, or a fallback."""
    layouts = list(prs.slide_layouts)
    chosen = {}
    for kind, names in LAYOUT_NAMES.items():
        wanted = overrides.get(kind)
        if wanted:
            match = _by_name(layouts, (wanted,), exact=True)
            if match is None:
                known = ", ".join(repr(layout.name) for layout in layouts)
                raise ConfgenError([Problem(source, None, f"deck.layouts.{kind}: the template "
                                            f"has no layout named {wanted!r} (it has {known})")])
        else:
            match = _by_name(layouts, names) or _fallback(layouts, kind)
        chosen[kind] = match
    return chosen


def _by_name(layouts: list, names: tuple[str, ...], exact: bool = False):
    for name in names:
        for layout in layouts:
            if layout.name.strip().casefold() == name.casefold():
                return layout
    if exact:
        return None
    for name in names:
        for layout in layouts:
            if name.casefold() in layout.name.casefold():
                return layout
    return None


def _fallback(layouts: list, kind: str):
    """Return the plainest layout with the placeholders `kind` needs (never a vertical one)."""
    def count(layout) -> int:
        return len([ph for ph in layout.placeholders if _role(ph) is not None])

    upright = [layout for layout in layouts if not _vertical(layout)]
    for needs in FALLBACK_NEEDS[kind]:
        pool = [layout for layout in upright or layouts
                if all(_find(layout.placeholders, role) is not None for role in needs)]
        if pool:
            return min(pool, key=count)
    return min(layouts, key=count)


def _vertical(layout) -> bool:
    """Say whether the layout sets text vertically (by its name or its text direction)."""
    return oxml.has_vertical_text(layout.element) or "vertical" in layout.name.casefold()


def _role(shape) -> str | None:
    kind = shape.placeholder_format.type
    return next((role for role, types in PLACEHOLDERS.items() if kind in types), None)


def _find(shapes, role: str):
    for shape in shapes:
        if shape.is_placeholder and _role(shape) == role:
            return shape
    return None


def placeholder(slide, role: str):
    """Return the slide's placeholder for `role` (title, subtitle, body, picture) or None."""
    return _find(slide.placeholders, role)


def box_of(shape) -> Box:
    """Return a placeholder's box in design units (see `units`)."""
    return units.design_box(shape, units.scale(shape.part))


def _usable(shape) -> bool:
    """Say whether a placeholder has a real box on the slide (some are degenerate)."""
    if shape is None:
        return False
    box = box_of(shape)
    width, height = units.design_size(shape.part.package.presentation_part.presentation)
    return (box.w >= 40 and box.h >= 40 and box.x >= 0 and box.y >= 0
            and box.x + box.w <= width + 1 and box.y + box.h <= height + 1)


def layout_frame(layout, default: Frame, kind: str = "content") -> Frame:
    """Return the layout's placeholder boxes, with `default` for those it lacks."""
    shapes = layout.placeholders
    found = {role: _find(shapes, role) for role in PLACEHOLDERS}
    found = {role: shape if _usable(shape) else None for role, shape in found.items()}
    title = box_of(found["title"]) if found["title"] is not None else default.title
    least = MIN_SECTION_BODY_H if kind == "section" else MIN_BODY_H
    if found["body"] is not None and box_of(found["body"]).h >= least:
        body = box_of(found["body"])
    else:  # below the template's title, down to the footer zone, or above a low title
        top = max(default.body.y, title.y + title.h + 12)
        bottom = default.body.y + default.body.h
        if bottom - top < least and title.y - 52 > bottom - top:
            top, bottom = 40.0, title.y - 12
        body = Box.at(default.body.x, top, default.body.w, bottom - top)
    picture = box_of(found["picture"]) if found["picture"] is not None else default.picture
    subtitle = box_of(found["subtitle"]) if found["subtitle"] is not None else default.subtitle
    return Frame(title, body, picture, subtitle)


def drop_empty_placeholders(slide) -> None:
    """Remove placeholders left empty, so no "Click to add text" shows in the deck."""
    for shape in list(slide.placeholders):
        if not (shape.has_text_frame and shape.text_frame.text):
            oxml.remove_shape(shape)


# --- theme part ------------------------------------------------------------------------

def template_theme(prs, base: Theme, warn=None) -> Theme:
    """Return `base` with the template theme's colours, and its fonts where measurable.

    The template's fonts are kept unless the theme sets `layout: {template_fonts:
    false}`; one confgen cannot measure (not bundled, no bundled twin, not installed)
    is replaced by the theme's, and `warn` is told.
    """
    scheme, latin = oxml.read_theme(prs)
    colors = dict(base.colors)
    for ours, theirs in (("text", "dk1"), ("background", "lt1"), ("accent", "accent1"),
                         ("accent_2", "accent2"), ("link", "hlink"), ("surface", "lt2"),
                         ("on_accent", "lt1")):
        if scheme.get(theirs):
            colors[ours] = "#" + scheme[theirs]
    theme_fonts = dict(base.fonts)
    keep = base.layout.get("template_fonts", True)
    for ours, theirs in (("heading", "majorFont"), ("body", "minorFont")):
        family = latin.get(theirs)
        if not (keep and family) or family.startswith("+"):
            continue
        if fonts.canonical(family) is not None:
            theme_fonts[ours] = family
        elif warn is not None:
            warn(f"the template's {ours} font {family!r} cannot be measured (it is neither "
                 "bundled with confgen, nor a metric-compatible twin's, nor installed here); "
                 f"the deck uses {base.fonts[ours]!r} instead")
    return base.model_copy(update={"colors": colors, "fonts": theme_fonts})


def apply_theme(prs, theme: Theme) -> None:
    """Write the theme's colours and fonts into the deck's own theme part.

    PowerPoint and LibreOffice draw hyperlinks in the theme's link colour whatever the
    run says, and a user who adds a slide by hand should get the deck's look, with the
    same per-script fonts as the deck's runs (not the template's 2007 choices).
    """
    pairs = {"dk1": "text", "lt1": "background", "dk2": "text", "lt2": "surface",
             "accent1": "accent", "accent2": "accent_2", "hlink": "link", "folHlink": "link"}
    scripts = {"Jpan": fonts.script_font("ja"), "Hang": fonts.script_font("ko"),
               "Hans": fonts.script_font("zh"), "Arab": "Arial", "Hebr": "Arial"}
    oxml.write_theme(prs, {slot: theme.color(role) for slot, role in pairs.items()},
                     {"majorFont": theme.fonts["heading"], "minorFont": theme.fonts["body"]},
                     scripts)
