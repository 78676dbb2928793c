"""Derive the strict JSON schema sent to the model from the pydantic model that checks it.

One definition (`LimitedDraft`) both validates summary replies and tells the model what
to write, so the two cannot drift apart. OpenAI's strict mode wants every property
required, no defaults and no string length keywords; word limits become descriptions,
and validation enforces them after the reply arrives.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from pydantic import BaseModel, ValidationError

from ....core.hashing import content_hash
from ....core.models import LIMITS, LimitedDraft

SCHEMA_NAME = "paper_summary"
# (owner model title, property) -> LIMITS key; the limit is written into the description.
_WORD_LIMITS = {
    ("LimitedDraft", "tldr"): "tldr",
    ("LimitedDraft", "what_was_done"): "what_was_done",
    ("LimitedDraft", "why_it_matters"): "why_it_matters",
    ("LimitedDraft", "key_points"): "key_point",
    ("ComicFrame", "caption"): "caption",
    ("DialogueLine", "text"): "dialogue",
}
_DROPPED = ("default", "minLength", "maxLength", "title")


def strict_schema(model: type[BaseModel] = LimitedDraft) -> dict[str, Any]:
    """Return `model`'s JSON schema in the form OpenAI's strict structured outputs accept."""
    schema = copy.deepcopy(model.model_json_schema())
    for name, node in [(model.__name__, schema), *schema.get("$defs", {}).items()]:
        _strict_object(name, node)
    return schema


def _strict_object(owner: str, node: dict[str, Any]) -> None:
    """Make every property required and move word limits into descriptions."""
    node.pop("title", None)
    if owner == "LimitedDraft":
        node.pop("description", None)  # the docstring speaks to developers, not the model
    properties = node.get("properties", {})
    node["required"] = list(properties)
    node["additionalProperties"] = False
    for prop, spec in properties.items():
        for key in _DROPPED:
            spec.pop(key, None)
        spec.get("items", {}).pop("title", None)
        limit = _WORD_LIMITS.get((owner, prop))
        if limit:
            each = "each item " if spec.get("type") == "array" else ""
            note = f"At most {LIMITS[limit]} words {each}(hard limit)."
            spec["description"] = f"{spec['description']} {note}" if "description" in spec else note


def response_format(mode: str, schema: dict[str, Any]) -> dict[str, Any] | None:
    """Return the `response_format` parameter for `mode` (json_schema, json_object, prompt)."""
    if mode == "json_schema":
        return {"type": "json_schema",
                "json_schema": {"name": SCHEMA_NAME, "schema": schema, "strict": True}}
    if mode == "json_object":
        return {"type": "json_object"}
    return None


def schema_hash(schema: dict[str, Any]) -> str:
    """Return a stable hash of `schema`; a changed schema invalidates cached replies."""
    return content_hash(json.dumps(schema, sort_keys=True))


class ReplyError(ValueError):
    """A reply that is not valid JSON for the schema; the message goes back to the model."""


def parse_reply(text: str | None) -> LimitedDraft:
    """Parse and validate a model reply, or raise ReplyError saying what is wrong."""
    if not text or not text.strip():
        raise ReplyError("the reply was empty; reply with one JSON object")
    body = _strip_fence(text.strip())
    try:
        data = json.loads(body)
    except json.JSONDecodeError as exc:
        raise ReplyError(f"the reply is not valid JSON: {exc.msg} at line {exc.lineno} "
                         f"column {exc.colno}") from None
    try:
        return LimitedDraft.model_validate(data)
    except ValidationError as exc:
        raise ReplyError(describe_errors(exc)) from None


def describe_errors(exc: ValidationError, limit: int = 12) -> str:
    """Return pydantic errors as short 'path: message' lines the model can act on."""
    lines = []
    for error in exc.errors()[:limit]:
        path = ".".join(str(part) for part in error["loc"]) or "reply"
        lines.append(f"- {path}: {error['msg']}")
    return "the reply does not match the schema:\n" + "\n".join(lines)


def _strip_fence(text: str) -> str:
    """Drop a ```json fence that models add in prompted-JSON mode."""
    if text.startswith("```"):
        text = text.split("\n", 1)[1] if "\n" in text else ""
        text = text.rsplit("```", 1)[0]
    return text.strip()
