"""Read paper metadata from the arXiv Atom API (https://info.arxiv.org/help/api/).

Ids are fetched in batches through `id_list`; titles (from `--list` files) through a
`ti:` search. Requests go through `HttpClient`, which keeps to arXiv's one request every
three seconds ($CONFGEN_ARXIV_INTERVAL), retries 503s and caches answers on disk. The
base URL is $CONFGEN_ARXIV_URL, so tests run this very client against a local server.
"""

from __future__ import annotations

import difflib
import os
import re
import urllib.parse
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from ..core.errors import ConfgenError, Problem
from ..core.models import Paper
from ..text.latex import clean_latex, clean_whitespace
from .found import Found, normalise_title
from .http import HttpClient, HttpError, env_float

DEFAULT_URL = "https://export.arxiv.org/api/query"
BATCH = 50
NS = {"a": "http://www.w3.org/2005/Atom", "arxiv": "http://arxiv.org/schemas/atom",
      "os": "http://a9.com/-/spec/opensearch/1.1/"}
_NEW_ID = r"\d{4}\.\d{5}|(?:0[7-9]|1[0-4])\d{2}\.\d{4}"  # 4 digits only before 2015
_OLD_ID = r"[a-z]+(?:-[a-z]+)*(?:\.[A-Z]{2})?/\d{7}"
_ID = rf"(?P<id>{_NEW_ID}|{_OLD_ID})(?P<version>v\d+)?"
ID_RE = re.compile(_ID)
_URL_PATH = re.compile(rf"/(?:abs|pdf|html|format)/{_ID}(?:\.pdf)?/?")


class ArxivFormatError(ValueError):
    """The API answered with something that is not the Atom feed it documents."""


class ArxivApiError(ValueError):
    """The API answered with an error entry (e.g. an id in a format it does not know)."""


@dataclass
class ArxivEntry:
    """One paper as the Atom API describes it."""

    id: str
    title: str
    authors: list[str]
    abstract: str
    categories: list[str] = field(default_factory=list)
    published: str = ""
    links: dict[str, str] = field(default_factory=dict)

    @property
    def base_id(self) -> str:
        return base_id(self.id)


def parse_arxiv_ref(text: str) -> str | None:
    """Return the arXiv id in `text` (an id, `arXiv:` id, abs or pdf URL), or None."""
    text = text.strip()
    bare = re.sub(r"(?i)^arxiv:\s*", "", text)
    if ID_RE.fullmatch(bare):
        return bare
    url = urllib.parse.urlsplit(text if "://" in text else f"https://{text}")
    host = (url.hostname or "").lower()
    if host == "arxiv.org" or host.endswith(".arxiv.org"):
        match = _URL_PATH.fullmatch(url.path)
        if match:
            return match.group("id") + (match.group("version") or "")
    return None


def base_id(arxiv_id: str) -> str:
    """Return `arxiv_id` without its version suffix."""
    match = ID_RE.fullmatch(arxiv_id)
    return match.group("id") if match else arxiv_id


def parse_feed(body: bytes) -> list[ArxivEntry]:
    """Parse an Atom feed; raise ArxivFormatError for anything else or an API error entry."""
    try:
        root = ET.fromstring(body)
    except ET.ParseError as exc:
        raise ArxivFormatError(f"not valid XML ({exc})") from None
    if root.tag != f"{{{NS['a']}}}feed":
        raise ArxivFormatError(f"expected an Atom <feed>, got <{root.tag}>")
    entries = []
    for node in root.findall("a:entry", NS):
        entry_id = _text(node, "a:id")
        if "/api/errors" in entry_id:
            raise ArxivApiError(_text(node, "a:summary") or "unspecified error")
        entry = _entry(node, entry_id)
        if entry is not None:
            entries.append(entry)
    return entries


def _api_error(body: bytes) -> str:
    """Return arXiv's message in an error feed ("incorrect id format for abc"), or ''."""
    try:
        parse_feed(body)
    except ArxivApiError as exc:
        return str(exc)
    except ArxivFormatError:
        return ""
    return ""


def _entry(node: ET.Element, entry_id: str) -> ArxivEntry | None:
    match = _URL_PATH.search(urllib.parse.urlsplit(entry_id).path)
    title = clean_latex(_text(node, "a:title"))
    if not match or not title:
        return None  # arXiv lists unknown ids as entries without a title
    links = {"abs": f"https://arxiv.org/abs/{match.group('id')}"}
    for link in node.findall("a:link", NS):
        if link.get("title") == "pdf" and link.get("href"):
            links["pdf"] = link.get("href", "").replace("http://", "https://", 1)
    doi = _text(node, "arxiv:doi")
    if doi:
        links["doi"] = f"https://doi.org/{doi}"
    primary = node.find("arxiv:primary_category", NS)
    categories = [c.get("term", "") for c in node.findall("a:category", NS)]
    if primary is not None and primary.get("term") in categories:
        categories.insert(0, categories.pop(categories.index(primary.get("term", ""))))
    return ArxivEntry(
        id=match.group("id") + (match.group("version") or ""), title=title,
        authors=[clean_latex(_text(a, "a:name")) for a in node.findall("a:author", NS)],
        abstract=clean_latex(_text(node, "a:summary")), categories=[c for c in categories if c],
        published=_text(node, "a:published")[:10], links=links)


def _text(node: ET.Element, path: str) -> str:
    found = node.find(path, NS)
    return clean_whitespace(found.text or "") if found is not None else ""


def to_found(entry: ArxivEntry, requested: str | None = None) -> Found:
    """Return `entry` as a paper; `requested` keeps the id as the user wrote it."""
    links = {k: v for k, v in entry.links.items() if k != "abs"}
    if "pdf" in links:  # the latest version unless the user asked for one
        links["pdf"] = f"https://arxiv.org/pdf/{requested or entry.base_id}"
    paper = Paper(title=entry.title, authors=entry.authors, arxiv=requested or entry.base_id,
                  abstract=entry.abstract, links=links)
    return Found(paper, origin="arxiv", version=entry.id)


class ArxivClient:
    """Fetch papers by id or title from the arXiv API."""

    def __init__(self, http: HttpClient | None = None, base_url: str | None = None):
        self.base_url = base_url or os.environ.get("CONFGEN_ARXIV_URL") or DEFAULT_URL
        self.http = http or HttpClient("arxiv", interval=env_float("CONFGEN_ARXIV_INTERVAL", 3.0))

    def fetch(self, ids: list[str], missing_ok: bool = False) -> dict[str, ArxivEntry]:
        """Return the entry of every id; unless `missing_ok`, raise naming all unknown ids."""
        wanted = list(dict.fromkeys(ids))
        found: dict[str, ArxivEntry] = {}
        for start in range(0, len(wanted), BATCH):
            batch = wanted[start:start + BATCH]
            query = {"id_list": ",".join(batch), "max_results": str(len(batch))}
            entries = self._query(query)
            by_id = {e.id: e for e in entries} | {e.base_id: e for e in entries}
            found.update({i: by_id[i] for i in batch if i in by_id})
        missing = [i for i in wanted if i not in found]
        if missing and not missing_ok:
            raise ConfgenError([Problem(None, None, f"arXiv has no paper with id {i}")
                                for i in missing])
        return found

    def search_title(self, title: str) -> ArxivEntry | None:
        """Return the paper whose title matches `title` (almost) exactly, or None.

        The query asks for every significant word of the title (`ti:a AND ti:b ...`),
        which survives punctuation better than a phrase; the best title then has to be
        within a few characters of the one asked for.
        """
        wanted = normalise_title(title)
        words = [w for w in wanted.split() if len(w) > 2][:12]
        if not words:
            return None
        query = " AND ".join(f"ti:{word}" for word in words)
        entries = self._query({"search_query": query, "max_results": "10"})
        scored = [(difflib.SequenceMatcher(None, wanted, normalise_title(e.title)).ratio(), e)
                  for e in entries]
        score, best = max(scored, key=lambda pair: pair[0], default=(0.0, None))
        return best if score >= 0.9 else None

    def _query(self, params: dict[str, str]) -> list[ArxivEntry]:
        url = f"{self.base_url}?{urllib.parse.urlencode(params)}"
        try:
            return self.http.get(url, parse_feed)
        except HttpError as exc:
            refusal = _api_error(exc.body)
            asked = params.get("id_list") or params.get("search_query", "")
            if refusal:  # arXiv answers a bad request with an Atom error entry (HTTP 400)
                raise ConfgenError(f"arXiv refused the request for {asked}: {refusal}") from None
            status = f"answered {exc.status} {exc.reason}" if exc.status else \
                f"could not be reached ({exc.reason})"
            later = "; try again later" if exc.status is None or exc.status >= 500 or \
                exc.status == 429 else f" (asked for {asked})"
            raise ConfgenError(f"the arXiv API at {self.base_url} {status}{later}") from None
        except ArxivApiError as exc:
            raise ConfgenError(f"the arXiv API refused the request: {exc}") from None
        except ArxivFormatError as exc:
            raise ConfgenError(f"the arXiv API at {self.base_url} sent a malformed answer: "
                               f"{exc}") from None
