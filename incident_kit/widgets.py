"""The ipywidgets explorer: filter the portfolio, pick a metric and a grouping, drill into one.

Everything is computed once from the loaded frames; a filter change only masks rows and
recomputes the summary and the two charts (plotly FigureWidgets, updated in place).
"""

from __future__ import annotations

import html
from pathlib import Path

import ipywidgets as W
import pandas as pd
import plotly.graph_objects as go

from . import charts, fmt, metrics
from .markup import NR, severity_badge, table
from .model import SEVERITIES, STATUSES, IncidentSet

METRIC_EXTRA = ("user_minutes",)


def _replace(target: go.FigureWidget, source: go.Figure) -> None:
    """Swap a FigureWidget's traces and layout for another figure's, in one update."""
    with target.batch_update():
        target.data = []
        target.layout = source.layout
        target.add_traces(list(source.data))


class Explorer(W.VBox):
    """Interactive analysis of an incident portfolio in Jupyter.

    Show it with ``display(ik.widgets.Explorer(iset))`` (or as a cell's last line).
    Every control is a public ipywidget, so the explorer can be driven from code:

    Attributes
    ----------
    severity, status, services : SelectMultiple
        Filters; an incident passes when its value is selected (any selected service).
    date_range : SelectionRangeSlider
        Detection dates (days) to keep, inclusive.
    search : Text
        Case-insensitive text searched in ID, title, what happened and why it happened.
    metric : Dropdown
        A span from the metrics registry, or ``user_minutes``.
    group_by : Dropdown
        ``severity``, ``service``, ``month`` or ``status``.
    incident : Dropdown
        The incident shown in the drill-down (also set by clicking a point in the chart);
        it lists the 500 most recent incidents of the selection.
    filtered : IncidentSet
        The incidents that pass the filters now.
    summary : DataFrame
        The summary table now shown (``ik.summarize`` of the filtered incidents).
    figure, trend_figure, timeline_figure : FigureWidget
        The distribution chart, the trend chart, and the drill-down timeline.
    count : HTML
        "42 of 120 incidents".
    """

    MAX_OPTIONS = 500

    def __init__(self, iset: IncidentSet, as_of: object = None):
        self._quiet = False
        self._shown: str | None = "-"
        self.iset = iset
        self.as_of = metrics.to_utc(as_of)
        frame = metrics.durations(iset, self.as_of)
        imp = metrics.impact(iset, self.as_of)
        frame["user_minutes"] = imp["user_minutes"].astype("float64")
        self.frame = frame
        inc = iset.incidents
        self._text = (
            inc.index.to_series().astype(str)
            + " "
            + inc["title"].fillna("")
            + " "
            + inc["what_happened"].fillna("")
            + " "
            + inc["why_it_happened"].fillna("")
        ).str.lower()
        self._labels = (
            inc.index.to_series().astype(str) + " · " + inc["title"].fillna("").astype(str)
        )
        detected = frame["started"].dt.tz_convert("UTC").dt.normalize()
        self._day = detected.dt.tz_localize(None)
        spans = metrics.span_columns(frame)

        services = sorted({s for lst in inc["services"] for s in lst})
        days = sorted(self._day.dropna().unique()) or [pd.Timestamp("1970-01-01")]
        self.severity = W.SelectMultiple(
            options=list(SEVERITIES), value=list(SEVERITIES), description="Severity", rows=4
        )
        self.status = W.SelectMultiple(
            options=list(STATUSES), value=list(STATUSES), description="Status", rows=3
        )
        self.services = W.SelectMultiple(
            options=services, value=services, description="Services", rows=6
        )
        self.date_range = W.SelectionRangeSlider(
            options=[(pd.Timestamp(d).strftime("%Y-%m-%d"), pd.Timestamp(d)) for d in days],
            index=(0, len(days) - 1),
            description="Detected",
            layout=W.Layout(width="520px"),
        )
        self.search = W.Text(placeholder="title or root cause contains…", description="Search")
        self.metric = W.Dropdown(
            options=[*spans, *METRIC_EXTRA], value="time_to_resolve", description="Metric"
        )
        self.group_by = W.Dropdown(
            options=list(metrics.GROUPS), value="severity", description="Group by"
        )
        self.incident = W.Dropdown(
            options=[], description="Incident", layout=W.Layout(width="520px")
        )
        self.count = W.HTML()
        self.summary_html = W.HTML()
        self.figure = go.FigureWidget()
        self.trend_figure = go.FigureWidget()
        self.timeline_figure = go.FigureWidget()
        self.detail = W.HTML()
        self.export_path = W.Text(value="filtered_incidents.csv", description="CSV file")
        self.export_button = W.Button(description="Export filtered list", icon="download")
        self.report_folder = W.Text(value="reports", description="Folder")
        self.render_button = W.Button(description="Render reports", icon="file")
        self.progress = W.IntProgress(value=0, min=0, max=1, description="Reports")
        self.message = W.HTML()
        self._ids = iset.incidents.index
        self._filtered: IncidentSet | None = iset
        self.summary = pd.DataFrame()

        for control in (
            self.severity,
            self.status,
            self.services,
            self.date_range,
            self.search,
            self.metric,
            self.group_by,
        ):
            control.observe(self._on_change, names="value")
        self.incident.observe(self._on_incident, names="value")
        self.export_button.on_click(lambda _: self.export_csv())
        self.render_button.on_click(lambda _: self.render_reports())

        filters = W.HBox(
            [
                W.VBox([self.severity, self.status]),
                self.services,
                W.VBox([self.date_range, self.search, self.metric, self.group_by]),
            ]
        )
        actions = W.HBox(
            [
                W.VBox([self.export_path, self.export_button]),
                W.VBox([self.report_folder, self.render_button, self.progress]),
            ]
        )
        super().__init__(
            [
                filters,
                self.count,
                self.summary_html,
                self.figure,
                self.trend_figure,
                self.incident,
                self.detail,
                self.timeline_figure,
                actions,
                self.message,
            ]
        )
        self.refresh()

    @property
    def filtered(self) -> IncidentSet:
        """The incidents that pass the filters now (built on first access after a change)."""
        if self._filtered is None:
            self._filtered = self.iset.select(self._ids)
        return self._filtered

    # -- filtering ------------------------------------------------------------------
    def mask(self) -> pd.Series:
        """The boolean row mask of the current filters (vectorized, no file I/O)."""
        inc = self.iset.incidents
        all_sev = set(self.severity.value) == set(self.severity.options)
        sev = inc["severity"].astype("object")
        keep = sev.isin(self.severity.value) | (sev.isna() & all_sev)
        status = inc["status"].astype("object")
        keep &= status.isin(self.status.value) | (
            status.isna() & (set(self.status.value) == set(STATUSES))
        )
        chosen = set(self.services.value)
        if chosen != set(self.services.options):
            keep &= inc["services"].map(lambda lst: bool(chosen.intersection(lst)))
        lo, hi = self.date_range.value
        full = (lo, hi) == (self.date_range.options[0][1], self.date_range.options[-1][1])
        if not full:
            keep &= (self._day >= lo) & (self._day <= hi)
        needle = self.search.value.strip().lower()
        if needle:
            keep &= self._text.str.contains(needle, regex=False)
        return keep

    def _on_change(self, _change=None) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Recompute the selection, summary, charts and the incident list."""
        keep = self.mask()
        ids = self.iset.incidents.index[keep.to_numpy()]
        self._ids, self._filtered = ids, None
        frame = self.frame.loc[ids]
        n, total = len(ids), len(self.iset)
        self.count.value = f"<b>{n} of {total} incidents</b>"
        metric = self.metric.value
        if n == 0:
            self.summary = pd.DataFrame()
            self.summary_html.value = '<p class="nr"><i>No incidents match the filters.</i></p>'
            _replace(self.figure, charts.empty_figure())
            _replace(self.trend_figure, charts.empty_figure())
        else:
            self.summary = metrics.summarize(frame, by=self.group_by.value, columns=[metric])
            self.summary_html.value = self._summary_table(metric)
            if metric in METRIC_EXTRA:
                fig = self._numeric_distribution(frame, metric)
            else:
                fig = charts.durations(frame, metric, by=self.group_by.value)
            _replace(self.figure, fig)
            _replace(
                self.trend_figure,
                charts.trend(frame, metric)
                if metric not in METRIC_EXTRA
                else charts.trend(frame, "time_to_resolve"),
            )
            for trace in self.figure.data:
                if trace.type == "box":
                    trace.on_click(self._on_point)
        self._set_incident_options(ids)

    def _set_incident_options(self, ids: pd.Index, keep: str | None = None) -> None:
        """Fill the picker with the most recent incidents (a dropdown of thousands helps nobody;
        clicking a point reaches any incident) and show the selection once."""
        current = keep or self.incident.value
        recent = (
            self.frame.loc[ids, "started"].sort_values(ascending=False, na_position="last").index
        )
        shown = list(recent[: self.MAX_OPTIONS])
        if current in set(ids) and current not in shown:
            shown.append(current)
        self._quiet = True
        try:
            self.incident.options = list(zip(self._labels.loc[shown].tolist(), shown, strict=True))
            chosen = current if current in set(shown) else (shown[0] if shown else None)
            self.incident.value = chosen
        finally:
            self._quiet = False
        self._show_incident(chosen)

    def _summary_table(self, metric: str) -> str:
        s = self.summary
        key = "service" if self.group_by.value == "service" else self.group_by.value
        is_time = metric not in METRIC_EXTRA

        def show(v):
            return fmt.duration(v, missing="–") if is_time else fmt.number(v, missing="–")

        rows = [
            [
                html.escape(str(r[key])),
                str(r["count"]),
                str(r["open"]),
                show(r["median"]),
                show(r["p90"]),
                show(r["mean"]),
            ]
            for _, r in s.iterrows()
        ]
        return table(rows, [html.escape(key), "count", "open", "median", "p90", "mean"])

    def _numeric_distribution(self, frame: pd.DataFrame, column: str) -> go.Figure:
        data = frame[frame[column].notna()]
        if data.empty:
            return charts.empty_figure()
        by = self.group_by.value
        groups = (
            data.assign(group=data["services"]).explode("group")
            if by == "service"
            else data.assign(group=data[by].astype("object"))
        )
        fig = go.Figure(
            layout={
                "template": charts.TEMPLATE,
                "title": f"{column.replace('_', ' ')} by {by}",
                "height": 420,
            }
        )
        for g, part in groups.groupby("group", sort=True):
            fig.add_trace(
                go.Box(
                    name=str(g),
                    y=part[column],
                    boxpoints="all",
                    customdata=part.index.to_numpy(),
                    hovertemplate="%{customdata}: %{y:,.0f}<extra></extra>",
                    showlegend=False,
                )
            )
        return fig

    # -- drill-down ---------------------------------------------------------------------
    def _on_point(self, trace, points, _state) -> None:
        if points.point_inds:
            custom = trace.customdata[points.point_inds[0]]
            iid = custom if isinstance(custom, str) else custom[0]
            if iid in self._ids:
                if iid not in {v for _, v in self.incident.options}:
                    self._set_incident_options(self._ids, keep=iid)
                self.incident.value = iid

    def _on_incident(self, change) -> None:
        if not self._quiet:
            self._show_incident(change["new"])

    def _show_incident(self, incident_id: str | None) -> None:
        if incident_id == self._shown and incident_id is not None:
            return
        self._shown = incident_id
        if not incident_id:
            self.detail.value = '<p class="nr"><i>No incident selected.</i></p>'
            _replace(self.timeline_figure, charts.empty_figure("No incident selected"))
            return
        inc = self.iset.incidents.loc[incident_id]
        d = self.frame.loc[incident_id]
        items = metrics.action_item_status(self.iset.select([incident_id]), self.as_of)
        open_items = items[items["state"] != "done"]
        facts = [
            ["Severity", severity_badge(inc["severity"])],
            ["Status", html.escape(fmt.text(inc["status"]))],
            ["Time to detect", fmt.duration(d["time_to_detect"], missing=NR)],
            [
                "Time to resolve",
                fmt.duration(d["time_to_resolve"], missing=NR)
                + (" (ongoing)" if d["time_to_resolve_ongoing"] else ""),
            ],
            [
                "Impact",
                fmt.duration(d["impact_duration"], missing=NR)
                + " · "
                + (
                    fmt.number(d["user_minutes"]) + " user-minutes"
                    if pd.notna(d["user_minutes"])
                    else NR
                ),
            ],
            [
                "Open action items",
                "<br>".join(
                    f"{html.escape(r.text)} ({html.escape(fmt.text(r.owner))}, {r.state})"
                    for r in open_items.itertuples()
                )
                or "none",
            ],
        ]
        self.detail.value = (
            f"<h3>{html.escape(incident_id)} · {html.escape(fmt.text(inc['title']))}</h3>"
            + table(facts)
        )
        _replace(self.timeline_figure, charts.timeline(self.iset, incident_id, as_of=self.as_of))

    # -- actions ----------------------------------------------------------------------
    def export_csv(self, path: str | Path | None = None) -> Path:
        """Write the filtered incidents with their durations (seconds) to CSV."""
        path = Path(path or self.export_path.value)
        frame = self.frame.loc[self._ids]
        out = self.filtered.incidents[["title", "severity", "status"]].copy()
        out["services"] = ["; ".join(s) for s in self.filtered.incidents["services"]]
        for span in metrics.span_columns(frame):
            out[f"{span}_seconds"] = frame[span].dt.total_seconds()
        out["user_minutes"] = frame["user_minutes"]
        from .files import atomic_write

        atomic_write(path, out.to_csv())
        self.message.value = f"Wrote {len(out)} incidents to {html.escape(str(path))}"
        return path

    def render_reports(self, folder: str | Path | None = None):
        """Render the post-mortems of the filtered incidents into ``folder`` (progress bar)."""
        import tempfile

        from .report import run
        from .sources.tables import write

        folder = Path(folder or self.report_folder.value)
        ids = self.filtered.ids
        if not ids:
            self.message.value = "Nothing to render: no incidents match the filters."
            return None
        self.progress.max, self.progress.value = len(ids), 0

        def tick(done: int, failed: int, total: int) -> None:
            self.progress.value = done

        with tempfile.TemporaryDirectory() as tmp:
            write(self.filtered, tmp, "jsonl")
            result = run(tmp, folder, only=ids, as_of=self.as_of, progress=False, on_progress=tick)
        self.message.value = html.escape(result.summary()).replace("\n", "<br>")
        return result
