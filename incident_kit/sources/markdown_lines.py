"""What one block or line of a hand-written report says, before the reader places it.

The document's blocks from pulldown-cmark's event stream (``pyromark``), and the line-level
readings the Markdown reader is built from: labels (``**Severity**: P2``, ``Severity - P2``),
checkboxes in every form people type, timeline lines (time, what, by whom, to whom), action
items (text, owner, due date, done), grid tables, team lines, headings matched against
:mod:`incident_kit.vocab`. Pure functions of text; nothing here knows a report.
"""

from __future__ import annotations

import calendar
import html
import itertools
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import pyromark

from .. import fields as F
from .. import vocab as V

__all__ = [
    "BOXED_TIME",
    "BULLET",
    "BY_WHOM",
    "ID_IN_TITLE",
    "ITEM_TEXT",
    "MILESTONE_LEAD",
    "TIMEISH",
    "TIME_FIRST",
    "TIME_FIRST_SPLIT",
    "T_OFFSET",
    "T_ZERO",
    "ZONE_NOTE",
    "Block",
    "bare",
    "blocks",
    "by_or_to",
    "checkbox",
    "clock_then_words",
    "field_pieces",
    "grid_rows",
    "header_column",
    "heading_text",
    "item_body",
    "label_of",
    "label_then_value",
    "name_and_role",
    "named_party",
    "only_time",
    "paged_role",
    "plain",
    "plain_cell",
    "plain_keep_links",
    "section_key",
    "sent",
    "split_item",
    "split_line",
    "time_aside",
    "unescaped",
    "who",
    "without_emoji",
    "without_prefix",
    "zone_hint",
]

_OPTIONS = pyromark.Options.ENABLE_TABLES | pyromark.Options.ENABLE_STRIKETHROUGH


#: Block-level tags of the event stream (everything else is inline markup inside a block).
_BLOCKS = frozenset(
    (
        "Paragraph", "Heading", "BlockQuote", "CodeBlock", "HtmlBlock", "List", "Item", "Table",
        "TableHead", "TableRow", "TableCell", "FootnoteDefinition", "MetadataBlock",
        "DefinitionList", "DefinitionListTitle", "DefinitionListDefinition",
    )
)  # fmt: skip


# --- blocks from the event stream --------------------------------------------------------------
@dataclass
class Block:
    """A top-level block: kind, byte range, and for lists / tables their items / cells."""

    kind: str  # heading | para | list | table | code | html | quote | rule | other
    start: int
    end: int
    level: int = 0  # heading level
    items: list = field(default_factory=list)  # list: [(start, end)]; table: [(start, [cells])]
    title: str | None = None  # a heading written another way (``**Timeline**`` on its own line)


def blocks(text: str) -> list[Block]:
    """The document's top-level blocks, in order (one pass over the CommonMark events)."""
    out: list[Block] = []
    depth = 0
    top: Block | None = None
    item_start = row_start = 0
    cells: list[tuple[int, int]] = []
    for ev, rng in pyromark.events_with_range(text, options=_OPTIONS, merge_text=True):
        if ev.__class__ is str:
            if ev == "Rule" and depth == 0:
                out.append(Block("rule", rng["start"], rng["end"]))
            continue
        if "Text" in ev:  # the most common event: nothing to do
            continue
        tag = ev.get("Start")
        if tag is not None:
            name = tag if tag.__class__ is str else next(iter(tag))
            if name not in _BLOCKS:
                continue
            if depth == 0:
                top = Block(_KIND.get(name, "other"), rng["start"], rng["end"])
                if name == "Heading":
                    top.level = int(tag["Heading"]["level"][1])
            elif depth == 1 and name == "Item":
                item_start = rng["start"]
            elif top is not None and top.kind == "table" and name in ("TableRow", "TableHead"):
                row_start, cells = rng["start"], []
            depth += 1
            continue
        tag = ev.get("End")
        if tag is None:
            continue
        name = tag if tag.__class__ is str else next(iter(tag))
        if name not in _BLOCKS:
            continue
        depth -= 1
        if depth == 0 and top is not None:
            top.end = rng["end"]
            out.append(top)
            top = None
        elif top is not None and top.kind == "list" and depth == 1 and name == "Item":
            top.items.append((item_start, rng["end"]))
        elif top is not None and top.kind == "table":
            if name == "TableCell":
                cells.append((rng["start"], rng["end"]))
            elif name in ("TableRow", "TableHead"):
                top.items.append((row_start, cells))
    return out


_KIND = {
    "Heading": "heading",
    "Paragraph": "para",
    "List": "list",
    "Table": "table",
    "CodeBlock": "code",
    "HtmlBlock": "html",
    "BlockQuote": "quote",
}


# --- lines -----------------------------------------------------------------------------------
_LABEL = re.compile(  # spaces include the no-break ones French puts before a colon ("Statut :");
    # the label in bold, or in italics (*Severity*: of Jira's wiki markup, _Severity_:)
    r"""^[ \t]*(?:[-*+][ \t]+|\d{1,3}[.)][ \t]+)?(?:\[[ xX]\][ \t]+)?
    (?:(?P<b>\*\*|__)[ \t]*(?P<bold>[^*_\n]{1,60}?)[ \t\u00a0\u202f]*
         (?::[ \t]*(?P=b)|(?P=b)[ \t\u00a0\u202f]*(?::|[-–—](?=[ \t])|(?=[ \t]+\S)))
      |(?P<i>\*(?![*\s])|_(?![_\s]))(?P<ital>[^*_\n]{1,60}?)[ \t\u00a0\u202f]*
         (?::[ \t]*(?P=i)|(?P=i)[ \t\u00a0\u202f]*:)
      |(?P<plain>[^\W\d][^:\n*]{0,58}?)(?<!\d)[ \t\u00a0\u202f]*:(?!//))
    [ \t\u00a0\u202f]*(?P<value>.*)$""",
    re.X,
)


_MARKUP = re.compile(r"(\*\*|__|`|~~)")


_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")


_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


BULLET = re.compile(r"^[ \t]*(?:[-*+]|\d{1,3}[.)])[ \t]+")


_CHECKBOX = re.compile(r"^(?:\[([ xX✓✔])\]|(?P<mark>[✅✔☑✓🗹❌✗✘☐⬜🔲])\ufe0f?)[ \t]*")


def checkbox(text: str) -> tuple[bool | None, str]:
    """``[x] text`` / ``✅ text`` -> (True, "text"); ``[ ] text`` / ``❌ text`` -> (False,
    "text"); no box -> (None, text). A box escaped by a converter (``\\[x\\]``) is a box."""
    if text.startswith("\\["):
        text = text.replace("\\[", "[", 1).replace("\\]", "]", 1)
    m = _CHECKBOX.match(text)
    if m is None:
        return None, text
    mark = m.group(1) or m.group("mark")
    return mark not in " ❌✗✘☐⬜🔲", text[m.end() :]


ID_IN_TITLE = re.compile(
    r"^\[?([A-Z][A-Z0-9]{1,11}(?:-[A-Z][A-Z0-9]{0,11})*-\d[\w-]*)\]?\s*(?::|[-–—]\s)"
)  # "INC-2026-0042: ...", "INC-SE-2026-044 – ..."


ZONE_NOTE = re.compile(
    r"\b(?:all\s+|todas\s+las\s+|todos\s+os\s+|toutes\s+les\s+|alle\s+)?"
    r"(?:times?|horas|horários|horarios|heures|zeiten|uhrzeiten)\b[^.\n]{0,30}?"
    r"\b(?:are\s+|in\s+|below\s+are\s+|shown\s+in\s+|son\s+de\s+|são\s+de\s+|en\s+|em\s+)?"
    r"(?P<zone>[A-Za-z]+(?:/[A-Za-z_]+)?|[+-]\d{2}:?\d{2})\b",
    re.I,
)


_BR = re.compile(r"<br\s*/?>", re.I)
#: A timeline of offsets: "T0 = 2026-09-22 03:40 UTC" (also "T+0 =", "T₀:", "T+0:00 is"),
#: then "T+6m" (also "+0:06" once a T0 is set).
T_ZERO = re.compile(
    r"\bT\s*(?:\+\s*)?(?:[0₀](?::00)?|00:00)\s*(?:[=:]|is\b)\s*(?P<t>[^()\n]+?)"
    r"\s*(?:\(|$|\.\s|\s[—–-]\s)"
)
T_OFFSET = re.compile(
    r"^(?:T\s*\+\s*(?P<d>\d[\dhmsd: ]*)|\+(?P<c>\d{1,3}:\d{2}(?::\d{2})?))$", re.I
)


def unescaped(text: str) -> str:
    """Backslash escapes of punctuation removed, as CommonMark renders them (``INC\\-2025``
    from a Google Docs export reads ``INC-2025``), and the ``<br>`` of Notion and Confluence
    exports a line break."""
    if "<" in text:
        text = _BR.sub("\n", text)
    if "&" in text and ";" in text:  # &nbsp; &amp; &#8211;: entities, as CommonMark renders
        text = html.unescape(text).replace("\u00a0", " ")
    return _ESCAPED.sub(r"\1", text) if "\\" in text else text


def plain(text: str) -> str:
    """A value without inline markup: ``**P2**`` -> ``P2``, ``[INC-1](url)`` -> ``INC-1``."""
    text = unescaped(text)
    if "[" in text and "](" in text:
        text = _LINK.sub(r"\1", text)
    if "*" in text or "_" in text or "`" in text or "~" in text:
        text = _MARKUP.sub("", text)
        if text.startswith("*") and text.endswith("*") and len(text) > 2:
            text = text[1:-1]
    return text.strip()


def label_then_value(item: str) -> str:
    """A list item's first line, with the value joined on when it is written on the lines
    below its label (``- **Incident Commander**:`` then ``  Sam Tremblay``)."""
    head, _, rest = item.partition("\n")
    found = label_of(head) if rest.strip() and re.search(r":\s*\**\s*$", head) else None
    if found and not found[1].strip() and not rest.lstrip().startswith(("-", "*", "+", "|")):
        return f"{head.rstrip()} {' '.join(rest.split())}"
    return head


_GRID_RULE = re.compile(r"^\+(?:[-=:]+\+)+\s*$")


def grid_rows(text: str, first_line: int) -> list[tuple[int, list[str]]] | None:
    """The rows of a pandoc grid table (``+----+----+`` rules, ``|`` cells that wrap over
    several lines) as ``(line, cells)``, the header first; None for any other text."""
    lines = text.split("\n")
    if len(lines) < 3 or not _GRID_RULE.match(lines[0].strip()):
        return None
    edges = [i for i, ch in enumerate(lines[0].strip()) if ch == "+"]
    rows: list[tuple[int, list[str]]] = []
    cells: list[list[str]] | None = None
    for n, raw in enumerate(lines):
        line = raw.strip()
        if _GRID_RULE.match(line):
            if cells is not None:
                rows[-1] = (rows[-1][0], [plain_cell(" ".join(c).strip()) for c in cells])
            cells = None
            continue
        if not line.startswith("|"):
            return None
        if cells is None:
            cells = [[] for _ in edges[1:]]
            rows.append((first_line + n, []))
        for k, (a, z) in enumerate(itertools.pairwise(edges)):
            piece = line[a + 1 : z].strip(" |")
            if piece:
                cells[k].append(piece)
    return rows or None


def label_of(line: str) -> tuple[str, str] | None:
    """``(label, value)`` of a labelled line, or None."""
    m = _LABEL.match(line)
    if (
        m is None
        and line[:1] in "*_"
        and line[:2] not in ("**", "__")
        and line.rstrip()[-1:] == line[0]
    ):
        m = _LABEL.match(line.strip()[1:-1])  # a whole line in italics
    if m is None:
        return None
    label = m.group("bold") or m.group("ital") or m.group("plain")
    label, value = label.strip().rstrip(":").strip(), m.group("value").strip()
    return _label_aside(label, value) if label[-1:] == ")" else (label, value)


_LABEL_ASIDE = re.compile(r"^(?P<core>[^()]*\S)\s*\((?P<aside>[^()]{1,40})\)$")
_UNIT_ASIDE = re.compile(
    r"(?:in\s+)?(?:minutes?|mins?|hours?|hrs?|seconds?|secs?|days?|%|percent|[A-Z]{3}|[$€£¥₹])",
    re.I,
)


def _label_aside(label: str, value: str) -> tuple[str, str]:
    """``Users Affected (est.): 1,200`` reads as ``Users Affected: 1,200 (est.)`` and
    ``Downtime (minutes): 45`` as ``Downtime: 45 minutes``: a note after a known label is
    the value's, not part of the label (which then names nothing)."""
    m = _LABEL_ASIDE.match(label)
    if m is None:
        return label, value
    core, aside = m.group("core"), m.group("aside").strip()
    if not (V.field_key(core) or V.milestone_kind(core)):
        return label, value
    if not value or aside == "".join(w[0] for w in core.split()).upper():
        return core, value  # "Incident Commander (IC)"; a value on the next line stays there
    if _UNIT_ASIDE.fullmatch(aside):
        return core, f"{value} {aside.removeprefix('in ').strip()}"
    return core, f"{value} ({aside})"


def item_body(text: str) -> str:
    """A list item's text without its bullet, and continuation lines dedented."""
    lines = text.split("\n")
    m = BULLET.match(lines[0])
    indent = m.end() if m else 0
    first = lines[0][indent:]
    rest = [ln[indent:] if ln[:indent].strip() == "" else ln.lstrip() for ln in lines[1:]]
    return "\n".join([first, *rest]).strip()


# --- pieces of a timeline line ---------------------------------------------------------------
_BY_WORDS = "|".join(V.BY_WORDS)


_WHO = re.compile(
    rf"(?P<sep>\s*\(\s*(?:{_BY_WORDS})\b:?\s*|[\s,]+(?:[-–—]\s+)?(?:{_BY_WORDS})\b:?\s+"
    rf"|\s+(?:{'|'.join(V.TO_WORDS)})\b:?\s+(?!\d)|\s+[-–—]\s+|\s*;\s+)",
    re.I,
)


def split_line(value: str) -> tuple[str, str | None, str | None, str | None]:
    """``time by who to role`` -> ``(time, actor, role, description)``."""
    m = _WHO.search(value)
    if m is None:
        return value.strip(), None, None, None
    when, rest = value[: m.start()], value[m.end() :]
    sep = m.group("sep").strip().lower().lstrip(",").strip()
    actor = role = description = None
    if sep.startswith("("):
        actor = rest[:-1] if rest.endswith(")") and rest.count("(") < rest.count(")") else rest
    elif _last_word(sep) in V.BY_WORDS:
        actor = rest
    elif _last_word(sep) in V.TO_WORDS:
        role = rest
    else:
        inner = _WHO.match(" " + rest)
        if inner and _last_word(inner.group("sep").strip().lower().lstrip("(")) in (
            *V.BY_WORDS,
            *V.TO_WORDS,
        ):
            return split_line(when + " " + rest)
        description = rest
    if actor is not None:
        pos = _TO.search(actor)
        if pos:
            actor, role = actor[: pos.start()], actor[pos.end() :]
    elif role is not None:
        pos = _BY.search(role)
        if pos:
            role, actor = role[: pos.start()], role[pos.end() :].rstrip(")")
    dashed = []  # "to DBA on-call — lock chain confirmed": what was done, not the role
    for name in ("actor", "role"):
        value = actor if name == "actor" else role
        if value and (cut := _DASH_AFTER.search(value)):
            dashed.append(value[cut.end() :].strip())
            value = value[: cut.start()]
            actor, role = (value, role) if name == "actor" else (actor, value)
    actor, actor_note = without_note(actor)
    role, role_note = without_note(role)
    notes = [(description or "").strip(), *dashed, actor_note, role_note]
    description = "; ".join(filter(None, notes))
    return when.strip(), who(actor), who(role), description or None


_DASH_AFTER = re.compile(r"\s[—–]\s+")
#: A name or role and a parenthetical aside after it (``DB on-call (replica lag 40 s)``).
_ASIDE_AFTER = re.compile(r"^(?P<core>[^()]*\S)\s+\((?P<aside>[^()]+)\)\s*$")


def without_note(text: str | None) -> tuple[str | None, str | None]:
    """``DB on-call (replica lag 40 s)`` -> ``("DB on-call", "replica lag 40 s")``: a note
    after who or to whom is no part of the name. A short qualifier stays part of it
    (``Plattform-Bereitschaft (Leitung)``): only notes with a digit or three words go."""
    m = _ASIDE_AFTER.match(text or "")
    if m and (re.search(r"\d", m.group("aside")) or len(m.group("aside").split()) >= 3):
        return m.group("core"), m.group("aside")
    return text, None


def _last_word(sep: str) -> str:
    words = sep.split()
    return words[-1].rstrip(":") if words else ""


_TO = re.compile(r"\s+to\s+")


_BY = re.compile(r"\s+(?:\(?by|via)\s+")


#: "March 4, 2026" stays one piece; "Wei Jie, 2026-11-28" is two (a date after the comma);
#: "@Jane Doe @April 14, 2026" (Notion's mentions of a person and a date) is two.
_PIECES = re.compile(r",(?!\s*\d{4}\b(?![-/.]\d))\s*|\s+and\s+|(?<!:)\s+(?=@)")


_PAGED = re.compile(
    r"^(?:paged|paging|page|called|escalated to|handed(?: over)? to|to)\s+(?:the\s+)?(?P<role>\S.*)$",
    re.I,
)
_PARTY = re.compile(r"^\(?\s*(?P<name>@?[A-Z][\w.@&'’-]*(?:\s+[\w.@&'’-]+){0,3})\s*\)?$")


_TRAILING_ASIDE = re.compile(r"^(?P<when>.*\S)\s*\((?P<aside>[^()]+)\)$")
#: Asides about the time that name no zone: a clock or offset (``(10:30 in Paris)``,
#: ``(T+0)``) or words of time (``(local time)``).
_TIME_ASIDE = re.compile(
    r"^(?:UTC|GMT|UT|Z)?\s*[+\-−]?\s*\d|^T\s*\+|\b(?:time|zone|local|hora|zeit|heure)\b", re.I
)


def time_aside(when: str) -> tuple[str, str | None]:
    """``07:05 UTC (CloudWatch alarm)`` -> the time, and the aside after it; an aside that
    belongs to the time (``(CEST)``, ``(UTC+2)``, ``(T+0)``, ``(local time)``) stays."""
    m = _TRAILING_ASIDE.match(when.strip())
    if m is None:
        return when, None
    aside = m.group("aside").strip()
    if F.names_zone(aside) or _TIME_ASIDE.search(aside):
        return when, None
    return m.group("when"), aside


def paged_role(text: str | None) -> str | None:
    """Whom an escalation went to, written as what was done (``paged Payments on-call``,
    ``— paged DB team``): the role, or None."""
    m = _PAGED.match((text or "").strip())
    if m is None or re.match(r"(?:via|by|through|using|with)\b", m.group("role"), re.I):
        return None  # "paged via Opsgenie": how, not whom
    return who(without_note(m.group("role"))[0])  # the note stays in the description


def named_party(text: str | None) -> str | None:
    """Who detected or acknowledged, written after the time with no ``by`` (``— Pingdom``,
    ``(CloudWatch alarm)``): a short name of up to four words starting with a capital,
    without digits; None for anything that reads as what was done."""
    m = _PARTY.match((text or "").strip())
    if m is None or re.search(r"\d", m.group("name")):
        return None
    return who(m.group("name"))


def who(text: str | None) -> str | None:
    if text is None:
        return None
    s = plain(text).strip(" .;")
    return None if V.is_placeholder(s) or V.is_unknown(s) else s


# --- action items ------------------------------------------------------------------------------
_META_BRACKETS = re.compile(r"\s*[\[(](?P<body>[^\[\]()]{1,80})[\])]\s*$")


_ENGLISH_META = (
    "owner|owners|assignee|assigned to|who|responsible|due|due date|deadline|eta|by|target|"
    "target date|when"
)


_OTHER_META = "|".join(  # other languages' words count only with a colon: "fecha: 2026-10-17"
    sorted(
        (re.escape(w) for w in (*V.OWNER_WORDS, *V.DUE_WORDS) if w not in _ENGLISH_META.split("|")),
        key=len,
        reverse=True,
    )
)


_META_KEY = re.compile(
    rf"^(?:(?P<key>{_ENGLISH_META})\s*[:=]?|(?P<other>{_OTHER_META})\s*[:=])\s*(?P<value>.*)$",
    re.I,
)


_SEGMENT = re.compile(
    r"\s+[-–—|→·•]\s+|\s*;\s+|\s+[–—]|[–—]\s+"
    r"|[.,]\s+(?=(?:owner|owners|assignee|assigned to|due|due date|deadline|eta)\b)"
    rf"|[.,]\s+(?=(?:{_OTHER_META})\s*:)",
    re.I,
)


_SEGMENT_KEPT = re.compile(f"({_SEGMENT.pattern})", re.I)


_INLINE_META = re.compile(
    rf"\s(?=(?:owner|owners|assignee|assigned to|due|deadline|{_OTHER_META})\s*:)", re.I
)


_TRAILING_HANDLE = re.compile(r"\s+@([\w.\-]+)$")


_NAME = re.compile(r"^@?[\w.\-']+(?:\s+[\w.\-']+){0,3}$")


def split_item(text: str) -> tuple[str, str | None, str | None, bool]:
    """``text - Owner: x - Due: d`` and the other ways people write it -> ``(text, owner,
    due text, struck through)``."""
    body = text.strip()
    owner = due = None
    struck = False
    for _ in range(4):  # trailing [owner: x] [due: y] / (owner: x, due y) / (@x, 2026-03-10)
        m = _META_BRACKETS.search(body)
        if m is None:
            break
        o, d = _meta(m.group("body"))
        if o is None and d is None:
            break
        owner, due = owner or o, due or d
        body = body[: m.start()].rstrip()
    parts = _SEGMENT_KEPT.split(body)  # text, separator, text, ...: separators kept
    m = _INLINE_META.search(parts[0])  # "text Owner: @ana" without a separator
    if m:
        o, d = _meta(parts[0][m.start() :].strip())
        if o is not None or d is not None:
            owner, due = owner or o, due or d
            parts[0] = parts[0][: m.start()].rstrip(" ,.;")
    keep = [parts[0]]
    for sep, segment in zip(parts[1::2], parts[2::2], strict=True):
        o, d = _meta(segment)
        if o is None and d is None:
            keep += [sep, segment]  # the item's own words, as written ("cfg → v811")
            continue
        if o is None and owner is None and len(keep) > 2 and _named(keep[-1]):
            o = keep[-1]  # "text · Grace Kim · 2026-07-15": the name before the due
            del keep[-2:]
        owner, due = owner or o, due or d
    body = "".join(keep).strip()
    m = _TRAILING_HANDLE.search(body)  # "text @carol" (a due may have been split off already)
    if m and owner is None:
        owner, body = m.group(1), body[: m.start()].rstrip()
    if body.startswith("~~") and "~~" in body[2:]:
        end = body.index("~~", 2)
        struck = True
        body = (body[2:end] + body[end + 2 :]).strip()
    return body, owner, due, struck


def _named(segment: str) -> bool:
    """A segment that is only a name (``Grace Kim``, ``@ana``): capitalised or a handle."""
    text = segment.strip()
    return bool(_NAME.match(text)) and text[:1].isupper() | text.startswith("@")


def _meta(segment: str) -> tuple[str | None, str | None]:
    """Owner and due date of one trailing segment (``Owner: @x``, ``@x``, ``Dev Patel, by
    Apr 30``, ``due 2026-03-10``, ``2026-03-06``)."""
    owner = due = None
    pieces = [p.strip() for p in _PIECES.split(segment.strip()) if p.strip()]
    unnamed = []
    labelled_owner = False
    for piece in pieces:
        m = _META_KEY.match(piece)
        if m and m.group("value"):
            key = (m.group("key") or m.group("other")).lower()
            if key in V.OWNER_WORDS:
                owner, labelled_owner = m.group("value"), True
            else:
                due = m.group("value")
        elif labelled_owner and due is None and _NAME.match(piece) and not _looks_like_date(piece):
            owner = f"{owner}, {piece}"  # Owner: Bob, Alice
        elif _looks_like_date(piece):
            due = piece
        elif piece.startswith("@") and _looks_like_date(piece[1:]):
            due = piece[1:]  # a date mentioned in Notion
        elif piece.startswith("@"):
            owner = piece
        else:
            unnamed.append(piece)
    if owner is None and due is not None and len(unnamed) == 1 and _NAME.match(unnamed[0]):
        owner, unnamed = unnamed[0], []
    if unnamed:
        return None, None  # a segment of the item's own words
    return owner, due


_MONTHS = "|".join(
    sorted(map(re.escape, {*V.MONTH_WORDS, *(m.lower() for m in calendar.month_abbr[1:]),
                           *(m.lower() for m in calendar.month_name[1:])}), key=len, reverse=True)
)  # fmt: skip
_WEEKDAYS = "|".join(
    sorted(map(re.escape, {*V.WEEKDAY_WORDS, *V.WEEKDAY_NUMBERS}), key=len, reverse=True)
)  # fmt: skip
_DATEISH = re.compile(
    rf"^(?:(?:{_WEEKDAYS})\.?,?\s+)?"  # "Wed 4 Mar", "vie 4/9"
    rf"(?:\d{{1,2}}[/.\- ](?:{_MONTHS})\.?(?:[/.\- ]\d{{2,4}})?|"  # "19/mar", "4 abr 2026"
    r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[/.]\d{1,2}(?:[/.]\d{2,4})?|\d{1,2}-\d{1,2}-\d{2,4}|"
    r"(?:\d{1,2}\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?(?:\s+\d{1,2})?"
    r"(?:,?\s+\d{4})?|q[1-4](?:\s+\d{4})?|eo[dwmq]|end of (?:day|week|month|quarter)|asap|"
    r"today|tomorrow|next (?:week|month|sprint))$",
    re.I,
)


def _looks_like_date(text: str) -> bool:
    return bool(_DATEISH.match(text.strip().strip(".")))


# --- timeline, team and heading lines -----------------------------------------------------------
def sent(box: bool | None, text: str) -> bool | None:
    """Whether a communication item was done: its box, else a trailing yes/no, else listed
    as a plain statement ("- Status page updated"): done."""
    if box is not None:
        return box
    m = re.search(r"[:\-–—]\s*(yes|no|done|sent|not sent|n/?a|pending)\W*$", text)
    if m:
        word = m.group(1)
        return None if word in ("na", "n/a", "pending") else word in ("yes", "done", "sent")
    return not text.startswith(("not ", "no "))


MILESTONE_LEAD = re.compile(
    r"^((?:[\w-]+)(?:\s+[\w-]+)?)(?=\s*$|\s*[:(]|\s+(?:by|to|via)\b|\s+[-–—]\s)", re.I
)


TIMEISH = re.compile(r"\d{1,2}:\d{2}|\d{4}-\d{2}-\d{2}|\d\s*[ap]\.?m\b", re.I)


TIME_FIRST = re.compile(
    r"^[*`]*\s*(?:T\s*\+\s*\d|\+\d{1,3}:\d{2}|\d{1,2}:\d{2}|\d{4}[-/]\d{1,2}[-/]\d{1,2}|\d{1,2}\.\d{1,2}\.\d{4}|"
    r"(?:\d{1,2}\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d)",
    re.I,
)


#: a time in brackets before the words, as chat and tool logs write it
BOXED_TIME = re.compile(
    r"^[\[(]\s*(?P<t>[^\[\]()]{4,40}?)\s*[\])]\s*[-–—:|]?\s*(?P<rest>.*)$", re.S
)


TIME_FIRST_SPLIT = re.compile(
    r"^\**(?P<t>.{4,60}?)(?:\*\*\s*[-–—:|]?\s*|\s+[-–—|]\s+|:\s+)(?P<rest>\S.*)$"
)


_CLOCK = r"\d{1,2}:\d{2}(?::\d{2})?(?:\s?[ap]\.?m\.?)?"


_CLOCK_ZONE_WORDS = re.compile(
    rf"^\**(?P<t>{_CLOCK}\s+(?:[A-Za-z]{{1,5}}|(?:UTC|GMT)?[+-]\d{{1,2}}(?::?\d{{2}})?))\**"
    r"\s+(?P<rest>\S.*)$",
    re.I,
)


_CLOCK_WORDS = re.compile(rf"^\**(?P<t>{_CLOCK})\**\s+(?P<rest>\S.*)$", re.I)


def only_time(text: str) -> bool:
    """Whether a piece before the words is a time alone: a clock (or a date and clock), then
    nothing but zone names (``14:05``, ``14:05 UTC``, ``2:05 PM (PST)``)."""
    if _OFFSET_WORDS.match(text.strip("* ")):
        return False  # "T+6m  Grafana pages dmitri": an offset, then words
    m = re.match(rf"^[*\s]*(?:\d{{4}}[-/.]\d{{1,2}}[-/.]\d{{1,2}}[ T,]*)?{_CLOCK}", text, re.I)
    if m is None:
        return not re.match(r"^[*\s]*\d{1,2}:\d{2}", text)  # not a clock first: as before
    for word in re.split(r"[\s()*]+", text[m.end() :]):
        up = word.upper()
        zone = up in V.ZONE_ABBREVIATIONS or "/" in word or up.startswith(("+", "-", "UTC", "GMT"))
        if word and not zone:
            return False
    return True


_OFFSET_WORDS = re.compile(
    r"^(?P<t>T\s*\+\s*\d[\dhms:]*|\+\d{1,3}:\d{2}(?::\d{2})?)\s+(?:[—–-]\s+)?(?P<rest>\S.*)$", re.I
)


def clock_then_words(text: str) -> re.Match | None:
    """``23:40 batch start`` / ``23:40 CET batch start``: a clock, its zone when the next
    word names one, then the words; or an offset from T0 (``T+9m  on-call acks``)."""
    m = _OFFSET_WORDS.match(text)
    if m:
        return m
    m = _CLOCK_ZONE_WORDS.match(text)
    if m:
        zone = m.group("t").split()[-1].upper()
        if zone in V.ZONE_ABBREVIATIONS or zone[0] in "+-" or zone.startswith(("UTC", "GMT")):
            return m
    return _CLOCK_WORDS.match(text)


ITEM_TEXT = frozenset(
    ("action", "action item", "item", "task", "description", "what", "todo", "follow up")
)


def header_column(header: str) -> str | None:
    """What a timeline table's column holds, from its (normalised) header."""
    if header in V.TIMELINE_COLUMNS:
        return V.TIMELINE_COLUMNS[header]
    first = header.split(" ", 1)[0] if header else ""
    if V.TIMELINE_COLUMNS.get(first) == "timestamp" or header.upper() in V.ZONE_ABBREVIATIONS:
        return "timestamp"  # "Time (UTC)", or a zone alone: "| UTC | Event |"
    return None


BY_WHOM = re.compile(r"^(?:by|via)\s+(.+)$", re.I)


def by_or_to(after: str) -> tuple[str | None, str | None]:
    """``by Alice`` / ``to SRE on-call`` after a milestone's words -> ``(actor, role)``."""
    after = after.strip()
    first, _, rest = after.partition(" ")
    if first.lower() in V.ESCALATED_TO and first.lower() not in V.TO_WORDS and rest:
        return None, who(rest)  # "eskaliert an Plattform-Team", "escalado a SRE de guardia"
    if not _WHO.match(" " + after):
        return None, None
    _, actor, role, _ = split_line("x " + after)
    return actor, role


_ROLE_AFTER = re.compile(r"^(?P<name>[^()\[\]]+?)\s*[(\[](?P<role>[^)\]]+)[)\]]\s*$")


_ROLE_SPLIT = re.compile(r"\s+[-–—]\s+|\s*[–—]\s*")


_TITLE_PREFIX = re.compile(r"^(?P<words>[^:—–]{2,40}?)\s*(?::|\s[—–-])\s+(?P<rest>\S.*)$")


def without_prefix(title: str) -> str:
    """``Incident Report — OTP failures`` -> ``OTP failures``; other titles as written."""
    m = _TITLE_PREFIX.match(title)
    if m and V.title_prefix(m.group("words")):
        return m.group("rest").strip()
    return title


_FIELD_SEP = re.compile(r"\s+[|·•]\s+|;\s+(?=[*_]*[A-Z])")


def field_pieces(text: str) -> list[str]:
    """Labelled fields written on one line (``**ID:** X | **Severity:** P1 | **Status:**
    Closed``) -> one text each; any other line as it is."""
    if not ("|" in text or "·" in text or "•" in text or ";" in text):
        return [text]
    parts = _FIELD_SEP.split(text)
    if len(parts) < 2 or not all(label_of(part.strip()) for part in parts):
        return [text]
    known = [label_of(p.strip())[0] for p in parts]
    if not any(V.field_key(k) or V.norm(k) in V.INCIDENT_DATE_LABELS for k in known):
        return [text]  # "Note: a | Tip: b": no field of the template on the line
    return [p.strip() for p in parts]  # an unknown label is read on its own (kept, warned)


def name_and_role(text: str) -> tuple[str, str] | None:
    """``Maria Lopez (Incident Commander)`` / ``Comms — Ana Ruiz`` -> ``(role, name)``."""
    text = plain(text)
    m = _ROLE_AFTER.match(text)
    if m and V.field_key(m.group("role")) in _TEAM_COLUMNS:
        return m.group("role"), m.group("name")
    parts = _ROLE_SPLIT.split(text, maxsplit=1)
    if len(parts) == 2:
        for role, name in (parts, parts[::-1]):
            if V.field_key(role) in _TEAM_COLUMNS:
                return role, name
    return None


_TEAM_COLUMNS = frozenset(lb.column for lb in V.TEAM_LABELS)


def zone_hint(header: str) -> str | None:
    """The zone a heading or column header names: ``Time (UTC)``, ``Timeline (London
    time)``, or ``UTC`` alone."""
    m = re.search(r"\(([^)]+)\)", header)
    if m:
        return V.zone_named(m.group(1)) or m.group(1).strip()
    return header.strip() if header.strip().upper() in V.ZONE_ABBREVIATIONS else None


def plain_cell(text: str) -> str:
    return plain(text.replace("\\|", "|"))


def plain_keep_links(text: str) -> str:
    """A timeline value without emphasis markup (links keep their text)."""
    return plain(text)


@lru_cache(maxsize=4096)
def heading_text(raw: str) -> str:
    first = raw.split("\n", 1)[0].strip()
    if first.startswith("#"):
        return _CLOSING_HASHES.sub("", first.lstrip("#")).strip()
    return " ".join(raw.split("\n")[:-1]).strip()  # setext: the underline is the last line


@lru_cache(maxsize=4096)
def without_emoji(title: str) -> str:
    """``💳 Card surcharge charged twice`` -> ``Card surcharge charged twice``: the pictograph a
    heading starts with is decoration (symbols such as ``#1`` or ``$`` stay)."""
    start = 0
    while start < len(title) and (
        unicodedata.category(title[start]) == "So" or title[start] in "\ufe0f\u200d "
    ):
        start += 1
    return title[start:] or title


def bare(title: str) -> str:
    """A heading without a parenthesised aside or a tail after a colon or dash."""
    return _TAIL.split(_ASIDE.sub(" ", title), maxsplit=1)[0]


@lru_cache(maxsize=4096)
def section_key(title: str) -> str | None:
    """The section a heading names, also one side of a bilingual ``Zeitlinie / Timeline``."""
    key = V.section_key(title) or V.section_key(bare(title))
    if key is None and " / " in title:
        sides = title.split(" / ")
        key = next((k for t in sides if (k := V.section_key(t) or V.section_key(bare(t)))), None)
    return key


_CLOSING_HASHES = re.compile(r"\s+#+\s*$")


_ASIDE = re.compile(r"\([^)]*\)")


_TAIL = re.compile(r":\s|\s[-–—]\s")
