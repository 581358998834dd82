"""Plotly figures from incident frames: pure functions that return ``go.Figure``.

Every chart uses the package's registered template (``incident_kit``): a colour-blind-safe
palette (Okabe-Ito) with one fixed colour per severity, durations written like ``1h 27m``,
and times shown in ``display_tz``. Nothing here reads files or the clock; an empty selection
gives a figure that says "No incidents match" instead of an error.

One module per family: ``style`` (template, colours, axes), ``timeline`` (calendar axes),
``distribution`` (a span per group and per period), ``portfolio`` (impact, action items,
detection hours) and ``survival`` (time still open, changes beyond noise).
"""

from .distribution import durations, trend
from .portfolio import action_items, detection_heatmap, impact
from .style import (
    KIND_LABELS,
    SEVERITY_COLORS,
    SPAN_COLORS,
    STATE_COLORS,
    TEMPLATE,
    TICK_STEPS,
    duration_axis,
    empty_figure,
)
from .survival import mark_changes, survival
from .timeline import portfolio_timeline, timeline

__all__ = [
    "KIND_LABELS",
    "SEVERITY_COLORS",
    "SPAN_COLORS",
    "STATE_COLORS",
    "TEMPLATE",
    "TICK_STEPS",
    "action_items",
    "detection_heatmap",
    "duration_axis",
    "durations",
    "empty_figure",
    "impact",
    "mark_changes",
    "portfolio_timeline",
    "survival",
    "timeline",
    "trend",
]
