"""arXiv's own files: e-prints and PDFs fetched safely, figures and full text extracted."""

import gzip
import io
import shutil
from pathlib import Path

import pytest
import yaml
from factories import run_cli
from paper_files import (
    RESULT,
    bomb,
    hostile_archive,
    latex_archive,
    pdf_paper,
    png,
    single_tex,
    tar_gz,
    vector_pdf,
)
from PIL import Image
from source_server import serve

from generator.core.event import open_event
from generator.sources import arxiv_files
from generator.sources.arxiv_files import (
    ArxivFilesClient,
    PaperFiles,
    UnreadableFiles,
    read_eprint,
)
from generator.sources.latex_source import read_latex
from generator.sources.paper_assets import paper_assets
from generator.sources.pdf_figures import find_figures

REAL = Path(__file__).parent / "data" / "real"


@pytest.fixture
def server(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    with serve(monkeypatch) as running:
        yield running


def _files(body: bytes):
    return read_eprint(body, "2505.06708")


class DescribeTheFilesClient:
    def it_reads_a_gzipped_tar_by_its_magic_bytes(self):
        files = _files(latex_archive())
        assert files.kind == "latex"
        assert {"paper.tex", "sections/results.tex", "figs/teaser.png", "figs/diagram"} <= \
            set(files.files)

    def it_reads_a_single_gzipped_tex_and_a_pdf(self):
        assert _files(single_tex()).files.keys() == {"main.tex"}
        assert _files(pdf_paper()).kind == "pdf"

    def it_falls_back_to_the_pdf_when_there_is_no_source(self, server):
        server.files[("pdf", "2504.13837")] = pdf_paper()
        files = ArxivFilesClient().fetch("2504.13837")
        assert files.kind == "pdf"
        assert [r.path for r in server.requests if r.service == "files"] == \
            ["/files/e-print/2504.13837", "/files/pdf/2504.13837"]

    def it_says_what_was_missing_when_there_is_nothing(self, server):
        with pytest.raises(UnreadableFiles, match="e-print: 404.*pdf: 404"):
            ArxivFilesClient().fetch("2505.17638")

    def it_caches_what_it_read_so_a_second_run_asks_nothing(self, server):
        server.files[("e-print", "2505.06708")] = latex_archive()
        ArxivFilesClient().fetch("2505.06708")
        ArxivFilesClient().fetch("2505.06708")
        assert server.count("files") == 1

    def it_keeps_nothing_that_would_leave_the_folder_or_point_elsewhere(self):
        files = _files(hostile_archive())
        assert set(files.files) == {"paper.tex", "figs/teaser.png"}
        assert set(files.skipped) == {"../escape.tex", "/abs/evil.png", "figs/link.png",
                                      "figs/hard.png", "dev"}

    def it_refuses_an_archive_that_unpacks_too_large(self, monkeypatch):
        monkeypatch.setattr(arxiv_files, "MAX_TOTAL", 2 * 2**20)
        with pytest.raises(UnreadableFiles, match="over 2 MB"):
            _files(bomb(3))

    def it_refuses_an_archive_with_too_many_files(self, monkeypatch):
        monkeypatch.setattr(arxiv_files, "MAX_MEMBERS", 5)
        with pytest.raises(UnreadableFiles, match="over 5 files"):
            _files(tar_gz({f"f{i}.tex": b"x" for i in range(8)}))

    def it_refuses_what_is_neither_source_nor_pdf(self):
        with pytest.raises(UnreadableFiles):
            _files(b"<html>This paper has been withdrawn</html>")


class DescribeLatexFigures:
    def it_finds_every_figure_in_document_order_across_inputs(self):
        paper = read_latex(_files(latex_archive()).files)
        assert [(f.number, f.label) for f in paper.figures] == [
            (1, "fig:teaser"), (2, "fig:plot"), (3, "fig:views"), (4, "")]
        assert paper.figures[0].caption == "The teaser: GraphNet at a glance (α=0.5)."
        assert paper.figures[0].files == ["figs/teaser.png"]
        assert paper.figures[1].files == ["figs/plot.pdf"]
        assert paper.figures[2].files == ["figs/sub-a.jpg", "art/sub-b.jpg"]
        assert paper.figures[2].caption == "Two views."  # not a subfigure's
        assert paper.figures[3].files == ["figs/diagram"]

    def it_reads_sections_in_order_without_comments_macros_or_bibliography(self):
        paper = read_latex(_files(latex_archive()).files)
        assert [s.title for s in paper.sections] == ["Introduction", "Results", "Conclusion"]
        text = "\n".join(s.text for s in paper.sections)
        assert "We present GraphNet, a model for graphs." in text
        assert "Teasers matter: see Figure 1." in text  # \\ref of a figure label: its number
        assert RESULT in paper.sections[1].text
        assert "comment" not in text and "\\" not in text and "refs" not in text
        assert "Not a figure" not in text and "Accuracy against depth" not in text

    def it_counts_wrapfigures_and_skips_a_standalone_figure_file(self):
        standalone = (b"\\documentclass{standalone}\\begin{document}\\begin{tikzpicture}"
                      + b" " * 9000 + b"\\end{tikzpicture}\\end{document}")
        main = (b"\\documentclass{article}\\begin{document}\\section{Intro}"
                b"\\begin{wrapfigure}{r}{3cm}\\includegraphics{a.png}\\caption{Wrapped.}"
                b"\\end{wrapfigure}\\begin{figure}\\includegraphics{b.png}\\caption{Next.}"
                b"\\end{figure}Text.\\end{document}")
        paper = read_latex({"fig.tex": standalone, "ms.tex": main, "a.png": png(10, 10),
                            "b.png": png(10, 10)})
        assert [(f.number, f.caption) for f in paper.figures] == [(1, "Wrapped."), (2, "Next.")]
        assert paper.sections[0].text == "Text."

    def it_reads_the_real_sympy_paper(self):
        folder = REAL / "latex" / "sympy-paper"
        files = {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*")
                 if p.is_file()}
        paper = read_latex(files)
        assert [(f.number, f.label, f.files) for f in paper.figures] == [
            (1, "fig-circuitplot-qft", ["images/fig1-circuitplot-qft.pdf"])]
        assert paper.figures[0].caption.startswith("The circuit diagram for a three-qubit")
        assert paper.sections[0].title == "Introduction"
        image = paper_assets("sympy", PaperFiles("x", "latex", files=files), True, False)
        drawn = Image.open(io.BytesIO(image.files["figures/sympy/figure-1.png"]))
        assert 2 < drawn.width / drawn.height < 3.5  # the circuit, its white margins trimmed

    def it_finds_the_plots_of_a_real_two_column_pdf_by_their_captions(self):
        pdf = (REAL / "pdf" / "arxiv_0908.0054_revtex_no_abstract_heading.pdf").read_bytes()
        assets = paper_assets("cmb", PaperFiles("0908.0054", "pdf", pdf=pdf), True, True)
        index = yaml.safe_load(assets.files["figures/cmb/figures.yaml"])
        assert [(f["number"], f["page"]) for f in index["figures"]] == [
            (1, 2), (2, 3), (3, 3), (4, 3), (5, 3), (6, 3)]
        assert index["figures"][0]["caption"].startswith("CMB spectrums for ΩF = ΩB = 0.2")
        for entry in index["figures"]:
            plot = Image.open(io.BytesIO(assets.files[f"figures/cmb/{entry['file']}"]))
            assert 1.1 < plot.width / plot.height < 1.8  # one column-wide plot, not the page


class DescribeFigureImages:
    def it_copies_png_and_rasterises_pdf_and_joins_subfigures(self):
        assets = paper_assets("p", _files(latex_archive((800, 400))), True, True)
        index = yaml.safe_load(assets.files["figures/p/figures.yaml"])
        assert index["source"] == "arXiv:2505.06708"
        files = {e["number"]: e["file"] for e in index["figures"]}
        assert files == {1: "figure-1.png", 2: "figure-2.png", 3: "figure-3.png",
                         4: "figure-4.png"}
        assert assets.files["figures/p/figure-1.png"] == png(800, 400)  # copied as is
        plot = Image.open(io.BytesIO(assets.files["figures/p/figure-2.png"]))
        assert plot.width > plot.height  # the vector PDF, drawn
        views = Image.open(io.BytesIO(assets.files["figures/p/figure-3.png"]))
        assert views.width > 2 * views.height  # two subfigures side by side

    def it_bounds_the_size_of_a_huge_figure(self):
        archive = tar_gz({"paper.tex": b"\\documentclass{article}\\begin{document}"
                          b"\\begin{figure}\\includegraphics{big.png}\\caption{Big.}"
                          b"\\end{figure}\\end{document}", "big.png": png(4000, 3000)})
        assets = paper_assets("p", _files(archive), True, False)
        image = Image.open(io.BytesIO(assets.files["figures/p/figure-1.png"]))
        assert image.width * image.height <= 4_000_000
        assert abs(image.width / image.height - 4 / 3) < 0.01

    def it_finds_a_vector_figure_in_a_pdf_by_its_caption(self):
        assets = paper_assets("p", _files(pdf_paper()), True, True)
        index = yaml.safe_load(assets.files["figures/p/figures.yaml"])
        entry = index["figures"][0]
        assert (entry["number"], entry["page"]) == (1, 2)
        assert entry["caption"] == "A vector plot above its caption."
        image = Image.open(io.BytesIO(assets.files["figures/p/figure-1.png"]))
        assert abs(image.width / image.height - 1.5) < 0.1  # the 300 x 200 drawing
        (figure,) = find_figures(pdf_paper())
        left, bottom, right, top = figure.box
        assert bottom < 411 and left < 140 and right > 450  # with its tick labels
        assert bottom > 396 + 4 and top < 640  # not the caption, nor the page above

    def it_reports_a_figure_file_missing_from_the_source(self):
        archive = tar_gz({"paper.tex": b"\\documentclass{article}\\begin{document}"
                          b"\\begin{figure}\\includegraphics{gone}\\caption{G.}\\end{figure}"
                          b"\\end{document}"})
        assets = paper_assets("p", _files(archive), True, False)
        assert any("Figure 1: gone not in the source" in note for note in assets.notes)

    def it_keeps_the_pdf_text_by_section_and_page_up_to_the_references(self):
        assets = paper_assets("p", _files(pdf_paper()), False, True)
        full = yaml.safe_load(assets.files["fulltext/p.yaml"])
        assert full["source"] == "pdf"
        assert [(s["title"], s["page"]) for s in full["sections"]] == [
            ("Introduction", 1), ("Results", 1), ("Results", 2), ("Conclusion", 2)]
        assert full["sections"][1]["text"] == RESULT
        assert "cited paper" not in str(full)


def test_vector_pdf_figure_keeps_its_aspect():
    from generator.sources.figure_images import figure_image
    data, suffix = figure_image([("plot.pdf", vector_pdf(400, 200))])
    image = Image.open(io.BytesIO(data))
    assert suffix == ".png" and image.width > image.height


def test_tar_members_are_never_written_to_disk(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _files(hostile_archive())
    assert not (tmp_path.parent / "escape.tex").exists()
    assert list(tmp_path.iterdir()) == [] or all(p.name == "cache" for p in tmp_path.iterdir())


def test_add_with_figures_and_fulltext_stores_them_in_the_event(server, capsys):
    server.files[("e-print", "2505.06708")] = latex_archive()
    code, out = run_cli(capsys, "add", "conf", "2505.06708", "2505.17638", "--figures",
                        "--fulltext")
    assert code == 0, out
    root = Path("summaries/conf")
    assert ("warning: arXiv:2505.17638v1: no LaTeX source or PDF could be read (e-print: 404 "
            "Not Found; pdf: 404 Not Found); added without figures or full text") in out
    asked = [r.path for r in server.requests if r.service == "files"]
    assert asked[0] == "/files/e-print/2505.06708v3"  # the version the API described
    folder = open_event(root)
    gated = next(p for p in folder.papers if p.arxiv == "2505.06708")
    figure = folder.key_figure(gated)
    assert figure.number == 1 and figure.credit == "Figure 1 of arXiv:2505.06708"
    assert gated.fulltext is not None and RESULT in gated.source_text
    assert {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()} == {
        "event.yaml", "fulltext/2505.06708.yaml", "figures/2505.06708/figures.yaml",
        *(f"figures/2505.06708/figure-{n}.png" for n in range(1, 5))}


def test_a_figure_is_chosen_by_number_label_or_path(server, capsys):
    server.files[("e-print", "2505.06708")] = latex_archive()
    assert run_cli(capsys, "add", "conf", "2505.06708", "--figures")[0] == 0
    root = Path("summaries/conf")
    event = root / "event.yaml"
    for choice, number in (("3", 3), ("fig:plot", 2)):
        data = yaml.safe_load(event.read_text())
        data["papers"][0]["figure"] = int(choice) if choice.isdigit() else choice
        event.write_text(yaml.safe_dump(data))
        folder = open_event(root)
        assert folder.key_figure(folder.papers[0]).number == number
    data["papers"][0]["figure"] = 9
    event.write_text(yaml.safe_dump(data))
    code, out = run_cli(capsys, "check", "conf")
    assert code == 2 and "no such figure" in out and "event.yaml:" in out




def test_a_download_over_the_limit_is_refused_unread(server, monkeypatch):
    monkeypatch.setattr(arxiv_files, "MAX_DOWNLOAD", 2**20)
    server.files[("e-print", "2505.06708")] = bytes(3 * 2**20)
    with pytest.raises(UnreadableFiles, match="e-print: the answer is over 1 MB; pdf: 404"):
        ArxivFilesClient().fetch("2505.06708")


EPS = b"""%!PS-Adobe-3.0 EPSF-3.0
%%BoundingBox: 0 0 200 100
newpath 10 10 moveto 190 90 lineto 8 setlinewidth stroke
showpage
"""


def _eps_paper() -> bytes:
    return tar_gz({"paper.tex": b"\\documentclass{article}\\begin{document}\\begin{figure}"
                   b"\\includegraphics{line}\\caption{An EPS line.}\\end{figure}\\end{document}",
                   "line.eps": EPS})


@pytest.mark.skipif(shutil.which("gs") is None, reason="Ghostscript is not installed")
def test_an_eps_figure_is_drawn_with_ghostscript():
    assets = paper_assets("p", _files(_eps_paper()), True, False)
    image = Image.open(io.BytesIO(assets.files["figures/p/figure-1.png"]))
    assert abs(image.width / image.height - 2) < 0.1


def test_an_eps_figure_without_ghostscript_is_reported(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # no gs on this PATH
    assets = paper_assets("p", _files(_eps_paper()), True, False)
    assert "figures/p/figure-1.png" not in assets.files
    assert any("needs Ghostscript" in note for note in assets.notes)


def test_hostile_and_huge_archives_are_added_without_writing_outside(server, capsys, monkeypatch,
                                                                     tmp_path):
    monkeypatch.setattr(arxiv_files, "MAX_TOTAL", 2 * 2**20)
    server.files[("e-print", "2510.22954")] = hostile_archive()
    server.files[("e-print", "2505.10465")] = bomb(3)
    code, out = run_cli(capsys, "add", "conf", "2510.22954", "2505.10465", "--figures",
                        "--fulltext")
    assert code == 0, out
    assert "arXiv:2510.22954: left out 5 unsafe or special archive member(s)" in out
    assert "arXiv:2505.10465v1: no LaTeX source or PDF could be read (e-print: the archive " \
        "unpacks to over 2 MB; pdf: 404 Not Found); added without figures or full text" in out
    written = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")
               if p.is_file() and not p.is_relative_to(tmp_path / "cache")}
    assert written == {"summaries/conf/event.yaml", "summaries/conf/fulltext/2510.22954.yaml",
                       "summaries/conf/figures/2510.22954/figures.yaml",
                       "summaries/conf/figures/2510.22954/figure-1.png"}
    assert not any(p.is_symlink() for p in tmp_path.rglob("*"))


def test_a_figure_with_too_many_pixels_is_reported_not_decoded():
    huge = io.BytesIO()
    Image.new("1", (9000, 5000)).save(huge, "PNG")  # 45 megapixels in a few kilobytes
    archive = tar_gz({"paper.tex": b"\\documentclass{article}\\begin{document}\\begin{figure}"
                      b"\\includegraphics{huge}\\caption{H.}\\end{figure}\\end{document}",
                      "huge.png": huge.getvalue()})
    assets = paper_assets("p", _files(archive), True, False)
    assert "figures/p/figure-1.png" not in assets.files
    assert any("9000x5000 pixels is over the limit" in note for note in assets.notes)


def test_a_withdrawn_paper_is_added_with_one_line_saying_so(server, capsys):
    notice = (b"\\documentclass{article}\\begin{document}This paper has been withdrawn by the "
              b"authors due to a crucial error in Lemma 2.\\end{document}")
    server.files[("e-print", "2505.06708")] = gzip.compress(notice)
    code, out = run_cli(capsys, "add", "conf", "2505.06708", "--figures", "--fulltext")
    assert code == 0, out
    assert ("warning: arXiv:2505.06708v3 is withdrawn (its latest version is a withdrawal "
            "notice); added without figures or full text") in out
    assert sorted(p.name for p in Path("summaries/conf").rglob("*") if p.is_file()) == \
        ["event.yaml"]
