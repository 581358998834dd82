"""Statistics that count open incidents, and changes told apart from noise.

An open incident's span is *right-censored*: it has lasted at least until ``as_of``. Dropping
it (what a plain median of finished incidents does) makes a period with long open incidents
look fast; timing it to "now" as if finished makes it look slow. The Kaplan–Meier estimator
uses it for exactly what is known. The estimators are scipy's: ``scipy.stats.ecdf`` on
``CensoredData`` for survival curves, their 95 % bands (exponential Greenwood, "log-log") and
medians; ``permutation_test`` and ``bootstrap`` for changes between two periods.

scipy is imported on first use, so ``import incident_kit`` stays light.
"""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import fmt
from .errors import IncidentKitWarning, UnknownNameError
from .fields import to_utc

#: Kaplan–Meier statistics (open incidents counted as censored) that ``metrics.summarize``
#: computes only when asked: ``summarize(d, stats=(*DEFAULT_STATS, *KM_STATS))``.
KM_STATS = ("median_km", "median_low", "median_high")

_TOL = 1.5e-8  # sqrt(float64 eps): when a survival value "is" exactly 0.5
_GROUPS = ("severity", "service", "month", "status")


# -- observations ------------------------------------------------------------------------
def observations(frame: pd.DataFrame, span: str) -> pd.DataFrame:
    """``value`` (seconds, or the number itself) and ``observed`` (False: still open) per row.

    Rows without a value are left out. An open incident without a value (durations computed
    without ``as_of``) cannot be counted: it is left out with a warning, never treated as
    finished.
    """
    if span not in frame.columns:
        known = [c for c in frame.columns if pd.api.types.is_timedelta64_dtype(frame[c])]
        raise UnknownNameError(f"no span {span!r}; known: {', '.join(known)}")
    column = frame[span]
    if pd.api.types.is_timedelta64_dtype(column):
        value = column.dt.total_seconds()
    else:
        value = pd.to_numeric(column, errors="coerce").astype("float64")
    flag = f"{span}_ongoing"
    ongoing = (
        frame[flag].fillna(False).to_numpy(bool)
        if flag in frame.columns
        else np.zeros(len(frame), bool)
    )
    unknown = int((ongoing & value.isna().to_numpy()).sum())
    if unknown:
        warnings.warn(
            f"{unknown} open incident(s) have no {span} (durations without as_of) and are "
            "left out; pass as_of to count them",
            IncidentKitWarning,
            stacklevel=3,
        )
    out = pd.DataFrame({"value": value.to_numpy(), "observed": ~ongoing}, index=frame.index)
    return out[out["value"].notna()]


def _ecdf(value: np.ndarray, observed: np.ndarray):
    from scipy import stats

    data = stats.CensoredData(uncensored=value[observed], right=value[~observed])
    return stats.ecdf(data)


def _bands(result, confidence_level: float) -> tuple[np.ndarray, np.ndarray]:
    """Pointwise bands of the survival curve (exponential Greenwood), defined everywhere.

    The formula is undefined where the curve is 1 (before any event: the band is 1) and
    where it reaches 0 (everything ended: the lower band is 0 and the upper one stays where
    it was, as R's ``survival`` leaves that bound out).
    """
    sf = result.sf.probabilities
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        ci = result.sf.confidence_interval(confidence_level, method="log-log")
    low, high = ci.low.probabilities.copy(), ci.high.probabilities.copy()
    top = sf >= 1.0
    low[top], high[top] = 1.0, 1.0
    zero = sf <= 0.0
    low[zero] = 0.0
    high[zero] = np.nan
    high = pd.Series(high).ffill().fillna(1.0).to_numpy()
    return low, high


def _median_of(times: np.ndarray, curve: np.ndarray) -> float:
    """The smallest time the curve is at or below 0.5 (NaN: never, "not reached").

    Where the curve sits at exactly 0.5 over a stretch, the midpoint of that stretch, as in
    R's ``survival`` package: without open incidents this is the ordinary sample median.
    """
    below = np.flatnonzero(curve <= 0.5 + _TOL)
    if not len(below):
        return math.nan
    i = below[0]
    if abs(curve[i] - 0.5) < _TOL:
        lower = np.flatnonzero(curve < curve[i] - _TOL)
        if len(lower):
            return float(times[i] + times[lower[0]]) / 2.0
    return float(times[i])


def km_median(
    value: Sequence[float], observed: Sequence[bool], *, confidence_level: float = 0.95
) -> tuple[float, float, float]:
    """Kaplan–Meier median and its confidence interval: ``(median, low, high)``.

    The interval is where the survival curve's band crosses 0.5 (Brookmeyer–Crowley): the
    lower band crosses first (``low``), the upper band last (``high``). Any of the three is
    NaN when that curve never drops to 0.5: more than half (at the bound, enough) of the
    incidents are still open, so the median is *not reached* yet, only bounded below.

    >>> km_median([10, 20, 30, 40], [True, True, False, True])[0]
    30.0
    """
    value = np.asarray(value, dtype="float64")
    observed = np.asarray(observed, dtype=bool)
    if not len(value) or not observed.any():
        return math.nan, math.nan, math.nan
    result = _ecdf(value, observed)
    times, sf = result.sf.quantiles, result.sf.probabilities
    low, high = _bands(result, confidence_level)
    return _median_of(times, sf), _median_of(times, low), _median_of(times, high)


def _median_rows(values: np.ndarray, events: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """The Kaplan–Meier median of many resamples at once (one per row of ``idx``).

    ``values``/``events`` are the pooled observations sorted by value, events before open
    ones at equal values, so sorting a row of indices sorts its sample. A product-limit step
    per observation equals scipy's step per distinct time at every distinct time, so the
    median is the one :func:`km_median` gives (a test holds them equal); not reached: NaN.
    Needed because a permutation test evaluates the median for thousands of resamples.
    """
    idx = np.sort(idx, axis=-1)
    t = values[idx]
    d = events[idx].astype("float64")
    at_risk = np.arange(idx.shape[-1], 0, -1, dtype="float64")
    s = np.cumprod(1.0 - d / at_risk, axis=-1)
    below = s <= 0.5 + _TOL
    reached = below.any(axis=-1)
    first = below.argmax(axis=-1)[..., None]
    t_first = np.take_along_axis(t, first, -1)[..., 0]
    s_first = np.take_along_axis(s, first, -1)
    lower = s < s_first - _TOL
    after = np.take_along_axis(t, lower.argmax(axis=-1)[..., None], -1)[..., 0]
    exact = (np.abs(s_first[..., 0] - 0.5) < _TOL) & lower.any(axis=-1)
    median = np.where(exact, (t_first + after) / 2.0, t_first)
    return np.where(reached, median, np.nan)


# -- groups ------------------------------------------------------------------------------
def _grouped(frame: pd.DataFrame, by: str | None) -> list[tuple[object, pd.DataFrame]]:
    if by is None:
        return [(None, frame)]
    if by == "service":
        data = frame.assign(service=frame["services"]).explode("service")
        data = data[data["service"].notna()]
    elif by in frame.columns:
        data = frame
    else:
        raise UnknownNameError(f"cannot group by {by!r}; known: {', '.join(_GROUPS)}")
    key = data[by]
    if isinstance(key.dtype, pd.CategoricalDtype):
        order = [c for c in key.cat.categories if (key == c).any()]
    else:
        order = sorted(key.dropna().unique(), key=str)
    out = [(g, data[key == g]) for g in order]
    if key.isna().any():
        out.append(("not recorded", data[key.isna()]))
    return out


# -- survival ----------------------------------------------------------------------------
def _counts_at(times: np.ndarray, values: np.ndarray) -> np.ndarray:
    """How many of ``values`` equal each of the sorted distinct ``times``."""
    ordered = np.sort(values)
    return (
        np.searchsorted(ordered, times, side="right") - np.searchsorted(ordered, times, side="left")
    ).astype("int64")


SURVIVAL_COLUMNS = ("time", "survival", "lower", "upper", "at_risk", "events", "censored")


def survival(
    frame: pd.DataFrame,
    span: str = "time_to_resolve",
    by: str | None = None,
    *,
    confidence_level: float = 0.95,
) -> pd.DataFrame:
    """Kaplan–Meier survival of ``span``: the share of incidents whose span has not ended
    after ``time``, open incidents counted as censored at ``as_of``.

    One row per distinct time (plus ``time`` 0 with survival 1) and group: ``survival``, its
    pointwise ``lower``/``upper`` band (95 % by default, exponential Greenwood), ``at_risk``
    (still unresolved just before ``time``), ``events`` (ended at ``time``) and ``censored``
    (open, measured to as-of at ``time``). With ``by`` (severity, service, month, status) a
    first column names the group.

    >>> ik.survival(ik.durations(iset, as_of), "time_to_resolve", by="severity")  # doctest: +SKIP
    """
    is_time = pd.api.types.is_timedelta64_dtype(frame[span]) if span in frame else True
    pieces = []
    for group, part in _grouped(frame, by):
        obs = observations(part, span)
        if obs.empty:
            continue
        value, observed = obs["value"].to_numpy(), obs["observed"].to_numpy()
        ordered = np.sort(value)
        if observed.any():
            result = _ecdf(value, observed)
            times, sf = result.sf.quantiles, result.sf.probabilities
            low, high = _bands(result, confidence_level)
        else:  # nobody finished: the curve stays at 1 up to the longest open span
            times, sf = np.unique(value), np.ones(len(np.unique(value)))
            low, high = sf.copy(), sf.copy()
        events = _counts_at(times, value[observed])
        censored = _counts_at(times, value[~observed])
        at_risk = len(value) - np.searchsorted(ordered, times, side="left")
        start = min(0.0, float(times[0]))
        piece = pd.DataFrame(
            {
                "time": np.concatenate([[start], times]),
                "survival": np.concatenate([[1.0], sf]),
                "lower": np.concatenate([[1.0], low]),
                "upper": np.concatenate([[1.0], high]),
                "at_risk": np.concatenate([[len(value)], at_risk]).astype("int64"),
                "events": np.concatenate([[0], events]).astype("int64"),
                "censored": np.concatenate([[0], censored]).astype("int64"),
            }
        )
        if times[0] == start:  # a zero-length span: no separate start row
            piece = piece.iloc[1:].reset_index(drop=True)
            piece.loc[0, "at_risk"] = len(value)
        if by is not None:
            piece.insert(0, by, group)
        pieces.append(piece)
    columns = ([by] if by else []) + list(SURVIVAL_COLUMNS)
    if not pieces:
        out = pd.DataFrame({c: pd.Series(dtype="float64") for c in columns})
        out["time"] = out["time"].astype("timedelta64[ns]") if is_time else out["time"]
        return out
    out = pd.concat(pieces, ignore_index=True)
    if is_time:
        out["time"] = pd.to_timedelta(out["time"], unit="s")
    return out[columns]


# -- change versus noise -------------------------------------------------------------------
@dataclass(frozen=True)
class CompareOptions:
    """How :func:`compare` tests a change.

    ``alpha``: a change is called only below this p-value. ``n_resamples`` permutations for
    the p-value and bootstrap resamples for the interval (None: 9,999 for up to 400
    incidents, fewer above, at least 199, so a large portfolio's comparison stays a few
    seconds; 199 still resolves p-values of 0.005); ``seed`` makes both reproducible
    (each group uses its own generator seeded alike, so a group's result does not depend on
    the others). ``min_incidents``: fewer in either period and no test is run.
    """

    alpha: float = 0.05
    n_resamples: int | None = None
    confidence_level: float = 0.95
    seed: int = 0
    min_incidents: int = 2


def _window(value: object, name: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    try:
        start, end = value  # type: ignore[misc]
    except (TypeError, ValueError):
        raise UnknownNameError(f"{name} must be a (start, end) pair, not {value!r}") from None
    start_utc, end_utc = to_utc(start), to_utc(end)
    if start_utc is None or end_utc is None or not start_utc < end_utc:
        raise UnknownNameError(f"{name}: start {start!r} must be before end {end!r}")
    return start_utc, end_utc


def _in_window(frame: pd.DataFrame, window: tuple[pd.Timestamp, pd.Timestamp]) -> pd.DataFrame:
    started = frame["started"]
    return frame[(started >= window[0]) & (started < window[1])]


def _fmt_value(seconds: float, is_time: bool) -> str:
    if is_time:
        return fmt.duration(seconds, missing="not reached")
    return fmt.number(seconds, missing="not reached", digits=1 if abs(seconds) < 100 else 0)


def _test(before: pd.DataFrame, after: pd.DataFrame, options: CompareOptions) -> dict:
    """The resampling part of :func:`compare` for one group (seconds in, seconds out)."""
    from scipy import stats

    pool = pd.concat([before.assign(_after=False), after.assign(_after=True)])
    pool = pool.sort_values(["value", "observed"], ascending=[True, False], kind="stable")
    values, events = pool["value"].to_numpy(), pool["observed"].to_numpy()
    span = float(values.max() - values.min()) if len(values) else 0.0
    # A median not reached is later than anything seen: a sentinel past every difference
    # keeps the statistic finite; bounds beyond the possible range are "unbounded".
    sentinel = float(values.max()) + span + 1.0
    positions = np.arange(len(pool))
    idx_before = positions[~pool["_after"].to_numpy()]
    idx_after = positions[pool["_after"].to_numpy()]

    def statistic(x, y, axis=-1):
        mx = np.nan_to_num(_median_rows(values, events, x), nan=sentinel)
        my = np.nan_to_num(_median_rows(values, events, y), nan=sentinel)
        return my - mx

    n_resamples = options.n_resamples or max(199, min(9999, 4_000_000 // len(pool)))
    batch = max(1, min(n_resamples, 4_000_000 // len(pool)))
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        perm = stats.permutation_test(
            (idx_before, idx_after),
            statistic,
            permutation_type="independent",
            vectorized=True,
            n_resamples=n_resamples,
            batch=batch,
            rng=np.random.default_rng(options.seed),
        )
        boot = stats.bootstrap(
            (idx_before, idx_after),
            statistic,
            vectorized=True,
            paired=False,
            n_resamples=n_resamples,
            batch=batch,
            confidence_level=options.confidence_level,
            method="percentile",
            rng=np.random.default_rng(options.seed),
        )
    low, high = float(boot.confidence_interval.low), float(boot.confidence_interval.high)
    low = -math.inf if low < -span else low
    high = math.inf if high > span else high
    return {"p_value": float(perm.pvalue), "low": low, "high": high}


def _compare_one(
    before: pd.DataFrame, after: pd.DataFrame, is_time: bool, options: CompareOptions
) -> dict:
    nb, na = len(before), len(after)
    row = {
        "n_before": nb,
        "n_after": na,
        "open_before": int((~before["observed"]).sum()),
        "open_after": int((~after["observed"]).sum()),
    }
    mb = km_median(before["value"], before["observed"])[0] if nb else math.nan
    ma = km_median(after["value"], after["observed"])[0] if na else math.nan
    row.update(
        median_before=mb,
        median_after=ma,
        difference=ma - mb,
        difference_low=math.nan,
        difference_high=math.nan,
        p_value=math.nan,
        changed=False,
    )
    counts = f"{nb} vs {na} incidents"
    if min(nb, na) < options.min_incidents:
        row["verdict"] = f"too few incidents to tell: {counts}"
        return row
    if math.isnan(mb) or math.isnan(ma):
        which = " and ".join(p for p, m in (("earlier", mb), ("later", ma)) if math.isnan(m))
        row["verdict"] = (
            f"cannot tell: the median is not reached in the {which} period "
            f"(fewer than half have ended; {counts})"
        )
        return row
    test = _test(before, after, options)
    row.update(p_value=test["p_value"], difference_low=test["low"], difference_high=test["high"])
    if test["p_value"] < options.alpha:
        up = ma > mb
        word = ("longer" if up else "shorter") if is_time else ("higher" if up else "lower")
        row["changed"] = True
        p = test["p_value"]
        row["verdict"] = (
            f"{word}: median {_fmt_value(mb, is_time)} -> {_fmt_value(ma, is_time)} "
            f"({'p < 0.001' if p < 0.001 else f'p = {p:.3f}'}; {counts})"
        )
    else:
        row["verdict"] = f"no evidence of a change: {counts}"
    return row


COMPARE_COLUMNS = (
    "n_before",
    "n_after",
    "open_before",
    "open_after",
    "median_before",
    "median_after",
    "difference",
    "difference_low",
    "difference_high",
    "p_value",
    "changed",
    "verdict",
)


def compare(
    frame: pd.DataFrame,
    span: str,
    before: tuple[object, object],
    after: tuple[object, object],
    by: str | None = None,
    *,
    options: CompareOptions | None = None,
) -> pd.DataFrame:
    """Did ``span`` change between two periods, beyond what chance gives? One row per group.

    Incidents belong to the period they started in (impact start, else detection), windows
    are ``[start, end)`` (``before=("2026-09-01", "2026-10-01")`` is September, UTC). Per
    period: ``n_`` incidents with a value, ``open_`` of them still open (counted, censored at
    as-of) and the Kaplan–Meier ``median_``; ``difference`` is after minus before with its
    bootstrap interval (``difference_low``/``_high``; NaT where unbounded), ``p_value`` is a
    two-sided permutation test of the difference in medians (seeded: the same input gives
    the same p-value). ``changed`` only when ``p_value < alpha``; ``verdict`` says it in
    words, e.g. ``"no evidence of a change: 14 vs 11 incidents"``.

    >>> ik.compare(d, "time_to_resolve", before=("2026-07-01", "2026-10-01"),
    ...            after=("2026-10-01", "2027-01-01"), by="severity")  # doctest: +SKIP
    """
    options = options or CompareOptions()
    w_before, w_after = _window(before, "before"), _window(after, "after")
    observations(frame, span)  # validates the span name
    is_time = pd.api.types.is_timedelta64_dtype(frame[span])
    parts_before = dict(_grouped(_in_window(frame, w_before), by))
    parts_after = dict(_grouped(_in_window(frame, w_after), by))
    if by is None:
        keys = [None]
    else:
        keys = list(parts_before) + [k for k in parts_after if k not in parts_before]
        if by in frame.columns and isinstance(frame[by].dtype, pd.CategoricalDtype):
            rank = {c: i for i, c in enumerate(frame[by].cat.categories)}
            keys.sort(key=lambda k: rank.get(k, len(rank)))
        else:
            keys.sort(key=str)
    empty = observations(frame.iloc[:0], span)
    rows = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", IncidentKitWarning)  # said once, below
        for key in keys:
            b = observations(parts_before[key], span) if key in parts_before else empty
            a = observations(parts_after[key], span) if key in parts_after else empty
            row = _compare_one(b, a, is_time, options)
            rows.append({**({by: key} if by else {}), **row})
    observations(pd.concat([_in_window(frame, w_before), _in_window(frame, w_after)]), span)
    out = pd.DataFrame(rows, columns=([by] if by else []) + list(COMPARE_COLUMNS))
    for c in ("median_before", "median_after", "difference", "difference_low", "difference_high"):
        out[c] = out[c].astype("float64")
        if is_time:
            out[c] = pd.to_timedelta(out[c].where(np.isfinite(out[c])), unit="s").dt.round("s")
    return out.astype(
        {"n_before": "int64", "n_after": "int64", "open_before": "int64", "open_after": "int64"}
    ).astype({"p_value": "float64", "changed": "bool"})


def period_changes(
    frame: pd.DataFrame,
    span: str = "time_to_resolve",
    *,
    freq: str = "M",
    options: CompareOptions | None = None,
) -> pd.DataFrame:
    """Each period against the one before (months by default): :func:`compare`'s columns
    plus ``period`` (e.g. ``"2026-10"``). What the portfolio's month table and trend chart
    mark: only rows with ``changed`` are more than noise."""
    started = frame["started"].dropna()
    if started.empty:
        return pd.DataFrame(columns=["period", *COMPARE_COLUMNS])
    naive = started.dt.tz_convert("UTC").dt.tz_localize(None)
    periods = pd.period_range(naive.min().to_period(freq), naive.max().to_period(freq))
    rows = []
    for prev, cur in itertools.pairwise(periods):
        window = (prev.start_time.tz_localize("UTC"), cur.start_time.tz_localize("UTC"))
        nxt = (cur.end_time.floor("s") + pd.Timedelta(seconds=1)).tz_localize("UTC")
        row = compare(frame, span, window, (window[1], nxt), options=options)
        rows.append(row.assign(period=str(cur)))
    if not rows:
        return pd.DataFrame(columns=["period", *COMPARE_COLUMNS])
    out = pd.concat(rows, ignore_index=True)
    return out[["period", *COMPARE_COLUMNS]]


__all__ = [
    "KM_STATS",
    "CompareOptions",
    "compare",
    "km_median",
    "observations",
    "period_changes",
    "survival",
]
