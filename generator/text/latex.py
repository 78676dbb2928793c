"""Turn LaTeX into plain Unicode text: the one converter for sources and renderers.

`clean_latex` reads LaTeX sources (arXiv and OpenReview abstracts, BibTeX fields);
`unlatex` converts only the inline `$...$` formulas left in plain text (summaries,
hand-written notes), where a lone "$5" is money, not math. Both share one symbol table
and one formula renderer (`formula`: `$O(\\sqrt{d})$` becomes `O(√d)`).

Abstracts are drafting input and end up quoted on slides, so markup must go but every
word and number must stay: formatting macros keep their argument, accents and symbols
become Unicode, math loses its dollars but keeps its content. Unknown macros keep their
argument too, which is safer than dropping text (pylatexenc, for one, drops `\\texttt`).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from . import fonts

_ACCENTS = {"'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303",
            "=": "\u0304", ".": "\u0307", "u": "\u0306", "v": "\u030c", "H": "\u030b",
            "c": "\u0327", "k": "\u0328", "r": "\u030a"}
_LETTERS = {"ss": "ß", "o": "ø", "O": "Ø", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ",
            "aa": "å", "AA": "Å", "l": "ł", "L": "Ł", "i": "ı", "j": "ȷ"}
_SYMBOLS = {
    "times": "×", "cdot": "·", "pm": "±", "mp": "∓", "leq": "≤", "le": "≤", "geq": "≥",
    "ge": "≥", "neq": "≠", "ne": "≠", "approx": "≈", "sim": "∼", "simeq": "≃", "propto": "∝",
    "infty": "∞", "to": "→", "rightarrow": "→", "leftarrow": "←", "Rightarrow": "⇒",
    "in": "∈", "subset": "⊂", "sum": "∑", "prod": "∏", "int": "∫", "partial": "∂",
    "nabla": "∇", "sqrt": "√", "ldots": "…", "dots": "…", "cdots": "⋯", "log": "log",
    "exp": "exp", "max": "max", "min": "min", "alpha": "α", "beta": "β", "gamma": "γ",
    "delta": "δ", "epsilon": "ε", "varepsilon": "ε", "zeta": "ζ", "eta": "η", "theta": "θ",
    "iota": "ι", "kappa": "κ", "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ", "pi": "π",
    "rho": "ρ", "sigma": "σ", "tau": "τ", "phi": "φ", "varphi": "φ", "chi": "χ", "psi": "ψ",
    "omega": "ω", "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Pi": "Π",
    "Sigma": "Σ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω", "%": "%", "&": "&", "#": "#",
    "_": "_", "$": "$", "ell": "ℓ", "|": "‖", "bullet": "•", "star": "⋆", "{": "{", "}": "}",
    "textbackslash": "\\", "LaTeX": "LaTeX",
    "TeX": "TeX", "textendash": "–", "textemdash": "—", "textasciitilde": "~",
}
_SPACES = {",", ";", ":", "!", " ", "quad", "qquad", "enspace", "thinspace"}
_DROP_WITH_ARG = {"cite", "citep", "citet", "ref", "eqref", "label", "footnote", "vspace",
                  "hspace"}

_ACCENT_RE = re.compile(r"""\\([`'^"~=.])\s*"""
                        r"""(?:\{\\?([A-Za-z])\}|\\([ij])(?![A-Za-z])\s*|([A-Za-z]))"""
                        r"""|\\([uvHckr])(?:\s*\{\\?([A-Za-z])\}|\s+([A-Za-z]))""")
_MACRO_RE = re.compile(r"\\([A-Za-z]+|[^A-Za-z\s])\*?")
_BRACED_ARG = re.compile(r"\{([^{}]*)\}")


def clean_latex(text: str) -> str:
    """Return `text` without LaTeX markup, with Unicode accents and collapsed whitespace."""
    text = _ACCENT_RE.sub(_accent, text)
    text = _INLINE.sub(lambda m: formula(m.group(1)), text)
    text = re.sub(r"\\(" + "|".join(_DROP_WITH_ARG) + r")\*?(\[[^\]]*\])?\{[^{}]*\}", "", text)
    text = re.sub(r"\\(url|href)\{([^{}]*)\}(\{([^{}]*)\})?",
                  lambda m: m.group(4) or m.group(2), text)
    text = text.replace("---", "—").replace("--", "–").replace("``", "“").replace("''", "”")
    text = re.sub(r"(?<!\\)~", " ", text)
    text = re.sub(r"(?<!\\)\$+", "", text)
    text = text.replace(r"\(", "").replace(r"\)", "").replace(r"\[", "").replace(r"\]", "")
    text = re.sub(r"\\\\(\[[^\]]*\])?", " ", text)
    text = _MACRO_RE.sub(_macro, text)
    text = _strip_braces(text)
    return clean_whitespace(unicodedata.normalize("NFC", text))


def clean_whitespace(text: str) -> str:
    """Collapse runs of whitespace (arXiv wraps abstracts at ~80 columns) to one space."""
    return re.sub(r"\s+", " ", text).strip()


def _accent(match: re.Match) -> str:
    groups = match.groups()
    mark = groups[0] or groups[4]
    letter = next(g for g in groups[1:4] + groups[5:] if g)
    return unicodedata.normalize("NFC", letter + _ACCENTS[mark])


def _macro(match: re.Match) -> str:
    name = match.group(1)
    if name in _LETTERS:
        return _LETTERS[name]
    if name in _SYMBOLS:
        return _SYMBOLS[name]
    if name in _SPACES:
        return " "
    return ""  # formatting macros (\emph, \textbf, \mathrm...) vanish; their {argument} stays


def _strip_braces(text: str) -> str:
    """Remove grouping braces innermost first, keeping what they enclose."""
    previous = None
    while previous != text:
        previous, text = text, _BRACED_ARG.sub(r"\1", text)
    return text.replace("{", "").replace("}", "")


# Inline formulas
_INLINE = re.compile(r"\$([^$\n]{1,200})\$")
SYMBOLS = _SYMBOLS
BLACKBOARD = {"E": "𝔼", "R": "ℝ", "N": "ℕ", "Z": "ℤ", "P": "ℙ", "Q": "ℚ", "C": "ℂ"}
SUPERSCRIPT = dict(zip("0123456789+-=()nikT", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱᵏᵀ", strict=True))
SUBSCRIPT = dict(zip("0123456789+-=()aeijkmnoprstx", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑᵢⱼₖₘₙₒₚᵣₛₜₓ", strict=True))
_GROUP = r"\{([^{}]*)\}"


@lru_cache(maxsize=512)
def drawable(char: str) -> bool:
    """Say whether some bundled font has a glyph for `char`."""
    return any(ord(char) in fonts.coverage(face) for face in fonts.fallback_chain("Inter"))


def _symbol(match: re.Match) -> str:
    name = match.group(1)
    value = SYMBOLS.get(name)
    return value if value and all(drawable(c) for c in value) else match.group(0)


def _script(text: str, table: dict[str, str], mark: str) -> str:
    if text and all(c in table and drawable(table[c]) for c in text):
        return "".join(table[c] for c in text)
    return f"{mark}({text})" if len(text) > 1 else f"{mark}{text}"


def formula(expr: str) -> str:
    """Return the Unicode rendering of one LaTeX formula (without the dollars)."""
    out = re.sub(r"\\(?:text|mathrm|mathit|mathbf|mathcal|mathsf|mathtt|boldsymbol|operatorname)"
                 + _GROUP, r"\1", expr)
    out = re.sub(r"\\mathbb\{([A-Z])\}",
                 lambda m: BLACKBOARD.get(m.group(1), m.group(1)), out)
    out = re.sub(r"\\frac" + _GROUP + _GROUP, r"(\1)/(\2)", out)
    out = re.sub(r"\\sqrt" + _GROUP,
                 lambda m: "√" + (m.group(1) if len(m.group(1)) == 1 else f"({m.group(1)})"), out)
    out = re.sub(r"\\([A-Za-z]+|\|)", _symbol, out)
    out = re.sub(r"\^" + _GROUP + r"|\^(\w)", lambda m: _script(m.group(1) or m.group(2),
                                                                SUPERSCRIPT, "^"), out)
    out = re.sub(r"_" + _GROUP + r"|_(\w)", lambda m: _script(m.group(1) or m.group(2),
                                                              SUBSCRIPT, "_"), out)
    out = out.replace("\\,", " ").replace("\\;", " ").replace("{", "").replace("}", "")
    return re.sub(r"(?<=[√(]) +| +(?=\))", "", " ".join(out.split()))


def _looks_like_math(expr: str) -> bool:
    return bool(re.search(r"[\\^_{=]", expr)) or " " not in expr.strip()


def unlatex(text: str) -> str:
    """Replace every inline `$...$` formula in `text` with its Unicode rendering."""
    if "$" not in text:
        return text
    return _INLINE.sub(lambda m: formula(m.group(1)) if _looks_like_math(m.group(1))
                       else m.group(0), text)
