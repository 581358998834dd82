"""How figures read to people: durations like ``1h 27m``, times in the reader's zone."""

from __future__ import annotations

import math

import pandas as pd

NOT_RECORDED = "not recorded"


def duration(value: object, *, missing: str = NOT_RECORDED) -> str:
    """``Timedelta(minutes=87)`` -> ``"1h 27m"``; NaT/None -> ``"not recorded"``.

    >>> duration(pd.Timedelta(minutes=87))
    '1h 27m'
    >>> duration(pd.Timedelta(days=2, hours=3))
    '2d 3h'
    """
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return missing
    if isinstance(value, (int, float)):
        value = pd.Timedelta(seconds=float(value))
    td = pd.Timedelta(value)
    sign = "-" if td < pd.Timedelta(0) else ""
    seconds = abs(td.total_seconds())
    days, rest = divmod(int(seconds), 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{sign}{days}d {hours}h" if hours else f"{sign}{days}d"
    if hours:
        return f"{sign}{hours}h {minutes:02d}m"
    if minutes:
        return f"{sign}{minutes}m" if not secs else f"{sign}{minutes}m {secs:02d}s"
    if seconds and seconds < 1:
        return f"{sign}<1s"
    return f"{sign}{secs}s"


def durations(values: pd.Series, *, missing: str = NOT_RECORDED) -> list[str]:
    """:func:`duration` for a whole column at once (vectorized; for charts with many points)."""
    td = pd.to_timedelta(pd.Series(values)).reset_index(drop=True)
    na = td.isna().to_numpy()
    secs = td.dt.total_seconds().fillna(0).abs()
    sign = pd.Series(["-" if v else "" for v in (td < pd.Timedelta(0)).to_numpy()])
    total = secs.astype("int64")
    d, rest = total // 86400, total % 86400
    h, rest = rest // 3600, rest % 3600
    m, s = rest // 60, rest % 60
    ds, hs, ms, ss = (x.astype(str) for x in (d, h, m, s))
    out = ss + "s"
    out = out.where(~((m > 0) & (s == 0)), ms + "m")
    out = out.where(~((m > 0) & (s > 0)), ms + "m " + ss.str.zfill(2) + "s")
    out = out.where(~(h > 0), hs + "h " + ms.str.zfill(2) + "m")
    out = out.where(~((d > 0) & (h == 0)), ds + "d")
    out = out.where(~((d > 0) & (h > 0)), ds + "d " + hs + "h")
    out = out.where(~((total == 0) & (secs > 0)), "<1s")
    out = sign + out
    return [missing if n else v for v, n in zip(out.tolist(), na, strict=True)]


def timestamp(value: object, tz: str = "UTC", *, missing: str = NOT_RECORDED) -> str:
    """A UTC timestamp shown in ``tz``: ``2026-03-04 15:05 CET``."""
    if value is None or pd.isna(value):
        return missing
    ts = pd.Timestamp(value)
    ts = ts.tz_localize("UTC") if ts.tzinfo is None else ts
    local = ts.tz_convert(tz)
    fmt = "%Y-%m-%d %H:%M" if local.second == 0 else "%Y-%m-%d %H:%M:%S"
    return f"{local.strftime(fmt)} {local.tzname()}"


def number(value: object, *, missing: str = NOT_RECORDED, digits: int = 0) -> str:
    """``12000`` -> ``"12,000"``; missing -> ``"not recorded"``."""
    if value is None or pd.isna(value):
        return missing
    v = float(value)
    if math.isinf(v):
        return missing
    return f"{v:,.{digits}f}"


def text(value: object, *, missing: str = NOT_RECORDED) -> str:
    """Text as-is, or ``"not recorded"`` for None/NaN/empty."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return missing
    s = str(value).strip()
    return s if s else missing
