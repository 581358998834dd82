"""What every chart shares: the registered template, colours, markers, duration axes, the
empty figure and the small conversions (UTC to a wall clock in the reader's zone, escaping)."""

from __future__ import annotations

import html
import re

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
    "LEGEND_BELOW",
    "MARKERS",
    "OTHER_SPAN_COLOR",
    "SEVERITY_COLORS",
    "SPAN_COLORS",
    "STATE_COLORS",
    "SUBTITLE_CHARS",
    "TEMPLATE",
    "TICK_STEPS",
    "TITLE_CHARS",
    "UNKNOWN_COLOR",
    "duration_axis",
    "empty_figure",
    "esc",
    "legend_entry",
    "local",
    "rgba",
    "title",
    "wrap",
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
LEGEND_BELOW = {"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom", "x": 0}

pio.templates[TEMPLATE] = go.layout.Template(
    layout=go.Layout(
        font={
            "family": "Inter, 'Segoe UI', Helvetica, Arial, sans-serif",
            "size": 13,
            "color": "#222",
        },
        # just above the plot, pushing the top margin as far as a wrapped title (several
        # lines) needs; the padding leaves a row for notes above the plot (mark_changes)
        title={
            "font": {"size": 17},
            "x": 0.01,
            "xanchor": "left",
            "yref": "paper",
            "y": 1,
            "yanchor": "bottom",
            "pad": {"b": 24},
            "automargin": True,
        },
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
        # below the axis: a legend above the plot runs into a wrapped title on a phone
        legend=LEGEND_BELOW,
        margin={"l": 10, "r": 20, "t": 20, "b": 40},  # t: the title pushes it (automargin)
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


#: Characters a title line holds on a 420 px phone at the template's 17 px title font.
TITLE_CHARS = 42
SUBTITLE_SIZE = 13
SUBTITLE_CHARS = 60  # at SUBTITLE_SIZE
_TAG = re.compile(r"<[^>]+>")
_TAG_SPLIT = re.compile(r"(<[^>]+>)")
_BREAK = re.compile(r"<br\s*/?>", re.I)


def title(text: str, subtitle: str | None = None) -> dict:
    """A chart's title and a smaller grey note below it, wrapped to fit a phone
    (:func:`wrap`). One text block, so the top margin grows with every line of both
    (plotly's own subtitle is not counted when the title sits above the plot)."""
    lines = wrap(text)
    if subtitle:
        lines += "".join(
            f"<br><span style='font-size:{SUBTITLE_SIZE}px;color:#666'>{line}</span>"
            for line in wrap(subtitle, SUBTITLE_CHARS).split("<br>")
        )
    return {"text": lines}


def wrap(text: str, width: int = TITLE_CHARS) -> str:
    """``text`` (plotly's HTML subset) with ``<br>`` between words so no line shows more than
    ``width`` characters: plotly never wraps a title, so a long one is cut at the edge of a
    narrow window. Tags and entities count as what they show; a longer word stays whole."""
    return "<br>".join(_wrap_line(line, width) for line in _BREAK.split(text))


def _wrap_line(line: str, width: int) -> str:
    words: list[list[str]] = [[]]  # each word: its pieces (text, and tags inside or beside it)
    for piece in _TAG_SPLIT.split(line):
        if _TAG.fullmatch(piece):
            words[-1].append(piece)
            continue
        first, *rest = piece.split(" ")
        words[-1].append(first)
        words += [[w] for w in rest]
    lines, current, shown = [], [], 0  # shown: the characters of the line being built
    for word in ("".join(w) for w in words):
        n = len(html.unescape(_TAG.sub("", word)))
        if current and shown + 1 + n > width:
            lines.append(" ".join(current))
            current = []
        shown = shown + 1 + n if current else n
        current.append(word)
    return "<br>".join([*lines, " ".join(current)])


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


def legend_entry(name: str, **style) -> dict:
    """A legend-only trace (a plain dict for a figure's data): explains a marker or line
    without drawing anything."""
    return dict(
        type="scatter", name=name, x=[None], y=[None], showlegend=True, hoverinfo="skip", **style
    )


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
