"""Parsers for the values people write in incident reports and tables.

Each parser takes the text as written and returns a typed value, or raises ``ValueError``
with a short reason that names the forms accepted; the loaders turn that reason into a
located :class:`Problem`. Timestamps are parsed column-wise: ISO-like columns (a million table
cells) stay on pandas' vectorized path, and the forms people write by hand (``March 4, 2026
2:05 PM PST``, ``04.03.2026 14:05 CET``) go through python-dateutil once per distinct string.
The words (zone abbreviations, severity and status synonyms, "not known" values) are in
:mod:`incident_kit.vocab`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import unicodedata
from functools import lru_cache
from itertools import pairwise
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import numpy as np
import pandas as pd

from . import vocab as V
from .errors import IncidentKitError, UnknownNameError
from .model import SEVERITIES, TIME_DTYPE
from .vocab import is_placeholder, is_unknown

__all__ = [
    "TIME_FORMS",
    "clean",
    "has_data_loss",
    "is_placeholder",
    "is_unknown",
    "owner_name",
    "parse_date",
    "parse_duration",
    "parse_money",
    "parse_severity",
    "parse_status",
    "parse_time",
    "parse_times",
    "parse_users",
    "read_data_loss",
    "read_money",
    "read_number",
    "read_severity",
    "read_times",
    "split_list",
    "to_utc",
    "zone",
]

UTC_WORDS = {"UTC", "Z", "GMT", "UT"}
#: What a timestamp may look like (for messages).
TIME_FORMS = (
    "2026-03-04 14:05 UTC, 2026-03-04T14:05:00+01:00, March 4, 2026 2:05 PM PST, "
    "04.03.2026 14:05 CET, 2026-03-04 14:05 Europe/Berlin"
)
_NOT_A_TIME = f"is not a timestamp (e.g. {TIME_FORMS})"


def clean(text: object) -> str | None:
    """The stripped text, or None for a placeholder / empty value."""
    return None if is_placeholder(text) else str(text).strip()


@lru_cache(maxsize=256)
def zone(name: str) -> dt.tzinfo:
    """A tzinfo for an IANA name, ``UTC``, or a fixed offset (``+05:30``); ValueError names
    the bad zone."""
    if name.upper() in UTC_WORDS:
        return ZoneInfo("UTC")
    offset = _offset_minutes(name)
    if offset is not None:
        return dt.timezone(dt.timedelta(minutes=offset))
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {name!r}") from exc


def check_zone(name: object, what: str) -> str:
    """``name`` when :func:`zone` reads it; else an :class:`UnknownNameError` naming
    ``what`` it was given as (``display_tz``, ``tz_abbrev IST``)."""
    try:
        zone(str(name))
    except ValueError as exc:
        raise UnknownNameError(f"{what}: {exc}") from None
    return str(name)


@lru_cache(maxsize=1)
def _zone_names() -> frozenset[str]:
    return frozenset(available_timezones())


_OFFSET = re.compile(r"^(?:UTC|GMT|UT)?\s*([+-−])\s*(\d{1,2})(?::?(\d{2}))?$", re.I)


def _offset_minutes(text: str) -> int | None:
    """``+05:30`` / ``-0800`` / ``UTC+1`` -> minutes east of UTC, else None."""
    m = _OFFSET.match(text.strip())
    if not m or int(m.group(2)) > 14 or int(m.group(3) or 0) >= 60:
        return None
    minutes = int(m.group(2)) * 60 + int(m.group(3) or 0)
    return -minutes if m.group(1) in "-−" else minutes


# --- one timestamp as a person writes it -----------------------------------------------------
_ZONE_TAIL = re.compile(
    r"""(?:^|(?<=[\s(\[\d]))[(\[]?\s*(?P<zone>
        (?:UTC|GMT|UT)\s*[+-−]\s*\d{1,2}(?::?\d{2})?      # UTC+5:30
      | [A-Za-z]+(?:/[A-Za-z0-9_+-]+)+                    # IANA name
      | [A-Za-z]{1,5}                                       # abbreviation, Z, UTC
    )\s*[)\]]?\s*$""",
    re.X,
)
_OFFSET_TAIL = re.compile(r"(?<=\d)\s*(?P<zone>Z|[+-−]\d{2}(?::?\d{2})?)$")
_TIME_ONLY = re.compile(
    r"^(?P<h>\d{1,2})(?:[:.h](?P<m>\d{2}))?(?::(?P<s>\d{2})(?:[.,]\d+)?)?\s*"
    r"(?P<ampm>[ap])?\.?\s*(?:m\.?)?$",
    re.I,
)
_NUMERIC_DATE = re.compile(r"\b(\d{1,2})([/.-])(\d{1,2})\2(\d{2}|\d{4})\b")
_ISO_DATE = re.compile(r"\b\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\b")
_HAS_YEAR = re.compile(
    r"(?<![\d:])(?:19|20)\d{2}(?![\d:])|\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2}\b"
    r"|\b\d{1,2}[/-](?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?[/-]\d{2}\b",
    re.I,
)  # 2026, 04/03/26, and 14-Jul-26 (day, month's name, year: as militaries and Oracle write)
_NOT_ZONES = {"AM", "PM", "A", "P", "AT", "ON", "BY", "TO", "OF", "THE", "ND", "ST", "RD", "TH"}
_MONTHS = {
    m.lower()
    for m in [
        "jan",
        "feb",
        "mar",
        "apr",
        "may",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "january",
        "february",
        "march",
        "april",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "mon",
        "tue",
        "wed",
        "thu",
        "fri",
        "sat",
        "sun",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ]
}


class Clock:
    """A time of day with no date (``14:05 UTC``): the reader takes the date from context."""

    __slots__ = ("seconds", "tz", "zone_text")

    def __init__(self, seconds: int, tz: dt.tzinfo | None, zone_text: str | None):
        self.seconds, self.tz, self.zone_text = seconds, tz, zone_text

    def on(self, day: dt.date, tz: dt.tzinfo) -> pd.Timestamp:
        """This time on ``day`` in ``tz`` (the clock's own zone if it has one), in UTC."""
        h, rest = divmod(self.seconds, 3600)
        naive = dt.datetime.combine(day, dt.time(h, rest // 60, rest % 60))
        return _localize(naive, self.tz or tz, self.zone_text or "")


class NoYear:
    """A date and time written without a year (``Mar 17 11:31 PM``)."""

    __slots__ = ("day", "month", "seconds", "tz", "zone_text")

    def __init__(self, month, day, seconds, tz, zone_text):
        self.month, self.day, self.seconds = month, day, seconds
        self.tz, self.zone_text = tz, zone_text

    def in_year(self, year: int, tz: dt.tzinfo) -> pd.Timestamp:
        h, rest = divmod(self.seconds, 3600)
        naive = dt.datetime(year, self.month, self.day, h, rest // 60, rest % 60)
        return _localize(naive, self.tz or tz, self.zone_text or "")


class DateOnly:
    """A date written without a time of day (``2026-03-06``, ``March 6``)."""

    __slots__ = ("day", "month", "tz", "year", "zone_text")

    def __init__(self, year, month, day, tz, zone_text):
        self.year, self.month, self.day = year, month, day
        self.tz, self.zone_text = tz, zone_text

    def start(self, tz: dt.tzinfo, year: int | None = None) -> pd.Timestamp:
        """00:00 of this day in its own zone, else ``tz``, as UTC."""
        naive = dt.datetime(self.year or year, self.month, self.day)
        return _localize(naive, self.tz or tz, self.zone_text or "")


def _localize(naive: dt.datetime, tz: dt.tzinfo, name: str) -> pd.Timestamp:
    """A wall-clock time in ``tz`` as UTC; ValueError for a time the zone skips or repeats."""
    if isinstance(tz, ZoneInfo):
        first = naive.replace(tzinfo=tz, fold=0)
        second = naive.replace(tzinfo=tz, fold=1)
        if first.utcoffset() != second.utcoffset():
            kind = "repeated" if first.utcoffset() > second.utcoffset() else "skipped"
            raise ValueError(
                f"is not a single valid local time in {tz.key} (daylight-saving change: "
                f"{kind}): write it with an explicit offset"
            )
        return pd.Timestamp(first).tz_convert("UTC")
    return pd.Timestamp(naive.replace(tzinfo=tz)).tz_convert("UTC")


def _zone_for(token: str, abbrevs: dict[str, str]) -> tuple[dt.tzinfo, str | None] | None:
    """The tzinfo a zone token names and a note for an ambiguous abbreviation, else None."""
    upper = token.upper()
    if upper in abbrevs:
        return zone(abbrevs[upper]), None
    if upper in UTC_WORDS:
        return zone("UTC"), None
    if upper in V.ZONE_GENERIC:
        return zone(V.ZONE_GENERIC[upper]), None
    offset = V.zone_offset(upper)
    if offset is not None and upper not in _NOT_ZONES:
        note = None
        if upper in V.AMBIGUOUS_ZONES:
            note = (
                f"uses {upper}, which names more than one zone: read as "
                f"{V.AMBIGUOUS_ZONES[upper]}; choose with tz_abbrev={{'{upper}': ZONE}} "
                f"(CLI: --tz-abbrev {upper}=ZONE)"
            )
        return dt.timezone(dt.timedelta(minutes=offset)), note
    minutes = _offset_minutes(token)
    if minutes is not None:
        return dt.timezone(dt.timedelta(minutes=minutes)), None
    if "/" in token and token in _zone_names():
        return zone(token), None
    return None


def _split_zone(text: str, abbrevs: dict[str, str]):
    """``(body, tzinfo | None, zone_text | None, note | None)``; ValueError for an unknown
    zone-like word at the end."""
    m = _OFFSET_TAIL.search(text)
    if m and ":" in text[: m.start()]:
        found = _zone_for(m.group("zone").replace("Z", "UTC"), abbrevs)
        if found:
            return text[: m.start()].rstrip(), found[0], m.group("zone"), found[1]
    m = _ZONE_TAIL.search(text)
    if m and m.start() > 0:
        token = m.group("zone")
        if token.upper() in _NOT_ZONES or token.lower() in _MONTHS:
            return text, None, None, None
        found = _zone_for(re.sub(r"\s+", "", token), abbrevs)
        if found:
            return text[: m.start()].rstrip(" ,"), found[0], token, found[1]
        if token.isalpha() and token.isupper() and 2 <= len(token) <= 5:
            raise ValueError(
                f"has an unknown time zone {token!r} (use an offset such as +05:30, an IANA "
                f"name, or tz_abbrev={{'{token}': ...}})"
            )
    return text, None, None, None


def names_zone(text: str, abbrevs: dict[str, str] | None = None) -> bool:
    """Whether ``text`` is a time zone and nothing else, as the time parser reads zones
    (``UTC``, ``CEST``, ``IST``, ``UTC+2``, ``+05:30``, ``Europe/Paris``)."""
    try:
        body, tz, _, _ = _split_zone(f"00:00 {text.strip()}", abbrevs or {})
    except ValueError:
        return False
    return tz is not None and body.strip(" ,") == "00:00"


def _drop_asides(text: str, abbrevs: dict[str, str]) -> str:
    """``14:05 (UTC)`` keeps its zone; any other aside (``23:48 PST (T+0)``, ``(Tue)``) is
    dropped, so that nothing in it (``+0``) is read as part of the time."""

    def one(m: re.Match) -> str:
        inner = m.group(1).strip()
        return f" {inner} " if names_zone(inner, abbrevs) else " "

    return " ".join(re.sub(r"\(([^()]*)\)", one, text).split())


#: Zones of North America, whose people write a date month first (``Tue 3/10, 2pm PT``).
_MONTH_FIRST_ZONES = frozenset(
    [
        "PT",
        "PST",
        "PDT",
        "ET",
        "EST",
        "EDT",
        "CT",
        "CST",
        "CDT",
        "MT",
        "MST",
        "MDT",
        "AKST",
        "AKDT",
        "HST",
    ]
)


def _day_first(body: str, zone_text: str | None = None) -> bool:
    """Whether a numeric date is day-first; ValueError for one that reads both ways. A zone
    of North America says month first; a weekday says which reading it is (``Tue 03/10/2026``)."""
    m = _NUMERIC_DATE.search(body)
    if (zone_text or "").strip().upper() in _MONTH_FIRST_ZONES:
        return False
    if m and (day := _weekday_says(body, m)) is not None:
        return day
    if not m and not _ISO_DATE.search(body):
        short = _DAY_MONTH.search(body)
        if short and int(short.group(1)) <= 12 and int(short.group(2)) <= 12:
            a, b = int(short.group(1)), int(short.group(2))
            if a != b:
                raise ValueError(
                    f"is an ambiguous date: {short.group(0)} reads as {b} "
                    f"{dt.date(2000, a, 1):%B} or {a} {dt.date(2000, b, 1):%B}; "
                    "write it as YYYY-MM-DD"
                )
        return bool(short and int(short.group(1)) > 12)
    if not m or _ISO_DATE.search(body):
        return False
    a, sep, b, year = int(m.group(1)), m.group(2), int(m.group(3)), m.group(4)
    if sep == ".":
        return True  # 04.03.2026: day.month.year
    if a > 12:
        return True
    if b > 12 or a == b:
        return False
    y = year if len(year) == 4 else "20" + year
    first = dt.date(int(y), a, b).strftime("%-d %B %Y")
    second = dt.date(int(y), b, a).strftime("%-d %B %Y")
    raise ValueError(
        f"is an ambiguous date: {m.group(0)} reads as {first} or {second}; "
        f"write it as {y}-{a:02d}-{b:02d} or {y}-{b:02d}-{a:02d}"
    )


def _weekdays_in(text: str) -> set[int]:
    """The weekdays (0 = Monday) a date's text names (``Tue``, ``vie``, ``mercredi``)."""
    words = re.findall(r"[^\W\d_]+", text.lower())
    return {V.WEEKDAY_NUMBERS[w] for w in words if w in V.WEEKDAY_NUMBERS}


def _weekday_says(body: str, m: re.Match) -> bool | None:
    """Day-first or not, from the weekday written beside an ambiguous numeric date: the one
    reading that falls on it; None without a weekday, or when both or neither do."""
    days = _weekdays_in(body)
    a, b, year = int(m.group(1)), int(m.group(3)), m.group(4)
    if len(days) != 1 or a > 12 or b > 12 or a == b:
        return None
    y = int(year if len(year) == 4 else "20" + year)
    month_first = dt.date(y, a, b).weekday() in days
    day_first = dt.date(y, b, a).weekday() in days
    return day_first if month_first != day_first else None


def _clock_seconds(m: re.Match) -> int | None:
    h, minute, sec = int(m.group("h")), int(m.group("m") or 0), int(m.group("s") or 0)
    ampm = (m.group("ampm") or "").lower()
    if ampm:
        if not 1 <= h <= 12:
            return None
        h = (h % 12) + (12 if ampm == "p" else 0)
    elif m.group("m") is None:
        return None  # a bare number is not a time
    if h > 23 or minute > 59 or sec > 59:
        return None
    return h * 3600 + minute * 60 + sec


_APPROX = re.compile(
    r"^(?:~|≈|ca\.?|c\.|approx\.?|approximately|around|about|roughly|circa|at|on|since)\s*",
    re.I,
)
_HHMM = re.compile(r"^([01]\d|2[0-3])([0-5]\d)$")
_HHMM_AFTER_DATE = re.compile(r"(?<=\d[ T])([01]\d|2[0-3])([0-5]\d)$")
_DAY_MONTH = re.compile(r"(?<![\d/.-])(\d{1,2})/(\d{1,2})(?![\d/])")
_PREP = re.compile(r"\s*(?:@|\bat\b|,)\s*", re.I)
_ORDINAL = re.compile(r"(?<=\d)(?:st|nd|rd|th)\b", re.I)


_TODAY = re.compile(r"^(?:today|heute|hoy|hoje|aujourd'hui)\b\s*(?:at|um|a las|às|à|,)?\s*", re.I)
_MONTH_WORD = re.compile(
    rf"(?<![^\W\d_])({'|'.join(sorted(map(re.escape, V.MONTH_WORDS), key=len, reverse=True))})"
    r"\.?(?![^\W\d_])",
    re.I,
)
_WEEKDAY_FIRST = re.compile(
    rf"^(?:{'|'.join(sorted(map(re.escape, V.WEEKDAY_WORDS), key=len, reverse=True))})\.?,?\s+"
    r"(?=(?:the\s+)?\d)",
    re.I,
)
_FILLER = re.compile(
    rf"(?<![^\W\d_])(?:{'|'.join(sorted(map(re.escape, V.DATE_FILLERS), key=len, reverse=True))})"
    r"(?![^\W\d_])",
    re.I,
)
_H_CLOCK = re.compile(  # 14h05 (French), 16h (Portuguese): a clock
    r"(?<![\d.:])(\d{1,2})\s?h\s?(\d{2})(?![\d])|(?<![\d.:])(\d{1,2})h(?![\w])", re.I
)
_DOT_CLOCK = re.compile(  # 23.40 uur, 09.10 Uhr, kl. 14.05: a clock, not a date
    r"(?:(?<=kl\.\s)|(?<=kl\s)|(?<=klockan\s))(\d{1,2})\.(\d{2})(?![\d.])"
    r"|(?<![\d.])(\d{1,2})\.(\d{2})(?=\s*(?:uur|uhr|h)\b)",
    re.I,
)
_LETTERS = re.compile(r"[^\W\d_]+")
_MONTH_KEYS = frozenset(V.MONTH_WORDS)
_FILLER_KEYS = frozenset(w for f in V.DATE_FILLERS for w in _LETTERS.findall(f))
#: Words of times the date parser reads as they are (zones, am/pm, English months).
_PLAIN_TIME_WORDS = frozenset(
    ["utc", "gmt", "z", "t", "am", "pm", "a", "p", "m", "at"]
    + [w.lower() for w in V.ZONE_ABBREVIATIONS]
    + ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"]
)
# noon is 12:00; "midnight" stays unread: which day's (its start or its end) is not said
_NOON = re.compile(r"\bnoon\b|\bmidday\b", re.I)


_CJK_MARKS = re.compile(r"[年년月월日일時时시分분午오上下星周（]")
_CJK_DATE = re.compile(r"(\d{4})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]")
_CJK_WEEKDAY = re.compile(
    r"\s*\(\s*(?:[月火水木金土日](?:曜日?)?|[월화수목금토일](?:요일)?)\s*\)\s*"
    r"|\s*(?:星期|周)[一二三四五六日天]\s*|\s*[月火水木金土日]曜日?\s*|\s*[월화수목금토일]요일\s*"
)
_CJK_CLOCK = re.compile(r"(\d{1,2})\s*[時时시]\s*(?:(\d{1,2})\s*[分분])?")
_CJK_HALF = re.compile(r"(午前|午後|오전|오후|上午|下午)\s*(\d{1,2}(?::\d{2})?)")
_HALVES = {"午前": "AM", "午後": "PM", "오전": "AM", "오후": "PM", "上午": "AM", "下午": "PM"}


def _cjk_date(text: str) -> str:
    """A date and time in Japanese, Chinese or Korean (``2026年11月3日（火）14:05``,
    ``2026년 6월 22일 오후 2:05``, ``14時05分``) as the date parser reads it."""
    s = unicodedata.normalize("NFKC", text)  # full-width digits, colons and brackets
    s = _CJK_DATE.sub(lambda m: f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d} ", s)
    s = _CJK_WEEKDAY.sub(" ", s)
    s = _CJK_CLOCK.sub(lambda m: f"{m.group(1)}:{int(m.group(2) or 0):02d}", s)
    s = _CJK_HALF.sub(lambda m: f"{m.group(2)} {_HALVES[m.group(1)]}", s)
    return " ".join(s.split())


def in_english(text: str) -> str:
    """A date and time written in another language's words (or British order) as the date
    parser reads it: ``za 28 maart 2026, 23.40 uur`` -> ``28 Mar 2026, 23:40``,
    ``mercredi 11 mars 2026 à 10h00`` -> ``11 Mar 2026 10:00``, ``Wednesday the 14th of
    October 2026, noon`` -> ``Wednesday 14th October 2026, 12:00`` (``midnight`` stays:
    which day's is not said)."""
    if _CJK_MARKS.search(text):  # 2026年11月3日（火）14:05, 2026년 6월 22일 오후 2:05
        text = _cjk_date(text)
    low = text.lower()
    words = set(_LETTERS.findall(low))
    if not words or words <= _PLAIN_TIME_WORDS:  # "2026-03-04 14:05 UTC": nothing to do
        return text
    s = _WEEKDAY_FIRST.sub("", text) if words & V.WEEKDAY_WORDS else text
    if "." in s or "h" in low:
        s = _DOT_CLOCK.sub(lambda m: f"{m.group(1) or m.group(3)}:{m.group(2) or m.group(4)}", s)
        s = _H_CLOCK.sub(lambda m: f"{m.group(1) or m.group(3)}:{m.group(2) or '00'}", s)
    if words & {"uur", "uhr", "hs"}:  # 23.40 uur, 09:10 Uhr, 19:32 hs (horas), 11 hs
        s = re.sub(r"(?<![\d:.])(\d{1,2})\s*(?:uur|uhr|hs)\b", r"\1:00", s, flags=re.I)
        s = re.sub(r"(?<=\d)\s*(?:uur|uhr|hs)\b", "", s, flags=re.I)
    if words & _MONTH_KEYS:
        s = _MONTH_WORD.sub(lambda m: V.MONTH_WORDS[m.group(1).lower()], s)
    if words & {"noon", "midday"}:
        s = _NOON.sub("12:00", s)
    return " ".join(_FILLER.sub(" ", s).split()) if words & _FILLER_KEYS else s


_ZONE_IN_WORDS = re.compile(
    r"(?<=\d)(?P<sep>\s+)(?P<w>[a-z]+(?:\s[a-z]+)??)\s+(?:standard\s+|daylight\s+)?time$", re.I
)


def _zone_in_words(m: re.Match) -> str:
    """``Pacific Time`` / ``Eastern Standard Time`` / ``London time`` after a time: its zone."""
    zone = V.ZONE_WORDS.get(m.group("w").lower())
    return f"{m.group('sep')}{zone}" if zone else m.group(0)


#: A range of clock times (``23:47–23:58``, ``14:05 - 14:20``, ``10:00 to 10:30``); not a
#: time and its offset (``14:05:00-05:00``), which has no space around its sign.
_TIME_RANGE = re.compile(
    r"(?<![\d:])(\d{1,2}:\d{2}(?::\d{2})?)(?:\s*[–—]\s*|\s+-\s+|\s+to\s+)"
    r"\d{1,2}:\d{2}(?::\d{2})?(?![\d:])"
)
_RANGE_NOTE = "is a range of times; read as its start"


@lru_cache(maxsize=65536)
def parse_human_time(text: str, default_tz: str = "UTC", abbrevs: tuple = ()):
    """One timestamp as people write it: ``(value, note)``; a range of clock times
    (``Sat 14 Nov 2026, 23:47–23:58``) is its start, with a note saying so.

    ``value`` is a UTC ``pd.Timestamp``, or a :class:`Clock` for a time with no date, or a
    :class:`NoYear` for a date without a year; ``note`` is a warning (zone assumed, ambiguous
    abbreviation) or None. Raises ``ValueError`` with the reason and the accepted forms.
    """
    start = _TIME_RANGE.sub(r"\1", text) if ":" in text else text
    if start == text:
        return _parse_human_time(text, default_tz, abbrevs)
    value, note = _parse_human_time(start, default_tz, abbrevs)
    return value, f"{note}; {_RANGE_NOTE}" if note else _RANGE_NOTE


def _parse_human_time(text: str, default_tz: str, abbrevs: tuple):
    """:func:`parse_human_time` of one time."""
    from dateutil import parser as du

    abbrev = {k.upper(): v for k, v in abbrevs}
    s = " ".join(text.replace("\u202f", " ").replace("\u00a0", " ").split()).strip(" .;")
    s = _APPROX.sub("", s)
    s = _TODAY.sub("", s)  # "Today at 2:05 PM": a time on the day of the line before
    s = in_english(s)
    if s[-4:].lower() == "time":  # "07:48:20 Pacific Time": the zone in words
        s = _ZONE_IN_WORDS.sub(_zone_in_words, s)
    s = _drop_asides(s, abbrev) if "(" in s else s
    body, tz, zone_text, note = _split_zone(s, abbrev)
    if tz is None:
        note = f"has no time zone; assumed {default_tz}"
    body = body.strip(" ,")
    hhmm = _HHMM.match(body)
    if hhmm and tz is not None:  # 1405Z, 1405 UTC: military style, only with a zone
        return Clock(int(hhmm.group(1)) * 3600 + int(hhmm.group(2)) * 60, tz, zone_text), note
    m = _TIME_ONLY.match(body)
    if m:
        seconds = _clock_seconds(m)
        if seconds is None:
            raise ValueError(_NOT_A_TIME)
        return Clock(seconds, tz, zone_text), note
    if not re.search(r"\d", body):
        raise ValueError(_NOT_A_TIME)
    dayfirst = _day_first(body, zone_text)
    if tz is not None:  # 2026-07-09 0830Z: a military-style time after a date
        body = _HHMM_AFTER_DATE.sub(r"\1:\2", body)
    cleaned = _ORDINAL.sub("", _PREP.sub(" ", body)).strip()
    try:
        one = du.parse(cleaned, dayfirst=dayfirst, default=dt.datetime(2001, 1, 1))
        two = du.parse(cleaned, dayfirst=dayfirst, default=dt.datetime(2002, 2, 2))
    except (ValueError, OverflowError):
        raise ValueError(_NOT_A_TIME) from None
    if one.tzinfo is not None:  # dateutil read a zone we did not (e.g. "UTC+5")
        tz, note = one.tzinfo, None
        one, two = one.replace(tzinfo=None), two.replace(tzinfo=None)
    missing_day = one.day != two.day or one.month != two.month
    missing_year = one.year != two.year
    if missing_day:
        raise ValueError(_NOT_A_TIME)
    has_time = re.search(r"\d:\d{2}|\d\s*[ap]\.?m\b", cleaned, re.I) is not None
    if not has_time:
        year = None if missing_year or not _HAS_YEAR.search(body) else one.year
        return DateOnly(year, one.month, one.day, tz, zone_text), None
    seconds = one.hour * 3600 + one.minute * 60 + one.second
    if missing_year or not _HAS_YEAR.search(body):
        return NoYear(one.month, one.day, seconds, tz, zone_text), note
    local_tz = tz or zone(default_tz)
    return _localize(
        one.replace(microsecond=one.microsecond), local_tz, zone_text or default_tz
    ), note


# --- timestamp columns ------------------------------------------------------------------------
def _text_column(values: pd.Series) -> pd.Series:
    """Stripped strings, None for empty and placeholder cells (no error for those)."""
    out = []
    for v in values.astype("object"):
        if v is None or (isinstance(v, float) and v != v):
            out.append(None)
        elif isinstance(v, str):
            s = v.strip()
            out.append(None if (not s or is_unknown(s)) else s)
        elif isinstance(v, dt.datetime | pd.Timestamp):
            out.append(v)
        else:
            s = str(v).strip()
            out.append(s or None)
    return pd.Series(out, index=values.index, dtype="object")


def read_times(values: pd.Series, default_tz: str = "UTC", *, tz_abbrev: dict | None = None):
    """Parse a column of timestamps: ``(times, errors, notes, partial)``.

    Like :func:`parse_times`, plus ``partial``: an object Series holding a :class:`Clock` (time
    without a date) or :class:`NoYear` where the text lacked a date or year; the Markdown
    reader fills those from the lines around them. Those rows have NaT and no error here.
    """
    abbrevs = tuple(sorted((k.upper(), v) for k, v in (tz_abbrev or {}).items()))
    default = zone(default_tz)
    text = _text_column(values)
    out = pd.Series(pd.NaT, index=values.index, dtype=TIME_DTYPE)
    error = _nones(values.index)
    note = _nones(values.index)
    partial = _nones(values.index)
    present = text.notna()
    if not present.any():
        return out, error, note, partial
    s = text[present]
    stamps = s.map(lambda v: isinstance(v, dt.datetime | pd.Timestamp))
    if stamps.any():  # JSON or Parquet cells that are already times
        for idx, v in s[stamps].items():
            ts = pd.Timestamp(v)
            if ts.tzinfo is None:
                ts = ts.tz_localize(default)
                note.at[idx] = f"has no time zone; assumed {default_tz}"
            out.at[idx] = ts.tz_convert("UTC")
        s = s[~stamps].astype(str)
    odd = _unusual(s)  # the few values the checks below concern, found in one C pass
    midnight = pd.Index([])
    if odd.any():
        checked = _epochs(_no_impossible_offsets(s[odd], error), out)
        checked, midnight = _end_of_day(checked)
        s = pd.concat([s[~odd], checked])
    rest = _fast_path(s, default_tz, default, abbrevs, out, error, note)
    if len(rest):
        _read_each(rest, default_tz, abbrevs, (out, error, note, partial))
    if len(midnight):  # "2026-03-31T24:00+01:00": the end of that day, the next day's 00:00
        out.loc[midnight] = out.loc[midnight] + pd.Timedelta(days=1)
    return out, error, note, partial


def _read_each(rest: pd.Series, default_tz: str, abbrevs: tuple, into: tuple) -> None:
    """:func:`parse_human_time` once per distinct value of ``rest``, the results written into
    ``(out, error, note, partial)`` in one assignment each (not one pandas write per value)."""
    out, error, note, partial = into
    rows: dict[str, list[int]] = {}
    for i, value in enumerate(rest.to_numpy(dtype=object)):
        rows.setdefault(value, []).append(i)
    n = len(rest)
    errors, notes, parts = (np.full(n, None, dtype=object) for _ in range(3))
    stamps = np.full(n, np.iinfo(np.int64).min, dtype=np.int64)  # NaT
    for value, where in rows.items():
        try:
            parsed, why = parse_human_time(value, default_tz, abbrevs)
        except ValueError as exc:
            errors[where] = str(exc)
            continue
        notes[where] = why
        if isinstance(parsed, pd.Timestamp):
            stamps[where] = parsed.value
        else:
            for i in where:
                parts[i] = parsed
    index = rest.index
    for target, values in ((error, errors), (note, notes), (partial, parts)):
        has = np.fromiter((v is not None for v in values), dtype=bool, count=n)
        if has.any():
            target.loc[index[has]] = values[has]
    read = stamps != np.iinfo(np.int64).min
    if read.any():
        out.loc[index[read]] = pd.to_datetime(stamps[read], utc=True).astype(TIME_DTYPE)


#: What may be a UNIX time, an end-of-day 24:00 or an offset no zone has (RE2 and Python).
_UNUSUAL = (
    r"^\s*@?\d{10}|^\s*\d{13}\s*$|[T ]24:00"
    r"|(?:\d:\d{2}|UTC|GMT|utc|gmt)[^+\-−]*[+\-−]\s*(?:1[3-9]|[2-9]\d|\d{3,})"
    r"|[+\-−]\s*\d{1,2}:?[6-9]\d\s*\)?\s*$"
)
_UNUSUAL_RE = re.compile(_UNUSUAL)


def _unusual(s: pd.Series) -> pd.Series:
    """Which values need the checks for UNIX times, 24:00 and impossible offsets: a regex
    per value for a few, one pyarrow pass for a column (a million events: milliseconds)."""
    if len(s) <= 256:
        return pd.Series([bool(_UNUSUAL_RE.search(v)) for v in s], index=s.index, dtype=bool)
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = pa.array(s.to_numpy(dtype=object), type=pa.large_string(), from_pandas=True)
    found = pc.match_substring_regex(arr, _UNUSUAL).fill_null(False)
    return pd.Series(found.to_numpy(zero_copy_only=False), index=s.index, dtype=bool)


#: An offset written after a clock or UTC (``14:05+05:30``, ``14:05:00-0330``, ``UTC+25``).
_WRITTEN_OFFSET = re.compile(
    r"(?:\d:\d{2}(?::\d{2}(?:[.,]\d+)?)?|UTC|GMT)\s*([+-−])\s*(\d{1,2})(?::?(\d{2}))?\s*\)?$", re.I
)


def _no_impossible_offsets(s: pd.Series, error: pd.Series) -> pd.Series:
    """Values whose offset no zone has (beyond -12:00..+14:00, ``+25:00``) are errors, not
    times read with it (pandas and dateutil would, silently)."""
    tails = s.str.extract(_WRITTEN_OFFSET)
    hours = pd.to_numeric(tails[1], errors="coerce")
    minutes = pd.to_numeric(tails[2], errors="coerce").fillna(0)
    signed = (hours * 60 + minutes).where(tails[0] == "+", -(hours * 60 + minutes))
    bad = hours.notna() & ((signed > 14 * 60) | (signed < -12 * 60) | (minutes > 59))
    if bad.any():
        error.loc[bad[bad].index] = "has an offset no time zone has (offsets run -12:00 to +14:00)"
    return s[~bad]


_EPOCH = re.compile(r"^@?(\d{10}(?:\.\d{1,6})?|\d{13})$")


def _epochs(s: pd.Series, out: pd.Series) -> pd.Series:
    """UNIX times as logs and ``date +%s`` write them (``1780408720``, ``@1780408720``, or
    13 digits of milliseconds): instants, in UTC by definition."""
    found = s.str.strip().str.extract(_EPOCH)[0]
    if found.isna().all():
        return s
    written = found.dropna()
    millis = written.str.len() == 13
    stamps = pd.concat(
        [
            pd.to_datetime(written[millis].astype("int64"), unit="ms", utc=True),
            pd.to_datetime(written[~millis].astype("float64"), unit="s", utc=True).dt.round("us"),
        ]
    )
    out.loc[stamps.index] = _in_range(stamps).astype(TIME_DTYPE)
    return s[found.isna()]


_END_OF_DAY = re.compile(r"(?<=[T ])24:00(?::00)?(?=$|[^\d:])")


def _end_of_day(s: pd.Series) -> tuple[pd.Series, pd.Index]:
    """``24:00`` (ISO 8601's end of a day) read as 00:00, and the rows to move a day on."""
    has = s.str.contains(_END_OF_DAY, regex=True)
    if not has.any():
        return s, pd.Index([])
    return s.where(~has, s.str.replace(_END_OF_DAY, "00:00", regex=True)), s.index[has]


def _nones(index: pd.Index) -> pd.Series:
    return pd.Series([None] * len(index), index=index, dtype="object")


_ISO_BODY = r"\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?"
_ISO_OFFSET = re.compile(rf"^{_ISO_BODY}(?:Z|[+-]\d{{2}}(?::?\d{{2}})?)$")
_ISO_NAIVE = re.compile(rf"^{_ISO_BODY}$")


def _fast_path(s, default_tz, default, abbrevs, out, error, note) -> pd.Series:
    """Vectorized parsing of ISO-like values (with an offset, ``Z``, a trailing ``UTC``/``GMT``,
    a zone abbreviation or an IANA name); returns the values left for :func:`parse_human_time`."""
    if not len(s):
        return s
    head, _, tail = s.str.rpartition(" ").T.values if len(s) else ([], [], [])
    head = pd.Series(head, index=s.index, dtype="object")
    tail = pd.Series(tail, index=s.index, dtype="object")
    has_space = head.str.len() > 0
    upper = tail.str.upper()
    abbrev = dict(abbrevs)
    is_utc = has_space & upper.isin(UTC_WORDS) & ~upper.isin(abbrev)
    fixed = {
        k: v
        for k, v in V.ZONE_ABBREVIATIONS.items()
        if k not in V.AMBIGUOUS_ZONES and k not in abbrev and k not in UTC_WORDS
    }
    is_abbrev = has_space & upper.isin(fixed)
    is_zone = has_space & ~is_utc & ~is_abbrev & tail.isin(_zone_names())
    body = s.where(~(is_utc | is_abbrev | is_zone), head)
    iso_offset = body.str.match(_ISO_OFFSET) & ~is_zone & ~is_abbrev & ~is_utc
    iso_naive = body.str.match(_ISO_NAIVE)
    # 1. explicit offsets, Z, UTC, and fixed-offset abbreviations
    offsets = {
        k: f"{'+' if v >= 0 else '-'}{abs(v) // 60:02d}:{abs(v) % 60:02d}" for k, v in fixed.items()
    }
    direct = iso_offset | (iso_naive & (is_utc | is_abbrev))
    if direct.any():
        text = body[direct].where(
            ~(is_utc | is_abbrev)[direct],
            body[direct] + upper[direct].map(lambda z: offsets.get(z, "+00:00")),
        )
        parsed = pd.to_datetime(text, format="ISO8601", errors="coerce", utc=True)
        out.loc[text.index] = _in_range(parsed).astype(TIME_DTYPE)
    # 2. IANA zone names and 3. naive times in default_tz: localise per zone
    no_zone = iso_naive & ~is_utc & ~is_abbrev & ~is_zone
    groups = [(tail[iso_naive & is_zone], body[iso_naive & is_zone])]
    groups.append((pd.Series(default_tz, index=body.index[no_zone]), body[no_zone]))
    note.loc[body.index[no_zone]] = f"has no time zone; assumed {default_tz}"
    for zones, part in groups:
        if not len(part):
            continue
        parsed = pd.to_datetime(part, format="ISO8601", errors="coerce")
        parsed = _in_range(parsed).astype("datetime64[ns]")
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
    tried = direct | (iso_naive & is_zone) | no_zone
    done = tried & (out[s.index].notna() | error[s.index].notna())
    return s[~done]


def _in_range(parsed: pd.Series) -> pd.Series:
    """NaT for years a nanosecond timestamp cannot hold (``-5`` reads as year -5, ``0001``)."""
    years = parsed.dt.year
    return parsed.where((years > 1677) & (years < 2262))


def parse_times(
    values: pd.Series, default_tz: str = "UTC", *, tz_abbrev: dict | None = None
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Parse a column of timestamps to tz-aware UTC: ``(times, errors, notes)``.

    Accepts ISO 8601 with an offset or ``Z``, a trailing ``UTC``/``GMT``, a zone abbreviation
    (``PST``, ``CET``; ambiguous ones such as ``IST`` with a note; ``tz_abbrev`` overrides),
    a trailing IANA zone name, and the forms people write (``March 4, 2026 2:05 PM``,
    ``04.03.2026 14:05``). ``errors`` holds the reason where a value is not a valid time
    (an ambiguous ``03/04/2026`` names both readings); ``notes`` a warning where something
    was assumed (no zone: ``default_tz``). Empty, placeholder and ``N/A``-like values give NaT
    without an error.

    >>> t, e, n = parse_times(pd.Series(["2026-03-04 14:05 PST", "03/04/2026 10:00 UTC"]))
    >>> str(t[0]), e[1].split(":")[0]
    ('2026-03-04 22:05:00+00:00', 'is an ambiguous date')
    """
    times, errors, notes, partial = read_times(values, default_tz, tz_abbrev=tz_abbrev)
    has_partial = partial.notna()
    if has_partial.any():
        for idx in partial.index[has_partial]:
            part = partial[idx]
            if isinstance(part, DateOnly) and part.year is not None:
                times.at[idx] = part.start(zone(default_tz))
                notes.at[idx] = f"has no time of day: read as 00:00 {part.zone_text or default_tz}"
                continue
            errors.at[idx] = (
                "has a time but no date (e.g. 2026-03-04 14:05 UTC)"
                if isinstance(part, Clock)
                else "has no year (e.g. 2026-03-04 14:05 UTC)"
            )
    notes = notes.where(errors.isna(), None)
    return times, errors, notes


def parse_time(
    text: str, default_tz: str = "UTC", *, tz_abbrev: dict | None = None
) -> tuple[pd.Timestamp | None, str | None]:
    """One timestamp (see :func:`parse_times`): ``(utc_time or None, note or None)``."""
    times, errors, notes = parse_times(
        pd.Series([text], dtype="object"), default_tz, tz_abbrev=tz_abbrev
    )
    if errors.iloc[0] is not None:
        raise ValueError(errors.iloc[0])
    value = times.iloc[0]
    return (None if pd.isna(value) else value), notes.iloc[0]


# --- dates ------------------------------------------------------------------------------------
_ISO_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DATE_FORMS = "a date (e.g. 2026-03-10, March 10, 2026, 10.03.2026)"


_ISO_WEEK = re.compile(r"^(\d{4})-?W(\d{2})(?:-?([1-7]))?$", re.I)


@lru_cache(maxsize=16384)
def _date_parts(text: str) -> tuple[int | None, int, int]:
    """``(year or None, month, day)`` of a date as written; ValueError otherwise."""
    from dateutil import parser as du

    s = in_english(" ".join(text.split()).strip(" .,;"))
    week = _ISO_WEEK.match(s)
    if week:  # "2027-W02-5": ISO 8601 year, week and day (Monday 1), as planners write
        year, w, day = (int(g) if g else 1 for g in week.groups())
        try:
            d = dt.date.fromisocalendar(year, w, day)
        except ValueError:
            raise ValueError(f"is not {_DATE_FORMS}") from None
        return d.year, d.month, d.day
    if "(" in s and re.sub(r"\([^()]*\)", "", s).strip():  # "2026-02-13 (the night of ...)"
        s = " ".join(re.sub(r"\([^()]*\)", " ", s).split()).strip(" .,;")
    m = _ISO_DAY.match(s)
    if m:
        try:
            d = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            raise ValueError(f"is not {_DATE_FORMS}") from None
        return d.year, d.month, d.day
    if not re.search(r"\d", s):
        raise ValueError(f"is not {_DATE_FORMS}")
    dayfirst = _day_first(s)
    cleaned = _ORDINAL.sub("", _PREP.sub(" ", s)).strip()
    try:
        one = du.parse(cleaned, dayfirst=dayfirst, default=dt.datetime(2001, 1, 1), ignoretz=True)
        two = du.parse(cleaned, dayfirst=dayfirst, default=dt.datetime(2002, 2, 2), ignoretz=True)
    except (ValueError, OverflowError):
        raise ValueError(f"is not {_DATE_FORMS}") from None
    if one.day != two.day or one.month != two.month:
        raise ValueError(f"is not {_DATE_FORMS}")
    year = None if one.year != two.year or not _HAS_YEAR.search(s) else one.year
    return year, one.month, one.day


def year_near(month: int, day: int, near: pd.Timestamp | None) -> int | None:
    """The year of a date written without one: the incident's year, or the next year when
    that reading falls more than a month before ``near`` (``Jan 2`` after a Dec 31 incident)."""
    if near is None or pd.isna(near):
        return None
    year = near.year
    try:
        candidate = pd.Timestamp(year=year, month=month, day=day)
    except ValueError:
        return year
    if candidate < near.tz_localize(None).normalize() - pd.Timedelta(days=31):
        year += 1
    return year


def parse_date(text: str, *, near: pd.Timestamp | None = None) -> pd.Timestamp:
    """A calendar date as written (``2026-03-10``, ``March 10, 2026``, ``10.03.2026``,
    ``Mar 10`` in the year of ``near``); times are dropped.

    >>> parse_date("Jan 2", near=pd.Timestamp("2025-12-31 22:25", tz="UTC"))
    Timestamp('2026-01-02 00:00:00')
    """
    try:
        year, month, day = _date_parts(str(text))
    except ValueError as exc:  # "vie 4/9": the weekday says which, in the year near
        settled = _weekday_settles(str(text), near) if "ambiguous" in str(exc) else None
        if settled is None:
            raise
        return settled
    if year is None:
        year = year_near(month, day, near)
        if year is None:
            raise ValueError("has no year (write e.g. 2026-03-10)")
    try:
        return pd.Timestamp(year=year, month=month, day=day)
    except ValueError:
        raise ValueError(f"is not {_DATE_FORMS}") from None


def _weekday_settles(text: str, near: pd.Timestamp | None) -> pd.Timestamp | None:
    """``vie 4/9`` (no year) near a September incident: the reading of ``4/9`` that falls on
    the weekday written, each in the year nearest ``near`` (of two that do, the nearer);
    None when none does or no weekday is written."""
    m = _DAY_MONTH.search(text)
    days = _weekdays_in(text)
    if m is None or near is None or len(days) != 1:
        return None
    a, b = int(m.group(1)), int(m.group(2))
    found = set()
    for month, day in ((a, b), (b, a)):
        year = year_near(month, day, near) if month <= 12 else None
        with contextlib.suppress(ValueError, TypeError):
            when = pd.Timestamp(year=year, month=month, day=day)
            if when.weekday() in days:
                found.add(when)
    if not found:
        return None
    base = near.tz_convert(None) if near.tzinfo is not None else near
    return min(found, key=lambda when: abs(when - base))  # of two, the nearer


# --- severity and status ----------------------------------------------------------------------
_SEV_NUMBER = re.compile(
    r"^(?:p|sev|severity|s|level|lvl|priority|prio|pri|incident)?\s?(\d{1,2})(?:\s|$)"
)
_SEV_ANYWHERE = re.compile(r"\b(?:p|sev|severity|s|level|priority|prio)\s?\d\b")
SEVERITY_FORMS = "P1..P4, SEV-1, Sev 2, S1, Critical/High/Medium/Low, Major/Minor"
_NOT_A_SEVERITY = f"is not a severity (expected {SEVERITY_FORMS}; severity_map adds your own words)"


def parse_severity(text: str, severity_map: dict | None = None) -> str | None:
    """A severity as people write it -> ``P1``..``P4`` (None for ``TBD``-like values); see
    :func:`read_severity`, which also returns the note for ``P0`` / ``P5``.

    >>> [parse_severity(t) for t in ("SEV-1", "p2 (major)", "High", "Sev 3", "minor", "Sev two")]
    ['P1', 'P2', 'P2', 'P3', 'P3', 'P2']
    """
    return read_severity(text, severity_map)[0]


#: A level written in words after its prefix (``Sev two``, ``Priority one``, ``P-zero``).
_SPELLED_LEVELS = dict(zip(("zero", "one", "two", "three", "four", "five"), "012345", strict=True))
_SEV_SPELLED = re.compile(
    r"\b(sev|severity|p|priority|s|level|prio)\s*(zero|one|two|three|four|five)\b(?! \w*(?:teen|ty|hundred|thousand)\b)"
)


def read_severity(text: str, severity_map: dict | None = None) -> tuple[str | None, str | None]:
    """A severity as people write it -> ``(P1..P4 or None, note)``; the number wins over a
    word beside it; words use ``vocab.SEVERITY_WORDS`` unless ``severity_map`` says otherwise.

    >>> read_severity("SEV0")
    ('P1', 'is outside P1..P4: read as P1')
    """
    if is_unknown(text):
        return None, None
    key = _SEV_SPELLED.sub(lambda m: f"{m.group(1)} {_SPELLED_LEVELS[m.group(2)]}", V.norm(text))
    user = {V.norm(k): v for k, v in (severity_map or {}).items()}
    if key in user:
        return _level(user[key], text), None
    m = _SEV_NUMBER.match(key)
    if m:
        n = int(m.group(1))
        if 1 <= n <= len(SEVERITIES):
            return SEVERITIES[n - 1], None
        if n in V.SEVERITY_OUT_OF_RANGE:
            mapped = V.SEVERITY_OUT_OF_RANGE[n]
            return mapped, f"is outside P1..P4: read as {mapped}"
        raise ValueError(_NOT_A_SEVERITY)
    m = _SEV_ANYWHERE.search(key)
    if m:
        return read_severity(m.group(0), severity_map)
    words = key.split()
    for word in words:
        if word in user:
            return _level(user[word], text), None
    if key in V.SEVERITY_WORDS:
        return V.SEVERITY_WORDS[key], None
    for word in words:
        if word in V.SEVERITY_WORDS:
            return V.SEVERITY_WORDS[word], None
    raise ValueError(_NOT_A_SEVERITY)


def _level(value: str, text: str) -> str:
    level = str(value).strip().upper()
    if level not in SEVERITIES:
        raise ValueError(f"maps to {value!r} in severity_map, which is not one of P1..P4")
    return level


STATUS_FORMS = "Active, Resolved, Post-Mortem (also Open, Monitoring, Closed, Postmortem, PIR)"


def parse_status(text: str) -> str | None:
    """A status in any case and spelling -> ``Active``, ``Resolved`` or ``Post-Mortem``.

    >>> [parse_status(t) for t in ("closed", "Postmortem complete", "Monitoring", "Reslovled")]
    ['Resolved', 'Post-Mortem', 'Active', 'Resolved']
    """
    if is_unknown(text):
        return None
    key = V.norm(text)
    if key in V.STATUS_WORDS:
        return V.STATUS_WORDS[key]
    lead = V.norm(re.split(r"[(\[,;:–—]|\s-\s", text, maxsplit=1)[0])
    if lead in V.STATUS_WORDS:
        return V.STATUS_WORDS[lead]
    words = key.split()
    for n in (2, 1):
        if len(words) >= n and " ".join(words[:n]) in V.STATUS_WORDS:
            return V.STATUS_WORDS[" ".join(words[:n])]
    slip = V.typo_of(lead, V.STATUS_WORDS)  # "Reslovled", "Acitve"
    if slip is not None:
        return V.STATUS_WORDS[slip]
    raise ValueError(f"is not a status (expected {STATUS_FORMS})")


# --- numbers as people group their digits -----------------------------------------------------
_SPACES = " \u00a0\u202f\u2009\u2007"
_GROUP_SEP = f"[{_SPACES},.'’]"
_SPLIT_GROUPS = re.compile(f"({_GROUP_SEP})")
_MULT_WORDS = "(?i:{})".format(
    "|".join(
        re.escape(w)
        for w in sorted({*V.MULTIPLIERS, *V.AMBIGUOUS_MULTIPLIERS}, key=len, reverse=True)
    )
)
_RUN = rf"\d+(?:{_GROUP_SEP}\d+)*"
_END = r"(?![A-Za-zÀ-ÿ\d])"  # a number or multiple ends here ("12万人" is fine, "3x" is no number)
#: A number stands alone: not inside a word or a name joined by a hyphen or slash
#: (``us-west-2``, ``AZ-3``, ``v5/2``).
_NUMBER = re.compile(
    rf"(?<![A-Za-zÀ-ÿ\d_.,'’])(?<![A-Za-zÀ-ÿ\d_][-/])(?P<num>(?>{_RUN}))(?:[{_SPACES}]?(?P<mult>{_MULT_WORDS})\.?{_END}|{_END})"
)  # a number runs to its end: "120万" is 1.2 million, "3x" is not a number
NUMBER_FORMS = "12,345, 12.345, 12 345, 1,20,000, 12.345,67, 1'234.50, 12k, 1,2 Mio"


def _sep(char: str) -> str:
    return " " if char in _SPACES else "'" if char in "'’" else char


def _regular(groups: list[str], sep: str) -> bool:
    """Thousands grouping as people write it: 3-digit groups (``40 000``, ``1.234.567``) or
    the Indian 2-digit groups before the last 3 (``1,20,000``)."""
    head, rest = groups[0], groups[1:]
    if 1 <= len(head) <= 3 and all(len(g) == 3 for g in rest):
        return True
    return (
        sep in ", "
        and len(rest) >= 2
        and 1 <= len(head) <= 2
        and len(rest[-1]) == 3
        and all(len(g) == 2 for g in rest[:-1])
    )


def _is_point(groups: list[str], seps: list[str], mult: str | None, mark: str | None) -> bool:
    """Whether the last ``.``/``,`` of a number is its decimal point."""
    if len(set(seps)) > 1:
        return True  # 12.400,00 / 1,234.50 / 1 234,5: the last mark differs
    if len(seps) > 1:
        return False  # 1.234.567 / 1,20,000: all the same mark, thousands
    head, tail = groups
    if len(tail) != 3 or head == "0" or len(head) > 3:
        return True  # 1,2 Mio / 4,2 / 0.250 / 1234.567
    if mult and mark is None and not (seps[0] == "," and mult in V.GROUPED_MULTIPLIERS):
        raise ValueError(f"'{head}{seps[0]}{tail} {mult}' reads two ways (a decimal or thousands)")
    return mark == seps[0]  # 12.000 / 1,500 / 1,200万: thousands unless the text writes decimals


def decimal_mark(text: str) -> str | None:
    """The decimal mark a text writes where it is clear (``4,2 %``, ``12.400,00`` -> ``,``;
    ``3.5%``, ``1,234.5`` -> ``.``), or None when it shows none or both."""
    marks = set()
    for m in re.finditer(_RUN, text):
        parts = _SPLIT_GROUPS.split(m.group())
        groups, seps = parts[0::2], [_sep(c) for c in parts[1::2]]
        if not seps or seps[-1] not in ".,":
            continue
        if len(set(seps)) > 1 or len(groups[-1]) != 3:
            marks.add(seps[-1])
        elif len(seps) > 1:
            marks.add("," if seps[-1] == "." else ".")
    return marks.pop() if len(marks) == 1 else None


def read_number(run: str, mult: str | None = None, mark: str | None = None) -> float:
    """One number as written (digits grouped by spaces, dots, commas or apostrophes, a decimal
    mark, a multiple) -> its value; ``ValueError`` when the grouping is irregular or the
    multiple reads two ways (never a part of what was written).

    >>> [read_number(t) for t in ("40 000", "1,20,000", "12.400,00", "1'234.5", "40.000")]
    [40000.0, 120000.0, 12400.0, 1234.5, 40000.0]
    """
    parts = _SPLIT_GROUPS.split(run)
    groups, seps = parts[0::2], [_sep(c) for c in parts[1::2]]
    fraction = ""
    if seps and seps[-1] in ".," and _is_point(groups, seps, mult, mark):
        fraction, seps = groups.pop(), seps[:-1]
    if seps and (len(set(seps)) > 1 or not _regular(groups, seps[0])):
        raise ValueError(f"groups its digits irregularly ('{run}'; e.g. {NUMBER_FORMS})")
    if mult and mult.lower() in V.AMBIGUOUS_MULTIPLIERS:
        raise ValueError(f"'{mult}' reads two ways ({V.AMBIGUOUS_MULTIPLIERS[mult.lower()]})")
    value = float("".join(groups) + (f".{fraction}" if fraction else ""))
    factor = V.MULTIPLIERS.get(mult, V.MULTIPLIERS.get((mult or "").lower(), 1.0))
    return value * factor


_PERCENT = re.compile(r"(?<![\d.,])(\d+(?:[.,]\d+)?)\s*(?:%|percent\b|pct\b|prozent\b)", re.I)
#: the sign before the number, as Turkish writes it (``%4,2``)
_PERCENT_BEFORE = re.compile(r"(?<![\w%])%\s?(\d+(?:[.,]\d+)?)(?![.,]?\d)")
_RANGE_AFTER = re.compile(
    r"\s*(?:[-–—]|\bto\b|\bbis\b|\bà\b|\ba\b|\baté\b|\btot\b)\s*[~≈]?\s*\d", re.I
)
_BETWEEN = re.compile(  # "between 40k and 50k users"; not "between 14:05 and 15:00"
    r"\b(?:between|zwischen|entre)\s+[~≈]?\d[\d,.' ]*(?![\d:])\s*[^\W\d_]{0,8}\.?\s+"
    r"(?:and|und|e|y|et)\s+[~≈]?\d+(?![\d:])",
    re.I,
)
_PCT_RANGE = re.compile(r"\d\s*(?:[-–—]|\bto\b)\s*\d+(?:[.,]\d+)?\s*%")
_NONE_WORDS = ("none", "no ", "no one", "nobody", "zero", "nil", "0 ")


def _says_none(text: str) -> bool:
    """``none``, ``Keine``, ``nenhum (só atraso)``, ``no downtime``: none, in any language
    (an English "none..." opening counts whatever follows, as before; other words when no
    digit follows)."""
    low = text.strip().lower()
    if low.startswith(("none", "no downtime", "no outage", "zero", "nil")):
        return True
    words = V.norm(text).split()
    return bool(words) and words[0] in V.NONE_WORDS and not re.search(r"\d", text)


def _percent(text: str) -> tuple[float | None, str]:
    """The percentage in a text and the text without it (``3-5%``: a range, an error)."""
    if _PCT_RANGE.search(text):
        raise ValueError("is a range of percentages; write one value (e.g. 3%)")
    m = _PERCENT.search(text) or _PERCENT_BEFORE.search(text)
    if not m:
        return None, text
    return float(m.group(1).replace(",", ".")), text[: m.start()] + " " + text[m.end() :]


def _count(text: str) -> int | None:
    """The count of people in a text, read whole (``≈ 40 000`` is 40000, never 40): the first
    number, or the first one that counts people when another comes before it (``3 regions,
    ~40 000 users``)."""
    found = list(_NUMBER.finditer(text))
    if not found:
        return None
    m = next((n for n in found if _counts_people(text, n.end())), found[0])
    if not _counts_people(text, m.end()) and (thing := _THINGS.match(text, m.end())):
        raise ValueError(f"counts something else ('{m.group()}{thing.group()}'), not users")
    noun = None if _counts_people(text, m.end()) else _OTHER_NOUN.match(text, m.end())
    if noun and _PEOPLE_ANYWHERE.search(text):  # "5 services down, users unknown"
        raise ValueError(f"counts something else ('{m.group()}{noun.group()}'), not users")
    before = text[: m.start()].rstrip()
    if before.endswith(("-", "−")) and not before[:-1].rstrip()[-1:].isalnum():
        raise ValueError("is negative: a count of users cannot be")
    if _RANGE_AFTER.match(text, m.end()) or _BETWEEN.search(text):
        raise ValueError("is a range; write one number (e.g. ~12,000)")
    value = read_number(m.group("num"), m.group("mult"))
    if value != int(value):
        raise ValueError(f"is not a whole number of users ('{m.group()}')")
    return int(value)


_PEOPLE = re.compile(
    rf"\s*(?:[^\W\d_]+\s+){{0,2}}(?:{'|'.join(map(re.escape, V.PEOPLE_WORDS))})(?![^\W\d_])", re.I
)


_OTHER_NOUN = re.compile(r"\s*[^\W\d_]{3,}")
_THINGS = re.compile(
    rf"\s*(?:[^\W\d_]+\s+){{0,2}}(?:{'|'.join(map(re.escape, V.THING_WORDS))})(?![^\W\d_])", re.I
)
_PEOPLE_ANYWHERE = re.compile(
    rf"(?<![^\W\d_])(?:{'|'.join(map(re.escape, V.PEOPLE_WORDS))})(?![^\W\d_])", re.I
)


def _counts_people(text: str, end: int) -> bool:
    """Whether the words right after a number name people (``users``, ``active customers``)."""
    return bool(_PEOPLE.match(text, end))


def _first_sentence(text: str) -> str:
    """The first sentence of a value written as prose (``Roughly 6% of users. ... more than
    50k documents``): the figures after it describe other things."""
    head = re.split(r"(?<=[a-z%)])[.!]\s+(?=[A-Z])", text, maxsplit=1)[0]
    return head if re.search(r"\d", head) else text


_ONE_IN = re.compile(r"^\D{0,12}?\b(\d{1,3})\s+(?:in|out of)\s+(\d{1,4})\b(?!\s*[%.,:]\d)", re.I)
_SHARE_OF = re.compile(r"%\s+of\s+(?:the\s+|our\s+|all\s+)?(?P<whole>~?\s*\d.*)$", re.I)


def parse_users(text: str) -> tuple[int | None, float | None]:
    """``~12,000``, ``≈ 40 000``, ``1,20,000``, ``12k``, ``1.2M``, ``12000 (3%)``, ``about 3%
    of users``, ``none`` -> ``(count, percentage)``; digits are read whole or not at all.

    >>> [parse_users(t) for t in ("~12,000 (4%)", "12k users", "about 3% of users", "none")]
    [(12000, 4.0), (12000, None), (None, 3.0), (0, None)]
    """
    s = text.strip()
    low = s.lower()
    if low in ("0", "none", "no", "nobody", "no one", "zero", "no users", "no customers") or (
        (low.startswith(_NONE_WORDS) or _says_none(s)) and not re.search(r"\d", low)
    ):
        return 0, None
    if low in ("all", "all users", "everyone", "all customers", "every user", "100%"):
        return None, 100.0
    pct, rest = _percent(_first_sentence(spelled_numbers(s)))
    one_in = _ONE_IN.search(s)
    if one_in and pct is None and int(one_in.group(2)) > 0:  # "1 in 20 users": a share
        return None, round(int(one_in.group(1)) / int(one_in.group(2)) * 100, 4)
    share = _SHARE_OF.search(s)
    if share and pct is not None:  # "5% of 2.4M MAU": the count is that share of the whole
        whole = _count(share.group("whole"))
        return (round(whole * pct / 100) if whole else None), pct
    count = _count(rest)
    if count is None and pct is None:
        raise ValueError(
            "is not a number or percentage of users (e.g. ~12,000, 12k, 1.2M, 12000 (3%), "
            "about 3% of users, none)"
        )
    return count, pct


_UNITS = "|".join(sorted(map(re.escape, V.DURATION_UNITS), key=len, reverse=True))
_DURATION_PART = re.compile(rf"(\d+(?:[.,]\d+)?)\s*({_UNITS})(?![^\W\d_])", re.I)
_PANDAS_DURATION = re.compile(r"\d+ days? \d{2}:\d{2}:\d{2}(?:\.\d+)?")
#: ``1:27``, ``01:27:00``, ``1:40h`` (hours and minutes); ``1:40 min`` is minutes and seconds
_CLOCK_DURATION = re.compile(
    r"^~?\s*(\d{1,3}):(\d{2})(?::(\d{2}))?\s*(?P<unit>h|hrs?|hours?|min|mins|minutes)?\.?$", re.I
)
_CLOCK = r"([01]?\d|2[0-3])[:h]([0-5]\d)(?::([0-5]\d))?"  # 14:05, or 14h05 as in French
_CLOCK_RANGE = re.compile(
    rf"(?<![\d:]){_CLOCK}(?:\s*[A-Z]{{2,5}}\b)?\s*(?:[-–—〜～~]|(?i:to|bis|until|till|a|à|até))\s*"
    rf"{_CLOCK}(?![\d:])(?:\s*[A-Z]{{2,5}}\b)?"
)
DURATION_FORMS = "1h 27m, 87 minutes, 1.5 hours, 01:27:00, 14:05–15:32, none"


def _clock_range(text: str) -> tuple[pd.Timedelta | None, str]:
    """``14:05–15:32`` (past midnight: the next day) -> its length, and the text around it."""
    m = _CLOCK_RANGE.search(text)
    if m is None:
        return None, text
    h1, m1, s1, h2, m2, s2 = (int(g or 0) for g in m.groups())
    seconds = (h2 * 3600 + m2 * 60 + s2) - (h1 * 3600 + m1 * 60 + s1)
    return pd.Timedelta(seconds=seconds % 86400), text[: m.start()] + text[m.end() :]


def parse_duration(text: str) -> pd.Timedelta:
    """``1h 27m``, ``87 minutes``, ``1.5 hours``, ``01:27:00``, ``~90 min``, ``PT1H27M``,
    ``none (degraded only)`` / ``0`` -> a duration.

    >>> [str(parse_duration(t)) for t in ("1h 27m", "1.5 hours", "01:27:00", "none (degraded only)")]
    ['0 days 01:27:00', '0 days 01:30:00', '0 days 01:27:00', '0 days 00:00:00']
    """
    span, beside = _clock_range(text)
    if span is not None:  # "14:05–15:32 (1h 27m)": the stated length, else the range's
        stated = beside.strip(" ()[],;:=~–—-")
        try:
            return parse_duration(stated) if stated else span
        except ValueError:
            return span
    s = _ASIDE.sub(" ", text).strip() or text.strip()
    s = _spelled_out(s)
    low = s.lower()
    if _says_none(text) or re.fullmatch(
        r"0+(?:\s*(?:min|minutes|m|h|hours|s)?)?(?:\s*\(.*\))?", low
    ):
        return pd.Timedelta(0)
    m = _PANDAS_DURATION.fullmatch(s)  # "0 days 01:25:00", as pandas writes a Timedelta
    if m:
        return pd.Timedelta(s)
    m = _CLOCK_DURATION.match(s)
    if m:
        a, b, c = int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)
        if (m.group("unit") or "h").lower().startswith("m"):
            if m.group(3):
                raise ValueError(f"is not a duration (e.g. {DURATION_FORMS})")
            return pd.Timedelta(minutes=a, seconds=b)
        return pd.Timedelta(hours=a, minutes=b, seconds=c)
    if low.startswith(("pt", "p")) and re.fullmatch(
        r"p(?:\d+d)?(?:t(?:\d+h)?(?:\d+m)?(?:\d+s)?)?", low
    ):
        value = pd.Timedelta(s)
        if pd.notna(value):
            return value
    if re.search(r"(?<![\w.])-\s*\d", s):
        raise ValueError("is a negative duration")
    return pd.Timedelta(seconds=round(_unit_sum(s)))


_ASIDE = re.compile(r"[(（][^)）]*[)）]")  # "1h43m (partial)", "1h43m（約1時間43分）"
_NUMBER_WORDS = dict(
    zip(
        [
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
        ],
        range(1, 13),
        strict=True,
    )
)
_SPELLED = (
    (re.compile(r"\b(?:an?|one) hour and a half\b", re.I), "1.5 hours"),
    (re.compile(r"\b(?:an? )?half an hour\b", re.I), "30 minutes"),
    (re.compile(r"\ban? quarter of an hour\b", re.I), "15 minutes"),
    (re.compile(r"\b(\w+) and a half (hours?|days?)\b", re.I), r"\1.5 \2"),
    # "2 hours and half", "2h and a half": the half is part of the length, never dropped
    (re.compile(r"\b(\d+)\s*(hours?|hrs?|h|days?)\s+and\s+(?:a\s+)?half\b", re.I), r"\1.5 \2"),
    (re.compile(r"\ban? (hour|minute|day|week)\b", re.I), r"1 \1"),
    (
        re.compile(
            rf"\b({'|'.join(_NUMBER_WORDS)})\b(?=\s+(?:hours?|minutes?|mins?|days?|weeks?)\b)", re.I
        ),
        lambda m: str(_NUMBER_WORDS[m.group(1).lower()]),
    ),
)


def _spelled_out(text: str) -> str:
    """Durations in words as digits: ``an hour and a half`` -> ``1.5 hours``, ``two hours``
    -> ``2 hours``, ``half an hour`` -> ``30 minutes`` (English, as most reports are)."""
    for pattern, repl in _SPELLED:
        text = pattern.sub(repl, text)
    for word, n in _NUMBER_WORDS.items():  # "two and a half hours" after the rule above
        text = re.sub(rf"\b{word}\.5\b", f"{n}.5", text, flags=re.I)
    return text


_HOURS = r"(?:h|hrs?|hours?|std|stunden?|horas?|heures?|uur|ore)"
_CLOCK_WITH_UNIT = re.compile(rf"(?<![\d:.,])(\d{{1,3}}):([0-5]\d)\s*{_HOURS}\b\.?", re.I)
_HOURS_THEN_MINUTES = re.compile(rf"(\d+\s*{_HOURS}\.?)\s*([0-5]?\d)(?![\d.,:]|\s*[^\W\d_])", re.I)
_DURATION_RANGE = re.compile(
    r"\d\s*[^\W\d_]*\.?\s*(?:[-–—]|\b(?:to|bis|or|oder|ou|a|à)\b)\s*~?\d", re.I
)


def _unit_sum(s: str) -> float:
    """Seconds in ``1h 27m``, ``1h27``, ``2:30 h``, ``1,5 Std.``; a range (``2-3 hours``,
    ``90 min – 2 h``) or no unit at all is not one duration."""
    if _DURATION_RANGE.search(s):
        raise ValueError("is a range of durations; write one (e.g. 1h 27m)")
    s = _CLOCK_WITH_UNIT.sub(lambda m: f"{m.group(1)}h {m.group(2)}m", s)
    s = _HOURS_THEN_MINUTES.sub(lambda m: f"{m.group(1)} {m.group(2)}m", s)
    found = list(_DURATION_PART.finditer(s))
    if not found:
        raise ValueError(f"is not a duration (e.g. {DURATION_FORMS})")
    if any(re.search(r"\d\s*[:.]\s*$", s[: m.start()]) for m in found):
        raise ValueError(f"is not a duration (e.g. {DURATION_FORMS})")  # never part of a number
    parts = [m.groups() for m in found]
    if re.search(r"\x00\s*\d", _DURATION_PART.sub("\x00", s)):
        raise ValueError("has a number without a unit next to the duration (e.g. 1h 27m)")
    sizes = [V.DURATION_UNITS[u.lower()] for _, u in parts]
    if any(a <= b for a, b in pairwise(sizes)):  # "47 min partial, 12 min full"
        raise ValueError("names more than one duration; write one (e.g. 1h 27m)")
    return sum(float(n.replace(",", ".")) * size for (n, _), size in zip(parts, sizes, strict=True))


def _marks(names) -> str:
    """A regex alternation of currency marks, longest first, never inside a word."""
    alts = "|".join(re.escape(k) for k in sorted(names, key=len, reverse=True))
    return rf"(?<![^\W\d_])(?:{alts})(?![^\W\d_])"


_MARK = _marks({*V.CURRENCY_SYMBOLS, *V.AMBIGUOUS_CURRENCIES})
_CODE = r"\b[A-Z]{3}\b"
_WORD = _marks(V.CURRENCY_WORDS).replace("(?:", "(?i:", 1)


def _amount(n: int) -> str:
    """An amount and its multiple, as named groups ``a<n>`` and ``m<n>``."""
    return (
        rf"(?<![A-Za-zÀ-ÿ\d_.,'’])(?P<a{n}>(?>{_RUN}))"
        rf"(?:[{_SPACES}]?(?P<m{n}>{_MULT_WORDS})\.?{_END}|{_END})"
    )


_MONEY = re.compile(
    rf"(?P<before>{_MARK}|{_CODE})[{_SPACES}]?[~≈]?[{_SPACES}]?{_amount(1)}"
    rf"|{_amount(2)}[{_SPACES}]?(?P<after>{_MARK}|{_CODE}|{_WORD})",
)
MONEY_FORMS = "$12,400, €3k, 12,400 EUR, R$ 12.400,00, INR 18,50,000, 2.300 €, CHF 1'200"


_MARKED_DIGITS = re.compile(rf"(?:{_MARK}|{_CODE})[{_SPACES}]?[~≈]?[{_SPACES}]?\d")
_ANY_MARK = re.compile(rf"{_MARK}|{_CODE}")


def _currency(mark: str) -> str | None:
    """An ISO code for a currency mark as written; None when it is not one."""
    if mark in V.CURRENCY_SYMBOLS:
        return V.CURRENCY_SYMBOLS[mark]
    if mark in V.CURRENCY_CODES:
        return "CNY" if mark == "RMB" else mark
    return V.CURRENCY_WORDS.get(mark.lower())


#: an ISO code right after an amount written with a symbol (``$185,000 MXN``)
_CODE_AFTER = re.compile(r"\s*\(?\s*([A-Z]{3})\b")  # "$185,000 MXN", "4 500 kr (SEK)"
_CODE_IN_BRACKETS = re.compile(r"(?<=\d)\s*\(\s*([A-Z]{3})\s*\)")  # "five grand (GBP)"
_TENS = dict(zip(["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"],
                 range(20, 100, 10), strict=True))  # fmt: skip
_UNITS_WORDS = {**_NUMBER_WORDS, **dict(zip(
    ["thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"], range(13, 20),
    strict=True))}  # fmt: skip
_SPELLED_NUMBER = re.compile(
    rf"\b(?:(a|an|{'|'.join(_TENS)})(?:[- ]({'|'.join(_NUMBER_WORDS)}))?|"
    rf"({'|'.join(_UNITS_WORDS)}))\s+(hundred|thousand|million|grand)\b",
    re.I,
)
_SCALE = {"hundred": 100, "thousand": 1000, "grand": 1000, "million": 1_000_000}


def spelled_numbers(text: str) -> str:
    """Round numbers written in English words as digits: ``twelve thousand`` -> ``12000``,
    ``five grand`` -> ``5000``, ``a million`` -> ``1000000``, ``twenty-five hundred`` ->
    ``2500``."""

    def digits(m: re.Match) -> str:
        tens, unit, alone, scale = (g.lower() if g else g for g in m.groups())
        n = _UNITS_WORDS[alone] if alone else (1 if tens in ("a", "an") else _TENS[tens])
        n += _NUMBER_WORDS[unit] if unit and tens not in ("a", "an") else 0
        return str(n * _SCALE[scale])

    return _SPELLED_NUMBER.sub(digits, text)


def read_money(text: str) -> tuple[float | None, str | None, str | None]:
    """``(amount, ISO currency, note)`` where a currency is written; the note says why the
    currency is left unknown (``kr`` names four). ``ValueError`` for a range or an amount
    whose digits cannot be read whole."""
    text = spelled_numbers(text)
    text = _CODE_IN_BRACKETS.sub(
        lambda m: f" {m.group(1)}" if _currency(m.group(1)) else m.group(), text
    )
    mark = decimal_mark(text)
    for m in _MONEY.finditer(text):
        written = m.group("before") or m.group("after")
        ambiguous = V.AMBIGUOUS_CURRENCIES.get(written.lower())
        currency = _currency(written)
        if currency is None and ambiguous is None:
            continue  # three capitals that are not a currency code
        run = m.group("a1") or m.group("a2")
        if _RANGE_AFTER.match(
            text,
            m.end("m1" if m.group("m1") else "a1")
            if m.group("a1")
            else m.end("m2" if m.group("m2") else "a2"),
        ):
            raise ValueError("is a range of amounts; write one amount (e.g. $12,400)")
        mult = m.group("m1") or m.group("m2")
        if mult and mult.lower() == "mil" and currency in V.MIL_IS_THOUSAND:
            mult = "k"  # "R$ 18,5 mil": the currency's own language says a thousand
        if not mult and mark and re.fullmatch(rf"\d{{1,3}}{re.escape(mark)}\d{{3}}", run):
            raise ValueError(f"'{run}' reads two ways (thousands, or a decimal like the text's)")
        amount = read_number(run, mult, mark)
        note = f"'{written}' names {ambiguous}: currency left unknown" if ambiguous else None
        code = _CODE_AFTER.match(text, m.end())  # "$185,000 MXN": the code says which dollar
        if code and (not written.isalpha() or ambiguous) and _currency(code.group(1)):
            return amount, _currency(code.group(1)), None
        return amount, currency, note
    if _MARKED_DIGITS.search(text) and any(_currency(m.group()) for m in _ANY_MARK.finditer(text)):
        raise ValueError(f"has a currency but no amount read whole (e.g. {MONEY_FORMS})")
    return None, None, None


def parse_money(text: str) -> tuple[float | None, str | None]:
    """An amount where a currency is written: ``$12,400``, ``€3k``, ``£1.2M``, ``~USD 50,000
    in SLA credits``, ``12,400 EUR``, ``R$ 12.400,00``, ``INR 18,50,000`` -> ``(amount, ISO
    currency)``; ``(None, None)`` when no currency is written (``214 orders honoured at old
    prices`` is not money).

    >>> [parse_money(t) for t in ("$12,400 in SLA credits", "R$ 12.400,00", "214 orders")]
    [(12400.0, 'USD'), (12400.0, 'BRL'), (None, None)]
    """
    amount, currency, _ = read_money(text)
    return amount, currency


DATA_LOSS_FORMS = "none / no data lost (in any language), yes / a description of what was lost"


def _says_no_loss(key: str) -> bool:
    first = key.split(" ", 1)[0] if key else ""
    if first in V.NONE_WORDS or key in ("n a", "na", "not applicable") or key.startswith("n a "):
        return True
    padded = f" {key} "
    return any(f" {V.norm(p)} " in padded for p in V.NO_LOSS_PHRASES)


def read_data_loss(text: str | None) -> tuple[bool | None, str | None]:
    """``(has loss, note)`` for a Data Loss text: False for none in any language (``None``,
    ``Keine``, ``Nenhuma (no data lost)``), True for what was lost (``40 rows``, ``yes``),
    None for "not known yet" and, with a note, for text that says neither."""
    if text is None or is_placeholder(text):
        return None, None
    key = V.norm(text)
    padded = f" {key} "
    if key in ("n a", "na", "not applicable"):
        return False, None  # nothing that could be lost
    if any(f" {V.norm(p)} " in padded for p in V.UNSURE_PHRASES) or key in V.UNKNOWN_WORDS:
        return None, None
    if _says_no_loss(key):
        return False, None
    if set(key.split()) & V.LOSS_WORDS or any(f" {V.norm(w)} " in padded for w in V.LOSS_WORDS):
        return True, None
    if _NUMBER.search(text) and not re.fullmatch(r"\D*0+\D*", text):
        return True, None  # "~2,000 webhook events": a count of what was lost
    return None, f"says neither that data was lost nor that none was (e.g. {DATA_LOSS_FORMS})"


def has_data_loss(text: str | None) -> bool | None:
    """Whether a Data Loss text reports a loss: False for ``None``/``No``/``N/A``/``Keine``/
    ``No data lost (...)``, True for a description of what was lost, None when unknown (``TBD``,
    ``under investigation``) or when the text says neither.

    >>> [has_data_loss(t) for t in ("None", "Keine", "No data lost (replayed)", "40 rows lost", "TBD")]
    [False, False, False, True, None]
    """
    return read_data_loss(text)[0]


# --- people and lists ---------------------------------------------------------------------------
def owner_name(text: str | None) -> str | None:
    """An owner as written, without a leading ``@`` or surrounding markup: ``@alice`` -> ``alice``."""
    if text is None:
        return None
    s = text.strip().strip("*_`").strip()
    s = s[1:] if s.startswith("@") else s
    s = s.strip(" ,;.")
    return None if is_unknown(s) else s or None


def split_list(text: str | None, seps: str = ",;", *, spaced_slash: bool = False) -> list[str]:
    """``a, b; c`` -> ``["a", "b", "c"]`` (placeholders and blanks dropped); a separator
    inside brackets is part of the item (``matching-engine (KRW-BTC, KRW-ETH)``). With
    ``spaced_slash`` (service names), ``a / b`` is two items too (``auth/sso`` stays one)."""
    if text is None:
        return []
    pattern = "(?:[" + re.escape(seps) + "]" + (r"|\s+/\s+" if spaced_slash else "") + ")"
    pattern += r"(?![^()\[\]]*[)\]])"
    return [p.strip() for p in re.split(pattern, text) if not is_placeholder(p)]


def to_utc(value: object) -> pd.Timestamp | None:
    """An instant given by a caller (``as_of``, a period's bound) as a UTC Timestamp:
    Timestamps, datetimes and ISO strings; None stays None.

    A string that is not a time raises :class:`IncidentKitError` saying what is expected.
    """
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if not isinstance(value, str | dt.date | np.datetime64):  # 12 is not 12 ns after 1970
        raise IncidentKitError(
            f"as-of {value!r} is not a time (expected ISO 8601 such as 2026-11-26T12:00Z, "
            "a datetime, or 'now')"
        )
    if isinstance(value, str) and _ISO_OFFSET.match(value) and not _UNUSUAL_RE.search(value):
        return pd.Timestamp(value).tz_convert("UTC")  # 2026-11-26T12:00Z: no parser needed
    if isinstance(value, str):
        try:
            ts, _ = parse_time(value, "UTC")
        except ValueError as exc:
            raise IncidentKitError(
                f"as-of {value!r} is not a time (expected ISO 8601 such as "
                f"2026-11-26T12:00Z, or 'now')"
            ) from exc
        if ts is None:
            raise IncidentKitError(
                f"as-of {value!r} is not a time (expected e.g. 2026-11-26T12:00Z)"
            )
        return ts
    ts = pd.Timestamp(value)
    return ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")
