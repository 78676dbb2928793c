"""A local stand-in for the arXiv and OpenReview APIs, serving their real formats.

`serve(monkeypatch)` starts it on 127.0.0.1 and points confgen's clients at it through
the environment (with no throttle and no retry pause, so tests do not wait). It answers
arXiv `id_list` and `ti:` queries with Atom built from `data/sources/arxiv_feed.xml`, and
OpenReview v2 `/notes` and `/login` from `data/sources/openreview_notes.json`, and
`/notes?content.venueid=V&offset=O&limit=L` from `venue_notes` (a generated venue, see
`venue.py`) one page at a time, at most 1,000 notes per page as API v2 does; and
arXiv's files host (`/files/e-print/<id>`, `/files/pdf/<id>`) from `files`, which tests
fill with archives and PDFs they build (`paper_files.py`). Tests
script faults with `fail_next(service, status | body, times)` and read `requests`.
"""

from __future__ import annotations

import json
import re
import threading
import unicodedata
import urllib.parse
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

DATA = Path(__file__).parent / "data" / "sources"
ATOM = "http://www.w3.org/2005/Atom"
USERNAME, PASSWORD, TOKEN = "reviewer@example.org", "s3cret", "test-token-123"
ET.register_namespace("", ATOM)
ET.register_namespace("arxiv", "http://arxiv.org/schemas/atom")
ET.register_namespace("opensearch", "http://a9.com/-/spec/opensearch/1.1/")


@dataclass
class Fault:
    status: int = 503
    body: bytes = b"Service Unavailable"
    content_type: str = "text/plain"


@dataclass
class Request:
    service: str
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes = b""


@dataclass
class SourceServer:
    """The server's state: its fixtures, scripted faults and the requests it saw."""

    url: str = ""
    entries: dict[str, ET.Element] = field(default_factory=dict)
    notes: dict[str, dict] = field(default_factory=dict)
    private_notes: dict[str, dict] = field(default_factory=dict)
    venue_notes: list[dict] = field(default_factory=list)
    faults: dict[str, list[Fault]] = field(default_factory=lambda: {"arxiv": [], "openreview": [],
                                                                     "files": []})
    # arXiv's files host: (kind, id) -> body, kind "e-print" or "pdf"; others answer 404
    files: dict[tuple[str, str], bytes] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)

    def fail_next(self, service: str, status: int = 503, body: bytes | None = None,
                  times: int = 1, content_type: str = "text/plain") -> None:
        """Answer the next `times` requests to `service` with `status` and `body`."""
        fault = Fault(status, body if body is not None else b"Service Unavailable", content_type)
        self.faults[service] += [fault] * times

    def count(self, service: str) -> int:
        return sum(1 for r in self.requests if r.service == service)

    def load(self) -> None:
        feed = ET.parse(DATA / "arxiv_feed.xml").getroot()
        for entry in feed.findall(f"{{{ATOM}}}entry"):
            versioned = entry.findtext(f"{{{ATOM}}}id").rsplit("/abs/", 1)[1]
            self.entries[re.sub(r"v\d+$", "", versioned)] = entry
        fixtures = json.loads((DATA / "openreview_notes.json").read_text(encoding="utf-8"))
        self.notes = {n["id"]: n for n in fixtures["notes"]}
        self.private_notes = {n["id"]: n for n in fixtures["private_notes"]}


def _words(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(re.findall(r"[a-z0-9]+", ascii_text.lower()))


class _Handler(BaseHTTPRequestHandler):
    server_state: SourceServer

    def log_message(self, *args) -> None:  # keep test output clean
        pass

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def _dispatch(self, method: str) -> None:
        url = urllib.parse.urlsplit(self.path)
        service = url.path.strip("/").split("/")[0]
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        query = {k: v[0] for k, v in urllib.parse.parse_qs(url.query).items()}
        state = self.server_state
        state.requests.append(Request(service, method, url.path, query, dict(self.headers), body))
        if state.faults.get(service):
            fault = state.faults[service].pop(0)
            return self._send(fault.status, fault.body, fault.content_type)
        if url.path == "/arxiv/api/query":
            return self._send(200, self._arxiv(query), "application/atom+xml; charset=utf-8")
        if url.path == "/openreview/notes" and "content.venueid" in query:
            return self._venue(query)
        if service == "files":
            return self._file(url.path)
        if url.path == "/openreview/notes":
            return self._notes(query.get("id", ""))
        if url.path == "/openreview/login" and method == "POST":
            return self._login(body)
        self._send(404, b"not found")

    def _arxiv(self, query: dict[str, str]) -> bytes:
        feed = ET.Element(f"{{{ATOM}}}feed")
        ET.SubElement(feed, f"{{{ATOM}}}title").text = "ArXiv Query"
        if "id_list" in query:
            for wanted in query["id_list"].split(","):
                feed.append(self._entry_for(wanted))
        else:
            words = re.findall(r"ti:(\w+)", query.get("search_query", ""))
            for entry in self.server_state.entries.values():
                title = _words(entry.findtext(f"{{{ATOM}}}title")).split()
                if words and all(word in title for word in words):
                    feed.append(entry)
        return ET.tostring(feed, encoding="utf-8", xml_declaration=True)

    def _entry_for(self, wanted: str) -> ET.Element:
        """Return the entry arXiv would: the paper, an error entry, or an empty entry."""
        match = re.fullmatch(r"(\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(v\d+)?", wanted)
        entry = ET.Element(f"{{{ATOM}}}entry")
        if not match:
            error_id = f"http://arxiv.org/api/errors#incorrect_id_format_for_{wanted}"
            ET.SubElement(entry, f"{{{ATOM}}}id").text = error_id
            ET.SubElement(entry, f"{{{ATOM}}}title").text = "Error"
            ET.SubElement(entry, f"{{{ATOM}}}summary").text = f"incorrect id format for {wanted}"
            return entry
        known = self.server_state.entries.get(match.group(1))
        if known is None:
            ET.SubElement(entry, f"{{{ATOM}}}id").text = f"http://arxiv.org/abs/{wanted}"
            ET.SubElement(entry, f"{{{ATOM}}}title")
            return entry
        if match.group(2):  # a versioned request gets that version
            known = ET.fromstring(ET.tostring(known))
            known.find(f"{{{ATOM}}}id").text = f"http://arxiv.org/abs/{wanted}"
        return known

    def _file(self, path: str) -> None:
        """Answer /files/e-print/<id> and /files/pdf/<id> as arxiv.org does."""
        match = re.fullmatch(r"/files/(e-print|pdf)/(.+)", path)
        files = self.server_state.files
        body = None
        if match:  # a versioned id gets the files of its paper unless they were set apart
            body = files.get((match.group(1), match.group(2))) or \
                files.get((match.group(1), re.sub(r"v\d+$", "", match.group(2))))
        if body is None:
            return self._send(404, b"<html>Not found</html>", "text/html")
        kind = "application/pdf" if body.startswith(b"%PDF") else "application/x-eprint-tar"
        self._send(200, body, kind)

    def _notes(self, note_id: str) -> None:
        state = self.server_state
        if note_id in state.private_notes:
            if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                return self._json(403, {"name": "ForbiddenError", "message": "Forbidden"})
            return self._json(200, {"notes": [state.private_notes[note_id]], "count": 1})
        if note_id not in state.notes:
            return self._json(404, {"name": "NotFoundError",
                                    "message": f"The Note {note_id} was not found"})
        self._json(200, {"notes": [state.notes[note_id]], "count": 1})

    def _venue(self, query: dict[str, str]) -> None:
        """Answer one page of a venue's accepted notes, as API v2 pages them."""
        venue = query["content.venueid"]
        notes = [n for n in self.server_state.venue_notes
                 if n["content"].get("venueid", {}).get("value") == venue]
        offset, limit = int(query.get("offset", 0)), min(int(query.get("limit", 1000)), 1000)
        self._json(200, {"notes": notes[offset:offset + limit], "count": len(notes)})

    def _login(self, body: bytes) -> None:
        credentials = json.loads(body or b"{}")
        if (credentials.get("id"), credentials.get("password")) != (USERNAME, PASSWORD):
            return self._json(400, {"name": "InvalidCredentials",
                                    "message": "Invalid username or password"})
        self._json(200, {"token": TOKEN, "user": {"id": "~Test_User1"}})

    def _json(self, status: int, data: dict) -> None:
        self._send(status, json.dumps(data).encode(), "application/json")

    def _send(self, status: int, body: bytes, content_type: str = "text/plain") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextmanager
def serve(monkeypatch=None) -> Iterator[SourceServer]:
    """Run the server in a thread; with `monkeypatch`, point confgen's clients at it."""
    state = SourceServer()
    state.load()
    handler = type("Handler", (_Handler,), {"server_state": state})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    state.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    if monkeypatch is not None:
        monkeypatch.setenv("CONFGEN_ARXIV_URL", f"{state.url}/arxiv/api/query")
        monkeypatch.setenv("CONFGEN_OPENREVIEW_URL", f"{state.url}/openreview")
        monkeypatch.setenv("CONFGEN_ARXIV_FILES_URL", f"{state.url}/files")
        monkeypatch.setenv("CONFGEN_ARXIV_INTERVAL", "0")
        monkeypatch.setenv("CONFGEN_HTTP_RETRY_DELAY", "0")
        for name in ("OPENREVIEW_USERNAME", "OPENREVIEW_PASSWORD"):
            monkeypatch.delenv(name, raising=False)
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


if __name__ == "__main__":  # run by hand: python tests/source_server.py
    with serve() as running:
        print(f"CONFGEN_ARXIV_URL={running.url}/arxiv/api/query")
        print(f"CONFGEN_OPENREVIEW_URL={running.url}/openreview")
        threading.Event().wait()
