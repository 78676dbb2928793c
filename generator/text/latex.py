"""Turn the LaTeX found in arXiv abstracts and BibTeX fields into plain Unicode text.

Abstracts are drafting input and end up quoted on slides, so markup must go but every
word and number must stay: formatting macros keep their argument, accents and symbols
become Unicode, math loses its dollars but keeps its content. Unknown macros keep their
argument too, which is safer than dropping text (pylatexenc, for one, drops `\\texttt`).
"""

from __future__ import annotations

import re
import unicodedata

_ACCENTS = {"'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303",
            "=": "\u0304", ".": "\u0307", "u": "\u0306", "v": "\u030c", "H": "\u030b",
            "c": "\u0327", "k": "\u0328", "r": "\u030a"}
_LETTERS = {"ss": "ß", "o": "ø", "O": "Ø", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ",
            "aa": "å", "AA": "Å", "l": "ł", "L": "Ł", "i": "ı", "j": "ȷ"}
_SYMBOLS = {
    "times": "×", "cdot": "·", "pm": "±", "mp": "∓", "leq": "≤", "le": "≤", "geq": "≥",
    "ge": "≥", "neq": "≠", "ne": "≠", "approx": "≈", "sim": "~", "simeq": "≃", "propto": "∝",
    "infty": "∞", "to": "→", "rightarrow": "→", "leftarrow": "←", "Rightarrow": "⇒",
    "in": "∈", "subset": "⊂", "sum": "∑", "prod": "∏", "int": "∫", "partial": "∂",
    "nabla": "∇", "sqrt": "√", "ldots": "…", "dots": "…", "cdots": "⋯", "log": "log",
    "exp": "exp", "max": "max", "min": "min", "alpha": "α", "beta": "β", "gamma": "γ",
    "delta": "δ", "epsilon": "ε", "varepsilon": "ε", "zeta": "ζ", "eta": "η", "theta": "θ",
    "iota": "ι", "kappa": "κ", "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ", "pi": "π",
    "rho": "ρ", "sigma": "σ", "tau": "τ", "phi": "φ", "varphi": "φ", "chi": "χ", "psi": "ψ",
    "omega": "ω", "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Pi": "Π",
    "Sigma": "Σ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω", "%": "%", "&": "&", "#": "#",
    "_": "_", "$": "$", "{": "{", "}": "}", "textbackslash": "\\", "LaTeX": "LaTeX",
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
