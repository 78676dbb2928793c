"""`confgen check` and `build` refuse a mistyped deck: or llm: section and warn about
summaries a reader would stumble over, before anything is rendered."""

from pathlib import Path

import yaml
from factories import drafted, paper, run_cli, write_event

from generator.core.yamlio import dump_yaml


def line_of(root: Path, text: str) -> int:
    lines = (root / "event.yaml").read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if text in line)


class DescribeSections:
    def it_reports_a_mistyped_deck_key_with_its_line_and_a_hint(self, tmp_path, capsys):
        root = write_event(tmp_path / "conf", deck={"sectons": ["title", "papers"]})
        code, out = run_cli(capsys, "check", str(root))
        assert code == 2
        assert f"event.yaml:{line_of(root, 'sectons')}: deck: unknown key 'sectons'; " \
               "did you mean 'sections'?" in out

    def it_reports_a_mistyped_llm_key_and_a_bad_value(self, tmp_path, capsys):
        root = write_event(tmp_path / "conf", llm={"modle": "gpt-4o-mini", "temperature": 9})
        code, out = run_cli(capsys, "check", str(root))
        assert code == 2
        assert f"event.yaml:{line_of(root, 'modle')}: llm: unknown key 'modle'; did you mean " \
               "'model'?" in out
        assert f"event.yaml:{line_of(root, 'temperature')}: llm.temperature:" in out

    def it_refuses_to_build_before_rendering_anything(self, tmp_path, capsys):
        root = write_event(tmp_path / "conf", deck={"sections": ["title", "paper"]})
        code, out = run_cli(capsys, "build", str(root), "--backend", "offline",
                            "--output", str(tmp_path / "out"))
        assert code == 2 and "did you mean 'papers'?" in out
        assert not (tmp_path / "out").exists()
        assert [p.name for p in root.glob("*.yaml")] == ["event.yaml"]  # nothing drafted

    def it_accepts_valid_sections(self, tmp_path, capsys):
        root = write_event(tmp_path / "conf", deck={"sections": ["title", "papers"]},
                           llm={"model": "gpt-4o-mini", "temperature": 0.2})
        drafted(root)
        code, out = run_cli(capsys, "check", str(root))
        assert code == 0, out


class DescribeSummaryWarnings:
    def edit(self, root: Path, key: str, **fields) -> None:
        path = root / f"{key}.yaml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data.update(fields)
        path.write_text(dump_yaml(data), encoding="utf-8")

    def it_warns_about_a_tldr_that_repeats_the_title_and_raw_latex(self, tmp_path, capsys):
        root = write_event(tmp_path / "conf", [paper("Gated Attention", id="gated")])
        drafted(root)
        self.edit(root, "gated", tldr="Gated attention.",
                  why_it_matters=r"It gives $O(\sqrt{n})$ regret \cite{smith}.")
        code, out = run_cli(capsys, "check", str(root))
        assert code == 0
        assert "gated.yaml: tldr: only repeats the title" in out
        assert "gated.yaml: why_it_matters: raw LaTeX" in out

    def it_warns_about_a_summary_of_a_paper_without_text(self, tmp_path, capsys):
        root = write_event(tmp_path / "conf", [paper("Gated Attention", id="gated")])
        drafted(root)
        event = yaml.safe_load((root / "event.yaml").read_text(encoding="utf-8"))
        del event["papers"][0]["abstract"]
        (root / "event.yaml").write_text(yaml.safe_dump(event), encoding="utf-8")
        code, out = run_cli(capsys, "check", str(root))
        assert "gated.yaml: drafted from an empty source" in out
