"""`confgen serve EVENT`: the local review page (see generator.serve).

It holds no event lock while it waits: each save takes the lock for that write alone, so
`confgen build` can run while the page is open (and a save during a build is refused).
"""

from __future__ import annotations

import argparse
import ipaddress
import secrets
import socket

from ..build import choose_backend
from ..core.errors import ConfgenError
from ..core.event import open_event, resolve_event_dir
from ..core.progress import console
from ..drafting.backends import REGISTRY, get_backend

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "serve", help="review summaries in the browser", description=(
            "Start a local review page for EVENT: read each paper beside its summary, edit, "
            "mark reviewed, redraft. Prints one URL with a secret token; Ctrl-C stops it."))
    parser.add_argument("event", help="event folder, or its name under summaries/")
    parser.add_argument("--port", type=int, default=8765, help="port (default 8765; 0: any)")
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default 127.0.0.1, this machine only); "
                             "the page answers to that name and the loopback names only")
    parser.add_argument("--backend", choices=list(REGISTRY),
                        help="backend for Redraft (default: openai when configured, else offline)")
    parser.add_argument("--model", help="model name for the openai backend")
    parser.add_argument("--style", default="talk", help="tone of redrafts: talk or newsletter")
    parser.add_argument("--theme", default="light", help="theme of the panel previews")
    parser.set_defaults(handler=cmd_serve, needs_event=False)


def allowed_hosts(host: str, port: int) -> list[str]:
    """Return the Host headers the page answers: the loopback names, and `host` itself."""
    names = list(LOOPBACK_NAMES)
    try:
        address = ipaddress.ip_address(host)
        names.append(f"[{host}]" if address.version == 6 else host)
    except ValueError:
        names.append(host)
    names = list(dict.fromkeys(names))
    return [f"{name}:{port}" for name in names] + (names if port == 80 else [])  # no :80


def bind(host: str, port: int) -> socket.socket:
    """Open the listening socket first, so a busy port is a clear error, not a traceback."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise ConfgenError(f"cannot listen on {host}:{port}: {exc.strerror}; "
                           "choose another --port") from None
    sock.listen(64)
    return sock


def cmd_serve(args: argparse.Namespace, _folder=None) -> int:
    import uvicorn

    from ..serve import Reviewer, create_app

    root = resolve_event_dir(args.event)
    folder = open_event(root)  # a broken event.yaml stops here with file:line, before any port
    options = {"model": args.model} if args.model else {}
    reviewer = Reviewer(root, choose_backend(args.backend), options, args.style, args.theme)
    # An unusable backend (no model for openai) stops here too, not at the first Redraft.
    get_backend(reviewer.backend, llm=folder.event.llm, event_root=root, **options)
    sock = bind(args.host, args.port)
    port = sock.getsockname()[1]
    token = secrets.token_urlsafe(24)
    app = create_app(reviewer, token, allowed_hosts(args.host, port),
                     cookie=f"confgen-token-{port}")
    shown = f"[{args.host}]" if ":" in args.host else args.host
    if args.host not in ("127.0.0.1", "::1", "localhost"):
        console.print(f"warning: listening on {args.host}: anyone who can reach it and has "
                      "the token can edit these summaries", markup=False)
    print(f"Reviewing {root} — open this URL (Ctrl-C stops):\n"
          f"  http://{shown}:{port}/?token={token}", flush=True)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False,
                                           lifespan="off"))
    try:
        server.run(sockets=[sock])  # finishes open requests on Ctrl-C, then re-raises it
    except KeyboardInterrupt:
        pass  # stopping is how a review session ends: not an error
    print("stopped")
    return 0
