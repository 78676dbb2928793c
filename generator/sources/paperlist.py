"""Read the JSON paper lists that public repositories publish for NeurIPS, ICML, ICLR...

A list is a JSON array of records such as `{"id", "title", "author", "status", "track",
"site", "abstract", "keywords", "primary_area", ...}` (the papercopilot/paperlists
schema). Authors are one string separated by "," or ";". Lists of a whole review cycle
also hold rejected and withdrawn submissions; only accepted papers are read, and the
status (Oral, Spotlight, Poster) becomes the paper's presentation.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from ..core.errors import ConfgenError, Problem
from ..core.models import Paper
from ..text.latex import clean_latex
from .found import Found
from .openreview import PRESENTATIONS, area_topic, keyword_list

NOT_ACCEPTED = {"reject", "rejected", "withdraw", "withdrawn", "desk reject", "desk rejected",
                "active", "submitted", "under review", "workshop"}
AWARD = re.compile(r"\b(?:award|best|outstanding|honou?rable|test of time)\b", re.IGNORECASE)
CONFERENCES = {"nips": "NeurIPS", "neurips": "NeurIPS", "iclr": "ICLR", "icml": "ICML",
               "acmmm": "ACM MM", "cvpr": "CVPR", "iccv": "ICCV", "eccv": "ECCV",
               "aaai": "AAAI", "ijcai": "IJCAI", "colm": "COLM", "corl": "CoRL",
               "aistats": "AISTATS", "uai": "UAI", "wacv": "WACV", "acl": "ACL",
               "emnlp": "EMNLP", "naacl": "NAACL"}


@dataclass
class PaperList:
    """The accepted papers of a list file, and how many records were left out."""

    found: list[Found] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)  # status -> records left out


def venue_from_name(path: Path) -> str:
    """Return the venue a list file names: "nips2024.json" -> "NeurIPS 2024"."""
    match = re.match(r"([a-z]+)[-_]?(\d{4})", path.stem.lower())
    if not match:
        return ""
    name, year = match.groups()
    return f"{CONFERENCES.get(name, name.upper())} {year}"


def read_paperlist(path: Path) -> PaperList:
    """Return the accepted papers of a JSON paper list; bad records are errors with a place."""
    records = _load(path)
    venue, result, problems = venue_from_name(path), PaperList(), []
    for index, record in enumerate(records):
        if not isinstance(record, dict):
            problems.append(Problem(path, None, f"record {index} is not an object"))
            continue
        status = " ".join(str(record.get("status") or "").split())
        if status.casefold() in NOT_ACCEPTED:
            result.skipped[status] = result.skipped.get(status, 0) + 1
            continue
        title = clean_latex(str(record.get("title") or ""))
        if not title:
            problems.append(Problem(path, None, f"record {index} has no title"))
            continue
        result.found.append(Found(_paper(record, title, status, venue), origin="paperlist"))
    if problems:
        raise ConfgenError(problems)
    return result


def _load(path: Path) -> list:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfgenError([Problem(path, None, f"cannot read paper list: {exc}")]) from None
    except json.JSONDecodeError as exc:
        raise ConfgenError([Problem(path, exc.lineno, f"invalid JSON: {exc.msg}")]) from None
    if isinstance(data, dict) and isinstance(data.get("papers"), list):
        data = data["papers"]
    if not isinstance(data, list):
        raise ConfgenError([Problem(path, None, "expected a JSON list of paper records")])
    return data


def _paper(record: dict, title: str, status: str, venue: str) -> Paper:
    area = str(record.get("primary_area") or "").strip()
    award = status if AWARD.search(status) else ""
    presentation = next((name for word, name in PRESENTATIONS.items()
                         if word in status.casefold()), "")
    if not presentation and not award and status.casefold() not in ("accept", "accepted"):
        presentation = status  # "Highlight" and the like
    return Paper(title=title, authors=_authors(record.get("author")),
                 abstract=clean_latex(str(record.get("abstract") or "")), venue=venue,
                 presentation=presentation, award=award,
                 primary_area=area, topic=area_topic(area), links=_links(record),
                 keywords=keyword_list(record.get("keywords")))


def _authors(value: object) -> list[str]:
    if isinstance(value, list):
        names = [str(v) for v in value]
    else:
        text = str(value or "")
        names = text.split(";") if ";" in text else text.split(",")
    return [" ".join(name.split()) for name in names if name.strip()]


def _links(record: dict) -> dict[str, str]:
    links = {}
    for key in ("site", "openreview", "pdf", "github", "project"):
        url = str(record.get(key) or "").strip()
        if not url.startswith(("http://", "https://")):
            continue
        name = "openreview" if urlsplit(url).hostname == "openreview.net" and key != "pdf" \
            else ("code" if key == "github" else key)
        links.setdefault(name, url)
    return links
