"""Render the system and user prompts from Jinja2 templates in a sandbox.

Prompts are data (`templates/prompts/system.j2`, `user.j2`, `styles/<style>.md`), so a
user can point at a folder of their own; files missing there come from the bundled set.
Templates run in Jinja2's sandbox because a prompt folder may come from someone else.
Paper text is untrusted too: the `data` filter stops it from closing the <paper> block
it sits in, so an "ignore previous instructions" abstract stays inside the data.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from jinja2 import FileSystemLoader, StrictUndefined, TemplateError, TemplateNotFound
from jinja2.sandbox import SandboxedEnvironment

from ....core.errors import ConfgenError
from ....core.hashing import content_hash
from ....core.models import LIMITS
from ....core.paths import TEMPLATES_DIR
from ..base import DraftRequest

BUNDLED = TEMPLATES_DIR / "prompts"
_DELIMITERS = re.compile(r"<(?=\s*/?\s*(?:paper|title|text)\b)", re.IGNORECASE)


def data_block(text: str) -> str:
    """Neutralise tags that would let paper text close or reopen its data block."""
    return _DELIMITERS.sub("&lt;", str(text))


class Prompts:
    """A prompt folder: system and user templates plus one file per style."""

    def __init__(self, folder: Path | None = None):
        if folder is not None and not Path(folder).is_dir():
            raise ConfgenError(f"prompt folder {folder} does not exist")
        self.dirs = [Path(folder), BUNDLED] if folder else [BUNDLED]
        self.env = SandboxedEnvironment(loader=FileSystemLoader([str(d) for d in self.dirs]),
                                        undefined=StrictUndefined, autoescape=False,
                                        keep_trailing_newline=False)
        self.env.filters["data"] = data_block
        self._sources: dict[str, str] = {}  # read once: a run must not see prompts change

    def styles(self) -> list[str]:
        """Return the style names any prompt folder offers."""
        return sorted({p.stem for d in self.dirs for p in (d / "styles").glob("*.md")})

    def _source(self, name: str) -> str:
        if name not in self._sources:
            try:
                source = self.env.loader.get_source(self.env, name)[0]  # type: ignore[union-attr]
            except TemplateNotFound:
                raise ConfgenError(f"prompt template {name} not found in "
                                   f"{', '.join(map(str, self.dirs))}") from None
            self._sources[name] = source
        return self._sources[name]

    def style_text(self, style: str) -> str:
        if f"styles/{style}.md" not in self._sources and style not in self.styles():
            raise ConfgenError(f"unknown style {style!r}; choose one of: "
                               f"{', '.join(self.styles())}")
        return self._source(f"styles/{style}.md").strip()

    def hash(self, style: str) -> str:
        """Return a hash of every template a draft in `style` depends on."""
        return content_hash(self._source("system.j2"), self._source("user.j2"),
                            self.style_text(style))

    def messages(self, request: DraftRequest, schema: dict | None = None) -> list[dict]:
        """Render the chat messages; `schema` is spelled out when the server cannot enforce it."""
        context = {
            "title": request.title, "source": request.source, "paper_id": request.paper_id,
            "style": request.style, "style_guide": self.style_text(request.style),
            "limits": LIMITS, "schema_json": json.dumps(schema, indent=1) if schema else "",
        }
        try:
            system = self.env.get_template("system.j2").render(context)
            user = self.env.get_template("user.j2").render(context)
        except TemplateError as exc:
            raise ConfgenError(f"prompt template error: {exc}") from None
        return [{"role": "system", "content": system.strip()},
                {"role": "user", "content": user.strip()}]
