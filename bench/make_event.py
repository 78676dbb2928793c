#!/usr/bin/env python3
"""Write a synthetic event of N papers with realistic text lengths.

    python bench/make_event.py 1000 [--out /tmp/bench/summaries/synthetic-1000]

Titles of 6-16 words, 3-15 authors, abstracts of 120-250 words in 6-10 sentences that
carry cue phrases and numbers, eight topics, one paper in twenty with an award. Seeded,
so the same N gives the same event.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

import yaml

WORDS = ("attention transformer diffusion policy reward gradient scaling sparse latent token "
         "benchmark alignment reasoning retrieval embedding contrastive optimizer memory "
         "inference decoding speculative agent planning robustness calibration uncertainty "
         "representation graph kernel manifold superposition feature circuit dataset "
         "evaluation preference distillation quantization pruning curriculum exploration").split()
TOPICS = ["Architectures", "Reinforcement Learning", "Generative Models", "Evaluation",
          "Learning Theory", "Efficient Inference", "Interpretability", "Safety & Alignment"]
OPENERS = ["Large models often struggle with {a} and {b}.",
           "Existing methods for {a} ignore {b}."]
DONE = ["We introduce a {a} method that couples {b} with {c} across {n} settings.",
        "We show that {a} improves {b} by {p}% on {n} benchmarks.",
        "The authors train {n} models to study how {a} shapes {b}."]
WHY = ["This matters because {a} becomes practical without extra {b}.",
       "This enables {a} at scale and suggests new directions for {b}."]
FILLER = ["The {a} module uses {b} and {c} with a simple {d} objective.",
          "Results hold for {a} and {b}, with {x}x faster {c}.",
          "Ablations isolate the role of {a} in {b}."]


def sentence(rng: random.Random, templates: list[str]) -> str:
    picks = {k: " ".join(rng.sample(WORDS, rng.randint(1, 2))) for k in "abcd"}
    return rng.choice(templates).format(n=rng.randint(3, 300), p=rng.randint(2, 60),
                                        x=round(rng.uniform(1.2, 9.9), 1), **picks)


def make_paper(rng: random.Random, index: int) -> dict:
    body = [sentence(rng, OPENERS), sentence(rng, DONE)]
    body += [sentence(rng, FILLER) for _ in range(rng.randint(4, 8))]
    body.append(sentence(rng, WHY))
    paper = {
        "id": f"paper-{index:05d}",
        "title": " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 16))).capitalize(),
        "authors": [f"Author {rng.randint(1, 9999)}" for _ in range(rng.randint(3, 15))],
        "arxiv": f"25{rng.randint(1, 12):02d}.{rng.randint(10000, 99999)}",
        "venue": "Synthetic Conf 2025",
        "topic": rng.choice(TOPICS),
        "abstract": " ".join(body),
    }
    if index % 20 == 0:
        paper["award"] = "Best Paper"
    return paper


def make_event(count: int, seed: int = 7) -> dict:
    rng = random.Random(seed)
    return {"name": f"Synthetic Conf ({count} papers)", "dates": "December 2025",
            "stats": [f"{count} papers"], "trends": ["Scaling", "Reasoning", "Efficiency"],
            "papers": [make_paper(rng, i) for i in range(count)]}


def write_event(count: int, out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(make_event(count), sort_keys=False, allow_unicode=True, width=100)
    (out / "event.yaml").write_text(text, encoding="utf-8")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    out = args.out or Path("/tmp/confgen-bench/summaries") / f"synthetic-{args.count}"
    print(write_event(args.count, out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
