"""The one HTTP client behind every paper source: throttled, retried and cached on disk.

arXiv asks clients for at most one request every three seconds; OpenReview limits rates
too. Both answer 503 when busy. So every request goes through `HttpClient`, which waits
out the interval, retries busy answers with a growing pause, and keeps good answers in a
cache (keyed by URL) so that running `confgen add` twice does not ask twice. Only bodies
that parsed are cached: a malformed answer is never replayed. Base URLs, the interval and
the retry pause come from the environment so tests point the real clients at a local
server and run without waiting.
"""

from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from .. import __version__
from ..core.cache import cache_dir as shared_cache_dir
from ..core.errors import ConfgenError
from ..core.hashing import content_hash
from ..core.yamlio import write_atomic

T = TypeVar("T")
RETRY_STATUSES = {429, 500, 502, 503, 504}
CACHE_MAX_AGE = 7 * 24 * 3600
USER_AGENT = f"confgen/{__version__} (paper metadata for conference trip reports)"


class HttpError(Exception):
    """A request failed for good: `status` is the HTTP status, or None when unreachable."""

    def __init__(self, url: str, status: int | None, reason: str, body: bytes = b""):
        self.url, self.status, self.reason, self.body = url, status, reason, body
        super().__init__(f"{status or 'no answer'} {reason} from {url}")


def env_float(name: str, default: float) -> float:
    """Return the float in environment variable `name`, or `default` when unset or bad."""
    try:
        return max(0.0, float(os.environ[name]))
    except (KeyError, ValueError):
        return default


def cache_dir() -> Path:
    """Return the folder for cached responses: `sources/` in the one cache folder."""
    return shared_cache_dir("sources")


@dataclass
class HttpClient:
    """GET and POST with a minimum interval between requests, retries and a response cache."""

    name: str
    interval: float = 0.0
    retries: int = 3
    retry_delay: float = field(default_factory=lambda: env_float("CONFGEN_HTTP_RETRY_DELAY", 2.0))
    timeout: float = 30.0
    cache: Path | None = field(default_factory=cache_dir)
    refresh: bool = False
    headers: dict[str, str] = field(default_factory=dict)
    max_bytes: int | None = None  # a longer answer is refused, not read into memory
    requests_made: int = 0
    warnings: list[str] = field(default_factory=list)
    _last: float = field(default=float("-inf"), repr=False)

    def get(self, url: str, parse: Callable[[bytes], T]) -> T:
        """Return `parse(body)` of `url`, from the cache when a parsed copy is fresh."""
        cached = self._cached(url)
        if cached is not None:
            try:
                return parse(cached)
            except Exception:  # a stale, unparsable entry is simply fetched again
                pass
        body = self._send(urllib.request.Request(url, headers=self._headers()))
        result = parse(body)
        self._store(url, body)
        return result

    def post_json(self, url: str, payload: dict) -> bytes:
        """POST `payload` as JSON and return the body; never cached (logins, mostly)."""
        data = json.dumps(payload).encode()
        headers = {**self._headers(), "Content-Type": "application/json"}
        return self._send(urllib.request.Request(url, data=data, headers=headers, method="POST"))

    def _headers(self) -> dict[str, str]:
        return {"User-Agent": USER_AGENT, **self.headers}

    def _send(self, request: urllib.request.Request) -> bytes:
        """Send `request`, retrying busy answers and lost connections."""
        for attempt in range(self.retries + 1):
            self._wait_turn()
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    return self._read(response, request.full_url)
            except urllib.error.HTTPError as exc:
                with exc:  # an HTTPError holds the open response
                    error = HttpError(request.full_url, exc.code, exc.reason or "", exc.read())
                pause = _retry_after(exc.headers.get("Retry-After"))
                if exc.code not in RETRY_STATUSES:
                    raise error from None
            except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
                reason = getattr(exc, "reason", exc)
                error, pause = HttpError(request.full_url, None, str(reason)), None
            if attempt < self.retries:
                time.sleep(min(pause if pause is not None else self.retry_delay * 2**attempt, 60))
        raise HttpError(error.url, error.status,
                        f"{error.reason} (after {self.retries + 1} attempts)", error.body)

    def _read(self, response, url: str) -> bytes:
        if self.max_bytes is None:
            return response.read()
        body = response.read(self.max_bytes + 1)
        if len(body) > self.max_bytes:
            raise HttpError(url, None, f"the answer is over {self.max_bytes // 2**20} MB")
        return body

    def _wait_turn(self) -> None:
        pause = self._last + self.interval - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        self._last = time.monotonic()
        self.requests_made += 1

    def _cache_path(self, url: str) -> Path | None:
        if self.cache is None:
            return None
        digest = content_hash(url, length=64)
        return self.cache / self.name / digest[:2] / digest

    def _cached(self, url: str) -> bytes | None:
        path = self._cache_path(url)
        if self.refresh or path is None or not path.is_file():
            return None
        try:
            if time.time() - path.stat().st_mtime > CACHE_MAX_AGE:
                return None
            return path.read_bytes()
        except OSError:  # an unreadable cache entry is fetched again
            return None

    def _store(self, url: str, body: bytes) -> None:
        path = self._cache_path(url)
        if path is not None:
            try:
                write_atomic(path, body)
            except (OSError, ConfgenError) as exc:  # costs a refetch next time, no more
                message = (f"cannot write the {self.name} cache in {self.cache} "
                           f"({exc}); answers will be fetched again next time")
                if message not in self.warnings:
                    self.warnings.append(message)


def _retry_after(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None
