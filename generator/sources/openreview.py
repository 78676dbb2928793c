"""Read paper metadata from the OpenReview API v2 (https://docs.openreview.net).

Public notes need no account; hidden ones need $OPENREVIEW_USERNAME and
$OPENREVIEW_PASSWORD, which are exchanged once for a token. API v2 wraps every content
value as `{"value": ...}`; `unwrap` removes that so v1-style notes read the same. The
`venue` field ("NeurIPS 2025 oral") holds both the venue and the award; for a whole
venue (`venue_papers`, paged with offset and limit) oral, spotlight and poster become
the paper's `presentation`, and its `primary_area` its topic.
"""

from __future__ import annotations

import json
import os
import re
import urllib.parse

from ..core.errors import ConfgenError, Problem
from ..core.models import Paper
from ..core.progress import progress_bar
from ..text.latex import clean_latex
from .arxiv import parse_arxiv_ref
from .found import Found
from .http import HttpClient, HttpError

DEFAULT_URL = "https://api2.openreview.net"
WEB_URL = "https://openreview.net"
PAGE = 1000  # the most notes API v2 returns per request
PRESENTATIONS = {"oral": "Oral", "spotlight": "Spotlight", "poster": "Poster"}
ID_RE = re.compile(r"[A-Za-z0-9_-]{8,14}")
_AWARD = re.compile(r"""[\s(\[]*\b(?P<award>oral|spotlight|poster|outstanding\s+paper(?:\s+award)?
                        |best\s+paper(?:\s+award)?|notable[-\s]top[-\s]\d+%?)[)\]\s]*$""",
                    re.IGNORECASE | re.VERBOSE)


def parse_openreview_ref(text: str) -> str | None:
    """Return the note id of an OpenReview forum/pdf URL or `openreview:ID`, or None."""
    text = text.strip()
    if text.lower().startswith("openreview:"):
        note = text.split(":", 1)[1].strip()
        return note if ID_RE.fullmatch(note) else None
    url = urllib.parse.urlsplit(text if "://" in text else f"https://{text}")
    if (url.hostname or "").lower().removeprefix("www.") != "openreview.net":
        return None
    note = urllib.parse.parse_qs(url.query).get("id", [""])[0]
    return note if ID_RE.fullmatch(note) else None


def looks_like_note_id(text: str) -> bool:
    """Tell whether a bare token is plausibly an OpenReview id (e.g. `s0JVsx3bx1`)."""
    return (len(text) == 10 and ID_RE.fullmatch(text) is not None
            and re.search(r"[0-9_-]|[a-z][A-Z]", text) is not None)


def unwrap(content: dict) -> dict:
    """Return note content with API v2's `{"value": x}` wrappers removed."""
    return {key: value["value"] if isinstance(value, dict) and "value" in value else value
            for key, value in content.items()}


def split_venue(venue: str) -> tuple[str, str]:
    """Split "NeurIPS 2025 oral" into ("NeurIPS 2025", "Oral"); posters get no award."""
    match = _AWARD.search(venue)
    if not match:
        return venue.strip(), ""
    award = re.sub(r"\s+", " ", match.group("award")).strip()
    if award.lower() == "poster":
        award = ""
    elif award.islower():
        award = award.title()
    return venue[:match.start()].strip(" ,-"), award


def area_topic(area: str) -> str:
    """Return a primary area as a topic: "reinforcement_learning" -> "Reinforcement learning",
    "Deep learning (e.g., architectures)" -> "Deep learning", and a snake-case list
    "alignment_fairness_safety_and_..." -> "Alignment, fairness, safety and ..."."""
    text = re.sub(r"\s*\((?:e\.g\.|i\.e\.|including)[^)]*\)", "", area)
    if "_" in text and " " not in text:
        words = text.split("_")
        head = words[:words.index("and")] if "and" in words else []
        if len(head) >= 3 and not set(head) & {"of", "on", "for", "to", "in", "the", "with"}:
            words = [w + "," for w in head[:-1]] + words[len(head) - 1:]
        text = " ".join(words)
    text = " ".join(text.split()).strip(" ,;")
    return text[:1].upper() + text[1:]


def keyword_list(value: object) -> list[str]:
    """Return keywords from a list or a "a; b, c" string, without blanks or repeats."""
    items = value if isinstance(value, list) else re.split(r"[;,]", str(value or ""))
    return list(dict.fromkeys(" ".join(str(k).split()) for k in items if str(k).strip()))


def note_to_found(note: dict, whole_venue: bool = False) -> Found:
    """Return an OpenReview note as a paper.

    One note keeps "oral" or "spotlight" as its award (a reader adding a paper by hand
    wants the badge); in a whole venue they are the `presentation` and the award is
    left for real awards, so hundreds of orals do not fill the award slides.
    """
    content = unwrap(note.get("content") or {})
    note_id = note.get("forum") or note.get("id") or ""
    venue, award = split_venue(str(content.get("venue") or ""))
    presentation = PRESENTATIONS.get(award.lower(), "")
    if not award and re.search(r"\bposter\W*$", str(content.get("venue") or ""), re.I):
        presentation = "Poster"
    if whole_venue and presentation:
        award = ""
    links = {"openreview": f"{WEB_URL}/forum?id={note_id}"}
    if content.get("pdf"):
        links["pdf"] = f"{WEB_URL}/pdf?id={note_id}"
    arxiv = next((parse_arxiv_ref(str(content[k])) for k in ("arxiv", "html")
                  if content.get(k) and parse_arxiv_ref(str(content[k]))), None)
    title = clean_latex(str(content.get("title") or ""))
    if not title:
        raise ConfgenError(f"OpenReview note {note_id} has no title")
    area = str(content.get("primary_area") or "")
    paper = Paper(title=title, authors=[str(a) for a in content.get("authors") or []],
                  arxiv=arxiv, abstract=clean_latex(str(content.get("abstract") or "")),
                  venue=venue, award=award, links=links, presentation=presentation,
                  primary_area=area, topic=area_topic(area) if whole_venue else "",
                  keywords=keyword_list(content.get("keywords")))
    return Found(paper, origin="openreview")


class OpenReviewClient:
    """Fetch notes by id, logging in first when credentials are in the environment."""

    def __init__(self, http: HttpClient | None = None, base_url: str | None = None):
        url = base_url or os.environ.get("CONFGEN_OPENREVIEW_URL") or DEFAULT_URL
        self.base_url = url.rstrip("/")
        self.http = http or HttpClient("openreview", interval=0.5)
        self._logged_in = False

    def fetch(self, ids: list[str]) -> dict[str, Found]:
        """Return every note as a paper; raise one ConfgenError naming all unknown ids."""
        self._login()
        found, problems = {}, []
        for note_id in dict.fromkeys(ids):
            note = self._note(note_id)
            if note is None:
                problems.append(Problem(None, None, f"OpenReview has no note with id {note_id}"))
            else:
                found[note_id] = note_to_found(note)
        if problems:
            raise ConfgenError(problems)
        return found

    def venue_papers(self, venue_id: str) -> list[Found]:
        """Return every accepted paper of a venue ("NeurIPS.cc/2025/Conference"), paged."""
        self._login()
        first = self._page(venue_id, 0)
        notes, total = first["notes"], int(first.get("count") or 0)
        if not notes:
            raise ConfgenError(f"OpenReview has no accepted papers for venue {venue_id!r}; "
                               "give its id as on openreview.net, e.g. NeurIPS.cc/2025/Conference")
        with progress_bar(f"Importing {venue_id}", max(total, len(notes))) as tally:
            for _ in notes:
                tally.advance()
            while len(notes) < total:
                page = self._page(venue_id, len(notes))["notes"]
                if not page:
                    break  # the count was larger than what the server lists
                notes += page
                for _ in page:
                    tally.advance()
        return [note_to_found(note, whole_venue=True) for note in notes]

    def _page(self, venue_id: str, offset: int) -> dict:
        query = urllib.parse.urlencode({"content.venueid": venue_id, "offset": offset,
                                        "limit": PAGE})
        try:
            return self.http.get(f"{self.base_url}/notes?{query}", _parse_page)
        except HttpError as exc:
            raise _unavailable(self.base_url, exc) from None
        except ValueError as exc:
            raise ConfgenError(f"the OpenReview API at {self.base_url} sent a malformed "
                               f"answer: {exc}") from None

    def _note(self, note_id: str) -> dict | None:
        url = f"{self.base_url}/notes?{urllib.parse.urlencode({'id': note_id})}"
        try:
            notes = self.http.get(url, _parse_notes)
        except HttpError as exc:
            if exc.status == 404:
                return None
            if exc.status == 403:
                raise ConfgenError(f"OpenReview note {note_id} is not public; set "
                                   "OPENREVIEW_USERNAME and OPENREVIEW_PASSWORD") from None
            raise _unavailable(self.base_url, exc) from None
        except ValueError as exc:
            raise ConfgenError(f"the OpenReview API at {self.base_url} sent a malformed "
                               f"answer: {exc}") from None
        return next((n for n in notes if note_id in (n.get("id"), n.get("forum"))), None)

    def _login(self) -> None:
        user, password = os.environ.get("OPENREVIEW_USERNAME"), os.environ.get(
            "OPENREVIEW_PASSWORD")
        if self._logged_in or not (user and password):
            return
        try:
            body = self.http.post_json(f"{self.base_url}/login", {"id": user, "password": password})
            token = json.loads(body)["token"]
        except HttpError as exc:
            if exc.status in (400, 401, 403):
                raise ConfgenError(f"OpenReview login failed for {user}: "
                                   f"{_message(exc.body) or exc.reason}") from None
            raise _unavailable(self.base_url, exc) from None
        except (ValueError, KeyError, TypeError):
            raise ConfgenError("OpenReview login answered without a token") from None
        self.http.headers["Authorization"] = f"Bearer {token}"
        self._logged_in = True


def _parse_notes(body: bytes) -> list[dict]:
    return _notes_of(json.loads(body))


def _notes_of(data: object) -> list[dict]:
    if not isinstance(data, dict) or not isinstance(data.get("notes"), list):
        raise ValueError("expected a JSON object with a 'notes' list")
    if not all(isinstance(n, dict) and isinstance(n.get("content", {}), dict)
               for n in data["notes"]):
        raise ValueError("a note is not an object with a 'content' object")
    return data["notes"]


def _parse_page(body: bytes) -> dict:
    data = json.loads(body)
    notes = _notes_of(data)
    count = data.get("count")
    if count is not None and not isinstance(count, int):
        raise ValueError("'count' is not a number")
    return {"notes": notes, "count": count if count is not None else len(notes)}


def _message(body: bytes) -> str:
    try:
        return str(json.loads(body).get("message", ""))
    except (ValueError, AttributeError):
        return ""


def _unavailable(base_url: str, exc: HttpError) -> ConfgenError:
    status = f"answered {exc.status} {exc.reason}" if exc.status else \
        f"could not be reached ({exc.reason})"
    return ConfgenError(f"the OpenReview API at {base_url} {status}; try again later")
