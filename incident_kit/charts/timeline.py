"""Charts on a calendar axis: one incident's timeline (its spans as bars, its events as
markers) and the portfolio's incidents over time."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from .. import fmt, metrics
from ..errors import UnknownNameError
from ..fields import check_zone
from ..model import KIND_RANK, SEVERITIES, UPDATE_KINDS, IncidentSet, require_set
from .style import (
    AS_OF_COLOR,
    KIND_LABELS,
    MARKERS,
    OTHER_SPAN_COLOR,
    SEVERITY_COLORS,
    SPAN_COLORS,
    TEMPLATE,
    UNKNOWN_COLOR,
    empty_figure,
    esc,
    legend_entry,
    local,
    title,
)

__all__ = ["portfolio_timeline", "timeline"]


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
    check_zone(display_tz, "display_tz")
    one = require_set(iset, "timeline").select([incident_id])
    as_of_utc = metrics.resolve_as_of(as_of)
    d = metrics.durations(one, as_of_utc).iloc[0]
    first = metrics.milestones(one).iloc[0]
    open_ = bool(metrics.is_open(one).iloc[0])
    chosen = metrics.get_spans(spans)
    bars, notes_due = _span_lanes(d, first, chosen)

    # Traces, shapes and notes are plain dicts, made into one figure at the end: plotly
    # validates the whole figure once instead of once per trace and layout update.
    texts = {item["span"].label: item["label"] for item in bars}
    traces = [_span_bar(item, first, display_tz) for item in bars]
    event_traces, kinds_seen = _event_traces(one.events, display_tz)
    traces += event_traces
    lanes = [item["span"].label for item in bars] + [KIND_LABELS[k] for k in kinds_seen]
    if not lanes:
        return empty_figure(f"{incident_id}: no timeline recorded")
    lo, right = _x_range(first, one.events, as_of_utc if open_ else None)
    notes, shapes = [], []
    for item in notes_due:
        if "postmortem" in kinds_seen and first["postmortem"] > right:
            note, text = _postmortem_note(item, first["postmortem"], display_tz)
            notes.append(note)
            if pd.notna(item["value"]):
                texts[item["span"].label] = text
    traces += _legend(bars, kinds_seen)
    if open_:
        line, note, entry = _as_of_line(as_of_utc, display_tz)
        shapes.append(line)
        notes.append(note)
        traces.append(entry)
    unknown = _not_recorded(d, first, chosen, open_)
    layout = {
        "template": TEMPLATE,
        "annotations": notes,
        "shapes": shapes,
        "showlegend": True,
        "margin": {"b": 110},
        "title": _title(one.incidents.iloc[0], incident_id, unknown),
        "barmode": "overlay",
        "height": 200 + 32 * len(lanes),
        "xaxis": {
            "type": "date",
            "title": f"time ({display_tz})",
            "range": [local(lo, display_tz), local(right, display_tz)],
        },
        "yaxis": {"categoryorder": "array", "categoryarray": lanes[::-1]},
        "meta": {
            "incident_id": incident_id,
            "unknown": unknown,
            "display_tz": display_tz,
            "as_of": as_of_utc.isoformat(),
            "labels": texts,
        },
    }
    return go.Figure(data=traces, layout=layout)


def _span_lanes(d: pd.Series, first: pd.Series, spans: list[metrics.Span]) -> tuple[list, list]:
    """Each span as it is measured in ``d`` (the metrics' own values): bars to draw, and
    spans that end at the post-mortem (days later, off the plotted range) as notes."""
    bars, notes = [], []
    for span in spans:
        recorded = [k for k in span.start if pd.notna(first[k])]
        ongoing = bool(d[f"{span.name}_ongoing"])
        item = {
            "span": span,
            "value": d[span.name],
            "ongoing": ongoing,
            "label": fmt.duration(d[span.name], ongoing=ongoing),
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


def _span_bar(item: dict, first: pd.Series, display_tz: str) -> dict:
    """One span as a bar on its own lane, labelled with the figure the page shows."""
    span, value, ongoing, label = item["span"], item["value"], item["ongoing"], item["label"]
    start = item["start"]
    end = start + value
    color = SPAN_COLORS.get(span.name, OTHER_SPAN_COLOR)
    frm = _kind_label(span.start, first)
    to = "as of" if ongoing else _kind_label(span.end, first)
    note = f"<br>{frm}: {span.start[0].replace('_', ' ')} not recorded" if item["assumed"] else ""
    return dict(
        type="bar",
        name=span.label,
        y=[span.label],
        base=[local(start, display_tz)],
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
        meta={"span": span.name, "ongoing": ongoing, "start": start.isoformat(),
              "end": end.isoformat()},
    )  # fmt: skip


def _event_traces(ev: pd.DataFrame, display_tz: str) -> tuple[list[dict], list[str]]:
    """Every event as a marker on its kind's lane: the traces, and the kinds drawn in lane
    order (events of a kind in the order recorded)."""
    kinds = ev["kind"].to_numpy(dtype=object)
    columns = {
        c: ev[c].to_numpy(dtype=object) for c in ("timestamp", "actor", "role", "description")
    }
    traces, drawn = [], []
    for kind, label in KIND_LABELS.items():
        rows = np.flatnonzero(kinds == kind)
        if not len(rows):
            continue
        drawn.append(kind)
        traces.append(
            dict(
                type="scatter",
                name=label,
                x=[local(columns["timestamp"][i], display_tz) for i in rows],
                y=[label] * len(rows),
                mode="markers",
                marker=MARKERS.get(kind, MARKERS["milestone"]),
                hovertext=[_event_hover(label, columns, i, display_tz) for i in rows],
                hoverinfo="text",
                showlegend=False,
            )
        )
    return traces, drawn


def _event_hover(label: str, columns: dict, i: int, display_tz: str) -> str:
    actor, role, text = (columns[c][i] for c in ("actor", "role", "description"))
    lines = [
        f"<b>{label}</b> {fmt.timestamp(columns['timestamp'][i], display_tz)}",
        f"by {esc(actor)}" if pd.notna(actor) else "",
        f"to {esc(role)}" if pd.notna(role) else "",
        esc(text) if pd.notna(text) else "",
    ]
    return "<br>".join(filter(None, lines))


def _x_range(
    first: pd.Series, ev: pd.DataFrame, open_as_of: pd.Timestamp | None
) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The plotted window: the incident's milestones and events (a post-mortem days later
    aside), to ``as_of`` when open, padded; room on the right for the spans' labels."""
    window = list(first.drop("postmortem").dropna())
    window += list(ev.loc[ev["kind"] != "postmortem", "timestamp"].dropna())
    if open_as_of is not None:
        window.append(open_as_of)
    lo, hi = min(window), max(window)
    pad = max((hi - lo) * 0.06, pd.Timedelta(minutes=2))
    return lo - pad, hi + pad * 2.5


def _title(inc: pd.Series, incident_id: str, unknown: list[str]) -> dict:
    """The incident's ID and title after a severity badge; the unmeasured milestones below."""
    sev = str(inc["severity"]) if pd.notna(inc["severity"]) else None
    color = SEVERITY_COLORS.get(sev, UNKNOWN_COLOR)
    badge = f"<span style='color:{color}'>■ {sev or 'severity not recorded'}</span>"
    note = "Not recorded: " + ", ".join(unknown) if unknown else None
    heading = title(f"{badge} {esc(incident_id)} · {esc(inc['title'])}", note)
    return heading | {"font": {"color": color}}


def _postmortem_note(item: dict, when: pd.Timestamp, display_tz: str) -> tuple[dict, str]:
    """A post-mortem later than the plotted range: a note saying how much later, on its lane,
    at the right edge (the chart frames the incident; zoom out to see the marker), and the
    span's figure."""
    span, value = item["span"], item["value"]
    duration = fmt.duration(value)
    text = (
        f"{span.label} {duration} →"
        if pd.notna(value)
        else f"{KIND_LABELS['postmortem']} on {fmt.timestamp(when, display_tz)} →"
    )
    note = dict(
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
    return note, duration


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


def _legend(bars: list[dict], kinds: list[str]) -> list[dict]:
    """Legend entries for every kind of mark the chart uses (and only those); the layout
    puts the legend below the axis so it never collides with the title however narrow."""
    entries = []
    if bars:
        square = {"symbol": "square", "size": 12, "color": "#0072B2"}
        entries.append(("span (bar: from its first milestone to its last)", square))
    if any(b["ongoing"] for b in bars):
        hatched = {"symbol": "square-open", "size": 12, "color": "#333", "line": {"width": 2}}
        entries.append(("ongoing span (hatched: runs to the as-of time)", hatched))
    if any(k not in UPDATE_KINDS for k in kinds):
        entries.append(("milestone (hover: when, who)", MARKERS["milestone"]))
    if "communication" in kinds:
        entries.append(("customer update (status page, customers)", MARKERS["communication"]))
    if "update" in kinds:
        entries.append(("internal update", MARKERS["update"]))
    return [legend_entry(name, mode="markers", marker=marker) for name, marker in entries]


def _as_of_line(as_of: pd.Timestamp, display_tz: str) -> tuple[dict, dict, dict]:
    """An open incident: a dashed line at the as-of time (shape), its label (annotation) and
    its legend entry."""
    x = local(as_of, display_tz)
    line = {"dash": "dash", "color": AS_OF_COLOR, "width": 1.5}
    shape = dict(type="line", x0=x, x1=x, y0=0, y1=1, yref="paper", line=line)
    when = fmt.timestamp(as_of, display_tz)
    note = dict(
        x=x,
        y=1,
        yref="paper",
        yanchor="bottom",
        xanchor="right",
        showarrow=False,
        text=f"ongoing as of {when}",
        font={"color": AS_OF_COLOR, "size": 12},
    )
    return shape, note, legend_entry(f"as of {when} (open incident)", mode="lines", line=line)


_KEY = ("time_to_detect", "time_to_resolve", "impact_duration")


def portfolio_timeline(
    iset: IncidentSet, *, y: str = "service", as_of: object = None, display_tz: str = "UTC"
) -> go.Figure:
    """Every incident as a bar over the calendar, one lane per service (or severity),
    coloured by severity; hover shows ID, title and the key durations."""
    if y not in ("service", "severity"):
        raise UnknownNameError(f"cannot lay incidents out by {y!r}; known: service, severity")
    check_zone(display_tz, "display_tz")
    as_of = metrics.resolve_as_of(as_of)
    rows = _portfolio_rows(iset, as_of, y)
    if rows.empty:
        return empty_figure()
    fig = go.Figure(layout={"template": TEMPLATE})
    for sev in [*SEVERITIES, None]:
        part = (
            rows[rows["severity"].astype("object").eq(sev)]
            if sev
            else rows[rows["severity"].isna()]
        )
        if not part.empty:
            fig.add_trace(_severity_bars(part, sev, display_tz))
    lanes = sorted(rows["lane"].unique())
    fig.update_layout(
        title=title("Incidents over time"),
        barmode="overlay",
        height=160 + 36 * len(lanes),
        xaxis={"type": "date", "title": f"time ({display_tz})"},
        yaxis={"categoryorder": "array", "categoryarray": lanes[::-1]},
        legend_title_text="severity",
    )
    return fig


def _portfolio_rows(iset: IncidentSet, as_of: pd.Timestamp, y: str) -> pd.DataFrame:
    """Each incident's start and end (to ``as_of`` while open) with its key durations, once
    per lane it belongs on (an incident on two services is on both lanes)."""
    first = metrics.milestones(iset)
    start, _ = metrics.first_of(first, ("impact_start", "detected"))
    end, _ = metrics.first_of(first, ("resolved", "mitigated"))
    ongoing = metrics.is_open(iset, first) & end.isna()
    bounds = pd.DataFrame({"start": start, "end": end.where(~ongoing, as_of)})
    bounds = bounds.dropna(subset=["start"])
    dur = metrics.durations(iset, as_of)
    rows = bounds.join(iset.incidents[["title", "severity", "services"]]).join(
        dur[[f"{k}{x}" for k in _KEY for x in ("", "_ongoing")]]
    )
    rows["end"] = rows["end"].fillna(rows["start"])
    if y == "service":
        return rows.assign(lane=rows["services"].map(lambda s: s or ["not recorded"])).explode(
            "lane"
        )
    return rows.assign(lane=rows["severity"].astype("object").fillna("not recorded"))


def _severity_bars(part: pd.DataFrame, sev: str | None, display_tz: str) -> go.Bar:
    """One severity's incidents as bars, at least 20 minutes wide so each can be seen."""
    length = (part["end"] - part["start"]).dt.total_seconds() * 1000.0
    figures = (
        [fmt.duration(v, ongoing=o) for v, o in zip(part[k], part[f"{k}_ongoing"], strict=True)]
        for k in _KEY
    )
    custom = np.stack([part.index.to_numpy(), [esc(t) for t in part["title"]], *figures], axis=1)
    return go.Bar(
        name=sev or "severity not recorded",
        y=part["lane"],
        base=[local(t, display_tz) for t in part["start"]],
        x=np.maximum(length.to_numpy(), 60_000.0 * 20),
        orientation="h",
        marker={"color": SEVERITY_COLORS.get(sev, UNKNOWN_COLOR)},
        customdata=custom,
        hovertemplate=(
            "<b>%{customdata[0]}</b> %{customdata[1]}<br>time to detect %{customdata[2]}"
            "<br>time to resolve %{customdata[3]}<br>impact duration %{customdata[4]}"
            "<extra></extra>"
        ),
    )
