"""The words ranking and clustering see: normalised tokens, acronyms, phrases.

Tokens are lower-case words with a light plural fold ("models" -> "model"), without
stop words. An acronym that the corpus itself defines ("large language models (LLMs)")
is one token whichever way a paper writes it, so "LLM" in the interests matches papers
that only spell it out. Terms are the tokens and their adjacent pairs (bigrams).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_ACRONYM = re.compile(r"\(([A-Z][A-Za-z0-9]{1,9}?)s?\)")
STOP = frozenset(ENGLISH_STOP_WORDS) | {
    "propose", "proposed", "paper", "method", "methods", "approach", "show", "shows", "result",
    "results", "novel", "new", "work", "using", "based", "use", "used", "demonstrate", "study",
    "introduce", "existing", "task", "tasks", "performance", "experiment", "experiments",
    "extensive", "achieve", "achieves", "significantly", "state", "art", "framework", "problem",
    "et", "al", "e.g", "i.e", "s"}
BREAK = "|"
_CLAUSE = re.compile(r"[.;:!?()\[\]\n]+(?:\s|$)|[;:()\[\]\n]")
NO_FOLD = ("ss", "us", "is", "ous", "ics", "ness", "sis")


def fold(word: str) -> str:
    """Return `word` without a plural ending: "attacks" -> "attack", "policies" -> "policy"."""
    if len(word) <= 3 or word.endswith(NO_FOLD) or not word.endswith("s"):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    return word[:-1]


def find_acronyms(texts: Iterable[str], min_count: int = 2) -> dict[str, str]:
    """Return {expansion: acronym} that the texts define, e.g. "large language model": "llm".

    A definition is words followed by a parenthesised acronym made of their initials
    ("Reinforcement Learning from Human Feedback (RLHF)"); it counts when seen twice.
    """
    seen: Counter[tuple[str, str]] = Counter()
    for text in texts:
        for match in _ACRONYM.finditer(text):
            letters = match.group(1).lower()
            before = text[max(0, match.start() - 80):match.start()].lower()
            tokens = [fold(w) for w in re.findall(r"[a-z0-9]+", before)][-8:]
            for size in range(len(tokens), 0, -1):
                tail = tokens[-size:]
                if "".join(t[0] for t in tail) == letters or "".join(
                        t[0] for t in tail if t not in ENGLISH_STOP_WORDS) == letters:
                    seen[(" ".join(tail), letters)] += 1
                    break
    return {words: acronym for (words, acronym), n in seen.items()
            if n >= min_count and " " in words}


class Tokenizer:
    """Turn text into normalised tokens, with the corpus's acronyms folded into one token."""

    def __init__(self, acronyms: dict[str, str] | None = None):
        self.acronyms = dict(sorted((acronyms or {}).items(), key=lambda kv: -len(kv[0])))
        self._pattern = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in self.acronyms)
                                   + r")\b") if self.acronyms else None

    def tokens(self, text: str) -> list[str]:
        """Return the content words of `text`, folded, acronyms as one token; `BREAK`
        marks where a sentence, clause or list item ends, so no pair spans two."""
        out: list[str] = []
        for part in _CLAUSE.split(text.lower().replace("-", " ")):
            words = " ".join(fold(w) for w in WORD.findall(part))
            if self._pattern is not None:
                words = self._pattern.sub(lambda m: self.acronyms[m.group(0)], words)
            kept = [w for w in words.split() if w not in STOP and not w.isdigit() and len(w) > 1]
            if kept:
                out += ([BREAK] if out else []) + kept
        return out


def terms(tokens: list[str]) -> list[str]:
    """Return the tokens and their adjacent pairs ("reward model"), none across a break."""
    words = [t for t in tokens if t != BREAK]
    return words + [f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False)
                    if BREAK not in (a, b)]
