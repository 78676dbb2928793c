"""A small OpenAI-compatible HTTP server on 127.0.0.1 for tests and benchmarks.

It speaks enough of the API for the real openai SDK: chat completions, files and
batches. Tests script faults (`server.script(Reply(status=429, ...))`), which chat
requests consume in order; unscripted requests get a grounded summary of the paper in
the prompt, written by the offline drafter, in the server's reply style
(`server.use_style("think")`, see REPLY_STYLES): shaped like the replies of the local
and reasoning models people run, or a server that refuses part of the request. Every
request is recorded, so a test can assert how many were made and what they carried.
Other endpoints (the Images API, say) plug in with `server.add_route(method, pattern,
handler)`.

Run it alone for benchmarks: `python tests/llm_server.py --latency 0.3 --style think`
prints its URL.
"""

from __future__ import annotations

import argparse
import email.parser
import email.policy
import itertools
import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

PAPER_BLOCK = re.compile(r"<paper>(.*?)</paper>", re.DOTALL)
TITLE = re.compile(r"<title>(.*?)</title>", re.DOTALL)
TEXT = re.compile(r"<text>(.*?)</text>", re.DOTALL)
OBEYED = "Roses are red, attention is all you need."


@dataclass
class Reply:
    """One scripted answer to a chat completion request."""

    status: int = 200
    content: str | None = None  # None: the responder writes it
    finish_reason: str = "stop"
    refusal: str | None = None
    delay: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)
    error: str = "scripted error"
    when: str | None = None  # only for requests whose messages contain this text


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: Any
    at: float


@dataclass
class Response:
    status: int = 200
    body: Any = None  # dict -> JSON, bytes -> as is
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


Handler = Callable[["LLMServer", Recorded, re.Match], Response]


def gullible_summary(body: dict) -> str:
    """Summarise the <paper> block, but obey instructions found outside data blocks.

    A model that cannot tell data from instructions: if the prompt lets an injected
    "ignore previous instructions" escape its data block, this responder obeys it.
    """
    from generator.drafting.backends.offline import draft_content

    prompt = "\n".join(str(m.get("content") or "") for m in body.get("messages", []))
    if "ignore previous instructions" in PAPER_BLOCK.sub("", prompt).lower():
        return json.dumps({"poem": OBEYED})
    users = "\n".join(str(m.get("content") or "") for m in body.get("messages", [])
                      if m.get("role") == "user")
    block = (PAPER_BLOCK.findall(users) or [users])[-1]
    title = (TITLE.findall(block) or ["Untitled"])[0].strip()
    text = (TEXT.findall(block) or [block])[0].strip()
    return draft_content(title, text).model_dump_json()


# --- reply styles ----------------------------------------------------------------------
FILLER = "in this careful and thorough piece of work on the model".split()
THINKING = ("Okay, the user wants a summary as JSON with fields {tldr, what_was_done, "
            "key_points}. Let me read the abstract first and keep each field short.")


def overshoot(data: dict, extra: int) -> dict:
    """Return `data` with every word-limited field `extra` words over its limit."""
    from generator.core.models import LIMITS

    def pad(text: str, limit: int) -> str:
        missing = limit + extra - len(text.split())
        return " ".join([text, *itertools.islice(itertools.cycle(FILLER), max(0, missing))])

    data = json.loads(json.dumps(data))
    for name in ("tldr", "what_was_done", "why_it_matters"):
        data[name] = pad(data[name], LIMITS[name])
    data["key_points"] = [pad(point, LIMITS["key_point"]) for point in data["key_points"]]
    for frame in data["comic"]:
        frame["caption"] = pad(frame["caption"], LIMITS["caption"])
        for line in frame["lines"]:
            line["text"] = pad(line["text"], LIMITS["dialogue"])
    return data


def damage(text: str) -> str:
    """Return JSON as a small model breaks it: trailing commas, no closing brace."""
    pretty = json.dumps(json.loads(text), indent=1)
    return re.sub(r'(["\d\]}])(\n\s*[\]}])', r"\1,\2", pretty).rstrip().removesuffix("}")


def _fenced(text: str) -> str:
    return "```json\n" + json.dumps(json.loads(text), indent=2) + "\n```"


# name -> (answer JSON, words over the limits) -> the message fields of the reply
REPLY_SHAPES: dict[str, Callable[[str, int], dict]] = {
    "plain": lambda text, _n: {"content": text},
    "think": lambda text, _n: {"content": f"<think>\n{THINKING}\n</think>\n\n{text}"},
    "think_closing_only": lambda text, _n: {"content": f"{THINKING}\n</think>\n{text}"},
    "reasoning_content": lambda text, _n: {"content": text, "reasoning_content": THINKING},
    "reasoning": lambda text, _n: {"content": text, "reasoning": THINKING},
    "fence": lambda text, _n: {"content": _fenced(text)},
    "prose": lambda text, _n: {"content": "Sure! Here is the summary you asked for:\n\n"
                               + _fenced(text) + "\n\nEvery field is within its limit. "
                               "Let me know if you want any {changes}."},
    "bom": lambda text, _n: {"content": "\ufeff" + text},
    "damaged": lambda text, _n: {"content": damage(text)},
    "overshoot": lambda text, n: {"content": json.dumps(overshoot(json.loads(text), n))},
}
# name -> what the server refuses (response_format types, schema keywords)
SERVER_LIMITS: dict[str, tuple[set[str], set[str]]] = {
    "json_object_only": ({"json_schema"}, set()),
    "prompt_only": ({"json_schema", "json_object"}, set()),
    "rejects_max_length": (set(), {"maxLength"}),
}
REPLY_STYLES = [*REPLY_SHAPES, *SERVER_LIMITS]


class LLMServer:
    """An OpenAI-compatible server with scripted faults, in a background thread."""

    def __init__(self, responder: Callable[[dict], str] = gullible_summary,
                 latency: float = 0.0, api_key: str | None = None):
        self.responder, self.latency, self.api_key = responder, latency, api_key
        self.rejected_formats: set[str] = set()  # e.g. {"json_schema"}: answer those with 400
        self.rejected_keywords: set[str] = set()  # schema keywords answered with a 400
        self.shape, self.extra_words = "plain", 3
        self.requests: list[Recorded] = []
        self.files: dict[str, dict] = {}
        self.batches: dict[str, dict] = {}
        self.batch_polls_before_done = 0
        self.batch_expire_after: int | None = None
        self._script: list[Reply] = []
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._stopping = threading.Event()
        self.routes: list[tuple[str, re.Pattern, Handler]] = []
        for method, pattern, handler in DEFAULT_ROUTES:
            self.add_route(method, pattern, handler)
        self._httpd: ThreadingHTTPServer | None = None

    # --- control --------------------------------------------------------------------
    def add_route(self, method: str, pattern: str, handler: Handler) -> None:
        """Serve `method` requests whose path fully matches `pattern` with `handler`."""
        self.routes.insert(0, (method, re.compile(pattern), handler))

    def script(self, *replies: Reply) -> None:
        """Queue replies for the next chat requests (in order, per `when` filter)."""
        with self._lock:
            self._script.extend(replies)

    def use_style(self, style: str, extra_words: int = 3) -> None:
        """Answer in one of REPLY_STYLES (`extra_words`: the overshoot of "overshoot")."""
        if style in SERVER_LIMITS:
            self.rejected_formats, self.rejected_keywords = map(set, SERVER_LIMITS[style])
        else:
            self.shape = style
        self.extra_words = extra_words

    def next_id(self, prefix: str) -> str:
        return f"{prefix}-{next(self._ids)}"

    @property
    def url(self) -> str:
        assert self._httpd is not None, "server not started"
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    @property
    def chat_requests(self) -> list[Recorded]:
        return [r for r in self.requests if r.path.endswith("/chat/completions")]

    def start(self) -> LLMServer:
        """Listen on a free port of 127.0.0.1 and serve from a daemon thread."""
        server = self

        class _Handler(_RequestHandler):
            owner = server

        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()

    def __enter__(self) -> LLMServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- chat -----------------------------------------------------------------------
    def take_reply(self, body: dict) -> Reply:
        """Pop the first scripted reply that applies to this request, else a plain one."""
        prompt = json.dumps(body.get("messages", []))
        with self._lock:
            for index, reply in enumerate(self._script):
                if reply.when is None or reply.when in prompt:
                    return self._script.pop(index)
        return Reply()

    def chat(self, body: dict, reply: Reply | None = None) -> Response:
        """Answer one chat completion request (also used for batch lines)."""
        refused = self.refusal_of(body.get("response_format") or {})
        if refused:
            return error(400, refused, "invalid_request_error")
        reply = reply or self.take_reply(body)
        if reply.status != 200:
            return error(reply.status, reply.error, headers=reply.headers, delay=reply.delay)
        message = self.message(reply, body)
        content = message.get("content")
        prompt_words = len(json.dumps(body.get("messages", [])).split())
        completion_words = len((content or reply.refusal or "").split())
        return Response(200, {
            "id": self.next_id("chatcmpl"), "object": "chat.completion",
            "created": int(time.time()), "model": body.get("model", "test-model"),
            "choices": [{"index": 0, "finish_reason": reply.finish_reason, "logprobs": None,
                         "message": {"role": "assistant", "refusal": reply.refusal,
                                     **message}}],
            "usage": {"prompt_tokens": prompt_words, "completion_tokens": completion_words,
                      "total_tokens": prompt_words + completion_words},
        }, reply.headers, reply.delay + self.latency)


    def refusal_of(self, response_format: dict) -> str | None:
        """Return the error for a response format this server refuses, else None."""
        fmt = response_format.get("type")
        if fmt in self.rejected_formats:
            return f"response_format {fmt} is not supported by this server"
        schema = json.dumps((response_format.get("json_schema") or {}).get("schema") or {})
        for keyword in sorted(self.rejected_keywords):
            if f'"{keyword}"' in schema:
                return (f"Invalid schema for response_format 'paper_summary': In "
                        f"context=('properties', 'tldr'), '{keyword}' is not permitted.")
        return None

    def message(self, reply: Reply, body: dict) -> dict:
        """Return the reply's message fields: scripted content as is, else in style."""
        if reply.refusal:
            return {"content": None}
        if reply.content is not None:
            return {"content": reply.content}
        return REPLY_SHAPES[self.shape](self.responder(body), self.extra_words)


def error(status: int, message: str, kind: str = "server_error",
          headers: dict | None = None, delay: float = 0.0) -> Response:
    return Response(status, {"error": {"message": message, "type": kind, "code": None,
                                       "param": None}}, dict(headers or {}), delay)


# --- routes ---------------------------------------------------------------------------
def _chat(server: LLMServer, request: Recorded, _match: re.Match) -> Response:
    return server.chat(request.body)


def _upload(server: LLMServer, request: Recorded, _match: re.Match) -> Response:
    fields = parse_multipart(request.headers.get("content-type", ""), request.body)
    data, filename = fields.get("file", (b"", "upload"))
    file_id = server.next_id("file")
    server.files[file_id] = {"id": file_id, "object": "file", "bytes": len(data),
                             "created_at": int(time.time()), "filename": filename,
                             "purpose": fields.get("purpose", (b"batch", ""))[0].decode(),
                             "status": "processed", "content": data}
    return Response(200, _public(server.files[file_id]))


def _file(server: LLMServer, _request: Recorded, match: re.Match) -> Response:
    found = server.files.get(match["id"])
    return Response(200, _public(found)) if found else error(404, "no such file")


def _file_content(server: LLMServer, _request: Recorded, match: re.Match) -> Response:
    found = server.files.get(match["id"])
    return Response(200, found["content"]) if found else error(404, "no such file")


def _create_batch(server: LLMServer, request: Recorded, _match: re.Match) -> Response:
    body = request.body
    source = server.files.get(body.get("input_file_id", ""))
    if source is None:
        return error(400, "input_file_id not found", "invalid_request_error")
    lines = [json.loads(line) for line in source["content"].decode().splitlines() if line]
    batch_id = server.next_id("batch")
    server.batches[batch_id] = {
        "id": batch_id, "object": "batch", "endpoint": body.get("endpoint"),
        "input_file_id": source["id"], "completion_window": body.get("completion_window"),
        "status": "validating", "created_at": int(time.time()), "output_file_id": None,
        "error_file_id": None, "metadata": body.get("metadata"),
        "request_counts": {"total": len(lines), "completed": 0, "failed": 0},
        "_lines": lines, "_polls": server.batch_polls_before_done,
    }
    return Response(200, _public(server.batches[batch_id]))


def _batch(server: LLMServer, _request: Recorded, match: re.Match) -> Response:
    batch = server.batches.get(match["id"])
    if batch is None:
        return error(404, "no such batch")
    if batch["status"] in ("validating", "in_progress"):
        if batch["_polls"] > 0:
            batch["_polls"] -= 1
            batch["status"] = "in_progress"
        else:
            run_batch(server, batch)
    return Response(200, _public(batch))


def _cancel_batch(server: LLMServer, _request: Recorded, match: re.Match) -> Response:
    batch = server.batches.get(match["id"])
    if batch is None:
        return error(404, "no such batch")
    batch["status"] = "cancelled"
    return Response(200, _public(batch))


def run_batch(server: LLMServer, batch: dict) -> None:
    """Answer every line (or only the first `batch_expire_after`, then expire)."""
    limit = server.batch_expire_after
    done, failed = [], []
    for index, line in enumerate(batch["_lines"]):
        if limit is not None and index >= limit:
            failed.append({"id": server.next_id("batch_req"), "custom_id": line["custom_id"],
                           "response": None, "error": {"code": "batch_expired", "message":
                           "This request could not be executed before the completion "
                           "window expired."}})
            continue
        answer = server.chat(line["body"])
        done.append({"id": server.next_id("batch_req"), "custom_id": line["custom_id"],
                     "response": {"status_code": answer.status, "request_id":
                                  server.next_id("req"), "body": answer.body}, "error": None})
    batch["output_file_id"] = _store_jsonl(server, done, "batch_output")
    batch["error_file_id"] = _store_jsonl(server, failed, "batch_error") if failed else None
    batch["request_counts"] = {"total": len(batch["_lines"]), "completed": len(done),
                               "failed": len(failed)}
    batch["status"] = "expired" if failed else "completed"


def _store_jsonl(server: LLMServer, rows: list[dict], purpose: str) -> str:
    data = "".join(json.dumps(row) + "\n" for row in rows).encode()
    file_id = server.next_id("file")
    server.files[file_id] = {"id": file_id, "object": "file", "bytes": len(data),
                             "created_at": int(time.time()), "filename": f"{purpose}.jsonl",
                             "purpose": purpose, "status": "processed", "content": data}
    return file_id


def _public(record: dict) -> dict:
    return {k: v for k, v in record.items() if not k.startswith("_") and k != "content"}


DEFAULT_ROUTES: list[tuple[str, str, Handler]] = [
    ("POST", r"/v1/chat/completions", _chat),
    ("POST", r"/v1/files", _upload),
    ("GET", r"/v1/files/(?P<id>[\w-]+)", _file),
    ("GET", r"/v1/files/(?P<id>[\w-]+)/content", _file_content),
    ("POST", r"/v1/batches", _create_batch),
    ("GET", r"/v1/batches/(?P<id>[\w-]+)", _batch),
    ("POST", r"/v1/batches/(?P<id>[\w-]+)/cancel", _cancel_batch),
]


def parse_multipart(content_type: str, data: bytes) -> dict[str, tuple[bytes, str]]:
    """Return {field name: (bytes, filename)} from a multipart/form-data body."""
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + data)
    fields = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        fields[str(name)] = (part.get_payload(decode=True) or b"", part.get_filename() or "")
    return fields


# --- HTTP plumbing --------------------------------------------------------------------
class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # the default 5 drops concurrent connects (1 s SYN retry)


class _RequestHandler(BaseHTTPRequestHandler):
    owner: LLMServer
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # else each reply waits ~40 ms for a delayed ACK

    def do_GET(self) -> None:  # noqa: N802 - http.server naming
        self._handle("GET")

    def do_POST(self) -> None:  # noqa: N802
        self._handle("POST")

    def log_message(self, *_args: object) -> None:
        return None  # keep test output clean

    def _handle(self, method: str) -> None:
        try:
            raw = self.rfile.read(int(self.headers.get("content-length") or 0))
            request = self._record(method, raw)
            response = self._route(method, request)
            # The delay counts from arrival: a reply takes `delay`, however long it took to
            # write, as from a server with a fixed latency.
            remaining = request.at + response.delay - time.monotonic()
            if remaining > 0 and self.owner._stopping.wait(remaining):
                return
            self._send(response)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout test); nothing to answer

    def _record(self, method: str, raw: bytes) -> Recorded:
        is_json = "json" in (self.headers.get("content-type") or "")
        body = json.loads(raw or b"{}") if is_json else raw
        request = Recorded(method, self.path.split("?")[0],
                           {k.lower(): v for k, v in self.headers.items()}, body, time.monotonic())
        with self.owner._lock:
            self.owner.requests.append(request)
        return request

    def _route(self, method: str, request: Recorded) -> Response:
        expected = self.owner.api_key
        auth = request.headers.get("authorization", "")
        if expected is not None and auth != f"Bearer {expected}":
            given = auth.removeprefix("Bearer ")
            return error(401, f"Incorrect API key provided: {given}", "invalid_request_error")
        for route_method, pattern, handler in self.owner.routes:
            match = pattern.fullmatch(request.path)
            if route_method == method and match:
                return handler(self.owner, request, match)
        return error(404, f"no route for {method} {request.path}")

    def _send(self, response: Response) -> None:
        if isinstance(response.body, bytes):
            data, kind = response.body, "application/octet-stream"
        else:
            data, kind = json.dumps(response.body).encode(), "application/json"
        self.send_response(response.status)
        self.send_header("content-type", kind)
        self.send_header("content-length", str(len(data)))
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)


@contextmanager
def running(**options: Any) -> Iterator[LLMServer]:
    """Run an LLMServer for the duration of a `with` block."""
    server = LLMServer(**options).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(name="llm_server")
def llm_server_fixture(monkeypatch: pytest.MonkeyPatch) -> Iterator[LLMServer]:
    """A running server, with OPENAI_BASE_URL pointing at it for the test's duration.

    Use it with `from llm_server import llm_server_fixture  # noqa: F401`.
    """
    with running() as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.url)
        yield server


def main() -> None:
    parser = argparse.ArgumentParser(description="serve the test LLM server until killed")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds per reply")
    parser.add_argument("--style", choices=REPLY_STYLES, default="plain",
                        help="how replies are shaped (see REPLY_STYLES)")
    parser.add_argument("--extra-words", type=int, default=3,
                        help="words over each limit in the overshoot style")
    args = parser.parse_args()
    with running(latency=args.latency) as server:
        server.use_style(args.style, args.extra_words)
        print(server.url, flush=True)
        threading.Event().wait()


if __name__ == "__main__":
    main()
