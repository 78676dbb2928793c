"""A paper's figures in the event folder: `figures/<id>/` and its index `figures.yaml`.

`confgen add --figures` writes one image per figure of the paper with an index entry
(number, caption, label, file). A paper's `figure:` picks its key figure: a number
(`3`), a label (`fig:teaser`) or a path in the event folder; without one, the key
figure is Figure 1 (papers usually open with their teaser), else the first figure
that has an image.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from .errors import ConfgenError, Problem
from .yamlio import dump_yaml, read_yaml

FIGURES_DIR = "figures"
INDEX = "figures.yaml"


class FigureEntry(BaseModel):
    """One figure of a paper as the index lists it; `file` is relative to the index."""

    model_config = ConfigDict(extra="forbid")
    number: int
    caption: str = ""
    label: str = ""
    file: str = ""
    page: int | None = None  # for figures found in a PDF


class FigureIndex(BaseModel):
    model_config = ConfigDict(extra="forbid")
    source: str = ""  # "arXiv:2505.06708" (LaTeX source) or "arXiv:2505.06708 PDF"
    figures: list[FigureEntry] = []


@dataclass(frozen=True)
class KeyFigure:
    """The figure a slide shows: the image file, its caption and whose it is."""

    path: Path
    number: int | None = None
    caption: str = ""
    credit: str = ""  # "Figure 1 of arXiv:2505.06708"


def figures_dir(root: Path, key: str) -> Path:
    return root / FIGURES_DIR / key


def index_yaml(index: FigureIndex) -> str:
    return dump_yaml(index.model_dump(exclude_none=True))


def load_index(root: Path, key: str) -> FigureIndex | None:
    """Return the figure index of paper `key`, None when it has none."""
    path = figures_dir(root, key) / INDEX
    if not path.is_file():
        return None
    try:
        return FigureIndex.model_validate(read_yaml(path).data)
    except ValidationError as exc:
        raise ConfgenError([Problem(path, None, f"{'.'.join(map(str, e['loc']))}: {e['msg']}")
                            for e in exc.errors(include_url=False)]) from None


def key_figure(root: Path, key: str, choice: str | None) -> KeyFigure | None:
    """Return the figure `choice` names for paper `key` (see the module docstring).

    Raises ConfgenError naming the problem when `choice` is a number or label the index
    lacks, or a file that is not there."""
    index = load_index(root, key)
    entries = [e for e in (index.figures if index else []) if e.file]
    if choice is None or choice == "":
        entry = next((e for e in entries if e.number == 1), entries[0] if entries else None)
        return _of(root, key, entry, index) if entry else None
    entry = next((e for e in entries if str(e.number) == choice or (e.label and e.label == choice)),
                 None)
    if entry is not None:
        return _of(root, key, entry, index)
    if choice.isdigit() or (index and any(e.label == choice for e in index.figures)):
        known = ", ".join(str(e.number) for e in entries) or "none"
        raise ConfgenError(f"figure {choice!r}: paper {key} has no such figure with an image "
                           f"in {FIGURES_DIR}/{key}/{INDEX} (figures: {known})")
    return KeyFigure(root / choice)


def _of(root: Path, key: str, entry: FigureEntry, index: FigureIndex | None) -> KeyFigure:
    source = index.source if index and index.source else key
    return KeyFigure(figures_dir(root, key) / entry.file, entry.number, entry.caption,
                     f"Figure {entry.number} of {source}")
