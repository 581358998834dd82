"""Atlassian Statuspage: API v2 ``/api/v2/incidents.json`` (or one incident object).

Times are the ones the page shows its readers: the incident's ``started_at``,
``monitoring_at`` and ``resolved_at`` and each update's ``display_at`` (``created_at`` is
when someone typed it, days later for a backfilled incident). IDs become ``SP-<id>``; each
event keeps its record in ``source`` (``file#update:<id>``). One bad incident is left out
with a located problem naming it; the others load.
"""

from __future__ import annotations

from pathlib import Path

from ..model import Parts
from .base import ReadOptions
from .exports import (
    Export,
    Record,
    RecordError,
    read_records,
    severity_words,
    text_of,
    tool_severity,
)

NAME = "statuspage"
DESCRIPTION = "Atlassian Statuspage API v2 incidents (.json)"

IMPACT = {
    "critical": "P1",
    "major": "P2",
    "minor": "P3",
    "none": "P4",
    "maintenance": "P4",
}
UPDATE_KIND = {
    "investigating": "acknowledged",
    "identified": "response_started",
    "monitoring": "mitigated",
    "resolved": "resolved",
    "postmortem": "postmortem",
}
STATUS = {
    "investigating": "Active",
    "identified": "Active",
    "monitoring": "Active",
    "resolved": "Resolved",
    "postmortem": "Post-Mortem",
}


def sniff(path: Path, head: str) -> bool:
    return path.suffix.lower() == ".json" and '"incident_updates"' in head


def read(paths: list[Path], options: ReadOptions) -> Parts:
    """Statuspage incidents with their updates, components and post-mortem text."""
    impact = severity_words(IMPACT, options, str.lower)
    return read_records(
        paths, NAME, options, ("incidents", "incident"), lambda e, rec: _incident(e, rec, impact)
    )


def _incident(export: Export, rec: Record, impact: dict[str, str]) -> None:
    rec.incident_id = f"SP-{rec.id}"
    status = (rec.text("status") or "").lower()
    if status not in STATUS:
        raise RecordError(
            "status", rec.get("status"), f"is not a Statuspage status ({', '.join(STATUS)})"
        )
    created = export.time(rec, rec.get("created_at"), "created_at", required=True)
    started = export.time(rec, rec.get("started_at"), "started_at")
    monitoring = export.time(rec, rec.get("monitoring_at"), "monitoring_at")
    resolved = export.time(rec, rec.get("resolved_at"), "resolved_at")
    shown = _updates(export, rec, superseded={"mitigated": monitoring, "resolved": resolved})
    first_shown = min((t for t, _, _ in shown), default=None)
    detected = min(created, first_shown) if first_shown is not None else created
    if started is not None and started < detected:
        export.event(rec, started, "impact_start", f"incident:{rec.id}:started_at")
    export.event(rec, detected, "detected", f"incident:{rec.id}:created_at")
    seen: set[str] = set()
    for when, uid, update in shown:
        kind = UPDATE_KIND.get(str(update.get("status")))
        where = f"update:{uid}"
        if (
            kind
            and kind not in seen
            and not (kind == "mitigated" and monitoring is not None)
            and not (kind == "resolved" and resolved is not None)
        ):
            seen.add(kind)
            export.event(rec, when, kind, where)
        # posted on the status page: customer-facing (time_to_communicate ends here)
        export.event(rec, when, "communication", where, description=text_of(update, "body"))
    if monitoring is not None:
        export.event(rec, monitoring, "mitigated", f"incident:{rec.id}:monitoring_at")
    if resolved is not None:
        export.event(rec, resolved, "resolved", f"incident:{rec.id}:resolved_at")
    components = rec.names("components")
    for _, _, update in shown:
        affected = update.get("affected_components")
        for comp in affected if isinstance(affected, list) else []:
            name = text_of(comp, "name")
            if name and name not in components:
                components.append(name)
    level = (rec.text("impact") or "").lower()
    severity = tool_severity(export, rec, "impact", level, impact)
    export.incident(
        rec,
        title=rec.text("name"),
        severity=severity,
        status=STATUS[status],
        services=components,
        references=[r for r in (rec.text("shortlink"),) if r],
        what_happened=rec.text("postmortem_body"),
    )


def _updates(export: Export, rec: Record, superseded: dict) -> list[tuple]:
    """The incident's updates as (shown time, id, update), in time order. An update whose
    time cannot be read is left out with a warning, unless it gives a milestone that no
    incident-level time replaces: then the incident cannot be timed and is left out."""
    shown = []
    for n, raw in enumerate(rec.items("incident_updates"), 1):
        if not isinstance(raw, dict):
            export.problem(
                rec, f"incident_updates[{n}]", raw, "is not an update; ignored", level="warning"
            )
            continue
        uid = text_of(raw, "id") or f"#{n}"
        field = "display_at" if raw.get("display_at") not in (None, "") else "created_at"
        try:
            when = export.time(rec, raw.get(field), f"update {uid} {field}")
        except RecordError as exc:
            kind = UPDATE_KIND.get(str(raw.get("status")))
            if kind and superseded.get(kind) is None:
                raise
            export.problem(
                rec, exc.field, exc.value, f"{exc.reason}; update left out", level="warning"
            )
            continue
        if when is not None:
            shown.append((when, uid, raw))
    shown.sort(key=lambda t: t[0])
    return shown
