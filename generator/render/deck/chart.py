"""A native (editable) bar chart of papers per topic.

The chart is a python-pptx chart, so the presenter can restyle it in PowerPoint; its
labels are set in the theme's body font at a fixed size, and LibreOffice and PowerPoint
lay them out inside the chart's own frame.
"""

from __future__ import annotations

from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION
from pptx.util import Pt

from . import units
from .slides import Deck, rule, title

LABEL_PT = 14


def topic_chart_slide(deck: Deck, heading: str, counts: list[tuple[str, int]]) -> list:
    """Add a slide with a horizontal bar per topic, longest list of papers on top."""
    frame = deck.frame("content")
    notes = "Papers per topic: " + "; ".join(f"{topic}: {n}" for topic, n in counts) + "."
    slide = deck.slide(notes, "content")
    title(deck, slide, frame.title, heading)
    rule(deck, slide, frame.title)
    data = CategoryChartData()
    ordered = sorted(counts, key=lambda item: item[1])  # bar charts draw bottom-up
    data.categories = [topic for topic, _ in ordered]
    data.add_series("Papers", [n for _, n in ordered])
    box = frame.body
    shape = slide.shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED,
                                   *units.emu_box(box, units.scale(slide)), data)
    shape.name = "Chart"
    _style(shape.chart, deck)
    deck.finish(slide)
    return [slide]


def _style(chart, deck: Deck) -> None:
    theme = deck.theme
    chart.has_legend = False
    chart.has_title = False  # the slide title says it; LibreOffice would add "Papers"
    chart.font.name = theme.fonts["body"]
    chart.font.size = Pt(LABEL_PT * units.scale(deck.prs.slides[-1]))
    chart.font.color.rgb = RGBColor.from_string(theme.color("text"))
    plot = chart.plots[0]
    plot.gap_width = 60
    plot.has_data_labels = True
    plot.data_labels.position = XL_LABEL_POSITION.OUTSIDE_END
    plot.data_labels.font.size = chart.font.size
    fill = plot.series[0].format.fill
    fill.solid()
    fill.fore_color.rgb = RGBColor.from_string(theme.color("accent"))
    value_axis = chart.value_axis
    value_axis.visible = False
    value_axis.has_major_gridlines = False
    chart.category_axis.format.line.color.rgb = RGBColor.from_string(theme.color("muted"))
