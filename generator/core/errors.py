"""Errors the user can act on.

Every problem with the user's input becomes a `Problem` (file, line, message). The CLI
prints them all and exits with status 2; nothing is written when a problem is found.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file, located as precisely as we can."""

    path: Path | None
    line: int | None
    message: str

    def __str__(self) -> str:
        if self.path is None:
            return self.message
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return f"{where}: {self.message}"


class ConfgenError(Exception):
    """An error caused by the user's input or environment; never shown with a traceback."""

    exit_code = 2

    def __init__(self, problems: list[Problem] | str):
        if isinstance(problems, str):
            problems = [Problem(None, None, problems)]
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class DraftError(Exception):
    """Drafting one paper failed; the others go on."""
