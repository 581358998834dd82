"""Incident reports written as filled-in copies of the Markdown report template.

Reading is one pass over pulldown-cmark's CommonMark event stream (``pyromark``): the events
give the document's blocks (headings, paragraphs, list items, tables, code) with their byte
ranges, so every value keeps its line and every narrative keeps the author's Markdown as
written (code blocks, tables, links). Headings are matched against :mod:`incident_kit.vocab`
(any level, case, emoji, trailing colon, other common titles); labelled lines (``**Severity**:
P2``, ``Severity: P2``, ``**Severity:** P2``) fill fields; sections the template does not have
are kept whole in ``extra_sections``, and text inside a known section with no field of its own
in ``notes``.

Values are collected first and parsed column-wise once per ``read`` call (all timestamps of all
files in one vectorized :func:`incident_kit.fields.read_times`), so a portfolio of thousands of
reports costs little more than tokenizing it. What a single block or line says is read in
``markdown_lines``; writing is in ``markdown_write``, import sync in ``sync``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .. import fields as F
from .. import vocab as V
from ..errors import Problem
from ..model import KINDS, MILESTONES, Parts
from .base import ReadOptions
from .markdown_lines import (
    BOXED_TIME,
    BULLET,
    BY_WHOM,
    ID_IN_TITLE,
    ITEM_TEXT,
    MILESTONE_LEAD,
    T_OFFSET,
    T_ZERO,
    TIME_FIRST,
    TIME_FIRST_SPLIT,
    TIMEISH,
    ZONE_NOTE,
    Block,
    bare,
    blocks,
    by_or_to,
    checkbox,
    clock_then_words,
    field_pieces,
    grid_rows,
    header_column,
    heading_text,
    item_body,
    label_of,
    label_then_value,
    name_and_role,
    named_party,
    only_time,
    paged_role,
    plain,
    plain_cell,
    plain_keep_links,
    section_key,
    sent,
    split_item,
    split_line,
    time_aside,
    unescaped,
    who,
    without_emoji,
    without_prefix,
    zone_hint,
)

SYNC_MARK = "<!-- incident-kit"  # import sync's own comment (see sources.sync): not narrative


# --- the reader ------------------------------------------------------------------------------
@dataclass
class _Time:
    """A timestamp waiting to be parsed with all others of the ``read`` call."""

    text: str
    line: int
    field: str
    event: dict | None  # the event it dates (None: a date field)
    order: int = 0  # 0: timeline line, 1: detailed-timeline row
    hint: str | None = None  # zone named in a table header, e.g. "Time (GMT)"


@dataclass
class _Date:
    text: str
    line: int
    field: str
    target: dict
    key: str


def _who_from_words(event: dict) -> None:
    """Who and to whom written as words with no ``by``/``to``: ``Escalated — paged DB team``
    (the role; the words stay the description), ``Detected — Pingdom`` (the actor)."""
    if event["kind"] == "escalated" and event["role"] is None:
        event["role"] = paged_role(event["description"])
    named = event["kind"] in ("detected", "acknowledged") and event["actor"] is None
    if named and event["role"] is None and (name := named_party(event["description"])):
        event["actor"], event["description"] = name, None


#: A severity legend's pairs (``🟠 Amber = P2``, ``Red -> SEV1``).
_LEGEND = re.compile(r"([A-Za-z][\w-]{1,15})\s*(?:=|->|→)\s*(P[1-4]|SEV[- ]?[1-4]|S[1-4])\b", re.I)
#: A full date in brackets in the title (``Search brownout (Tue 3/10/2026)``).
_TITLE_DATE = re.compile(r"\(([^()]*\d{4}[^()]*)\)")
_ID_ASIDE = re.compile(r"^(\S+)\s+(?:[(\[]|[—–]\s).*$")
_CODE_FIRST = re.compile(r"^`([^`\n]{1,40})`(.*)$", re.S)
_ITEM_STATE = ("status", "state", "done", "complete")
_ITEM_HORIZON = ("horizon", "when", "priority", "term")


def _item_header(cell: str) -> str:
    """An action-item table's column name; a bilingual one (``担当 / Owner``) by the side
    the vocabulary knows."""
    key = V.norm(cell)
    known = (*ITEM_TEXT, *V.OWNER_WORDS, *V.DUE_WORDS, *_ITEM_STATE, *_ITEM_HORIZON)
    if key in known or "/" not in cell:
        return key
    return next((side for p in cell.split("/") if (side := V.norm(p)) in known), key)


@dataclass
class _Place:
    """Where the reader is in a report: the section and part a block belongs to, the
    action-item horizon, or the author's own section (``extra``) it is kept in whole."""

    section: str | None = None  # None: before the first section
    section_level: int = 0
    section_title: str = ""
    part: str | None = None
    part_level: int = 0
    horizon: str | None = None
    extra: list[str] | None = None
    extra_level: int = 0
    note_title: str | None = None
    after_rule: bool = False
    title_seen: bool = False

    def enter(self, section: str | None, level: int, title: str) -> None:
        """A new section: nothing of the last one's part, horizon or notes carries over."""
        self.section, self.section_level, self.section_title = section, level, title
        self.part = self.horizon = self.extra = self.note_title = None


class _Report:
    """One Markdown file -> records, with values left for the column-wise parse."""

    def __init__(self, path: Path, text: str, options: ReadOptions):
        self.path, self.text, self.options = path, text, options
        self.file = str(path)
        self.ascii = text.isascii()
        self.data = text if self.ascii else text.encode("utf-8")
        self._nl = "\n" if self.ascii else b"\n"
        self._at = (0, 1)  # (offset, its line): blocks come in order, so lines are counted once
        self.inc: dict = {}
        self.events: list[dict] = []
        self.items: list[dict] = []
        self.problems: list[Problem] = []
        self.times: list[_Time] = []
        self.dates: list[_Date] = []
        self.notes: list[tuple[str, list[str]]] = []
        self.extra: list[list[str]] = []
        self.summary: list[str] = []
        self.narrative: dict[str, list[str]] = {}
        self.zone_note: tuple[int, str] | None = None
        self.day: dt.date | None = None  # the incident's date, when written on its own
        self.hint: str | None = None  # a zone named in the Timeline heading
        self.t0: str | None = None  # "T0 = 2026-09-22 03:40 UTC": what T+6m counts from
        self.known = 0
        self.id_line: int | None = None
        self.fields_seen: set[str] = set()  # the template's fields met so far

    # -- positions and text -----------------------------------------------------------------
    def line(self, offset: int) -> int:
        """The 1-based line of a byte offset (counted on from the last offset asked for)."""
        at, line = self._at
        if offset < at:
            at, line = 0, 1
        line += self.data.count(self._nl, at, offset)
        self._at = (offset, line)
        return line

    def src(self, start: int, end: int) -> str:
        piece = self.data[start:end]
        return (piece if self.ascii else piece.decode("utf-8", "replace")).strip("\n")

    def problem(self, line, field, value, reason, level="warning"):
        self.problems.append(
            Problem(
                self.file, line, field, str(value), f"{field} {str(value)!r} {reason}", None, level
            )
        )

    # -- the walk -----------------------------------------------------------------------------
    def read(self) -> None:
        """One pass over the blocks: headings move the place (section, part, horizon, an
        extra section of the author's own); every other block is read at that place."""
        at = _Place()
        for b in self._headings_as_written(blocks(self.text)):
            if b.kind == "heading":
                self._heading(at, b)
                continue
            if b.kind == "rule":
                at.after_rule = True
                continue
            if b.kind == "html" and self.src(b.start, b.end).lstrip().startswith(SYNC_MARK):
                continue
            dated = at.section in (None, "summary", "timeline") and not at.after_rule
            if b.kind == "para" and (at.extra is None or at.after_rule) and self._footer(b, dated):
                continue
            if b.kind == "table" and at.after_rule and self._field_table(b):
                continue  # the template's footer as a table (Confluence)
            if at.extra is not None:
                self._fields_in_extra(b)
                at.extra.append(self.src(b.start, b.end))
                continue
            self._block(b, at.section, at.section_title, at.part, at.horizon, at.note_title)
        self._finish_text()

    def _by_legend(self, text: str) -> tuple[str | None, str | None]:
        """A severity in the report's own words, read by the legend the report gives for them
        (``🔴 Red = P1 · 🟠 Amber = P2``): ``(level, note)``, or ``(None, None)``."""
        legend = {V.norm(w): lv for w, lv in _LEGEND.findall(self.text)}
        word = V.norm(text)
        key = next((k for k in legend if k and (k == word or k in word.split())), None)
        if key is None:
            return None, None
        level = F.parse_severity(legend[key])
        return level, f"read as {level} by the report's own legend ({key} = {legend[key]})"

    def _heading(self, at: _Place, b: Block) -> None:
        """Where a heading puts what follows: the report's title (a first heading that names
        no section), a template section or part, an action-item horizon, a sub-heading kept
        as a note inside a known section, or an extra section kept whole."""
        raw = self.src(b.start, b.end)
        title = b.title or heading_text(raw)
        lvl = b.level
        at.after_rule = False
        key = section_key(title)
        first = not at.title_seen and key is None and at.section is None
        if first and V.part_anywhere(bare(title)) is None:
            at.title_seen = True
            self._title(title, self.line(b.start))
            return
        at.title_seen = True
        inside = at.section is not None and lvl > at.section_level
        if at.extra is not None and lvl > at.extra_level and key is None:
            at.extra.append(raw)
            return
        col = V.part_column(at.section, bare(title)) if inside else None
        hz = V.horizon_name(title) if inside and at.section == "action_items" else None
        if col is not None:
            at.part, at.part_level, at.extra, at.note_title = col, lvl, None, None
        elif hz is not None:
            at.horizon, at.extra, at.note_title = hz, None, None
        elif key is not None:
            at.enter(key, lvl, title)
            self.known += 1
            if key == "timeline":  # "## Timeline (UTC)": the zone of its times
                self.hint = zone_hint(title)
        elif (pa := V.part_anywhere(bare(title))) is not None and (
            not inside or pa[0] != at.section
        ):
            at.enter(pa[0], lvl, title)
            at.part, at.part_level = pa[1], lvl
            self.known += 1
        elif inside and at.part in V.TEXT_PARTS and lvl > at.part_level:
            self.narrative.setdefault(at.part, []).append(raw)
        elif inside:  # a sub-heading the template does not have, inside a known section
            if at.section == "action_items":
                at.horizon = None
            at.part, at.extra, at.note_title = None, None, raw
        else:
            at.enter(None, 0, "")
            at.extra, at.extra_level = [raw], lvl
            self.extra.append(at.extra)

    def _headings_as_written(self, found: list[Block]) -> list[Block]:
        """Headings people write without ``#``: a line alone in bold or with a colon
        (``**Timeline**``, ``Root cause:``), or ``1. Timeline`` underlined with dashes (a list
        item and a rule to CommonMark), when it names a template section or part."""
        out: list[Block] = []
        skip = False
        for i, b in enumerate(found):
            if skip:
                skip = False
                continue
            text = None
            if b.kind == "para" and b.end - b.start < 80:
                line = self.src(b.start, b.end).strip()
                if "\n" not in line and (
                    (line.startswith(("**", "__")) and line.endswith(("**", "__", "**:", "__:")))
                    or line.endswith(":")
                ):
                    text = plain(line).rstrip(":").strip()
            elif (
                b.kind == "list"
                and len(b.items) == 1
                and i + 1 < len(found)
                and found[i + 1].kind == "rule"
            ):
                text = item_body(self.src(b.start, b.end))
                skip = True
            if text is not None:
                if section_key(text) or V.part_anywhere(bare(text)):
                    out.append(Block("heading", b.start, b.end, 2, title=text))
                    continue
                skip = False
            out.append(b)
        return out

    def _title(self, title: str, line: int) -> None:
        text = plain(title)
        if text and not V.is_placeholder(text) and V.norm(text) != V.norm(V.TEMPLATE_TITLE):
            self.inc["title"] = without_prefix(without_emoji(title.strip()))
            self.inc.setdefault("_title_line", line)
            dated = _TITLE_DATE.search(text)  # "Search brownout (Tue 3/10/2026)": its day
            if dated and self.day is None:
                with contextlib.suppress(ValueError):
                    self.day = F.parse_date(dated.group(1)).date()

    def _footer(self, b: Block, dated: bool) -> bool:
        """A paragraph whose every line is a field label (the template's footer, a summary
        written as plain lines). ``dated``: a ``Date`` here is the incident's date (above the
        timeline), not the report's."""
        lines = list(self._lines(b))
        found = [label_of(text) for _, text, _ in lines]
        if not all(f is not None and V.field_key(f[0]) for f in found):
            return False
        for (line, _, _), (label, value) in zip(lines, found, strict=True):
            if dated and V.norm(label) in V.INCIDENT_DATE_LABELS:
                self._incident_date(line, value)
            else:
                self._field(line, label, value)
        return True

    # -- one block of a known section ----------------------------------------------------------
    def _block(self, b, section, section_title, part, horizon, note_title) -> None:
        if section is None or section == "summary":
            self._summary(b)
        elif section == "timeline":
            self._timeline(b, part, section_title, note_title)
        elif section in ("impact", "team"):
            self._labelled(b, section_title, note_title, section)
        elif section in ("root_cause", "actions_taken", "lessons"):
            self._narrative(b, section, section_title, part, note_title)
        elif section == "action_items":
            self._action_items(b, horizon, section_title, note_title)
        elif section == "prevention":
            self._prevention(b, section_title, note_title)
        elif section == "communication":
            self._communication(b, section_title, note_title)
        elif section == "references":
            self._references(b)

    def _lines(self, b: Block):
        """``(line number, text, item range or None)`` of each source line of a paragraph, or
        of each list item's first line."""
        if b.kind == "list":
            for start, end in b.items:
                line = self.line(start)
                for piece in field_pieces(label_then_value(self.src(start, end))):
                    yield line, piece, (start, end)
            return
        first = self.line(b.start)
        for offset, text in enumerate(self.src(b.start, b.end).split("\n")):
            for piece in field_pieces(text):
                yield first + offset, piece, None

    def _field_table(self, b: Block, dated: bool = False) -> bool:
        """A two-column table of labels and values (``| Severity | P2 |``)."""
        rows = [
            (self.line(start), [self.src(s, e).strip() for s, e in cells])
            for start, cells in b.items
        ]
        known = [
            (line, cells)
            for line, cells in rows
            if len(cells) >= 2 and V.field_key(plain(cells[0]))
        ]
        if not known or len(known) < (len(rows) - 1) / 2:
            return False
        for line, cells in known:
            if dated and V.norm(plain(cells[0])) in V.INCIDENT_DATE_LABELS:
                self._incident_date(line, cells[1])
            else:
                self._field(line, plain(cells[0]), cells[1].replace("\\|", "|"))
        return True

    def _summary(self, b: Block) -> None:
        if b.kind == "table" and self._field_table(b, dated=True):
            return
        if b.kind not in ("para", "list"):
            self.summary.append(self.src(b.start, b.end))
            return
        loose: list[str] = []
        for line, text, _ in self._lines(b):
            found = label_of(text)
            if found and V.norm(found[0]) in V.INCIDENT_DATE_LABELS:
                self._incident_date(line, found[1])
            elif found and V.field_key(found[0]):
                self._field(line, *found)
            elif found and V.milestone_kind(found[0], in_timeline=False):
                self._milestone(line, *found)
            else:
                loose.append(text)
        if loose and b.kind == "para":
            self.summary.append("\n".join(loose).strip())
        elif loose:
            self.summary.append(self.src(b.start, b.end))

    def _note(self, section_title: str, note_title: str | None, text: str) -> None:
        head = note_title or f"## {section_title}"
        if self.notes and self.notes[-1][0] == head:
            self.notes[-1][1].append(text)
        else:
            self.notes.append((head, [text]))

    def _unplaced(self, line: int, where: str, text: str, why: str) -> None:
        snippet = " ".join(text.split())
        snippet = snippet if len(snippet) <= 60 else snippet[:57] + "..."
        self.problems.append(
            Problem(
                self.file, line, where, snippet,
                f"{where}: {snippet!r} {why}; kept as a note", None, "warning",
            )
        )  # fmt: skip

    def _timeline(self, b, part, section_title, note_title) -> None:
        if b.kind == "table":
            self._table(b)
            return
        if b.kind == "code":  # kept as written; a timeline typed in it is read too
            self._note(section_title, note_title, self.src(b.start, b.end))
            self._code_timeline(b)
            return
        if b.kind == "list":
            for start, end in b.items:
                line = self.line(start)
                text = self.src(start, end)
                first = text.split("\n", 1)[0]
                found = label_of(first)
                body = item_body(first)
                if found and V.milestone_kind(found[0]):
                    self._milestone(line, *found)
                elif found and V.norm(found[0]) in V.INCIDENT_DATE_LABELS:
                    self._incident_date(line, found[1])
                elif found and V.field_key(found[0]):
                    self._field(line, *found)
                elif found and (kind := self._typo(line, found[0])):
                    self._milestone(line, V.MILESTONE_LABELS[kind], found[1])
                elif found and TIMEISH.search(found[1]) and self._labelled_update(line, *found):
                    pass
                elif not self._time_first(line, body):
                    self._note(section_title, note_title, text)
                    if not V.is_placeholder(body):
                        self._unplaced(line, "Timeline", body, "has no milestone label or time")
            return
        if b.kind == "para":
            text = self.src(b.start, b.end)
            grid = grid_rows(text, self.line(b.start))
            if grid:  # a pandoc grid table (Word, Google Docs exports)
                self._table_rows(grid, text)
                return
            labelled = [(ln, label_of(t)) for ln, t, _ in self._lines(b)]
            if all(f and (V.milestone_kind(f[0]) or V.field_key(f[0])) for _, f in labelled):
                for ln, (label, value) in labelled:
                    if V.milestone_kind(label):
                        self._milestone(ln, label, value)
                    elif V.norm(label) in V.INCIDENT_DATE_LABELS:
                        self._incident_date(ln, value)
                    else:
                        self._field(ln, label, value)
                return
            self._zone_note(self.line(b.start), text)
            m = T_ZERO.search(plain(text))
            if m and self.t0 is None:
                self.t0 = m.group("t")
            rest = [t for ln, t, _ in self._lines(b) if not self._time_first(ln, t.strip())]
            if rest:  # lines that are not "14:05 UTC - what happened": a note
                self._note(section_title, note_title, "\n".join(rest))
            return
        self._note(section_title, note_title, self.src(b.start, b.end))

    def _code_timeline(self, b: Block) -> None:
        """A timeline pasted as a code block (every line starts with a time or ``T+6m``):
        each line an event, as the time-first lines of a list are read."""
        first = self.line(b.start) + 1  # the fence's line
        lines = self.src(b.start, b.end).split("\n")[1:-1]
        written = [(first + i, ln.strip()) for i, ln in enumerate(lines) if ln.strip()]
        if len(written) < 2 or not all(TIME_FIRST.match(t) for _, t in written):
            return
        for line, text in written:
            self._time_first(line, text)

    def _fields_in_extra(self, b: Block) -> None:
        """The template's labelled lines under a heading it does not have (``## What went
        down`` with ``**Severity**: SEV1``): read as a person reads them, where nothing before
        gave that field or milestone. The block stays in its section as written."""
        if b.kind not in ("para", "list"):
            return
        have = {t.event["kind"] for t in self.times}
        for line, text, _ in self._lines(b):
            found = label_of(text)
            if not found:
                continue
            column = V.field_key(found[0])
            kind = V.milestone_kind(found[0], in_timeline=False)
            if column and column not in self.fields_seen:
                self._field(line, *found)
            elif column is None and kind and kind not in have:
                self._milestone(line, *found)

    def _typo(self, line: int, label: str) -> str | None:
        """The milestone a mistyped label on a timeline line names, when no line before named
        it (``**Detcted**:`` -> detected), with a warning on the line."""
        kind = V.milestone_typo(plain(label))
        if kind is None or any(t.event["kind"] == kind for t in self.times):
            return None
        title = V.MILESTONE_LABELS[kind]
        self.problem(line, "Timeline", plain(label), f"is read as {title}")
        return kind

    def _zone_note(self, line: int, text: str) -> None:
        """``All times below are Pacific time``: the zone of the times that name none, as a
        careful reader takes it (unless the Timeline heading named one); kept for the
        warning of a time read in the default zone."""
        m = ZONE_NOTE.search(text)
        if m is None or self.zone_note is not None:
            return
        self.zone_note = (line, m.group("zone"))
        tail = re.split(r"\)|\.\s", text[m.start() : m.start() + 60])[0]  # "times Pacific time"
        named = V.zone_named(tail[len(m.group(0)) - len(m.group("zone")) :])
        if named and self.hint is None:
            self.hint = named

    def _incident_date(self, line: int, value: str) -> None:
        """``Date: March 4, 2026`` above the timeline: the day of times written alone (and
        the zone of an aside, ``(all times Pacific time)``)."""
        text = plain(value)
        if V.is_unknown(text):
            return
        if "(" in text:
            self._zone_note(line, text)
            text = re.sub(r"\s*\([^)]*\)", "", text)
        try:
            self.day = F.parse_date(text).date()
        except ValueError as exc:
            self.problem(line, "Date", text, f"{exc}; times written alone need a date")

    def _labelled_update(self, line: int, label: str, value: str) -> bool:
        """``- **Rollback started**: 14:20 UTC by Bob``: an update described by its label."""
        when, actor, role, description = split_line(plain(value))
        text = plain(label) + (f": {description}" if description else "")
        self._event(line, "Timeline", when, {"kind": "update", "actor": actor, "role": role,
                                             "description": text}, order=0)  # fmt: skip
        return True

    def _time_first(self, line: int, text: str) -> bool:
        """``14:05 UTC - paged the on-call`` / ``**14:05 UTC** paged``: an event, a milestone
        when the words after the time start with one (``14:05 UTC — Detected by PagerDuty``)."""
        if text.startswith("`") and (code := _CODE_FIRST.match(text)):
            text = code.group(1) + code.group(2)  # "`+0:06` — Detected": the time unquoted
        boxed = BOXED_TIME.match(text)  # "[14:07:30 UTC] **Acknowledged** by Nadia"
        if boxed and TIME_FIRST.match(boxed.group("t")):
            when, rest = boxed.group("t"), plain(boxed.group("rest")) or None
        elif not TIME_FIRST.match(text):
            return False
        else:
            m = TIME_FIRST_SPLIT.match(text)
            if m is None or not only_time(m.group("t")):  # "00:52 done; queued - mitigated"
                m = clock_then_words(text) or m
            when, rest = (m.group("t"), plain(m.group("rest"))) if m else (text, None)
            rest = rest.lstrip("-–—:| ") if rest else rest
        event = {"kind": "update", "description": rest or None}
        lead = MILESTONE_LEAD.match(rest or "")
        kind = V.milestone_kind(lead.group(1)) if lead else None
        named = V.milestone_named(rest) if rest and kind is None else None
        if kind is not None:
            after = rest[lead.end(1) :].strip()
            actor, role = by_or_to(after)
            if actor is None and role is None:  # "Mitigated: rolled back to v6": what was done
                description = after.lstrip(":-–— ").strip() or None
            else:
                description = split_line("x " + after)[3]
            event = {"kind": kind, "actor": actor, "role": role, "description": description}
        elif named is not None:  # "14:05 — alert fired, on-call acknowledged": the words kept
            kind = named[0]
            actor, role = by_or_to(named[1])
            event = {"kind": kind, "actor": actor, "role": role, "description": rest}
        elif rest and V.names_communication(rest):  # "14:20 status page updated"
            event["kind"] = "communication"
        field = V.MILESTONE_LABELS[kind] if kind is not None else "Timeline"
        self._event(line, field, plain(when), event, order=0)
        return True

    def _milestone(self, line: int, label: str, value: str) -> None:
        kind = V.milestone_kind(label)
        when, actor, role, description = split_line(plain_keep_links(value))
        if actor is None and role is None and description is None:
            when, description = time_aside(when)  # "07:05 UTC (CloudWatch alarm)": kept
        if V.is_placeholder(when) or V.is_unknown(when):
            return
        if V.not_yet(when):  # "Resolved: still monitoring": no time, the words kept
            self._note("Timeline", None, f"{label}: {value}")
            return
        event = {"kind": kind, "actor": actor, "role": role, "description": description}
        self._event(line, V.MILESTONE_LABELS[kind], when, event, order=0)

    def _event(self, line, field, when, event, order, hint=None) -> None:
        hint = hint or self.hint
        event.setdefault("actor", None)
        event.setdefault("role", None)
        event.setdefault("description", None)
        _who_from_words(event)
        event["source"] = f"{self.file}:{line}"
        self.times.append(_Time(when.strip(), line, field, event, order, hint))

    def _table(self, b: Block) -> None:
        rows = [
            (self.line(start), [plain_cell(self.src(s, e)) for s, e in cells])
            for start, cells in b.items
        ]
        self._table_rows(rows, self.src(b.start, b.end))

    def _table_rows(self, rows: list[tuple[int, list[str]]], written: str) -> None:
        """Timeline table rows ``(line, cells)``, the header first, as events."""
        if not rows:
            return
        header = [V.norm(h) for h in rows[0][1]]
        names = [header_column(h) for h in header]
        hints = (zone_hint(h) for h in rows[0][1] if header_column(V.norm(h)) == "timestamp")
        hint = next((h for h in hints if h), None)  # | Date | Time (UTC) |
        if "timestamp" not in names:
            self.problem(rows[0][0], "Detailed Timeline", " | ".join(rows[0][1]),
                         "has no time column (expected e.g. time | kind | actor | description); "
                         "its rows are kept as a note", "warning")  # fmt: skip
            self._note("Timeline", "### Detailed Timeline", written)
            return
        has_description = "description" in names
        for line, cells in rows[1:]:
            rec: dict[str, str] = {}
            for name, cell in zip(names, cells, strict=False):
                if name == "timestamp" and cell and "timestamp" in rec:
                    rec["timestamp"] += f" {cell}"  # | Date | Time (UTC) |: one time
                elif name and cell and name not in rec:
                    rec[name] = cell
            if all(V.is_placeholder(c) for c in cells):
                continue
            when = rec.get("timestamp", "")
            if V.is_placeholder(when) or V.is_unknown(when):
                self.problem(line, "time", when, "is missing: the row is not an event")
                self._note("Timeline", "### Detailed Timeline", " | ".join(cells))
                continue
            read = self._row_kind(line, rec, has_description)
            if "who_or_to" in rec:  # "| Escalated | ... | Data Platform on-call |": the role
                rec.setdefault("role" if read["kind"] == "escalated" else "actor", rec["who_or_to"])
            description = read["description"]
            actor = rec.get("actor") or read.get("actor")
            by = BY_WHOM.match(description or "") if actor is None else None
            if by:  # "| 09:12 | Acknowledged | by Jonas |"
                actor, description = by.group(1), None
            event = {
                "kind": read["kind"],
                "actor": who(actor),
                "role": who(rec.get("role")) or read.get("role"),
                "description": description,
            }
            self._event(line, "time", when, event, order=1, hint=hint)

    def _row_kind(self, line: int, rec: dict, has_description: bool) -> dict:
        """A row's event kind, description and who: an ``Event`` column is the kind when the
        table has a description column, else the description; either may name a milestone in
        words (``Alert fired - detected``, ``Escalated to Platform on-call``)."""
        description = rec.get("description")
        if "kind" in rec or ("event_or_description" in rec and has_description):
            word = rec.get("kind") or rec["event_or_description"]
            kind = V.kind_name(word)
            if kind is not None:
                return {"kind": kind, "description": description}
            named = V.milestone_named(word)
            if named is None:
                self.problem(line, "kind", word, f"is not an event kind (expected one of "
                             f"{', '.join(KINDS)}); read as an update")  # fmt: skip
                return {"kind": "update", "description": description or word}
            text = word if description is None else f"{word}: {description}"
        else:
            text = rec.get("event_or_description")
            if text is None:  # | Time | Description |: its words may name a milestone
                named = V.milestone_named(description or "")
                if named is None:
                    return {"kind": "update", "description": description}
                text = description
            kind = V.kind_name(text)
            if kind in MILESTONES:
                return {"kind": kind, "description": description}
            named = V.milestone_named(text)
            if named is None:
                said = "communication" if V.names_communication(text) else "update"
                return {"kind": kind or said, "description": text}
        actor, role = by_or_to(named[1])
        return {"kind": named[0], "description": text, "actor": actor, "role": role}

    def _labelled(self, b, section_title, note_title, section) -> None:
        if b.kind == "table" and self._field_table(b):
            return
        if b.kind not in ("para", "list"):
            self._note(section_title, note_title, self.src(b.start, b.end))
            return
        loose = []
        for line, text, rng in self._lines(b):
            found = label_of(text)
            if section == "team" and not (found and V.field_key(found[0])):
                found = name_and_role(item_body(text) if rng else text) or found
            if found and V.field_key(found[0]):
                self._field(line, *found)
            elif rng is None:
                loose.append(text)
            else:
                body = item_body(self.src(*rng))
                if not V.is_placeholder(body):
                    self._note(section_title, note_title, self.src(*rng))
                    self._unplaced(
                        line, bare(section_title), body, "is not a field of the template"
                    )
        if loose:
            self._note(section_title, note_title, "\n".join(loose))

    def _narrative(self, b, section, section_title, part, note_title) -> None:
        if part is None:
            if section == "root_cause" and note_title is None:
                part = "why_it_happened"
            else:
                self._note(section_title, note_title, self.src(b.start, b.end))
                return
        text = self.src(b.start, b.end)
        if part in V.TEXT_PARTS:
            if not V.is_placeholder(text):
                self.narrative.setdefault(part, []).append(text)
            return
        chunks = self.narrative.setdefault(part, [])
        if b.kind == "list":
            for start, end in b.items:
                body = item_body(self.src(start, end))
                if not V.is_placeholder(body):
                    chunks.append(body)
        elif not V.is_placeholder(text):
            if chunks and b.kind in ("code", "table", "quote", "html"):
                chunks[-1] = chunks[-1] + "\n\n" + text  # belongs to the item above it
            else:
                chunks.append(text)

    def _action_items(self, b, horizon, section_title, note_title) -> None:
        if b.kind == "list":
            for start, end in b.items:
                self._action_item(self.line(start), horizon, self.src(start, end))
            return
        if b.kind == "table" and self._item_table(b, horizon):
            return
        if b.kind == "para":  # "☑ Shift traffic — Owner: ...": checkbox lines with no bullet
            lines = list(self._lines(b))
            if lines and all(checkbox(text.strip())[0] is not None for _, text, _ in lines):
                for line, text, _ in lines:
                    self._action_item(line, horizon, text.strip())
                return
        self._note(section_title, note_title, self.src(b.start, b.end))

    def _action_item(self, line: int, horizon: str | None, source: str) -> None:
        body = item_body(source)
        lines = body.split("\n")
        n = next((i for i, ln in enumerate(lines[1:], 1) if not ln.strip() or BULLET.match(ln)
                  or ln.lstrip().startswith(("```", "~~~"))), len(lines))  # fmt: skip
        first, more = " ".join(ln.strip() for ln in lines[:n]), "\n".join(lines[n:])
        box, first = checkbox(first)
        done = bool(box)
        if "📅" in first or "✅" in first:  # Obsidian Tasks: "📅 due", "✅ done on"
            done = done or bool(re.search(r"✅\s*\d{4}-\d{2}-\d{2}", first))
            first = re.sub(r"\s*✅\s*\d{4}-\d{2}-\d{2}", "", first).replace("📅", "Due:")
        text, owner, due, struck = split_item(unescaped(first))
        if V.is_placeholder(text) or not text:
            return
        if more.strip():
            text = text + "\n" + more.rstrip()
        item = {
            "horizon": horizon,
            "text": text,
            "owner": F.owner_name(plain(owner)) if owner else None,
            "due": None,
            "done": done or struck,
            "source": f"{self.file}:{line}",
        }
        self.items.append(item)
        if due is not None and not V.is_unknown(plain(due)):
            self.dates.append(_Date(plain(due), line, "Due", item, "due"))

    def _item_table(self, b: Block, horizon: str | None) -> bool:
        rows = [
            (self.line(start), [self.src(s, e).strip() for s, e in cells])
            for start, cells in b.items
        ]
        if len(rows) < 2:
            return False
        header = [_item_header(h) for h in rows[0][1]]
        what = next((i for i, h in enumerate(header) if h in ITEM_TEXT), None)
        if what is None:
            return False
        col = {h: i for i, h in enumerate(header)}
        owner = next((col[h] for h in V.OWNER_WORDS if h in col), None)
        due = next(
            (col[h] for h in V.DUE_WORDS if h in col),
            None,
        )
        state = next((col[h] for h in _ITEM_STATE if h in col), None)
        hz = next((col[h] for h in _ITEM_HORIZON if h in col), None)
        for line, cells in rows[1:]:

            def get(i: int | None, cells: list[str] = cells) -> str:
                return cells[i].strip() if i is not None and i < len(cells) else ""

            text = get(what)
            if V.is_placeholder(text) or not text:
                continue
            st = V.norm(plain(get(state)))
            item = {
                "horizon": V.horizon_name(get(hz)) if hz is not None and get(hz) else horizon,
                "text": text,
                "owner": F.owner_name(plain(get(owner))) if get(owner) else None,
                "due": None,
                "done": st
                in (
                    "done",
                    "x",
                    "yes",
                    "closed",
                    "complete",
                    "completed",
                    "fixed",
                    "resolved",
                    "true",
                ),
                "source": f"{self.file}:{line}",
            }
            self.items.append(item)
            if get(due) and not V.is_unknown(plain(get(due))):
                self.dates.append(_Date(plain(get(due)), line, "Due", item, "due"))
        return True

    def _prevention(self, b, section_title, note_title) -> None:
        if b.kind != "list":
            self._note(section_title, note_title, self.src(b.start, b.end))
            return
        for start, end in b.items:
            box, text = checkbox(item_body(self.src(start, end)))
            done = bool(box)
            if text.startswith("~~") and "~~" in text[2:]:
                done, text = True, text.replace("~~", "", 2)
            text = text.strip()
            if text and not V.is_placeholder(text):
                self.inc.setdefault("prevention", []).append({"text": text, "done": done})

    def _communication(self, b, section_title, note_title) -> None:
        """The checklist as items (``- [x] Internal team notified``) or as a table of item
        and mark (``| Internal team notified | ✅ |``); other lines are notes."""
        if b.kind == "list":
            items = [(checkbox(item_body(self.src(s, e))), self.src(s, e)) for s, e in b.items]
        elif b.kind == "table":
            rows = [[plain_cell(self.src(s, e)) for s, e in cells] for _, cells in b.items]
            items = [
                ((checkbox(f"{r[1]} ")[0], r[0]), " | ".join(r)) for r in rows[1:] if len(r) >= 2
            ]
        else:
            self._note(section_title, note_title, self.src(b.start, b.end))
            return
        for (box, text), written in items:
            low = text.strip().lower()
            found = [  # the item its earliest word names ("Customer ... (only Statusseite)")
                (low.find(w), column) for column, _t, words in V.COMMUNICATION for w in words
            ]
            found = sorted(f for f in found if f[0] >= 0)
            if found:
                self.inc[found[0][1]] = sent(box, low)
            else:
                self._note(section_title, note_title, written)

    def _references(self, b) -> None:
        refs = self.inc.setdefault("references", [])
        if b.kind == "list":
            for start, end in b.items:
                body = item_body(self.src(start, end))
                if not V.is_placeholder(body):
                    refs.append(body)
        elif b.kind == "para":
            refs += [ln.strip() for ln in self.src(b.start, b.end).split("\n") if ln.strip()]
        else:
            refs.append(self.src(b.start, b.end))

    # -- fields ----------------------------------------------------------------------------------
    def _field(self, line: int, label: str, value: str) -> None:
        column = V.field_key(label)
        self.fields_seen.add(column)
        title = V.LABEL_BY_COLUMN[column].title
        if V.field_typo(label):  # "Servcies Affected": read, and said
            self.problem(line, "label", plain(label), f"is read as {title}")
        raw = value.strip()
        if V.is_placeholder(raw) or V.is_placeholder(plain(raw)):
            return
        text = plain(raw)
        inc = self.inc
        if column == "incident_id":
            if not V.is_unknown(text):
                m = _ID_ASIDE.match(text)  # "OPS-7781 (related: OPS-7764, ...)": the ID is first
                if m:
                    text = m.group(1)
                    self._note("Incident Summary", None, f"{plain(label)}: {plain(raw)}")
                inc["incident_id"], self.id_line = text, line
        elif column == "title":
            self._title(raw, line)
        elif column == "severity":
            try:
                level, note = F.read_severity(text, self.options.severity_map)
            except ValueError as exc:
                level, note = self._by_legend(text)  # "🟠 Amber", with "Amber = P2" below
                if level is None:
                    self.problem(line, title, text, str(exc), "error")
                    return
            inc["severity"] = level
            if note:
                self.problem(line, title, text, note)
        elif column == "status":
            try:
                inc["status"] = F.parse_status(text)
            except ValueError as exc:
                self.problem(line, title, text, f"{exc}; status left unknown")
        elif column == "services":
            listed = F.split_list(unescaped(raw), ",;\n", spaced_slash=True)  # "a<br>b" too
            inc["services"] = [plain(s) for s in listed if not V.is_unknown(plain(s))]
        elif column in _IMPACT_READERS:
            self._impact(line, column, title, raw)
        elif column in ("report_date", "next_review"):
            if not V.is_unknown(text):
                self.dates.append(_Date(text, line, title, inc, column))
        else:  # names: team, prepared by
            name = F.owner_name(text) if column != "prepared_by" else text
            if name and not V.is_unknown(name):
                inc[column] = name

    def _impact(self, line: int, column: str, title: str, raw: str) -> None:
        """An impact value: the author's words kept as written, the figures read from them
        (a value that cannot be read whole costs that figure, with a located warning)."""
        text = plain(raw)
        self.inc[_IMPACT_READERS[column][0]] = raw
        if column != "data_loss" and V.is_unknown(text):
            return
        targets, read = _IMPACT_READERS[column][1:]
        try:
            values = read(text)
        except ValueError as exc:
            self.problem(line, title, text, f"{exc}; {_LEFT_UNKNOWN[column]} left unknown")
            return
        note = values[-1] if column in ("data_loss", "financial_impact") else None
        for target, value in zip(targets, values, strict=False):
            self.inc[target] = value
        if note:
            self.problem(
                line, title, text, note if column != "data_loss" else f"{note}; left unknown"
            )

    def _finish_text(self) -> None:
        for column, chunks in self.narrative.items():
            if column in V.TEXT_PARTS:
                self.inc[column] = "\n\n".join(chunks).strip() or None
            else:
                self.inc[column] = chunks
        if self.summary:
            self.inc["summary"] = "\n\n".join(s for s in self.summary if s.strip()) or None
        if self.extra:
            self.inc["extra_sections"] = "\n\n".join("\n\n".join(e).strip() for e in self.extra)
        if self.notes:
            self.inc["notes"] = [head + "\n\n" + "\n\n".join(body) for head, body in self.notes]


#: Impact columns: (column of the text as written, columns of the figures, reader).
_IMPACT_READERS = {
    "users_affected": (
        "users_affected_text",
        ("users_affected", "users_affected_pct"),
        F.parse_users,
    ),
    "downtime_stated": ("downtime_text", ("downtime_stated",), lambda t: (F.parse_duration(t),)),
    "data_loss": ("data_loss", ("has_data_loss",), F.read_data_loss),
    "financial_impact": (
        "financial_impact",
        ("financial_amount", "financial_currency"),
        F.read_money,
    ),
}
_LEFT_UNKNOWN = {
    "users_affected": "users affected",
    "downtime_stated": "downtime",
    "financial_impact": "amount",
}


# --- reading files -----------------------------------------------------------------------------
def read_text(path: Path, text: str, options: ReadOptions) -> _Report:
    """Walk one report (values not parsed yet)."""
    report = _Report(path, text, options)
    report.read()
    return report


def parse(text: str, path: str | Path = "report.md", options: ReadOptions | None = None) -> Parts:
    """One report's text -> its records (``path`` only names it in problems).

    >>> parse("# Disk full\n\n## Incident Summary\n\n**Severity**: SEV-2\n").incidents[0]["severity"]
    'P2'
    """
    options = options or ReadOptions()
    return finish([read_text(Path(path), _normalise(text), options)], options)


def read(paths: list[Path], options: ReadOptions) -> Parts:
    """Read Markdown incident reports (one incident per file)."""
    reports = []
    for path in paths:
        text = path.read_bytes().decode("utf-8-sig")
        reports.append(read_text(path, _normalise(text), options))
    return finish(reports, options)


def _normalise(text: str) -> str:
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _answers_unboxed(_front_matter_as_lines(text.lstrip("\ufeff")))
    if _JIRA_HEADING.search(text):  # "h2. Timeline" of Jira's wiki markup: a heading
        text = _JIRA_HEADING.sub(lambda m: "#" * int(m.group(1)) + " ", text)
    if _WORD_BULLET.search(text):  # pasted from Word: "•<tab>item", "o<tab>sub-item"
        text = _WORD_BULLET.sub(lambda m: m.group(1) + ("  - " if m.group(3) else "- "), text)
    if _WORD_CHECK.search(text):  # "☑<tab>Internal team notified": a checklist item
        text = _WORD_CHECK.sub(r"\1- \2 ", text)
    if "[[" in text:  # Obsidian's wiki links read as their words: [[Mara Lind]] is a name
        text = _WIKI_LINK.sub(lambda m: m.group(2) or m.group(1), text)
    return _CALLOUT.sub(_callout_as_section, text) if "[!" in text else text


_JIRA_HEADING = re.compile(r"^h([1-6])\.[ \t]+(?=\S)", re.M)
#: A list bullet of a word processor, pasted as text: a bullet character and a space or tab,
#: or Word's ``o`` and a tab for a second-level item.
_WORD_BULLET = re.compile(r"^([ \t]*)(?:([•◦▪‣●])[ \t]+|(o)\t+)", re.M)
#: A check box of a word processor and a tab (``☑`` checked, ``☐`` not; ``☒`` means either).
_WORD_CHECK = re.compile(r"^([ \t]*)([☑☐✓✔✗✘])\t+", re.M)
_WIKI_LINK = re.compile(r"\[\[(?!\s)([^\]|#\n]+?)(?:#[^\]|\n]*)?(?:\|([^\]\n]+))?\]\]")


#: An Obsidian callout (``> [!summary] Incident Summary`` and its ``> `` lines).
_CALLOUT = re.compile(
    r"^>[ \t]*\[!\w+\][-+]?[ \t]*(?P<title>[^\n]*)\n(?P<body>(?:>[^\n]*\n?)*)", re.M
)


def _callout_as_section(m: re.Match) -> str:
    """A callout titled with a template section (``> [!summary] Incident Summary``) reads as
    that section: its title a heading, its lines unquoted (as many lines as before, so every
    value keeps its line). Other callouts stay quotes."""
    if section_key(m.group("title").strip()) is None:
        return m.group(0)
    body = re.sub(r"^>[ \t]?", "", m.group("body"), flags=re.M)
    return f"## {m.group('title').strip()}\n{body}"


_FRONT_MATTER = re.compile(r"\A---[ \t]*\n((?:(?!---[ \t]*\n)[^\n]*\n){1,60}?)---[ \t]*\n")


def _front_matter_as_lines(text: str) -> str:
    """YAML front matter (Obsidian, Jekyll: ``---`` / ``severity: P1`` / ``---``) read as the
    labelled lines it is: the fences become blank lines (line numbers stay), and quotes around
    a value go, so ``title: "DNS saturation"`` is a labelled line before the first heading."""
    m = _FRONT_MATTER.match(text)
    if m is None or not re.search(r"^\w[\w -]*:", m.group(1), re.M):
        return text
    rest = text[m.end() :]

    def line(fm: re.Match) -> str:  # the body's own labelled line wins over the front matter
        key = fm.group(1).split(":", 1)[0].strip()
        said = re.compile(rf"^\W*{re.escape(key)}\W*:", re.I | re.M)
        return "" if said.search(rest) else fm.group(1) + fm.group(3)

    body = re.sub(r'^(\w[\w -]*:\s*)(["\']?)(.*?)\2\s*$', line, m.group(1), flags=re.M)
    return "\n" + body + "\n" + rest


#: a bracketed value: not a checkbox (``[ ]``, ``[x]``), a link (``[text](url)``) or a footnote
_BOXED = re.compile(r"(?<![\]\w])\[([^\[\]\n]{2,})\](?![(\[:])")


#: a template label answered inside brackets: ``**Severity**: [S2]``
_ANSWERED = re.compile(
    r"^\s*(?:[-*+]|\d+[.)])?\s*\**[^\n:*\[]{2,40}?\**\s*:\s*\**\s*\[([^\[\]\n]{2,})\]", re.M
)
_COLON_BRACKET = re.compile(r":[ \t*]*\[([^\[\]\n]{2,})\]")
#: a note in brackets that names what it holds (``[owner: Eve]``, ``[due: 2026-03-12]``)
_META_INSIDE = re.compile(r"^\s*[\w][\w ]{0,20}:\s")


def _answers_unboxed(text: str) -> str:
    """Some people answer inside the template's brackets (``**Detected**: [04.03.2026 08:12
    EET] by [Zabbix]``). When a report answers at least three of the template's labels that
    way (not with the template's own blanks), its brackets go and the answers are read; the
    blanks left unfilled stay blanks, and ``[owner: x]``-style notes stay as written."""
    if text.count("[") < 3:
        return text
    blanks = V.template_placeholders()
    if sum(V.norm(v) not in blanks for v in _COLON_BRACKET.findall(text)) < 3:
        return text  # the common case (blanks left as they are), without the line pattern
    answered = [
        m for m in _ANSWERED.finditer(text)
        if V.norm(m.group(1)) not in blanks and not _META_INSIDE.match(m.group(1))
    ]  # fmt: skip
    if len(answered) < 3 or not any(re.search(r"\d", m.group(1)) for m in answered):
        return text

    def unbox(m: re.Match) -> str:
        inner = m.group(1)
        keep = V.norm(inner) in blanks or _META_INSIDE.match(inner)
        return m.group(0) if keep else inner

    return _BOXED.sub(unbox, text)


def finish(reports: list[_Report], options: ReadOptions) -> Parts:
    """Parse every collected timestamp and date column-wise, then build the records."""
    pending = [t for r in reports for t in r.times]
    if pending:
        texts = pd.Series([_with_hint(t) for t in pending], dtype="object")
        times, errors, notes, partial = F.read_times(
            texts, options.default_tz, tz_abbrev=options.tz_abbrev
        )
        parsed = list(
            zip(times.tolist(), errors.tolist(), notes.tolist(), partial.tolist(), strict=True)
        )
    else:
        parsed = []
    parts = Parts()
    at = 0
    for report in reports:
        n = len(report.times)
        _resolve_times(report, parsed[at : at + n], options)
        at += n
        parts.extend(_records(report, options))
    return parts


def _with_hint(t: _Time) -> str:
    """The time with the zone its heading or a note names, where it names none itself."""
    if not t.hint:
        return t.text
    words = F.in_english(t.text.strip())  # "noon", "14h05": a clock, not a zone
    bare = re.sub(r"\s*[ap]\.?m\.?$", "", words, flags=re.I)  # 1:52pm names none
    if t.hint and not re.search(r"[A-Za-z]{2,5}\s*$|[+-]\d{2}:?\d{2}\s*$|Z$", bare):
        return f"{t.text} {t.hint}"
    return t.text


def _resolve_times(report: _Report, parsed: list, options: ReadOptions) -> None:
    """Place each timestamp: full ones as read; a time alone on the previous line's date (the
    next day when it is earlier; the Detected line's date for the first), a date without a
    year in the incident's year. An unreadable milestone is an error on its line; an
    unreadable update row a warning."""
    default = F.zone(options.default_tz)
    detected = _anchor(report, parsed)
    if detected is None and report.day is not None:
        detected = report.day  # "Date: December 1, 2026": that day wherever the times are
    previous: dict[int, pd.Timestamp | None] = {0: None, 1: None}
    for t, (ts, err, note, part) in zip(report.times, parsed, strict=True):
        if report.t0 and (offset := T_OFFSET.match(t.text)):  # counted from T0, if one is set
            after = offset.group("d") or offset.group("c")
            ts, note, err, part = _after_t0(report.t0, after, options)
        if err is not None:
            ts, note, err, part = _prefix_time(t, err, options)
        if isinstance(part, F.DateOnly) and err is None:
            near = _day_start(detected, default) if _is_day(detected) else detected
            ts, note, err = _date_only(t, part, near, default, options.default_tz)
        elif part is not None and err is None:
            base = previous[t.order]
            ts, err = _place(
                part, base if base is not None else detected, base is not None, default
            )
        if err is not None:
            milestone = t.event["kind"] in MILESTONES
            report.problem(
                t.line, t.field, t.text,
                err if milestone else f"{err}; the line is not an event",
                "error" if milestone else "warning",
            )  # fmt: skip
            continue
        if pd.isna(ts):
            continue
        if note:
            if note.startswith("has no time zone") and report.zone_note:
                named = V.ZONE_WORDS.get(report.zone_note[1].lower(), report.zone_note[1])
                if named != options.default_tz and named.lower() not in options.default_tz.lower():
                    note += f" (the report says {report.zone_note[1]!r}: pass default_tz to use it)"
            report.problem(t.line, t.field, t.text, note)
        previous[t.order] = ts
        t.event["timestamp"] = ts
        t.event["time_text"] = t.text
        report.events.append(t.event)


def _date_only(t: _Time, part, near, default, default_tz: str):
    """A milestone written as a date: the post-mortem's day is what matters (read as 00:00,
    with a warning); any other milestone needs its time of day (an error)."""
    if t.event["kind"] != "postmortem":
        return pd.NaT, None, "has a date but no time of day (e.g. 2026-03-04 14:05 UTC)"
    year = part.year or F.year_near(part.month, part.day, near)
    if year is None:
        return pd.NaT, None, "has no year (e.g. 2026-03-06)"
    note = f"has no time of day: read as 00:00 {part.zone_text or default_tz}"
    return part.start(default, year), note, None


def _after_t0(t0: str, offset: str, options: ReadOptions):
    """``T+1h02m`` after ``T0 = 2026-09-22 03:40 UTC``, like one row of ``read_times``."""
    try:
        start, note = F.parse_time(t0, options.default_tz, tz_abbrev=options.tz_abbrev)
        after = pd.Timedelta(0) if offset.strip("0 ") == "" else F.parse_duration(offset)
    except ValueError as exc:
        return pd.NaT, None, f"counts from T0 '{t0}', which {exc}", None
    if start is None or pd.isna(start):
        return pd.NaT, None, f"counts from T0 '{t0}', which is not a time", None
    return start + after, note, None, None


def _is_day(value: object) -> bool:
    """A date with no time of day (``Date: December 1, 2026``), not a Timestamp."""
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


def _day_start(day: dt.date, tz) -> pd.Timestamp:
    """The first instant of ``day`` in ``tz`` (so a time alone lands on that day)."""
    return pd.Timestamp(dt.datetime.combine(day, dt.time(0, 0)), tz=tz).tz_convert("UTC")


def _anchor(report: _Report, parsed: list) -> pd.Timestamp | None:
    """The time that dates a first time-alone line: the Detected line's, else the first full."""
    first = None
    for t, (ts, err, _note, part) in zip(report.times, parsed, strict=True):
        if err is None and part is None and not pd.isna(ts):
            if t.event["kind"] == "detected":
                return ts
            first = ts if first is None else first
    return first


def _prefix_time(t: _Time, err: str, options: ReadOptions):
    """A timestamp followed by words (``14:05 UTC PagerDuty fired``): the longest readable
    leading part is the time, the rest the description. Ambiguous dates stay errors.

    Returns ``(time, note, error, partial)`` like one row of ``read_times``."""
    if not err.startswith("is not a timestamp"):  # ambiguous, unknown zone, DST gap: as is
        return pd.NaT, None, err, None
    words = t.text.split()
    abbrevs = tuple(sorted((k.upper(), v) for k, v in (options.tz_abbrev or {}).items()))
    for n in range(len(words) - 1, 0, -1):
        head = " ".join(words[:n]).rstrip(" -–—:,")
        if not re.search(r"\d", head):
            break
        try:
            value, note = F.parse_human_time(head, options.default_tz, abbrevs)
        except ValueError:
            continue
        rest = " ".join(words[n:]).strip(" -–—:,")
        if re.match(r"\d{1,2}[:.h]\d{2}", rest):  # "2026-03-11 25:40": a time, not a word
            return pd.NaT, None, err, None
        if rest:
            t.event["description"] = (
                f"{t.event['description']}: {rest}" if t.event.get("description") else rest
            )
        if isinstance(value, pd.Timestamp):
            return value, note, None, None
        return pd.NaT, note, None, value
    return pd.NaT, None, err, None


def _place(part, base: pd.Timestamp | None, roll: bool, default) -> tuple[pd.Timestamp, str | None]:
    """A :class:`~incident_kit.fields.Clock` or :class:`~incident_kit.fields.NoYear` dated by
    ``base``: ``(utc time, None)`` or ``(NaT, reason)``."""
    if base is None:
        return (
            pd.NaT,
            "has a time but no date, and no line before it gives one (e.g. 2026-03-04 14:05 UTC)",
        )
    try:
        if isinstance(part, F.Clock):
            day = base if _is_day(base) else base.tz_convert(part.tz or default).date()
            ts = part.on(day, default)
            if roll and ts < base:
                ts = part.on(day + dt.timedelta(days=1), default)
            return ts, None
        near = _day_start(base, default) if _is_day(base) else base
        return part.in_year(F.year_near(part.month, part.day, near), default), None
    except ValueError as exc:
        return pd.NaT, str(exc)


def _records(report: _Report, options: ReadOptions) -> Parts:
    inc = report.inc
    if report.known == 0:
        report.problems.append(
            Problem(report.file, None, "file", report.path.name,
                    f"{report.path.name} is not an incident report (no section of the template found)")
        )  # fmt: skip
        return Parts(problems=report.problems)
    near = min((e["timestamp"] for e in report.events if e["kind"] == "detected"), default=None)
    if near is None and report.events:
        near = min(e["timestamp"] for e in report.events)
    for d in report.dates:
        try:
            d.target[d.key] = F.parse_date(d.text, near=near)
        except ValueError as exc:
            report.problem(d.line, d.field, d.text, f"{exc}; left unknown")
    title_line = inc.pop("_title_line", 1)
    if "incident_id" not in inc:
        m = ID_IN_TITLE.match(inc.get("title") or "")
        if m:
            inc["incident_id"], report.id_line = m.group(1), title_line
        else:
            digest = hashlib.sha1(" ".join(report.text.split()).encode()).hexdigest()[:8].upper()
            inc["incident_id"] = f"INC-{digest}"
    iid = inc["incident_id"]
    inc["source_file"] = report.file
    inc["source_line"] = report.id_line or title_line
    for rec in (*report.events, *report.items):
        rec["incident_id"] = iid
    problems = [
        Problem(p.file, p.line, p.field, p.value, p.message, iid, p.level) for p in report.problems
    ]
    return Parts([inc], report.events, report.items, problems)


SUFFIXES = (".md", ".markdown")


def sniff(path: Path, head: str) -> bool:
    return path.suffix.lower() in SUFFIXES
