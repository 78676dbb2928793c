"""The library API behind the CLI: each stage reads its inputs, then writes its outputs.

`build` runs the stages top-down: draft what is missing, render panels, then the deck
(which shows the panels) and the newsletter (which links them). Every stage works on
`output_view(folder)`: when the reader selected papers of a whole venue, only those are
drafted and rendered, and the venue's numbers join the stats.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from pydantic import ValidationError

from .core.errors import ConfgenError, Problem
from .core.event import EVENT_FILE, EventFolder, check_event, output_view
from .core.hashing import content_hash, file_hash
from .core.models import slugify
from .core.progress import console, progress_bar
from .core.validation import validation_problems
from .core.yamlio import read_yaml, remove_stale_temp_files
from .drafting.backends import get_backend
from .drafting.summarize import SummarizeReport, plan_shown, summarize
from .incremental import Manifest, renderer_stamp
from .render.theme import load_theme
from .text.latex import has_latex

MANY_PAPERS = 300  # more than a talk shows: suggest `confgen select`
OFFLINE_NOTICE = ("note: no OPENAI_API_KEY or OPENAI_BASE_URL set; drafting with the offline "
                  "extractive drafter (use --backend openai to change)")


@dataclass
class DraftOptions:
    backend: str | None = None
    papers: list[str] = field(default_factory=list)
    force: bool = False
    concurrency: int = 8
    style: str = "talk"
    backend_options: dict = field(default_factory=dict)


@dataclass
class RenderOptions:
    output_root: Path = Path("output")
    theme: str = "light"
    template: Path | None = None
    layout: str = "comic"
    size: tuple[int, int] = (1200, 1500)
    scale: float = 1.0
    jobs: int = 1
    papers: list[str] = field(default_factory=list)
    pdf: bool = False
    png: bool = False
    newsletter_templates: Path | None = None
    art: bool = False

    def out_dir(self, folder: EventFolder) -> Path:
        return self.output_root / folder.slug


def choose_backend(requested: str | None) -> str:
    """Return the backend to use: the one asked for, openai when configured, else offline."""
    if requested:
        return requested
    if os.environ.get("OPENAI_API_KEY") or os.environ.get("OPENAI_BASE_URL"):
        return "openai"
    console.print(OFFLINE_NOTICE)
    return "offline"


def draft(folder: EventFolder, options: DraftOptions) -> SummarizeReport:
    """Draft the summaries that are missing or stale (all chosen ones with `force`)."""
    folder, todo = plan_shown(folder, options.papers or None, options.force)
    if len(folder.papers) > MANY_PAPERS and folder.venue is None:
        console.print(f"note: drafting all {len(folder.papers):,} papers; `confgen select "
                      f"{folder.root} --interests ...` picks the ones worth a talk")
    if not todo:
        return SummarizeReport(kept=[p.key for p in folder.papers])
    name = choose_backend(options.backend)
    backend = get_backend(name, **{"llm": folder.event.llm, "event_root": folder.root,
                                   **options.backend_options})
    with progress_bar("Drafting", len(todo)) as tally:
        return summarize(folder, backend, todo, concurrency=options.concurrency,
                         style=options.style, on_done=tally.advance)


def render_panels(folder: EventFolder, options: RenderOptions) -> list[Path]:
    from .render.panels.panel import render_panels as render

    folder = output_view(folder)
    out = options.out_dir(folder) / "panels"
    if options.art:
        _fetch_art(folder, options.papers or None)
    total = len([k for k in folder.summaries if not options.papers or k in options.papers])
    with progress_bar("Rendering panels", total) as tally:
        return render(folder, out, load_theme(options.theme), paper_ids=options.papers or None,
                      layout=options.layout, size=options.size, scale=options.scale,
                      jobs=options.jobs, art=options.art, on_done=tally.advance)


def _fetch_art(folder: EventFolder, paper_ids: list[str] | None) -> None:
    """Fill the art cache before rendering; failed images leave plain frames."""
    from .drafting.backends.openai.images import fetch_art

    frames = sum(len(s.comic) for k, s in folder.summaries.items()
                 if paper_ids is None or k in paper_ids)
    with progress_bar("Fetching art", frames) as tally:
        report = fetch_art(folder, paper_ids, on_done=tally.advance)
    for failure in report.failed:
        console.print(f"warning: {failure}", markup=False)


def render_deck(folder: EventFolder, options: RenderOptions) -> list[Path]:
    from .render.deck.build import export_pdf, export_pngs
    from .render.deck.build import render_deck as render

    folder = output_view(folder)
    out_dir = options.out_dir(folder)
    panels = out_dir / "panels"
    deck = render(folder, out_dir / "deck.pptx", load_theme(options.theme),
                  panels_dir=panels if panels.is_dir() else None, template=options.template)
    written = [deck]
    if options.pdf or options.png:
        pdf = export_pdf(deck, out_dir)
        written.append(pdf)
        if options.png:
            written += export_pngs(pdf, out_dir / "slides")
    return written


def render_newsletter(folder: EventFolder, options: RenderOptions) -> list[Path]:
    from .render.newsletter.newsletter import render_newsletter as render

    folder = output_view(folder)
    out_dir = options.out_dir(folder)
    panels = out_dir / "panels"
    return render(folder, out_dir, load_theme(options.theme),
                  panels_dir=panels if panels.is_dir() else None,
                  template_dir=options.newsletter_templates)


def _panel_stamps(folder: EventFolder, options: RenderOptions, summary_files: dict[str, str],
                  material: dict[str, list]) -> dict[str, str]:
    """Return {paper id: stamp of everything its panel is drawn from}."""
    look = (load_theme(options.theme).model_dump(), options.layout, options.size, options.scale,
            options.art)
    return {paper.key: content_hash(summary_files[paper.key], paper.model_dump(), look,
                                    material[paper.key][:2], renderer_stamp())
            for paper in folder.papers if paper.key in folder.summaries}


def _document_stamp(folder: EventFolder, options: RenderOptions, summary_files: dict,
                    panel_stamps: dict, material: dict[str, list]) -> str:
    return content_hash(folder.event.model_dump(), summary_files,
                        load_theme(options.theme).model_dump(),
                        file_hash(options.template) if options.template else None,
                        panel_stamps, material, renderer_stamp())


def _paper_material(folder: EventFolder) -> dict[str, list]:
    """Return, per paper, a stamp of its key figure (file, caption) and full text: a new
    figure or arXiv version re-renders the deck and newsletter."""
    stamps = {}
    for paper in folder.papers:
        figure = folder.key_figure(paper)
        shown = figure is not None and figure.path.is_file()
        stamps[paper.key] = [file_hash(figure.path) if shown else None,
                             (figure.caption, figure.credit) if figure else None,
                             content_hash(paper.fulltext.text) if paper.fulltext else None]
    return stamps


def build(folder: EventFolder, draft_options: DraftOptions,
          render_options: RenderOptions) -> tuple[SummarizeReport, list[Path]]:
    """Draft what is missing, then re-render only the outputs whose inputs changed."""
    errors = section_problems(folder)  # a typo in deck: or llm: stops the run before it starts
    if errors:
        raise ConfgenError(errors)
    folder = output_view(folder)
    report = draft(folder, draft_options)  # failures are reported by the caller
    out_dir = render_options.out_dir(folder)
    remove_stale_temp_files(out_dir)
    manifest = Manifest(out_dir)
    summary_files = {p.key: file_hash(folder.summary_path(p)) for p in folder.papers}
    material = _paper_material(folder)  # key figures and full texts, read once
    panel_stamps = _panel_stamps(folder, render_options, summary_files, material)
    stale = {key: value for key, value in panel_stamps.items()
             if not manifest.is_current(out_dir / "panels" / f"{key}.png", f"panel:{key}", value)}
    written = render_panels(folder, replace(render_options, papers=list(stale))) if stale else []
    manifest.record({f"panel:{key}": value for key, value in stale.items()})
    document = _document_stamp(folder, render_options, summary_files, panel_stamps,
                               material)
    stages = [("deck", out_dir / "deck.pptx", render_deck),
              ("newsletter", out_dir / "newsletter.html", render_newsletter)]
    exports = f"{document}:pdf={render_options.pdf}:png={render_options.png}"
    for name, output, render in stages:
        if not manifest.is_current(output, name, exports):
            written += render(folder, render_options)
            manifest.record({name: exports})
    return report, written


def check(folder: EventFolder, theme: str = "light") -> tuple[list, list]:
    """Return (errors, warnings): the event, its summaries, and text that cannot fit a panel."""
    from .render.panels.panel import check_panels

    view = output_view(folder)
    errors, warnings = check_event(view)
    errors += section_problems(folder)
    warnings += content_warnings(view)
    warnings += check_panels(folder, load_theme(theme))
    return errors, warnings


def section_problems(folder: EventFolder) -> list[Problem]:
    """Return every problem of the `deck:` and `llm:` sections, located, with did-you-mean."""
    from .drafting.backends.openai.settings import LLMSettings
    from .render.deck.config import DeckConfig, deck_config

    source = folder.root / EVENT_FILE
    doc, problems = None, []  # event.yaml is read again only to locate a problem
    for name, model in (("deck", DeckConfig), ("llm", LLMSettings)):
        try:
            model.model_validate(getattr(folder.event, name) or {})
        except ValidationError as exc:
            doc = doc or read_yaml(source)
            problems += validation_problems(doc, model, exc, prefix=(name,))
    if not problems:
        try:
            deck_config(folder.event.deck, source, [p.key for p in folder.papers])
        except ConfgenError as exc:
            problems += exc.problems
    return problems


def content_warnings(folder: EventFolder) -> list[Problem]:
    """Warn about summaries that only repeat the title, hold raw LaTeX, or had no source."""
    warnings = []
    for paper in folder.papers:
        summary, path = folder.summaries.get(paper.key), folder.summary_path(paper)
        if summary is None:
            continue
        if not paper.source_text.strip():
            warnings.append(Problem(path, None, "drafted from an empty source: the paper has "
                                    "no abstract, notes or text, so this can only repeat its "
                                    "title; add its abstract to event.yaml and redraft"))
        title = slugify(paper.title, limit=1000)
        warnings += [Problem(path, None, f"{name}: only repeats the title")
                     for name in ("tldr", "what_was_done")
                     if slugify(getattr(summary, name), limit=1000) == title]
        for name, text in _displayed_texts(summary):
            if has_latex(text):
                warnings.append(Problem(path, None, f"{name}: raw LaTeX {text[:60]!r}; write "
                                        "it as plain text (e.g. O(√n) for $O(\\sqrt{n})$)"))
    return warnings


def _displayed_texts(summary) -> list[tuple[str, str]]:
    """Return (field, text) for every text a reader sees, a frame as one text (unlike
    `core.grounding.summary_texts`, which lists what grounding checks)."""
    texts = [(name, getattr(summary, name)) for name in ("tldr", "what_was_done",
                                                         "why_it_matters")]
    texts += [(f"key_points[{i}]", p) for i, p in enumerate(summary.key_points)]
    texts += [(f"comic[{i}]", f"{f.caption} " + " ".join(line.text for line in f.lines))
              for i, f in enumerate(summary.comic)]
    return texts


def ensure_renderable(folder: EventFolder) -> None:
    """Refuse to render from summary files that do not validate."""
    if folder.summary_problems:
        raise ConfgenError(folder.summary_problems)
