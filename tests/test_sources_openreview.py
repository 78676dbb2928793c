"""The OpenReview source: API v2 notes, unwrapped content, venue and award, login."""

import pytest
from source_server import PASSWORD, TOKEN, USERNAME, serve

from generator.core.errors import ConfgenError
from generator.sources.openreview import (
    OpenReviewClient,
    area_topic,
    looks_like_note_id,
    note_to_found,
    parse_openreview_ref,
    split_venue,
    unwrap,
)


@pytest.fixture
def server(monkeypatch):
    with serve(monkeypatch) as running:
        yield running


@pytest.mark.parametrize(("venue", "expected"), [
    ("NeurIPS 2025 oral", ("NeurIPS 2025", "Oral")),
    ("NeurIPS 2025 spotlight", ("NeurIPS 2025", "Spotlight")),
    ("NeurIPS 2025 poster", ("NeurIPS 2025", "")),
    ("ICLR 2025 (Oral)", ("ICLR 2025", "Oral")),
    ("ICLR 2023 notable top 5%", ("ICLR 2023", "Notable Top 5%")),
    ("NeurIPS 2025 outstanding paper", ("NeurIPS 2025", "Outstanding Paper")),
    ("Submitted to ICLR 2026", ("Submitted to ICLR 2026", "")),
    ("", ("", "")),
])
def test_split_venue_separates_the_award(venue, expected):
    assert split_venue(venue) == expected


@pytest.mark.parametrize(("area", "topic"), [
    ("reinforcement_learning", "Reinforcement learning"),
    ("alignment_fairness_safety_privacy_and_societal_considerations",
     "Alignment, fairness, safety, privacy and societal considerations"),
    ("social_and_economic_aspects_of_machine_learning",
     "Social and economic aspects of machine learning"),
    ("learning_on_graphs_and_other_geometries", "Learning on graphs and other geometries"),
    ("Deep learning (e.g., architectures, generative models)", "Deep learning"),
    ("[Content] Multimodal Fusion", "[Content] Multimodal Fusion"),
])
def test_a_primary_area_reads_as_a_topic(area, topic):
    assert area_topic(area) == topic


def test_unwrap_removes_v2_value_wrappers_and_keeps_plain_values():
    content = {"title": {"value": "T"}, "authors": {"value": ["A", "B"]}, "venue": "V1 style",
               "pdf": {"value": "/pdf/x.pdf", "readers": ["everyone"]}}
    assert unwrap(content) == {"title": "T", "authors": ["A", "B"], "venue": "V1 style",
                               "pdf": "/pdf/x.pdf"}


@pytest.mark.parametrize(("text", "expected"), [
    ("https://openreview.net/forum?id=s0JVsx3bx1", "s0JVsx3bx1"),
    ("https://openreview.net/pdf?id=EoebmBe9fG", "EoebmBe9fG"),
    ("openreview.net/forum?id=EoebmBe9fG&noteId=abc", "EoebmBe9fG"),
    ("openreview:s0JVsx3bx1", "s0JVsx3bx1"),
    ("https://example.org/forum?id=s0JVsx3bx1", None),
    ("https://openreview.net/group?id=NeurIPS.cc/2025/Conference", None),
])
def test_parse_openreview_ref(text, expected):
    assert parse_openreview_ref(text) == expected


def test_bare_note_ids_are_recognised_but_plain_words_are_not():
    assert looks_like_note_id("s0JVsx3bx1") and looks_like_note_id("EoebmBe9fG")
    assert not looks_like_note_id("Attentions") and not looks_like_note_id("2505.06708")


def test_fetch_reads_an_oral_paper(server):
    found = OpenReviewClient().fetch(["s0JVsx3bx1"])["s0JVsx3bx1"]
    paper = found.paper
    assert paper.title.startswith("1000 Layer Networks for Self-Supervised RL")
    assert paper.authors[0] == "Kevin Wang" and "Michał Bortkiewicz" in paper.authors
    assert (paper.venue, paper.award) == ("NeurIPS 2025", "Oral")
    assert paper.abstract.startswith("Reinforcement learning agents usually use shallow networks")
    assert paper.links == {"openreview": "https://openreview.net/forum?id=s0JVsx3bx1",
                           "pdf": "https://openreview.net/pdf?id=s0JVsx3bx1"}
    assert paper.url == "https://openreview.net/forum?id=s0JVsx3bx1"
    assert found.origin == "openreview"


def test_fetch_names_every_unknown_note(server):
    with pytest.raises(ConfgenError) as error:
        OpenReviewClient().fetch(["s0JVsx3bx1", "NoSuchNote", "AlsoMissin"])
    assert [p.message for p in error.value.problems] == [
        "OpenReview has no note with id NoSuchNote", "OpenReview has no note with id AlsoMissin"]


def test_fetch_treats_an_empty_notes_list_as_unknown(server):
    server.fail_next("openreview", 200, b'{"notes": [], "count": 0}',
                     content_type="application/json")
    with pytest.raises(ConfgenError, match="no note with id s0JVsx3bx1"):
        OpenReviewClient().fetch(["s0JVsx3bx1"])


def test_hidden_notes_need_credentials(server):
    with pytest.raises(ConfgenError, match="not public; set OPENREVIEW_USERNAME"):
        OpenReviewClient().fetch(["HiddenN0te"])
    assert not any(r.path.endswith("/login") for r in server.requests)


def test_credentials_from_the_environment_log_in_once(server, monkeypatch):
    monkeypatch.setenv("OPENREVIEW_USERNAME", USERNAME)
    monkeypatch.setenv("OPENREVIEW_PASSWORD", PASSWORD)
    found = OpenReviewClient().fetch(["HiddenN0te", "s0JVsx3bx1"])
    assert found["HiddenN0te"].paper.venue == "Submitted to ICLR 2026"
    assert found["HiddenN0te"].paper.award == ""
    logins = [r for r in server.requests if r.path.endswith("/login")]
    assert len(logins) == 1
    notes = [r for r in server.requests if r.path.endswith("/notes")]
    assert all(r.headers.get("Authorization") == f"Bearer {TOKEN}" for r in notes)


def test_wrong_credentials_are_a_clear_error(server, monkeypatch):
    monkeypatch.setenv("OPENREVIEW_USERNAME", USERNAME)
    monkeypatch.setenv("OPENREVIEW_PASSWORD", "wrong")
    with pytest.raises(ConfgenError, match="login failed for reviewer@example.org: Invalid "
                                           "username or password"):
        OpenReviewClient().fetch(["s0JVsx3bx1"])


def test_a_busy_server_is_retried_then_reported(server):
    server.fail_next("openreview", 503, times=2)
    assert "s0JVsx3bx1" in OpenReviewClient().fetch(["s0JVsx3bx1"])
    server.fail_next("openreview", 503, times=10)
    with pytest.raises(ConfgenError, match="answered 503 .*try again later"):
        OpenReviewClient().fetch(["EoebmBe9fG"])


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]", b'{"notes": "x"}',
                                  b'{"notes": [{"content": []}]}'])
def test_malformed_json_is_a_clear_error(server, body):
    server.fail_next("openreview", 200, body, content_type="application/json")
    with pytest.raises(ConfgenError, match="sent a malformed answer"):
        OpenReviewClient().fetch(["s0JVsx3bx1"])


def test_note_without_title_is_an_error():
    with pytest.raises(ConfgenError, match="has no title"):
        note_to_found({"id": "abcdefghij", "content": {"title": {"value": ""}}})


def test_note_with_arxiv_link_keeps_the_arxiv_id():
    note = {"id": "abcdefgh12", "content": {"title": {"value": "T"},
                                             "html": {"value": "https://arxiv.org/abs/2505.06708"}}}
    assert note_to_found(note).paper.arxiv == "2505.06708"
