"""One paper's conversation with the model: request, read, re-ask, fall back.

The SDK already retries 408/409/429/5xx and timeouts with backoff, honouring
Retry-After; this module handles what is left. `reply.py` reads the JSON out of the
reply (reasoning blocks, fences, prose, damaged JSON). A reply that is not a summary is
sent back with what is wrong, a capped number of times. A reply whose only problem is
length gets one re-ask naming the fields to shorten; after that the best such reply is
kept and its overshoots are recorded, not fatal. A truncated reply, a refusal or a
content filter fails the paper. A server that rejects `json_schema` (or a keyword in
it) teaches `ServerMemory` what to send instead. With `strict`, numbers or quotes the
paper does not contain get one more re-ask before the paper fails.
"""

from __future__ import annotations

import json
import re
from contextvars import ContextVar
from dataclasses import dataclass

import openai

from ....core.errors import DraftError
from ....core.grounding import ground
from ....core.models import SummaryContent
from ..base import DraftRequest, Usage
from .prompts import Prompts
from .reply import Reading, ReplyError, json_candidate, read_message, shorten_request
from .schema import OPTIONAL_KEYWORDS, response_format, schema_to_send
from .server import ServerMemory
from .settings import LLMSettings, redact

# The Usage of the draft running in the current asyncio task; the HTTP hook counts
# every request there, SDK retries included.
current_usage: ContextVar[Usage | None] = ContextVar("confgen_current_usage", default=None)
_SCHEMA_REJECTED = re.compile(r"response_format|json_schema|json_object|schema|structured|"
                              r"grammar|guided", re.IGNORECASE)
_FATAL = (openai.AuthenticationError, openai.PermissionDeniedError, openai.NotFoundError)
WHOLE = "Reply again with the complete, corrected JSON object only."


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


@dataclass
class Drafted:
    """A conversation's outcome: the summary, the model that wrote it, whether repaired."""

    content: SummaryContent
    model: str
    repaired: bool = False


def learn_from_rejection(memory: ServerMemory, mode: str, message: str,
                         sent: dict | None) -> bool:
    """Learn from a 400 about the response format; True when a resend may succeed."""
    if mode == "prompt" or not _SCHEMA_REJECTED.search(message):
        return False
    sent_text = json.dumps(sent or {})
    named = [k for k in OPTIONAL_KEYWORDS if k in message and f'"{k}"' in sent_text]
    if named and memory.refuse(named):
        return True
    return memory.step_down(mode)


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
                         "raise llm.max_tokens (a reasoning model spends tokens thinking "
                         "first) or use a model with a larger output limit")
    if reason == "content_filter":
        raise ReplyFatal("the reply was blocked by the server's content filter")


def chat_params(settings: LLMSettings, model: str, messages: list[dict], mode: str,
                schema: dict | None) -> dict:
    """Return the chat completion parameters (also the body of a batch request line).

    `schema` is the one to send, as `request_schema` makes it for the server.
    """
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


class Turns:
    """One paper's re-ask budget, and the best reply whose only problem is length."""

    def __init__(self, settings: LLMSettings):
        self.reasks, self.length_reasks = settings.reasks, settings.length_reasks
        self.asked = self.length_asked = 0
        self.grounding_asked = False
        self.best: Reading | None = None
        self.base: dict | None = None  # the reply a "change only these fields" ask amends

    def take(self) -> bool:
        """Spend one re-ask for a reply that is not a summary; False when none is left."""
        self.base = None
        if self.asked >= self.reasks:
            return False
        self.asked += 1
        return True

    def take_length(self) -> bool:
        """Spend one re-ask for over-long fields; False when none is left for those."""
        if self.asked >= self.reasks or self.length_asked >= self.length_reasks:
            return False
        self.asked += 1
        self.length_asked += 1
        return True

    def keep(self, reading: Reading) -> None:
        if self.best is None or reading.excess <= self.best.excess:
            self.best = reading


class Conversation:
    """Draft one paper: render prompts, call the model, read, re-ask."""

    def __init__(self, client: openai.AsyncOpenAI, settings: LLMSettings, model: str,
                 prompts: Prompts, schema: dict, memory: ServerMemory, strict: bool = False):
        self.client, self.settings, self.model = client, settings, model
        self.prompts, self.schema, self.memory, self.strict = prompts, schema, memory, strict

    async def run(self, request: DraftRequest, usage: Usage) -> Drafted:
        """Return the summary and the model that wrote it; raise LLMDraftError."""
        turns = Turns(self.settings)
        messages: list[dict] | None = None
        while True:
            response, mode, messages = await self._reply(request, messages, usage)
            try:
                reading = self._read(response, turns.base)
            except ReplyFatal as exc:
                raise LLMDraftError(str(exc), usage) from None
            except ReplyError as exc:
                if turns.take():
                    messages = messages + reask_messages(echo(response), f"{exc}\n{WHOLE}")
                    continue
                if turns.best is not None:
                    return self._drafted(turns.best, response)
                raise LLMDraftError(f"no valid reply after {turns.asked + 1} attempts; last "
                                    f"problem: {exc}", usage) from None
            ask = self._follow_up(reading, turns, mode, request, usage)
            if ask is None:
                return self._drafted(turns.best or reading, response)
            messages = messages + reask_messages(reading.json, ask)

    def _follow_up(self, reading: Reading, turns: Turns, mode: str, request: DraftRequest,
                   usage: Usage) -> str | None:
        """Return what to ask next about a readable reply, or None to keep the best one."""
        problems = ungrounded(reading.content, request) if self.strict else []
        if problems:
            if turns.grounding_asked:
                raise LLMDraftError("--strict: the summary still states things the paper "
                                    "does not: " + "; ".join(problems), usage)
            turns.grounding_asked, turns.base = True, None
            return f"{grounding_note(problems)}\n{WHOLE}"
        turns.keep(reading)
        if not reading.overshoots or not turns.take_length():
            return None
        turns.base = reading.data
        return shorten_request(reading, whole_object=mode == "json_schema")

    def _drafted(self, reading: Reading, response) -> Drafted:
        return Drafted(reading.content, response.model or self.model, reading.repaired)

    async def _reply(self, request: DraftRequest, messages: list[dict] | None, usage: Usage):
        """Send `messages` (the first prompt when None) in the server's current format."""
        built_for = None if messages is None else self.memory.format
        while True:
            mode = self.memory.format
            if messages is None or built_for != mode:  # a new format wants a new prompt
                messages = self.prompts.messages(
                    request, None if mode == "json_schema" else self.schema)
                built_for = mode
            try:
                response = await self._create(messages, mode, usage)
            except _ModeRejected:
                continue
            self.memory.confirm(mode)
            return response, mode, messages

    async def _create(self, messages: list[dict], mode: str, usage: Usage):
        sent = schema_to_send(self.schema, mode, self.memory.profile.refused)
        params = chat_params(self.settings, self.model, messages, mode, sent)
        try:
            response = await self.client.chat.completions.create(**params)
        except openai.BadRequestError as exc:
            if learn_from_rejection(self.memory, mode, str(exc.message), sent):
                raise _ModeRejected from None
            raise LLMDraftError(describe_api_error(exc, self.settings), usage) from None
        except openai.OpenAIError as exc:
            raise LLMDraftError(describe_api_error(exc, self.settings), usage,
                                fatal=isinstance(exc, _FATAL)) from None
        if response.usage:
            usage.input_tokens += response.usage.prompt_tokens or 0
            usage.output_tokens += response.usage.completion_tokens or 0
        return response

    def _read(self, response, base: dict | None) -> Reading:
        if not response.choices:
            raise ReplyError("the reply had no choices")
        choice = response.choices[0]
        check_choice(choice)
        return read_message(choice.message, base)


class _ModeRejected(Exception):
    """The server rejected the response format or a keyword; the memory has learned."""


def echo(response) -> str:
    """Return the reply to send back in a re-ask: its JSON part, never its reasoning."""
    content = response.choices[0].message.content if response.choices else ""
    return json_candidate(content or "") or content or ""


def reask_messages(reply: str, ask: str) -> list[dict]:
    """Return the model's reply and what to change in it."""
    return [{"role": "assistant", "content": reply},
            {"role": "user", "content": f"Your reply cannot be used as it is: {ask}"}]


def ungrounded(content: SummaryContent, request: DraftRequest) -> list[str]:
    """Return the numbers and quotes in `content` that the paper does not contain."""
    return [f"{c.field}: {c.message}" for c in ground(content, request.source, request.title)]


def grounding_note(problems: list[str]) -> str:
    return ("these numbers or quotes do not appear in the paper text: "
            + "; ".join(problems) + ". Use only numbers and quotes copied from the paper.")
