"""How figures read to people: durations like ``1h 27m``, times in the reader's zone.

One rounding rule for every duration anywhere (pages, charts, the CLI, the explorer): a
duration shows two units at most and is rounded half up to the smaller one it shows, so the
same span never reads ``1d 14h`` in one place and ``1d 15h`` in another.
"""

from __future__ import annotations

import math

import pandas as pd

NOT_RECORDED = "not recorded"
#: Appended to a span that has not ended yet (measured up to the as-of time).
ONGOING = "(ongoing)"

_MINUTE, _HOUR, _DAY = 60, 3600, 86400


def _step(seconds: float) -> int:
    """The smallest unit shown for a duration of this size (what it is rounded to)."""
    if seconds >= _DAY:
        return _HOUR
    if seconds >= _HOUR:
        return _MINUTE
    return 1


def _seconds_text(seconds: float) -> str:
    """The one formatting rule behind :func:`duration` and :func:`durations`.

    Rounded half up to the smallest unit shown (hours from a day up, minutes from an hour
    up, else seconds); a rounded value that reaches the next size is shown in that size's
    units, exactly (``23h 59m 40s`` -> ``1d``).
    """
    sign = "-" if seconds < 0 else ""
    a = abs(seconds)
    if 0 < a < 0.5:
        return f"{sign}<1s"
    step = _step(a)
    total = math.floor(a / step + 0.5) * step
    days, rest = divmod(total, _DAY)
    hours, rest = divmod(rest, _HOUR)
    minutes, secs = divmod(rest, _MINUTE)
    if days:
        return f"{sign}{days}d {hours}h" if hours else f"{sign}{days}d"
    if hours:
        return f"{sign}{hours}h {minutes:02d}m"
    if minutes:
        return f"{sign}{minutes}m {secs:02d}s" if secs else f"{sign}{minutes}m"
    return f"{sign}{secs}s"


def duration(value: object, *, missing: str = NOT_RECORDED, ongoing: bool = False) -> str:
    """``Timedelta(minutes=87)`` -> ``"1h 27m"``; NaT/None -> ``"not recorded"``.

    ``ongoing=True`` marks a span that has not ended (measured up to the as-of time).

    >>> duration(pd.Timedelta(minutes=87))
    '1h 27m'
    >>> duration(pd.Timedelta(days=1, hours=14, minutes=40))
    '1d 15h'
    >>> duration(pd.Timedelta(hours=2, minutes=10), ongoing=True)
    '2h 10m (ongoing)'
    """
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return missing
    if isinstance(value, (int, float)):
        text = _seconds_text(float(value))
    else:
        text = _seconds_text(pd.Timedelta(value).total_seconds())
    return f"{text} {ONGOING}" if ongoing else text


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
