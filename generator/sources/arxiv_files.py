"""Download a paper's own files from arXiv: its LaTeX source, else its PDF.

`{base}/e-print/{id}` answers a gzipped tar (most papers), a single gzipped .tex, or the
PDF itself (PDF-only submissions); `{base}/pdf/{id}` is the fallback. The base is
$CONFGEN_ARXIV_FILES_URL (default https://arxiv.org). Requests go through `HttpClient`
(one every 3 s, $CONFGEN_ARXIV_INTERVAL, retries, an on-disk cache that makes an
interrupted `confgen add` resume where it stopped).

Archives are read in memory and never extracted to disk: a member becomes an entry of a
dict keyed by its normalised relative path, so a `../` or absolute name, a symlink, a
hard link or a device simply has no entry (it is counted and reported). Sizes and the
number of members are capped so a hostile or huge archive is refused, not unpacked.
"""

from __future__ import annotations

import io
import os
import tarfile
import zlib
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from .http import HttpClient, HttpError, env_float

DEFAULT_URL = "https://arxiv.org"
MAX_DOWNLOAD = 60 * 1024 * 1024  # a compressed e-print larger than this is not read
MAX_MEMBER = 40 * 1024 * 1024  # one file of an archive
MAX_TOTAL = 150 * 1024 * 1024  # everything in an archive, uncompressed
MAX_MEMBERS = 2000
GZIP_MAGIC, PDF_MAGIC = b"\x1f\x8b", b"%PDF"
_LATEX_MARKS = ("\\documentclass", "\\documentstyle", "\\begin{document}", "\\section")


class UnreadableFiles(ValueError):
    """The answer is not an archive, a .tex file or a PDF, or breaks the limits."""


@dataclass
class PaperFiles:
    """What arXiv had for one paper: LaTeX files (path -> bytes) and/or a PDF."""

    arxiv: str
    kind: str  # "latex" or "pdf"
    files: dict[str, bytes] = field(default_factory=dict)
    pdf: bytes | None = None
    skipped: list[str] = field(default_factory=list)  # unsafe or special members left out


def read_eprint(body: bytes, arxiv: str = "") -> PaperFiles:
    """Return the files in an e-print answer, told apart by their magic bytes."""
    if body.startswith(PDF_MAGIC):
        return PaperFiles(arxiv, "pdf", pdf=body)
    data = _gunzip(body) if body.startswith(GZIP_MAGIC) else body
    if data.startswith(PDF_MAGIC):
        return PaperFiles(arxiv, "pdf", pdf=data)
    if _is_tar(data):
        return _read_tar(data, arxiv)
    head = data[:65536].decode("utf-8", "replace")
    if any(mark in head for mark in _LATEX_MARKS):
        return PaperFiles(arxiv, "latex", files={"main.tex": data})
    raise UnreadableFiles("neither a LaTeX source, an archive nor a PDF")


def read_pdf_answer(body: bytes, arxiv: str = "") -> PaperFiles:
    """Return a /pdf/ answer; anything but a PDF is unreadable (a withdrawal notice)."""
    if not body.startswith(PDF_MAGIC):
        raise UnreadableFiles("not a PDF")
    return PaperFiles(arxiv, "pdf", pdf=body)


def _gunzip(body: bytes) -> bytes:
    """Decompress gzip data, refusing more than MAX_TOTAL bytes (a decompression bomb)."""
    if len(body) > MAX_DOWNLOAD:
        raise UnreadableFiles(f"the archive is over {MAX_DOWNLOAD // 2**20} MB")
    decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        data = decompressor.decompress(body, MAX_TOTAL + 1)
    except zlib.error as exc:
        raise UnreadableFiles(f"damaged gzip data ({exc})") from None
    if len(data) > MAX_TOTAL:
        raise UnreadableFiles(f"the archive unpacks to over {MAX_TOTAL // 2**20} MB")
    return data


def _is_tar(data: bytes) -> bool:
    """Say whether `data` starts with a tar header: POSIX "ustar" magic, or an old-style
    header whose checksum is right (what `tarfile` checks)."""
    if len(data) < 512:
        return False
    if data[257:262] == b"ustar":
        return True
    try:
        tarfile.TarInfo.frombuf(data[:512], "utf-8", "surrogateescape")
    except tarfile.TarError:
        return False
    return True


def safe_name(name: str) -> str | None:
    """Return `name` as a relative path inside the archive, or None when it leaves it."""
    path = PurePosixPath(name.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or not path.parts:
        return None
    if path.parts[0].endswith(":"):  # a Windows drive letter
        return None
    return str(path)  # PurePosixPath already dropped empty and "." parts


def _read_tar(data: bytes, arxiv: str) -> PaperFiles:
    """Read the regular files of a tar within the limits; skip everything else."""
    result = PaperFiles(arxiv, "latex")
    total = 0
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:") as archive:
            for count, member in enumerate(archive):
                if count >= MAX_MEMBERS:
                    raise UnreadableFiles(f"the archive holds over {MAX_MEMBERS} files")
                name = safe_name(member.name)
                if not member.isfile() or name is None:
                    if not member.isdir():
                        result.skipped.append(member.name)
                    continue
                if member.size > MAX_MEMBER or total + member.size > MAX_TOTAL:
                    raise UnreadableFiles(f"{member.name} is too large "
                                          f"({member.size // 2**20} MB)")
                handle = archive.extractfile(member)
                if handle is not None:
                    result.files[name] = handle.read(member.size)
                    total += member.size
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise UnreadableFiles(f"damaged archive ({exc})") from None
    if not result.files:
        raise UnreadableFiles("the archive holds no files")
    return result


class ArxivFilesClient:
    """Fetch e-prints and PDFs from the arXiv files host."""

    def __init__(self, http: HttpClient | None = None, base_url: str | None = None):
        base = base_url or os.environ.get("CONFGEN_ARXIV_FILES_URL") or DEFAULT_URL
        self.base_url = base.rstrip("/")
        self.http = http or HttpClient("arxiv-files", timeout=120.0, max_bytes=MAX_DOWNLOAD,
                                       interval=env_float("CONFGEN_ARXIV_INTERVAL", 3.0))

    def fetch(self, arxiv: str) -> PaperFiles:
        """Return the source of `arxiv`, else its PDF; raise UnreadableFiles saying why not."""
        reasons = []
        for path, parse in (("e-print", read_eprint), ("pdf", read_pdf_answer)):
            url = f"{self.base_url}/{path}/{arxiv}"
            try:
                return self.http.get(url, lambda body, parse=parse: parse(body, arxiv))
            except HttpError as exc:
                reasons.append(f"{path}: {exc.status} {exc.reason}".strip() if exc.status
                               else f"{path}: {exc.reason}")
            except UnreadableFiles as exc:
                reasons.append(f"{path}: {exc}")
        raise UnreadableFiles("; ".join(reasons))

