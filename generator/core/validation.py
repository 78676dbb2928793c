"""Turn pydantic errors into located, readable problems with did-you-mean hints."""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import BaseModel, ValidationError

from .errors import Problem
from .yamlio import YamlDoc


def _model_at(model: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    """Follow `loc` through nested models to the model that owns its last key."""
    current: Any = model
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        field = getattr(current, "model_fields", {}).get(part)
        if field is None:
            return None
        current = _inner_model(field.annotation)
        if current is None:
            return None
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found:
            return found
    meta = getattr(annotation, "__origin__", None)
    return _inner_model(meta) if meta not in (None, list, dict) else None


def _describe(model: type[BaseModel], error: dict, prefix: tuple = ()) -> str:
    loc = tuple(p for p in error["loc"] if not (isinstance(p, str) and p.startswith("function-")))
    dotted = ".".join(str(p) for p in prefix + loc) or "document"
    if error["type"] == "extra_forbidden":
        key = str(loc[-1])
        owner = _model_at(model, loc)
        known = list(owner.model_fields) if owner else []
        hint = difflib.get_close_matches(key, known, n=1)
        suggestion = f"; did you mean {hint[0]!r}?" if hint else ""
        allowed = f" (known keys: {', '.join(known)})" if known and not hint else ""
        where = ".".join(str(p) for p in prefix + loc[:-1]) if prefix else ""  # "llm: ..."
        return f"{where + ': ' if where else ''}unknown key {key!r}{suggestion}{allowed}"
    if error["type"] == "missing":
        return f"{dotted}: required key is missing"
    message = error["msg"].removeprefix("Value error, ")
    return f"{dotted}: {message}"


def validation_problems(doc: YamlDoc, model: type[BaseModel], exc: ValidationError,
                        prefix: tuple = ()) -> list[Problem]:
    """Return one located problem per pydantic error.

    `prefix` is where `model` sits in the document (("llm",) for the `llm:` section).
    """
    problems = []
    for error in exc.errors(include_url=False):
        loc = tuple(p for p in error["loc"] if not (isinstance(p, str) and "[" in p))
        problems.append(doc.problem(prefix + loc, _describe(model, error, prefix)))
    return problems


def validate_doc(doc: YamlDoc, model: type[BaseModel]) -> tuple[BaseModel | None, list[Problem]]:
    """Validate a parsed YAML document against `model`; never raises on bad data."""
    if not isinstance(doc.data, dict):
        return None, [doc.problem((), "expected a mapping of keys to values at the top level")]
    try:
        return model.model_validate(doc.data), []
    except ValidationError as exc:
        return None, validation_problems(doc, model, exc)
