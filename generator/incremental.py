"""Incremental builds and the event lock.

A manifest in the output folder records, for each output, a stamp of everything it was
rendered from (summary file, paper metadata, theme, layout, renderer code). A rebuild
re-renders only outputs whose stamp changed or whose file is missing. The lock keeps two
runs on one event from interleaving their writes.
"""

from __future__ import annotations

import fcntl
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from .core.errors import ConfgenError
from .core.hashing import content_hash
from .core.paths import PACKAGE_ROOT
from .core.yamlio import write_atomic

MANIFEST = ".confgen-manifest.json"


@cache
def renderer_stamp() -> str:
    """Hash the renderer code and templates, so a new confgen version re-renders."""
    roots = [PACKAGE_ROOT / "render", PACKAGE_ROOT / "text", PACKAGE_ROOT / "templates"]
    files = sorted(p for root in roots for p in root.rglob("*")
                   if p.is_file() and p.suffix != ".pyc")
    return content_hash(*(part for path in files for part in
                          (path.relative_to(PACKAGE_ROOT).as_posix(), path.read_bytes())),
                        length=20)


class Manifest:
    """Stamps of the outputs in one output folder, saved atomically after each stage."""

    def __init__(self, out_dir: Path):
        self.path = out_dir / MANIFEST
        try:
            self.stamps: dict[str, str] = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.stamps = {}

    def is_current(self, output: Path, key: str, value: str) -> bool:
        return self.stamps.get(key) == value and output.is_file()

    def record(self, updates: dict[str, str]) -> None:
        if all(self.stamps.get(key) == value for key, value in updates.items()):
            return
        self.stamps.update(updates)
        write_atomic(self.path, json.dumps(self.stamps, indent=1, sort_keys=True))


def _lock_path(event_dir: Path) -> Path:
    """Keep lock files out of the user's folders: one per event, in the temp dir."""
    folder = Path(tempfile.gettempdir()) / f"confgen-locks-{os.getuid()}"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder / f"{content_hash(str(event_dir.resolve()), length=20)}.lock"


@contextmanager
def event_lock(event_dir: Path) -> Iterator[None]:
    """Hold an exclusive lock on the event; a second run fails at once with a clear error."""
    path = _lock_path(event_dir)
    try:
        handle = open(path, "a+", encoding="utf-8")  # noqa: SIM115 - held for the block
    except OSError as exc:
        raise ConfgenError(f"cannot create the lock file {path}: {exc.strerror}") from None
    try:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise ConfgenError(f"{event_dir} is busy: another confgen run ({holder}) is "
                               "writing it; wait for it to finish and try again") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        yield
    finally:
        handle.close()
