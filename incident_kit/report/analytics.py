"""The review-analytics sections of the pages: related incidents and repeats on each
post-mortem; survival, changes beyond noise, recurring themes and on-call load on the
portfolio. Mixed into :class:`~incident_kit.report.views.Postmortem` and
:class:`~incident_kit.report.views.Portfolio`; like the rest of the views, pure HTML from
frames, every string from incident data escaped.
"""

from __future__ import annotations

import html
from functools import cached_property

import pandas as pd

from .. import charts, fmt, metrics, oncall, similar, stats
from ..markup import NR, Html, severity_badge, table
from .chart import Chart


def _link(incident_id: str) -> str:
    from ..files import safe_name

    return f'<a href="{html.escape(safe_name(incident_id))}.html">{html.escape(incident_id)}</a>'


def _services(values) -> str:
    return ", ".join(html.escape(str(s)) for s in values) or "–"


def _days(days: float) -> str:
    return f"{days:.0f} day{'s' if round(days) != 1 else ''}" if days >= 1 else "the same day"


def _interval(low: object, high: object) -> str:
    lo = fmt.duration(low, missing="?")
    hi = fmt.duration(high, missing="not reached")
    return f"{lo} – {hi}"


class PostmortemAnalytics:
    """Related incidents and the repeat flag of one post-mortem (needs ``self.context``)."""

    def _context(self) -> dict:
        return self.context or {"related": [], "repeat_of": []}

    def repeat_flag(self) -> Html:
        """A warning line when this incident repeats an earlier one (else nothing)."""
        reps = self._context().get("repeat_of") or []
        if not reps:
            return Html("")
        parts = [
            f"{_link(r['incident_id'])} ({_services(r['shared_services'])}, "
            f"{_days(r['days'])} earlier)"
            for r in reps
        ]
        return Html(
            '<p class="ik-flag warn"><b>⚠ Repeat</b> of '
            + "; ".join(parts)
            + ": the same service and a very similar cause within 90 days.</p>"
        )

    def related(self) -> Html:
        """The earlier incidents most like this one, with their score and a link."""
        if self.context is None:
            return Html(
                '<p class="note">Related incidents are found across the whole portfolio: '
                "open the post-mortem with <code>Postmortem.open(source, incident_id)</code> "
                "or render it with the report batch.</p>"
            )
        rows = self._context().get("related") or []
        if not rows:
            return Html(
                "<p>No earlier incident reads alike or shares its services closely enough "
                "(score 0.1 or more).</p>"
            )
        body = [
            [
                _link(r["incident_id"]),
                html.escape(r["title"] or "") or NR,
                severity_badge(r["severity"]),
                fmt.timestamp(r["started"], self.display_tz, missing=NR)[:10]
                if r["started"]
                else NR,
                _services(r["shared_services"]),
                f"{r['score']:.2f}",
                '<span class="warn">repeat</span>' if r["repeat"] else "",
            ]
            for r in rows
        ]
        intro = (
            '<p class="note">Earlier incidents most like this one: score 0–1 from the '
            "words of title, what happened, why it happened and contributing factors (¾) "
            "and shared services (¼).</p>"
        )
        header = ["incident", "title", "severity", "started", "shared services", "score", ""]
        return Html(self.repeat_flag() + intro + table(body, header))

    def communication_timing(self) -> list[list[str]]:
        """Rows for the Communication section: time to communicate and the first update."""
        d = self._dur()
        span = "time_to_communicate"
        value = d.get(span)
        ongoing = bool(d.get(f"{span}_ongoing"))
        ev = self.iset.events
        first = ev[ev["kind"] == "communication"].sort_values("timestamp").head(1)
        if pd.notna(value):
            text = fmt.duration(value) + (
                ' <span class="ongoing">ongoing</span>' if ongoing else ""
            )
        elif any(
            pd.notna(self.inc.get(c)) and bool(self.inc.get(c))
            for c in ("comm_customers", "comm_status_page")
        ):
            text = f"{NR} (the checklist says customers were told; no time in the timeline)"
        else:
            text = NR
        rows = [["Time to communicate", text]]
        if len(first):
            r = first.iloc[0]
            what = html.escape(fmt.text(r["description"], missing=""))
            rows.append(
                [
                    "First customer update",
                    f"{self._t(r['timestamp'])}" + (f": {what}" if what else ""),
                ]
            )
        return rows


class PortfolioAnalytics:
    """Survival, changes, themes, repeats and on-call load of a portfolio."""

    # -- statistics that count open incidents ------------------------------------------
    def medians(self, by: str | None = "severity", span: str = "time_to_resolve") -> Html:
        """Kaplan–Meier median with its 95 % interval per group, open incidents counted."""
        s = metrics.summarize(
            self.frame, by=by, columns=[span], stats=("count", "open", *metrics.KM_STATS)
        )
        if s.empty:
            return Html("<p>No incidents match.</p>")
        key = by or "scope"
        if by is None:
            s = s.assign(scope="all incidents")
        body = [
            [
                html.escape(str(r[key])),
                str(int(r["count"] + r["open"])),
                str(int(r["open"])),
                fmt.duration(r["median_km"], missing="not reached"),
                _interval(r["median_low"], r["median_high"]),
            ]
            for _, r in s.iterrows()
        ]
        label = span.replace("_", " ")
        head = [
            html.escape(by or ""),
            "incidents",
            "open",
            f"median {label}, open counted",
            "95 % interval",
        ]
        note = (
            '<p class="note">Kaplan–Meier median: open incidents count as "at least this '
            'long" up to the as-of time. "not reached": fewer than half have ended.</p>'
        )
        return Html(table(body, head) + note)

    def survival_chart(self, span: str = "time_to_resolve", by: str | None = "severity"):
        return Chart(charts.survival(self.frame, span, by=by))

    # -- change versus noise -------------------------------------------------------------
    @cached_property
    def _month_changes(self) -> pd.DataFrame:
        return stats.period_changes(self.frame, "time_to_resolve")

    def changes(self, span: str = "time_to_resolve") -> Html:
        """Each month against the one before: medians, the test's verdict; marked only
        when it is more than noise."""
        ch = (
            self._month_changes
            if span == "time_to_resolve"
            else stats.period_changes(self.frame, span)
        )
        if ch.empty:
            return Html("<p>Fewer than two months of incidents: nothing to compare.</p>")
        body, classes = [], []
        for r in ch.itertuples():
            body.append(
                [
                    html.escape(r.period),
                    str(r.n_after),
                    fmt.duration(r.median_after, missing="not reached"),
                    fmt.duration(r.difference, missing="–") if pd.notna(r.difference) else "–",
                    f"{r.p_value:.2f}" if pd.notna(r.p_value) else "–",
                    ("<b>" + html.escape(r.verdict) + "</b>")
                    if r.changed
                    else html.escape(r.verdict),
                ]
            )
            classes.append("changed" if r.changed else "")
        label = span.replace("_", " ")
        head = [
            "month",
            "incidents",
            f"median {label}, open counted",
            "vs month before",
            "p",
            "verdict",
        ]
        note = (
            '<p class="note">A change is marked only when a permutation test says it is '
            "unlikely to be chance (p &lt; 0.05); medians count open incidents.</p>"
        )
        return Html(table(body, head, row_classes=classes) + note)

    def trend_chart(self, span: str = "time_to_resolve"):
        """The trend chart with the months that changed beyond noise marked."""
        ch = (
            self._month_changes
            if span == "time_to_resolve"
            else stats.period_changes(self.frame, span)
        )
        return Chart(charts.mark_changes(charts.trend(self.frame, span), ch))

    # -- related incidents ---------------------------------------------------------------
    @cached_property
    def _similarity(self) -> similar.Similarity:
        return similar.Similarity.fit(self.iset)

    def themes(self) -> Html:
        """Recurring themes: groups of alike incidents, largest first."""
        th = self._similarity.themes()
        if th.empty:
            return Html("<p>No recurring themes: no two incidents read alike.</p>")
        body = [
            [
                html.escape(r.theme) or NR,
                str(r.incidents),
                ", ".join(_link(i) for i in r.incident_ids),
                _services(r.services),
                f"{fmt.timestamp(r.first, self.display_tz, missing='?')[:10]} – "
                f"{fmt.timestamp(r.last, self.display_tz, missing='?')[:10]}",
            ]
            for r in th.itertuples()
        ]
        return Html(
            table(body, ["theme (shared words)", "incidents", "which", "services", "from – to"])
        )

    def repeats(self) -> Html:
        """Incidents that repeat an earlier one: same service, alike cause, within 90 days."""
        reps = self._similarity.repeats()
        if reps.empty:
            return Html(
                "<p>No repeats: no incident repeats an earlier one's service and cause within 90 days.</p>"
            )
        body = [
            [
                '<span class="warn">⚠</span> ' + _link(r.incident_id),
                _link(r.repeat_of),
                _services(r.shared_services),
                _days(r.days),
                f"{r.cause_score:.2f}",
            ]
            for r in reps.itertuples()
        ]
        return Html(table(body, ["incident", "repeats", "same service", "later by", "cause score"]))

    # -- on-call load --------------------------------------------------------------------
    def _hours(self, hours: oncall.BusinessHours | None) -> oncall.BusinessHours:
        return hours or oncall.BusinessHours(tz=self.display_tz)

    def oncall_chart(self, hours: oncall.BusinessHours | None = None):
        return Chart(charts.detection_heatmap(self.iset, hours=self._hours(hours)))

    def after_hours(self, hours: oncall.BusinessHours | None = None) -> Html:
        """The share detected outside business hours, overall and by severity."""
        hours = self._hours(hours)
        share = oncall.after_hours(self.iset, hours, by="severity")
        if share.empty:
            return Html("<p>No detection times recorded.</p>")
        total = oncall.after_hours(self.iset, hours).iloc[0]
        body = [
            [html.escape(str(r.Index)), str(r.incidents), str(r.after_hours), f"{r.share:.0%}"]
            for r in share.itertuples()
        ]
        head = (
            f"<p><b>{int(total['after_hours'])} of {int(total['incidents'])} incidents "
            f"({total['share']:.0%})</b> were detected outside business hours "
            f"({html.escape(hours.describe())}).</p>"
        )
        return Html(head + table(body, ["severity", "incidents", "outside hours", "share"]))

    def workload(self, hours: oncall.BusinessHours | None = None) -> Html:
        """Responder workload: incidents and incident hours per person."""
        w = oncall.workload(self.iset, self.at, hours=self._hours(hours))
        if w.empty:
            return Html("<p>No responders recorded (team roles or timeline actors).</p>")
        body = [
            [
                html.escape(r.person),
                str(r.incidents),
                f"{r.incident_hours:,.1f}",
                str(r.open),
                str(r.after_hours),
                ", ".join(html.escape(x) for x in r.roles) or "–",
            ]
            for r in w.itertuples()
        ]
        note = (
            '<p class="note">Incident hours: each incident\'s time to resolve (an open one up '
            "to the as-of time) credited in full to everyone in its team roles or acting in "
            "its timeline.</p>"
        )
        head = ["person", "incidents", "incident hours", "open", "detected outside hours", "roles"]
        return Html(table(body, head) + note)


__all__ = ["PortfolioAnalytics", "PostmortemAnalytics"]
