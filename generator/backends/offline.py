"""A deterministic, extractive drafter that needs no network and no key.

Every sentence it writes is a sentence (or the leading clause of one) from the paper's
own abstract or the user's notes, so every number it prints is grounded by construction.
Cue phrases decide which sentences say what was done and which say why it matters.
"""

from __future__ import annotations

import re

from ..grounding import numbers_in
from ..models import LIMITS, ComicFrame, DialogueLine, KeyNumber, SummaryContent
from .base import DraftRequest, DraftResult, Usage, content_hash

MODEL = "extractive-v1"
TLDR_WORDS = 18  # a one-liner, shorter than what_was_done
_ABBREVIATIONS = r"(?<!\be\.g)(?<!\bi\.e)(?<!\bet al)(?<!\bvs)(?<!\bcf)(?<!\bFig)(?<!\bEq)"
_SENTENCE_END = re.compile(_ABBREVIATIONS + r"(?<=[.!?])\s+(?=[\"“(\[]?[A-Z0-9])")
_DONE_CUES = re.compile(
    r"\b(we|this (paper|work|study)|the authors|our)\b.{0,40}?\b(propose|introduce|present|"
    r"develop|build|train|design|study|studies|analy[sz]e|investigate|scale|add|construct|"
    r"release|derive|prove|show|demonstrate|identify|find|use|evaluate|measure)",
    re.IGNORECASE,
)
_WHY_CUES = re.compile(
    r"\b(matters?|important|enables?|allows?|suggests?|implies|implication|challenges?|"
    r"first|therefore|thus|explains?|resolves?|closes|without|robust|practical|helps?|"
    r"opens?|crucial|key|benefit|stability|generaliz|insight|reveal)",
    re.IGNORECASE,
)
_CLAUSE_BREAK = re.compile(r"(?<=[,;:])\s+|\s+[—–-]\s+")
SPEAKERS = ("Ada", "Sam")
_STOPWORDS = {"a", "an", "and", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to",
              "with"}


def split_sentences(text: str) -> list[str]:
    """Split prose into sentences, keeping abbreviations such as 'e.g.' intact."""
    sentences: list[str] = []
    for paragraph in re.split(r"\n\s*\n", text):
        flat = " ".join(paragraph.split())
        sentences += [s.strip() for s in _SENTENCE_END.split(flat) if len(s.split()) >= 3]
    return sentences


def shorten(sentence: str, max_words: int) -> str:
    """Return `sentence` within `max_words`, cut at a clause boundary where possible."""
    words = sentence.split()
    if len(words) <= max_words:
        return sentence
    clause = ""
    for piece in _CLAUSE_BREAK.split(sentence):
        candidate = f"{clause} {piece}".strip() if clause else piece
        if len(candidate.split()) > max_words - 1:
            break
        clause = candidate
    if len(clause.split()) >= max_words // 2:
        return clause.rstrip(",;:") + "…"
    return " ".join(words[: max_words - 1]).rstrip(",;:") + "…"


def _fit(sentences: list[str], max_words: int) -> str:
    """Join whole sentences while they fit; shorten the first when none does."""
    chosen: list[str] = []
    for sentence in sentences:
        if len(" ".join(chosen + [sentence]).split()) <= max_words:
            chosen.append(sentence)
        elif not chosen:
            return shorten(sentence, max_words)
        else:
            break
    return " ".join(chosen)


def _pick(sentences: list[str], cue: re.Pattern, exclude: set[str]) -> list[str]:
    return [s for s in sentences if cue.search(s) and s not in exclude]


def _label_for(sentence: str, number: str) -> str:
    """Return the few words after `number` (up to the next number or clause end)."""
    before, after = sentence.split(number, 1)
    after = re.split(r"[,;:]\s|\.(?:\s|$)|[()]", after)[0]
    words = []
    for word in after.split():
        if numbers_in(word):
            break
        words.append(word)
    if any(word.lower() not in _STOPWORDS for word in words):
        return " ".join(words[:6])
    return " ".join(before.split()[-3:])


def _key_numbers(sentences: list[str], limit: int = 3) -> list[KeyNumber]:
    """Copy up to `limit` distinct numbers with the words after them and their sentence."""
    picked: list[KeyNumber] = []
    for sentence in sentences:
        for number in numbers_in(sentence):
            if re.fullmatch(r"(19|20)\d\d", number) or any(k.value == number for k in picked):
                continue
            label = _label_for(sentence, number)
            picked.append(KeyNumber(value=number, label=label or "reported figure",
                                    source=sentence))
            if len(picked) == limit:
                return picked
    return picked


def _comic(title: str, context: str, done: str, result: str, why: str) -> list[ComicFrame]:
    """Four frames: the question, the idea, the result, why it matters."""
    limit = LIMITS["dialogue"]
    ada, sam = SPEAKERS

    def frame(caption: str, question: str, answer: str) -> ComicFrame:
        return ComicFrame(caption=caption, lines=[
            DialogueLine(speaker=sam, text=question),
            DialogueLine(speaker=ada, text=shorten(answer, limit)),
        ])

    return [
        frame("The question", "What is this paper about?", context or title),
        frame("The idea", "So what did they do?", done),
        frame("The result", "Did it work?", result),
        frame("Why it matters", "Why should I care?", why),
    ]


def _why_sentence(sentences: list[str], taken: set[str]) -> str:
    """Pick the sentence with most 'why it matters' cues, preferring later ones."""
    candidates = [s for s in sentences if s not in taken] or sentences
    scored = [(len(_WHY_CUES.findall(s)), i, s) for i, s in enumerate(candidates)]
    return max(scored)[2]


def draft_content(title: str, source: str) -> SummaryContent:
    """Draft every summary field from sentences of `source`."""
    sentences = split_sentences(source) or [title]
    context = sentences[0]
    done = [s for s in sentences if _DONE_CUES.search(s)] or sentences[:1]
    why = _why_sentence(sentences, {context, done[0]})
    used = {context, done[0], why}
    result = next((s for s in sentences if numbers_in(s) and s not in used),
                  next((s for s in sentences if s not in used), why))
    points = [s for s in sentences if s not in (done[0], why)] + [done[0], why]
    return SummaryContent(
        tldr=shorten(done[0], TLDR_WORDS),
        what_was_done=_fit(done, LIMITS["what_was_done"]),
        why_it_matters=_fit([why], LIMITS["why_it_matters"]),
        key_points=[shorten(p, LIMITS["key_point"]) for p in _dedupe(points)[:5]],
        key_numbers=_key_numbers([s for s in sentences if numbers_in(s)]),
        comic=_comic(title, context, done[0], result, why),
    )


def _dedupe(items: list[str]) -> list[str]:
    unique = list(dict.fromkeys(items))
    while len(unique) < 3:
        unique.append(unique[len(unique) % max(len(unique), 1)] if unique else "")
    return unique


class OfflineBackend:
    """Extractive drafting from the abstract and notes; deterministic and grounded."""

    name = "offline"

    def __init__(self, **_options: object):
        self.model = MODEL

    async def draft(self, request: DraftRequest) -> DraftResult:
        content = draft_content(request.title, request.source)
        return DraftResult(content=content, model=MODEL,
                           prompt_hash=content_hash(MODEL), usage=Usage())

    async def aclose(self) -> None:
        return None
