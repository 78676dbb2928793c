"""Read a paper's LaTeX source: its figures in document order and its text by section.

The main file is the one with `\\documentclass` (and `\\begin{document}`); `\\input`,
`\\include` and `\\subfile` are inlined after comments are dropped, so "Figure 3" is the
third `figure`/`figure*` environment the reader meets, as LaTeX numbers them. Graphics
are looked up as LaTeX does: beside the main file, then in each `\\graphicspath`
folder, with the extensions pdflatex tries when the name has none (a file stored without
an extension is found too). Sections are converted to text by `clean_latex`, with the
preamble, zero-argument macros (expanded), floats, listings and the bibliography removed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from ..core.fulltext import Section
from ..text.latex import clean_latex

EXTENSIONS = (".pdf", ".png", ".jpg", ".jpeg", ".eps", ".ps", ".PDF", ".PNG", ".JPG", ".JPEG")
MAX_DEPTH = 12  # nested \input levels
_COMMENT = re.compile(r"(?<!\\)%[^\n]*")
_INPUT = re.compile(r"\\(?:input|include|subfile)\s*\{\s*([^{}]+?)\s*\}|\\input\s+([^\s{}\\]+)")
_FIGURE = re.compile(r"\\begin\{(figure\*?|wrapfigure|SCfigure\*?)\}(.*?)\\end\{\1\}", re.DOTALL)
_GRAPHICS = re.compile(r"\\includegraphics\*?\s*(?:\[[^\]]*\])?\s*\{\s*([^{}]+?)\s*\}")
_CAPTION = re.compile(r"(?<![A-Za-z@])\\caption\s*(?:\[[^\]]*\])?\s*\{")
_LABEL = re.compile(r"\\label\s*\{\s*([^{}]+?)\s*\}")
_SUBFIGURE = re.compile(r"\\begin\{(subfigure|minipage)\}.*?\\end\{\1\}", re.DOTALL)
_SECTION = re.compile(r"\\section\*?\s*(?:\[[^\]]*\])?\s*\{")
_SUBSECTION = re.compile(r"\\(?:sub)+section\*?\s*(?:\[[^\]]*\])?\s*\{")
_DROP_ENVS = re.compile(r"\\begin\{(figure\*?|table\*?|tikzpicture|algorithm\*?|lstlisting|"
                        r"verbatim|thebibliography|comment|minted|wrapfigure|SCfigure\*?|abstract)\}"
                        r".*?\\end\{\1\}", re.DOTALL)
_BIBLIOGRAPHY = re.compile(r"\\bibliography\s*\{[^}]*\}|\\printbibliography|"
                           r"\\bibliographystyle\s*\{[^}]*\}")
_REF = re.compile(r"\\(ref|subref|autoref|cref|Cref)\s*\{([^{}]+)\}")
_NEWCOMMAND = re.compile(r"\\(?:re)?newcommand\*?\s*\{?\\([A-Za-z]+)\}?\s*\{|"
                         r"\\def\s*\\([A-Za-z]+)\s*\{")


@dataclass
class LatexFigure:
    """One figure environment: its number, caption, label and graphics (archive paths)."""

    number: int
    caption: str
    label: str = ""
    files: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


@dataclass
class LatexPaper:
    figures: list[LatexFigure]
    sections: list[Section]


def read_latex(files: dict[str, bytes]) -> LatexPaper:
    """Return the figures and sections of the LaTeX paper in `files` (path -> bytes)."""
    main = main_file(files)
    if main is None:
        return LatexPaper([], [])
    folder = str(PurePosixPath(main).parent)
    folder = "" if folder == "." else folder + "/"
    text = flatten(files, main, folder)
    macros = _simple_macros(text)
    start = text.find("\\begin{document}")
    preamble, body = (text[:start], text[start:]) if start >= 0 else ("", text)
    body = _expand(body, macros)
    paths = [folder + p for p in graphics_paths(preamble + body)]
    figures = [_figure(n, match.group(2), files, [folder, *paths])
               for n, match in enumerate(_FIGURE.finditer(body), start=1)]
    numbers = {f.label: str(f.number) for f in figures if f.label}
    return LatexPaper(figures, sections(_resolve_refs(body, numbers)))


def main_file(files: dict[str, bytes]) -> str | None:
    """Return the path of the main .tex file: \\documentclass and \\begin{document}, and
    sections or a title (a standalone TikZ figure has the first two only)."""
    scored = []
    for name, data in files.items():
        if not name.lower().endswith((".tex", ".ltx")) and name != "main.tex":
            continue
        head = _decode(data)
        score = ("\\documentclass" in head or "\\documentstyle" in head) * 4 + \
            ("\\begin{document}" in head) * 2 + ("\\section" in head or "\\maketitle" in head)
        if score:
            scored.append((score, len(data), name))
    return max(scored)[2] if scored else None


def flatten(files: dict[str, bytes], name: str, folder: str, depth: int = 0) -> str:
    """Return the text of `name` without comments, every \\input inlined."""
    text = uncomment(_decode(files[name]))
    if depth >= MAX_DEPTH:
        return text

    def inline(match: re.Match) -> str:
        target = _find(files, folder + (match.group(1) or match.group(2)), (".tex",))
        return flatten(files, target, folder, depth + 1) if target else ""

    return _INPUT.sub(inline, text)


def uncomment(text: str) -> str:
    """Drop comments, keeping escaped percent signs (a line ending in % joins the next)."""
    text = re.sub(r"\\iffalse\b.*?\\fi\b", "", text, flags=re.DOTALL)
    return _COMMENT.sub("", text)


def graphics_paths(text: str) -> list[str]:
    """Return the folders of every \\graphicspath{{a/}{b/}}, with a trailing slash."""
    paths = []
    for match in re.finditer(r"\\graphicspath\s*\{", text):
        inner = _group(text, match.end() - 1)
        for folder in re.findall(r"\{\s*([^{}]*?)\s*\}", inner or ""):
            folder = folder.removeprefix("./")
            paths.append(folder if folder.endswith("/") or not folder else folder + "/")
    return paths


def _figure(number: int, env: str, files: dict[str, bytes], dirs: list[str]) -> LatexFigure:
    outer = _SUBFIGURE.sub(" ", env)  # a subfigure's caption and label are not the figure's
    caption_at = _CAPTION.search(outer)
    caption = _group(outer, caption_at.end() - 1) if caption_at else ""
    label = _LABEL.search(outer) or _LABEL.search(env)
    figure = LatexFigure(number, clean_latex(_LABEL.sub("", caption or "")),
                         label.group(1) if label else "")
    for name in _GRAPHICS.findall(env):
        name = name.strip().strip('"')
        found = next((f for d in dirs for f in [_find(files, d + name, EXTENSIONS)] if f), None)
        (figure.files if found else figure.missing).append(found or name)
    return figure


def _find(files: dict[str, bytes], name: str, extensions: tuple[str, ...]) -> str | None:
    """Return the archive path LaTeX would read for `name`, trying `extensions` after it."""
    clean = str(PurePosixPath(name.replace("\\", "/")))  # also drops "./" parts
    for candidate in (clean, *(clean + ext for ext in extensions)):
        if candidate in files:
            return candidate
    return None


def _group(text: str, start: int) -> str | None:
    """Return the text inside the brace group opening at `text[start]` (escaped braces,
    `\\{` and `\\}`, do not count)."""
    depth, index = 0, start
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return text[start + 1:index]
        index += 1
    return None


def sections(body: str) -> list[Section]:
    """Return the document's sections as text, in order, without floats or bibliography."""
    body = body.split("\\end{document}")[0]
    body = _BIBLIOGRAPHY.sub("", _DROP_ENVS.sub("\n\n", body))
    body = body.split("\\appendix")[0]
    heads = list(_SECTION.finditer(body))
    found = []
    for index, match in enumerate(heads):
        title = _group(body, match.end() - 1) or ""
        end = heads[index + 1].start() if index + 1 < len(heads) else len(body)
        text = _paragraphs(body[match.end() + len(title) + 1:end])
        if text:
            found.append(Section(title=clean_latex(title) or f"Section {index + 1}", text=text))
    return found


def _paragraphs(latex: str) -> str:
    """Convert a section to text, one paragraph per block, subsection titles on their own."""
    latex = _SUBSECTION.sub(lambda m: "\n\n\\subsectiontitle{", latex)
    out = []
    for block in re.split(r"\n\s*\n", latex):
        text = clean_latex(block.replace("\\subsectiontitle", ""))
        if len(text) > 1:
            out.append(text)
    return "\n\n".join(out)


def _resolve_refs(body: str, numbers: dict[str, str]) -> str:
    """Write figure references as the reader sees them: `Figure~\\ref{fig:a}` is Figure 1,
    `\\autoref{fig:a}` and `\\cref{fig:a}` are "Figure 1"; other references are dropped later."""

    def number(match: re.Match) -> str:
        found = numbers.get(match.group(2).strip())
        if found is None:
            return match.group(0)
        return found if match.group(1) in ("ref", "subref") else f"Figure {found}"

    return _REF.sub(number, body)


def _simple_macros(text: str) -> dict[str, str]:
    """Return user macros without arguments (\\newcommand{\\sys}{SysName}) and their text."""
    macros = {}
    for match in _NEWCOMMAND.finditer(text):
        name = match.group(1) or match.group(2)
        after = text[match.end() - 1:]
        if name and not after.startswith("{#") and not re.match(r"\s*\[", after):
            value = _group(text, match.end() - 1)
            if value is not None and "#" not in value and len(value) < 200:
                macros[name] = value
    return macros


def _expand(body: str, macros: dict[str, str]) -> str:
    if not macros:
        return body
    names = "|".join(map(re.escape, sorted(macros, key=len, reverse=True)))
    pattern = re.compile(rf"\\({names})(?![A-Za-z])(\{{\}})?(\s?)")
    return pattern.sub(lambda m: macros[m.group(1)] + (" " if m.group(3) else ""), body)

def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")
