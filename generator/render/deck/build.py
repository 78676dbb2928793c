"""Render an event's trip-report deck: one thin entry point over the slide builders.

`render_deck` reads only the event folder (and the panels already rendered), chooses
the sections from the event's `deck:` settings, draws every slide on a blank layout
with fitted native text, and writes the .pptx atomically.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from pathlib import Path

from ...core.event import EventFolder
from ...core.yamlio import write_atomic
from ..theme import Theme
from . import embed, package, sections
from .config import deck_config
from .data import DeckInput
from .oxml import fast_package
from .slides import Deck
from .template import (
    apply_theme,
    choose_layouts,
    open_template,
    template_theme,
    title_only_layout,
)

BUILDERS: dict[str, Callable[[Deck, DeckInput], object]] = {
    "title": sections.title_section,
    "agenda": sections.agenda_section,
    "stats": sections.stats_section,
    "trends": sections.trends_section,
    "awards": sections.awards_section,
    "top_picks": sections.top_picks_section,
    "chart": sections.chart_section,
    "papers": sections.papers_section,
    "talks": sections.talks_section,
    "other_papers": sections.other_papers_section,
    "reading_list": sections.reading_list_section,
    "closing": sections.closing_section,
}


def build_deck(folder: EventFolder, theme: Theme, panels_dir: Path | None = None,
               template: Path | None = None, warn: Callable[[str], None] | None = None):
    """Return the python-pptx Presentation for the event (not yet saved).

    `warn` (default: print to stderr) hears, once each, about fonts a viewer may lack.
    """
    warn = warn or _print_warning
    source = folder.root / "event.yaml"
    config = deck_config(folder.event.deck, source, [p.key for p in folder.papers])
    if folder.venue is not None and "sections" not in folder.event.deck:
        config.sections.insert(config.sections.index("stats") + 1, "chart")  # venue counts
    prs = open_template(template)
    fast_package(prs)
    layouts = choose_layouts(prs, config.layouts, source)
    if template is not None:
        theme = template_theme(prs, theme, warn)
    else:  # our own design: every slide starts with just a title and draws its own shapes
        layouts = dict.fromkeys(layouts, title_only_layout(prs))
        apply_theme(prs, theme)
    deck = Deck(prs, theme, _footer(folder), layouts, templated=template is not None)
    data = DeckInput.of(folder, config, panels_dir)
    for name in config.sections:
        BUILDERS[name](deck, data)
    package.describe(prs, folder, config, templated=template is not None)
    embed.viewer_fonts(prs, list(theme.fonts.values()), warn)
    return prs


def _print_warning(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr)


def render_deck(folder: EventFolder, out_path: Path, theme: Theme,
                panels_dir: Path | None = None, template: Path | None = None,
                warn: Callable[[str], None] | None = None) -> Path:
    """Write the event's deck to `out_path` (atomically) and return the path.

    With `template`, the deck is built on that .pptx: its masters, layouts (mapped by
    name, see `deck_template.LAYOUT_NAMES`, or by the event's `deck.layouts`) and
    placeholders, with its theme's colours and, where bundled, fonts.
    """
    prs = build_deck(folder, theme, panels_dir, template, warn)
    buffer = io.BytesIO()
    prs.save(buffer)
    write_atomic(Path(out_path), buffer.getvalue())
    return Path(out_path)


def _footer(folder: EventFolder) -> str:
    event = folder.event
    return " · ".join(part for part in (event.name, event.presenter) if part)


def export_pdf(pptx: Path, out_dir: Path | None = None, timeout: float = 180) -> Path:
    """Render `pptx` to `<out_dir>/<stem>.pdf` with LibreOffice (default: beside the deck)."""
    from .libreoffice import convert

    return convert(Path(pptx), Path(out_dir) if out_dir else Path(pptx).parent, "pdf", timeout)


def export_pngs(pdf: Path, out_dir: Path, dpi: int = 100) -> list[Path]:
    """Render every page of the deck's PDF to `out_dir/slide-NN.png`; return them in order."""
    from .libreoffice import pdf_to_pngs

    return pdf_to_pngs(Path(pdf), Path(out_dir), dpi=dpi)
