"""Chart figures checked against the data: bars against milestones, labels, hover, zones."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import pytest

import incident_kit as ik
from incident_kit import charts

AS_OF = "2026-11-26T12:00:00Z"


def bars(fig: go.Figure) -> dict[str, go.Bar]:
    return {t.name: t for t in fig.data if t.type == "bar"}


def end_of(bar: go.Bar) -> pd.Timestamp:
    return pd.Timestamp(bar.base[0]) + pd.Timedelta(milliseconds=bar.x[0])


def test_timeline_bars_match_milestones(sample):
    fig = charts.timeline(sample, "INC-2026-0001")
    b = bars(fig)
    assert list(b) == ["Impact", "Detection", "Response", "Mitigation", "Resolution"]
    assert pd.Timestamp(b["Impact"].base[0]) == pd.Timestamp("2026-05-12 14:02")
    assert end_of(b["Impact"]) == pd.Timestamp("2026-05-12 14:48")  # mitigated
    assert end_of(b["Detection"]) == pd.Timestamp("2026-05-12 14:09")
    assert pd.Timestamp(b["Resolution"].base[0]) == pd.Timestamp("2026-05-12 14:48")
    assert end_of(b["Resolution"]) == pd.Timestamp("2026-05-12 15:31")
    assert [b[n].text[0] for n in b] == ["46m", "7m", "13m", "26m", "43m"]
    assert "P1" in fig.layout.title.text and "INC-2026-0001" in fig.layout.title.text
    assert fig.layout.title.font.color == charts.SEVERITY_COLORS["P1"]


def test_timeline_markers_carry_actor_and_description(sample):
    fig = charts.timeline(sample, "INC-2026-0001")
    markers = {t.name: t for t in fig.data if t.type == "scatter"}
    assert len(markers["Update"].x) == 1 and len(markers["Customer update"].x) == 1
    assert "Rollback of config v482 started" in markers["Update"].hovertext[0]
    assert "Status page set to Major outage" in markers["Customer update"].hovertext[0]
    assert "by Dana Whitfield" in markers["Customer update"].hovertext[0]
    assert "to Incident Commander" in markers["Escalated"].hovertext[0]
    assert "by Datadog monitor checkout-5xx" in markers["Detected"].hovertext[0]


def test_display_tz_shifts_axis_not_durations(sample):
    utc = charts.timeline(sample, "INC-2026-0001")
    berlin = charts.timeline(sample, "INC-2026-0001", display_tz="Europe/Berlin")
    a, b = bars(utc)["Impact"], bars(berlin)["Impact"]
    assert pd.Timestamp(b.base[0]) - pd.Timestamp(a.base[0]) == pd.Timedelta(hours=2)  # CEST
    assert a.x == b.x and a.text == b.text
    assert "CEST" in bars(berlin)["Impact"].customdata[0][0]


def test_open_incident_runs_to_as_of(sample):
    fig = charts.timeline(sample, "INC-2026-0012", as_of=AS_OF)
    res = bars(fig)["Resolution"]
    assert end_of(res) == pd.Timestamp("2026-11-26 12:00")
    assert res.text[0] == "16h 55m (ongoing)" and res.marker.pattern.shape == "/"
    assert any("ongoing as of 2026-11-26 12:00 UTC" in a.text for a in fig.layout.annotations)


def test_missing_milestones_are_left_out_and_named(sample):
    fig = charts.timeline(sample, "INC-2026-0005")  # detected, response, resolved only
    b = bars(fig)
    assert "Detection" not in b and "Mitigation" not in b
    assert pd.Timestamp(b["Impact"].base[0]) == pd.Timestamp(
        "2026-07-03 09:15"
    )  # starts at detection
    note = next(a.text for a in fig.layout.annotations if a.text.startswith("Unknown"))
    assert "Impact started" in note and "Mitigated" in note


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


def test_portfolio_timeline_by_service(sample):
    fig = charts.portfolio_timeline(sample, as_of=AS_OF)
    p1 = next(t for t in fig.data if t.name == "P1")
    assert list(p1.marker.color for _ in [0]) == [charts.SEVERITY_COLORS["P1"]]
    row = list(p1.customdata[:, 0]).index("INC-2026-0001")
    assert p1.y[row] == "checkout-api" and "1h 22m" in p1.customdata[row][3]


def test_durations_chart_marks_median_and_p90(sample):
    d = ik.durations(sample)
    fig = charts.durations(d, "time_to_resolve", by="severity")
    marks = [t for t in fig.data if t.type == "scatter"]
    p1 = next(t for t in marks if t.name.startswith("P1"))
    expected = d[d["severity"] == "P1"]["time_to_resolve"]
    assert pd.Timedelta(p1.meta["median"]) == expected.median()
    box = next(t for t in fig.data if t.type == "box" and "P1" in t.name)
    assert len(box.y) == 3 and "median 1h 22m" in box.name


def test_trend_counts_per_month(sample):
    d = ik.durations(sample)
    fig = charts.trend(d, "time_to_resolve")
    counts = fig.data[0]
    months = [pd.Timestamp(x).strftime("%Y-%m") for x in counts.x]
    assert dict(zip(months, counts.y, strict=True))["2026-05"] == 2
    assert sum(counts.y) == len(sample)


def test_impact_and_action_items(sample):
    fig = charts.impact(sample)
    minutes = dict(zip(fig.data[0].y, fig.data[0].x, strict=True))
    imp = ik.impact(sample)
    expected = sum(
        imp.at[i, "user_minutes"]
        for i in imp.index
        if "checkout-api" in imp.at[i, "services"] and pd.notna(imp.at[i, "user_minutes"])
    )
    assert minutes["checkout-api"] == pytest.approx(expected)
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
