"""Plotly figures from incident frames: pure functions that return ``go.Figure``.

Every chart uses the package's registered template (``incident_kit``): a colour-blind-safe
palette (Okabe-Ito) with one fixed colour per severity, durations written like ``1h 27m``,
and times shown in ``display_tz``. Nothing here reads files or the clock; an empty selection
gives a figure that says "No incidents match" instead of an error.
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from plotly.subplots import make_subplots

from . import fmt, metrics
from .errors import UnknownNameError
from .markup import SEVERITY_COLORS, UNKNOWN_COLOR
from .model import SEVERITIES, IncidentSet
from .vocab import MILESTONE_LABELS

PHASE_COLORS = {
    "Impact": "#CC79A7",
    "Detection": "#E69F00",
    "Response": "#56B4E9",
    "Mitigation": "#009E73",
    "Resolution": "#0072B2",
}
KIND_LABELS = {
    **{k: v.capitalize() for k, v in MILESTONE_LABELS.items()},
    "communication": "Customer update",
    "update": "Update",
}
#: Timeline markers of the updates: customer-facing ones stand out from internal notes.
_UPDATE_MARKERS = {
    "communication": {"symbol": "square", "color": "#D55E00"},
    "update": {"symbol": "circle", "color": "#999"},
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


def _local(ts: object, tz: str) -> pd.Timestamp | None:
    """A UTC time as a naive wall-clock time in ``tz`` (what a plotly date axis shows)."""
    if ts is None or pd.isna(ts):
        return None
    return pd.Timestamp(ts).tz_convert(tz).tz_localize(None)


def _esc(value: object) -> str:
    return html.escape(fmt.text(value), quote=False)


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


PHASES = (
    ("Impact", ("impact_start",), ("mitigated", "resolved")),
    ("Detection", ("impact_start",), ("detected",)),
    ("Response", ("detected",), ("response_started",)),
    ("Mitigation", ("response_started",), ("mitigated",)),
    ("Resolution", ("mitigated",), ("resolved",)),
)


def timeline(
    iset: IncidentSet,
    incident_id: str,
    as_of: object = None,
    display_tz: str = "UTC",
) -> go.Figure:
    """One incident on a time axis: phase bars labelled with their durations and every event
    as a marker on its kind's lane (hover: time, kind, actor, role, description).

    An open incident's bars run to ``as_of`` (else to its latest event) with a hatched end and
    an "ongoing" label; phases whose milestones are unknown are left out and named.
    """
    one = iset.select([incident_id])
    inc = one.incidents.iloc[0]
    first = metrics.milestones(one).iloc[0]
    open_ = bool(metrics.is_open(one).iloc[0])
    as_of_utc = metrics.to_utc(as_of)
    last_event = one.events["timestamp"].max() if len(one.events) else None
    horizon = as_of_utc if as_of_utc is not None else last_event

    fig = go.Figure(layout={"template": TEMPLATE})
    lanes: list[str] = []
    unknown: list[str] = []
    for name, starts, ends in PHASES:
        start = next((first[k] for k in starts if pd.notna(first[k])), None)
        end = next((first[k] for k in ends if pd.notna(first[k])), None)
        if start is None and name == "Impact" and pd.notna(first["detected"]):
            start = first["detected"]  # impact start unknown: assume detection, and say so
        ongoing = end is None and open_ and start is not None and horizon is not None
        if ongoing:
            end = max(horizon, start)
        if start is None or end is None:
            missing = [KIND_LABELS[k] for k in (*starts[:1], *ends[:1]) if pd.isna(first[k])]
            unknown.extend(m for m in missing if m not in unknown)
            continue
        length = end - start
        label = fmt.duration(length) + (" (ongoing)" if ongoing else "")
        lanes.append(name)
        fig.add_trace(
            go.Bar(
                name=name,
                y=[name],
                base=[_local(start, display_tz)],
                x=[length.total_seconds() * 1000.0],
                orientation="h",
                text=[label],
                textposition="auto",
                insidetextanchor="middle",
                marker={
                    "color": PHASE_COLORS[name],
                    "pattern": {
                        "shape": "/" if ongoing else "",
                        "fillmode": "overlay",
                        "fgcolor": "rgba(255,255,255,0.7)",
                    },
                    "line": {"color": "#333" if ongoing else PHASE_COLORS[name], "width": 1},
                },
                customdata=[[fmt.timestamp(start, display_tz), fmt.timestamp(end, display_tz)]],
                hovertemplate=(
                    f"<b>{name}</b>: {label}<br>from %{{customdata[0]}}<br>"
                    f"to %{{customdata[1]}}{' (ongoing)' if ongoing else ''}<extra></extra>"
                ),
                showlegend=False,
                meta={"ongoing": ongoing, "start": start.isoformat(), "end": end.isoformat()},
            )
        )
    ev = one.events
    for kind, label in KIND_LABELS.items():
        rows = ev[ev["kind"] == kind]
        if rows.empty:
            continue
        lanes.append(label)
        hover = [
            "<br>".join(
                filter(
                    None,
                    [
                        f"<b>{label}</b> {fmt.timestamp(r.timestamp, display_tz)}",
                        f"by {_esc(r.actor)}" if pd.notna(r.actor) else "",
                        f"to {_esc(r.role)}" if pd.notna(r.role) else "",
                        _esc(r.description) if pd.notna(r.description) else "",
                    ],
                )
            )
            for r in rows.itertuples()
        ]
        fig.add_trace(
            go.Scatter(
                name=label,
                x=[_local(t, display_tz) for t in rows["timestamp"]],
                y=[label] * len(rows),
                mode="markers",
                marker={
                    "size": 12,
                    **_UPDATE_MARKERS.get(kind, {"symbol": "diamond", "color": "#333"}),
                    "line": {"width": 1, "color": "white"},
                },
                hovertext=hover,
                hoverinfo="text",
                showlegend=False,
            )
        )
    if open_ and horizon is not None:
        x = _local(horizon, display_tz)
        fig.add_shape(
            type="line",
            x0=x,
            x1=x,
            y0=0,
            y1=1,
            yref="paper",
            line={"dash": "dash", "color": "#D55E00", "width": 1.5},
        )
        fig.add_annotation(
            x=x,
            y=1,
            yref="paper",
            yanchor="bottom",
            showarrow=False,
            text="ongoing"
            + (
                f" as of {fmt.timestamp(as_of_utc, display_tz)}"
                if as_of_utc is not None
                else " (as of last event)"
            ),
            font={"color": "#D55E00", "size": 12},
        )
    if not lanes:
        return empty_figure(f"{incident_id}: no timeline recorded")
    sev = str(inc["severity"]) if pd.notna(inc["severity"]) else None
    color = SEVERITY_COLORS.get(sev, UNKNOWN_COLOR)
    badge = f"<span style='color:{color}'>■ {sev or 'severity not recorded'}</span>"
    title = f"{badge} {_esc(incident_id)} · {_esc(inc['title'])}"
    if unknown:
        fig.add_annotation(
            text="Unknown: " + ", ".join(unknown),
            showarrow=False,
            x=1,
            y=-0.12,
            xref="paper",
            yref="paper",
            xanchor="right",
            yanchor="top",
            font={"size": 11, "color": "#666"},
        )
    # Frame the incident itself; a post-mortem days later stays reachable by zooming out.
    window = [
        t for t in (*first.drop("postmortem").dropna(), horizon if open_ else None) if t is not None
    ]
    if len(ev):
        window += list(ev.loc[ev["kind"] != "postmortem", "timestamp"])
    lo, hi = min(window), max(window)
    pad = max((hi - lo) * 0.06, pd.Timedelta(minutes=2))
    fig.update_layout(
        title={"text": title, "font": {"color": color}},
        barmode="overlay",
        height=160 + 38 * len(lanes),
        margin={"b": 60},
        xaxis={
            "type": "date",
            "title": f"time ({display_tz})",
            "range": [_local(lo - pad, display_tz), _local(hi + pad * 2.5, display_tz)],
        },
        yaxis={"categoryorder": "array", "categoryarray": lanes[::-1], "title": None},
        meta={"incident_id": incident_id, "unknown": unknown, "display_tz": display_tz},
    )
    return fig


def _span_bounds(iset: IncidentSet, as_of: object) -> pd.DataFrame:
    first = metrics.milestones(iset)
    start, _ = metrics.first_of(first, ("impact_start", "detected"))
    end, _ = metrics.first_of(first, ("resolved", "mitigated"))
    open_ = metrics.is_open(iset, first)
    as_of = metrics.to_utc(as_of)
    last = iset.events.groupby("incident_id")["timestamp"].max().reindex(first.index)
    fill = as_of if as_of is not None else last
    ongoing = open_ & end.isna()
    end = end.where(~ongoing, fill)
    return pd.DataFrame({"start": start, "end": end, "ongoing": ongoing})


def portfolio_timeline(
    iset: IncidentSet, *, y: str = "service", as_of: object = None, display_tz: str = "UTC"
) -> go.Figure:
    """Every incident as a bar over the calendar, one lane per service (or severity),
    coloured by severity; hover shows ID, title and the key durations."""
    if y not in ("service", "severity"):
        raise UnknownNameError(f"cannot lay incidents out by {y!r}; known: service, severity")
    bounds = _span_bounds(iset, as_of).dropna(subset=["start"])
    if bounds.empty:
        return empty_figure()
    dur = metrics.durations(iset, as_of)
    inc = iset.incidents
    rows = bounds.join(inc[["title", "severity", "services"]]).join(
        dur[["time_to_detect", "time_to_resolve", "impact_duration"]]
    )
    rows["end"] = rows["end"].fillna(rows["start"])
    if y == "service":
        rows = rows.assign(lane=rows["services"].map(lambda s: s or ["not recorded"])).explode(
            "lane"
        )
    else:
        rows = rows.assign(lane=rows["severity"].astype("object").fillna("not recorded"))
    fig = go.Figure(layout={"template": TEMPLATE})
    for sev in [*SEVERITIES, None]:
        part = (
            rows[rows["severity"].astype("object").eq(sev)]
            if sev
            else rows[rows["severity"].isna()]
        )
        if part.empty:
            continue
        length = (part["end"] - part["start"]).dt.total_seconds() * 1000.0
        custom = np.stack(
            [
                part.index.to_numpy(),
                [_esc(t) for t in part["title"]],
                [fmt.duration(v) for v in part["time_to_detect"]],
                [fmt.duration(v) for v in part["time_to_resolve"]],
                [fmt.duration(v) for v in part["impact_duration"]],
                ["ongoing" if o else "" for o in part["ongoing"]],
            ],
            axis=1,
        )
        fig.add_trace(
            go.Bar(
                name=sev or "severity not recorded",
                y=part["lane"],
                base=[_local(t, display_tz) for t in part["start"]],
                x=np.maximum(
                    length.to_numpy(), 60_000.0 * 20
                ),  # at least 20 min wide, so it can be seen
                orientation="h",
                marker={"color": SEVERITY_COLORS.get(sev, UNKNOWN_COLOR)},
                customdata=custom,
                hovertemplate=(
                    "<b>%{customdata[0]}</b> %{customdata[1]}<br>time to detect %{customdata[2]}"
                    "<br>time to resolve %{customdata[3]}<br>impact %{customdata[4]} "
                    "%{customdata[5]}<extra></extra>"
                ),
            )
        )
    lanes = sorted(rows["lane"].unique())
    fig.update_layout(
        title="Incidents over time",
        barmode="overlay",
        height=160 + 36 * len(lanes),
        xaxis={"type": "date", "title": f"time ({display_tz})"},
        yaxis={"categoryorder": "array", "categoryarray": lanes[::-1]},
        legend_title_text="severity",
    )
    return fig


def _unit(seconds: pd.Series) -> tuple[float, str]:
    top = float(seconds.max()) if len(seconds.dropna()) else 0.0
    if top >= 3 * 86400:
        return 86400.0, "days"
    if top >= 3 * 3600:
        return 3600.0, "hours"
    return 60.0, "minutes"


def _groups(frame: pd.DataFrame, by: str | None) -> pd.DataFrame:
    if by is None:
        return frame.assign(group="all")
    if by == "service":
        return frame.assign(group=frame["services"]).explode("group").dropna(subset=["group"])
    if by not in frame.columns:
        raise UnknownNameError(f"cannot group by {by!r}; known: {', '.join(metrics.GROUPS)}")
    return frame.assign(group=frame[by].astype("object").fillna("not recorded"))


def durations(
    frame: pd.DataFrame, span: str = "time_to_resolve", *, by: str | None = "severity"
) -> go.Figure:
    """Distribution of one span per group: every incident as a point, with a box, and the
    median and p90 marked. Ongoing (censored) values are left out, as in summaries."""
    if span not in frame.columns:
        raise UnknownNameError(f"no span {span!r}; known: {', '.join(metrics.span_columns(frame))}")
    ongoing = frame.get(f"{span}_ongoing", pd.Series(False, index=frame.index)).astype(bool)
    data = _groups(frame[~ongoing & frame[span].notna()], by)
    if data.empty:
        return empty_figure()
    seconds = data[span].dt.total_seconds()
    scale, unit = _unit(seconds)
    order = (
        [g for g in SEVERITIES if g in set(data["group"])]
        if by == "severity"
        else sorted(data["group"].unique())
    )
    order += [g for g in data["group"].unique() if g not in order]
    stats = data.groupby("group")[span].agg(["median", lambda v: v.quantile(0.9)])
    stats.columns = ["median", "p90"]
    stats = stats.reindex(order)
    labels = {
        g: f"<b>{html.escape(str(g))}</b><br>median {fmt.duration(stats.at[g, 'median'])}"
        f"<br>p90 {fmt.duration(stats.at[g, 'p90'])}"
        for g in order
    }
    fig = go.Figure(layout={"template": TEMPLATE})
    # Severity gets a box (and colour) per group; other groupings, possibly dozens of groups,
    # share one box trace and one marker trace so the figure stays quick to build and draw.
    boxes = [(g, data[data["group"] == g]) for g in order] if by == "severity" else [(None, data)]
    for group, part in boxes:
        color = SEVERITY_COLORS.get(group, "#0072B2") if group is not None else "#0072B2"
        fig.add_trace(
            go.Box(
                name=labels[group] if group is not None else span,
                x=None if group is not None else part["group"].map(labels).to_numpy(),
                y=part[span].dt.total_seconds() / scale,
                boxpoints="all",
                jitter=0.4,
                pointpos=0,
                marker={"color": color, "size": 8, "opacity": 0.8},
                line={"color": color},
                fillcolor="rgba(0,0,0,0)",
                customdata=np.stack([part.index.to_numpy(), fmt.durations(part[span])], axis=1),
                hovertemplate="<b>%{customdata[0]}</b>: %{customdata[1]}<extra></extra>",
                showlegend=False,
                boxmean=False,
            )
        )
    marks = [(g, stats.loc[[g]]) for g in order] if by == "severity" else [(None, stats)]
    for group, st in marks:
        xs = [labels[g] for g in st.index]
        fig.add_trace(
            go.Scatter(
                name=f"{group} median / p90" if group is not None else "median / p90",
                x=xs + xs,
                y=list(st["median"].dt.total_seconds() / scale)
                + list(st["p90"].dt.total_seconds() / scale),
                mode="markers",
                hovertext=[f"median {fmt.duration(v)}" for v in st["median"]]
                + [f"p90 {fmt.duration(v)}" for v in st["p90"]],
                marker={
                    "symbol": ["line-ew-open"] * len(xs) + ["triangle-up-open"] * len(xs),
                    "size": [28] * len(xs) + [12] * len(xs),
                    "color": "#000",
                    "line": {"width": 2},
                },
                hoverinfo="text",
                showlegend=False,
                meta={
                    "median": [v.isoformat() for v in st["median"]],
                    "p90": [v.isoformat() for v in st["p90"]],
                }
                if group is None
                else {
                    "median": st["median"].iloc[0].isoformat(),
                    "p90": st["p90"].iloc[0].isoformat(),
                },
            )
        )
    name = span.replace("_", " ")
    fig.update_layout(
        title=f"{name.capitalize()} by {by or 'portfolio'}",
        yaxis={"title": f"{name} ({unit})", "rangemode": "tozero"},
        xaxis={
            "title": by or "",
            "categoryorder": "array",
            "categoryarray": [labels[g] for g in order],
        },
        height=420,
    )
    return fig


def trend(frame: pd.DataFrame, span: str = "time_to_resolve", *, freq: str = "MS") -> go.Figure:
    """Incidents per period as bars, with the median and p90 of ``span`` as lines on a
    second axis (periods start at ``freq``: ``MS`` months, ``W-MON`` weeks)."""
    if span not in frame.columns:
        raise UnknownNameError(f"no span {span!r}; known: {', '.join(metrics.span_columns(frame))}")
    data = frame[frame["started"].notna()]
    if data.empty:
        return empty_figure()
    ongoing = data.get(f"{span}_ongoing", pd.Series(False, index=data.index)).astype(bool)
    period = (
        data["started"]
        .dt.tz_convert("UTC")
        .dt.tz_localize(None)
        .dt.to_period("M" if freq == "MS" else freq)
        .dt.start_time
    )
    counts = period.value_counts().sort_index()
    full = pd.date_range(counts.index.min(), counts.index.max(), freq=freq)
    counts = counts.reindex(full.union(counts.index), fill_value=0)
    finished = data[span].where(~ongoing)
    by_period = finished.groupby(period)
    med = by_period.median().reindex(counts.index)
    p90 = by_period.quantile(0.9).reindex(counts.index)
    scale, unit = _unit(pd.concat([med, p90]).dt.total_seconds())
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.update_layout(template=TEMPLATE)
    fig.add_trace(
        go.Bar(
            name="incidents",
            x=counts.index,
            y=counts.to_numpy(),
            marker={"color": "#cfd8e3"},
            hovertemplate="%{x|%b %Y}: %{y} incidents<extra></extra>",
        ),
        secondary_y=False,
    )
    for name, series, dash in (("median", med, "solid"), ("p90", p90, "dash")):
        fig.add_trace(
            go.Scatter(
                name=f"{name} {span.replace('_', ' ')}",
                x=series.index,
                y=series.dt.total_seconds() / scale,
                mode="lines+markers",
                line={"dash": dash, "color": "#0072B2" if name == "median" else "#D55E00"},
                text=[fmt.duration(v, missing="no finished incidents") for v in series],
                hoverinfo="x+text+name",
                connectgaps=False,
            ),
            secondary_y=True,
        )
    fig.update_layout(
        title=f"Incidents per period and {span.replace('_', ' ')}",
        height=420,
        xaxis={"title": None, "dtick": "M1", "tickformat": "%b %Y"} if freq == "MS" else {},
    )
    fig.update_yaxes(title_text="incidents", secondary_y=False, rangemode="tozero")
    fig.update_yaxes(
        title_text=f"{span.replace('_', ' ')} ({unit})",
        secondary_y=True,
        rangemode="tozero",
        showgrid=False,
    )
    return fig


def impact(iset: IncidentSet, as_of: object = None) -> go.Figure:
    """User-minutes lost and incident count per service, sorted by user-minutes."""
    frame = metrics.impact(iset, as_of)
    data = frame.assign(service=frame["services"]).explode("service").dropna(subset=["service"])
    if data.empty:
        return empty_figure()
    per = data.groupby("service").agg(
        user_minutes=("user_minutes", "sum"), incidents=("service", "size")
    )
    per["user_minutes"] = per["user_minutes"].astype("float64")
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
        go.Bar(
            y=per.index,
            x=per["user_minutes"],
            orientation="h",
            marker={"color": "#D55E00"},
            text=[fmt.number(v) for v in per["user_minutes"]],
            textposition="auto",
            hovertemplate="%{y}: %{x:,.0f} user-minutes<extra></extra>",
            showlegend=False,
        ),
        row=1,
        col=1,
    )
    fig.add_trace(
        go.Bar(
            y=per.index,
            x=per["incidents"],
            orientation="h",
            marker={"color": "#0072B2"},
            text=per["incidents"],
            textposition="auto",
            hovertemplate="%{y}: %{x} incidents<extra></extra>",
            showlegend=False,
        ),
        row=1,
        col=2,
    )
    fig.update_layout(title="Impact by service", height=160 + 34 * len(per))
    return fig


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
        title=f"Action items by {'month due' if by == 'month' else 'owner'}",
        height=380,
        yaxis={"title": "items"},
        xaxis={"type": "category"},
    )
    return fig
