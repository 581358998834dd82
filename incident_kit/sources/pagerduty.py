"""PagerDuty REST API v2: an ``{"incidents": [...]}`` payload and the matching
``{"log_entries": [...]}`` payload (give both files to one ``load`` call).

Incidents become ``PD-<id>``; trigger, acknowledge, escalate and resolve log entries give the
milestones, annotations and assignments the updates (notifications say who was paged, not
what happened, and are skipped). A bad incident or log entry is a located problem naming its
id; a log entry whose time cannot be read leaves its incident out (its durations would be
wrong), an unreadable annotation only itself.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import SourceError
from ..model import Parts
from .base import ReadOptions
from .exports import (
    Export,
    Record,
    RecordError,
    file_problem,
    open_exports,
    severity_words,
    text_of,
    tool_severity,
    top_records,
)

NAME = "pagerduty"
DESCRIPTION = "PagerDuty REST API v2 incidents + log entries (.json)"

PRIORITY = {"P1": "P1", "P2": "P2", "P3": "P3", "P4": "P4", "P5": "P4"}
URGENCY = {"high": "P2", "low": "P4"}
STATUS = {"triggered": "Active", "acknowledged": "Active", "resolved": "Resolved"}
ENTRY_KIND = {
    "trigger_log_entry": "detected",
    "acknowledge_log_entry": "acknowledged",
    "escalate_log_entry": "escalated",
    "resolve_log_entry": "resolved",
    "annotate_log_entry": "update",
    "assign_log_entry": "update",
}


def sniff(path: Path, head: str) -> bool:
    return path.suffix.lower() == ".json" and (
        '"log_entries"' in head or ('"incidents"' in head and '"incident_number"' in head)
    )


def read(paths: list[Path], options: ReadOptions) -> Parts:
    """PagerDuty incidents, then the log entries of every file against them."""
    priority = severity_words(PRIORITY, options)
    out = Parts()
    known: set[str] = set()
    entries: list[tuple[Export, list]] = []
    for export in open_exports(paths, NAME, options, out):
        data = export.data
        try:
            entry_records = (
                top_records(data, export.path, ("log_entries",), NAME)
                if isinstance(data, dict) and "log_entries" in data
                else None
            )
            records = (
                []
                if entry_records is not None and "incidents" not in data
                else top_records(data, export.path, ("incidents", "incident"), NAME)
            )
        except SourceError as exc:
            out.problems.append(file_problem(export.path, exc, NAME))
            continue
        export.each(records, lambda rec, e=export: _incident(e, rec, priority, known))
        if entry_records is not None:
            entries.append((export, entry_records))
        else:
            out.extend(export.parts)
    for export, records in entries:
        export.each(records, lambda rec, e=export: _entry(e, rec, known))
        out.extend(export.parts)
    return out


def _incident(export: Export, rec: Record, priority: dict[str, str], known: set[str]) -> None:
    rec.incident_id = f"PD-{rec.id}"
    export.time(rec, rec.get("created_at"), "created_at", required=True)
    status = (rec.text("status") or "").lower()
    if status not in STATUS:
        raise RecordError(
            "status", rec.get("status"), f"is not a PagerDuty status ({', '.join(STATUS)})"
        )
    known.add(rec.id)
    level = (text_of(rec.obj("priority"), "summary") or "").upper()
    urgency = URGENCY.get((rec.text("urgency") or "").lower())
    fallback = (urgency, f"urgency gives {urgency}" if urgency else "severity left unknown")
    severity = tool_severity(export, rec, "priority", level, priority, fallback)
    commander = None
    for assignment in rec.items("assignments"):
        commander = text_of(
            assignment.get("assignee") if isinstance(assignment, dict) else None, "summary"
        )
        if commander:
            break
    export.incident(
        rec,
        title=rec.text("title") or rec.text("summary"),
        severity=severity,
        status=STATUS[status],
        services=[s for s in (text_of(rec.obj("service"), "summary"),) if s],
        references=[r for r in (rec.text("html_url"),) if r],
        incident_commander=commander,
    )


def _entry(export: Export, rec: Record, known: set[str]) -> None:
    kind = ENTRY_KIND.get((rec.text("type") or "").removesuffix("_reference"))
    if kind is None:
        return  # notify_log_entry and friends: who was paged, not a milestone
    pd_id = text_of(rec.get("incident"), "id") or ""
    rec.incident_id = f"PD-{pd_id}" if pd_id else None
    if pd_id not in known:
        raise RecordError("incident", pd_id, "names no incident of the incidents payload")
    try:
        when = export.time(rec, rec.get("created_at"), "created_at", required=True)
    except RecordError as exc:
        if kind != "update":
            raise
        export.problem(rec, exc.field, exc.value, f"{exc.reason}; entry left out", level="warning")
        return
    role = None
    if kind == "escalated":
        targets = [t for t in rec.items("assignees") if isinstance(t, dict)]
        role = text_of(targets[0], "summary") if targets else None
        role = role or text_of(rec.obj("escalation_policy"), "summary")
    summary = rec.text("summary")
    channel = text_of(rec.obj("channel"), "summary")
    export.event(
        rec,
        when,
        kind,
        f"log_entry:{rec.id}",
        actor=text_of(rec.obj("agent"), "summary"),
        role=role,
        description=(channel or summary) if kind == "update" else summary,
    )
