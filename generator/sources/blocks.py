"""Edit a large event.yaml block by block: thousands of papers in seconds, comments kept.

`merge.EventDoc` round-trips the whole file through ruamel.yaml, which takes about 20 s
for a 5,290-paper venue (6 MB). A block editor reads the file once with LibYAML to learn
where each paper and each top-level key starts, then round-trips only the blocks it
changes through ruamel.yaml (each on its own, with the file's indentation) and appends
new papers as one emitted block. Every other line stays as the user wrote it.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import yaml
from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import FoldedScalarString

from ..core.errors import ConfgenError, Problem
from ..core.models import Event, Paper
from ..core.yamlio import FastDumper, FastLoader
from .arxiv import base_id
from .found import Found, normalise_title
from .merge import (
    EventDoc,
    MergeReport,
    _set,
    entry_key,
    guess_indent,
    new_entry,
    same_paper,
    update_entry,
)

FAST_WIDTH = 76  # LibYAML breaks folded text after passing it


class _FastDumper(FastDumper):
    """LibYAML's emitter for new papers, in the layout ruamel.yaml gives them."""


_FastDumper.add_representer(CommentedMap, lambda d, v: d.represent_dict(v.items()))
_FastDumper.add_representer(CommentedSeq, lambda d, v: d.represent_sequence(
    "tag:yaml.org,2002:seq", list(v), flow_style=bool(v.fa.flow_style())))
_FastDumper.add_representer(FoldedScalarString, lambda d, v: d.represent_scalar(
    "tag:yaml.org,2002:str", str(v), style=">"))
_FastDumper.add_representer(list, lambda d, v: d.represent_sequence(
    "tag:yaml.org,2002:seq", v, flow_style=False))


class BlockEditor:
    """event.yaml as lines, its papers as blocks; edit some, then `text()` the whole."""

    def __init__(self, path: Path, name: str):
        self.path = path
        text = path.read_text(encoding="utf-8") if path.is_file() else None
        if text is None:  # a new event: let the full round-trip lay out its header
            text = EventDoc(path, name).text()
        self.lines = text.splitlines(keepends=True)
        if self.lines and not self.lines[-1].endswith("\n"):
            self.lines[-1] += "\n"
        self.yaml = YAML()
        self.yaml.preserve_quotes = True
        self.yaml.width = 4096
        self.indent = guess_indent(text)
        self.yaml.indent(*self.indent)
        self._parse(text)
        self.replaced: dict[int, list[str]] = {}  # paper index -> its new lines
        self.appended: list[CommentedMap] = []
        self.keys: dict[str, object] = {}

    def _parse(self, text: str) -> None:
        loader = FastLoader(text)
        try:
            root = loader.get_single_node()
            self.data = loader.construct_document(root) if root is not None else None
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark
            raise ConfgenError([Problem(self.path, mark.line + 1 if mark else None,
                                        f"invalid YAML: {exc.problem}")]) from None
        finally:
            loader.dispose()
        if not isinstance(self.data, dict) or not isinstance(self.data.get("papers") or [], list):
            raise ConfgenError([Problem(self.path, None,
                                        "expected a mapping with a 'papers' list")])
        self.data["papers"] = self.data.get("papers") or []
        self.key_lines = {k.value: (k.start_mark.line, v) for k, v in root.value}
        if "papers" not in self.key_lines:  # "papers" missing: give it an empty block
            self.key_lines["papers"] = (len(self.lines), None)
        _, papers = self.key_lines["papers"]
        if isinstance(papers, yaml.SequenceNode) and papers.flow_style and papers.value:
            raise ConfgenError([Problem(self.path, papers.start_mark.line + 1,
                                        "papers is a [flow] list; write one '- ' item per "
                                        "paper to add papers in bulk")])
        self.papers_end = self._key_end("papers")
        self.spans = _paper_spans(papers, self.papers_end)

    def _key_end(self, name: str) -> int:
        """Return the line after the block of top-level key `name`."""
        start = self.key_lines[name][0]
        later = [line for line, _ in self.key_lines.values() if line > start]
        return min(later) if later else len(self.lines)

    @property
    def papers(self) -> list[dict]:
        """The papers as plain data (read-only: edit through `edit_paper`)."""
        return self.data["papers"]

    def edit_paper(self, index: int, change: Callable[[CommentedMap], bool]) -> bool:
        """Round-trip paper `index` through ruamel.yaml, apply `change`; return whether it did."""
        start, end = self.spans[index]
        lines = self.replaced.get(index, self.lines[start:end])
        doc = self.yaml.load("papers:\n" + "".join(lines))
        entry = doc["papers"][0]
        if not isinstance(entry, CommentedMap):
            raise ConfgenError([Problem(self.path, start + 1, f"papers[{index}] is not a mapping")])
        if not change(entry):
            return False
        self.replaced[index] = self._dump(doc)
        return True

    def append(self, entry: CommentedMap) -> None:
        """Add a new paper at the end of the papers list."""
        self.appended.append(entry)

    def set_key(self, name: str, value: object) -> None:
        """Set a top-level key other than papers (its block is rewritten, or added first)."""
        self.keys[name] = value

    def _dump(self, doc: CommentedMap) -> list[str]:
        buffer = io.StringIO()
        self.yaml.dump(doc, buffer)
        return buffer.getvalue().splitlines(keepends=True)[1:]  # without "papers:"

    def text(self) -> str:
        """Return the edited file: untouched lines as they were, changed blocks re-emitted."""
        out: list[str] = []
        total, papers_line = len(self.lines), self.key_lines["papers"][0]
        paper_at = {start: i for i, (start, _) in enumerate(self.spans) if i in self.replaced}
        key_at = {self.key_lines[k][0]: k for k in self.keys if k in self.key_lines}
        line = 0
        while line <= total:
            if line == papers_line:
                out += self._new_keys()  # new top-level keys go just before the papers
                if not self.spans and self.appended:  # no papers yet: write the whole block
                    out += ["papers:\n"] + self._new_papers()
                    line = self.papers_end if papers_line < total else total + 1
                    continue
            if line == self.papers_end and self.spans and self.appended:
                out += self._new_papers()
            if line == total:
                break
            if line in key_at:
                out += self._emit({key_at[line]: self.keys[key_at[line]]})
                line = self._key_end(key_at[line])
            elif line in paper_at:
                out += self.replaced[paper_at[line]]
                line = self.spans[paper_at[line]][1]
            else:
                out.append(self.lines[line])
                line += 1
        return "".join(out)

    def validate_edits(self) -> None:
        """Refuse edits that `confgen` could not load; for edits of existing blocks only
        (new papers are checked with the whole file, see `sources.add.validate`)."""
        problems = []
        for index, lines in sorted(self.replaced.items()):
            data = yaml.load("papers:\n" + "".join(lines), Loader=FastLoader)["papers"]
            problems += _model_problems(Paper, data[0] if data else None, self.path,
                                        self.spans[index][0] + 1, f"papers[{index}]")
        if self.keys:
            top = {k: v for k, v in self.data.items() if k != "papers"}
            top.update(yaml.load("".join(self._emit(self.keys)), Loader=FastLoader))
            problems += _model_problems(Event, {**top, "papers": [{"title": "-"}]}, self.path,
                                        None, "the event")
        if problems:
            raise ConfgenError(problems)

    def _new_papers(self) -> list[str]:
        """Return the lines of the new papers: emitted by LibYAML when the file's layout is
        one it writes too (ruamel.yaml takes ~2 ms a paper, LibYAML a tenth of that)."""
        mapping, sequence, offset = self.indent
        if mapping != 2 or sequence - offset != 2:
            return self._dump(CommentedMap(papers=CommentedSeq(self.appended)))
        text = yaml.dump(self.appended, Dumper=_FastDumper, sort_keys=False,
                         allow_unicode=True, width=FAST_WIDTH)
        pad = " " * offset
        return [pad + line if line.strip() else line for line in text.splitlines(keepends=True)]

    def _new_keys(self) -> list[str]:
        return [line for name, value in self.keys.items() if name not in self.key_lines
                for line in self._emit({name: value})]

    def _emit(self, mapping: dict) -> list[str]:
        buffer = io.StringIO()
        self.yaml.dump(CommentedMap(mapping), buffer)
        return buffer.getvalue().splitlines(keepends=True)


def _paper_spans(papers: yaml.Node | None, end: int) -> list[tuple[int, int]]:
    """Return (first line, line after) of each paper's block."""
    if not isinstance(papers, yaml.SequenceNode) or not papers.value:
        return []
    starts = [item.start_mark.line for item in papers.value]
    return list(zip(starts, starts[1:] + [end], strict=True))


def _model_problems(model, data: object, path: Path, line: int | None,
                    where: str) -> list[Problem]:
    try:
        model.model_validate(data)
    except ValidationError as exc:
        return [Problem(path, line, f"after editing, {where}."
                        f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}")
                for err in exc.errors(include_url=False)]
    return []


def set_field(entry: CommentedMap, name: str, value: object) -> None:
    """Set one field of a paper mapping, a new key placed in the model's field order."""
    _set(entry, name, value)


class PaperIndex:
    """Find the paper an event already has, as `merge.find_match` does, in constant time.

    The index only narrows the entries down to those sharing an arXiv id, an id or a
    title; `merge.same_paper` decides, so both paths join papers by one rule.
    """

    def __init__(self) -> None:
        self.entries: dict[int, object] = {}
        self.candidates: dict[tuple[str, str], list[int]] = {}
        self.keys: set[str] = set()

    def add(self, position: int, entry) -> None:
        """Index the entry at `position` (a plain dict or a CommentedMap)."""
        self.entries[position] = entry
        for key in self._keys(str(entry.get("arxiv") or ""), str(entry.get("id") or ""),
                              normalise_title(str(entry.get("title", "")))):
            self.candidates.setdefault(key, []).append(position)
        self.keys.add(entry_key(entry))

    def find(self, paper) -> int | None:
        """Return the position of the first entry that is the same paper, or None."""
        title = normalise_title(paper.title)
        positions = sorted({p for key in self._keys(paper.arxiv or "", paper.id or "", title)
                            for p in self.candidates.get(key, ())})
        return next((p for p in positions if same_paper(self.entries[p], paper, title)), None)

    @staticmethod
    def _keys(arxiv: str, pid: str, title: str) -> list[tuple[str, str]]:
        return [(kind, value) for kind, value in
                (("arxiv", base_id(arxiv) if arxiv else ""), ("id", pid), ("title", title))
                if value]


def bulk_merge(editor: BlockEditor, found: list[Found], topic: str = "") -> MergeReport:
    """Add or update every found paper through `editor`; never create a duplicate.

    The same rules as `merge.merge` (its `new_entry` and `update_entry` do the work), with
    an index instead of a scan, so 5,290 papers merge in seconds rather than minutes.
    """
    index, report = PaperIndex(), MergeReport()
    for position, entry in enumerate(editor.papers):
        if isinstance(entry, dict):
            index.add(position, entry)
    existing = len(editor.papers)
    updates: dict[int, list[Found]] = {}
    for item in found:
        position = index.find(item.paper)
        if position is None:
            entry = new_entry(item.paper, topic, taken=index.keys)
            index.add(existing + len(editor.appended), entry)
            editor.append(entry)
            report.added.append(entry_key(entry))
        elif position >= existing:  # a paper this run added, found again
            update_entry(editor.appended[position - existing], item, topic)
        else:
            updates.setdefault(position, []).append(item)
    for position, items in updates.items():
        def change(entry, items=items) -> bool:
            return any([update_entry(entry, item, topic) for item in items])
        plain = editor.papers[position]
        # Most papers of a re-import are unchanged: find out on a copy of the plain data
        # before paying for a round-trip of the block.
        trial = CommentedMap(plain)
        if isinstance(plain.get("links"), dict):
            trial["links"] = dict(plain["links"])  # the one nested value a merge mutates
        changed = change(trial) and editor.edit_paper(position, change)
        (report.updated if changed else report.unchanged).append(entry_key(plain))
    return report
