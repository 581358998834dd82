"""Durations, impact and summaries against hand-computed values."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import incident_kit as ik
from incident_kit.model import (
    MILESTONES,
    IncidentSet,
    action_items_frame,
    events_frame,
    incidents_frame,
)

T = pd.Timestamp
M = pd.Timedelta


def iset_of(
    incidents: list[dict], events: list[tuple], items: list[dict] | None = None
) -> IncidentSet:
    ev = [
        {
            "incident_id": i,
            "timestamp": T(t).tz_convert("UTC") if T(t).tzinfo else T(t).tz_localize("UTC"),
            "kind": k,
        }
        for i, t, k in events
    ]
    return IncidentSet(
        incidents_frame(incidents), events_frame(ev), action_items_frame(items or [])
    )


FULL = iset_of(
    [
        {
            "incident_id": "F",
            "status": "Post-Mortem",
            "severity": "P1",
            "services": ["api"],
            "users_affected": 100,
        }
    ],
    [
        ("F", "2026-03-04 13:50Z", "impact_start"),
        ("F", "2026-03-04 14:05Z", "detected"),
        ("F", "2026-03-04 14:07Z", "acknowledged"),
        ("F", "2026-03-04 14:20Z", "escalated"),
        ("F", "2026-03-04 14:22Z", "response_started"),
        ("F", "2026-03-04 14:47Z", "mitigated"),
        ("F", "2026-03-04 15:32Z", "resolved"),
        ("F", "2026-03-06 10:00Z", "postmortem"),
        ("F", "2026-03-04 14:30Z", "update"),
    ],
)


def test_every_default_span_by_hand():
    d = ik.durations(FULL).loc["F"]
    assert d["time_to_detect"] == M(minutes=15)
    assert d["time_to_acknowledge"] == M(minutes=2)
    assert d["time_to_escalate"] == M(minutes=15)
    assert d["time_to_respond"] == M(minutes=17)
    assert d["time_to_mitigate"] == M(minutes=57)
    assert d["time_to_resolve"] == M(hours=1, minutes=27)
    assert d["impact_duration"] == M(minutes=57)
    assert d["time_to_postmortem"] == M(days=1, hours=18, minutes=28)
    assert not d["impact_start_assumed"] and not d["time_to_resolve_ongoing"]


def test_first_event_of_a_kind_counts():
    twice = iset_of(
        [{"incident_id": "X", "status": "Resolved"}],
        [
            ("X", "2026-01-01 10:30Z", "detected"),
            ("X", "2026-01-01 10:00Z", "detected"),
            ("X", "2026-01-01 11:00Z", "resolved"),
            ("X", "2026-01-01 12:00Z", "resolved"),
        ],
    )
    assert ik.durations(twice).at["X", "time_to_resolve"] == M(hours=1)


def test_dst_change_is_exact():
    # Europe/Berlin springs forward at 02:00 on 2026-03-29: 01:30 CET -> 03:30 CEST is 1 hour
    from incident_kit import fields

    start, _ = fields.parse_time("2026-03-29 01:30 Europe/Berlin")
    end, _ = fields.parse_time("2026-03-29 03:30 Europe/Berlin")
    one = iset_of(
        [{"incident_id": "D", "status": "Resolved"}],
        [("D", start, "impact_start"), ("D", start, "detected"), ("D", end, "resolved")],
    )
    d = ik.durations(one).loc["D"]
    assert d["time_to_resolve"] == M(hours=1) and d["impact_duration"] == M(hours=1)


def test_mixed_offsets():
    one = iset_of(
        [{"incident_id": "O", "status": "Resolved"}],
        [
            ("O", "2026-06-01T10:00:00+02:00", "detected"),
            ("O", "2026-06-01T04:30:00-04:00", "resolved"),
        ],
    )
    assert ik.durations(one).at["O", "time_to_resolve"] == M(minutes=30)


def test_missing_milestones_and_impact_fallback():
    partial = iset_of(
        [{"incident_id": "P", "status": "Resolved"}],
        [("P", "2026-01-01 10:00Z", "detected"), ("P", "2026-01-01 12:00Z", "resolved")],
    )
    d = ik.durations(partial).loc["P"]
    assert pd.isna(d["time_to_detect"]) and pd.isna(d["time_to_mitigate"])
    assert d["impact_duration"] == M(hours=2) and d["impact_start_assumed"]
    assert not d["time_to_mitigate_ongoing"]


OPEN = iset_of(
    [{"incident_id": "O", "status": "Active"}],
    [("O", "2026-01-01 10:00Z", "impact_start"), ("O", "2026-01-01 10:10Z", "detected")],
)


def test_open_incident_without_as_of_runs_to_now_and_says_so():
    before = pd.Timestamp.now(tz="UTC")
    frame = ik.durations(OPEN)
    after = pd.Timestamp.now(tz="UTC")
    as_of = frame.attrs["as_of"]
    assert before <= as_of <= after  # the clock is read once and written into the output
    d = frame.loc["O"]
    assert d["time_to_resolve"] == as_of - pd.Timestamp("2026-01-01 10:10Z")
    assert d["time_to_resolve_ongoing"]  # censored: measured to as-of, not finished
    assert d["time_to_detect"] == M(minutes=10) and not d["time_to_detect_ongoing"]
    # one default for every figure: impact, summaries and action items carry the same clock
    assert ik.summarize(frame).attrs["as_of"] == as_of
    assert ik.impact(OPEN).attrs["as_of"] >= as_of


def test_as_of_that_is_not_a_time_says_what_is_expected():
    with pytest.raises(ik.IncidentKitError, match=r"as-of 'yesterday' is not a time"):
        ik.durations(OPEN, as_of="yesterday")
    assert ik.metrics.resolve_as_of("now") >= ik.metrics.resolve_as_of("2026-01-01T00:00Z")


def test_open_incident_runs_to_as_of():
    d = ik.durations(OPEN, as_of="2026-01-01T12:10:00+00:00").loc["O"]
    assert d["time_to_resolve"] == M(hours=2) and d["time_to_resolve_ongoing"]
    assert d["impact_duration"] == M(hours=2, minutes=10) and d["impact_duration_ongoing"]
    assert pd.isna(d["time_to_postmortem"])  # starts at resolved, which is unknown


def test_user_registered_span():
    try:
        ik.register_span("time_to_fix", "response_started", "mitigated")
        assert ik.durations(FULL).at["F", "time_to_fix"] == M(minutes=25)
        only = ik.durations(FULL, spans=["time_to_fix"])
        assert ik.metrics.span_columns(only) == ["time_to_fix"]
    finally:
        ik.SPANS.pop("time_to_fix", None)
    with pytest.raises(ik.UnknownNameError, match="'fixed' is not a milestone"):
        ik.register_span("bad", "detected", "fixed")
    with pytest.raises(
        ik.UnknownNameError, match="unknown span 'nope'; known spans: time_to_detect"
    ):
        ik.durations(FULL, spans=["nope"])


def test_impact_figures():
    one = iset_of(
        [
            {
                "incident_id": "I",
                "status": "Resolved",
                "users_affected": 200,
                "downtime_stated": M(minutes=30),
                "services": ["a", "b"],
            }
        ],
        [
            ("I", "2026-01-01 10:00Z", "impact_start"),
            ("I", "2026-01-01 10:05Z", "detected"),
            ("I", "2026-01-01 10:45Z", "mitigated"),
            ("I", "2026-01-01 11:00Z", "resolved"),
        ],
    )
    row = ik.impact(one).loc["I"]
    assert row["impact_duration"] == M(minutes=45)
    assert row["user_minutes"] == 200 * 45
    assert row["services_count"] == 2
    assert row["downtime_mismatch"]  # 30m stated vs 45m computed: 15 min and 33 %
    close = iset_of(
        [{"incident_id": "C", "status": "Resolved", "downtime_stated": M(minutes=43)}],
        [("C", "2026-01-01 10:00Z", "detected"), ("C", "2026-01-01 10:45Z", "resolved")],
    )
    assert not ik.impact(close).at["C", "downtime_mismatch"]


SMALL = iset_of(
    [
        {"incident_id": "a", "severity": "P1", "status": "Resolved", "services": ["api"]},
        {"incident_id": "b", "severity": "P1", "status": "Resolved", "services": ["api", "db"]},
        {"incident_id": "c", "severity": "P2", "status": "Resolved", "services": ["db"]},
        {"incident_id": "d", "severity": "P2", "status": "Active", "services": ["db"]},
    ],
    [
        ("a", "2026-01-10 10:00Z", "detected"),
        ("a", "2026-01-10 10:10Z", "resolved"),
        ("b", "2026-01-20 10:00Z", "detected"),
        ("b", "2026-01-20 10:30Z", "resolved"),
        ("c", "2026-02-01 10:00Z", "detected"),
        ("c", "2026-02-01 11:00Z", "resolved"),
        ("d", "2026-02-05 10:00Z", "detected"),
    ],
)


def test_summary_by_severity_by_hand():
    s = ik.summarize(ik.durations(SMALL, as_of="2026-02-05T12:00Z"), by="severity")
    r = s[s["metric"] == "time_to_resolve"].set_index("severity")
    assert r.at["P1", "count"] == 2 and r.at["P1", "open"] == 0
    assert r.at["P1", "mean"] == M(minutes=20) and r.at["P1", "median"] == M(minutes=20)
    assert pd.isna(r.at["P1", "p90"])  # 2 values: a p90 would be noise, so none is given
    assert r.at["P1", "max"] == M(minutes=30)
    assert r.at["P2", "count"] == 1 and r.at["P2", "open"] == 1  # d is censored, not averaged
    assert r.at["P2", "mean"] == M(hours=1)


def test_p90_needs_the_documented_minimum_of_finished_values():
    minutes = [10, 20, 30, 40, 50, 60]
    rows = [{"incident_id": f"i{n}", "severity": "P1", "status": "Resolved"} for n in range(6)]
    events = [(f"i{n}", "2026-01-10 10:00Z", "detected") for n in range(6)]
    events += [
        (f"i{n}", str(pd.Timestamp("2026-01-10 10:00Z") + M(minutes=m)), "resolved")
        for n, m in enumerate(minutes)
    ]
    iset = iset_of(rows, events)
    assert ik.metrics.P90_MIN_COUNT == 5
    five = ik.summarize(ik.durations(iset.select([f"i{n}" for n in range(5)])))
    five = five.set_index("metric").loc["time_to_resolve"]
    assert five["count"] == 5 and five["p90"] == M(minutes=46)  # 40 + 0.6 * (50 - 40)
    four = ik.summarize(ik.durations(iset.select([f"i{n}" for n in range(4)])))
    four = four.set_index("metric").loc["time_to_resolve"]
    assert four["count"] == 4 and pd.isna(four["p90"]) and four["median"] == M(minutes=25)


def test_summary_by_service_explodes_and_by_month():
    d = ik.durations(SMALL)
    s = ik.summarize(d, by="service", columns=["time_to_resolve"]).set_index("service")
    assert s.at["api", "count"] == 2 and s.at["db", "count"] == 2 and s.at["db", "open"] == 1
    assert s.at["db", "mean"] == M(minutes=45)
    m = ik.summarize(d, by="month", columns=["time_to_resolve"]).set_index("month")
    assert list(m.index) == ["2026-01", "2026-02"] and m.at["2026-01", "median"] == M(minutes=20)
    whole = ik.summarize(d, columns=["time_to_resolve"])
    assert whole.iloc[0]["count"] == 3 and whole.iloc[0]["max"] == M(hours=1)
    with pytest.raises(ik.UnknownNameError, match="cannot group by 'team'"):
        ik.summarize(d, by="team")


def test_mtbf_and_follow_through():
    m = ik.mtbf(SMALL)
    assert m.at["db", "mtbf"] == (T("2026-02-05 10:00Z") - T("2026-01-20 10:00Z")) / 2
    assert pd.isna(m.at["api", "mtbf"]) or m.at["api", "mtbf"] == M(days=10)
    items = iset_of(
        [{"incident_id": "a", "status": "Active"}],
        [],
        [
            {
                "incident_id": "a",
                "horizon": "immediate",
                "text": "x",
                "due": T("2026-01-01"),
                "done": True,
            },
            {
                "incident_id": "a",
                "horizon": "short_term",
                "text": "y",
                "due": T("2026-01-05"),
                "done": False,
            },
            {
                "incident_id": "a",
                "horizon": "long_term",
                "text": "z",
                "due": T("2026-03-01"),
                "done": False,
            },
        ],
    )
    f = ik.follow_through(items, as_of="2026-02-01T00:00Z").loc["a"]
    assert (f["total"], f["done"], f["open"], f["overdue"]) == (3, 1, 2, 1)
    assert f["completion_rate"] == pytest.approx(1 / 3)
    # the default clock is now: both unfinished items (due in 2026-01 and 2026-03) are past due
    assert ik.follow_through(items).loc["a", "overdue"] == 2
    assert ik.follow_through(items, as_of="2025-12-01T00:00Z").loc["a", "overdue"] == 0


def test_sample_portfolio_numbers(sample):
    d = ik.durations(sample)
    assert d.at["INC-2026-0001", "time_to_resolve"] == M(hours=1, minutes=22)
    assert d.at["INC-2026-0002", "time_to_detect"] == M(minutes=12)  # Berlin times, CEST
    assert d.at["INC-2026-0012", "time_to_resolve_ongoing"]


@settings(max_examples=80, deadline=None)
@given(st.lists(st.integers(0, 10**6), min_size=8, max_size=8), st.randoms(use_true_random=False))
def test_ordered_events_give_non_negative_durations_in_any_row_order(gaps, rnd):
    kinds = list(MILESTONES)  # in the order they happen
    t = T("2026-01-01T00:00Z")
    events = []
    for kind, gap in zip(kinds, gaps, strict=True):
        t += M(seconds=gap)
        events.append(("Q", t, kind))
    shuffled = events[:]
    rnd.shuffle(shuffled)
    a = ik.durations(iset_of([{"incident_id": "Q", "status": "Resolved"}], events))
    ev = pd.DataFrame([{"incident_id": i, "timestamp": ts, "kind": k} for i, ts, k in shuffled])
    b_set = IncidentSet(
        incidents_frame([{"incident_id": "Q", "status": "Resolved"}]),
        events_frame(ev).sample(frac=1, random_state=rnd.randint(0, 99)),
        action_items_frame([]),
    )
    b = ik.durations(b_set)
    spans = ik.metrics.span_columns(a)
    assert not (a[spans] < M(0)).any().any()
    pd.testing.assert_frame_equal(a, b)
