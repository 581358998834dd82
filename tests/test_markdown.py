"""The Markdown template loader and writer."""

from __future__ import annotations

import datetime
import re
import warnings
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import incident_kit as ik
from incident_kit import vocab
from incident_kit.model import (
    MILESTONES,
    IncidentSet,
    action_items_frame,
    events_frame,
    incidents_frame,
)
from incident_kit.sources import markdown

from .conftest import DATA

TEMPLATE = Path(ik.__file__).parent / "template.md"  # the seed template, shipped in the package
SEED = (
    Path(__file__).resolve().parent.parent.parent
    / "shared"
    / "seed"
    / "incident-report-template.md"
)

UTC = "UTC"


def ts(text: str) -> pd.Timestamp:
    return pd.Timestamp(text).tz_convert("UTC")


def test_sample_report_fields(sample):
    inc = sample.incident("INC-2026-0001")
    assert inc["title"] == "Checkout API returned 502s after a bad config push"
    assert inc["severity"] == "P1" and inc["status"] == "Post-Mortem"
    assert inc["users_affected"] == 48200 and inc["users_affected_pct"] == 38.0
    assert inc["services"] == ["checkout-api", "payments-db"]
    assert inc["downtime_stated"] == pd.Timedelta(minutes=46)
    assert inc["has_data_loss"] is False or inc["has_data_loss"] == False  # noqa: E712
    assert (inc["financial_amount"], inc["financial_currency"]) == (84000.0, "USD")
    assert (
        inc["contributing_factors"][0]
        == "Config changes bypass canary when labelled as logging-only"
    )
    assert inc["resolution"][-1] == "Verified error rate back under 0.1%"
    assert inc["prevention"] == [
        {"text": "Canary stage mandatory for config changes", "done": True},
        {"text": "Load test config changes in staging", "done": False},
    ]
    assert [inc[c] for c in ("comm_internal", "comm_customers")] == [True, True]
    assert inc["incident_commander"] == "Marco Bianchi"
    assert inc["report_date"] == pd.Timestamp("2026-05-15")
    assert inc["source_file"].endswith("INC-2026-0001.md") and inc["source_line"] == 5


def test_sample_timeline_events(sample):
    ev = sample.events[sample.events["incident_id"] == "INC-2026-0001"]
    first = ev.drop_duplicates("kind").set_index("kind")
    assert first.at["detected", "timestamp"] == ts("2026-05-12 14:09Z")
    assert first.at["detected", "actor"] == "Datadog monitor checkout-5xx"
    assert first.at["escalated", "role"] == "Incident Commander"
    updates = ev[ev["kind"].isin(["communication", "update"])]
    assert list(updates["description"]) == [
        "Status page set to Major outage",
        "Rollback of config v482 started",
    ]
    assert list(updates["kind"]) == ["communication", "update"]  # the kind column says which
    assert updates["source"].iloc[0].endswith("INC-2026-0001.md:24")


def test_zones_offsets_and_iana_names(sample):
    ev = sample.events.set_index(["incident_id", "kind"])
    # 08:52 Europe/Berlin in May is CEST (+02:00)
    assert ev.loc[("INC-2026-0002", "detected"), "timestamp"] == ts("2026-05-27 06:52Z")
    assert ev.loc[("INC-2026-0002", "escalated"), "timestamp"] == ts("2026-05-27 07:15Z")
    # 02:10 America/New_York in July is EDT (-04:00)
    assert ev.loc[("INC-2026-0006", "impact_start"), "timestamp"] == ts("2026-07-19 06:10Z")
    assert str(sample.events["timestamp"].dt.tz) == "UTC"


def test_action_items(sample):
    items = sample.action_items[sample.action_items["incident_id"] == "INC-2026-0004"]
    assert list(items["horizon"]) == ["immediate", "short_term", "long_term", "long_term"]
    first = items.iloc[0]
    assert (first["text"], first["owner"], first["due"], first["done"]) == (
        "Pause deliveries to the failing endpoint",
        "Ines Duarte",
        pd.Timestamp("2026-06-22"),
        True,
    )
    assert not items.iloc[2]["done"]


def test_blank_template_is_all_unknown():
    text = TEMPLATE.read_text(encoding="utf-8")
    parts = markdown.parse(text, "blank.md")
    inc = parts.incidents[0]
    assert "title" not in inc and "severity" not in inc and "users_affected" not in inc
    assert parts.events == [] and parts.action_items == []
    assert inc["incident_id"].startswith("INC-")
    again = markdown.parse(text, "blank.md").incidents[0]
    assert again["incident_id"] == inc["incident_id"]  # stable derived ID


def test_shipped_template_is_the_seed():
    if not SEED.exists():
        pytest.skip("shared/seed is not beside this checkout")
    assert TEMPLATE.read_text(encoding="utf-8") == SEED.read_text(encoding="utf-8")


def test_placeholders_never_values(write_report, tmp_path):
    write_report(
        timeline="""
        - **Detected**: 2026-03-04 14:05 UTC by [person/system]
        - **Escalated**: [timestamp] to [role]
        - **Resolved**: 2026-03-04 15:00 UTC
    """
    )
    iset = ik.load(tmp_path)
    ev = iset.events
    assert list(ev["kind"]) == ["detected", "resolved"]
    assert ev["actor"].isna().all()


def test_detailed_timeline_table(write_report, tmp_path):
    write_report(
        timeline="""
        - **Impact Started**: 2026-03-04 13:50 UTC
        - **Detected**: 2026-03-04 14:05 UTC by Datadog monitor
        - **Escalated**: 2026-03-04T15:20:00+01:00 to Incident Commander
        - **Resolved**: 2026-03-04 15:00 UTC

        ### Detailed Timeline

        | time | kind | actor | description |
        | --- | --- | --- | --- |
        | 2026-03-04 14:10 UTC | acknowledged | Alice | paged |
        | 2026-03-04 14:30 UTC | Mitigated | Bob | rolled back |
        | 2026-03-04 14:40 UTC | update | Carol | status page updated |
    """
    )
    iset = ik.load(tmp_path)
    ev = iset.events.set_index("kind")
    assert ev.at["escalated", "timestamp"] == ts("2026-03-04 14:20Z")
    assert ev.at["mitigated", "actor"] == "Bob"
    assert ev.at["update", "description"] == "status page updated"
    assert len(iset.problems) == 0


def test_naive_timestamp_warns_with_location(write_report, tmp_path):
    write_report(
        timeline="""
        - **Detected**: 2026-03-04 14:05 by Datadog
        - **Resolved**: 2026-03-04 15:00 UTC
    """
    )
    with pytest.warns(
        ik.IncidentKitWarning,
        match=r"INC-T1.md:11: Detected '2026-03-04 14:05' has no time zone; assumed Europe/Berlin",
    ):
        iset = ik.load(tmp_path, default_tz="Europe/Berlin")
    assert iset.events.iloc[0]["timestamp"] == ts("2026-03-04 13:05Z")
    assert list(iset.problems["level"]) == ["warning"]


def test_unmapped_severity_leaves_the_incident_out(tmp_path):
    from .conftest import report_md

    text = report_md().replace("**Severity**: P2", "**Severity**: P7")
    (tmp_path / "INC-T1.md").write_text(text, encoding="utf-8")
    with pytest.raises(ik.ValidationError, match=r"INC-T1.md:6: Severity 'P7' is not a severity"):
        ik.load(tmp_path, strict=True)
    iset = ik.load(tmp_path)
    assert len(iset) == 0 and iset.problems.iloc[0]["incident_id"] == "INC-T1"


def test_unreadable_status_costs_the_field(tmp_path):
    from .conftest import report_md

    text = report_md().replace("**Status**: Resolved", "**Status**: Gone fishing")
    (tmp_path / "INC-T1.md").write_text(text, encoding="utf-8")
    with pytest.warns(ik.IncidentKitWarning, match=r"INC-T1.md:7: Status 'Gone fishing' is not"):
        iset = ik.load(tmp_path)
    assert iset.ids == ["INC-T1"] and pd.isna(iset.incidents.at["INC-T1", "status"])


def test_bad_timestamp_is_located(write_report, tmp_path):
    write_report(timeline="- **Detected**: yesterday at noon by Bob")
    iset = ik.load(tmp_path)
    row = iset.problems.iloc[0]
    assert (row["line"], row["field"], row["value"]) == (11, "Detected", "yesterday at noon")
    assert "is not a timestamp" in row["message"]


def test_dst_gap_time_is_rejected(write_report, tmp_path):
    write_report(timeline="- **Detected**: 2026-03-29 02:30 Europe/Berlin by Bob")
    iset = ik.load(tmp_path)
    assert "daylight-saving" in iset.problems.iloc[0]["message"]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "the file is empty"),
        (b"\xff\xfe\x00bad", "is not UTF-8"),
        (b"# Shopping list\n\n- milk\n", "is not an incident report"),
    ],
)
def test_files_that_are_not_incidents(tmp_path, content, reason):
    path = tmp_path / "x.md"
    path.write_bytes(content)
    with pytest.raises(ik.ValidationError, match=reason):
        ik.load(path, strict=True)


def test_ignore_file_and_second_copy(sample):
    tables = ik.load(DATA / "tables")
    assert sorted(tables.ids) == sorted(sample.ids)
    pd.testing.assert_frame_equal(
        tables.events.drop(columns="source"), sample.events.drop(columns="source")
    )


def test_render_round_trip_on_samples(sample, tmp_path):
    for iid in sample.ids:
        (tmp_path / f"{iid}.md").write_text(ik.to_markdown(sample, iid), encoding="utf-8")
    again = ik.load(tmp_path)
    assert len(again.problems) == 0
    cols = [c for c in sample.incidents.columns if c not in ("source_file", "source_line")]
    pd.testing.assert_frame_equal(again.incidents[cols], sample.incidents[cols])
    key = ["incident_id", "timestamp", "kind", "actor", "role", "description"]
    a = again.events[key].sort_values(key[:3]).reset_index(drop=True)
    b = sample.events[key].sort_values(key[:3]).reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b)


# --- properties -------------------------------------------------------------------------
# words that say "not known" (N/A, TBD, unknown: vocab.UNKNOWN_WORDS) read back as unknown by
# design, so generated values avoid them
words = st.text(
    alphabet=st.characters(whitelist_categories=("L", "N"), max_codepoint=0x24F),
    min_size=1,
    max_size=12,
).filter(lambda w: not vocab.is_unknown(w))
phrase = (
    st.lists(words, min_size=1, max_size=4).map(" ".join).filter(lambda p: not vocab.is_unknown(p))
)
times = st.datetimes(
    min_value=pd.Timestamp("2000-01-01").to_pydatetime(),
    max_value=pd.Timestamp("2090-01-01").to_pydatetime(),
).map(lambda d: pd.Timestamp(d).floor("s").tz_localize("UTC"))


@st.composite
def incident_sets(draw):
    start = draw(times)
    gaps = draw(st.lists(st.integers(0, 10**6), min_size=8, max_size=8))
    kinds = list(MILESTONES)  # in the order they happen
    chosen = draw(st.lists(st.sampled_from(kinds), unique=True, max_size=8))
    events, t = [], start
    for kind, gap in zip(kinds, gaps, strict=True):
        t = t + pd.Timedelta(seconds=gap)
        if kind in chosen:
            events.append(
                {
                    "incident_id": "INC-P",
                    "timestamp": t,
                    "kind": kind,
                    "actor": draw(st.none() | phrase),
                    "role": None,
                    "description": None,
                }
            )
    for _ in range(draw(st.integers(0, 3))):
        events.append(
            {
                "incident_id": "INC-P",
                "timestamp": start + pd.Timedelta(seconds=draw(st.integers(0, 10**6))),
                "kind": "update",
                "actor": draw(phrase),
                "role": None,
                "description": draw(phrase),
            }
        )
    resolved = "resolved" in chosen
    inc = {
        "incident_id": "INC-P",
        "title": draw(st.none() | phrase),
        "severity": draw(st.none() | st.sampled_from(["P1", "P2", "P3", "P4"])),
        "status": draw(st.sampled_from(["Resolved", "Post-Mortem"])) if resolved else "Active",
        "users_affected": draw(st.none() | st.integers(0, 10**7)),
        "services": draw(st.lists(words, max_size=3, unique=True)),
        "downtime_stated": draw(
            st.none() | st.integers(0, 10**6).map(lambda s: pd.Timedelta(seconds=s))
        ),
        "what_happened": draw(st.none() | phrase),
        "contributing_factors": draw(st.lists(phrase, max_size=3)),
        "went_well": draw(st.lists(phrase, max_size=3)),
        "prevention": [
            {"text": p, "done": d}
            for p, d in draw(st.lists(st.tuples(phrase, st.booleans()), max_size=3))
        ],
        "comm_internal": draw(st.booleans()),
        "comm_stakeholders": draw(st.booleans()),
        "comm_customers": draw(st.booleans()),
        "comm_status_page": draw(st.booleans()),
        "incident_commander": draw(st.none() | phrase),
    }
    items = [
        {
            "incident_id": "INC-P",
            "horizon": draw(st.sampled_from(["immediate", "short_term", "long_term"])),
            "text": draw(phrase),
            "owner": draw(st.none() | phrase),
            "due": None,
            "done": draw(st.booleans()),
            "source": None,
        }
        for _ in range(draw(st.integers(0, 3)))
    ]
    return IncidentSet(incidents_frame([inc]), events_frame(events), action_items_frame(items))


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(incident_sets())
def test_parse_render_parse_is_identity(tmp_path, original):
    path = tmp_path / "INC-P.md"
    path.write_text(ik.to_markdown(original, "INC-P"), encoding="utf-8")
    again = ik.load(path, strict=True)
    # the *_text columns keep what a report says: the writer composes it from the numbers
    cols = [
        c
        for c in original.incidents.columns
        if c not in ("source_file", "source_line") and not c.endswith("_text")
    ]
    pd.testing.assert_frame_equal(again.incidents[cols], original.incidents[cols])
    key = ["incident_id", "timestamp", "kind", "actor", "description"]
    sort = ["timestamp", "kind", "description"]
    pd.testing.assert_frame_equal(
        again.events[key].sort_values(sort).reset_index(drop=True),
        original.events[key].sort_values(sort).reset_index(drop=True),
    )
    ai = ["horizon", "text", "owner", "done"]
    pd.testing.assert_frame_equal(
        again.action_items[ai]
        .sort_values(["horizon", "text"], kind="stable")
        .reset_index(drop=True),
        original.action_items[ai]
        .sort_values(["horizon", "text"], kind="stable")
        .reset_index(drop=True),
    )


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.one_of(st.binary(max_size=400), st.text(max_size=400)),
    st.sampled_from(["x.md", "incidents.csv", "events.csv", "action_items.jsonl"]),
)
def test_any_input_gives_a_set_or_our_error(tmp_path, content, name):
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            result = ik.load(path)
        except ik.IncidentKitError:
            return
    assert isinstance(result, ik.IncidentSet)


# --- the same report, written by a different hand -----------------------------------------------
_EMOJI = ["", "", "📋 ", "🔥 ", "✅ ", "🛠️ "]
_TIME = re.compile(r"(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})(?::(\d{2}))? UTC")
_ZONES = [
    ("UTC", 0),
    ("GMT", 0),
    ("PST", -480),
    ("EDT", -240),
    ("CET", 60),
    ("JST", 540),
    ("+05:30", 330),
]


def _time_as_people_write(m: re.Match, form: int, zone: int) -> str:
    """The same instant in another zone and in one of the forms people write."""
    y, mo, d, h, mi, sec = m.groups()
    ts = pd.Timestamp(f"{y}-{mo}-{d} {h}:{mi}:{sec or '00'}Z")
    name, minutes = _ZONES[zone]
    t = ts.tz_convert(datetime.timezone(datetime.timedelta(minutes=minutes)))
    if t.second:  # seconds: an ISO form with the offset
        return t.isoformat()
    h12, ampm = t.hour % 12 or 12, t.strftime("%p")
    forms = [
        f"{t:%Y-%m-%d %H:%M} {name}",
        f"{t:%B} {t.day}, {t:%Y} {h12}:{t:%M} {ampm} {name}",
        f"{t.day} {t:%b %Y}, {t:%H:%M} {name}",
        f"{t:%Y/%m/%d %H:%M} ({name})",
        f"{t:%d.%m.%Y %H:%M} {name}",
        f"{t:%A, %B} {t.day}, {t:%Y} at {h12}:{t:%M}{ampm.lower()} {name}",
    ]
    return forms[form % len(forms)]


@st.composite
def hands(draw):
    """How one person fills in the template: heading style, label style, time forms, line ends."""
    return {
        "level": draw(st.sampled_from(["##", "###", "#"])),
        "case": draw(st.sampled_from([str, str.upper, str.lower])),
        "emoji": draw(st.sampled_from(_EMOJI)),
        "colon": draw(st.booleans()),
        "label": draw(st.sampled_from(["**{}**:", "**{}:**", "{}:", "__{}__:"])),
        "form": draw(st.integers(0, 5)),
        "zone": draw(st.integers(0, len(_ZONES) - 1)),
        "crlf": draw(st.booleans()),
        "bom": draw(st.booleans()),
    }


def rewrite(text: str, hand: dict) -> str:
    """The writer's report as this hand writes it: same meaning, other forms."""
    deeper = {"##": 0, "###": 1, "#": -1}[hand["level"]]
    out = []
    for line in text.split("\n"):
        m = re.match(r"^(##+) (.*)$", line)
        if m:
            title = hand["case"](m.group(2)) + (":" if hand["colon"] else "")
            line = "#" * (len(m.group(1)) + deeper) + f" {hand['emoji']}{title}"
        m = re.match(r"^(- |)\*\*([^*]+)\*\*: (.*)$", line)
        if m:
            line = f"{m.group(1)}{hand['label'].format(m.group(2))} {m.group(3)}"
        out.append(_TIME.sub(lambda t: _time_as_people_write(t, hand["form"], hand["zone"]), line))
    text = "\n".join(out)
    if hand["crlf"]:
        text = text.replace("\n", "\r\n")
    return ("\ufeff" if hand["bom"] else "") + text


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(incident_sets(), hands())
def test_the_same_report_written_by_another_hand_reads_the_same(tmp_path, original, hand):
    path = tmp_path / "INC-P.md"
    path.write_bytes(rewrite(ik.to_markdown(original, "INC-P"), hand).encode("utf-8"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ik.IncidentKitWarning)
        again = ik.load(path, strict=True)
    cols = ["title", "severity", "status", "users_affected", "services", "downtime_stated"]
    pd.testing.assert_frame_equal(again.incidents[cols], original.incidents[cols])
    key = ["timestamp", "kind", "actor", "description"]
    sort = ["timestamp", "kind", "description"]
    pd.testing.assert_frame_equal(
        again.events[key].sort_values(sort).reset_index(drop=True),
        original.events[key].sort_values(sort).reset_index(drop=True),
    )
    assert list(again.action_items["text"]) == list(
        original.action_items.sort_values("horizon", kind="stable")["text"]
    )


@pytest.mark.parametrize("title", ["TEAM", "Timeline", "Root cause", "Lessons Learned"])
def test_a_title_that_names_a_section_is_written_so_it_reads_back(tmp_path, title):
    """``# Team`` would read as the Team section: such a title goes on a Title line."""
    iset = ik.load(DATA)
    iid = iset.ids[0]
    one = iset.select([iid])
    one.incidents.loc[iid, "title"] = title
    text = ik.to_markdown(one, iid)
    assert text.startswith(f"# {vocab.TEMPLATE_TITLE}\n") and f"**Title**: {title}" in text
    (tmp_path / "r.md").write_text(text, encoding="utf-8")
    again = ik.load(tmp_path / "r.md", strict=True)
    assert again.incidents.loc[iid, "title"] == title
    assert len(again.events) == len(one.events)


def test_a_date_in_the_title_dates_times_written_without_a_year(tmp_path):
    """``# Search brownout (Tue 3/10/2026)``: the times below (``Tue 3/10, 2pm PT``) are in
    that year; a North American zone reads 3/10 month first."""
    (tmp_path / "r.md").write_text(
        "# Search brownout (Tue 3/10/2026)\n\n## Incident Summary\n\n**Incident ID**: S-1\n"
        "**Status**: Resolved\n\n## Timeline\n\n- **Detected**: Tue 3/10, 2pm PT\n"
        "- **Resolved**: Tue 3/10, 5pm PT\n",
        encoding="utf-8",
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        iset = ik.load(tmp_path / "r.md")
    times = iset.events.set_index("kind")["timestamp"]
    assert times["detected"] == pd.Timestamp("2026-03-10 21:00", tz="UTC")  # PDT, UTC-7
    assert times["resolved"] == pd.Timestamp("2026-03-11 00:00", tz="UTC")


def test_a_severity_in_the_report_s_own_words_read_by_its_legend(tmp_path):
    """``🟠 Amber`` with ``🔴 Red = P1 · 🟠 Amber = P2`` in the report: P2, and said; without
    a legend the same word is still an error."""
    head = "# Payments delayed\n\n## Incident Summary\n\n**Incident ID**: F-1\n**Severity**: 🟠 Amber\n"
    legend = "\n**Severity legend (RAG):** 🔴 Red = P1, outage · 🟠 Amber = P2, degraded\n"
    (tmp_path / "a.md").write_text(head + legend, encoding="utf-8")
    (tmp_path / "b.md").write_text(head.replace("F-1", "F-2"), encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        iset = ik.load(tmp_path)
    assert iset.ids == ["F-1"] and iset.incidents.loc["F-1", "severity"] == "P2"
    said = iset.problems.set_index("incident_id")["message"]
    assert "legend (amber = P2)" in said["F-1"]
    errors = iset.problems[iset.problems["level"] == "error"]
    assert errors["file"].str.endswith("b.md").all() and len(errors) == 1
