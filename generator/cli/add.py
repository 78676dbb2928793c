"""The `confgen add` command: parse its options, run `add_papers`, print what happened."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..core.progress import console
from ..incremental import event_lock
from ..sources.add import AddOptions, add_papers, add_target

HELP = "add papers from arXiv, OpenReview, .bib files or PDFs to an event (created if new)"
EPILOG = """\
REF is any mix of: an arXiv id (2505.06708, 2505.06708v2, hep-th/9901001) or abs/pdf URL;
an OpenReview forum URL or id; a .bib file; a PDF; a folder of PDFs and .bib files.
Papers already in the event are updated, never duplicated; your notes, topic, award and
summaries are kept. Environment: CONFGEN_ARXIV_URL, CONFGEN_OPENREVIEW_URL,
OPENREVIEW_USERNAME, OPENREVIEW_PASSWORD, CONFGEN_CACHE_DIR."""


def register(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add the `add` command to confgen's subparsers."""
    parser = subparsers.add_parser("add", help=HELP, description=HELP, epilog=EPILOG,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("event", help="event folder, or its name under summaries/ "
                                      "(created when it does not exist)")
    parser.add_argument("refs", nargs="*", metavar="REF", help="what to add (see below)")
    parser.add_argument("--list", type=Path, dest="list_file", metavar="FILE",
                        help="a file with one title, id or URL per line; titles are looked "
                             "up on arXiv, unknown ones go to other_papers")
    parser.add_argument("--figures", action="store_true",
                        help="extract the largest image of each PDF into figures/")
    parser.add_argument("--topic", default="", help="topic for the new papers")
    parser.set_defaults(handler=cmd_add, needs_event=False)
    return parser


def cmd_add(args: argparse.Namespace, _folder=None) -> int:
    """Run `confgen add` and report added, updated and unchanged papers."""
    root = add_target(args.event)
    options = AddOptions(refs=args.refs, list_file=args.list_file, figures=args.figures,
                         topic=args.topic)
    with event_lock(root):
        result = add_papers(root, options)
    report = result.report
    for label, keys in (("added", report.added), ("updated", report.updated),
                        ("unchanged", report.unchanged)):
        if keys:
            print(f"{label} {len(keys)}: {', '.join(keys)}")
    for warning in result.warnings:
        console.print(f"warning: {warning}", markup=False)
    for path in result.written:
        print(f"wrote {path}")
    print(f"next: confgen build {root}")
    return 0
