"""Hand-filled reports written by people who had not read the loader (tests/fixtures/handwritten).

Each ``NAME.md`` is loaded with ``ik.load`` and compared field by field with ``NAME.expected.json``
(what a careful human reads; the rules are in that folder's README.md). One test per report; a
failure lists every field that differs, expected against loaded.
"""

from __future__ import annotations

import itertools
import json
import math
import re
import warnings
from pathlib import Path

import pandas as pd
import pytest

import incident_kit as ik
from incident_kit import vocab

HERE = Path(__file__).resolve().parent / "fixtures" / "handwritten"
REPORTS = sorted(HERE.glob("*.md"), key=lambda p: p.name)
REPORTS = [p for p in REPORTS if p.name != "README.md"]


def _load(path: Path, options: dict) -> ik.IncidentSet:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ik.IncidentKitWarning)
        return ik.load(path, **options)


def _same(expected: object, got: object) -> bool:
    if expected is None:
        return got is None or (not isinstance(got, list | str) and pd.isna(got))
    if isinstance(got, list) or isinstance(expected, list):
        return list(expected) == list(got or [])
    if got is None or (not isinstance(got, str) and pd.isna(got)):
        return False
    if isinstance(expected, bool):
        return bool(got) is expected
    if isinstance(expected, int | float):
        return math.isclose(float(expected), float(got), rel_tol=0, abs_tol=1e-6)
    return str(expected) == str(got)


def _value(inc: pd.Series, key: str) -> object:
    if key == "downtime_seconds":
        v = inc["downtime_stated"]
        return None if pd.isna(v) else pd.Timedelta(v).total_seconds()
    if key in ("report_date", "next_review"):
        v = inc[key]
        return None if pd.isna(v) else pd.Timestamp(v).strftime("%Y-%m-%d")
    if key == "incident_id":
        return inc.name
    return inc[key]


def _incident_text(iset: ik.IncidentSet, iid: str) -> str:
    """Every piece of text the incident keeps: fields, lists, events, action items."""
    inc = iset.incidents.loc[iid]
    parts: list[str] = []
    for value in inc.tolist():
        if isinstance(value, str):
            parts.append(value)
        elif isinstance(value, list):
            parts += [v["text"] if isinstance(v, dict) else str(v) for v in value]
    ev = iset.events[iset.events["incident_id"] == iid]
    for column in ("actor", "role", "description"):
        parts += [str(v) for v in ev[column].dropna()]
    items = iset.action_items[iset.action_items["incident_id"] == iid]
    parts += [str(v) for column in ("text", "owner") for v in items[column].dropna()]
    return "\n".join(parts)


def _problems_on(iset: ik.IncidentSet, path: Path, level: str) -> pd.DataFrame:
    p = iset.problems
    return p[(p["file"] == str(path)) & (p["level"] == level)]


def _titles(markdown: str) -> set[str]:
    """Headings of a Markdown text, ``# Title`` or ``Title`` underlined with = or -."""
    lines = markdown.split("\n")
    atx = {vocab.norm(ln.lstrip("#")) for ln in lines if ln.startswith("#")}
    setext = {
        vocab.norm(ln)
        for ln, under in itertools.pairwise(lines)
        if ln.strip() and re.fullmatch(r" {0,3}(=+|-+)\s*", under)
    }
    return atx | setext


def _check_problems(iset, path, entries, level, diffs) -> None:
    found = _problems_on(iset, path, level)
    for entry in entries:
        here = found[found["line"] == entry["line"]]
        piece = entry.get("value_contains", "").lower()
        ok = any(
            piece in str(r.value).lower() or piece in str(r.message).lower()
            for r in here.itertuples()
        )
        if not ok:
            seen = [f"{r.line}: {r.message}" for r in found.itertuples()]
            diffs.append(f"{level} on line {entry['line']} ({piece!r}): none; {level}s: {seen}")


@pytest.mark.parametrize("path", REPORTS, ids=[p.stem for p in REPORTS])
def test_handwritten_report(path: Path) -> None:
    expected = json.loads(path.with_suffix("").with_suffix(".expected.json").read_text("utf-8"))
    iset = _load(path, expected.get("load_options", {}))
    diffs: list[str] = []
    mine = iset.incidents[iset.incidents["source_file"] == str(path)]
    if not expected.get("loads", True):
        if len(mine):
            diffs.append(f"loads: expected the incident left out, but {list(mine.index)} loaded")
        _check_problems(iset, path, expected.get("errors", []), "error", diffs)
        assert not diffs, "\n".join([f"{path.name}:", *diffs])
        return
    if len(mine) != 1:
        errors = [f"{r.line}: {r.message}" for r in _problems_on(iset, path, "error").itertuples()]
        pytest.fail(f"{path.name}: expected one incident, loaded {len(mine)}; errors: {errors}")
    iid = mine.index[0]
    inc = mine.iloc[0]
    for key, want in expected.get("incident", {}).items():
        got = _value(inc, key)
        if not _same(want, got):
            diffs.append(f"incident.{key}: expected {want!r}, loaded {got!r}")
    ev = iset.events[iset.events["incident_id"] == iid]
    first = ev[ev["kind"] != "update"].drop_duplicates("kind").set_index("kind")
    first.index = first.index.astype(str)
    milestones = expected.get("milestones")
    if milestones is not None:
        for kind in vocab.MILESTONE_LABELS:
            got = first.at[kind, "timestamp"] if kind in first.index else None
            want = pd.Timestamp(milestones[kind]) if kind in milestones else None
            if (want is None) != (got is None) or (want is not None and want != got):
                diffs.append(f"milestones.{kind}: expected {want}, loaded {got}")
    for group, column in (("actors", "actor"), ("roles", "role")):
        for kind, want in expected.get(group, {}).items():
            got = first.at[kind, column] if kind in first.index else None
            if not _same(want, got):
                diffs.append(f"{group}.{kind}: expected {want!r}, loaded {got!r}")
    if "event_count" in expected and len(ev) != expected["event_count"]:
        diffs.append(f"event_count: expected {expected['event_count']}, loaded {len(ev)}")
    if "action_items" in expected:
        items = iset.action_items[iset.action_items["incident_id"] == iid]
        got_items = [
            {
                "text": r.text,
                "owner": None if pd.isna(r.owner) else r.owner,
                "due": None if pd.isna(r.due) else r.due.strftime("%Y-%m-%d"),
                "done": bool(r.done),
                "horizon": None if pd.isna(r.horizon) else str(r.horizon),
            }
            for r in items.itertuples()
        ]
        want_items = expected["action_items"]
        if len(got_items) != len(want_items):
            diffs.append(f"action_items: expected {len(want_items)}, loaded {len(got_items)}")
        for i, (want, got) in enumerate(zip(want_items, got_items, strict=False)):
            for key, value in want.items():
                if not _same(value, got[key]):
                    diffs.append(
                        f"action_items[{i}].{key}: expected {value!r}, loaded {got[key]!r}"
                    )
    if expected.get("text_kept"):
        text = _incident_text(iset, iid)
        for snippet in expected["text_kept"]:
            if snippet not in text:
                diffs.append(f"text_kept: {snippet!r} is not in the incident's text")
    if expected.get("extra_sections"):
        kept = inc["extra_sections"] or ""
        titles = _titles(kept)
        for title in expected["extra_sections"]:
            if vocab.norm(title) not in titles:
                diffs.append(f"extra_sections: {title!r} not kept (have {sorted(titles)})")
    _check_problems(iset, path, expected.get("warnings", []), "warning", diffs)
    assert not diffs, "\n".join([f"{path.name} ({iid}):", *diffs])
