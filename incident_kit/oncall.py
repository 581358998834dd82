"""On-call load: when incidents are detected, how many outside business hours, and who carries them.

Detection times are read in a chosen zone (a team's business day is local). Business hours
are an options object, :class:`BusinessHours` (days, start and end hour, zone); public
holidays are not known here and count as business days.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .errors import UnknownNameError
from .model import IncidentSet

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
#: The team roles of the report template, as (column, label).
TEAM_ROLES = (
    ("incident_commander", "Incident Commander"),
    ("technical_lead", "Technical Lead"),
    ("communications", "Communications"),
    ("documentation", "Documentation"),
)


@dataclass(frozen=True)
class BusinessHours:
    """Working time: ``days`` (0 = Monday) from ``start`` up to ``end`` o'clock in ``tz``.

    >>> BusinessHours(start=8, end=18, tz="Europe/Berlin").describe()
    'Mon-Fri 08:00-18:00 Europe/Berlin'
    """

    start: int = 9
    end: int = 17
    days: tuple[int, ...] = (0, 1, 2, 3, 4)
    tz: str = "UTC"

    def __post_init__(self) -> None:
        from .fields import zone

        zone(self.tz)
        if not (0 <= self.start < self.end <= 24):
            raise UnknownNameError(
                f"business hours {self.start}-{self.end}: need 0 <= start < end <= 24"
            )
        if not self.days or any(d not in range(7) for d in self.days):
            raise UnknownNameError(f"business days {self.days!r}: use 0 (Monday) to 6 (Sunday)")

    def describe(self) -> str:
        days = sorted(set(self.days))
        if days == list(range(days[0], days[-1] + 1)) and len(days) > 2:
            names = f"{DAYS[days[0]]}-{DAYS[days[-1]]}"
        else:
            names = ", ".join(DAYS[d] for d in days)
        return f"{names} {self.start:02d}:00-{self.end:02d}:00 {self.tz}"

    def contains(self, times: pd.Series) -> pd.Series:
        """Whether each UTC time falls in business hours (NaT: missing)."""
        local = times.dt.tz_convert(self.tz)
        inside = local.dt.day_of_week.isin(self.days) & local.dt.hour.between(
            self.start, self.end - 1
        )
        return inside.astype("boolean").mask(times.isna())


def detections(iset: IncidentSet, hours: BusinessHours | None = None) -> pd.DataFrame:
    """Each incident's detection in the zone of ``hours``: ``detected`` (UTC), ``local``
    time, ``weekday`` (0 = Monday), ``hour`` and ``after_hours`` (missing without a
    detection time)."""
    from .metrics import milestones

    hours = hours or BusinessHours()
    detected = milestones(iset)["detected"]
    local = detected.dt.tz_convert(hours.tz)
    return pd.DataFrame(
        {
            "detected": detected,
            "local": local,
            "weekday": local.dt.day_of_week.astype("Int64"),
            "hour": local.dt.hour.astype("Int64"),
            "after_hours": ~hours.contains(detected),
        },
        index=iset.incidents.index,
    )


def hour_of_week(iset: IncidentSet, *, tz: str = "UTC") -> pd.DataFrame:
    """Detections counted by weekday (rows ``Mon``..``Sun``) and hour (columns 0..23) in
    ``tz``: what a heatmap of on-call load draws."""
    det = detections(iset, BusinessHours(tz=tz)).dropna(subset=["weekday"])
    table = pd.crosstab(det["weekday"].astype(int), det["hour"].astype(int))
    table = table.reindex(index=range(7), columns=range(24), fill_value=0)
    table.index = list(DAYS)
    table.index.name, table.columns.name = "weekday", "hour"
    return table.astype("int64")


def after_hours(
    iset: IncidentSet, hours: BusinessHours | None = None, *, by: str | None = None
) -> pd.DataFrame:
    """The share of incidents detected outside business hours: ``incidents`` (with a known
    detection time), ``after_hours`` and ``share`` (0-1), overall or per ``by`` (severity,
    service)."""
    det = detections(iset, hours).dropna(subset=["weekday"])
    if by is None:
        det = det.assign(group="all incidents")
    elif by == "service":
        det = det.join(iset.incidents["services"]).explode("services")
        det = det.rename(columns={"services": "group"}).dropna(subset=["group"])
    elif by in iset.incidents.columns:
        det = det.assign(group=iset.incidents[by].astype("object").fillna("not recorded"))
    else:
        raise UnknownNameError(f"cannot group by {by!r}; known: severity, service, status")
    counts = det.groupby("group", sort=True)["after_hours"].agg(["size", "sum"])
    out = pd.DataFrame(
        {
            "incidents": counts["size"].astype("int64"),
            "after_hours": counts["sum"].astype("int64"),
        }
    )
    out["share"] = out["after_hours"] / out["incidents"]
    out.index.name = by or "scope"
    if by == "severity":
        from .model import SEVERITIES

        out = out.reindex([s for s in (*SEVERITIES, "not recorded") if s in out.index])
    return out


_SPLIT = re.compile(r"\s*(?:,|;|&|/|\band\b|\+)\s*")
_NOTE = re.compile(r"\s*[\(\[].*?[\)\]]\s*")


def people(text: object) -> list[str]:
    """The names in a team field as people write it: ``"Marco Bianchi (IC), Priya Raman"``
    -> ``["Marco Bianchi", "Priya Raman"]``.

    >>> people("Ana & Bo / Cy (SRE)")
    ['Ana', 'Bo', 'Cy']
    """
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return []
    names = [" ".join(_NOTE.sub(" ", part).split()) for part in _SPLIT.split(str(text))]
    return [n.lstrip("@") for n in names if n]


def _named(positions: np.ndarray, texts: pd.Series, roles: np.ndarray) -> pd.DataFrame:
    """(position of the incident, person, role) rows, each distinct one once.

    Built on integer codes: a million timeline rows by a handful of actors shrink to their
    distinct (incident, actor, role) triples before any name is split.
    """
    actor, actors = pd.factorize(texts.to_numpy())
    role, role_names = pd.factorize(roles)
    key = (positions.astype(np.int64) * len(actors) + actor) * max(1, len(role_names)) + role
    key = np.unique(key)
    role_of = key % max(1, len(role_names))
    rest = key // max(1, len(role_names))
    names = [people(a) for a in actors]
    frame = pd.DataFrame(
        {
            "position": rest // max(1, len(actors)),
            "person": [names[i] for i in rest % max(1, len(actors))],
            "role": np.asarray(role_names, dtype=object)[role_of] if len(key) else [],
        }
    )
    return frame.explode("person").dropna(subset=["person"])


def involvement(iset: IncidentSet) -> pd.DataFrame:
    """Who took part in each incident: one row per (incident_id, person) with ``role``
    (team role, else the kind of their first timeline event).

    People are the team roles' names and the actors of timeline events. Whoever appears only
    as the source of a detection ("Datadog monitor", "Customer support ticket") is a system,
    not a responder, unless the same name also acts as a person elsewhere.
    """
    parts = []
    inc = iset.incidents
    for column, label in TEAM_ROLES:
        named = inc[column].dropna()
        where = inc.index.get_indexer(named.index)
        parts.append(_named(where, named, np.full(len(named), label, dtype=object)))
    ev = iset.events[iset.events["actor"].notna()]
    where = inc.index.get_indexer(ev["incident_id"])
    parts.append(_named(where, ev["actor"], ev["kind"].astype(str).to_numpy()))
    frame = pd.concat(parts, ignore_index=True)
    frame = frame[frame["position"] >= 0]
    columns = ["incident_id", "person", "role"]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    frame["incident_id"] = inc.index.to_numpy()[frame["position"].to_numpy()]
    frame["person"] = frame["person"].astype(str)
    frame["key"] = frame["person"].str.casefold()
    acting = set(frame.loc[frame["role"] != "detected", "key"])
    frame = frame[frame["key"].isin(acting)]
    display = frame.drop_duplicates("key").set_index("key")["person"]  # first spelling seen
    frame = frame.assign(person=frame["key"].map(display))
    # team roles first, then timeline kinds: the first row per pair names the role
    rank = {label: i for i, (_, label) in enumerate(TEAM_ROLES)}
    frame = frame.assign(_r=frame["role"].map(rank).fillna(len(rank)))
    frame = frame.sort_values(["position", "key", "_r"], kind="stable")
    return frame.drop_duplicates(["position", "key"])[columns].reset_index(drop=True)


def workload(
    iset: IncidentSet, as_of: object = None, *, hours: BusinessHours | None = None
) -> pd.DataFrame:
    """Responder workload: one row per person, most incident hours first.

    ``incidents`` they took part in (see :func:`involvement`), ``incident_hours``: for each
    of them the incident's time to resolve (detection to resolution; an open one up to
    ``as_of``) credited in full to every person involved, so the hours of a team add up to
    more than the incidents lasted; an incident without both times adds none. ``open``: of
    their incidents still open; ``after_hours``: detected outside ``hours``; ``roles``: the
    team roles they held.

    >>> ik.workload(iset, as_of="2026-11-26T12:00Z")  # doctest: +SKIP
    """
    from .metrics import durations

    who = involvement(iset)
    columns = ["person", "incidents", "incident_hours", "open", "after_hours", "roles"]
    if who.empty:
        return pd.DataFrame(columns=columns)
    d = durations(iset, as_of, spans=["time_to_resolve"])
    det = detections(iset, hours)
    per = who.join(
        pd.DataFrame(
            {
                "hours": d["time_to_resolve"].dt.total_seconds() / 3600.0,
                "open": d["time_to_resolve_ongoing"],
                "after": det["after_hours"].fillna(False).astype(bool),
            }
        ),
        on="incident_id",
    )
    team = {label for _, label in TEAM_ROLES}
    out = per.groupby("person", sort=False).agg(
        incidents=("incident_id", "nunique"),
        incident_hours=("hours", lambda h: float(np.nansum(h))),
        open=("open", "sum"),
        after_hours=("after", "sum"),
        roles=("role", lambda r: sorted({x for x in r if x in team})),
    )
    out["incident_hours"] = out["incident_hours"].round(2)
    out = out.astype({"incidents": "int64", "open": "int64", "after_hours": "int64"})
    out = out.reset_index().sort_values(
        ["incident_hours", "incidents", "person"], ascending=[False, False, True]
    )
    return out[columns].reset_index(drop=True)


__all__ = [
    "DAYS",
    "BusinessHours",
    "after_hours",
    "detections",
    "hour_of_week",
    "involvement",
    "people",
    "workload",
]
