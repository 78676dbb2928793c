"""No word leaves its box: a stress deck rendered by LibreOffice, checked word by word.

One deck, one LibreOffice conversion for the whole module: long titles, 150 authors,
400-word summaries, CJK, emoji and LaTeX, long lists and a long award name.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pptx import Presentation

from generator.core.event import open_event
from generator.core.models import Provenance, Summary
from generator.core.store import write_summary
from generator.render.deck.build import render_deck
from generator.render.deck.libreoffice import convert
from generator.render.deck.text import clean
from generator.render.theme import load_theme
from tests.factories import paper, write_event
from tests.pdfboxes import misplaced_words, words_of

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed"),
]

SENTENCES = [
    "The authors scale a contrastive critic to hundreds of layers with residual blocks.",
    "Training stays stable because normalisation and a gated skip path tame the gradients.",
    "On every locomotion task the deeper agents learn qualitatively new behaviours.",
    "The regret bound is $O(\\sqrt{d T \\log T})$ and matches the lower bound up to logs.",
    "Nothing here needs extra data, only more depth and a careful learning-rate schedule.",
]
CJK = ("我们提出了一种新的注意力机制，在大规模语言模型上显著提高了训练稳定性和长上下文外推能力。"
       "実験では十五億パラメータのモデルで効果を確認した。")
EMOJI = "🚀 Faster inference 🔥 with fewer tokens 🤖✨"
URL = "https://github.com/example-org/" + "a-very-long-repository-name/" * 5
LONG_TITLE = " ".join(["Scaling", "Self-Supervised", "Goal-Conditioned", "Reinforcement",
                       "Learning", "to", "One", "Thousand", "Layers"] * 5)


def words(count: int) -> str:
    """Return `count` words of varied, realistic prose."""
    out: list[str] = []
    while len(out) < count:
        out += SENTENCES[len(out) % len(SENTENCES)].split()
    return " ".join(out[:count])


def write_summary_file(folder_root: Path, pid: str, **fields) -> None:
    """Write a hand-made (reviewed) summary, as a person editing the YAML would."""
    content = {
        "tldr": words(20), "what_was_done": words(60), "why_it_matters": words(50),
        "key_points": [words(15), words(18), words(12)],
        "key_numbers": [{"value": "1024", "label": "layers", "source": SENTENCES[0]}],
        "comic": [{"caption": "Setup", "lines": [{"speaker": "A", "text": "Hi"}]}] * 3,
        **fields,
    }
    summary = Summary(id=pid, status="reviewed",
                      provenance=Provenance(backend="manual", source_hash="x"), **content)
    write_summary(folder_root / f"{pid}.yaml", summary)


def stress_papers() -> list[dict]:
    authors = [f"Author{i} Surname{i}" for i in range(150)]
    return [
        paper(LONG_TITLE, id="long-title", authors=authors, award="Outstanding Paper Award "
              "Runner-Up and Honourable Mention for Datasets and Benchmarks", topic="RL"),
        paper("Long summary", id="long-summary", topic="RL", authors=authors[:40]),
        paper("注意力机制的新方法：大规模语言模型的稳定训练", id="cjk", topic="多模态 Multimodal",
              authors=["张伟", "王芳", "李娜", "刘洋"]),
        paper(f"{EMOJI} and $O(\\sqrt{{d}})$ regret", id="emoji-latex", topic="Theory",
              links={"paper": "https://example.org/" + "very-long-path/" * 12}),
        paper("A paper without a summary", id="no-summary", topic="Theory", arxiv=None),
        paper("Supercalifragilistic" * 15, id="one-token", topic="Theory"),
    ]


@pytest.fixture(scope="module")
def stress(tmp_path_factory) -> tuple[Path, Path, Path]:
    """Build the stress deck once and render it once; return (event, pptx, pdf)."""
    base = tmp_path_factory.mktemp("stress")
    root = write_event(
        base / "stress-2025", stress_papers(), location="Vancouver 🇨🇦", presenter="Ada",
        stats=[words(30), "21,575 submissions", CJK],
        trends=[words(25) for _ in range(14)] + [CJK, EMOJI],
        talks=[{"title": LONG_TITLE, "speaker": "Rich Sutton",
                "points": [words(30) for _ in range(12)]}],
        other_papers=[{"title": words(12), "url": f"https://arxiv.org/abs/2501.{i:05d}"}
                      for i in range(40)],
        deck={"sections": ["title", "agenda", "stats", "trends", "awards", "papers", "talks",
                           "other_papers", "reading_list", "chart", "closing"]},
    )
    write_summary_file(root, "long-title")
    write_summary_file(root, "long-summary", what_was_done=words(400), why_it_matters=words(200),
                       key_points=[words(40) for _ in range(5)])
    write_summary_file(root, "cjk", what_was_done=CJK * 3, why_it_matters=CJK,
                       key_points=[CJK[:30], CJK[30:60], "混合 mixed テキスト text 123"])
    write_summary_file(root, "emoji-latex", what_was_done=f"{EMOJI} {words(40)}",
                       why_it_matters="We prove $O(\\sqrt{d})$ and $\\Omega(d^{1/2})$ bounds.",
                       key_points=[EMOJI, "$\\mathbb{E}[X] \\leq \\epsilon$ holds", words(10)])
    write_summary_file(root, "one-token", tldr=f"{URL} and $\\frac{{a}}{{b}}$ " * 8,
                       what_was_done=f"The code is at {URL} and the data next to it. " * 3)
    pptx = render_deck(open_event(root), base / "out" / "deck.pptx", load_theme("light"))
    pdf = convert(pptx, base / "out")
    return root, pptx, pdf


def test_every_word_lies_inside_its_shape_and_the_slide(stress):
    _, pptx, pdf = stress
    assert misplaced_words(pptx, pdf) == []


def test_a_400_word_summary_continues_on_cont_slides(stress):
    _, pptx, _ = stress
    titles = _titles(pptx)
    assert titles.count("Long summary (cont.)") >= 1
    assert titles.index("Long summary (cont.)") == titles.index("Long summary") + 1


def test_the_whole_summary_is_on_the_slides_when_it_is_split(stress):
    _, pptx, _ = stress
    body = " ".join(_shape_texts(pptx, "Body")).replace("…", " ")
    for word in set(clean(words(400)).split()):
        assert word in body


def test_an_overlong_title_is_shortened_with_the_full_title_in_the_notes(stress):
    _, pptx, _ = stress
    slide = next(s for s in Presentation(str(pptx)).slides if _title(s).startswith("Scaling"))
    assert _title(slide).endswith("…")
    assert len(_title(slide)) < len(LONG_TITLE)
    assert LONG_TITLE in slide.notes_slide.notes_text_frame.text


def test_latex_is_set_as_unicode_math(stress):
    _, pptx, _ = stress
    slide = next(s for s in Presentation(str(pptx)).slides if "regret" in _title(s))
    assert _title(slide).endswith("and O(√d) regret")


def test_cjk_and_emoji_text_reaches_the_pdf(stress):
    _, _, pdf = stress
    text = "".join("".join(page) for page in words_of(pdf))
    assert "注意力机制" in text
    assert "Faster" in text and "inference" in text


def test_long_lists_continue_on_cont_slides(stress):
    _, pptx, _ = stress
    titles = _titles(pptx)
    assert "Other interesting papers (cont.)" in titles
    assert "Trends (cont.)" in titles


def _title(slide) -> str:
    return next((s.text_frame.text for s in slide.shapes if s.name == "Title"), "")


def _titles(pptx: Path) -> list[str]:
    return [_title(slide) for slide in Presentation(str(pptx)).slides]


def _shape_texts(pptx: Path, name: str) -> list[str]:
    return [shape.text_frame.text for slide in Presentation(str(pptx)).slides
            for shape in slide.shapes if shape.name == name]
