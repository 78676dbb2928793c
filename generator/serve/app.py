"""The review app: two pages (the index, a paper) and the small JSON API they use.

Pages are Jinja2 templates with autoescaping, so paper text is always shown as text; the
little JavaScript in static/serve.js talks to the API. Work that touches files or draws
panels runs in a worker thread, one write at a time.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from ..core.errors import ConfgenError
from ..core.models import LIMITS
from ..render.panels.panel import png_bytes, render_panel
from ..render.theme import load_theme
from . import review
from .guard import Guard
from .review import Reviewer, ReviewError

HERE = Path(__file__).resolve().parent
LAYOUTS = ("comic", "explainer", "card")
PREVIEW_SCALE = 0.5  # 600×750 pixels: sharp enough beside the form, fast to draw

_templates = Jinja2Templates(env=Environment(
    loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(default=True),
    trim_blocks=True, lstrip_blocks=True))


async def _run(request: Request, function, *args, write: bool = False):
    """Call `function(reviewer, *args)` in a worker thread; writes one at a time."""
    state = request.app.state

    def call():
        if not write:
            return function(state.reviewer, *args)
        with state.writes:  # the event lock would refuse a second writer of this process
            return function(state.reviewer, *args)

    return await run_in_threadpool(call)


async def index_page(request: Request) -> Response:
    data = await _run(request, review.list_papers)
    topics = sorted({p["topic"] for p in data["papers"] if p["topic"]})
    return _templates.TemplateResponse(request, "index.html.j2", {**data, "topics": topics})


async def paper_page(request: Request) -> Response:
    data = await _run(request, review.detail, request.path_params["paper_id"])
    return _templates.TemplateResponse(request, "paper.html.j2", {
        "paper": data, "summary": data["summary"], "layouts": LAYOUTS})


async def api_list(request: Request) -> Response:
    return JSONResponse(await _run(request, review.list_papers))


async def api_paper(request: Request) -> Response:
    return JSONResponse(await _run(request, review.detail, request.path_params["paper_id"]))


async def api_save(request: Request) -> Response:
    body = await _json_body(request)
    version = request.headers.get("if-match", "").strip('" ') or None
    return JSONResponse(await _run(request, review.save_edit, request.path_params["paper_id"],
                                   body, version, _forced(request), write=True))


async def api_review(request: Request) -> Response:
    return JSONResponse(await _run(request, review.approve, request.path_params["paper_id"],
                                   write=True))


async def api_redraft(request: Request) -> Response:
    return JSONResponse(await _run(request, review.redraft, request.path_params["paper_id"],
                                   _forced(request), write=True))


async def api_panel(request: Request) -> Response:
    layout = request.query_params.get("layout", "comic")
    if layout not in LAYOUTS:
        raise ReviewError(f"layout must be one of: {', '.join(LAYOUTS)}")
    png = await _run(request, _panel_png, request.path_params["paper_id"], layout)
    return Response(png, media_type="image/png")


async def api_limits(request: Request) -> Response:
    return JSONResponse(LIMITS)


ROUTES = [
    Route("/", index_page), Route("/papers/{paper_id}", paper_page),
    Route("/api/limits", api_limits), Route("/api/papers", api_list),
    Route("/api/papers/{paper_id}", api_paper),
    Route("/api/papers/{paper_id}/summary", api_save, methods=["PUT"]),
    Route("/api/papers/{paper_id}/review", api_review, methods=["POST"]),
    Route("/api/papers/{paper_id}/redraft", api_redraft, methods=["POST"]),
    Route("/api/papers/{paper_id}/panel.png", api_panel),
    Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
]


def create_app(reviewer: Reviewer, token: str, hosts: list[str],
               cookie: str = "confgen-token") -> Guard:
    """Return the review app for `reviewer`'s event, behind the Host/token/Origin guard."""
    app = Starlette(routes=ROUTES, exception_handlers={
        ReviewError: _review_error, ConfgenError: _confgen_error, 404: _not_found})
    app.state.reviewer = reviewer
    app.state.writes = threading.Lock()
    return Guard(app, token, hosts, cookie)


def _panel_png(reviewer: Reviewer, paper_id: str, layout: str) -> bytes:
    folder, paper, summary = review.summary_for_preview(reviewer, paper_id)
    image = render_panel(folder.event, paper, summary, load_theme(reviewer.theme), layout,
                         scale=PREVIEW_SCALE, figure=folder.shown_figure(paper))
    return png_bytes(image)


async def _json_body(request: Request) -> object:
    try:
        return json.loads(await request.body())
    except (ValueError, UnicodeDecodeError):
        raise ReviewError("the request body is not JSON") from None


def _forced(request: Request) -> bool:
    return request.query_params.get("force", "") in ("1", "true", "yes")


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api/")


def _answer(request: Request, status: int, message: str, errors: list | None = None) -> Response:
    if _wants_html(request):
        return _templates.TemplateResponse(request, "error.html.j2", {"message": message},
                                           status_code=status)
    return JSONResponse({"error": message, "errors": errors or []}, status_code=status)


async def _review_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ReviewError)
    return _answer(request, exc.status, exc.message, exc.errors)


async def _confgen_error(request: Request, exc: Exception) -> Response:
    return _answer(request, 500, str(exc))


async def _not_found(request: Request, exc: Exception) -> Response:
    return _answer(request, 404, "not found")
