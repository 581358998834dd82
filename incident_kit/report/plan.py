"""Plan a report batch: what every page depends on, and which pages need rendering. Pure.

A page's *fingerprint* hashes everything it shows: its incident's records and load problems,
the notebook, the package version, the display zone, whether plotly.js is inlined, and the
clock where the page reads it. An open incident is measured up to the run's as-of time, so
its fingerprint holds that time and every run with a moved clock renders it again; a closed
incident's page reads the clock only to mark action items overdue, so its fingerprint holds
which items are overdue, and it is skipped until one falls due. The portfolio holds the
whole set and the clock. Nothing here touches files, kernels or the clock itself.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Container, Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import metrics
from ..files import safe_name
from ..model import IncidentSet
from ..version import __version__
from .payload import Payload

PORTFOLIO = "portfolio"


@dataclass(frozen=True)
class Settings:
    """What every page of one run depends on besides its records."""

    as_of: pd.Timestamp  # the run's one clock (UTC), resolved at the edge
    postmortem: str  # the post-mortem notebook as JSON text
    portfolio: str  # the portfolio notebook as JSON text
    display_tz: str = "UTC"
    self_contained: bool = False
    cell_timeout: float = 120.0
    timeout: float = 600.0


@dataclass(frozen=True)
class Job:
    """Everything one worker needs to render one page, and nothing it must find on disk."""

    kind: str  # "incident" or "portfolio"
    key: str  # incident ID, or "portfolio"
    name: str  # file stem in the output folder
    title: str
    notebook: str  # the notebook as JSON text
    parameters: dict  # the notebook's parameters; ``source`` is set on the worker
    payload: Payload  # the records the notebook reads
    fingerprint: str
    self_contained: bool = False
    cell_timeout: float = 120.0
    timeout: float = 600.0


@dataclass(frozen=True)
class Plan:
    """Which pages to render, and the fingerprint of every page the run covers.

    :meth:`jobs` makes the jobs lazily (each slices its incident's records when taken), so
    planning 10,000 incidents costs a fingerprint pass, not 10,000 copies of their records.
    """

    iset: IncidentSet
    settings: Settings
    render: list[str]  # incident IDs whose page is rendered, in table order
    portfolio: bool  # whether the portfolio page is rendered
    fingerprints: dict[str, str]  # selected incident ID -> fingerprint, in table order
    unchanged: list[str]  # selected incidents whose page is current
    portfolio_fingerprint: str | None  # None: the run leaves the portfolio alone (``only``)
    context: Mapping[str, Mapping] | None = None  # per incident, passed as ``context``
    #: the fingerprints used digests of a context not given here: jobs cannot be made
    context_pending: bool = False

    def __len__(self) -> int:
        return len(self.render) + self.portfolio

    def jobs(self) -> Iterator[Job]:
        """The jobs to run: incidents in table order, then the portfolio."""
        if self.context_pending and self.render:
            raise ValueError("the plan has context digests but no context: compute it to render")
        st = self.settings
        params = {"as_of": st.as_of.isoformat(), "display_tz": st.display_tz}
        titles = self.iset.incidents["title"]
        payloads = Splitter(self.iset, self.render)
        for k, iid in enumerate(self.render):
            yield Job(
                "incident",
                iid,
                safe_name(iid),
                f"{iid} · {_text(titles.at[iid]) or 'post-mortem'}",
                st.postmortem,
                {"incident_id": iid, **params, **self._context(iid)},
                payloads.payload(k),
                self.fingerprints[iid],
                st.self_contained,
                st.cell_timeout,
                st.timeout,
            )
        if self.portfolio:
            yield Job(
                "portfolio",
                PORTFOLIO,
                PORTFOLIO,
                "Incident portfolio",
                st.portfolio,
                params,
                Payload(self.iset),
                self.portfolio_fingerprint or "",
                st.self_contained,
                st.cell_timeout,
                st.timeout,
            )

    def _context(self, iid: str) -> dict:
        return {} if self.context is None else {"context": dict(self.context.get(iid) or {})}


def plan(
    iset: IncidentSet,
    settings: Settings,
    *,
    previous: Mapping[str, Mapping] | None = None,
    previous_portfolio: Mapping | None = None,
    pages: Container[str] = (),
    only: Sequence[str] | None = None,
    force: bool = False,
    portfolio: bool = True,
    context: Mapping[str, Mapping] | None = None,
    context_digests: Mapping[str, str] | None = None,
    records: pd.Series | None = None,
) -> Plan:
    """Which pages to render: those whose fingerprint changed, failed last time or are missing.

    ``previous`` maps incident IDs to the last run's manifest entries (``fingerprint``,
    ``ok``), ``previous_portfolio`` is the portfolio's; ``pages`` holds the page file names present in the output folder (``"INC-1.html"``).
    ``only`` restricts the incidents and leaves the portfolio out. ``context`` maps incident
    IDs to what the driver computed over the whole set for that page (plain JSON values, e.g.
    related incidents): each job passes its entry as the notebook parameter ``context``, and
    it is part of the page's fingerprint, so adding a piece is one key in that mapping.
    ``context_digests`` (from :func:`context_digest`) stand in for ``context`` in the
    fingerprints when the values are not computed (the jobs then need ``context`` set before
    they run); ``records`` are :func:`record_digests` if already computed.

    >>> p = plan(iset, settings, previous=manifest["jobs"], pages={"INC-1.html"})  # doctest: +SKIP
    >>> p.render, p.portfolio                                                      # doctest: +SKIP
    """
    previous = previous or {}
    ids = iset.ids if only is None else [i for i in iset.ids if i in set(only)]
    if context_digests is None and context is not None:
        context_digests = {iid: context_digest(context.get(iid)) for iid in iset.ids}
    every = incident_fingerprints(iset, settings, context_digests, records)
    fingerprints = {i: every[i] for i in ids}
    render, unchanged = [], []
    for iid in ids:
        if not force and _current(previous.get(iid), fingerprints[iid], pages, safe_name(iid)):
            unchanged.append(iid)
        else:
            render.append(iid)
    fp, with_portfolio = None, False
    if portfolio and only is None:
        fp = portfolio_fingerprint(iset, settings, records)
        with_portfolio = force or not _current(previous_portfolio, fp, pages, PORTFOLIO)
    pending = context is None and context_digests is not None
    return Plan(
        iset, settings, render, with_portfolio, fingerprints, unchanged, fp, context, pending
    )


def _current(entry: Mapping | None, fingerprint: str, pages: Container[str], name: str) -> bool:
    return bool(
        entry
        and entry.get("fingerprint") == fingerprint
        and entry.get("ok")
        and f"{name}.html" in pages
    )


def _text(value: object) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


# -- fingerprints ----------------------------------------------------------------------
def _digest(*parts: str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode())
        h.update(b"\0")
    return h.hexdigest()[:20]


def _common(settings: Settings, notebook: str) -> str:
    return _digest(
        __version__, notebook, settings.display_tz, "inline" if settings.self_contained else "asset"
    )


def incident_fingerprints(
    iset: IncidentSet,
    settings: Settings,
    context_digests: Mapping[str, str] | None = None,
    records: pd.Series | None = None,
) -> pd.Series:
    """One fingerprint per incident (indexed by ID): records, load problems, clock, settings
    and the digest of the incident's ``context`` (see :func:`plan`)."""
    common = _common(settings, settings.postmortem)
    records = record_digests(iset) if records is None else records
    clock = clock_keys(iset, settings.as_of)
    extra = [(context_digests or {}).get(iid, "") for iid in iset.ids]
    return pd.Series(
        [_digest(common, r, c, x) for r, c, x in zip(records, clock, extra, strict=True)],
        index=iset.incidents.index,
        dtype=object,
    )


def context_digest(entry: object) -> str:
    """A digest of one incident's context (plain JSON values)."""
    return _digest(json.dumps(entry, sort_keys=True, default=str))


def set_digest(records: pd.Series) -> str:
    """One digest of a whole set's records (IDs and :func:`record_digests`, in order)."""
    h = hashlib.sha256()
    for iid, digest in records.items():
        h.update(f"{iid}\0{digest}\n".encode())
    return h.hexdigest()[:20]


def portfolio_fingerprint(
    iset: IncidentSet, settings: Settings, records: pd.Series | None = None
) -> str:
    """The portfolio page's fingerprint: every record and problem, and the clock."""
    records = record_digests(iset) if records is None else records
    return _digest(
        _common(settings, settings.portfolio),
        set_digest(records),
        _frame_digest(iset.problems),
        settings.as_of.isoformat(),
    )


def clock_keys(iset: IncidentSet, as_of: pd.Timestamp) -> pd.Series:
    """What of the clock each incident's page shows: the as-of time while the incident is
    open (its spans run to it), else which of its action items are overdue at it."""
    ids = iset.incidents.index
    items = metrics.action_item_status(iset, as_of)
    overdue = (items["state"] == "overdue").to_numpy(np.uint64)
    per_incident = _combine(_mix(overdue + np.uint64(1)), items["incident_id"], ids)
    keys = pd.Series([f"overdue {v:016x}" for v in per_incident], index=ids, dtype=object)
    return keys.where(~metrics.is_open(iset).to_numpy(), f"open as of {as_of.isoformat()}")


def record_digests(iset: IncidentSet) -> pd.Series:
    """A digest of each incident's records (row, events, action items, load problems).

    Vectorized (pandas' row hashing, combined per incident in order), so a run over 10,000
    unchanged incidents fingerprints them in a fraction of a second.
    """
    ids = iset.incidents.index
    parts = [
        _row_hashes(iset.incidents.drop(columns=["source_file", "source_line"]).reset_index()),
        _combine(
            _row_hashes(iset.events.drop(columns=["source"])), iset.events["incident_id"], ids
        ),
        _combine(
            _row_hashes(iset.action_items.drop(columns=["source"])),
            iset.action_items["incident_id"],
            ids,
        ),
        _combine(_row_hashes(iset.problems), iset.problems["incident_id"], ids),
    ]
    stacked = np.column_stack(parts) if len(ids) else np.zeros((0, len(parts)), np.uint64)
    return pd.Series([row.tobytes().hex() for row in stacked], index=ids, dtype=object)


def _frame_digest(frame: pd.DataFrame) -> str:
    return hashlib.sha256(_row_hashes(frame).tobytes()).hexdigest()[:20]


def _row_hashes(frame: pd.DataFrame) -> np.ndarray:
    """A 64-bit hash per row over every column (lists and other objects by their text)."""
    if frame.empty:
        return np.zeros(len(frame), np.uint64)
    columns = {
        f"{n}": (col.astype(str) if col.dtype == object else col) for n, col in frame.items()
    }
    return pd.util.hash_pandas_object(
        pd.DataFrame(columns), index=False, categorize=False
    ).to_numpy(np.uint64)


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64's finalizer: spreads every input bit over the output (wraps mod 2**64)."""
    x = np.asarray(x, np.uint64)
    with np.errstate(over="ignore"):
        x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def _combine(hashes: np.ndarray, keys: pd.Series, ids: pd.Index) -> np.ndarray:
    """Row hashes folded into one value per incident of ``ids``, sensitive to row order."""
    codes = ids.get_indexer(keys)
    keep = codes >= 0
    codes, hashes = codes[keep], hashes[keep]
    order = np.argsort(codes, kind="stable")
    codes, hashes = codes[order], hashes[order]
    position = np.arange(len(codes)) - np.searchsorted(codes, codes)
    out = np.zeros(len(ids), np.uint64)
    with np.errstate(over="ignore"):
        np.add.at(out, codes, _mix(hashes ^ _mix(position.astype(np.uint64) + np.uint64(1))))
    counts = np.bincount(codes, minlength=len(ids)).astype(np.uint64)
    return out ^ _mix(counts)


# -- payloads ----------------------------------------------------------------------------
class Splitter:
    """Payloads of chosen incidents: their records and load problems, in their order.

    Each table is ordered by incident once, so each payload is a few slices (``select`` per
    incident would scan every table each time: minutes for 10,000 incidents).
    """

    def __init__(self, iset: IncidentSet, ids: Sequence[str]):
        self.iset = iset
        self.ids = pd.Index(list(ids), dtype=object)
        self._rows = iset.incidents.index.get_indexer(self.ids)
        self._tables: dict | None = None

    def _prepare(self) -> dict:
        out = {}
        for name in ("events", "action_items", "problems"):
            frame = getattr(self.iset, name)
            codes = self.ids.get_indexer(frame["incident_id"])
            codes = np.where(codes < 0, len(self.ids), codes)  # other incidents' rows last
            order = np.argsort(codes, kind="stable")
            bounds = np.searchsorted(codes[order], np.arange(len(self.ids) + 1))
            out[name] = (frame.take(order), bounds)
        return out

    def payload(self, k: int) -> Payload:
        """The payload of the ``k``-th incident."""
        if self._tables is None:
            self._tables = self._prepare()
        parts = {
            name: frame.iloc[bounds[k] : bounds[k + 1]].reset_index(drop=True)
            for name, (frame, bounds) in self._tables.items()
        }
        row = self._rows[k]
        return Payload(IncidentSet(self.iset.incidents.iloc[row : row + 1], **parts))


__all__ = [
    "Job",
    "Plan",
    "Settings",
    "Splitter",
    "clock_keys",
    "context_digest",
    "incident_fingerprints",
    "plan",
    "portfolio_fingerprint",
    "record_digests",
    "set_digest",
]
