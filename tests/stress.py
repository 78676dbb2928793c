"""The stress event: everything that makes text hard to fit, as one event folder.

300-character titles, 150 authors, 400-word summaries, CJK (Chinese, Japanese, Korean),
right-to-left Arabic and Hebrew, emoji, LaTeX, unbreakable URLs, long lists and a long
award name. Decks built from it are rendered by LibreOffice and checked word by word.
"""

from __future__ import annotations

from pathlib import Path

from generator.core.models import Provenance, Summary
from generator.core.store import write_summary
from tests.factories import paper, write_event

SENTENCES = [
    "The authors scale a contrastive critic to hundreds of layers with residual blocks.",
    "Training stays stable because normalisation and a gated skip path tame the gradients.",
    "On every locomotion task the deeper agents learn qualitatively new behaviours.",
    "The regret bound is $O(\\sqrt{d T \\log T})$ and matches the lower bound up to logs.",
    "Nothing here needs extra data, only more depth and a careful learning-rate schedule.",
]
CJK = ("我们提出了一种新的注意力机制，在大规模语言模型上显著提高了训练稳定性和长上下文外推能力。"
       "実験では十五億パラメータのモデルで効果を確認した。")
KOREAN = "대규모 언어 모델의 주의 메커니즘 연구"
RTL = "نموذج لغوي كبير يتعلم من التجربة ومن البيانات الكبيرة — מודל שפה גדול לומד מניסיון"
RTL_TITLE = "تعلم معزز عميق: Deep Reinforcement Learning באלף שכבות مع نتائج مذهلة"
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
        paper(RTL_TITLE, id="rtl", topic="RL", authors=["مريم أحمد", "דוד לוי"] * 20),
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




def write_stress_event(root: Path) -> Path:
    """Write the stress event (with hand-made summaries) at `root` and return it."""
    write_event(
        root, stress_papers(), location="Vancouver 🇨🇦", presenter="Ada",
        stats=[words(30), "21,575 submissions", CJK],
        trends=[words(25) for _ in range(14)] + [CJK, EMOJI, KOREAN, RTL],
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
    write_summary_file(root, "cjk", what_was_done=CJK * 3, why_it_matters=CJK + KOREAN,
                       key_points=[CJK[:30], CJK[30:60], "混合 mixed テキスト text 123", KOREAN])
    write_summary_file(root, "emoji-latex", what_was_done=f"{EMOJI} {words(40)}",
                       why_it_matters="We prove $O(\\sqrt{d})$ and $\\Omega(d^{1/2})$ bounds.",
                       key_points=[EMOJI, "$\\mathbb{E}[X] \\leq \\epsilon$ holds", words(10)])
    write_summary_file(root, "one-token", tldr=f"{URL} and $\\frac{{a}}{{b}}$ " * 8,
                       what_was_done=f"The code is at {URL} and the data next to it. " * 3)
    write_summary_file(root, "rtl", tldr=RTL, what_was_done=RTL * 2, why_it_matters=RTL,
                       key_points=[RTL[:40], "עברית and English mixed", words(12)])
    return root
