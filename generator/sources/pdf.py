"""Read a local paper PDF with pypdf: a title guess, the abstract and the introduction.

PDFs carry no reliable metadata, so the title is guessed: the document's Title entry
when it looks like one, else the largest text on the first page. The abstract and the
introduction become the drafting source; the title and authors are marked as guesses so
they never replace better metadata already in the event. `largest_image` picks the
biggest raster image for `--figures`; vector-only figures are not extracted.
"""

from __future__ import annotations

import io
import logging
import re
import unicodedata
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import PyPdfError

from ..core.errors import ConfgenError, Problem
from ..core.images import MAX_FILE_BYTES, MAX_PIXELS
from ..core.models import Paper
from ..text.latex import clean_whitespace
from .arxiv import ID_RE
from .found import Found

MAX_PAGES = 4
MIN_WORDS = 20  # fewer words on the first pages: no text layer, nothing to draft from
RULER_LINES = 20  # this many bare numbers on a page: a review copy's line-number ruler
_LIGATURES = {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"}
_SPACING_ACCENTS = {"´": "\u0301", "`": "\u0300", "¨": "\u0308", "˜": "\u0303",
                    "ˆ": "\u0302", "¸": "\u0327", "˚": "\u030a", "ˇ": "\u030c",
                    "˝": "\u030b", "˘": "\u0306"}
# Footnotes and boxes that interrupt the text: "∗Part of ...", "†Electronic address: ...",
# "*The work was done during an internship", "Copyright © 2022, AAAI".
_FOOTNOTE = re.compile(r"^(?:[∗†‡§¶]|\*(?=[A-Z]))|\belectronic address\b|copyright ©|©\s?\d{4}|"
                       r"^(?:https?://|www\.)\S+$", re.IGNORECASE)
_SECTION = re.compile(r"(?m)^\s*(?:\d{1,2}|[IVX]{1,4})\.?\s+[A-Z][A-Za-z][\w ,:&/-]{0,58}$")
_AFFILIATION = re.compile(r"(?i)[∗†‡@]|\b(?:univ\w*|institut\w*|department\w*|departamento|"
                          r"dept\.|centro|laborator\w*|school of|college|faculty of|inc\.|"
                          r"e-?mail)(?!\w)")
# What follows an abstract before the first section: ACM's and IEEE's blocks, the ACM
# permission box in the left column.
_ABSTRACT_END = re.compile(r"(?im)^\s*(?:categories and subject descriptors|general terms|"
                           r"keywords|index terms|ccs concepts|acm reference format)\b|"
                           r"^permission to make digital or hard copies")
MAX_BODY_CHARS = 8000
MIN_FIGURE_PIXELS = 150 * 150
_NO_AUTHOR = {"anonymous", "unknown", "author", "authors", "(anonymous)", "admin", "user"}
_STAMP = re.compile(rf"arXiv:\s*(?P<ref>{ID_RE.pattern})")
_ABSTRACT = re.compile(r"(?im)^\s*abstract\b[\s.:—-]*")
_INTRO = re.compile(r"(?im)^\s*(?:1|I)?\.?\s*introduction\s*$")
_NEXT_SECTION = re.compile(r"(?m)^\s*(?:2|II)\.?\s+[A-Z][^\n]{2,80}$")
_BAD_META_TITLE = re.compile(r"(?i)^(untitled|microsoft word|title|paper|document)\b|\.(docx?|tex|"
                             r"pdf)$|^[\w-]+$")


def read_pdf(path: Path, figures: bool = False) -> Found:
    """Return the paper in the PDF at `path`; raise ConfgenError when it cannot be read."""
    reader = _open(path)
    try:
        text = first_pages_text(reader)
        title = guess_title(reader) or path.stem.replace("_", " ")
        figure = largest_image(reader) if figures else None
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        raise ConfgenError([Problem(path, None, f"cannot read this PDF: {exc}")]) from None
    abstract, intro = split_sections(text)
    note = ""
    if len(re.findall(r"\w+", text)) < MIN_WORDS:
        abstract = intro = ""
        note = (f"{path}: no text layer (a scan?); added under a title guessed from the file "
                "name, with no summary until you add its abstract or notes to event.yaml")
    stamp = _STAMP.search(text)
    meta = reader.metadata or {}
    authors = [a.strip() for a in re.split(r";|,| and ", str(meta.get("/Author") or ""))
               if a.strip() and a.strip().lower() not in _NO_AUTHOR]
    paper = Paper(title=title, authors=authors, abstract=abstract, body=intro,
                  arxiv=stamp.group("ref") if stamp else None)
    return Found(paper, origin="pdf", guessed=frozenset({"title", "authors"}), pdf=path,
                 figure=figure, note=note)


def _open(path: Path) -> PdfReader:
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # we report problems ourselves
    try:
        reader = PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            raise ConfgenError([Problem(path, None, "this PDF is encrypted")])
        if not reader.pages:
            raise ConfgenError([Problem(path, None, "this PDF has no pages")])
        return reader
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        raise ConfgenError([Problem(path, None, f"cannot read this PDF (damaged or cut "
                                    f"short?): {exc}")]) from None


def first_pages_text(reader: PdfReader) -> str:
    """Return the text of the first pages without line-number rulers and running heads."""
    pages = [_page_lines(page) for page in reader.pages[:MAX_PAGES]]
    if len(pages) > 1:  # a line on every page is a running head or foot, not text
        repeated = set.intersection(*(set(lines) for lines in pages))
        pages = [[line for line in lines if line not in repeated or len(line) < 4]
                 for lines in pages]
    return _fix_accents("\n".join(line for lines in pages for line in lines))


def _page_lines(page) -> list[str]:
    """Return a page's lines; a review copy's margin ruler (000, 001, ...) is dropped."""
    lines = [line.strip() for line in (page.extract_text() or "").splitlines()]
    numbers = [line for line in lines if re.fullmatch(r"\d{1,4}", line)]
    if len(numbers) >= RULER_LINES:
        lines = [line for line in lines if not re.fullmatch(r"\d{1,4}", line)]
        lines = [re.sub(r"^\d{3}\s+(?=\D)|(?<=\D)\s+\d{3}$", "", line) for line in lines]
    return [line for line in lines if line and not _FOOTNOTE.search(line)]


def _fix_accents(text: str) -> str:
    """Join TeX's spacing accents to their letter (F´ısica → Física) and undo ligatures."""
    for ligature, letters in _LIGATURES.items():
        text = text.replace(ligature, letters)
    return re.sub(r"([´`¨˜ˆ¸˚ˇ˝˘])\s?([A-Za-zı])",
                  lambda m: unicodedata.normalize("NFC", ("i" if m.group(2) == "ı" else m.group(2))
                                                  + _SPACING_ACCENTS[m.group(1)]), text)


def guess_title(reader: PdfReader) -> str:
    """Return the document's Title entry if plausible, else the largest text on page 1."""
    meta_title = clean_whitespace(str((reader.metadata or {}).get("/Title") or ""))
    if len(meta_title.split()) >= 2 and not _BAD_META_TITLE.search(meta_title):
        return meta_title
    pieces: list[tuple[float, str]] = []

    def visit(text, cm, tm, _font, size) -> None:
        scale = abs(tm[3] * cm[3]) if tm[1] == 0 and cm[1] == 0 else 0
        if text.strip():
            pieces.append((size * scale, text))

    reader.pages[0].extract_text(visitor_text=visit)
    if not pieces:
        return ""
    largest = max(size for size, _ in pieces)
    start = next(i for i, (size, _) in enumerate(pieces) if size >= largest * 0.95)
    title = []
    for size, text in pieces[start:]:
        if size < largest * 0.95:
            break
        title.append(text)
    return _dehyphenate(" ".join(title))[:300]


def split_sections(text: str) -> tuple[str, str]:
    """Return (abstract, introduction) found in the text of a paper's first pages.

    The abstract follows an "Abstract" heading, or, without one (REVTeX), is the prose
    between the author block and the first section. It ends at the first section heading
    ("1 Introduction", "I. INTRODUCTION", "1 Credits").
    """
    intro_match = _INTRO.search(text)
    abstract_match = _ABSTRACT.search(text)
    start = abstract_match.end() if abstract_match else 0
    section = _SECTION.search(text, start)
    head_end = min(m.start() for m in (intro_match, section) if m) if (intro_match or section) \
        else len(text)
    if abstract_match and abstract_match.start() < head_end:
        abstract = text[abstract_match.end():head_end]
        end = _ABSTRACT_END.search(abstract)
        abstract = abstract[:end.start()] if end else abstract
    elif intro_match or section:
        abstract = _unheaded_abstract(text[:head_end])
    else:
        abstract = text[:1500]
    intro = ""
    body_start = intro_match or section
    if body_start:
        rest = text[body_start.end():]
        end = _NEXT_SECTION.search(rest) if intro_match else _SECTION.search(rest)
        intro = rest[:end.start()] if end else rest
    return _dehyphenate(abstract), _dehyphenate(intro)[:MAX_BODY_CHARS]


def _unheaded_abstract(head: str) -> str:
    """Return the prose after the title and author block, which is the abstract."""
    lines = head.splitlines()
    last_author = max((i for i, line in enumerate(lines) if _AFFILIATION.search(line)),
                      default=0)
    prose = "\n".join(lines[last_author + 1:])
    return prose if len(prose.split()) >= MIN_WORDS else ""


def _dehyphenate(text: str) -> str:
    return clean_whitespace(re.sub(r"(\w)-\n(\w)", r"\1\2", text))


def largest_image(reader: PdfReader) -> tuple[bytes, str] | None:
    """Return (image bytes, extension) of the largest raster image, or None.

    An image pypdf cannot decode (an exotic filter, a broken stream) is skipped: a
    missing figure must not stop the paper from being added.
    """
    best, best_area = None, MIN_FIGURE_PIXELS - 1
    for page in reader.pages:
        for image in _images(page):
            area = image.image.width * image.image.height
            if best_area < area <= MAX_PIXELS:  # the figure limits `confgen check` applies
                best, best_area = image, area
    if best is None:
        return None
    pil = best.image
    if best.name.lower().endswith((".jpg", ".jpeg")) and pil.mode in ("RGB", "L"):
        data, suffix = best.data, ".jpg"
    else:  # CMYK, JPEG 2000, raw bitmaps: PNG reads everywhere
        buffer = io.BytesIO()
        if pil.mode not in ("RGB", "RGBA", "L", "LA", "P"):
            pil = pil.convert("RGB")
        pil.save(buffer, format="PNG", optimize=True)
        data, suffix = buffer.getvalue(), ".png"
    return (data, suffix) if len(data) <= MAX_FILE_BYTES else None


def _images(page) -> list:
    """Return the page's decodable images."""
    images = []
    try:
        for image in page.images:
            try:
                if image.image is not None:
                    images.append(image)
            except Exception:  # pypdf and Pillow raise many kinds on bad images
                continue
    except Exception:  # listing the images of a malformed page
        return images
    return images
