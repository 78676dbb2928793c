"""The newsletter: Markdown and sanitized HTML, grouped by topic, safe against XSS."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from browser import chromium, dump_dom
from factories import drafted, paper, write_event

from generator.core.errors import ConfgenError
from generator.render.newsletter.newsletter import render_newsletter, safe_url
from generator.render.theme import load_theme

PAYLOADS = (Path(__file__).parent / "data" / "xss_payloads.txt").read_text().splitlines()
URL_PAYLOADS = [p for p in PAYLOADS if ":" in p] + [
    'https://example.org/"><script>document.title="PWNED"</script>',
    "https://example.org/x' onmouseover='document.title=1",
]


def build(root: Path, papers: list[dict], **event_fields) -> list[Path]:
    write_event(root, papers, **event_fields)
    return render_newsletter(drafted(root), root.parent / "out", load_theme("light"))


class DescribeContent:
    @pytest.fixture
    def outputs(self, tmp_path: Path) -> tuple[str, str]:
        md_path, html_path = build(
            tmp_path / "conf",
            [paper(award="Best Paper", links={"code": "https://github.com/q/gated"}),
             paper(title="Deep RL", arxiv="2503.14858", topic="RL", authors=[f"A{i}" for i in
                                                                            range(40)])],
            talks=[{"title": "The Oak Architecture", "speaker": "Rich Sutton",
                    "points": ["Options are sequences of actions"]}],
            other_papers=["Large Language Diffusion Models"])
        return md_path.read_text(), html_path.read_text()

    def it_groups_papers_by_topic(self, outputs):
        md, _ = outputs
        assert md.index("## Architectures") < md.index("Gated Attention") < md.index("## RL")

    def it_gives_each_paper_authors_links_what_and_why(self, outputs):
        md, html = outputs
        assert "**Authors:** Qiu, Wang, Zheng" in md  # the byline rule of every renderer
        assert "[code](https://github.com/q/gated)" in md
        assert "**What was done?**" in md and "**Why it matters?**" in md
        assert '<a href="https://arxiv.org/abs/2505.06708"' in html

    def it_shortens_long_author_lists(self, outputs):
        md, _ = outputs
        assert "A0, A1" in md and "(40 authors)" in md and "A20" not in md

    def it_shows_awards_talks_and_other_papers(self, outputs):
        md, _ = outputs
        assert "🏆 Best Paper" in md
        assert "### The Oak Architecture — Rich Sutton" in md
        assert "- Large Language Diffusion Models" in md

    def it_links_the_panel_image_when_it_exists(self, tmp_path):
        root = write_event(tmp_path / "conf")
        panels = tmp_path / "out" / "panels"
        panels.mkdir(parents=True)
        (panels / "2505.06708.png").write_bytes(b"png")
        md_path, html_path = render_newsletter(drafted(root), tmp_path / "out",
                                               load_theme("light"), panels_dir=panels)
        assert "](panels/2505.06708.png)" in md_path.read_text()
        assert '<img alt="Explainer panel: Gated Attention' in html_path.read_text()


class _Inspector(HTMLParser):
    """Collect every tag and attribute of a page."""

    def __init__(self):
        super().__init__()
        self.tags, self.attributes = set(), []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attributes += [(name, value or "") for name, value in attrs]


def xss_event(root: Path) -> list[Path]:
    papers = []
    for index, payload in enumerate(PAYLOADS):
        papers.append(paper(
            title=f"Paper {index} {payload}", id=f"p{index}", arxiv=None, topic=payload,
            authors=[payload, "Safe Author"], notes=payload,
            abstract=f"We study {payload} in depth. This matters because {payload} breaks.",
            links={"paper": URL_PAYLOADS[index % len(URL_PAYLOADS)],
                   "code": f"https://example.org/{index}"}))
    return build(root, papers, name=f"Conf {PAYLOADS[0]}", trends=PAYLOADS[:5],
                 talks=[{"title": PAYLOADS[1], "speaker": PAYLOADS[2], "points": PAYLOADS[3:6]}],
                 other_papers=[{"title": p, "url": u} for p, u in zip(PAYLOADS, URL_PAYLOADS,
                                                                      strict=False)])


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> tuple[str, str]:
    """The Markdown and HTML of an event whose every field carries an XSS payload."""
    md_path, html_path = xss_event(tmp_path_factory.mktemp("xss") / "conf")
    return md_path.read_text(), html_path.read_text()


class DescribeXssCorpus:
    def it_has_at_least_thirty_payloads(self):
        assert len(PAYLOADS) >= 30

    def it_leaves_no_script_no_handler_and_no_unsafe_url(self, pages):
        _, html = pages
        inspector = _Inspector()
        inspector.feed(html)
        assert inspector.tags <= {"html", "head", "meta", "title", "style", "body", "main",
                                  "h1", "h2", "h3", "p", "a", "em", "strong", "ul", "li",
                                  "br", "blockquote", "img"}
        for name, value in inspector.attributes:
            assert not name.startswith("on"), name
            if name in ("href", "src"):
                assert re.match(r"(https?:|mailto:|panels/)", value), value

    def it_keeps_the_payloads_visible_as_text(self, pages):
        md, html = pages
        assert "&lt;script&gt;document.title=" in html
        assert "\\[click me\\]" in md

    @pytest.mark.skipif(chromium() is None, reason="Debian chromium is not installed")
    def it_runs_no_script_in_a_real_browser(self, tmp_path, pages):
        _, html = pages
        page = tmp_path / "page.html"
        # Drop our CSP so the test checks the sanitizer, not the browser's policy.
        page.write_text(re.sub(r"<meta http-equiv=\"Content-Security-Policy\"[^>]*>", "", html))
        dom = dump_dom(page)
        assert "<main>" in dom
        assert "<title>PWNED</title>" not in dom  # no payload set document.title
        assert not re.search(r"<body[^>]*data-pwned", dom)  # no handler ran


@pytest.mark.parametrize("url,expected", [
    ("https://arxiv.org/abs/1", "https://arxiv.org/abs/1"),
    ("javascript:alert(1)", ""),
    (" JAVASCRIPT:alert(1)", ""),
    ("data:text/html,x", ""),
    ("//evil.example", ""),
    ("https://x.org/a b(c)", "https://x.org/a%20b%28c%29"),
])
def test_only_http_and_mailto_links_survive(url, expected):
    assert safe_url(url) == expected


class DescribeUserTemplates:
    def it_uses_the_users_markdown_template(self, tmp_path):
        root = write_event(tmp_path / "conf")
        own = tmp_path / "mine"
        own.mkdir()
        (own / "newsletter.md.j2").write_text("# Weekly: {{ event.name | md }}\n")
        md_path, html_path = render_newsletter(drafted(root), tmp_path / "out",
                                               load_theme("light"), template_dir=own)
        assert md_path.read_text() == "# Weekly: Test Conf 2025\n"
        assert "<h1>Weekly: Test Conf 2025</h1>" in html_path.read_text()

    @pytest.mark.parametrize("payload", [
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ event.__class__.__init__.__globals__ }}",
        "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    ])
    def it_stops_a_template_that_reaches_for_python_internals(self, tmp_path, payload):
        root = write_event(tmp_path / "conf")
        own = tmp_path / "mine"
        own.mkdir()
        (own / "newsletter.md.j2").write_text(payload)
        with pytest.raises(ConfgenError) as error:
            render_newsletter(drafted(root), tmp_path / "out", load_theme("light"),
                              template_dir=own)
        assert "template" in str(error.value)
        assert not (tmp_path / "out").exists()

    def it_locates_a_template_syntax_error(self, tmp_path):
        root = write_event(tmp_path / "conf")
        own = tmp_path / "mine"
        own.mkdir()
        (own / "newsletter.md.j2").write_text("line one\n{% for x in %}\n")
        with pytest.raises(ConfgenError) as error:
            render_newsletter(drafted(root), tmp_path / "out", load_theme("light"),
                              template_dir=own)
        assert "newsletter.md.j2:2: template error" in str(error.value)
