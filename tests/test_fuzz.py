"""Property-based tests: whatever the input, confgen gives a result or a clear error."""

from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.core.errors import ConfgenError
from generator.core.event import load_event, load_summary
from generator.core.models import Event
from generator.text.fonts import text_width
from generator.text.textfit import Font, Paragraph, fit, wrap

FUZZ = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])
text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=300)
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), text)
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(text, inner, max_size=4)), max_leaves=12)
PAPER_KEYS = list(Event.model_fields["papers"].annotation.__args__[0].model_fields)
paper = st.dictionaries(st.sampled_from(PAPER_KEYS + ["bogus"]), values, max_size=8)
event = st.fixed_dictionaries(
    {"name": values, "papers": st.one_of(values, st.lists(paper, max_size=4))},
    optional={key: values for key in ("dates", "stats", "trends", "talks", "other_papers")})


def _write(path: Path, content: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")
    return path


def _loads_or_explains(call) -> None:
    try:
        call()
    except ConfgenError as exc:
        assert exc.problems and all(p.message for p in exc.problems)


@FUZZ
@given(data=event)
def test_any_event_mapping_loads_or_gives_located_problems(tmp_path_factory, data):
    root = tmp_path_factory.mktemp("event")
    _write(root / "event.yaml", yaml.safe_dump(data, allow_unicode=True))
    _loads_or_explains(lambda: load_event(root))


@FUZZ
@given(raw=text)
def test_any_text_as_event_file_loads_or_gives_a_clear_error(tmp_path_factory, raw):
    root = tmp_path_factory.mktemp("event")
    _write(root / "event.yaml", raw)
    _loads_or_explains(lambda: load_event(root))


@FUZZ
@given(data=st.dictionaries(st.sampled_from(["id", "status", "tldr", "what_was_done",
                                             "key_points", "comic", "provenance", "x"]),
                            values, max_size=8))
def test_any_summary_file_loads_or_gives_problems(tmp_path_factory, data):
    path = _write(tmp_path_factory.mktemp("s") / "paper.yaml", yaml.safe_dump(data))
    summary, problems = load_summary(path)
    assert (summary is None) == bool(problems)


@FUZZ
@given(content=text, width=st.floats(min_value=20, max_value=800))
def test_wrapped_lines_never_exceed_the_width(content, width):
    font = Font("Inter")
    for line in wrap(content, width, 12, font):
        assert text_width(line, 12, "Inter") <= width or len(line) == 1


@FUZZ
@given(content=text, height=st.floats(min_value=5, max_value=400))
def test_fit_returns_a_layout_that_fits_or_none(content, height):
    result = fit([Paragraph(content)], 300, height, Font("Inter"), floor=8, ceiling=24)
    assert result is None or result.height <= height


def test_control_characters_are_stripped_from_event_text(tmp_path):
    _write(tmp_path / "event.yaml", 'name: "A\\x07B\\x1bC"\npapers:\n  - title: "T\\x00itle"\n')
    event = load_event(tmp_path)
    assert event.name == "ABC" and event.papers[0].title == "Title"
