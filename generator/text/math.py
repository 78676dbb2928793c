"""Turn simple inline LaTeX (`$O(\\sqrt{d})$`) into Unicode text (`O(√d)`) for slides.

Abstracts and summaries quote formulas in LaTeX; a slide shows native text, so common
commands become their Unicode symbols, and super- and subscripts become Unicode
scripts when every character has one. A symbol no bundled font can draw, and anything
not recognised, is left as written. Dollar amounts ("$5 and $3") are not formulas: a
segment is converted only if it holds a command, a script or a brace, or is one token.
"""

from __future__ import annotations

import re
from functools import lru_cache

from . import fonts

_INLINE = re.compile(r"\$([^$\n]{1,200})\$")
SYMBOLS = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε",
    "eta": "η", "theta": "θ", "lambda": "λ", "mu": "μ", "pi": "π", "rho": "ρ", "sigma": "σ",
    "tau": "τ", "phi": "φ", "psi": "ψ", "omega": "ω", "Delta": "Δ", "Theta": "Θ",
    "Omega": "Ω", "Sigma": "Σ", "Phi": "Φ", "Psi": "Ψ", "leq": "≤", "le": "≤", "geq": "≥",
    "ge": "≥", "neq": "≠", "approx": "≈", "sim": "∼", "times": "×", "cdot": "·",
    "infty": "∞", "sum": "∑", "prod": "∏", "in": "∈", "to": "→", "rightarrow": "→",
    "leftarrow": "←", "pm": "±", "ell": "ℓ", "partial": "∂", "nabla": "∇", "|": "‖",
    "log": "log", "exp": "exp", "max": "max", "min": "min", "bullet": "•", "star": "⋆",
}
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
    out = re.sub(r"\\(?:text|mathrm|mathit|mathbf|operatorname)" + _GROUP, r"\1", expr)
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
