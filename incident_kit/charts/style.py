"""What every chart shares: the registered template, colours, markers, duration axes, the
empty figure and the small conversions (UTC to a wall clock in the reader's zone, escaping)."""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from .. import fmt
from ..markup import SEVERITY_COLORS, UNKNOWN_COLOR
from ..vocab import MILESTONE_LABELS

__all__ = [
    "AS_OF_COLOR",
    "KIND_LABELS",
    "MARKERS",
    "OTHER_SPAN_COLOR",
    "SEVERITY_COLORS",
    "SPAN_COLORS",
    "STATE_COLORS",
    "TEMPLATE",
    "TICK_STEPS",
    "UNKNOWN_COLOR",
    "duration_axis",
    "empty_figure",
    "esc",
    "legend_entry",
    "local",
    "rgba",
]

#: One colour per registered span on the timeline (others: grey). Impact is vermillion.
SPAN_COLORS = {
    "impact_duration": "#D55E00",
    "time_to_detect": "#E69F00",
    "time_to_acknowledge": "#F0E442",
    "time_to_escalate": "#CC79A7",
    "time_to_respond": "#56B4E9",
    "time_to_mitigate": "#009E73",
    "time_to_resolve": "#0072B2",
    "time_to_postmortem": "#999999",
    "time_to_communicate": "#882255",
}
OTHER_SPAN_COLOR = "#7F7F7F"
AS_OF_COLOR = "#D55E00"
KIND_LABELS = {
    **{k: v.capitalize() for k, v in MILESTONE_LABELS.items()},
    "communication": "Customer update",
    "update": "Update",
}
STATE_COLORS = {"done": "#009E73", "open": "#56B4E9", "overdue": "#D55E00"}
TEMPLATE = "incident_kit"

pio.templates[TEMPLATE] = go.layout.Template(
    layout=go.Layout(
        font={
            "family": "Inter, 'Segoe UI', Helvetica, Arial, sans-serif",
            "size": 13,
            "color": "#222",
        },
        title={"font": {"size": 17}, "x": 0.01, "xanchor": "left"},
        colorway=[
            "#0072B2",
            "#E69F00",
            "#009E73",
            "#D55E00",
            "#CC79A7",
            "#56B4E9",
            "#F0E442",
            "#000000",
        ],
        paper_bgcolor="white",
        plot_bgcolor="white",
        xaxis={"gridcolor": "#e5e5e5", "zeroline": False, "linecolor": "#999", "automargin": True},
        yaxis={"gridcolor": "#e5e5e5", "zeroline": False, "linecolor": "#999", "automargin": True},
        hoverlabel={"font": {"size": 12}, "align": "left"},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        margin={"l": 10, "r": 20, "t": 70, "b": 40},
    )
)

#: Event markers by kind: customer-facing updates stand out from internal notes.
MARKERS = {
    "milestone": {
        "size": 12,
        "symbol": "diamond",
        "color": "#333",
        "line": {"width": 1, "color": "white"},
    },
    "communication": {
        "size": 11,
        "symbol": "square",
        "color": "#D55E00",
        "line": {"width": 1, "color": "white"},
    },
    "update": {
        "size": 10,
        "symbol": "circle",
        "color": "#999",
        "line": {"width": 1, "color": "white"},
    },
}

#: Tick steps for duration axes (seconds): 15m, 30m, 1h, 2h, ... never 5.24 hours.
TICK_STEPS = (
    1, 5, 10, 15, 30,
    60, 2 * 60, 5 * 60, 10 * 60, 15 * 60, 30 * 60,
    3600, 2 * 3600, 3 * 3600, 6 * 3600, 12 * 3600,
    86400, 2 * 86400, 7 * 86400, 14 * 86400, 30 * 86400, 90 * 86400, 365 * 86400,
)  # fmt: skip


def local(ts: object, tz: str) -> pd.Timestamp | None:
    """A UTC time as a naive wall-clock time in ``tz`` (what a plotly date axis shows)."""
    if ts is None or pd.isna(ts):
        return None
    return pd.Timestamp(ts).tz_convert(tz).tz_localize(None)


def esc(value: object) -> str:
    """Incident text for a label or hover: written as the author wrote it, escaped."""
    return html.escape(fmt.text(value), quote=False)


def rgba(hex_color: str, alpha: float) -> str:
    """``#0072B2`` with an alpha, for bands drawn under a line."""
    h = hex_color.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def empty_figure(message: str = "No incidents match") -> go.Figure:
    """A figure that says why it is empty."""
    fig = go.Figure(layout={"template": TEMPLATE, "height": 260})
    fig.add_annotation(
        text=message,
        showarrow=False,
        x=0.5,
        y=0.5,
        xref="paper",
        yref="paper",
        font={"size": 16, "color": "#666"},
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig


def legend_entry(name: str, **style) -> go.Scatter:
    """A legend-only trace: explains a marker or line without drawing anything."""
    return go.Scatter(name=name, x=[None], y=[None], showlegend=True, hoverinfo="skip", **style)


def duration_axis(top_seconds: float, *, ticks: int = 6) -> dict:
    """A linear duration axis in hours with readable ticks (``15m``, ``30m``, ``1h``, ...).

    The step is the smallest of :data:`TICK_STEPS` that covers ``top_seconds`` in at most
    ``ticks`` steps; the range starts at zero and ends on a tick.

    >>> duration_axis(5.5 * 3600)["ticktext"]
    ['0', '1h', '2h', '3h', '4h', '5h', '6h']
    """
    top = max(float(top_seconds) if top_seconds == top_seconds else 0.0, 1.0)
    step = next((s for s in TICK_STEPS if top / s <= ticks), None)
    if step is None:  # beyond the ladder: whole multiples of a year
        step = TICK_STEPS[-1] * int(np.ceil(top / TICK_STEPS[-1] / ticks))
    n = int(np.ceil(top / step - 1e-9))
    values = [k * step for k in range(n + 1)]
    return {
        "tickvals": [v / 3600.0 for v in values],
        "ticktext": ["0"] + [_tick_text(v) for v in values[1:]],
        "range": [0, values[-1] / 3600.0 * 1.04],
    }


def _tick_text(seconds: float) -> str:
    """``1h`` rather than ``1h 00m`` on an axis (ticks are whole steps: nothing is rounded)."""
    return fmt.duration(seconds).replace(" 00m", "").replace(" 0h", "")
