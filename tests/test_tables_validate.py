"""Canonical tables and every validation rule, each with its located message."""

from __future__ import annotations

import textwrap

import pandas as pd
import pytest

import incident_kit as ik


def write(folder, name, text):
    path = folder / name
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


INCIDENTS = """\
incident_id,title,severity,status,services,users_affected,users_affected_pct,downtime_stated
A-1,Outage,P1,Resolved,api; db,1200,3.5,27m
A-2,Slow,P3,Active,search,,,
"""
EVENTS = """\
incident_id,timestamp,kind,actor,role,description
A-1,2026-03-04T13:50:00Z,impact_start,,,
A-1,2026-03-04 14:05 UTC,detected,Datadog,,
A-1,2026-03-04T15:20:00+01:00,escalated,,Incident Commander,
A-1,2026-03-04 14:27 UTC,mitigated,,,
A-1,2026-03-04 15:00 Europe/London,resolved,Alice,,
A-2,2026-03-05T09:00:00Z,detected,Synthetic check,,
"""


def test_csv_tables(tmp_path):
    write(tmp_path, "incidents.csv", INCIDENTS)
    write(tmp_path, "events.csv", EVENTS)
    write(
        tmp_path,
        "action_items.csv",
        "incident_id,horizon,text,owner,due,done\nA-1,immediate,Fix it,Bob,2026-03-10,false\n",
    )
    iset = ik.load(tmp_path, strict=True)
    assert iset.ids == ["A-1", "A-2"]
    a1 = iset.incident("A-1")
    assert a1["services"] == ["api", "db"] and a1["users_affected"] == 1200
    assert a1["users_affected_pct"] == 3.5 and a1["downtime_stated"] == pd.Timedelta(minutes=27)
    ev = iset.events.set_index(["incident_id", "kind"])["timestamp"]
    assert ev[("A-1", "escalated")] == pd.Timestamp("2026-03-04 14:20Z")
    assert ev[("A-1", "resolved")] == pd.Timestamp("2026-03-04 15:00Z")  # London in winter = UTC
    assert iset.action_items.iloc[0]["due"] == pd.Timestamp("2026-03-10")


def test_jsonl_tables(tmp_path):
    write(
        tmp_path,
        "incidents.jsonl",
        '{"incident_id": "J-1", "severity": "P2", "status": "Resolved", "services": ["a", "b"]}\n',
    )
    write(
        tmp_path,
        "events.jsonl",
        '{"incident_id": "J-1", "timestamp": "2026-01-01T00:00:00Z", "kind": "detected"}\n'
        '{"incident_id": "J-1", "timestamp": "2026-01-01T01:00:00Z", "kind": "resolved"}\n',
    )
    iset = ik.load(tmp_path, strict=True)
    assert iset.incident("J-1")["services"] == ["a", "b"]
    assert len(iset.events) == 2


def test_write_tables_round_trip(sample, tmp_path):
    for fmt in ("csv", "jsonl"):
        ik.to_tables(sample, tmp_path / fmt, fmt)
        again = ik.load(tmp_path / fmt, strict=True)
        cols = [c for c in sample.incidents.columns if c not in ("source_file", "source_line")]
        pd.testing.assert_frame_equal(again.incidents[cols], sample.incidents[cols])
        pd.testing.assert_frame_equal(
            again.events.drop(columns="source"), sample.events.drop(columns="source")
        )


def problems(tmp_path, incidents=INCIDENTS, events=EVENTS):
    write(tmp_path, "incidents.csv", incidents)
    write(tmp_path, "events.csv", events)
    return ik.load(tmp_path)


def messages(iset):
    return [
        f"{r.file.rsplit('/', 1)[-1]}:{r.line}: {r.message}" for r in iset.problems.itertuples()
    ]


def test_unparseable_timestamp(tmp_path):
    iset = problems(tmp_path, events=EVENTS.replace("2026-03-05T09:00:00Z", "tomorrow"))
    assert messages(iset) == [
        "events.csv:7: timestamp 'tomorrow' is not a timestamp (expected ISO 8601 with an offset, or a zone name)"
    ]
    assert iset.ids == ["A-1"]  # the other incident still loads


def test_unknown_severity_and_status(tmp_path):
    iset = problems(tmp_path, incidents=INCIDENTS.replace("P3,Active", "P9,Open"))
    assert messages(iset) == [
        "incidents.csv:3: severity 'P9' is not a severity (expected one of P1, P2, P3, P4)",
        "incidents.csv:3: status 'Open' is not a status (expected one of Active, Resolved, Post-Mortem)",
    ]


def test_duplicate_id_across_files(tmp_path, write_report):
    write(tmp_path, "incidents.csv", INCIDENTS)
    write(tmp_path, "events.csv", EVENTS)
    write_report("A-2", status="Active")
    iset = ik.load(tmp_path)
    dup = iset.problems[iset.problems["field"] == "incident_id"]
    assert len(dup) == 1 and "Incident ID 'A-2' is already used in" in dup.iloc[0]["message"]
    assert "A-2" not in iset.ids and "A-1" in iset.ids


def test_milestones_out_of_order(tmp_path):
    bad = EVENTS.replace(
        "A-1,2026-03-04 15:00 Europe/London,resolved", "A-1,2026-03-04 13:00 UTC,resolved"
    )
    iset = problems(tmp_path, events=bad)
    assert messages(iset) == [
        "events.csv:6: Resolved '2026-03-04 13:00 UTC' is before Mitigated '2026-03-04 14:27 UTC'"
    ]
    assert iset.ids == ["A-2"]


def test_negative_count_and_bad_percentage(tmp_path):
    iset = problems(tmp_path, incidents=INCIDENTS.replace("1200,3.5", "-5,130"))
    msgs = messages(iset)
    assert any("users_affected '-5' is negative" in m for m in msgs)
    assert any("users_affected_pct 130.0 is outside 0..100 %" in m for m in msgs)


def test_status_needs_matching_resolved_time(tmp_path):
    iset = problems(tmp_path, incidents=INCIDENTS.replace("P3,Active", "P3,Resolved"))
    assert messages(iset) == [
        "incidents.csv:3: Status 'Resolved' needs a Resolved time in the timeline"
    ]
    iset = problems(tmp_path, incidents=INCIDENTS.replace("P1,Resolved", "P1,Active"))
    assert messages(iset) == [
        "incidents.csv:2: Status 'Active' but the timeline has Resolved '2026-03-04 15:00 UTC'"
    ]


def test_event_for_unknown_incident(tmp_path):
    iset = problems(tmp_path, events=EVENTS + "Z-9,2026-03-05T09:00:00Z,detected,,,\n")
    assert messages(iset) == ["events.csv:8: incident_id 'Z-9' in events matches no incident"]
    assert set(iset.events["incident_id"]) == {"A-1", "A-2"}


def test_strict_raises_once_with_all_problems(tmp_path):
    write(tmp_path, "incidents.csv", INCIDENTS.replace("P3,Active", "P9,Open"))
    write(tmp_path, "events.csv", EVENTS.replace("2026-03-05T09:00:00Z", "tomorrow"))
    with pytest.raises(ik.ValidationError) as info:
        ik.load(tmp_path, strict=True)
    assert len(info.value.problems) == 3
    assert isinstance(info.value, ValueError)


def test_unknown_path_and_format(tmp_path):
    with pytest.raises(ik.SourceError, match="nope: no such file or folder"):
        ik.load(tmp_path / "nope")
    with pytest.raises(
        ik.UnknownNameError, match="known formats: markdown, mapped, tables, statuspage"
    ):
        ik.load(tmp_path, format="excel")


def test_every_sample_file_loads_cleanly(sample):
    assert len(sample) >= 12 and len(sample.problems) == 0
    assert set(sample.incidents["severity"].astype(str)) == {"P1", "P2", "P3", "P4"}
    assert (sample.incidents["status"] == "Active").sum() >= 2
    services = {s for lst in sample.incidents["services"] for s in lst}
    assert len(services) >= 6
    months = ik.metrics.context(sample)["month"].nunique()
    assert months >= 6
