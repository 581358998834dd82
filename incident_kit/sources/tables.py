"""Canonical tables: incidents, events and action items as CSV or JSON Lines.

A folder (or explicit files) holding ``incidents.csv`` + ``events.csv`` (and optionally
``action_items.csv``); ``.jsonl`` files with the same columns work too. Parsing is
column-wise (see :mod:`.columns`), so a million events load in seconds, and a cell that
cannot be read costs its field or its row, never the file. ``write`` is the inverse.
"""

from __future__ import annotations

import csv
import io
import json
import re
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd

from .. import fields as F
from .. import vocab as V
from ..errors import Problem, SourceError
from ..model import (
    ACTION_ITEM_COLUMNS,
    DATE_DTYPE,
    EVENT_COLUMNS,
    INCIDENT_COLUMNS,
    KIND_DTYPE,
    KINDS,
    LIST_FIELDS,
    SEVERITY_DTYPE,
    STATUS_DTYPE,
    TIME_DTYPE,
    IncidentSet,
    Parts,
)
from . import columns as C
from .base import ReadOptions, kind_name, mapping_beside

TABLE_NAMES = ("incidents", "events", "action_items")
SUFFIXES = (".csv", ".jsonl", ".ndjson", ".parquet")
#: Formats ``write`` produces.
WRITE_FORMATS = ("csv", "jsonl", "parquet")
#: Columns a table may have that the loader fills itself (ignored when read).
_OWN = {"source_file", "source_line", "source"}


def sniff(path: Path, head: str) -> bool:
    """``incidents.csv``, ``events.jsonl``, ...: unless a mapping beside it says how to read it."""
    named = path.stem.lower() in TABLE_NAMES and path.suffix.lower() in SUFFIXES
    return named and mapping_beside(path) is None


# -- reading files ------------------------------------------------------------------------
def read_table(path: Path) -> C.Table:
    """The file's rows as a :class:`Table` of raw cells (text for CSV, JSON values for
    JSON Lines), each row with its line; rows that cannot be read are problems."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path)
    if suffix == ".parquet":
        return _read_parquet(path)
    return _read_jsonl(path)


def _read_parquet(path: Path) -> C.Table:
    """A Parquet table: typed columns stay typed (times, dates, durations, lists), text
    columns are read like CSV cells. Rows have no lines: the row number stands in."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except (pa.ArrowException, OSError) as exc:
        raise SourceError(f"{path}: is not a readable Parquet file ({exc})") from None
    lists = [f.name for f in table.schema if pa.types.is_list(f.type)]
    frame = table.drop_columns(lists).to_pandas(
        types_mapper={pa.string(): pd.StringDtype("pyarrow")}.get
    )
    for name in lists:  # Python lists straight from arrow (None where null)
        frame[name] = pd.Series(table.column(name).to_pylist(), index=frame.index, dtype=object)
    result = C.Table(path, frame[table.column_names], np.arange(1, len(frame) + 1))
    result.typed_lists = set(lists)
    return result


def delimiter(header: str) -> str:
    """The character between a CSV's cells, from its header line: a comma, or the semicolon
    of spreadsheets in locales whose decimal mark is a comma (``incident_id;timestamp;...``),
    or a tab, when the header has no comma outside quotes."""
    outside = re.sub(r'"[^"]*"', "", header)
    if "," in outside:
        return ","
    return ";" if ";" in outside else "\t" if "\t" in outside else ","


def _read_csv(path: Path) -> C.Table:
    data = path.read_bytes()
    fast = _read_csv_arrow(path, data)
    if fast is not None:
        return fast
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(f"{path}: is not UTF-8 text (byte {exc.start})") from None
    lines = text.split("\n", 12)
    first = next((ln for ln in lines[:12] if ln.count(",") + ln.count(";") + ln.count("\t") > 1),
                 lines[0])  # fmt: skip
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter(first))
    problems: list[Problem] = []
    header = _header(rows)
    if header is None:
        return C.Table(path, pd.DataFrame(), np.zeros(0, dtype=np.int64))
    names = [h.strip() for h in header]
    keep = _unique_columns(path, names, problems)
    cells: list[list[str | None]] = []
    lines: list[int] = []
    start = rows.line_num + 1
    width = len(names)
    for row in rows:
        line, start = start, rows.line_num + 1
        if not row or (len(row) == 1 and not row[0].strip()):
            continue  # a blank line
        if len(row) > width and any(v.strip() for v in row[width:]):
            problems.append(
                Problem(
                    str(path),
                    line,
                    "row",
                    ",".join(row)[:80],
                    f"row has {len(row)} cells but the header has {width}; row left out",
                )
            )
            continue
        row = row[:width] + [""] * (width - len(row))  # missing trailing cells are blank
        cells.append([row[i] if row[i] != "" else None for i in keep])
        lines.append(line)
    frame = pd.DataFrame(
        cells or np.empty((0, len(keep)), dtype=object),
        columns=[names[i] for i in keep],
        dtype=object,
    )
    table = C.Table(path, frame.reset_index(drop=True), np.asarray(lines, dtype=np.int64))
    table.problems.extend(problems)
    return table


def _header(rows) -> list[str] | None:
    """The header row: the first with two or more cells written, past a spreadsheet's title
    and blank lines above it (``Incident portfolio – Q2 2026,,,,``)."""
    for row in rows:
        if sum(1 for cell in row if cell.strip()) >= 2:
            return row
        if rows.line_num > 10:
            return row
    return None


def _read_csv_arrow(path: Path, data: bytes) -> C.Table | None:
    """The common case, in C (pyarrow, all cores): a UTF-8 CSV whose header names each column
    once and whose rows all have the header's cells. Returns None for anything else (ragged
    rows, blank lines, odd headers, bad bytes), which the csv-module reader then reads and
    locates row by row."""
    import pyarrow as pa
    from pyarrow import csv as pacsv

    end = data.find(b"\n")
    try:
        first = data[: end if end >= 0 else len(data)].decode("utf-8-sig").rstrip("\r")
    except UnicodeDecodeError:
        return None
    sep = delimiter(first)
    header = next(csv.reader([first], delimiter=sep), [])
    names = [h.strip() for h in header]
    if not names or len(set(names)) != len(names) or "" in names or '"' in first:
        return None
    bad_rows: list[object] = []

    def invalid(row) -> str:
        bad_rows.append(row)
        return "skip"

    try:
        table = pacsv.read_csv(
            pa.py_buffer(data),
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1),
            parse_options=pacsv.ParseOptions(
                delimiter=sep, newlines_in_values=b'"' in data, invalid_row_handler=invalid
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.large_string() for n in names},  # pandas' own: no cast
                strings_can_be_null=True,
                quoted_strings_can_be_null=True,
                null_values=list(C.NULL_MARKS),
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None
    if bad_rows:
        return None
    lines = _row_lines(data, table)
    if lines is None:
        return None
    frame = table.to_pandas(types_mapper={pa.large_string(): pd.StringDtype("pyarrow")}.get)
    return C.Table(path, frame, lines)


def _row_lines(data: bytes, table) -> np.ndarray | None:
    """The line each row starts on: the header is line 1, a row takes one line plus the line
    breaks inside its quoted cells. None when that does not add up (blank lines skipped)."""
    import pyarrow.compute as pc

    physical = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    if b'"' not in data:  # no quoted cells: a row per line
        rows = table.num_rows
        return np.arange(2, rows + 2, dtype=np.int64) if 1 + rows == physical else None
    extra = np.zeros(table.num_rows, dtype=np.int64)
    for column in table.columns:
        counts = pc.count_substring(column, "\n").to_numpy(zero_copy_only=False)
        extra += np.nan_to_num(counts.astype(float), nan=0).astype(np.int64)
    taken = np.ones(table.num_rows, dtype=np.int64) + extra
    if 1 + int(taken.sum()) != physical:
        return None
    return 2 + np.concatenate(([0], np.cumsum(taken)[:-1])) if len(taken) else taken


def _unique_columns(path: Path, names: list[str], problems: list[Problem]) -> list[int]:
    """Positions of the columns to read: the first of a repeated name, none unnamed."""
    seen: set[str] = set()
    keep = []
    for i, name in enumerate(names):
        if name in seen:
            problems.append(
                Problem(
                    str(path),
                    1,
                    name,
                    name,
                    f"column {name!r} appears twice; the second copy is ignored",
                    None,
                    "warning",
                )
            )
        elif name:
            seen.add(name)
            keep.append(i)
    return keep


def _read_jsonl(path: Path) -> C.Table:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(f"{path}: is not UTF-8 text (byte {exc.start})") from None
    records, lines, problems = [], [], []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except (ValueError, RecursionError) as exc:
            reason = exc.msg if isinstance(exc, json.JSONDecodeError) else "nested too deeply"
            problems.append(
                Problem(str(path), n, "line", line[:80], f"line is not JSON ({reason}); left out")
            )
            continue
        if not isinstance(record, dict):
            problems.append(
                Problem(str(path), n, "line", line[:80], "line is not a JSON object; left out")
            )
            continue
        records.append({str(k).strip(): v for k, v in record.items()})
        lines.append(n)
    frame = pd.DataFrame(records, dtype=object) if records else pd.DataFrame()
    table = C.Table(path, frame, np.asarray(lines, dtype=np.int64))
    table.problems.extend(problems)
    return table


# -- parsing tables -----------------------------------------------------------------------
def _incident_parser(column: str, dtype: object, severity_map: dict | None = None):
    """How a cell of an incidents column is read, and what a bad one costs."""
    if column in LIST_FIELDS:
        if column == "services":
            return partial(C.text_list, sep=";|", spaced_slash=True), "warning"
        return partial(C.text_list, sep="\n"), "warning"
    if column == "prevention":
        return C.prevention, "warning"
    if column == "users_affected_pct":
        return C.percentage, "warning"
    if column == "financial_currency":
        return C.currency, "warning"
    if dtype is SEVERITY_DTYPE:
        return partial(C.severity, severity_map=severity_map or None), "error"
    if dtype is STATUS_DTYPE:
        return C.status, "error"
    by_dtype = {
        "Int64": C.count,
        "Float64": C.amount,
        "timedelta64[ns]": C.duration,
        DATE_DTYPE: C.date,
        "boolean": C.boolean,
    }
    return by_dtype.get(str(dtype), C.text), "warning"


def _ids(table: C.Table, name: str) -> pd.Series:
    """The incident_id of each row (text, stripped); rows without one are errors."""
    ids = table.parse("incident_id", C.ident, "error")
    table.add(
        ~table.present("incident_id"), "incident_id", f"is missing; the {name} row is left out"
    )
    totals = _totals_rows(ids, table.frame["incident_id"])
    if totals.any():  # "TOTAL,,,,75,100": a spreadsheet's sum row, not an incident
        table.add(totals, "incident_id", f"is a totals row, not an incident; the {name} row is "
                  "left out", "warning")  # fmt: skip
        ids = ids.where(~totals, None)
    table.ids = ids
    return ids


#: Text each phrase of :data:`~incident_kit.vocab.TOTAL_WORDS` holds (its first word's start):
#: an ID without any is no totals row, so the vocabulary is asked only about the few with one.
_TOTAL_HINT = "|".join(sorted({phrase.split()[0][:3] for phrase in V.TOTAL_WORDS}))


def _totals_rows(ids: pd.Series, cells: pd.Series) -> np.ndarray:
    """Rows whose ID is a totals word (``TOTAL``, ``Summe``): a spreadsheet's sum row.
    ``cells``: the column as read (searched in one pass when it is text; else ``ids``)."""
    text = cells if isinstance(cells.dtype, pd.StringDtype) else ids.astype("string")
    hint = text.str.contains(_TOTAL_HINT, case=False, regex=True, na=False)
    totals = np.zeros(len(ids), dtype=bool)
    where = np.flatnonzero(hint.to_numpy(bool))
    totals[where] = [V.norm(i) in V.TOTAL_WORDS for i in ids.iloc[where]]
    return totals


def _unknown_columns(table: C.Table, known: set[str], what: str) -> None:
    """A warning per column the table has but the loader does not read (nothing silently)."""
    for column in table.frame.columns:
        if column not in known and column not in _OWN and table.present(column).any():
            table.note(column, f"column {column!r} is not an {what} column; it is not loaded")


def parse_incidents(
    table: C.Table, default_tz: str, severity_map: dict | None = None
) -> pd.DataFrame:
    """The incidents table from raw cells: one row per incident with an ID; severities read
    through ``severity_map`` (a team's own words) before the vocabulary's."""
    f = table.frame
    if not table.require(("incident_id",)):
        return pd.DataFrame()
    ids = _ids(table, "incident")
    out = pd.DataFrame({"incident_id": ids})
    out["source_file"] = str(table.path)
    out["source_line"] = table.lines
    for column, dtype in INCIDENT_COLUMNS.items():
        if column in f.columns and column not in _OWN:
            typed = f[column] if column in table.typed_lists else C.typed(f[column], dtype)
            if typed is not None:  # Parquet: already the model's type
                out[column] = typed
                continue
            parser, level = _incident_parser(column, dtype, severity_map)
            typed_as = None if dtype == "object" else dtype  # converted once per value
            out[column] = table.parse(column, parser, level, typed_as)
            if dtype is SEVERITY_DTYPE:
                _severity_notes(table, column, severity_map)
    _unknown_columns(table, set(INCIDENT_COLUMNS) | {"incident_id"}, "incidents")
    _derive(out, table)
    return out[ids.notna()]


def _severity_notes(table: C.Table, column: str, severity_map: dict | None) -> None:
    """A located warning where a severity was read another way than written (``P0``)."""
    filled = table.present(column)
    cells = table.frame[column][filled].astype(str)
    for value in cells.unique():
        try:
            note = F.read_severity(value, severity_map)[1]
        except ValueError:
            continue  # reported by the parse already
        if note:
            mask = np.zeros(len(table.frame), dtype=bool)
            mask[np.flatnonzero(filled)[(cells == value).to_numpy()]] = True
            table.add(mask, column, note, "warning")


def _derive(out: pd.DataFrame, table: C.Table) -> None:
    """Fill the money amount and the data-loss flag from the text where they are empty (an
    amount that cannot be read, ``$10-15k``, is a located warning and stays empty)."""
    if "financial_impact" in out:
        empty = out.get("financial_amount", pd.Series(np.nan, index=out.index)).isna()
        fill = out["financial_impact"].notna() & empty
        if fill.any():
            read = table.parse("financial_impact", _money_or_error).set_axis(out.index)
            money = read[fill].map(lambda m: (None, None) if m is None else m)
            _fill(out, "financial_amount", money.map(lambda m: m[0]))
            _fill(out, "financial_currency", money.map(lambda m: m[1]))
    _from_written(out, table, "financial_currency", ("financial_amount", "financial_impact"), 1)
    _from_written(out, table, "users_affected_pct", ("users_affected",), 1)
    if "data_loss" in out:
        empty = out.get("has_data_loss", pd.Series(np.nan, index=out.index)).isna()
        fill = out["data_loss"].notna() & empty
        if fill.any():
            _fill(out, "has_data_loss", out.loc[fill, "data_loss"].map(F.has_data_loss))


#: the reader of each written column whose text may say more than its own value
_WRITTEN = {
    "financial_amount": lambda t: F.parse_money(t),
    "financial_impact": lambda t: F.parse_money(t),
    "users_affected": lambda t: F.parse_users(t),
}


def _from_written(
    out: pd.DataFrame, table: C.Table, column: str, sources: tuple[str, ...], part: int
) -> None:
    """Fill ``column`` where empty from what a text cell says beside its own value: the
    currency of ``$1,200`` in an amount cell, the 3 % of ``12000 (3%)`` in a users cell."""
    for source in sources:
        if source not in table.frame.columns or source in table.typed_lists:
            continue
        raw = table.frame[source]
        if not (raw.dtype == object or isinstance(raw.dtype, pd.StringDtype)):
            continue  # a typed number (Parquet) says nothing beside its value
        empty = out[column].isna().to_numpy() if column in out else np.ones(len(out), bool)
        cells = raw[empty & table.present(source)].astype(str)
        cells = cells[cells.str.contains(r"[^\d\s.,+-]", regex=True)]  # more than a number
        if cells.empty:
            continue
        codes, uniques = pd.factorize(cells)
        found = np.array([_quietly(_WRITTEN[source], u, part) for u in uniques], dtype=object)
        _fill(out, column, pd.Series(found[codes], index=cells.index).dropna())


def _quietly(read, text: str, part: int):
    """One part of what ``read`` takes from ``text``, None where it cannot (the cell's own
    parse has reported that already)."""
    try:
        return read(text)[part]
    except ValueError:
        return None


def _money_or_error(value: object) -> tuple[float | None, str | None]:
    return F.parse_money(str(value))


def _fill(out: pd.DataFrame, column: str, values: pd.Series) -> None:
    """Set ``column`` from ``values`` (indexed by row) where it is empty."""
    current = (
        out[column].to_numpy(dtype=object).copy()
        if column in out
        else np.full(len(out), None, object)
    )
    where = out.index.get_indexer(values.index)
    empty = pd.isna(current[where])
    current[where[empty]] = values.to_numpy(dtype=object)[empty]
    current[pd.isna(current)] = None
    out[column] = pd.Series(current, index=out.index, dtype=object)


def _times(
    table: C.Table, column: str, default_tz: str, tz_abbrev: dict | None = None
) -> tuple[pd.Series, pd.Series]:
    """Parse a time column; returns (times, reason) with the reason where a cell is blank or
    not a time (the caller reports it at the level the row's kind calls for)."""
    col = table.frame[column]
    filled = table.present(column)
    if isinstance(col.dtype, pd.DatetimeTZDtype):  # Parquet: times with their zone
        return col.dt.tz_convert("UTC").astype(TIME_DTYPE), pd.Series(
            np.where(filled, None, "is missing"), index=col.index, dtype=object
        )
    times, done = C.iso_times(col, filled)
    rest = filled & ~done
    error = pd.Series(None, index=col.index, dtype=object)
    error[~filled] = "is missing"
    if rest.any():
        cells = col[rest]
        if cells.dtype == object:  # JSON Lines: a number or a structure is quoted as written
            cells = cells.map(lambda v: v if isinstance(v, str) else C.shown(v))
        parsed, why, notes = F.parse_times(cells.astype(object), default_tz, tz_abbrev=tz_abbrev)
        times[rest] = parsed
        error[rest] = why.astype(object).where(why.notna(), None)
        noted = np.zeros(len(col), dtype=bool)  # no zone (default_tz), IST-like, ...
        noted[rest] = notes.notna().to_numpy(dtype=bool)
        table.add(noted, column, notes.reindex(col.index), "warning")
    return times, error


def parse_events(table: C.Table, default_tz: str, tz_abbrev: dict | None = None) -> pd.DataFrame:
    """The events table from raw cells: rows with an ID, a kind and a time."""
    _zone_from_header(table, "timestamp")
    f = table.frame
    if not table.require(("incident_id", "timestamp", "kind")):
        return pd.DataFrame()
    ids = _ids(table, "event")
    kinds = _kinds(table)
    times, error = _times(table, "timestamp", default_tz, tz_abbrev)
    has_id = ids.notna().to_numpy()
    bad_time = error.notna().to_numpy() & has_id
    minor = (kinds == "update").to_numpy()
    table.add(bad_time & ~minor, "timestamp", error)
    update = bad_time & minor
    table.add(update, "timestamp", error[update] + "; the update is left out", "warning")
    out = pd.DataFrame({"incident_id": ids, "timestamp": times, "kind": kinds})
    for column in ("actor", "role", "description"):
        out[column] = table.parse(column, C.text) if column in f.columns else None
    _unknown_columns(table, set(EVENT_COLUMNS), "events")
    out["source"] = _sources(table)
    keep = has_id & kinds.notna().to_numpy() & times.notna().to_numpy()
    return out if keep.all() else out[keep]


_OTHER_KIND = "\0other"


def _sources(table: C.Table) -> pd.Series:
    """``file:line`` of each row, made by pyarrow and handed over as the Python strings the
    model keeps (not pandas text converted again later)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    lines = pc.cast(pa.array(table.lines.to_numpy()), pa.string())
    joined = pc.binary_join_element_wise(f"{table.path}:", lines, "")
    return pd.Series(
        joined.to_numpy(zero_copy_only=False), index=table.lines.index, dtype=object, copy=False
    )


def _kinds(table: C.Table) -> pd.Series:
    """The kind of each row (categorical, built from one code per distinct cell): words no
    kind names make the row an update (a warning); a blank or unreadable kind is an error."""
    codes, found = table.coded("kind", _kind, "error")
    named = {k: i for i, k in enumerate(KINDS)}
    update, other = named["update"], -2
    lookup = np.array([named.get(k, other if k == _OTHER_KIND else -1) for k in found] + [-1])
    kind_codes = lookup[codes]  # code -1 (blank, unreadable) -> the last entry, -1
    table.add(kind_codes == other, "kind",
              f"is not an event kind ({', '.join(KINDS)}); kept as an update", "warning")  # fmt: skip
    kind_codes[kind_codes == other] = update
    table.add(~table.present("kind"), "kind", "is missing")
    kinds = pd.Categorical.from_codes(kind_codes, dtype=KIND_DTYPE)
    return pd.Series(kinds, index=table.frame.index)


_ZONED_HEADER = re.compile(r"^\s*(?P<name>[\w ]+?)\s*\((?P<zone>[^()]+)\)\s*$")
_ZONE_TAIL = re.compile(r"[A-Za-z]{2,5}|[A-Za-z]+/[A-Za-z_]+|.*(?:[+-]\d{2}:?\d{2}|\dZ)")


def _names_zone(cell: str) -> bool:
    """Whether a time cell ends with a zone (``UTC``, ``Europe/Berlin``, ``+01:00``, ``Z``)."""
    words = cell.split()
    tail = words[-1] if words else ""
    return bool(_ZONE_TAIL.fullmatch(tail)) and tail.lower().strip(".") not in ("am", "pm", "a.m")


def _zone_from_header(table: C.Table, column: str) -> None:
    """``timestamp (EST)``: the column, its zone given to the cells that name none."""
    for name in list(table.frame.columns):
        m = _ZONED_HEADER.match(str(name))
        if m and m.group("name").lower() == column and column not in table.frame.columns:
            cells = table.frame[name].astype("object")
            bare = cells.notna() & ~cells.astype(str).map(_names_zone)
            cells[bare] = cells[bare].astype(str).str.rstrip() + " " + m.group("zone").strip()
            table.put(column, cells, was=name)
            return


def _kind(value: object) -> str:
    """A kind as named (``ack``, ``Escalation``), a milestone the words name (``Alert fired -
    detected``), else ``_OTHER_KIND``: an event all the same, its kind unknown."""
    written = C.scalar_text(value, "is not an event kind")
    kind = kind_name(written)
    if kind is None:
        named = V.milestone_named(written)
        kind = named[0] if named else None
    return _OTHER_KIND if kind is None else kind


def _horizon(value: object) -> str:
    key = " ".join(C.text(value).lower().replace("_", " ").replace("-", " ").split())
    horizon = key.replace(" ", "_")
    if horizon not in ("immediate", "short_term", "long_term"):
        raise ValueError("is not a horizon (immediate, short_term, long_term)")
    return horizon


def parse_action_items(table: C.Table, default_tz: str) -> pd.DataFrame:
    """The action-items table from raw cells: rows with an ID and a text. A blank horizon
    is short_term; an unreadable one is left empty with a warning."""
    f = table.frame
    if not table.require(("incident_id", "text")):
        return pd.DataFrame()
    ids = _ids(table, "action item")
    text = table.parse("text", C.text)
    no_text = ids.notna().to_numpy() & ~table.present("text")
    table.add(no_text, "text", "is missing; the action item is left out", "warning")
    out = pd.DataFrame({"incident_id": ids, "text": text})
    if "horizon" in f:
        blank = ~table.present("horizon")
        out["horizon"] = table.parse("horizon", _horizon).mask(blank, "short_term")
    else:
        out["horizon"] = "short_term"
    out["owner"] = table.parse("owner", C.text) if "owner" in f else None
    due = C.typed(f["due"], DATE_DTYPE) if "due" in f else None
    if due is None and "due" in f:
        due = table.parse("due", C.date, dtype=DATE_DTYPE)
    out["due"] = due
    done = C.typed(f["done"], "boolean") if "done" in f else pd.Series(False, index=f.index)
    done = done if done is not None else table.parse("done", C.boolean)
    out["done"] = done.where(done.notna(), False).astype(bool)
    _unknown_columns(table, set(ACTION_ITEM_COLUMNS), "action items")
    out["source"] = _sources(table)
    return out[ids.notna() & text.notna()]


_PARSERS = {
    "incidents": parse_incidents,
    "events": parse_events,
    "action_items": parse_action_items,
}


def read(paths: list[Path], options: ReadOptions) -> Parts:
    """Read canonical incident/event/action-item tables."""
    parts = Parts(pd.DataFrame(), pd.DataFrame(), pd.DataFrame())
    for path in paths:
        name = path.stem.lower()
        table = read_table(path)
        if table.frame.empty and not table.problems:
            continue  # no rows: nothing to read, whatever the header says
        if name == "events":
            result = parse_events(table, options.default_tz, options.tz_abbrev)
        elif name == "incidents":
            result = parse_incidents(table, options.default_tz, options.severity_map)
        else:
            result = _PARSERS[name](table, options.default_tz)
        located = sorted(table.problems, key=lambda p: p.line or 0)
        piece = Parts(pd.DataFrame(), pd.DataFrame(), pd.DataFrame(), located)
        setattr(piece, name, result)
        parts.extend(piece)
    return parts


# -- writing ------------------------------------------------------------------------------
def write(iset: IncidentSet, folder: str | Path, format: str = "csv") -> list[Path]:
    """Write the three tables to ``folder`` as ``csv``, ``jsonl`` or ``parquet`` so ``load``
    reads them back (Parquet keeps types: times, durations, lists, categories)."""
    if format not in WRITE_FORMATS:
        raise SourceError(f"unknown table format {format!r} ({', '.join(WRITE_FORMATS)})")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    inc = iset.incidents.drop(columns=["source_file", "source_line"]).reset_index()
    ev = iset.events.drop(columns=["source"])
    ai = iset.action_items.drop(columns=["source"])
    paths = []
    for name, frame in (("incidents", inc), ("events", ev), ("action_items", ai)):
        path = folder / f"{name}.{format}"
        if format == "csv":
            _as_text(frame).to_csv(path, index=False)
        elif format == "parquet":
            _write_parquet(frame, path)
        else:
            records = _json_ready(frame)
            path.write_text(
                "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8"
            )
        paths.append(path)
    return paths


def _write_parquet(frame: pd.DataFrame, path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    fields = []
    for column in frame.columns:
        if column in LIST_FIELDS:
            fields.append(pa.field(column, pa.list_(pa.string())))
        elif column == "prevention":
            item = pa.struct([("text", pa.string()), ("done", pa.bool_())])
            fields.append(pa.field(column, pa.list_(item)))
        elif frame[column].dtype == object:
            fields.append(pa.field(column, pa.string()))
        else:
            fields.append(
                pa.field(column, pa.Schema.from_pandas(frame[[column]]).field(column).type)
            )
    table = pa.Table.from_pandas(frame, schema=pa.schema(fields), preserve_index=False)
    pq.write_table(table, path)


def _list_cell(items: list, sep: str) -> str:
    """A list as text: joined by ``sep`` when that reads back the same, else a JSON array."""
    texts = [str(i) for i in items]
    plain = sep.strip() or sep
    if any(plain in t or "\n" in t or not t.strip() or t != t.strip() for t in texts) or (
        texts and texts[0].startswith("[")
    ):
        return json.dumps(texts, ensure_ascii=False)
    return sep.join(texts)


def _prevention_cell(items: list[dict]) -> str:
    if any("\n" in p["text"] or p["text"] != p["text"].strip() for p in items):
        return json.dumps(items, ensure_ascii=False)
    return "\n".join(("[x] " if p["done"] else "[ ] ") + p["text"] for p in items)


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Every column as the text the reader reads back (lists, durations, dates, times)."""
    out = frame.copy()
    for column in out.columns:
        col = out[column]
        if column in LIST_FIELDS:
            sep = "; " if column == "services" else "\n"
            out[column] = [_list_cell(v, sep) if v else None for v in col]
        elif column == "prevention":
            out[column] = [_prevention_cell(v) if v else None for v in col]
        elif pd.api.types.is_timedelta64_dtype(col.dtype):
            out[column] = [None if pd.isna(v) else f"{v.total_seconds():g}s" for v in col]
        elif str(col.dtype) == TIME_DTYPE:
            precise = bool((col.dt.microsecond != 0).any() or (col.dt.nanosecond != 0).any())
            out[column] = col.dt.strftime(
                "%Y-%m-%dT%H:%M:%S.%fZ" if precise else "%Y-%m-%dT%H:%M:%SZ"
            )
        elif str(col.dtype) == DATE_DTYPE:
            out[column] = col.dt.strftime("%Y-%m-%d")
    return out


def _json_ready(frame: pd.DataFrame) -> list[dict]:
    out = _as_text(frame)  # dates and durations as text; lists stay lists below
    for column in frame.columns:
        if column in LIST_FIELDS or column == "prevention":
            out[column] = frame[column]
    records = out.astype("object").where(out.notna(), None).to_dict("records")
    for r in records:
        for k, v in r.items():
            if isinstance(v, np.integer):
                r[k] = int(v)
            elif isinstance(v, np.floating):
                r[k] = float(v)
            elif isinstance(v, np.bool_):
                r[k] = bool(v)
    return records
