"""Any CSV or JSON Lines export (Jira, ServiceNow, in-house tools) with a column mapping.

One row per incident. The mapping names, for each column, an incident field
(``incident_id``, ``title``, ``severity``, ``status``, ``services``, ``users_affected``, ...)
or an event kind whose time the column holds (``detected``, ``resolved``, ...). It is given as
``ik.load(path, mapping={...})`` or as a YAML/TOML file (``mapping="jira.yaml"``, or a file
``<export>.mapping.yaml`` beside the export). Optional ``severity_values`` and
``status_values`` translate the tool's words (``Highest: P1``).
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pandas as pd

from ..errors import Problem, SourceError, UnknownNameError
from ..model import INCIDENT_COLUMNS, SPAN_KINDS, Parts
from .base import ReadOptions, mapping_beside
from .columns import Table, filled_mask
from .tables import parse_events, parse_incidents, read_table

SUFFIXES = (".csv", ".jsonl", ".ndjson")


def sniff(path: Path, head: str) -> bool:
    return path.suffix.lower() in SUFFIXES and mapping_beside(path) is not None


def read_mapping(spec: dict | str | Path) -> dict:
    """A mapping from a dict or a YAML/TOML file, checked against the known targets."""
    if not isinstance(spec, dict):
        path = Path(spec)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise SourceError(f"{path}: cannot read the mapping ({exc.strerror})") from None
        if path.suffix.lower() == ".toml":
            spec = tomllib.loads(text)
        else:
            import yaml

            spec = yaml.safe_load(text) or {}
        if not isinstance(spec, dict):
            raise SourceError(f"{path}: a mapping is a table of column: target")
    columns = {
        k: v for k, v in spec.items() if k not in ("severity_values", "status_values", "columns")
    }
    columns.update(spec.get("columns", {}) or {})
    targets = set(INCIDENT_COLUMNS) | set(SPAN_KINDS) | {"incident_id"}
    for column, target in columns.items():
        if target not in targets:
            raise UnknownNameError(
                f"mapping: column {column!r} -> {target!r} is not an incident field or event kind "
                f"(event kinds: {', '.join(SPAN_KINDS)})"
            )
    if "incident_id" not in columns.values():
        raise UnknownNameError("mapping: no column maps to incident_id")
    return {
        "columns": columns,
        "severity_values": spec.get("severity_values") or {},
        "status_values": spec.get("status_values") or {},
    }


def read(paths: list[Path], options: ReadOptions) -> Parts:
    """Read mapped exports: incident fields from mapped columns, one event per time column."""
    out = Parts(pd.DataFrame(), pd.DataFrame(), pd.DataFrame())
    for path in paths:
        mapping = options.mapping
        spec = read_mapping(mapping if mapping is not None else mapping_beside(path))
        raw = read_table(path)
        frame = raw.frame
        cols = spec["columns"]
        missing = [c for c in cols if c not in frame.columns]
        if missing:
            raise SourceError(
                f"{path}: the mapping names column {missing[0]!r}, which the file lacks"
            )
        fields = {c: t for c, t in cols.items() if t not in SPAN_KINDS}
        kinds = {c: t for c, t in cols.items() if t in SPAN_KINDS}
        inc_frame = frame[list(fields)].rename(columns=fields)
        for column, values in (
            ("severity", spec["severity_values"]),
            ("status", spec["status_values"]),
        ):
            if values and column in inc_frame:
                inc_frame[column] = inc_frame[column].map(
                    lambda v, m=values: m.get(v, v) if isinstance(v, str) else v
                )
        inc_table = Table(path, inc_frame, raw.lines)
        incidents = parse_incidents(inc_table, options.default_tz)
        events, problems = _events(raw, inc_table.ids, kinds, options.default_tz)
        problems = raw.problems + inc_table.problems + problems
        out.extend(Parts(incidents, events, pd.DataFrame(), problems))
    return out


def _events(
    raw: Table, ids: pd.Series, kinds: dict[str, str], default_tz: str
) -> tuple[pd.DataFrame, list[Problem]]:
    """One event per filled time column of each row that has an ID, in row order."""
    pieces = [
        pd.DataFrame({"incident_id": ids, "timestamp": raw.frame[c], "kind": k, "_line": raw.lines})
        for c, k in kinds.items()
    ]
    if not pieces:
        return pd.DataFrame(), []
    ev = pd.concat(pieces, ignore_index=True)
    ev = ev[ev["incident_id"].notna().to_numpy() & filled_mask(ev["timestamp"])]
    ev = ev.sort_values("_line", kind="stable").reset_index(drop=True)
    table = Table(raw.path, ev.drop(columns="_line"), ev["_line"].to_numpy())
    return parse_events(table, default_tz), table.problems
