"""Column-wise parsing of table cells, whatever is in them, with located problems.

A cell may be blank, whitespace, a placeholder, junk, unicode, a number where text is
expected or text where a number is (CSV gives text, JSON Lines any JSON value). Each column
kind has a cell parser that returns the typed value or raises ``ValueError`` with the
accepted forms; :class:`Table` applies it once per distinct value (tables repeat values a
lot), so a column of a million cells costs a dictionary lookup per cell.

A value that cannot be read costs the least it can: the field (a warning; the value is left
empty) where the numbers do not depend on it, the record where they do (the caller decides
with ``level``).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from .. import fields as F
from .. import vocab as V
from ..errors import Problem
from ..model import TIME_DTYPE

#: How a JSON array written into a cell starts (``["a", "b"]``): not a placeholder.
_JSON_STARTS = ('["', "[{")


#: What tools write into an empty cell (pandas ``NaN``/``<NA>``/``NaT``, SQL and BI ``null``).
NULL_MARKS = ("", "NaN", "nan", "NULL", "null", "Null", "<NA>", "NaT")


def is_blank(value: object) -> bool:
    """None, NaN/NA, a tool's empty mark (``NaN``, ``null``), or text that is empty or an
    unfilled placeholder (``[timestamp]``)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, str):
        if value.strip() in NULL_MARKS:
            return True
        return F.is_placeholder(value) and not value.lstrip().startswith(_JSON_STARTS)
    return False


def shown(value: object) -> str:
    """A cell as a message quotes it: text as written, other JSON values as JSON, blanks
    as the empty string."""
    if isinstance(value, str):
        return value
    if is_blank(value):
        return ""
    try:
        return json.dumps(value, ensure_ascii=False, default=str)
    except ValueError:
        return str(value)


def scalar_text(value: object, expected: str = "is not text") -> str:
    """Text for a text field: numbers become their digits; booleans and structures raise
    ``ValueError(expected)``."""
    if isinstance(value, str):
        return value
    if isinstance(value, (bool, np.bool_)) or not isinstance(
        value, (int, float, np.integer, np.floating)
    ):
        raise ValueError(expected)
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    return str(value)


def text(value: object) -> str | None:
    """A text field, stripped; None when blank. Numbers read as their digits and other JSON
    values as their JSON text: nothing written is dropped."""
    if isinstance(value, str):
        return F.clean(value)
    try:
        return F.clean(scalar_text(value))
    except ValueError:
        return shown(value)


def currency(value: object) -> str | None:
    """A currency column: an ISO code in any case is the code (``usd`` -> ``USD``); other
    text (``€``, ``US dollars``) as written, read by the money rules where it is used."""
    written = text(value)
    if written and written.upper() in V.CURRENCY_CODES:
        return written.upper()
    return written


def ident(value: object) -> str:
    """An incident ID: text or a whole number, never blank."""
    written = F.clean(scalar_text(value, "is not an incident ID (text or a number)"))
    if written is None:
        raise ValueError("is not an incident ID (text or a number)")
    return written


def severity(value: object, severity_map: dict | None = None) -> str:
    return F.parse_severity(scalar_text(value, "is not a severity"), severity_map)


def status(value: object) -> str:
    return F.parse_status(scalar_text(value, "is not a status"))


def _number(value: object) -> float | None:
    """A JSON number (not a boolean) as float; None for anything else."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(
        value, (int, float, np.integer, np.floating)
    ):
        return None
    number = float(value)
    if not math.isfinite(number):
        raise ValueError("is not a finite number")
    return number


def _float(written: str) -> float | None:
    """A plain finite decimal number written as text, else None."""
    try:
        number = float(written)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


#: More users than this is a typo, not a count (and would not fit the Int64 column).
_MOST_USERS = 10**12


def count(value: object) -> int | None:
    """A count of users: ``1200``, ``~1,200``, ``1,200 (3%)``."""
    number = _number(value)
    if number is not None:
        if not number.is_integer():
            raise ValueError("is not a whole number of users")
        found: int | None = int(number)
    else:
        found = F.parse_users(scalar_text(value, "is not a number of users"))[0]
    if found is not None and abs(found) > _MOST_USERS:
        raise ValueError("is too large for a number of users")
    return found


def percentage(value: object) -> float | None:
    """A percentage: ``3.5``, ``3.5%``, ``about 3% of users``."""
    number = _number(value)
    if number is not None:
        return number
    written = scalar_text(value, "is not a percentage").strip()
    plain = _float(written)
    if plain is not None:
        return plain
    return F.parse_users(written if "%" in written else written + "%")[1]


def amount(value: object) -> float | None:
    """A money amount: ``84000.0``, ``84,000``, ``$84k``."""
    number = _number(value)
    if number is not None:
        return number
    written = scalar_text(value, "is not an amount of money").strip()
    plain = _plain_amount(written)
    if plain is not None:
        return plain
    found, _ = F.parse_money(written)
    if found is None:
        raise ValueError("is not an amount of money (e.g. 12400, $12,400, 12k)")
    return found


def _plain_amount(written: str) -> float | None:
    """A bare amount: ``12400``, ``12,400.50`` (commas between groups of three), ``12500,00``
    (a decimal comma); None for anything else (never digits glued across a decimal comma)."""
    if re.fullmatch(r"-?\d{1,3}(?:,\d{3})+(?:\.\d+)?", written):
        return float(written.replace(",", ""))
    if re.fullmatch(r"-?\d+,\d{1,2}", written):
        return float(written.replace(",", "."))
    return _float(written)


def duration(value: object) -> pd.Timedelta:
    """A duration written with units (``1h 27m``, ``2760s``); a bare number has none."""
    written = scalar_text(value, "is not a duration")
    if (_number(value) if _number(value) is not None else _float(written)) == 0:
        return pd.Timedelta(0)  # no downtime needs no unit
    if _number(value) is not None or _float(written) is not None:
        raise ValueError("is a number without a unit (write e.g. '87m' or '1h 27m')")
    return F.parse_duration(written)


def date(value: object) -> pd.Timestamp:
    if _number(value) is not None:
        raise ValueError("is not a date (expected YYYY-MM-DD)")
    day = F.parse_date(scalar_text(value, "is not a date (expected YYYY-MM-DD)"))
    if not 1678 <= day.year <= 2261:
        raise ValueError("is not a date in the years 1678..2261 (expected YYYY-MM-DD)")
    return day


# t/f: PostgreSQL's \copy; ticks and crosses: spreadsheets; a few words of other languages
_TRUE = ("true", "yes", "y", "1", "x", "[x]", "done", "t", "✓", "✔", "✅", "☑", "ja", "oui", "sí",
         "si", "sim")  # fmt: skip
_FALSE = ("false", "no", "n", "0", "[ ]", "open", "f", "✗", "✘", "❌", "☐", "nein", "non",
          "não", "nao")  # fmt: skip


def boolean(value: object) -> bool:
    """``true/false``, ``yes/no``, ``1/0``, ``t/f``, ``[x]/[ ]``, ``✓/✗``, ``done/open`` in
    any case."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if _number(value) in (0.0, 1.0):
        return bool(_number(value))
    key = scalar_text(value, "is not true or false").strip().lower()
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise ValueError("is not true or false (true/false, yes/no, 1/0)")


def text_list(value: object, sep: str, *, spaced_slash: bool = False) -> list[str]:
    """A list: a JSON array (in JSON Lines or written as text) or text split at ``sep`` (and
    at `` / `` with ``spaced_slash``: services)."""
    if isinstance(value, (np.ndarray, tuple)):
        value = list(value)
    if isinstance(value, list):
        return [
            str(v).strip() for v in value if not is_blank(v) and not isinstance(v, (list, dict))
        ]
    if isinstance(value, dict):
        raise ValueError("is not a list")
    written = scalar_text(value, "is not a list")
    loaded = _json_array(written)
    if loaded is not None:
        return text_list(loaded, sep)
    return F.split_list(written, sep + "\n", spaced_slash=spaced_slash)  # one per line too


def _json_array(written: str) -> list | None:
    if not written.lstrip().startswith("["):
        return None
    try:
        loaded = json.loads(written)
    except ValueError:
        return None
    return loaded if isinstance(loaded, list) else None


def prevention(value: object) -> list[dict]:
    """Prevention measures: ``[x] text`` / ``[ ] text`` lines, or a JSON array of
    ``{"text": ..., "done": ...}`` objects (or plain strings)."""
    if isinstance(value, str):
        loaded = _json_array(value)
        value = loaded if loaded is not None else value.splitlines()
    if isinstance(value, (np.ndarray, tuple)):
        value = list(value)
    if isinstance(value, dict) or not isinstance(value, list):
        value = [scalar_text(value, "is not a list of measures")]
    out = []
    for item in value:
        if isinstance(item, dict):
            words = item.get("text")
            if is_blank(words) or isinstance(words, (list, dict)):
                continue
            done = item.get("done")
            out.append({"text": str(words).strip(), "done": done is True or _truthy(done)})
            continue
        if is_blank(item) or isinstance(item, list):
            continue
        line = str(item).strip()
        head = line[:3].lower()
        body = line[3:].strip() if head in ("[x]", "[ ]") else line
        if body:
            out.append({"text": body, "done": head == "[x]"})
    return out


def _truthy(value: object) -> bool:
    try:
        return boolean(value)
    except ValueError:
        return False


class Table:
    """One table being read: its frame, the line of each row, and the problems found.

    ``lines`` holds the file line of each row (CSV: the header is line 1); ``ids`` the
    incident ID of each row where there is one, to name it in problems.
    """

    def __init__(self, path: Path, frame: pd.DataFrame, lines: np.ndarray | pd.Series):
        self.path, self.frame = path, frame
        self.lines = pd.Series(np.asarray(lines, dtype=np.int64), index=frame.index)
        self.problems: list[Problem] = []
        self.ids: pd.Series | None = None
        self._present: dict[str, np.ndarray] = {}
        #: Columns that hold Python lists already (Parquet list columns).
        self.typed_lists: set[str] = set()

    def add(
        self,
        mask: pd.Series | np.ndarray,
        field: str,
        reason: str | pd.Series,
        level: str = "error",
        values: pd.Series | None = None,
    ) -> None:
        """One problem per row where ``mask`` is True: the row's value of ``field`` (or of
        ``values``), with ``reason`` (one text, or a Series of reasons by row)."""
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        source = self.frame[field] if values is None else values
        for idx in self.frame.index[mask]:
            value = shown(source.at[idx])
            why = reason if isinstance(reason, str) else reason.at[idx]
            iid = self.ids.at[idx] if self.ids is not None else None
            self.problems.append(
                Problem(
                    str(self.path),
                    int(self.lines.at[idx]),
                    field,
                    value,
                    f"{field} {value!r} {why}",
                    None if iid is None or pd.isna(iid) else str(iid),
                    level,
                )
            )

    def note(self, field: str, message: str, level: str = "warning") -> None:
        """A problem about the whole table (a column), located at its first line."""
        self.problems.append(Problem(str(self.path), 1, field, "", message, None, level))

    def require(self, columns: tuple[str, ...]) -> bool:
        missing = [c for c in columns if c not in self.frame.columns]
        if missing:
            self.note(
                missing[0],
                f"{self.path.name} has no column {missing[0]!r} "
                f"(columns: {', '.join(repr(str(c)) for c in self.frame.columns)})",
                "error",
            )
        return not missing

    def put(self, column: str, values: pd.Series, *, was: str | None = None) -> None:
        """Set a column's cells (``was``: the header it had, renamed), forgetting what was
        known of the old ones."""
        if was is not None:
            self.frame = self.frame.rename(columns={was: column})
            self._present.pop(was, None)
        self.frame[column] = values
        self._present.pop(column, None)

    def present(self, column: str) -> np.ndarray:
        """True where the column holds something other than a blank or placeholder."""
        if column not in self._present:
            self._present[column] = filled_mask(self.frame[column])
        return self._present[column]

    def parse(
        self,
        column: str,
        parser: Callable[[object], object],
        level: str = "warning",
        dtype: object = None,
    ) -> pd.Series:
        """``parser`` over the column's filled cells, once per distinct value. A cell it
        rejects is reported at ``level`` and left empty ("warning": the field costs;
        "error": the record costs, which the caller arranges). Cells in the well-formed
        shape of a :data:`FAST_LANES` parser are read column-wise instead, to the same values.
        With ``dtype`` (and no lane) the results become that dtype once per distinct value
        (731 dates converted, not 50,000 cells); otherwise the Series holds Python objects."""
        col = self.frame[column]
        out = np.full(len(col), None, dtype=object)
        filled = self.present(column)
        if not filled.any():
            return pd.Series(out, index=col.index, dtype=object, copy=False)
        if parser in (text, ident) and isinstance(col.dtype, pd.StringDtype):
            return pd.Series(_stripped(col, filled), index=col.index, dtype=object, copy=False)
        rest = filled
        lane = FAST_LANES.get(parser)
        if lane is not None and _is_arrow_text(col):
            done = lane.match(col) & filled
            out[done] = lane.read(col[done])
            rest = filled & ~done
        elif dtype is not None:
            codes, results = self.coded(column, parser, level, rest)
            typed = pd.array(np.append(results, None), dtype=dtype)  # -1 takes the None
            return pd.Series(typed.take(codes), index=col.index)
        if rest.any():
            codes, results = self.coded(column, parser, level, rest)
            cells = np.append(results, None)[codes[rest]]  # code -1 (rejected): None
            if rest.sum() > len(results) and any(isinstance(r, (list, dict)) for r in results):
                cells = objects([_copy(c) for c in cells])
            out[rest] = cells
        return pd.Series(out, index=col.index, dtype=object, copy=False)

    def coded(
        self,
        column: str,
        parser: Callable[[object], object],
        level: str = "warning",
        rows: np.ndarray | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """``parser`` once per distinct value of the filled cells (of ``rows``): the code of
        each row's result (-1: blank, not in ``rows``, or rejected and reported) and the
        results. Categorical columns are built from these without a value per row."""
        col = self.frame[column]
        rows = self.present(column) if rows is None else rows
        codes = np.full(len(col), -1, dtype=np.intp)
        if not rows.any():
            return codes, np.empty(0, dtype=object)
        values = col if rows.all() else col[rows]
        found, firsts = _distinct(values)
        results = np.empty(len(firsts), dtype=object)
        errors: dict[int, str] = {}
        for code, value in enumerate(firsts):
            try:
                results[code] = parser(value)
            except (ValueError, OverflowError) as exc:  # a value out of every range is bad data
                errors[code] = str(exc) if level == "error" else f"{exc}; left empty"
        if errors:
            bad = np.isin(found, list(errors))
            reasons = pd.Series([errors[c] for c in found[bad]], index=values.index[bad])
            self.add(col.index.isin(reasons.index), column, reasons, level)
            found = np.where(bad, -1, found)
        codes[rows] = found
        return codes, results


class Lane(NamedTuple):
    """The well-formed shape of a parser's cells, read column-wise in C: the cells that match
    ``pattern`` whole (RE2) are cast to ``arrow_type``, the value the parser gives them."""

    pattern: str
    arrow_type: str

    def match(self, col: pd.Series) -> np.ndarray:
        """True where a cell (pyarrow text) has the shape."""
        import pyarrow.compute as pc

        found = pc.match_substring_regex(_arrow(col), self.pattern)
        return pc.fill_null(found, False).to_numpy(zero_copy_only=False)

    def read(self, cells: pd.Series) -> list:
        """The cells (all of the shape) as Python values."""
        import pyarrow.compute as pc

        return pc.cast(_arrow(cells), self.arrow_type).to_pylist()


#: A plain decimal number, what ``float()`` reads the same way (no grouping, no exponent).
_PLAIN_DECIMAL = Lane(r"^-?[0-9]{1,15}(?:\.[0-9]{1,6})?$", "float64")
#: Parsers with a column-wise lane for their common shape (the rest go cell by cell): digits
#: for a count (at most 12: larger is an error the parser reports), plain decimals.
FAST_LANES: dict[Callable[[object], object], Lane] = {
    count: Lane(r"^[0-9]{1,12}$", "int64"),
    amount: _PLAIN_DECIMAL,
    percentage: _PLAIN_DECIMAL,
}


def _is_arrow_text(col: pd.Series) -> bool:
    return isinstance(col.dtype, pd.StringDtype) and col.dtype.storage == "pyarrow"


def _arrow(col: pd.Series):
    """A text column as a pyarrow large_string array (no copy for pyarrow-backed text)."""
    import pyarrow as pa

    return pa.array(col.array, type=pa.large_string(), from_pandas=True)


def _distinct(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(code of each cell, the first cell of each code). Typed cells are their own keys;
    Python objects (JSON Lines) are keyed by ``_key`` (lists and objects are not hashable)."""
    if values.dtype != object:
        found, uniques = pd.factorize(values)
        return found, np.asarray(uniques.to_numpy(dtype=object))
    found, _ = pd.factorize(values.map(_key))
    seen = np.maximum.accumulate(found)  # codes come in order of first appearance
    first = np.flatnonzero(np.concatenate(([True], seen[1:] > seen[:-1])))
    return found, values.take(first).to_numpy(dtype=object)


def _stripped(col: pd.Series, filled: np.ndarray) -> np.ndarray:
    """Text in, text out: each distinct filled cell stripped once, the Python strings shared
    by the rows that hold them (None where blank)."""
    every = filled.all()
    codes, uniques = pd.factorize(col if every else col[filled])
    cells = uniques.str.strip().to_numpy(dtype=object)[codes]
    if every:
        return cells
    out = np.full(len(col), None, dtype=object)
    out[filled] = cells
    return out


def filled_mask(col: pd.Series) -> np.ndarray:
    """True where a cell holds something: not None/NaN, not blank text, not a placeholder."""
    arrow = isinstance(col.dtype, pd.StringDtype) and col.dtype.storage == "pyarrow"
    if arrow:
        filled, candidates = _maybe_blank(col)
    else:
        filled = col.notna().to_numpy(dtype=bool, na_value=False).copy()
        if not (col.dtype == object or isinstance(col.dtype, pd.StringDtype)):
            return filled
        candidates = filled.copy()
    if candidates.any():  # the cells that start or end like a blank or a placeholder
        values = col[candidates].to_numpy(dtype=object)
        filled[candidates] = ~np.fromiter((is_blank(v) for v in values), bool, len(values))
    return filled


def _maybe_blank(col: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(not null, could be blank or a placeholder): the second is the cells that are empty or
    start or end with whitespace or a bracket. Read from the first and last byte of each
    cell (numpy over arrow's buffers, no Python per cell); cells with a non-ASCII edge are
    asked of pyarrow's Unicode whitespace."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = _arrow(col)
    chunks = arr.chunks if isinstance(arr, pa.ChunkedArray) else [arr]
    edges = [_edge_bytes(chunk) for chunk in chunks]
    first, last, empty = (np.concatenate([e[i] for e in edges]) for i in range(3))
    valid = pc.is_valid(arr).to_numpy(zero_copy_only=False)
    maybe = empty | (first <= 0x20) | (first == ord("[")) | (last <= 0x20) | (last == ord("]"))
    wide = valid & ~maybe & ((first >= 0x80) | (last >= 0x80))
    if wide.any():  # a multi-byte first or last character: is it a Unicode space?
        cells = pc.filter(arr, pa.array(wide))
        spaced = pc.or_(
            pc.utf8_is_space(pc.utf8_slice_codeunits(cells, 0, 1)),
            pc.utf8_is_space(pc.utf8_slice_codeunits(cells, -1, 2**31 - 1)),
        )
        maybe[wide] = spaced.to_numpy(zero_copy_only=False)
    return valid.copy(), maybe & valid


def _edge_bytes(chunk) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The first and last byte of each cell of a large_string chunk, and which are empty
    (their bytes are 0; null cells give whatever their offsets point at)."""
    _, offsets, data = chunk.buffers()
    at = np.frombuffer(offsets, dtype=np.int64)[chunk.offset : chunk.offset + len(chunk) + 1]
    data = np.frombuffer(data, dtype=np.uint8) if data is not None and data.size else None
    start, end = at[:-1], at[1:]
    empty = end <= start
    if data is None:
        zero = np.zeros(len(chunk), dtype=np.uint8)
        return zero, zero, empty
    first = np.where(empty, 0, data[np.minimum(start, len(data) - 1)])
    last = np.where(empty, 0, data[np.clip(end - 1, 0, len(data) - 1)])
    return first, last, empty


def objects(items: list) -> np.ndarray:
    """A 1-D object array of ``items`` (lists stay elements, never a second dimension)."""
    out = np.empty(len(items), dtype=object)
    for i, item in enumerate(items):
        out[i] = item
    return out


def _copy(value: object) -> object:
    """Each row gets its own list (rows share a parsed value only when it is immutable)."""
    if isinstance(value, list):
        if dict in map(type, value):  # prevention: each measure a dict of its own too
            return [dict(v) if isinstance(v, dict) else v for v in value]
        return list(value)
    return value


#: ISO 8601 with a date, a time and its own offset or Z: what exports write, parsed in C.
_ISO_OFFSET = (
    r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}(?::?\d{2})?)$"
)


def iso_times(col: pd.Series, filled: np.ndarray) -> tuple[pd.Series, np.ndarray]:
    """The cells written as ISO 8601 with an offset or ``Z`` parsed to UTC by pyarrow, and
    which those are. Everything else (no zone, zone names, other forms, impossible dates) is
    left to ``fields.parse_times``: this is only the fast lane for the unambiguous form."""
    import pyarrow as pa
    import pyarrow.compute as pc

    done = np.zeros(len(col), dtype=bool)
    times = pd.Series(pd.NaT, index=col.index, dtype=TIME_DTYPE)
    if not isinstance(col.dtype, pd.StringDtype) or not filled.any():
        return times, done
    utc = pa.timestamp("ns", "UTC")
    arr = _arrow(col)
    try:  # the common case: every cell is such a time (arrow rejects any without a zone)
        parsed = pc.cast(arr if filled.all() else pc.filter(arr, pa.array(filled)), utc)
        done = filled.copy()
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        text = pc.utf8_trim_whitespace(arr)
        match = pc.fill_null(pc.match_substring_regex(text, _ISO_OFFSET), False)
        match = match.to_numpy(zero_copy_only=False) & filled
        if not match.any():
            return times, done
        try:
            parsed = pc.cast(pc.filter(text, pa.array(match)), utc)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            return times, done  # an impossible date among them: the shared parser explains
        done = match
    values = np.full(len(col), np.datetime64("NaT"), dtype="datetime64[ns]")
    values[done] = parsed.to_numpy(zero_copy_only=False).astype("datetime64[ns]")
    return pd.Series(pd.DatetimeIndex(values).tz_localize("UTC"), index=col.index), done


def typed(col: pd.Series, dtype: object) -> pd.Series | None:
    """``col`` as the model's ``dtype`` when it is already of that kind (Parquet), else None
    (text and JSON cells go through the cell parsers)."""
    kind = str(dtype)
    numeric = pd.api.types.is_numeric_dtype(col.dtype)
    if kind in ("Int64", "Float64") and numeric and not pd.api.types.is_bool_dtype(col.dtype):
        return col.astype(kind).astype(object).where(col.notna(), None)
    if kind == "boolean" and pd.api.types.is_bool_dtype(col.dtype):
        return col.astype("boolean").astype(object).where(col.notna(), None)
    if kind == "timedelta64[ns]" and pd.api.types.is_timedelta64_dtype(col.dtype):
        return col
    if kind == "datetime64[ns]" and pd.api.types.is_datetime64_any_dtype(col.dtype):
        day = col.dt.tz_localize(None) if getattr(col.dt, "tz", None) else col
        return day.dt.normalize()
    return None


def _key(value: object) -> object:
    """A hashable stand-in for a cell (JSON lists and objects are not hashable)."""
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, (list, dict)):
        return ("json", json.dumps(value, sort_keys=True, default=str))
    if isinstance(value, float) and not isinstance(value, bool):
        return ("float", value)
    if isinstance(value, bool):
        return ("bool", value)
    return value
