"""What every source format returns, and the small vocabulary helpers they share."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..errors import Problem
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


@dataclass
class Parts:
    """Records read from some files: incidents, events, action items, and located problems.

    Each table is a list of dicts or a DataFrame; ``load`` types and joins them.
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
