"""A deterministic, extractive drafter that needs no network and no key.

Every sentence it writes is a sentence (or the leading clause of one) from the paper's
own abstract or the user's notes, so every number it prints is grounded by construction.
Cue phrases decide which sentences say what was done and which say why it matters.
"""

from __future__ import annotations

import re

from ...core.grounding import NUMBER, numbers_in
from ...core.hashing import content_hash
from ...core.models import LIMITS, ComicFrame, DialogueLine, KeyNumber, SummaryContent
from .base import DraftRequest, DraftResult, Usage

MODEL = "extractive-v1"
TLDR_WORDS = 18  # a one-liner, shorter than what_was_done
_ABBREVIATIONS = r"(?<!\be\.g)(?<!\bi\.e)(?<!\bet al)(?<!\bvs)(?<!\bcf)(?<!\bFig)(?<!\bEq)"
_SENTENCE_END = re.compile(_ABBREVIATIONS + r"(?<=[.!?])\s+(?=[\"“(\[]?[A-Z0-9])")
_DONE_CUES = re.compile(
    r"\b(we|they|this (paper|work|study)|the (authors|study|paper|team)|our)\b.{0,40}?"
    r"\b(propose|introduce|present|"
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
_RESULT_CUES = re.compile(
    r"\b(improv|outperform|achiev|speed|faster|reduc|increas|found|finds?|gains?|falls?|"
    r"drops?|match|reach|better|accura|scal|beat|surpass|consistent)", re.IGNORECASE)
_BACK_REFERENCE = re.compile(r"^(it|this|they|these|those|such|that|its|their)\b", re.I)
_LEAD_IN = re.compile(r"^(this (matters|is important) because|importantly|in short),?\s+", re.I)
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


def _plain(sentence: str) -> str:
    """Drop a lead-in such as 'This matters because' so the sentence stands as a point."""
    stripped = _LEAD_IN.sub("", sentence)
    return stripped[:1].upper() + stripped[1:] if stripped != sentence else sentence


def _number_spans(sentence: str) -> list[tuple[int, int]]:
    """Return (start, end) of each number, merging ranges such as '2 to 5' or '20x-50x'."""
    spans: list[tuple[int, int]] = []
    for match in NUMBER.finditer(sentence):
        between = sentence[spans[-1][1]:match.start()] if spans else ""
        if spans and re.fullmatch(r"\s*(?:to|-|–|—)\s*", between):
            spans[-1] = (spans[-1][0], match.end())
        else:
            spans.append((match.start(), match.end()))
    return spans


def _label_after(sentence: str, start: int, end: int) -> str:
    """Return the few words after a number, up to the next number or clause end."""
    after = re.split(r"[,;:]\s|\.(?:\s|$)|[()]", sentence[end:])[0]
    words = []
    for word in after.split():
        if numbers_in(word):
            break
        words.append(word)
    words = words[:6]
    while words and words[-1].lower() in _STOPWORDS:
        words.pop()  # "15B mixture-of-experts and" reads better without the dangling "and"
    if words:
        return " ".join(words)
    return " ".join(sentence[:start].split()[-3:])


def _key_numbers(sentences: list[str], limit: int = 3) -> list[KeyNumber]:
    """Copy up to `limit` distinct numbers with their label and sentence; units first."""
    found = []
    for order, sentence in enumerate(sentences):
        for start, end in _number_spans(sentence):
            value = sentence[start:end].strip()
            if re.fullmatch(r"(19|20)\d\d", value):
                continue  # a year is rarely a key number
            has_unit = bool(re.search(r"[%x×kKmMbB]|to|-|–", value))
            found.append((not has_unit, order, start, value, sentence, end))
    picked: list[KeyNumber] = []
    for _, _, start, value, sentence, end in sorted(found):
        if all(k.value != value for k in picked):
            picked.append(KeyNumber(value=value, label=_label_after(sentence, start, end) or
                                    "reported figure", source=sentence))
        if len(picked) == limit:
            break
    return picked


QUESTIONS = (
    ("What is this paper about?", "What problem are they tackling?", "What's the big question?"),
    ("So what did they do?", "What's the trick?", "How did they go about it?"),
    ("Did it work?", "And what did they find?", "So, results?"),
    ("Why should I care?", "Why does that matter?", "What's the takeaway?"),
)
CAPTIONS = ("The question", "The idea", "The result", "Why it matters")


def _comic(title: str, answers: list[str]) -> list[ComicFrame]:
    """Four frames (question, idea, result, why): Sam asks, Ada answers from the paper."""
    ada, sam = SPEAKERS
    variant = int(content_hash(title), 16) % 3  # varied but deterministic questions
    return [
        ComicFrame(caption=caption, lines=[
            DialogueLine(speaker=sam, text=questions[variant]),
            DialogueLine(speaker=ada, text=shorten(_plain(answer), LIMITS["dialogue"])),
        ])
        for caption, questions, answer in zip(CAPTIONS, QUESTIONS, answers, strict=True)
    ]


def _why_sentence(sentences: list[str], taken: set[str]) -> str:
    """Pick the sentence with most 'why it matters' cues, preferring later ones."""
    candidates = [s for s in sentences if s not in taken] or sentences
    scored = [(len(_WHY_CUES.findall(s)), i, s) for i, s in enumerate(candidates)]
    return max(scored)[2]


def _result_sentence(sentences: list[str], used: set[str], fallback: str) -> str:
    """Prefer an unused sentence that reports a result, ideally with a number."""
    scored = [(bool(_RESULT_CUES.search(s)) * 2 + bool(numbers_in(s)), -i, s)
              for i, s in enumerate(sentences) if s not in used]
    best = max(scored, default=(0, 0, fallback))
    return best[2] if best[0] > 0 else next((s for s in sentences if s not in used), fallback)


def draft_content(title: str, source: str, notes: str = "") -> SummaryContent:
    """Draft every summary field from sentences of `source`; notes only argue why."""
    note_sentences = set(split_sentences(notes)) if notes else set()
    everything = split_sentences(source) or [title]
    paper = [s for s in everything if s not in note_sentences] or everything
    context = paper[0]
    done = [s for s in paper if _DONE_CUES.search(s)] or paper[:1]
    why = _why_sentence(everything, {context, done[0]})
    result = _result_sentence(paper, {context, done[0], why}, why)
    others = [s for s in paper if s not in (done[0], why)]
    points = others if len(others) >= 3 else others + [done[0], why]  # no echo of what/why
    standalone = [s for s in (result, done[0]) if not _BACK_REFERENCE.match(s)]
    return SummaryContent(
        tldr=shorten(_plain(standalone[0] if standalone else done[0]), TLDR_WORDS),
        what_was_done=_fit(done, LIMITS["what_was_done"]),
        why_it_matters=_fit([why], LIMITS["why_it_matters"]),
        key_points=[shorten(_plain(p), LIMITS["key_point"]) for p in _dedupe(points)[:5]],
        key_numbers=_key_numbers([s for s in paper if numbers_in(s)]),
        comic=_comic(title, [context, done[0], result, why]),
    )


def _dedupe(items: list[str]) -> list[str]:
    """Drop repeats; pad to the 3 key points a summary needs (items is never empty)."""
    unique = list(dict.fromkeys(items))
    return unique + [unique[0]] * (3 - len(unique))


class OfflineBackend:
    """Extractive drafting from the abstract and notes; deterministic and grounded."""

    name = "offline"

    def __init__(self, **_options: object):
        self.model = MODEL

    async def draft(self, request: DraftRequest) -> DraftResult:
        content = draft_content(request.title, request.source, request.notes)
        return DraftResult(content=content, model=MODEL,
                           prompt_hash=content_hash(MODEL), usage=Usage())

    async def aclose(self) -> None:
        return None
