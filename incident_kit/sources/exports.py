"""What the incident-tool readers (``statuspage``, ``pagerduty``, ``opsgenie``) share.

A tool export is JSON as the tool's API returns it: a list of records (incidents, alerts,
log entries). Records are read one at a time with typed accessors, so one bad record costs
that record only: :class:`Export` turns its :class:`RecordError` into a located problem that
names the record's id (``statuspage record p31zjtct2jer: created_at 'soon' is not a
timestamp ...``) and goes on with the next. A value that only fills an optional field (a
title that is a number, components that are not a list) costs that field, with a warning.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from pathlib import Path

import pandas as pd

from .. import fields as F
from ..errors import Problem, SourceError
from ..model import Parts
from .base import ReadOptions

_JSON_STRING = re.compile(r'"((?:[^"\\\n]|\\.)*)"')
#: Event kinds whose time does not move any duration: a bad one costs the event only.
_MINOR_KINDS = ("update",)


class RecordError(SourceError):
    """One record of an export cannot be used: the reader skips it and reports why."""

    def __init__(self, field: str, value: object, reason: str):
        self.field, self.value, self.reason = field, value, reason
        super().__init__(f"{field} {_show(value)!r} {reason}")


def _show(value: object) -> str:
    """A value as the message quotes it: JSON for structures, short."""
    text = value if isinstance(value, str) else json.dumps(value, default=str, ensure_ascii=False)
    return text if len(text) <= 80 else text[:77] + "..."


def read_json(path: Path) -> object:
    """The parsed JSON of ``path``; SourceError (with line and column) when it is not JSON."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(f"{path}: is not UTF-8 text (byte {exc.start})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise SourceError(
            f"{path}: is not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})"
        ) from None
    except RecursionError:
        raise SourceError(f"{path}: is not valid JSON (nested too deeply)") from None


class Record:
    """One JSON object of an export, read through accessors that check the value's type.

    ``text``, ``obj``, ``items`` give the value or an empty one; a value of the wrong type
    becomes a warning on the export and reads as absent (it costs that field only).
    """

    def __init__(self, export: Export, raw: object, id_key: str = "id"):
        if not isinstance(raw, dict):
            raise RecordError("record", raw, "is not a JSON object")
        self.export, self.raw = export, raw
        rid = raw.get(id_key)
        if isinstance(rid, bool) or not isinstance(rid, (str, int)) or not str(rid).strip():
            raise RecordError(id_key, rid, "is missing or not an id")
        self.id = str(rid).strip()
        self.incident_id: str | None = None

    def get(self, key: str) -> object:
        return self.raw.get(key)

    def _wrong(self, key: str, value: object, expected: str) -> None:
        self.export.problem(self, key, value, f"is not {expected}; ignored", level="warning")

    def text(self, key: str) -> str | None:
        """A text field (numbers are written as text); None when absent or blank."""
        value = self.raw.get(key)
        if value is None:
            return None
        if isinstance(value, str):
            return value.strip() or None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)
        self._wrong(key, value, "text")
        return None

    def obj(self, key: str) -> dict:
        """A nested object; {} when absent or not an object."""
        value = self.raw.get(key)
        if value is None:
            return {}
        if isinstance(value, dict):
            return value
        self._wrong(key, value, "an object")
        return {}

    def items(self, key: str) -> list:
        """A list field; [] when absent or not a list."""
        value = self.raw.get(key)
        if value is None:
            return []
        if isinstance(value, list):
            return value
        self._wrong(key, value, "a list")
        return []

    def names(self, key: str, name_key: str = "name") -> list[str]:
        """The names in a list of objects (or of plain strings), blanks and others skipped."""
        out = []
        for item in self.items(key):
            name = item.get(name_key) if isinstance(item, dict) else item
            if isinstance(name, str) and name.strip() and name.strip() not in out:
                out.append(name.strip())
        return out


def text_of(obj: object, key: str) -> str | None:
    """``obj[key]`` as text when ``obj`` is an object and the value is text, else None."""
    value = obj.get(key) if isinstance(obj, dict) else None
    return value.strip() or None if isinstance(value, str) else None


class Export:
    """One export file being read: its records, their problems, what they produced."""

    def __init__(self, path: Path, tool: str, options: ReadOptions, data: object = None):
        self.path, self.tool, self.options = path, tool, options
        self.data = read_json(path) if data is None else data
        self.parts = Parts()
        self._lines: dict[str, int] | None = None

    def line_of(self, record_id: str) -> int | None:
        """The line where the record's id first appears as a JSON string in the file."""
        if self._lines is None:
            text = self.path.read_bytes().decode("utf-8-sig", errors="replace")
            self._lines, line, pos = {}, 1, 0
            for match in _JSON_STRING.finditer(text):
                line += text.count("\n", pos, match.start())
                pos = match.start()
                self._lines.setdefault(match.group(1), line)
        return self._lines.get(record_id)

    def problem(
        self,
        record: Record | str,
        field: str,
        value: object,
        reason: str,
        *,
        level: str = "error",
    ) -> None:
        rid = record.id if isinstance(record, Record) else record
        iid = record.incident_id if isinstance(record, Record) else None
        self.parts.problems.append(
            Problem(
                str(self.path),
                self.line_of(rid) if not rid.startswith("#") else None,
                field,
                _show(value) if value is not None else "",
                f"{self.tool} record {rid}: {field} {_show(value)!r} {reason}",
                iid,
                level,
            )
        )

    def each(
        self, raws: Iterable[object], read: Callable[[Record], None], id_key: str = "id"
    ) -> None:
        """``read`` every record; a RecordError skips that record with an error naming it."""
        parts = self.parts
        for n, raw in enumerate(raws, 1):
            record: Record | str = f"#{n}"
            kept = len(parts.incidents), len(parts.events)
            try:
                record = Record(self, raw, id_key)
                read(record)
            except RecordError as exc:
                # the record is skipped whole: nothing it added so far stays
                del parts.incidents[kept[0] :], parts.events[kept[1] :]
                self.problem(record, exc.field, exc.value, exc.reason)

    def time(self, record: Record, value: object, field: str, *, required: bool = False):
        """A tool timestamp in UTC (None when absent). A time without a zone takes
        ``default_tz`` with a warning; an unreadable one raises RecordError."""
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                raise RecordError(field, value or "", "is missing")
            return None
        if not isinstance(value, str):
            raise RecordError(field, value, "is not a timestamp (expected ISO 8601 text)")
        exact = _iso_with_offset(value)
        if exact is not None:
            return exact
        try:
            ts, note = F.parse_time(
                value, self.options.default_tz, tz_abbrev=self.options.tz_abbrev
            )
        except ValueError as exc:
            raise RecordError(field, value, str(exc)) from None
        if ts is None:  # a placeholder such as "[time]"
            if required:
                raise RecordError(field, value, "is missing")
            return None
        if note:  # no zone (default_tz), an ambiguous abbreviation, ...
            self.problem(record, field, value, note, level="warning")
        return ts

    def event(
        self,
        record: Record,
        when: object,
        kind: str,
        where: str,
        *,
        field: str | None = None,
        actor: str | None = None,
        role: str | None = None,
        description: str | None = None,
    ) -> None:
        """Add an event at ``when`` (text or a parsed time). An unreadable time costs the
        incident when the event is a milestone, the event only when it is an update."""
        try:
            ts = when if isinstance(when, pd.Timestamp) else self.time(record, when, field or kind)
        except RecordError as exc:
            if kind not in _MINOR_KINDS:
                raise
            self.problem(
                record, exc.field, exc.value, f"{exc.reason}; update left out", level="warning"
            )
            return
        if ts is None:
            return
        self.parts.events.append(
            {
                "incident_id": record.incident_id,
                "timestamp": ts,
                "kind": kind,
                "actor": actor,
                "role": role,
                "description": description,
                "source": f"{self.path}#{where}",
            }
        )

    def incident(self, record: Record, **fields: object) -> None:
        self.parts.incidents.append(
            {
                "incident_id": record.incident_id,
                **fields,
                "source_file": str(self.path),
                "source_line": self.line_of(record.id),
            }
        )


def _iso_with_offset(value: str) -> pd.Timestamp | None:
    """The common case of API timestamps, fast: ISO 8601 with its own offset, in UTC.
    Anything else (no offset, other forms) is left to ``fields.parse_time``."""
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if parsed.tzinfo is None or not 1900 <= parsed.year <= 2200:
        return None
    return pd.Timestamp(parsed).tz_convert("UTC")


def open_exports(
    paths: list[Path], tool: str, options: ReadOptions, parts: Parts
) -> Iterator[Export]:
    """An Export per file; a file that is not JSON is a problem in ``parts``, the rest go on."""
    for path in paths:
        try:
            yield Export(path, tool, options)
        except SourceError as exc:
            parts.problems.append(file_problem(path, exc, tool))


def severity_words(defaults: dict[str, str], options: ReadOptions, case=str.upper) -> dict:
    """A tool's severity words (priorities, impacts) -> P1..P4, the team's ``severity_map``
    over the tool's defaults, keys in the case the tool writes them."""
    return {**defaults, **{case(k): v for k, v in options.severity_map.items()}}


def tool_severity(
    export: Export,
    rec: Record,
    field: str,
    written: str,
    words: dict[str, str],
    fallback: tuple[str | None, str] = (None, "severity left unknown"),
) -> str | None:
    """The severity a record's word names: the tool's word (or the team's ``severity_map``),
    else the word as people write severities (PagerDuty's priority names are the team's own:
    ``SEV-1``, ``Critical``, ``P0``); a word nothing reads is a located warning and the
    fallback (a level and what the warning says of it: PagerDuty's urgency, or unknown)."""
    if not written:
        return fallback[0]
    if written in words:
        return words[written]
    try:
        level, note = F.read_severity(written)
    except ValueError:
        level, note = None, None
    if level is not None:
        if note:
            export.problem(rec, field, written, note, level="warning")
        return level
    export.problem(rec, field, written,
                   f"maps to no severity ({', '.join(words)}); {fallback[1]}", level="warning")  # fmt: skip
    return fallback[0]


def read_records(
    paths: list[Path],
    tool: str,
    options: ReadOptions,
    keys: tuple[str, ...],
    handle: Callable[[Export, Record], None],
) -> Parts:
    """Every record of every file (under the first of ``keys``) through ``handle``: a file
    that cannot be read costs that file, a record that cannot costs that record."""
    out = Parts()
    for export in open_exports(paths, tool, options, out):
        try:
            records = top_records(export.data, export.path, keys, tool)
        except SourceError as exc:
            out.problems.append(file_problem(export.path, exc, tool))
            continue
        export.each(records, lambda rec, e=export: handle(e, rec))
        out.extend(export.parts)
    return out


def file_problem(path: Path, exc: SourceError, tool: str) -> Problem:
    reason = str(exc).removeprefix(f"{path}: ")
    return Problem(str(path), None, "file", path.name, f"cannot be read as {tool}: {reason}")


def top_records(data: object, path: Path, keys: tuple[str, ...], tool: str) -> list:
    """The list of records in a payload: ``{key: [...]}`` for the first key present, a bare
    list, or one object; SourceError for any other shape."""
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        for key in keys:
            if key in data:
                value = data[key]
                if isinstance(value, list):
                    return value
                if isinstance(value, dict):
                    return [value]
                raise SourceError(f"{path}: {key!r} is not a list of {tool} records")
        return [data]
    raise SourceError(f"{path}: is not a {tool} export (a JSON object or list)")
