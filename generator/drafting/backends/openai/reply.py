"""Read the summary out of what models really send, then validate it.

Local and reasoning models rarely answer with the bare JSON object they were asked for:
a `<think>` block comes first, the JSON sits in a Markdown fence inside a sentence of
prose, a BOM leads, or the object has a trailing comma and no closing brace. This module
finds the object, parses it (repairing damaged JSON with `json-repair`, and saying so),
and validates its shape. Word limits are soft here: a reply that only overshoots them is
a usable summary, and its overshoots travel with it so the caller can ask once for a
shorter one, then keep the best reply and record what is still too long.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

import json_repair
from pydantic import ValidationError

from ....core.models import SummaryContent, overshoots

_REASONING = re.compile(r"<(think|thinking|reasoning|reflection)>.*?</\1>",
                        re.DOTALL | re.IGNORECASE)
# A chat template may open the block itself, so the reply holds only its end.
_CLOSING = re.compile(r"</(?:think|thinking|reasoning|reflection)>", re.IGNORECASE)
_FENCE = re.compile(r"```[ \t]*[A-Za-z0-9]*[ \t]*\r?\n(.*?)(?:```|\Z)", re.DOTALL)
_REASONING_FIELDS = ("reasoning_content", "reasoning")  # vLLM, llama.cpp, LM Studio, Ollama
_MAX_STARTS = 20  # braces tried as the start of the object


class ReplyError(ValueError):
    """A reply that is not a summary; the message goes back to the model."""


@dataclass
class Reading:
    """One reply, read: the object, the JSON to echo in a re-ask, and what is left to fix."""

    data: dict
    content: SummaryContent
    repaired: bool = False
    overshoots: list[tuple[str, int, int]] = field(default_factory=list)  # (field, words, limit)

    @property
    def excess(self) -> int:
        """Return how many words over the limits the reply is, in total."""
        return sum(words - limit for _, words, limit in self.overshoots)

    @property
    def json(self) -> str:
        return json.dumps(self.data, ensure_ascii=False)


def json_candidate(text: str) -> str | None:
    """Return the reply from its first `{` on, once reasoning, fences and prose are gone."""
    text = _REASONING.sub("", text.replace("\ufeff", ""))
    closing = list(_CLOSING.finditer(text))
    if closing:
        text = text[closing[-1].end():]
    for block in _FENCE.findall(text):
        if "{" in block:
            text = block
            break
    start = text.find("{")
    return text[start:].strip() if start >= 0 else None


def load_object(text: str) -> tuple[dict, bool]:
    """Return the JSON object in `text` and whether it had to be repaired.

    The object starts at the first `{`, unless that brace opens a phrase of prose: then
    the first later brace that opens a whole summary is taken (never an inner object).
    """
    candidate = json_candidate(text)
    if candidate is None:
        raise ReplyError("the reply holds no JSON object; reply with one JSON object only")
    starts = [m.start() for m in re.finditer(r"\{", candidate)][:_MAX_STARTS]
    first_error: json.JSONDecodeError | None = None
    for start in starts:
        try:
            data, _end = json.JSONDecoder().raw_decode(candidate[start:])  # prose after: fine
        except json.JSONDecodeError as exc:
            first_error = first_error or exc
            continue
        data = unwrap(data)
        if start == 0 or _is_summary(data):
            return data, False
    for start in starts:
        repaired = unwrap(json_repair.loads(candidate[start:]))
        if isinstance(repaired, dict) and _is_summary(repaired):
            return repaired, True
    error = first_error or json.JSONDecodeError("no object", candidate, 0)
    raise ReplyError(f"the reply is not valid JSON: {error.msg} at line {error.lineno} "
                     f"column {error.colno}")


def unwrap(data: object) -> object:
    """Return the summary a model wrapped in a one-item list or a one-key object."""
    if isinstance(data, list) and len(data) == 1:
        data = data[0]
    if isinstance(data, dict) and len(data) == 1:
        (inner,) = data.values()
        if isinstance(inner, dict) and set(inner) & set(SummaryContent.model_fields):
            return inner
    return data


def _is_summary(data: dict) -> bool:
    """True when a repaired object has a summary's shape (else the parse error says more)."""
    try:
        SummaryContent.model_validate(data)
    except ValidationError:
        return False
    return True


def reply_texts(message: object) -> list[str]:
    """Return the answer, then any reasoning field, of a chat message (SDK object or dict)."""
    def value(name: str) -> object:
        return message.get(name) if isinstance(message, dict) else getattr(message, name, None)

    texts = [value("content"), *(value(name) for name in _REASONING_FIELDS)]
    return [text for text in texts if isinstance(text, str) and text.strip()]


def read_message(message: object, base: dict | None = None) -> Reading:
    """Read a chat message: the answer, else the JSON a reasoning field ended with.

    `base` is the previous reply when the model was asked to change only some fields:
    the fields it sends replace those of `base`.
    """
    texts = reply_texts(message)
    if not texts:
        raise ReplyError("the reply was empty; reply with one JSON object")
    first_error: ReplyError | None = None
    for text in texts:
        try:
            data, repaired = load_object(text)
        except ReplyError as exc:
            first_error = first_error or exc
            continue
        return validate({**base, **data} if base else data, repaired)
    raise first_error  # type: ignore[misc]


def read_text(text: str | None) -> Reading:
    """Read a reply given as plain text."""
    return read_message({"content": text})


def validate(data: dict, repaired: bool = False) -> Reading:
    """Check the object's shape (a ReplyError otherwise) and note its overshoots."""
    try:
        content = SummaryContent.model_validate(data)
    except ValidationError as exc:
        raise ReplyError(describe_errors(exc)) from None
    return Reading(data=data, content=content, repaired=repaired,
                   overshoots=overshoots(content))


def describe_errors(exc: ValidationError, limit: int = 12) -> str:
    """Return pydantic errors as short 'path: message' lines the model can act on."""
    lines = []
    for error in exc.errors()[:limit]:
        path = ".".join(str(part) for part in error["loc"]) or "reply"
        lines.append(f"- {path}: {error['msg']}")
    return "the reply does not match the schema:\n" + "\n".join(lines)


def shorten_request(reading: Reading, whole_object: bool) -> str:
    """Return a re-ask naming each field to shorten and by how much, nothing else."""
    lines = [f"- {name}: {words} words; at most {limit} (cut {words - limit} or more)"
             for name, words, limit in reading.overshoots]
    fields = sorted({name.split("[")[0].split(".")[0] for name, _, _ in reading.overshoots})
    reply = ("Reply with the complete JSON object again, changing only these fields."
             if whole_object else
             "Reply with a JSON object holding only these top-level fields, shortened: "
             + ", ".join(fields) + " (send each one whole, e.g. the full key_points list).")
    return "These fields are over their word limits:\n" + "\n".join(lines) + "\n" + reply
