"""On-call load: detections by hour of week, the after-hours share, workload sums by hand."""

from __future__ import annotations

import pandas as pd
import pytest

import incident_kit as ik
from incident_kit import oncall
from incident_kit.model import IncidentSet, action_items_frame, events_frame, incidents_frame

T = pd.Timestamp
AS_OF = "2026-03-07T12:00Z"  # a Saturday


def team_set() -> IncidentSet:
    incidents = [
        # Monday 2026-03-02 07:30 UTC = 08:30 in Berlin: before business hours there
        {"incident_id": "A", "status": "Resolved", "incident_commander": "Ana",
         "technical_lead": "Bo (SRE)"},
        # Monday 08:30 UTC = 09:30 Berlin: inside
        {"incident_id": "B", "status": "Resolved", "incident_commander": "ana"},
        # Saturday 09:00 UTC, still open at as-of (3h)
        {"incident_id": "C", "status": "Active", "incident_commander": "Ana & Dee"},
    ]  # fmt: skip
    events = [
        ("A", "2026-03-02 07:30Z", "detected", "Datadog monitor"),
        ("A", "2026-03-02 07:35Z", "acknowledged", "Cy"),
        ("A", "2026-03-02 09:30Z", "resolved", "Bo"),
        ("B", "2026-03-02 08:30Z", "detected", "Cy"),  # a person who also detects
        ("B", "2026-03-02 09:00Z", "resolved", None),
        ("C", "2026-03-07 09:00Z", "detected", "Datadog monitor"),
    ]
    ev = [{"incident_id": i, "timestamp": T(t), "kind": k, "actor": a} for i, t, k, a in events]
    return IncidentSet(incidents_frame(incidents), events_frame(ev), action_items_frame([]))


def test_workload_sums_by_hand():
    w = ik.workload(team_set(), AS_OF).set_index("person")
    # A lasted 2h (Ana, Bo, Cy), B 30m (Ana, Cy), C 3h so far (Ana, Dee); each credited in full
    assert w.at["Ana", "incidents"] == 3 and w.at["Ana", "incident_hours"] == 5.5
    assert w.at["Cy", "incidents"] == 2 and w.at["Cy", "incident_hours"] == 2.5
    assert (w.at["Bo", "incident_hours"], w.at["Dee", "incident_hours"]) == (2.0, 3.0)
    assert w.at["Ana", "open"] == 1 and w.at["Ana", "roles"] == ["Incident Commander"]
    assert w.at["Bo", "roles"] == ["Technical Lead"]  # "(SRE)" is a note, not a name
    assert "Datadog monitor" not in w.index  # only ever the source of a detection
    assert w["incident_hours"].sum() == 2 * 3 + 0.5 * 2 + 3 * 2
    assert list(w.index[:2]) == ["Ana", "Dee"]  # most hours first
    assert ik.workload(IncidentSet.empty()).empty


def test_after_hours_share_zone_and_days():
    iset = team_set()
    berlin = oncall.BusinessHours(tz="Europe/Berlin")
    det = oncall.detections(iset, berlin)
    assert det["after_hours"].tolist() == [True, False, True]  # 08:30, 09:30 Mon; Saturday
    assert oncall.detections(iset)["after_hours"].tolist() == [True, True, True]  # UTC 9-17
    share = oncall.after_hours(iset, berlin).iloc[0]
    assert (share["incidents"], share["after_hours"]) == (3, 2)
    assert share["share"] == pytest.approx(2 / 3)
    weekend = oncall.BusinessHours(start=8, end=18, days=(0, 1, 2, 3, 4, 5), tz="UTC")
    assert oncall.after_hours(iset, weekend).iloc[0]["after_hours"] == 1  # Mon 07:30 only
    assert berlin.describe() == "Mon-Fri 09:00-17:00 Europe/Berlin"
    with pytest.raises(ik.UnknownNameError, match="need 0 <= start < end <= 24"):
        oncall.BusinessHours(start=18, end=9)


def test_hour_of_week_in_a_zone(sample):
    table = oncall.hour_of_week(team_set(), tz="Europe/Berlin")
    assert table.shape == (7, 24) and table.to_numpy().sum() == 3
    assert table.at["Mon", 8] == 1 and table.at["Mon", 9] == 1 and table.at["Sat", 10] == 1
    # the sample: every incident's detection lands in one cell
    assert oncall.hour_of_week(sample).to_numpy().sum() == len(sample)
    fig = ik.charts.detection_heatmap(sample, hours=oncall.BusinessHours(tz="Europe/Berlin"))
    assert fig.data[0].z.sum() == len(sample) and len(fig.layout.shapes) == 5


def test_people_as_written():
    assert oncall.people("Marco Bianchi (IC), Priya Raman") == ["Marco Bianchi", "Priya Raman"]
    assert oncall.people("@ana and Bo; Cy / Dee + Ed") == ["ana", "Bo", "Cy", "Dee", "Ed"]
    assert oncall.people(None) == [] and oncall.people("  ") == []
