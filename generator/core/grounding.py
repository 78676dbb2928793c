"""Check that every number and quoted phrase in a summary appears in the paper's text.

A summary must never invent figures (seed 004 is the cautionary tale). Numbers are
compared after normalising thousands separators and spacing, so "26,000" in a summary
matches "26000" in an abstract, but "27K" does not match "26K".
"""

from __future__ import annotations

import re

from .fulltext import normal_words
from .models import Check, SummaryContent

# A number: digits with optional separators/decimals, optionally with a magnitude or unit
# suffix glued to it (26K, 5.3x, 90%). Ordinals and years are numbers too.
# A number glued to a word by a hyphen (CIFAR-10, GPT-4) is part of a name, not a number.
NUMBER = re.compile(
    r"(?<![\w.])(?<![A-Za-z]{2}-)"
    r"[-+−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
    r"(?:\s?(?:%|x|×|[kKmMbB]\b))?"
)
QUOTE = re.compile(r"[\"“”]([^\"“”]{3,200})[\"“”]")


def normalize_number(token: str) -> str:
    token = token.replace("−", "-").replace("×", "x").replace(" ", "")
    token = re.sub(r"(?<=\d),(?=\d{3}\b)", "", token)
    return token.lower().lstrip("+")


def numbers_in(text: str) -> list[str]:
    return [m.group(0).strip() for m in NUMBER.finditer(text)]


def _bare(number: str) -> str:
    return re.sub(r"[^\d.]", "", normalize_number(number)).strip(".")


def source_numbers(source: str) -> frozenset[str]:
    """Return the normalised numbers of `source`, computed once per paper."""
    return frozenset(normalize_number(n) for n in numbers_in(source))


def number_is_grounded(number: str, source: str | frozenset[str]) -> bool:
    """True when `number` (with its suffix, if any) occurs in `source`."""
    wanted = normalize_number(number)
    found = source_numbers(source) if isinstance(source, str) else source
    if wanted in found:
        return True
    # "26K queries" in the source also grounds "26K" written as "26 K"; a bare "26"
    # is grounded by "26K" only when the summary carries no suffix of its own.
    if wanted == _bare(number):
        return wanted in {_bare(n) for n in found}
    return False


def summary_texts(content: SummaryContent) -> list[tuple[str, str]]:
    """Return (field name, text) for every piece of prose in a summary."""
    texts = [
        ("tldr", content.tldr),
        ("what_was_done", content.what_was_done),
        ("why_it_matters", content.why_it_matters),
    ]
    texts += [(f"key_points[{i}]", p) for i, p in enumerate(content.key_points)]
    for i, number in enumerate(content.key_numbers):
        texts += [(f"key_numbers[{i}].value", number.value),
                  (f"key_numbers[{i}].label", number.label)]
    for i, frame in enumerate(content.comic):
        texts.append((f"comic[{i}].caption", frame.caption))
        texts += [(f"comic[{i}].lines[{j}]", line.text) for j, line in enumerate(frame.lines)]
    return texts


def ground(content: SummaryContent, source: str, title: str = "") -> list[Check]:
    """Return a Check for every number or quote in `content` that `source` lacks.

    The paper's `title` counts as source too ("1000 Layer Networks" grounds "1000").
    """
    source = f"{source}\n{title}" if title else source
    checks: list[Check] = []
    normalized_source = normal_words(source)
    known_numbers = source_numbers(source)
    for field, text in summary_texts(content):
        for number in numbers_in(text):
            if not number_is_grounded(number, known_numbers):
                checks.append(Check(kind="number", field=field, value=number,
                                    message=f"number {number!r} does not appear in the source"))
        for quote in QUOTE.findall(text):
            if normal_words(quote) not in normalized_source:
                checks.append(Check(kind="quote", field=field, value=quote,
                                    message=f"quoted phrase {quote!r} is not in the source"))
    for i, number in enumerate(content.key_numbers):
        if normal_words(number.source) not in normalized_source:
            checks.append(Check(kind="quote", field=f"key_numbers[{i}].source",
                                value=number.source[:80],
                                message="source sentence is not in the paper's text"))
    return checks
