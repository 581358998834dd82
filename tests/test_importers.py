"""Importers of incident-tool exports: Statuspage, PagerDuty, Opsgenie, mapped CSV."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pandas as pd
import pytest

import incident_kit as ik
from incident_kit.cli import main

FIX = Path(__file__).resolve().parent / "fixtures"
SP = FIX / "statuspage_incidents.json"
PD = [FIX / "pagerduty_incidents.json", FIX / "pagerduty_log_entries.json"]
OG = FIX / "opsgenie_alerts.json"
T = pd.Timestamp
M = pd.Timedelta


def load(*paths, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ik.load(*paths, **kw)


def first(iset, iid):
    ev = iset.events[(iset.events["incident_id"] == iid) & (iset.events["kind"] != "update")]
    return ev.drop_duplicates("kind").set_index(ev.drop_duplicates("kind")["kind"].astype(str))[
        "timestamp"
    ]


def test_statuspage_milestones_across_a_dst_change():
    iset = load(SP)
    f = first(iset, "SP-p31zjtct2jer")
    assert f["impact_start"] == T("2026-03-28T23:40Z")  # +01:00 before the change
    assert f["detected"] == T("2026-03-28T23:52:10.441Z")
    assert f["acknowledged"] == T("2026-03-28T23:55Z")
    assert f["response_started"] == T("2026-03-29T00:20Z")
    assert f["mitigated"] == T("2026-03-29T01:05Z")  # +02:00 after it
    assert f["resolved"] == T("2026-03-29T01:40Z")
    d = ik.durations(iset).loc["SP-p31zjtct2jer"]
    assert d["impact_duration"] == M(hours=1, minutes=25)
    inc = iset.incident("SP-p31zjtct2jer")
    assert (inc["severity"], inc["status"], inc["services"]) == (
        "P2",
        "Resolved",
        ["API", "Dashboard"],
    )
    assert inc["references"] == ["https://stspg.io/5gk2b7"]
    updates = iset.events[
        (iset.events["incident_id"] == "SP-p31zjtct2jer")
        & (iset.events["kind"] == "communication")  # posted on the status page
    ]
    assert len(updates) == 4 and updates["source"].str.contains("#update:k1l5z9x3c7v6").any()


def test_statuspage_backfilled_incident_uses_displayed_times():
    iset = load(SP)
    d = ik.durations(iset).loc["SP-b7x9k2m4n5q1"]
    assert d["impact_duration"] == M(minutes=27)  # not the two weeks until it was typed in
    assert d["time_to_resolve"] == M(minutes=22)
    assert d["time_to_postmortem"] == M(days=18, hours=1, minutes=33)
    inc = iset.incident("SP-b7x9k2m4n5q1")
    assert (inc["severity"], inc["status"]) == ("P1", "Post-Mortem")
    assert inc["what_happened"] == "A database migration locked the orders table."


def test_statuspage_bad_record_is_a_located_problem_and_the_rest_loads():
    iset = load(SP)
    assert len(iset) == 2
    p = iset.problems.iloc[0]
    assert p["file"].endswith("statuspage_incidents.json") and "broken0000001" in p["message"]


def test_statuspage_impact_mapping_is_overridable():
    iset = load(SP, severity_map={"major": "P3"})
    assert iset.incident("SP-p31zjtct2jer")["severity"] == "P3"


def test_pagerduty_incidents_with_log_entries():
    iset = load(*PD)
    f = first(iset, "PD-PT4KHLK")
    assert f["detected"] == T("2026-03-28T23:50Z")
    assert f["acknowledged"] == T("2026-03-28T23:54Z")  # written as 00:54+01:00
    d = ik.durations(iset).loc["PD-PT4KHLK"]
    assert (d["time_to_acknowledge"], d["time_to_escalate"], d["time_to_resolve"]) == (
        M(minutes=4),
        M(minutes=15),
        M(hours=1, minutes=55),
    )
    ev = iset.events[iset.events["incident_id"] == "PD-PT4KHLK"].set_index("kind")
    assert ev.at["escalated", "role"] == "Incident Commander rotation"
    assert ev.at["update", "description"] == "Rolled back deploy 4821"
    assert ev.at["acknowledged", "actor"] == "Earline Greenholt"
    assert "notify" not in " ".join(iset.events["source"])
    inc = iset.incident("PD-PT4KHLK")
    assert (inc["severity"], inc["services"], inc["incident_commander"]) == (
        "P1",
        ["checkout-api"],
        "Earline Greenholt",
    )
    other = iset.incident("PD-PQ8B2KD")
    assert (other["severity"], other["status"]) == ("P4", "Active")  # P5 folds into P4
    assert load(*PD, severity_map={"P5": "P3"}).incident("PD-PQ8B2KD")["severity"] == "P3"
    assert "RORPHAN0000000000000000000" in iset.problems.iloc[0]["message"]


def test_opsgenie_alerts_with_report_and_logs():
    iset = load(OG)
    d = ik.durations(iset).loc["OG-1791"]
    assert (d["time_to_acknowledge"], d["time_to_resolve"]) == (M(minutes=5), M(minutes=45))
    ev = iset.events.set_index("kind")
    assert ev.at["escalated", "role"] == "Escalated to DB on-call"
    assert iset.incident("OG-1791")["severity"] == "P2"
    assert "status 'sleeping'" in iset.problems.iloc[0]["message"]


def test_mapped_csv_with_a_sidecar_mapping_and_with_keywords(tmp_path):
    iset = load(FIX / "jira.csv")
    assert ik.durations(iset).at["OPS-101", "time_to_resolve"] == M(hours=2, minutes=30)
    inc = iset.incident("OPS-102")
    assert (inc["severity"], inc["status"], inc["services"]) == ("P1", "Active", ["auth-service"])
    plain = tmp_path / "export.csv"
    plain.write_text((FIX / "jira.csv").read_text())
    mapping = {
        "Issue key": "incident_id",
        "Summary": "title",
        "Created": "detected",
        "Resolved": "resolved",
        "Status": "status",
        "status_values": {"Done": "Resolved", "In Progress": "Active"},
    }
    again = load(plain, mapping=mapping)
    assert ik.durations(again).at["OPS-101", "time_to_resolve"] == M(hours=2, minutes=30)
    with pytest.raises(
        ik.UnknownNameError, match="'Created' -> 'opened' is not an incident field or event kind"
    ):
        load(plain, mapping={"Issue key": "incident_id", "Created": "opened"})
    with pytest.raises(ik.ValidationError, match="the mapping names column 'Nope'"):
        load(plain, mapping={"Issue key": "incident_id", "Nope": "detected"}, strict=True)


def test_format_detection_and_unknown_shapes(tmp_path):
    odd = tmp_path / "odd.json"
    odd.write_text(json.dumps({"hello": "world"}))
    with pytest.raises(
        ik.ValidationError,
        match=r"odd.json is not in a known format \(markdown, mapped, tables, statuspage, pagerduty, opsgenie\)",
    ):
        load(odd, strict=True)
    forced = load(SP, format="statuspage")
    assert len(forced) == 2
    from incident_kit.sources import detect

    assert [detect(p).name for p in (SP, PD[0], PD[1], OG, FIX / "jira.csv")] == [
        "statuspage",
        "pagerduty",
        "pagerduty",
        "opsgenie",
        "mapped",
    ]


def test_linking_statuspage_and_pagerduty_gives_one_incident():
    iset = load(SP, *PD, link={"PD-PT4KHLK": "SP-p31zjtct2jer"})
    assert "PD-PT4KHLK" not in iset.ids and "SP-p31zjtct2jer" in iset.ids
    ev = iset.events[iset.events["incident_id"] == "SP-p31zjtct2jer"]
    assert (
        ev["source"].str.contains("pagerduty").any()
        and ev["source"].str.contains("statuspage").any()
    )
    assert iset.incident("SP-p31zjtct2jer")["services"] == ["API", "Dashboard", "checkout-api"]
    f = first(iset, "SP-p31zjtct2jer")  # the earliest of both tools counts
    assert f["detected"] == T("2026-03-28T23:50Z") and f["acknowledged"] == T("2026-03-28T23:54Z")
    assert f["resolved"] == T("2026-03-29T01:40Z")


def test_import_round_trip_keeps_the_events(tmp_path):
    iset = load(SP, *PD, OG)
    written = ik.sources.sync.write_folder(iset, tmp_path)
    assert all(state == "created" for _, state in written)
    again = load(tmp_path)
    assert sorted(again.ids) == sorted(iset.ids)
    key = ["incident_id", "timestamp", "kind", "actor", "description"]
    a = again.events[key].sort_values([*key[:3], "description"]).reset_index(drop=True)
    b = iset.events[key].sort_values([*key[:3], "description"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(
        ik.durations(again, as_of="2026-11-26T12:00Z").sort_index(),
        ik.durations(iset, as_of="2026-11-26T12:00Z").sort_index(),
        check_like=True,
    )


def test_reimport_updates_the_timeline_and_keeps_what_people_wrote(tmp_path):
    assert main(["import", str(SP), "-o", str(tmp_path)]) == 1  # the broken record is reported
    path = tmp_path / "SP-p31zjtct2jer.md"
    text = path.read_text()
    text = text.replace("[Root cause analysis]", "A cache node ran out of memory.")
    text = text.replace(
        "- [ ] [Action item 1] - Owner: [name] - Due: [date]",
        "- [ ] Alert on cache memory - Owner: Dana - Due: 2026-04-30",
        1,
    )
    path.write_text(text)
    changed = json.loads(SP.read_text())
    changed["incidents"][0]["resolved_at"] = "2026-03-29T03:50:00.000+02:00"
    changed["incidents"][0]["name"] = "Elevated API error rates (EU)"
    export = tmp_path / "export.json"
    export.write_text(json.dumps(changed))
    assert main(["import", str(export), "-o", str(tmp_path)]) == 1
    again = load(path)
    inc = again.incident("SP-p31zjtct2jer")
    assert inc["why_it_happened"] == "A cache node ran out of memory."
    assert inc["title"] == "Elevated API error rates (EU)"
    assert list(again.action_items["text"]) == ["Alert on cache memory"]
    assert first(again, "SP-p31zjtct2jer")["resolved"] == T("2026-03-29T01:50Z")


def test_shared_reference_links_a_report_to_the_pager(tmp_path, write_report):
    from .conftest import report_md

    (tmp_path / "r.md").write_text(
        report_md(
            "INC-9",
            title="Checkout errors",
            status="Resolved",
            timeline="""
            - **Detected**: 2026-03-28 23:52 UTC by Support
            - **Resolved**: 2026-03-29 01:45 UTC
        """,
            extra="""
            ## References

            - https://acme.pagerduty.com/incidents/PT4KHLK
        """,
        )
    )
    iset = load(tmp_path / "r.md", *PD)
    assert "PD-PT4KHLK" not in iset.ids and "INC-9" in iset.ids
    f = first(iset, "INC-9")
    assert f["detected"] == T("2026-03-28T23:50Z")  # the page came before the support ticket
    assert f["escalated"] == T("2026-03-29T00:05Z")
    assert iset.incident("INC-9")["title"] == "Checkout errors"  # the report's own fields win


def test_toml_mapping_file(tmp_path):
    export = tmp_path / "sn.jsonl"
    export.write_text(
        '{"number": "INC0010001", "short_description": "VPN down", "opened_at": "2026-01-05T08:00:00Z", '
        '"resolved_at": "2026-01-05T09:10:00Z", "state": "Resolved"}\n'
    )
    (tmp_path / "sn.toml").write_text(
        '[columns]\nnumber = "incident_id"\nshort_description = "title"\nopened_at = "detected"\n'
        'resolved_at = "resolved"\nstate = "status"\n'
    )
    iset = load(export, mapping=tmp_path / "sn.toml")
    assert ik.durations(iset).at["INC0010001", "time_to_resolve"] == M(hours=1, minutes=10)


# -- nothing lost: one bad record costs that record, with a problem naming it -------------
def _export(tmp_path, source: Path, change) -> Path:
    data = json.loads(source.read_text())
    change(data)
    path = tmp_path / source.name
    path.write_text(json.dumps(data, indent=1))
    return path


def test_statuspage_one_unreadable_time_costs_that_incident_only(tmp_path):
    def change(data):
        updates = data["incidents"][0]["incident_updates"]
        updates[2]["display_at"] = "the next morning"  # "identified": response started
        updates[1]["display_at"] = "later"  # "monitoring", but monitoring_at gives that time
        data["incidents"][1]["incident_updates"][2]["body"] = 42  # not text: kept as written

    path = _export(tmp_path, SP, change)
    iset = load(path)
    assert iset.ids == ["SP-b7x9k2m4n5q1"]
    assert first(iset, "SP-b7x9k2m4n5q1")["response_started"] == T("2026-04-02T10:12Z")
    got = iset.problems[iset.problems["incident_id"] == "SP-p31zjtct2jer"]
    assert list(got["level"]) == ["warning", "error"]
    assert got.iloc[0]["message"].startswith(
        "statuspage record p31zjtct2jer: update t7c2m9v4b1n8 display_at 'later' is not a timestamp"
    )
    bad = got.iloc[1]
    assert bad["message"].startswith(
        "statuspage record p31zjtct2jer: update r4d8s6f2g0h3 display_at 'the next morning' "
        "is not a timestamp"
    )
    assert bad["line"] == 11  # the line of the record's id


def test_pagerduty_one_bad_log_entry_costs_its_incident_only(tmp_path):
    def change(data):
        data["log_entries"][2]["created_at"] = "2026-02-30T00:00:00Z"

    def odd_incident(data):
        data["incidents"][1]["assignments"] = {"assignee": {"summary": "Bo"}}  # not a list
        data["incidents"].append("not an incident")

    entries = _export(tmp_path, PD[1], change)
    iset = load(_export(tmp_path, PD[0], odd_incident), entries)
    before = load(*PD)
    bad_entry = json.loads(PD[1].read_text())["log_entries"][2]
    lost = f"PD-{bad_entry['incident']['id']}"
    assert set(before.ids) - set(iset.ids) == {lost}
    p = iset.problems[iset.problems["incident_id"] == lost].iloc[0]
    assert p["message"].startswith(f"pagerduty record {bad_entry['id']}: created_at '2026-02-30")
    assert "pagerduty record #3: record 'not an incident' is not a JSON object" in set(
        iset.problems["message"]
    )
    odd = iset.problems[iset.problems["field"] == "assignments"].iloc[0]
    assert odd["level"] == "warning" and odd["message"].endswith("is not a list; ignored")


def test_opsgenie_one_bad_alert_costs_that_alert_only(tmp_path):
    def change(data):
        second = json.loads(json.dumps(data["data"][0]))
        second.update(id="second-alert", tinyId="1800", report={"ackTime": "soon"})
        data["data"].append(second)

    iset = load(_export(tmp_path, OG, change))
    assert iset.ids == ["OG-1791"]
    p = iset.problems[iset.problems["incident_id"] == "OG-1800"].iloc[0]
    assert p["message"] == (
        "opsgenie record second-alert: report.ackTime 'soon' is not a number of milliseconds"
    )


def test_tool_times_without_a_zone_take_default_tz_with_a_located_warning(tmp_path):
    def change(data):
        data["incidents"][1]["incident_updates"][0]["display_at"] = "2026-04-20 14:00"

    path = _export(tmp_path, SP, change)
    with pytest.warns(ik.IncidentKitWarning, match="has no time zone; assumed Europe/Berlin"):
        iset = ik.load(path, default_tz="Europe/Berlin")
    f = first(iset, "SP-b7x9k2m4n5q1")
    assert f["postmortem"] == T("2026-04-20T12:00Z")
    w = iset.problems[iset.problems["level"] == "warning"].iloc[0]
    assert (w["incident_id"], w["field"]) == ("SP-b7x9k2m4n5q1", "update q9w8e7r6t5y4 display_at")


def test_a_duplicate_id_is_an_error_also_when_the_load_merges_linked_incidents(tmp_path):
    (tmp_path / "incidents.csv").write_text(
        "incident_id,title,status\nSP-p31zjtct2jer,My copy,Resolved\n"
    )
    (tmp_path / "events.csv").write_text(
        "incident_id,timestamp,kind\nSP-p31zjtct2jer,2026-03-29T00:00:00Z,detected\n"
        "SP-p31zjtct2jer,2026-03-29T01:00:00Z,resolved\n"
    )
    iset = load(SP, *PD, tmp_path, link={"PD-PT4KHLK": "SP-p31zjtct2jer"})
    dup = iset.problems[iset.problems["field"] == "incident_id"]
    assert (
        len(dup) == 1 and "Incident ID 'SP-p31zjtct2jer' is already used" in dup.iloc[0]["message"]
    )
    assert "SP-p31zjtct2jer" not in iset.ids
    assert "PD-PT4KHLK" in iset.ids  # not merged into an ambiguous target: kept on its own


def test_a_programming_error_inside_a_reader_propagates(tmp_path, monkeypatch):
    from incident_kit.sources import FORMATS, SourceFormat

    def broken(paths, options):
        raise TypeError("a bug, not bad data")

    monkeypatch.setitem(
        FORMATS, "statuspage", SourceFormat("statuspage", "test", lambda p, h: True, broken)
    )
    with pytest.raises(TypeError, match="a bug, not bad data"):
        load(SP)


def test_bad_json_is_a_located_problem_for_that_file(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"incidents": [{"id": "x", "incident_updates": [}\n')
    iset = load(path, SP)
    p = iset.problems.iloc[0]
    assert p["file"] == str(path) and "is not valid JSON" in p["message"]
    assert len(iset) == 2  # the other export loads
