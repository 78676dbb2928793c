"""Summarise what a drafting run used: requests (and per paper), tokens, cache hits,
failures, time, cost."""

from __future__ import annotations

from ..base import Usage
from .settings import Price


def cost(usage: Usage, model: str | None, prices: dict[str, Price]) -> float | None:
    """Return the run's cost in US dollars, or None when the model has no price."""
    price = prices.get(model or "")
    if price is None:
        return None
    return (usage.input_tokens * price.input + usage.output_tokens * price.output) / 1e6


def usage_line(usage: Usage, *, cached: int, failed: int, wall_time: float,
               model: str | None = None, prices: dict[str, Price] | None = None) -> str:
    """Return one line such as 'usage: 8 requests (1.1 per paper), 9,120 tokens in, ...'."""
    per_paper = f" ({usage.requests / usage.drafts:.1f} per paper)" if usage.drafts else ""
    parts = [f"{usage.requests:,} requests{per_paper}", f"{usage.input_tokens:,} tokens in",
             f"{usage.output_tokens:,} out", f"{cached:,} cached", f"{failed:,} failed",
             f"{wall_time:.1f} s"]
    dollars = cost(usage, model, prices or {})
    if dollars is not None:
        parts.append(f"${dollars:.4f}")
    return "usage: " + ", ".join(parts)

