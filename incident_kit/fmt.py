"""How figures read to people: durations like ``1h 27m``, times in the reader's zone."""

from __future__ import annotations

import math

import pandas as pd

NOT_RECORDED = "not recorded"


def _seconds_text(seconds: float) -> str:
    """The one formatting rule behind :func:`duration` and :func:`durations`."""
    sign = "-" if seconds < 0 else ""
    a = abs(seconds)
    days, rest = divmod(int(a), 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{sign}{days}d {hours}h" if hours else f"{sign}{days}d"
    if hours:
        return f"{sign}{hours}h {minutes:02d}m"
    if minutes:
        return f"{sign}{minutes}m {secs:02d}s" if secs else f"{sign}{minutes}m"
    if a and a < 1:
        return f"{sign}<1s"
    return f"{sign}{secs}s"


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
        return _seconds_text(float(value))
    return _seconds_text(pd.Timedelta(value).total_seconds())


def durations(values: pd.Series, *, missing: str = NOT_RECORDED) -> list[str]:
    """:func:`duration` for a whole column (for charts with thousands of points)."""
    seconds = pd.to_timedelta(pd.Series(values)).dt.total_seconds().tolist()
    return [missing if s != s else _seconds_text(s) for s in seconds]


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
