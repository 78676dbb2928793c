"""Derive the strict JSON schema sent to the model from the pydantic model that checks it.

One definition (`LimitedDraft`) both validates summary replies and tells the model what
to write, so the two cannot drift apart. OpenAI's strict mode wants every property
required and no defaults; word limits become descriptions, and validation checks them
after the reply arrives. Servers with grammar-constrained decoding (vLLM, llama.cpp)
can enforce a length, so the schema sent also carries `maxLength` in characters, unless
the server has said it refuses that keyword (see `server.py`).
"""

from __future__ import annotations

import copy
import json
from typing import Any

from pydantic import BaseModel

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
_FILLED_BY_CONFGEN = {"KeyNumber": ("where",)}  # never asked of the model
_DROPPED = ("default", "minLength", "maxLength", "title")
CHARS_PER_WORD = 8  # generous: `maxLength` is a backstop against runaways, not the limit
# Keywords a server may refuse; each is dropped from what is sent once it has.
OPTIONAL_KEYWORDS = ("maxLength", "minItems", "maxItems")


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
    for prop in _FILLED_BY_CONFGEN.get(owner, ()):
        properties.pop(prop, None)
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


def schema_to_send(schema: dict[str, Any], mode: str,
                   refused: list[str] | tuple[str, ...] = ()) -> dict[str, Any] | None:
    """Return the schema a request in `mode` carries: only json_schema sends one."""
    return request_schema(schema, refused) if mode == "json_schema" else None


def request_schema(schema: dict[str, Any], refused: list[str] | tuple[str, ...] = ()
                   ) -> dict[str, Any]:
    """Return the schema to send: `maxLength` on word-limited strings, minus `refused`."""
    sent = copy.deepcopy(schema)
    nodes = [("LimitedDraft", sent), *sent.get("$defs", {}).items()]
    for owner, node in nodes:
        for prop, spec in node.get("properties", {}).items():
            limit = _WORD_LIMITS.get((owner, prop))
            if limit:
                target = spec["items"] if spec.get("type") == "array" else spec
                target["maxLength"] = LIMITS[limit] * CHARS_PER_WORD
    for keyword in refused:
        _drop_keyword(sent, keyword)
    return sent


def _drop_keyword(node: Any, keyword: str) -> None:
    if isinstance(node, dict):
        if keyword in node and not isinstance(node.get(keyword), dict):
            del node[keyword]
        for value in node.values():
            _drop_keyword(value, keyword)
    elif isinstance(node, list):
        for value in node:
            _drop_keyword(value, keyword)


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
