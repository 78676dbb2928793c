"""The art cache: backdrops for comic frames (`--art openai`), shared by fetcher and renderer.

The Images API fetcher (`generator.drafting.backends.openai.images`) fills this cache
before rendering; the panel renderer only reads it and never makes a request, so panels
still build offline. A backdrop is keyed by what it illustrates (the paper's title and
topic and the frame's caption), so a rebuild with the same comic makes no request.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, UnidentifiedImageError

from .cache import cache_dir
from .hashing import content_hash
from .models import ComicFrame, Paper


def art_file(paper: Paper, frame: ComicFrame) -> Path:
    """Return the cache file of the backdrop for one comic frame of `paper`."""
    key = content_hash("art-v2", paper.title, paper.topic or "", frame.caption, length=32)
    return cache_dir("art", key[:2]) / f"{key}.png"


def cached_art(paper: Paper, frame: ComicFrame) -> Image.Image | None:
    """Return the cached backdrop for a frame, or None when it was never fetched."""
    try:
        with Image.open(art_file(paper, frame)) as image:
            return image.convert("RGB")
    except (OSError, UnidentifiedImageError):
        return None
