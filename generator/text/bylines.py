"""The one byline rule: how a paper's author list is shortened for a slide, panel or page.

Every renderer calls `short_authors` with the number of names it has room for; the rule
is the same everywhere, so a paper gets the same byline in the deck, on its panel and in
the newsletter, just cut at a different length.
"""

from __future__ import annotations

from .latex import unlatex


def one_line(text: str) -> str:
    """Return `text` as one line: whitespace collapsed, inline LaTeX turned into Unicode.

    The deck cleans every field it sets this way, and every byline cleans its names so.
    """
    return unlatex(" ".join(str(text).split()))


def short_authors(authors: list[str], max_names: int = 3) -> str:
    """Return the authors as a byline that names at most `max_names` people.

    One or two authors are named in full ("Ada Lovelace and Alan Turing"); more are named
    by surname ("Qiu, Wang, Lin"); over `max_names` the first `max_names - 1` surnames,
    an ellipsis, the last author's surname and the count ("Qiu, Wang, … Lin (13 authors)").
    """
    names = [name for name in (one_line(a) for a in authors) if name]
    if len(names) <= 2:
        return " and ".join(names)
    surnames = [name.split()[-1] for name in names]
    limit = max(2, max_names)
    if len(names) <= limit:
        return ", ".join(surnames)
    shown = ", ".join(surnames[: limit - 1])
    return f"{shown}, … {surnames[-1]} ({len(names)} authors)"
