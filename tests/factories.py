"""Build events for tests: write event.yaml, draft summaries offline, open the folder."""

from __future__ import annotations

from pathlib import Path

import yaml

from generator.core.event import EventFolder, open_event
from generator.drafting.backends import get_backend
from generator.drafting.summarize import plan, summarize

ABSTRACT = (
    "Large language models usually apply softmax attention without any gate. "
    "We add a head-specific sigmoid gate after scaled dot-product attention and compare "
    "more than 30 variants on 15B mixture-of-experts and 1.7B dense models. "
    "The gate adds non-linearity and makes attention outputs sparse. "
    "It removes the attention sink, which improves training stability and long-context "
    "extrapolation."
)


def paper(title: str = "Gated Attention for Large Language Models", **fields) -> dict:
    """Return a paper mapping with realistic defaults; `fields` override them."""
    return {
        "title": title,
        "authors": ["Zihan Qiu", "Zekun Wang", "Bo Zheng"],
        "arxiv": "2505.06708",
        "venue": "NeurIPS 2025",
        "topic": "Architectures",
        "abstract": ABSTRACT,
        **fields,
    }


def write_event(root: Path, papers: list[dict] | None = None, **fields) -> Path:
    """Write `root`/event.yaml and return `root`."""
    root.mkdir(parents=True, exist_ok=True)
    event = {"name": "Test Conf 2025", "dates": "December 2025", **fields,
             "papers": papers if papers is not None else [paper()]}
    (root / "event.yaml").write_text(yaml.safe_dump(event, sort_keys=False, allow_unicode=True),
                                     encoding="utf-8")
    return root


def drafted(root: Path) -> EventFolder:
    """Draft every missing summary of the event at `root` offline and return the folder."""
    folder = open_event(root)
    summarize(folder, get_backend("offline"), plan(folder, None, force=False))
    return open_event(root)


def run_cli(capsys, *argv: str) -> tuple[int, str]:
    """Run `confgen ARGV` in-process; return the exit code and everything it printed."""
    from generator.cli import main

    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def files_under(root: Path) -> dict[Path, bytes]:
    """Return every file below `root` with its bytes, to prove nothing changed."""
    return {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
