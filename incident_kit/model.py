"""The tables of an incident portfolio and their vocabulary, defined once.

An :class:`IncidentSet` holds three tidy DataFrames (``incidents``, ``events``,
``action_items``) plus the ``problems`` found while loading. Everything downstream
(metrics, charts, widgets, reports) reads these frames and never mutates them.
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .errors import IncidentKitError, Problem, UnknownNameError

SEVERITIES: tuple[str, ...] = ("P1", "P2", "P3", "P4")
STATUSES: tuple[str, ...] = ("Active", "Resolved", "Post-Mortem")
KINDS: tuple[str, ...] = (
    "impact_start",
    "detected",
    "acknowledged",
    "escalated",
    "response_started",
    "mitigated",
    "resolved",
    "postmortem",
    "communication",
    "update",
)
#: Milestone order used by validation: a milestone may not come before one of lower rank.
KIND_RANK: dict[str, int] = {
    "impact_start": 0,
    "detected": 1,
    "acknowledged": 2,
    "escalated": 2,
    "response_started": 2,
    "mitigated": 3,
    "resolved": 4,
    "postmortem": 5,
}
#: Updates, not milestones: ``communication`` is one that reached customers or the status
#: page (a Statuspage update, a ``communication`` row of the Detailed Timeline); ``update``
#: is any other note.
UPDATE_KINDS: tuple[str, ...] = ("communication", "update")
MILESTONES: tuple[str, ...] = tuple(k for k in KINDS if k not in UPDATE_KINDS)
#: Kinds a span may start or end at: the milestones and the first customer communication.
SPAN_KINDS: tuple[str, ...] = (*MILESTONES, "communication")
HORIZONS: tuple[str, ...] = ("immediate", "short_term", "long_term")
COMMUNICATION: tuple[str, ...] = (
    "comm_internal",
    "comm_stakeholders",
    "comm_customers",
    "comm_status_page",
)

SEVERITY_DTYPE = pd.CategoricalDtype(list(SEVERITIES), ordered=True)
STATUS_DTYPE = pd.CategoricalDtype(list(STATUSES))
KIND_DTYPE = pd.CategoricalDtype(list(KINDS))
HORIZON_DTYPE = pd.CategoricalDtype(list(HORIZONS), ordered=True)
TIME_DTYPE = "datetime64[ns, UTC]"
DATE_DTYPE = "datetime64[ns]"

TEXT_FIELDS = (
    "title",
    "summary",
    "users_affected_text",
    "downtime_text",
    "data_loss",
    "financial_impact",
    "financial_currency",
    "what_happened",
    "why_it_happened",
    "incident_commander",
    "technical_lead",
    "communications",
    "documentation",
    "prepared_by",
    "extra_sections",
    "source_file",
)
LIST_FIELDS = (
    "services",
    "contributing_factors",
    "immediate_response",
    "investigation",
    "resolution",
    "went_well",
    "could_improve",
    "went_wrong",
    "references",
    "notes",
)
#: Column -> dtype of the incidents table (index: incident_id). Lists are Python lists;
#: ``prevention`` is a list of ``{"text": str, "done": bool}``. ``*_text`` columns keep the
#: author's words for a parsed field (``~12,000 (7%)``); ``summary``, ``extra_sections`` (the
#: sections the template does not have, each starting with its heading as written) are
#: Markdown; ``notes`` lists text found in a template section that has no field of its own,
#: each a Markdown chunk starting with that section's heading as written.
INCIDENT_COLUMNS: dict[str, object] = {
    "title": "object",
    "severity": SEVERITY_DTYPE,
    "status": STATUS_DTYPE,
    "summary": "object",
    "users_affected_text": "object",
    "users_affected": "Int64",
    "users_affected_pct": "Float64",
    "services": "object",
    "downtime_text": "object",
    "downtime_stated": "timedelta64[ns]",
    "data_loss": "object",
    "has_data_loss": "boolean",
    "financial_impact": "object",
    "financial_amount": "Float64",
    "financial_currency": "object",
    "what_happened": "object",
    "why_it_happened": "object",
    "contributing_factors": "object",
    "immediate_response": "object",
    "investigation": "object",
    "resolution": "object",
    "went_well": "object",
    "could_improve": "object",
    "went_wrong": "object",
    "prevention": "object",
    "comm_internal": "boolean",
    "comm_stakeholders": "boolean",
    "comm_customers": "boolean",
    "comm_status_page": "boolean",
    "references": "object",
    "incident_commander": "object",
    "technical_lead": "object",
    "communications": "object",
    "documentation": "object",
    "prepared_by": "object",
    "report_date": DATE_DTYPE,
    "next_review": DATE_DTYPE,
    "extra_sections": "object",
    "notes": "object",
    "source_file": "object",
    "source_line": "Int64",
}
EVENT_COLUMNS: dict[str, object] = {
    "incident_id": "object",
    "timestamp": TIME_DTYPE,
    "kind": KIND_DTYPE,
    "actor": "object",
    "role": "object",
    "description": "object",
    "source": "object",
}
ACTION_ITEM_COLUMNS: dict[str, object] = {
    "incident_id": "object",
    "horizon": HORIZON_DTYPE,
    "text": "object",
    "owner": "object",
    "due": DATE_DTYPE,
    "done": "bool",
    "source": "object",
}
PROBLEM_COLUMNS = ("file", "line", "field", "value", "message", "incident_id", "level")


def _typed(frame: pd.DataFrame, columns: dict[str, object]) -> pd.DataFrame:
    """Reindex ``frame`` to exactly ``columns`` (missing ones empty) with their dtypes."""
    out = frame.reindex(columns=list(columns))
    for name, dtype in columns.items():
        if name in LIST_FIELDS or name == "prevention":
            values = _lists(out[name].to_numpy(dtype=object))
            out[name] = pd.Series(values, index=out.index, dtype=object)
            continue
        if str(out[name].dtype) != str(dtype):
            if len(out) and out[name].isna().all():  # e.g. NaT from a dict: no type to keep
                out[name] = pd.Series([None] * len(out), index=out.index, dtype="object").astype(
                    dtype
                )
            elif dtype == "object":  # blanks as None (asked before: cheap on arrow text)
                missing = out[name].isna().to_numpy()
                col = out[name].astype("object")
                out[name] = col.where(~missing, None) if missing.any() else col
            else:
                out[name] = out[name].astype(dtype)
    return out


def _lists(values: np.ndarray) -> np.ndarray:
    """Every cell a list of its own: blanks (None, NaN) become [], tuples and arrays (e.g.
    from Parquet) lists, anything else []. Vectorized for the common case of blanks."""
    if pd.isna(values).all():  # a column nobody filled: only new empty lists
        return np.fromiter(map(list, itertools.repeat((), len(values))), object, len(values))
    odd = np.flatnonzero(np.fromiter(map(type, values), object, len(values)) != list)  # noqa: E721
    if not len(odd):
        return values
    values, kept = values.copy(), values[odd]
    values[odd] = np.fromiter(map(list, itertools.repeat((), len(odd))), object, len(odd))
    for j in np.flatnonzero(~pd.isna(kept)):
        if isinstance(kept[j], (list, tuple, np.ndarray)):
            values[odd[j]] = list(kept[j])
    return values


def incidents_frame(records: Iterable[dict] | pd.DataFrame) -> pd.DataFrame:
    """The incidents table from records (dicts or a frame with an ``incident_id`` column)."""
    frame = records if isinstance(records, pd.DataFrame) else pd.DataFrame(list(records))
    if "incident_id" in frame.columns:
        frame = frame.set_index("incident_id")
    frame.index = frame.index.astype("object")
    frame.index.name = "incident_id"
    return _typed(frame, INCIDENT_COLUMNS)


def events_frame(records: Iterable[dict] | pd.DataFrame) -> pd.DataFrame:
    """The events table, sorted by incident and time (stable for equal times)."""
    frame = records if isinstance(records, pd.DataFrame) else pd.DataFrame(list(records))
    frame = _typed(frame, EVENT_COLUMNS)
    if _in_order(frame):  # tables are usually written sorted: skip a million-row sort
        return frame.reset_index(drop=True)
    return frame.sort_values(["incident_id", "timestamp"], kind="stable").reset_index(drop=True)


def _in_order(frame: pd.DataFrame) -> bool:
    """Whether events are already sorted by incident and time (no missing times)."""
    if len(frame) < 2:
        return True
    ids = frame["incident_id"].to_numpy(dtype=object)
    stamps = frame["timestamp"].to_numpy(dtype="datetime64[ns]")
    if np.isnat(stamps).any() or any(type(i) is not str for i in ids[:1]):
        return False
    same = ids[1:] == ids[:-1]  # cheap: the rows of an incident share one ID object
    change = np.flatnonzero(~same)
    try:
        after = ids[1:][change] > ids[:-1][change]
    except TypeError:  # IDs of mixed types: let sort_values decide
        return False
    return bool(np.all(after) and np.all(~same | (stamps[1:] >= stamps[:-1])))


def action_items_frame(records: Iterable[dict] | pd.DataFrame) -> pd.DataFrame:
    """The action-items table in the order the items were written."""
    frame = records if isinstance(records, pd.DataFrame) else pd.DataFrame(list(records))
    return _typed(frame, ACTION_ITEM_COLUMNS).reset_index(drop=True)


def problems_frame(problems: Iterable[Problem]) -> pd.DataFrame:
    """Problems as a DataFrame (one row each), the shape of ``IncidentSet.problems``."""
    rows = [{c: getattr(p, c) for c in PROBLEM_COLUMNS} for p in problems]
    frame = pd.DataFrame(rows, columns=list(PROBLEM_COLUMNS))
    frame["line"] = frame["line"].astype("Int64")
    return frame


def require_set(obj: object, what: str) -> IncidentSet:
    """``obj`` when it is an IncidentSet; else one clear error instead of an AttributeError
    deep inside (a frame from ``ik.durations`` is the usual mix-up)."""
    if not isinstance(obj, IncidentSet):
        raise IncidentKitError(
            f"{what}() takes an IncidentSet (from ik.load); got a {type(obj).__name__}"
        )
    return obj


@dataclass(frozen=True)
class IncidentSet:
    """A portfolio of incidents as three tidy tables plus the problems met while loading.

    Examples
    --------
    >>> iset = ik.load("data")                       # doctest: +SKIP
    >>> iset.incidents.loc["INC-0001", "severity"]   # doctest: +SKIP
    'P1'
    """

    incidents: pd.DataFrame
    events: pd.DataFrame
    action_items: pd.DataFrame
    problems: pd.DataFrame = field(default_factory=lambda: problems_frame([]))

    @classmethod
    def empty(cls) -> IncidentSet:
        """An IncidentSet with no incidents (every table has its full schema)."""
        return cls(incidents_frame([]), events_frame([]), action_items_frame([]))

    def __len__(self) -> int:
        return len(self.incidents)

    def __repr__(self) -> str:
        errors = int((self.problems["level"] == "error").sum()) if len(self.problems) else 0
        return (
            f"<IncidentSet {len(self.incidents)} incidents, {len(self.events)} events, "
            f"{len(self.action_items)} action items, {errors} problems>"
        )

    def _repr_html_(self) -> str:
        """What Jupyter shows for a set: counts by severity and status, the time span of the
        events and the first few problems (all text escaped; the full list is ``problems``)."""
        return _summary_html(self)

    @property
    def ids(self) -> list[str]:
        """Incident IDs in table order."""
        return list(self.incidents.index)

    def select(self, ids: Sequence[str] | pd.Index) -> IncidentSet:
        """The sub-portfolio of ``ids`` (unknown IDs raise, listing a few known ones)."""
        ids = list(ids)
        missing = [i for i in ids if i not in self.incidents.index]
        if missing:
            known = ", ".join(map(str, self.ids[:5])) + (", ..." if len(self) > 5 else "")
            raise UnknownNameError(f"unknown incident ID {missing[0]!r}; known: {known}")
        keep = set(ids)
        return IncidentSet(
            self.incidents.loc[ids],
            self.events[self.events["incident_id"].isin(keep)].reset_index(drop=True),
            self.action_items[self.action_items["incident_id"].isin(keep)].reset_index(drop=True),
            self.problems[self.problems["incident_id"].isin(keep)].reset_index(drop=True),
        )

    def incident(self, incident_id: str) -> pd.Series:
        """One incident's row of the incidents table."""
        return self.select([incident_id]).incidents.iloc[0]

    @staticmethod
    def concat(parts: Sequence[IncidentSet]) -> IncidentSet:
        """Several sets as one (IDs must not repeat; ``load`` checks that for you)."""
        if not parts:
            return IncidentSet.empty()
        return IncidentSet(
            incidents_frame(pd.concat([p.incidents for p in parts])),
            events_frame(pd.concat([p.events for p in parts], ignore_index=True)),
            action_items_frame(pd.concat([p.action_items for p in parts], ignore_index=True)),
            pd.concat([p.problems for p in parts], ignore_index=True),
        )


REPR_PROBLEMS = 5


def _summary_html(iset: IncidentSet) -> str:
    inc, esc = iset.incidents, html.escape
    head = (
        f"<b>IncidentSet</b>: {len(inc)} incidents, {len(iset.events)} events, "
        f"{len(iset.action_items)} action items"
    )
    if len(iset.events):
        first, last = iset.events["timestamp"].min(), iset.events["timestamp"].max()
        head += f" · events from {first:%Y-%m-%d} to {last:%Y-%m-%d} (UTC)"
    parts = [f"<p>{head}</p>"]
    if len(inc):
        counts = pd.crosstab(
            inc["severity"].astype("object").fillna("not recorded"),
            inc["status"].astype("object").fillna("not recorded"),
        )
        rows = [s for s in (*SEVERITIES, "not recorded") if s in counts.index]
        cols = [s for s in (*STATUSES, "not recorded") if s in counts.columns]
        counts = counts.loc[rows, cols]
        cells = "".join(f"<th>{esc(c)}</th>" for c in cols)
        body = "".join(
            f"<tr><th>{esc(r)}</th>"
            + "".join(f"<td>{counts.at[r, c]}</td>" for c in cols)
            + f"<td><b>{counts.loc[r].sum()}</b></td></tr>"
            for r in rows
        )
        body += (
            "<tr><th>all</th>"
            + "".join(f"<td><b>{counts[c].sum()}</b></td>" for c in cols)
            + f"<td><b>{len(inc)}</b></td></tr>"
        )
        parts.append(
            f'<table class="ik-counts"><thead><tr><th>severity</th>{cells}<th>all</th></tr>'
            f"</thead><tbody>{body}</tbody></table>"
        )
    problems = iset.problems
    if len(problems):
        errors = int((problems["level"] == "error").sum())
        shown = problems.head(REPR_PROBLEMS)
        items = "".join(
            "<li>"
            + esc(f"{r.file}:{r.line}" if pd.notna(r.line) else str(r.file))
            + ": "
            + ("" if r.level == "error" else "warning: ")
            + esc(str(r.message))
            + "</li>"
            for r in shown.itertuples(index=False)
        )
        more = len(problems) - len(shown)
        parts.append(
            f"<p>{len(problems)} problems ({errors} errors, {len(problems) - errors} warnings)"
            + (f"; the first {len(shown)} (all in <code>.problems</code>)" if more else "")
            + f":</p><ul>{items}</ul>"
        )
    else:
        parts.append("<p>No problems.</p>")
    return '<div class="ik-iset">' + "".join(parts) + "</div>"


@dataclass
class Parts:
    """Records read by a source format, before validation: incidents, events, action items
    and located problems. Each table is a list of dicts or a DataFrame; ``validate`` types
    and checks them into an :class:`IncidentSet`.
    """

    incidents: list[dict] | pd.DataFrame = field(default_factory=list)
    events: list[dict] | pd.DataFrame = field(default_factory=list)
    action_items: list[dict] | pd.DataFrame = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def extend(self, other: Parts) -> None:
        for name in ("incidents", "events", "action_items"):
            mine, theirs = getattr(self, name), getattr(other, name)
            if isinstance(mine, list) and isinstance(theirs, list):
                mine.extend(theirs)
            else:
                frames = [pd.DataFrame(x) if isinstance(x, list) else x for x in (mine, theirs)]
                setattr(
                    self,
                    name,
                    pd.concat([f for f in frames if len(f)], ignore_index=True)
                    if any(len(f) for f in frames)
                    else frames[0],
                )
        self.problems.extend(other.problems)
