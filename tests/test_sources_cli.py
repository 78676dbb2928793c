"""`confgen add` end to end: from ids, lists, files and PDFs to outputs; errors write nothing."""

from pathlib import Path

import pytest
import yaml
from factories import drafted, files_under, paper, run_cli, write_event
from source_server import serve
from test_sources_files import BIB, make_pdf

from generator.core.event import open_event

TEN_IDS = ["2505.06708", "2411.04975", "2503.14858", "2504.13837v1", "2505.17638",
           "https://arxiv.org/abs/2510.22954", "arXiv:2505.10465", "2502.09992",
           "https://arxiv.org/pdf/2506.08010v1", "hep-th/9901001"]


@pytest.fixture
def server(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    with serve(monkeypatch) as running:
        yield running


def test_ten_arxiv_ids_make_a_new_event_that_summarize_and_newsletter_render(server, capsys):
    code, out = run_cli(capsys, "add", "conf", *TEN_IDS, "--topic", "Highlights")
    assert code == 0, out
    assert server.count("arxiv") == 1
    folder = open_event(Path("summaries/conf"))
    assert folder.event.name == "conf"
    assert len(folder.papers) == 10 and all(p.abstract and p.authors for p in folder.papers)
    assert {p.topic for p in folder.papers} == {"Highlights"}
    code, out = run_cli(capsys, "summarize", "conf", "--backend", "offline")
    assert code == 0, out
    assert len(open_event(Path("summaries/conf")).summaries) == 10
    code, out = run_cli(capsys, "newsletter", "conf")
    assert code == 0, out
    newsletter = Path("output/conf/newsletter.md").read_text(encoding="utf-8")
    for p in folder.papers:
        assert p.title in newsletter


def test_ten_arxiv_ids_build_into_slides_panels_and_newsletter(server, capsys):
    pytest.importorskip("generator.render.deck.build")
    pytest.importorskip("generator.render.panels.panel")
    assert run_cli(capsys, "add", "conf", *TEN_IDS)[0] == 0
    code, out = run_cli(capsys, "build", "conf", "--backend", "offline")
    assert code == 0, out
    assert Path("output/conf/deck.pptx").stat().st_size > 0
    assert len(list(Path("output/conf/panels").glob("*.png"))) == 10
    assert Path("output/conf/newsletter.html").is_file()


def test_adding_again_updates_without_touching_notes_or_summaries(server, capsys, tmp_path):
    root = write_event(tmp_path / "summaries" / "conf",
                       [paper(title="Gated attention, my title", notes="My own notes.",
                              award="Best Paper", topic="Mine", abstract="Short.")])
    drafted(root)
    summary = root / "2505.06708.yaml"
    before = summary.read_bytes()
    code, out = run_cli(capsys, "add", "conf", "https://arxiv.org/abs/2505.06708v3", "2502.09992")
    assert code == 0, out
    assert "added 1: 2502.09992" in out and "updated 1: 2505.06708" in out
    papers = open_event(root).papers
    assert len(papers) == 2
    gated = papers[0]
    assert gated.title.startswith("Gated Attention for Large Language Models")
    assert (gated.notes, gated.award, gated.topic) == ("My own notes.", "Best Paper", "Mine")
    assert gated.arxiv == "2505.06708" and gated.key == "2505.06708"
    assert summary.read_bytes() == before


@pytest.mark.parametrize(("refs", "message"), [
    (["2505.06708", "2501.99999"], "arXiv has no paper with id 2501.99999"),
    (["2505.06708", "NoSuchNote"], "OpenReview has no note with id NoSuchNote"),
    (["2505.06708", "nonsense"], "cannot tell what 'nonsense' is"),
    (["missing.bib"], "missing.bib: file not found"),
    ([], "nothing to add"),
])
def test_errors_exit_2_and_create_nothing(server, capsys, refs, message):
    code, out = run_cli(capsys, "add", "conf", *refs)
    assert code == 2 and message in out and "Traceback" not in out
    assert not Path("summaries").exists()


@pytest.mark.parametrize("fault", ["503", "malformed"])
def test_service_faults_leave_an_existing_event_untouched(server, capsys, tmp_path, fault):
    root = write_event(tmp_path / "summaries" / "conf")
    before = files_under(root)
    if fault == "503":
        server.fail_next("arxiv", 503, times=10)
    else:
        server.fail_next("arxiv", 200, b"<feed", content_type="application/atom+xml")
    code, out = run_cli(capsys, "add", "conf", "2502.09992")
    assert code == 2 and ("503" in out or "malformed" in out)
    assert files_under(root) == before


def test_list_file_adds_known_titles_and_lists_the_rest(server, capsys, tmp_path):
    titles = tmp_path / "titles.txt"
    titles.write_text("- Large Language Diffusion Models\n"
                      "- How to Scale Second-Order Optimization\n"
                      "- 2505.10465\n", encoding="utf-8")
    code, out = run_cli(capsys, "add", "conf", "--list", str(titles))
    assert code == 0, out
    assert "listed under other_papers" in out
    event = open_event(Path("summaries/conf")).event
    assert [p.arxiv for p in event.papers] == ["2502.09992", "2505.10465"]
    assert [o.title for o in event.other_papers] == ["How to Scale Second-Order Optimization"]


def test_openreview_bibtex_and_pdf_folder_in_one_go(server, capsys, tmp_path):
    papers_dir = tmp_path / "pdfs"
    papers_dir.mkdir()
    make_pdf(papers_dir / "gates.pdf", image_sizes=((480, 320),))
    (papers_dir / "refs.bib").write_text(BIB, encoding="utf-8")
    code, out = run_cli(capsys, "add", "conf", "https://openreview.net/forum?id=s0JVsx3bx1",
                    str(papers_dir), "--figures")
    assert code == 0, out
    folder = open_event(Path("summaries/conf"))
    titles = [p.title for p in folder.papers]
    assert titles[0].startswith("1000 Layer Networks") and folder.papers[0].award == "Oral"
    assert "A Study of α-Entmax" in titles
    pdf_paper = next(p for p in folder.papers if p.title.startswith("Sparse Gates"))
    assert pdf_paper.body and pdf_paper.figure == f"figures/{pdf_paper.key}.png"
    assert folder.figure_path(pdf_paper).is_file()
    assert run_cli(capsys, "check", "conf")[0] == 0


def test_add_accepts_an_explicit_new_folder(server, capsys, tmp_path):
    code, out = run_cli(capsys, "add", str(tmp_path / "events" / "mine"), "2502.09992")
    assert code == 0, out
    data = yaml.safe_load((tmp_path / "events" / "mine" / "event.yaml").read_text())
    assert data["name"] == "mine" and data["papers"][0]["arxiv"] == "2502.09992"


def test_a_pdf_of_a_known_paper_adds_its_text_then_its_figure(server, capsys, tmp_path):
    root = write_event(tmp_path / "summaries" / "conf")
    pdf = make_pdf(tmp_path / "gated.pdf", stamp="arXiv:2505.06708v2 [cs.CL] 12 May 2025")
    assert run_cli(capsys, "add", "conf", str(pdf))[0] == 0
    (gated,) = open_event(root).papers
    assert gated.title == "Gated Attention for Large Language Models"  # not the PDF's guess
    assert gated.body.startswith("Attention sinks waste capacity") and gated.figure is None
    code, out = run_cli(capsys, "add", "conf", str(pdf), "--figures")
    assert code == 0 and "updated 1: 2505.06708" in out
    (gated,) = open_event(root).papers
    assert gated.figure == "figures/2505.06708.png" and (root / gated.figure).is_file()


def test_bibtex_entries_without_abstract_are_completed_from_arxiv(server, capsys, tmp_path):
    bib = tmp_path / "refs.bib"
    bib.write_text("@inproceedings{llada, title = {{LLaDA}}, author = {Nie, Shen},\n"
                   "  booktitle = {ICML}, year = {2025}, eprint = {2502.09992}}\n"
                   "@misc{other, title = {Unknown On arXiv}, eprint = {2502.99999}}\n",
                   encoding="utf-8")
    code, out = run_cli(capsys, "add", "conf", str(bib))
    assert code == 0, out
    assert "added 2: 2502.09992, 2502.99999" in out and "updated" not in out
    llada, other = open_event(Path("summaries/conf")).papers
    assert llada.title == "Large Language Diffusion Models" and llada.venue == "ICML 2025"
    assert llada.abstract.startswith("Autoregressive models (ARMs)")
    assert (other.title, other.abstract) == ("Unknown On arXiv", "")
    assert server.count("arxiv") == 1


def test_bibtex_is_added_even_when_arxiv_is_down(server, capsys, tmp_path):
    bib = tmp_path / "refs.bib"
    bib.write_text("@misc{llada, title = {LLaDA}, eprint = {2502.09992}}\n", encoding="utf-8")
    server.fail_next("arxiv", 503, times=10)
    code, out = run_cli(capsys, "add", "conf", str(bib))
    assert code == 0 and "could not complete 1 BibTeX entries from arXiv" in out
    assert open_event(Path("summaries/conf")).papers[0].title == "LLaDA"
