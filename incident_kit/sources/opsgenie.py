"""Opsgenie: alerts (``GET /v2/alerts`` with each alert's ``report``, optionally its
``logs``) or incidents (``impactStartDate``, ``impactEndDate``, ``timeline`` entries).

IDs become ``OG-<tinyId>`` (or ``OG-<id>``). The report gives acknowledgement and close as
milliseconds after creation. A bad alert is a located problem naming its id; the others load.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

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

NAME = "opsgenie"
DESCRIPTION = "Opsgenie alerts or incidents with logs (.json)"

PRIORITY = {"P1": "P1", "P2": "P2", "P3": "P3", "P4": "P4", "P5": "P4"}
STATUS = {"open": "Active", "closed": "Resolved", "resolved": "Resolved"}
#: report field (milliseconds after creation) -> event kind, and who did it
REPORT_TIMES = (
    ("ackTime", "acknowledged", "acknowledgedBy"),
    ("closeTime", "resolved", "closedBy"),
)


def sniff(path: Path, head: str) -> bool:
    return path.suffix.lower() == ".json" and '"tinyId"' in head


def read(paths: list[Path], options: ReadOptions) -> Parts:
    """Opsgenie alerts or incidents with their report and logs."""
    priority = severity_words(PRIORITY, options)
    return read_records(paths, NAME, options, ("data",), lambda e, rec: _alert(e, rec, priority))


def _alert(export: Export, rec: Record, priority: dict[str, str]) -> None:
    rec.incident_id = f"OG-{rec.text('tinyId') or rec.id}"
    created = export.time(rec, rec.get("createdAt"), "createdAt", required=True)
    status = (rec.text("status") or "").lower()
    if status not in STATUS:
        raise RecordError(
            "status", rec.get("status"), f"is not an Opsgenie status ({', '.join(STATUS)})"
        )
    export.event(
        rec, rec.get("impactStartDate"), "impact_start", f"incident:{rec.id}:impactStartDate"
    )
    export.event(rec, created, "detected", f"alert:{rec.id}:createdAt")
    report = rec.obj("report")
    for field, kind, by in REPORT_TIMES:
        after = _milliseconds(report.get(field), field)
        if after is not None:
            export.event(
                rec, created + after, kind, f"alert:{rec.id}:{field}", actor=text_of(report, by)
            )
    if report.get("closeTime") is None:
        export.event(rec, rec.get("impactEndDate"), "resolved", f"incident:{rec.id}:impactEndDate")
    for n, log in enumerate(rec.items("logs") or rec.items("timeline"), 1):
        _log(export, rec, log, n)
    services = rec.names("impactedServices")
    tags = [t.strip() for t in rec.items("tags") if isinstance(t, str) and t.strip()]
    level = (rec.text("priority") or "").upper()
    severity = tool_severity(export, rec, "priority", level, priority)
    export.incident(
        rec,
        title=rec.text("message"),
        severity=severity,
        status=STATUS[status],
        services=services or tags[:3],
    )


def _milliseconds(value: object, field: str) -> pd.Timedelta | None:
    """A report offset in milliseconds (a number, or digits as text); None when absent."""
    if value is None or value == "":
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < 1e13:
        raise RecordError(f"report.{field}", value, "is not a number of milliseconds")
    return pd.Timedelta(milliseconds=value)


def _log(export: Export, rec: Record, log: object, n: int) -> None:
    """One log or timeline entry: an escalation or an update."""
    if not isinstance(log, dict):
        export.problem(rec, f"logs[{n}]", log, "is not a log entry; ignored", level="warning")
        return
    when = log.get("createdAt") or log.get("eventTime")
    text = (
        text_of(log, "log") or text_of(log.get("title"), "content") or text_of(log, "description")
    )
    kind = "escalated" if "escalat" in str(log.get("type", "")).lower() else "update"
    actor = text_of(log, "owner") or text_of(log.get("actor"), "name")
    where = text_of(log, "offset") or text_of(log, "id") or f"{n}"
    export.event(
        rec,
        when,
        kind,
        f"log:{where}",
        field=f"log {where} createdAt",
        actor=actor,
        role=text if kind == "escalated" else None,
        description=text,
    )
