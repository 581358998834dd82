"""Hand-made tables nobody on the team had seen (tests/fixtures/unseen_tables): each folder
loads with the values a careful reader takes, its bad cells cost their field or row (a located
warning) and its unreadable milestones their incident (a located error)."""

from __future__ import annotations

import json
import math
import warnings
from pathlib import Path

import pandas as pd
import pytest

import incident_kit as ik

HERE = Path(__file__).resolve().parent / "fixtures" / "unseen_tables"
CASES = sorted(p.name.removesuffix(".expected.json") for p in HERE.glob("*.expected.json"))


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


@pytest.mark.parametrize("case", CASES)
def test_unseen_table_folder(case):
    expected = json.loads((HERE / f"{case}.expected.json").read_text(encoding="utf-8"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ik.IncidentKitWarning)
        iset = ik.load(HERE / case)
    diffs = []
    for iid, fields in expected.get("incidents", {}).items():
        if iid not in iset.ids:
            diffs.append(f"{iid}: not loaded")
            continue
        inc = iset.incidents.loc[iid]
        for field, want in fields.items():
            got = _value(inc, field)
            if not _same(got, want):
                diffs.append(f"{iid}.{field}: expected {want!r}, loaded {got!r}")
    diffs += [f"{iid}: loaded, expected left out" for iid in expected.get("left_out", [])
              if iid in iset.ids]  # fmt: skip
    ev = iset.events
    for iid, kinds in expected.get("milestones", {}).items():
        for kind, when in kinds.items():
            got = ev.loc[(ev["incident_id"] == iid) & (ev["kind"] == kind), "timestamp"].min()
            if pd.isna(got) or got != pd.Timestamp(when):
                diffs.append(f"{iid}.{kind}: expected {when}, loaded {got}")
    p = iset.problems
    for key, level in (("warnings_on", None), ("errors_on", "error")):
        for name, line in expected.get(key, []):
            here = p[p["file"].str.endswith(name) & (p["line"] == line)]
            if level is not None:
                here = here[here["level"] == level]
            if here.empty:
                diffs.append(f"{key}: no problem on {name}:{line}")
    assert not diffs, "\n".join([case, *diffs])
