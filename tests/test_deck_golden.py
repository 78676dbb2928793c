"""The example deck, dumped as YAML, matches the reviewed copy in tests/golden/deck/.

After an intended change to the deck or the example, regenerate the copy with

    python -m tests.test_deck_golden

and review the diff like any other change.
"""

from __future__ import annotations

import difflib
import sys
from pathlib import Path

import pytest

from generator.core.event import open_event
from generator.core.yamlio import write_atomic
from generator.render.deck.build import render_deck
from generator.render.deck.dump import dump_deck
from generator.render.theme import load_theme

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "summaries" / "neurips-2025"
GOLDEN = ROOT / "tests" / "golden" / "deck" / "neurips-2025.yaml"
REGENERATE = "python -m tests.test_deck_golden"


def example_dump(out_dir: Path) -> str:
    """Render the example deck (light theme, no panels) and return its YAML dump."""
    deck = render_deck(open_event(EXAMPLE), out_dir / "deck.pptx", load_theme("light"))
    return dump_deck(deck)


@pytest.mark.skipif(not GOLDEN.exists(), reason=f"no golden dump yet; run {REGENERATE}")
def test_the_example_deck_matches_its_golden_dump(tmp_path):
    actual, expected = example_dump(tmp_path), GOLDEN.read_text(encoding="utf-8")
    diff = "".join(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True),
                                        "golden", "actual", n=2))
    assert not diff, f"the example deck changed; if intended, run {REGENERATE}\n{diff[:6000]}"


def test_the_dump_records_layout_titles_text_and_notes(tmp_path):
    text = example_dump(tmp_path)
    assert "layout: Title Only" in text
    assert "name: Title" in text and "notes: " in text
    assert "https://arxiv.org/abs/2505.06708" in text


def main() -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        write_atomic(GOLDEN, example_dump(Path(tmp)))
    print(f"wrote {GOLDEN.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
