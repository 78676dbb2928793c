"""Bad input gets a clear error: file, line and what is wrong; exit 2; nothing written."""

import subprocess
import sys
from pathlib import Path

import pytest
from factories import drafted, files_under, paper, run_cli, write_event


@pytest.fixture
def event_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path / "summaries" / "conf"


class DescribeMalformedEventFile:
    def it_reports_a_yaml_syntax_error_with_its_line(self, event_dir, capsys):
        write_event(event_dir)
        text = (event_dir / "event.yaml").read_text()
        (event_dir / "event.yaml").write_text(text + "papers: [unclosed\n  - x: : y\n")
        code, out = run_cli(capsys, "summarize", "conf")
        assert code == 2
        assert "event.yaml:" in out and "invalid YAML" in out
        assert "Traceback" not in out
        assert not list(event_dir.glob("*.yaml"))[1:]  # only event.yaml

    def it_reports_a_duplicate_key(self, event_dir, capsys):
        event_dir.mkdir(parents=True)
        (event_dir / "event.yaml").write_text("name: A\nname: B\npapers:\n  - title: T\n")
        code, out = run_cli(capsys, "check", "conf")
        assert code == 2
        assert "event.yaml:2" in out and "duplicate key 'name'" in out

    def it_reports_a_top_level_list(self, event_dir, capsys):
        event_dir.mkdir(parents=True)
        (event_dir / "event.yaml").write_text("- just\n- a list\n")
        code, out = run_cli(capsys, "check", "conf")
        assert code == 2 and "expected a mapping" in out


class DescribeInvalidPapers:
    def it_names_the_line_of_a_paper_without_a_title(self, event_dir, capsys):
        write_event(event_dir, [paper(), {"authors": ["A. Person"], "abstract": "We study."}])
        code, out = run_cli(capsys, "summarize", "conf")
        assert code == 2
        line = _line_of(event_dir / "event.yaml", "- authors:")
        assert f"event.yaml:{line}: papers.1.title: required key is missing" in out
        assert not (event_dir / "2505.06708.yaml").exists()

    def it_suggests_the_key_meant_by_a_typo(self, event_dir, capsys):
        write_event(event_dir, [paper(abstrct="typo")])
        code, out = run_cli(capsys, "check", "conf")
        line = _line_of(event_dir / "event.yaml", "abstrct:")
        assert code == 2
        assert f"event.yaml:{line}: unknown key 'abstrct'; did you mean 'abstract'?" in out

    def it_rejects_an_unknown_top_level_key(self, event_dir, capsys):
        write_event(event_dir, trendz=["x"])
        code, out = run_cli(capsys, "check", "conf")
        assert code == 2 and "unknown key 'trendz'; did you mean 'trends'?" in out

    def it_rejects_duplicate_ids(self, event_dir, capsys):
        write_event(event_dir, [paper(), paper(title="Another title")])
        code, out = run_cli(capsys, "summarize", "conf")
        assert code == 2 and "duplicate paper id '2505.06708'" in out
        assert sorted(p.name for p in event_dir.iterdir()) == ["event.yaml"]

    @pytest.mark.parametrize("bad_id", ["../x", "a/b", ".hidden", "x" * 101, "semi;colon"])
    def it_rejects_ids_that_are_not_safe_file_names(self, event_dir, capsys, bad_id):
        write_event(event_dir, [paper(id=bad_id)])
        code, out = run_cli(capsys, "summarize", "conf")
        assert code == 2 and "is not a safe file name" in out
        assert sorted(p.name for p in event_dir.parent.rglob("*") if p.is_file()) == [
            "event.yaml"]

    def it_rejects_a_figure_outside_the_event_folder(self, event_dir, capsys):
        write_event(event_dir, [paper(figure="../../etc/passwd")])
        code, out = run_cli(capsys, "check", "conf")
        assert code == 2 and "must be a path inside the event folder" in out

    def it_reports_every_problem_at_once(self, event_dir, capsys):
        write_event(event_dir, [{"authors": []}, paper(id="../x"), paper(venu="x")])
        code, out = run_cli(capsys, "check", "conf")
        assert code == 2
        assert out.count("error:") == 3


class DescribeBrokenSummaries:
    def it_refuses_to_render_from_an_invalid_summary_and_writes_nothing(self, event_dir,
                                                                        capsys, tmp_path):
        write_event(event_dir)
        drafted(event_dir)
        summary = event_dir / "2505.06708.yaml"
        summary.write_text(summary.read_text().replace("status: draft", "status: done"))
        code, out = run_cli(capsys, "newsletter", "conf")
        assert code == 2
        assert "2505.06708.yaml:" in out and "status" in out
        assert not (tmp_path / "output").exists()

    def it_keeps_earlier_outputs_when_a_later_run_fails(self, event_dir, capsys, tmp_path):
        write_event(event_dir)
        drafted(event_dir)
        assert run_cli(capsys, "newsletter", "conf")[0] == 0
        before = files_under(tmp_path / "output")
        (event_dir / "event.yaml").write_text("name: [broken\n")
        assert run_cli(capsys, "newsletter", "conf")[0] == 2
        assert files_under(tmp_path / "output") == before


def test_a_missing_event_is_a_clear_error(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    code, out = run_cli(capsys, "build", "nowhere")
    assert code == 2 and "no event found" in out


def test_the_installed_command_exits_2_without_a_traceback(event_dir):
    write_event(event_dir, [paper(id="../x")])
    result = subprocess.run([sys.executable, "-m", "generator.cli", "summarize", "conf"],
                            capture_output=True, text=True, cwd=event_dir.parent.parent)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "event.yaml:" in result.stderr


def _line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


class DescribeFigures:
    def it_rejects_a_file_that_is_not_an_image(self, event_dir, capsys):
        write_event(event_dir, [paper(figure="fig.png")])
        (event_dir / "fig.png").write_text("not a png")
        code, out = run_cli(capsys, "check", "conf")
        assert code == 2 and "fig.png': not an image confgen can read" in out

    def it_rejects_a_decompression_bomb(self, event_dir, capsys):
        from PIL import Image

        write_event(event_dir, [paper(figure="bomb.png")])
        Image.new("1", (10_000, 10_000)).save(event_dir / "bomb.png")  # 100 Mpx, tiny file
        code, out = run_cli(capsys, "check", "conf")
        assert code == 2
        assert "too many pixels" in out or "10000x10000 pixels; the limit" in out

    def it_rejects_a_huge_file(self, event_dir, capsys, monkeypatch):
        import generator.core.images

        monkeypatch.setattr(generator.core.images, "MAX_FILE_BYTES", 2_000_000)
        write_event(event_dir, [paper(figure="big.png")])
        (event_dir / "big.png").write_bytes(b"\x89PNG" + b"0" * 3_000_000)
        code, out = run_cli(capsys, "check", "conf")
        assert code == 2 and "image is 3 MB; the limit is 2 MB" in out
