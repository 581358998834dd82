"""Every rule about what a valid incident is, in one place, each problem located.

``validate(parts)`` types the records read by the sources, checks them, and returns the
IncidentSet of the valid incidents with every problem in ``problems``. An incident with an
error is left out whole (its numbers would be wrong), never half-loaded.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import fmt
from .errors import Problem
from .model import (
    KIND_RANK,
    IncidentSet,
    Parts,
    action_items_frame,
    events_frame,
    incidents_frame,
    problems_frame,
)
from .vocab import MILESTONE_LABELS


def _frame(records) -> pd.DataFrame:
    return records if isinstance(records, pd.DataFrame) else pd.DataFrame(list(records))


def _where(file: object, line: object) -> tuple[str, int | None]:
    return str(file), (None if line is None or pd.isna(line) else int(line))


def _split_source(source: str) -> tuple[str, int | None]:
    file, _, line = str(source).rpartition(":")
    return (file, int(line)) if line.isdigit() else (str(source), None)


def duplicate_ids(raw: pd.DataFrame) -> list[Problem]:
    """An incident ID used by more than one record: both are unusable (events would mix)."""
    if raw.empty:
        return []
    dup = raw[raw["incident_id"].duplicated(keep=False)]
    problems = []
    for iid, group in dup.groupby("incident_id", sort=False):
        first = group.iloc[0]
        for _, rec in group.iloc[1:].iterrows():
            file, line = _where(rec.get("source_file"), rec.get("source_line"))
            where = f"{first.get('source_file')}:{first.get('source_line')}"
            problems.append(
                Problem(
                    file,
                    line,
                    "incident_id",
                    str(iid),
                    f"Incident ID {iid!r} is already used in {where}",
                    str(iid),
                )
            )
    return problems


def orphan_events(
    events: pd.DataFrame, ids: pd.Index, table: str
) -> tuple[pd.DataFrame, list[Problem]]:
    """Rows whose incident_id names no incident: reported and dropped."""
    runs, heads = _groups(events["incident_id"].to_numpy(dtype=object))
    known = pd.Index(heads, dtype=object).isin(ids)[runs]  # once per run of one ID
    known = pd.Series(known, index=events.index)
    if known.all():
        return events, []
    problems = []
    for _, row in events[~known].iterrows():
        file, line = _split_source(row["source"])
        problems.append(
            Problem(
                file,
                line,
                "incident_id",
                str(row["incident_id"]),
                f"incident_id {row['incident_id']!r} in {table} matches no incident",
                str(row["incident_id"]),
            )
        )
    return events[known], problems


def milestone_order(events: pd.DataFrame, written: dict | None = None) -> list[Problem]:
    """impact_start <= detected <= acknowledged/escalated/response_started <= mitigated <=
    resolved <= postmortem, comparing the first event of each kind (``events`` is sorted by
    incident and time), on an incidents x milestones array of first times. ``written`` maps
    an event's source (file:line) to its time as the author wrote it, for the message."""
    written = written or {}
    kinds = list(KIND_RANK)
    iids, times, where = _first_times(events, kinds)
    has = where >= 0
    problems = []
    for later in range(len(kinds)):
        reported = np.zeros(len(iids), dtype=bool)
        earlier = sorted(
            (k for k in range(len(kinds)) if KIND_RANK[kinds[k]] < KIND_RANK[kinds[later]]),
            key=lambda k: -KIND_RANK[kinds[k]],
        )
        for before in earlier:
            bad = has[:, later] & has[:, before] & (times[:, later] < times[:, before])
            for i in np.flatnonzero(bad & ~reported):
                problems.append(
                    _out_of_order(events, iids[i], where[i], (later, before), kinds, written)
                )
            reported |= bad
    return problems


def _first_times(
    events: pd.DataFrame, kinds: list[str]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(incidents, incidents x kinds array of first times, and of the row of each first time,
    -1 where none) for events sorted by incident and time: per kind, the rows where the
    incident changes (numpy over codes; no frame is copied)."""
    ranked = np.flatnonzero(events["kind"].isin(kinds).to_numpy())
    iid_codes, iids = _groups(events["incident_id"].to_numpy(dtype=object)[ranked])
    kind_codes = _codes(events["kind"], kinds)[ranked]
    stamps = events["timestamp"].to_numpy(dtype="datetime64[ns]").view(np.int64)[ranked]
    times = np.full((len(iids), len(kinds)), np.iinfo(np.int64).min, dtype=np.int64)
    where = np.full((len(iids), len(kinds)), -1, dtype=np.int64)
    for k in range(len(kinds)):
        at = np.flatnonzero(kind_codes == k)
        first = at[np.concatenate(([True], np.diff(iid_codes[at]) != 0))] if len(at) else at
        times[iid_codes[first], k] = stamps[first]
        where[iid_codes[first], k] = ranked[first]
    return iids, times, where


def _groups(ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(code of each row's run, the ID of each run): a new code where the ID changes. For IDs
    sorted by incident a run is an incident; the rows of an incident share one ID object,
    so this compares pointers, never hashes a million IDs."""
    new = np.ones(len(ids), dtype=bool)
    new[1:] = ids[1:] != ids[:-1]
    return np.cumsum(new) - 1, ids[new]


def _codes(column: pd.Series, names: list[str]) -> np.ndarray:
    """The position of each value in ``names`` (all are there): from the categorical codes
    when the column is one (a million events: no string per row), else by value."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        lookup = np.array([names.index(c) if c in names else -1 for c in column.cat.categories])
        return np.append(lookup, -1)[column.cat.codes.to_numpy()]
    return pd.Categorical(column.astype(str), categories=names).codes


def _out_of_order(events, iid, where, pair: tuple[int, int], kinds: list[str], written) -> Problem:
    later, before = pair
    row, other = events.iloc[where[later]], events.iloc[where[before]]
    file, line = _split_source(row["source"])
    value = _as_written(written, row["source"], row["timestamp"])
    earlier_value = _as_written(written, other["source"], other["timestamp"])
    label, earlier = MILESTONE_LABELS[kinds[later]], MILESTONE_LABELS[kinds[before]]
    return Problem(
        file,
        line,
        label,
        written.get(row["source"]) or value,
        f"{label} {value} is before {earlier} {earlier_value}",
        str(iid),
    )


def _as_written(written: dict, source: object, when: pd.Timestamp) -> str:
    """``'Jan 28, 2026 12:40 AM EST' (2026-01-28 05:40 UTC)``, or the UTC time alone."""
    utc = fmt.timestamp(when)
    text = written.get(source)
    return f"{text!r} ({utc})" if text and text != utc else repr(utc)


def status_consistency(
    incidents: pd.DataFrame, events: pd.DataFrame, unreadable: set[str] | None = None
) -> list[Problem]:
    """Warnings where status and timeline disagree: Active with a Resolved time (e.g. written
    ``Monitoring`` after the fix), Resolved / Post-Mortem without one (time to resolve is not
    recorded). ``unreadable``: incidents with an error from reading (e.g. their Resolved line:
    that line has its own error; no follow-on problem)."""
    resolved = events.loc[events["kind"] == "resolved", ["incident_id", "timestamp"]]
    resolved = resolved.drop_duplicates("incident_id")
    resolved_at = resolved.set_index("incident_id")["timestamp"]
    problems = []
    status = incidents["status"].astype("object")
    has = incidents.index.isin(resolved_at.index)
    skip = incidents.index.isin(list(unreadable)) if unreadable else np.zeros(len(incidents), bool)
    closed = status.isin(["Resolved", "Post-Mortem"]).to_numpy() & ~has & ~skip
    active = (status == "Active").to_numpy() & has
    for iid in incidents.index[closed]:
        file, line = _where(incidents.at[iid, "source_file"], incidents.at[iid, "source_line"])
        problems.append(
            Problem(
                file,
                line,
                "Status",
                status[iid],
                f"Status {status[iid]!r} but the timeline has no Resolved time: "
                "time to resolve is not recorded",
                iid,
                "warning",
            )
        )
    for iid in incidents.index[active]:
        file, line = _where(incidents.at[iid, "source_file"], incidents.at[iid, "source_line"])
        when = fmt.timestamp(resolved_at[iid])
        problems.append(
            Problem(
                file,
                line,
                "Status",
                "Active",
                f"Status 'Active' but the timeline has Resolved {when!r}: the incident counts "
                "as open, its spans end at the recorded times",
                iid,
                "warning",
            )
        )
    return problems


def counts(incidents: pd.DataFrame) -> tuple[pd.DataFrame, list[Problem]]:
    """Users affected is not negative; the percentage lies in 0..100. A value outside costs
    that field (left empty, with a warning), not the incident."""
    problems = []
    for column, bad, reason in (
        ("users_affected", incidents["users_affected"] < 0, "is negative"),
        (
            "users_affected_pct",
            (incidents["users_affected_pct"] < 0) | (incidents["users_affected_pct"] > 100),
            "is outside 0..100 %",
        ),
    ):
        bad = bad.fillna(False).to_numpy(dtype=bool)
        for iid in incidents.index[bad]:
            file, line = _where(incidents.at[iid, "source_file"], incidents.at[iid, "source_line"])
            value = incidents.at[iid, column]
            problems.append(
                Problem(
                    file,
                    line,
                    column,
                    str(value),
                    f"{column} {value} {reason}; left empty",
                    iid,
                    "warning",
                )
            )
        if bad.any():
            incidents = incidents.assign(**{column: incidents[column].mask(bad)})
    return incidents, problems


def _without(frame: pd.DataFrame, ids: set) -> pd.DataFrame:
    """The rows of ``frame`` whose incident is not one of ``ids`` (none to drop: no scan)."""
    return frame[~frame["incident_id"].isin(list(ids))] if ids else frame


def validate(parts: Parts) -> IncidentSet:
    """Type the records, check every rule, and keep only the incidents without errors."""
    problems = list(parts.problems)
    raw = _frame(parts.incidents)
    if raw.empty:
        raw = pd.DataFrame({"incident_id": pd.Series(dtype="object")})
    repeated = duplicate_ids(raw)  # a problem for each repeat of an ID (blank IDs aside)
    problems += repeated
    if repeated or raw["incident_id"].isna().sum() > 1:  # else nothing to drop: no hashing
        raw = raw.drop_duplicates("incident_id", keep="first")
    incidents = incidents_frame(raw)
    raw_events = _frame(parts.events)
    written = (
        dict(zip(raw_events["source"], raw_events["time_text"], strict=True))
        if "time_text" in raw_events and len(raw_events)
        else {}
    )
    events = events_frame(raw_events)
    items = action_items_frame(_frame(parts.action_items))
    events, orphans = orphan_events(events, incidents.index, "events")
    items, orphan_items = orphan_events(items, incidents.index, "action items")
    problems += orphans + orphan_items
    # an incident with an error from reading is out already; checks across its fields would
    # only add follow-on errors (a time placed on a guessed day) pointing at the wrong line
    failed = {p.incident_id for p in problems if p.level == "error" and p.incident_id}
    problems += milestone_order(_without(events, failed), written)
    problems += status_consistency(incidents, events, failed)
    incidents, bad_counts = counts(incidents)
    problems += bad_counts

    bad = {p.incident_id for p in problems if p.level == "error" and p.incident_id is not None}
    keep = ~incidents.index.isin(list(bad))
    return IncidentSet(
        incidents[keep],
        _without(events, bad).reset_index(drop=True),
        _without(items, bad).reset_index(drop=True),
        problems_frame(problems),
    )
