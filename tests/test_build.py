"""`confgen build`: end to end, incremental, locked, and safe when interrupted."""

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from factories import paper, write_event
from PIL import Image
from pptx import Presentation

from generator.cli import main
from generator.core.yamlio import dump_yaml
from generator.incremental import event_lock


def build(capsys, *extra: str) -> tuple[int, list[str]]:
    code = main(["build", "neurips-2025", *extra])
    out = capsys.readouterr().out
    return code, [line.removeprefix("wrote ") for line in out.splitlines()
                  if line.startswith("wrote ")]


@pytest.fixture
def example(example_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(example_copy.parent.parent)
    return example_copy


class DescribeBuildingTheExample:
    def it_writes_deck_panels_and_newsletter(self, example, capsys):
        code, written = build(capsys)
        assert code == 0
        out = Path("output/neurips-2025")
        ids = [p.stem for p in example.glob("*.yaml") if p.name != "event.yaml"]
        assert sorted(written) == sorted(
            [str(out / "panels" / f"{i}.png") for i in ids] +
            [str(out / "deck.pptx"), str(out / "newsletter.md"), str(out / "newsletter.html")])
        assert len(Presentation(out / "deck.pptx").slides) > len(ids)
        with Image.open(out / "panels" / "gated-attention.png") as panel:
            assert panel.size == (1200, 1500)
        assert "Gated Attention" in (out / "newsletter.md").read_text()

    def it_rewrites_nothing_when_nothing_changed(self, example, capsys):
        build(capsys)
        before = {p: p.stat().st_mtime_ns for p in Path("output").rglob("*") if p.is_file()}
        code, written = build(capsys)
        assert code == 0 and written == []
        after = {p: p.stat().st_mtime_ns for p in Path("output").rglob("*") if p.is_file()}
        assert after == before

    def it_rerenders_only_the_edited_papers_panel_plus_deck_and_newsletter(self, example,
                                                                           capsys):
        build(capsys)
        path = example / "gated-attention.yaml"
        data = yaml.safe_load(path.read_text())
        data["tldr"] = "A gate after attention removes attention sinks."
        path.write_text(dump_yaml(data))
        code, written = build(capsys)
        out = Path("output/neurips-2025")
        assert code == 0
        assert sorted(written) == sorted([str(out / "panels/gated-attention.png"),
                                          str(out / "deck.pptx"), str(out / "newsletter.md"),
                                          str(out / "newsletter.html")])

    def it_rerenders_every_panel_when_the_theme_changes(self, example, capsys):
        build(capsys)
        _, written = build(capsys, "--theme", "dark")
        assert len([w for w in written if w.endswith(".png")]) == 8


def test_a_second_build_on_a_locked_event_is_refused(example, capsys):
    with event_lock(example):
        code = main(["build", "neurips-2025"])
    assert code == 2
    assert "is busy: another confgen run" in capsys.readouterr().err
    assert not Path("output").exists()


def test_build_drafts_missing_summaries_of_a_new_event(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    write_event(tmp_path / "summaries" / "new", [paper(), paper(title="Other", arxiv="2501.1")])
    assert main(["build", "new"]) == 0
    assert (tmp_path / "summaries/new/2505.06708.yaml").is_file()
    assert (tmp_path / "output/new/panels/2501.1.png").is_file()


def _many_papers_event(root: Path, count: int) -> Path:
    return write_event(root, [paper(title=f"Paper number {i}", id=f"p{i:03d}", arxiv=None)
                              for i in range(count)])


def _complete_png(path: Path) -> bool:
    with Image.open(path) as image:
        image.load()
    return True


def test_an_interrupted_build_leaves_every_written_file_intact(tmp_path):
    _many_papers_event(tmp_path / "summaries" / "big", 40)
    process = subprocess.Popen([sys.executable, "-m", "generator.cli", "build", "big"],
                               cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    panels = tmp_path / "output" / "big" / "panels"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list(panels.glob("*.png"))) < 3:
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    finished = list(panels.glob("*.png"))
    assert finished and all(_complete_png(p) for p in finished)
    summaries = list((tmp_path / "summaries" / "big").glob("p*.yaml"))
    assert len(summaries) == 40 and all(yaml.safe_load(p.read_text()) for p in summaries)
    result = subprocess.run([sys.executable, "-m", "generator.cli", "build", "big"],
                            cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert len(list(panels.glob("*.png"))) == 40
    assert not list((tmp_path / "output").rglob("*.confgen-tmp"))


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("mount"),
                    reason="a read-only bind mount needs root")
def test_a_read_only_output_folder_gives_a_clear_error_and_keeps_files(example, capsys):
    assert build(capsys)[0] == 0
    out = Path("output/neurips-2025").resolve()
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    (example / "gated-attention.yaml").write_text(
        (example / "gated-attention.yaml").read_text().replace("tldr:", "tldr: New.", 1))
    if subprocess.run(["mount", "--bind", str(out), str(out)], capture_output=True).returncode:
        pytest.skip("this machine does not allow bind mounts")
    try:
        subprocess.run(["mount", "-o", "remount,ro,bind", str(out)], check=True)
        code = main(["build", "neurips-2025"])
        err = capsys.readouterr().err
    finally:
        subprocess.run(["umount", str(out)], check=True)
    assert code == 2
    assert "cannot write: Read-only file system" in err and "Traceback" not in err
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
