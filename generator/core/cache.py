"""The one cache folder: $CONFGEN_CACHE_DIR, else the user's cache folder for confgen.

Every cache lives in a named subfolder of it (`responses/`, `sources/`, `art/`,
`servers/`), so one variable moves them all and tests point it at a temp dir.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs


def cache_dir(*subfolders: str) -> Path:
    """Return the cache folder, or a subfolder of it (not created here)."""
    configured = os.environ.get("CONFGEN_CACHE_DIR")
    root = Path(configured) if configured else Path(platformdirs.user_cache_dir("confgen"))
    return root.joinpath(*subfolders)
