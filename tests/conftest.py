import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "summaries" / "neurips-2025"


@pytest.fixture
def example_copy(tmp_path: Path) -> Path:
    """A private copy of the bundled example event, safe to modify."""
    target = tmp_path / "summaries" / EXAMPLE.name
    shutil.copytree(EXAMPLE, target)
    return target


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep caches and keys of the developer's machine out of every test."""
    monkeypatch.setenv("CONFGEN_CACHE_DIR", str(tmp_path / "cache"))
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "CONFGEN_MODEL"):
        monkeypatch.delenv(name, raising=False)
