"""Native chart of papers per topic."""

from __future__ import annotations


def topic_chart_slide(deck, heading, counts) -> list:
    return []
