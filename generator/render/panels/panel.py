"""Render one explainer panel / comic PNG per paper.

`render_panel` composes a panel from a layout in templates/panels/ (comic, explainer,
card), a size and a theme; `render_panels` writes `<out_dir>/<id>.png` for every paper
with a summary, optionally across processes; `panel_problems` reports text that could
only be drawn by cutting it, for `confgen check`. Output is deterministic: the same
inputs give the same PNG bytes (no timestamps or other metadata are written).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

from PIL import Image

from ...core.art import cached_art
from ...core.errors import ConfgenError, Problem
from ...core.event import EventFolder
from ...core.figures import KeyFigure
from ...core.models import Event, Paper, Summary
from ...core.yamlio import write_atomic
from ...text.latex import unlatex_fields
from ..theme import Theme
from .blocks import (
    block_text_size,
    draw_footer,
    draw_headed_box,
    draw_header,
    draw_host,
    draw_key_numbers,
    draw_qr,
)
from .canvas import Canvas, TailRecord
from .comic import draw_frames
from .draw_text import TextRecord
from .figure import draw_figure
from .layout import Slot, load_layout, place, style
from .png import encode_png

NEWSLETTER = (1200, 1500)
MIN_PANELS_PER_PROCESS = 8  # starting a worker costs ~0.5 s, about ten panels
PNG_COMPRESSION = 3  # zlib level: 4+ costs twice the time for ~6% smaller files


@dataclass
class PanelResult:
    """A rendered panel with every text line drawn and every text-fit problem."""

    image: Image.Image
    records: list[TextRecord]
    problems: list[str]
    tails: list[TailRecord] = field(default_factory=list)


def render_panel(event: Event, paper: Paper, summary: Summary | None, theme: Theme,
                 layout: str = "comic", size: tuple[int, int] = NEWSLETTER,
                 scale: float = 1.0, art: bool = False,
                 figure: KeyFigure | None = None) -> Image.Image:
    """Return the panel for one paper as an RGB image of `size` × `scale` pixels.

    With `art`, comic frames use backdrops already in the art cache (`generator.core.art`);
    `figure` (the paper's key figure) is shown by layouts that ask for it.
    """
    return render_panel_detailed(event, paper, summary, theme, layout, size, scale, art,
                                 figure).image


def render_panel_detailed(event: Event, paper: Paper, summary: Summary | None, theme: Theme,
                          layout: str = "comic", size: tuple[int, int] = NEWSLETTER,
                          scale: float = 1.0, art: bool = False,
                          figure: KeyFigure | None = None) -> PanelResult:
    """Render a panel and return it with its text records and problems (for tests, check)."""
    canvas = _compose(event, paper, summary, theme, layout, size, scale, art, figure)
    return PanelResult(canvas.render(), canvas.records, canvas.problems, canvas.tails)


def _compose(event: Event, paper: Paper, summary: Summary | None, theme: Theme, layout: str,
             size: tuple[int, int], scale: float, art: bool = False,
             figure: KeyFigure | None = None) -> Canvas:
    """Lay out and fit a panel: its drawing queued on a canvas, its problems known."""
    width, height = round(size[0] * scale), round(size[1] * scale)
    if scale <= 0 or min(width, height) < 100:
        raise ConfgenError(f"panel size {width}×{height} is too small")
    data = load_layout(layout)
    canvas = Canvas(width, height, min(width, height) / 1000, theme, _style(data))
    bar = canvas.px(canvas.style["shapes"].get("top_bar", 0))
    if bar:
        canvas.ground.append(lambda pen: pen.rect((0, 0, width, bar),
                                                 fill=canvas.color("accent")))
    slots = place(data, width, height, canvas.unit)
    # The art cache and problem messages know the paper as written, LaTeX and all.
    backdrops = [cached_art(paper, frame) for frame in summary.comic] if art and summary else None
    where = f"panel {paper.key} ({layout})"
    paper, summary = unlatex_fields(paper), unlatex_fields(summary)  # no `$…$` on a panel
    block_cap = _shared_block_size(canvas, slots, summary)
    for slot in slots:
        _fill(canvas, slot, event, paper, summary, where, block_cap, backdrops, figure)
    return canvas


def _style(layout: dict) -> dict:
    """Return the shared style with the layout's own text sizes laid over it."""
    shared = style()
    return {**shared, "text": {**shared["text"], **(layout.get("text") or {})}}


BLOCKS = {"what_was_done": "What was done", "why_it_matters": "Why it matters"}


def _shared_block_size(canvas: Canvas, slots: list[Slot], summary: Summary | None) -> float | None:
    """Return one text size for the what/why blocks, so they read as a pair."""
    if summary is None:
        return None
    sizes = [block_text_size(canvas, slot.box, BLOCKS[slot.name], getattr(summary, slot.name))
             for slot in slots if slot.name in BLOCKS]
    return min(sizes, default=None)


def _fill(canvas: Canvas, slot: Slot, event: Event, paper: Paper, summary: Summary | None,
          where: str, block_cap: float | None = None, backdrops: list | None = None,
          figure: KeyFigure | None = None) -> None:
    """Queue the drawing of one layout slot; slots that need a summary wait for one."""
    name, box, options = slot.name, slot.box, slot.options
    if name == "host" and options.get("figure") and figure is not None:
        draw_figure(canvas, box, figure, where)
    elif name == "header":
        draw_header(canvas, box, event, paper, summary, where, tldr=options.get("tldr", True))
    elif name == "footer":
        draw_footer(canvas, box, paper, where, qr=options.get("qr", False))
    elif name == "qr":
        draw_qr(canvas, box, paper, where)
    elif summary is None:
        return
    elif name == "frames":
        draw_frames(canvas, box, summary.comic, where, options.get("aspect", 1.2), backdrops,
                    options.get("columns"))
    elif name in BLOCKS:
        draw_headed_box(canvas, box, BLOCKS[name], getattr(summary, name),
                   "accent" if name == "what_was_done" else "accent_2", f"{where} {name}",
                   size_cap=block_cap)
    elif name == "key_numbers":
        draw_key_numbers(canvas, box, summary, where)
    elif name == "host":
        draw_host(canvas, box, summary, where)
    else:
        raise ConfgenError(f"panel layout slot {name!r} is unknown")


def png_bytes(image: Image.Image, photo: bool = False) -> bytes:
    """Encode `image` as PNG with no metadata, so equal images give equal bytes.

    Drawn panels compress best unfiltered (see panel_png); `photo` panels, with art
    backdrops, use PNG's row filters, which suit photographs.
    """
    return encode_png(image, PNG_COMPRESSION, filtered=photo)


def panel_problems(event: Event, paper: Paper, summary: Summary | None, theme: Theme,
                   layout: str = "comic", size: tuple[int, int] = NEWSLETTER,
                   scale: float = 1.0) -> list[str]:
    """Return a message for every text of the panel that cannot fit even at its floor.

    Fitting finds every problem, so nothing is drawn.
    """
    return _compose(event, paper, summary, theme, layout, size, scale).problems


def check_panels(folder: EventFolder, theme: Theme, layout: str = "comic",
                 size: tuple[int, int] = NEWSLETTER) -> list[Problem]:
    """Return a warning, located at the summary file, for every text of every panel that
    cannot fit even at its floor (for `confgen check`)."""
    problems: list[Problem] = []
    for paper in folder.papers:
        summary = folder.summaries.get(paper.key)
        if summary is not None:
            problems += [Problem(folder.summary_path(paper), None, message) for message in
                         panel_problems(folder.event, paper, summary, theme, layout, size)]
    return problems


@dataclass(frozen=True)
class _Job:
    event: Event
    paper: Paper
    summary: Summary
    theme: Theme
    layout: str
    size: tuple[int, int]
    scale: float
    path: Path
    art: bool = False
    figure: KeyFigure | None = None


def _run(job: _Job) -> Path:
    image = render_panel(job.event, job.paper, job.summary, job.theme, job.layout, job.size,
                         job.scale, job.art, job.figure)
    write_atomic(job.path, png_bytes(image, photo=job.art))
    return job.path


def render_panels(folder: EventFolder, out_dir: Path, theme: Theme,
                  paper_ids: list[str] | None = None, layout: str = "comic",
                  size: tuple[int, int] = NEWSLETTER, scale: float = 1.0,
                  jobs: int = 1, art: bool = False,
                  on_done: Callable[[str], None] = lambda _key: None) -> list[Path]:
    """Write `out_dir/<id>.png` for each selected paper with a summary; return the paths.

    `jobs` > 1 renders in up to that many processes (0: one per CPU core), when there
    are enough panels to pay for starting them; the bytes written are the same.
    `on_done(paper_id)` is called as each panel is written (for a progress bar).
    """
    load_layout(layout)  # fail before rendering anything when the layout is unknown
    papers = _select(folder, paper_ids)
    # each job carries a slim event (no paper list) so workers do not unpickle every paper
    event = folder.event.model_copy(update={"papers": []})
    work = [_Job(event, paper, folder.summaries[paper.key], theme, layout, tuple(size), scale,
                 Path(out_dir) / f"{paper.key}.png", art, folder.shown_figure(paper))
            for paper in papers if paper.key in folder.summaries]
    jobs = min(worker_count(jobs), len(work) // MIN_PANELS_PER_PROCESS)
    if jobs <= 1:
        return [_reported(_run(job), on_done) for job in work]
    with ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("spawn")) as pool:
        chunks = max(1, len(work) // (jobs * 8))
        return [_reported(path, on_done) for path in pool.map(_run, work, chunksize=chunks)]



def _reported(path: Path, on_done: Callable[[str], None]) -> Path:
    on_done(path.stem)
    return path


def worker_count(jobs: int) -> int:
    """Return how many processes `jobs` asks for: itself, or one per usable core for 0."""
    if jobs > 0:
        return jobs
    usable = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
    return len(usable) if usable else os.cpu_count() or 1


def _select(folder: EventFolder, paper_ids: Iterable[str] | None) -> list[Paper]:
    if paper_ids is None:
        return list(folder.papers)
    known = {paper.key: paper for paper in folder.papers}
    unknown = [pid for pid in paper_ids if pid not in known]
    if unknown:
        raise ConfgenError(f"no paper with id {', '.join(map(repr, unknown))} in "
                           f"{folder.slug}; ids: {', '.join(known)}")
    return [known[pid] for pid in paper_ids]
