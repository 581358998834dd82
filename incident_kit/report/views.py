"""What a report shows, as HTML fragments: pure functions of an IncidentSet.

The notebooks call these (a line per cell) and nbconvert only lays the outputs out, so all
formatting is here where tests reach it. Every string from incident data is escaped, or
rendered as Markdown with raw HTML disabled; unknown values read "not recorded".
"""

from __future__ import annotations

import hashlib
import html
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from .. import charts, fmt, metrics
from .. import vocab as V
from ..markup import NR, Html, esc, inline_markdown, items, markdown, severity_badge, table
from ..model import HORIZONS, IncidentSet
from ..version import __version__
from .analytics import PortfolioAnalytics, PostmortemAnalytics
from .chart import Chart

HORIZON_TITLES = V.HORIZON_TITLES


def source_paths(source: str | Path | list[str | Path] | None) -> list[str | Path]:
    """The notebooks' ``source`` parameter as paths for ``load``: one path, several, or None
    for the default data folder (so a notebook opened where it lives finds the sample)."""
    if source is None:
        from ..paths import default_data

        return [default_data()]
    return [source] if isinstance(source, (str, Path)) else list(source)


def fingerprint(iset: IncidentSet) -> str:
    """A short hash of the data a report was made from (tables, in a stable text form)."""
    digest = hashlib.sha256()
    for frame in (
        iset.incidents.drop(columns=["source_file", "source_line"]),
        iset.events.drop(columns=["source"]),
        iset.action_items.drop(columns=["source"]),
    ):
        digest.update(frame.to_csv().encode())
    return digest.hexdigest()[:12]


def provenance(
    iset: IncidentSet, generated_at: pd.Timestamp, as_of: pd.Timestamp | None, display_tz: str
) -> Html:
    parts = [
        f"Generated {fmt.timestamp(generated_at, display_tz)}",
        f"incident_kit {html.escape(__version__)}",
        f"input fingerprint <code>{fingerprint(iset)}</code>",
        f"times shown in {html.escape(display_tz)}",
    ]
    if as_of is not None:
        parts.insert(1, f"as of {fmt.timestamp(as_of, display_tz)}")
    return Html('<p class="provenance">' + " · ".join(parts) + "</p>")


def duration_html(value: object, ongoing: bool = False) -> str:
    """A duration cell: the one rounding rule, "(ongoing)" marked, "not recorded" if unknown."""
    if value is None or pd.isna(value):
        return NR
    text = html.escape(fmt.duration(value))
    return text + (f' <span class="ongoing">{fmt.ONGOING}</span>' if ongoing else "")


def spans_appendix() -> Html:
    """Every span's definition from the metrics registry."""
    rows = [
        [
            f"<code>{html.escape(s.name)}</code>",
            html.escape(s.definition()),
            html.escape(s.description),
        ]
        for s in metrics.get_spans()
    ]
    intro = (
        "<p>Durations use the first recorded event of each kind, computed in UTC, and are "
        "rounded half up to the smallest unit shown (hours from a day up, minutes from an "
        "hour up). An open incident's unfinished span is <em>ongoing</em>: it runs to the "
        "report's as-of time and is left out of medians and percentiles. <em>n</em> is the "
        "number of finished incidents a figure is computed from; a p90 needs n &ge; "
        f"{metrics.P90_MIN_COUNT}, below that it would be noise and is not shown.</p>"
    )
    return Html(intro + table(rows, ["span", "from -> to", "meaning"]))


def _action_table(status: pd.DataFrame) -> str:
    """One horizon's action items as a table (state as a row class), or "not recorded"."""
    rows, classes = [], []
    for r in status.itertuples():
        due = fmt.text(r.due.strftime("%Y-%m-%d") if pd.notna(r.due) else None, missing="")
        state = {"done": "✓ done", "open": "open", "overdue": "⚠ overdue"}[r.state]
        rows.append([inline_markdown(r.text), esc(r.owner), html.escape(due) if due else NR, state])
        classes.append(r.state)
    if not rows:
        return f"<p>{NR}</p>"
    return table(rows, ["item", "owner", "due", "state"], row_classes=classes)


@dataclass
class Postmortem(PostmortemAnalytics):
    """The post-mortem of one incident, section by section (the notebook's single object).

    >>> pm = Postmortem.open("data", "INC-2026-0001")   # doctest: +SKIP
    >>> pm.summary()                                     # doctest: +SKIP
    """

    iset: IncidentSet
    incident_id: str
    as_of: pd.Timestamp | None = None
    display_tz: str = "UTC"
    generated_at: pd.Timestamp = field(default_factory=lambda: pd.Timestamp.now(tz="UTC"))
    #: What the rest of the portfolio says about this incident (related incidents, repeats):
    #: carried by the batch, whose job has only this incident; computed by ``open`` otherwise.
    context: dict | None = None

    @classmethod
    def open(
        cls,
        source: str | Path | list[str | Path] | None,
        incident_id: str | None = None,
        *,
        as_of: object = None,
        display_tz: str = "UTC",
        context: dict | None = None,
    ) -> Postmortem:
        """Load ``source`` (None: :func:`incident_kit.paths.default_data`) and pick
        ``incident_id`` (default: the first incident). ``context``: related incidents and
        repeats computed elsewhere (:func:`incident_kit.similar.batch_context`); None
        computes them from ``source``, which then must hold the whole portfolio."""
        from ..fields import zone
        from .payload import read_source

        zone(display_tz)
        paths = source_paths(source)
        iset = read_source(paths).iset
        if incident_id is None:
            if not len(iset):
                from ..errors import IncidentKitError

                raise IncidentKitError(f"no valid incident in {', '.join(map(str, paths))}")
            incident_id = iset.ids[0]
        if context is None:  # opened by hand: the whole set is here, compute it now
            from ..similar import context_for

            context = context_for(iset, incident_id)
        return cls(
            iset.select([incident_id]),
            incident_id,
            metrics.to_utc(as_of),
            display_tz,
            context=context,
        )

    @property
    def at(self) -> pd.Timestamp:
        """The time open incidents and overdue items are measured to: as_of, else now."""
        return self.as_of if self.as_of is not None else self.generated_at

    @cached_property
    def inc(self) -> pd.Series:
        """The incident's row (read once: every section reads it)."""
        return self.iset.incidents.loc[self.incident_id]

    @cached_property
    def _durations(self) -> pd.DataFrame:
        return metrics.durations(self.iset, self.at)

    @cached_property
    def _row(self) -> pd.Series:
        return self._durations.loc[self.incident_id]

    def _dur(self) -> pd.Series:
        return self._row

    def _t(self, value: object) -> str:
        return fmt.timestamp(value, self.display_tz, missing=NR)

    def _d(self, name: str, row: pd.Series | None = None) -> str:
        row = self._dur() if row is None else row
        return duration_html(row[name], bool(row.get(f"{name}_ongoing", False)))

    # -- sections in the template's order ----------------------------------------------
    def header(self) -> Html:
        title = fmt.text(self.inc["title"], missing="")
        head = html.escape(self.incident_id) + (f" · {html.escape(title)}" if title else "")
        return Html(
            f'<h1 class="ik-title">{head}</h1>'
            + provenance(self.iset, self.generated_at, self.at, self.display_tz)
        )

    def summary(self) -> Html:
        inc, d = self.inc, self._dur()
        first = metrics.milestones(self.iset).loc[self.incident_id]
        rows = [
            ["Incident ID", html.escape(self.incident_id)],
            ["Severity", severity_badge(inc["severity"])],
            ["Status", esc(inc["status"])],
            ["Services", ", ".join(html.escape(s) for s in inc["services"]) or NR],
            ["Detected", self._t(first["detected"])],
        ]
        # every registered span, named and rounded as on the chart and the index
        rows += [[html.escape(s.label), self._d(s.name, d)] for s in metrics.get_spans()]
        prose = fmt.text(inc["summary"], missing="")
        return Html((markdown(prose) if prose else "") + table(rows, cls="ik-table ik-facts"))

    def timeline_chart(self) -> Chart:
        return Chart(
            charts.timeline(self.iset, self.incident_id, as_of=self.at, display_tz=self.display_tz)
        )

    def milestones(self) -> Html:
        ev = self.iset.events
        if ev.empty:
            return Html(f"<p>{NR}</p>")
        rows = [
            [
                self._t(r.timestamp),
                html.escape(charts.KIND_LABELS[r.kind]),
                esc(r.actor),
                esc(r.role) if pd.notna(r.role) else "",
                esc(r.description) if pd.notna(r.description) else "",
            ]
            for r in ev.itertuples()
        ]
        return Html(table(rows, ["time", "what", "who", "to", "details"]))

    def impact(self) -> Html:
        """What the report states, as written, beside what was read from it and computed."""
        imp = metrics.impact(self.iset, self.at).loc[self.incident_id]
        inc = self.inc
        users = fmt.number(imp["users_affected"], missing="")
        if pd.notna(imp["users_affected_pct"]):
            users = (users + " " if users else "") + f"({float(imp['users_affected_pct']):g}%)"
        user_minutes = (
            fmt.number(imp["user_minutes"]) + " user-minutes"
            if pd.notna(imp["user_minutes"])
            else ""
        )
        users_read = " · ".join(p for p in (html.escape(users), user_minutes) if p) or NR
        computed = self._d("impact_duration")
        if imp["impact_start_assumed"]:
            computed += ' <span class="note">(from detection; impact start not recorded)</span>'
        mismatch = imp["downtime_mismatch"]
        if pd.notna(mismatch) and mismatch:
            computed += ' <span class="warn">differs from the stated downtime</span>'
        stated_downtime = fmt.duration(inc["downtime_stated"], missing="")
        downtime_read = computed + (
            f' <span class="note">(impact duration; the stated downtime reads as '
            f"{stated_downtime})</span>"
            if stated_downtime
            else ' <span class="note">(impact duration)</span>'
        )
        money = (
            f"{fmt.number(imp['financial_amount'])} {html.escape(fmt.text(imp['financial_currency'], missing=''))}"
            if pd.notna(imp["financial_amount"])
            else NR
        )
        loss = NR if pd.isna(imp["has_data_loss"]) else ("yes" if imp["has_data_loss"] else "no")
        rows = [
            ["Users affected", self._stated("users_affected_text", users), users_read],
            [
                "Services affected",
                ", ".join(html.escape(s) for s in inc["services"]) or NR,
                f"{int(imp['services_count'])} service(s)",
            ],
            ["Downtime", self._stated("downtime_text", stated_downtime), downtime_read],
            ["Data loss", esc(inc["data_loss"]), loss],
            ["Financial impact", esc(inc["financial_impact"]), money],
        ]
        return Html(table(rows, ["", "stated in the report", "computed"]))

    def _stated(self, column: str, fallback: str) -> str:
        """The author's words for a parsed field (tables and tools have only the value)."""
        text = fmt.text(self.inc[column], missing="") or fallback
        return html.escape(text) if text else NR

    def _sections(self, parts: list[tuple[str, str]]) -> Html:
        return Html("".join(f"<h3>{title}</h3>{body}" for title, body in parts))

    def _parts(self, section: str) -> Html:
        """A template section's parts (titles from the vocabulary): text or a list each."""
        inc = self.inc
        return self._sections(
            [
                (
                    html.escape(part.title),
                    markdown(inc[part.column])
                    if part.column in V.TEXT_PARTS
                    else items(inc[part.column], part.ordered),
                )
                for part in V.SECTION_BY_KEY[section].parts
            ]
        )

    def root_cause(self) -> Html:
        return self._parts("root_cause")

    def actions_taken(self) -> Html:
        return self._parts("actions_taken")

    def lessons(self) -> Html:
        return self._parts("lessons")

    def action_items(self) -> Html:
        status = metrics.action_item_status(self.iset, self.at)
        groups = [(HORIZON_TITLES[h], status[status["horizon"] == h]) for h in HORIZONS]
        loose = status[status["horizon"].isna()]
        if len(loose):  # written straight under Action Items: shown, never dropped
            groups.append((V.HORIZON_NOT_STATED, loose))
        parts = [(title, _action_table(rows)) for title, rows in groups]
        follow = metrics.follow_through(self.iset, self.at).loc[self.incident_id]
        total = int(follow["total"])
        line = (
            f'<p class="note">{int(follow["done"])} of {total} done, {int(follow["overdue"])} overdue</p>'
            if total
            else ""
        )
        return Html(line + self._sections(parts))

    def prevention(self) -> Html:
        measures = self.inc["prevention"]
        if not measures:
            return Html(f"<p>{NR}</p>")
        return Html(
            '<ul class="checks">'
            + "".join(
                f'<li class="{"done" if m["done"] else "todo"}">{"☑" if m["done"] else "☐"} {inline_markdown(m["text"])}</li>'
                for m in measures
            )
            + "</ul>"
        )

    def communication(self) -> Html:
        inc = self.inc
        out = []
        for column, label, _words in V.COMMUNICATION:
            value = inc[column]
            mark = NR if pd.isna(value) else ("☑ yes" if value else "☐ no")
            out.append([label, mark])
        return Html(table(out + self.communication_timing(), cls="ik-table ik-facts"))

    def team(self) -> Html:
        inc = self.inc
        rows = [[html.escape(lb.title), esc(inc[lb.column])] for lb in V.TEAM_LABELS]
        return Html(table(rows, cls="ik-table ik-facts"))

    def references(self) -> Html:
        return Html(items(self.inc["references"]))

    def footer(self) -> Html:
        inc = self.inc

        def day(v):
            return html.escape(v.strftime("%Y-%m-%d")) if pd.notna(v) else NR

        shown = {
            "prepared_by": esc(inc["prepared_by"]),
            "report_date": day(inc["report_date"]),
            "next_review": day(inc["next_review"]),
        }
        lines = [f"<b>{html.escape(lb.title)}</b>: {shown[lb.column]}" for lb in V.FOOTER_LABELS]
        return Html('<hr><p class="footer">' + "<br>".join(lines) + "</p>")

    def extra_sections(self) -> Html:
        """What the author wrote beyond the template, after its sections: text found in a
        template section with no field of its own, then the sections the template does not
        have, as Markdown (raw HTML off, code as preformatted text). Empty when there is none."""
        inc = self.inc
        parts = []
        notes = [n for n in (inc["notes"] or []) if fmt.text(n, missing="")]
        if notes:
            parts.append(
                '<section class="ik-notes"><h2>Also written in the report</h2>'
                '<p class="note">Text in a template section that has no field of its own, '
                "kept as written under the heading it stood under.</p>"
                + "".join(f'<div class="ik-note">{markdown(n)}</div>' for n in notes)
                + "</section>"
            )
        extra = fmt.text(inc["extra_sections"], missing="")
        if extra:
            parts.append(f'<section class="ik-extra">{markdown(extra)}</section>')
        return Html("".join(parts))

    def reading_notes(self) -> Html:
        """What the loader could not read or place in this incident's report, line by line
        (its warnings): a reviewer sees which values were left unknown and why. Empty when
        everything was read."""
        p = self.iset.problems
        mine = p[(p["incident_id"] == self.incident_id)] if len(p) else p
        if not len(mine):
            return Html("")
        rows = "".join(
            f"<li><code>{html.escape(_where(r.file, r.line))}</code> {html.escape(str(r.message))}</li>"
            for r in mine.itertuples()
        )
        n = len(mine)
        return Html(
            f'<details class="ik-reading"><summary>{n} thing{"s" if n != 1 else ""} the loader '
            "could not read or place in this report (the values are left unknown or kept as "
            f"notes)</summary><ul>{rows}</ul></details>"
        )

    def appendix(self) -> Html:
        return spans_appendix()


def _where(file: object, line: object) -> str:
    name = Path(str(file)).name
    return f"{name}:{int(line)}" if line is not None and not pd.isna(line) else name


KEY_SPANS = ("time_to_detect", "time_to_resolve", "impact_duration", "time_to_communicate")


@dataclass
class Portfolio(PortfolioAnalytics):
    """All incidents of a source: summaries, portfolio charts, follow-through, slowest."""

    iset: IncidentSet
    as_of: pd.Timestamp | None = None
    display_tz: str = "UTC"
    generated_at: pd.Timestamp = field(default_factory=lambda: pd.Timestamp.now(tz="UTC"))

    @classmethod
    def open(
        cls,
        source: str | Path | list[str | Path] | None,
        *,
        as_of: object = None,
        display_tz: str = "UTC",
    ) -> Portfolio:
        """Load ``source`` (None: :func:`incident_kit.paths.default_data`)."""
        from ..fields import zone
        from .payload import read_source

        zone(display_tz)
        return cls(read_source(source_paths(source)).iset, metrics.to_utc(as_of), display_tz)

    @property
    def at(self) -> pd.Timestamp:
        """The time open incidents and overdue items are measured to: as_of, else now."""
        return self.as_of if self.as_of is not None else self.generated_at

    @cached_property
    def frame(self) -> pd.DataFrame:
        return metrics.durations(self.iset, self.at)

    def header(self) -> Html:
        n = len(self.iset)
        open_ = int(metrics.is_open(self.iset).sum())
        return Html(
            f'<h1 class="ik-title">Incident portfolio · {n} incidents, {open_} open</h1>'
            + provenance(self.iset, self.generated_at, self.at, self.display_tz)
        )

    def summary(self, by: str | None) -> Html:
        """Median and p90 of the key spans per group, each with its n (finished incidents);
        p90 only from :data:`~incident_kit.metrics.P90_MIN_COUNT` incidents up."""
        frame = self.frame
        s = metrics.summarize(frame, by=by, columns=list(KEY_SPANS))
        key = by or "scope"
        if by is None:
            s = s.assign(scope="all incidents")
        sizes = _group_sizes(frame, by)
        groups = list(dict.fromkeys(s[key].astype(str)))
        header = [html.escape(by or ""), "incidents", "open"] + [
            f"{html.escape(metrics.label(m))}<br><small>median · p90 (n)</small>" for m in KEY_SPANS
        ]
        rows = []
        for g in groups:
            part = s[s[key].astype(str) == g].set_index("metric")
            opened = int(part["open"].max())
            cells = [html.escape(g), str(int(sizes.get(g, 0))), str(opened)]
            cells += [_median_p90(part.loc[m]) for m in KEY_SPANS]
            rows.append(cells)
        note = (
            f'<p class="note">n: finished incidents a figure is computed from (open ones are '
            f"left out); p90 is shown from n = {metrics.P90_MIN_COUNT} up.</p>"
        )
        return Html(table(rows, header) + note)

    def chart(self, name: str, **kwargs) -> Chart:
        """One of the portfolio charts by name: timeline, durations, trend, impact, action_items."""
        if name == "timeline":
            fig = charts.portfolio_timeline(
                self.iset, as_of=self.at, display_tz=self.display_tz, **kwargs
            )
        elif name == "durations":
            fig = charts.durations(self.frame, **kwargs)
        elif name == "trend":
            fig = charts.trend(self.frame, **kwargs)
        elif name == "impact":
            fig = charts.impact(self.iset, self.at)
        elif name == "action_items":
            fig = charts.action_items(self.iset, self.at, **kwargs)
        else:
            from ..errors import UnknownNameError

            raise UnknownNameError(
                f"unknown chart {name!r}; known: timeline, durations, trend, impact, action_items"
            )
        return Chart(fig)

    def follow_through(self) -> Html:
        per = metrics.follow_through(self.iset, self.at, by="owner")
        rows = [
            [
                html.escape(str(owner)),
                str(r.total),
                str(r.done),
                str(r.open),
                str(r.overdue),
                f"{r.completion_rate:.0%}" if pd.notna(r.completion_rate) else NR,
            ]
            for owner, r in per.iterrows()
        ]
        overall = metrics.follow_through(self.iset, self.at, by=None).iloc[0]
        head = (
            f"<p>{int(overall['done'])} of {int(overall['total'])} action items done, "
            f"{int(overall['overdue'])} overdue.</p>"
        )
        return Html(head + table(rows, ["owner", "items", "done", "open", "overdue", "completion"]))

    def slowest(self, span: str = "time_to_resolve", n: int = 5) -> Html:
        top = metrics.slowest(self.frame, span, n)
        rows = [
            [
                f'<a href="{html.escape(link_name(iid))}.html">{html.escape(iid)}</a>',
                esc(r["title"]),
                severity_badge(r["severity"]),
                fmt.duration(r[span]),
            ]
            for iid, r in top.iterrows()
        ]
        return Html(
            table(rows, ["incident", "title", "severity", html.escape(metrics.label(span))])
        )

    def appendix(self) -> Html:
        return spans_appendix()


def _group_sizes(frame: pd.DataFrame, by: str | None) -> dict[str, int]:
    """Incidents per group (an incident counts once for each of its services)."""
    if by is None:
        return {"all incidents": len(frame)}
    keys = frame["services"].explode().dropna() if by == "service" else frame[by].dropna()
    return {str(k): int(v) for k, v in keys.astype(str).value_counts().items()}


def _median_p90(row: pd.Series) -> str:
    """``1h 22m · – (n=3)``: the p90 is only given from P90_MIN_COUNT finished values."""
    n = int(row["count"])
    median = fmt.duration(row["median"], missing="–")
    if pd.notna(row["p90"]):
        p90 = fmt.duration(row["p90"])
    else:
        p90 = f'<span title="a p90 needs n &ge; {metrics.P90_MIN_COUNT}">–</span>'
    return f'{median} · {p90} <small class="n">(n={n})</small>'


def link_name(incident_id: str) -> str:
    """The report file stem for an incident (see :func:`incident_kit.report.files.safe_name`)."""
    from ..files import safe_name

    return safe_name(incident_id)
