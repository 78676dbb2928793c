"""Resolve the openai backend's settings and keep the API key out of every message.

Values come from, in order of precedence: command-line options, environment variables
(`CONFGEN_MODEL`, `OPENAI_BASE_URL`, `CONFGEN_PRICES`), the event's `llm:` section, then
defaults. The API key comes only from `OPENAI_API_KEY`: an event file is shared and
committed, so a key in it is refused rather than used.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ....core.errors import ConfgenError, Problem
from ....core.fulltext import DEFAULT_TOKENS
from ....core.yamlio import read_yaml

MODES = ("json_schema", "json_object", "prompt")
LOCAL_KEY = "not-needed"  # OpenAI-compatible local servers accept any key


class Price(BaseModel):
    """US dollars per million tokens."""

    model_config = ConfigDict(extra="forbid")
    input: float = Field(ge=0)
    output: float = Field(ge=0)


class LLMSettings(BaseModel):
    """The `llm:` section of event.yaml, completed from the environment and the CLI."""

    model_config = ConfigDict(extra="forbid")
    model: str | None = None
    base_url: str | None = None
    timeout: float = Field(default=120.0, gt=0)
    max_retries: int = Field(default=5, ge=0, le=20)
    max_tokens: int | None = Field(default=None, gt=0)
    temperature: float | None = Field(default=None, ge=0, le=2)
    reasks: int = Field(default=2, ge=0, le=5)
    # Of those, how many may ask only to shorten over-long fields; then the best reply
    # is kept and its overshoots are recorded in the summary's checks.
    length_reasks: int = Field(default=1, ge=0, le=5)
    response_format: Literal["json_schema", "json_object", "prompt"] = "json_schema"
    prompts: Path | None = None
    prices: dict[str, Price] = {}
    completion_window: str = "24h"
    # Tokens of the paper's full text (introduction, results, conclusion first) that a
    # prompt carries beside the abstract; read by drafting (summarize.request_for).
    fulltext_tokens: int = Field(default=DEFAULT_TOKENS, ge=0)


def resolve_settings(llm: dict | None = None, event_root: Path | None = None,
                     **overrides: object) -> LLMSettings:
    """Merge the `llm:` section with the environment and CLI `overrides` (None = unset)."""
    section = dict(llm or {})
    if any(key.lower() in ("api_key", "key", "openai_api_key") for key in section):
        raise ConfgenError("event.yaml llm: never put an API key in the event file; "
                           "set the OPENAI_API_KEY environment variable instead")
    env = {"model": os.environ.get("CONFGEN_MODEL"),
           "base_url": os.environ.get("OPENAI_BASE_URL")}
    section.update({k: v for k, v in env.items() if v})
    section.update({k: v for k, v in overrides.items() if v is not None})
    try:
        settings = LLMSettings.model_validate(section)
    except ValidationError as exc:
        raise ConfgenError([Problem(None, None, f"event.yaml llm.{'.'.join(map(str, e['loc']))}"
                                    f": {e['msg']}") for e in exc.errors()]) from None
    if settings.prompts is not None and event_root is not None \
            and overrides.get("prompts") is None:  # llm.prompts is relative to the event
        settings.prompts = event_root / settings.prompts
    settings.prices = {**load_price_file(), **settings.prices}
    return settings


def require_model(settings: LLMSettings) -> str:
    """Return the model name or explain the three ways to set it."""
    if not settings.model:
        raise ConfgenError("no model configured for the openai backend: pass --model, set "
                           "CONFGEN_MODEL, or add `llm: {model: NAME}` to event.yaml")
    return settings.model


def api_key(settings: LLMSettings) -> str:
    """Return the key from OPENAI_API_KEY; local servers (a base URL) need none."""
    key = os.environ.get("OPENAI_API_KEY")
    if key:
        return key
    if settings.base_url:
        return LOCAL_KEY
    raise ConfgenError("the openai backend needs OPENAI_API_KEY, or OPENAI_BASE_URL for a "
                       "local OpenAI-compatible server")


def load_price_file() -> dict[str, Price]:
    """Read the price table named by CONFGEN_PRICES (model: {input, output} per 1M tokens)."""
    name = os.environ.get("CONFGEN_PRICES")
    if not name:
        return {}
    data = read_yaml(Path(name)).data or {}
    try:
        return {str(model): Price.model_validate(price) for model, price in data.items()}
    except (ValidationError, AttributeError) as exc:
        raise ConfgenError(f"{name}: expected `model: {{input: USD, output: USD}}` per "
                           f"million tokens ({exc.__class__.__name__})") from None


_TOKEN_LIKE = re.compile(r"\b(sk-[A-Za-z0-9_\-]{8,}|Bearer\s+\S+)")


def redact(text: str, *secrets: str) -> str:
    """Remove the API key (and anything shaped like a key) from text meant for people."""
    for secret in (*secrets, os.environ.get("OPENAI_API_KEY", "")):
        if secret and len(secret) >= 4 and secret != LOCAL_KEY:
            text = text.replace(secret, "[redacted]")
    return _TOKEN_LIKE.sub("[redacted]", text)
