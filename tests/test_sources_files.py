"""Local sources: .bib files, PDFs (title guess, abstract, introduction, figures), refs."""

from pathlib import Path

import pytest
from PIL import Image
from reportlab.lib.pagesizes import letter
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from generator.core.errors import ConfgenError
from generator.sources.bibtex import read_bibtex
from generator.sources.pdf import read_pdf, split_sections
from generator.sources.refs import classify, read_list

BIB = r"""% exported from a reference manager
@inproceedings{qiu2025gated,
  title     = {Gated Attention for Large Language Models: {N}on-linearity and Sparsity},
  author    = {Qiu, Zihan and Wang, Zekun and M{\"u}ller, Hans and others},
  booktitle = {Advances in Neural Information Processing Systems},
  year      = {2025},
  eprint    = {2505.06708},
  archivePrefix = {arXiv},
  abstract  = {We add a \emph{gated} head to   attention and test 30 variants.}
}

@article{doe2024,
  title   = "A {Study} of $\alpha$-Entmax",
  author  = "Jane Doe",
  journal = {arXiv preprint arXiv:2401.00001},
  url     = {https://openreview.net/forum?id=s0JVsx3bx1},
  doi     = {10.1000/xyz123},
  year    = 2024
}
"""


def make_pdf(path: Path, *, title_lines=("Sparse Gates Make Attention", "Sink-Free at Scale"),
             image_sizes=((400, 300), (60, 60)), stamp: str | None = None) -> Path:
    """Write a one-page paper PDF with a big title, sections and raster images."""
    pdf = canvas.Canvas(str(path), pagesize=letter)
    y = 720
    pdf.setFont("Helvetica-Bold", 17)
    for line in title_lines:
        pdf.drawString(72, y, line)
        y -= 20
    pdf.setFont("Helvetica", 10)
    body = ["Ada Lovelace, Alan Turing", "", "Abstract",
            "We add a sigmoid gate after attention. It removes the attention sink",
            "and improves stability by 12 percent on 15B models.", "", "1 Introduction",
            "Attention sinks waste capacity. We study gates in 30 vari-",
            "ants and find one that works.", "", "2 Related Work", "Much prior work exists."]
    for line in body:
        pdf.drawString(72, y, line)
        y -= 14
    for index, (width, height) in enumerate(image_sizes):
        image = Image.new("RGB", (width, height), (200, 40 * index, 30))
        pdf.drawImage(ImageReader(image), 72 + 230 * index, 150, width / 2, height / 2)
    if stamp:
        pdf.saveState()
        pdf.translate(30, 250)
        pdf.rotate(90)
        pdf.setFont("Times-Roman", 20)
        pdf.drawString(0, 0, stamp)
        pdf.restoreState()
    pdf.showPage()
    pdf.save()
    return path


def test_bibtex_entries_become_papers(tmp_path):
    path = tmp_path / "refs.bib"
    path.write_text(BIB, encoding="utf-8")
    gated, study = [found.paper for found in read_bibtex(path).found[path]]
    assert gated.title == "Gated Attention for Large Language Models: Non-linearity and Sparsity"
    assert gated.authors == ["Zihan Qiu", "Zekun Wang", "Hans Müller"]
    assert gated.arxiv == "2505.06708"
    assert gated.abstract == "We add a gated head to attention and test 30 variants."
    assert gated.venue == "Advances in Neural Information Processing Systems 2025"
    assert study.title == "A Study of α-Entmax"
    assert study.arxiv is None and study.venue == ""
    assert study.links == {"openreview": "https://openreview.net/forum?id=s0JVsx3bx1",
                           "doi": "https://doi.org/10.1000/xyz123"}


def test_broken_bibtex_is_reported_with_its_line_and_the_rest_is_read(tmp_path):
    path = tmp_path / "refs.bib"
    path.write_text(BIB + "\n@misc{broken,\n  title = {Unclosed\n", encoding="utf-8")
    result = read_bibtex(path)
    assert len(result.found[path]) == 2
    problem = result.problems[0]
    assert problem.path == path and problem.line == BIB.count("\n") + 2
    assert "this entry is not closed" in problem.message


def test_bibtex_entry_without_title_is_skipped(tmp_path):
    path = tmp_path / "refs.bib"
    path.write_text("@misc{x, author = {A. Person}}\n", encoding="utf-8")
    assert "entry 'x' has no title" in read_bibtex(path).problems[0].message


def test_empty_bibtex_file_is_a_problem(tmp_path):
    path = tmp_path / "refs.bib"
    path.write_text("% nothing here\n", encoding="utf-8")
    assert "no BibTeX entries" in read_bibtex(path).problems[0].message


def test_pdf_gives_a_title_guess_abstract_and_introduction(tmp_path):
    found = read_pdf(make_pdf(tmp_path / "paper.pdf"))
    paper = found.paper
    assert paper.title == "Sparse Gates Make Attention Sink-Free at Scale"
    assert paper.abstract == ("We add a sigmoid gate after attention. It removes the attention "
                              "sink and improves stability by 12 percent on 15B models.")
    assert paper.body == "Attention sinks waste capacity. We study gates in 30 variants and " \
                         "find one that works."
    assert paper.abstract in paper.source_text and paper.body in paper.source_text
    assert found.guessed >= {"title"} and found.pdf == tmp_path / "paper.pdf"


def test_pdf_with_an_arxiv_stamp_keeps_the_id(tmp_path):
    path = make_pdf(tmp_path / "p.pdf", stamp="arXiv:2505.06708v2 [cs.CL] 12 May 2025")
    paper = read_pdf(path).paper
    assert paper.arxiv == "2505.06708v2"
    assert paper.title == "Sparse Gates Make Attention Sink-Free at Scale"


def test_pdf_figure_is_the_largest_image(tmp_path):
    found = read_pdf(make_pdf(tmp_path / "p.pdf", image_sizes=((90, 90), (500, 260), (300, 300))),
                     figures=True)
    data, suffix = found.figure
    path = tmp_path / f"figure{suffix}"
    path.write_bytes(data)
    with Image.open(path) as image:
        assert image.size == (500, 260)


def test_pdf_without_a_large_image_has_no_figure(tmp_path):
    found = read_pdf(make_pdf(tmp_path / "p.pdf", image_sizes=((60, 60),)), figures=True)
    assert found.figure is None


@pytest.mark.parametrize("content", [b"not a pdf at all", b"%PDF-1.4\n%broken", b""])
def test_unreadable_pdf_is_a_clear_error(tmp_path, content):
    path = tmp_path / "bad.pdf"
    path.write_bytes(content)
    with pytest.raises(ConfgenError) as error:
        read_pdf(path)
    assert error.value.problems[0].path == path
    assert "PDF" in error.value.problems[0].message


def test_split_sections_without_headings_uses_the_opening_text():
    abstract, intro = split_sections("Some title\nThis paper studies gates.\nMore text.")
    assert abstract.startswith("Some title This paper studies gates.") and intro == ""


def test_classify_tells_files_ids_urls_and_titles_apart(tmp_path):
    bib, pdf = tmp_path / "a.bib", tmp_path / "b.pdf"
    bib.write_text(BIB, encoding="utf-8")
    make_pdf(pdf)
    assert [r.kind for r in classify(str(bib))] == ["bibtex"]
    assert [r.kind for r in classify(str(pdf))] == ["pdf"]
    assert [(r.kind, r.value) for r in classify(str(tmp_path))] == [
        ("bibtex", str(bib)), ("pdf", str(pdf))]
    assert classify("https://arxiv.org/pdf/2505.06708v1.pdf")[0].value == "2505.06708v1"
    assert classify("https://openreview.net/forum?id=s0JVsx3bx1")[0].kind == "openreview"
    assert classify("Large Language Diffusion Models")[0].kind == "title"


@pytest.mark.parametrize("text", ["missing.pdf", "https://example.org/paper", "2505.0670x",
                                  "word"])
def test_classify_rejects_what_it_cannot_place(text):
    with pytest.raises(ConfgenError):
        classify(text)


def test_read_list_takes_titles_ids_and_markdown_bullets(tmp_path):
    path = tmp_path / "titles.txt"
    path.write_text("# other interesting papers\n- How to Scale Second-Order Optimization\n\n"
                    "* 2505.06708\n1. https://openreview.net/forum?id=EoebmBe9fG\n"
                    "Differentiable Hierarchical Visual Tokenization  # from the poster\n",
                    encoding="utf-8")
    refs = read_list(path)
    assert [(r.kind, r.value) for r in refs] == [
        ("title", "How to Scale Second-Order Optimization"), ("arxiv", "2505.06708"),
        ("openreview", "EoebmBe9fG"), ("title", "Differentiable Hierarchical Visual Tokenization")]


def test_read_list_reports_bad_lines_with_their_numbers(tmp_path):
    path = tmp_path / "titles.txt"
    path.write_text("2505.06708\nhttps://example.org/x\nmissing.bib\n", encoding="utf-8")
    with pytest.raises(ConfgenError) as error:
        read_list(path)
    assert [p.line for p in error.value.problems] == [2, 3]


def test_pdf_figure_respects_the_figure_limits(tmp_path, monkeypatch):
    monkeypatch.setattr("generator.sources.pdf.MAX_PIXELS", 400 * 300)
    path = make_pdf(tmp_path / "p.pdf", image_sizes=((400, 300), (600, 400)))
    data, suffix = read_pdf(path, figures=True).figure
    (tmp_path / f"f{suffix}").write_bytes(data)
    with Image.open(tmp_path / f"f{suffix}") as image:
        assert image.size == (400, 300)
