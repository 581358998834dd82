"""Chart figures checked against the data: bars against milestones, labels, hover, zones."""

from __future__ import annotations

import html
import re

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

import incident_kit as ik
from incident_kit import charts

AS_OF = "2026-11-26T12:00:00Z"


def bars(fig: go.Figure) -> dict[str, go.Bar]:
    return {t.name: t for t in fig.data if t.type == "bar"}


def lines(text: str) -> list[str]:
    """What a plotly title shows, line by line: tags dropped, entities read."""
    return [html.unescape(re.sub(r"<[^>]+>", "", line)) for line in text.split("<br>")]


def shown(text: str) -> str:
    return " ".join(lines(text))


def end_of(bar: go.Bar) -> pd.Timestamp:
    return pd.Timestamp(bar.base[0]) + pd.Timedelta(milliseconds=bar.x[0])


def test_timeline_bars_are_the_registered_spans(sample):
    fig = charts.timeline(sample, "INC-2026-0001")
    b = bars(fig)
    assert list(b) == [
        "Time to detect",
        "Time to acknowledge",
        "Time to escalate",
        "Time to respond",
        "Time to mitigate",
        "Time to resolve",
        "Impact duration",
        "Time to communicate",
    ]
    mitigate, resolve = b["Time to mitigate"], b["Time to resolve"]
    assert pd.Timestamp(mitigate.base[0]) == pd.Timestamp("2026-05-12 14:02")  # impact start
    assert end_of(mitigate) == pd.Timestamp("2026-05-12 14:48")  # mitigated
    assert pd.Timestamp(resolve.base[0]) == pd.Timestamp("2026-05-12 14:09")  # detected
    assert end_of(resolve) == pd.Timestamp("2026-05-12 15:31")  # resolved
    # the figures the page quotes under the same names (46m and 1h 22m), not phase lengths
    assert [b[n].text[0] for n in b] == ["7m", "2m", "11m", "13m", "46m", "1h 22m", "46m", "21m"]
    assert "P1" in fig.layout.title.text and "INC-2026-0001" in fig.layout.title.text
    assert fig.layout.title.font.color == charts.SEVERITY_COLORS["P1"]


def test_timeline_bar_lengths_are_the_metrics_for_every_sample_incident(sample):
    d = ik.durations(sample, as_of=AS_OF)
    for iid in sample.ids:
        for name, bar in bars(charts.timeline(sample, iid, as_of=AS_OF)).items():
            span = bar.meta["span"]
            assert name == ik.SPANS[span].label
            assert pd.Timedelta(milliseconds=bar.x[0]) == d.at[iid, span], (iid, span)
            ongoing = d.at[iid, f"{span}_ongoing"]
            assert bar.text[0] == ik.fmt.duration(d.at[iid, span], ongoing=ongoing)


def test_post_mortem_off_the_range_is_a_note_on_its_lane(sample):
    fig = charts.timeline(sample, "INC-2026-0001")
    notes = [a for a in fig.layout.annotations if a.y == "Post-mortem"]
    assert [a.text for a in notes] == ["Time to post-mortem 2d 18h →"]  # 2d 18h 29m
    assert fig.layout.meta["labels"]["Time to post-mortem"] == "2d 18h"


def test_timeline_markers_carry_actor_and_description(sample):
    fig = charts.timeline(sample, "INC-2026-0001")
    markers = {t.name: t for t in fig.data if t.type == "scatter"}
    assert len(markers["Update"].x) == 1 and len(markers["Customer update"].x) == 1
    assert "Rollback of config v482 started" in markers["Update"].hovertext[0]
    assert "Status page set to Major outage" in markers["Customer update"].hovertext[0]
    assert "by Dana Whitfield" in markers["Customer update"].hovertext[0]
    assert "to Incident Commander" in markers["Escalated"].hovertext[0]
    assert "by Datadog monitor checkout-5xx" in markers["Detected"].hovertext[0]


def test_every_marker_is_in_the_legend(sample):
    for iid, as_of in (("INC-2026-0001", None), ("INC-2026-0012", AS_OF)):
        fig = charts.timeline(sample, iid, as_of=as_of)
        legend = [t for t in fig.data if t.showlegend]
        drawn = {t.marker.symbol for t in fig.data if t.type == "scatter" and not t.showlegend}
        assert drawn <= {t.marker.symbol for t in legend}, iid
        names = " | ".join(t.name for t in legend)
        assert "milestone" in names and "update" in names and "span" in names
    assert "ongoing span" in names and "as of 2026-11-26 12:00 UTC" in names
    assert fig.layout.shapes[0].line.dash == "dash"  # the as-of line the legend explains


def test_display_tz_shifts_axis_not_durations(sample):
    utc = charts.timeline(sample, "INC-2026-0001")
    berlin = charts.timeline(sample, "INC-2026-0001", display_tz="Europe/Berlin")
    a, b = bars(utc)["Impact duration"], bars(berlin)["Impact duration"]
    assert pd.Timestamp(b.base[0]) - pd.Timestamp(a.base[0]) == pd.Timedelta(hours=2)  # CEST
    assert a.x == b.x and a.text == b.text
    assert "CEST" in b.customdata[0][0]


def test_open_incident_runs_to_as_of(sample):
    fig = charts.timeline(sample, "INC-2026-0012", as_of=AS_OF)
    res = bars(fig)["Time to resolve"]
    assert end_of(res) == pd.Timestamp("2026-11-26 12:00")
    assert res.text[0] == "17h 58m (ongoing)" and res.marker.pattern.shape == "/"
    assert any("ongoing as of 2026-11-26 12:00 UTC" in a.text for a in fig.layout.annotations)
    assert "Not recorded" not in shown(fig.layout.title.text)  # resolved is pending


def test_open_incident_default_clock_is_now(sample):
    fig = charts.timeline(sample, "INC-2026-0012")
    as_of = pd.Timestamp(fig.layout.meta["as_of"])
    assert abs(pd.Timestamp.now(tz="UTC") - as_of) < pd.Timedelta(minutes=5)
    assert bars(fig)["Time to resolve"].text[0].endswith("(ongoing)")


def test_missing_milestones_are_left_out_and_named(sample):
    fig = charts.timeline(sample, "INC-2026-0005")  # detected, response, resolved only
    b = bars(fig)
    assert "Time to detect" not in b and "Time to mitigate" not in b
    # impact start not recorded: impact duration runs from detection, as in the metrics
    assert pd.Timestamp(b["Impact duration"].base[0]) == pd.Timestamp("2026-07-03 09:15")
    assert shown(fig.layout.title.text).endswith(
        " Not recorded: Impact started, Acknowledged, Escalated, Mitigated, Post-mortem, "
        "Customer update"
    )


def test_title_is_escaped():
    from incident_kit.model import IncidentSet, action_items_frame, events_frame, incidents_frame

    iset = IncidentSet(
        incidents_frame(
            [{"incident_id": "X", "title": "<script>alert(1)</script>", "status": "Active"}]
        ),
        events_frame(
            [
                {
                    "incident_id": "X",
                    "timestamp": pd.Timestamp("2026-01-01T00:00Z"),
                    "kind": "detected",
                }
            ]
        ),
        action_items_frame([]),
    )
    fig = charts.timeline(iset, "X", as_of="2026-01-01T01:00Z")
    assert "<script>" not in fig.layout.title.text and "&lt;script&gt;" in fig.layout.title.text


def test_long_titles_wrap_to_fit_a_phone_and_keep_every_word():
    from incident_kit.model import IncidentSet, action_items_frame, events_frame, incidents_frame

    written = (
        "Checkout payments intermittently failing for European customers after the "
        "card-network tokenisation rollout & a misconfigured <retry> budget "
        "(see https://status.example.com/incidents/2026-05-12-checkout-payments)"
    )
    iset = IncidentSet(
        incidents_frame(
            [{"incident_id": "X-1", "title": written, "severity": "P2", "status": "Active"}]
        ),
        events_frame(
            [
                {
                    "incident_id": "X-1",
                    "timestamp": pd.Timestamp("2026-01-01T00:00Z"),
                    "kind": "detected",
                }
            ]
        ),
        action_items_frame([]),
    )
    fig = charts.timeline(iset, "X-1", as_of="2026-01-01T01:00Z")
    title = lines(fig.layout.title.text)
    raw = fig.layout.title.text.split("<br>")
    heading = [ln for ln, r in zip(title, raw, strict=True) if "font-size" not in r]
    note = [ln for ln, r in zip(title, raw, strict=True) if "font-size" in r]
    assert note and all(len(ln) <= charts.style.SUBTITLE_CHARS for ln in note)
    assert " ".join(title).startswith(f"■ P2 X-1 · {written} Not recorded: Impact started")
    long_word = "https://status.example.com/incidents/2026-05-12-checkout-payments)"
    assert all(len(ln) <= charts.style.TITLE_CHARS or ln == long_word for ln in heading)
    assert len(heading) == 6 and heading[-1] == long_word  # a word longer than a line: whole
    assert "&lt;retry&gt;" in fig.layout.title.text and "<retry>" not in fig.layout.title.text


@pytest.mark.parametrize(
    ("text", "width", "expected"),
    [
        ("short title", 42, "short title"),
        ("aaa bbb ccc", 7, "aaa bbb<br>ccc"),
        ("<b>aaa</b> bbb ccc", 7, "<b>aaa</b> bbb<br>ccc"),  # tags take no room
        ("x &amp; y z", 5, "x &amp; y<br>z"),  # an entity is one character
        ("<span style='color:red'>■ P1</span> a", 4, "<span style='color:red'>■ P1</span><br>a"),
        ("one<br>two three", 5, "one<br>two<br>three"),  # breaks already there are kept
    ],
)
def test_wrap_breaks_between_words_counting_what_is_shown(text, width, expected):
    assert charts.style.wrap(text, width) == expected


def test_portfolio_timeline_by_service(sample):
    fig = charts.portfolio_timeline(sample, as_of=AS_OF)
    p1 = next(t for t in fig.data if t.name == "P1")
    assert list(p1.marker.color for _ in [0]) == [charts.SEVERITY_COLORS["P1"]]
    row = list(p1.customdata[:, 0]).index("INC-2026-0001")
    assert p1.y[row] == "checkout-api" and "1h 22m" in p1.customdata[row][3]


READABLE_TICK = re.compile(r"^(0|\d+(s|m|h|d)( \d+(s|m|h))?)$")


def test_durations_chart_marks_median_gives_n_and_hides_small_p90(sample):
    d = ik.durations(sample, as_of=AS_OF)
    fig = charts.durations(d, "time_to_resolve", by="severity")
    marks = [t for t in fig.data if t.type == "scatter" and not t.showlegend]
    p1 = next(t for t in marks if t.name.startswith("P1"))
    expected = d[d["severity"] == "P1"]["time_to_resolve"]
    assert pd.Timedelta(p1.meta["median"][0]) == expected.median() and p1.meta["n"] == [3]
    assert p1.meta["p90"] == [None] and len(p1.x) == 1  # 3 incidents: median only, no p90
    box = next(t for t in fig.data if t.type == "box" and "P1" in t.name)
    assert len(box.y) == 3 and "(n=3)" in box.name and "median 1h 22m" in box.name
    assert "needs n ≥ 5" in box.name
    everyone = charts.durations(d, "time_to_resolve", by=None)
    mark = next(t for t in everyone.data if t.type == "scatter" and not t.showlegend)
    summary = ik.summarize(d, columns=["time_to_resolve"]).iloc[0]
    assert mark.meta["n"] == [summary["count"]] == [12]
    assert pd.Timedelta(mark.meta["p90"][0]) == summary["p90"] and len(mark.x) == 2


def test_duration_axes_have_readable_ticks(sample):
    d = ik.durations(sample, as_of=AS_OF)
    for fig, axis in (
        (charts.durations(d, "time_to_resolve"), "yaxis"),
        (charts.durations(d, "time_to_detect", by="service"), "yaxis"),
        (charts.trend(d, "time_to_resolve"), "yaxis2"),
    ):
        ticks = fig.layout[axis].ticktext
        assert len(ticks) >= 3 and all(READABLE_TICK.match(t) for t in ticks), ticks
        values = fig.layout[axis].tickvals
        assert [ik.fmt.duration(v * 3600).replace(" 00m", "") for v in values[1:]] == list(
            ticks[1:]
        )
    assert charts.duration_axis(50 * 60)["ticktext"] == ["0", "10m", "20m", "30m", "40m", "50m"]
    assert charts.duration_axis(100 * 60)["ticktext"] == ["0", "30m", "1h", "1h 30m", "2h"]


def test_trend_counts_per_month_with_n_and_no_small_p90(sample):
    d = ik.durations(sample, as_of=AS_OF)
    fig = charts.trend(d, "time_to_resolve")
    counts = fig.data[0]
    months = [pd.Timestamp(x).strftime("%Y-%m") for x in counts.x]
    assert dict(zip(months, counts.y, strict=True))["2026-05"] == 2
    assert sum(counts.y) == len(sample)
    median, p90 = fig.data[1], fig.data[2]
    assert median.text[0] == "1h 35m (n=2)"  # May: 1h 22m and 1h 48m
    assert all(v is None or v != v for v in p90.y)  # no month has 5 finished incidents


def test_impact_by_service_adds_up_and_says_how_it_is_split(sample):
    fig = charts.impact(sample, as_of=AS_OF)
    minutes = dict(zip(fig.data[0].y, fig.data[0].x, strict=True))
    imp = ik.impact(sample, as_of=AS_OF)
    total = imp["user_minutes"].sum()
    assert sum(minutes.values()) == pytest.approx(total)  # not about twice the total
    expected = sum(
        imp.at[i, "user_minutes"] / len(imp.at[i, "services"])
        for i in imp.index
        if "checkout-api" in imp.at[i, "services"] and pd.notna(imp.at[i, "user_minutes"])
    )
    assert minutes["checkout-api"] == pytest.approx(expected)
    pct_only = int((imp["users_affected"].isna() & imp["users_affected_pct"].notna()).sum())
    note = shown(fig.layout.title.text)
    assert "split evenly" in note and f"({pct_only} with % only)" in note and pct_only == 5
    incidents = dict(zip(fig.data[1].y, fig.data[1].x, strict=True))
    assert incidents["payments-db"] == 4  # counted once per service it hit


def test_impact_by_service_counts_incidents_without_services():
    from incident_kit.model import IncidentSet, action_items_frame, events_frame, incidents_frame

    iset = IncidentSet(
        incidents_frame(
            [
                {
                    "incident_id": "A",
                    "status": "Resolved",
                    "services": ["x", "y"],
                    "users_affected": 10,
                },
                {"incident_id": "B", "status": "Resolved", "services": [], "users_affected": 5},
            ]
        ),
        events_frame(
            [
                {"incident_id": i, "timestamp": pd.Timestamp(t), "kind": k}
                for i in ("A", "B")
                for t, k in (("2026-01-01T00:00Z", "detected"), ("2026-01-01T01:00Z", "resolved"))
            ]
        ),
        action_items_frame([]),
    )
    per = ik.metrics.impact_by_service(iset)
    assert per["user_minutes"].to_dict() == {"service not recorded": 300.0, "x": 300.0, "y": 300.0}


def test_action_items(sample):
    ai = charts.action_items(sample, as_of=AS_OF)
    total = sum(sum(t.y) for t in ai.data)
    assert total == len(sample.action_items)


def test_empty_selection_says_so(sample):
    empty = sample.select([])
    for fig in (
        charts.portfolio_timeline(empty),
        charts.durations(ik.durations(empty)),
        charts.trend(ik.durations(empty)),
        charts.impact(empty),
    ):
        assert fig.layout.annotations[0].text == "No incidents match"


def test_trend_of_a_numeric_column(sample):
    d = ik.durations(sample, as_of="2026-11-26T12:00Z")
    d["user_minutes"] = ik.impact(sample, "2026-11-26T12:00Z")["user_minutes"].astype("float64")
    fig = charts.trend(d, "user_minutes")
    median = fig.data[1]
    assert median.name == "median user minutes" and fig.layout.yaxis2.title.text == "user minutes"
    # May 2026: INC-0001 (48,200 users x 46m impact = 2,217,200) and INC-0002; per month median
    may = d[d["started"].dt.strftime("%Y-%m") == "2026-05"]["user_minutes"].dropna()
    assert median.y[0] == pytest.approx(may.median())
    assert median.text[0] == f"{ik.fmt.number(may.median())} (n={len(may)})"
    assert "tickvals" not in fig.layout.yaxis2.to_plotly_json()  # numbers, not durations


def test_durations_chart_draws_a_sample_of_many_points_and_says_so():
    from incident_kit import synth

    big = synth.generate(3000, seed=5)
    d = ik.durations(big, as_of="2026-01-01T00:00Z")
    full = charts.durations(d, "time_to_resolve")
    fig = charts.durations(d, "time_to_resolve", max_points=400)
    finished = d[~d["time_to_resolve_ongoing"] & d["time_to_resolve"].notna()]
    stats_boxes = [t for t in fig.data if t.type == "box" and t.boxpoints is False]
    point_boxes = [t for t in fig.data if t.type == "box" and t.boxpoints == "all"]
    assert len(stats_boxes) == len(point_boxes) == 4
    drawn = sum(len(t.y) for t in point_boxes)
    # about 400, each group its share but at least 50 (P1 is 5% of the incidents)
    assert 380 <= drawn <= 400 + 4 * 50 and min(len(t.y) for t in point_boxes) == 50
    assert sum(len(t.y) for t in full.data if t.type == "box") == len(finished)
    note = fig.layout.annotations[0].text
    assert note.startswith(f"points: {drawn:,} of {len(finished):,} drawn")
    for sev, box, points in zip(("P1", "P2", "P3", "P4"), stats_boxes, point_boxes, strict=True):
        hours = (
            finished.loc[finished["severity"] == sev, "time_to_resolve"].dt.total_seconds() / 3600
        )
        q1, med, q3 = np.percentile(hours, [25, 50, 75])  # from every incident, not the sample
        assert (box.q1[0], box.median[0], box.q3[0]) == pytest.approx((q1, med, q3))
        assert min(points.y) == pytest.approx(hours.min())  # the extremes are kept
        assert max(points.y) == pytest.approx(hours.max())
        assert box.x[0] == points.name and box.x[0].startswith(f"<b>{sev}</b> (n={len(hours)})")
    assert not full.layout.annotations  # under the limit: every point, no note


def _detected_at(*times: str) -> ik.IncidentSet:
    from incident_kit.model import IncidentSet, action_items_frame, events_frame, incidents_frame

    ids = [f"W-{n}" for n in range(len(times))]
    return IncidentSet(
        incidents_frame([{"incident_id": i, "status": "Resolved"} for i in ids]),
        events_frame(
            [
                {"incident_id": i, "timestamp": pd.Timestamp(t), "kind": kind}
                for i, t in zip(ids, times, strict=True)
                for kind, t in (("detected", t), ("resolved", pd.Timestamp(t) + pd.Timedelta("1h")))
            ]
        ),
        action_items_frame([]),
    )


@pytest.mark.parametrize(
    ("freq", "expected"),
    [
        # weeks named by the day they start: Monday, or Sunday
        ("W-MON", {"2026-03-02": 2, "2026-03-09": 1, "2026-03-16": 0, "2026-03-23": 1}),
        ("W", {"2026-03-02": 2, "2026-03-09": 1, "2026-03-16": 0, "2026-03-23": 1}),
        ("W-SUN", {"2026-03-01": 1, "2026-03-08": 2, "2026-03-15": 0, "2026-03-22": 1}),
        ("MS", {"2026-03-01": 4}),
    ],
)
def test_trend_counts_each_incident_in_the_period_it_started(freq, expected):
    # Mon 2 Mar, Sun 8 Mar 23:00, Mon 9 Mar 00:30, Tue 24 Mar (UTC)
    iset = _detected_at(
        "2026-03-02T10:00Z", "2026-03-08T23:00Z", "2026-03-09T00:30Z", "2026-03-24T08:00Z"
    )
    fig = charts.trend(ik.durations(iset, as_of="2026-04-01T00:00Z"), freq=freq)
    bars = fig.data[0]
    got = dict(zip(pd.to_datetime(bars.x).strftime("%Y-%m-%d"), bars.y.tolist(), strict=True))
    assert got == expected
    median = fig.data[1]  # every incident took 1h
    assert [v for v in median.y if v == v] == [1.0] * sum(1 for v in expected.values() if v)


def test_trend_names_the_periods_it_knows():
    d = ik.durations(_detected_at("2026-03-02T10:00Z"), as_of="2026-04-01T00:00Z")
    with pytest.raises(ik.UnknownNameError, match=r"^freq 'fortnight' is not a period; known: D"):
        charts.trend(d, freq="fortnight")
