"""Turn LaTeX into plain Unicode text: the one converter for sources and renderers.

`clean_latex` reads LaTeX sources (arXiv and OpenReview abstracts, BibTeX fields, titles
of paper lists); `unlatex` converts only the inline `$...$` formulas (and stray macros)
left in plain text (summaries, hand-written notes), where a lone "$5" is money, not math.
Both parse with pylatexenc (MIT), which knows accents, symbols and the argument count of
every common macro; this module only adds what a reader expects from a title or an
abstract and pylatexenc does differently:

- every word and number stays: unknown and formatting macros keep their argument text
  (pylatexenc drops `\\texttt{X}` and `\\mbox{X}`), a bare `%` is a percent sign, not a
  comment, and a `$` that opens no formula is money;
- citations and labels go (no "<cit.>"), URLs keep their address, `\\href` its text;
- math reads as written: `x^{2}` is x², `\\ell_2` is ℓ₂, `\\sqrt{n}` is √n, `\\log n`
  keeps its space, `\\|x\\|` is ‖x‖ (scripts a bundled font cannot draw stay `^(…)`).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from pylatexenc import latexwalker, macrospec
from pylatexenc.latex2text import (
    LatexNodes2Text,
    MacroTextSpec,
    SpecialsTextSpec,
    get_default_latex_context_db,
)

from . import fonts

SUPERSCRIPT = dict(zip("0123456789+-=()nikT", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱᵏᵀ", strict=True))
SUBSCRIPT = dict(zip("0123456789+-=()aeijkmnoprstx", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑᵢⱼₖₘₙₒₚᵣₛₜₓ", strict=True))
_KEEP_ARGUMENT = ("texttt", "mbox", "hbox", "textnormal", "textup", "textsc", "textsf",
                  "textmd", "underline", "uline", "emph", "textbf", "textit", "mathrm",
                  "mathbf", "mathit", "mathsf", "mathtt", "boldsymbol", "bm", "operatorname",
                  "text", "textrm", "ensuremath", "mathnormal", "mathcal", "mathscr", "mathfrak")
_DROP = ("cite", "citep", "citet", "citealp", "citeauthor", "citeyear", "parencite",
         "textcite", "autocite", "ref", "eqref", "autoref", "cref", "Cref", "label",
         "footnote", "footnotemark", "vspace", "hspace", "noindent", "newline", "linebreak",
         "pagebreak", "medskip", "bigskip", "smallskip")
_SYMBOLS = {"|": "‖", "Vert": "‖", "lVert": "‖", "rVert": "‖", "vert": "|", "lvert": "|",
            "rvert": "|", "ell": "ℓ", "textbackslash": "\\", "textasciitilde": "~",
            "textasciicircum": "^", "ldots": "…", "dots": "…", "cdots": "⋯", "textendash": "–",
            "textemdash": "—", "bullet": "•", "&": "&", "%": "%", "#": "#", "$": "$", "_": "_",
            "top": "⊤", "intercal": "⊤", "mid": "|", "colon": ":", "lbrace": "{",
            "rbrace": "}", "epsilon": "ε", "phi": "φ", "langle": "⟨", "rangle": "⟩",
            "lceil": "⌈", "rceil": "⌉",
            "lfloor": "⌊", "rfloor": "⌋", "emptyset": "∅", "varnothing": "∅"}
_ARGSPECS = {"href": "{{", "url": "{", "texttt": "{", "mbox": "{", "hbox": "{",
             "textnormal": "{", "textup": "{", "textmd": "{", "uline": "{", "bm": "{",
             "operatorname": "*{", "ensuremath": "{", "mathnormal": "{", "citealp": "*[[{",
             "citeauthor": "*[[{", "citeyear": "*[[{", "parencite": "*[[{",
             "textcite": "*[[{", "autocite": "*[[{", "sqrt": "[{", "frac": "{{",
             "dfrac": "{{", "tfrac": "{{"}
_MONEY_OR_MATH = re.compile(r"(?<!\\)\$\$?[^$]*?(?<!\\)\$\$?|(?<!\\)\$")
_FORMULA = re.compile(r"((?<!\\)\$[^$\n]{1,200}(?<!\\)\$|\\\[.{1,400}?\\\]|\\\(.{1,400}?\\\))")
_MARKUP = re.compile(r"[\\${}~`]|--|''")  # a bare % is a percent sign here, not markup
_WORD_MACRO = re.compile(r"^[A-Za-z]{2,}$")


def clean_latex(text: str) -> str:
    """Return `text` without LaTeX markup, with Unicode accents and collapsed whitespace."""
    if not text:
        return ""
    if not _MARKUP.search(text):  # most names and many titles: nothing to parse
        return _tidy(str(text))
    source = _escape_money(re.sub(r"(?<!\\)%", r"\\%", str(text)))
    try:
        nodes = latexwalker.LatexWalker(source, latex_context=_walker_context(),
                                        tolerant_parsing=True).get_latex_nodes()[0]
        out = _Converter().nodelist_to_text(nodes)
    except (latexwalker.LatexWalkerError, IndexError, ValueError, RecursionError):
        out = re.sub(r"\\[A-Za-z]+\*?|[{}$]", " ", source)  # never lose the words
    return _tidy(out)


def formula(expr: str) -> str:
    """Return the Unicode rendering of one LaTeX formula (without the dollars)."""
    return clean_latex(f"${expr}$")


def unlatex(text: str) -> str:
    """Replace inline `$...$` formulas and stray macros in plain `text` with Unicode.

    Plain text keeps what LaTeX would treat specially: a "$5" price, "5%", "A & B",
    "snake_case", braces. Text without a backslash or a dollar is returned unchanged.
    """
    if "$" not in text and "\\" not in text:
        return text
    parts = _FORMULA.split(text)
    out = []
    for index, part in enumerate(parts):
        if index % 2 and part[0] == "\\":  # \[ display \] or \( inline \)
            out.append(formula(part[2:-2]))
        elif index % 2 and _looks_like_math(part[1:-1]):
            out.append(formula(part[1:-1]))
        elif re.search(r"\\[A-Za-z|{}%&#_$ \\]", part):
            out.append(_macros_only(part))
        else:
            out.append(part)
    return "".join(out)


def has_latex(text: str) -> bool:
    """Say whether plain `text` still holds LaTeX: a macro or an inline formula."""
    if re.search(r"\\[A-Za-z]{2,}|\\[{}|]", text):
        return True
    return any(_looks_like_math(m) for m in re.findall(r"(?<!\\)\$([^$\n]{1,200})(?<!\\)\$",
                                                      text))


def clean_whitespace(text: str) -> str:
    """Collapse runs of whitespace (arXiv wraps abstracts at ~80 columns) to one space."""
    return re.sub(r"\s+", " ", text).strip()


@lru_cache(maxsize=512)
def drawable(char: str) -> bool:
    """Say whether some bundled font has a glyph for `char`."""
    return any(ord(char) in fonts.coverage(face) for face in fonts.fallback_chain("Inter"))


def _looks_like_math(expr: str) -> bool:
    return bool(re.search(r"[\\^_{=]", expr)) or " " not in expr.strip()


def _macros_only(text: str) -> str:
    """Convert the macros of plain text, leaving its other special characters alone."""
    kept = re.sub(r"(?<!\\)([&#_^~$%])", r"\\\1", text)
    kept = kept.replace("^", "textasciicircum{}").replace("\\~", "\\textasciitilde{}")
    lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()):]
    return lead + clean_latex(kept) + trail


def _escape_money(text: str) -> str:
    """Escape every `$` that does not open a formula, so "$5 and $3" keeps its dollars."""
    def keep(match: re.Match) -> str:
        span = match.group(0)
        inner = span.strip("$")
        if len(span) > 1 and inner.strip() and _looks_like_math(inner):
            return span
        return span.replace("$", r"\$")
    return _MONEY_OR_MATH.sub(keep, text)


def _tidy(text: str) -> str:
    text = text.replace("\u00a0", " ")
    text = re.sub(r"\(\s*\)|\[\s*\]", "", text)  # what a dropped citation leaves
    text = re.sub(r"\s+([.,;:])(?=\s|$)", r"\1", clean_whitespace(text))
    return unicodedata.normalize("NFC", text)


# The converter


class _Converter(LatexNodes2Text):
    """pylatexenc's converter with scripts, spacing and argument rules for prose."""

    def __init__(self):
        super().__init__(latex_context=_text_context(), math_mode="text",
                         strict_latex_spaces={"between-macro-and-chars": False,
                                              "between-latex-constructs": True,
                                              "after-comment": False, "in-equations": None})
        self._math = 0

    def math_node_to_text(self, node) -> str:
        self._math += 1
        try:
            return self.nodelist_to_text(node.nodelist).strip()
        finally:
            self._math -= 1

    def environment_node_to_text(self, node) -> str:
        if node.environmentname.rstrip("*") in ("equation", "align", "gather", "math",
                                               "displaymath", "eqnarray", "multline"):
            return " " + self.math_node_to_text(node) + " "
        return super().environment_node_to_text(node)

    def nodelist_to_text(self, nodelist) -> str:
        """Render nodes, turning `^x`/`_{...}` after a symbol into scripts.

        In math every `^` and `_` is a script; in text only one that follows a macro
        (`\\ell_2`), since a bare "snake_case" in an abstract is a word. A space after a
        bare macro stays when the macro is a word or an operator (`\\log n`, `\\leq x`)
        and goes after a symbol (`\\nabla f` is ∇f, `Stra\\ss e` is Straße).
        """
        out: list[str] = []
        pending, previous = "", None
        for node in nodelist:
            if pending:
                out.append(_script(self._groupnodecontents_to_text(node), pending))
                pending, previous = "", node
                continue
            if node.isNodeType(latexwalker.LatexCharsNode):
                scripts = self._math or (previous is not None and
                                         previous.isNodeType(latexwalker.LatexMacroNode))
                text, pending = _chars_with_scripts(node.chars) if scripts else (node.chars, "")
            else:
                text = self.node_to_text(node)
            out.append(_space_after(previous, out, text) + text)
            previous = node
        return "".join(out)


def _space_after(previous, out: list[str], following: str) -> str:
    """Return the space a bare macro's trailing blank becomes before `following`."""
    if previous is None or not previous.isNodeType(latexwalker.LatexMacroNode) or \
            not previous.macro_post_space or (previous.nodeargd and
                                              previous.nodeargd.argnlist) \
            or not out or not following or following[0].isspace():
        return ""
    rendered = out[-1].strip()
    if _WORD_MACRO.match(rendered) or _is_operator(rendered):
        return " " if following[0] not in "([{,.;:)]}" else ""
    return " " if _is_operator(following[0]) else ""


def _is_operator(text: str) -> bool:
    """Say whether `text` is an infix operator (≤, ×, +), spaced like a word."""
    return len(text) == 1 and unicodedata.category(text) == "Sm" and text not in _PREFIX


_PREFIX = set("∇∂√∛∑∏∫∮¬∀∃")


def _chars_with_scripts(chars: str) -> tuple[str, str]:
    """Return `chars` with one-character scripts applied, and a script mark left open."""
    chars = re.sub(r"[\^_]\s*([^\s{}\\^_])",
                   lambda m: _script(m.group(1), m.group(0)[0]), chars)
    chars = re.sub(r"\s+", " ", chars)
    match = re.search(r"[\^_]\s*$", chars)
    if match:
        return chars[: match.start()], match.group(0).strip()
    return chars, ""


def _script(text: str, mark: str) -> str:
    table = SUPERSCRIPT if mark == "^" else SUBSCRIPT
    text = text.strip()
    if text and all(c in table and drawable(table[c]) for c in text):
        return "".join(table[c] for c in text)
    if not text:
        return ""
    return f"{mark}({text})" if len(text) > 1 else f"{mark}{text}"


def _sqrt(node, l2tobj) -> str:
    body = l2tobj.node_arg_to_text(node, 1).strip()
    return "√" + (body if re.fullmatch(r"\w|\w+|[^\s()]", body) else f"({body})")


def _frac(node, l2tobj) -> str:
    top, bottom = (l2tobj.node_arg_to_text(node, k).strip() for k in (0, 1))

    def wrap(part: str) -> str:
        return part if re.fullmatch(r"[\w.√]+", part) else f"({part})"
    return f"{wrap(top)}/{wrap(bottom)}"


def _href(node, l2tobj) -> str:
    args = node.nodeargd.argnlist if node.nodeargd else []
    texts = [l2tobj._groupnodecontents_to_text(a) for a in args if a is not None]
    return texts[-1] if texts else ""


def _verbatim_url(node, l2tobj) -> str:
    args = node.nodeargd.argnlist if node.nodeargd else []
    if not args or args[0] is None:
        return ""
    url = args[0].latex_verbatim().strip("{}")
    url = url.replace(r"\textasciitilde{}", "~").replace(r"\textasciicircum{}", "^")
    return re.sub(r"\\([&#_^~$%])", r"\1", url)


@lru_cache(maxsize=1)
def _walker_context():
    db = latexwalker.get_default_latex_context_db()
    db.add_context_category("confgen", prepend=True, macros=[
        macrospec.MacroSpec(name, spec) for name, spec in _ARGSPECS.items()])
    return db


@lru_cache(maxsize=1)
def _text_context():
    db = get_default_latex_context_db()
    macros = [MacroTextSpec(name, "%s") for name in _KEEP_ARGUMENT]
    macros += [MacroTextSpec(name, discard=True) for name in _DROP]
    macros += [MacroTextSpec(name, text) for name, text in _SYMBOLS.items()]
    macros += [MacroTextSpec("sqrt", _sqrt), MacroTextSpec("frac", _frac),
               MacroTextSpec("dfrac", _frac), MacroTextSpec("tfrac", _frac),
               MacroTextSpec("href", _href), MacroTextSpec("url", _verbatim_url),
               MacroTextSpec("\\", " "), MacroTextSpec("~", _tilde)]
    db.add_context_category("confgen", prepend=True, macros=macros,
                            specials=[SpecialsTextSpec("&", "&")])
    return db


def _tilde(node, l2tobj) -> str:
    """Return `\\~{n}` as ñ, and a `\\~{ }` (a tilde in a URL) as "~"."""
    body = l2tobj.node_arg_to_text(node, 0) if node.nodeargd else ""
    if not body.strip():
        return "~"
    return unicodedata.normalize("NFC", body[0] + "\u0303" + body[1:])


def unlatex_fields(value):
    """Return `value` with `unlatex` applied to every string in it.

    Works on pydantic models (a copy, field by field), lists and dicts, so a renderer can
    clean a paper or a summary once before it lays out any text.
    """
    if isinstance(value, str):
        return unlatex(value)
    if isinstance(value, list):
        return [unlatex_fields(item) for item in value]
    if isinstance(value, dict):
        return {key: unlatex_fields(item) for key, item in value.items()}
    fields = getattr(type(value), "model_fields", None)
    if fields is not None:
        return value.model_copy(update={name: unlatex_fields(getattr(value, name))
                                        for name in fields})
    return value
