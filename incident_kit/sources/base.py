"""Small vocabulary helpers the source formats share."""

from __future__ import annotations

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
