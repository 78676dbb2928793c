"""Read papers from .bib files with bibtexparser (v2, MIT licence).

bibtexparser splits blocks, fields and author lists; this module adds what a reference
manager's export needs to come out right:

- `@string` macros may be defined in any of the files given together (a shared
  strings.bib), and an undefined macro is a warning, never a venue;
- a `crossref` child inherits its parent's venue and year, and the parent (an
  `@proceedings`, a `@book`) is a container, not a paper;
- biblatex `journaltitle`, `eventtitle` and `date` count like `journal` and `year`;
- two entries are two papers: entries that share a title get their BibTeX key as id;
- a file is read as UTF-8 (with or without BOM), as the encoding its `% Encoding:` line
  names, or else as Latin-1 (Windows-1252) with a warning.

One broken entry never refuses the file: `read_bibtex_files` returns the good papers and
a problem, with file and line in plain words, for each entry it skipped.
"""

from __future__ import annotations

import codecs
import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import bibtexparser
from bibtexparser.middlewares.names import (
    InvalidNameError,
    parse_single_name_into_parts,
    split_multiple_persons_names,
)

from ..core.errors import Problem
from ..core.models import Paper, slugify
from ..text.latex import clean_latex
from .arxiv import parse_arxiv_ref
from .found import Found, normalise_title
from .openreview import parse_openreview_ref

_PREPRINT_VENUES = re.compile(r"(?i)^(arxiv|corr|preprint)\b|arxiv preprint")
_CONTAINERS = {"proceedings", "mvproceedings", "book", "mvbook", "collection", "mvcollection",
               "periodical", "reference", "mvreference"}
_NOT_PAPERS = {"set", "xdata", "string", "preamble", "comment"}
_MONTHS = {m: m.capitalize() for m in ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug",
                                       "sep", "oct", "nov", "dec")}
_ENCODING_LINE = re.compile(rb"(?im)^\s*%\s*encoding\s*:\s*([\w.-]+)")
_INHERITED = ("booktitle", "journal", "journaltitle", "eventtitle", "year", "date")


@dataclass
class BibResult:
    """What a set of .bib files gave: papers per file, skipped entries, warnings."""

    found: dict[Path, list[Found]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class _Entry:
    path: Path
    line: int
    key: str
    kind: str
    fields: dict[str, str]


def read_bibtex(path: Path) -> BibResult:
    """Return the papers of one .bib file (see `read_bibtex_files`)."""
    return read_bibtex_files([path])


def read_bibtex_files(paths: list[Path]) -> BibResult:
    """Return the papers of `paths`, read together so one file's @string serves all."""
    result = BibResult()
    libraries = {}
    for path in paths:
        text = _read_text(path, result)
        if text is not None:
            libraries[path] = _parse(text)
    strings = {}
    for library in libraries.values():
        strings.update({s.key.lower(): s.value for s in library.strings})
    entries = []
    for path, library in libraries.items():
        result.problems += [Problem(path, block.start_line + 1, _failure(block))
                            for block in library.failed_blocks]
        own = {s.key.lower(): s.value for s in library.strings}
        entries += [_entry(path, raw, {**strings, **own}, result) for raw in library.entries]
    _inherit_crossrefs(entries)
    parents = {e.fields["crossref"].lower() for e in entries if e.fields.get("crossref")}
    papers = [e for e in entries if e.kind not in _NOT_PAPERS and
              not (e.kind in _CONTAINERS and e.key.lower() in parents)]
    titles = [normalise_title(clean_latex(e.fields.get("title", ""))) for e in papers]
    title_counts = Counter(titles)
    for entry, title in zip(papers, titles, strict=True):
        if not title:
            result.problems.append(Problem(entry.path, entry.line,
                                           f"entry {entry.key!r} has no title"))
            continue
        shared = title_counts[title] > 1
        result.found.setdefault(entry.path, []).append(
            Found(_paper(entry, key_as_id=shared), origin="bibtex"))
    for path, library in libraries.items():
        if path not in result.found and not library.strings and \
                not any(p.path == path for p in result.problems):
            result.problems.append(Problem(path, None, "no BibTeX entries found"))
    return result


def _read_text(path: Path, result: BibResult) -> str | None:
    """Decode `path`: UTF-8 (BOM or not), its declared encoding, else Windows-1252."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        result.problems.append(Problem(path, None, f"cannot read: {exc.strerror or exc}"))
        return None
    declared = _ENCODING_LINE.search(data[:2000])
    name = declared.group(1).decode("ascii", "replace") if declared else "utf-8"
    try:
        codecs.lookup(name)
    except LookupError:
        name = "utf-8"
    try:
        return data.decode("utf-8-sig" if name.lower().replace("_", "-") in ("utf-8", "utf8")
                           else name)
    except UnicodeDecodeError as exc:
        if declared:
            line = data[:exc.start].count(b"\n") + 1
            result.problems.append(Problem(path, line, f"this file says '% Encoding: {name}' "
                                           f"but byte 0x{data[exc.start]:02X} on this line is "
                                           f"not {name}; fix the line or the encoding header"))
            return None
    result.warnings.append(f"{path}: not UTF-8; read as Latin-1 (Windows-1252). If accents "
                           "look wrong, save it as UTF-8 or add a '% Encoding: …' line")
    return data.decode("cp1252", errors="strict") if _is_cp1252(data) else data.decode("latin-1")


def _is_cp1252(data: bytes) -> bool:
    try:
        data.decode("cp1252")
        return True
    except UnicodeDecodeError:
        return False


def _entry(path: Path, raw, strings: dict[str, str], result: BibResult) -> _Entry:
    """Return an entry with its macros resolved and its values unbraced."""
    fields = {}
    for item in raw.fields:
        value = _resolve(str(item.value), strings)
        if value is None:
            result.warnings.append(f"{path}:{raw.start_line + 1}: entry {raw.key!r}: "
                                   f"{item.key} = {str(item.value).strip()} is an undefined "
                                   "@string macro; left out")
            continue
        fields[item.key.lower()] = value
    return _Entry(path, raw.start_line + 1, raw.key, raw.entry_type.lower(), fields)


def _resolve(value: str, strings: dict[str, str], depth: int = 0) -> str | None:
    """Return `value` with macros and `#` concatenation resolved, or None if undefined."""
    out = []
    for part in _concatenated(value):
        if part[:1] in "{\"":
            out.append(part[1:-1])
        elif part.isdigit():
            out.append(part)
        elif part.lower() in strings and depth < 10:
            inner = _resolve(strings[part.lower()], strings, depth + 1)
            if inner is None:
                return None
            out.append(inner)
        elif part.lower() in _MONTHS:
            out.append(_MONTHS[part.lower()])
        else:
            return None
    return "".join(out)


def _concatenated(value: str) -> list[str]:
    """Split a BibTeX value at `#` outside braces and quotes."""
    parts, depth, quoted, start = [], 0, False, 0
    for index, char in enumerate(value):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif char == '"' and depth == 0:
            quoted = not quoted
        elif char == "#" and depth == 0 and not quoted:
            parts.append(value[start:index].strip())
            start = index + 1
    parts.append(value[start:].strip())
    return [p for p in parts if p]


def _inherit_crossrefs(entries: list[_Entry]) -> None:
    """Give each crossref child its parent's venue and year, as BibTeX does."""
    by_key = {e.key.lower(): e for e in entries}
    for entry in entries:
        parent = by_key.get(entry.fields.get("crossref", "").lower())
        if parent is None or parent is entry:
            continue
        for name in _INHERITED:
            if parent.fields.get(name) and not entry.fields.get(name):
                entry.fields[name] = parent.fields[name]
        if not entry.fields.get("booktitle") and parent.fields.get("title") and \
                parent.kind in _CONTAINERS:
            entry.fields["booktitle"] = parent.fields["title"]


def _paper(entry: _Entry, key_as_id: bool) -> Paper:
    fields = entry.fields
    authors = [clean_latex(a) for a in _names(fields.get("author", ""))
               if a.strip().lower() != "others"]
    url = fields.get("url", "") or _url_in(fields.get("howpublished", "")) or \
        _url_in(fields.get("note", ""))
    arxiv = parse_arxiv_ref(fields.get("eprint", "")) or parse_arxiv_ref(url)
    links = {}
    note_id = parse_openreview_ref(url)
    if note_id:
        links["openreview"] = f"https://openreview.net/forum?id={note_id}"
    elif url and not parse_arxiv_ref(url):
        links["paper"] = url
    doi = fields.get("doi", "").strip()
    if doi:
        links["doi"] = doi if doi.startswith("http") else f"https://doi.org/{doi}"
    return Paper(title=clean_latex(fields["title"]), authors=authors, arxiv=arxiv, links=links,
                 abstract=clean_latex(fields.get("abstract", "")), venue=_venue(fields),
                 id=(slugify(entry.key) or None) if key_as_id else None)


def _names(value: str) -> list[str]:
    """Split an author list with bibtexparser's name rules, each name first-name first."""
    names = []
    for name in split_multiple_persons_names(value):
        try:
            names.append(parse_single_name_into_parts(name, strict=False).merge_first_name_first)
        except InvalidNameError:
            names.append(name)
    return [" ".join(n.split()) for n in names if n.strip()]


def _url_in(text: str) -> str:
    match = re.search(r"https?://[^\s{}]+", clean_latex(text)) if "http" in text else None
    return match.group(0).rstrip(".,;") if match else ""


def _venue(fields: dict) -> str:
    raw = fields.get("booktitle") or fields.get("journal") or fields.get("journaltitle") or \
        fields.get("eventtitle", "")
    venue = clean_latex(raw)
    if not venue or _PREPRINT_VENUES.search(venue):
        return ""
    year = fields.get("year", "").strip() or fields.get("date", "").strip()[:4]
    return f"{venue} {year}" if year and year not in venue else venue


def _parse(text: str) -> bibtexparser.Library:
    """Split blocks quietly (we report broken ones ourselves) and keep values raw."""
    logger = logging.getLogger("bibtexparser")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        return bibtexparser.parse_string(text, parse_stack=[])
    finally:
        logger.setLevel(level)


def _failure(block) -> str:
    """Say in plain words why a block was skipped."""
    key = getattr(block, "key", None)
    if key and "Duplicate" in type(block).__name__:
        return f"the key {key!r} is used by an earlier entry too"
    reason = str(getattr(block.error, "abort_reason", "") or block.error or "")
    if "Unexpected block start" in reason:
        return "this entry is not closed before the next '@' (a '}' or '\"' is missing)"
    if "still looking" in reason.lower() or "end of file" in reason.lower():
        return "this entry is not closed (a '}' or '\"' is missing)"
    return "cannot read this entry (check its braces, quotes and commas)"
