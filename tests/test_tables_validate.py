"""Canonical tables and every validation rule, each with its located message."""

from __future__ import annotations

import json
import textwrap
import warnings
from pathlib import Path

import pandas as pd
import pytest

import incident_kit as ik
from incident_kit.model import INCIDENT_COLUMNS

from .conftest import DATA


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
    for fmt in ("csv", "jsonl", "parquet"):
        ik.to_tables(sample, tmp_path / fmt, fmt)
        again = ik.load(tmp_path / fmt, strict=True)
        cols = [c for c in sample.incidents.columns if c not in ("source_file", "source_line")]
        pd.testing.assert_frame_equal(again.incidents[cols], sample.incidents[cols])
        pd.testing.assert_frame_equal(
            again.events.drop(columns="source"), sample.events.drop(columns="source")
        )
        pd.testing.assert_frame_equal(
            again.action_items.drop(columns="source"), sample.action_items.drop(columns="source")
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
        "events.csv:7: timestamp 'tomorrow' is not a timestamp (e.g. 2026-03-04 14:05 UTC, "
        "2026-03-04T14:05:00+01:00, March 4, 2026 2:05 PM PST, 04.03.2026 14:05 CET, "
        "2026-03-04 14:05 Europe/Berlin)"
    ]
    assert iset.ids == ["A-1"]  # the other incident still loads


def test_unknown_severity_and_status(tmp_path):
    iset = problems(tmp_path, incidents=INCIDENTS.replace("P3,Active", "P9,Gone"))
    assert messages(iset) == [
        "incidents.csv:3: severity 'P9' is not a severity (expected P1..P4, SEV-1, Sev 2, S1, "
        "Critical/High/Medium/Low, Major/Minor; severity_map adds your own words)",
        "incidents.csv:3: status 'Gone' is not a status (expected Active, Resolved, "
        "Post-Mortem (also Open, Monitoring, Closed, Postmortem, PIR))",
    ]
    # the documented synonyms (vocab.SEVERITY_WORDS, vocab.STATUS_WORDS) are read as such
    iset = problems(tmp_path, incidents=INCIDENTS.replace("P3,Active", "Sev 3,Open"))
    assert iset.incidents.loc["A-2", ["severity", "status"]].tolist() == ["P3", "Active"]


def test_table_severity_through_the_teams_map(tmp_path):
    # a team's own words, as in Markdown: severity_map wins over the vocabulary
    write(tmp_path, "incidents.csv", INCIDENTS.replace("P3,Active", "Blocker,Active"))
    write(tmp_path, "events.csv", EVENTS)
    iset = ik.load(tmp_path, severity_map={"blocker": "P1", "high": "P3"})
    assert iset.incidents.loc["A-2", "severity"] == "P1" and len(iset.problems) == 0
    write(tmp_path, "incidents.csv", INCIDENTS.replace("P1,Resolved", "High,Resolved"))
    iset = ik.load(tmp_path, severity_map={"high": "P3"})
    assert iset.incidents.loc["A-1", "severity"] == "P3"
    assert ik.load(tmp_path).incidents.loc["A-1", "severity"] == "P2"  # the default map


def test_table_severity_outside_the_scale_is_noted(tmp_path):
    iset = problems(tmp_path, incidents=INCIDENTS.replace("P1,Resolved", "SEV0,Resolved"))
    assert iset.incidents.loc["A-1", "severity"] == "P1"
    assert messages(iset) == [
        "incidents.csv:2: severity 'SEV0' is outside P1..P4: read as P1",
    ]
    assert iset.problems.iloc[0]["level"] == "warning"


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


def test_milestone_order_compares_the_first_of_each_kind_per_incident(tmp_path):
    # rows of three incidents out of file order; a second 'detected' after the resolution
    # and updates between milestones change nothing; only B-2's first resolved is early
    events = (
        "incident_id,timestamp,kind\n"
        "B-2,2026-03-04 09:30 UTC,resolved\n"
        "B-1,2026-03-04 09:00 UTC,detected\n"
        "B-3,2026-03-04 08:00 UTC,detected\n"
        "B-2,2026-03-04 10:00 UTC,detected\n"
        "B-1,2026-03-04 09:30 UTC,update\n"
        "B-1,2026-03-04 10:00 UTC,resolved\n"
        "B-2,2026-03-04 11:00 UTC,resolved\n"
        "B-1,2026-03-04 12:00 UTC,detected\n"
        "B-3,2026-03-04 07:59 UTC,update\n"
        "B-2,2026-03-04 09:00 UTC,impact_start\n"
        "B-3,2026-03-04 09:00 UTC,resolved\n"
    )
    incidents = "incident_id,severity,status\nB-1,P2,Resolved\nB-2,P2,Resolved\nB-3,P3,Resolved\n"
    iset = problems(tmp_path, incidents=incidents, events=events)
    assert messages(iset) == [
        "events.csv:2: Resolved '2026-03-04 09:30 UTC' is before Detected '2026-03-04 10:00 UTC'"
    ]
    assert iset.ids == ["B-1", "B-3"]


def test_negative_count_and_bad_percentage(tmp_path):
    iset = problems(tmp_path, incidents=INCIDENTS.replace("1200,3.5", "-5,130"))
    msgs = messages(iset)
    assert any("users_affected '-5' is negative" in m for m in msgs)
    assert any("users_affected_pct 130.0 is outside 0..100 %" in m for m in msgs)


def test_status_and_timeline_disagreeing_is_a_warning(tmp_path):
    # Resolved with no Resolved time: time to resolve is not recorded, the incident loads
    iset = problems(tmp_path, incidents=INCIDENTS.replace("P3,Active", "P3,Resolved"))
    assert messages(iset) == [
        "incidents.csv:3: Status 'Resolved' but the timeline has no Resolved time: "
        "time to resolve is not recorded"
    ]
    assert list(iset.problems["level"]) == ["warning"] and len(iset) == 2
    # Active (e.g. written "Monitoring") with a Resolved time: counted as open, spans end there
    iset = problems(tmp_path, incidents=INCIDENTS.replace("P1,Resolved", "P1,Active"))
    assert messages(iset) == [
        "incidents.csv:2: Status 'Active' but the timeline has Resolved '2026-03-04 15:00 UTC': "
        "the incident counts as open, its spans end at the recorded times"
    ]
    assert list(iset.problems["level"]) == ["warning"] and len(iset) == 2


def test_event_for_unknown_incident(tmp_path):
    iset = problems(tmp_path, events=EVENTS + "Z-9,2026-03-05T09:00:00Z,detected,,,\n")
    assert messages(iset) == ["events.csv:8: incident_id 'Z-9' in events matches no incident"]
    assert set(iset.events["incident_id"]) == {"A-1", "A-2"}


def test_strict_raises_once_with_all_problems(tmp_path):
    write(tmp_path, "incidents.csv", INCIDENTS.replace("P3,Active", "P9,Gone"))
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


def test_load_takes_paths_or_lists_of_them(tmp_path, sample):
    files = sorted(DATA.glob("*.md"))
    for given in ((files,), (iter(files),), (files[:3], *files[3:]), (DATA,)):
        iset = ik.load(*given)
        assert iset.ids == sample.ids
    with pytest.raises(ik.SourceError, match="needs at least one file or folder"):
        ik.load([])
    with pytest.raises(ik.SourceError, match=r"^3 is not a file or folder"):
        ik.load(3)


def test_every_sample_file_loads_cleanly(sample):
    assert len(sample) >= 12 and len(sample.problems) == 0
    assert set(sample.incidents["severity"].astype(str)) == {"P1", "P2", "P3", "P4"}
    assert (sample.incidents["status"] == "Active").sum() >= 2
    services = {s for lst in sample.incidents["services"] for s in lst}
    assert len(services) >= 6
    months = ik.metrics.context(sample)["month"].nunique()
    assert months >= 6


# -- blank, odd and bad cells: a bad value costs its field, a row at most, never the file --
ALL_COLUMNS = [
    "incident_id",
    *[c for c in INCIDENT_COLUMNS if c not in ("source_file", "source_line")],
]


def test_blank_and_whitespace_cells_in_every_column_load(tmp_path, capsys):
    rows = [
        ",".join(["B-1", *[""] * (len(ALL_COLUMNS) - 1)]),
        ",".join(["B-2", *["  "] * (len(ALL_COLUMNS) - 1)]),
        ",".join(["B-3", "Partial", "P2", "Resolved", *[""] * (len(ALL_COLUMNS) - 4)]),
    ]
    write(tmp_path, "incidents.csv", ",".join(ALL_COLUMNS) + "\n" + "\n".join(rows) + "\n")
    write(
        tmp_path,
        "events.csv",
        "incident_id,timestamp,kind,actor,role,description\n"
        "B-1,2026-01-01T00:00:00Z,detected,,,\n"
        "B-2,2026-01-01T00:00:00Z,detected,  ,  ,  \n"
        "B-3,2026-01-01T00:00:00Z,detected,,,\n"
        "B-3,2026-01-01T01:00:00Z,resolved,,,\n",
    )
    write(tmp_path, "action_items.csv", "incident_id,horizon,text,owner,due,done\nB-3,,Fix,,,\n")
    iset = ik.load(tmp_path, strict=True)
    assert iset.ids == ["B-1", "B-2", "B-3"]
    b2 = iset.incident("B-2")
    assert pd.isna(b2["financial_amount"]) and pd.isna(b2["has_data_loss"]) and b2["services"] == []
    assert ik.durations(iset).at["B-3", "time_to_resolve"] == pd.Timedelta(hours=1)
    item = iset.action_items.iloc[0]
    assert (item["horizon"], item["owner"], item["done"]) == ("short_term", None, False)
    # the crash of issue 10: blank financial_impact / data_loss beside filled ones
    from incident_kit.cli import main

    assert main(["metrics", str(tmp_path), "--format", "json"]) == 0
    assert '"B-3"' in capsys.readouterr().out


def test_blank_money_and_data_loss_beside_filled_ones(tmp_path):
    write(
        tmp_path,
        "incidents.csv",
        "incident_id,status,financial_impact,data_loss\n"
        "M-1,Active,,\n"
        'M-2,Active,"$1,200 in credits",none\n'
        "M-3,Active,,Two orders lost\n",
    )
    write(
        tmp_path,
        "events.csv",
        "incident_id,timestamp,kind\nM-1,2026-01-01T00:00Z,detected\n"
        "M-2,2026-01-01T00:00Z,detected\nM-3,2026-01-01T00:00Z,detected\n",
    )
    inc = ik.load(tmp_path, strict=True).incidents
    assert (
        inc.at["M-2", "financial_amount"] == 1200.0 and inc.at["M-2", "financial_currency"] == "USD"
    )
    assert (
        pd.isna(inc.at["M-1", "financial_amount"]) and inc.at["M-1", "financial_currency"] is None
    )
    assert [inc.at[i, "has_data_loss"] for i in ("M-2", "M-3")] == [False, True]
    assert pd.isna(inc.at["M-1", "has_data_loss"])


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        ("users_affected", "lots", "is not a number or percentage of users"),
        ("users_affected_pct", "most", "is not a number or percentage of users"),
        ("downtime_stated", "a while", "is not a duration"),
        ("downtime_stated", "87", "is a number without a unit"),
        ("report_date", "someday", "is not a date (e.g. 2026-03-10, March 10, 2026, 10.03.2026)"),
        ("comm_customers", "maybe", "is not true or false"),
        ("has_data_loss", "perhaps", "is not true or false"),
        ("financial_amount", "a lot", "is not an amount of money"),
    ],
)
def test_a_bad_value_costs_its_field_with_a_located_warning(tmp_path, column, value, reason):
    write(
        tmp_path, "incidents.csv", f"incident_id,status,title,{column}\nF-1,Active,Kept,{value}\n"
    )
    write(tmp_path, "events.csv", "incident_id,timestamp,kind\nF-1,2026-01-01T00:00Z,detected\n")
    with pytest.warns(ik.IncidentKitWarning):
        iset = ik.load(tmp_path)
    assert iset.ids == ["F-1"] and iset.incident("F-1")["title"] == "Kept"
    assert pd.isna(iset.incident("F-1")[column])
    (p,) = iset.problems.itertuples()
    assert (p.line, p.field, p.value, p.level) == (2, column, value, "warning")
    assert p.message.startswith(f"{column} {value!r} {reason}") and p.message.endswith("left empty")


def test_json_lines_with_numbers_for_text_and_text_for_numbers(tmp_path):
    write(
        tmp_path,
        "incidents.jsonl",
        '{"incident_id": 42, "title": 3.5, "status": "resolved", "users_affected": "1,200",'
        ' "users_affected_pct": 2, "services": "api; db", "went_well": "fast page",'
        ' "comm_customers": 1, "downtime_stated": 300, "references": {"a": 1}}\n'
        '{"incident_id": null, "title": "no id"}\n'
        "[1, 2]\n"
        "{not json\n",
    )
    write(
        tmp_path,
        "events.jsonl",
        '{"incident_id": 42, "timestamp": "2026-01-01T00:00:00Z", "kind": "detected"}\n'
        '{"incident_id": "42", "timestamp": "2026-01-01T01:00:00Z", "kind": "Resolved"}\n'
        '{"incident_id": "42", "timestamp": 1767229200, "kind": "update"}\n',
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        iset = ik.load(tmp_path)
    inc = iset.incident("42")
    assert (inc["title"], inc["users_affected"], inc["users_affected_pct"]) == ("3.5", 1200, 2.0)
    assert inc["services"] == ["api", "db"] and inc["went_well"] == ["fast page"]
    assert inc["comm_customers"] is True or inc["comm_customers"] == True  # noqa: E712
    assert pd.isna(inc["downtime_stated"]) and inc["references"] == []
    assert ik.durations(iset).at["42", "time_to_resolve"] == pd.Timedelta(hours=1)
    got = {(p.line, p.field, p.level) for p in iset.problems.itertuples() if "jsonl" in p.file}
    assert got == {
        (1, "downtime_stated", "warning"),
        (1, "references", "warning"),
        (2, "incident_id", "error"),
        (3, "line", "error"),
        (4, "line", "error"),
    }
    # a UNIX time (seconds) is read as one: 1767229200 is 2026-01-01T01:00:00Z
    update = iset.events[iset.events["kind"] == "update"]
    assert update["timestamp"].tolist() == [pd.Timestamp("2026-01-01T01:00:00Z")]


def test_a_bad_row_costs_the_row_and_lines_stay_true_after_multiline_cells(tmp_path):
    write(
        tmp_path,
        "incidents.csv",
        'incident_id,status,went_well\nR-1,Active,"quick page\nclear roles"\nR-2,Active,ok,extra,cells\n'
        ",Active,no id\nR-3,Bogus,\n",
    )
    write(
        tmp_path,
        "events.csv",
        "incident_id,timestamp,kind\nR-1,2026-01-01T00:00Z,detected\nR-3,2026-01-01T00:00Z,detected\n",
    )
    iset = ik.load(tmp_path)
    assert iset.ids == ["R-1"] and iset.incident("R-1")["went_well"] == [
        "quick page",
        "clear roles",
    ]
    assert messages(iset) == [
        "incidents.csv:4: row has 5 cells but the header has 3; row left out",
        "incidents.csv:5: incident_id '' is missing; the incident row is left out",
        "incidents.csv:6: status 'Bogus' is not a status (expected Active, Resolved, "
        "Post-Mortem (also Open, Monitoring, Closed, Postmortem, PIR))",
    ]


def test_an_unreadable_update_time_costs_the_update_a_milestone_the_incident(tmp_path):
    iset = problems(
        tmp_path,
        events=EVENTS + "A-2,yesterday,update,,,note\nA-1,,resolved,,,\n",
    )
    assert messages(iset) == [
        "events.csv:8: timestamp 'yesterday' is not a timestamp (e.g. 2026-03-04 14:05 UTC, "
        "2026-03-04T14:05:00+01:00, March 4, 2026 2:05 PM PST, 04.03.2026 14:05 CET, "
        "2026-03-04 14:05 Europe/Berlin); the update is left out",
        "events.csv:9: timestamp '' is missing",
    ]
    assert iset.ids == ["A-2"]


def test_unknown_columns_are_named_not_dropped_silently(tmp_path):
    iset = problems(
        tmp_path,
        incidents=INCIDENTS.replace("downtime_stated", "downtime_stated,ticket")
        .replace("27m\n", "27m,T-1\n")
        .replace(",,,\n", ",,,,\n"),
    )
    (p,) = iset.problems.itertuples()
    assert (p.line, p.level, p.message) == (
        1,
        "warning",
        "column 'ticket' is not an incidents column; it is not loaded",
    )


def test_lists_with_separators_round_trip_through_csv(tmp_path):
    write(
        tmp_path,
        "incidents.jsonl",
        json.dumps(
            {
                "incident_id": "L-1",
                "status": "Active",
                "services": ["a;b", "c"],
                "went_well": ["line one\nline two", "[bracketed] start"],
                "prevention": [{"text": "multi\nline", "done": True}],
            }
        )
        + "\n",
    )
    write(
        tmp_path,
        "events.jsonl",
        '{"incident_id": "L-1", "timestamp": "2026-01-01T00:00:00Z", "kind": "detected"}\n',
    )
    iset = ik.load(tmp_path, strict=True)
    for fmt in ("csv", "jsonl", "parquet"):
        ik.to_tables(iset, tmp_path / fmt, format=fmt)
        again = ik.load(tmp_path / fmt, strict=True).incident("L-1")
        assert again["services"] == ["a;b", "c"]
        assert again["went_well"] == ["line one\nline two", "[bracketed] start"]
        assert again["prevention"] == [{"text": "multi\nline", "done": True}]


def test_parquet_keeps_types_and_reads_text_columns_like_csv(tmp_path):
    frame = pd.DataFrame(
        {
            "incident_id": ["Q-1", "Q-2"],
            "status": ["resolved", "Active"],
            "users_affected": ["~1,200", None],
            "services": [["api", "db"], []],
        }
    )
    frame.to_parquet(tmp_path / "incidents.parquet")
    pd.DataFrame(
        {
            "incident_id": ["Q-1", "Q-1", "Q-2"],
            "timestamp": pd.to_datetime(
                ["2026-01-01T01:00+01:00", "2026-01-01T01:30Z", "2026-01-02T00:00Z"], utc=True
            ),
            "kind": ["detected", "resolved", "detected"],
        }
    ).to_parquet(tmp_path / "events.parquet")
    iset = ik.load(tmp_path, strict=True)
    q1 = iset.incident("Q-1")
    assert (q1["status"], q1["users_affected"], q1["services"]) == ("Resolved", 1200, ["api", "db"])
    assert ik.durations(iset, as_of="2026-02-01T00:00Z").at[
        "Q-1", "time_to_resolve"
    ] == pd.Timedelta(minutes=90)


def test_tz_abbrev_reaches_table_and_tool_times(tmp_path):
    write(tmp_path, "incidents.csv", "incident_id,status\nZ-1,Active\n")
    write(tmp_path, "events.csv", "incident_id,timestamp,kind\nZ-1,2026-03-04 14:05 IST,detected\n")
    iset = ik.load(tmp_path, tz_abbrev={"IST": "Asia/Kolkata"})
    assert iset.events.iloc[0]["timestamp"] == pd.Timestamp("2026-03-04T08:35Z")


def test_an_unreadable_milestone_gives_one_error_and_no_follow_on(tmp_path):
    # the Detected date reads two ways; the times alone after it cannot be dated for sure,
    # so an order check against the Post-Mortem line would blame the wrong line
    (tmp_path / "INC-A9.md").write_text(
        "# Incident Report: Queue stopped\n\n**Incident ID**: INC-A9\n**Severity**: P2\n"
        "**Status**: Post-Mortem\n\n## Timeline\n\n"
        "- **Detected**: 05/06/2026 22:40 CEST by support\n"
        "- **Escalated**: 23:10 CEST to Integrations on-call\n"
        "- **Resolved**: 00:20 CEST\n"
        "- **Post-Mortem**: 2026-05-07 10:00 CEST\n",
        encoding="utf-8",
    )
    iset = ik.load(tmp_path)
    assert iset.ids == []
    errors = iset.problems[iset.problems["level"] == "error"]
    assert errors[["line", "field"]].values.tolist() == [[9, "Detected"]]
    assert "6 May 2026 or 5 June 2026" in errors.iloc[0]["message"]


def test_what_a_cell_says_beside_its_value_is_kept(tmp_path):
    # a currency in the amount cell, a share beside the count, services one per line, "0"
    write(
        tmp_path,
        "incidents.csv",
        "incident_id,severity,status,services,users_affected,downtime_stated,financial_amount,"
        "financial_impact\n"
        'B-1,P2,Resolved,"api\ndb","12000 (3%)",0,"$1,200",\n'
        "B-2,P3,Resolved,search,~500,20 minutes,,EUR 3k in credits\n"
        "B-3,P3,Resolved,search,40,1h,1500,\n",
    )
    write(tmp_path, "events.csv", "incident_id,timestamp,kind\n" + "".join(
        f"B-{i},2026-03-04 14:0{i} UTC,detected\nB-{i},2026-03-04 15:0{i} UTC,resolved\n"
        for i in (1, 2, 3)
    ))  # fmt: skip
    iset = ik.load(tmp_path, strict=True)
    inc = iset.incidents
    assert inc.at["B-1", "services"] == ["api", "db"]
    assert (inc.at["B-1", "users_affected"], inc.at["B-1", "users_affected_pct"]) == (12000, 3.0)
    assert inc.at["B-1", "downtime_stated"] == pd.Timedelta(0)
    assert (inc.at["B-1", "financial_amount"], inc.at["B-1", "financial_currency"]) == (
        1200.0,
        "USD",
    )
    assert (inc.at["B-2", "financial_amount"], inc.at["B-2", "financial_currency"]) == (
        3000.0,
        "EUR",
    )
    assert inc.at["B-3", "financial_amount"] == 1500.0 and pd.isna(
        inc.at["B-3", "financial_currency"]
    )


def test_what_tools_write_into_tables(tmp_path):
    # pandas and BI marks for empty, pandas durations, a decimal comma, a zone in the header,
    # ' | ' between services, and an event kind in words nobody maps (kept as an update)
    write(
        tmp_path,
        "incidents.csv",
        "incident_id,severity,status,services,downtime_stated,financial_amount,technical_lead\n"
        'C-1,P2,Resolved,api | db,0 days 01:25:00,"12500,00",NaN\n'
        "C-2,P3,Resolved,search,null,,null\n",
    )
    write(
        tmp_path,
        "events.csv",
        "incident_id,timestamp (EST),kind\n"
        "C-1,1/14/2026 2:05 PM,detected\nC-1,1/14/2026 2:30 PM,Alert fired again\n"
        "C-1,2026-01-14 21:10 UTC,resolved\n"
        "C-2,1/15/2026 9:00 AM,detected\nC-2,1/15/2026 10:00 AM,resolved\n",
    )
    iset = ik.load(tmp_path)
    inc = iset.incidents
    assert inc.at["C-1", "services"] == ["api", "db"]
    assert inc.at["C-1", "downtime_stated"] == pd.Timedelta(minutes=85)
    assert inc.at["C-1", "financial_amount"] == 12500.0  # never 1250000
    assert pd.isna(inc.at["C-1", "technical_lead"]) and pd.isna(inc.at["C-2", "technical_lead"])
    assert pd.isna(inc.at["C-2", "downtime_stated"])
    ev = iset.events.set_index(["incident_id", "kind"])["timestamp"]
    assert ev[("C-1", "detected")] == pd.Timestamp("2026-01-14 19:05Z")  # 2:05 PM EST
    assert ev[("C-1", "resolved")] == pd.Timestamp("2026-01-14 21:10Z")  # its own zone wins
    assert ev[("C-1", "update")] == pd.Timestamp("2026-01-14 19:30Z")
    assert messages(iset) == [
        "events.csv:3: kind 'Alert fired again' is not an event kind (impact_start, detected, "
        "acknowledged, escalated, response_started, mitigated, resolved, postmortem, "
        "communication, update); kept as an update"
    ]


def test_well_formed_numbers_read_column_wise_agree_with_the_cell_parsers(tmp_path):
    # plain digits and decimals take the column-wise lane; the human forms beside them the
    # per-cell parsers: both give what a reader of the cell sees, with the same warnings
    counts = ["689", "0", "0012", "~1,200", "12k", "1 200", "999999999999", "9999999999999", " 7 "]
    pcts = ["3.5", "-0", "12", "3,5", "4 %", "1e2", "about 3%", "", "0.125"]
    amounts = ["84000", "84000.50", "12,400", "12500,00", "$84k", "-5", "1.5", "", "7"]
    rows = "".join(
        f'D-{i},P3,Resolved,"{c}","{p}","{a}"\n'
        for i, (c, p, a) in enumerate(zip(counts, pcts, amounts, strict=True))
    )
    write(
        tmp_path,
        "incidents.csv",
        "incident_id,severity,status,users_affected,users_affected_pct,financial_amount\n" + rows,
    )
    write(tmp_path, "events.csv", "incident_id,timestamp,kind\n")
    iset = ik.load(tmp_path)
    inc = iset.incidents.set_index(iset.incidents.index.str[2:].astype(int)).sort_index()
    assert inc["users_affected"].tolist() == [689, 0, 12, 1200, 12000, 1200, 999999999999, pd.NA, 7]
    assert inc["users_affected_pct"].tolist() == [
        3.5,
        0.0,
        12.0,
        3.5,
        4.0,
        100.0,
        3.0,
        pd.NA,
        0.125,
    ]
    assert inc["financial_amount"].tolist() == [
        84000.0, 84000.5, 12400.0, 12500.0, 84000.0, -5.0, 1.5, pd.NA, 7.0
    ]  # fmt: skip
    assert [m.split(": ", 1)[1] for m in messages(iset) if "users_affected " in m] == [
        "users_affected '9999999999999' is too large for a number of users; left empty"
    ]


@pytest.mark.parametrize("parser", ["count", "amount", "percentage"])
def test_the_column_wise_lane_and_the_cell_parser_give_the_same_values(parser):
    # the same cells as pyarrow text (the lane, then the parser for the rest) and as Python
    # objects (the parser for every cell): equal values, equal problems
    import numpy as np

    from incident_kit.sources import columns as C

    cells = ["1", "42", "0042", "-3", "3.25", "-0.5", "1,5", "12k", "x", "1" * 12, "1" * 13]
    cells += ["1" * 16, "0.1234567", "7.", ".5", "12 ", None, "42"]
    frames = [pd.Series(cells, dtype=pd.StringDtype("pyarrow")), pd.Series(cells, dtype=object)]
    read = []
    for col in frames:
        table = C.Table(Path("t.csv"), pd.DataFrame({"n": col}), np.arange(2, len(cells) + 2))
        values = table.parse("n", getattr(C, parser)).tolist()
        read.append(([None if pd.isna(v) else (type(v), v) for v in values], table.problems))
    assert read[0] == read[1]
    lane = C.FAST_LANES[getattr(C, parser)].match(frames[0])
    assert lane.sum() >= 3 and not lane.all()  # both paths took part


def test_blank_cells_found_from_their_edge_bytes_are_the_blank_cells():
    # pyarrow text: blanks found from each cell's first and last byte (Unicode spaces asked of
    # pyarrow); the same cells as Python objects: every cell asked of is_blank
    import numpy as np

    from incident_kit.sources import columns as C

    cells = ["a", "", " ", None, "[x]", "x]", "[x", " a", "a ", "\u00a0", "a\u3000", "é", "日本"]
    cells += ["\tq", "q\n", "[ timestamp ]", "[link](http://x)", "\u2003 ", "x\u00e9", " [TBD] "]
    col = pd.Series(cells * 3, dtype=pd.StringDtype("pyarrow"))
    for part in (col, col.iloc[5:], pd.concat([col.iloc[:7], col.iloc[7:]])):
        expected = [not C.is_blank(v) for v in part.astype(object)]
        assert C.filled_mask(part).tolist() == expected
    assert np.flatnonzero(C.filled_mask(col[:20])).tolist() == [
        0,
        5,
        6,
        7,
        8,
        10,
        11,
        12,
        13,
        14,
        16,
        18,
    ]


@pytest.mark.parametrize("sep", [";", "\t"])
def test_csv_with_the_delimiter_of_a_comma_decimal_locale(tmp_path, sep):
    incidents = INCIDENTS.replace("api; db", "api | db")
    (tmp_path / "comma").mkdir()
    (tmp_path / "other").mkdir()
    for folder, s in ((tmp_path / "comma", ","), (tmp_path / "other", sep)):
        write(folder, "incidents.csv", incidents.replace(",", s))
        write(folder, "events.csv", EVENTS.replace(",", s))
    comma, other = ik.load(tmp_path / "comma"), ik.load(tmp_path / "other")
    assert len(comma.problems) == len(other.problems) == 0
    assert other.ids == comma.ids == ["A-1", "A-2"]
    where = ["source_file"]  # the folder differs; lines and every value are the same
    assert other.incidents.drop(columns=where).equals(comma.incidents.drop(columns=where))
    assert (other.events["source"].str.replace("other", "comma") == comma.events["source"]).all()
    assert other.events.drop(columns="source").equals(comma.events.drop(columns="source"))


@pytest.mark.parametrize(
    ("header", "expected"),
    [("a,b;c", ","), ("a;b;c", ";"), ("a\tb\tc", "\t"), ('"x,y";b', ";"), ("a", ",")],
)
def test_delimiter_from_the_header(header, expected):
    from incident_kit.sources.tables import delimiter

    assert delimiter(header) == expected


def test_totals_rows_are_left_out_and_ids_that_only_look_like_them_kept(tmp_path):
    """A spreadsheet's sum row (``TOTAL``, ``Grand total``, ``Summe``) is no incident, in
    any case; IDs that merely start like a totals word (``TOT-7``, ``Summit``) are incidents."""
    write(
        tmp_path,
        "incidents.csv",
        """\
        incident_id,title,severity,users_affected
        TOT-7,Totals service down,P2,10
        Summit-1,Summit API slow,P3,5
        TOTAL,,,15
        Grand Total,,,15
        summe,,,15
        """,
    )
    write(tmp_path, "events.csv", "incident_id,timestamp,kind\nTOT-7,2026-03-04T14:05Z,detected\n")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        iset = ik.load(tmp_path)
    assert sorted(iset.ids) == ["Summit-1", "TOT-7"]
    said = iset.problems["message"].tolist()
    assert sum("is a totals row, not an incident" in m for m in said) == 3
    assert list(iset.events["incident_id"]) == ["TOT-7"]
