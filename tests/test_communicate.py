"""time_to_communicate: detected -> the first update customers or the status page saw."""

from __future__ import annotations

import pandas as pd
import pytest

import incident_kit as ik

from .conftest import DATA

M = pd.Timedelta
AS_OF = "2026-11-26T12:00:00Z"


def test_span_on_the_sample_data(sample):
    d = ik.durations(sample, as_of=AS_OF)
    # Detailed Timeline rows of kind "communication", hand-checked against the reports
    assert d.at["INC-2026-0001", "time_to_communicate"] == M(minutes=21)  # 14:09 -> 14:30
    assert d.at["INC-2026-0004", "time_to_communicate"] == M(minutes=49)  # 18:31 -> 19:20
    assert d.at["INC-2026-0008", "time_to_communicate"] == M(hours=4, minutes=20)
    # open, nothing sent yet, checklist unticked: ongoing, measured to as-of
    assert d.at["INC-2026-0013", "time_to_communicate_ongoing"]
    assert d.at["INC-2026-0013", "time_to_communicate"] == M(days=2, hours=2, minutes=50)
    # open, checklist says the status page was updated but no time recorded: unknown
    assert pd.isna(d.at["INC-2026-0012", "time_to_communicate"])
    assert not d.at["INC-2026-0012", "time_to_communicate_ongoing"]
    # resolved without a customer update in the timeline: not recorded, never "ongoing"
    assert pd.isna(d.at["INC-2026-0003", "time_to_communicate"])
    assert "time_to_communicate" in ik.SPANS
    s = ik.summarize(d, columns=["time_to_communicate"]).iloc[0]
    assert (s["count"], s["open"], s["median"]) == (3, 1, M(minutes=49))


@pytest.mark.parametrize(
    "kind", ["communication", "Status page", "customer update", "Comms", "external update"]
)
def test_detailed_timeline_marker(write_report, tmp_path, kind):
    write_report(
        timeline=f"""
        - **Detected**: 2026-03-04 14:05 UTC by Datadog
        - **Resolved**: 2026-03-04 15:00 UTC

        ### Detailed Timeline

        | time | kind | actor | description |
        | --- | --- | --- | --- |
        | 2026-03-04 14:10 UTC | update | Bob | internal note, not for customers |
        | 2026-03-04 14:17 UTC | {kind} | Carol | Investigating elevated errors |
    """
    )
    iset = ik.load(tmp_path)
    assert ik.durations(iset).iloc[0]["time_to_communicate"] == M(minutes=12)
    assert ik.to_markdown(iset, iset.ids[0]).count("| communication | Carol |") == 1


def test_statuspage_updates_are_customer_facing():
    iset = ik.load(DATA / "examples" / "statuspage")
    ev = iset.events
    assert (ev["kind"] == "communication").sum() > 0 and not (ev["kind"] == "update").any()
    d = ik.durations(iset)
    # the first update is posted when the incident is created: communicated at detection
    assert (d["time_to_communicate"] >= M(0)).all()
    assert d["time_to_communicate"].notna().all()
