"""How figures read: durations and times."""

from __future__ import annotations

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from incident_kit import fmt


def test_durations_read_like_people_write_them():
    cases = {
        "87m": "1h 27m",
        "7m": "7m",
        "5m 3s": "5m 03s",
        "45s": "45s",
        "2D 3h": "2d 3h",
        "3D": "3d",
        "0.2s": "<1s",
        "-5m": "-5m",
    }
    for raw, text in cases.items():
        assert fmt.duration(pd.Timedelta(raw)) == text
    assert fmt.duration(pd.NaT) == "not recorded" and fmt.duration(None, missing="-") == "-"


def test_timestamps_in_the_readers_zone():
    ts = pd.Timestamp("2026-05-12T14:09Z")
    assert fmt.timestamp(ts) == "2026-05-12 14:09 UTC"
    assert fmt.timestamp(ts, "Europe/Berlin") == "2026-05-12 16:09 CEST"
    assert fmt.timestamp(None) == "not recorded"


@given(st.lists(st.one_of(st.none(), st.integers(-(10**8), 10**8)), max_size=30))
def test_column_formatting_matches_one_at_a_time(seconds):
    values = pd.Series(
        [pd.NaT if s is None else pd.Timedelta(seconds=s) for s in seconds], dtype="timedelta64[ns]"
    )
    assert fmt.durations(values) == [fmt.duration(v) for v in values]


def test_one_rounding_rule_half_up_to_the_smallest_unit_shown():
    cases = {
        "1D 14h 40m": "1d 15h",  # the summary and the chart used to disagree here
        "1D 14h 29m 59s": "1d 14h",
        "1h 27m 30s": "1h 28m",
        "1h 27m 29s": "1h 27m",
        "59m 59.6s": "1h 00m",
        "23h 59m 40s": "1d",
        "1D 23h 30m": "2d",
        "0.6s": "1s",
        "-1h 27m 30s": "-1h 28m",
    }
    for raw, text in cases.items():
        value = -pd.Timedelta(raw.lstrip("-")) if raw.startswith("-") else pd.Timedelta(raw)
        assert fmt.duration(value) == text, raw
        assert fmt.durations(pd.Series([value])) == [text]
        assert fmt.duration(value.total_seconds()) == text


def test_ongoing_reads_the_same_everywhere():
    assert fmt.duration(pd.Timedelta("2h 10m"), ongoing=True) == "2h 10m (ongoing)"
    assert fmt.duration(pd.NaT, ongoing=True) == "not recorded"
