"""Read papers from a .bib file with bibtexparser (v2, MIT licence).

bibtexparser splits entries, fields and author lists; LaTeX in the values is cleaned by
our own `clean_latex` so BibTeX and arXiv text come out alike. An entry that does not
parse is an error with its line, and nothing is added from the file.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import bibtexparser
from bibtexparser import middlewares as mw

from ..core.errors import ConfgenError, Problem
from ..core.models import Paper
from ..text.latex import clean_latex
from .arxiv import parse_arxiv_ref
from .found import Found
from .openreview import parse_openreview_ref

_PREPRINT_VENUES = re.compile(r"(?i)^(arxiv|corr|preprint)\b|arxiv preprint")


def read_bibtex(path: Path) -> list[Found]:
    """Return one paper per entry of `path`; raise ConfgenError if any entry is broken."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfgenError([Problem(path, None, f"cannot read BibTeX file: {exc}")]) from None
    library = _parse(text)
    problems = [Problem(path, block.start_line + 1, _failure(block))
                for block in library.failed_blocks]
    found = []
    for entry in library.entries:
        fields = {key.lower(): value for key, value in entry.fields_dict.items()}
        title = clean_latex(str(_value(fields, "title")))
        if not title:
            problems.append(Problem(path, entry.start_line + 1,
                                    f"entry {entry.key!r} has no title"))
            continue
        found.append(Found(_paper(title, fields), origin="bibtex"))
    if problems:
        raise ConfgenError(problems)
    if not found:
        raise ConfgenError([Problem(path, None, "no BibTeX entries found")])
    return found


def _paper(title: str, fields: dict) -> Paper:
    authors = _value(fields, "author") or []
    if isinstance(authors, str):
        authors = [authors]
    authors = [clean_latex(a) for a in authors if a.strip().lower() != "others"]
    url, eprint = str(_value(fields, "url")), str(_value(fields, "eprint"))
    arxiv = parse_arxiv_ref(eprint) or parse_arxiv_ref(url)
    links = {}
    note_id = parse_openreview_ref(url)
    if note_id:
        links["openreview"] = f"https://openreview.net/forum?id={note_id}"
    elif url and not parse_arxiv_ref(url):
        links["paper"] = url
    doi = str(_value(fields, "doi"))
    if doi:
        links["doi"] = doi if doi.startswith("http") else f"https://doi.org/{doi}"
    return Paper(title=title, authors=authors, arxiv=arxiv, links=links,
                 abstract=clean_latex(str(_value(fields, "abstract"))), venue=_venue(fields))


def _venue(fields: dict) -> str:
    venue = clean_latex(str(_value(fields, "booktitle") or _value(fields, "journal")))
    if not venue or _PREPRINT_VENUES.search(venue):
        return ""
    year = str(_value(fields, "year")).strip()
    return f"{venue} {year}" if year and year not in venue else venue


def _value(fields: dict, key: str):
    field = fields.get(key)
    return field.value if field is not None else ""


def _parse(text: str) -> bibtexparser.Library:
    """Parse quietly: bibtexparser logs each broken block, we report them ourselves."""
    logger = logging.getLogger("bibtexparser")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        return bibtexparser.parse_string(text, append_middleware=[
            mw.SeparateCoAuthors(), mw.SplitNameParts(), mw.MergeNameParts(style="first")])
    finally:
        logger.setLevel(level)


def _failure(block) -> str:
    key = getattr(block, "key", None)
    if key and "Duplicate" in type(block).__name__:
        return f"duplicate BibTeX key {key!r}"
    reason = getattr(block.error, "abort_reason", "") or str(block.error) or "syntax error"
    return f"cannot parse this BibTeX entry: {reason.strip().rstrip('.').lower()}"
