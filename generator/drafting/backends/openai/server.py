"""What confgen has learned about one server and model, kept in the cache folder.

Servers differ in what they accept: OpenAI takes `json_schema` but refuses `maxLength`,
vLLM and llama.cpp enforce `maxLength` with a grammar, some servers take only
`json_object`, others nothing but a prompt. Rather than guess from host names, the
first draft walks the fallback chain (json_schema, json_object, prompt; dropping each
schema keyword the server names as refused) and the answer is remembered per base URL
and model under `<cache>/servers/`, so later papers and later runs start from it.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ....core.cache import cache_dir
from ....core.hashing import content_hash
from ....core.yamlio import write_atomic
from .settings import MODES

_USERINFO = re.compile(r"//[^/@]*@")  # never keep credentials written into a base URL


@dataclass
class Profile:
    """The response format that works, the schema keywords refused, and whether a reply
    has confirmed it."""

    format: str = "json_schema"
    refused: list[str] = field(default_factory=list)
    confirmed: bool = False


class ServerMemory:
    """The profile of (base URL, model), stepped down as the server rejects things."""

    def __init__(self, base_url: str | None, model: str, start: str = "json_schema",
                 read: bool = True, write: bool = True, root: Path | None = None):
        self.key = f"{base_url or 'https://api.openai.com/v1'} {model}"
        folder = root if root is not None else cache_dir("servers")
        self.path = folder / f"{content_hash('server-v1', self.key)}.json"
        self.write = write
        self.profile = self._load() if read else Profile()
        if MODES.index(start) > MODES.index(self.profile.format):
            self.profile = Profile(format=start, refused=self.profile.refused)

    @property
    def format(self) -> str:
        return self.profile.format

    @property
    def confirmed(self) -> bool:
        return self.profile.confirmed

    def step_down(self, failed: str) -> bool:
        """Leave `failed` behind (once, even if many papers hit it); False at the bottom."""
        index = MODES.index(failed)
        if self.profile.format == failed and index + 1 < len(MODES):
            self.profile = Profile(format=MODES[index + 1], refused=self.profile.refused)
            self._save()
        return self.profile.format != failed

    def refuse(self, keywords: list[str]) -> bool:
        """Stop sending `keywords`; False when they were all refused already."""
        new = [k for k in keywords if k not in self.profile.refused]
        if new:
            self.profile.refused = [*self.profile.refused, *new]
            self._save()
        return bool(new)

    def confirm(self, mode: str) -> None:
        """Record that a reply came back in `mode`: the walk is over for this server."""
        if mode == self.profile.format and not self.profile.confirmed:
            self.profile.confirmed = True
            self._save()

    def _load(self) -> Profile:
        try:
            record = json.loads(self.path.read_text(encoding="utf-8"))
            profile = Profile(format=str(record["format"]),
                              refused=[str(k) for k in record.get("refused", [])],
                              confirmed=bool(record.get("confirmed", False)))
        except (OSError, ValueError, KeyError, TypeError):
            return Profile()  # nothing learned yet, or an unreadable file: learn again
        return profile if profile.format in MODES else Profile()

    def _save(self) -> None:
        if self.write:
            record = {"server": _USERINFO.sub("//", self.key), **asdict(self.profile)}
            write_atomic(self.path, json.dumps(record, indent=1))
