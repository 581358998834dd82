"""Incident reports written as filled-in copies of the Markdown report template.

Reading walks markdown-it's token stream: headings set the section, labelled lines
(``**Detected**: ...``) and list items fill fields, the optional ``### Detailed Timeline``
table adds events. Writing is in ``markdown_write``, import sync in ``sync``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from markdown_it import MarkdownIt

from .. import fields as F
from ..errors import Problem
from ..model import KINDS, Parts
from ..vocab import kind_name
from .base import ReadOptions

TEMPLATE_TITLE = "incident report template"

# Labelled lines: label (lower case) -> incident field. Timeline labels map to event kinds.
SUMMARY_LABELS = {"incident id": "incident_id", "severity": "severity", "status": "status"}
TIMELINE_LABELS = {
    "impact started": "impact_start",
    "impact start": "impact_start",
    "detected": "detected",
    "acknowledged": "acknowledged",
    "escalated": "escalated",
    "response started": "response_started",
    "mitigated": "mitigated",
    "resolved": "resolved",
    "post-mortem": "postmortem",
    "postmortem": "postmortem",
}
IMPACT_LABELS = {
    "users affected": "users_affected",
    "services affected": "services",
    "downtime duration": "downtime_stated",
    "data loss": "data_loss",
    "financial impact": "financial_impact",
}
TEAM_LABELS = {
    "incident commander": "incident_commander",
    "technical lead": "technical_lead",
    "communications": "communications",
    "documentation": "documentation",
}
FOOTER_LABELS = {
    "report prepared by": "prepared_by",
    "date": "report_date",
    "next review": "next_review",
}
LABELS = {**SUMMARY_LABELS, **IMPACT_LABELS, **TEAM_LABELS, **FOOTER_LABELS}

# (h2, h3) -> list or text field of the narrative
NARRATIVE = {
    ("root cause analysis", "what happened"): "what_happened",
    ("root cause analysis", "why it happened"): "why_it_happened",
    ("root cause analysis", "contributing factors"): "contributing_factors",
    ("actions taken", "immediate response"): "immediate_response",
    ("actions taken", "investigation"): "investigation",
    ("actions taken", "resolution"): "resolution",
    ("lessons learned", "what went well"): "went_well",
    ("lessons learned", "what could be improved"): "could_improve",
    ("lessons learned", "what went wrong"): "went_wrong",
}
TEXT_NARRATIVE = {"what_happened", "why_it_happened"}
HORIZON_HEADINGS = {"immediate": "immediate", "short term": "short_term", "long term": "long_term"}
KNOWN_H2 = {
    "incident summary",
    "timeline",
    "impact assessment",
    "root cause analysis",
    "actions taken",
    "lessons learned",
    "action items",
    "prevention measures",
    "communication",
    "team members involved",
    "references",
}
COMMUNICATION_KEYS = (
    ("internal", "comm_internal"),
    ("stakeholder", "comm_stakeholders"),
    ("customer", "comm_customers"),
    ("status page", "comm_status_page"),
)

_md = MarkdownIt("commonmark", {"html": False}).enable("table")


@dataclass
class _Block:
    kind: str  # heading | para | item | row | header
    line: int  # 1-based
    text: str = ""
    level: int = 0
    cells: list[str] = field(default_factory=list)
    labelled: list[tuple[int, str | None, str]] = field(default_factory=list)


def _labelled_lines(token) -> list[tuple[int, str | None, str]]:
    """Split an inline token into lines: (line offset, bold label or None, value text)."""
    raw_lines = token.content.split("\n")
    groups: list[list] = [[]]
    for child in token.children or []:
        if child.type in ("softbreak", "hardbreak"):
            groups.append([])
        else:
            groups[-1].append(child)
    out = []
    for offset, (raw, children) in enumerate(zip(raw_lines, groups, strict=False)):
        children = [c for c in children if not (c.type == "text" and not c.content.strip())]
        label = None
        value = raw.strip()
        if children and children[0].type == "strong_open":
            parts = []
            for child in children[1:]:
                if child.type == "strong_close":
                    break
                parts.append(child.content)
            label = "".join(parts).strip().rstrip(":").strip()
            marker = raw.lstrip()[:2]
            after = raw.lstrip()[2:]
            close = after.find(marker)
            value = after[close + 2 :] if close >= 0 else ""
            value = value.strip().lstrip(":").strip()
        out.append((offset, label, value))
    return out


def _blocks(text: str) -> Iterator[_Block]:
    """Flatten markdown-it tokens into headings, paragraphs, list items and table rows."""
    tokens = _md.parse(text)
    depth_item = 0
    in_thead = False
    row: list[str] | None = None
    row_line = 0
    pending_heading: tuple[int, int] | None = None
    item_started = False
    for i, tok in enumerate(tokens):
        t = tok.type
        if t == "heading_open":
            pending_heading = (int(tok.tag[1]), tok.map[0] + 1)
        elif t == "list_item_open":
            depth_item += 1
            item_started = True
        elif t == "list_item_close":
            depth_item -= 1
        elif t == "thead_open":
            in_thead = True
        elif t == "thead_close":
            in_thead = False
        elif t == "tr_open":
            row, row_line = [], tok.map[0] + 1 if tok.map else 0
        elif t == "tr_close" and row is not None:
            yield _Block("header" if in_thead else "row", row_line, cells=row)
            row = None
        elif t == "inline":
            if pending_heading is not None:
                level, line = pending_heading
                yield _Block("heading", line, text=tok.content.strip(), level=level)
                pending_heading = None
            elif row is not None:
                row.append(tok.content.strip())
            elif depth_item and tokens[i - 1].type == "paragraph_open" and item_started:
                item_started = False
                yield _Block("item", tok.map[0] + 1, tok.content, labelled=_labelled_lines(tok))
            elif tok.map is not None:
                yield _Block("para", tok.map[0] + 1, tok.content, labelled=_labelled_lines(tok))


def _norm(label: str) -> str:
    return " ".join(label.lower().replace(":", " ").split())


def _rfind_ci(text: str, needle: str) -> int:
    """The last position of ``needle`` (lower case) in ``text``, ignoring case; -1 if none.

    Compares slice by slice: lower-casing the whole text can change its length (``İ``).
    """
    for i in range(len(text) - len(needle), -1, -1):
        if text[i : i + len(needle)].lower() == needle:
            return i
    return -1


def _checkbox(text: str) -> tuple[bool | None, str]:
    """``[x] text`` -> (True, "text"); ``[ ] text`` -> (False, "text"); else (None, text)."""
    s = text.strip()
    head = s[:3].lower()
    if head in ("[x]", "[ ]"):
        return head == "[x]", s[3:].strip()
    return None, s


class _Reader:
    """Turns one Markdown file into incident, event and action-item records."""

    def __init__(self, path: Path, text: str, default_tz: str):
        self.path, self.text, self.default_tz = path, text, default_tz
        self.file = str(path)
        self.inc: dict = {}
        self.events: list[dict] = []
        self.items: list[dict] = []
        self.problems: list[Problem] = []
        self.known_sections = 0

    # -- problems -------------------------------------------------------------
    def problem(self, line: int, field: str, value: str, reason: str, level: str = "error"):
        self.problems.append(
            Problem(self.file, line, field, value, f"{field} {value!r} {reason}", None, level)
        )

    def parse(self, fn, line: int, field: str, value: str):
        try:
            return fn(value)
        except ValueError as exc:
            self.problem(line, field, value, str(exc))
            return None

    def time(self, line: int, field: str, value: str):
        try:
            ts, assumed = F.parse_time(value, self.default_tz)
        except ValueError as exc:
            self.problem(line, field, value, str(exc))
            return None
        if assumed:
            self.problem(
                line, field, value, f"has no time zone; assumed {self.default_tz}", "warning"
            )
        return ts

    # -- fields -----------------------------------------------------------------
    def set_field(self, line: int, label: str, value: str) -> None:
        key = LABELS[_norm(label)]
        v = F.clean(value)
        if v is None:
            return
        if key == "incident_id":
            self.inc["incident_id"] = v
            self.inc["source_line"] = line
        elif key == "severity":
            self.inc["severity"] = self.parse(F.parse_severity, line, label, v)
        elif key == "status":
            self.inc["status"] = self.parse(F.parse_status, line, label, v)
        elif key == "users_affected":
            parsed = self.parse(F.parse_users, line, label, v)
            if parsed:
                self.inc["users_affected"], self.inc["users_affected_pct"] = parsed
        elif key == "services":
            self.inc["services"] = F.split_list(v)
        elif key == "downtime_stated":
            self.inc["downtime_stated"] = self.parse(F.parse_duration, line, label, v)
        elif key == "data_loss":
            self.inc["data_loss"] = v
            self.inc["has_data_loss"] = F.has_data_loss(v)
        elif key == "financial_impact":
            self.inc["financial_impact"] = v
            amount, currency = F.parse_money(v)
            self.inc["financial_amount"], self.inc["financial_currency"] = amount, currency
        elif key in ("report_date", "next_review"):
            self.inc[key] = self.parse(F.parse_date, line, label, v)
        else:
            self.inc[key] = v

    def timeline_line(self, line: int, label: str, value: str) -> None:
        kind = TIMELINE_LABELS[_norm(label)]
        when, actor, role = value, None, None
        for sep in (" by ", " to "):
            pos = when.find(sep)
            if pos >= 0:
                rest = when[pos + len(sep) :]
                when = when[:pos]
                other = " to " if sep == " by " else " by "
                extra = None
                if other in rest:
                    rest, extra = rest.split(other, 1)
                if sep == " by ":
                    actor, role = rest, extra
                else:
                    role, actor = rest, extra
                break
        if F.clean(when) is None:
            return
        ts = self.time(line, label, when.strip())
        if ts is None:
            return
        self.events.append(
            {
                "timestamp": ts,
                "kind": kind,
                "actor": F.clean(actor),
                "role": F.clean(role),
                "description": None,
                "source": f"{self.file}:{line}",
            }
        )

    def table(self, header: list[str], rows: list[tuple[int, list[str]]]) -> None:
        names = [_norm(h) for h in header]
        aliases = {"time": "timestamp", "when": "timestamp", "event": "kind", "who": "actor"}
        names = [aliases.get(n, n) for n in names]
        if "timestamp" not in names or "kind" not in names:
            self.problem(
                rows[0][0] if rows else 0,
                "Detailed Timeline",
                " | ".join(header),
                "needs columns time and kind",
            )
            return
        for line, cells in rows:
            rec = dict(zip(names, cells, strict=False))
            if all(F.is_placeholder(c) for c in cells):
                continue
            kind = kind_name(rec.get("kind", ""))
            if kind is None:
                self.problem(
                    line,
                    "kind",
                    rec.get("kind", ""),
                    f"is not an event kind (expected one of {', '.join(KINDS)})",
                )
                continue
            ts = self.time(line, "time", rec.get("timestamp", ""))
            if ts is None:
                if F.clean(rec.get("timestamp")) is None:
                    self.problem(line, "time", rec.get("timestamp", ""), "is missing")
                continue
            self.events.append(
                {
                    "timestamp": ts,
                    "kind": kind,
                    "actor": F.clean(rec.get("actor")),
                    "role": F.clean(rec.get("role")),
                    "description": F.clean(rec.get("description")),
                    "source": f"{self.file}:{line}",
                }
            )

    def action_item(self, line: int, horizon: str, text: str) -> None:
        done, rest = _checkbox(text)
        due_text = owner = None
        pos = _rfind_ci(rest, " - due:")
        if pos >= 0:
            rest, due_text = rest[:pos], rest[pos + len(" - due:") :]
        pos = _rfind_ci(rest, " - owner:")
        if pos >= 0:
            rest, owner = rest[:pos], rest[pos + len(" - owner:") :]
        body = F.clean(rest)
        if body is None:
            return
        due = None
        if F.clean(due_text) is not None:
            due = self.parse(F.parse_date, line, "Due", due_text.strip())
        self.items.append(
            {
                "horizon": horizon,
                "text": body,
                "owner": F.clean(owner),
                "due": due,
                "done": bool(done),
                "source": f"{self.file}:{line}",
            }
        )

    # -- the walk -----------------------------------------------------------------
    def read(self) -> Parts:
        h2 = h3 = ""
        header: list[str] | None = None
        rows: list[tuple[int, list[str]]] = []
        narrative: dict[str, list[str]] = {}
        title_line = 1

        def flush_table():
            nonlocal header, rows
            if header is not None:
                self.table(header, rows)
            header, rows = None, []

        for b in _blocks(self.text):
            if b.kind != "row":
                flush_table()
            if b.kind == "heading":
                if b.level == 1:
                    if _norm(b.text) != TEMPLATE_TITLE and F.clean(b.text):
                        self.inc.setdefault("title", b.text.strip())
                    title_line = b.line
                elif b.level == 2:
                    h2, h3 = _norm(b.text), ""
                    if h2 in KNOWN_H2:
                        self.known_sections += 1
                    else:
                        self.problem(
                            b.line,
                            "section",
                            b.text,
                            "is not a section of the template; its text is not loaded",
                            "warning",
                        )
                else:
                    h3 = _norm(b.text)
                continue
            if b.kind == "header":
                header = b.cells
                continue
            if b.kind == "row":
                rows.append((b.line, b.cells))
                continue
            target = NARRATIVE.get((h2, h3))
            if target is not None:
                text = b.text.strip()
                if not F.is_placeholder(text):
                    narrative.setdefault(target, []).append(text)
                continue
            if h2 == "action items":
                horizon = next((v for k, v in HORIZON_HEADINGS.items() if h3.startswith(k)), None)
                if b.kind == "item" and horizon:
                    self.action_item(b.line, horizon, b.text)
                continue
            if h2 == "prevention measures" and b.kind == "item":
                done, text = _checkbox(b.text)
                if F.clean(text):
                    self.inc.setdefault("prevention", []).append({"text": text, "done": bool(done)})
                continue
            if h2 == "communication" and b.kind == "item":
                done, text = _checkbox(b.text)
                for key, column in COMMUNICATION_KEYS:
                    if key in text.lower():
                        self.inc[column] = bool(done)
                        break
                continue
            if h2 == "references" and b.kind == "item":
                if F.clean(b.text):
                    self.inc.setdefault("references", []).append(b.text.strip())
                continue
            for offset, label, value in b.labelled:
                if label is None:
                    continue
                key = _norm(label)
                if h2 == "timeline" and key in TIMELINE_LABELS:
                    self.timeline_line(b.line + offset, label, value)
                elif key in LABELS:
                    self.set_field(b.line + offset, label, value)
        flush_table()

        for column, chunks in narrative.items():
            self.inc[column] = "\n\n".join(chunks) if column in TEXT_NARRATIVE else chunks

        if self.known_sections == 0:
            self.problems.append(
                Problem(
                    self.file,
                    None,
                    "file",
                    self.path.name,
                    f"{self.path.name} is not an incident report (no section of the template found)",
                )
            )
            return Parts(problems=self.problems)
        if "incident_id" not in self.inc:
            digest = hashlib.sha1(" ".join(self.text.split()).encode()).hexdigest()[:8].upper()
            self.inc["incident_id"] = f"INC-{digest}"
            self.inc["source_line"] = title_line
        iid = self.inc["incident_id"]
        self.inc["source_file"] = self.file
        for rec in (*self.events, *self.items):
            rec["incident_id"] = iid
        problems = [
            Problem(p.file, p.line, p.field, p.value, p.message, iid, p.level)
            for p in self.problems
        ]
        return Parts([self.inc], self.events, self.items, problems)


def read(paths: list[Path], options: ReadOptions) -> Parts:
    """Read Markdown incident reports (one incident per file)."""
    parts = Parts()
    for path in paths:
        text = path.read_text(encoding="utf-8")
        parts.extend(_Reader(path, text, options.default_tz).read())
    return parts


def sniff(path: Path, head: str) -> bool:
    return path.suffix.lower() in (".md", ".markdown")
