"""Source formats and ``load``: files in, one validated :class:`IncidentSet` out.

Formats live in a registry: each has a name, a ``sniff(path, head) -> bool`` that
recognises its files from name and content, and a ``read(paths, options) -> Parts`` that is
given the files of its format and the :class:`ReadOptions` of the ``load`` call.
Adding a format is one :func:`register_format` call.
"""

from __future__ import annotations

import contextlib
import gc
import os
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import numpy as np
import pandas as pd

from .. import cache
from ..errors import IncidentKitWarning, Problem, SourceError, UnknownNameError, ValidationError
from ..model import IncidentSet, Parts
from ..validate import validate
from . import mapped, markdown, opsgenie, pagerduty, statuspage, sync, tables  # noqa: F401  (sync: ik.sources.sync)
from .base import DATA_ERRORS, ReadOptions


@dataclass(frozen=True)
class SourceFormat:
    """A registered input format."""

    name: str
    description: str
    sniff: Callable[[Path, str], bool]
    read: Callable[..., Parts]


FORMATS: dict[str, SourceFormat] = {}
#: Files in a folder that are never incident data.
IGNORED = {"readme.md", "license.md", "changelog.md"}
#: A file in a folder listing sub-paths (one glob per line) that loading that folder skips.
IGNORE_FILE = ".incidentkitignore"


def register_format(fmt: SourceFormat) -> SourceFormat:
    """Add (or replace) a source format; formats registered later are sniffed first."""
    FORMATS[fmt.name] = fmt
    return fmt


register_format(
    SourceFormat(
        "markdown",
        "filled-in copies of the incident report template (.md)",
        markdown.sniff,
        markdown.read,
    )
)
register_format(
    SourceFormat(
        "mapped", "any CSV / JSON Lines export with a column mapping", mapped.sniff, mapped.read
    )
)
register_format(
    SourceFormat(
        "tables", "incidents/events/action_items as .csv or .jsonl", tables.sniff, tables.read
    )
)
for _tool in (statuspage, pagerduty, opsgenie):
    register_format(SourceFormat(_tool.NAME, _tool.DESCRIPTION, _tool.sniff, _tool.read))


def _named(paths: tuple) -> list[str | Path]:
    """The paths as given: several, or lists of them (``ik.load(glob.glob("*.md"))``)."""
    out = []
    for item in paths:
        if isinstance(item, str | os.PathLike):
            out.append(item)
        elif isinstance(item, Iterable):
            out += _named(tuple(item))
        else:
            raise SourceError(f"{item!r} is not a file or folder (a path or a list of paths)")
    return out


def _files(paths: tuple[str | Path, ...]) -> list[tuple[Path, bool]]:
    """Every file named or found under a folder, with whether it was named explicitly."""
    out: list[tuple[Path, bool]] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            skip = _ignore_patterns(path)
            for rel in sorted(_walk(path, ()), key=lambda parts: parts):
                if rel[-1].lower() in IGNORED:
                    continue
                if skip:
                    posix = "/".join(rel)
                    relpath = PurePosixPath(posix)
                    if any(relpath.match(p) or posix.startswith(p.rstrip("/") + "/") for p in skip):
                        continue
                out.append((path.joinpath(*rel), False))
        elif path.is_file():
            out.append((path, True))
        else:
            raise SourceError(f"{path}: no such file or folder")
    return out


def _walk(folder: Path, prefix: tuple[str, ...]) -> list[tuple[str, ...]]:
    """Relative paths (as parts) of the files under ``folder``, hidden ones left out; one
    ``scandir`` per folder (``rglob`` + ``is_file`` stat every file again)."""
    found: list[tuple[str, ...]] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return found
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            found += _walk(Path(entry.path), (*prefix, entry.name))
        elif entry.is_file():
            found.append((*prefix, entry.name))
    return found


def _ignore_patterns(folder: Path) -> list[str]:
    """Globs from ``folder/.incidentkitignore`` (e.g. ``tables/`` for a second copy of the data)."""
    file = folder / IGNORE_FILE
    if not file.is_file():
        return []
    lines = file.read_text(encoding="utf-8").splitlines()
    return [ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]


#: File types that are binary by design: detected from the name alone.
BINARY_SUFFIXES = (".parquet",)


def _head(path: Path) -> str:
    """The first few KiB as text; SourceError for files that are empty or not UTF-8."""
    if path.suffix.lower() in BINARY_SUFFIXES:
        return ""
    with path.open("rb") as file:
        data = file.read(65536)
    if not data.strip():
        raise SourceError(f"{path}: the file is empty")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(data) - 4:  # not just a character cut at the 64 KiB boundary
            raise SourceError(f"{path}: is not UTF-8 text (byte {exc.start})") from None
        return data[: exc.start].decode("utf-8")


def _empty_table(path: Path, format: str | None) -> bool:
    return format in (None, "tables") and tables.sniff(path, "") and path.stat().st_size == 0


def detect(path: Path, head: str | None = None) -> SourceFormat | None:
    """The format whose sniff accepts ``path`` (latest registered first), or None."""
    head = _head(path) if head is None else head
    for fmt in reversed(list(FORMATS.values())):
        if fmt.sniff(path, head):
            return fmt
    return None


def _known() -> str:
    return ", ".join(FORMATS)


def load(
    *paths: str | Path | Iterable[str | Path],
    default_tz: str = "UTC",
    tz_abbrev: dict[str, str] | None = None,
    strict: bool = False,
    format: str | None = None,
    mapping: dict | str | Path | None = None,
    severity_map: dict[str, str] | None = None,
    link: dict[str, str] | None = None,
) -> IncidentSet:
    """Load incident data from files and folders into one validated IncidentSet.

    Folders are read recursively; each file's format is detected from its name and content
    (or forced with ``format``). Problems are located (file:line, field, value): with
    ``strict=True`` any error raises one :class:`ValidationError` listing them all; by default
    the incidents with errors are left out and every problem is in ``iset.problems``.

    ``tz_abbrev`` maps zone abbreviations to zones over the defaults (``{"IST": "Asia/Kolkata"}``).
    ``mapping`` reads CSV / JSON Lines exports of other tools (see ``sources.mapped``);
    ``severity_map`` overrides how a tool's impact or priority becomes P1..P4
    (``{"minor": "P4"}``); ``link`` merges incidents of different tools into one
    (``{"PD-PT4KHLK": "SP-p31zjtct2jer"}``: the PagerDuty timeline joins the Statuspage one).
    An incident whose references name another incident's ID is merged into it too.

    >>> iset = ik.load("data")  # doctest: +SKIP
    """
    paths = tuple(_named(paths))
    if not paths:
        raise SourceError("load() needs at least one file or folder")
    if format is not None and format not in FORMATS:
        raise UnknownNameError(f"unknown format {format!r}; known formats: {_known()}")
    _check_options(default_tz, tz_abbrev, severity_map)
    options = ReadOptions(default_tz, dict(tz_abbrev or {}), dict(severity_map or {}), mapping)
    listed = _files(paths)
    key = _cache_key(listed, options, format, link)
    if key is not None:  # unchanged Markdown files: the validated set, without parsing again
        with _bulk():
            cached = cache.get(key)
        if isinstance(cached, IncidentSet):
            return _done(cached, strict)
    groups: dict[str, list[Path]] = {}
    problems: list[Problem] = []
    for path, explicit in listed:
        try:
            head = _head(path)
        except (SourceError, OSError) as exc:
            if not (isinstance(exc, SourceError) and _empty_table(path, format)):
                problems.append(
                    Problem(str(path), None, "file", path.name, str(exc).split(": ", 1)[-1])
                )
                continue
            head = ""  # an empty incidents/events/action_items table: no rows, no problem
        if format:
            fmt = FORMATS[format]
        elif mapping is not None and path.suffix.lower() in mapped.SUFFIXES:
            fmt = FORMATS["mapped"]
        else:
            fmt = detect(path, head)
        if fmt is None:
            if explicit:
                problems.append(
                    Problem(
                        str(path),
                        None,
                        "file",
                        path.name,
                        f"{path.name} is not in a known format ({_known()})",
                    )
                )
            continue
        groups.setdefault(fmt.name, []).append(path)
    with _bulk():
        iset = _load(groups, problems, options, link or {})
    if key is not None:
        cache.put(key, iset)
    return _done(iset, strict)


@contextlib.contextmanager
def _bulk():
    """No cyclic garbage collection while a load allocates millions of objects (none of them
    garbage): the collector would scan them again and again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _load(groups, problems, options, link) -> IncidentSet:
    parts = Parts()
    for name, files in groups.items():
        try:
            parts.extend(FORMATS[name].read(files, options))
        except DATA_ERRORS as exc:
            if isinstance(exc, (ValidationError, UnknownNameError)):
                raise  # a wrong argument (e.g. a mapping target), not wrong data
            first = files[0] if len(files) == 1 else files[0].parent
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            problems.append(
                Problem(str(first), None, "file", first.name, f"cannot be read as {name}: {reason}")
            )
    parts.problems = problems + parts.problems
    parts = merge_linked(parts, link)
    return validate(parts)


def _done(iset: IncidentSet, strict: bool) -> IncidentSet:
    _warn(iset.problems)
    if strict:
        errors = iset.problems[iset.problems["level"] == "error"]
        if len(errors):
            raise ValidationError([Problem(**r) for r in _records(errors)])
    return iset


def _cache_key(
    listed: list[tuple[Path, bool]], options: ReadOptions, format: str | None, link: dict | None
) -> str | None:
    """The content-hash cache key of a load of Markdown files only (see ``incident_kit.cache``),
    or None when the cache is off or another format takes part (some read files beside theirs)."""
    if cache.folder() is None or format not in (None, "markdown") or options.mapping is not None:
        return None
    if not listed or any(p.suffix.lower() not in markdown.SUFFIXES for p, _ in listed):
        return None
    try:
        data = [(p, p.read_bytes()) for p, _ in listed]
    except OSError:
        return None
    return cache.key(
        data,
        options.default_tz,
        sorted(options.tz_abbrev.items()),
        sorted(options.severity_map.items()),
        sorted((link or {}).items()),
    )


def merge_linked(parts: Parts, link: dict[str, str]) -> Parts:
    """Join incidents of different sources into one: by ``link`` ({source_id: target_id}) and
    where an incident's references name another incident's ID. Fields of the target win;
    the other fills what the target lacks; lists and timelines are joined.

    An ID that more than one record uses is never merged (which copy would be meant?): all
    its copies stay for validation to report as duplicates.
    """
    incidents = (
        parts.incidents
        if isinstance(parts.incidents, pd.DataFrame)
        else pd.DataFrame(parts.incidents)
    )
    if incidents.empty or "incident_id" not in incidents:
        return parts
    id_column = incidents["incident_id"]
    repeated = set(id_column[id_column.duplicated()])
    ids = set(id_column) - repeated
    link = {k: v for k, v in link.items() if k in ids and v in ids and k != v}
    if "references" in incidents:
        link = {**_linked_by_reference(incidents, ids), **link}
    if not link:
        return parts
    link = _resolve_chains(link)
    records = incidents.to_dict("records")
    by_id = {r["incident_id"]: r for r in records if r["incident_id"] in ids}
    for source, target in link.items():
        src, dst = by_id[source], by_id[target]
        for key, value in src.items():
            current = dst.get(key)
            if isinstance(current, list) or isinstance(value, list):
                merged = list(current) if isinstance(current, list) else []
                merged += [v for v in (value if isinstance(value, list) else []) if v not in merged]
                dst[key] = merged
            elif current is None or (not isinstance(current, str) and pd.isna(current)):
                dst[key] = value
    records = [r for r in records if r["incident_id"] not in link]

    def rename(frame):
        frame = frame if isinstance(frame, pd.DataFrame) else pd.DataFrame(frame)
        if frame.empty:
            return frame
        return frame.assign(incident_id=frame["incident_id"].replace(link))

    events = rename(parts.events)
    if not events.empty:
        events = events.drop_duplicates(["incident_id", "timestamp", "kind", "description"])
    return Parts(
        records,
        events,
        rename(parts.action_items),
        [
            Problem(
                p.file,
                p.line,
                p.field,
                p.value,
                p.message,
                link.get(p.incident_id, p.incident_id),
                p.level,
            )
            for p in parts.problems
        ],
    )


def _linked_by_reference(incidents: pd.DataFrame, ids: set[str]) -> dict[str, str]:
    """{other_id: referring_id} where a reference names another incident: its exact ID, or a
    URL ending in the ID's part after the tool prefix (``.../incidents/PT4KHLK``)."""
    found: dict[str, str] = {}
    refs = incidents["references"]
    has = np.fromiter((type(v) is list and len(v) > 0 for v in refs.to_numpy()), bool, len(refs))
    if not has.any():
        return found
    by_suffix: dict[str, set[str]] = {}
    for iid in ids:
        by_suffix.setdefault(str(iid).split("-", 1)[-1], set()).add(iid)
    for iid, values in zip(incidents["incident_id"][has], refs[has], strict=True):
        if iid not in ids:
            continue
        for ref in values:
            text = str(ref).strip()
            if text in ids:
                named = {text}
            elif "/" in text:
                named = by_suffix.get(text.rsplit("/", 1)[-1], set())
            else:
                named = set()
            for other in sorted(named - {iid}):
                found.setdefault(other, iid)
    return found


def _resolve_chains(link: dict[str, str]) -> dict[str, str]:
    """Each source to its final target (A->B, B->C gives A->C and B->C); cycles dropped."""
    out = {}
    for source in link:
        target, seen = link[source], {source}
        while target in link and target not in seen:
            seen.add(target)
            target = link[target]
        if target not in seen:
            out[source] = target
    return out


def _check_options(default_tz: str, tz_abbrev: dict | None, severity_map: dict | None) -> None:
    """Options name real zones and severities: a typo is one error before any file is read,
    not a warning on every value it touches (or none, when no value uses it)."""
    from ..fields import check_zone
    from ..model import SEVERITIES

    check_zone(default_tz, "default_tz")
    for abbrev, name in (tz_abbrev or {}).items():
        check_zone(name, f"tz_abbrev {abbrev}")
    for word, level in (severity_map or {}).items():
        if str(level).strip().upper() not in SEVERITIES:
            raise UnknownNameError(
                f"severity_map: {word!r} maps to {level!r}, which is not one of "
                f"{', '.join(SEVERITIES)}"
            )


def _records(frame: pd.DataFrame) -> list[dict]:
    rows = frame.astype("object").where(frame.notna(), None).to_dict("records")
    for row in rows:
        row["line"] = int(row["line"]) if row["line"] is not None else None
    return rows


def _warn(problems: pd.DataFrame) -> None:
    notes = problems[problems["level"] == "warning"]
    if len(notes):
        first = Problem(**_records(notes.head(1))[0])
        more = f" (and {len(notes) - 1} more warnings in iset.problems)" if len(notes) > 1 else ""
        warnings.warn(f"{first}{more}", IncidentKitWarning, stacklevel=3)


__all__ = ["FORMATS", "ReadOptions", "SourceFormat", "detect", "load", "register_format"]
