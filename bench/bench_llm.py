"""Measure drafting throughput through the openai backend against the local test server.

The server (tests/llm_server.py) answers every request after a fixed latency, so the
ideal throughput is concurrency / latency papers per second. The run goes through the
whole path a real run takes: prompts, SDK, validation, grounding and atomic YAML writes.

Then, per reply style of the test server (a think block, a fence in prose, damaged
JSON, word limits overshot, a json_object-only server, ...), it drafts the same event
and prints the summaries written and the requests per paper.

    python bench/bench_llm.py                       # 200 papers, 300 ms, concurrency 16
    python bench/bench_llm.py --papers 500 --concurrency 32
    python bench/bench_llm.py --styles think,overshoot --style-latency 0.05
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.core.event import open_event  # noqa: E402
from generator.drafting.backends.base import DraftRequest  # noqa: E402
from generator.drafting.backends.openai.backend import OpenAIBackend  # noqa: E402
from generator.drafting.summarize import plan, summarize_async  # noqa: E402

sys.path.insert(0, str(ROOT / "tests"))
from llm_server import REPLY_STYLES  # noqa: E402

ABSTRACT = ("Large language models usually apply softmax attention without any gate. "
            "We add a head-specific sigmoid gate after scaled dot-product attention and "
            "compare more than {n} variants on 15B mixture-of-experts and 1.7B dense models. "
            "The gate adds non-linearity and makes attention outputs sparse. It removes the "
            "attention sink, which improves training stability and long-context extrapolation.")


def write_event(root: Path, count: int) -> Path:
    """Write an event with `count` distinct papers and return its folder."""
    papers = [{"id": f"paper-{i:04d}", "title": f"Gated attention, variant {i}",
               "abstract": ABSTRACT.format(n=i + 2)} for i in range(count)]
    root.mkdir(parents=True)
    (root / "event.yaml").write_text(yaml.safe_dump({"name": "Bench 2025", "papers": papers}))
    return root


def start_server(latency: float, style: str = "plain") -> tuple[subprocess.Popen, str]:
    """Run the test server in its own process (its own core) and return it and its URL."""
    process = subprocess.Popen([sys.executable, str(ROOT / "tests" / "llm_server.py"),
                                "--latency", str(latency), "--style", style],
                               stdout=subprocess.PIPE, text=True,
                               cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    url = process.stdout.readline().strip()  # type: ignore[union-attr]
    if not url.startswith("http://127.0.0.1"):
        process.kill()
        raise SystemExit(f"the test server did not start (said {url!r})")
    return process, url


async def warm_up(backend: OpenAIBackend) -> float:
    """Make one request first: client start-up (TLS context, platform probe, first
    connection, lazy model building) is a one-off cost, not throughput."""
    started = time.perf_counter()
    await backend.draft(DraftRequest("warm-up", "Warm-up", ABSTRACT.format(n=1)))
    return time.perf_counter() - started


async def timed_run(folder, concurrency: int):
    """Warm the client up, then draft every paper; return start-up, wall time, report."""
    backend = OpenAIBackend(model="bench-model", cache="off")
    startup = await warm_up(backend)
    todo = plan(folder, None, force=False)
    started = time.perf_counter()
    report = await summarize_async(folder, backend, todo, concurrency=concurrency)
    return startup, time.perf_counter() - started, report


def run(papers: int, concurrency: int) -> tuple[float, int]:
    """Draft `papers` papers; return the wall time and how many were written."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = open_event(write_event(Path(tmp) / "bench", papers))
        startup, elapsed, report = asyncio.run(timed_run(folder, concurrency))
        print(f"start-up (one first request, not counted): {startup:.2f} s")
        if report.failed:
            print(f"warning: {len(report.failed)} papers failed: "
                  f"{next(iter(report.failed.values()))}")
        return elapsed, len(report.written)


def style_run(style: str, papers: int, latency: float, concurrency: int) -> str:
    """Draft `papers` papers from a server answering in `style`; return a table row."""
    process, url = start_server(latency, style)
    os.environ["OPENAI_BASE_URL"] = url
    os.environ["CONFGEN_CACHE_DIR"] = tempfile.mkdtemp(prefix="confgen-bench-cache-")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            folder = open_event(write_event(Path(tmp) / "bench", papers))
            backend = OpenAIBackend(model="bench-model")
            report = asyncio.run(summarize_async(folder, backend, plan(folder, None, False),
                                                 concurrency=concurrency))
            checked = sum(1 for s in open_event(folder.root).summaries.values() if s.checks)
    finally:
        process.terminate()
        process.wait()
    per_paper = report.usage.requests / max(1, report.usage.drafts)
    return (f"{style:<20} {len(report.written):>4} of {papers:<4} {per_paper:>8.2f} "
            f"{checked:>14} {report.wall_time:>7.1f} s")


def style_table(styles: list[str], papers: int, latency: float, concurrency: int) -> None:
    print(f"\nper reply style: {papers} papers, {latency * 1000:.0f} ms per reply, "
          f"concurrency {concurrency}")
    print(f"{'style':<20} {'written':>12} {'req/paper':>8} {'with checks':>14} {'time':>9}")
    for style in styles:
        print(style_run(style, papers, latency, concurrency), flush=True)


def cpu_wait() -> float | None:
    """Return seconds this process has waited for a CPU (Linux), to spot a busy machine."""
    try:
        return int(Path("/proc/self/schedstat").read_text().split()[1]) / 1e9
    except (OSError, IndexError, ValueError):
        return None


def main() -> None:
    """Run the benchmark and print papers per second against the ideal."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=200)
    parser.add_argument("--latency", type=float, default=0.3, help="seconds per reply")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--styles", default=",".join(REPLY_STYLES),
                        help="comma-separated reply styles to draft with ('' for none)")
    parser.add_argument("--style-latency", type=float, default=0.05,
                        help="seconds per reply in the per-style runs")
    args = parser.parse_args()
    process, url = start_server(args.latency)
    os.environ["OPENAI_BASE_URL"] = url
    os.environ["CONFGEN_CACHE_DIR"] = tempfile.mkdtemp(prefix="confgen-bench-cache-")
    waited = cpu_wait()
    try:
        elapsed, written = run(args.papers, args.concurrency)
    finally:
        process.terminate()
        process.wait()
    ideal = args.concurrency / args.latency
    rate = written / elapsed
    print(f"{written} papers in {elapsed:.2f} s at concurrency {args.concurrency}, "
          f"{args.latency * 1000:.0f} ms per reply")
    print(f"throughput: {rate:.1f} papers/s; ideal {ideal:.1f} papers/s; "
          f"ratio {rate / ideal:.1%}")
    if waited is not None:
        print(f"(this process waited {cpu_wait() - waited:.2f} s for a CPU; load average "
              f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    styles = [style for style in args.styles.split(",") if style]
    if styles:
        style_table(styles, args.papers, args.style_latency, args.concurrency)


if __name__ == "__main__":
    main()
