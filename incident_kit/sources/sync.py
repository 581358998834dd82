"""Import sync: write tool incidents as Markdown reports, keeping what people wrote."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..model import UPDATE_KINDS, IncidentSet
from ..validate import validate
from .base import ReadOptions
from .markdown import read
from .markdown_write import render

#: Fields a re-import refreshes from the tool; everything else in an existing report is kept.
TOOL_FIELDS = ("title", "severity", "status", "services", "references")


def _merge_existing(imported: IncidentSet, iid: str, existing: IncidentSet) -> IncidentSet:
    """The imported incident, with the narrative, team, impact and action items people wrote
    into the existing report, and hand-added timeline rows kept beside the tool's."""
    from ..model import action_items_frame, events_frame, incidents_frame

    new = imported.incidents.loc[iid]
    row = existing.incidents.loc[iid].to_dict()
    for column in TOOL_FIELDS:
        value = new[column]
        if isinstance(value, list):
            if value:
                row[column] = (
                    list(dict.fromkeys([*value, *(row[column] or [])]))
                    if column == "references"
                    else value
                )
        elif value is not None and not pd.isna(value):
            row[column] = value
    row["incident_id"] = iid
    tool_events = imported.events[imported.events["incident_id"] == iid]
    mine = existing.events[existing.events["incident_id"] == iid]
    key = set(zip(tool_events["timestamp"], tool_events["kind"].astype(str), strict=True))
    kept = mine[
        [(t, str(k)) not in key for t, k in zip(mine["timestamp"], mine["kind"], strict=True)]
    ]
    # the tool's milestones replace the report's for kinds the tool knows
    # (updates and communications add up: a tool's never replace what a person wrote)
    tool_kinds = set(tool_events["kind"].astype(str)) - set(UPDATE_KINDS)
    kept = kept[
        ~kept["kind"].astype(str).isin(tool_kinds) | kept["kind"].astype(str).isin(UPDATE_KINDS)
    ]
    return IncidentSet(
        incidents_frame([row]),
        events_frame(pd.concat([tool_events, kept])),
        action_items_frame(existing.action_items[existing.action_items["incident_id"] == iid]),
    )


def write_folder(iset: IncidentSet, folder: str | Path) -> list[tuple[Path, str]]:
    """Write each incident as ``folder/<safe id>.md``; an existing report keeps what people
    wrote (narrative, lessons, action items, team) and gets the tool's timeline.

    Returns ``(path, "created" | "updated")`` per incident.
    """
    import warnings

    from ..files import atomic_write, safe_name

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    done = []
    for iid in iset.ids:
        path = folder / f"{safe_name(iid)}.md"
        one = iset.select([iid])
        state = "created"
        if path.exists():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                existing = read([path], ReadOptions())
            existing_set = validate(existing)
            if iid in existing_set.incidents.index:
                one = _merge_existing(one, iid, existing_set)
                state = "updated"
        atomic_write(path, render(one, iid))
        done.append((path, state))
    return done
