"""Progress display for long runs (rich), silent when output is not a terminal."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

console = Console(stderr=True, highlight=False, soft_wrap=True)


class Tally:
    """Counts shown next to the bar: done, failed, cached, tokens."""

    def __init__(self, progress: Progress | None, task: int | None):
        self.progress, self.task = progress, task
        self.counts = {"done": 0, "failed": 0, "cached": 0, "tokens": 0}

    def advance(self, _item: str = "", outcome: str = "done", tokens: int = 0) -> None:
        self.counts[outcome] = self.counts.get(outcome, 0) + 1
        self.counts["tokens"] += tokens
        if self.progress is not None and self.task is not None:
            stats = " ".join(f"{k} {v:,}" for k, v in self.counts.items() if v)
            self.progress.update(self.task, advance=1, stats=stats)


@contextmanager
def progress_bar(label: str, total: int) -> Iterator[Tally]:
    """Yield a Tally; draws a bar on a terminal, nothing otherwise (CI, pipes)."""
    if not sys.stderr.isatty() or total == 0:
        yield Tally(None, None)
        return
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[stats]}"), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        yield Tally(progress, progress.add_task(label, total=total, stats=""))
