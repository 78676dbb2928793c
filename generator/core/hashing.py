"""The one content hash: provenance, caches and build stamps all key on it.

Strings are hashed as their UTF-8 bytes (so a summary's `source_hash` stays stable
across versions); other values as canonical JSON; bytes as they are. Parts are
separated by a NUL byte, so ("ab", "c") and ("a", "bc") differ.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path


def content_hash(*parts: object, length: int = 16) -> str:
    """Return the first `length` hex digits of the SHA-256 of `parts`."""
    digest = hashlib.sha256()
    for part in parts:
        if isinstance(part, bytes):
            digest.update(part)
        elif isinstance(part, str):
            digest.update(part.encode("utf-8"))
        else:
            digest.update(json.dumps(part, sort_keys=True, default=str).encode())
        digest.update(b"\x00")
    return digest.hexdigest()[:length]


def file_hash(path: Path, length: int = 20) -> str:
    """Return the content hash of a file's bytes, or "-" when there is no such file."""
    return content_hash(path.read_bytes(), length=length) if path.is_file() else "-"
