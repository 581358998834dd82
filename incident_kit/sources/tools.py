"""Exports of incident tools: Atlassian Statuspage, PagerDuty and Opsgenie (JSON as their APIs
return it). Each record keeps its tool's id in the event ``source`` (``file#kind:id``), and a
bad record (no creation time, unknown status) becomes a located problem while the rest loads.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from .. import fields as F
from ..errors import Problem
from ..model import Parts
from .base import ReadOptions


def _json(path: Path) -> object:
    return json.loads(path.read_text(encoding="utf-8"))


def _time(value: object) -> pd.Timestamp | None:
    """An API timestamp (ISO 8601 with its own offset) in UTC; None when absent."""
    if value in (None, ""):
        return None
    ts, _ = F.parse_time(str(value), "UTC")
    return ts


class _Collector:
    def __init__(self, path: Path, tool: str):
        self.path, self.tool = path, tool
        self.parts = Parts()

    def problem(
        self, record_id: str, field: str, value: object, reason: str, iid: str | None = None
    ):
        self.parts.problems.append(
            Problem(
                str(self.path),
                None,
                field,
                str(value),
                f"{self.tool} record {record_id}: {field} {str(value)!r} {reason}",
                iid,
            )
        )

    def event(
        self,
        iid: str,
        when: object,
        kind: str,
        record: str,
        *,
        actor=None,
        role=None,
        description=None,
    ):
        try:
            ts = _time(when)
        except ValueError as exc:
            self.problem(record, kind, when, str(exc), iid)
            return
        if ts is not None:
            self.parts.events.append(
                {
                    "incident_id": iid,
                    "timestamp": ts,
                    "kind": kind,
                    "actor": actor,
                    "role": role,
                    "description": description,
                    "source": f"{self.path}#{record}",
                }
            )


# -- Statuspage ------------------------------------------------------------------------
STATUSPAGE_IMPACT = {
    "critical": "P1",
    "major": "P2",
    "minor": "P3",
    "none": "P4",
    "maintenance": "P4",
}
_SP_UPDATE_KIND = {
    "investigating": "acknowledged",
    "identified": "response_started",
    "monitoring": "mitigated",
    "resolved": "resolved",
    "postmortem": "postmortem",
}
_SP_STATUS = {
    "investigating": "Active",
    "identified": "Active",
    "monitoring": "Active",
    "resolved": "Resolved",
    "postmortem": "Post-Mortem",
}


def sniff_statuspage(path: Path, head: str) -> bool:
    return path.suffix.lower() == ".json" and '"incident_updates"' in head


def read_statuspage(paths: list[Path], options: ReadOptions) -> Parts:
    """Statuspage API v2 ``/api/v2/incidents.json`` (or one incident object).

    Times are the ones the page shows its readers: the incident's ``started_at``,
    ``monitoring_at`` and ``resolved_at`` and each update's ``display_at`` (``created_at`` is
    when someone typed it, days later for a backfilled incident).
    """
    impact_map = {**STATUSPAGE_IMPACT, **options.severity_map}
    out = Parts()
    for path in paths:
        c = _Collector(path, "statuspage")
        data = _json(path)
        incidents = data.get("incidents", [data]) if isinstance(data, dict) else data
        for inc in incidents:
            rid = str(inc.get("id", "?"))
            iid = f"SP-{rid}"
            status = str(inc.get("status", ""))
            if status not in _SP_STATUS:
                c.problem(
                    rid,
                    "status",
                    status,
                    f"is not a Statuspage status ({', '.join(_SP_STATUS)})",
                    iid,
                )
                continue
            if not inc.get("created_at"):
                c.problem(rid, "created_at", "", "is missing", iid)
                continue
            updates = sorted(
                inc.get("incident_updates") or [],
                key=lambda u: (
                    _time(u.get("display_at") or u.get("created_at"))
                    or pd.Timestamp.max.tz_localize("UTC")
                ),
            )
            shown = [(_time(u.get("display_at") or u.get("created_at")), u) for u in updates]
            created = _time(inc["created_at"])
            first_shown = min((t for t, _ in shown if t is not None), default=None)
            detected = min(created, first_shown) if first_shown is not None else created
            started = _time(inc.get("started_at"))
            if started is not None and started < detected:
                c.event(iid, started, "impact_start", f"incident:{rid}:started_at")
            c.event(iid, detected, "detected", f"incident:{rid}:created_at")
            seen = set()
            for when, u in shown:
                kind = _SP_UPDATE_KIND.get(str(u.get("status")))
                uid = f"update:{u.get('id', '?')}"
                if (
                    kind
                    and kind not in seen
                    and not (kind == "mitigated" and inc.get("monitoring_at"))
                    and not (kind == "resolved" and inc.get("resolved_at"))
                ):
                    seen.add(kind)
                    c.event(iid, when, kind, uid)
                # posted on the status page: customer-facing (time_to_communicate ends here)
                c.event(iid, when, "communication", uid, description=u.get("body"))
            if inc.get("monitoring_at"):
                c.event(iid, inc["monitoring_at"], "mitigated", f"incident:{rid}:monitoring_at")
            if inc.get("resolved_at"):
                c.event(iid, inc["resolved_at"], "resolved", f"incident:{rid}:resolved_at")
            components = [
                comp.get("name") for comp in inc.get("components") or [] if comp.get("name")
            ]
            for u in updates:
                for comp in u.get("affected_components") or []:
                    if comp.get("name") and comp["name"] not in components:
                        components.append(comp["name"])
            c.parts.incidents.append(
                {
                    "incident_id": iid,
                    "title": inc.get("name"),
                    "severity": impact_map.get(str(inc.get("impact", "")).lower()),
                    "status": _SP_STATUS[status],
                    "services": components,
                    "references": [r for r in (inc.get("shortlink"),) if r],
                    "what_happened": inc.get("postmortem_body") or None,
                    "source_file": str(path),
                    "source_line": None,
                }
            )
        out.extend(c.parts)
    return out


# -- PagerDuty ---------------------------------------------------------------------------
PAGERDUTY_PRIORITY = {"P1": "P1", "P2": "P2", "P3": "P3", "P4": "P4", "P5": "P4"}
_PD_STATUS = {"triggered": "Active", "acknowledged": "Active", "resolved": "Resolved"}
_PD_KIND = {
    "trigger_log_entry": "detected",
    "acknowledge_log_entry": "acknowledged",
    "escalate_log_entry": "escalated",
    "resolve_log_entry": "resolved",
    "annotate_log_entry": "update",
    "assign_log_entry": "update",
}


def sniff_pagerduty(path: Path, head: str) -> bool:
    return path.suffix.lower() == ".json" and (
        '"log_entries"' in head or ('"incidents"' in head and '"incident_number"' in head)
    )


def _summary(obj: object) -> str | None:
    return obj.get("summary") if isinstance(obj, dict) else None


def read_pagerduty(paths: list[Path], options: ReadOptions) -> Parts:
    """PagerDuty REST API v2: an ``{"incidents": [...]}`` payload and the matching
    ``{"log_entries": [...]}`` payload (give both files to one ``load`` call)."""
    priority_map = {**PAGERDUTY_PRIORITY, **options.severity_map}
    out = Parts()
    known: set[str] = set()
    entries: list[tuple[Path, dict]] = []
    for path in paths:
        data = _json(path)
        c = _Collector(path, "pagerduty")
        for inc in data.get("incidents", []) if isinstance(data, dict) else []:
            rid = str(inc.get("id", "?"))
            iid = f"PD-{rid}"
            if not inc.get("created_at"):
                c.problem(rid, "created_at", "", "is missing", iid)
                continue
            status = str(inc.get("status", ""))
            if status not in _PD_STATUS:
                c.problem(
                    rid,
                    "status",
                    status,
                    f"is not a PagerDuty status ({', '.join(_PD_STATUS)})",
                    iid,
                )
                continue
            known.add(rid)
            priority = _summary(inc.get("priority")) or ""
            urgency = {"high": "P2", "low": "P4"}.get(str(inc.get("urgency", "")))
            c.parts.incidents.append(
                {
                    "incident_id": iid,
                    "title": inc.get("title") or inc.get("summary"),
                    "severity": priority_map.get(priority.upper(), urgency),
                    "status": _PD_STATUS[status],
                    "services": [s for s in (_summary(inc.get("service")),) if s],
                    "references": [r for r in (inc.get("html_url"),) if r],
                    "incident_commander": next(
                        (_summary(a.get("assignee")) for a in inc.get("assignments") or []), None
                    ),
                    "source_file": str(path),
                    "source_line": None,
                }
            )
        entries += [
            (path, e) for e in (data.get("log_entries", []) if isinstance(data, dict) else [])
        ]
        out.extend(c.parts)
    for path, e in entries:
        c = _Collector(path, "pagerduty")
        rid = str(e.get("id", "?"))
        inc_ref = e.get("incident") or {}
        pd_id = str(inc_ref.get("id", ""))
        kind = _PD_KIND.get(str(e.get("type", "")).removesuffix("_reference"))
        if kind is None:
            continue  # notify_log_entry and friends: who was paged, not a milestone
        if pd_id not in known:
            c.problem(
                rid, "incident", pd_id, "names no incident of the incidents payload", f"PD-{pd_id}"
            )
            out.extend(c.parts)
            continue
        if not e.get("created_at"):
            c.problem(rid, "created_at", "", "is missing", f"PD-{pd_id}")
            out.extend(c.parts)
            continue
        role = None
        if kind == "escalated":
            targets = e.get("assignees") or []
            role = _summary(targets[0]) if targets else _summary(e.get("escalation_policy"))
        channel = e.get("channel") or {}
        description = (
            e.get("summary") if kind != "update" else (channel.get("summary") or e.get("summary"))
        )
        c.event(
            f"PD-{pd_id}",
            e["created_at"],
            kind,
            f"log_entry:{rid}",
            actor=_summary(e.get("agent")),
            role=role,
            description=description,
        )
        out.extend(c.parts)
    return out


# -- Opsgenie ---------------------------------------------------------------------------------
OPSGENIE_PRIORITY = {"P1": "P1", "P2": "P2", "P3": "P3", "P4": "P4", "P5": "P4"}


def sniff_opsgenie(path: Path, head: str) -> bool:
    return path.suffix.lower() == ".json" and '"tinyId"' in head


def read_opsgenie(paths: list[Path], options: ReadOptions) -> Parts:
    """Opsgenie alerts (``GET /v2/alerts`` with each alert's ``report``, optionally its
    ``logs``) or incidents (``impactStartDate``, ``impactEndDate``, ``timeline`` entries)."""
    priority_map = {**OPSGENIE_PRIORITY, **options.severity_map}
    out = Parts()
    for path in paths:
        c = _Collector(path, "opsgenie")
        data = _json(path)
        records = data.get("data", data) if isinstance(data, dict) else data
        records = [records] if isinstance(records, dict) else records
        for rec in records:
            rid = str(rec.get("id", "?"))
            iid = f"OG-{rec.get('tinyId') or rid}"
            if not rec.get("createdAt"):
                c.problem(rid, "createdAt", "", "is missing", iid)
                continue
            status = str(rec.get("status", "")).lower()
            if status not in ("open", "closed", "resolved"):
                c.problem(
                    rid, "status", status, "is not an Opsgenie status (open, closed, resolved)", iid
                )
                continue
            created = _time(rec["createdAt"])
            if rec.get("impactStartDate"):
                c.event(
                    iid, rec["impactStartDate"], "impact_start", f"incident:{rid}:impactStartDate"
                )
            c.event(iid, created, "detected", f"alert:{rid}:createdAt")
            report = rec.get("report") or {}
            # the report gives milliseconds after creation for acknowledgement and close
            for field, kind, by in (
                ("ackTime", "acknowledged", "acknowledgedBy"),
                ("closeTime", "resolved", "closedBy"),
            ):
                if report.get(field) is not None:
                    after = pd.Timedelta(milliseconds=int(report[field]))
                    c.event(
                        iid, created + after, kind, f"alert:{rid}:{field}", actor=report.get(by)
                    )
            if report.get("closeTime") is None and rec.get("impactEndDate"):
                c.event(iid, rec["impactEndDate"], "resolved", f"incident:{rid}:impactEndDate")
            for log in rec.get("logs") or rec.get("timeline") or []:
                when = log.get("createdAt") or log.get("eventTime")
                text = (
                    log.get("log")
                    or (log.get("title") or {}).get("content")
                    or log.get("description")
                )
                ltype = str(log.get("type", "")).lower()
                kind = "escalated" if "escalat" in ltype else "update"
                actor = log.get("owner") or (log.get("actor") or {}).get("name")
                c.event(
                    iid,
                    when,
                    kind,
                    f"log:{log.get('offset') or log.get('id') or when}",
                    actor=actor,
                    role=text if kind == "escalated" else None,
                    description=text,
                )
            services = [
                s.get("name") if isinstance(s, dict) else s
                for s in rec.get("impactedServices") or []
            ]
            c.parts.incidents.append(
                {
                    "incident_id": iid,
                    "title": rec.get("message"),
                    "severity": priority_map.get(str(rec.get("priority", "")).upper()),
                    "status": "Active" if status == "open" else "Resolved",
                    "services": [s for s in services if s]
                    or [t for t in rec.get("tags") or []][:3],
                    "source_file": str(path),
                    "source_line": None,
                }
            )
        out.extend(c.parts)
    return out
