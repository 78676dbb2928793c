"""Draft summaries through the official openai SDK, against OpenAI or any compatible server.

The backend is thin: it resolves settings, consults the response cache, and hands one
paper at a time to `chat.Conversation`. Until the server's response format is known
(`server.ServerMemory`), papers go one at a time, so the fallback chain is walked once,
not once per paper in flight. A fatal error (a rejected key, an unknown model) fails the
remaining papers without further requests.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import openai

from ....core.hashing import content_hash
from ..base import DraftRequest, DraftResult, Usage
from .cache import ResponseCache, cache_key
from .chat import Conversation, Drafted, LLMDraftError, count_request, current_usage
from .prompts import Prompts
from .schema import schema_hash, schema_to_send, strict_schema
from .server import ServerMemory
from .settings import LLMSettings, api_key, require_model, resolve_settings

CACHE_MODES = ("use", "refresh", "off")  # read+write, write only, neither


def make_client(settings: LLMSettings) -> openai.AsyncOpenAI:
    """Return an AsyncOpenAI client whose HTTP hook counts every request (retries too)."""
    http_client = openai.DefaultAsyncHttpxClient(event_hooks={"request": [count_request]})
    return openai.AsyncOpenAI(api_key=api_key(settings), base_url=settings.base_url,
                              timeout=settings.timeout, max_retries=settings.max_retries,
                              http_client=http_client)


class OpenAIBackend:
    """Structured, validated, cached drafting with the openai SDK."""

    name = "openai"

    def __init__(self, model: str | None = None, llm: dict | None = None,
                 event_root: Path | None = None, prompts: Path | None = None,
                 strict: bool = False, cache: str = "use", **_options: object):
        self.settings = resolve_settings(llm, event_root, model=model, prompts=prompts)
        self.model = require_model(self.settings)
        self.prompts = Prompts(self.settings.prompts)
        self.schema = strict_schema()
        self.schema_hash = schema_hash(self.schema)
        self.cache = ResponseCache() if cache != "off" else None
        self.read_cache = cache == "use"
        self.memory = ServerMemory(self.settings.base_url, self.model,
                                   start=self.settings.response_format,
                                   read=cache != "off", write=cache != "off")
        self._learning = asyncio.Lock()
        self.strict = strict
        self._client: openai.AsyncOpenAI | None = None
        self._fatal: str | None = None

    def sent_schema(self) -> dict | None:
        """Return the schema to send in the server's current format (None: not sent)."""
        return schema_to_send(self.schema, self.memory.format, self.memory.profile.refused)

    @property
    def client(self) -> openai.AsyncOpenAI:
        """Return the SDK client, created on first use (exporting a batch file needs none)."""
        if self._client is None:
            self._client = make_client(self.settings)
        return self._client

    def prompt_hash(self, style: str) -> str:
        """Return the hash recorded in provenance: prompts and schema together."""
        return content_hash(self.prompts.hash(style), self.schema_hash)

    def key_for(self, request: DraftRequest) -> str:
        return cache_key(self.model, self.prompts.hash(request.style), self.schema_hash,
                         content_hash(request.title, request.source))

    async def draft(self, request: DraftRequest) -> DraftResult:
        """Return validated content for one paper, from the cache when possible."""
        key = self.key_for(request)
        hit = self.cache.get(key) if self.cache and self.read_cache else None
        if hit:
            return DraftResult(content=hit.content, model=hit.model or self.model,
                               prompt_hash=self.prompt_hash(request.style),
                               usage=Usage(cached=True), repaired=hit.repaired)
        if self._fatal:
            raise LLMDraftError(self._fatal)
        drafted, usage = await self._ask(request)
        if self.cache:
            self.cache.put(key, drafted.content, drafted.model, usage, drafted.repaired)
        return DraftResult(content=drafted.content, model=drafted.model,
                           prompt_hash=self.prompt_hash(request.style), usage=usage,
                           repaired=drafted.repaired)

    async def _ask(self, request: DraftRequest) -> tuple[Drafted, Usage]:
        """Converse about one paper; alone while the server's format is still unknown."""
        if not self.memory.confirmed:
            async with self._learning:
                if not self.memory.confirmed:
                    return await self._converse(request)
        return await self._converse(request)

    async def _converse(self, request: DraftRequest) -> tuple[Drafted, Usage]:
        usage = Usage(drafts=1)
        token = current_usage.set(usage)
        conversation = Conversation(self.client, self.settings, self.model, self.prompts,
                                    self.schema, self.memory, strict=self.strict)
        try:
            drafted = await conversation.run(request, usage)
        except LLMDraftError as exc:
            if exc.fatal:
                self._fatal = str(exc)
            raise
        finally:
            current_usage.reset(token)
        return drafted, usage

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.close()
