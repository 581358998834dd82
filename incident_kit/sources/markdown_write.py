"""Writing incidents back as filled-in copies of the report template.

The shape comes from :mod:`incident_kit.vocab` (sections, parts, labels, placeholders), the
same definitions the reader looks words up in, so parse -> render -> parse gives the same
data. Unknown values are written as the template's placeholders, so they read back as unknown.
"""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd

from .. import vocab as V
from ..model import HORIZONS, IncidentSet


def render(iset: IncidentSet, incident_id: str) -> str:
    """The incident as a filled-in copy of the report template (Markdown).

    >>> print(render(iset, "INC-2026-0001")[:40])   # doctest: +SKIP
    # Checkout API returned 502s after a bad
    """
    one = iset.select([incident_id])
    return _render(incident_id, one.incidents.iloc[0].to_dict(), one.events, one.action_items)


def render_all(iset: IncidentSet) -> Iterator[tuple[str, str]]:
    """``(incident_id, markdown)`` for every incident, grouping the tables once (fast for
    thousands of incidents, where :func:`render` per incident would scan them each time)."""
    events = dict(tuple(iset.events.groupby("incident_id", sort=False)))
    items = dict(tuple(iset.action_items.groupby("incident_id", sort=False)))
    empty_ev, empty_ai = iset.events.iloc[:0], iset.action_items.iloc[:0]
    for iid, row in zip(iset.incidents.index, iset.incidents.to_dict("records"), strict=True):
        yield iid, _render(iid, row, events.get(iid, empty_ev), items.get(iid, empty_ai))


def _render(iid: str, inc: dict, events: pd.DataFrame, items: pd.DataFrame) -> str:
    notes = _notes_by_section(inc.get("notes"))
    title = _text(inc.get("title"))
    heading = title if title and not _reads_as_section(title) else V.TEMPLATE_TITLE
    out = [f"# {heading}", ""]
    for section in V.SECTIONS:
        out += [f"## {section.title}", ""]
        for chunk in notes.get(section.key, []):  # before the parts, so they stay unplaced
            out += [chunk, ""]
        out += _SECTION_WRITERS[section.key](iid, inc, events, items)
    extra = _text(inc.get("extra_sections"))
    if extra:
        out += [extra, ""]
    out += ["---", ""]
    out += [f"**{lb.title}**: {_field(inc, lb)}" for lb in V.FOOTER_LABELS]
    out.append("")
    return "\n".join(out)


# --- values --------------------------------------------------------------------------------
def _text(value: object) -> str | None:
    if value is None or (not isinstance(value, str | list | dict) and pd.isna(value)):
        return None
    text = str(value).strip()
    return text or None


def _date(value: object) -> str | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).strftime("%Y-%m-%d")


def _time(ts: pd.Timestamp) -> str:
    ts = pd.Timestamp(ts).tz_convert("UTC")
    if ts.microsecond:
        return ts.strftime("%Y-%m-%d %H:%M:%S.%f") + " UTC"
    if ts.second:
        return ts.strftime("%Y-%m-%d %H:%M:%S") + " UTC"
    return ts.strftime("%Y-%m-%d %H:%M") + " UTC"


def _duration(td: object) -> str:
    seconds = int(pd.Timedelta(td).total_seconds())
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    out = (f"{hours}h " if hours else "") + (f"{minutes}m " if minutes or not hours else "")
    return (out + (f"{secs}s" if secs else "")).strip()


def _users(inc: dict) -> str | None:
    text = _text(inc.get("users_affected_text"))
    if text:
        return text
    count, pct = inc.get("users_affected"), inc.get("users_affected_pct")
    parts = []
    if count is not None and not pd.isna(count):
        parts.append(str(int(count)))
    if pct is not None and not pd.isna(pct):
        parts.append(f"({float(pct):g}%)" if parts else f"{float(pct):g}%")
    return " ".join(parts) or None


def _field(inc: dict, label: V.Label) -> str:
    column = label.column
    if column == "services":
        value = ", ".join(inc.get("services") or []) or None
    elif column == "users_affected":
        value = _users(inc)
    elif column == "downtime_stated":
        value = _text(inc.get("downtime_text"))
        stated = inc.get("downtime_stated")
        if value is None and stated is not None and not pd.isna(stated):
            value = _duration(stated)
    elif column in ("report_date", "next_review"):
        value = _date(inc.get(column))
    else:
        value = _text(inc.get(column))
    return value or label.placeholder


def _items(values: list | None, placeholder: str, ordered: bool = False) -> list[str]:
    values = [v for v in (values or []) if _text(v)] or [f"[{placeholder} 1]"]
    out = []
    for i, value in enumerate(values, 1):
        marker = f"{i}. " if ordered else "- "
        lines = str(value).strip().split("\n")
        out.append(marker + lines[0])
        out += [(" " * len(marker) + line) if line.strip() else "" for line in lines[1:]]
    return out


def _box(done: object) -> str:
    return (
        "[x]" if done is True or (done is not None and not pd.isna(done) and bool(done)) else "[ ]"
    )


def _cell(value: object) -> str:
    text = _text(value)
    return text.replace("|", "\\|").replace("\n", " ") if text else ""


# --- sections --------------------------------------------------------------------------------
def _summary(iid, inc, events, items) -> list[str]:
    out = []
    for label in V.SUMMARY_LABELS:
        if label.column == "title":
            title = _text(inc.get("title"))
            if title and _reads_as_section(title):  # "# Team" would be the section: labelled
                out.append(f"**{label.title}**: {title}")
            continue
        value = iid if label.column == "incident_id" else _field(inc, label)
        out.append(f"**{label.title}**: {value}")
    summary = _text(inc.get("summary"))
    return [*out, "", *([summary, ""] if summary else [])]


def _reads_as_section(title: str) -> bool:
    """A title that, written as the ``#`` heading, would read as a template section."""
    return V.section_key(title) is not None


def _timeline(iid, inc, events, items) -> list[str]:
    first: dict[str, dict] = {}
    table: list[dict] = []
    for row in events.to_dict("records"):
        kind = str(row["kind"])
        if kind in V.MILESTONE_LABELS and kind not in first and not _text(row.get("description")):
            first[kind] = row
        else:
            table.append(row)
    out = []
    for kind, label in V.MILESTONE_LABELS.items():
        row = first.get(kind)
        if row is None:
            if kind in V.TEMPLATE_MILESTONES:
                out.append(f"- **{label}**: [timestamp]{V.TEMPLATE_MILESTONES[kind]}")
            continue
        line = f"- **{label}**: {_time(row['timestamp'])}"
        if _text(row.get("role")):
            line += f" to {_text(row['role'])}"
        if _text(row.get("actor")):
            line += f" by {_text(row['actor'])}"
        out.append(line)
    out.append("")
    if table:
        part = V.SECTION_BY_KEY["timeline"].parts[0]
        out += [
            f"### {part.title}",
            "",
            "| time | kind | actor | role | description |",
            "| --- | --- | --- | --- | --- |",
        ]
        for row in sorted(table, key=lambda r: r["timestamp"]):
            cells = [_time(row["timestamp"]), str(row["kind"])]
            cells += [_cell(row.get(c)) for c in ("actor", "role", "description")]
            out.append("| " + " | ".join(cells) + " |")
        out.append("")
    return out


def _impact(iid, inc, events, items) -> list[str]:
    return [*(f"- **{lb.title}**: {_field(inc, lb)}" for lb in V.IMPACT_LABELS), ""]


def _parts(section_key: str):
    def write(iid, inc, events, items) -> list[str]:
        out = []
        for part in V.SECTION_BY_KEY[section_key].parts:
            out += [f"### {part.title}", ""]
            if part.column in V.TEXT_PARTS:
                out.append(_text(inc.get(part.column)) or f"[{part.placeholder}]")
            else:
                out += _items(inc.get(part.column), part.placeholder, part.ordered)
            out.append("")
        return out

    return write


def _action_items(iid, inc, events, items) -> list[str]:
    out = []
    records = items.to_dict("records")

    def line(item: dict) -> str:
        owner = _text(item.get("owner")) or "[name]"
        due = _date(item.get("due")) or "[date]"
        return f"- {_box(item['done'])} {item['text']} - Owner: {owner} - Due: {due}"

    loose = [r for r in records if r.get("horizon") is None or pd.isna(r.get("horizon"))]
    if loose:
        out += [*(line(r) for r in loose), ""]
    for horizon in HORIZONS:
        out += [f"### {V.HORIZON_TITLES[horizon]}", ""]
        mine = [line(r) for r in records if r.get("horizon") == horizon]
        out += mine or ["- [ ] [Action item 1] - Owner: [name] - Due: [date]"]
        out.append("")
    return out


def _prevention(iid, inc, events, items) -> list[str]:
    measures = inc.get("prevention") or []
    lines = [f"- {_box(m['done'])} {m['text']}" for m in measures]
    return [*(lines or ["- [ ] [Prevention measure 1]"]), ""]


def _communication(iid, inc, events, items) -> list[str]:
    return [*(f"- {_box(inc.get(col))} {text}" for col, text, _ in V.COMMUNICATION), ""]


def _team(iid, inc, events, items) -> list[str]:
    return [*(f"- **{lb.title}**: {_field(inc, lb)}" for lb in V.TEAM_LABELS), ""]


def _references(iid, inc, events, items) -> list[str]:
    return [*_items(inc.get("references"), "Related tickets/issues"), ""]


_SECTION_WRITERS = {
    "summary": _summary,
    "timeline": _timeline,
    "impact": _impact,
    "root_cause": _parts("root_cause"),
    "actions_taken": _parts("actions_taken"),
    "lessons": _parts("lessons"),
    "action_items": _action_items,
    "prevention": _prevention,
    "communication": _communication,
    "team": _team,
    "references": _references,
}
assert set(_SECTION_WRITERS) == set(V.SECTION_BY_KEY)


def _notes_by_section(notes: object) -> dict[str, list[str]]:
    """Notes (each starting with its section's heading) grouped by the section they came from."""
    out: dict[str, list[str]] = {}
    for chunk in notes if isinstance(notes, list) else []:
        text = str(chunk).strip()
        head = text.split("\n", 1)[0].lstrip("#").strip()
        key = V.section_key(head) or "references"
        body = text.split("\n", 1)[1].strip() if "\n" in text else ""
        if body:
            out.setdefault(key, []).append(body)
    return out
