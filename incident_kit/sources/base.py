"""What every source format is given and the small vocabulary helpers they share."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..model import KINDS

_KIND_ALIASES = {
    "impact started": "impact_start",
    "impact": "impact_start",
    "start": "impact_start",
    "ack": "acknowledged",
    "acknowledge": "acknowledged",
    "escalate": "escalated",
    "escalation": "escalated",
    "response": "response_started",
    "response started": "response_started",
    "mitigate": "mitigated",
    "mitigation": "mitigated",
    "resolve": "resolved",
    "post-mortem": "postmortem",
    "post mortem": "postmortem",
    "note": "update",
    "comment": "update",
}


def kind_name(text: str) -> str | None:
    """The event kind for a label as people write it (``Response Started`` -> ``response_started``)."""
    key = " ".join(str(text).strip().lower().replace("_", " ").split())
    if key.replace(" ", "_") in KINDS:
        return key.replace(" ", "_")
    return _KIND_ALIASES.get(key)


@dataclass(frozen=True)
class ReadOptions:
    """How ``load`` asks a format to read its files (one object, not a parameter list).

    ``default_tz`` is the zone of times written without one; ``tz_abbrev`` maps zone
    abbreviations to IANA names or offsets (``{"IST": "Asia/Kolkata"}``) over the defaults;
    ``severity_map`` maps a tool's or a person's severity words to P1..P4; ``mapping`` is the
    column mapping of exports read by ``sources.mapped``.
    """

    default_tz: str = "UTC"
    tz_abbrev: dict[str, str] = field(default_factory=dict)
    severity_map: dict[str, str] = field(default_factory=dict)
    mapping: dict | str | Path | None = None
