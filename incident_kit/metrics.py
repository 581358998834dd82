"""Durations, impact and portfolio summaries: pure DataFrame in, DataFrame out.

Spans are declared once, as data, in a registry (:data:`SPANS`); adding one is a single
:func:`register_span` call. All arithmetic is vectorized and done in UTC, so durations are
exact across daylight-saving changes and mixed offsets. An open incident's unfinished span
is *censored*: flagged ``<span>_ongoing`` and measured up to ``as_of``.

The clock: every function here takes ``as_of``. Left out (None or ``"now"``) it is the
current time, read once per call by :func:`resolve_as_of` and written into the result
(``frame.attrs["as_of"]``), so a figure always says what time it was measured to. A run
(the CLI, the report batch, the explorer) resolves it once and passes the same value to
every call.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .errors import UnknownNameError
from .fields import to_utc
from .model import KINDS, SPAN_KINDS, IncidentSet, require_set
from .stats import KM_STATS, km_median


@dataclass(frozen=True)
class Span:
    """A duration from the first ``start`` milestone to the first ``end`` milestone.

    ``start`` and ``end`` are kinds tried in order: the first one recorded counts
    (``impact_duration`` ends at ``mitigated``, else ``resolved``). ``ended_if`` names
    incident columns that, when true, say the end happened though its time was not
    recorded (the Communication checklist for ``time_to_communicate``): then the span is
    unknown, not ongoing.
    """

    name: str
    start: tuple[str, ...]
    end: tuple[str, ...]
    description: str = ""
    ended_if: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """How pages, charts and tables name the span: ``time_to_detect`` -> ``Time to detect``.

        >>> SPANS["time_to_postmortem"].label
        'Time to post-mortem'
        """
        return label(self.name)

    def definition(self) -> str:
        """``impact_start -> mitigated (else resolved)``: how the span is measured."""

        def side(kinds: tuple[str, ...]) -> str:
            return kinds[0] + "".join(f" (else {k})" for k in kinds[1:])

        return f"{side(self.start)} -> {side(self.end)}"


SPANS: dict[str, Span] = {}
_WORDS = {"postmortem": "post-mortem"}


def label(name: str) -> str:
    """The reader-facing name of a span or figure column (one rule for every page)."""
    words = [_WORDS.get(w, w) for w in name.split("_")]
    return " ".join(words).capitalize()


def _kinds(value: str | Iterable[str], what: str) -> tuple[str, ...]:
    kinds = (value,) if isinstance(value, str) else tuple(value)
    for kind in kinds:
        if kind not in SPAN_KINDS:
            raise UnknownNameError(
                f"{what} {kind!r} is not a milestone; known: {', '.join(SPAN_KINDS)}"
            )
    return kinds


def register_span(
    name: str,
    start: str | Sequence[str],
    end: str | Sequence[str],
    *,
    description: str = "",
    ended_if: Sequence[str] = (),
) -> Span:
    """Add a span to the registry (or replace one of the same name).

    >>> register_span("time_to_fix", "response_started", "mitigated")  # doctest: +ELLIPSIS
    Span(name='time_to_fix', ...)
    """
    span = Span(name, _kinds(start, "start"), _kinds(end, "end"), description, tuple(ended_if))
    SPANS[name] = span
    return span


for _name, _start, _end, _text in (
    ("time_to_detect", "impact_start", "detected", "How long the impact went unnoticed."),
    ("time_to_acknowledge", "detected", "acknowledged", "From detection until a person owned it."),
    ("time_to_escalate", "detected", "escalated", "From detection until it was escalated."),
    ("time_to_respond", "detected", "response_started", "From detection until work started."),
    ("time_to_mitigate", "impact_start", "mitigated", "From impact until service was restored."),
    ("time_to_resolve", "detected", "resolved", "From detection until resolved (MTTR)."),
    (
        "impact_duration",
        ("impact_start", "detected"),
        ("mitigated", "resolved"),
        "How long users were affected: impact start (else detection) until mitigated "
        "(else resolved).",
    ),
    ("time_to_postmortem", "resolved", "postmortem", "From resolution until the post-mortem."),
):
    register_span(_name, _start, _end, description=_text)
register_span(
    "time_to_communicate",
    "detected",
    "communication",
    description="From detection until the first update to customers or the status page.",
    ended_if=("comm_customers", "comm_status_page"),
)


def get_spans(names: Iterable[str] | None = None) -> list[Span]:
    """The registered spans (all, or the named ones; an unknown name lists the known)."""
    if names is None:
        return list(SPANS.values())
    out = []
    for name in names:
        if isinstance(name, Span):
            out.append(name)
        elif name in SPANS:
            out.append(SPANS[name])
        else:
            raise UnknownNameError(f"unknown span {name!r}; known spans: {', '.join(SPANS)}")
    return out


NOW = "now"
_NAT = np.iinfo(np.int64).min  # NaT as nanoseconds since 1970


def resolve_as_of(value: object = None) -> pd.Timestamp:
    """The time open spans and overdue items are measured to, in UTC.

    None or ``"now"`` read the clock (once: call this at the edge of a run and pass the
    result on); anything else is parsed by :func:`to_utc`.

    >>> resolve_as_of("2026-11-26 13:00+01:00")
    Timestamp('2026-11-26 12:00:00+0000', tz='UTC')
    """
    if value is None or (isinstance(value, str) and value.strip().lower() == NOW):
        return pd.Timestamp.now(tz="UTC")
    return to_utc(value)


def milestones(iset: IncidentSet) -> pd.DataFrame:
    """First time of each milestone kind per incident (one row per incident, NaT if none).

    Vectorized: events are keyed by integer codes and reduced with one groupby-min.
    """
    ids = require_set(iset, "milestones").incidents.index
    ev = iset.events
    kinds = list(SPAN_KINDS)  # a prefix of KINDS: codes past it are plain updates
    out = np.full((len(ids), len(kinds)), _NAT, dtype=np.int64)
    if len(ev):
        inc_code = ids.get_indexer(ev["incident_id"])
        kind_code = (
            ev["kind"].cat.codes.to_numpy()
            if hasattr(ev["kind"], "cat")
            else pd.Categorical(ev["kind"], categories=list(KINDS)).codes
        )
        keep = (inc_code >= 0) & (kind_code >= 0) & (kind_code < len(kinds))
        keep &= ev["timestamp"].notna().to_numpy()
        key = inc_code[keep].astype(np.int64) * len(kinds) + kind_code[keep]
        stamp = ev["timestamp"].astype("datetime64[ns, UTC]").array.asi8[keep]
        first = pd.Series(stamp).groupby(key).min()
        flat = out.reshape(-1)
        flat[first.index.to_numpy()] = first.to_numpy()
    stamps, utc = out.view("M8[ns]"), pd.DatetimeTZDtype(tz="UTC")
    return pd.DataFrame(
        {k: pd.array(stamps[:, i], dtype=utc) for i, k in enumerate(kinds)}, index=ids
    )


def is_open(iset: IncidentSet, first: pd.DataFrame | None = None) -> pd.Series:
    """Open incidents: status Active, or no status and no Resolved time."""
    first = milestones(iset) if first is None else first
    status = iset.incidents["status"].astype("object")
    return (status == "Active") | (status.isna() & first["resolved"].isna())


def first_of(first: pd.DataFrame, kinds: tuple[str, ...]) -> tuple[pd.Series, pd.Series]:
    """The first recorded of ``kinds`` (in order) and whether a fallback was used."""
    times = {k: first[k].array.as_unit("ns").asi8 for k in kinds}
    value, assumed = _first_recorded(times, kinds)
    stamps = pd.array(value.view("M8[ns]"), dtype=pd.DatetimeTZDtype(tz="UTC"))
    return (
        pd.Series(stamps, index=first.index, name=kinds[0]),
        pd.Series(assumed, index=first.index),
    )


def context(iset: IncidentSet, first: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per-incident columns that summaries group by: severity, status, services, started, month."""
    first = milestones(iset) if first is None else first
    times = {k: first[k].array.asi8 for k in ("impact_start", "detected")}
    started, _ = _first_recorded(times, ("impact_start", "detected"))
    inc = iset.incidents
    month = np.datetime_as_string(started.view("M8[ns]").astype("M8[M]"), unit="M")
    return pd.DataFrame(
        {
            "title": inc["title"],
            "severity": inc["severity"],
            "status": inc["status"],
            "services": inc["services"],
            "started": pd.array(started.view("M8[ns]"), dtype=pd.DatetimeTZDtype(tz="UTC")),
            "month": pd.array(np.where(started == _NAT, None, month), dtype="string"),
        },
        index=inc.index,
    )


def durations(
    iset: IncidentSet,
    as_of: object = None,
    *,
    spans: Iterable[str | Span] | None = None,
) -> pd.DataFrame:
    """One row per incident: a Timedelta column per span, ``<span>_ongoing`` flags,
    ``impact_start_assumed``, and the context columns summaries group by.

    The first event of each kind counts; a missing milestone gives NaT. For an open incident
    a span whose end is not recorded yet is ongoing and runs to ``as_of`` (default: now,
    see :func:`resolve_as_of`); the time used is ``frame.attrs["as_of"]``.

    >>> ik.durations(iset, as_of="2026-11-26T12:00Z")["time_to_resolve"]  # doctest: +SKIP
    """
    as_of = resolve_as_of(as_of)
    frame = _durations(require_set(iset, "durations"), as_of, spans)
    frame.attrs["as_of"] = as_of
    return frame


def _durations(
    iset: IncidentSet, as_of: pd.Timestamp, spans: Iterable[str | Span] | None
) -> pd.DataFrame:
    """:func:`durations` without ``attrs`` (which pandas deep-copies into every result of
    an operation on the frame): for the functions here that compute on it."""
    first = milestones(iset)
    times = {k: first[k].array.asi8 for k in first.columns}  # ns since 1970, _NAT unknown
    open_ = is_open(iset, first).to_numpy()
    columns, flags, assumed_cols = {}, {}, {}
    for span in get_spans(spans):
        start, start_assumed = _first_recorded(times, span.start)
        end, _ = _first_recorded(times, span.end)
        ongoing = open_ & (start != _NAT) & (end == _NAT)
        for column in span.ended_if:
            ongoing &= ~iset.incidents[column].fillna(False).to_numpy(bool)
        end = np.where(ongoing, as_of.value, end)
        known = (start != _NAT) & (end != _NAT)
        columns[span.name] = np.where(known, end - start, _NAT).view("m8[ns]")
        flags[f"{span.name}_ongoing"] = ongoing
        if len(span.start) > 1:
            assumed_cols[f"{span.start[0]}_assumed"] = start_assumed & (start != _NAT)
    ctx = context(iset, first)
    return pd.DataFrame(
        {**columns, **flags, **assumed_cols, **{c: ctx[c] for c in ctx.columns}},
        index=iset.incidents.index,
    )


def _first_recorded(
    times: dict[str, np.ndarray], kinds: tuple[str, ...]
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`first_of` on nanosecond arrays (``_NAT`` unknown), as ``durations`` needs it."""
    value = times[kinds[0]].copy()
    assumed = np.zeros(len(value), dtype=bool)
    for kind in kinds[1:]:
        fill = (value == _NAT) & (times[kind] != _NAT)
        assumed |= fill
        value[fill] = times[kind][fill]
    return value, assumed


def span_columns(frame: pd.DataFrame) -> list[str]:
    """The duration (Timedelta) columns of a frame, in order."""
    return [c for c in frame.columns if pd.api.types.is_timedelta64_dtype(frame[c])]


def impact(iset: IncidentSet, as_of: object = None) -> pd.DataFrame:
    """Impact figures per incident, stated and computed side by side.

    ``downtime_mismatch`` flags a stated downtime that differs from the computed
    ``impact_duration`` by more than 5 minutes and more than 5 % (either alone is noise).
    ``user_minutes`` is users affected x impact duration in minutes.
    """
    inc = require_set(iset, "impact").incidents
    as_of = resolve_as_of(as_of)
    dur = _durations(iset, as_of, ["impact_duration"])
    computed = dur["impact_duration"]
    stated = inc["downtime_stated"]
    diff = (stated - computed).abs()
    tolerance = np.maximum(computed.dt.total_seconds() * 0.05, 300.0)
    mismatch = (diff.dt.total_seconds() > tolerance).astype("boolean")
    mismatch[stated.isna() | computed.isna()] = pd.NA
    minutes = computed.dt.total_seconds() / 60.0
    frame = pd.DataFrame(
        {
            "users_affected": inc["users_affected"],
            "users_affected_pct": inc["users_affected_pct"],
            "services_count": inc["services"].map(len).astype("int64"),
            "downtime_stated": stated,
            "impact_duration": computed,
            "impact_duration_ongoing": dur["impact_duration_ongoing"],
            "impact_start_assumed": dur["impact_start_assumed"],
            "downtime_mismatch": mismatch,
            "user_minutes": inc["users_affected"].astype("Float64") * minutes.astype("Float64"),
            "has_data_loss": inc["has_data_loss"],
            "financial_amount": inc["financial_amount"],
            "financial_currency": inc["financial_currency"],
        },
        index=inc.index,
    )
    frame = frame.join(dur[["title", "severity", "status", "services", "started", "month"]])
    frame.attrs["as_of"] = as_of
    return frame


NO_SERVICE = "service not recorded"


def impact_by_service(iset: IncidentSet, as_of: object = None) -> pd.DataFrame:
    """User-minutes and incidents per service, adding up to the portfolio's totals.

    An incident that lists several services has its user-minutes split evenly among them
    (nobody records which service cost which users), so the ``user_minutes`` column sums to
    the portfolio's total; ``incidents`` counts an incident once for every service it hit.
    ``no_user_count`` counts incidents without a number of users: ``pct_only`` of them state
    a percentage only, which has no user-minutes without a user base. Incidents without a
    service are under ``"service not recorded"``.
    """
    imp = impact(iset, as_of)
    services = imp["services"].map(lambda s: list(s) if len(s) else [NO_SERVICE])
    share = imp["user_minutes"].astype("Float64") / services.map(len).astype("float64")
    no_users = imp["users_affected"].isna()
    pct_only = no_users & imp["users_affected_pct"].notna()
    rows = pd.DataFrame(
        {
            "service": services,
            "user_minutes": share,
            "no_user_count": no_users.astype("int64"),
            "pct_only": pct_only.astype("int64"),
        },
        index=imp.index,
    ).explode("service")
    per = rows.groupby("service", sort=True).agg(
        incidents=("service", "size"),
        user_minutes=("user_minutes", "sum"),
        no_user_count=("no_user_count", "sum"),
        pct_only=("pct_only", "sum"),
    )
    per["user_minutes"] = per["user_minutes"].astype("float64")
    per.attrs["as_of"] = imp.attrs["as_of"]
    return per


DEFAULT_STATS = ("count", "open", "mean", "median", "p90", "max")
#: A p90 needs at least this many finished values; below it the 90th percentile of a
#: handful of incidents is noise (of 3 values it is nearly the maximum), so it is left
#: out (NaN/NaT) in summaries, and pages and charts show "n < 5" instead.
P90_MIN_COUNT = 5
GROUPS = ("severity", "service", "month", "status")
_CONTEXT = {"title", "severity", "status", "services", "started", "month"}


def _value_columns(frame: pd.DataFrame) -> list[str]:
    out = []
    for column in frame.columns:
        if column in _CONTEXT or column.endswith(("_ongoing", "_assumed", "_pct", "_mismatch")):
            continue
        dtype = frame[column].dtype
        if pd.api.types.is_timedelta64_dtype(dtype) or (
            pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype)
        ):
            out.append(column)
    return out


def summarize(
    frame: pd.DataFrame,
    by: str | Sequence[str] | None = None,
    *,
    stats: Sequence[str] = DEFAULT_STATS,
    columns: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Portfolio statistics per group: one row per (group, metric).

    ``frame`` is the output of :func:`durations` or :func:`impact`. ``by`` is None (all),
    ``"severity"``, ``"service"`` (an incident counts once for each service it hit),
    ``"month"``, ``"status"`` or a list of them. ``count`` counts finished values (the n
    every statistic of the row is computed from); ongoing (censored) values are counted in
    ``open`` and left out of mean/median/p90/max, because a lower bound is not a duration.
    ``p90`` is left out (NaN) where ``count`` is below :data:`P90_MIN_COUNT`.
    ``median_km`` (with its 95 % interval ``median_low``, ``median_high``) counts them: the
    Kaplan–Meier median, open incidents censored at as-of; NaT where more than half are
    still open (not reached). It costs a scipy fit per group, so it is computed only when
    asked (``stats=(*DEFAULT_STATS, *KM_STATS)``).

    >>> ik.summarize(ik.durations(iset), by="severity")  # doctest: +SKIP
    """
    groups = [] if by is None else [by] if isinstance(by, str) else list(by)
    values = _summary_columns(frame, groups, stats, columns)
    keys = ["service" if g == "service" else g for g in groups]
    want_km = any(s in KM_STATS for s in stats)
    if not values:
        return pd.DataFrame(columns=[*keys, "metric", *stats])
    long = _long_values(frame, values, keys, want_km)
    grouped = long.groupby([*keys, "metric"], sort=True, observed=True)
    result = grouped["value"].agg(["count", "mean", "median", "max"])
    result["open"] = grouped["open"].sum()
    result["p90"] = grouped["value"].quantile(0.9).where(result["count"] >= P90_MIN_COUNT)
    if want_km:
        result[list(KM_STATS)] = _km_columns(long, grouped, result.index)
    result = result.reset_index()
    result["metric"] = result["metric"].astype(str)
    for k in keys:
        if not (k in frame.columns and isinstance(frame[k].dtype, pd.CategoricalDtype)):
            result[k] = result[k].astype(long[k].cat.categories.dtype)
    is_time = {c: pd.api.types.is_timedelta64_dtype(frame[c]) for c in values}
    times = result["metric"].map(is_time).to_numpy(bool)
    for stat in ("mean", "median", "p90", "max", *(KM_STATS if want_km else ())):
        result[stat] = _as_durations(result[stat], times)
    result[["count", "open"]] = result[["count", "open"]].astype("int64")
    result = result[[*keys, "metric", *stats]]
    if "as_of" in frame.attrs:
        result.attrs["as_of"] = frame.attrs["as_of"]
    return result


def _summary_columns(
    frame: pd.DataFrame, groups: list[str], stats: Sequence[str], columns: Sequence[str] | None
) -> list[str]:
    """The value columns ``summarize`` is asked for, after checking every name it was given
    (groups, statistics, columns): an unknown one is an error naming what is known."""
    for g in groups:
        if g not in GROUPS and g not in frame.columns:
            raise UnknownNameError(f"cannot group by {g!r}; known: {', '.join(GROUPS)}")
    unknown = [s for s in stats if s not in DEFAULT_STATS + KM_STATS]
    if unknown:
        raise UnknownNameError(
            f"unknown statistic {unknown[0]!r}; known: {', '.join(DEFAULT_STATS + KM_STATS)}"
        )
    values = list(columns) if columns is not None else _value_columns(frame)
    missing = [c for c in values if c not in frame.columns]
    if missing:
        raise UnknownNameError(
            f"no column {missing[0]!r}; columns: {', '.join(_value_columns(frame))}"
        )
    return values


def _long_values(
    frame: pd.DataFrame, values: list[str], keys: list[str], want_km: bool
) -> pd.DataFrame:
    """One row per (incident, value column) in seconds: ``value`` finished (NaN while
    ongoing), ``open``, ``raw`` (ongoing values too, for Kaplan–Meier), the group keys
    (an incident once per service when grouped by service) and ``metric``."""
    data = frame
    if "service" in keys:
        data = frame.assign(service=frame["services"]).explode("service")
        data = data[data["service"].notna()]
    pieces = []
    for column in values:
        value = data[column]
        timed = pd.api.types.is_timedelta64_dtype(value)
        seconds = value.dt.total_seconds() if timed else value.astype("float64")
        ongoing_col = f"{column}_ongoing"
        ongoing = (
            data[ongoing_col].to_numpy(bool) if ongoing_col in data else np.zeros(len(data), bool)
        )
        piece = pd.DataFrame({"value": seconds.where(~ongoing).to_numpy(), "open": ongoing})
        if want_km:
            piece["raw"] = seconds.to_numpy()
        for k in keys:
            piece[k] = data[k].to_numpy()
        piece["metric"] = column
        pieces.append(piece)
    long = pd.concat(pieces, ignore_index=True)
    # categorical keys: grouping on codes, and the metric order is the order asked for
    long["metric"] = pd.Categorical(long["metric"], categories=values, ordered=True)
    for k in keys:
        if k in frame.columns and isinstance(frame[k].dtype, pd.CategoricalDtype):
            long[k] = pd.Categorical(long[k], dtype=frame[k].dtype)
        else:
            long[k] = long[k].astype("category")
    return long


def _as_durations(stat: pd.Series, times: np.ndarray) -> pd.Series | list:
    """A statistic's seconds back as whole-second durations on the rows of time columns
    (numeric columns such as ``user_minutes`` keep their numbers)."""
    if times.all() and len(stat):
        return pd.to_timedelta(stat, unit="s").dt.round("s")
    if times.any():
        return [
            pd.to_timedelta(v, unit="s").round("s") if t and pd.notna(v) else v
            for v, t in zip(stat, times, strict=True)
        ]
    return stat


def _km_columns(long: pd.DataFrame, grouped, index: pd.Index) -> np.ndarray:
    """Kaplan–Meier median and interval (seconds) for each group of ``summarize``."""

    raw = long["raw"].to_numpy()
    observed = ~long["open"].to_numpy(bool)
    positions = grouped.indices
    out = np.full((len(index), len(KM_STATS)), np.nan)
    for row, key in enumerate(index):
        idx = positions[key]
        idx = idx[~np.isnan(raw[idx])]
        out[row] = km_median(raw[idx], observed[idx])
    return out


def mtbf(iset: IncidentSet) -> pd.DataFrame:
    """Mean time between failures per service: the mean gap between consecutive impact starts
    (detection where impact start is unknown). Needs two incidents of a service."""
    ctx = context(iset)
    data = ctx[["services", "started"]].explode("services").dropna()
    data = data.rename(columns={"services": "service"}).sort_values(["service", "started"])
    data["gap"] = data.groupby("service")["started"].diff()
    out = data.groupby("service").agg(
        incidents=("started", "size"),
        first=("started", "min"),
        last=("started", "max"),
        mtbf=("gap", "mean"),
    )
    out["mtbf"] = out["mtbf"].dt.round("s")
    return out.sort_values("mtbf")


def action_item_status(iset: IncidentSet, as_of: object = None) -> pd.DataFrame:
    """The action items with a ``state``: done, open, or overdue (due before ``as_of``)."""
    as_of = resolve_as_of(as_of)
    out = _with_state(iset.action_items, as_of)
    out.attrs["as_of"] = as_of
    return out


def _with_state(items: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """``items`` with their ``state`` column (no ``attrs``, see :func:`_durations`)."""
    today = as_of.tz_convert("UTC").tz_localize(None).normalize()
    overdue = ~items["done"].to_numpy() & (items["due"] < today).to_numpy()
    state = np.where(items["done"], "done", np.where(overdue, "overdue", "open"))
    return items.assign(state=pd.Categorical(state, categories=["done", "open", "overdue"]))


def follow_through(
    iset: IncidentSet, as_of: object = None, *, by: str | None = "incident"
) -> pd.DataFrame:
    """Action-item follow-through: total, done, open, overdue and completion rate.

    ``by="incident"`` gives a row per incident (incidents without items included);
    ``by="owner"`` per owner, ``by="month"`` per month due; ``by=None`` one overall row.
    An item is overdue when it is not done and its due day is before ``as_of``'s day
    (default: now); ``open`` counts every unfinished item, overdue ones included.
    """
    as_of = resolve_as_of(as_of)
    items = _with_state(iset.action_items, as_of)
    if by is None:
        key = pd.Series("all", index=items.index)
    elif by == "incident":
        key = items["incident_id"]
    elif by == "owner":
        key = items["owner"].fillna("not recorded")
    elif by == "month":
        key = items["due"].dt.to_period("M").astype("string").fillna("no due date")
    else:
        raise UnknownNameError(
            f"cannot group action items by {by!r}; known: incident, owner, month"
        )
    counts = _state_counts(key, items["state"])
    if by == "incident":
        counts = counts.reindex(iset.incidents.index, fill_value=0)
    elif by is None:
        counts = counts.reindex(["all"], fill_value=0)
    counts.columns = counts.columns.astype(str)
    counts.index.name = "incident_id" if by == "incident" else (by or "scope")
    total = counts.sum(axis=1)
    counts.insert(0, "total", total)
    counts["open"] = counts["open"] + counts["overdue"]  # overdue items are open too
    counts["completion_rate"] = (counts["done"] / total.where(total > 0)).astype("Float64")
    counts = counts.astype({"total": "int64", "done": "int64", "open": "int64", "overdue": "int64"})
    counts.attrs["as_of"] = as_of
    return counts


def _state_counts(key: pd.Series, state: pd.Series) -> pd.DataFrame:
    """Items per key (sorted, as a crosstab orders them) and state (done, open, overdue):
    one bincount over codes rather than a crosstab's pivot."""
    codes, keys = key.factorize(sort=True)
    states = list(state.cat.categories)
    kept = codes >= 0
    flat = codes[kept] * len(states) + state.cat.codes.to_numpy()[kept]
    table = np.bincount(flat, minlength=len(keys) * len(states)).reshape(len(keys), len(states))
    if keys.dtype == object:  # plain strings: typed as a crosstab types them
        keys = pd.Index(keys.to_numpy())
    index = keys.rename(key.name)
    columns = pd.Index(states, name=state.name)
    return pd.DataFrame(table, index=index, columns=columns)


def slowest(frame: pd.DataFrame, span: str = "time_to_resolve", n: int = 5) -> pd.DataFrame:
    """The ``n`` incidents with the longest finished ``span`` (ongoing ones left out)."""
    if span not in frame.columns:
        raise UnknownNameError(f"no span {span!r}; known: {', '.join(span_columns(frame))}")
    ongoing = frame.get(f"{span}_ongoing", pd.Series(False, index=frame.index))
    done = frame[~ongoing.astype(bool) & frame[span].notna()]
    return done.sort_values(span, ascending=False).head(n)
