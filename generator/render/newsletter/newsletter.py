"""Render the newsletter: Markdown from a Jinja2 template, then sanitized HTML.

Every value from the event or a summary is untrusted. In Markdown it is escaped so raw
HTML shows as text; links keep only http(s) and mailto URLs; and the HTML converted from
that Markdown goes through nh3's allow-list, so no script or handler can survive even if
a template lets one through.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

import markdown
import nh3
from jinja2 import FileSystemLoader, StrictUndefined, TemplateError, TemplateSyntaxError
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from ...core.errors import ConfgenError, Problem
from ...core.event import EventFolder
from ...core.models import Paper, Summary
from ...core.paths import TEMPLATES_DIR
from ...core.topics import group_by_topic
from ...core.yamlio import write_atomic
from ...text.bylines import one_line, short_authors
from ..theme import Theme

ALLOWED_TAGS = {"a", "blockquote", "br", "code", "em", "h1", "h2", "h3", "h4", "hr", "img",
                "li", "ol", "p", "pre", "strong", "ul", "main"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}}
SAFE_SCHEMES = {"http", "https", "mailto"}
BYLINE_NAMES = 8  # authors named under a paper's heading
_MD_SPECIAL = re.compile(r"([\\`*_\[\]!])")


def escape_markdown(value: object) -> str:
    """Escape text so Markdown shows it literally: no markup, no raw HTML."""
    text = one_line(value)  # whitespace collapsed, inline LaTeX as Unicode
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", text)


def safe_url(url: str | None) -> str:
    """Return `url` percent-encoded if its scheme is http(s) or mailto, else ''."""
    if not url:
        return ""
    url = url.strip()
    if urlsplit(url).scheme.lower() not in SAFE_SCHEMES:
        return ""
    return quote(url, safe=":/?#@!$&'*+,;=%~.-_")  # parentheses get encoded: safe in Markdown


@dataclass
class Entry:
    paper: Paper
    summary: Summary | None
    url: str
    authors: str
    links: list[tuple[str, str]]
    panel: str
    figure: str = ""  # the key figure, relative to the newsletter
    figure_caption: str = ""  # its caption and credit ("Figure 1 of arXiv:...")


def _entry(folder: EventFolder, paper: Paper, out_dir: Path, panels_dir: Path | None) -> Entry:
    links = [(name, url) for name, url in
             ((name, safe_url(raw)) for name, raw in paper.links.items()) if url]
    if paper.arxiv and "paper" not in paper.links:
        links.insert(0, ("paper", safe_url(paper.url)))
    panel = ""
    if panels_dir is not None and (panels_dir / f"{paper.key}.png").is_file():
        panel = _relative(panels_dir / f"{paper.key}.png", out_dir)
    figure = folder.shown_figure(paper)
    shown = figure is not None and figure.credit != ""
    return Entry(paper, folder.summaries.get(paper.key), safe_url(paper.url),
                 short_authors(paper.authors, BYLINE_NAMES), links, panel,
                 _relative(figure.path, out_dir) if shown else "",
                 f"{figure.caption} ({figure.credit})".strip() if shown else "")


def _relative(path: Path, out_dir: Path) -> str:
    return quote(Path(os.path.relpath(path.resolve(), out_dir.resolve())).as_posix())


def entry_groups(folder: EventFolder, out_dir: Path,
                 panels_dir: Path | None) -> list[tuple[str, list[Entry]]]:
    """Return the papers as entries grouped by topic (see `core.topics.group_by_topic`)."""
    return [(topic, [_entry(folder, paper, out_dir, panels_dir) for paper in papers])
            for topic, papers in group_by_topic(folder.papers)]


def environment(template_dir: Path | None = None) -> SandboxedEnvironment:
    """A sandboxed Jinja2 environment: user templates cannot reach Python internals."""
    dirs = [str(template_dir)] if template_dir else []
    env = SandboxedEnvironment(
        loader=FileSystemLoader(dirs + [str(TEMPLATES_DIR / "newsletter")]),
        undefined=StrictUndefined, keep_trailing_newline=True, autoescape=False,
    )
    env.filters["md"] = escape_markdown
    return env


def render_markdown(folder: EventFolder, out_dir: Path, panels_dir: Path | None = None,
                    template_dir: Path | None = None) -> str:
    """Return the newsletter as Markdown."""
    env = environment(template_dir)
    other = [{"title": p.title, "url": safe_url(p.url)} for p in folder.event.other_papers]
    count = len(folder.papers)
    intro = (f"{count} paper{'s' if count != 1 else ''} from {folder.event.name} worth your "
             "time, each with what was done, why it matters and a one-image explainer.")
    text = env.get_template("newsletter.md.j2").render(
        event=folder.event, groups=entry_groups(folder, out_dir, panels_dir),
        other_papers=other, intro=intro, venue_topics=_venue_topics(folder))
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def _venue_topics(folder: EventFolder) -> list[tuple[str, str]]:
    """Return (topic, count) of the whole venue when the newsletter covers a selection."""
    if folder.venue is None:
        return []
    return [(topic, f"{count:,}") for topic, count in folder.venue.topics]


TABLE_TAGS = {"table", "thead", "tbody", "tr", "th", "td"}


def markdown_to_safe_html(md_text: str, tables: bool = False) -> str:
    """Convert Markdown to HTML and keep only allow-listed tags, attributes and schemes."""
    extensions = ["sane_lists", "tables"] if tables else ["sane_lists"]
    html = markdown.markdown(md_text, extensions=extensions, output_format="html")
    return nh3.clean(html, tags=ALLOWED_TAGS | TABLE_TAGS if tables else ALLOWED_TAGS,
                     attributes=ALLOWED_ATTRIBUTES, url_schemes=SAFE_SCHEMES,
                     link_rel="noopener noreferrer")


def render_html(md_text: str, title: str, theme: Theme, template_dir: Path | None = None,
                tables: bool = False) -> str:
    body = markdown_to_safe_html(md_text, tables)
    env = environment(template_dir)
    env.autoescape = True
    return env.get_template("newsletter.html.j2").render(body=body, title=title, theme=theme)


@contextmanager
def _template_errors(template_dir: Path | None) -> Iterator[None]:
    """Turn a broken or malicious user template into a located, clear error."""
    try:
        yield
    except TemplateSyntaxError as exc:
        raise ConfgenError([Problem(Path(exc.filename or "template"), exc.lineno,
                                    f"template error: {exc.message}")]) from None
    except SecurityError as exc:
        raise ConfgenError(f"template in {template_dir} tried something unsafe and was "
                           f"stopped by the sandbox: {exc}") from None
    except TemplateError as exc:
        raise ConfgenError(f"template in {template_dir or 'templates/newsletter'}: {exc}") from None


def render_newsletter(folder: EventFolder, out_dir: Path, theme: Theme,
                      panels_dir: Path | None = None,
                      template_dir: Path | None = None) -> list[Path]:
    """Write newsletter.md and newsletter.html into `out_dir`; return their paths.

    `template_dir` may hold a user's own newsletter.md.j2 / newsletter.html.j2; they run
    in Jinja2's sandbox and fall back to the built-in templates for what they lack.
    """
    title = f"{folder.event.name} — paper highlights"
    with _template_errors(template_dir):
        md_text = render_markdown(folder, out_dir, panels_dir, template_dir)
        html = render_html(md_text, title, theme, template_dir)
    md_path, html_path = out_dir / "newsletter.md", out_dir / "newsletter.html"
    write_atomic(md_path, md_text)
    write_atomic(html_path, html)
    return [md_path, html_path]
