"""The review page's door: every request passes here before it reaches a page or the API.

- Host: only the names the server was started for (no DNS rebinding: a page on
  evil.example that resolves to 127.0.0.1 still sends `Host: evil.example`).
- Token: `Authorization: Bearer TOKEN`, or the cookie that `?token=TOKEN` is exchanged for
  (HttpOnly, SameSite=Strict, one name per port); none is 401, a wrong one 403.
- Writes: an `Origin` (or `Sec-Fetch-Site`) from another site is 403; bodies are capped.
- Every answer carries a strict Content-Security-Policy (no inline script, nothing from
  other hosts) and is never cached.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from urllib.parse import urlencode

from starlette.datastructures import URL, Headers
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"cache-control", b"no-store"),
]
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
MAX_BODY = 256 * 1024


class BodyTooLarge(Exception):
    pass


class Guard:
    """ASGI middleware that checks Host, token, Origin and body size, and adds headers."""

    def __init__(self, app: ASGIApp, token: str, hosts: Iterable[str], cookie: str,
                 max_body: int = MAX_BODY):
        self.app, self.token, self.cookie, self.max_body = app, token, cookie, max_body
        self.hosts = {host.lower() for host in hosts}
        self.origins = {f"http://{host}" for host in self.hosts}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # lifespan passes; websockets are not served at all
            if scope["type"] == "lifespan":
                await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        refusal = self.refusal(Request(scope))
        if refusal is not None:
            await refusal(scope, receive, send_with_headers)
            return
        if scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send_with_headers)
            return
        try:
            body = await self._read_body(receive)
        except BodyTooLarge:
            await _error(413, f"request body over {self.max_body} bytes")(
                scope, receive, send_with_headers)
            return
        await self.app(scope, _replay(body, receive), send_with_headers)

    def refusal(self, request: Request) -> Response | None:
        """Return the answer that stops `request`, or None to let it through."""
        if request.headers.get("host", "").lower() not in self.hosts:
            return PlainTextResponse("unknown Host header", status_code=400)
        query_token = request.query_params.get("token")
        if query_token is not None and request.method == "GET":
            return self._exchange(request, query_token)
        presented = _bearer(request.headers) or request.cookies.get(self.cookie) or query_token
        if not presented:
            return _error(401, "this page needs the token: open the URL that `confgen serve` "
                               "printed, or send Authorization: Bearer TOKEN")
        if not secrets.compare_digest(presented.encode(), self.token.encode()):
            return _error(403, "wrong token (each `confgen serve` prints a new one: open the "
                               "URL it printed this time)")
        if request.method not in SAFE_METHODS:
            origin = request.headers.get("origin")
            if origin is not None and origin.lower() not in self.origins:
                return _error(403, f"writes from origin {origin} are refused")
            if request.headers.get("sec-fetch-site") == "cross-site":
                return _error(403, "cross-site writes are refused")
            length = request.headers.get("content-length", "0")
            if not length.isdigit() or int(length) > self.max_body:
                return _error(413, f"request body over {self.max_body} bytes")
        return None

    def _exchange(self, request: Request, token: str) -> Response:
        """Swap a `?token=` for a cookie and send the browser on to the same page without it."""
        if not secrets.compare_digest(token.encode(), self.token.encode()):
            return _error(403, "wrong token")
        query = urlencode([(k, v) for k, v in request.query_params.multi_items() if k != "token"])
        target = URL(scope=request.scope).replace(query=query)
        response = RedirectResponse(f"{target.path}{'?' + query if query else ''}",
                                    status_code=303)
        response.set_cookie(self.cookie, self.token, httponly=True, samesite="strict",
                            path="/")
        return response

    async def _read_body(self, receive: Receive) -> list[Message]:
        """Read the whole request body (it is small), refusing more than the cap."""
        messages, size = [], 0
        while True:
            message = await receive()
            messages.append(message)
            size += len(message.get("body", b""))
            if size > self.max_body:
                raise BodyTooLarge
            if message["type"] != "http.request" or not message.get("more_body"):
                return messages


def _replay(messages: list[Message], then: Receive) -> Receive:
    """Hand the app the body already read, then the connection's own messages."""
    queue = list(messages)

    async def receive() -> Message:
        return queue.pop(0) if queue else await then()

    return receive


def _bearer(headers: Headers) -> str | None:
    scheme, _, value = headers.get("authorization", "").partition(" ")
    return value.strip() or None if scheme.lower() == "bearer" else None


def _error(status: int, message: str) -> Response:
    return JSONResponse({"error": message}, status_code=status)
