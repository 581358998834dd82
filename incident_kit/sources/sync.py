"""Import sync: write tool incidents as Markdown reports, keeping what people wrote.

Each report written by an import ends with a comment holding what that import wrote
(``<!-- incident-kit import {...} -->``). A later import compares, field by field, the
report now (what a person may have edited), that record (what the last import wrote) and
the tool's new data: a field the person did not touch takes the tool's new value; a field
the person changed keeps the person's value (a *conflict* when the tool changed it too).
A report that cannot be read without errors is never overwritten: the import goes to
``<id>.imported.md`` beside it. Every file gets a state: created, updated, unchanged or
conflict.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import Problem
from ..files import atomic_write, safe_name
from ..model import IncidentSet, action_items_frame, events_frame, incidents_frame
from ..validate import validate
from .base import ReadOptions
from .markdown import SYNC_MARK, parse
from .markdown_write import render, render_all

_MARK = re.compile(re.escape(SYNC_MARK) + r" import (?P<json>\{.*?\}) -->", re.S)
#: Columns that are where a report lives, not what it says.
_WHERE = ("source_file", "source_line")


@dataclass
class Synced:
    """What an import did with one incident's report."""

    path: Path
    state: str  # created | updated | unchanged | conflict
    fields: list[str] = field(default_factory=list)  # conflicting fields (kept as written)
    detail: str = ""

    def __str__(self) -> str:
        extra = f" ({self.detail})" if self.detail else ""
        if self.fields and not self.detail:
            extra = f" (kept your {', '.join(self.fields)}; the tool has other values)"
        return f"{self.state} {self.path}{extra}"

    def __iter__(self):  # (path, state) unpacking, as before
        return iter((self.path, self.state))


def write_folder(iset: IncidentSet, folder: str | Path) -> list[Synced]:
    """Write each incident as ``folder/<safe id>.md``, keeping what people wrote in reports
    that are already there (see the module docstring). Returns one :class:`Synced` each."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    done = []
    for iid, text in render_all(iset):
        done.append(_sync_one(folder / f"{safe_name(iid)}.md", iid, text))
    return done


def _sync_one(path: Path, iid: str, text: str) -> Synced:
    theirs = _read_back(text, path)
    if not path.exists():
        atomic_write(path, _with_mark(text, theirs))
        return Synced(path, "created")
    existing = path.read_text(encoding="utf-8")
    mine_set, problems = _read(existing, path)
    if mine_set is None or iid not in mine_set.incidents.index:
        beside = path.with_name(path.stem + ".imported.md")
        atomic_write(beside, _with_mark(text, theirs))
        why = problems[0] if problems else f"it does not hold incident {iid}"
        return Synced(
            path, "conflict", detail=f"not changed: {why}; the import is in {beside.name}"
        )
    mine = snapshot(mine_set, iid)
    base = _mark_of(existing)
    merged, taken, conflicts = merge(base, mine, theirs)
    if not taken:
        state = "conflict" if conflicts else "unchanged"
        return Synced(path, state, conflicts)
    new = _with_mark(render(_rebuild(mine_set, iid, merged), iid), theirs)
    atomic_write(path, new)
    return Synced(path, "conflict" if conflicts else "updated", conflicts)


def _read(text: str, path: Path) -> tuple[IncidentSet | None, list[str]]:
    """The report as an IncidentSet, or None with the errors that stop it loading."""
    iset = validate(parse(text, path, ReadOptions()))
    errors = iset.problems[iset.problems["level"] == "error"]
    if len(errors):
        rows = [
            Problem(**{k: (None if pd.isna(v) else v) for k, v in r.items()})
            for r in errors.to_dict("records")
        ]
        return None, [str(p) for p in rows]
    return iset, []


def _read_back(text: str, path: Path) -> dict:
    """What a report written now reads back as (the form ``mine`` is compared in)."""
    iset = validate(parse(text, path, ReadOptions()))
    return snapshot(iset, iset.ids[0]) if len(iset) else {}


# --- snapshots and the three-way merge --------------------------------------------------------
def snapshot(iset: IncidentSet, iid: str) -> dict:
    """Every field of one incident as JSON values: incident columns, each milestone (time,
    who, to whom), the set of updates, and the action items."""
    inc = iset.incidents.loc[iid]
    out: dict[str, object] = {}
    for column, value in inc.items():
        if column not in _WHERE:
            out[column] = _json(value)
    ev = iset.events[iset.events["incident_id"] == iid]
    updates = []
    for row in ev.to_dict("records"):
        item = [
            _json(row["timestamp"]),
            _json(row["actor"]),
            _json(row["role"]),
            _json(row["description"]),
        ]
        kind = str(row["kind"])
        if kind == "update" or f"event:{kind}" in out:
            updates.append([kind, *item])
        else:
            out[f"event:{kind}"] = item
    out["updates"] = sorted(updates, key=lambda u: [str(x) for x in u])
    items = iset.action_items[iset.action_items["incident_id"] == iid]
    out["action_items"] = [
        [_json(r["horizon"]), r["text"], _json(r["owner"]), _json(r["due"]), bool(r["done"])]
        for r in items.to_dict("records")
    ]
    return out


def _json(value: object) -> object:
    if isinstance(value, list):
        return [_json(v) for v in value]
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if isinstance(value, pd.Timedelta):
        return value.total_seconds()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value if isinstance(value, str | int | float | bool) else str(value)


def merge(base: dict | None, mine: dict, theirs: dict) -> tuple[dict, list[str], list[str]]:
    """Three-way merge of snapshots: ``(merged, fields taken from the tool, conflicts)``.

    With no record of the last import (``base`` None) a field is taken from the tool only
    where the report has nothing; a different value the report has is kept (a conflict).
    """
    merged = dict(mine)
    taken, conflicts = [], []
    for key in sorted(set(mine) | set(theirs)):
        if key == "updates":
            continue
        m, t = mine.get(key), theirs.get(key)
        b = base.get(key) if base is not None else None
        if m == t or (_empty(t) and base is None):
            continue
        if (base is not None and m == b) or (base is None and _empty(m)):
            merged[key] = t
            taken.append(key)
        elif base is not None and t == b:
            continue  # the person changed it; the tool did not
        else:
            conflicts.append(key)
    # updates: keep the person's own, add the tool's new ones, drop those the tool removed
    mine_u = {json.dumps(u) for u in mine.get("updates", [])}
    theirs_u = {json.dumps(u) for u in theirs.get("updates", [])}
    base_u = {json.dumps(u) for u in (base or {}).get("updates", [])}
    result = (mine_u - (base_u - theirs_u)) | (theirs_u - base_u)
    if result != mine_u:
        merged["updates"] = sorted(json.loads(u) for u in result)
        taken.append("updates")
    return merged, taken, conflicts


def _empty(value: object) -> bool:
    return value is None or value == [] or value == ""


def _rebuild(mine_set: IncidentSet, iid: str, merged: dict) -> IncidentSet:
    """The IncidentSet a merged snapshot describes."""
    inc = {
        k: v
        for k, v in merged.items()
        if not k.startswith("event:") and k not in ("updates", "action_items")
    }
    inc["incident_id"] = iid
    if inc.get("downtime_stated") is not None:
        inc["downtime_stated"] = pd.Timedelta(seconds=inc["downtime_stated"])
    for column in ("report_date", "next_review"):
        if inc.get(column) is not None:
            inc[column] = pd.Timestamp(inc[column])
    events = []
    for key, value in merged.items():
        if key.startswith("event:") and value is not None:
            events.append(_event(iid, key[6:], value))
    events += [_event(iid, u[0], u[1:]) for u in merged.get("updates", [])]
    items = [
        {"incident_id": iid, "horizon": h, "text": text, "owner": owner,
         "due": None if due is None else pd.Timestamp(due), "done": done, "source": None}
        for h, text, owner, due, done in merged.get("action_items", [])
    ]  # fmt: skip
    return IncidentSet(incidents_frame([inc]), events_frame(events), action_items_frame(items))


def _event(iid: str, kind: str, value: list) -> dict:
    ts, actor, role, description = value
    return {"incident_id": iid, "timestamp": pd.Timestamp(ts), "kind": kind, "actor": actor,
            "role": role, "description": description, "source": None}  # fmt: skip


# --- the record of the last import -------------------------------------------------------------
def _with_mark(text: str, state: dict) -> str:
    data = json.dumps(state, ensure_ascii=True, sort_keys=True, separators=(",", ":"))
    data = data.replace("--", "-\\u002d")  # never close the comment early
    return text.rstrip("\n") + f"\n\n{SYNC_MARK} import {data} -->\n"


def _mark_of(text: str) -> dict | None:
    m = _MARK.search(text)
    if m is None:
        return None
    try:
        return json.loads(m.group("json"))
    except ValueError:
        return None
