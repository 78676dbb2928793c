#!/usr/bin/env python3
"""Full offline builds of synthetic events: wall time, peak RSS, scaling, incremental.

    python bench/bench_build.py [--sizes 250 500 1000] [--jobs 2]

For each size N it writes a synthetic event (bench/make_event.py), runs
`confgen build EVENT --jobs J` in a fresh process from nothing (drafting included), then
edits one summary and runs the build again. Peak RSS is the largest resident set of the
build process or any process it waited for (os.wait4).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_event import write_event  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from generator.core.yamlio import dump_yaml  # noqa: E402


def run_build(workdir: Path, event: str, jobs: int) -> tuple[float, float]:
    """Return (seconds, peak RSS in MB) of one `confgen build`."""
    command = [sys.executable, "-m", "generator.cli", "build", event, "--jobs", str(jobs)]
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=workdir, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"build failed with exit code {process.returncode}")
    return elapsed, usage.ru_maxrss / 1024


def edit_one_summary(event_dir: Path) -> None:
    path = sorted(event_dir.glob("paper-*.yaml"))[0]
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["tldr"] = "An edited one-line summary."
    path.write_text(dump_yaml(data), encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[250, 500, 1000])
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    print(f"full offline build, --jobs {args.jobs}, {os.cpu_count()} cores "
          "(python bench/bench_build.py)")
    print(f"{'papers':>7} {'build s':>8} {'ms/paper':>9} {'peak RSS MB':>12} {'rebuild s':>10}")
    root = Path(tempfile.mkdtemp(prefix="confgen-bench-"))
    try:
        for size in args.sizes:
            event_dir = write_event(size, root / "summaries" / f"synthetic-{size}")
            seconds, rss = run_build(root, event_dir.name, args.jobs)
            edit_one_summary(event_dir)
            rebuild, _ = run_build(root, event_dir.name, args.jobs)
            print(f"{size:>7} {seconds:>8.1f} {1000 * seconds / size:>9.1f} {rss:>12.0f} "
                  f"{rebuild:>10.2f}")
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print("rebuild = the same build after editing one summary: re-renders that panel, "
          "the deck and the newsletter")
    return 0


if __name__ == "__main__":
    sys.exit(main())
