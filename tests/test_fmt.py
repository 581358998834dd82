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
