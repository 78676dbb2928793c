"""Reading-list table (Paper | Venue | Why)."""

from __future__ import annotations


def reading_list_slides(deck, heading, papers, summaries) -> list:
    return []
