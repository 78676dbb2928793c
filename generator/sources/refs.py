"""Tell what each REF given to `confgen add` is: an arXiv id, an OpenReview note, a file.

Files win over patterns (a file named like an id is still a file); folders stand for the
.pdf and .bib files inside them. A `--list` file holds one title or id per line; lines
that are neither an id nor a URL are titles, looked up on arXiv.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ..core.errors import ConfgenError, Problem
from ..text.latex import clean_latex
from .arxiv import parse_arxiv_ref
from .openreview import looks_like_note_id, parse_openreview_ref

Kind = Literal["arxiv", "openreview", "bibtex", "pdf", "title", "paperlist"]
FILE_KINDS: dict[str, Kind] = {".bib": "bibtex", ".pdf": "pdf"}


@dataclass(frozen=True)
class Ref:
    """One thing to add: its kind and its normalised value (an id, a path or a title)."""

    kind: Kind
    value: str
    given: str = ""


def classify(text: str, titles: bool = False) -> list[Ref]:
    """Return the refs that `text` stands for; raise ConfgenError when it is none.

    With `titles`, text that is nothing else is a title (in --list files). Without, a
    title needs at least two words, so a mistyped id is an error rather than a search.
    """
    text = text.strip()
    path = Path(text).expanduser()
    if path.is_dir():
        return _folder(path)
    if path.suffix.lower() == ".json" and path.is_file():  # a JSON list of accepted papers
        return [Ref("paperlist", str(path), text)]
    kind = FILE_KINDS.get(path.suffix.lower())
    if kind and path.is_file():
        return [Ref(kind, str(path), text)]
    arxiv = parse_arxiv_ref(text)
    if arxiv:
        return [Ref("arxiv", arxiv, text)]
    note = parse_openreview_ref(text) or (text if looks_like_note_id(text) else None)
    if note:
        return [Ref("openreview", note, text)]
    if kind:
        raise ConfgenError([Problem(path, None, "file not found")])
    if "://" not in text and (titles or len(text.split()) >= 2) and re.search(r"\w", text):
        return [Ref("title", clean_latex(text), text)]  # "$\beta$-DPO" is "β-DPO"
    raise ConfgenError(f"cannot tell what {text!r} is: expected an arXiv id or URL, an "
                       "OpenReview URL or id, a .bib or .pdf file, a folder of them, or a "
                       "title of two words or more")


def _folder(path: Path) -> list[Ref]:
    refs = [Ref(FILE_KINDS[p.suffix.lower()], str(p), str(p)) for p in sorted(path.iterdir())
            if p.is_file() and p.suffix.lower() in FILE_KINDS]
    if not refs:
        raise ConfgenError([Problem(path, None, "this folder holds no .pdf or .bib files")])
    return refs


def read_list(path: Path) -> list[Ref]:
    """Return the refs in a list file: one title, id or URL per line; '#' starts a comment.

    Leading list markers ("- ", "* ", "1. ") are dropped so a pasted Markdown list works.
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfgenError([Problem(path, None, f"cannot read list file: {exc}")]) from None
    refs, problems = [], []
    for number, line in enumerate(lines, start=1):
        text = re.sub(r"^\s*(?:[-*•]|\d+[.)])\s+", "", line.split(" #")[0]).strip()
        if not text or text.startswith("#"):
            continue
        try:
            refs += classify(text, titles=True)
        except ConfgenError as exc:
            problems += [Problem(path, number, p.message) for p in exc.problems]
    if problems:
        raise ConfgenError(problems)
    return refs
