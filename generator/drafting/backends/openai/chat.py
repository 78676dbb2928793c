"""One paper's conversation with the model: request, check, re-ask, fall back.

The SDK already retries 408/409/429/5xx and timeouts with backoff, honouring
Retry-After; this module handles what is left. A reply that is not valid JSON for the
schema (or too long for the layouts) is sent back with the validation error, a capped
number of times. A truncated reply, a refusal or a content filter fails the paper with a
clear message. A server that rejects `json_schema` moves the whole run to `json_object`,
then to JSON described in the prompt. With `strict`, numbers or quotes the paper does
not contain get one more re-ask before the paper fails.
"""

from __future__ import annotations

import re
from contextvars import ContextVar

import openai

from ....core.errors import DraftError
from ....core.grounding import ground
from ....core.models import LimitedDraft
from ..base import DraftRequest, Usage
from .prompts import Prompts
from .schema import ReplyError, parse_reply, response_format
from .settings import MODES, LLMSettings, redact

# The Usage of the draft running in the current asyncio task; the HTTP hook counts
# every request there, SDK retries included.
current_usage: ContextVar[Usage | None] = ContextVar("confgen_current_usage", default=None)
_SCHEMA_REJECTED = re.compile(r"response_format|json_schema|json_object|schema|structured|"
                              r"grammar|guided", re.IGNORECASE)
_FATAL = (openai.AuthenticationError, openai.PermissionDeniedError, openai.NotFoundError)


async def count_request(_request: object) -> None:
    """Count one HTTP request against the draft in progress (an httpx event hook)."""
    usage = current_usage.get()
    if usage is not None:
        usage.requests += 1


class LLMDraftError(DraftError):
    """A paper failed; carries what the attempt used so the usage report stays honest."""

    def __init__(self, message: str, usage: Usage | None = None, fatal: bool = False):
        super().__init__(redact(message))
        self.usage = usage or Usage()
        self.fatal = fatal


class ModeLadder:
    """The response-format mode for the run, stepping down when a server rejects one."""

    def __init__(self, start: str = "json_schema"):
        self.modes = list(MODES[MODES.index(start):])

    @property
    def current(self) -> str:
        return self.modes[0]

    def step_down(self, failed: str) -> bool:
        """Leave `failed` behind (once, even if many papers hit it); False at the bottom."""
        if self.modes[0] == failed and len(self.modes) > 1:
            self.modes.pop(0)
        return self.modes[0] != failed


def describe_api_error(exc: openai.OpenAIError, settings: LLMSettings) -> str:
    """Turn an SDK error into one plain sentence, without the key or a raw request."""
    if isinstance(exc, openai.APITimeoutError):
        return (f"no reply within {settings.timeout:g} s after {settings.max_retries} "
                f"retries (timeout)")
    if isinstance(exc, openai.APIConnectionError):
        return f"cannot reach the server at {settings.base_url or 'api.openai.com'}"
    if isinstance(exc, openai.AuthenticationError):
        return "the server rejected the API key (401); check OPENAI_API_KEY"
    if isinstance(exc, openai.APIStatusError):
        detail = exc.body.get("message") if isinstance(exc.body, dict) else None
        retried = " after retries" if exc.status_code in (408, 409, 429) or \
            exc.status_code >= 500 else ""
        return f"HTTP {exc.status_code}{retried}: {detail or exc.message}"
    return f"{type(exc).__name__}: {exc}"


def check_choice(choice: object) -> None:
    """Fail the paper on truncation, refusal or a content filter."""
    message = choice.message  # type: ignore[attr-defined]
    if getattr(message, "refusal", None):
        raise ReplyFatal(f"the model refused: {message.refusal}")
    reason = choice.finish_reason  # type: ignore[attr-defined]
    if reason == "length":
        raise ReplyFatal("the reply was cut off at the token limit (finish_reason 'length'); "
                         "raise llm.max_tokens or use a model with a larger output limit")
    if reason == "content_filter":
        raise ReplyFatal("the reply was blocked by the server's content filter")


def chat_params(settings: LLMSettings, model: str, messages: list[dict], mode: str,
                schema: dict) -> dict:
    """Return the chat completion parameters (also the body of a batch request line)."""
    params: dict = {"model": model, "messages": messages}
    fmt = response_format(mode, schema)
    if fmt:
        params["response_format"] = fmt
    if settings.max_tokens:
        params["max_tokens"] = settings.max_tokens
    if settings.temperature is not None:
        params["temperature"] = settings.temperature
    return params


class ReplyFatal(Exception):
    """A reply that asking again will not fix."""


class Conversation:
    """Draft one paper: render prompts, call the model, validate, re-ask."""

    def __init__(self, client: openai.AsyncOpenAI, settings: LLMSettings, model: str,
                 prompts: Prompts, schema: dict, ladder: ModeLadder, strict: bool = False):
        self.client, self.settings, self.model = client, settings, model
        self.prompts, self.schema, self.ladder, self.strict = prompts, schema, ladder, strict

    async def run(self, request: DraftRequest, usage: Usage) -> tuple[LimitedDraft, str]:
        """Return validated content and the model that wrote it; raise LLMDraftError."""
        mode = self.ladder.current
        messages = self.prompts.messages(request, None if mode == "json_schema" else self.schema)
        reasks = grounding_asks = 0
        while True:
            try:
                response = await self._create(messages, mode, usage)
            except _ModeRejected:
                mode = self.ladder.current
                messages = self.prompts.messages(request, self.schema)
                continue
            try:
                content = self._validated(response)
            except ReplyFatal as exc:
                raise LLMDraftError(str(exc), usage) from None
            except ReplyError as exc:
                reasks += 1
                if reasks > self.settings.reasks:
                    raise LLMDraftError(f"no valid reply after {reasks} attempts; last "
                                        f"problem: {exc}", usage) from None
                messages = messages + reask_messages(response, str(exc))
                continue
            problems = ungrounded(content, request) if self.strict else []
            if not problems:
                return content, response.model or self.model
            grounding_asks += 1
            if grounding_asks > 1:
                raise LLMDraftError("--strict: the summary still states things the paper "
                                    "does not: " + "; ".join(problems), usage)
            messages = messages + reask_messages(response, grounding_note(problems))

    async def _create(self, messages: list[dict], mode: str, usage: Usage):
        params = chat_params(self.settings, self.model, messages, mode, self.schema)
        try:
            response = await self.client.chat.completions.create(**params)
        except openai.BadRequestError as exc:
            if mode != "prompt" and _SCHEMA_REJECTED.search(str(exc.message)) \
                    and self.ladder.step_down(mode):
                raise _ModeRejected from None
            raise LLMDraftError(describe_api_error(exc, self.settings), usage) from None
        except openai.OpenAIError as exc:
            raise LLMDraftError(describe_api_error(exc, self.settings), usage,
                                fatal=isinstance(exc, _FATAL)) from None
        if response.usage:
            usage.input_tokens += response.usage.prompt_tokens or 0
            usage.output_tokens += response.usage.completion_tokens or 0
        return response

    def _validated(self, response) -> LimitedDraft:
        if not response.choices:
            raise ReplyError("the reply had no choices")
        choice = response.choices[0]
        check_choice(choice)
        return parse_reply(choice.message.content)


class _ModeRejected(Exception):
    """The server rejected the response format; the ladder has stepped down."""


def reask_messages(response, problem: str) -> list[dict]:
    """Return the model's reply and a request to fix `problem`."""
    reply = response.choices[0].message.content if response.choices else ""
    return [{"role": "assistant", "content": reply or ""},
            {"role": "user", "content": f"Your reply cannot be used: {problem}\n"
                                        "Reply again with the complete, corrected JSON "
                                        "object only."}]


def ungrounded(content: LimitedDraft, request: DraftRequest) -> list[str]:
    """Return the numbers and quotes in `content` that the paper does not contain."""
    return [f"{c.field}: {c.message}" for c in ground(content, request.source, request.title)]


def grounding_note(problems: list[str]) -> str:
    return ("these numbers or quotes do not appear in the paper text: "
            + "; ".join(problems) + ". Use only numbers and quotes copied from the paper.")
