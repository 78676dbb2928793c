"""What the section builders read: the event folder, its deck settings, papers by topic.

Built once by `build.build_deck` and passed to every builder in `sections`; it imports
neither, so the deck's modules form no loop.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ...core.event import EventFolder
from ...core.figures import KeyFigure
from ...core.models import Paper
from ...core.topics import group_by_topic
from .config import DeckConfig


@dataclass
class DeckInput:
    """Everything the section builders read: the folder, settings and paper groups."""

    folder: EventFolder
    config: DeckConfig
    panels_dir: Path | None
    topics: list[tuple[str, list[Paper]]]

    @classmethod
    def of(cls, folder: EventFolder, config: DeckConfig, panels_dir: Path | None) -> DeckInput:
        """Return the input for `folder`, its papers grouped as `config` asks."""
        topics = group_by_topic(folder.papers, config.topics, config.order,
                                config.papers_per_topic)
        return cls(folder, config, panels_dir, topics)

    def figure_for(self, paper: Paper) -> KeyFigure | None:
        """Return the paper's key figure when its file is there, else None."""
        return self.folder.shown_figure(paper)

    def panel_for(self, paper: Paper) -> Path | None:
        """Return the paper's rendered panel, if there is one."""
        panel = self.panels_dir / f"{paper.key}.png" if self.panels_dir is not None else None
        return panel if panel is not None and panel.is_file() else None

    def panel_note(self, paper: Paper) -> str:
        """Return the notes' line naming the panel a key figure displaced, or ''."""
        if self.config.panel != "notes" or self.figure_for(paper) is None:
            return ""
        panel = self.panel_for(paper)
        return f"The explainer panel of this paper is panels/{panel.name}." if panel else ""
