"""The review packet: one document for the weekly (or monthly) incident review meeting.

``resolve_window`` turns the dates people type into one UTC window, once, at the edge (the
CLI, :func:`incident_kit.report.review`, or the notebook's parameters); ``Review`` is the view
the review notebook calls, a line per section. Pure functions of an IncidentSet and a window:
every string from incident data is escaped, every figure comes from ``metrics``.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from .. import charts, fmt, metrics
from ..errors import IncidentKitError
from ..files import safe_name
from ..markup import NR, Html, esc, inline_markdown, severity_badge, table
from ..model import SEVERITIES, IncidentSet
from .chart import Chart
from .views import provenance, source_paths

#: The packet's sections, in order: the notebook's headings and the PDF's pages.
SECTIONS = (
    "Incidents in this period",
    "Changes since the previous period",
    "Action items",
    "Open incidents",
    "Post-mortems not yet written",
    "Related and repeat incidents",
)
NO_INCIDENTS = "No incidents in this period"
#: The spans the packet compares with the previous period.
CHANGE_SPANS = ("time_to_detect", "time_to_resolve", "impact_duration")
#: Longest a backlog list gets (overdue items, owners, open incidents, missing post-mortems):
#: the oldest first, and a line saying how many more there are.
LIST_LIMIT = 30
#: Earlier incidents listed per incident of the period (those scoring at least SimilarOptions'
#: ``min_score``).
RELATED_K = 3
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_RELATIVE = re.compile(r"^(\d+)\s*([dw])$", re.IGNORECASE)
_EXAMPLES = "e.g. 2026-11-19 or 2026-11-19T09:00+01:00"


@dataclass(frozen=True)
class Window:
    """The period under review, ``since <= t < until``, and the time figures are measured to.

    All three are UTC. ``previous()`` is the window of the same length just before.
    """

    since: pd.Timestamp
    until: pd.Timestamp
    as_of: pd.Timestamp

    @property
    def length(self) -> pd.Timedelta:
        return self.until - self.since

    def previous(self) -> Window:
        return Window(self.since - self.length, self.since, self.as_of)

    def contains(self, times: pd.Series) -> pd.Series:
        """Which of ``times`` (UTC) fall in the window (NaT: no)."""
        return (times >= self.since) & (times < self.until)

    def describe(self, tz: str) -> str:
        """``2026-11-19 00:00 UTC to 2026-11-26 00:00 UTC (7 days)``, in ``tz``."""
        days = self.length / pd.Timedelta(days=1)
        span = f"{days:g} days" if days >= 1 else fmt.duration(self.length)
        return (
            f"{fmt.timestamp(self.since, tz)} to {fmt.timestamp(self.until, tz)} "
            f"({span.replace('1 days', '1 day')})"
        )


def _point(value: object, name: str, default_tz: str, *, end: bool) -> pd.Timestamp:
    """One bound as UTC: a date is a whole day in ``default_tz`` (``end``: the day after)."""
    from ..fields import parse_time

    if isinstance(value, pd.Timestamp | dt.datetime):
        ts = pd.Timestamp(value)
        return ts.tz_localize(default_tz).tz_convert("UTC") if ts.tzinfo is None else ts
    if isinstance(value, dt.date):
        value = value.isoformat()
    text = str(value).strip()
    try:
        ts, _ = parse_time(text, default_tz)
    except ValueError:
        ts = None
    if ts is None:
        also = ", or 7d: seven days before until" if name == "since" else ""
        raise IncidentKitError(f"{name} {text!r} is not a date or time ({_EXAMPLES}{also})")
    if end and _DATE.match(text):
        local = ts.tz_convert(default_tz).tz_localize(None) + pd.Timedelta(days=1)
        ts = local.tz_localize(default_tz, nonexistent="shift_forward", ambiguous=False)
    return ts.tz_convert("UTC")


def resolve_window(
    since: object = None,
    until: object = None,
    as_of: object = None,
    *,
    default_tz: str = "UTC",
    days: int = 7,
) -> Window:
    """The review window in UTC, resolved once: what the CLI and ``review()`` pass down.

    ``since`` and ``until`` are ISO dates or times (a date without a zone is a whole day in
    ``default_tz``, and ``until``'s day is included) or Timestamps; ``since`` may also be a
    length before ``until`` (``7d``, ``2w``). ``as_of`` defaults to now and ``until`` to
    ``as_of``; ``since`` defaults to ``days`` before ``until``. A bad value raises an
    :class:`IncidentKitError` naming it.

    >>> w = resolve_window("2026-11-19", "2026-11-25", "2026-11-26T12:00Z")
    >>> str(w.since), str(w.until)
    ('2026-11-19 00:00:00+00:00', '2026-11-26 00:00:00+00:00')
    """
    from ..fields import zone

    try:
        zone(default_tz)
    except ValueError as exc:
        raise IncidentKitError(str(exc)) from None
    now = pd.Timestamp.now(tz="UTC").floor("s")
    as_of_utc = now if as_of is None else _point(as_of, "as_of", default_tz, end=False)
    until_utc = as_of_utc if until is None else _point(until, "until", default_tz, end=True)
    relative = _RELATIVE.match(str(since).strip()) if isinstance(since, str) else None
    if since is None or relative:
        n, unit = (int(relative[1]), relative[2].lower()) if relative else (days, "d")
        since_utc = until_utc - pd.Timedelta(days=n * (7 if unit == "w" else 1))
    else:
        since_utc = _point(since, "since", default_tz, end=False)
    if since_utc >= until_utc:
        raise IncidentKitError(
            f"the period is empty: since {fmt.timestamp(since_utc)} is not before until "
            f"{fmt.timestamp(until_utc)} (an until date includes its whole day)"
        )
    return Window(since_utc, until_utc, as_of_utc)


def _more(total: int, what: str) -> str:
    """The line under a list cut at :data:`LIST_LIMIT` (nothing when it was not cut)."""
    if total <= LIST_LIMIT:
        return ""
    return (
        f'<p class="note">The first {LIST_LIMIT} of {total:,}: {total - LIST_LIMIT:,} more '
        f"{what} not listed here.</p>"
    )


def _p(p: float) -> str:
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def _signed(value: object) -> str:
    """``+12m`` / ``-1h 05m``; an unbounded end of an interval reads "unbounded"."""
    if pd.isna(value):
        return "unbounded"
    td = pd.Timedelta(value)
    return ("-" if td < pd.Timedelta(0) else "+") + fmt.duration(abs(td))


def _median(value: object, n: int) -> str:
    if not n:
        return "–"
    return fmt.duration(value, missing="not reached")


def one_line(what: object, why: object, limit: int = 160) -> str:
    """The first sentence of what happened and of why, as escaped plain text."""

    def first(value: object) -> str:
        rendered = inline_markdown(value)
        if rendered == NR:
            return ""
        plain = html.unescape(re.sub(r"<[^>]+>", "", rendered))
        plain = " ".join(plain.split())
        sentence = re.split(r"(?<=[.!?])\s", plain, maxsplit=1)[0]
        return sentence if len(sentence) <= limit else sentence[: limit - 1].rstrip() + "…"

    parts = [(label, first(v)) for label, v in (("What", what), ("Why", why))]
    text = " ".join(f"<b>{label}:</b> {html.escape(s)}" for label, s in parts if s)
    return text or NR


@dataclass
class Review:
    """The review packet for one window, section by section (the review notebook's object).

    >>> rv = Review.open("data", since="2026-11-19", as_of="2026-11-26T12:00Z")  # doctest: +SKIP
    >>> rv.incidents()                                                      # doctest: +SKIP
    """

    iset: IncidentSet
    window: Window
    display_tz: str = "UTC"
    postmortem_days: int = 7
    pages: str = ""
    generated_at: pd.Timestamp = field(default_factory=lambda: pd.Timestamp.now(tz="UTC"))

    @classmethod
    def open(
        cls,
        source: str | Path | list[str | Path] | None = None,
        *,
        since: object = None,
        until: object = None,
        as_of: object = None,
        display_tz: str = "UTC",
        postmortem_days: int = 7,
        pages: str = "",
    ) -> Review:
        """Load ``source`` (None: :func:`incident_kit.paths.default_data`) and review
        ``since``..``until`` (default: the 7 days to as_of).

        ``pages`` is where the incident pages are, relative to the packet (default: beside it).
        """
        from ..fields import zone
        from .payload import read_source

        zone(display_tz)
        window = resolve_window(since, until, as_of)
        iset = read_source(source_paths(source)).iset
        return cls(iset, window, display_tz, int(postmortem_days), pages)

    # -- frames (public: a notebook user can take them further) ----------------------------
    @cached_property
    def frame(self) -> pd.DataFrame:
        """Durations of every incident at as_of, with detection time and open flag."""
        first = metrics.milestones(self.iset)
        detected, _ = metrics.first_of(first, ("detected", "impact_start"))
        d = metrics.durations(self.iset, self.window.as_of)
        return d.assign(
            detected=detected,
            resolved=first["resolved"],
            postmortem=first["postmortem"],
            open=metrics.is_open(self.iset, first),
        )

    @cached_property
    def period(self) -> pd.DataFrame:
        """The incidents detected in the window, earliest first, with their impact."""
        d = self.frame[self.window.contains(self.frame["detected"])]
        imp = metrics.impact(self.iset, self.window.as_of)
        cols = ["users_affected", "user_minutes"]
        return d.join(imp.loc[d.index, cols]).sort_values("detected", kind="stable")

    @cached_property
    def open_incidents_frame(self) -> pd.DataFrame:
        """Incidents open at as_of, longest open first, with ``open_for``."""
        d = self.frame[self.frame["open"] & (self.frame["detected"] <= self.window.as_of)]
        d = d.assign(open_for=self.window.as_of - d["detected"])
        return d.sort_values("open_for", ascending=False, kind="stable")

    @cached_property
    def postmortems_due_frame(self) -> pd.DataFrame:
        """Resolved incidents with no post-mortem time, resolved more than
        ``postmortem_days`` before as_of (or at an unrecorded time), oldest first."""
        d = self.frame[~self.frame["open"] & self.frame["postmortem"].isna()]
        age = self.window.as_of - d["resolved"]
        late = d["resolved"].isna() | (age > pd.Timedelta(days=self.postmortem_days))
        d = d.assign(since_resolved=age)[late & ~(d["resolved"] > self.window.as_of)]
        return d.sort_values("resolved", kind="stable", na_position="last")

    @cached_property
    def items(self) -> pd.DataFrame:
        """Every action item with its state at as_of and whether it opened, closed or went
        overdue in the window (see :meth:`how`)."""
        w = self.window
        items = metrics.action_item_status(self.iset, w.as_of)
        written = self.frame["postmortem"].fillna(self.frame["detected"])
        opened = items["incident_id"].map(written).astype("datetime64[ns, UTC]")
        # The data records no completion date: an item counts as closed in the period when
        # it is done and was due in it.
        since, until = (t.tz_localize(None) for t in (w.since, w.until))
        closed = items["done"] & (items["due"] >= since.normalize()) & (items["due"] < until)
        today = w.as_of.tz_localize(None).normalize()
        return items.assign(
            owner=items["owner"].fillna("not recorded"),
            opened=opened,
            opened_in_period=w.contains(opened),
            closed_in_period=closed.astype(bool),
            days_overdue=(today - items["due"]).dt.days.where(items["state"] == "overdue"),
        )

    # -- sections ----------------------------------------------------------------------------
    def _link(self, incident_id: str) -> str:
        base = self.pages if not self.pages or self.pages.endswith("/") else self.pages + "/"
        href = html.escape(f"{base}{safe_name(incident_id)}.html")
        return f'<a href="{href}">{html.escape(incident_id)}</a>'

    def _dur(self, row: pd.Series, span: str) -> str:
        text = fmt.duration(row[span], missing=NR)
        return text + (' <span class="ongoing">ongoing</span>' if row[f"{span}_ongoing"] else "")

    def _t(self, value: object) -> str:
        return fmt.timestamp(value, self.display_tz, missing=NR)

    def header(self) -> Html:
        p = self.period
        counts = p["severity"].value_counts()
        by_sev = ", ".join(f"{int(counts[s])} {s}" for s in SEVERITIES if counts.get(s, 0))
        users = p["users_affected"].sum()
        line = (
            f"<b>{len(p)}</b> incident(s) detected"
            + (f" ({by_sev})" if by_sev else "")
            + f", <b>{int(p['open'].sum())}</b> still open"
            + (f", {fmt.number(users)} users affected" if users else "")
            + f"; <b>{len(self.open_incidents_frame)}</b> open in all, "
            f"<b>{int((self.items['state'] == 'overdue').sum())}</b> action item(s) overdue, "
            f"<b>{len(self.postmortems_due_frame)}</b> post-mortem(s) not yet written."
        )
        return Html(
            '<h1 class="ik-title ik-page-per-section">Incident review</h1>'
            f'<p class="ik-window">{html.escape(self.window.describe(self.display_tz))}</p>'
            f'<p class="ik-keyline">{line}</p>'
            + provenance(self.iset, self.generated_at, self.window.as_of, self.display_tz)
            + self._problems()
        )

    def _problems(self) -> str:
        errors = self.iset.problems[self.iset.problems["level"] == "error"]
        if errors.empty:
            return ""
        left_out = errors["incident_id"].dropna().nunique()
        rows = "".join(
            f"<li>{html.escape(str(r.file))}{':' + str(r.line) if pd.notna(r.line) else ''}: "
            f"{html.escape(str(r.message))}</li>"
            for r in errors.itertuples()
        )
        return (
            f'<div class="warn"><p>{left_out} incident(s) left out of this packet for input '
            f'problems:</p><ul class="problems">{rows}</ul></div>'
        )

    def incidents(self) -> Html:
        """Every incident detected in the window: what, how bad, how long, and a link."""
        p = self.period
        if p.empty:
            return Html(f'<p class="ik-empty">{NO_INCIDENTS}.</p>')
        inc = self.iset.incidents
        head = ["incident", "severity", "status", f"detected ({self.display_tz})"]
        head += ["time to detect", "time to resolve", "impact duration", "users affected"]
        head += ["user-minutes"]
        rows = []
        for iid, r in p.iterrows():
            cells = [
                f"{self._link(iid)}<br>{esc(r['title'])}",
                severity_badge(r["severity"]),
                esc(r["status"]),
                self._t(r["detected"]),
                self._dur(r, "time_to_detect"),
                self._dur(r, "time_to_resolve"),
                self._dur(r, "impact_duration"),
                fmt.number(r["users_affected"], missing=NR),
                fmt.number(r["user_minutes"], missing=NR),
            ]
            why = one_line(inc.at[iid, "what_happened"], inc.at[iid, "why_it_happened"])
            rows.append(
                '<tbody class="ik-incident"><tr>'
                + "".join(f"<td>{c}</td>" for c in cells)
                + f'</tr><tr class="ik-why"><td colspan="{len(cells)}">{why}</td></tr></tbody>'
            )
        thead = "".join(f"<th>{html.escape(h)}</th>" for h in head)
        return Html(
            f'<table class="ik-table ik-period"><thead><tr>{thead}</tr></thead>'
            + "".join(rows)
            + "</table>"
        )

    def incidents_chart(self) -> Chart:
        """The period's incidents on a calendar, one lane per service."""
        if self.period.empty:
            return Chart(charts.empty_figure(NO_INCIDENTS))
        fig = charts.portfolio_timeline(
            self.iset.select(list(self.period.index)),
            as_of=self.window.as_of,
            display_tz=self.display_tz,
        )
        return Chart(fig.update_layout(title="Incidents in this period"))

    def action_items(self) -> Html:
        """Opened, closed and overdue items by owner (oldest overdue first), then the overdue
        items themselves, oldest first."""
        it = self.items
        if it.empty:
            return Html(f"<p>No action items recorded.</p>{self._items_note()}")
        per = it.groupby("owner").agg(
            opened=("opened_in_period", "sum"),
            closed=("closed_in_period", "sum"),
            overdue=("state", lambda s: int((s == "overdue").sum())),
            oldest=("due", lambda s: s[it.loc[s.index, "state"] == "overdue"].min()),
        )
        per = per[(per[["opened", "closed", "overdue"]] > 0).any(axis=1)]
        per = per.sort_values(["oldest", "overdue"], ascending=[True, False], na_position="last")
        more = _more(len(per), "owner(s)")
        rows = [
            [
                html.escape(str(owner)),
                *(str(int(v)) for v in (r.opened, r.closed, r.overdue)),
                f'<span class="ik-date">{r.oldest:%Y-%m-%d}</span>' if pd.notna(r.oldest) else "",
            ]
            for owner, r in per.head(LIST_LIMIT).iterrows()
        ]
        total = (
            f"<p><b>{int(it['opened_in_period'].sum())}</b> opened, "
            f"<b>{int(it['closed_in_period'].sum())}</b> closed in this period; "
            f"<b>{int((it['state'] == 'overdue').sum())}</b> overdue.</p>"
        )
        head = ["owner", "opened", "closed", "overdue", "oldest overdue (due)"]
        body = (
            table(rows, head) + more if rows else "<p>No action item opened, closed or overdue.</p>"
        )
        return Html(total + body + self._overdue_list() + self._items_note())

    def _overdue_list(self) -> str:
        over = self.items[self.items["state"] == "overdue"].sort_values("due", kind="stable")
        if over.empty:
            return "<p>No action item is overdue.</p>"
        rows = [
            [
                f'<span class="ik-date">{r.due:%Y-%m-%d}</span>',
                f"{int(r.days_overdue)} days",
                esc(r.owner),
                inline_markdown(r.text),
                self._link(r.incident_id),
            ]
            for r in over.head(LIST_LIMIT).itertuples()
        ]
        head = ["due", "overdue by", "owner", "item", "incident"]
        rows_html = table(rows, head, row_classes=["overdue"] * len(rows))
        return "<h3>Overdue, oldest first</h3>" + rows_html + _more(len(over), "overdue item(s)")

    def _items_note(self) -> str:
        return (
            '<p class="note">Opened: items of incidents whose post-mortem (else detection) falls '
            "in the period; closed: marked done and due in the period (the data records no "
            "completion date); overdue: not done and due before "
            f"{fmt.timestamp(self.window.as_of, self.display_tz)}.</p>"
        )

    def open_incidents(self) -> Html:
        """Every incident open at as_of, longest open first."""
        d = self.open_incidents_frame
        if d.empty:
            return Html("<p>No incident is open.</p>")
        rows = [
            [
                self._link(iid),
                esc(r["title"]),
                severity_badge(r["severity"]),
                esc(r["status"]),
                self._t(r["detected"]),
                fmt.duration(r["open_for"]),
                self._dur(r, "impact_duration"),
            ]
            for iid, r in d.head(LIST_LIMIT).iterrows()
        ]
        head = ["incident", "title", "severity", "status", f"detected ({self.display_tz})"]
        head += ["open for", "impact duration"]
        return Html(table(rows, [html.escape(h) for h in head]) + _more(len(d), "open incident(s)"))

    def postmortems_due(self) -> Html:
        """Resolved incidents still waiting for their post-mortem, oldest first."""
        d = self.postmortems_due_frame
        intro = (
            f'<p class="note">Resolved more than {self.postmortem_days} days before '
            f"{fmt.timestamp(self.window.as_of, self.display_tz)} with no post-mortem time.</p>"
        )
        if d.empty:
            return Html(intro + "<p>Every post-mortem is written.</p>")
        inc = self.iset.incidents
        rows = [
            [
                self._link(iid),
                esc(r["title"]),
                severity_badge(r["severity"]),
                esc(r["status"]),
                self._t(r["resolved"]),
                fmt.duration(r["since_resolved"], missing=NR),
                esc(inc.at[iid, "incident_commander"]),
            ]
            for iid, r in d.head(LIST_LIMIT).iterrows()
        ]
        head = ["incident", "title", "severity", "status", f"resolved ({self.display_tz})"]
        head += ["resolved for", "incident commander"]
        more = _more(len(d), "incident(s) without a post-mortem")
        return Html(intro + table(rows, [html.escape(h) for h in head]) + more)

    @cached_property
    def changes_frame(self) -> pd.DataFrame:
        """``ik.compare`` of each of :data:`CHANGE_SPANS`, previous period against this one.

        Incidents belong to the period they were detected in, as in the period's table
        (``compare`` reads ``started``: detection is passed as it)."""
        from ..stats import compare

        w, prev = self.window, self.window.previous()
        d = self.frame.assign(started=self.frame["detected"])
        parts = [
            compare(d, span, before=(prev.since, prev.until), after=(w.since, w.until))
            for span in CHANGE_SPANS
        ]
        return pd.concat(parts, ignore_index=True).assign(span=list(CHANGE_SPANS))

    def changes_chart(self) -> Chart:
        """Time to resolve in both periods as survival curves (Kaplan–Meier, open incidents
        counted): the same medians as the table, with the spread around them."""
        prev = self.window.previous()
        d = self.frame
        period = pd.Series(pd.NA, index=d.index, dtype="object")
        period[prev.contains(d["detected"])] = "previous period"
        period[self.window.contains(d["detected"])] = "this period"
        kinds = pd.CategoricalDtype(["previous period", "this period"], ordered=True)
        both = d.assign(period=period.astype(kinds))[period.notna()]
        if both.empty:
            return Chart(charts.empty_figure("No incidents in this period or the previous one"))
        return Chart(charts.survival(both, "time_to_resolve", by="period"))

    def _count_change(self) -> str:
        """Incidents in each period; a difference is called only past an exact test."""
        from scipy.stats import binomtest

        prev = self.window.previous()
        before = int(prev.contains(self.frame["detected"]).sum())
        after = len(self.period)
        text = f"<b>{after}</b> incident(s) in this period, <b>{before}</b> in the previous one"
        if before + after == 0:
            return f"<p>{text}.</p>"
        # equal lengths: with no change in rate, each incident falls in either half alike
        p = binomtest(after, before + after, 0.5).pvalue
        if p < 0.05:
            word = "more" if after > before else "fewer"
            return f'<p class="changed">{text}: <b>{word}</b>, beyond noise ({_p(p)}).</p>'
        return f"<p>{text}: no evidence of a change in how often ({_p(p)}).</p>"

    def changes(self) -> Html:
        """This period against the previous one of the same length: counts, and each key
        span's median with the change's interval; only changes beyond noise are marked."""
        rows, classes = [], []
        for r in self.changes_frame.itertuples():
            tested = pd.notna(r.p_value)
            change = ""
            if tested:
                change = f"{_signed(r.difference)} ({_signed(r.difference_low)} to "
                change += f"{_signed(r.difference_high)})"
            mark = ("▲ " if r.difference > pd.Timedelta(0) else "▼ ") if r.changed else ""
            rows.append(
                [
                    html.escape(r.span.replace("_", " ")),
                    f"{r.n_before} · {_median(r.median_before, r.n_before)}",
                    f"{r.n_after} · {_median(r.median_after, r.n_after)}",
                    html.escape(change) or "–",
                    _p(r.p_value) if tested else "–",
                    f"<b>{mark}{html.escape(r.verdict)}</b>"
                    if r.changed
                    else html.escape(r.verdict),
                ]
            )
            classes.append("changed" if r.changed else "")
        head = ["", "previous period<br><small>incidents · median</small>"]
        head += ["this period<br><small>incidents · median</small>"]
        head += ["change (95% interval)", "p", "verdict"]
        note = (
            '<p class="note">Medians are Kaplan–Meier: an open incident counts for as long as '
            "it has lasted. A change is marked only when a permutation test gives p &lt; 0.05; "
            "the interval is a bootstrap one.</p>"
        )
        return Html(self._count_change() + table(rows, head, row_classes=classes) + note)

    @cached_property
    def related_frame(self) -> pd.DataFrame:
        """For each incident of the period, the earlier incidents most like it
        (``ik.related``'s columns plus ``source``, the period's incident), in the period's
        order, best first."""
        from ..similar import RELATED_COLUMNS, Similarity

        columns = ["source", *RELATED_COLUMNS]
        if self.period.empty:
            return pd.DataFrame(columns=columns)
        model = Similarity.fit(self.iset)  # one fit for all, as ik.related does for one
        parts = [model.related(iid, RELATED_K).assign(source=iid) for iid in self.period.index]
        return pd.concat(parts, ignore_index=True)[columns]

    def related(self) -> Html:
        """The period's incidents that repeat or resemble earlier ones."""
        if self.period.empty:
            return Html(f'<p class="ik-empty">{NO_INCIDENTS}.</p>')
        rel = self.related_frame
        alone = [i for i in self.period.index if i not in set(rel["source"])]
        rows, classes = [], []
        for n, r in enumerate(rel.itertuples()):
            first = n == 0 or rel["source"].iat[n - 1] != r.source
            rows.append(
                [
                    self._link(r.source) if first else "",
                    ('<b class="warn">repeat</b> of ' if r.repeat else "like ")
                    + f"{self._link(r.incident_id)} {esc(r.title)}",
                    severity_badge(r.severity),
                    self._t(r.started),
                    ", ".join(html.escape(s) for s in r.shared_services) or "–",
                    f"{r.score:.2f}",
                ]
            )
            classes.append("overdue" if r.repeat else "")
        head = ["this period", "earlier incident", "severity", "started", "shared services"]
        head += ["score"]
        repeats = int(rel["repeat"].sum())
        intro = (
            f"<p><b>{rel['source'].nunique()}</b> of {len(self.period)} incident(s) resemble "
            f"earlier ones; <b>{repeats}</b> repeat(s).</p>"
        )
        body = table(rows, head, row_classes=classes) if rows else ""
        none = (
            "<p>Nothing earlier resembles " + ", ".join(self._link(i) for i in alone) + ".</p>"
            if alone
            else ""
        )
        note = (
            '<p class="note">Score: how alike the two are, 0 to 1 (what was written about them, '
            "and the services they hit). A repeat shares a service, reads alike in its cause "
            "and started within 90 days of the earlier one.</p>"
        )
        return Html(intro + body + none + note)

    def how(self) -> Html:
        """How the packet's figures are computed."""
        w = self.window
        return Html(
            "<ul>"
            f"<li>The period is {html.escape(w.describe(self.display_tz))}; an incident belongs "
            "to it when it was detected in it (impact start where detection is not recorded)."
            "</li>"
            f"<li>The previous period is {html.escape(w.previous().describe(self.display_tz))}; "
            "changes compare the incidents detected in each.</li>"
            f"<li>Open incidents, ongoing spans and overdue items are measured to "
            f"{fmt.timestamp(w.as_of, self.display_tz)}. Ongoing spans are lower bounds, left "
            "out of medians.</li>"
            "</ul>"
        )
