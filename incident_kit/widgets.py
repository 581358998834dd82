"""The ipywidgets explorer: filter the portfolio, pick a metric and a grouping, drill into one.

Everything is computed once from the loaded frames; a filter change only masks rows and
recomputes the summary and the charts. The charts are :class:`~incident_kit.livechart.LiveChart`
widgets updated in place: a change sends only the trace and layout properties that differ
(one message per chart), not the whole figure again.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path

import ipywidgets as W
import pandas as pd
import plotly.graph_objects as go
import traitlets

from . import charts, fmt, metrics
from .livechart import LiveChart
from .markup import NR, severity_badge, table
from .model import SEVERITIES, STATUSES, IncidentSet, require_set

METRIC_EXTRA = ("user_minutes",)


class Toggles(W.HBox):
    """Several options as toggle buttons, any number on: the chosen ones are filled and
    ticked, so what is selected shows at a glance. ``value`` is the tuple of chosen options
    (in option order); set it from code like a ``SelectMultiple``'s."""

    value = traitlets.Tuple()

    def __init__(self, options: Sequence[str], *, value: Sequence[str] = (), description: str):
        self.options = tuple(options)
        self._buttons = [
            W.ToggleButton(
                description=str(o),
                tooltip=f"show {o} incidents (click to toggle)",
                layout=W.Layout(width="auto", min_width="3.2em"),
            )
            for o in self.options
        ]
        self._syncing = False
        label = W.Label(description, layout=W.Layout(width="5.5em"))
        super().__init__([label, *self._buttons])
        self.add_class("ik-toggles")
        for button in self._buttons:
            button.observe(self._on_button, names="value")
        self.value = tuple(value)
        self._show(self.value)

    @traitlets.validate("value")
    def _check(self, proposal) -> tuple:
        chosen = set(proposal["value"])
        unknown = chosen - set(self.options)
        if unknown:
            raise traitlets.TraitError(
                f"unknown option {sorted(map(str, unknown))[0]!r}; options: {', '.join(self.options)}"
            )
        return tuple(o for o in self.options if o in chosen)

    @traitlets.observe("value")
    def _on_value(self, change) -> None:
        self._show(change["new"])

    def _show(self, value: tuple) -> None:
        self._syncing = True
        try:
            for option, button in zip(self.options, self._buttons, strict=True):
                on = option in value
                button.value = on
                button.button_style = "info" if on else ""
                button.icon = "check" if on else ""
        finally:
            self._syncing = False

    def _on_button(self, _change) -> None:
        if not self._syncing:
            self.value = tuple(
                o for o, b in zip(self.options, self._buttons, strict=True) if b.value
            )


class Explorer(W.VBox):
    """Interactive analysis of an incident portfolio in Jupyter.

    Show it with ``display(ik.widgets.Explorer(iset))`` (or as a cell's last line).
    Every control is a public ipywidget, so the explorer can be driven from code:

    Attributes
    ----------
    severity, status : Toggles
        Filters as toggle buttons; an incident passes when its value is chosen.
    services : SelectMultiple
        An incident passes when any of its services is selected.
    date_range : SelectionRangeSlider
        Detection dates (days) to keep, inclusive; ``date_label`` spells the range out.
    search : Text
        Case-insensitive text searched in ID, title, what happened and why it happened.
    metric : Dropdown
        A span from the metrics registry, or ``user_minutes``.
    group_by : Dropdown
        ``severity``, ``service``, ``month`` or ``status``.
    reset_button : Button
        Clears every filter (also :meth:`reset`).
    incident : Dropdown
        The incident shown in the drill-down (also set by clicking a point in the chart);
        it lists the 500 most recent incidents of the selection.
    filtered : IncidentSet
        The incidents that pass the filters now.
    summary : DataFrame
        The summary table now shown (``ik.summarize`` of the filtered incidents).
    figure, trend_figure, timeline_figure : LiveChart
        The distribution chart, the trend chart, and the drill-down timeline (each has
        ``.figure``, ``.data`` and ``.layout`` of the plotly figure it shows).
    count : HTML
        "42 of 120 incidents".
    filters_line : HTML
        The filters in force, in words ("severity P1, P2 · services: search"), or "no filters".
    """

    MAX_OPTIONS = 500
    _CONTEXT = ("started", "severity", "status", "services", "month")
    #: Points drawn in the distribution chart at most (evenly by value; the chart says so).
    MAX_POINTS = 1000

    def __init__(self, iset: IncidentSet, as_of: object = None):
        self._quiet = False
        self._holding = False
        self._shown: str | None = "-"
        self.iset = require_set(iset, "Explorer")
        self.as_of = metrics.resolve_as_of(as_of)
        self._index(iset)
        self._make_filters(iset)
        self._make_views()
        self._make_actions()
        self._ids = iset.incidents.index
        self._filtered: IncidentSet | None = iset
        self.summary = pd.DataFrame()
        for control in (*self._filters(), self.metric, self.group_by):
            control.observe(self._on_change, names="value")
        self.incident.observe(self._on_incident, names="value")
        self.reset_button.on_click(lambda _: self.reset())
        self.export_button.on_click(lambda _: self.export_csv())
        self.render_button.on_click(lambda _: self.render_reports())
        self.refresh()
        super().__init__(self._layout())
        self.add_class("ik-explorer")

    def _index(self, iset: IncidentSet) -> None:
        """What the filters look up, computed once: every span and user-minutes per incident,
        the searchable text, the drill-down labels and the day each incident was detected."""
        frame = metrics.durations(iset, self.as_of)
        imp = metrics.impact(iset, self.as_of)
        frame["user_minutes"] = imp["user_minutes"].astype("float64")
        self.frame = frame
        inc = iset.incidents
        ids = inc.index.to_series().astype(str)
        text = [inc[c].fillna("") for c in ("title", "what_happened", "why_it_happened")]
        self._text = (ids + " " + text[0] + " " + text[1] + " " + text[2]).str.lower()
        self._labels = ids + " · " + inc["title"].fillna("").astype(str)
        detected = frame["started"].dt.tz_convert("UTC").dt.normalize()
        self._day = detected.dt.tz_localize(None)

    def _make_filters(self, iset: IncidentSet) -> None:
        services = sorted({s for lst in iset.incidents["services"] for s in lst})
        days = sorted(self._day.dropna().unique()) or [pd.Timestamp("1970-01-01")]
        self.severity = Toggles(SEVERITIES, value=SEVERITIES, description="Severity")
        self.status = Toggles(STATUSES, value=STATUSES, description="Status")
        self.services = W.SelectMultiple(
            options=services, value=services, description="Services", rows=6
        )
        self.date_range = W.SelectionRangeSlider(
            options=[(pd.Timestamp(d).strftime("%Y-%m-%d"), pd.Timestamp(d)) for d in days],
            index=(0, len(days) - 1),
            description="Detected",
            readout=False,  # the label below spells out both ends; the readout clips them
            layout=W.Layout(width="420px"),
        )
        self.date_label = W.HTML(layout=W.Layout(margin="0 0 0 90px"))
        self.search = W.Text(placeholder="title or root cause contains…", description="Search")

    def _make_views(self) -> None:
        spans = metrics.span_columns(self.frame)
        self.metric = W.Dropdown(
            options=[*spans, *METRIC_EXTRA], value="time_to_resolve", description="Metric"
        )
        self.group_by = W.Dropdown(
            options=list(metrics.GROUPS), value="severity", description="Group by"
        )
        self.reset_button = W.Button(
            description="Reset filters", icon="undo", tooltip="show every incident again"
        )
        self.incident = W.Dropdown(
            options=[], description="Incident", layout=W.Layout(width="520px")
        )
        self.count = W.HTML()
        self.count.add_class("ik-count")
        self.filters_line = W.HTML()
        self.summary_html = W.HTML()
        # made with their first figure, in the first refresh
        self.figure: LiveChart | None = None
        self.trend_figure: LiveChart | None = None
        self.timeline_figure: LiveChart | None = None
        self.detail = W.HTML()

    def _make_actions(self) -> None:
        self.export_path = W.Text(value="filtered_incidents.csv", description="CSV file")
        self.export_button = W.Button(description="Export filtered list", icon="download")
        self.report_folder = W.Text(value="reports", description="Folder")
        self.render_button = W.Button(description="Render reports", icon="file")
        self.progress = W.IntProgress(value=0, min=0, max=1, description="Reports")
        self.message = W.HTML()

    def _layout(self) -> list[W.Widget]:
        """Filters on top; count, summary and charts; the drill-down; the actions."""
        settings = [self.date_range, self.date_label, self.search, self.metric, self.group_by]
        filters = W.HBox(
            [
                W.VBox([self.severity, self.status, self.services]),
                W.VBox([*settings, self.reset_button]),
            ]
        )
        actions = W.HBox(
            [
                W.VBox([self.export_path, self.export_button]),
                W.VBox([self.report_folder, self.render_button, self.progress]),
            ]
        )
        return [
            filters,
            self.count,
            self.filters_line,
            self.summary_html,
            self.figure,
            self.trend_figure,
            self.incident,
            self.detail,
            self.timeline_figure,
            actions,
            self.message,
        ]

    def _filters(self) -> tuple[W.Widget, ...]:
        return (self.severity, self.status, self.services, self.date_range, self.search)

    @property
    def filtered(self) -> IncidentSet:
        """The incidents that pass the filters now (built on first access after a change)."""
        if self._filtered is None:
            self._filtered = self.iset.select(self._ids)
        return self._filtered

    def reset(self) -> None:
        """Every filter back to "all" (one refresh, not one per control)."""
        self._holding = True
        try:
            self.severity.value = self.severity.options
            self.status.value = self.status.options
            self.services.value = self.services.options
            self.date_range.index = (0, len(self.date_range.options) - 1)
            self.search.value = ""
        finally:
            self._holding = False
        self.refresh()

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
        if not self._holding:
            self.refresh()

    def describe_filters(self) -> str:
        """The filters in force in words, as the line under the count shows them (HTML)."""
        parts = []
        for name, control in (("severity", self.severity), ("status", self.status)):
            if set(control.value) != set(control.options):
                parts.append(f"{name} " + (", ".join(map(str, control.value)) or "none"))
        chosen = list(self.services.value)
        if set(chosen) != set(self.services.options):
            shown = ", ".join(chosen[:4]) + (
                f" (+{len(chosen) - 4} more)" if len(chosen) > 4 else ""
            )
            parts.append("services " + (shown or "none"))
        lo, hi = self.date_range.index
        if (lo, hi) != (0, len(self.date_range.options) - 1):
            parts.append(f"detected {self._range_text()}")
        if self.search.value.strip():
            parts.append(f"search “{self.search.value.strip()}”")
        clock = f"durations as of {fmt.timestamp(self.as_of)}"
        if not parts:
            return f'<span class="ik-filters">No filters: every incident · {clock}</span>'
        text = " · ".join(html.escape(p) for p in parts)
        return f'<span class="ik-filters"><b>Filters</b>: {text} · {clock}</span>'

    def _range_text(self) -> str:
        lo, hi = self.date_range.index
        first, last = self.date_range.options[lo][1], self.date_range.options[hi][1]
        days = (last - first).days + 1
        return f"{first:%Y-%m-%d} – {last:%Y-%m-%d} ({days} day{'s' if days != 1 else ''})"

    def refresh(self) -> None:
        """Recompute the selection, summary, charts and the incident list."""
        keep = self.mask().to_numpy()
        ids = self.iset.incidents.index[keep]
        self._ids, self._filtered = ids, None
        metric, by = self.metric.value, self.group_by.value
        # only the columns the summary and charts read: every copy pandas makes is smaller
        columns = [c for c in (metric, f"{metric}_ongoing", *self._CONTEXT) if c in self.frame]
        frame = self.frame[columns][keep]
        n, total = len(ids), len(self.iset)
        self.count.value = f"<b>{n} of {total} incidents</b>"
        self.filters_line.value = self.describe_filters()
        self.date_label.value = f'<span class="ik-range">{self._range_text()}</span>'
        if n == 0:
            self.summary = pd.DataFrame()
            self.summary_html.value = '<p class="nr"><i>No incidents match the filters.</i></p>'
            self._draw("figure", charts.empty_figure())
            self._draw("trend_figure", charts.empty_figure())
        else:  # in the order people look: the count (above), the chart, the table, the trend
            self._draw("figure", charts.durations(frame, metric, by=by, max_points=self.MAX_POINTS))
            self.summary = metrics.summarize(frame, by=by, columns=[metric])
            self.summary_html.value = self._summary_table(metric)
            self._draw("trend_figure", charts.trend(frame, metric))
        self._set_incident_options(ids)

    def _draw(self, name: str, fig: go.Figure) -> str:
        """Show ``fig`` in the chart ``name``: made with it the first time, else updated in
        place (only what changed is sent; see :meth:`LiveChart.show`)."""
        chart = getattr(self, name)
        if chart is None:
            chart = LiveChart(fig)
            setattr(self, name, chart)
            if name == "figure":
                chart.on_click(self._on_point)
            return "new"
        return chart.show(fig)

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

    # -- drill-down ---------------------------------------------------------------------
    def _on_point(self, _trace: int, _point: int, custom: object) -> None:
        """A click on an incident's point in the distribution chart drills into it."""
        if custom is None:
            return
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
            self._draw("timeline_figure", charts.empty_figure("No incident selected"))
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
        self._draw("timeline_figure", charts.timeline(self.iset, incident_id, as_of=self.as_of))

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
        """Render the post-mortems of the filtered incidents into ``folder`` (progress bar).

        The batch gets the whole set with ``only`` the filtered IDs, so the folder's index
        keeps listing every incident.
        """
        from .report import run

        folder = Path(folder or self.report_folder.value)
        ids = self.filtered.ids
        if not ids:
            self.message.value = "Nothing to render: no incidents match the filters."
            return None
        self.progress.max, self.progress.value = len(ids), 0

        def tick(done: int, failed: int, total: int) -> None:
            self.progress.max, self.progress.value = total, done

        result = run(
            self.iset, folder, only=ids, as_of=self.as_of, progress=False, on_progress=tick
        )
        self.message.value = html.escape(result.summary()).replace("\n", "<br>")
        return result
