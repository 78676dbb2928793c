"""A response cache: one JSON file per validated reply, keyed by what produced it.

The key is a hash of (model, prompt hash, schema hash, source hash), so a rebuild with
nothing changed makes no request at all, and changing any one of the four misses.
Only validated content is stored (a summary's shape; over-long fields included, as they
are recorded in its checks), never a raw reply or a request (which holds the key).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import NamedTuple

from pydantic import ValidationError

from ....core.cache import cache_dir
from ....core.hashing import content_hash
from ....core.models import SummaryContent
from ....core.yamlio import write_atomic
from ..base import Usage


def cache_key(model: str, prompt_hash: str, schema_hash: str, source_hash: str) -> str:
    return content_hash("response-v1", model, prompt_hash, schema_hash, source_hash)


class Hit(NamedTuple):
    content: SummaryContent
    model: str
    usage: Usage  # what the original draft used
    repaired: bool


class ResponseCache:
    """Validated replies on disk under <cache root>/responses/."""

    def __init__(self, root: Path | None = None):
        self.root = root / "responses" if root else cache_dir("responses")

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    def get(self, key: str) -> Hit | None:
        """Return the cached draft, or None when absent or unreadable."""
        path = self._path(key)
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
            content = SummaryContent.model_validate(record["content"])
        except (OSError, ValueError, KeyError, TypeError, ValidationError):
            return None  # a missing or stale entry is just a miss
        usage = Usage(input_tokens=int(record.get("input_tokens", 0)),
                      output_tokens=int(record.get("output_tokens", 0)))
        return Hit(content, str(record.get("model", "")), usage, bool(record.get("repaired")))

    def put(self, key: str, content: SummaryContent, model: str, usage: Usage,
            repaired: bool = False) -> None:
        record = {"model": model, "content": content.model_dump(mode="json"),
                  "input_tokens": usage.input_tokens, "output_tokens": usage.output_tokens,
                  "repaired": repaired}
        write_atomic(self._path(key), json.dumps(record, ensure_ascii=False, indent=1))
