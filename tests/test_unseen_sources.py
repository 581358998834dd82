"""Tables and tool exports nobody on the team had seen (tests/fixtures/unseen_tables,
tests/fixtures/unseen_exports): each folder loads with the values a careful reader takes, a
bad cell costs its field or row (a located warning), a bad record only that record, and an
unreadable milestone its incident (a located error)."""

from __future__ import annotations

import json
import math
import warnings
from pathlib import Path

import pandas as pd
import pytest

import incident_kit as ik

FIXTURES = Path(__file__).resolve().parent / "fixtures"
CASES = [
    pytest.param(folder, p.name.removesuffix(".expected.json"), id=p.name.split(".")[0])
    for folder in ("unseen_tables", "unseen_exports")
    for p in sorted((FIXTURES / folder).glob("*.expected.json"))
]


def _value(inc: pd.Series, field: str):
    if field == "downtime_seconds":
        got = inc["downtime_stated"]
        return None if pd.isna(got) else got.total_seconds()
    got = inc[field]
    if isinstance(got, list):
        return got
    if got is None or pd.isna(got):
        return None
    if hasattr(got, "strftime"):
        return got.strftime("%Y-%m-%d")
    return got.item() if hasattr(got, "item") else got


def _same(got, expected) -> bool:
    if isinstance(expected, float) and isinstance(got, (int, float)):
        return math.isclose(float(got), expected, rel_tol=1e-6)
    return got == expected


def _field_diffs(iset: ik.IncidentSet, expected: dict) -> list[str]:
    diffs = []
    for iid, fields in expected.get("incidents", {}).items():
        if iid not in iset.ids:
            diffs.append(f"{iid}: not loaded (loaded {iset.ids})")
            continue
        inc = iset.incidents.loc[iid]
        diffs += [f"{iid}.{k}: expected {v!r}, loaded {_value(inc, k)!r}"
                  for k, v in fields.items() if not _same(_value(inc, k), v)]  # fmt: skip
    left_out = expected.get("left_out", []) + expected.get("left_out_records", [])
    diffs += [f"{iid}: loaded, expected left out" for iid in left_out if iid in iset.ids]
    if left_out and not (iset.problems["level"] == "error").any():
        diffs.append("incidents left out without an error")
    return diffs


def _milestone_diffs(iset: ik.IncidentSet, expected: dict) -> list[str]:
    ev, diffs = iset.events, []
    for iid, kinds in expected.get("milestones", {}).items():
        for kind, when in kinds.items():
            got = ev.loc[(ev["incident_id"] == iid) & (ev["kind"] == kind), "timestamp"].min()
            if pd.isna(got) or got != pd.Timestamp(when):
                diffs.append(f"{iid}.{kind}: expected {when}, loaded {got}")
    return diffs


def _problem_diffs(iset: ik.IncidentSet, expected: dict) -> list[str]:
    p, diffs = iset.problems, []
    for key, level in (("warnings_on", None), ("errors_on", "error")):
        for name, line in expected.get(key, []):
            here = p[p["file"].str.endswith(name) & (p["line"] == line)]
            if level is not None:
                here = here[here["level"] == level]
            if here.empty:
                diffs.append(f"{key}: no problem on {name}:{line}")
    return diffs


@pytest.mark.parametrize(("folder", "case"), CASES)
def test_unseen_folder(folder, case):
    here = FIXTURES / folder
    expected = json.loads((here / f"{case}.expected.json").read_text(encoding="utf-8"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ik.IncidentKitWarning)
        iset = ik.load(here / case)
    diffs = _field_diffs(iset, expected) + _milestone_diffs(iset, expected)
    diffs += _problem_diffs(iset, expected)
    assert not diffs, "\n".join([case, *diffs])
