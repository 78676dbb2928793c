"""A paper's full text, stored per paper in the event folder as `fulltext/<id>.yaml`.

`confgen add --fulltext` writes it (sections of the LaTeX source in order, or the pages
of the PDF); the event loader attaches it to its paper, so it is source text like the
abstract and notes: part of the hash that decides when a draft is stale, checked by
grounding, and shown by the review page. The prompt gets only the sections that matter
most within a token budget (`excerpt`); `locate` names where a sentence came from.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from .errors import ConfgenError, Problem
from .yamlio import dump_yaml, read_yaml

FULLTEXT_DIR = "fulltext"
DEFAULT_TOKENS = 3000  # of paper text in a prompt beyond the abstract (llm: fulltext_tokens)
CHARS_PER_TOKEN = 4
# Sections a summary needs most, in the order they are given room in a prompt.
_PRIORITY = (r"intro", r"result|experiment|evaluation|finding|empirical|benchmark",
             r"conclu|discussion|summary", r"method|approach|model|design|overview")
_SPACE = re.compile(r"\s+")


class Section(BaseModel):
    """One section of a paper (or one page of a PDF without sections)."""

    model_config = ConfigDict(extra="forbid")
    title: str
    text: str
    page: int | None = None

    @property
    def where(self) -> str:
        """Return how a reader finds this section: its title, or the page of a PDF."""
        if self.page is None:
            return f"§ {self.title}"
        if self.title.startswith("Page "):
            return f"page {self.page}"
        return f"§ {self.title}, page {self.page}"


class FullText(BaseModel):
    """The stored text of one paper: where it came from and its sections."""

    model_config = ConfigDict(extra="forbid")
    source: str  # "latex" or "pdf"
    arxiv: str = ""
    sections: list[Section] = []

    @property
    def text(self) -> str:
        return "\n\n".join(s.text if s.title.startswith("Page ") else f"{s.title}\n\n{s.text}"
                             for s in self.sections)


def fulltext_path(root: Path, key: str) -> Path:
    return root / FULLTEXT_DIR / f"{key}.yaml"


def fulltext_yaml(full: FullText) -> str:
    """Return the YAML text of `full`, as stored."""
    return dump_yaml(full.model_dump(exclude_none=True))


def load_fulltext(root: Path, key: str) -> FullText | None:
    """Return the stored full text of paper `key`, None when there is none."""
    path = fulltext_path(root, key)
    if not path.is_file():
        return None
    data = read_yaml(path).data
    try:
        return FullText.model_validate(data)
    except ValidationError as exc:
        raise ConfgenError([Problem(path, None, f"{'.'.join(map(str, e['loc']))}: {e['msg']}")
                            for e in exc.errors(include_url=False)]) from None


def excerpt(full: FullText | None, tokens: int = DEFAULT_TOKENS) -> str:
    """Return the sections that matter most (introduction, results, conclusion), each
    under its title and in paper order, cut to about `tokens` tokens in all."""
    if full is None or tokens <= 0 or not full.sections:
        return ""
    budget = tokens * CHARS_PER_TOKEN
    ranked = sorted(range(len(full.sections)), key=lambda i: (_rank(full.sections[i]), i))
    share: dict[int, str] = {}
    for index in ranked:
        if budget <= 0:
            break
        text = _cut(full.sections[index].text, budget)
        share[index] = text
        budget -= len(text)
    return "\n\n".join(f"[{full.sections[i].where}]\n{share[i]}" for i in sorted(share))


def _rank(section: Section) -> int:
    title = section.title.lower()
    return next((rank for rank, pattern in enumerate(_PRIORITY) if re.search(pattern, title)),
                len(_PRIORITY))


def _cut(text: str, limit: int) -> str:
    """Return `text` cut at the last sentence end before `limit` characters."""
    if len(text) <= limit:
        return text
    head = text[:limit]
    end = max(head.rfind(". "), head.rfind(".\n"))
    return head[:end + 1] if end > limit // 3 else head.rsplit(" ", 1)[0]


@lru_cache(maxsize=256)
def normal_words(text: str) -> str:
    """Return `text` as grounding compares it: lower case, one space, plain apostrophes."""
    return _SPACE.sub(" ", text.replace("’", "'").lower()).strip()


def locate(sentence: str, full: FullText | None, **texts: str) -> str:
    """Return where `sentence` is: a section of the full text ("§ Results", "page 4"),
    else the name of the first of `texts` (e.g. abstract=..., notes=...) holding it, or ''."""
    wanted = normal_words(sentence)
    if not wanted:
        return ""
    for section in full.sections if full is not None else []:
        if wanted in normal_words(section.text):
            return section.where
    return next((name for name, text in texts.items() if wanted in normal_words(text)), "")
