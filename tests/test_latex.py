"""The one LaTeX converter: what readers see of titles, abstracts and summaries."""

import json
import re
from pathlib import Path

import pytest

from generator.core.models import Paper
from generator.sources.arxiv import parse_feed
from generator.text.latex import clean_latex, has_latex, unlatex, unlatex_fields

REAL = Path(__file__).parent / "data" / "real"


@pytest.mark.parametrize(("latex", "plain"), [
    (r"$\omega$Test: WebView-Oriented Testing", "ωTest: WebView-Oriented Testing"),
    ("$ω$Test: WebView-Oriented Testing", "ωTest: WebView-Oriented Testing"),
    (r"Scaling via $\mu$P and Depth-$\mu$P", "Scaling via μP and Depth-μP"),
    (r"\textit{Bifr\"ost}", "Bifröst"),
    (r"\texttt{X} and \mbox{Y}", "X and Y"),
    (r"$\nabla^2$DFT", "∇²DFT"),
    (r"$\tilde{O}(\sqrt{n})$", "Õ(√n)"),
    (r"$\|\nabla f\|$", "‖∇f‖"),
    (r"\|\nabla f\|", "‖∇f‖"),
    (r"$\{1,\dots,n\}$", "{1,…,n}"),
    (r"\ell_2 and $\ell_1$", "ℓ₂ and ℓ₁"),
    (r"i.i.d.\ samples", "i.i.d. samples"),
    (r"first line\\second line", "first line second line"),
    (r"\mysterymacro{kept} words", "kept words"),
    (r"$O(n \log n)$ time for $\varepsilon > 0$", "O(n log n) time for ε > 0"),
    (r"$\frac{a+b}{2}$ and $\frac{1}{2}$", "(a+b)/2 and 1/2"),
    (r"see \cite{smith20}, \url{https://x.org/~a_b} and \href{https://y.org}{the site}",
     "see, https://x.org/~a_b and the site"),
    ("it costs $5 and $3 a month", "it costs $5 and $3 a month"),
    ("5% better & faster", "5% better & faster"),
    (r"``quoted'' -- dash --- em", "“quoted” – dash — em"),
    (r"Schr\"{o}dinger, na\"{\i}ve, \v{S}koda, Stra\ss e", "Schrödinger, naïve, Škoda, Straße"),
    (r"We use \emph{gated} \textbf{heads}", "We use gated heads"),
])
def test_clean_latex_writes_what_a_reader_would(latex, plain):
    assert clean_latex(latex) == plain


def test_titles_of_a_real_paper_list_keep_every_word():
    titles = [record["title"] for record in
              json.loads((REAL / "paperlists" / "nips2024_first30.json").read_text())]
    plain = {title: clean_latex(title) for title in titles}
    assert plain[r'$\textit{Bifr\"ost}$: 3D-Aware Image Composing with Language Instructions'] \
        == "Bifröst: 3D-Aware Image Composing with Language Instructions"
    assert plain["$C^2M^3$: Cycle-Consistent Multi-Model Merging"] == \
        "C²M³: Cycle-Consistent Multi-Model Merging"
    assert plain["(FL)${}^2$: Overcoming Few Labels in Federated Semi-Supervised Learning"] \
        .startswith("(FL)²: Overcoming")
    assert plain[r"$\text{Di}^2\text{Pose}$: Discrete Diffusion Model for Occluded 3D Human "
                 "Pose Estimation"].startswith("Di²Pose: Discrete")
    assert plain[r"$\texttt{ConflictBank}$: A Benchmark for Evaluating the Influence of "
                 "Knowledge Conflicts in LLMs"].startswith("ConflictBank: A Benchmark")
    for title, text in plain.items():
        assert not has_latex(text) and "$" not in text, title
        words = [w for w in title.replace("$", " ").split() if w.isalpha() and len(w) > 3]
        assert all(w in text for w in words), title  # no word was swallowed


def test_a_real_arxiv_answer_reads_as_text():
    entries = parse_feed((REAL / "arxiv" / "query_testing_start20_max10.xml").read_bytes())
    titles = [e.title for e in entries]
    assert "ωTest: WebView-Oriented Testing for Android Applications" in titles
    tolerance = next(e for e in entries if e.base_id == "2106.13414")
    assert "over {1, …, n}, is it ε₁-close to or ε₂-far" in tolerance.abstract
    assert "complexity is Θ(√n)" in tolerance.abstract
    assert "Θ(n/log n)" in tolerance.abstract
    for entry in entries:
        assert not has_latex(entry.title + " " + entry.abstract), entry.base_id


@pytest.mark.parametrize(("text", "plain"), [
    (r"A $O(\sqrt{d})$ regret bound", "A O(√d) regret bound"),
    (r"Models like \texttt{GPT} win", "Models like GPT win"),
    ("it costs $5 and $3 a month, 5% off, snake_case & {braces}",
     "it costs $5 and $3 a month, 5% off, snake_case & {braces}"),
    ("no markup at all", "no markup at all"),
])
def test_unlatex_converts_formulas_in_plain_text_and_leaves_the_rest(text, plain):
    assert unlatex(text) == plain


def test_unlatex_fields_cleans_every_string_of_a_model():
    item = Paper(title=r"$\beta$-DPO with $\ell_2$ loss", authors=["Ada"])
    assert unlatex_fields(item).title == "β-DPO with ℓ₂ loss"
    assert unlatex_fields({"a": [r"$x^2$"]}) == {"a": ["x²"]}
    assert item.title == r"$\beta$-DPO with $\ell_2$ loss"  # a copy, never the original


@pytest.mark.parametrize("broken", [r"\textbf{", "{unbalanced", r"\href{x}", "$$", "\\", "}{"])
def test_broken_latex_never_raises_and_keeps_its_words(broken):
    assert isinstance(clean_latex(broken + " tail words"), str)
    assert "tail words" in clean_latex(broken + " tail words")


def raw_abstract(base_id: str) -> str:
    """Return an abstract exactly as arXiv sent it, LaTeX and all."""
    import xml.etree.ElementTree as ET

    atom = "{http://www.w3.org/2005/Atom}"
    root = ET.fromstring((REAL / "arxiv" / "query_testing_start20_max10.xml").read_bytes())
    entry = next(e for e in root.findall(f"{atom}entry") if base_id in e.findtext(f"{atom}id"))
    return " ".join(entry.findtext(f"{atom}summary").split())


def test_no_macro_or_dollar_reaches_the_newsletter_panels_or_deck(tmp_path, capsys):
    """A hand-written event.yaml with real LaTeX titles and abstracts renders as text."""
    from factories import paper, run_cli, write_event
    from pptx import Presentation

    from generator.core.event import open_event
    from generator.render.panels.panel import render_panel_detailed
    from generator.render.theme import load_theme

    titles = [r'$\textit{Bifr\"ost}$: 3D-Aware Image Composing with Language Instructions',
              r"$\nabla^2$DFT: A Universal Quantum Chemistry Dataset of Drug-Like Molecules",
              r"$\beta$-DPO: Direct Preference Optimization with Dynamic $\beta$"]
    abstract = raw_abstract("2106.13414")
    assert r"\varepsilon" in abstract and "$" in abstract
    root = write_event(tmp_path / "conf", [paper(title, id=f"p{i}", abstract=abstract)
                                           for i, title in enumerate(titles)])
    code, out = run_cli(capsys, "build", str(root), "--backend", "offline",
                        "--output", str(tmp_path / "out"))
    assert code == 0, out
    raw = re.compile(r"\\[A-Za-z]+|\$")
    out_dir = tmp_path / "out" / "conf"
    markdown = (out_dir / "newsletter.md").read_text(encoding="utf-8")
    assert "Bifröst: 3D-Aware" in markdown and "∇²DFT" in markdown and "β-DPO" in markdown
    assert not raw.search(markdown.replace("\\", "").replace("](", "")), markdown
    html = (out_dir / "newsletter.html").read_text(encoding="utf-8")
    assert not raw.search(html) and "Θ̃(√n/ε₂²" in html  # the tl;dr, from raw LaTeX
    deck_text = " ".join(shape.text_frame.text for slide in
                         Presentation(str(out_dir / "deck.pptx")).slides
                         for shape in slide.shapes if shape.has_text_frame)
    assert "β-DPO" in deck_text and not raw.search(deck_text)
    folder = open_event(root)
    for item in folder.papers:
        result = render_panel_detailed(folder.event, item, folder.summaries[item.key],
                                       load_theme("light"))
        drawn = " ".join(record.text for record in result.records)
        assert not raw.search(drawn), drawn
    assert "Bifröst" in " ".join(r.text for r in render_panel_detailed(
        folder.event, folder.papers[0], folder.summaries["p0"], load_theme("light")).records)


def test_list_titles_are_looked_up_as_text(tmp_path):
    from generator.sources.refs import read_list

    titles = [r["title"] for r in json.loads((REAL / "paperlists" / "nips2024_first30.json")
                                             .read_text())]
    listed = tmp_path / "papers.txt"
    listed.write_text("\n".join(f"- {t}" for t in titles) + "\n", encoding="utf-8")
    refs = read_list(listed)
    assert [ref.kind for ref in refs] == ["title"] * len(titles)
    assert "Bifröst: 3D-Aware Image Composing with Language Instructions" in \
        [ref.value for ref in refs]
    assert not any(has_latex(ref.value) for ref in refs)
