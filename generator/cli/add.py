"""The `confgen add` command: parse its options, run `add_papers`, print what happened."""

from __future__ import annotations

import argparse
import shlex
from pathlib import Path

from ..core.progress import console
from ..incremental import event_lock
from ..sources.add import AddOptions, add_papers, add_target

LISTED = 20  # ids printed per line; a whole venue is summarised
HELP = ("add papers from arXiv, OpenReview, .bib files, PDFs, paper lists or a whole "
        "OpenReview venue to an event (created if new)")
EPILOG = """\
REF is any mix of: an arXiv id (2505.06708, 2505.06708v2, hep-th/9901001) or abs/pdf URL;
an OpenReview forum URL or id; a .bib file; a PDF; a folder of PDFs and .bib files; a
JSON paper list (records with title, author, status, abstract, ...: accepted ones are
added). --venue NeurIPS.cc/2025/Conference imports every accepted paper of a venue.
A bad .bib entry or PDF is skipped and listed (file:line: why), the good ones are added
and the exit code is 1; --strict adds nothing instead (exit 2). A PDF without a text
layer (a scan) is added with a note and gets no summary until you add its abstract.
Papers already in the event are updated, never duplicated; your notes, topic, award and
summaries are kept. Environment: CONFGEN_ARXIV_URL, CONFGEN_ARXIV_FILES_URL, CONFGEN_OPENREVIEW_URL,
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
                        help="arXiv papers: every figure of the LaTeX source (else the PDF) "
                             "into figures/<id>/; local PDFs: the largest image")
    parser.add_argument("--fulltext", action="store_true",
                        help="arXiv papers: the paper's text by section into fulltext/<id>.yaml "
                             "(drafting and grounding read it)")
    parser.add_argument("--topic", default="", help="topic for the new papers")
    parser.add_argument("--strict", action="store_true",
                        help="add nothing when any entry or file is bad (default: add the "
                             "good ones, list the bad ones, exit 1)")
    parser.add_argument("--venue", default="", metavar="VENUE_ID",
                        help="import every accepted paper of an OpenReview venue, e.g. "
                             "NeurIPS.cc/2025/Conference (oral/spotlight/poster become the "
                             "presentation, the primary area the topic)")
    parser.set_defaults(handler=cmd_add, needs_event=False)
    return parser


def cmd_add(args: argparse.Namespace, _folder=None) -> int:
    """Run `confgen add` and report added, updated and unchanged papers."""
    root = add_target(args.event)
    options = AddOptions(refs=args.refs, list_file=args.list_file, figures=args.figures,
                         fulltext=args.fulltext, topic=args.topic, strict=args.strict,
                         venue=args.venue)
    with event_lock(root):
        result = add_papers(root, options)
    report = result.report
    for label, keys in (("added", report.added), ("updated", report.updated),
                        ("unchanged", report.unchanged)):
        if keys:
            shown = ", ".join(keys[:LISTED]) + (f", ... ({len(keys) - LISTED:,} more)"
                                                if len(keys) > LISTED else "")
            print(f"{label} {len(keys):,}: {shown}")
    for warning in result.warnings:
        console.print(f"warning: {warning}", markup=False)
    for problem in result.skipped:
        console.print(f"skipped: {problem}", markup=False)
    for path in result.written:
        print(f"wrote {path}")
    if result.skipped:
        console.print(f"skipped {len(result.skipped)} bad input(s); fix them and add again "
                      "(--strict adds nothing when any input is bad)", markup=False)
    hint = "select" if len(report.added) + len(report.updated) > LISTED else "build"
    print(f"next: confgen {hint} {shlex.quote(str(root))}"
          + (' --interests "..."' if hint == "select" else ""))
    return 1 if result.skipped else 0
