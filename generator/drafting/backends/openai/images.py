"""Fetch comic-frame backdrops from the Images API (openai SDK) into the art cache.

This is the only network step of `--art openai`; it runs before rendering, and the
panel renderer reads only what it cached (see `generator.render.panel_art`).
"""

from __future__ import annotations

import base64
import io
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from ....core.art import art_file
from ....core.errors import ConfgenError
from ....core.event import EventFolder
from ....core.models import ComicFrame, Paper
from ....core.yamlio import write_atomic

ART_MODEL = "gpt-image-1"
ART_SIZE = "1024x1024"


def art_prompt(paper: Paper, frame: ComicFrame) -> str:
    """Return the Images API prompt for one frame's backdrop: a scene, no people, no text."""
    topic = f" in {paper.topic}" if paper.topic else ""
    return (f"A soft, friendly flat-colour illustration used as the background of a comic "
            f"frame about a research paper{topic}, titled \"{paper.title}\". The frame is "
            f"about: {frame.caption}. Simple shapes, pastel colours, plenty of calm empty "
            "space in the upper half. No people, no characters, no text, no letters.")


@dataclass
class ArtReport:
    """What `fetch_art` did: images fetched, found in the cache, and failures."""

    fetched: list[Path] = field(default_factory=list)
    cached: list[Path] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def fetch_art(folder: EventFolder, paper_ids: list[str] | None = None, model: str = ART_MODEL,
              client=None, on_done: Callable[[], None] | None = None) -> ArtReport:
    """Fetch the missing backdrops of the chosen papers' comics; return what happened.

    A failed image is reported and skipped (its frame is drawn without art); only a
    missing API key stops the run, before any request.
    """
    client = client or _client()
    report = ArtReport()
    for paper in folder.papers:
        summary = folder.summaries.get(paper.key)
        if summary is None or (paper_ids is not None and paper.key not in paper_ids):
            continue
        for index, frame in enumerate(summary.comic):
            path = art_file(paper, frame)
            if path.is_file():
                report.cached.append(path)
            else:
                _fetch_one(client, model, art_prompt(paper, frame), path,
                           f"{paper.key} comic[{index}]", report)
            if on_done:
                on_done()
    return report


def _client():
    import openai

    key = os.environ.get("OPENAI_API_KEY")
    if not key:
        raise ConfgenError("--art openai needs OPENAI_API_KEY (and OPENAI_BASE_URL for a "
                           "compatible server)")
    return openai.OpenAI(api_key=key, max_retries=2, timeout=120)


def _fetch_one(client, model: str, prompt: str, path: Path, where: str,
               report: ArtReport) -> None:
    import openai

    options = {"response_format": "b64_json"} if model.startswith("dall-e") else {}
    try:
        response = client.images.generate(model=model, prompt=prompt, size=ART_SIZE, n=1,
                                          **options)
        data = base64.b64decode(response.data[0].b64_json or "")
        with Image.open(io.BytesIO(data)) as image:
            png = io.BytesIO()
            image.convert("RGB").save(png, "PNG")
    except openai.OpenAIError as exc:
        report.failed.append(f"{where}: the Images API failed: {type(exc).__name__}")
        return
    except (OSError, ValueError, IndexError, UnidentifiedImageError, TypeError):
        report.failed.append(f"{where}: the Images API returned no usable image")
        return
    write_atomic(path, png.getvalue())
    report.fetched.append(path)
