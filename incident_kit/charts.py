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
from .model import KIND_RANK, SEVERITIES, UPDATE_KINDS, IncidentSet
from .vocab import MILESTONE_LABELS

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


def _legend_entry(name: str, **style) -> go.Scatter:
    """A legend-only trace: explains a marker or line without drawing anything."""
    return go.Scatter(name=name, x=[None], y=[None], showlegend=True, hoverinfo="skip", **style)


def _span_lanes(d: pd.Series, first: pd.Series, spans: list[metrics.Span]) -> tuple[list, list]:
    """Each span as it is measured in ``d`` (the metrics' own values): bars to draw, and
    spans that end at the post-mortem (days later, off the plotted range) as notes."""
    bars, notes = [], []
    for span in spans:
        recorded = [k for k in span.start if pd.notna(first[k])]
        item = {
            "span": span,
            "value": d[span.name],
            "ongoing": bool(d[f"{span.name}_ongoing"]),
            "start": first[recorded[0]] if recorded else pd.NaT,
            "assumed": bool(recorded) and recorded[0] != span.start[0],
        }
        if "postmortem" in span.end:
            notes.append(item)
        elif pd.notna(item["value"]) and pd.notna(item["start"]):
            bars.append(item)
    return bars, notes


def _kind_label(kinds: tuple[str, ...], first: pd.Series) -> str:
    kind = next((k for k in kinds if pd.notna(first[k])), kinds[0])
    return KIND_LABELS[kind]


def timeline(
    iset: IncidentSet,
    incident_id: str,
    as_of: object = None,
    display_tz: str = "UTC",
    *,
    spans: list[str] | None = None,
) -> go.Figure:
    """One incident on a time axis: a bar per registered span and every event as a marker on
    its kind's lane (hover: time, kind, actor, role, description).

    The bars are the spans of :func:`incident_kit.metrics.durations`, named and measured as
    everywhere else (``Time to mitigate · 46m``), so the chart never shows a figure the page
    contradicts. An open incident's spans run to ``as_of`` (default now, see
    :func:`incident_kit.metrics.resolve_as_of`), hatched and labelled "(ongoing)"; spans whose
    milestones are unknown are left out and named; a post-mortem off the plotted range is a
    note on its lane. The legend explains every marker.
    """
    one = iset.select([incident_id])
    inc = one.incidents.iloc[0]
    as_of_utc = metrics.resolve_as_of(as_of)
    d = metrics.durations(one, as_of_utc).iloc[0]
    first = metrics.milestones(one).iloc[0]
    open_ = bool(metrics.is_open(one).iloc[0])
    chosen = metrics.get_spans(spans)
    bars, notes = _span_lanes(d, first, chosen)

    fig = go.Figure(layout={"template": TEMPLATE})
    lanes: list[str] = []
    texts: dict[str, str] = {}
    for item in bars:
        span, value, ongoing = item["span"], item["value"], item["ongoing"]
        start = item["start"]
        end = start + value
        label = fmt.duration(value, ongoing=ongoing)
        texts[span.label] = label
        lanes.append(span.label)
        color = SPAN_COLORS.get(span.name, OTHER_SPAN_COLOR)
        frm = _kind_label(span.start, first)
        to = "as of" if ongoing else _kind_label(span.end, first)
        note = (
            f"<br>{frm}: {span.start[0].replace('_', ' ')} not recorded" if item["assumed"] else ""
        )
        fig.add_trace(
            go.Bar(
                name=span.label,
                y=[span.label],
                base=[_local(start, display_tz)],
                x=[value.total_seconds() * 1000.0],
                orientation="h",
                text=[label],
                textposition="auto",
                insidetextanchor="middle",
                marker={
                    "color": color,
                    "pattern": {
                        "shape": "/" if ongoing else "",
                        "fillmode": "overlay",
                        "fgcolor": "rgba(255,255,255,0.7)",
                    },
                    "line": {"color": "#333" if ongoing else color, "width": 1},
                },
                customdata=[[fmt.timestamp(start, display_tz), fmt.timestamp(end, display_tz)]],
                hovertemplate=(
                    f"<b>{span.label}</b>: {label}<br>{frm} %{{customdata[0]}}"
                    f"<br>{to} %{{customdata[1]}}{note}<extra></extra>"
                ),
                showlegend=False,
                meta={
                    "span": span.name,
                    "ongoing": ongoing,
                    "start": start.isoformat(),
                    "end": end.isoformat(),
                },
            )
        )
    ev = one.events
    kinds_seen = []
    for kind, label in KIND_LABELS.items():
        rows = ev[ev["kind"] == kind]
        if rows.empty:
            continue
        kinds_seen.append(kind)
        lanes.append(label)
        fig.add_trace(
            go.Scatter(
                name=label,
                x=[_local(t, display_tz) for t in rows["timestamp"]],
                y=[label] * len(rows),
                mode="markers",
                marker=_MARKERS.get(kind, _MARKERS["milestone"]),
                hovertext=[_event_hover(label, r, display_tz) for r in rows.itertuples()],
                hoverinfo="text",
                showlegend=False,
            )
        )
    if not lanes:
        return empty_figure(f"{incident_id}: no timeline recorded")
    window = [t for t in first.drop("postmortem").dropna()]
    window += list(ev.loc[ev["kind"] != "postmortem", "timestamp"].dropna())
    if open_:
        window.append(as_of_utc)
    lo, hi = min(window), max(window)
    pad = max((hi - lo) * 0.06, pd.Timedelta(minutes=2))
    right = hi + pad * 2.5
    for item in notes:
        if "postmortem" in kinds_seen and first["postmortem"] > right:
            text = _postmortem_note(fig, item, first["postmortem"], display_tz)
            if pd.notna(item["value"]):
                texts[item["span"].label] = text
    _legend(fig, bars, kinds_seen, open_, as_of_utc, display_tz)
    unknown = _not_recorded(d, first, chosen, open_)
    sev = str(inc["severity"]) if pd.notna(inc["severity"]) else None
    color = SEVERITY_COLORS.get(sev, UNKNOWN_COLOR)
    badge = f"<span style='color:{color}'>■ {sev or 'severity not recorded'}</span>"
    title = {
        "text": f"{badge} {_esc(incident_id)} · {_esc(inc['title'])}",
        "font": {"color": color},
    }
    if unknown:
        title["subtitle"] = {
            "text": "Not recorded: " + ", ".join(unknown),
            "font": {"color": "#666"},
        }
    fig.update_layout(
        title=title,
        barmode="overlay",
        height=200 + 32 * len(lanes),
        xaxis={
            "type": "date",
            "title": f"time ({display_tz})",
            "range": [_local(lo - pad, display_tz), _local(right, display_tz)],
        },
        yaxis={"categoryorder": "array", "categoryarray": lanes[::-1], "title": None},
        meta={
            "incident_id": incident_id,
            "unknown": unknown,
            "display_tz": display_tz,
            "as_of": as_of_utc.isoformat(),
            "labels": texts,
        },
    )
    return fig


_MARKERS = {
    "milestone": {
        "size": 12,
        "symbol": "diamond",
        "color": "#333",
        "line": {"width": 1, "color": "white"},
    },
    # customer-facing updates stand out from internal notes
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


def _event_hover(label: str, r, display_tz: str) -> str:
    return "<br>".join(
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


def _postmortem_note(fig: go.Figure, item: dict, when: pd.Timestamp, display_tz: str) -> str:
    """A post-mortem later than the plotted range: say how much later, on its lane, at the
    right edge (the chart frames the incident; zoom out to see the marker)."""
    span, value = item["span"], item["value"]
    duration = fmt.duration(value)
    text = (
        f"{span.label} {duration} →"
        if pd.notna(value)
        else f"{KIND_LABELS['postmortem']} on {fmt.timestamp(when, display_tz)} →"
    )
    fig.add_annotation(
        text=text,
        x=1,
        xref="paper",
        xanchor="right",
        y=KIND_LABELS["postmortem"],
        yref="y",
        showarrow=False,
        font={"size": 12, "color": "#333"},
        hovertext=f"{KIND_LABELS['postmortem']} {fmt.timestamp(when, display_tz)}",
    )
    return duration


def _not_recorded(
    d: pd.Series, first: pd.Series, spans: list[metrics.Span], open_: bool
) -> list[str]:
    """The milestones whose absence leaves a span unmeasured, in milestone order. In an open
    incident a milestone later than every recorded one has not happened yet: not listed."""
    latest = max((KIND_RANK.get(k, -1) for k in first.index if pd.notna(first[k])), default=-1)
    missing = set()
    for span in spans:
        if pd.notna(d[span.name]):
            continue
        for kinds in (span.start, span.end):
            if all(pd.isna(first[k]) for k in kinds):
                missing.add(kinds[0])
    if open_:
        missing = {k for k in missing if KIND_RANK.get(k, latest) < latest}
    return [KIND_LABELS[k] for k in KIND_LABELS if k in missing]


def _legend(
    fig: go.Figure,
    bars: list[dict],
    kinds: list[str],
    open_: bool,
    as_of: pd.Timestamp,
    display_tz: str,
) -> None:
    """Legend entries for every kind of mark the chart uses (and only those)."""
    if bars:
        fig.add_trace(
            _legend_entry(
                "span (bar: from its first milestone to its last)",
                mode="markers",
                marker={"symbol": "square", "size": 12, "color": "#0072B2"},
            )
        )
    if any(b["ongoing"] for b in bars):
        fig.add_trace(
            _legend_entry(
                "ongoing span (hatched: runs to the as-of time)",
                mode="markers",
                marker={"symbol": "square-open", "size": 12, "color": "#333", "line": {"width": 2}},
            )
        )
    if any(k not in UPDATE_KINDS for k in kinds):
        fig.add_trace(
            _legend_entry(
                "milestone (hover: when, who)", mode="markers", marker=_MARKERS["milestone"]
            )
        )
    if "communication" in kinds:
        fig.add_trace(
            _legend_entry(
                "customer update (status page, customers)",
                mode="markers",
                marker=_MARKERS["communication"],
            )
        )
    if "update" in kinds:
        fig.add_trace(_legend_entry("internal update", mode="markers", marker=_MARKERS["update"]))
    if open_:
        x = _local(as_of, display_tz)
        fig.add_shape(
            type="line",
            x0=x,
            x1=x,
            y0=0,
            y1=1,
            yref="paper",
            line={"dash": "dash", "color": AS_OF_COLOR, "width": 1.5},
        )
        when = fmt.timestamp(as_of, display_tz)
        fig.add_annotation(
            x=x,
            y=1,
            yref="paper",
            yanchor="bottom",
            xanchor="right",
            showarrow=False,
            text=f"ongoing as of {when}",
            font={"color": AS_OF_COLOR, "size": 12},
        )
        fig.add_trace(
            _legend_entry(
                f"as of {when} (open incident)",
                mode="lines",
                line={"dash": "dash", "color": AS_OF_COLOR, "width": 1.5},
            )
        )
    # below the axis, so it never collides with the title however narrow the page
    fig.update_layout(
        showlegend=True,
        legend={"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom", "x": 0},
        margin={"b": 110},
    )


def _span_bounds(iset: IncidentSet, as_of: object) -> pd.DataFrame:
    first = metrics.milestones(iset)
    start, _ = metrics.first_of(first, ("impact_start", "detected"))
    end, _ = metrics.first_of(first, ("resolved", "mitigated"))
    open_ = metrics.is_open(iset, first)
    ongoing = open_ & end.isna()
    end = end.where(~ongoing, as_of)
    return pd.DataFrame({"start": start, "end": end, "ongoing": ongoing})


_KEY = ("time_to_detect", "time_to_resolve", "impact_duration")


def portfolio_timeline(
    iset: IncidentSet, *, y: str = "service", as_of: object = None, display_tz: str = "UTC"
) -> go.Figure:
    """Every incident as a bar over the calendar, one lane per service (or severity),
    coloured by severity; hover shows ID, title and the key durations."""
    if y not in ("service", "severity"):
        raise UnknownNameError(f"cannot lay incidents out by {y!r}; known: service, severity")
    as_of = metrics.resolve_as_of(as_of)
    bounds = _span_bounds(iset, as_of).dropna(subset=["start"])
    if bounds.empty:
        return empty_figure()
    dur = metrics.durations(iset, as_of)
    inc = iset.incidents
    rows = bounds.join(inc[["title", "severity", "services"]]).join(
        dur[[f"{k}{x}" for k in _KEY for x in ("", "_ongoing")]]
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
                *(
                    [
                        fmt.duration(v, ongoing=o)
                        for v, o in zip(part[k], part[f"{k}_ongoing"], strict=True)
                    ]
                    for k in _KEY
                ),
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
                    "<br>time to resolve %{customdata[3]}<br>impact duration %{customdata[4]}"
                    "<extra></extra>"
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


#: Tick steps for duration axes (seconds): 15m, 30m, 1h, 2h, ... never 5.24 hours.
TICK_STEPS = (
    1, 5, 10, 15, 30,
    60, 2 * 60, 5 * 60, 10 * 60, 15 * 60, 30 * 60,
    3600, 2 * 3600, 3 * 3600, 6 * 3600, 12 * 3600,
    86400, 2 * 86400, 7 * 86400, 14 * 86400, 30 * 86400, 90 * 86400, 365 * 86400,
)  # fmt: skip


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


def _groups(frame: pd.DataFrame, by: str | None) -> pd.DataFrame:
    if by is None:
        return frame.assign(group="all")
    if by == "service":
        return frame.assign(group=frame["services"]).explode("group").dropna(subset=["group"])
    if by not in frame.columns:
        raise UnknownNameError(f"cannot group by {by!r}; known: {', '.join(metrics.GROUPS)}")
    return frame.assign(group=frame[by].astype("object").fillna("not recorded"))


def _group_stats(frame: pd.DataFrame, span: str, by: str | None) -> pd.DataFrame:
    """n, median and p90 per group from :func:`metrics.summarize` (the pages' own figures,
    with its rule that a p90 needs ``P90_MIN_COUNT`` finished values)."""
    if by is None:
        s = metrics.summarize(frame, columns=[span]).assign(group="all")
    else:
        data = frame
        if by != "service":
            data = frame.assign(**{by: frame[by].astype("object").fillna("not recorded")})
        s = metrics.summarize(data, by=by, columns=[span])
        s = s.assign(group=s[by].astype("object"))
    return s.set_index("group")[["count", "median", "p90"]]


def _stat_label(group: object, row: pd.Series, show=fmt.duration) -> str:
    p90 = show(row["p90"]) if pd.notna(row["p90"]) else f"– (needs n ≥ {metrics.P90_MIN_COUNT})"
    return (
        f"<b>{html.escape(str(group))}</b> (n={int(row['count'])})"
        f"<br>median {show(row['median'], missing='–')}<br>p90 {p90}"
    )


def _meta(value: object) -> object:
    """A figure for a trace's ``meta``: ISO text for a duration, else the number."""
    return value.isoformat() if isinstance(value, pd.Timedelta) else float(value)


_MEDIAN_MARK = {"symbol": "line-ew-open", "size": 28, "color": "#000", "line": {"width": 2}}
_P90_MARK = {"symbol": "triangle-up-open", "size": 12, "color": "#000", "line": {"width": 2}}


def _even_sample(values: np.ndarray, k: int) -> np.ndarray:
    """Positions of ``k`` of ``values`` spread evenly by rank (smallest and largest kept), so
    the drawn points keep the shape of the distribution."""
    if len(values) <= k:
        return np.arange(len(values))
    order = np.argsort(values, kind="stable")
    return np.sort(order[np.unique(np.linspace(0, len(values) - 1, k).round().astype(int))])


def _box_stats(hours: pd.Series) -> dict:
    """Quartiles (linear, as plotly computes them) and the 1.5 IQR fences of one group."""
    v = np.sort(hours.to_numpy(dtype=float))
    q1, med, q3 = np.percentile(v, [25, 50, 75])
    reach = 1.5 * (q3 - q1)
    return {
        "q1": q1,
        "median": med,
        "q3": q3,
        "lowerfence": v[v >= q1 - reach].min(),
        "upperfence": v[v <= q3 + reach].max(),
    }


def _thin(parts: list[tuple[object, pd.DataFrame]], max_points: int | None) -> list:
    """Each group's rows to draw as points: all of them, or with more than ``max_points`` in
    all, a share of ``max_points`` (at least 50 a group) picked evenly by rank."""
    total = sum(len(p) for _, p in parts)
    if max_points is None or total <= max_points:
        return [p for _, p in parts]
    out = []
    for group, part in parts:
        values = part["_hours"].to_numpy()
        if group is None:  # one shared trace: thin each group within it
            keep = np.concatenate(
                [
                    np.flatnonzero(part["group"].to_numpy() == g)[
                        _even_sample(values[part["group"].to_numpy() == g], k)
                    ]
                    for g, k in (
                        (g, max(50, round(max_points * n / total)))
                        for g, n in part["group"].value_counts(sort=False).items()
                    )
                ]
            )
            out.append(part.iloc[np.sort(keep)])
        else:
            out.append(
                part.iloc[_even_sample(values, max(50, round(max_points * len(part) / total)))]
            )
    return out


def durations(
    frame: pd.DataFrame,
    span: str = "time_to_resolve",
    *,
    by: str | None = "severity",
    max_points: int | None = None,
) -> go.Figure:
    """Distribution of one span per group: every incident as a point, with a box, and the
    median and p90 marked; each group's label gives its n. Ongoing (censored) values are
    left out, as in summaries, and a p90 is only drawn from ``P90_MIN_COUNT`` values up.

    With more than ``max_points`` incidents, that many are drawn as points (picked evenly by
    value in each group, smallest and largest kept) and the chart says so; boxes, medians and
    p90s still come from every incident. Thousands of overlapping points tell nothing more
    and make the chart slow to send and draw. ``span`` may also be a numeric column such as
    ``user_minutes`` (its axis and labels then show numbers).
    """
    if span not in frame.columns:
        raise UnknownNameError(f"no span {span!r}; known: {', '.join(metrics.span_columns(frame))}")
    ongoing = frame.get(f"{span}_ongoing", pd.Series(False, index=frame.index)).astype(bool)
    data = _groups(frame[~ongoing & frame[span].notna()], by)
    if data.empty:
        return empty_figure()
    is_time = pd.api.types.is_timedelta64_dtype(data[span])
    show = fmt.duration if is_time else fmt.number

    def plotted(values: pd.Series) -> pd.Series:  # what the y axis is in: hours, or the value
        return values.dt.total_seconds() / 3600.0 if is_time else values.astype("float64")

    data = data.assign(_hours=plotted(data[span]))
    order = (
        [g for g in SEVERITIES if g in set(data["group"])]
        if by == "severity"
        else sorted(data["group"].unique())
    )
    order += [g for g in data["group"].unique() if g not in order]
    stats = _group_stats(frame, span, by).reindex(order)
    labels = {g: _stat_label(g, stats.loc[g], show) for g in order}
    traces: list[dict] = []  # built as plain dicts, made into one figure at the end (fast)
    # Severity gets a box (and colour) per group; other groupings, possibly dozens of groups,
    # share one box trace and one marker trace so the figure stays quick to build and draw.
    boxes = [(g, data[data["group"] == g]) for g in order] if by == "severity" else [(None, data)]
    drawn = _thin(boxes, max_points)
    thinned = sum(len(d) for d in drawn) < len(data)
    for (group, part), points in zip(boxes, drawn, strict=True):
        color = SEVERITY_COLORS.get(group, "#0072B2") if group is not None else "#0072B2"
        style = {
            "marker": {"color": color, "size": 8, "opacity": 0.8},
            "line": {"color": color},
            "fillcolor": "rgba(0,0,0,0)",
            "showlegend": False,
            "boxmean": False,
        }
        if thinned:  # the box from every value (precomputed), the sample as points beside it
            per = [labels[group]] if group is not None else [labels[g] for g in order]
            groups = [part] if group is not None else [part[part["group"] == g] for g in order]
            st = [_box_stats(g["_hours"]) for g in groups]
            traces.append(
                dict(
                    type="box",
                    name=labels[group] if group is not None else span,
                    x=per,
                    **{k: [s[k] for s in st] for k in st[0]},
                    boxpoints=False,
                    hoverinfo="skip",
                    **style,
                )
            )
            style = {**style, "line": {"width": 0}, "whiskerwidth": 0}
        traces.append(
            dict(
                type="box",
                name=labels[group] if group is not None else span,
                x=None if group is not None else points["group"].map(labels).to_numpy(),
                y=points["_hours"].to_numpy(),
                boxpoints="all",
                jitter=0.4,
                pointpos=0,
                hoveron="points",
                customdata=np.stack(
                    [
                        points.index.to_numpy(),
                        fmt.durations(points[span])
                        if is_time
                        else [fmt.number(v) for v in points[span]],
                    ],
                    axis=1,
                ),
                hovertemplate="<b>%{customdata[0]}</b>: %{customdata[1]}<extra></extra>",
                **style,
            )
        )
    notes = []
    if thinned:
        notes.append(
            dict(
                text=f"points: {sum(len(d) for d in drawn):,} of {len(data):,} drawn, evenly by "
                "value; boxes, medians and p90 from all",
                xref="paper",
                yref="paper",
                x=1,
                y=1.02,
                xanchor="right",
                yanchor="bottom",
                showarrow=False,
                font={"size": 11, "color": "#555"},
            )
        )
    marks = [(g, stats.loc[[g]]) for g in order] if by == "severity" else [(None, stats)]
    for group, st in marks:
        xs = [labels[g] for g in st.index]
        has_p90 = st["p90"].notna().to_numpy()
        p90_x = [x for x, ok in zip(xs, has_p90, strict=True) if ok]
        traces.append(
            dict(
                type="scatter",
                name=f"{group} median / p90" if group is not None else "median / p90",
                x=xs + p90_x,
                y=list(plotted(st["median"])) + list(plotted(st["p90"].dropna())),
                mode="markers",
                hovertext=[
                    f"median {show(v)} (n={int(n)})"
                    for v, n in zip(st["median"], st["count"], strict=True)
                ]
                + [f"p90 {show(v)}" for v in st["p90"].dropna()],
                marker={
                    k: [_MEDIAN_MARK[k]] * len(xs) + [_P90_MARK[k]] * len(p90_x)
                    for k in ("symbol", "size")
                }
                | {"color": "#000", "line": {"width": 2}},
                hoverinfo="text",
                showlegend=False,
                meta={
                    "n": [int(n) for n in st["count"]],
                    "median": [_meta(v) for v in st["median"]],
                    "p90": [None if pd.isna(v) else _meta(v) for v in st["p90"]],
                },
            )
        )
    legend = [
        ("one incident", {"mode": "markers", "marker": {"color": "#0072B2", "size": 8}}),
        ("box: middle half of the incidents", {"mode": "lines", "line": {"color": "#0072B2"}}),
        ("median", {"mode": "markers", "marker": _MEDIAN_MARK}),
        (f"p90 (from n = {metrics.P90_MIN_COUNT})", {"mode": "markers", "marker": _P90_MARK}),
    ]
    traces += [dict(type="scatter", name=n, x=[None], y=[None], showlegend=True,
                    hoverinfo="skip", **st) for n, st in legend]  # fmt: skip
    name = metrics.label(span)
    top = data["_hours"].max()
    layout = dict(
        template=TEMPLATE,
        annotations=notes,
        title=f"{name} by {by or 'portfolio'}",
        yaxis={"title": name}
        | (duration_axis(top * 3600.0) if is_time else {"rangemode": "tozero"}),
        xaxis={
            "title": by or "",
            "categoryorder": "array",
            "categoryarray": [labels[g] for g in order],
        },
        legend={"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom", "x": 0},
        margin={"b": 90},
        height=460,
    )
    return go.Figure(data=traces, layout=layout)


def trend(frame: pd.DataFrame, span: str = "time_to_resolve", *, freq: str = "MS") -> go.Figure:
    """Incidents per period as bars, with the median and p90 of ``span`` as lines on a
    second axis (periods start at ``freq``: ``MS`` months, ``W-MON`` weeks). Hover gives each
    period's n; a period's p90 is only drawn from ``P90_MIN_COUNT`` finished values up.
    ``span`` may also be a numeric column such as ``user_minutes`` (shown as numbers)."""
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
    is_time = pd.api.types.is_timedelta64_dtype(data[span])
    finished = data[span].where(~ongoing) if is_time else data[span].astype("float64")
    by_period = finished.groupby(period)
    n = by_period.count().reindex(counts.index, fill_value=0)
    med = by_period.median().reindex(counts.index)
    p90 = by_period.quantile(0.9).reindex(counts.index).where(n >= metrics.P90_MIN_COUNT)
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
    label = metrics.label(span).lower()
    for name, series, dash in (("median", med, "solid"), ("p90", p90, "dash")):
        missing = (
            ("no finished incidents" if is_time else "none recorded")
            if name == "median"
            else f"needs n ≥ {metrics.P90_MIN_COUNT}"
        )
        fig.add_trace(
            go.Scatter(
                name=f"{name} {label}"
                + (f" (from n = {metrics.P90_MIN_COUNT})" if name == "p90" else ""),
                x=series.index,
                y=series.dt.total_seconds() / 3600.0 if is_time else series.to_numpy(),
                mode="lines+markers",
                line={"dash": dash, "color": "#0072B2" if name == "median" else "#D55E00"},
                text=[
                    f"{(fmt.duration if is_time else fmt.number)(v, missing=missing)} (n={int(k)})"
                    for v, k in zip(series, n, strict=True)
                ],
                hoverinfo="x+text+name",
                connectgaps=False,
            ),
            secondary_y=True,
        )
    both = pd.concat([med, p90])
    fig.update_layout(
        title=f"Incidents per period and {label}",
        height=420,
        xaxis={"title": None, "dtick": "M1", "tickformat": "%b %Y"} if freq == "MS" else {},
    )
    fig.update_yaxes(
        title_text="incidents",
        secondary_y=False,
        rangemode="tozero",
        dtick=max(1, int(np.ceil(counts.max() / 6))),  # whole incidents
    )
    fig.update_yaxes(
        title_text=label,
        secondary_y=True,
        showgrid=False,
        **(duration_axis(both.dt.total_seconds().max()) if is_time else {"rangemode": "tozero"}),
    )
    return fig


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
        go.Bar(
            name="user-minutes",
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
            name="incidents",
            y=per.index,
            x=per["incidents"],
            orientation="h",
            marker={"color": "#0072B2"},
            text=per["incidents"],
            textposition="auto",
            customdata=per[["no_user_count", "pct_only"]].to_numpy(),
            hovertemplate=(
                "%{y}: %{x} incidents<br>%{customdata[0]} without a user count "
                "(%{customdata[1]} with a percentage only)<extra></extra>"
            ),
            showlegend=False,
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
        title={"text": "Impact by service", "subtitle": {"text": note, "font": {"color": "#666"}}},
        margin={"t": 150},
        height=240 + 34 * len(per),
        meta={
            "total_user_minutes": total,
            "pct_only": pct_only,
            "no_user_count": int(no_users.sum()),
        },
    )
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


# -- analytics: survival, changes, on-call load -------------------------------------------
def _rgba(hex_color: str, alpha: float) -> str:
    h = hex_color.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


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
    from . import stats

    curves = stats.survival(frame, span, by, confidence_level=confidence_level)
    if curves.empty:
        return empty_figure()
    seconds = curves["time"].dt.total_seconds()
    scale = 3600.0  # hours, with readable duration ticks (duration_axis)
    groups = [None] if by is None else list(dict.fromkeys(curves[by]))
    palette = list(pio.templates[TEMPLATE].layout.colorway)
    fig = go.Figure(layout={"template": TEMPLATE})
    medians = {}
    for i, group in enumerate(groups):
        part = curves if group is None else curves[curves[by] == group]
        name = "all incidents" if group is None else str(group)
        color = SEVERITY_COLORS.get(str(group)) if by == "severity" else None
        color = color or palette[i % len(palette)]
        x = part["time"].dt.total_seconds() / scale
        n = int(part["at_risk"].iloc[0])
        fig.add_trace(
            go.Scatter(
                x=x,
                y=part["upper"],
                mode="lines",
                line={"width": 0, "shape": "hv"},
                hoverinfo="skip",
                showlegend=False,
                legendgroup=name,
            )
        )
        fig.add_trace(
            go.Scatter(
                x=x,
                y=part["lower"],
                mode="lines",
                line={"width": 0, "shape": "hv"},
                fill="tonexty",
                fillcolor=_rgba(color, 0.08 if len(groups) > 1 else 0.15),
                hoverinfo="skip",
                showlegend=False,
                legendgroup=name,
            )
        )
        hover = [
            f"<b>{html.escape(name)}</b> after {fmt.duration(t)}: {s:.0%} still open"
            f"<br>{confidence_level:.0%} band {lo:.0%}–{hi:.0%} · {r} at risk"
            for t, s, lo, hi, r in zip(
                part["time"],
                part["survival"],
                part["lower"],
                part["upper"],
                part["at_risk"],
                strict=True,
            )
        ]
        fig.add_trace(
            go.Scatter(
                name=f"{name} (n = {n})",
                x=x,
                y=part["survival"],
                mode="lines",
                line={"shape": "hv", "color": color, "width": 2.5},
                hovertext=hover,
                hoverinfo="text",
                legendgroup=name,
            )
        )
        cens = part[part["censored"] > 0]
        if len(cens):
            fig.add_trace(
                go.Scatter(
                    name=f"{name}: still open at as-of",
                    x=cens["time"].dt.total_seconds() / scale,
                    y=cens["survival"],
                    mode="markers",
                    marker={
                        "symbol": "cross-thin-open",
                        "size": 11,
                        "color": color,
                        "line": {"width": 2, "color": color},
                    },
                    hovertext=[f"{c} open, measured to as-of" for c in cens["censored"]],
                    hoverinfo="text",
                    showlegend=False,
                    legendgroup=name,
                )
            )
        rows = frame if group is None else _group_rows(frame, by, group)
        obs = stats.observations(rows, span)
        med = stats.km_median(obs["value"], obs["observed"])[0]
        medians[name] = fmt.duration(med, missing="not reached")
    fig.add_hline(y=0.5, line={"dash": "dot", "color": "#888", "width": 1})
    label = metrics.label(span).lower()
    title = (
        "Share of incidents still unresolved after t"
        if span == "time_to_resolve"
        else f"Share of incidents whose {label} has not ended after t"
    )
    fig.update_layout(
        title=title,
        height=420,
        xaxis={"title": f"t = {label}", **duration_axis(float(seconds.max()))},
        yaxis={"title": "still open", "tickformat": ".0%", "range": [0, 1.02]},
        meta={"medians": medians, "span": span, "by": by},
    )
    return fig


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


def detection_heatmap(iset: IncidentSet, *, hours: object = None) -> go.Figure:
    """Detections by hour of week in the zone of ``hours`` (a
    :class:`incident_kit.oncall.BusinessHours`), business hours outlined, with the share
    detected outside them."""
    from . import oncall

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
        title=(
            f"Detections by hour of week ({html.escape(hours.tz)}): "
            f"{int(share['after_hours'])} of {int(share['incidents'])} "
            f"({share['share']:.0%}) outside business hours"
        ),
        height=360,
        xaxis={
            "title": f"hour ({html.escape(hours.tz)}); outlined: {hours.describe()}",
            "type": "category",
        },
        yaxis={"autorange": "reversed", "type": "category"},
        meta={"after_hours": int(share["after_hours"]), "incidents": int(share["incidents"])},
    )
    return fig
