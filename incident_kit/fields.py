"""Parsers for the values people write in incident reports and tables.

Each parser takes the text as written and returns a typed value, or raises ``ValueError``
with a short reason; the loaders turn that reason into a located :class:`Problem`.
Timestamps are parsed column-wise (vectorized) because tables can hold millions of events.
"""

from __future__ import annotations

import re
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import numpy as np
import pandas as pd

from .model import SEVERITIES, STATUSES, TIME_DTYPE

UTC_WORDS = {"UTC", "Z", "GMT"}
_OFFSET_AT_END = r"(?:[zZ]|[+-]\d{2}(?::?\d{2})?)$"


def is_placeholder(text: object) -> bool:
    """True for an unfilled template value such as ``[timestamp]`` or an empty string."""
    if text is None or (isinstance(text, float) and np.isnan(text)):
        return True
    s = str(text).strip()
    if not s:
        return True
    return s.startswith("[") and s.endswith("]") and "](" not in s


def clean(text: object) -> str | None:
    """The stripped text, or None for a placeholder / empty value."""
    return None if is_placeholder(text) else str(text).strip()


@lru_cache(maxsize=256)
def zone(name: str) -> ZoneInfo:
    """A ZoneInfo for an IANA name (``UTC`` included); ValueError names the bad zone."""
    if name.upper() in UTC_WORDS:
        return ZoneInfo("UTC")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {name!r}") from exc


@lru_cache(maxsize=1)
def _zone_names() -> frozenset[str]:
    return frozenset(available_timezones())


def parse_times(
    values: pd.Series, default_tz: str = "UTC"
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Parse a column of timestamps to tz-aware UTC.

    Accepts ISO 8601 with an offset or ``Z``, a trailing ``UTC``, or a trailing IANA zone
    name (``2026-03-29 01:30 Europe/Berlin``). Returns ``(times, error, assumed)``:
    ``error`` holds a reason where the text is not a valid time (else None) and ``assumed``
    is True where the text had no zone and ``default_tz`` was applied. Empty and
    placeholder values give NaT without an error.
    """
    default = zone(default_tz)
    raw = values.astype("object")
    text = pd.Series(
        [None if is_placeholder(v) else str(v).strip() for v in raw],
        index=values.index,
        dtype="object",
    )
    out = pd.Series(pd.NaT, index=values.index, dtype=TIME_DTYPE)
    error = pd.Series(None, index=values.index, dtype="object")
    assumed = pd.Series(False, index=values.index)
    present = text.notna()
    if not present.any():
        return out, error, assumed

    s = text[present]
    head, _, tail = s.str.rpartition(" ").T.values if len(s) else ([], [], [])
    head = pd.Series(head, index=s.index, dtype="object")
    tail = pd.Series(tail, index=s.index, dtype="object")
    has_space = head.str.len() > 0
    is_utc_word = has_space & tail.str.upper().isin(UTC_WORDS)
    is_zone_name = has_space & ~is_utc_word & tail.isin(_zone_names())
    body = s.where(~(is_utc_word | is_zone_name), head)
    has_offset = (
        ~is_zone_name & body.str.contains(_OFFSET_AT_END, regex=True) & body.str.contains(":")
    )
    has_offset |= is_utc_word
    body = body.where(~is_utc_word, body + "+00:00")

    def naive(part: pd.Series) -> pd.Series:
        parsed = pd.to_datetime(part, format="ISO8601", errors="coerce")
        return _in_range(parsed).astype("datetime64[ns]")

    # 1. explicit offsets
    idx = body.index[has_offset]
    if len(idx):
        parsed = pd.to_datetime(body[idx], format="ISO8601", errors="coerce", utc=True)
        out.loc[idx] = _in_range(parsed).astype(TIME_DTYPE)
    # 2. IANA zone names and 3. naive times (default zone): localise per zone
    groups = [(tail[is_zone_name], body[is_zone_name])]
    no_zone = ~has_offset & ~is_zone_name
    groups.append((pd.Series(default_tz, index=body.index[no_zone]), body[no_zone]))
    assumed.loc[body.index[no_zone]] = True
    for zones, part in groups:
        if not len(part):
            continue
        parsed = naive(part)
        for name in zones.unique():
            members = zones.index[zones == name]
            local = parsed[members]
            tz = default if name == default_tz else zone(name)
            localized = local.dt.tz_localize(tz, ambiguous="NaT", nonexistent="NaT")
            gap = local.notna() & localized.isna()
            error.loc[members[gap.to_numpy()]] = (
                f"is not a single valid local time in {name} (daylight-saving change): "
                "write it with an explicit offset"
            )
            out.loc[members] = localized.dt.tz_convert("UTC")
    bad = present & out.isna() & error.isna()
    error.loc[bad] = "is not a timestamp (expected ISO 8601 with an offset, or a zone name)"
    assumed &= ~error.notna() & present
    return out, error, assumed


def _in_range(parsed: pd.Series) -> pd.Series:
    """NaT for years a nanosecond timestamp cannot hold (``-5`` reads as year -5, ``0001``)."""
    years = parsed.dt.year
    return parsed.where((years > 1677) & (years < 2262))


def parse_time(text: str, default_tz: str = "UTC") -> tuple[pd.Timestamp | None, bool]:
    """One timestamp (see :func:`parse_times`): ``(utc_time or None, zone_assumed)``."""
    times, error, assumed = parse_times(pd.Series([text], dtype="object"), default_tz)
    if pd.notna(error.iloc[0]):
        raise ValueError(error.iloc[0])
    value = times.iloc[0]
    return (None if pd.isna(value) else value), bool(assumed.iloc[0])


def parse_severity(text: str) -> str:
    """``P1``..``P4`` (also ``p2``, ``SEV2``, ``Sev 2``)."""
    s = text.strip().upper().replace(" ", "").replace("SEV", "P")
    if s in SEVERITIES:
        return s
    raise ValueError(f"is not a severity (expected one of {', '.join(SEVERITIES)})")


def parse_status(text: str) -> str:
    """``Active``, ``Resolved`` or ``Post-Mortem`` (case and dash insensitive)."""
    key = text.strip().lower().replace(" ", "").replace("-", "").replace("_", "")
    for status in STATUSES:
        if status.lower().replace("-", "") == key:
            return status
    raise ValueError(f"is not a status (expected one of {', '.join(STATUSES)})")


_NUMBER = re.compile(r"^[~≈<>]?\d[\d,_]*(?:\.\d+)?$")


def parse_users(text: str) -> tuple[int | None, float | None]:
    """``1,200``, ``3.5%`` or ``~1,200 (3.5%)`` -> (count, percentage)."""
    count: int | None = None
    pct: float | None = None
    for token in text.replace("(", " ").replace(")", " ").split():
        token = token.strip(",;")
        if token.endswith("%") and pct is None:
            try:
                pct = float(token[:-1].lstrip("~≈<>"))
            except ValueError:
                raise ValueError("is not a number or percentage of users") from None
        elif _NUMBER.match(token) and count is None:
            number = float(token.lstrip("~≈<>").replace(",", "").replace("_", ""))
            if number != int(number):
                raise ValueError("is not a whole number of users")
            count = int(number)
        elif token.startswith("-") and token[1:2].isdigit():
            raise ValueError("is negative: a count of users cannot be")
    if count is None and pct is None:
        raise ValueError("is not a number or percentage of users")
    return count, pct


def parse_duration(text: str) -> pd.Timedelta:
    """``1h 27m``, ``87 minutes``, ``2 hours 5 min``, ``01:27:00`` or ISO ``PT1H27M``."""
    s = text.strip()
    candidates = [s, s.replace(" ", ""), s.replace("mins", "min").replace("hrs", "h")]
    for candidate in candidates:
        try:
            value = pd.Timedelta(candidate)
        except (ValueError, TypeError):
            continue
        if pd.notna(value):
            if value < pd.Timedelta(0):
                raise ValueError("is a negative duration")
            return value
    raise ValueError("is not a duration (e.g. '1h 27m' or '87 minutes')")


_CURRENCY_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR"}


def parse_money(text: str) -> tuple[float | None, str | None]:
    """``$12,000``, ``EUR 5000`` or ``12k USD`` -> (amount, ISO currency); (None, None) if none."""
    amount: float | None = None
    currency: str | None = None
    for token in text.replace("(", " ").replace(")", " ").split():
        token = token.strip(",;~≈")
        if token[:1] in _CURRENCY_SYMBOLS:
            currency = currency or _CURRENCY_SYMBOLS[token[0]]
            token = token[1:]
        if len(token) == 3 and token.isalpha() and token.isupper():
            currency = currency or token
            continue
        multiplier = 1.0
        if (
            token[-1:].lower() in ("k", "m")
            and token[:-1].replace(",", "").replace(".", "", 1).isdigit()
        ):
            multiplier = 1e3 if token[-1].lower() == "k" else 1e6
            token = token[:-1]
        digits = token.replace(",", "")
        if amount is None and digits and digits.replace(".", "", 1).isdigit():
            amount = float(digits) * multiplier
    return amount, (currency if amount is not None else None)


_NO_LOSS = ("none", "no", "n/a", "na", "nil", "no data loss", "no data was lost")


def has_data_loss(text: str | None) -> bool | None:
    """Whether a Data Loss text reports a loss: None when unknown."""
    if text is None:
        return None
    s = text.strip().lower().rstrip(".")
    return not (s in _NO_LOSS or s.startswith(("none", "no data", "no loss", "no ")))


def parse_date(text: str) -> pd.Timestamp:
    """A calendar date (``2026-03-10``); times are dropped."""
    try:
        value = pd.Timestamp(text.strip())
    except (ValueError, TypeError):
        raise ValueError("is not a date (expected YYYY-MM-DD)") from None
    if pd.isna(value):
        raise ValueError("is not a date (expected YYYY-MM-DD)")
    return value.tz_localize(None).normalize() if value.tzinfo else value.normalize()


def split_list(text: str | None, seps: str = ",;") -> list[str]:
    """``a, b; c`` -> ``["a", "b", "c"]`` (placeholders and blanks dropped)."""
    if text is None:
        return []
    parts = [text]
    for sep in seps:
        parts = [piece for part in parts for piece in part.split(sep)]
    return [p.strip() for p in parts if not is_placeholder(p)]
