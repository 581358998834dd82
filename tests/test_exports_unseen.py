"""Tool exports nobody on the team had seen (tests/fixtures/unseen_exports): each folder loads
its records with the writer's values, and a bad record costs only that record."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pandas as pd
import pytest

import incident_kit as ik

HERE = Path(__file__).resolve().parent / "fixtures" / "unseen_exports"
CASES = sorted(p.name.removesuffix(".expected.json") for p in HERE.glob("*.expected.json"))


@pytest.mark.parametrize("case", CASES)
def test_unseen_export_folder(case):
    expected = json.loads((HERE / f"{case}.expected.json").read_text(encoding="utf-8"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ik.IncidentKitWarning)
        iset = ik.load(HERE / case)
    diffs = []
    for iid, fields in expected.get("incidents", {}).items():
        if iid not in iset.ids:
            diffs.append(f"{iid}: not loaded (loaded {iset.ids})")
            continue
        inc = iset.incidents.loc[iid]
        diffs += [f"{iid}.{k}: expected {v!r}, loaded {inc[k]!r}"
                  for k, v in fields.items() if inc[k] != v]  # fmt: skip
    for iid in expected.get("left_out_records", []):
        if iid in iset.ids:
            diffs.append(f"{iid}: loaded, expected left out")
        elif not (iset.problems["level"] == "error").any():
            diffs.append(f"{iid}: left out without an error")
    ev = iset.events
    for iid, kinds in expected.get("milestones", {}).items():
        for kind, when in kinds.items():
            got = ev.loc[(ev["incident_id"] == iid) & (ev["kind"] == kind), "timestamp"].min()
            if pd.isna(got) or got != pd.Timestamp(when):
                diffs.append(f"{iid}.{kind}: expected {when}, loaded {got}")
    assert not diffs, "\n".join([case, *diffs])
