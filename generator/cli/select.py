"""`confgen select` and `confgen reading-list`: pick papers of a whole venue, list them."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..core.errors import ConfgenError
from ..core.event import open_event, resolve_event_dir
from ..core.progress import console
from ..incremental import event_lock
from ..render.theme import load_theme
from ..select.mark import MIN_RELEVANCE, SelectOptions, SelectResult, select_papers

SELECT_HELP = "rank every paper by your interests and mark the top ones as selected"
SELECT_EPILOG = """\
Ranking runs offline (TF-IDF over titles, keywords and abstracts, with phrases and word
senses told apart). Picks are marked `selected: true` in event.yaml with the terms that
matched; edit them by hand (`selected: false` drops a paper for good). From then on the
deck, panels and newsletter cover only the selected papers; the stats cover the venue.
Papers without a topic are clustered into labelled groups (rename with --rename-topic)."""
READING_HELP = "write one reading list (Markdown + HTML) across several events"
SHOWN = 30  # picks printed


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `select` and `reading-list` commands to confgen's subparsers."""
    p = subparsers.add_parser("select", help=SELECT_HELP, description=SELECT_HELP,
                              epilog=SELECT_EPILOG,
                              formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("event", help="event folder, or its name under summaries/")
    _interest_options(p)
    p.add_argument("--rename-topic", action="append", default=[], metavar="OLD=NEW",
                   help="rename a topic on every paper that has it")
    p.set_defaults(handler=cmd_select, needs_event=False)
    p = subparsers.add_parser("reading-list", help=READING_HELP, description=READING_HELP)
    p.add_argument("events", nargs="+", metavar="EVENT", help="event folders or names")
    _interest_options(p)
    p.add_argument("--title", default="", help="the list's heading")
    p.add_argument("--output", type=Path, default=Path("output"),
                   help="folder for reading-list.md and .html (default: output)")
    p.add_argument("--theme", default="light", help="colours of the HTML page")
    p.set_defaults(handler=cmd_reading_list, needs_event=False, event=None)


def _interest_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--interests", default="", metavar="TEXT",
                   help='what you care about, e.g. "LLM safety and alignment: jailbreaks, '
                        'RLHF, reward models"')
    p.add_argument("--top", type=int, default=30, help="papers to select (default: 30)")
    p.add_argument("--like", action="append", default=[], metavar="ID",
                   help="a paper you like: similar papers rank higher (repeatable)")
    p.add_argument("--include", action="append", default=[],
                   choices=["awards", "orals", "spotlights"],
                   help="also show these papers in the outputs, selected or not")
    p.add_argument("--clusters", type=int, default=12, metavar="N",
                   help="groups for papers without a topic (0: leave them; default: 12)")


def _options(args: argparse.Namespace) -> SelectOptions:
    rename = {}
    for pair in getattr(args, "rename_topic", []):
        old, sep, new = pair.partition("=")
        if not sep or not old.strip() or not new.strip():
            raise ConfgenError(f"--rename-topic {pair!r}: expected OLD=NEW")
        rename[old.strip()] = new.strip()
    if args.top < 1:
        raise ConfgenError("--top must be 1 or more")
    return SelectOptions(interests=args.interests, top=args.top, like=args.like,
                         include=args.include, cluster=max(args.clusters, 0), rename=rename)


def cmd_select(args: argparse.Namespace, _folder=None) -> int:
    """Run `confgen select` and show what was picked and why."""
    root = resolve_event_dir(args.event)
    options = _options(args)
    with event_lock(root):
        result = select_papers(root, options)
    report(result, options)
    print(f"wrote {result.event_file}")
    print(f"next: review the picks in {result.event_file}, then confgen build {root}")
    return 0


def report(result: SelectResult, options: SelectOptions) -> None:
    """Print the picks with their matching terms, and what else changed."""
    chosen = len(result.picks) + len(result.kept)
    if options.interests or options.like:
        about = f" for {options.interests!r}" if options.interests else ""
        print(f"selected {chosen:,} of {result.total:,} papers{about}")
        if chosen < options.top:
            print(f"only {chosen:,} papers match well enough; the others score under "
                  f"{MIN_RELEVANCE:.0%} of the best match")
    for number, pick in enumerate(result.picks[:SHOWN], start=1):
        why = f"  ({', '.join(pick.why)})" if pick.why else ""
        print(f"{number:3}. {pick.key}{why}")
    if result.kept:
        print(f"kept {len(result.kept)} selected by hand: {', '.join(result.kept)}")
    for word, pairs in sorted(result.other_senses.items()):
        shown = ", ".join(pairs[:4]) + (" ..." if len(pairs) > 4 else "")
        console.print(f"note: {word!r} in {shown} read as another sense", markup=False)
    if result.clustered:
        groups = ", ".join(f"{t} ({n})" for t, n in sorted(result.clustered.items(),
                                                           key=lambda kv: -kv[1]))
        print(f"topics for {sum(result.clustered.values()):,} papers without one: {groups}")
    if result.renamed:
        print(f"renamed the topic of {result.renamed:,} papers")


def cmd_reading_list(args: argparse.Namespace, _folder=None) -> int:
    """Select in each event when --interests is given, then write the reading list."""
    from ..render.newsletter.reading_list import render_reading_list

    roots = [resolve_event_dir(ref) for ref in args.events]
    if args.interests or args.like:
        options = _options(args)
        for root in roots:
            with event_lock(root):
                report(select_papers(root, options), options)
    folders = [open_event(root) for root in roots]
    about = (f"Papers from {' and '.join(f.event.name for f in folders)} on "
             f"{args.interests}, organised by conference and topic." if args.interests else "")
    written = render_reading_list(folders, args.output, load_theme(args.theme), args.title,
                                  about)
    for path in written:
        print(f"wrote {path}")
    return 0
