"""How a span is distributed: per group (points, boxes, median and p90) and per period (a
trend). The figures are :func:`incident_kit.metrics.summarize`'s own, so a chart never
disagrees with a table beside it."""

from __future__ import annotations

import html
from collections.abc import Callable

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .. import fmt, metrics
from ..errors import UnknownNameError
from ..model import SEVERITIES
from .style import SEVERITY_COLORS, TEMPLATE, duration_axis, empty_figure, legend_entry, title

__all__ = ["durations", "trend"]

_MEDIAN_MARK = {"symbol": "line-ew-open", "size": 28, "color": "#000", "line": {"width": 2}}
_P90_MARK = {"symbol": "triangle-up-open", "size": 12, "color": "#000", "line": {"width": 2}}
_BLUE = "#0072B2"


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
    plot = _Plotted(pd.api.types.is_timedelta64_dtype(data[span]))
    data = data.assign(_hours=plot.y(data[span]))
    order = (
        [g for g in SEVERITIES if g in set(data["group"])]
        if by == "severity"
        else sorted(data["group"].unique())
    )
    order += [g for g in data["group"].unique() if g not in order]
    stats = _group_stats(frame, span, by).reindex(order)
    labels = {g: _stat_label(g, stats.loc[g], plot.show) for g in order}
    # Severity gets a box (and colour) per group; other groupings, possibly dozens of groups,
    # share one box trace and one marker trace so the figure stays quick to build and draw.
    # Traces are plain dicts, made into one figure at the end (fast).
    boxes = [(g, data[data["group"] == g]) for g in order] if by == "severity" else [(None, data)]
    drawn = _thin(boxes, max_points)
    shown = sum(len(d) for d in drawn)
    traces = []
    for (group, part), points in zip(boxes, drawn, strict=True):
        traces += _box_traces(group, part, points, span, labels, order, plot, shown < len(data))
    marks = [(g, stats.loc[[g]]) for g in order] if by == "severity" else [(None, stats)]
    traces += [_median_p90(group, st, labels, plot) for group, st in marks]
    traces += _legend_traces()
    notes = [] if shown == len(data) else [_thinned_note(shown, len(data))]
    name = metrics.label(span)
    top = data["_hours"].max()
    layout = dict(
        template=TEMPLATE,
        annotations=notes,
        title=title(f"{name} by {by or 'portfolio'}"),
        yaxis={"title": name}
        | (duration_axis(top * 3600.0) if plot.is_time else {"rangemode": "tozero"}),
        xaxis={
            "title": by or "",
            "categoryorder": "array",
            "categoryarray": [labels[g] for g in order],
        },
        margin={"b": 90},
        height=460,
    )
    return go.Figure(data=traces, layout=layout)


class _Plotted:
    """What the y axis is in: hours for a duration, else the value itself; and how a value
    is written in labels."""

    def __init__(self, is_time: bool) -> None:
        self.is_time = is_time
        self.show: Callable[..., str] = fmt.duration if is_time else fmt.number

    def y(self, values: pd.Series) -> pd.Series:
        return values.dt.total_seconds() / 3600.0 if self.is_time else values.astype("float64")


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

    def share(n: int) -> int:
        return max(50, round(max_points * n / total))

    out = []
    for group, part in parts:
        values = part["_hours"].to_numpy()
        if group is not None:
            out.append(part.iloc[_even_sample(values, share(len(part)))])
            continue
        groups = part["group"].to_numpy()  # one shared trace: thin each group within it
        keep = [
            np.flatnonzero(groups == g)[_even_sample(values[groups == g], share(n))]
            for g, n in part["group"].value_counts(sort=False).items()
        ]
        out.append(part.iloc[np.sort(np.concatenate(keep))])
    return out


def _box_traces(
    group: object,
    part: pd.DataFrame,
    points: pd.DataFrame,
    span: str,
    labels: dict,
    order: list,
    plot: _Plotted,
    thinned: bool,
) -> list[dict]:
    """One group's box with its points (``group`` None: every group in one shared trace).
    When the points are a sample, the box is drawn from every value beside them."""
    color = SEVERITY_COLORS.get(group, _BLUE) if group is not None else _BLUE
    name = labels[group] if group is not None else span
    style = {
        "marker": {"color": color, "size": 8, "opacity": 0.8},
        "line": {"color": color},
        "fillcolor": "rgba(0,0,0,0)",
        "showlegend": False,
        "boxmean": False,
    }
    traces = []
    if thinned:
        per = [labels[group]] if group is not None else [labels[g] for g in order]
        groups = [part] if group is not None else [part[part["group"] == g] for g in order]
        st = [_box_stats(g["_hours"]) for g in groups]
        whole = {k: [s[k] for s in st] for k in st[0]}
        traces.append(
            dict(type="box", name=name, x=per, **whole, boxpoints=False, hoverinfo="skip", **style)
        )
        style = {**style, "line": {"width": 0}, "whiskerwidth": 0}
    shown = fmt.durations(points[span]) if plot.is_time else [fmt.number(v) for v in points[span]]
    traces.append(
        dict(
            type="box",
            name=name,
            x=None if group is not None else points["group"].map(labels).to_numpy(),
            y=points["_hours"].to_numpy(),
            boxpoints="all",
            jitter=0.4,
            pointpos=0,
            hoveron="points",
            customdata=np.stack([points.index.to_numpy(), shown], axis=1),
            hovertemplate="<b>%{customdata[0]}</b>: %{customdata[1]}<extra></extra>",
            **style,
        )
    )
    return traces


def _median_p90(group: object, st: pd.DataFrame, labels: dict, plot: _Plotted) -> dict:
    """The median (a bar) and, where there are enough values, the p90 (a triangle) of each
    group in ``st``; their figures ride along in ``meta``."""
    xs = [labels[g] for g in st.index]
    p90_x = [x for x, ok in zip(xs, st["p90"].notna(), strict=True) if ok]
    hover = [
        f"median {plot.show(v)} (n={int(n)})"
        for v, n in zip(st["median"], st["count"], strict=True)
    ]
    marker = {k: [_MEDIAN_MARK[k]] * len(xs) + [_P90_MARK[k]] * len(p90_x)
              for k in ("symbol", "size")}  # fmt: skip
    return dict(
        type="scatter",
        name=f"{group} median / p90" if group is not None else "median / p90",
        x=xs + p90_x,
        y=list(plot.y(st["median"])) + list(plot.y(st["p90"].dropna())),
        mode="markers",
        hovertext=hover + [f"p90 {plot.show(v)}" for v in st["p90"].dropna()],
        marker=marker | {"color": "#000", "line": {"width": 2}},
        hoverinfo="text",
        showlegend=False,
        meta={
            "n": [int(n) for n in st["count"]],
            "median": [_meta(v) for v in st["median"]],
            "p90": [None if pd.isna(v) else _meta(v) for v in st["p90"]],
        },
    )


def _legend_traces() -> list[dict]:
    legend = [
        ("one incident", {"mode": "markers", "marker": {"color": _BLUE, "size": 8}}),
        ("box: middle half of the incidents", {"mode": "lines", "line": {"color": _BLUE}}),
        ("median", {"mode": "markers", "marker": _MEDIAN_MARK}),
        (f"p90 (from n = {metrics.P90_MIN_COUNT})", {"mode": "markers", "marker": _P90_MARK}),
    ]
    return [legend_entry(n, **st) for n, st in legend]


def _thinned_note(shown: int, total: int) -> dict:
    return dict(
        text=f"points: {shown:,} of {total:,} drawn, evenly by value; boxes, medians and "
        "p90 from all",
        xref="paper",
        yref="paper",
        x=1,
        y=1.02,
        xanchor="right",
        yanchor="bottom",
        showarrow=False,
        font={"size": 11, "color": "#555"},
    )


def trend(frame: pd.DataFrame, span: str = "time_to_resolve", *, freq: str = "MS") -> go.Figure:
    """Incidents per period as bars, with the median and p90 of ``span`` as lines on a
    second axis (periods named by the day they start, ``freq``: ``MS`` months, ``W-MON`` weeks
    from Monday, ``D``, ``QS``, ``YS``; see :func:`_period_step`). Hover gives each
    period's n; a period's p90 is only drawn from ``P90_MIN_COUNT`` finished values up.
    ``span`` may also be a numeric column such as ``user_minutes`` (shown as numbers)."""
    if span not in frame.columns:
        raise UnknownNameError(f"no span {span!r}; known: {', '.join(metrics.span_columns(frame))}")
    step = _period_step(freq)
    data = frame[frame["started"].notna()]
    if data.empty:
        return empty_figure()
    plot = _Plotted(pd.api.types.is_timedelta64_dtype(data[span]))
    counts, n, med, p90 = _per_period(data, span, step, plot.is_time)
    hover = _PERIOD_HOVER.get(step, "week of %{x|%d %b %Y}")
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.update_layout(template=TEMPLATE)
    fig.add_trace(
        go.Bar(
            name="incidents",
            x=counts.index,
            y=counts.to_numpy(),
            marker={"color": "#cfd8e3"},
            hovertemplate=f"{hover}: %{{y}} incidents<extra></extra>",
        ),
        secondary_y=False,
    )
    label = metrics.label(span).lower()
    for name, series in (("median", med), ("p90", p90)):
        fig.add_trace(_trend_line(name, series, n, label, plot), secondary_y=True)
    both = pd.concat([med, p90])
    fig.update_layout(
        title=title(f"Incidents per period and {label}"),
        height=420,
        xaxis={"title": None, "dtick": "M1", "tickformat": "%b %Y"} if step == "MS" else {},
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
        **(
            duration_axis(both.dt.total_seconds().max())
            if plot.is_time
            else {"rangemode": "tozero"}
        ),
    )
    return fig


_DAYS = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")
_PERIODS = {"D": "D", "MS": "M", "QS": "Q", "YS": "Y"}
_PERIOD_HOVER = {
    "D": "%{x|%d %b %Y}",
    "MS": "%{x|%b %Y}",
    "QS": "quarter from %{x|%b %Y}",
    "YS": "%{x|%Y}",
}


def _period_step(freq: str) -> str:
    """The periods a trend counts in, each named by the day it starts: ``D``, ``W-MON``
    (weeks from Monday; any day, and ``W`` is ``W-MON``), ``MS``, ``QS``, ``YS``."""
    step = str(freq).strip().upper()
    step = "W-MON" if step == "W" else step
    if step in _PERIODS or (step.startswith("W-") and step[2:] in _DAYS):
        return step
    raise UnknownNameError(
        f"freq {freq!r} is not a period; known: D (days), W-MON (weeks from Monday; or "
        "another day), MS (months), QS (quarters), YS (years)"
    )


def _period_starts(times: pd.Series, step: str) -> pd.Series:
    """The start of the period each (naive UTC) time falls in."""
    if step.startswith("W-"):
        day = times.dt.normalize()
        back = (day.dt.day_of_week - _DAYS.index(step[2:])) % 7
        return day - pd.to_timedelta(back, unit="D")
    return times.dt.to_period(_PERIODS[step]).dt.start_time


def _per_period(
    data: pd.DataFrame, span: str, step: str, is_time: bool
) -> tuple[pd.Series, pd.Series, pd.Series, pd.Series]:
    """Incidents started per period (empty periods included), and the n, median and p90 of
    the finished values of ``span`` (a p90 from ``P90_MIN_COUNT`` values up)."""
    ongoing = data.get(f"{span}_ongoing", pd.Series(False, index=data.index)).astype(bool)
    started = data["started"].dt.tz_convert("UTC").dt.tz_localize(None)
    period = _period_starts(started, step)
    counts = period.value_counts().sort_index()
    full = pd.date_range(counts.index.min(), counts.index.max(), freq=step)
    counts = counts.reindex(full.union(counts.index), fill_value=0)
    finished = data[span].where(~ongoing) if is_time else data[span].astype("float64")
    by_period = finished.groupby(period)
    n = by_period.count().reindex(counts.index, fill_value=0)
    med = by_period.median().reindex(counts.index)
    p90 = by_period.quantile(0.9).reindex(counts.index).where(n >= metrics.P90_MIN_COUNT)
    return counts, n, med, p90


def _trend_line(name: str, series: pd.Series, n: pd.Series, label: str, plot: _Plotted):
    """The median or p90 line; hover writes each period's figure and n, or why there is none."""
    if name == "median":
        missing = "no finished incidents" if plot.is_time else "none recorded"
        title, color, dash = f"median {label}", _BLUE, "solid"
    else:
        missing = f"needs n ≥ {metrics.P90_MIN_COUNT}"
        title, color, dash = f"p90 {label} (from n = {metrics.P90_MIN_COUNT})", "#D55E00", "dash"
    return go.Scatter(
        name=title,
        x=series.index,
        y=series.dt.total_seconds() / 3600.0 if plot.is_time else series.to_numpy(),
        mode="lines+markers",
        line={"dash": dash, "color": color},
        text=[
            f"{plot.show(v, missing=missing)} (n={int(k)})" for v, k in zip(series, n, strict=True)
        ],
        hoverinfo="x+text+name",
        connectgaps=False,
    )
