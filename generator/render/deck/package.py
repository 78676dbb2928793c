"""A deck package that describes itself: properties from the event, no template leftovers.

Core properties (title, subject, author, keywords, times of this build) come from the
event; app.xml counts the slides and names the format; the slide size says what it is;
the thumbnail and printer settings of python-pptx's template (a blank 4:3 page, someone
else's printer) are dropped, and so are the layouts our own design does not use.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os

from ...core.event import EventFolder
from . import oxml
from .config import DeckConfig
from .text import clean

FORMATS = ((16 / 9, "On-screen Show (16:9)"), (4 / 3, "On-screen Show (4:3)"),
           (16 / 10, "On-screen Show (16:10)"))


def build_time() -> dt.datetime:
    """Return now in UTC to the second, or SOURCE_DATE_EPOCH for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).replace(tzinfo=None)
    return dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)


def describe(prs, folder: EventFolder, config: DeckConfig, templated: bool) -> None:
    """Set the package's properties from the event and drop what no slide uses."""
    event = folder.event
    props = prs.core_properties
    props.title = clean(config.title or event.name)
    props.subject = " · ".join(clean(part) for part in ("Trip report", event.name, event.dates,
                                                        event.location) if part)
    props.author = props.last_modified_by = clean(event.presenter)
    props.keywords = "; ".join(dict.fromkeys(clean(p.topic) for p in folder.papers if p.topic))
    props.comments, props.category, props.revision = "", "Trip report", 1
    props.created = props.modified = build_time()
    if not templated:
        for master in prs.slide_masters:
            for layout in list(master.slide_layouts):
                with contextlib.suppress(ValueError):  # raised only for a layout in use
                    master.slide_layouts.remove(layout)
    oxml.drop_thumbnail_and_printer_settings(prs)
    oxml.tag_slide_size(prs)
    _app_properties(prs)


def _app_properties(prs) -> None:
    slides = list(prs.slides)
    titles = [slide.shapes.title.text_frame.text if slide.shapes.title is not None else ""
              for slide in slides]
    frames = [shape.text_frame for slide in slides for shape in slide.shapes
              if shape.has_text_frame]
    paragraphs = [p for frame in frames for p in frame.paragraphs]
    counts = {"Words": sum(len(p.text.split()) for p in paragraphs),
              "Paragraphs": len(paragraphs),
              "Slides": len(slides), "Notes": sum(slide.has_notes_slide for slide in slides),
              "HiddenSlides": 0}
    oxml.write_app_properties(prs, counts, presentation_format(prs), titles)


def presentation_format(prs) -> str:
    """Return the name PowerPoint gives the slide size ("Widescreen", "On-screen Show
    (4:3)", ...)."""
    if (prs.slide_width, prs.slide_height) == (12192000, 6858000):
        return "Widescreen"
    aspect = prs.slide_width / prs.slide_height
    return next((name for ratio, name in FORMATS if abs(aspect / ratio - 1) < 0.01), "Custom")
