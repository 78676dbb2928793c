"""A deterministic, extractive drafter that needs no network and no key.

Every sentence it writes is a sentence (or the leading clause of one) from the paper's
own abstract or the user's notes, so every number it prints is grounded by construction.
Cue phrases decide which sentences say what was done and which say why it matters.
"""

from __future__ import annotations

import re

from ...core.errors import DraftError
from ...core.grounding import NUMBER, numbers_in
from ...core.hashing import content_hash
from ...core.models import LIMITS, ComicFrame, DialogueLine, KeyNumber, SummaryContent
from .base import DraftRequest, DraftResult, Usage

MODEL = "extractive-v1"
TLDR_WORDS = 18  # a one-liner, shorter than what_was_done
# Words whose period never ends a sentence (case-insensitive, without the period).
_ABBREVIATIONS = {"e.g", "i.e", "al", "vs", "cf", "fig", "figs", "eq", "eqs", "sec", "secs",
                  "resp", "approx", "ref", "refs", "no", "nos", "thm", "lem", "def", "prop",
                  "cor", "ch", "chap", "vol", "pp", "app", "tab", "dr", "prof", "mr", "ms",
                  "st", "jr", "inc", "ltd", "co", "viz", "w.r.t", "a.k.a", "ca", "est"}
_BOUNDARY = re.compile(r"[.!?][\"”’)\]]*\s+")
_MIN_SENTENCE_WORDS = 3  # fewer words outside brackets: a fragment, a citation
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
    """Split prose into sentences; abbreviations, initials and citations never end one.

    A period ends a sentence only outside brackets, after a word that is no abbreviation
    (e.g., i.e., et al., Fig., Eq., vs.) or initial ("J. Smith"), before a capital, a
    digit or an opening quote or bracket. Fragments (a stray citation) are dropped.
    """
    sentences: list[str] = []
    for paragraph in re.split(r"\n\s*\n", text):
        flat = " ".join(paragraph.split())
        start = 0
        for match in _BOUNDARY.finditer(flat):
            if _ends_sentence(flat, start, match):
                sentences.append(flat[start:match.end()].strip())
                start = match.end()
        sentences.append(flat[start:].strip())
    return [s for s in sentences if _is_sentence(s)]


def _ends_sentence(text: str, start: int, match: re.Match) -> bool:
    following = text[match.end():match.end() + 1]
    if not following or not (following.isupper() or following.isdigit() or following in "\"“(["):
        return False
    piece = text[start:match.start() + 1]
    if piece.count("(") > piece.count(")") or piece.count("[") > piece.count("]"):
        return False  # inside "(Smith et al., 2023. ...)" or "[12. ...]"
    word = re.search(r"(\S+)$", text[start:match.start()])
    last = word.group(1).lstrip("([\"“") if word else ""
    if text[match.start()] == "." and (last.lower() in _ABBREVIATIONS or
                                       re.fullmatch(r"[A-Z]", last)):
        return False  # "e.g.", "Fig.", the initial of "J. Smith"
    return True


def _is_sentence(text: str) -> bool:
    outside = re.sub(r"\([^()]*\)|\[[^\[\]]*\]", " ", text)  # a citation alone is no sentence
    words = [w for w in outside.split() if re.search(r"[^\W\d_]{2,}", w)]
    return len(words) >= _MIN_SENTENCE_WORDS and bool(re.match(r"[\"“(\[]?[^\W_]", text)) \
        and not re.match(r"[\"“(\[]?[a-z]", text)


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
    if words and words[0].lower().rstrip(".") == "vs":
        words = []  # "96.01% vs. 55.68%": the words before say what was measured
    while words and words[-1].lower() in _STOPWORDS:
        words.pop()  # "15B mixture-of-experts and" reads better without the dangling "and"
    if words:
        return " ".join(words)
    before = [w.strip("()[],;:") for w in sentence[:start].split()]
    before = [w for w in before if w and not numbers_in(w) and w.lower().rstrip(".") != "vs"]
    return " ".join(before[-3:])


_FUNCTION_WORDS = {"a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have",
                   "in", "is", "of", "on", "or", "than", "that", "the", "to", "vs", "was",
                   "were", "when", "where", "which", "while", "who", "with"}
_UNIT = re.compile(r"[%x×kKmMbB]|to|-|–")
_COUNTED = re.compile(r"\s*(?:[a-zA-Z][\w-]*)")  # "30 variants", "4 datasets"
_NOT_A_RESULT_BEFORE = re.compile(
    r"(?:[=<>≤≥≈∼~^_/]|\b(?:fig(?:ure)?s?|tables?|sec(?:tion)?s?|eqs?|equations?|theorems?|"
    r"lemmas?|appendix|chapter|lines?|step|stage|phase|version|v|top)\.?|[A-Za-zΘΩΟ]\(|"
    r"\d\s?[−-])\s*$",
    re.IGNORECASE)


def _is_result(sentence: str, start: int, end: int, value: str) -> bool:
    """Say whether a number is a result or measurement, not math, a year or a reference.

    Kept: a number with a unit (12%, 3×, 15B, 2 to 5) or one that counts something
    ("30 variants"). Left out: years, citations ([12], (Smith, 2023)), math (the 0 of
    ε > 0, the 1 of O(1), x_2), references (Fig. 3, Section 2, line 042).
    """
    before = sentence[:start]
    if re.fullmatch(r"(19|20)\d\d", value) or re.fullmatch(r"0\d+", value):
        return False  # a year; a zero-padded line number
    if before.count("[") > before.count("]") or _NOT_A_RESULT_BEFORE.search(before):
        return False
    if sentence[end:end + 1] in ")]" and re.search(r"[A-Za-zΘΩΟ]\($|[(\[]\s*$", before):
        return False  # O(1), [12]
    if re.search(r"[%×x]", value):
        return True
    if set(re.sub(r"\D", "", value)) <= {"0", "1"}:
        return False  # 0-1 matrices, "with probability 1": math, not a measurement
    if _UNIT.search(value):
        return True
    counted = _COUNTED.match(sentence[end:])
    return bool(counted) and counted.group(0).strip().lower() not in _FUNCTION_WORDS


# The section marks of the full text's excerpt in a request (core.fulltext.excerpt).
_SECTION_MARK = re.compile(r"(?m)^\[(?:§ ([^\]\n]+)|page \d+)\]$")
_RESULTS_TITLE = re.compile(r"(?i)result|experiment|evaluation|finding|benchmark")


def _key_numbers(sentences: list[str], limit: int = 3,
                 results: frozenset[str] = frozenset()) -> list[KeyNumber]:
    """Copy up to `limit` distinct result numbers with label and sentence; those of a
    results section first, then those with units."""
    found = []
    for order, sentence in enumerate(sentences):
        for start, end in _number_spans(sentence):
            value = sentence[start:end].strip()
            if not _is_result(sentence, start, end, value):
                continue
            has_unit = bool(_UNIT.search(value))
            found.append((sentence not in results, not has_unit, order, start, value, sentence,
                          end))
    picked: list[KeyNumber] = []
    for _, _, _, start, value, sentence, end in sorted(found):
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


def _comic(title: str, answers: list[str], spare: list[str]) -> list[ComicFrame]:
    """Frames (question, idea, result, why): Sam asks, Ada answers from the paper.

    No two frames say the same: a repeated answer is replaced by an unused sentence
    (`spare`), or its frame is left out (a comic has 3 or 4 frames).
    """
    ada, sam = SPEAKERS
    variant = int(content_hash(title), 16) % 3  # varied but deterministic questions
    frames, said = [], set()
    spare = list(spare)
    for caption, questions, answer in zip(CAPTIONS, QUESTIONS, answers, strict=True):
        text = shorten(_plain(answer), LIMITS["dialogue"])
        while text in said and spare:
            text = shorten(_plain(spare.pop(0)), LIMITS["dialogue"])
        if text in said:
            continue
        said.add(text)
        frames.append(ComicFrame(caption=caption, lines=[
            DialogueLine(speaker=sam, text=questions[variant]),
            DialogueLine(speaker=ada, text=text)]))
    while len(frames) < 3:  # a two-sentence abstract: the idea frame again, asked anew
        frames.append(ComicFrame(caption=CAPTIONS[len(frames)], lines=[
            DialogueLine(speaker=sam, text=QUESTIONS[len(frames)][variant]),
            DialogueLine(speaker=ada, text=f"Read it: {shorten(title, 12)}")]))
    return frames


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
    """Draft every summary field from sentences of `source`; notes only argue why.

    Raise DraftError when `source` has no sentence: a summary is never made up from the
    title alone (a scanned PDF, a title from a list).
    """
    note_sentences = set(split_sentences(notes)) if notes else set()
    blocks = _SECTION_MARK.split(source)  # text, title, text, ...: the full text's sections
    everything = [s for block in blocks[::2] for s in split_sentences(block)]
    results = frozenset(s for title, block in zip(blocks[1::2], blocks[2::2], strict=True)
                        if _RESULTS_TITLE.search(title or "") for s in split_sentences(block))
    if not everything:
        raise DraftError("its abstract and notes hold no sentence to draft from; add the "
                         "abstract (or notes) to event.yaml")
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
        key_numbers=_key_numbers([s for s in paper if numbers_in(s)], results=results),
        comic=_comic(title, [context, done[0], result, why],
                     [s for s in everything if s not in (context, done[0], result, why)]),
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
