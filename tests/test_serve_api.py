"""The review page's JSON API and its guard, through Starlette's test client."""

from __future__ import annotations

import io
import stat
from pathlib import Path

import pytest
import yaml
from PIL import Image
from starlette.testclient import TestClient

from generator.core.event import load_summary
from generator.core.models import LIMITS
from generator.core.store import HEADER
from generator.incremental import event_lock
from generator.serve import Reviewer, create_app
from tests.factories import drafted, paper, run_cli, write_event

TOKEN = "test-token-0123456789"
XSS = '<img src=x onerror="document.title=1">'


@pytest.fixture
def event(tmp_path: Path) -> Path:
    """Three papers: one drafted, one with a hostile title (drafted), one not drafted yet."""
    root = write_event(tmp_path / "conf", [
        paper(id="gated"),
        paper(XSS, id="hostile", arxiv="2501.00001", topic="Safety"),
        paper("A Paper Without A Draft", id="pending", arxiv="2501.00002"),
    ])
    drafted(root)
    (root / "pending.yaml").unlink()
    return root


@pytest.fixture
def client(event: Path) -> TestClient:
    app = create_app(Reviewer(event, "offline"), TOKEN, ["testserver"], cookie="token-test")
    return TestClient(app, headers={"Authorization": f"Bearer {TOKEN}"})


def edited(client: TestClient, paper_id: str = "gated", **changes) -> dict:
    """Return the paper's current summary as the page sends it, with `changes` applied."""
    summary = client.get(f"/api/papers/{paper_id}").json()["summary"]
    return {**summary, **changes}


def put(client: TestClient, body: dict, paper_id: str = "gated", **kwargs):
    return client.put(f"/api/papers/{paper_id}/summary", json=body, **kwargs)


class DescribeReading:
    def it_lists_every_paper_with_its_status_topic_and_warnings(self, client):
        papers = {p["id"]: p for p in client.get("/api/papers").json()["papers"]}
        assert list(papers) == ["gated", "hostile", "pending"]
        assert papers["gated"]["status"] == "draft"
        assert papers["pending"]["status"] == "missing"
        assert papers["hostile"]["topic"] == "Safety"
        assert papers["gated"]["warnings"] == []

    def it_reads_a_paper_with_its_source_highlighted_and_its_summary(self, client):
        data = client.get("/api/papers/gated").json()
        assert data["summary"]["id"] == "gated"
        assert data["limits"] == LIMITS == client.get("/api/limits").json()
        assert data["previous"] is None and data["next"] == "hostile"
        abstract = data["sources"][0]
        assert abstract["name"] == "Abstract"
        assert "".join(s["text"] for s in abstract["segments"]) == abstract["text"]
        numbers = {s["text"] for s in abstract["segments"] if "number" in s["kinds"]}
        assert {"30", "15B"} <= numbers
        assert all(t["grounded"] for t in data["terms"])

    def it_marks_numbers_the_source_lacks_as_ungrounded(self, client):
        body = edited(client, tldr="The gate improves accuracy by 99% over 30 variants.")
        terms = {t["text"]: t for t in put(client, body).json()["terms"]}
        assert terms["99%"]["grounded"] is False and terms["99%"]["found"] == 0
        assert terms["30"]["grounded"] is True
        assert any("99%" in w for w in client.get("/api/papers").json()["papers"][0]["warnings"])

    def it_renders_the_panel_from_the_current_summary(self, client):
        before = client.get("/api/papers/gated/panel.png")
        assert before.status_code == 200 and before.headers["content-type"] == "image/png"
        assert Image.open(io.BytesIO(before.content)).size == (600, 750)
        put(client, edited(client, tldr="A single sigmoid gate after attention."))
        assert client.get("/api/papers/gated/panel.png").content != before.content
        assert client.get("/api/papers/gated/panel.png?layout=card").status_code == 200
        assert client.get("/api/papers/gated/panel.png?layout=../x").status_code == 400


class DescribeEditing:
    def it_refuses_an_invalid_summary_with_field_errors_and_writes_nothing(self, client, event):
        before = (event / "gated.yaml").read_bytes()
        body = edited(client, tldr="word " * (LIMITS["tldr"] + 1), key_points=["one", "two"],
                      colour="blue")
        answer = put(client, body)
        assert answer.status_code == 422
        locations = {e["loc"] for e in answer.json()["errors"]}
        assert {"key_points", "colour"} <= locations
        assert (event / "gated.yaml").read_bytes() == before

    def it_refuses_fields_over_their_word_limit(self, client, event):
        before = (event / "gated.yaml").read_bytes()
        answer = put(client, edited(client, tldr="word " * (LIMITS["tldr"] + 1)))
        assert answer.status_code == 422
        assert answer.json()["errors"] == [
            {"loc": "tldr", "message": f"{LIMITS['tldr'] + 1} words, more than 30"}]
        assert (event / "gated.yaml").read_bytes() == before

    def it_saves_a_valid_summary_through_the_store(self, client, event):
        path = event / "gated.yaml"
        path.chmod(0o640)
        answer = put(client, edited(client, tldr="One gate after attention fixes the sink."))
        assert answer.status_code == 200
        summary, problems = load_summary(path)
        assert problems == [] and summary.tldr == "One gate after attention fixes the sink."
        assert summary.status == "draft" and summary.provenance.backend == "offline"
        text = path.read_text(encoding="utf-8")
        assert text.startswith(HEADER)
        assert list(yaml.safe_load(text))[:3] == ["id", "status", "tldr"]
        assert stat.S_IMODE(path.stat().st_mode) == 0o640

    def it_refuses_to_overwrite_a_file_changed_since_it_was_read(self, client, event):
        version = client.get("/api/papers/gated").json()["version"]
        body = edited(client, tldr="Mine.")
        put(client, edited(client, tldr="Someone else's edit."))
        answer = put(client, body, headers={"If-Match": version})
        assert answer.status_code == 409
        assert load_summary(event / "gated.yaml")[0].tldr == "Someone else's edit."

    def it_creates_a_summary_for_a_paper_without_one(self, client, event):
        body = edited(client)
        answer = put(client, body, paper_id="pending")
        assert answer.status_code == 200
        summary = load_summary(event / "pending.yaml")[0]
        assert summary.provenance.backend == "manual" and summary.status == "draft"

    def it_refuses_writes_while_a_build_holds_the_event_lock(self, client, event):
        before = (event / "gated.yaml").read_bytes()
        with event_lock(event):
            answer = put(client, edited(client, tldr="During a build."))
            assert client.post("/api/papers/gated/review").status_code == 423
        assert answer.status_code == 423 and "busy" in answer.json()["error"]
        assert (event / "gated.yaml").read_bytes() == before
        assert put(client, edited(client, tldr="After the build.")).status_code == 200


    def it_holds_the_event_lock_while_it_writes_so_a_build_waits(self, event, tmp_path, capsys):
        with Reviewer(event, "offline").writing("gated"):
            code, output = run_cli(capsys, "build", str(event), "--output", str(tmp_path / "o"))
        assert code == 2 and "busy" in output
        assert not (tmp_path / "o").exists()


class DescribeReviewAndRedraft:
    def it_marks_a_summary_reviewed_on_disk(self, client, event):
        assert client.post("/api/papers/gated/review").json()["status"] == "reviewed"
        assert load_summary(event / "gated.yaml")[0].status == "reviewed"
        assert client.post("/api/papers/pending/review").status_code == 409

    def it_keeps_a_reviewed_summary_unless_the_edit_saw_it(self, client, event):
        client.post("/api/papers/gated/review")
        data = client.get("/api/papers/gated").json()
        body = {**data["summary"], "tldr": "Edited after review."}
        assert put(client, body).status_code == 409
        assert put(client, body, headers={"If-Match": data["version"]}).status_code == 200
        summary = load_summary(event / "gated.yaml")[0]
        assert (summary.tldr, summary.status) == ("Edited after review.", "reviewed")

    def it_redrafts_a_draft_with_the_configured_backend(self, client, event):
        put(client, edited(client, tldr="Hand-written."))
        answer = client.post("/api/papers/gated/redraft")
        assert answer.status_code == 200
        summary = load_summary(event / "gated.yaml")[0]
        assert summary.tldr != "Hand-written." and summary.provenance.backend == "offline"

    def it_redrafts_a_reviewed_summary_only_when_forced(self, client, event):
        client.post("/api/papers/gated/review")
        before = (event / "gated.yaml").read_bytes()
        assert client.post("/api/papers/gated/redraft").status_code == 409
        assert (event / "gated.yaml").read_bytes() == before
        assert client.post("/api/papers/gated/redraft?force=1").json()["status"] == "draft"

    def it_drafts_a_missing_summary(self, client, event):
        assert client.post("/api/papers/pending/redraft").json()["status"] == "draft"
        assert load_summary(event / "pending.yaml")[1] == []


    def it_asks_before_replacing_a_file_that_does_not_load(self, client, event):
        (event / "gated.yaml").write_text("id: gated\nstatus: draft\ntldr: [unclosed\n",
                                          encoding="utf-8")
        data = client.get("/api/papers/gated").json()
        assert data["status"] == "invalid" and data["summary"] is None
        assert any("invalid YAML" in problem for problem in data["problems"])
        assert client.post("/api/papers/gated/redraft").status_code == 409
        assert client.post("/api/papers/gated/redraft?force=1").json()["status"] == "draft"


class DescribeTheGuard:
    def it_wants_the_token(self, event, client):
        bare = TestClient(client.app)
        assert bare.get("/api/papers").status_code == 401
        assert bare.get("/").status_code == 401
        wrong = {"Authorization": "Bearer nope"}
        assert bare.get("/api/papers", headers=wrong).status_code == 403
        assert bare.get("/?token=nope", follow_redirects=False).status_code == 403

    def it_exchanges_the_query_token_for_an_httponly_samesite_cookie(self, client):
        bare = TestClient(client.app)
        answer = bare.get(f"/papers/gated?token={TOKEN}", follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"] == "/papers/gated"
        cookie = answer.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=strict" in cookie
        assert bare.get("/api/papers").status_code == 200  # the cookie now

    def it_refuses_other_host_names(self, client):
        assert client.get("/api/papers", headers={"Host": "evil.example"}).status_code == 400
        assert client.get("/", headers={"Host": "127.0.0.1.evil.example"}).status_code == 400

    def it_answers_to_the_loopback_names_of_its_own_port(self, event):
        from generator.cli.serve import allowed_hosts

        app = create_app(Reviewer(event, "offline"), TOKEN, allowed_hosts("127.0.0.1", 8765))
        local = TestClient(app, base_url="http://127.0.0.1:8765",
                           headers={"Authorization": f"Bearer {TOKEN}"})
        for host, status in [("127.0.0.1:8765", 200), ("localhost:8765", 200),
                             ("[::1]:8765", 200), ("127.0.0.1:8766", 400),
                             ("evil.example:8765", 400), ("127.0.0.1", 400)]:
            assert local.get("/api/limits", headers={"Host": host}).status_code == status, host
        body = edited(local)
        assert put(local, body, headers={"Origin": "http://localhost:8765"}).status_code == 200
        assert put(local, body, headers={"Origin": "http://localhost:8766"}).status_code == 403

    def it_refuses_writes_from_other_origins(self, client, event):
        before = (event / "gated.yaml").read_bytes()
        body = edited(client, tldr="From elsewhere.")
        for headers in ({"Origin": "http://evil.example"}, {"Origin": "null"},
                        {"Sec-Fetch-Site": "cross-site"}):
            assert put(client, body, headers=headers).status_code == 403
            assert client.post("/api/papers/gated/review", headers=headers).status_code == 403
        assert (event / "gated.yaml").read_bytes() == before
        assert put(client, body, headers={"Origin": "http://testserver"}).status_code == 200

    @pytest.mark.parametrize("path", ["..%2Fevent", "..%2F..%2Fetc%2Fpasswd", "%2e%2e", "event",
                                      ".gated", "gated.yaml", "GATED"])
    def it_refuses_ids_that_are_not_papers(self, client, event, path):
        before = {p: p.read_bytes() for p in event.parent.rglob("*") if p.is_file()}
        assert client.get(f"/api/papers/{path}").status_code == 404
        assert client.get(f"/papers/{path}").status_code == 404
        assert put(client, edited(client), paper_id=path).status_code in (404, 405)
        assert client.post(f"/api/papers/{path}/redraft").status_code in (404, 405)
        assert {p: p.read_bytes() for p in event.parent.rglob("*") if p.is_file()} == before

    def it_limits_the_size_of_request_bodies(self, client, event):
        before = (event / "gated.yaml").read_bytes()
        body = edited(client, what_was_done="x" * 300_000)
        assert put(client, body).status_code == 413
        assert (event / "gated.yaml").read_bytes() == before

    def it_refuses_a_body_that_is_not_json(self, client):
        answer = client.put("/api/papers/gated/summary", content=b"{not json")
        assert answer.status_code == 400

    def it_sends_a_strict_content_security_policy(self, client):
        for path in ("/", "/papers/gated", "/api/papers", "/static/serve.js"):
            policy = client.get(path).headers["content-security-policy"]
            assert "script-src 'self'" in policy and "default-src 'none'" in policy
        page = client.get("/papers/gated").text
        assert "<script>" not in page and "onclick" not in page and "style=" not in page


class DescribeHostileText:
    def it_shows_a_hostile_title_as_text(self, client):
        for page in (client.get("/").text, client.get("/papers/hostile").text):
            assert "<img src=x" not in page
            assert "&lt;img src=x onerror=" in page

    def it_links_only_web_addresses(self, tmp_path):
        root = write_event(tmp_path / "links", [paper(links={"paper": "javascript:alert(1)"})])
        app = create_app(Reviewer(drafted(root).root, "offline"), TOKEN, ["testserver"])
        page = TestClient(app, headers={"Authorization": f"Bearer {TOKEN}"}).get(
            "/papers/2505.06708").text
        assert "javascript:alert(1)" in page and 'href="javascript:' not in page


def it_refuses_a_broken_event_before_opening_a_port(tmp_path, capsys):
    (tmp_path / "event.yaml").write_text("name: X\npapers: [{titel: Y}]\n", encoding="utf-8")
    code, output = run_cli(capsys, "serve", str(tmp_path))
    assert code == 2 and "event.yaml:2" in output and "http://" not in output


def it_refuses_a_backend_it_cannot_draft_with_before_opening_a_port(event, capsys):
    code, output = run_cli(capsys, "serve", str(event), "--backend", "openai")
    assert code == 2 and "model" in output and "http://" not in output


def it_says_so_when_the_port_is_taken(event, capsys):
    from generator.cli.serve import bind

    with bind("127.0.0.1", 0) as taken:
        port = taken.getsockname()[1]
        code, output = run_cli(capsys, "serve", str(event), "--port", str(port))
    assert code == 2 and f"cannot listen on 127.0.0.1:{port}" in output
