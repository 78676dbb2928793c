"""Find a summary's numbers and quotes in the paper's text, for the review page to highlight.

Which of them are grounded is decided by `core.grounding.ground`, the same check as
`confgen check`; this module only locates them. A number matches where grounding would
accept it ("26,000" finds "26000"); a quote or a key number's source sentence matches
case-insensitively across any run of spaces or line breaks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..core.grounding import (
    NUMBER,
    QUOTE,
    ground,
    normalize_number,
    number_is_grounded,
    numbers_in,
    summary_texts,
)
from ..core.models import Paper, Summary


@dataclass(frozen=True)
class Term:
    """A number, a quoted phrase, or a key number's source sentence of the summary."""

    kind: str  # number, quote or sentence
    text: str
    field: str


def terms_of(summary: Summary) -> list[Term]:
    """Return every number and quote of `summary`, each once, in reading order."""
    found: list[Term] = []
    for name, text in summary_texts(summary):
        found += [Term("number", number, name) for number in numbers_in(text)]
        found += [Term("quote", quote, name) for quote in QUOTE.findall(text)]
    found += [Term("sentence", number.source, f"key_numbers[{i}].source")
              for i, number in enumerate(summary.key_numbers)]
    unique: dict[tuple[str, str], Term] = {}
    for term in found:
        unique.setdefault((term.kind, term.text.lower()), term)
    return list(unique.values())


def _phrase(text: str) -> re.Pattern[str]:
    words = [re.escape(word) for word in text.replace("’", "'").split()]
    return re.compile(r"\s+".join(words), re.IGNORECASE)


def spans(term: Term, source: str) -> list[tuple[int, int]]:
    """Return where `term` occurs in `source` as (start, end) pairs."""
    if term.kind == "number":
        return [m.span() for m in NUMBER.finditer(source)
                if number_is_grounded(term.text, frozenset({normalize_number(m.group(0))}))]
    return [m.span() for m in _phrase(term.text).finditer(source.replace("’", "'"))]


def grounding_terms(paper: Paper, summary: Summary) -> list[dict]:
    """Return each term with whether grounding accepts it and how often the text has it."""
    checks = ground(summary, paper.source_text, paper.title)
    missing = {(c.field, c.value) for c in checks}
    result = []
    for index, term in enumerate(terms_of(summary)):
        value = term.text[:80] if term.kind == "sentence" else term.text
        result.append({"id": index, "kind": term.kind, "text": term.text, "field": term.field,
                       "grounded": (term.field, value) not in missing,
                       "found": len(spans(term, paper.source_text))})
    return result


def highlight(text: str, paper: Paper, summary: Summary | None) -> list[dict]:
    """Split `text` into runs, each with the terms it belongs to (none for plain text)."""
    if summary is None or not text:
        return [{"text": text, "kinds": [], "term": None}]
    marks: list[set[int]] = [set() for _ in text]
    terms = terms_of(summary)
    for index, term in enumerate(terms):
        for start, end in spans(term, text):
            for at in range(start, end):
                marks[at].add(index)
    runs: list[dict] = []
    for char, mark in zip(text, marks, strict=True):
        key = frozenset(mark)
        if runs and runs[-1]["key"] == key:
            runs[-1]["text"] += char
        else:
            runs.append({"key": key, "text": char})
    return [{"text": run["text"],
             "kinds": sorted({terms[i].kind for i in run["key"]}),
             "term": min(run["key"], key=lambda i: (terms[i].kind == "sentence", i))
             if run["key"] else None}
            for run in runs]
