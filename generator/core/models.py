"""The data confgen reads and writes: events, papers and summaries.

These pydantic models are the single definition of the formats. The event loader, the
summary store and the LLM backends' JSON schema are all derived from them.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    SerializerFunctionWrapHandler,
    field_validator,
    model_serializer,
    model_validator,
)

from .fulltext import FullText

SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def clean_text(value: object) -> object:
    """Strip control characters (they corrupt PPTX XML) and surrounding whitespace."""
    if isinstance(value, str):
        return _CONTROL.sub("", unicodedata.normalize("NFC", value)).strip()
    return value


Text = Annotated[str, BeforeValidator(clean_text)]


class Strict(BaseModel):
    """Unknown keys are errors: a typo must not be silently ignored."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Talk(Strict):
    title: Text
    speaker: Text = ""
    points: list[Text] = []


class OtherPaper(Strict):
    title: Text
    url: Text = ""


def _number_as_text(value: object) -> object:
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def _title_or_mapping(value: object) -> object:
    return {"title": value} if isinstance(value, str) else value


class Paper(Strict):
    title: Text = Field(min_length=1)
    authors: list[Text] = []
    id: Text | None = None
    # Chosen for the outputs (by `confgen select` or by hand): when any paper is selected,
    # the deck, panels and newsletter show only the selected ones (see core.stats).
    selected: bool = False
    arxiv: Text | None = None
    links: dict[str, Text] = {}
    venue: Text = ""
    award: Text = ""
    presentation: Text = ""  # Oral, Spotlight or Poster, from the venue
    topic: Text = ""
    primary_area: Text = ""  # the venue's own subject area, as submitted
    keywords: list[Text] = []
    abstract: Text = ""
    notes: Text = ""
    # A file in the event folder, or a figure of `figures/<id>/`: its number or label.
    figure: Annotated[Text | None, BeforeValidator(_number_as_text)] = None
    # More of the paper's own text (e.g. a local PDF's introduction): drafting input only.
    body: Text = ""
    _fulltext: FullText | None = PrivateAttr(default=None)  # fulltext/<id>.yaml, when added

    @field_validator("id")
    @classmethod
    def _safe_id(cls, value: str | None) -> str | None:
        if value is not None and not SAFE_ID.match(value):
            raise ValueError(
                f"id {value!r} is not a safe file name: use letters, digits, '.', '_' and '-'"
            )
        return value

    @field_validator("figure")
    @classmethod
    def _relative_figure(cls, value: str | None) -> str | None:
        if value and (value.startswith(("/", "\\")) or ".." in re.split(r"[\\/]", value)):
            raise ValueError(f"figure {value!r} must be a path inside the event folder")
        return value

    @property
    def key(self) -> str:
        """The paper's id: given, else from its arXiv id, else a slug of the title."""
        if self.id:
            return self.id
        if self.arxiv:
            return slugify(self.arxiv.replace("/", "-"))
        return slugify(self.title)

    @property
    def url(self) -> str:
        """The best single link to the paper."""
        if self.links.get("paper"):
            return self.links["paper"]
        if self.arxiv:
            return f"https://arxiv.org/abs/{self.arxiv}"
        return next(iter(self.links.values()), "")

    @property
    def fulltext(self) -> FullText | None:
        """The paper's stored full text (attached by the event loader), or None."""
        return self._fulltext

    def attach_fulltext(self, full: FullText | None) -> None:
        self._fulltext = full

    @property
    def source_text(self) -> str:
        """The text summaries are drafted from and checked against."""
        full = self._fulltext.text if self._fulltext is not None else ""
        return "\n\n".join(part for part in (self.abstract, self.notes, self.body, full) if part)


def slugify(text: str, limit: int = 60) -> str:
    """Return a lower-case ASCII file name for `text`."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9.]+", "-", ascii_text.lower()).strip("-.")
    return (slug[:limit].rstrip("-.") or "paper")


class Selection(Strict):
    """What `confgen select` was asked for, and what the outputs add to the selection."""

    interests: Text = ""
    label: Text = ""  # how the stats name the interests; default: `interests` up to a colon
    like: list[Text] = []
    top: int = Field(default=30, ge=1)
    include: list[Literal["awards", "orals", "spotlights"]] = []
    picked: list[Text] = []  # the papers the last `confgen select` picked (it replaces them)


class Event(Strict):
    name: Text = Field(min_length=1)
    dates: Text = ""
    location: Text = ""
    presenter: Text = ""
    stats: list[Text] = []
    trends: list[Text] = []
    talks: list[Talk] = []
    other_papers: list[Annotated[OtherPaper, BeforeValidator(_title_or_mapping)]] = []
    papers: list[Paper] = Field(min_length=1)
    selection: Selection | None = None
    deck: dict = {}
    llm: dict = {}


# --- summaries -------------------------------------------------------------------------

# Word limits sized so a field fits a slide and a panel. Drafts from a backend must meet
# them; a hand-edited file may exceed them (the renderers still fit it, `check` warns).
LIMITS = {
    "tldr": 30,
    "what_was_done": 70,
    "why_it_matters": 70,
    "key_point": 22,
    "caption": 14,
    "dialogue": 18,
}


def word_count(text: str) -> int:
    return len(text.split())


class KeyNumber(Strict):
    value: Text = Field(min_length=1, description="The number as written in the source")
    label: Text = Field(description="What the number measures, in a few words")
    source: Text = Field(min_length=1, description="The source sentence the number comes from")
    # Where the source sentence is in the paper ("§ Results", "page 4"): set by confgen
    # from the full text after drafting, never asked of a model (see backends/openai/schema).
    where: Text = ""


class DialogueLine(Strict):
    speaker: Text = Field(min_length=1)
    text: Text = Field(min_length=1)


class ComicFrame(Strict):
    caption: Text
    lines: list[DialogueLine] = Field(min_length=1, max_length=3)


class Check(Strict):
    kind: Literal["number", "quote", "length"]
    field: Text
    value: Text
    message: Text


class Provenance(Strict):
    backend: Text
    model: Text = ""
    source_hash: Text
    prompt_hash: Text = ""
    created: Text = ""
    # True when the model's JSON was damaged (a trailing comma, an unclosed brace) and
    # confgen repaired it. Written only when true, so older files and goldens stay as
    # they are.
    repaired: bool = False

    @model_serializer(mode="wrap")
    def _omit_defaults(self, handler: SerializerFunctionWrapHandler) -> dict:
        data = handler(self)
        if not self.repaired:
            data.pop("repaired", None)
        return data


class SummaryContent(Strict):
    """What a drafter produces: the editable substance of a summary."""

    tldr: Text = Field(min_length=1)
    what_was_done: Text = Field(min_length=1)
    why_it_matters: Text = Field(min_length=1)
    key_points: list[Text] = Field(min_length=3, max_length=5)
    key_numbers: list[KeyNumber] = Field(default=[], max_length=4)
    comic: list[ComicFrame] = Field(min_length=3, max_length=4)


class Summary(SummaryContent):
    """One file under summaries/<event>/<id>.yaml."""

    id: Text
    status: Literal["draft", "reviewed"] = "draft"
    provenance: Provenance
    checks: list[Check] = []


class LimitedDraft(SummaryContent):
    """A backend's reply: the same fields, held to the word limits."""

    @model_validator(mode="after")
    def _within_limits(self) -> LimitedDraft:
        problems = length_problems(self)
        if problems:
            raise ValueError("; ".join(problems))
        return self


def limited_fields(content: SummaryContent) -> list[tuple[tuple[str | int, ...], str, str]]:
    """Return (location, limit kind, text) for every field that has a word limit."""
    fields: list[tuple[tuple[str | int, ...], str, str]] = [
        (("tldr",), "tldr", content.tldr),
        (("what_was_done",), "what_was_done", content.what_was_done),
        (("why_it_matters",), "why_it_matters", content.why_it_matters),
    ]
    fields += [(("key_points", i), "key_point", p) for i, p in enumerate(content.key_points)]
    for i, frame in enumerate(content.comic):
        fields.append((("comic", i, "caption"), "caption", frame.caption))
        fields += [(("comic", i, "lines", j, "text"), "dialogue", line.text)
                   for j, line in enumerate(frame.lines)]
    return fields


def over_limit(content: SummaryContent) -> list[tuple[tuple[str | int, ...], int, int]]:
    """Return (location, words, limit) for every field longer than its word limit."""
    return [(loc, word_count(text), LIMITS[kind]) for loc, kind, text in limited_fields(content)
            if word_count(text) > LIMITS[kind]]


def _dotted(loc: tuple[str | int, ...]) -> str:
    """Name a location as the summary files' messages do: comic[0].lines[1]."""
    name = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in loc)
    return name.lstrip(".").removesuffix(".text")


def length_problems(content: SummaryContent) -> list[str]:
    """Return a message for every field longer than its word limit."""
    return [f"{name} has {words} words, more than {limit}"
            for name, words, limit in overshoots(content)]


def length_checks(content: SummaryContent) -> list[Check]:
    """Return one `length` check per field longer than its word limit."""
    return [Check(kind="length", field=name, value=f"{words} words",
                  message=f"{words} words, more than the {limit} that fit the layouts")
            for name, words, limit in overshoots(content)]


def overshoots(content: SummaryContent) -> list[tuple[str, int, int]]:
    """Return (field name, words, limit) for every field longer than its word limit."""
    return [(_dotted(loc), words, limit) for loc, words, limit in over_limit(content)]
