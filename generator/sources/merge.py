"""Merge found papers into event.yaml, keeping the user's comments, key order and edits.

event.yaml is hand-edited, so it is changed with ruamel.yaml's round-trip mode rather than
rewritten. A found paper matches an existing one by arXiv id, by id, or by normalised
title. A match takes the source's metadata (title, authors, abstract, venue, ...) but
keeps the user's fields (topic, award, notes, figure), which are only filled when blank;
guessed fields (a PDF's title) only fill blanks too. When new metadata would change a
paper's id, the old id is pinned with an explicit `id:` so its summary file still
belongs to it. Nothing is written here: the caller validates the text, then writes it.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import FoldedScalarString

from ..core.errors import ConfgenError, Problem
from ..core.models import Paper, slugify
from ..core.yamlio import FastLoader
from .arxiv import base_id
from .found import Found, normalise_title

FIELD_ORDER = list(Paper.model_fields)
METADATA = ("title", "authors", "arxiv", "venue", "abstract", "body", "presentation",
            "primary_area", "keywords")
USER_FIELDS = ("topic", "award", "notes", "figure")
NEW_EVENT_COMMENT = ("Created by `confgen add`. Add dates, location and a topic per paper,\n"
                     "then run `confgen build` with this folder.")
FOLD_WIDTH = 88
FOLDED = ("abstract", "body", "notes")


@dataclass
class MergeReport:
    """What a merge did, by paper id."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    other_papers: list[str] = field(default_factory=list)


class EventDoc:
    """event.yaml as a round-trip document: edit it, then `text()` it."""

    def __init__(self, path: Path, name: str):
        self.path = path
        self.yaml = YAML()
        self.yaml.preserve_quotes = True
        self.yaml.width = 4096  # never re-wrap the user's long lines
        self.original: str | None = None
        self.touched: set[int] = set()  # ids of changed paper mappings
        if path.is_file():
            self.data = self._load(path)
        else:
            self.yaml.indent(mapping=2, sequence=4, offset=2)
            self.data = CommentedMap(name=name)
            self.data.yaml_set_start_comment(NEW_EVENT_COMMENT)
        if self.data.get("papers") is None:
            self.data["papers"] = CommentedSeq()

    def _load(self, path: Path) -> CommentedMap:
        try:
            text = path.read_text(encoding="utf-8")
            mapping, sequence, offset = guess_indent(text)
            self.yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
            data = self.yaml.load(text)
            self.original = text
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfgenError([Problem(path, None, f"cannot read file: {exc}")]) from None
        except YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            raise ConfgenError([Problem(path, mark.line + 1 if mark else None,
                                        f"invalid YAML: {getattr(exc, 'problem', exc)}")]) from None
        if not isinstance(data, CommentedMap) or not isinstance(data.get("papers") or [], list):
            raise ConfgenError([Problem(path, None, "expected a mapping with a 'papers' list")])
        problems = [Problem(path, papers.lc.item(i)[0] + 1, f"papers[{i}] is not a mapping")
                    for papers in [data.get("papers") or []]
                    for i, entry in enumerate(papers) if not isinstance(entry, CommentedMap)]
        if problems:
            raise ConfgenError(problems)
        return data

    @property
    def papers(self) -> CommentedSeq:
        """The papers list, each paper a CommentedMap."""
        return self.data["papers"]

    def set_field(self, entry: CommentedMap, name: str, value: object) -> None:
        """Set one field of a paper mapping and mark the paper as changed."""
        _set(entry, name, value)
        self.touched.add(id(entry))

    def text(self) -> str:
        """Return the document as YAML, with every untouched part as the user wrote it."""
        buffer = io.StringIO()
        self.yaml.dump(self.data, buffer)
        emitted = buffer.getvalue()
        if self.original is None:
            return emitted
        return splice(self.original, emitted, self._untouched())

    def _untouched(self) -> set[tuple]:
        """Return the names of the blocks (see `_blocks`) that this merge did not change."""
        names: set[tuple] = {("preamble",)}
        names |= {("key", key) for key, value in self.data.items() if id(value) not in self.touched}
        names |= {("paper", index) for index, entry in enumerate(self.papers)
                  if id(entry) not in self.touched}
        return names


def guess_indent(text: str) -> tuple[int, int, int]:
    """Return (mapping, sequence, offset) indents as ruamel.yaml wants them for `text`.

    Looks at the first block sequence item of a top-level key ("papers:" then
    "  - id: x"): its dash column is the offset, the column of its content the sequence
    indent. Without one, the layout confgen writes itself is used.
    """
    match = re.search(r"^[^\s#][^\n]*:[ \t]*(?:#[^\n]*)?\n(?:[ \t]*(?:#[^\n]*)?\n)*"
                      r"( *)-( +)(?=\S)", text, re.MULTILINE)
    if not match:
        return 2, 4, 2
    offset = len(match.group(1))
    sequence = offset + 1 + len(match.group(2))
    return max(sequence - offset, 2), sequence, offset


def merge(doc: EventDoc, found: list[Found], topic: str = "") -> MergeReport:
    """Add or update every found paper in `doc`; never create a duplicate."""
    report = MergeReport()
    for item in found:
        entry = find_match(doc.papers, item.paper)
        if entry is None:
            entry = new_entry(item.paper, topic, taken={entry_key(e) for e in doc.papers})
            doc.papers.append(entry)
            doc.touched.add(id(entry))
            report.added.append(entry_key(entry))
            continue
        changed = update_entry(entry, item, topic)
        if changed:
            doc.touched.add(id(entry))
        (report.updated if changed else report.unchanged).append(entry_key(entry))
    # a paper added and then completed by a second source is reported once, as added
    report.updated = [k for k in dict.fromkeys(report.updated) if k not in report.added]
    report.unchanged = [k for k in dict.fromkeys(report.unchanged)
                        if k not in report.added and k not in report.updated]
    return report


def add_other_papers(doc: EventDoc, titles: list[str], report: MergeReport) -> None:
    """List `titles` under other_papers unless already there or among the papers."""
    others = doc.data.setdefault("other_papers", CommentedSeq())
    known = {normalise_title(_title_of(o)) for o in others}
    known |= {normalise_title(str(e.get("title", ""))) for e in doc.papers}
    for title in titles:
        if normalise_title(title) not in known:
            others.append(title)
            doc.touched.add(id(others))
            known.add(normalise_title(title))
            report.other_papers.append(title)
    if not others:
        del doc.data["other_papers"]


def find_match(entries: CommentedSeq, paper: Paper) -> CommentedMap | None:
    """Return the entry that is the same paper: same arXiv id, same id or same title.

    The title alone never joins two papers whose identities differ: different ids
    (BibTeX keys), DOIs or paper URLs mean different papers ("Online reference" x 21).
    """
    title = normalise_title(paper.title)
    return next((entry for entry in entries if same_paper(entry, paper, title)), None)


def same_paper(entry, paper: Paper, title: str) -> bool:
    """Say whether the event's `entry` is `paper` (whose normalised title is `title`)."""
    theirs = str(entry.get("arxiv") or "")
    if paper.arxiv and theirs:
        return base_id(paper.arxiv) == base_id(theirs)  # else two different arXiv papers
    if paper.id and entry.get("id") == paper.id:
        return True
    return bool(title) and normalise_title(str(entry.get("title", ""))) == title and \
        not _identities_differ(entry, paper)


def _identities_differ(entry: CommentedMap, paper: Paper) -> bool:
    links = entry.get("links") or {}
    pairs = [(entry.get("id"), paper.id), (links.get("doi"), paper.links.get("doi")),
             (links.get("paper"), paper.links.get("paper"))]
    return any(mine and theirs and str(mine) != str(theirs) for mine, theirs in pairs)


def new_entry(paper: Paper, topic: str, taken: set[str]) -> CommentedMap:
    """Return a mapping for a new paper, fields in model order, blanks left out."""
    values = paper.model_dump(exclude_defaults=True)
    if topic and not values.get("topic"):
        values["topic"] = topic
    entry = CommentedMap()
    for name in FIELD_ORDER:
        if values.get(name):
            entry[name] = _styled(name, values[name])
    key, suffix = entry_key(entry), 2
    while entry_key(entry) in taken:  # a different paper whose title slug is the same
        _set(entry, "id", f"{key}-{suffix}")
        suffix += 1
    return entry


def update_entry(entry: CommentedMap, item: Found, topic: str) -> bool:
    """Refresh `entry`'s metadata from `item`; return whether anything changed."""
    old_key, changes = entry_key(entry), {}
    values = item.paper.model_dump(exclude_defaults=True)
    if topic:
        values.setdefault("topic", topic)
    for name in METADATA:
        new = values.get(name)
        if not new or (name in item.guessed and entry.get(name)):
            continue
        if name == "arxiv" and entry.get("arxiv") and base_id(str(entry["arxiv"])) == \
                base_id(new):
            continue  # keep the version the user chose
        if _plain(entry.get(name)) != new:
            changes[name] = new
    changes |= {name: values[name] for name in USER_FIELDS
                if values.get(name) and not entry.get(name)}
    links = dict(entry.get("links") or {})
    missing = {k: v for k, v in (values.get("links") or {}).items() if k not in links}
    for name, value in changes.items():
        _set(entry, name, _styled(name, value))
    if missing:
        _set(entry, "links", entry.get("links") or CommentedMap())
        entry["links"].update(missing)
    if entry_key(entry) != old_key and not entry.get("id"):
        _set(entry, "id", old_key)
    return bool(changes or missing)


def _set(entry: CommentedMap, name: str, value: object) -> None:
    """Set `name`; a new key goes after the last key that precedes it in the model."""
    if name in entry:
        entry[name] = value
        return
    rank = FIELD_ORDER.index(name) if name in FIELD_ORDER else len(FIELD_ORDER)
    before = [index for index, key in enumerate(entry)
              if key in FIELD_ORDER and FIELD_ORDER.index(key) < rank]
    entry.insert(max(before) + 1 if before else 0, name, value)


def _styled(name: str, value: object) -> object:
    """Return `value` in a readable YAML style: long text folded, short lists inline."""
    if name in FOLDED and isinstance(value, str) and len(value) > FOLD_WIDTH - 10:
        return folded(value)
    if isinstance(value, list):
        seq = CommentedSeq(value)
        if sum(len(str(v)) + 2 for v in value) < 70:
            seq.fa.set_flow_style()
        return seq
    if isinstance(value, dict):
        return CommentedMap(value)
    return value


def folded(text: str, width: int = FOLD_WIDTH - 8) -> FoldedScalarString:
    """Return `text` as a `>-` block folded at spaces near `width` columns."""
    scalar = FoldedScalarString(text)
    positions, line_start = [], 0
    last_space = None
    for index, char in enumerate(text):
        if char == " " and text[index - 1:index] != " " and text[index + 1:index + 2] not in (
                " ", ""):
            if index - line_start > width and last_space is not None:
                positions.append(last_space)
                line_start = last_space + 1
            last_space = index
    scalar.fold_pos = positions
    return scalar


def _plain(value: object) -> object:
    if isinstance(value, list):
        return [str(v) for v in value]
    return str(value) if value is not None else None


def entry_key(entry) -> str:
    """Return the id an event.yaml paper mapping will have, as `Paper.key` computes it."""
    if entry.get("id"):
        return str(entry["id"])
    if entry.get("arxiv"):
        return slugify(str(entry["arxiv"]).replace("/", "-"))
    return slugify(str(entry.get("title", "")))


def _title_of(other: object) -> str:
    return str(other.get("title", "")) if isinstance(other, dict) else str(other)


def splice(original: str, emitted: str, untouched: set[tuple]) -> str:
    """Return `emitted` with each untouched block replaced by its original text.

    ruamel.yaml keeps comments and order but re-flows some layout (a flow list wrapped
    over two lines comes out on one). Splicing back the original text of every block the
    merge did not change keeps the user's diff to the papers actually added or updated.
    Falls back to `emitted` if the spliced text would not read back the same.
    """
    try:
        old_blocks, new_blocks = _blocks(original), _blocks(emitted)
    except yaml.YAMLError:
        return emitted
    old_lines, new_lines = original.splitlines(keepends=True), emitted.splitlines(keepends=True)
    out = []
    for name, (start, end) in new_blocks.items():
        if name in untouched and name in old_blocks:
            old_start, old_end = old_blocks[name]
            out += old_lines[old_start:old_end]
            continue
        spaced = bool(out) and not out[-1].strip()  # blank lines between papers: keep the style
        out += new_lines[start:end]
        if spaced and name not in old_blocks and out[-1].strip():
            out.append("\n")
    spliced = "".join(out)
    try:
        same = _plain_yaml(spliced) == _plain_yaml(emitted)
    except yaml.YAMLError:
        same = False
    return spliced if same else emitted


def _blocks(text: str) -> dict[tuple, tuple[int, int]]:
    """Map block names to line ranges: the preamble, each top-level key, each paper."""
    root = yaml.compose(text, Loader=FastLoader)
    starts: list[tuple[int, tuple]] = [(0, ("preamble",))]
    for key_node, value_node in root.value if isinstance(root, yaml.MappingNode) else []:
        starts.append((key_node.start_mark.line, ("key", key_node.value)))
        if key_node.value == "papers" and isinstance(value_node, yaml.SequenceNode):
            starts += [(item.start_mark.line, ("paper", index))
                       for index, item in enumerate(value_node.value)]
    starts.sort()
    total = len(text.splitlines())
    return {name: (start, starts[i + 1][0] if i + 1 < len(starts) else total)
            for i, (start, name) in enumerate(starts)}


def _plain_yaml(text: str) -> object:
    return yaml.load(text, Loader=FastLoader)  # noqa: S506 - a safe loader
