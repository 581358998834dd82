"""Portfolio views that are not distributions: impact by service, action-item follow-through
and when incidents are detected (hour of week, business hours outlined)."""

from __future__ import annotations

import html

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .. import fmt, metrics, oncall
from ..errors import UnknownNameError
from ..model import IncidentSet
from .style import STATE_COLORS, TEMPLATE, empty_figure, title, wrap

__all__ = ["action_items", "detection_heatmap", "impact"]


def impact(iset: IncidentSet, as_of: object = None) -> go.Figure:
    """User-minutes lost and incidents per service (:func:`metrics.impact_by_service`).

    An incident on several services has its user-minutes split evenly among them, so the
    bars add up to the portfolio's total; the chart says so, and how many incidents have no
    user count (percentage only, or none) and so no user-minutes.
    """
    per = metrics.impact_by_service(iset, as_of)
    if per.empty:
        return empty_figure()
    imp = metrics.impact(iset, per.attrs["as_of"])
    no_users = imp["users_affected"].isna()
    pct_only = int((no_users & imp["users_affected_pct"].notna()).sum())
    per = per.sort_values(["user_minutes", "incidents"], ascending=True)
    fig = make_subplots(
        rows=1,
        cols=2,
        shared_yaxes=True,
        horizontal_spacing=0.04,
        subplot_titles=("user-minutes lost", "incidents"),
    )
    fig.update_layout(template=TEMPLATE)
    fig.add_trace(
        _service_bars(
            per["user_minutes"],
            "#D55E00",
            text=[fmt.number(v) for v in per["user_minutes"]],
            hovertemplate="%{y}: %{x:,.0f} user-minutes<extra></extra>",
        ),
        row=1,
        col=1,
    )
    fig.add_trace(
        _service_bars(
            per["incidents"],
            "#0072B2",
            text=per["incidents"],
            customdata=per[["no_user_count", "pct_only"]].to_numpy(),
            hovertemplate=(
                "%{y}: %{x} incidents<br>%{customdata[0]} without a user count "
                "(%{customdata[1]} with a percentage only)<extra></extra>"
            ),
        ),
        row=1,
        col=2,
    )
    total = float(imp["user_minutes"].sum())
    note = (
        f"User-minutes = users × impact duration: {fmt.number(total)} in all.<br>"
        "An incident on several services is split evenly among them."
    )
    if no_users.any():
        note += (
            f"<br>Not counted: {int(no_users.sum())} incident(s) without a user count"
            + (f" ({pct_only} with % only)" if pct_only else "")
            + "."
        )
    fig.update_layout(
        title=title("Impact by service", note),
        height=240 + 34 * len(per),
        meta={
            "total_user_minutes": total,
            "pct_only": pct_only,
            "no_user_count": int(no_users.sum()),
        },
    )
    return fig


def _service_bars(values, color: str, **style) -> go.Bar:
    """One figure per service as horizontal bars, labelled with their values."""
    return go.Bar(
        name=values.name.replace("_", "-"),
        y=values.index,
        x=values,
        orientation="h",
        marker={"color": color},
        textposition="auto",
        showlegend=False,
        **style,
    )


def action_items(iset: IncidentSet, as_of: object = None, *, by: str = "month") -> go.Figure:
    """Action items done / open / overdue, per month due (or per owner), stacked."""
    if iset.action_items.empty:
        return empty_figure("No action items")
    if by not in ("month", "owner"):
        raise UnknownNameError(f"cannot group action items by {by!r}; known: month, owner")
    counts = metrics.follow_through(iset, as_of, by=by)
    # follow_through counts overdue items as open too; the bars stack disjoint states
    table = counts[["done", "overdue"]].assign(open=counts["open"] - counts["overdue"])
    fig = go.Figure(layout={"template": TEMPLATE})
    for state in ("done", "open", "overdue"):
        fig.add_trace(
            go.Bar(
                name=state,
                x=table.index,
                y=table[state],
                marker={"color": STATE_COLORS[state]},
                hovertemplate=f"%{{x}}: %{{y}} {state}<extra></extra>",
            )
        )
    fig.update_layout(
        barmode="stack",
        title=title(f"Action items by {'month due' if by == 'month' else 'owner'}"),
        height=380,
        yaxis={"title": "items"},
        xaxis={"type": "category"},
    )
    return fig


def detection_heatmap(iset: IncidentSet, *, hours: oncall.BusinessHours | None = None) -> go.Figure:
    """Detections by hour of week in the zone of ``hours`` (a
    :class:`incident_kit.oncall.BusinessHours`), business hours outlined, with the share
    detected outside them."""
    hours = hours or oncall.BusinessHours()
    table = oncall.hour_of_week(iset, tz=hours.tz)
    total = int(table.to_numpy().sum())
    if not total:
        return empty_figure()
    share = oncall.after_hours(iset, hours).iloc[0]
    fig = go.Figure(
        go.Heatmap(
            z=table.to_numpy(),
            x=[f"{h:02d}" for h in table.columns],
            y=list(table.index),
            colorscale=[[0, "#f7fbff"], [0.01, "#deebf7"], [1, "#08519c"]],
            hovertemplate="%{y} %{x}:00–%{x}:59: %{z} detected<extra></extra>",
            colorbar={
                "title": "incidents",
                "dtick": max(1, int(np.ceil(table.to_numpy().max() / 5))),
            },
            xgap=2,
            ygap=2,
        ),
        layout={"template": TEMPLATE},
    )
    for day in sorted(set(hours.days)):
        fig.add_shape(
            type="rect",
            x0=hours.start - 0.5,
            x1=hours.end - 0.5,
            y0=day - 0.5,
            y1=day + 0.5,
            line={"color": "#E69F00", "width": 2},
        )
    fig.update_layout(
        title=title(
            f"Detections by hour of week ({html.escape(hours.tz)}): "
            f"{int(share['after_hours'])} of {int(share['incidents'])} "
            f"({share['share']:.0%}) outside business hours"
        ),
        height=360,
        xaxis={
            "title": wrap(f"hour ({html.escape(hours.tz)}); outlined: {hours.describe()}", 52),
            "type": "category",
        },
        yaxis={"autorange": "reversed", "type": "category"},
        meta={"after_hours": int(share["after_hours"]), "incidents": int(share["incidents"])},
    )
    return fig
