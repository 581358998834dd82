"""One focused test per form people write (issue 10), each with small examples of its own.

The hand-written corpus (test_handwritten.py) checks whole reports; these pin each form down
with values computed by hand, so a regression names the form that broke.
"""

from __future__ import annotations

import textwrap
import warnings

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import incident_kit as ik
from incident_kit import fields as F
from incident_kit import vocab
from incident_kit.sources import markdown
from incident_kit.sources.base import ReadOptions
from incident_kit.validate import validate


def report(timeline: str = "", *, head: str = "", tail: str = "", severity="P2", status="Active"):
    """A small report: title, summary, the given timeline lines and extra Markdown (the
    timeline starts on line 11 when there is no ``head``)."""
    lines = ["# Test incident", f"\n{textwrap.dedent(head).strip()}\n" if head else ""]
    lines += ["## Incident Summary", "", "**Incident ID**: T-1", f"**Severity**: {severity}"]
    lines += [f"**Status**: {status}", "", "## Timeline", "", textwrap.dedent(timeline).strip()]
    return "\n".join(lines) + "\n" + textwrap.dedent(tail)


def load(text: str, **options) -> ik.IncidentSet:
    return validate(markdown.parse(text, "t.md", ReadOptions(**options)))


def first(iset: ik.IncidentSet, kind: str, column: str = "timestamp"):
    ev = iset.events[iset.events["kind"] == kind]
    return ev.iloc[0][column] if len(ev) else None


def utc(text: str) -> pd.Timestamp:
    return pd.Timestamp(text).tz_convert("UTC")


def problems(iset: ik.IncidentSet, level: str | None = None) -> list[str]:
    p = iset.problems if level is None else iset.problems[iset.problems["level"] == level]
    return [f"{r.line}: {r.message}" for r in p.itertuples()]


# --- times --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("2026-07-09 08:30 UTC", "2026-07-09T08:30Z"),
        ("2026-07-09T08:30Z", "2026-07-09T08:30Z"),
        ("2026-07-09T08:30:15+05:30", "2026-07-09T03:00:15Z"),
        ("2026-07-09T08:30:00-0700", "2026-07-09T15:30Z"),
        ("July 9, 2026 08:30 UTC", "2026-07-09T08:30Z"),
        ("9 Jul 2026, 8:30 AM UTC", "2026-07-09T08:30Z"),
        ("9 Jul 2026, 8:30 PM UTC", "2026-07-09T20:30Z"),
        ("2026/07/09 08:30 UTC", "2026-07-09T08:30Z"),
        ("2026-07-09 08:30 (UTC)", "2026-07-09T08:30Z"),
        ("Thursday, July 9th, 2026 at 8:30am GMT", "2026-07-09T08:30Z"),
        ("09.07.2026 10:30 CEST", "2026-07-09T08:30Z"),
        ("2026-07-09 @ 04:30 EDT", "2026-07-09T08:30Z"),
        ("2026-07-09 10:30 Europe/Paris", "2026-07-09T08:30Z"),
        ("2026-07-09 08:30 UTC+0", "2026-07-09T08:30Z"),
        ("2026-07-09 14:00 UTC+5:30", "2026-07-09T08:30Z"),
        ("Jul 9 2026 1:30 AM PDT", "2026-07-09T08:30Z"),
        ("2026-07-09 4:30 AM ET", "2026-07-09T08:30Z"),  # ET follows daylight saving
        ("~2026-07-09 08:30 UTC", "2026-07-09T08:30Z"),
        ("2026-07-09 0830Z", "2026-07-09T08:30Z"),
        # an aside after the zone is not part of the time ("+0" there is no offset)
        ("2026-07-09 01:30 PDT (T+0)", "2026-07-09T08:30Z"),
        ("2026-07-09 08:30 UTC (10:30 in Paris)", "2026-07-09T08:30Z"),
        ("2026-07-09 10:30 (CEST)", "2026-07-09T08:30Z"),
        # day, month's name, two-digit year: as militaries and Oracle write
        ("09-Jul-26 0830Z", "2026-07-09T08:30Z"),
        ("9-Jul-26 09:30 BST", "2026-07-09T08:30Z"),
    ],
)
def test_timestamp_forms(written, expected):
    iset = load(report(f"- **Detected**: {written} by Grafana"))
    assert first(iset, "detected") == utc(expected), problems(iset)
    assert first(iset, "detected", "actor") == "Grafana"
    assert problems(iset, "error") == []


@pytest.mark.parametrize(
    ("abbrev", "offset"),
    [
        ("EST", "-05:00"), ("EDT", "-04:00"), ("CDT", "-05:00"), ("MST", "-07:00"),
        ("MDT", "-06:00"), ("PST", "-08:00"), ("PDT", "-07:00"), ("AKST", "-09:00"),
        ("HST", "-10:00"), ("GMT", "+00:00"), ("WET", "+00:00"), ("CET", "+01:00"),
        ("CEST", "+02:00"), ("EET", "+02:00"), ("JST", "+09:00"), ("KST", "+09:00"),
        ("AEST", "+10:00"), ("AEDT", "+11:00"), ("NZST", "+12:00"),
    ],
)  # fmt: skip
def test_zone_abbreviations_are_fixed_offsets(abbrev, offset):
    # a fixed offset, whatever the season: PST in July is still -08:00
    iset = load(report(f"- **Detected**: 2026-07-09 12:00 {abbrev}"))
    assert first(iset, "detected") == utc(f"2026-07-09T12:00{offset}")
    assert problems(iset) == []


@pytest.mark.parametrize(
    ("abbrev", "default", "names"),
    [("IST", "+05:30", "India"), ("CST", "-06:00", "US Central"), ("BST", "+01:00", "British")],
)
def test_ambiguous_abbreviations_take_a_named_default_with_a_warning(abbrev, default, names):
    iset = load(report(f"- **Detected**: 2026-01-15 09:00 {abbrev}"))
    assert first(iset, "detected") == utc(f"2026-01-15T09:00{default}")
    (warning,) = problems(iset, "warning")
    assert warning.startswith("11: Detected") and abbrev in warning and names in warning
    assert f"tz_abbrev={{'{abbrev}'" in warning


def test_tz_abbrev_overrides_and_can_name_an_iana_zone():
    text = report(
        "- **Detected**: 2026-01-15 09:00 IST\n- **Resolved**: 2026-07-15 09:00 IST",
        status="Closed",
    )
    iset = load(text, tz_abbrev={"IST": "Asia/Jerusalem"})
    assert first(iset, "detected") == utc("2026-01-15T09:00+02:00")  # winter
    assert first(iset, "resolved") == utc("2026-07-15T09:00+03:00")  # summer: IDT
    assert problems(iset) == []
    iset = load(report("- **Detected**: 2026-01-15 09:00 IST"), tz_abbrev={"ist": "+01:00"})
    assert first(iset, "detected") == utc("2026-01-15T08:00Z")


def test_ik_load_passes_tz_abbrev(tmp_path):
    (tmp_path / "t.md").write_text(report("- **Detected**: 2026-01-15 09:00 CST"), "utf-8")
    iset = ik.load(tmp_path, tz_abbrev={"CST": "Asia/Shanghai"})
    assert first(iset, "detected") == utc("2026-01-15T01:00Z") and len(iset.problems) == 0


def test_ambiguous_numeric_date_is_an_error_naming_both_readings():
    iset = load(
        report("- **Detected**: 05/06/2026 10:00 UTC\n- **Resolved**: 2026-05-06 11:00 UTC")
    )
    assert len(iset) == 0
    (error,) = problems(iset, "error")
    assert error.startswith("11: Detected '05/06/2026 10:00 UTC' is an ambiguous date")
    assert "6 May 2026" in error and "5 June 2026" in error
    # a day above 12 decides it
    for written in ("05/26/2026 10:00 UTC", "26/05/2026 10:00 UTC"):
        assert first(load(report(f"- **Detected**: {written}")), "detected") == utc(
            "2026-05-26T10:00Z"
        )


def test_time_alone_takes_the_date_of_the_line_before_and_rolls_past_midnight():
    iset = load(
        report(
            """
            - **Impact Started**: 2026-10-03 22:40 CEST
            - **Detected**: 22:55 CEST by on-call
            - **Mitigated**: 00:10 CEST
            - **Resolved**: 7:45 AM CEST
            """,
            status="Resolved",
        )
    )
    assert first(iset, "detected") == utc("2026-10-03T22:55+02:00")
    assert first(iset, "mitigated") == utc("2026-10-04T00:10+02:00")  # earlier clock: next day
    assert first(iset, "resolved") == utc("2026-10-04T07:45+02:00")
    assert problems(iset) == []


def test_time_in_brackets_before_the_milestone_as_tools_write_it():
    iset = load(
        report(
            """
            - [2026-08-04 14:05:09 UTC] **Detected** by Grafana OnCall
            - [14:07:30 UTC] **Acknowledged** by Nadia Haddad
            - (14:18 UTC) Escalated to Streaming on-call
            - [14:30 UTC] restarted the consumers
            """
        )
    )
    assert first(iset, "detected") == utc("2026-08-04T14:05:09Z")
    assert first(iset, "detected", "actor") == "Grafana OnCall"
    assert first(iset, "acknowledged") == utc("2026-08-04T14:07:30Z")
    assert first(iset, "acknowledged", "actor") == "Nadia Haddad"
    assert first(iset, "escalated", "role") == "Streaming on-call"
    assert first(iset, "update", "description") == "restarted the consumers"
    assert problems(iset) == []


def test_time_alone_before_any_date_takes_the_detected_lines_date():
    iset = load(
        report(
            """
            - **Impact Started**: 06:50 UTC
            - **Detected**: 2026-02-02 07:05 UTC
            """
        )
    )
    assert first(iset, "impact_start") == utc("2026-02-02T06:50Z")


def test_incident_date_written_once_dates_times_alone():
    iset = load(
        report("- **Detected**: 14:05 UTC\n- **Resolved**: 15:10 UTC", head="**Date**: 4 Feb 2026"),
    )
    assert first(iset, "detected") == utc("2026-02-04T14:05Z")
    assert first(iset, "resolved") == utc("2026-02-04T15:10Z")


def test_time_without_zone_takes_default_tz_with_a_located_warning():
    iset = load(report("- **Detected**: 2026-02-02 07:05 by Bob"), default_tz="America/Chicago")
    assert first(iset, "detected") == utc("2026-02-02T07:05-06:00")
    assert problems(iset) == [
        "11: Detected '2026-02-02 07:05' has no time zone; assumed America/Chicago"
    ]


def test_post_mortem_written_as_a_date_reads_as_the_start_of_that_day():
    iset = load(report("- **Detected**: 2026-02-02 07:05 UTC\n- **Post-Mortem**: Feb 6, 2026"))
    assert first(iset, "postmortem") == utc("2026-02-06T00:00Z")
    assert "has no time of day: read as 00:00 UTC" in problems(iset, "warning")[0]


# --- severity and status --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("written", "level"),
    [
        ("P1", "P1"), ("p2", "P2"), ("SEV-1", "P1"), ("Sev 2", "P2"), ("SEV3", "P3"), ("S1", "P1"),
        ("Severity 4", "P4"), ("P2 - High", "P2"), ("P2 (major)", "P2"), ("High (P1)", "P1"),
        ("Critical", "P1"), ("high", "P2"), ("Major", "P2"), ("Medium", "P3"), ("moderate", "P3"),
        ("Minor", "P3"), ("LOW", "P4"), ("**P3**", "P3"),
    ],
)  # fmt: skip
def test_severity_forms(written, level):
    iset = load(report("- **Detected**: 2026-02-02 07:05 UTC", severity=written))
    assert iset.incidents.at["T-1", "severity"] == level
    assert problems(iset) == []


@pytest.mark.parametrize(("written", "level"), [("P0", "P1"), ("SEV0", "P1"), ("P5", "P4")])
def test_severity_outside_the_scale_is_read_as_the_nearest_with_a_warning(written, level):
    iset = load(report(severity=written))
    assert iset.incidents.at["T-1", "severity"] == level
    assert problems(iset) == [f"6: Severity '{written}' is outside P1..P4: read as {level}"]


def test_severity_map_overrides_for_markdown_and_unmapped_is_an_error():
    assert (
        load(report(severity="Sev-A"), severity_map={"sev-a": "P1"}).incidents.at["T-1", "severity"]
        == "P1"
    )
    assert (
        load(report(severity="Minor"), severity_map={"Minor": "P4"}).incidents.at["T-1", "severity"]
        == "P4"
    )
    iset = load(report(severity="Purple"))
    assert len(iset) == 0 and problems(iset, "error")[0].startswith(
        "6: Severity 'Purple' is not a severity"
    )


@pytest.mark.parametrize(
    ("written", "status"),
    [
        ("active", "Active"), ("Investigating", "Active"), ("Monitoring", "Active"),
        ("Mitigated", "Active"), ("Resolved", "Resolved"), ("closed", "Resolved"),
        ("Closed - fixed in 4.2", "Resolved"), ("Postmortem", "Post-Mortem"),
        ("Post-mortem", "Post-Mortem"), ("post mortem", "Post-Mortem"), ("PIR", "Post-Mortem"),
        ("Postmortem complete", "Post-Mortem"), ("In review", "Post-Mortem"),
    ],
)  # fmt: skip
def test_status_forms(written, status):
    iset = load(report("- **Resolved**: 2026-02-02 09:00 UTC", status=written))
    assert iset.incidents.at["T-1", "status"] == status


# --- timeline lines -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("line", "actor", "role", "description"),
    [
        ("- **Detected**: 2026-02-02 07:05 UTC by PagerDuty", "PagerDuty", None, None),
        ("- **Detected**: 2026-02-02 07:05 UTC by: Alice Ng", "Alice Ng", None, None),
        ("- **Detected**: 2026-02-02 07:05 UTC (by Alice Ng)", "Alice Ng", None, None),
        ("- **Detected**: 2026-02-02 07:05 UTC - by Alice Ng", "Alice Ng", None, None),
        ("- **Detected**: 2026-02-02 07:05 UTC, by Alice", "Alice", None, None),
        ("- **Detected**: 2026-02-02 07:05 UTC by [Monitoring System/Person]", None, None, None),
        ("- **Detected**: 2026-02-02 07:05 UTC via Datadog monitor", "Datadog monitor", None, None),
        ("- **Detected**: 2026-02-02 07:05 UTC to SRE on-call", None, "SRE on-call", None),
        ("- **Detected**: 2026-02-02 07:05 UTC to SRE by Bob", "Bob", "SRE", None),
        ("- **Detected**: 2026-02-02 07:05 UTC - paged the DB team to help", None, None, "paged the DB team to help"),
        ("- **Detected:** 2026-02-02 07:05 UTC by Zoë Ødegård", "Zoë Ødegård", None, None),
        # who, written after the time with no "by": a short name
        ("- **Detected**: 2026-02-02 07:05 UTC — Pingdom", "Pingdom", None, None),
        ("- **Detected**: 2026-02-02 07:05 UTC (CloudWatch alarm)", "CloudWatch alarm", None, None),
        # "an" is an English article, never "to" (German "an" is read in table headers only)
        ("- **Detected**: 2026-02-02 07:05 UTC after an alert storm", None, None, "after an alert storm"),
        ("- 2026-02-02 07:05 UTC **Detected** (CloudWatch alarm)", "CloudWatch alarm", None, None),
        ("- Detected: 2026-02-02 07:05 UTC by Bob", "Bob", None, None),
        ("* __Detected__: 2026-02-02 07:05 UTC by Bob", "Bob", None, None),
        ("1. **detected**: 2026-02-02 07:05 UTC by Bob", "Bob", None, None),
    ],
)  # fmt: skip
def test_timeline_line_forms(line, actor, role, description):
    iset = load(report(line))
    assert first(iset, "detected") == utc("2026-02-02T07:05Z"), problems(iset)
    row = iset.events.iloc[0]
    assert (row["actor"], row["role"], row["description"]) == (actor, role, description)


def test_placeholders_left_in_the_timeline_are_unknown_not_errors():
    iset = load(
        report(
            """
            - **Detected**: 2026-02-02 07:05 UTC by [person/system]
            - **Escalated**: [timestamp] to [role]
            - **Resolved**: TBD
            """,
            status="Active",
        )
    )
    assert list(iset.events["kind"]) == ["detected"] and problems(iset) == []


def test_unreadable_milestone_is_one_error_on_its_line_and_nothing_else():
    iset = load(report("- **Detected**: 2026-02-02 07:05 UTC\n- **Resolved**: after lunch"))
    assert len(iset) == 0
    assert len(problems(iset)) == 1 and problems(iset)[0].startswith("12: Resolved 'after lunch'")


def test_milestones_out_of_order_quote_the_time_as_written():
    iset = load(
        report("- **Detected**: Feb 2, 2026 9:05 AM PST\n- **Resolved**: Feb 2, 2026 8:00 AM PST")
    )
    assert len(iset) == 0
    assert problems(iset, "error") == [
        "12: Resolved 'Feb 2, 2026 8:00 AM PST' (2026-02-02 16:00 UTC) is before "
        "Detected 'Feb 2, 2026 9:05 AM PST' (2026-02-02 17:05 UTC)"
    ]


def test_detailed_timeline_table_with_kind_words_people_use():
    iset = load(
        report(
            """
            - **Detected**: 2026-02-02 07:05 UTC

            ### Detailed Timeline

            | When (UTC) | Type | Who | What |
            |---|---|---|---|
            | 2026-02-02 07:10 | action | Bob | drained node-3 |
            | 07:20 | Mitigated | Bob | traffic back to normal |
            | 07:25 | status page | Ana | posted an update |
            | 07:40 | Resolved |  |  |
            """,
            status="Resolved",
        )
    )
    ev = iset.events.set_index("kind")
    assert ev.at["update", "description"] == "drained node-3"
    assert ev.at["mitigated", "timestamp"] == utc("2026-02-02T07:20Z")
    assert ev.at["communication", "actor"] == "Ana"
    assert ev.at["resolved", "timestamp"] == utc("2026-02-02T07:40Z")
    assert problems(iset) == []  # the header's (UTC) is the zone of the cells


# --- impact -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("written", "count", "pct"),
    [
        ("~12,000", 12000, None), ("12k", 12000, None), ("1.2M", 1200000, None),
        ("12000 (3%)", 12000, 3.0), ("~7,500 users (0.4%)", 7500, 0.4),
        ("about 3% of users", None, 3.0), ("under 1% of requests", None, 1.0),
        ("none", 0, None), ("0", 0, None), ("None (internal tooling only)", 0, None),
        ("N/A", None, None), ("unknown", None, None), ("TBD", None, None), ("?", None, None),
        ("12.000 Kunden", 12000, None), ("ca. 6,800 (11%)", 6800, 11.0),
        ("yaklaşık 320.000 abone (%4,2)", 320000, 4.2),  # the sign before the number
        # prose: the figures after the first sentence describe other things
        ("Roughly 6% of active users. Mostly shards with more than 50k documents.", None, 6.0),
        ("~12,000 in eu-west-1", 12000, None), ("Nil", 0, None),
    ],
)  # fmt: skip
def test_users_affected_forms(written, count, pct):
    iset = load(report(tail=f"\n## Impact\n\n- **Users Affected**: {written}\n"))
    inc = iset.incidents.loc["T-1"]
    assert (None if pd.isna(inc["users_affected"]) else int(inc["users_affected"])) == count
    assert (None if pd.isna(inc["users_affected_pct"]) else float(inc["users_affected_pct"])) == pct
    assert inc["users_affected_text"] == written  # the page shows it as written
    assert problems(iset) == []


@pytest.mark.parametrize(
    ("written", "seconds"),
    [
        ("1h 27m", 5220), ("1h27m", 5220), ("87 minutes", 5220), ("1.5 hours", 5400),
        ("01:27:00", 5220), ("1:27", 5220), ("1 hour 27 min", 5220), ("~90 min", 5400),
        ("2 hrs 5 mins", 7500), ("PT1H27M", 5220), ("none (degraded only)", 0), ("0", 0),
        ("No downtime", 0), ("45s", 45), ("2 days", 172800), ("N/A", None), ("unknown", None),
        ("1:40h", 6000), ("2:05 hours", 7500), ("1:40 min", 100),
        ("3.1:40h", None),  # never a part of what was written (was 40 h)
        ("about an hour and a half", 5400), ("two hours", 7200), ("half an hour", 1800),
        ("two and a half hours", 9000), ("1h43m（約1時間43分）", 6180), ("Nil", 0),
    ],
)  # fmt: skip
def test_downtime_forms(written, seconds):
    iset = load(report(tail=f"\n## Impact\n\n- **Downtime Duration**: {written}\n"))
    got = iset.incidents.at["T-1", "downtime_stated"]
    assert (None if pd.isna(got) else got.total_seconds()) == seconds
    assert iset.incidents.at["T-1", "downtime_text"] == written


@pytest.mark.parametrize(
    ("written", "amount", "currency"),
    [
        ("$12,400", 12400.0, "USD"), ("€3k", 3000.0, "EUR"), ("£1.2M", 1_200_000.0, "GBP"),
        ("~USD 50,000 in SLA credits", 50000.0, "USD"), ("12,400 EUR", 12400.0, "EUR"),
        ("CHF 900 (refunds)", 900.0, "CHF"), ("₹2 lakh", 200_000.0, "INR"),
        ("214 orders honoured at old prices", None, None), ("None", None, None),
        ("$185,000 MXN on 1,380 orders", 185000.0, "MXN"), ("$1,200 CAD", 1200.0, "CAD"),
        ("N/A", None, None),
    ],
)  # fmt: skip
def test_money_only_where_a_currency_is_written(written, amount, currency):
    iset = load(report(tail=f"\n## Impact\n\n- **Financial Impact**: {written}\n"))
    inc = iset.incidents.loc["T-1"]
    assert (None if pd.isna(inc["financial_amount"]) else inc["financial_amount"]) == amount
    assert (None if pd.isna(inc["financial_currency"]) else inc["financial_currency"]) == currency
    assert inc["financial_impact"] == written


@pytest.mark.parametrize(
    ("written", "loss"),
    [("None", False), ("No", False), ("N/A", False), ("No data lost (replayed)", False),
     ("3 minutes of metrics are gone", True), ("Yes - 40 rows", True), ("TBD", None),
     ("Unsent drafts (no server-side data affected)", True), ("Some unsaved edits", True),
     ("40 rows were overwritten; re-ingest is still pending", True), ("Nil", False)],
)  # fmt: skip
def test_data_loss_forms(written, loss):
    iset = load(report(tail=f"\n## Impact\n\n- **Data Loss**: {written}\n"))
    got = iset.incidents.at["T-1", "has_data_loss"]
    assert (None if pd.isna(got) else bool(got)) is loss


@pytest.mark.parametrize(
    ("label", "value", "column"),
    [
        ("Users Affected", "loads of people", "users_affected"),
        ("Downtime Duration", "most of the morning", "downtime_stated"),
        ("Financial Impact", "$10-15k", "financial_amount"),
    ],
)
def test_unreadable_impact_value_costs_that_field_only(label, value, column):
    iset = load(
        report(
            "- **Detected**: 2026-02-02 07:05 UTC", tail=f"\n## Impact\n\n- **{label}**: {value}\n"
        )
    )
    assert iset.ids == ["T-1"] and pd.isna(iset.incidents.at["T-1", column])
    (warning,) = problems(iset, "warning")
    assert warning.startswith(f"15: {label} '{value}' ")


# --- structure ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "heading",
    ["## Timeline", "# ⏱️ Timeline", "### timeline:", "## TIMELINE", "## Timeline (UTC)",
     "## 2. Timeline", "Timeline\n--------", "#### Incident Timeline"],
)  # fmt: skip
def test_headings_at_any_level_with_emoji_colon_or_case(heading):
    text = report().replace("## Timeline", heading) + "- **Detected**: 2026-02-02 07:05 UTC\n"
    assert first(load(text), "detected") == utc("2026-02-02T07:05Z")


@pytest.mark.parametrize(
    "line",
    [
        "**Severity**: P3",
        "**Severity:** P3",
        "Severity: P3",
        "- **Severity**: P3",
        "__Severity__: P3",
    ],
)
def test_label_forms(line):
    text = report().replace("**Severity**: P2", line)
    assert load(text).incidents.at["T-1", "severity"] == "P3"


def test_crlf_tabs_bom_and_non_ascii(tmp_path):
    text = (
        "\ufeff# Ödeme hatası\r\n\r\n## Incident Summary\r\n\r\n**Incident ID**: Ü-7\r\n"
        "## Timeline\r\n\r\n-\t**Detected**:\t2026-02-02 07:05 UTC by Zoë\r\n"
        "## Team\r\n\r\n- **Incident Commander**: José Ñúñez\r\n"
    )
    path = tmp_path / "x.md"
    path.write_bytes(text.encode("utf-8"))
    iset = ik.load(path)
    assert iset.ids == ["Ü-7"]
    inc = iset.incidents.loc["Ü-7"]
    assert inc["title"] == "Ödeme hatası" and inc["incident_commander"] == "José Ñúñez"
    assert first(iset, "detected", "actor") == "Zoë"
    assert iset.events.iloc[0]["source"].endswith("x.md:8")


def test_sections_deleted_or_reordered():
    text = """# Reordered

## Team
- Incident Commander: Ana

## Root Cause
The queue filled up.

## Incident Summary
Incident ID: R-1
Severity: P4

## Timeline
- Resolved: 2026-02-02 09:00 UTC
- Detected: 2026-02-02 08:00 UTC
"""
    iset = load(text)
    inc = iset.incidents.loc["R-1"]
    assert (inc["severity"], inc["incident_commander"]) == ("P4", "Ana")
    assert inc["why_it_happened"] == "The queue filled up."
    assert first(iset, "resolved") == utc("2026-02-02T09:00Z")


# --- action items -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("line", "text", "owner", "due", "done"),
    [
        ("- [ ] Add an alert - Owner: Ana - Due: 2026-03-10", "Add an alert", "Ana", "2026-03-10", False),
        ("- [x] Add an alert - Owner: @ana - Due: 2026-03-10", "Add an alert", "ana", "2026-03-10", True),
        ("- [X] Add an alert Owner: @ana", "Add an alert", "ana", None, True),
        ("- [ ] Add an alert (owner: Bob Nguyen, due 2026-03-10)", "Add an alert", "Bob Nguyen", "2026-03-10", False),
        ("- [ ] Add an alert @carol - 2026-03-06", "Add an alert", "carol", "2026-03-06", False),
        ("- [ ] Add an alert - @carol - 2026-03-06", "Add an alert", "carol", "2026-03-06", False),
        ("- [ ] Add an alert — Dev Patel, by Apr 30", "Add an alert", "Dev Patel", "2026-04-30", False),
        ("- [ ] Add an alert [owner: Eve] [due: 2026-03-12]", "Add an alert", "Eve", "2026-03-12", False),
        ("- [ ] ~~Add an alert~~ - Owner: Ana", "Add an alert", "Ana", None, True),
        ("- ~~Add an alert~~", "Add an alert", None, None, True),
        ("- Add an alert, owner: Ana, due: March 10", "Add an alert", "Ana", "2026-03-10", False),
        ("- [ ] Add an alert (@ana, 3/17/2026)", "Add an alert", "ana", "2026-03-17", False),
        ("- ✅ Add an alert - Owner: Ana", "Add an alert", "Ana", None, True),
        ("- [ ] Split the queue - a big one - Owner: Ana", "Split the queue - a big one", "Ana", None, False),
        # a date with a comma and a year stays one date
        ("1. ~~Add an alert~~ (owner: Dev Okafor, due January 13, 2026)", "Add an alert", "Dev Okafor", "2026-01-13", True),
        ("- Add an alert — Dev Patel, by March 4, 2026", "Add an alert", "Dev Patel", "2026-03-04", False),
        # (name, date) after the text, the date ISO or day-month-year
        ("1. Add an alert (Wei Jie, 2026-03-28)", "Add an alert", "Wei Jie", "2026-03-28", False),
        ("1. Add an alert (Sneha Iyer, 14-08-2026)", "Add an alert", "Sneha Iyer", "2026-08-14", False),
    ],
)  # fmt: skip
def test_action_item_forms(line, text, owner, due, done):
    iset = load(
        report("- **Detected**: 2026-03-04 07:05 UTC", tail=f"\n## Action Items\n\n{line}\n")
    )
    (item,) = iset.action_items.to_dict("records")
    got_due = None if pd.isna(item["due"]) else item["due"].strftime("%Y-%m-%d")
    assert (item["text"], item["owner"], got_due, item["done"]) == (text, owner, due, done)
    assert pd.isna(item["horizon"])  # straight under Action Items: horizon unknown


def test_action_items_under_horizon_headings_and_without():
    tail = """
## ✅ Action Items

- [ ] Loose item

### Immediate:
- [x] Now item

### Short-term (next sprint)
- [ ] Soon item

### Long Term (Next month)
- [ ] [Action item 1] - Owner: [name] - Due: [date]
"""
    items = load(report(tail=tail)).action_items
    assert list(items["text"]) == ["Loose item", "Now item", "Soon item"]
    assert [None if pd.isna(h) else h for h in items["horizon"]] == [
        None,
        "immediate",
        "short_term",
    ]


def test_due_without_a_year_is_in_the_incidents_year():
    tail = (
        "\n## Action Items\n\n- [ ] A - Owner: x - Due: Jan 5\n- [ ] B - Owner: y - Due: Dec 30\n"
    )
    items = load(report("- **Detected**: 2025-12-30 22:00 UTC", tail=tail)).action_items
    assert list(items["due"].dt.strftime("%Y-%m-%d")) == ["2026-01-05", "2025-12-30"]


def test_unreadable_due_costs_the_due_only():
    tail = "\n## Action Items\n\n- [ ] Fix it - Owner: Ana - Due: when we can\n"
    iset = load(report(tail=tail))
    (item,) = iset.action_items.to_dict("records")
    assert (item["text"], item["owner"]) == ("Fix it", "Ana") and pd.isna(item["due"])
    assert problems(iset, "warning")[0].startswith("15: Due 'when we can' is not a date")


# --- nothing lost -----------------------------------------------------------------------------
def test_code_tables_links_and_extra_sections_are_kept():
    tail = """
## Root Cause Analysis

### What Happened

The [deploy](https://ci.example/run/9) broke it:

```
ERROR pool exhausted (64/64)
```

| node | state |
|------|-------|
| db-1 | down  |

## 📣 Customer Communication

We emailed 40 accounts at 10:05.

## Graphs

![p99](https://grafana.example/p99.png)
"""
    iset = load(report("- **Detected**: 2026-02-02 07:05 UTC", tail=tail))
    inc = iset.incidents.loc["T-1"]
    assert "[deploy](https://ci.example/run/9)" in inc["what_happened"]
    assert "ERROR pool exhausted (64/64)" in inc["what_happened"]
    assert "| db-1 | down  |" in inc["what_happened"]
    assert inc["extra_sections"].startswith("## 📣 Customer Communication\n\nWe emailed 40")
    assert "## Graphs" in inc["extra_sections"] and "p99.png" in inc["extra_sections"]
    assert list(iset.events["kind"]) == ["detected"]  # the table in Root Cause is narrative


def test_text_without_a_field_is_kept_as_a_note_with_a_located_warning():
    tail = "\n## Impact\n\n- **Users Affected**: 10\n- **Regions**: eu-west-1, eu-central-1\n"
    iset = load(report("- **Detected**: 2026-02-02 07:05 UTC\n\nAll times are UTC.", tail=tail))
    inc = iset.incidents.loc["T-1"]
    assert any("All times are UTC." in n for n in inc["notes"])
    assert any("eu-west-1, eu-central-1" in n and n.startswith("## Impact") for n in inc["notes"])
    (warning,) = problems(iset, "warning")
    assert warning.startswith("18: Impact: '**Regions**: eu-west-1, eu-central-1'")
    assert "kept as a note" in warning


def test_summary_prose_is_kept():
    text = report(head="> Short version: the cache fell over.").replace(
        "**Status**: Active", "**Status**: Active\n\nA deploy emptied the cache at 09:00."
    )
    inc = load(text).incidents.loc["T-1"]
    assert "Short version: the cache fell over." in inc["summary"]
    assert "A deploy emptied the cache at 09:00." in inc["summary"]


def test_vocabulary_is_the_one_the_writer_uses():
    # every section title and label the writer writes reads back as itself
    for section in vocab.SECTIONS:
        assert vocab.section_key(f"## {section.title}") == section.key
        for part in section.parts:
            assert vocab.part_column(section.key, part.title) == part.column
    for label in vocab.LABELS:
        assert vocab.field_key(label.title) == label.column
    for kind, label in vocab.MILESTONE_LABELS.items():
        assert vocab.milestone_kind(label) == kind and vocab.kind_name(label) == kind


def test_parse_times_is_vectorized_and_keeps_its_shape():
    values = pd.Series(["2026-03-04T14:05:00Z", None, "N/A", "2026-03-04 14:05", "14:05 UTC", "x"])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        times, errors, notes = F.parse_times(values, "Europe/Berlin")
    assert times[0] == utc("2026-03-04T14:05Z") and times[3] == utc("2026-03-04T13:05Z")
    assert [e is None for e in errors] == [True, True, True, True, False, False]
    assert notes[3] == "has no time zone; assumed Europe/Berlin"
    assert errors[4] == "has a time but no date (e.g. 2026-03-04 14:05 UTC)"


# --- headings and labels written another way ----------------------------------------------------
@pytest.mark.parametrize("heading", ["**Timeline**", "__Timeline__", "Timeline:", "**Timeline:**"])
def test_a_heading_written_without_hashes(heading):
    text = report().replace("## Timeline", heading) + "- **Detected**: 2026-02-02 07:05 UTC\n"
    assert first(load(text), "detected") == utc("2026-02-02T07:05Z")


@pytest.mark.parametrize("line", ["_Severity: P3_", "*Severity: P3*", "_**Severity**: P3_"])
def test_a_labelled_line_in_italics(line):
    assert load(report().replace("**Severity**: P2", line)).incidents.at["T-1", "severity"] == "P3"


def test_a_zone_named_in_the_timeline_heading_is_the_zone_of_its_times():
    text = report("- **Detected**: 2026-02-02 07:05").replace("## Timeline", "## Timeline (PST)")
    iset = load(text)
    assert first(iset, "detected") == utc("2026-02-02T15:05Z")
    assert not any("no time zone" in p for p in problems(iset))


@pytest.mark.parametrize(
    ("line", "kind", "actor"),
    [
        ("- 07:05 UTC — Detected by PagerDuty", "detected", "PagerDuty"),
        ("- **07:05 UTC** Acknowledged by Jonas", "acknowledged", "Jonas"),
        ("07:05 UTC - Mitigated: rolled back to v6", "mitigated", None),
        ("- 07:05 UTC - paged the on-call", "update", None),
    ],
)
def test_a_time_first_line_that_names_a_milestone(line, kind, actor):
    iset = load(report(f"**Date**: 2026-02-02\n\n{line}"))
    assert first(iset, kind) == utc("2026-02-02T07:05Z")
    assert first(iset, kind, "actor") == actor


def test_a_timeline_table_row_saying_by_whom():
    table = """\
        ### Detailed Timeline

        | Time (UTC) | Event | Notes |
        | --- | --- | --- |
        | 2026-02-02 07:05 | Detected | by Jonas |
        """
    iset = load(report(tail=table))
    assert first(iset, "detected", "actor") == "Jonas"


@pytest.mark.parametrize(
    "line", ["- Maria Lopez (Incident Commander)", "- Incident Commander — Maria Lopez"]
)
def test_team_written_as_name_and_role(line):
    iset = load(report(tail=f"\n## Team\n\n{line}\n"))
    assert iset.incidents.at["T-1", "incident_commander"] == "Maria Lopez"


# --- digits as people group them: read whole, or not at all --------------------------------------
@pytest.mark.parametrize(
    ("written", "count", "pct"),
    [
        ("≈ 40 000", 40000, None), ("~40\u2009000 users", 40000, None),
        ("40\u00a0000 (3 %)", 40000, 3.0), ("40\u202f000", 40000, None),
        ("1,20,000", 120000, None), ("12,34,567 customers", 1234567, None),
        ("40.000 Nutzer", 40000, None), ("18.500 clientes (4,2% do total)", 18500, 4.2),
        ("1.234.567", 1234567, None), ("12'500 Kunden", 12500, None),
        ("~1,2 Mio. Nutzer", 1200000, None), ("2 400 users out of 60 000", 2400, None),
        ("3,5k", 3500, None), ("12 000 000", 12000000, None),
    ],
)  # fmt: skip
def test_users_with_other_digit_groupings(written, count, pct):
    assert F.parse_users(written) == (count, pct)


@pytest.mark.parametrize(
    "written",
    ["1 2", "12 0000", "1,2,3", "12.34.567", "about 40,000-50,000", "40 000 – 50 000",
     "3-5% of users", "40 mil usuarios", "1.5"],
)  # fmt: skip
def test_a_count_that_cannot_be_read_whole_is_unknown_with_a_located_warning(written):
    iset = load(report(tail=f"\n## Impact\n\n- **Users Affected**: {written}\n"))
    inc = iset.incidents.loc["T-1"]
    assert pd.isna(inc["users_affected"]) and pd.isna(inc["users_affected_pct"])
    (warning,) = problems(iset, "warning")
    assert warning.startswith(f"15: Users Affected '{written}' ")
    assert iset.problems.iloc[0]["file"] == "t.md"


@pytest.mark.parametrize(
    ("written", "amount", "currency"),
    [
        ("R$ 12.400,00", 12400.0, "BRL"), ("INR 18,50,000", 1850000.0, "INR"),
        ("2.300 €", 2300.0, "EUR"), ("CHF 1'200", 1200.0, "CHF"), ("¥1,2 Mio", 1.2e6, "JPY"),
        ("€ 1.234,56 (Gutschriften)", 1234.56, "EUR"), ("1.200,50 EUR", 1200.5, "EUR"),
        ("SEK 4\u00a0500", 4500.0, "SEK"), ("US$ 2,5 Mrd", 2.5e9, "USD"),
        ("Rs. 4,50,000", 450000.0, "INR"), ("12 400 zł", 12400.0, "PLN"),
        ("≈ $40 000 in credits", 40000.0, "USD"), ("500 reais", 500.0, "BRL"),
        ("1.500 € (davon 0,50 € Gebühren)", 1500.0, "EUR"),  # dot thousands, comma decimals
    ],
)  # fmt: skip
def test_money_with_other_currency_marks_and_groupings(written, amount, currency):
    iset = load(report(tail=f"\n## Impact\n\n- **Financial Impact**: {written}\n"))
    inc = iset.incidents.loc["T-1"]
    assert (inc["financial_amount"], inc["financial_currency"]) == (amount, currency)
    assert problems(iset) == []


def test_a_currency_mark_naming_several_reads_the_amount_and_says_so():
    iset = load(report(tail="\n## Impact\n\n- **Financial Impact**: kr 4 500\n"))
    inc = iset.incidents.loc["T-1"]
    assert inc["financial_amount"] == 4500.0 and pd.isna(inc["financial_currency"])
    (warning,) = problems(iset, "warning")
    assert "SEK, NOK, DKK or ISK" in warning


@pytest.mark.parametrize(
    "written",
    ["€ 12.34.56", "$1,2,3", "USD 12 0000", "$10 mil", "$10-15k", "€ 2 – 3 Mio",
     "1,500 € (davon 0,50 € Gebühren)", "$12.400 (about $0.50 per order)"],
)  # fmt: skip
def test_money_that_cannot_be_read_whole_is_unknown_with_a_warning(written):
    iset = load(report(tail=f"\n## Impact\n\n- **Financial Impact**: {written}\n"))
    assert pd.isna(iset.incidents.at["T-1", "financial_amount"])
    assert problems(iset, "warning")[0].startswith(f"15: Financial Impact '{written}' ")


# --- numbered headings ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("heading", "horizon"),
    [
        ("### 7.1 Immediate (Next 24 hours)", "immediate"), ("### 7.2) Short term", "short_term"),
        ("#### 3.3. Long Term (Next month)", "long_term"), ("### B) Short-term", "short_term"),
        ("### iii. Long term", "long_term"),
    ],
)  # fmt: skip
def test_numbered_horizon_headings(heading, horizon):
    tail = f"\n## 7. Action Items\n\n{heading}\n\n- [ ] Add an alert — Owner: @ana\n"
    items = load(report(tail=tail)).action_items
    assert list(items["horizon"]) == [horizon] and list(items["owner"]) == ["ana"]


@pytest.mark.parametrize("heading", ["## 2) Timeline", "# 3 - Timeline", "## IV. Timeline",
                                     "## 2.1 Timeline", "## §2 Timeline"])  # fmt: skip
def test_numbered_section_headings(heading):
    text = report().replace("## Timeline", heading) + "- **Detected**: 2026-02-02 07:05 UTC\n"
    assert first(load(text), "detected") == utc("2026-02-02T07:05Z")


def test_numbered_impact_heading_reads_its_fields():
    iset = load(report(tail="\n# 3 - Impact\n\n- **Users Affected**: 1,20,000\n"))
    assert iset.incidents.at["T-1", "users_affected"] == 120000


# --- a timeline table that names milestones in words -----------------------------------------------
def test_a_timeline_table_whose_event_text_names_the_milestones():
    table = """\
        | Time (UTC) | Event | Who |
        |---|---|---|
        | 2026-03-04 14:02 | Impact started - error rate rising | |
        | 2026-03-04 14:05 | Alert fired - detected | PagerDuty |
        | 14:09 | Acknowledged | Ana |
        | 14:20 | Escalated to Platform on-call | Ana |
        | 14:31 | Rolled back release 4.2 | Ben |
        | 14:40 | Mitigated | Ben |
        | 15:32 | Resolved | Ana |
        | 16:00 | Post-mortem scheduled for Friday | Ana |
        | 2026-03-06 10:00 | Post-mortem held | team |
        """
    iset = load(report(table, status="Post-Mortem"))
    ev = iset.events.set_index("kind")
    assert [k for k in iset.events["kind"]] == [
        "impact_start", "detected", "acknowledged", "escalated", "update", "mitigated",
        "resolved", "update", "postmortem",
    ]  # fmt: skip
    assert ev.at["detected", "actor"] == "PagerDuty"
    assert ev.at["escalated", "timestamp"] == utc("2026-03-04T14:20Z")
    assert ev.at["escalated", "role"] == "Platform on-call"
    assert ev.at["postmortem", "timestamp"] == utc("2026-03-06T10:00Z")
    assert "Rolled back release 4.2" in list(iset.events["description"])
    assert problems(iset) == []


@pytest.mark.parametrize(
    ("cell", "kind", "role"),
    [
        ("Incident detected by synthetic checks", "detected", None),
        ("Paged DBA; incident escalated to DBA on-call", "escalated", "DBA on-call"),
        ("Root cause found and mitigated", "mitigated", None),
        ("Not yet resolved - still degraded", "update", None),
        ("Rollback started", "update", None),
    ],
)
def test_event_words_name_a_milestone_or_an_update(cell, kind, role):
    table = f"| Time | Event |\n|---|---|\n| 2026-03-04 14:05 UTC | {cell} |\n"
    ev = load(report(table)).events
    assert list(ev["kind"]) == [kind] and list(ev["role"]) == [role]


def test_a_table_elsewhere_still_makes_no_events():
    table = "| Time | Event |\n|---|---|\n| 2026-03-04 14:05 UTC | Alert fired - detected |\n"
    iset = load(report("- **Detected**: 2026-03-04 14:09 UTC", tail=f"\n## Root Cause\n\n{table}"))
    assert list(iset.events["kind"]) == ["detected"]
    assert first(iset, "detected") == utc("2026-03-04T14:09Z")


# --- downtime as a range ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("written", "minutes"),
    [
        ("14:05–15:32 (1h 27m)", 87), ("14:05-15:32", 87), ("14:05 – 15:32 UTC (90 min)", 90),
        ("14:05 to 15:32", 87), ("23:50–00:20", 30), ("87 minutes (14:05-15:32)", 87),
        ("2 Stunden", 120), ("45 minutos", 45), ("1,5 Std.", 90), ("1 uur 5 minuten", 65),
    ],
)  # fmt: skip
def test_downtime_written_as_a_range_or_in_other_languages(written, minutes):
    iset = load(report(tail=f"\n## Impact\n\n- **Downtime Duration**: {written}\n"))
    assert iset.incidents.at["T-1", "downtime_stated"] == pd.Timedelta(minutes=minutes)
    assert problems(iset) == []


# --- data loss ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("written", "loss"),
    [
        ("Keine", False), ("Nenhuma (no data lost)", False), ("Aucune", False),
        ("Ninguna", False), ("Nessuna", False), ("Geen", False), ("Kein Datenverlust", False),
        ("We believe no data lost", False), ("nothing lost, queue replayed", False),
        ("Sin pérdida de datos", False), ("Ja, 120 Bestellungen verloren", True),
        ("~2,000 webhook events", True), ("Notifications were not retried", True),
        ("under investigation", None), ("TBD", None), ("unclear", None),
        ("Possibly 40 rows", None), ("wird geprüft", None),
    ],
)  # fmt: skip
def test_data_loss_in_the_languages_people_mix_in(written, loss):
    iset = load(report(tail=f"\n## Impact\n\n- **Data Loss**: {written}\n"))
    got = iset.incidents.at["T-1", "has_data_loss"]
    assert (None if pd.isna(got) else bool(got)) is loss
    assert problems(iset) == []


def test_data_loss_text_that_says_neither_is_unknown_with_a_warning():
    iset = load(report(tail="\n## Impact\n\n- **Data Loss**: The queue was replayed\n"))
    assert pd.isna(iset.incidents.at["T-1", "has_data_loss"])
    (warning,) = problems(iset, "warning")
    assert warning.startswith("15: Data Loss 'The queue was replayed' says neither")


def test_a_table_amount_that_cannot_be_read_is_a_located_warning_not_a_crash(tmp_path):
    (tmp_path / "incidents.csv").write_text(
        "incident_id,title,severity,status,financial_impact,data_loss\n"
        "A-1,t,P2,Active,$10-15k,Keine\nA-2,t,P2,Active,R$ 12.400,00,Nenhuma\n".replace(
            "R$ 12.400,00", '"R$ 12.400,00"'
        )
    )
    (tmp_path / "events.csv").write_text(
        "incident_id,timestamp,kind\nA-1,2026-03-04T14:05Z,detected\nA-2,2026-03-04T14:05Z,detected\n"
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ik.IncidentKitWarning)
        iset = ik.load(tmp_path)
    assert pd.isna(iset.incidents.at["A-1", "financial_amount"])
    assert iset.incidents.at["A-2", "financial_amount"] == 12400.0
    assert list(iset.incidents["has_data_loss"]) == [False, False]
    (row,) = iset.problems.itertuples()
    assert (row.line, row.value) == (2, "$10-15k") and "range" in row.message


# --- other languages mixed into the template ------------------------------------------------------
def test_several_labelled_fields_on_one_line():
    head = "**Incident ID:** T-9 | **Severity:** P1 | **Status:** Closed"
    text = report().replace("**Incident ID**: T-1\n**Severity**: P2\n**Status**: Active", head)
    inc = load(text).incidents.loc["T-9"]
    assert (inc["severity"], inc["status"]) == ("P1", "Resolved")


@pytest.mark.parametrize(
    ("written", "title"),
    [
        ("Incident Report — OTP failures", "OTP failures"),
        ("Post-mortem: Checkout 500s", "Checkout 500s"),
        ("Störung: Warenkorb leer", "Störung: Warenkorb leer"),  # a word of the title
        ("DNS: api CNAME deleted", "DNS: api CNAME deleted"),
    ],
)
def test_the_documents_kind_before_the_title_is_not_the_title(written, title):
    iset = load(report().replace("# Test incident", f"# {written}"))
    assert iset.incidents.at["T-1", "title"] == title


@pytest.mark.parametrize(
    ("heading", "label", "value", "column", "expected"),
    [
        ("## Auswirkungen", "Betroffene Nutzer", "40.000", "users_affected", 40000),
        ("## Impacto", "Perda de dados", "Nenhuma", "has_data_loss", False),
        ("## 3. Impacto", "Pérdida de datos", "Ninguna", "has_data_loss", False),
        ("## Impact", "Perte de données", "Aucune", "has_data_loss", False),
        ("## Auswirkungen / Impact", "Ausfallzeit", "2 Stunden", "downtime_stated",
         pd.Timedelta(hours=2)),
    ],
)  # fmt: skip
def test_section_titles_and_labels_in_other_languages(heading, label, value, column, expected):
    iset = load(report(tail=f"\n{heading}\n\n- **{label}**: {value}\n"))
    assert iset.incidents.at["T-1", column] == expected


@pytest.mark.parametrize(
    ("written", "level"), [("Kritisch", "P1"), ("Hoch", "P2"), ("Média", "P3"), ("Baja", "P4")]
)
def test_severity_words_in_other_languages(written, level):
    assert load(report(severity=written)).incidents.at["T-1", "severity"] == level


@pytest.mark.parametrize(
    ("written", "status"),
    [("Gelöst", "Resolved"), ("Fechado", "Resolved"), ("En cours", "Active"), ("Offen", "Active")],
)
def test_status_words_in_other_languages(written, status):
    assert load(report(status=written)).incidents.at["T-1", "status"] == status


@pytest.mark.parametrize(
    ("line", "actor", "role"),
    [
        ("- **Detected**: 2026-02-02 07:05 UTC par Pingdom", "Pingdom", None),
        ("- **Detected**: 2026-02-02 07:05 UTC por Ana Souza", "Ana Souza", None),
        ("- **Detected**: 2026-02-02 07:05 UTC von Jonas", "Jonas", None),
    ],
)
def test_by_in_other_languages(line, actor, role):
    iset = load(report(line))
    assert (first(iset, "detected", "actor"), first(iset, "detected", "role")) == (actor, role)


def test_timeline_table_headers_and_zone_names_in_other_languages():
    table = """\
        | Zeit (MESZ) | Ereignis | Wer |
        |---|---|---|
        | 2026-04-11 19:26 | Fehler erkannt | Alertmanager |
        | 19:44 | Eskaliert an Plattform-Team | Jonas |
        | 20:38 | Problem behoben | Jonas |
        """
    iset = load(report(table))
    ev = iset.events.set_index("kind")
    assert ev.at["detected", "timestamp"] == utc("2026-04-11T17:26Z")
    assert ev.at["detected", "actor"] == "Alertmanager"
    assert ev.at["escalated", "role"] == "Plattform-Team"
    assert ev.at["resolved", "timestamp"] == utc("2026-04-11T18:38Z")


@pytest.mark.parametrize(
    ("written", "minutes"),
    [("1h27", 87), ("1 h 27", 87), ("2:30h", 150), ("2:30 Std.", 150), ("3h 5", 185)],
)
def test_hours_then_bare_minutes(written, minutes):
    assert F.parse_duration(written) == pd.Timedelta(minutes=minutes)


@pytest.mark.parametrize("written", ["2-3 hours", "90 min – 2 h", "1h 75", "30 to 45 minutes"])
def test_a_duration_that_cannot_be_read_whole_is_unknown_with_a_warning(written):
    iset = load(report(tail=f"\n## Impact\n\n- **Downtime Duration**: {written}\n"))
    assert pd.isna(iset.incidents.at["T-1", "downtime_stated"])
    assert problems(iset, "warning")[0].startswith(f"15: Downtime Duration '{written}' ")


# --- a clock, then the words ------------------------------------------------------------------------
def test_a_clock_then_words_with_no_separator_in_a_zoned_timeline_across_midnight():
    timeline = """\
        - 23:40 batch start (impact started)
        - 23:58 monitor fired → detected
        - 00:03 acked by Erik Lund
        - 00:52 batch finished; payouts queued - mitigated
        - 06:10 bank accepted the file - resolved
        """
    text = report(timeline, status="Resolved").replace(
        "## Timeline", "Date: 2026-02-13 (night to the 14th)\n\n"
                                    "## 2) Timeline (CET)")  # fmt: skip
    iset = load(text)
    ev = iset.events.set_index("kind")
    assert ev.at["impact_start", "timestamp"] == utc("2026-02-13T22:40Z")
    assert ev.at["acknowledged", "actor"] == "Erik Lund"
    assert ev.at["mitigated", "timestamp"] == utc("2026-02-13T23:52Z")
    assert ev.at["resolved", "timestamp"] == utc("2026-02-14T05:10Z")
    assert problems(iset) == []


@pytest.mark.parametrize(
    ("title", "iid"),
    [("INC-SE-2026-044 – Payout batch late", "INC-SE-2026-044"), ("OPS-17: DNS", "OPS-17")],
)
def test_an_id_written_before_the_title(title, iid):
    text = report().replace("# Test incident", f"# {title}").replace("**Incident ID**: T-1\n", "")
    assert load(text).ids == [iid]


def test_a_table_with_date_and_time_columns_and_milestones_in_the_description():
    table = """\
        | Date | Time (UTC) | Description | Owner |
        |---|---|---|---|
        | 2026-03-04 | 14:05 | Alert fired - detected | PagerDuty |
        | 2026-03-04 | 14:20 | Escalated to DBA on-call | Ana |
        | 2026-03-05 | 01:32 | Resolved | Ana |
        """
    iset = load(report(table, status="Resolved"))
    ev = iset.events.set_index("kind")
    assert ev.at["detected", "timestamp"] == utc("2026-03-04T14:05Z")
    assert ev.at["escalated", "role"] == "DBA on-call"
    assert ev.at["resolved", "timestamp"] == utc("2026-03-05T01:32Z")
    assert problems(iset) == []


@pytest.mark.parametrize(
    ("written", "count"), [("12万人", 120000), ("¥120万", 1200000), ("3x the usual", None)]
)
def test_a_number_is_read_to_its_end(written, count):
    if count is None:
        with pytest.raises(ValueError):
            F.parse_users(written)
    else:
        assert F.parse_users(written)[0] == count


@pytest.mark.parametrize("written", ["$12abc", "JPY 120 0000"])
def test_a_currency_with_digits_not_read_whole_is_a_warning_not_nothing(written):
    with pytest.raises(ValueError):
        F.parse_money(written)


def test_french_clock_ranges():
    assert F.parse_duration("14h05–15h32") == pd.Timedelta(minutes=87)


def _grouped(n: int, sep: str, indian: bool) -> str:
    """``n`` written with ``sep`` between 3-digit groups (Indian: 2-digit before the last 3)."""
    digits = str(n)
    head, groups = digits[:-3], [digits[-3:]]
    step = 2 if indian else 3
    while head:
        head, groups = head[:-step], [head[-step:], *groups]
    return sep.join(groups)


_SEPARATORS = [",", ".", " ", "\u00a0", "\u202f", "\u2009", "'"]


@given(st.integers(1000, 10**10), st.sampled_from(_SEPARATORS), st.booleans())
@settings(max_examples=300, deadline=None)
def test_a_count_in_any_grouping_reads_whole(n, sep, indian):
    written = _grouped(n, sep, indian and sep == ",")
    assert F.parse_users(f"≈ {written} users (3,5 %)") == (n, 3.5)


@given(
    st.integers(1000, 10**9),
    st.integers(0, 99),
    st.sampled_from([(".", ","), (",", "."), (" ", ","), ("\u202f", ","), ("'", ".")]),
)
@settings(max_examples=300, deadline=None)
def test_an_amount_with_groups_and_a_decimal_mark_reads_whole(n, cents, marks):
    sep, point = marks
    written = f"{_grouped(n, sep, False)}{point}{cents:02d}"
    amount, currency = F.parse_money(f"R$ {written} em multas")
    assert currency == "BRL" and amount == pytest.approx(n + cents / 100)


def test_communications_named_in_words_after_a_time_or_in_a_table():
    timeline = """\
        - 14:05 UTC - alert fired, on-call acknowledged
        - 14:20 UTC status page updated: investigating
        - 15:40 UTC status page updated: all clear
        """
    table = "\n### Detailed Timeline\n\n| Time | Event |\n|---|---|\n"
    table += "| 2026-03-04 14:30 UTC | Customer email sent to EU merchants |\n"
    iset = load(report("**Date**: 2026-03-04\n\n" + textwrap.dedent(timeline), tail=table))
    kinds = dict(zip(iset.events["description"], iset.events["kind"], strict=True))
    assert kinds["status page updated: investigating"] == "communication"
    assert kinds["status page updated: all clear"] == "communication"  # not a Resolved time
    assert kinds["Customer email sent to EU merchants"] == "communication"
    assert first(iset, "acknowledged") == utc("2026-03-04T14:05Z")
    assert first(iset, "resolved") is None


# --- Japanese, Chinese, Korean forms ------------------------------------------------------------
@pytest.mark.parametrize(
    ("label", "written", "column", "expected"),
    [
        ("Users Affected", "約12万人 (約3.5%)", "users_affected", 120000),
        ("Financial Impact", "¥1,200万", "financial_amount", 12_000_000.0),
        ("Financial Impact", "JPY 1.2億", "financial_amount", 120_000_000.0),
        ("Downtime Duration", "10:02〜10:31 (29分)", "downtime_stated", pd.Timedelta(minutes=29)),
        ("Downtime Duration", "1時間30分", "downtime_stated", pd.Timedelta(minutes=90)),
        ("Data Loss", "なし", "has_data_loss", False),
    ],
)
def test_cjk_impact_values(label, written, column, expected):
    iset = load(report(tail=f"\n## Impact\n\n- **{label}**: {written}\n"))
    assert iset.incidents.at["T-1", column] == expected
    assert problems(iset) == []


@pytest.mark.parametrize("written", ["€1.500 Mio", "$1,250k"])
def test_three_digits_before_a_multiple_read_two_ways(written):
    with pytest.raises(ValueError, match="reads two ways"):
        F.parse_money(written)


def test_a_timeline_table_with_japanese_headers():
    table = """\
        | 時刻 (JST) | イベント | 担当 |
        |---|---|---|
        | 2026-07-01 10:09 | Detected (Datadog) | 佐藤 |
        | 11:15 | Resolved | 佐藤 |
        """
    iset = load(report(table, status="Resolved"))
    assert first(iset, "detected") == utc("2026-07-01T01:09Z")
    assert first(iset, "detected", "actor") == "佐藤"
    assert first(iset, "resolved") == utc("2026-07-01T02:15Z")


@pytest.mark.parametrize("written", ["47 min of partial outage, 12 min full", "30m 1h"])
def test_two_durations_in_one_value_are_not_added_up(written):
    with pytest.raises(ValueError, match="more than one duration"):
        F.parse_duration(written)


@pytest.mark.parametrize("heading", ["## Section 2: Timeline", "## Part 2 - Timeline"])
def test_headings_numbered_with_a_word(heading):
    text = report().replace("## Timeline", heading) + "- **Detected**: 2026-02-02 07:05 UTC\n"
    assert first(load(text), "detected") == utc("2026-02-02T07:05Z")


def test_a_timeline_table_whose_time_column_is_named_by_its_zone():
    table = "| CET | Event |\n|---|---|\n| 2026-02-02 08:05 | Detected |\n"
    iset = load(report(table))
    assert first(iset, "detected") == utc("2026-02-02T07:05Z")
    assert problems(iset) == []


@pytest.mark.parametrize("written", ["Minimal", "Some metrics gaps", "partial"])
def test_data_loss_said_in_a_word_of_degree_is_a_loss(written):
    assert F.has_data_loss(written) is True


def test_fields_people_write_under_their_own_headings_and_below_their_labels():
    text = """# Card payments down

## What went down

**Incident ID**: RIDE-17
**Severity**: SEV1
**Status**: Fixed

## Timeline

- **Detected**: 2026-03-20 18:40 UTC by support
- **Resolved**: 2026-03-20 20:50 UTC

## Fallout

- **Users Affected**:
  Roughly 6% of riders. The rest paid cash.
- **Services Affected**: matching-engine (KRW-BTC, KRW-ETH), payments-svc

## Team

- **Incident Commander**:
  Sam Tremblay
"""
    iset = load(text)
    inc = iset.incidents.loc["RIDE-17"]
    assert (inc["severity"], inc["status"]) == ("P1", "Resolved")
    assert pd.isna(inc["users_affected"]) and inc["users_affected_pct"] == 6.0
    assert inc["services"] == ["matching-engine (KRW-BTC, KRW-ETH)", "payments-svc"]
    assert inc["incident_commander"] == "Sam Tremblay"
    assert "**Severity**: SEV1" in inc["extra_sections"]  # kept as written, too


def test_answers_written_inside_the_templates_brackets():
    text = report(
        """
        - **Detected**: [2026-03-04 08:12 EET] by [Zabbix]
        - **Escalated**: [2026-03-04 08:20 EET] to [Infra on-call]
        - **Resolved**: [timestamp]
        """,
        head="**Owner team**: [Identity]",
        tail="\n## Impact\n\n- **Users Affected**: [ca 41 000 (7,5%)]\n- **Data Loss**: [details if any]\n"
        "\n## Action Items\n\n- [ ] [Re-enable the OCSP cache] - Owner: [Kärt Mägi] - Due: [date]\n",
    ).replace("**Severity**: P2", "**Severity**: [S2]")
    iset = load(text)
    inc = iset.incidents.loc["T-1"]
    assert inc["severity"] == "P2"
    assert first(iset, "detected") == utc("2026-03-04T06:12Z")
    assert first(iset, "detected", "actor") == "Zabbix"
    assert first(iset, "escalated", "role") == "Infra on-call"
    assert first(iset, "resolved") is None  # the template's blank, left as it was: unknown
    assert (inc["users_affected"], inc["users_affected_pct"]) == (41000, 7.5)
    assert pd.isna(inc["has_data_loss"])
    (item,) = iset.action_items.to_dict("records")
    assert (item["text"], item["owner"], pd.isna(item["due"])) == (
        "Re-enable the OCSP cache",
        "Kärt Mägi",
        True,
    )


def test_brackets_that_are_notes_or_blanks_stay_as_written():
    # two labelled answers are no habit; [owner: x] notes are read as notes
    text = report(
        "- **Detected**: 2026-03-04 08:12 UTC by [person/system]",
        tail="\n## Action Items\n\n- [ ] Fix it [owner: Eve] [due: 2026-03-12]\n",
    )
    iset = load(text)
    assert first(iset, "detected", "actor") is None
    (item,) = iset.action_items.to_dict("records")
    assert (item["text"], item["owner"]) == ("Fix it", "Eve")


@pytest.mark.parametrize(
    ("written", "count"),
    [("12,000 (between 14:05 and 15:00)", 12000), ("between 40k and 50k users", None),
     ("zwischen 40.000 und 50.000 Nutzer", None)],
)  # fmt: skip
def test_between_two_counts_is_a_range_between_two_times_is_not(written, count):
    if count is None:
        with pytest.raises(ValueError, match="range"):
            F.parse_users(written)
    else:
        assert F.parse_users(written)[0] == count


def test_a_mistyped_milestone_label_is_read_with_a_warning():
    iset = load(
        report(
            """
            - **Detcted**: 2026-01-17 02:12 UTC by pagerduty
            - **Resovled**: 2026-01-17 03:40 UTC
            - **Migrated**: 2026-01-17 03:00 UTC traffic to the new pool
            """,
            status="Resolved",
        )
    )
    assert first(iset, "detected") == utc("2026-01-17T02:12Z")
    assert first(iset, "detected", "actor") == "pagerduty"
    assert first(iset, "resolved") == utc("2026-01-17T03:40Z")
    assert first(iset, "mitigated") is None  # a real word, not a typo: an update
    assert problems(iset, "warning") == [
        "11: Timeline 'Detcted' is read as Detected",
        "12: Timeline 'Resovled' is read as Resolved",
    ]


def test_a_mistyped_field_label_is_read_with_a_warning():
    iset = load(
        report(
            tail="\n## Impact\n\n- **Servcies Affected**: upi-switch, bank-connector\n"
            "- **Finacial Impact**: INR 3,50,000 (SLA penalty)\n"
        )
    )
    inc = iset.incidents.loc["T-1"]
    assert list(inc["services"]) == ["upi-switch", "bank-connector"]
    assert (inc["financial_amount"], inc["financial_currency"]) == (350000.0, "INR")
    assert [p for p in problems(iset, "warning") if "is read as" in p] == [
        "15: label 'Servcies Affected' is read as Services Affected",
        "16: label 'Finacial Impact' is read as Financial Impact",
    ]


def test_a_number_inside_a_name_is_not_a_count_of_users():
    iset = load(report(tail="\n## Impact\n\n- **Users Affected**: lots of tenants in us-west-2\n"))
    assert pd.isna(iset.incidents.at["T-1", "users_affected"])  # was 2
    assert any("lots of tenants in us-west-2" in p for p in problems(iset, "warning"))


def test_an_escalation_written_as_what_was_done_names_the_role():
    iset = load(report("- **Escalated**: 2026-02-02 07:15 UTC — paged DB team"))
    assert first(iset, "escalated", "role") == "DB team"
    assert first(iset, "escalated", "description") == "paged DB team"  # as written, too


def test_an_emoji_before_the_title_is_decoration():
    iset = load(report().replace("# Test incident", "# 💳 Test incident", 1))
    assert iset.incidents.at["T-1", "title"] == "Test incident"


def test_backslash_escapes_of_a_google_docs_export():
    iset = load(
        report(
            r"- **Escalated**: 2026\-03\-04 14:20 UTC to Payments on\-call",
            tail="\n## Impact\n\n- **Services Affected**: payments\\_worker, stripe\\-relay\n"
            "\n## Action Items\n\n- [ ] Drain the backlog \\- Owner: Hannah Cole \\- Due: 2026\\-03\\-18\n",
        ).replace("T-1", r"INC\-7")
    )
    assert iset.ids == ["INC-7"]
    assert first(iset, "escalated", "role") == "Payments on-call"
    assert iset.incidents.at["INC-7", "services"] == ["payments_worker", "stripe-relay"]
    (item,) = iset.action_items.to_dict("records")
    assert (item["text"], item["owner"], item["due"]) == (
        "Drain the backlog",
        "Hannah Cole",
        pd.Timestamp("2026-03-18"),
    )


@pytest.mark.parametrize(
    ("line", "owner", "due"),
    [
        ("- [ ] Canary para el BFF — responsable: Ana Gómez, fecha: 2026-10-17", "Ana Gómez",
         "2026-10-17"),
        ("- [ ] Alarm schärfen — Verantwortlich: Jonas, Frist: 2026-04-30", "Jonas", "2026-04-30"),
        ("- [ ] Back up the user tables, data retention to 30 days", None, None),
    ],
)  # fmt: skip
def test_owner_and_due_words_in_other_languages(line, owner, due):
    items = load(report(tail=f"\n## Action Items\n\n{line}\n")).action_items
    assert items.iloc[0]["owner"] == owner or (owner is None and pd.isna(items.iloc[0]["owner"]))
    got = items.iloc[0]["due"]
    assert (None if pd.isna(got) else got.strftime("%Y-%m-%d")) == due


@pytest.mark.parametrize(
    ("cell", "role"),
    [("Escalado a SRE de guardia", "SRE de guardia"), ("Eskaliert an Plattform-Team",
                                                       "Plattform-Team")],
)  # fmt: skip
def test_escalated_to_in_other_languages(cell, role):
    table = f"| Time | Event |\n|---|---|\n| 2026-03-04 14:05 UTC | {cell} |\n"
    assert first(load(report(table)), "escalated", "role") == role


@pytest.mark.parametrize(
    ("written", "count"),
    [("3 regions, ~40 000 users", 40000), ("12 000 sessions of 9 000 users", 9000),
     ("2 400 merchants out of 60 000", 2400), ("In 3 regions: 12k active customers", 12000)],
)  # fmt: skip
def test_the_count_of_people_when_another_number_comes_first(written, count):
    assert F.parse_users(written)[0] == count


def test_a_number_of_something_else_is_not_a_count_of_users():
    iset = load(
        report(tail="\n## Impact\n\n- **Users Affected**: 5 services down, users unknown\n")
    )
    assert pd.isna(iset.incidents.at["T-1", "users_affected"])
    assert "counts something else" in problems(iset, "warning")[0]


def test_what_converters_leave_in_a_report():
    # Confluence entities, a pandoc-escaped checkbox, Slack's "Today at", a pandoc grid table
    text = report(
        """
        - **Detected**: 2026-01-22&nbsp;02:47 GMT by batch&#8209;monitor
        - **Escalated**: Today at 3:05 AM GMT to Finance on-call

        +----------------------+-----------+---------------+----------------------+
        | Time                 | Event     | Who           | Description          |
        +======================+===========+===============+======================+
        | 22/01/2026 04:40 GMT | Mitigated | Owen Hughes   | Settlement file sent |
        |                      |           |               | by hand              |
        +----------------------+-----------+---------------+----------------------+
        """,
        tail="\n## Action Items\n\n-   \\[x\\] Create the missing FX index - Owner: Owen\n",
    )
    iset = load(text)
    assert first(iset, "detected") == utc("2026-01-22T02:47Z")
    assert first(iset, "detected", "actor") == "batch‑monitor"
    assert first(iset, "escalated") == utc("2026-01-22T03:05Z")
    assert first(iset, "mitigated") == utc("2026-01-22T04:40Z")
    assert first(iset, "mitigated", "actor") == "Owen Hughes"
    assert first(iset, "mitigated", "description") == "Settlement file sent by hand"
    (item,) = iset.action_items.to_dict("records")
    assert (item["text"], item["done"], item["owner"]) == (
        "Create the missing FX index",
        True,
        "Owen",
    )


def test_front_matter_fills_what_the_body_does_not_say():
    text = (
        '---\ntitle: "DNS resolver saturation"\nseverity: P1\nstatus: resolved\n'
        "detected: 2026-03-04T14:05:00Z\ntags: [incident, dns]\n---\n\n"
        "# DNS resolver saturation\n\n## Timeline\n\n"
        "- **Detected**: 2026-03-04 14:05 UTC by Alertmanager\n"
        "- **Resolved**: 2026-03-04 15:00 UTC\n"
    )
    iset = load(text)
    (iid,) = iset.ids
    inc = iset.incidents.loc[iid]
    assert (inc["title"], inc["severity"], inc["status"]) == (
        "DNS resolver saturation",
        "P1",
        "Resolved",
    )
    assert first(iset, "detected", "actor") == "Alertmanager"  # the body's line wins
    assert (iset.events["kind"] == "detected").sum() == 1


def test_an_impossible_clock_is_not_read_as_a_date_alone():
    iset = load(report("- **Detected**: 2026-03-11 25:40 UTC by Grafana"))
    assert iset.ids == []
    (error,) = problems(iset, "error")
    assert error.startswith("11: Detected '2026-03-11 25:40 UTC' is not a timestamp")


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("lundi 9 mars 2026 à 14h05 (UTC+1)", "2026-03-09T13:05Z"),
        ("za 28 maart 2026, 23.40 uur CET", "2026-03-28T22:40Z"),
        ("2026-11-03 kl. 13.52 CET", "2026-11-03T12:52Z"),
        ("9 de marzo de 2026 a las 14:05 CET", "2026-03-09T13:05Z"),
        ("Mittwoch, 14. Oktober 2026, 09.10 Uhr MESZ", "2026-10-14T07:10Z"),
        ("Wednesday the 14th of October 2026, 12:48pm BST", "2026-10-14T11:48Z"),
    ],
)
def test_dates_in_the_words_of_other_languages(written, expected):
    iset = load(report(f"- **Detected**: {written}"))
    assert first(iset, "detected") == utc(expected), problems(iset)


def test_a_zone_named_in_words_in_the_heading_or_a_note_dates_times_that_name_none():
    heading = report(
        "- **Detected**: 2026-10-14 noon\n- **Resolved**: 1:20pm", status="Resolved"
    ).replace("## Timeline", "## Timeline (London time)")
    iset = load(heading)
    assert first(iset, "detected") == utc("2026-10-14T11:00Z")  # BST
    assert first(iset, "resolved") == utc("2026-10-14T12:20Z")
    note = report(
        "Date: Tuesday, December 1, 2026 (all times Pacific time)\n\n1. 2:05pm — Detected"
    )
    assert first(load(note), "detected") == utc("2026-12-01T22:05Z")  # not the 30th


def test_a_timeline_of_offsets_from_t0_also_in_a_code_block():
    iset = load(
        report(
            """
            All times are offsets from **T0 = 2026-09-22 03:40 UTC** (first failed check).

            - **Detected**: T+6m by Grafana OnCall
            - **Mitigated**: T+1h02m

            ```
            T+0      replica-2 starts failing
            T+9m     dmitri acks, starts looking
            ```
            """
        )
    )
    assert first(iset, "detected") == utc("2026-09-22T03:46Z")
    assert first(iset, "mitigated") == utc("2026-09-22T04:42Z")
    assert first(iset, "acknowledged") == utc("2026-09-22T03:49Z")
    assert "T+9m     dmitri acks" in iset.incidents.at["T-1", "notes"][0]  # kept as written


@pytest.mark.parametrize(
    ("label", "written", "column", "expected"),
    [
        ("Users Affected", "about twelve thousand (two-thirds of UK logins)", "users_affected", 12000),
        ("Users Affected", "a handful (3 internal teams)", "users_affected", None),  # was 3
        ("Financial Impact", "roughly five grand (GBP) in vouchers", "financial_amount", 5000.0),
        ("Financial Impact", "4 500 kr (SEK) in SLA credits", "financial_currency", "SEK"),
    ],
)  # fmt: skip
def test_impact_in_words_and_what_a_number_counts(label, written, column, expected):
    iset = load(report(tail=f"\n## Impact\n\n- **{label}**: {written}\n"))
    got = iset.incidents.at["T-1", column]
    assert (None if pd.isna(got) else got) == expected


def test_what_confluence_and_notion_exports_leave():
    iset = load(
        report(
            """
            | Milestone | Time (UTC) | Who / To | Notes |
            | --- | --- | --- | --- |
            | Detected | 2026-06-03<br>02:14 | Prometheus | lag alert |
            | Escalated | 2026-06-03<br>02:31 | Data Platform on-call | Paged via Opsgenie |
            """,
            tail="\n## Impact\n\n- **Services Affected**: web<br>api<br>cdn\n\n"
            "## Communication\n\n| Item | Done? |\n| --- | --- |\n"
            "| Internal team notified | ✅ |\n| Customer communication sent | ❌ |\n\n"
            "## Action Items\n\n- [x] Roll back v142 — @Jane Doe @April 14, 2026\n",
        )
    )
    assert first(iset, "detected") == utc("2026-06-03T02:14Z")
    assert first(iset, "detected", "actor") == "Prometheus"
    assert first(iset, "escalated", "role") == "Data Platform on-call"
    inc = iset.incidents.loc["T-1"]
    assert list(inc["services"]) == ["web", "api", "cdn"]
    assert (inc["comm_internal"], inc["comm_customers"]) == (True, False)
    item = iset.action_items.iloc[0]
    assert (item["owner"], str(item["due"].date())) == ("Jane Doe", "2026-04-14")


def test_what_a_label_says_in_brackets_belongs_to_its_value():
    """``Users Affected (est.)``, ``Downtime (minutes)``, ``Financial Impact (USD)``: the
    label is the template's; the note is the value's (a unit joins the value)."""
    from incident_kit.sources.markdown_lines import label_of

    assert label_of("**Users Affected (est.)**: 1,200") == ("Users Affected", "1,200 (est.)")
    assert label_of("**Downtime (minutes)**: 45") == ("Downtime", "45 minutes")
    assert label_of("**Financial Impact (USD)**: 12,000") == ("Financial Impact", "12,000 USD")
    assert label_of("**Incident Commander (IC)**: Alice") == ("Incident Commander", "Alice")
    assert label_of("**Foo (bar)**: x") == ("Foo (bar)", "x")
    assert label_of("**Users Affected (est.)**:") == ("Users Affected", "")  # value below


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("Sevirity", "severity"), ("Staus", "status"), ("Servies Affected", "services")],
)
def test_a_field_label_one_slip_away_is_read(typed, meant):
    assert vocab.field_key(typed) == meant


def test_typing_slips_and_what_is_no_slip():
    assert [vocab.slips("resolved", w) for w in ("resovled", "reslovled", "resolved")] == [1, 2, 0]
    assert vocab.section_key("Timline") == "timeline"
    assert vocab.section_key("Références") is None  # another language, not a slip
    assert vocab.milestone_typo("Post-Mortm") == "postmortem"
    assert vocab.milestone_typo("Revolved") is None  # a word of its own
    assert vocab.field_key("Stats") is None and vocab.field_key("Dates") is None  # words too


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("— (still monitoring; partner bank has not confirmed)", True),
        ("not scheduled yet (after the RCA)", True),
        ("(pending)", True),
        ("2026-03-04 14:05 UTC", False),
        ("opened 14:05", False),
    ],
)
def test_a_milestone_that_has_not_happened_yet(value, expected):
    assert vocab.not_yet(value) is expected


@pytest.mark.parametrize(
    ("text", "utc"),
    [
        ("2026年11月3日（火）14:05 JST", "2026-11-03 05:05"),
        ("２０２６年３月４日 午後２時５分 JST", "2026-03-04 05:05"),
        ("2026년 6월 22일 (월) 오후 2:05 KST", "2026-06-22 05:05"),
        ("Thursday, April 9, 2026, 07:48:20 Pacific Time", "2026-04-09 14:48:20"),
        ("April 9, 2026 07:48 Eastern Standard Time", "2026-04-09 11:48"),
    ],
)
def test_dates_in_cjk_and_zones_in_words(text, utc):
    value, _ = F.parse_human_time(text, "UTC", ())
    assert value == pd.Timestamp(utc, tz="UTC")


def test_severity_in_words_status_typo_and_every_iso_currency():
    assert F.parse_severity("Sev two") == "P2"
    assert F.parse_status("Reslovled") == "Resolved"
    assert F.read_money("NPR 2,40,000 (est.)")[:2] == (240000.0, "NPR")
    assert F.read_money("ALL 500")[:2] == (None, None)  # an English word, no currency


def test_a_terse_timeline_s_abbreviations_name_milestones_there_only():
    """``det.: 0402Z``, ``esc.: 0409Z``, ``mitig.``, ``res.``, ``PM mtg`` on a timeline line;
    on a summary line those words name nothing."""
    kinds = [vocab.milestone_kind(w) for w in ("det.", "esc.", "mitig.", "res.", "PM mtg")]
    assert kinds == ["detected", "escalated", "mitigated", "resolved", "postmortem"]
    assert vocab.milestone_kind("res.", in_timeline=False) is None


def test_mil_is_a_thousand_in_the_currencies_of_spanish_and_portuguese_speakers():
    """``R$ 18,5 mil``: in Portuguese and Spanish ``mil`` is a thousand; ``$10 mil`` could be
    ten million in English shorthand and stays unknown (tested above)."""
    assert F.read_money("R$ 18,5 mil em estornos")[:2] == (18500.0, "BRL")
    assert F.read_money("ARS 120 mil")[:2] == (120000.0, "ARS")


def test_a_zone_note_in_other_languages_and_a_heading_naming_two_forms():
    assert vocab.zone_named("horário de Brasília, UTC-3") == "UTC-3"
    assert vocab.zone_named("Buenos Aires (UTC-3)") == "America/Argentina/Buenos_Aires"


@pytest.mark.parametrize(
    ("text", "utc"),
    [
        ("Tue 03/10/2026 14:05 UTC", "2026-03-10 14:05"),  # a Tuesday: month first
        ("Sat 03/10/2026 14:05 UTC", "2026-10-03 14:05"),  # a Saturday: day first
        ("3/10/2026 2pm EST", "2026-03-10 19:00"),  # a North American zone: month first
        ("Sat 14 Nov 2026, 23:47–23:58 UTC", "2026-11-14 23:47"),  # a range: its start
        ("18/mar/2026 16h -03:00", "2026-03-18 19:00"),
        ("mié 2 de septiembre 2026, 19:32 hs -03:00", "2026-09-02 22:32"),
    ],
)
def test_what_settles_a_date_people_write(text, utc):
    value, _ = F.parse_human_time(text, "UTC", ())
    assert value == pd.Timestamp(utc, tz="UTC")


def test_an_ambiguous_date_without_anything_to_settle_it_is_still_an_error():
    with pytest.raises(ValueError, match="ambiguous"):
        F.parse_human_time("03/10/2026 14:05 UTC", "UTC", ())


def test_a_weekday_settles_a_short_date_near_the_incident():
    """``vie 4/9`` beside a September 2026 incident is Friday 4 September; ``Thu 4/9`` beside a
    March one is Thursday 9 April; ``4/9`` alone still reads two ways."""
    september, march = pd.Timestamp("2026-09-02", tz="UTC"), pd.Timestamp("2026-03-10", tz="UTC")
    assert F.parse_date("vie 4/9", near=september) == pd.Timestamp("2026-09-04")
    assert F.parse_date("Thu 4/9", near=march) == pd.Timestamp("2026-04-09")
    with pytest.raises(ValueError, match="ambiguous"):
        F.parse_date("4/9", near=september)
    assert F.in_english("vie 4 sept. 2026, 11 hs") == "4 sept. 2026, 11:00"
