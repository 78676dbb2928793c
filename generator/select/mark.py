"""`confgen select`: rank the event's papers, mark the top ones `selected` in event.yaml.

The reader stays in charge of the file: a paper they set to `selected: true` by hand
stays selected, one they set to `selected: false` is never picked again, and papers the
last run picked (listed in `selection.picked`) are replaced by this run's picks. Each
pick carries a comment with the terms that made it match. Papers without a topic get
one by clustering (see `topics`). Only the changed paper blocks are rewritten.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ..core.errors import ConfgenError, Problem
from ..core.event import EVENT_FILE, load_event
from ..core.models import Event
from ..core.yamlio import write_atomic
from ..sources.blocks import BlockEditor, set_field
from ..sources.merge import entry_key
from .rank import Ranked, rank
from .topics import DEFAULT_GROUPS, cluster_topics

MIN_RELEVANCE = 0.15  # a pick scores at least this share of the best paper's score


@dataclass
class SelectOptions:
    interests: str = ""
    top: int = 30
    like: list[str] = field(default_factory=list)
    include: list[str] = field(default_factory=list)  # awards, orals, spotlights
    cluster: int = DEFAULT_GROUPS  # groups for papers without a topic; 0: do not cluster
    rename: dict[str, str] = field(default_factory=dict)  # topic -> new name


@dataclass
class SelectResult:
    event_file: Path
    total: int
    picks: list[Ranked] = field(default_factory=list)  # this run's picks, best first
    kept: list[str] = field(default_factory=list)  # selected by hand, kept
    clustered: dict[str, int] = field(default_factory=dict)  # new topic -> papers
    renamed: int = 0
    other_senses: dict[str, list[str]] = field(default_factory=dict)


def select_papers(root: Path, options: SelectOptions) -> SelectResult:
    """Rank the papers of the event at `root` and mark the picks in its event.yaml."""
    event_file = root / EVENT_FILE
    editor = BlockEditor(event_file, name=root.name)
    event = _event(editor, root)
    keys = [paper.key for paper in event.papers]
    _check_likes(options.like, set(keys), event_file)
    previous = set(event.selection.picked) if event.selection else set()
    dropped = {entry_key(e) for e in editor.papers if e.get("selected") is False}
    kept = [p.key for p in event.papers if p.selected and p.key not in previous]
    result = SelectResult(event_file, len(keys), kept=kept)
    if options.interests or options.like:
        ranking = rank(event.papers, options.interests, options.like)
        result.other_senses = ranking.other_senses
        chosen, liked_keys = set(kept), set(options.like)
        liked = [r for r in ranking.results if r.key in liked_keys - chosen]
        floor = MIN_RELEVANCE * max((r.score for r in ranking.results), default=0.0)
        rest = [r for r in ranking.results if r.score > floor and r.key not in dropped
                and r.key not in chosen and r.key not in liked_keys]
        result.picks = (liked + rest)[:max(options.top - len(kept), 0)]
    elif not options.rename and not options.cluster:
        raise ConfgenError("nothing to do: give --interests, --like, --rename-topic or --cluster")
    _write_picks(editor, event, result, previous)
    _write_topics(editor, event, options, result)
    if options.interests or options.like:
        editor.set_key("selection", _selection_block(editor, options, result))
    editor.validate_edits()
    write_atomic(event_file, editor.text())
    return result


def _event(editor: BlockEditor, root: Path) -> Event:
    try:
        return Event.model_validate(editor.data)
    except ValidationError:
        return load_event(root)  # raises every problem with its line


def _check_likes(like: list[str], keys: set[str], event_file: Path) -> None:
    unknown = [pid for pid in like if pid not in keys]
    if unknown:
        raise ConfgenError([Problem(event_file, None, f"--like {pid}: no paper with that id")
                            for pid in unknown])


def _write_picks(editor: BlockEditor, event: Event, result: SelectResult,
                 previous: set[str]) -> None:
    """Mark this run's picks (with why) and unmark the last run's picks that fell out."""
    why = {r.key: r.why for r in result.picks}
    for index, paper in enumerate(event.papers):
        if paper.key in why:
            editor.edit_paper(index, lambda entry, w=why[paper.key]: _mark(entry, w))
        elif paper.key in previous and paper.selected:
            editor.edit_paper(index, _unmark)


def _mark(entry: CommentedMap, why: list[str]) -> bool:
    set_field(entry, "selected", True)
    comment = f"matches: {', '.join(why)}" if why else "picked by confgen select"
    entry.yaml_add_eol_comment(comment, "selected")
    return True


def _unmark(entry: CommentedMap) -> bool:
    if "selected" in entry:
        del entry["selected"]
        return True
    return False


def _write_topics(editor: BlockEditor, event: Event, options: SelectOptions,
                  result: SelectResult) -> None:
    """Rename topics, and give papers without one a clustered topic."""
    for index, paper in enumerate(event.papers):
        if paper.topic in options.rename:
            editor.edit_paper(index, _setter("topic", options.rename[paper.topic]))
            result.renamed += 1
    lacking = [p for p in event.papers if not p.topic]
    if not options.cluster or not lacking:
        return
    topics = cluster_topics(lacking, options.cluster)
    for index, paper in enumerate(event.papers):
        if paper.key in topics:
            editor.edit_paper(index, _setter("topic", topics[paper.key]))
            result.clustered[topics[paper.key]] = result.clustered.get(topics[paper.key], 0) + 1


def _setter(name: str, value: str):
    def change(entry: CommentedMap) -> bool:
        set_field(entry, name, value)
        return True
    return change


def _selection_block(editor: BlockEditor, options: SelectOptions,
                     result: SelectResult) -> CommentedMap:
    """Return the `selection:` mapping: what was asked, and which papers this run picked."""
    old = editor.data.get("selection") if isinstance(editor.data.get("selection"), dict) else {}
    block = CommentedMap()
    if options.interests:
        block["interests"] = options.interests
    if old.get("label"):
        block["label"] = old["label"]
    block["top"] = options.top
    if options.like:
        block["like"] = _flow(options.like)
    include = options.include or old.get("include") or []
    if include:
        block["include"] = _flow(include)
    block["picked"] = CommentedSeq([r.key for r in result.picks])  # one per line
    return block


def _flow(items: list[str]) -> CommentedSeq:
    seq = CommentedSeq(items)
    seq.fa.set_flow_style()
    return seq

