"""Backdrops for comic frames (`--art openai`): the cache the renderer reads.

`generator.art.fetch_art` fills this cache through the Images API before rendering;
the renderer itself only reads cached files and never makes a request.

Images live under <cache>/art/<hash of model, size and prompt>.png, so panels still
build offline and a rebuild with the same prompts makes no request. Art is drawn as the
frame's backdrop, under the characters and bubbles. It is off by default.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import platformdirs
from PIL import Image, UnidentifiedImageError

from ...core.models import ComicFrame, Paper

ART_MODEL = "gpt-image-1"
ART_SIZE = "1024x1024"


def cache_root() -> Path:
    """Return CONFGEN_CACHE_DIR, else the user's cache directory for confgen."""
    configured = os.environ.get("CONFGEN_CACHE_DIR")
    return Path(configured) if configured else Path(platformdirs.user_cache_dir("confgen"))


def art_prompt(paper: Paper, frame: ComicFrame) -> str:
    """Return the Images API prompt for one frame's backdrop: a scene, no people, no text."""
    topic = f" in {paper.topic}" if paper.topic else ""
    return (f"A soft, friendly flat-colour illustration used as the background of a comic "
            f"frame about a research paper{topic}, titled \"{paper.title}\". The frame is "
            f"about: {frame.caption}. Simple shapes, pastel colours, plenty of calm empty "
            "space in the upper half. No people, no characters, no text, no letters.")


def art_path(prompt: str, model: str = ART_MODEL, size: str = ART_SIZE) -> Path:
    """Return the cache file of the image for `prompt` with this model and size."""
    key = hashlib.sha256(f"art-v1\n{model}\n{size}\n{prompt}".encode()).hexdigest()[:32]
    return cache_root() / "art" / key[:2] / f"{key}.png"


def cached_art(paper: Paper, frame: ComicFrame, model: str = ART_MODEL) -> Image.Image | None:
    """Return the cached backdrop for a frame, or None when it was never fetched."""
    path = art_path(art_prompt(paper, frame), model)
    try:
        with Image.open(path) as image:
            return image.convert("RGB")
    except (OSError, UnidentifiedImageError):
        return None
