"""Canonical tables: incidents, events and action items as CSV or JSON Lines.

A folder (or explicit files) holding ``incidents.csv`` + ``events.csv`` (and optionally
``action_items.csv``); ``.jsonl`` files with the same columns work too. Parsing is
column-wise, so a million events load in seconds. ``write`` is the inverse.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from .. import fields as F
from ..errors import Problem
from ..model import INCIDENT_COLUMNS, LIST_FIELDS, IncidentSet, Parts
from .base import ReadOptions, kind_name

TABLE_NAMES = ("incidents", "events", "action_items")
SUFFIXES = (".csv", ".jsonl", ".ndjson")


def sniff(path: Path, head: str) -> bool:
    return path.stem.lower() in TABLE_NAMES and path.suffix.lower() in SUFFIXES


def read_frame(path: Path) -> tuple[pd.DataFrame, int]:
    """The table as strings (objects for JSON), plus the line number of its first data row."""
    if path.suffix.lower() == ".csv":
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
        return frame, 2
    records = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            records.append(json.loads(line))
    return pd.DataFrame(records), 1


class Table:
    """Column-wise parsing of one table with located problems."""

    def __init__(self, path: Path, frame: pd.DataFrame, first_line: int):
        self.path, self.frame = path, frame
        # line numbers: the header is line 1 in CSV; JSON Lines has no header
        self.lines = pd.Series(np.arange(len(frame)) + first_line, index=frame.index)
        self.problems: list[Problem] = []
        self.ids = frame["incident_id"].astype("object") if "incident_id" in frame else None

    def add(self, mask: pd.Series, field: str, reason: str | pd.Series, level="error"):
        for idx in mask.index[mask.to_numpy()]:
            value = self.frame.at[idx, field]
            why = reason if isinstance(reason, str) else reason.at[idx]
            iid = self.ids.at[idx] if self.ids is not None else None
            self.problems.append(
                Problem(
                    str(self.path),
                    int(self.lines.at[idx]),
                    field,
                    str(value),
                    f"{field} {str(value)!r} {why}",
                    None if pd.isna(iid) else str(iid),
                    level,
                )
            )

    def require(self, columns: tuple[str, ...]) -> bool:
        missing = [c for c in columns if c not in self.frame.columns]
        if missing:
            self.problems.append(
                Problem(
                    str(self.path),
                    1,
                    missing[0],
                    "",
                    f"{self.path.name} has no column {missing[0]!r} "
                    f"(columns: {', '.join(map(str, self.frame.columns))})",
                )
            )
        return not missing

    def times(self, column: str, default_tz: str) -> pd.Series:
        times, error, assumed = F.parse_times(self.frame[column], default_tz)
        self.add(error.notna(), column, error)
        self.add(assumed, column, f"has no time zone; assumed {default_tz}", "warning")
        return times

    def apply(self, column: str, fn) -> pd.Series:
        """Parse a column value by value with ``fn`` (for small, per-incident columns)."""
        out, errors = [], {}
        for idx, value in self.frame[column].items():
            text = (
                None if (value is None or (isinstance(value, float) and np.isnan(value))) else value
            )
            if isinstance(text, str):
                text = F.clean(text)
            if text is None:
                out.append(None)
                continue
            try:
                out.append(fn(text) if isinstance(text, str) else text)
            except ValueError as exc:
                errors[idx] = str(exc)
                out.append(None)
        if errors:
            reasons = pd.Series(errors)
            self.add(
                self.frame.index.to_series().isin(reasons.index),
                column,
                reasons.reindex(self.frame.index),
            )
        return pd.Series(out, index=self.frame.index, dtype="object")


def _as_list(value: object, seps: str) -> list:
    if isinstance(value, list):
        return value
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return []
    text = str(value)
    if text.startswith("["):
        try:
            loaded = json.loads(text)
            if isinstance(loaded, list):
                return loaded
        except ValueError:
            pass
    return F.split_list(text, seps)


def parse_incidents(table: Table, default_tz: str) -> pd.DataFrame:
    f = table.frame
    if not table.require(("incident_id",)):
        return pd.DataFrame()
    out = pd.DataFrame({"incident_id": f["incident_id"].astype(str).str.strip()})
    out["source_file"] = str(table.path)
    out["source_line"] = table.lines
    for column in INCIDENT_COLUMNS:
        if column not in f.columns or column in ("source_file", "source_line"):
            continue
        if column == "severity":
            out[column] = table.apply(column, F.parse_severity)
        elif column == "status":
            out[column] = table.apply(column, F.parse_status)
        elif column == "users_affected":

            def count(text):
                n, _ = F.parse_users(str(text))
                return n

            out[column] = table.apply(column, count)
        elif column == "users_affected_pct":
            out[column] = table.apply(
                column, lambda t: F.parse_users(str(t) + ("" if str(t).endswith("%") else "%"))[1]
            )
        elif column == "downtime_stated":
            out[column] = table.apply(column, F.parse_duration)
        elif column in ("report_date", "next_review"):
            out[column] = table.apply(column, F.parse_date)
        elif column in LIST_FIELDS:
            seps = ";" if column == "services" else "\n"
            out[column] = [_as_list(v, seps) for v in f[column]]
        elif column == "prevention":
            out[column] = [_prevention(v) for v in f[column]]
        elif str(INCIDENT_COLUMNS[column]) == "boolean":
            out[column] = table.apply(column, _bool)
        elif column in ("financial_amount",):
            out[column] = table.apply(column, float)
        else:
            out[column] = [F.clean(v) if isinstance(v, str) else None for v in f[column]]
    if "financial_impact" in out and "financial_amount" not in f.columns:
        money = [F.parse_money(v) if v else (None, None) for v in out["financial_impact"]]
        out["financial_amount"] = [m[0] for m in money]
        out["financial_currency"] = [m[1] for m in money]
    if "data_loss" in out and "has_data_loss" not in f.columns:
        out["has_data_loss"] = [F.has_data_loss(v) for v in out["data_loss"]]
    return out


def _bool(text: str) -> bool:
    key = str(text).strip().lower()
    if key in ("true", "yes", "1", "x", "[x]", "done"):
        return True
    if key in ("false", "no", "0", "", "[ ]", "open"):
        return False
    raise ValueError("is not true/false")


def _prevention(value: object) -> list[dict]:
    if isinstance(value, list):
        return [v if isinstance(v, dict) else {"text": str(v), "done": False} for v in value]
    out = []
    for line in _as_list(value, "\n"):
        if isinstance(line, dict):
            out.append(line)
            continue
        head = line[:3].lower()
        done = head == "[x]"
        text = line[3:].strip() if head in ("[x]", "[ ]") else line
        out.append({"text": text, "done": done})
    return out


def parse_events(table: Table, default_tz: str) -> pd.DataFrame:
    f = table.frame
    if not table.require(("incident_id", "timestamp", "kind")):
        return pd.DataFrame()
    kinds_raw = f["kind"].astype(str)
    uniques = {k: kind_name(k) for k in kinds_raw.unique()}
    kinds = kinds_raw.map(uniques)
    table.add(kinds.isna(), "kind", "is not an event kind")
    times = table.times("timestamp", default_tz)
    table.add(times.isna() & f["timestamp"].isna(), "timestamp", "is missing")
    out = pd.DataFrame(
        {
            "incident_id": f["incident_id"].astype(str).str.strip(),
            "timestamp": times,
            "kind": kinds,
        }
    )
    for column in ("actor", "role", "description"):
        col = f[column] if column in f.columns else pd.Series(None, index=f.index, dtype="object")
        out[column] = col.where(col.notna(), None)
    out["source"] = str(table.path) + ":" + table.lines.astype(str)
    return out[out["timestamp"].notna() & out["kind"].notna()]


def parse_action_items(table: Table, default_tz: str) -> pd.DataFrame:
    f = table.frame
    if not table.require(("incident_id", "text")):
        return pd.DataFrame()
    horizons = (
        f["horizon"].fillna("short_term").str.strip().str.lower().str.replace(" ", "_")
        if "horizon" in f
        else pd.Series("short_term", index=f.index)
    )
    bad = ~horizons.isin(["immediate", "short_term", "long_term"])
    table.add(bad, "horizon", "is not a horizon (immediate, short_term, long_term)")
    out = pd.DataFrame(
        {
            "incident_id": f["incident_id"].astype(str).str.strip(),
            "horizon": horizons,
            "text": f["text"],
        }
    )
    out["owner"] = f["owner"].where(f["owner"].notna(), None) if "owner" in f else None
    out["due"] = table.apply("due", F.parse_date) if "due" in f else None
    out["done"] = table.apply("done", _bool).fillna(False).astype(bool) if "done" in f else False
    out["source"] = str(table.path) + ":" + table.lines.astype(str)
    return out[~bad]


def read(paths: list[Path], options: ReadOptions) -> Parts:
    """Read canonical incident/event/action-item tables."""
    parts = Parts(pd.DataFrame(), pd.DataFrame(), pd.DataFrame())
    readers = {
        "incidents": parse_incidents,
        "events": parse_events,
        "action_items": parse_action_items,
    }
    for path in paths:
        frame, first = read_frame(path)
        table = Table(path, frame, first)
        result = readers[path.stem.lower()](table, options.default_tz)
        piece = Parts(pd.DataFrame(), pd.DataFrame(), pd.DataFrame(), table.problems)
        setattr(piece, path.stem.lower(), result)
        parts.extend(piece)
    return parts


def write(iset: IncidentSet, folder: str | Path, fmt: str = "csv") -> list[Path]:
    """Write the three tables to ``folder`` (``csv`` or ``jsonl``) so ``load`` reads them back."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    inc = iset.incidents.drop(columns=["source_file", "source_line"]).reset_index()
    ev = iset.events.drop(columns=["source"])
    ai = iset.action_items.drop(columns=["source"])
    paths = []
    for name, frame in (("incidents", inc), ("events", ev), ("action_items", ai)):
        path = folder / f"{name}.{fmt}"
        if fmt == "csv":
            frame = _csv_ready(frame)
            frame.to_csv(path, index=False)
        else:
            records = _json_ready(frame)
            path.write_text(
                "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8"
            )
        paths.append(path)
    return paths


def _csv_ready(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column in out.columns:
        if column == "services":
            out[column] = ["; ".join(v) for v in out[column]]
        elif column in LIST_FIELDS:
            out[column] = ["\n".join(v) for v in out[column]]
        elif column == "prevention":
            out[column] = [
                "\n".join(("[x] " if p["done"] else "[ ] ") + p["text"] for p in v)
                for v in out[column]
            ]
        elif column == "downtime_stated":
            out[column] = [
                None if pd.isna(v) else f"{int(v.total_seconds())}s" for v in out[column]
            ]
        elif column == "timestamp":
            precise = bool((out[column].dt.microsecond != 0).any())
            out[column] = out[column].dt.strftime(
                "%Y-%m-%dT%H:%M:%S.%fZ" if precise else "%Y-%m-%dT%H:%M:%SZ"
            )
        elif column in ("report_date", "next_review", "due"):
            out[column] = out[column].dt.strftime("%Y-%m-%d")
    return out


def _json_ready(frame: pd.DataFrame) -> list[dict]:
    out = _csv_ready(frame)  # dates and durations as text; lists stay lists below
    for column in LIST_FIELDS:
        if column in frame:
            out[column] = frame[column]
    if "prevention" in frame:
        out["prevention"] = frame["prevention"]
    records = out.astype("object").where(out.notna(), None).to_dict("records")
    for r in records:
        for k, v in r.items():
            if isinstance(v, (np.integer,)):
                r[k] = int(v)
            elif isinstance(v, (np.floating,)):
                r[k] = float(v)
            elif isinstance(v, (np.bool_,)):
                r[k] = bool(v)
    return records
