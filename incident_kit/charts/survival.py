"""Analytics on charts: how long incidents stay open (Kaplan–Meier, open incidents counted
to as-of) and which periods of a trend changed beyond noise."""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from .. import fmt, metrics, stats
from .style import SEVERITY_COLORS, TEMPLATE, duration_axis, empty_figure, rgba, title

__all__ = ["mark_changes", "survival"]

_HOURS = 3600.0  # the x axis is in hours, with readable duration ticks (duration_axis)


def survival(
    frame: pd.DataFrame,
    span: str = "time_to_resolve",
    *,
    by: str | None = None,
    confidence_level: float = 0.95,
) -> go.Figure:
    """The share of incidents still unresolved after t (Kaplan–Meier): a step line per
    group with its band, open incidents counted up to as-of and marked ``+`` where they
    leave the count; a dotted line at 50 % crosses each curve at its median."""
    curves = stats.survival(frame, span, by, confidence_level=confidence_level)
    if curves.empty:
        return empty_figure()
    groups = [None] if by is None else list(dict.fromkeys(curves[by]))
    palette = list(pio.templates[TEMPLATE].layout.colorway)
    fig = go.Figure(layout={"template": TEMPLATE})
    medians = {}
    for i, group in enumerate(groups):
        part = curves if group is None else curves[curves[by] == group]
        name = "all incidents" if group is None else str(group)
        color = SEVERITY_COLORS.get(str(group)) if by == "severity" else None
        color = color or palette[i % len(palette)]
        band = rgba(color, 0.08 if len(groups) > 1 else 0.15)
        fig.add_traces(_curve(part, name, color, band, confidence_level))
        rows = frame if group is None else _group_rows(frame, by, group)
        obs = stats.observations(rows, span)
        med = stats.km_median(obs["value"], obs["observed"])[0]
        medians[name] = fmt.duration(med, missing="not reached")
    fig.add_hline(y=0.5, line={"dash": "dot", "color": "#888", "width": 1})
    label = metrics.label(span).lower()
    heading = (
        "Share of incidents still unresolved after t"
        if span == "time_to_resolve"
        else f"Share of incidents whose {label} has not ended after t"
    )
    top = float(curves["time"].dt.total_seconds().max())
    fig.update_layout(
        title=title(heading),
        height=420,
        xaxis={"title": f"t = {label}", **duration_axis(top)},
        yaxis={"title": "still open", "tickformat": ".0%", "range": [0, 1.02]},
        meta={"medians": medians, "span": span, "by": by},
    )
    return fig


def _curve(
    part: pd.DataFrame, name: str, color: str, band: str, confidence_level: float
) -> list[go.Scatter]:
    """One group's curve: its confidence band (upper, then lower filled to it), the step
    line, and ``+`` marks where open incidents leave the count."""
    x = part["time"].dt.total_seconds() / _HOURS
    edge = {"mode": "lines", "hoverinfo": "skip", "showlegend": False, "legendgroup": name}
    upper = go.Scatter(x=x, y=part["upper"], line={"width": 0, "shape": "hv"}, **edge)
    lower = go.Scatter(
        x=x, y=part["lower"], line={"width": 0, "shape": "hv"}, fill="tonexty", fillcolor=band,
        **edge,
    )  # fmt: skip
    hover = [
        f"<b>{html.escape(name)}</b> after {fmt.duration(t)}: {s:.0%} still open"
        f"<br>{confidence_level:.0%} band {lo:.0%}–{hi:.0%} · {r} at risk"
        for t, s, lo, hi, r in zip(
            part["time"], part["survival"], part["lower"], part["upper"], part["at_risk"],
            strict=True,
        )
    ]  # fmt: skip
    line = go.Scatter(
        name=f"{name} (n = {int(part['at_risk'].iloc[0])})",
        x=x,
        y=part["survival"],
        mode="lines",
        line={"shape": "hv", "color": color, "width": 2.5},
        hovertext=hover,
        hoverinfo="text",
        legendgroup=name,
    )
    cens = part[part["censored"] > 0]
    if not len(cens):
        return [upper, lower, line]
    marks = go.Scatter(
        name=f"{name}: still open at as-of",
        x=cens["time"].dt.total_seconds() / _HOURS,
        y=cens["survival"],
        mode="markers",
        marker={"symbol": "cross-thin-open", "size": 11, "color": color,
                "line": {"width": 2, "color": color}},
        hovertext=[f"{c} open, measured to as-of" for c in cens["censored"]],
        hoverinfo="text",
        showlegend=False,
        legendgroup=name,
    )  # fmt: skip
    return [upper, lower, line, marks]


def _group_rows(frame: pd.DataFrame, by: str, group: object) -> pd.DataFrame:
    if by == "service":
        return frame[frame["services"].map(lambda s: group in s)]
    if group == "not recorded" and frame[by].isna().any():
        return frame[frame[by].isna()]
    return frame[frame[by] == group]


def mark_changes(fig: go.Figure, changes: pd.DataFrame) -> go.Figure:
    """Mark on a :func:`trend` figure the periods whose change from the period before is
    more than noise (``changed`` rows of :func:`incident_kit.stats.period_changes`); the
    others stay unmarked, whatever their lines do."""
    for row in changes[changes["changed"]].itertuples():
        up = row.median_after > row.median_before
        fig.add_annotation(
            x=pd.Period(row.period).start_time,
            y=1.0,
            yref="paper",
            yanchor="bottom",
            showarrow=False,
            text=f"{'▲ longer' if up else '▼ shorter'} (p = {row.p_value:.3f})",
            hovertext=html.escape(row.verdict),
            font={"size": 12, "color": "#D55E00" if up else "#009E73"},
        )
    marked = changes.loc[changes["changed"], "period"].tolist() if len(changes) else []
    if len(changes) and not marked:  # say so: a spike in a line is not a change
        fig.add_annotation(
            x=1,
            y=1.0,
            xref="paper",
            yref="paper",
            xanchor="right",
            yanchor="bottom",
            showarrow=False,
            text="no month differs from the one before beyond noise (permutation test)",
            font={"size": 11, "color": "#666"},
        )
    fig.update_layout(meta={**(fig.layout.meta or {}), "changed_periods": marked})
    return fig
