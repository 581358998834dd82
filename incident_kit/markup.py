"""HTML fragments shared by the report views, the index and the explorer.

Every string from incident data goes through here: escaped, or rendered as Markdown with raw
HTML disabled; unknown values read "not recorded". Pure functions of their arguments.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

import pandas as pd
from markdown_it import MarkdownIt

from . import fmt

# Okabe-Ito: distinguishable with the common colour-vision deficiencies.
SEVERITY_COLORS = {"P1": "#D55E00", "P2": "#E69F00", "P3": "#0072B2", "P4": "#56B4E9"}
UNKNOWN_COLOR = "#999999"

_md = MarkdownIt("commonmark", {"html": False})
NR = '<span class="nr">not recorded</span>'


class Html(str):
    """An HTML fragment that Jupyter displays as HTML (and tests read as a string)."""

    def _repr_html_(self) -> str:
        return str(self)


def esc(value: object) -> str:
    """Escaped text, or the "not recorded" marker for unknown values."""
    text = fmt.text(value, missing="")
    return html.escape(text) if text else NR


def markdown(value: object) -> str:
    """Narrative text from the report, rendered as Markdown with raw HTML disabled."""
    text = fmt.text(value, missing="")
    return _md.render(text) if text else f"<p>{NR}</p>"


def inline_markdown(value: object) -> str:
    text = fmt.text(value, missing="")
    return _md.renderInline(text) if text else NR


def items(values: Iterable[str], ordered: bool = False) -> str:
    values = list(values or [])
    if not values:
        return f"<p>{NR}</p>"
    tag = "ol" if ordered else "ul"

    def one(value: str) -> str:  # an item with code or sub-items below its first line
        return markdown(value) if "\n" in str(value) else inline_markdown(value)

    return f"<{tag}>" + "".join(f"<li>{one(v)}</li>" for v in values) + f"</{tag}>"


def table(
    rows: list[list[str]],
    header: list[str] | None = None,
    *,
    cls: str = "ik-table",
    row_classes: list[str] | None = None,
) -> str:
    """An HTML table from already-escaped cells."""
    out = [f'<table class="{cls}">']
    if header:
        out.append("<thead><tr>" + "".join(f"<th>{h}</th>" for h in header) + "</tr></thead>")
    out.append("<tbody>")
    for i, row in enumerate(rows):
        rc = f' class="{row_classes[i]}"' if row_classes and row_classes[i] else ""
        out.append(f"<tr{rc}>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def severity_badge(value: object) -> str:
    if value is None or pd.isna(value):
        return NR
    sev = str(value)
    color = SEVERITY_COLORS.get(sev, UNKNOWN_COLOR)
    return f'<span class="sev" style="background:{color}">{html.escape(sev)}</span>'
