"""Print how fast panels render: panels per second for N papers with 1 and 2 jobs.

    python bench/bench_panels.py [--count 1000] [--layout comic] [--size 1200x1500]

The papers are the example event's, repeated under new ids. Panels are written to a
temporary folder, as `confgen panels` writes them (PNG encoding and atomic writes
included). The per-panel figures time one newsletter-size panel: rendering, then PNG
encoding, as wall-clock and as CPU time (CPU time is steadier on a busy machine); the
first panel, which fills the caches of shapes and word images, is not counted.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.core.event import EventFolder, open_event  # noqa: E402
from generator.core.models import Summary  # noqa: E402
from generator.render.panels.panel import png_bytes, render_panel, render_panels  # noqa: E402
from generator.render.panels.png import deflate  # noqa: E402
from generator.render.theme import load_theme  # noqa: E402

EXAMPLE = ROOT / "summaries" / "neurips-2025"


def many_papers(count: int) -> EventFolder:
    """Return the example event with its summarised papers repeated to `count` papers.

    Every text gets a distinct tag, so no paper reuses another's wrapped lines from the
    caches (word widths are still shared, as in a real event).
    """
    folder = open_event(EXAMPLE)
    base = [p for p in folder.papers if p.key in folder.summaries]
    papers, summaries = [], {}
    for index in range(count):
        paper = base[index % len(base)]
        key, tag = f"p{index:05d}", f"(v{index})"
        papers.append(paper.model_copy(update={"id": key, "title": f"{paper.title} {tag}"}))
        summaries[key] = tagged(folder.summaries[paper.key], key, tag)
    event = folder.event.model_copy(update={"papers": papers})
    return EventFolder(folder.root, event, summaries)


def tagged(summary: Summary, key: str, tag: str) -> Summary:
    """Return a copy of `summary` under id `key` with `tag` appended to every text."""
    comic = [frame.model_copy(update={
        "caption": f"{frame.caption} {tag}",
        "lines": [line.model_copy(update={"text": f"{line.text} {tag}"}) for line in frame.lines],
    }) for frame in summary.comic]
    return summary.model_copy(update={
        "id": key, "comic": comic, "tldr": f"{summary.tldr} {tag}",
        "what_was_done": f"{summary.what_was_done} {tag}",
        "why_it_matters": f"{summary.why_it_matters} {tag}"})


def time_one(folder: EventFolder, layout: str, size: tuple[int, int], repeats: int = 20) -> None:
    """Print the median time of one panel: render and encode, wall-clock and CPU."""
    theme = load_theme("light")
    paper = folder.papers[0]
    summary = folder.summaries[paper.key]
    render_panel(folder.event, paper, summary, theme, layout, size)  # warm the caches
    samples, sizes = [], []
    repeats = max(1, min(repeats, len(folder.papers) - 1))
    for index in range(1, repeats + 1):
        paper = folder.papers[index]
        summary = folder.summaries[paper.key]
        wall, cpu = time.perf_counter(), time.process_time()
        image = render_panel(folder.event, paper, summary, theme, layout, size)
        mid_wall, mid_cpu = time.perf_counter(), time.process_time()
        sizes.append(len(png_bytes(image)))
        samples.append((mid_wall - wall, time.perf_counter() - mid_wall,
                        mid_cpu - cpu, time.process_time() - mid_cpu))
    render_wall, encode_wall, render_cpu, encode_cpu = (
        statistics.median(column) * 1000 for column in zip(*samples, strict=True))
    print(f"one {layout} panel {size[0]}×{size[1]}: "
          f"{render_wall + encode_wall:.0f} ms wall (render {render_wall:.0f} + encode "
          f"{encode_wall:.0f}), {render_cpu + encode_cpu:.0f} ms CPU (render "
          f"{render_cpu:.0f} + encode {encode_cpu:.0f}); median of {repeats}; PNG "
          f"{statistics.mean(sizes) / 1024:.0f} KiB on average ({deflate.__name__})")


def time_batch(folder: EventFolder, layout: str, size: tuple[int, int], jobs: int) -> None:
    """Print panels per second for writing every paper's panel with `jobs` processes."""
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        written = render_panels(folder, Path(out), load_theme("light"), layout=layout,
                                size=size, jobs=jobs)
        elapsed = time.perf_counter() - start
    print(f"{len(written)} panels, jobs={jobs}: {elapsed:.1f} s, "
          f"{len(written) / elapsed:.1f} panels/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--layout", default="comic")
    parser.add_argument("--size", default="1200x1500")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    size = tuple(int(v) for v in args.size.split("x"))
    folder = many_papers(args.count)
    time_one(folder, args.layout, size)
    for jobs in args.jobs:
        time_batch(folder, args.layout, size, jobs)


if __name__ == "__main__":
    main()
