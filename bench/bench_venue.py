#!/usr/bin/env python3
"""Measure a whole venue: import 5,290 papers, select 30, build those 30.

A generated NeurIPS-sized venue (tests/venue.py: 5,290 notes, 77 orals, 688 spotlights,
primary areas, planted on-topic papers) is served by the local OpenReview API v2
stand-in (tests/source_server.py), paged 1,000 notes a request. Each stage runs in its
own process, which reports its wall time and peak RSS:

    import    confgen add EVENT --venue NeurIPS.cc/2025/Conference   (cold cache)
    again     the same import once more: every paper matched and merged (warm cache)
    load      open the event (parse and validate event.yaml)
    select    confgen select EVENT --interests "..." --top 30
    check     confgen check EVENT (the 30 shown papers)
    build     confgen build EVENT --backend offline (draft, panels, deck, newsletter of 30)

    python bench/bench_venue.py [--papers 5290] [--jobs 2]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

INTERESTS = "LLM safety and alignment: jailbreaks, RLHF, reward models"
VENUE_ID = "NeurIPS.cc/2025/Conference"
LIMITS = {"import": 30, "select": 10, "build": 60}  # seconds the issue asks for


def stage(name: str, event: Path, out: Path, jobs: int) -> None:
    """Run one stage in this process and print its time and peak RSS as JSON."""
    start = time.perf_counter()
    if name in ("import", "again"):
        from generator.sources.add import AddOptions, add_papers

        add_papers(event, AddOptions(venue=VENUE_ID))
    elif name == "load":
        from generator.core.event import open_event

        open_event(event)
    elif name == "select":
        from generator.select.mark import SelectOptions, select_papers

        select_papers(event, SelectOptions(interests=INTERESTS, top=30))
    else:
        from generator.cli.main import main

        argv = ["check", str(event)] if name == "check" else [
            "build", str(event), "--backend", "offline", "--jobs", str(jobs),
            "--output", str(out)]
        with open(os.devnull, "w") as sink:
            stdout, sys.stdout = sys.stdout, sink
            try:
                main(argv)
            finally:
                sys.stdout = stdout
    seconds = time.perf_counter() - start
    peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
               resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    print(json.dumps({"seconds": seconds, "rss_mb": peak}))


def run_stage(name: str, event: Path, out: Path, jobs: int) -> dict:
    proc = subprocess.run([sys.executable, __file__, "--stage", name, "--event", str(event),
                           "--out", str(out), "--jobs", str(jobs)], capture_output=True,
                          text=True, env=os.environ, check=False)
    if proc.returncode != 0:
        sys.exit(f"stage {name} failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=5290)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--stage")
    parser.add_argument("--event", type=Path)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    if args.stage:
        return stage(args.stage, args.event, args.out, args.jobs)
    from source_server import serve
    from venue import make_venue

    venue = make_venue(args.papers, planted=61, distractors=120)
    with tempfile.TemporaryDirectory() as tmp, serve() as server:
        server.venue_notes = venue.notes
        os.environ.update(CONFGEN_OPENREVIEW_URL=f"{server.url}/openreview",
                          CONFGEN_CACHE_DIR=str(Path(tmp) / "cache"),
                          CONFGEN_HTTP_RETRY_DELAY="0")
        os.environ.pop("OPENAI_API_KEY", None)
        os.environ.pop("OPENAI_BASE_URL", None)
        event, out = Path(tmp) / "neurips-2025", Path(tmp) / "output"
        figures = {}
        for name in ("import", "again", "load", "select", "check", "build"):
            figures[name] = run_stage(name, event, out, args.jobs)
            limit = LIMITS.get(name)
            verdict = f" (goal < {limit} s)" if limit else ""
            print(f"{name:7} {figures[name]['seconds']:6.1f} s   peak RSS "
                  f"{figures[name]['rss_mb']:5.0f} MB{verdict}", flush=True)
        size = (event / "event.yaml").stat().st_size / 1e6
        print(f"event.yaml: {args.papers:,} papers, {size:.1f} MB; requests to the stand-in: "
              f"{server.count('openreview')}")
        f = {k: v["seconds"] for k, v in figures.items()}
        rss = max(v["rss_mb"] for v in figures.values())
        print(f"README row: | a {args.papers:,}-paper venue through the local OpenReview "
              f"stand-in: import, select 30, build the 30 | import {f['import']:.1f} s · "
              f"re-import (merge) {f['again']:.1f} s · load {f['load']:.1f} s · select "
              f"{f['select']:.1f} s · check {f['check']:.1f} s · build {f['build']:.1f} s; "
              f"peak RSS {rss:.0f} MB | `python bench/bench_venue.py` |")


if __name__ == "__main__":
    main()
