"""Ten arXiv papers with figures and full text: Figure 1 on every paper slide, summaries
drafted from the whole paper, key numbers that cite their section, all in the event."""

import io
import re
import shutil
from pathlib import Path

import pytest
import yaml
from factories import run_cli
from llm_server import llm_server_fixture  # noqa: F401
from paper_files import RESULT, latex_archive, pdf_paper
from PIL import Image
from pptx import Presentation
from source_server import serve

from generator.core.event import open_event
from generator.drafting.summarize import request_for
from generator.render.panels.panel import render_panel_detailed
from generator.render.theme import load_theme

IDS = ["2505.06708", "2411.04975", "2503.14858", "2504.13837", "2505.17638", "2510.22954",
       "2505.10465", "2502.09992", "2506.08010", "2512.99901"]
TEASERS = [(800, 400), (600, 600), (1200, 500), (500, 700), (900, 450), (640, 480),
           (1000, 300), (700, 700), (1280, 720), (400, 600)]
PDF_ONLY = {"2504.13837"}  # no source: the figure is found in the PDF by its caption
NEW_RESULT = "In version 9 the gain grows to 14.5 points."


@pytest.fixture
def added(monkeypatch, tmp_path, capsys):
    """Add the ten papers with --figures --fulltext; return the files outside the event."""
    monkeypatch.chdir(tmp_path)
    with serve(monkeypatch) as server:
        for arxiv, teaser in zip(IDS, TEASERS, strict=True):
            if arxiv in PDF_ONLY:
                server.files[("pdf", arxiv)] = pdf_paper()
            else:
                server.files[("e-print", arxiv)] = latex_archive(teaser)
        (tmp_path / "summaries").mkdir()
        before = _tree(tmp_path)
        code, out = run_cli(capsys, "add", "conf", *IDS, "--figures", "--fulltext")
        assert code == 0, out
        outside = _tree(tmp_path) - before
        yield tmp_path / "summaries" / "conf", {p for p in outside
                                                if not p.startswith(("cache/", "summaries/conf/"))}


def _tree(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def test_adding_writes_nothing_outside_the_event_folder(added):
    root, outside = added
    assert outside == set()
    assert len(list((root / "figures").glob("*/figures.yaml"))) == 10
    assert len(list((root / "fulltext").glob("*.yaml"))) == 10


def test_the_prompt_carries_the_results_section(added):
    root, _ = added
    paper = open_event(root).papers[0]
    source = request_for(paper).source
    assert source.startswith(paper.abstract)
    assert "[§ Results]\n" + RESULT in source
    assert "[§ Introduction]" in source
    short = request_for(paper, tokens=10).source
    assert RESULT not in short and len(short) < len(source)


def test_drafts_cite_the_section_of_each_key_number(added, capsys):
    root, _ = added
    code, out = run_cli(capsys, "summarize", "conf", "--backend", "offline")
    assert code == 0, out
    folder = open_event(root)
    for paper in folder.papers:
        numbers = folder.summaries[paper.key].key_numbers
        from_results = [n for n in numbers if n.source == RESULT]
        assert from_results, paper.key
        expected = "§ Results, page 1" if paper.arxiv in PDF_ONLY else "§ Results"
        assert {n.where for n in from_results} == {expected}
    code, out = run_cli(capsys, "check", "conf")
    assert code == 0, out
    assert "2505.06708: key numbers " in out and "87.5% (§ Results)" in out


def test_a_new_version_redrafts_drafts_and_keeps_reviewed_summaries(monkeypatch, tmp_path,
                                                                     capsys):
    monkeypatch.chdir(tmp_path)
    with serve(monkeypatch) as server:
        for arxiv in IDS[:2]:
            server.files[("e-print", arxiv)] = latex_archive()
        assert run_cli(capsys, "add", "conf", *IDS[:2], "--fulltext")[0] == 0
        assert run_cli(capsys, "summarize", "conf", "--backend", "offline")[0] == 0
        root = Path("summaries/conf")
        reviewed = root / f"{IDS[1]}.yaml"
        reviewed.write_text(reviewed.read_text().replace("status: draft", "status: reviewed"))
        before = reviewed.read_bytes()
        for arxiv in IDS[:2]:  # arXiv publishes v9 of both, whose results say more
            entry = server.entries[arxiv].find("{http://www.w3.org/2005/Atom}id")
            entry.text = re.sub(r"v\d+$", "v9", entry.text)
            server.files[("e-print", f"{arxiv}v9")] = latex_archive(extra=NEW_RESULT)
        shutil.rmtree(tmp_path / "cache")  # the week the API's answers are kept has passed
        assert run_cli(capsys, "add", "conf", *IDS[:2], "--fulltext")[0] == 0
        code, out = run_cli(capsys, "summarize", "conf", "--backend", "offline")
    assert code == 0, out
    folder = open_event(root)
    assert NEW_RESULT in folder.papers[0].source_text
    assert folder.papers[0].fulltext.arxiv == f"{IDS[0]}v9"
    assert f"wrote summaries/conf/{IDS[0]}.yaml" in out and IDS[1] not in out
    assert reviewed.read_bytes() == before


def test_every_paper_slide_shows_figure_1_undistorted_with_its_caption(added, capsys):
    root, _ = added
    code, out = run_cli(capsys, "build", "conf", "--backend", "offline")
    assert code == 0, out
    deck = Presentation(str(Path("output/conf/deck.pptx")))
    shown = {}
    for slide in deck.slides:
        captions = [s for s in slide.shapes if s.name == "Figure caption"]
        pictures = [s for s in slide.shapes if s.name == "Picture"]
        if captions:
            credit = captions[0].text_frame.text.splitlines()[-1]
            shown[credit] = (pictures[0], captions[0].text_frame.text)
    folder = open_event(root)
    assert len(shown) == 10
    for paper, teaser in zip(folder.papers, TEASERS, strict=True):
        picture, caption = shown[f"Figure 1 of arXiv:{paper.arxiv}"]
        source = Image.open(io.BytesIO(picture.image.blob))
        aspect = source.width / source.height
        assert abs(picture.width / picture.height - aspect) < 0.01 * aspect
        if paper.arxiv in PDF_ONLY:
            assert caption.startswith("A vector plot above its caption.")
        else:
            assert source.size == teaser
            assert caption.startswith("The teaser: GraphNet at a glance (α=0.5).")
    newsletter = Path("output/conf/newsletter.md").read_text(encoding="utf-8")
    assert "](../../summaries/conf/figures/2505.06708/figure-1.png)" in newsletter
    assert "*The teaser: GraphNet at a glance (α=0.5). (Figure 1 of arXiv:2505.06708)*" in \
        newsletter


def test_deck_options_move_the_panel_to_its_own_slide_and_add_figure_slides(added, capsys):
    root, _ = added
    event = root / "event.yaml"
    data = yaml.safe_load(event.read_text())
    data["papers"] = data["papers"][:2]
    data["deck"] = {"sections": ["papers"], "panel": "slide", "figure_slides": True}
    event.write_text(yaml.safe_dump(data, allow_unicode=True))
    assert run_cli(capsys, "summarize", "conf", "--backend", "offline")[0] == 0
    assert run_cli(capsys, "panels", "conf", "--layout", "explainer")[0] == 0
    code, out = run_cli(capsys, "deck", "conf")
    assert code == 0, out
    deck = Presentation(str(Path("output/conf/deck.pptx")))
    titles = [s.shapes.title.text_frame.text for s in deck.slides]
    for paper in open_event(root).papers:
        own = [t for t in titles if t.startswith(paper.title[:30])]
        assert own[-2:] == [f"{paper.title} (figure)", f"{paper.title} (panel)"], own
    pictures = [s for slide in deck.slides for s in slide.shapes if s.name == "Picture"]
    panels = [p for p in pictures if Image.open(io.BytesIO(p.image.blob)).size == (1200, 1500)]
    assert len(panels) == 2


def test_the_panel_is_named_in_the_notes_by_default(added, capsys):
    root, _ = added
    assert run_cli(capsys, "build", "conf", "--backend", "offline")[0] == 0
    deck = Presentation(str(Path("output/conf/deck.pptx")))
    notes = "\n".join(s.notes_slide.notes_text_frame.text for s in deck.slides
                      if s.has_notes_slide)
    assert "The explainer panel of this paper is panels/2505.06708.png." in notes
    assert "(“" + RESULT + "”, § Results)" in notes


@pytest.mark.parametrize(("budget", "carried"), [(None, True), (0, False)])
def test_the_llm_prompt_gets_the_sections_within_the_budget(added, capsys, llm_server, budget,
                                                            carried):
    root, _ = added
    if budget is not None:
        event = root / "event.yaml"
        data = yaml.safe_load(event.read_text())
        data["llm"] = {"fulltext_tokens": budget}
        event.write_text(yaml.safe_dump(data, allow_unicode=True))
    code, out = run_cli(capsys, "summarize", "conf", "--paper", IDS[0], "--model", "test-model")
    assert code == 0, out
    (request,) = llm_server.chat_requests
    prompt = request.body["messages"][-1]["content"]
    assert open_event(root).papers[0].abstract in prompt
    assert (RESULT in prompt) is carried
    assert ("[§ Introduction]" in prompt) is carried
    assert "\\section" not in prompt and "comment" not in prompt


def test_a_changed_caption_rebuilds_the_deck_and_nothing_else_does(added, capsys):
    root, _ = added
    assert run_cli(capsys, "build", "conf", "--backend", "offline")[0] == 0
    code, out = run_cli(capsys, "build", "conf", "--backend", "offline")
    assert "deck.pptx" not in out
    index = root / "figures" / IDS[0] / "figures.yaml"
    index.write_text(index.read_text().replace("The teaser", "The new teaser"))
    code, out = run_cli(capsys, "build", "conf", "--backend", "offline")
    assert code == 0 and "wrote output/conf/deck.pptx" in out, out


def test_the_explainer_panel_shows_the_key_figure_in_place_of_the_host(added, capsys):
    root, _ = added
    assert run_cli(capsys, "summarize", "conf", "--backend", "offline")[0] == 0
    folder = open_event(root)
    paper = folder.papers[0]
    figure = folder.shown_figure(paper)
    theme = load_theme("light")
    args = (folder.event, paper, folder.summaries[paper.key], theme, "explainer")
    with_figure = render_panel_detailed(*args, figure=figure)
    without = render_panel_detailed(*args)
    lines = " ".join(r.text for r in with_figure.records)
    assert "Figure 1 of arXiv:2505.06708" in lines and "TL;DR" not in lines
    assert "TL;DR" in " ".join(r.text for r in without.records)
    assert with_figure.problems == []
    # the teaser's own blue frame is drawn, at its aspect (2:1), inside the panel
    image = with_figure.image
    top = round(min(r.box[1] for r in with_figure.records if "teaser" in r.text)) - 4
    blue = [(x, y) for x in range(0, 1200, 2) for y in range(150, top, 2)
            if (lambda p: p[2] - p[0] > 60 and p[1] < 160)(image.getpixel((x, y)))]
    xs, ys = [x for x, _ in blue], [y for _, y in blue]
    assert abs((max(xs) - min(xs)) / (max(ys) - min(ys)) - 2) < 0.1
