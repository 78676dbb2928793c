"""The `confgen` command: a thin layer that parses options and calls generator.build."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from pathlib import Path

from .. import __version__
from ..build import (
    DraftOptions,
    RenderOptions,
    build,
    check,
    draft,
    ensure_renderable,
    render_deck,
    render_newsletter,
    render_panels,
)
from ..core.errors import ConfgenError
from ..core.event import open_event, resolve_event_dir
from ..core.fulltext import locate
from ..core.progress import console
from ..drafting.backends import REGISTRY
from ..incremental import event_lock
from . import add as sources_cli
from . import select as select_cli
from . import serve as serve_cli
from . import summarize as llm_commands


def _size(value: str) -> str | tuple[int, int]:
    """Accept a preset name (checked later against templates/panels) or WIDTHxHEIGHT."""
    match = re.fullmatch(r"(\d{2,5})x(\d{2,5})", value)
    return (int(match.group(1)), int(match.group(2))) if match else value


def _add_draft_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--backend", choices=list(REGISTRY),
                        help="drafting backend (default: openai when OPENAI_API_KEY or "
                             "OPENAI_BASE_URL is set, else offline)")
    parser.add_argument("--model", help="model name for the openai backend")
    parser.add_argument("--concurrency", type=int, default=8, help="papers drafted at once")
    parser.add_argument("--style", default="talk", help="tone of the drafts: talk or newsletter")
    parser.add_argument("--prompts", type=Path, metavar="DIR",
                        help="prompt folder with system.j2, user.j2, styles/*.md "
                             "(default: templates/prompts)")
    parser.add_argument("--strict", action="store_true",
                        help="ask again once when a draft states a number or quote the paper "
                             "lacks, then fail that paper")
    parser.add_argument("--no-cache", action="store_true",
                        help="neither read nor write the LLM response cache")


def _add_render_options(parser: argparse.ArgumentParser, panels: bool = False) -> None:
    parser.add_argument("--output", type=Path, default=Path("output"),
                        help="output root; files go to OUTPUT/<event>/ (default: output)")
    parser.add_argument("--theme", default="light", help="light, dark, bold, or a theme.yaml path")
    if panels:
        parser.add_argument("--layout", default="comic",
                            help="panel layout: comic, explainer or card (default: comic)")
        parser.add_argument("--size", type=_size, default="newsletter",
                            help="newsletter (1200x1500), square, slide, social, or WIDTHxHEIGHT")
        parser.add_argument("--width", type=int, help="panel width in pixels (overrides --size)")
        parser.add_argument("--height", type=int, help="panel height in pixels")
        parser.add_argument("--scale", type=float, default=1.0, help="pixel density, e.g. 2")
        parser.add_argument("--jobs", type=int, default=0,
                            help="processes rendering panels (default: one per CPU core)")
        parser.add_argument("--art", choices=["none", "openai"], default="none",
                            help="backdrops for comic frames from the Images API (default: none)")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="confgen", description="Turn a conference's papers into a deck, explainer "
                                    "panels and a newsletter.")
    parser.add_argument("--version", action="version", version=f"confgen {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help_text: str, handler: Callable) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.add_argument("event", help="event folder, or its name under summaries/")
        p.set_defaults(handler=handler)
        return p

    p = command("summarize", "draft missing or stale summaries", cmd_summarize)
    p.add_argument("--paper", action="append", default=[], metavar="ID", help="only this paper")
    p.add_argument("--force", action="store_true", help="redraft even reviewed summaries")
    _add_draft_options(p)
    _add_render_options(command("deck", "render output/<event>/deck.pptx", cmd_deck))
    _add_render_options(p := command("panels", "render one explainer PNG per paper",
                                     cmd_panels), panels=True)
    p.add_argument("--paper", action="append", default=[], metavar="ID", help="only this paper")
    _add_render_options(command("newsletter", "render newsletter.md and .html", cmd_newsletter))
    p = command("build", "draft what is missing, then render everything", cmd_build)
    _add_draft_options(p)
    _add_render_options(p, panels=True)
    command("check", "validate the event and its summaries; report every problem", cmd_check)
    for name in ("newsletter", "build"):
        sub.choices[name].add_argument(
            "--newsletter-templates", type=Path, metavar="DIR",
            help="folder with your own newsletter.md.j2 / newsletter.html.j2 (sandboxed)")
    for name in ("deck", "build"):
        deck_parser = sub.choices[name]
        deck_parser.add_argument("--template", type=Path, metavar="PPTX",
                                 help="build on your organisation's .pptx template")
        deck_parser.add_argument("--pdf", action="store_true", help="also export deck.pdf")
        deck_parser.add_argument("--png", action="store_true", help="also export slide PNGs")
    llm_commands.register(sub)  # summarize --batch/--diff, and `confgen batch status|collect`
    sources_cli.register(sub)  # `confgen add EVENT REF...`
    serve_cli.register(sub)  # `confgen serve EVENT`: the review page
    select_cli.register(sub)  # `confgen select EVENT --interests ...`, `confgen reading-list`
    return parser


def _draft_options(args: argparse.Namespace) -> DraftOptions:
    options = {"model": args.model, "prompts": args.prompts, "strict": args.strict or None,
               "cache": llm_commands.cache_mode(args)}
    options = {key: value for key, value in options.items() if value is not None}
    return DraftOptions(backend=args.backend, papers=getattr(args, "paper", []),
                        force=getattr(args, "force", False), concurrency=args.concurrency,
                        style=args.style, backend_options=options)


def _panel_size(args: argparse.Namespace) -> tuple[int, int]:
    from ..render.panels.layout import resolve_size

    preset = args.size if isinstance(args.size, str) else None
    width, height = (None, None) if preset else args.size
    return resolve_size(preset, args.width or width, args.height or height)


def _render_options(args: argparse.Namespace) -> RenderOptions:
    names = ("theme", "layout", "scale", "jobs", "pdf", "png", "newsletter_templates",
             "template")
    fields = {k: getattr(args, k) for k in names if hasattr(args, k)}
    if hasattr(args, "size"):
        fields.update(size=_panel_size(args), art=args.art == "openai")
    return RenderOptions(output_root=args.output, papers=getattr(args, "paper", []), **fields)


def _print_written(paths: list[Path]) -> None:
    for path in paths:
        print(f"wrote {path}")


def cmd_summarize(args: argparse.Namespace, folder) -> int:
    if args.batch or args.batch_file:
        return llm_commands.summarize_batch(args, folder)
    before = llm_commands.snapshot(folder, args.paper) if args.diff else {}
    report = draft(folder, _draft_options(args))
    _print_written([folder.root / f"{key}.yaml" for key in report.written])
    if args.diff:
        llm_commands.print_diffs(folder, before, report.written)
    llm_commands.print_failures(report.failed)
    if not report.written and not report.failed:
        print("nothing to draft: every summary is present and up to date")
    llm_commands.print_usage(folder, report, args.model)
    return 1 if report.failed else 0


def _render_command(stage: Callable) -> Callable:
    """Return the handler of a command that renders one kind of output from the summaries."""

    def handler(args: argparse.Namespace, folder) -> int:
        ensure_renderable(folder)
        _print_written(stage(folder, _render_options(args)))
        return 0

    return handler


cmd_deck = _render_command(render_deck)
cmd_panels = _render_command(render_panels)
cmd_newsletter = _render_command(render_newsletter)


def cmd_build(args, folder) -> int:
    ensure_renderable(folder)
    report, written = build(folder, _draft_options(args), _render_options(args))
    _print_written([folder.root / f"{key}.yaml" for key in report.written] + written)
    llm_commands.print_failures(report.failed)
    llm_commands.print_usage(folder, report, args.model)
    if not written and not report.written:
        print("everything is up to date")
    return 1 if report.failed else 0


def cmd_check(args, folder) -> int:
    errors, warnings = check(folder)
    for problem in errors:
        console.print(f"error: {problem}", markup=False)
    for problem in warnings:
        console.print(f"warning: {problem}", markup=False)
    for line in _number_sources(folder):
        print(line)
    summary = f"{len(folder.papers)} papers, {len(folder.summaries)} summaries"
    print(f"{summary}: {len(errors)} errors, {len(warnings)} warnings")
    return 2 if errors else 0


def _number_sources(folder) -> list[str]:
    """Return, per paper with a full text, where each key number was read in the paper."""
    lines = []
    for paper in folder.papers:
        summary = folder.summaries.get(paper.key)
        if summary is None or paper.fulltext is None or not summary.key_numbers:
            continue
        places = [locate(n.source, paper.fulltext, abstract=paper.abstract, notes=paper.notes)
                  for n in summary.key_numbers]
        found = [f"{n.value} ({place or 'not in the paper'})"
                 for n, place in zip(summary.key_numbers, places, strict=True)]
        lines.append(f"{paper.key}: key numbers {', '.join(found)}")
    return lines


def main(argv: list[str] | None = None) -> int:
    """Run confgen; user errors print `file:line: message` and exit 2, never a traceback."""
    args = _parser().parse_args(argv)
    try:
        if not getattr(args, "needs_event", True):  # e.g. `add`, which may create the event
            return args.handler(args, None)
        root = resolve_event_dir(args.event)
        if args.handler is cmd_check:
            return cmd_check(args, open_event(root))
        with event_lock(root):
            return args.handler(args, open_event(root))
    except ConfgenError as exc:
        for problem in exc.problems:
            console.print(f"error: {problem}", markup=False)
        return exc.exit_code
    except KeyboardInterrupt:
        console.print("interrupted; files written so far are complete")
        return 130


if __name__ == "__main__":
    sys.exit(main())
