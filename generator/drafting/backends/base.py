"""The one interface every drafting backend implements."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from ...core.models import SummaryContent


@dataclass(frozen=True)
class DraftRequest:
    """Everything a backend may know about a paper: its id, title and source text."""

    paper_id: str
    title: str
    source: str  # abstract and notes: the text the summary must be grounded in
    style: str = "talk"
    notes: str = ""  # the user's own take, also part of `source`


@dataclass
class Usage:
    requests: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cached: bool = False
    drafts: int = 0  # papers that made requests: the usage line reports requests per paper


@dataclass
class DraftResult:
    content: SummaryContent
    model: str
    prompt_hash: str = ""
    usage: Usage = field(default_factory=Usage)
    repaired: bool = False  # the reply's JSON was damaged and repaired (see Provenance)


class Backend(Protocol):
    """Draft summary content for one paper. Failures raise `DraftError`."""

    name: str

    async def draft(self, request: DraftRequest) -> DraftResult: ...

    async def aclose(self) -> None: ...
