"""Merging into event.yaml: updates metadata, keeps the user's edits, never duplicates."""

from pathlib import Path

import pytest
import yaml

from generator.core.errors import ConfgenError
from generator.core.event import load_event
from generator.core.models import Paper
from generator.sources.found import Found
from generator.sources.merge import EventDoc, add_other_papers, merge

EVENT = """\
# My trip report. Keep this comment.
name: Test Conf 2025
dates: December 2025

papers:
  # --- Architectures ---------------------------------------------
  - id: gated-attention
    title: Gated attention (my short title)
    arxiv: "2505.06708"
    topic: Architectures   # chosen by hand
    award: Best Paper
    notes: Ask the authors about the 15B run.
    links:
      code: https://github.com/qiuzh20/gated_attention

  # --- Theory -------------------------------------------------------
  - title: Optimal Mistake Bounds for Transductive Online Learning
    topic: Theory
    abstract: Hand-written abstract.

other_papers:
  - How to Scale Second-Order Optimization
"""


def arxiv_found(**fields) -> Found:
    values = {"title": "Gated Attention for Large Language Models", "arxiv": "2505.06708",
              "authors": ["Zihan Qiu", "Zekun Wang"], "abstract": "Fresh abstract from arXiv.",
              "links": {"pdf": "https://arxiv.org/pdf/2505.06708"}} | fields
    return Found(Paper(**values), origin="arxiv")


@pytest.fixture
def event_file(tmp_path: Path) -> Path:
    path = tmp_path / "event.yaml"
    path.write_text(EVENT, encoding="utf-8")
    return path


def merged_text(event_file: Path, found: list[Found], topic: str = "") -> tuple[str, object]:
    doc = EventDoc(event_file, name="x")
    report = merge(doc, found, topic)
    return doc.text(), report


def test_update_keeps_comments_order_and_user_fields(event_file):
    text, report = merged_text(event_file, [arxiv_found()])
    assert report.updated == ["gated-attention"] and not report.added
    for line in ("# My trip report. Keep this comment.", "# --- Architectures ----",
                 "topic: Architectures   # chosen by hand", "# --- Theory ---"):
        assert line in text
    paper = yaml.safe_load(text)["papers"][0]
    assert list(paper) == ["id", "title", "authors", "arxiv", "topic", "award", "notes",
                           "links", "abstract"]
    assert paper["title"] == "Gated Attention for Large Language Models"
    assert paper["authors"] == ["Zihan Qiu", "Zekun Wang"]
    assert (paper["topic"], paper["award"]) == ("Architectures", "Best Paper")
    assert paper["notes"] == "Ask the authors about the 15B run."
    assert paper["links"] == {"code": "https://github.com/qiuzh20/gated_attention",
                              "pdf": "https://arxiv.org/pdf/2505.06708"}


def test_untouched_parts_of_the_file_are_kept_verbatim(event_file):
    text, _ = merged_text(event_file, [arxiv_found()])
    assert text.startswith("# My trip report. Keep this comment.\nname: Test Conf 2025\n"
                           "dates: December 2025\n\npapers:\n")
    assert text.endswith("other_papers:\n  - How to Scale Second-Order Optimization\n")


def test_papers_that_did_not_change_keep_their_exact_layout(tmp_path):
    original = ("name: X\npapers:\n  - title: Kept As Written\n"
                "    authors: [A. One, B. Two, C. Three, D. Four, E. Five, F. Six, G. Seven,\n"
                "              H. Eight]\n    notes: \"quoted\"  # why\n\n")
    path = tmp_path / "event.yaml"
    path.write_text(original, encoding="utf-8")
    text, _ = merged_text(path, [arxiv_found(arxiv="2502.09992", title="LLaDA")])
    assert text.startswith(original)
    assert "\n\n  - title: LLaDA\n" in text


def test_an_empty_flow_papers_list_is_replaced(tmp_path):
    path = tmp_path / "event.yaml"
    path.write_text("name: X  # my event\npapers: []\n", encoding="utf-8")
    text, _ = merged_text(path, [arxiv_found()])
    assert text.startswith("name: X  # my event\n")
    assert yaml.safe_load(text)["papers"][0]["arxiv"] == "2505.06708"


@pytest.mark.parametrize("arxiv", ["2505.06708", "2505.06708v2"])
def test_same_arxiv_id_with_or_without_version_is_the_same_paper(event_file, arxiv):
    text, report = merged_text(event_file, [arxiv_found(arxiv=arxiv)])
    papers = yaml.safe_load(text)["papers"]
    assert len(papers) == 2 and report.updated == ["gated-attention"]
    assert papers[0]["arxiv"] == "2505.06708"  # the user's choice of version stays


def test_same_normalised_title_is_the_same_paper_and_keeps_its_id(event_file):
    found = Found(Paper(title="Optimal mistake bounds for transductive online-learning",
                        arxiv="2501.00001", abstract="From arXiv."), origin="arxiv")
    text, report = merged_text(event_file, [found])
    paper = yaml.safe_load(text)["papers"][1]
    assert len(yaml.safe_load(text)["papers"]) == 2
    assert paper["id"] == "optimal-mistake-bounds-for-transductive-online-learning"
    assert report.updated == [paper["id"]]
    assert paper["arxiv"] == "2501.00001" and paper["topic"] == "Theory"


def test_adding_twice_changes_nothing_the_second_time(event_file):
    first, _ = merged_text(event_file, [arxiv_found(arxiv="2502.09992", title="LLaDA")])
    event_file.write_text(first, encoding="utf-8")
    second, report = merged_text(event_file, [arxiv_found(arxiv="2502.09992", title="LLaDA")])
    assert second == first and report.unchanged == ["2502.09992"]


def test_new_papers_are_appended_in_model_order_with_the_topic(event_file):
    text, report = merged_text(event_file, [arxiv_found(arxiv="2502.09992", title="LLaDA")],
                               topic="Diffusion")
    new = yaml.safe_load(text)["papers"][-1]
    assert report.added == ["2502.09992"]
    assert list(new) == ["title", "authors", "arxiv", "links", "topic", "abstract"]
    assert new["topic"] == "Diffusion"


def test_topic_does_not_replace_a_chosen_topic(event_file):
    text, _ = merged_text(event_file, [arxiv_found()], topic="Other")
    assert yaml.safe_load(text)["papers"][0]["topic"] == "Architectures"


def test_guessed_fields_only_fill_blanks(event_file):
    pdf = Found(Paper(title="GATED ATTENTION FOR LLMS (PDF GUESS)", arxiv="2505.06708v2",
                      body="Introduction text."), origin="pdf", guessed=frozenset({"title"}))
    text, _ = merged_text(event_file, [pdf])
    paper = yaml.safe_load(text)["papers"][0]
    assert paper["title"] == "Gated attention (my short title)"
    assert paper["body"] == "Introduction text."


def test_a_different_paper_with_the_same_title_slug_gets_its_own_id(tmp_path):
    stem = "A Very Long Title About Attention That Goes On And On Past Sixty Characters"
    path = tmp_path / "event.yaml"
    path.write_text(f"name: X\npapers:\n  - title: {stem}, Part One\n", encoding="utf-8")
    text, report = merged_text(path, [Found(Paper(title=f"{stem}, Part Two"), origin="bibtex")])
    first, second = (Paper(**p).key for p in yaml.safe_load(text)["papers"])
    assert second == f"{first}-2" and report.added == [second]


def test_new_event_file_has_a_name_and_a_header(tmp_path):
    doc = EventDoc(tmp_path / "event.yaml", name="neurips-2025")
    merge(doc, [arxiv_found()])
    text = doc.text()
    assert text.startswith("# Created by `confgen add`.")
    (tmp_path / "event.yaml").write_text(text, encoding="utf-8")
    event = load_event(tmp_path)
    assert event.name == "neurips-2025" and event.papers[0].arxiv == "2505.06708"


def test_long_abstracts_are_folded_and_read_back_unchanged(tmp_path):
    abstract = " ".join(f"word{i}" for i in range(120)) + ": a colon # and a hash"
    doc = EventDoc(tmp_path / "event.yaml", name="x")
    merge(doc, [arxiv_found(abstract=abstract)])
    text = doc.text()
    assert "abstract: >-" in text and max(len(line) for line in text.splitlines()) <= 100
    assert yaml.safe_load(text)["papers"][0]["abstract"] == abstract


def test_unmatched_titles_go_to_other_papers_once(event_file):
    doc = EventDoc(event_file, name="x")
    report = merge(doc, [])
    add_other_papers(doc, ["How to scale second-order optimization", "The Dual-Route Model",
                           "The Dual-Route Model"], report)
    others = yaml.safe_load(doc.text())["other_papers"]
    assert others == ["How to Scale Second-Order Optimization", "The Dual-Route Model"]
    assert report.other_papers == ["The Dual-Route Model"]


@pytest.mark.parametrize("original", [
    "name: X\npapers:\n- title: Kept\n  links:\n    code: https://c.org\n",
    "name: X\npapers:\n    - title: Kept\n      links:\n          code: https://c.org\n",
])
def test_new_papers_follow_the_files_indentation(tmp_path, original):
    path = tmp_path / "event.yaml"
    path.write_text(original, encoding="utf-8")
    text, _ = merged_text(path, [arxiv_found(arxiv="2502.09992", title="LLaDA")])
    assert text.startswith(original)
    dash = original.index("- title") - original.index("papers:\n") - len("papers:\n")
    assert f"\n{' ' * dash}- title: LLaDA\n" in text
    assert [p["title"] for p in yaml.safe_load(text)["papers"]] == ["Kept", "LLaDA"]


def test_a_paper_that_is_not_a_mapping_is_reported_with_its_line(tmp_path):
    path = tmp_path / "event.yaml"
    path.write_text("name: X\npapers:\n  - title: Fine\n  - just a string\n", encoding="utf-8")
    with pytest.raises(ConfgenError) as error:
        EventDoc(path, name="x")
    assert (error.value.problems[0].line, error.value.problems[0].message) == (
        4, "papers[1] is not a mapping")
