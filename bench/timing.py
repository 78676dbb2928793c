"""Timing helpers shared by the benchmark scripts."""

from __future__ import annotations

import time


def best_of(repeats: int, action) -> float:
    """Return the fastest of `repeats` runs of `action`, in milliseconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return min(times)
