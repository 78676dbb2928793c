"""What every source returns: a paper, where it came from, and which fields are guesses."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..core.models import Paper


@dataclass
class Found:
    """A paper read from a source, before it is merged into event.yaml.

    `guessed` names fields a source could only guess (a PDF's title): they fill a blank
    but never replace what the event already has. `pdf` is the local file, if any, that
    `--figures` extracts a figure from.
    """

    paper: Paper
    origin: str
    guessed: frozenset[str] = frozenset()
    pdf: Path | None = None
    figure: tuple[bytes, str] | None = field(default=None, repr=False)
    note: str = ""  # what the user should know about this paper (a PDF without text)
    version: str = ""  # the arXiv id with the version the metadata describes (2505.06708v3)


def normalise_title(title: str) -> str:
    """Return `title` folded for comparison: ASCII, lower case, words only."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return " ".join(re.findall(r"[a-z0-9]+", ascii_text.lower()))
