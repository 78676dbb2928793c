"""Benchmark the deck: a 1,000-paper synthetic event, fitted, against bare python-pptx.

    python bench/bench_deck.py [--papers 1000] [--profile]

Prints the time to build and save the confgen deck, the time for bare python-pptx to
write the same text into the same boxes at a fixed size (no measuring, no fitting, no
font runs, no pictures), and their ratio. The target is a ratio of 2 or less.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import tempfile
import time
from pathlib import Path

from pptx import Presentation
from pptx.util import Pt

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.core.event import open_event  # noqa: E402
from generator.core.models import Provenance, Summary  # noqa: E402
from generator.core.store import write_summary  # noqa: E402
from generator.core.yamlio import dump_yaml  # noqa: E402
from generator.render.deck.build import build_deck  # noqa: E402
from generator.render.theme import load_theme  # noqa: E402

TOPICS = ["Reinforcement learning", "Diffusion", "LLM reasoning", "Efficient inference",
          "Interpretability", "Theory", "Vision", "Multimodal 多模态"]
WORDS = ("we scale a contrastive critic to one thousand layers and the agent learns new "
         "behaviours such as walking and vaulting over walls while shallow networks collapse "
         "which suggests depth matters for self supervised reinforcement learning").split()


def phrase(seed: int, count: int) -> str:
    return " ".join(WORDS[(seed * 7 + i * 3) % len(WORDS)] for i in range(count))


def synthetic_event(root: Path, papers: int) -> Path:
    """Write an event with `papers` papers and a reviewed summary for each."""
    entries = [{"title": phrase(i, 8 + i % 14).capitalize(), "id": f"p{i:04d}",
                "authors": [f"Author{j} Name{j}" for j in range(1 + i % 30)],
                "arxiv": f"25{i % 12 + 1:02d}.{i:05d}", "venue": "NeurIPS 2025",
                "topic": TOPICS[i % len(TOPICS)], "award": "Best Paper" if i % 97 == 0 else ""}
               for i in range(papers)]
    event = {"name": "Synthetic Conf 2025", "dates": "December 2025", "presenter": "Bench",
             "stats": ["21,575 submissions", "5,290 accepted"], "trends": [phrase(1, 9)] * 6,
             "other_papers": [phrase(i, 10) for i in range(30)], "papers": entries}
    root.mkdir(parents=True)
    (root / "event.yaml").write_text(dump_yaml(event), encoding="utf-8")
    for i, entry in enumerate(entries):
        summary = Summary(
            id=entry["id"], status="reviewed",
            provenance=Provenance(backend="bench", source_hash="x"),
            tldr=phrase(i, 18), what_was_done=phrase(i + 1, 45 + i % 30),
            why_it_matters=phrase(i + 2, 35 + i % 20),
            key_points=[phrase(i + k, 10 + (i + k) % 12) for k in range(3 + i % 3)],
            comic=[{"caption": "c", "lines": [{"speaker": "A", "text": "hi"}]}] * 3)
        write_summary(root / f"{entry['id']}.yaml", summary)
    return root


def bare_copy(prs) -> Presentation:
    """Write every text shape of `prs` again with plain python-pptx: same boxes and text."""
    bare = Presentation()
    bare.slide_width, bare.slide_height = prs.slide_width, prs.slide_height
    blank = bare.slide_layouts[6]
    for slide in prs.slides:
        target = bare.slides.add_slide(blank)
        for shape in slide.shapes:
            if not (shape.has_text_frame and shape.text_frame.text):
                continue
            box = target.shapes.add_textbox(shape.left, shape.top, shape.width, shape.height)
            frame = box.text_frame
            frame.word_wrap = True
            for index, paragraph in enumerate(shape.text_frame.paragraphs):
                out = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
                run = out.add_run()
                run.text = paragraph.text
                run.font.size = Pt(18)
                run.font.name = "Inter"
        if slide.has_notes_slide:
            target.notes_slide.notes_text_frame.text = slide.notes_slide.notes_text_frame.text
    return bare


def timed(function) -> tuple[float, object]:
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def save(prs) -> int:
    buffer = io.BytesIO()
    prs.save(buffer)
    return len(buffer.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=1000)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = open_event(synthetic_event(Path(tmp) / "synthetic", args.papers))
        theme = load_theme("light")
        if args.profile:
            cProfile.runctx("build_deck(folder, theme)", globals(), locals(), "/tmp/deck.prof")
            pstats.Stats("/tmp/deck.prof").sort_stats("cumulative").print_stats(25)
        ours, prs = timed(lambda: (build_deck(folder, theme), None)[0])
        ours_save, size = timed(lambda: save(prs))
        bare_build, bare = timed(lambda: bare_copy(prs))
        bare_save, bare_size = timed(lambda: save(bare))
    total, baseline = ours + ours_save, bare_build + bare_save
    slides = len(prs.slides)
    print(f"papers: {args.papers}, slides: {slides}")
    print(f"confgen deck:  {total:6.2f} s  (build {ours:.2f} s, save {ours_save:.2f} s, "
          f"{size / 1e6:.1f} MB)")
    print(f"bare pptx:     {baseline:6.2f} s  (build {bare_build:.2f} s, save {bare_save:.2f} s, "
          f"{bare_size / 1e6:.1f} MB)")
    print(f"ratio:         {total / baseline:6.2f}  (target <= 2)")


if __name__ == "__main__":
    main()
