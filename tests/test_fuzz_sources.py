"""Fuzzing the table and tool readers: any input gives an IncidentSet or our own error, and a
bad value costs its field (tables) or its record (tool exports), never the rest."""

from __future__ import annotations

import csv
import functools
import io
import json
import random
import tempfile
import warnings
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import incident_kit as ik
from incident_kit.model import INCIDENT_COLUMNS

FIX = Path(__file__).resolve().parent / "fixtures"
SETTINGS = settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
INCIDENT_FIELDS = [c for c in INCIDENT_COLUMNS if c not in ("source_file", "source_line")]
#: Fields whose value the durations depend on: a bad one may cost the incident.
NEEDED = {"severity", "status"}

# cells as people and tools leave them: blank, whitespace, placeholders, junk, unicode,
# numbers where text is expected, text where numbers are, separators and quotes
odd_text = st.one_of(
    st.sampled_from(
        [
            "",
            " ",
            "\t",
            "  \u00a0",
            "[number]",
            "[]",
            "N/A",
            "none",
            "-",
            "?",
            "0",
            "-5",
            "1e400",
            "nan",
            "inf",
            "True",
            "yes",
            "[x]",
            '"',
            "'",
            ",",
            ";",
            "a;b",
            "{}",
            "[1, 2]",
            '["a"]',
            "12k",
            "$",
            "€3k",
            "1h 27m",
            "87",
            "2026-13-45",
            "2026-03-04",
            "P1",
            "p2",
            "SEV-1",
            "Resolved",
            "ünïcödé",
            "名前",
            "🔥",
            "\u202e",
            "x" * 300,
        ]
    ),
    st.text(max_size=30),
)
json_value = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**18), 10**18) | st.floats() | odd_text,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)


def _load(*paths, **kw) -> ik.IncidentSet | None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            result = ik.load(*paths, **kw)
        except ik.IncidentKitError:
            return None
    assert isinstance(result, ik.IncidentSet)
    assert all(
        str(p.file) and p.message and "\n" not in p.message for p in result.problems.itertuples()
    )
    return result


def fresh(tmp_path: Path) -> Path:
    """A new folder per example (hypothesis runs every example in the same tmp_path)."""
    return Path(tempfile.mkdtemp(dir=tmp_path))


def _csv(header: list[str], rows: list[list[str]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


GOOD = {"incident_id": "F-1", "title": "Kept", "severity": "P2", "status": "Resolved"}
EVENTS = (
    "incident_id,timestamp,kind,actor,role,description\n"
    "F-1,2026-01-01T00:00:00Z,detected,,,\n"
    "F-1,2026-01-01T01:00:00Z,resolved,,,\n"
)


@SETTINGS
@given(st.dictionaries(st.sampled_from(INCIDENT_FIELDS), odd_text, min_size=1, max_size=8))
def test_any_cells_in_incidents_csv_cost_at_most_their_fields(tmp_path, cells):
    tmp_path = fresh(tmp_path)
    row = {**GOOD, **{k: v for k, v in cells.items() if k not in NEEDED}}
    header = list(row)
    (tmp_path / "incidents.csv").write_text(_csv(header, [[row[h] for h in header]]), "utf-8")
    (tmp_path / "events.csv").write_text(EVENTS, "utf-8")
    iset = _load(tmp_path)
    assert iset is not None and iset.ids == ["F-1"], iset.problems.to_dict("records")
    assert ik.durations(iset, as_of="2030-01-01T00:00Z").at[
        "F-1", "time_to_resolve"
    ] == pd.Timedelta(hours=1)
    assert (iset.problems["level"] == "warning").all()


@SETTINGS
@given(st.dictionaries(st.sampled_from(INCIDENT_FIELDS), json_value, min_size=1, max_size=8))
def test_any_json_values_in_incidents_jsonl_cost_at_most_their_fields(tmp_path, cells):
    tmp_path = fresh(tmp_path)
    row = {**GOOD, **{k: v for k, v in cells.items() if k not in NEEDED}}
    (tmp_path / "incidents.jsonl").write_text(json.dumps(row) + "\n", "utf-8")
    (tmp_path / "events.csv").write_text(EVENTS, "utf-8")
    iset = _load(tmp_path)
    assert iset is not None and iset.ids == ["F-1"], iset.problems.to_dict("records")
    assert (iset.problems["level"] == "warning").all()


event_rows = st.lists(
    st.fixed_dictionaries(
        {
            "incident_id": st.sampled_from(["F-1", "F-2", "", " ", "F-1 "]) | odd_text,
            "timestamp": st.sampled_from(
                ["2026-01-01T00:30:00Z", "2026-01-01 00:40", "2026-01-01 00:40 Europe/Berlin", ""]
            )
            | odd_text,
            "kind": st.sampled_from(["update", "detected", "Resolved", "ack", ""]) | odd_text,
            "actor": odd_text,
            "description": odd_text,
        }
    ),
    max_size=6,
)


@SETTINGS
@given(event_rows, st.sampled_from(["csv", "jsonl"]), st.booleans())
def test_any_event_rows_leave_other_incidents_whole(tmp_path, rows, fmt, blank_line):
    """Fuzzed events of F-1 and others never touch F-9, whose events are valid."""
    tmp_path = fresh(tmp_path)
    valid = [
        {"incident_id": "F-9", "timestamp": "2026-01-01T00:00:00Z", "kind": "detected"},
        {"incident_id": "F-9", "timestamp": "2026-01-01T02:00:00Z", "kind": "resolved"},
    ]
    all_rows = rows + valid
    header = ["incident_id", "timestamp", "kind", "actor", "description"]
    if fmt == "csv":
        text = _csv(header, [[r.get(h, "") for h in header] for r in all_rows])
    else:
        text = "".join(json.dumps(r) + "\n" for r in all_rows)
    if blank_line:
        text = text.replace("\n", "\n\n", 1)
    (tmp_path / f"events.{fmt}").write_text(text, "utf-8")
    (tmp_path / "incidents.csv").write_text(
        "incident_id,status\nF-1,Active\nF-2,Active\nF-9,Resolved\n", "utf-8"
    )
    iset = _load(tmp_path)
    assert iset is not None and "F-9" in iset.ids
    assert ik.durations(iset, as_of="2030-01-01T00:00Z").at[
        "F-9", "time_to_resolve"
    ] == pd.Timedelta(hours=2)


@SETTINGS
@given(
    st.lists(st.lists(odd_text | json_value.map(json.dumps), max_size=8), max_size=5),
    st.sampled_from(["incidents", "events", "action_items"]),
    st.sampled_from(["csv", "jsonl"]),
)
@example(rows=[['"', ""], ["", '"'], ["", ""]], name="incidents", fmt="csv")  # a header on 2 lines
def test_any_rows_in_any_table_give_a_set_or_our_error(tmp_path, rows, name, fmt):
    tmp_path = fresh(tmp_path)
    if fmt == "csv":
        text = "\n".join(",".join(r) for r in rows)
    else:
        text = "\n".join(
            "{" + ",".join(r) + "}" if i % 2 else ",".join(r) for i, r in enumerate(rows)
        )
    (tmp_path / f"{name}.{fmt}").write_text(text, "utf-8")
    _load(tmp_path)


# -- tool exports: mutate one record anywhere, every other record still loads ---------------
TOOLS = {
    "statuspage": ([FIX / "statuspage_incidents.json"], "incidents"),
    "pagerduty": ([FIX / "pagerduty_incidents.json", FIX / "pagerduty_log_entries.json"], None),
    "opsgenie": ([FIX / "opsgenie_alerts.json"], "data"),
}


def _paths(node: object, prefix: tuple = ()) -> list[tuple]:
    """Every path to a value inside a JSON tree."""
    out = [prefix]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*prefix, i))
    return out


def _mutated(data: object, path: tuple, value: object, delete: bool) -> object:
    data = json.loads(json.dumps(data))
    if not path:
        return value
    parent = data
    for key in path[:-1]:
        parent = parent[key]
    if delete:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return data


def _iid(tool: str, record: dict) -> str | None:
    if not isinstance(record, dict):
        return None
    prefix = {"statuspage": "SP-", "pagerduty": "PD-", "opsgenie": "OG-"}[tool]
    if tool == "opsgenie":
        return prefix + str(record.get("tinyId") or record.get("id"))
    if tool == "pagerduty" and "incident" in record and isinstance(record["incident"], dict):
        return prefix + str(record["incident"].get("id"))
    return prefix + str(record.get("id"))


@functools.cache
def _unchanged(tool: str, tz: str) -> ik.IncidentSet:
    result = _load(*TOOLS[tool][0], default_tz=tz)
    assert result is not None
    return result


@SETTINGS
@given(
    st.sampled_from(sorted(TOOLS)),
    st.randoms(use_true_random=False),
    json_value,
    st.booleans(),
    st.sampled_from(["UTC", "Europe/Berlin"]),
)
def test_a_fuzzed_tool_record_costs_that_record_only(
    tmp_path, tool, rnd: random.Random, value, delete, tz
):
    tmp_path = fresh(tmp_path)
    files, _ = TOOLS[tool]
    before = _unchanged(tool, tz)
    which = rnd.randrange(len(files))
    data = json.loads(files[which].read_text("utf-8"))
    key = next(k for k in ("incidents", "log_entries", "data") if k in data)
    index = rnd.randrange(len(data[key]))
    record = data[key][index]
    inner = rnd.choice(_paths(record))
    changed = _mutated(data, (key, index, *inner), value, delete and bool(inner))
    copies = []
    for i, path in enumerate(files):
        copy = tmp_path / path.name
        copy.write_text(json.dumps(changed) if i == which else path.read_text("utf-8"), "utf-8")
        copies.append(copy)
    after = _load(*copies, format=tool, default_tz=tz)
    assert after is not None
    touched = {_iid(tool, record)}
    lost = set(before.ids) - set(after.ids)
    assert lost <= touched, (lost, inner, value)
    for iid in set(before.ids) - touched:
        at = "2030-01-01T00:00Z"  # one clock for both: open incidents are measured to it
        a, b = ik.durations(before, as_of=at).loc[iid], ik.durations(after, as_of=at).loc[iid]
        pd.testing.assert_series_equal(a, b)


@SETTINGS
@given(json_value, st.sampled_from(sorted(TOOLS)))
def test_any_json_as_a_tool_export_gives_a_set_or_our_error(tmp_path, value, tool):
    tmp_path = fresh(tmp_path)
    path = tmp_path / "export.json"
    path.write_text(json.dumps(value), "utf-8")
    _load(path, format=tool)
    wrapped = {
        "incidents": [value],
        "log_entries": [value],
        "data": [value],
        "incident_updates": [],
    }
    path.write_text(json.dumps(wrapped), "utf-8")
    _load(path, format=tool)
