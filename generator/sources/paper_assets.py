"""`confgen add --figures --fulltext` for arXiv papers: fetch each paper's files and
turn them into figure images with an index and a stored full text.

Nothing is written here: `collect_assets` returns, per paper, the files to write
(relative to the event folder) and one line per thing that was missing, which
`add_papers` writes after event.yaml validates, like every other file of `add`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..core.figures import FIGURES_DIR, INDEX, FigureEntry, FigureIndex, index_yaml
from ..core.fulltext import FULLTEXT_DIR, FullText, fulltext_yaml
from ..core.images import image_bytes_problem
from ..core.progress import progress_bar
from .arxiv import base_id
from .arxiv_files import ArxivFilesClient, PaperFiles, UnreadableFiles
from .figure_images import FigureProblem, bounded, figure_image, png_bytes
from .latex_source import read_latex
from .pdf_figures import figure_png, find_figures, pdf_text

WITHDRAWN_CHARS = 4000  # a withdrawal notice is a few lines, never a paper
_WITHDRAWN = re.compile(r"(?i)\b(?:paper|article|submission|manuscript|version) (?:has been|"
                        r"is|was) withdrawn|\bwithdrawn by (?:the )?authors?\b")


@dataclass
class Assets:
    """What one paper brings: files to write (path in the event folder -> bytes), notes."""

    files: dict[str, bytes] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def collect_assets(papers: list[tuple[str, str]], client: ArxivFilesClient, figures: bool,
                   fulltext: bool) -> dict[str, Assets]:
    """Return the assets of every (paper key, arXiv id), fetching each paper's files."""
    result = {}
    with progress_bar("arXiv files", len(papers)) as tally:
        for key, arxiv in papers:
            try:
                files = client.fetch(arxiv)
            except UnreadableFiles as exc:
                result[key] = Assets(notes=[f"arXiv:{arxiv}: no LaTeX source or PDF could be "
                                            f"read ({exc}); added without figures or full text"])
                tally.advance(key, "failed")
                continue
            result[key] = paper_assets(key, files, figures, fulltext)
            tally.advance(key)
    return result


def paper_assets(key: str, files: PaperFiles, figures: bool, fulltext: bool) -> Assets:
    """Return the figure images, their index and the full text of one paper's files."""
    assets = Assets()
    label = f"arXiv:{base_id(files.arxiv)}"
    if files.skipped:
        assets.notes.append(f"{label}: left out {len(files.skipped)} unsafe or special archive "
                            f"member(s) ({', '.join(files.skipped[:3])})")
    if files.kind == "latex":
        paper = read_latex(files.files)
        sections, source = paper.sections, "latex"
        text = " ".join(data.decode("utf-8", "replace") for name, data in files.files.items()
                        if name.endswith(".tex"))
    else:
        sections, source = pdf_text(files.pdf or b""), "pdf"
        text = " ".join(section.text for section in sections)
        label += " PDF"
    if len(text) < WITHDRAWN_CHARS and _WITHDRAWN.search(text):
        return Assets(notes=[f"arXiv:{files.arxiv} is withdrawn (its latest version is a "
                             "withdrawal notice); added without figures or full text"])
    entries = []
    if figures and files.kind == "latex":
        entries = _latex_figures(key, files, paper.figures, assets)
    elif figures:
        entries = _pdf_figures(key, files.pdf or b"", assets)
    if figures:
        if not any(e.file for e in entries):
            assets.notes.append(f"{label}: no figure with an image found")
        index = FigureIndex(source=label.removesuffix(" PDF"), figures=entries)
        assets.files[f"{FIGURES_DIR}/{key}/{INDEX}"] = index_yaml(index).encode()
    if fulltext:
        if not sections:
            assets.notes.append(f"{label}: no text found for the full text")
        else:
            full = FullText(source=source, arxiv=files.arxiv, sections=sections)
            assets.files[f"{FULLTEXT_DIR}/{key}.yaml"] = fulltext_yaml(full).encode()
    return assets


def _latex_figures(key: str, files: PaperFiles, found, assets: Assets) -> list[FigureEntry]:
    entries = []
    for figure in found:
        entry = FigureEntry(number=figure.number, caption=figure.caption, label=figure.label)
        if figure.missing:
            assets.notes.append(f"arXiv:{files.arxiv} Figure {figure.number}: "
                                f"{', '.join(figure.missing)} not in the source")
        if figure.files:
            try:
                data, suffix = figure_image([(f, files.files[f]) for f in figure.files])
                entry.file = _store(key, figure.number, data, suffix, assets)
            except FigureProblem as exc:
                assets.notes.append(f"arXiv:{files.arxiv} Figure {figure.number}: {exc}")
        entries.append(entry)
    return entries


def _pdf_figures(key: str, pdf: bytes, assets: Assets) -> list[FigureEntry]:
    entries = []
    for figure in find_figures(pdf):
        entry = FigureEntry(number=figure.number, caption=figure.caption, page=figure.page)
        try:
            data = png_bytes(bounded(figure_png(pdf, figure)))
            entry.file = _store(key, figure.number, data, ".png", assets)
        except FigureProblem as exc:
            assets.notes.append(f"{key} Figure {figure.number}: {exc}")
        entries.append(entry)
    return entries


def _store(key: str, number: int, data: bytes, suffix: str, assets: Assets) -> str:
    problem = image_bytes_problem(data)
    if problem:
        raise FigureProblem(problem)
    name = f"figure-{number}{suffix}"
    assets.files[f"{FIGURES_DIR}/{key}/{name}"] = data
    return name

