"""Golden PNGs of the example's panels, compared with a pixel tolerance.

Every example paper as a newsletter comic, and one paper in every layout and size
preset, rendered at half scale to keep the files small. After an intended change to the
panels or to the example, look at the new images and regenerate them with:

    python -m tests.test_panel_golden
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from generator.core.event import open_event
from generator.render.panels.layout import size_presets
from generator.render.panels.panel import png_bytes, render_panel
from generator.render.theme import load_theme

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "summaries" / "neurips-2025"
GOLDEN = ROOT / "tests" / "golden" / "panels"
SCALE = 0.5
SHOWCASE = "gated-attention"  # the paper drawn in every layout and size
# A pixel counts as changed past this difference (0–255, the largest channel); a panel
# matches when few pixels changed: anti-aliasing may differ between FreeType builds.
PIXEL_THRESHOLD = 64
MAX_CHANGED = 0.005


def cases() -> list[tuple[str, str, str]]:
    """Return (paper id, layout, size preset) for every golden image."""
    if not (EXAMPLE / "event.yaml").is_file():
        return []
    ids = [paper.key for paper in open_event(EXAMPLE).papers]
    found = [(pid, "comic", "newsletter") for pid in ids]
    showcase = SHOWCASE if SHOWCASE in ids else ids[0]
    found += [(showcase, layout, preset) for layout in ("comic", "explainer", "card")
              for preset in size_presets() if (layout, preset) != ("comic", "newsletter")]
    return found


def golden_path(pid: str, layout: str, preset: str) -> Path:
    return GOLDEN / f"{layout}-{preset}-{pid}.png"


def render(folder, pid: str, layout: str, preset: str) -> Image.Image:
    paper = next(p for p in folder.papers if p.key == pid)
    return render_panel(folder.event, paper, folder.summaries[pid], load_theme("light"),
                        layout, size_presets()[preset], scale=SCALE)


def changed_fraction(a: Image.Image, b: Image.Image) -> float:
    """Return the fraction of pixels whose largest channel differs past the threshold."""
    diff = ImageChops.difference(a.convert("RGB"), b.convert("RGB"))
    largest = ImageChops.lighter(ImageChops.lighter(*diff.split()[:2]), diff.split()[2])
    histogram = largest.histogram()
    return sum(histogram[PIXEL_THRESHOLD + 1:]) / (a.width * a.height)


@pytest.fixture(scope="module")
def example():
    return open_event(EXAMPLE)


@pytest.mark.skipif(not cases(), reason="the example event is not there")
@pytest.mark.parametrize(("pid", "layout", "preset"), cases())
def test_panel_matches_its_golden_image(example, pid, layout, preset):
    path = golden_path(pid, layout, preset)
    assert path.is_file(), f"no golden image {path.name}; run `python -m tests.test_panel_golden`"
    image = render(example, pid, layout, preset)
    with Image.open(path) as golden:
        assert golden.size == image.size
        changed = changed_fraction(golden, image)
    assert changed <= MAX_CHANGED, (
        f"{path.name}: {changed:.2%} of pixels changed; if intended, look at the panels and "
        "run `python -m tests.test_panel_golden`")


def test_changed_fraction_sees_a_changed_panel():
    base = Image.new("RGB", (100, 100), "white")
    marked = base.copy()
    marked.paste((0, 0, 0), (0, 0, 10, 10))
    assert changed_fraction(base, base) == 0
    assert changed_fraction(base, marked) == pytest.approx(0.01)


def regenerate() -> list[Path]:
    """Render every golden image again and remove those no longer used."""
    from generator.core.yamlio import write_atomic

    folder = open_event(EXAMPLE)
    written = []
    for pid, layout, preset in cases():
        path = golden_path(pid, layout, preset)
        write_atomic(path, png_bytes(render(folder, pid, layout, preset)))
        written.append(path)
    for stale in set(GOLDEN.glob("*.png")) - set(written):
        stale.unlink()
    return written


if __name__ == "__main__":
    paths = regenerate()
    print(f"wrote {len(paths)} golden panels to {GOLDEN.relative_to(ROOT)}", file=sys.stderr)
