"""The arXiv source: ids and URLs, Atom parsing, batching, throttling, retries, cache."""

from pathlib import Path

import platformdirs
import pytest
from source_server import DATA, serve

from generator.core.errors import ConfgenError
from generator.sources import http
from generator.sources.arxiv import ArxivClient, parse_arxiv_ref, parse_feed, to_found
from generator.text.latex import clean_latex

FEED = (DATA / "arxiv_feed.xml").read_bytes()


@pytest.fixture
def server(monkeypatch):
    with serve(monkeypatch) as running:
        yield running


@pytest.mark.parametrize(("text", "expected"), [
    ("2505.06708", "2505.06708"),
    ("2505.06708v2", "2505.06708v2"),
    ("arXiv:2411.04975", "2411.04975"),
    ("0704.0001", "0704.0001"),
    ("hep-th/9901001", "hep-th/9901001"),
    ("math.GT/0309136v1", "math.GT/0309136v1"),
    ("https://arxiv.org/abs/2505.06708v2", "2505.06708v2"),
    ("https://arxiv.org/pdf/2505.06708", "2505.06708"),
    ("https://arxiv.org/pdf/2505.06708v1.pdf", "2505.06708v1"),
    ("http://export.arxiv.org/abs/hep-th/9901001", "hep-th/9901001"),
    ("arxiv.org/abs/2503.14858", "2503.14858"),
])
def test_parse_arxiv_ref_accepts_ids_and_urls(text, expected):
    assert parse_arxiv_ref(text) == expected


@pytest.mark.parametrize("text", ["2505.0670", "25050.06708", "hello", "HEP-TH/9901001",
                                  "https://example.org/abs/2505.06708", "2505.06708v"])
def test_parse_arxiv_ref_rejects_other_text(text):
    assert parse_arxiv_ref(text) is None


def test_parse_feed_reads_every_field():
    entries = {e.base_id: e for e in parse_feed(FEED)}
    gated = entries["2505.06708"]
    assert gated.id == "2505.06708v3"
    assert gated.title.startswith("Gated Attention for Large Language Models: Non-linearity")
    assert gated.authors[:2] == ["Zihan Qiu", "Zekun Wang"] and len(gated.authors) == 13
    assert gated.categories == ["cs.CL", "cs.LG"]
    assert gated.published == "2025-05-10"
    assert gated.links == {"abs": "https://arxiv.org/abs/2505.06708",
                           "pdf": "https://arxiv.org/pdf/2505.06708v3"}
    assert "\n" not in gated.abstract and "  " not in gated.abstract


def test_parse_feed_cleans_latex_from_titles_authors_and_abstracts():
    toy = {e.base_id: e for e in parse_feed(FEED)}["2512.99901"]
    assert toy.title == "A Toy Study of Gated Linear Units with O(n) Memory"
    assert toy.authors == ["Jörg Müller", "Françoise Dupont"]
    assert "2.5× reduction" in toy.abstract and "no loss" in toy.abstract
    assert "https://example.org/glu" in toy.abstract
    assert not any(c in toy.abstract for c in "\\${}")


def test_parse_feed_keeps_old_style_ids():
    entry = {e.base_id: e for e in parse_feed(FEED)}["hep-th/9901001"]
    assert entry.id == "hep-th/9901001v1"
    assert to_found(entry).paper.key == "hep-th-9901001"


@pytest.mark.parametrize(("latex", "plain"), [
    (r"We use \emph{gated} \textbf{heads} and \texttt{code}", "We use gated heads and code"),
    (r"a $10\times$ speed-up at 95\% recall", "a 10× speed-up at 95% recall"),
    (r"$\alpha$-entmax with $\mathcal{O}(n^2)$ cost", "α-entmax with O(n²) cost"),
    (r"Schr\"{o}dinger, G\"odel, na\"{\i}ve, \v{S}koda", "Schrödinger, Gödel, naïve, Škoda"),
    ("two\n   lines  of\ttext", "two lines of text"),
    (r"``quoted'' -- dash --- em", "“quoted” – dash — em"),
    (r"see \cite{smith20} and \url{https://x.org}", "see and https://x.org"),
])
def test_clean_latex_keeps_words_and_numbers(latex, plain):
    assert clean_latex(latex) == plain


def test_fetch_asks_once_for_a_batch_of_ids(server):
    ids = ["2505.06708", "2411.04975v2", "hep-th/9901001", "2502.09992"]
    entries = ArxivClient().fetch(ids)
    assert set(entries) == set(ids)
    assert entries["2411.04975v2"].id == "2411.04975v2"
    assert server.count("arxiv") == 1
    assert server.requests[0].query["id_list"].split(",") == ids


def test_fetch_splits_long_lists_into_batches(server, monkeypatch):
    monkeypatch.setattr("generator.sources.arxiv.BATCH", 3)
    ids = ["2505.06708", "2411.04975", "2503.14858", "2504.13837", "2505.17638"]
    assert set(ArxivClient().fetch(ids)) == set(ids)
    assert [len(r.query["id_list"].split(",")) for r in server.requests] == [3, 2]


def test_fetch_names_every_unknown_id(server):
    with pytest.raises(ConfgenError) as error:
        ArxivClient().fetch(["2505.06708", "2501.99999", "2502.99998"])
    messages = [p.message for p in error.value.problems]
    assert messages == ["arXiv has no paper with id 2501.99999",
                        "arXiv has no paper with id 2502.99998"]


def test_fetch_reports_an_api_error_entry(server):
    with pytest.raises(ConfgenError, match="refused the request: incorrect id format for 1234"):
        ArxivClient().fetch(["1234"])


def test_fetch_retries_a_busy_server(server):
    server.fail_next("arxiv", 503, times=2)
    assert "2505.06708" in ArxivClient().fetch(["2505.06708"])
    assert server.count("arxiv") == 3


def test_fetch_gives_up_after_the_retries(server):
    server.fail_next("arxiv", 503, times=10)
    with pytest.raises(ConfgenError, match=r"answered 503 .*after 4 attempts.*try again later"):
        ArxivClient().fetch(["2505.06708"])
    assert server.count("arxiv") == 4


def test_fetch_does_not_retry_a_client_error(server):
    server.fail_next("arxiv", 400, b"bad request", times=5)
    with pytest.raises(ConfgenError, match="answered 400"):
        ArxivClient().fetch(["2505.06708"])
    assert server.count("arxiv") == 1


@pytest.mark.parametrize("body", [b"<feed><entry>", b"<html><body>Oops</body></html>",
                                  b"", b"\x00\x01 not xml"])
def test_fetch_reports_a_malformed_answer(server, body):
    server.fail_next("arxiv", 200, body, content_type="application/atom+xml")
    with pytest.raises(ConfgenError, match="sent a malformed answer"):
        ArxivClient().fetch(["2505.06708"])


def test_unreachable_server_is_a_clear_error(monkeypatch):
    with serve(monkeypatch) as running:
        url = running.url
    monkeypatch.setenv("CONFGEN_ARXIV_URL", f"{url}/arxiv/api/query")
    with pytest.raises(ConfgenError, match="could not be reached"):
        ArxivClient().fetch(["2505.06708"])


def test_answers_are_cached_on_disk(server, tmp_path):
    first = ArxivClient().fetch(["2505.06708", "2411.04975"])
    second = ArxivClient().fetch(["2505.06708", "2411.04975"])
    assert second == first
    assert server.count("arxiv") == 1
    assert list((tmp_path / "cache" / "sources" / "arxiv").rglob("*"))


def test_malformed_answers_are_not_cached(server):
    server.fail_next("arxiv", 200, b"<oops", content_type="application/atom+xml")
    with pytest.raises(ConfgenError):
        ArxivClient().fetch(["2505.06708"])
    assert "2505.06708" in ArxivClient().fetch(["2505.06708"])
    assert server.count("arxiv") == 2


def test_requests_keep_the_configured_interval(server, monkeypatch):
    clock, pauses = [100.0], []

    def sleep(seconds: float) -> None:  # a fake clock: time passes only when we wait
        pauses.append(seconds)
        clock[0] += seconds

    monkeypatch.setattr(http.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(http.time, "sleep", sleep)
    client = http.HttpClient("arxiv", interval=3.0, cache=None)
    arxiv = ArxivClient(http=client)
    arxiv.fetch(["2505.06708"])
    clock[0] += 1.0  # the caller works for a second before the next request
    arxiv.fetch(["2411.04975"])
    assert client.requests_made == 2 and pauses == [2.0]


def test_retries_back_off_and_keep_the_interval(server, monkeypatch):
    pauses = []
    monkeypatch.setattr(http.time, "sleep", pauses.append)
    server.fail_next("arxiv", 503, times=2)
    client = http.HttpClient("arxiv", interval=0.0, retry_delay=2.0, cache=None)
    ArxivClient(http=client).fetch(["2505.06708"])
    assert pauses == [2.0, 4.0] and client.requests_made == 3


def test_default_interval_is_three_seconds(monkeypatch):
    monkeypatch.delenv("CONFGEN_ARXIV_INTERVAL", raising=False)
    assert ArxivClient().http.interval == 3.0
    assert ArxivClient().base_url.startswith("https://")


def test_search_title_finds_the_paper(server):
    entry = ArxivClient().search_title("Vision transformers don't need trained registers")
    assert entry is not None and entry.base_id == "2506.08010"
    query = server.requests[0].query["search_query"]
    assert query == "ti:vision AND ti:transformers AND ti:don AND ti:need AND ti:trained AND " \
                    "ti:registers"


def test_search_title_returns_none_without_a_close_match(server):
    assert ArxivClient().search_title("Large Language Diffusion Models Revisited Again") is None
    assert ArxivClient().search_title("An Entirely Unknown Paper") is None


def test_to_found_keeps_the_id_as_requested():
    entry = {e.base_id: e for e in parse_feed(FEED)}["2505.06708"]
    assert to_found(entry).paper.arxiv == "2505.06708"
    versioned = to_found(entry, "2505.06708v2").paper
    assert versioned.arxiv == "2505.06708v2"
    assert versioned.links["pdf"] == "https://arxiv.org/pdf/2505.06708v2"


def test_cache_dir_defaults_to_the_user_cache(monkeypatch):
    monkeypatch.delenv("CONFGEN_CACHE_DIR")
    assert http.cache_dir() == Path(platformdirs.user_cache_dir("confgen")) / "sources"
