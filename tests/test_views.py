"""One truth per page: every figure a page shows under a name is the same everywhere on it."""

from __future__ import annotations

import html
import re

import pandas as pd

import incident_kit as ik
from incident_kit.report.batch import JobResult
from incident_kit.report.index import render_index
from incident_kit.report.views import Portfolio, Postmortem

AS_OF = ik.metrics.to_utc("2026-11-26T12:00:00Z")


def text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def rows(fragment: str) -> list[list[str]]:
    """The cells of every body row of an HTML table, as text."""
    body = fragment.split("<tbody>", 1)[-1]
    return [
        [text(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", tr, flags=re.S)]
        for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", body, flags=re.S)
    ]


def test_every_timeline_label_is_the_pages_figure_for_every_sample_incident(sample):
    for iid in sample.ids:
        pm = Postmortem(sample.select([iid]), iid, AS_OF)
        facts = {r[0]: r[1] for r in rows(pm.summary())}
        fig = pm.timeline_chart().figure
        labels = fig.layout.meta["labels"]  # every duration the chart writes, by name
        on_bars = {t.name: t.text[0] for t in fig.data if t.type == "bar"}
        assert on_bars.items() <= labels.items(), iid
        assert labels, iid
        for name, shown in labels.items():
            assert facts[name] == shown, (iid, name, shown, facts[name])
        # the impact section's computed downtime is the summary's impact duration
        impact = {r[0]: r for r in rows(pm.impact())}
        assert impact["Downtime"][2].startswith(facts["Impact duration"]), iid


def test_the_summary_names_every_registered_span(sample):
    pm = Postmortem(sample.select(["INC-2026-0012"]), "INC-2026-0012", AS_OF)
    facts = {r[0]: r[1] for r in rows(pm.summary())}
    assert [s.label for s in ik.metrics.get_spans()] == [
        k for k in facts if k.startswith(("Time", "Impact d"))
    ]
    assert facts["Time to resolve"] == "17h 58m (ongoing)"
    assert facts["Time to post-mortem"] == "not recorded"


def test_index_figures_are_the_pages_figures(sample):
    results = [JobResult(i, i, True) for i in sample.ids]
    page = render_index(sample, results, as_of=AS_OF)
    header = [text(h) for h in re.findall(r"<th[^>]*>(.*?)</th>", page, flags=re.S)]
    for row in rows(page):
        iid = row[header.index("ID")].split()[0]
        facts = {r[0]: r[1] for r in rows(Postmortem(sample.select([iid]), iid, AS_OF).summary())}
        for name in ("Time to detect", "Time to resolve", "Impact duration"):
            assert row[header.index(name)] == facts[name], (iid, name)


def test_portfolio_summary_gives_n_and_hides_small_p90(sample):
    pf = Portfolio(sample, AS_OF)
    by_severity = {r[0]: r for r in rows(pf.summary("severity"))}
    assert by_severity["P1"][1:3] == ["3", "0"]
    assert by_severity["P1"][4] == "1h 22m · – (n=3)"  # time to resolve: no p90 of 3
    assert by_severity["P2"][5] == "1h 10m · 1h 31m (n=5)"  # impact duration: 5 finished
    everyone = rows(pf.summary(None))[0]
    s = ik.summarize(pf.frame, columns=["time_to_resolve"]).iloc[0]
    assert everyone[4] == f"{ik.fmt.duration(s['median'])} · {ik.fmt.duration(s['p90'])} (n=12)"
    # every service with an incident is counted, also where a span is unknown
    by_service = {r[0]: int(r[1]) for r in rows(pf.summary("service"))}
    expected = sample.incidents["services"].explode().value_counts()
    assert by_service == expected.to_dict()


def test_same_span_reads_the_same_in_summary_and_charts(sample):
    """1d 10h 20m was '1d 10h' on one chart and could round differently elsewhere."""
    pf = Portfolio(sample, AS_OF)
    slow = {r[0]: r[3] for r in rows(pf.slowest("time_to_resolve"))}
    d = pf.frame
    for iid, shown in slow.items():
        assert shown == ik.fmt.duration(d.at[iid, "time_to_resolve"])
    timeline = pf.chart("timeline").figure
    for trace in timeline.data:
        for row in trace.customdata:
            assert row[3] == ik.fmt.duration(
                d.at[row[0], "time_to_resolve"], ongoing=d.at[row[0], "time_to_resolve_ongoing"]
            )
    assert slow["INC-2026-0008"] == "1d 10h" and pd.notna(d.at["INC-2026-0008", "time_to_resolve"])


def test_action_items_without_a_horizon_are_shown_in_their_own_group(tmp_path):
    # items written straight under "## Action Items" load with no horizon; the page shows
    # them (owner, due, state) under "Horizon not stated", after the three horizons
    (tmp_path / "INC-H1.md").write_text(
        "# Incident Report: Cache stampede\n\n"
        "**Incident ID**: INC-H1\n**Severity**: P2\n**Status**: Resolved\n\n"
        "## Timeline\n\n- **Detected**: 2026-03-04 14:05 UTC by Datadog\n"
        "- **Resolved**: 2026-03-04 15:00 UTC\n\n"
        "## Action Items\n\n"
        "- [ ] Add jitter to cache TTLs - Owner: @alice - Due: 2026-03-10\n"
        "- [x] Page the DB team on cache misses (owner: Bob)\n\n"
        "### Immediate (Next 24 hours)\n\n- [x] Warm the cache - Owner: Carol\n",
        encoding="utf-8",
    )
    iset = ik.load(tmp_path)
    pm = Postmortem(iset, "INC-H1", AS_OF)
    page = pm.action_items()
    tables = page.split("<h3")
    titles = [text(t.split(">", 1)[1].split("</h3>")[0]) for t in tables[1:]]
    assert titles[-1] == ik.vocab.HORIZON_NOT_STATED and titles[0].startswith("Immediate")
    loose = rows(tables[-1])
    assert loose == [
        ["Add jitter to cache TTLs", "alice", "2026-03-10", "⚠ overdue"],
        ["Page the DB team on cache misses", "Bob", "not recorded", "✓ done"],
    ]
    assert "2 of 3 done, 1 overdue" in text(page)
