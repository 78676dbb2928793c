"""Measure `confgen add`: Atom parsing, merging into a large event.yaml, and a full run.

Everything runs against the local stand-in server (tests/source_server.py) with the
throttle off, so the figures are confgen's own cost, not arXiv's 3-second interval.

    python bench/bench_sources.py                 # 300 papers in the event, 5 repeats
    python bench/bench_sources.py --papers 1000
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from source_server import DATA, serve  # noqa: E402
from timing import best_of  # noqa: E402

from generator.core.models import Paper  # noqa: E402
from generator.sources.add import AddOptions, add_papers  # noqa: E402
from generator.sources.arxiv import parse_feed  # noqa: E402
from generator.sources.found import Found  # noqa: E402
from generator.sources.merge import EventDoc, merge  # noqa: E402

IDS = ["2505.06708", "2411.04975", "2503.14858", "2504.13837", "2505.17638", "2510.22954",
       "2505.10465", "2502.09992", "2506.08010", "hep-th/9901001"]



def big_event(root: Path, papers: int) -> Path:
    """Write an event.yaml with `papers` hand-style papers and comments."""
    root.mkdir(parents=True, exist_ok=True)
    lines = ["# A large event\nname: Big\npapers:\n"]
    for i in range(papers):
        lines.append(f"  # paper {i}\n  - title: Paper number {i} on attention\n"
                     f"    arxiv: '2501.{i:05d}'\n    authors: [A. One, B. Two]\n"
                     f"    notes: My note {i}.\n\n")
    (root / "event.yaml").write_text("".join(lines), encoding="utf-8")
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    feed = (DATA / "arxiv_feed.xml").read_bytes()
    parse_ms = best_of(args.repeats, lambda: parse_feed(feed))
    print(f"parse Atom feed of 11 entries: {parse_ms:.2f} ms")
    with tempfile.TemporaryDirectory() as tmp:
        root = big_event(Path(tmp) / "big", args.papers)
        found = [Found(Paper(title=f"New paper {i}", arxiv=f"2502.{i:05d}"), "arxiv")
                 for i in range(10)]

        def merge_once() -> None:
            doc = EventDoc(root / "event.yaml", name="big")
            merge(doc, found)
            doc.text()

        merge_ms = best_of(args.repeats, merge_once)
        print(f"merge 10 papers into a {args.papers}-paper event.yaml: {merge_ms:.1f} ms")
        os.environ["CONFGEN_CACHE_DIR"] = str(Path(tmp) / "cache")
        with serve() as server:
            os.environ.update(CONFGEN_ARXIV_URL=f"{server.url}/arxiv/api/query",
                              CONFGEN_ARXIV_INTERVAL="0", CONFGEN_HTTP_RETRY_DELAY="0")
            counter = iter(range(10**6))
            add_ms = best_of(args.repeats, lambda: add_papers(
                Path(tmp) / f"new{next(counter)}", AddOptions(refs=IDS)))
            print(f"confgen add of 10 arXiv ids to a new event (cache warm after run 1): "
                  f"{add_ms:.1f} ms; requests sent: {server.count('arxiv')}")


if __name__ == "__main__":
    main()
