"""The run's index page: every incident with its key figures, linking to its report."""

from __future__ import annotations

import html

import pandas as pd

from .. import fmt, metrics
from ..markup import NR, severity_badge
from ..model import IncidentSet
from ..version import __version__

_SCRIPT = """
document.querySelectorAll('table.sortable th').forEach(function (th, col) {
  th.addEventListener('click', function () {
    var table = th.closest('table'), body = table.tBodies[0];
    var asc = th.getAttribute('aria-sort') !== 'ascending';
    table.querySelectorAll('th').forEach(function (h) { h.removeAttribute('aria-sort'); });
    th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = a.cells[col].getAttribute('data-sort'), y = b.cells[col].getAttribute('data-sort');
      var nx = parseFloat(x), ny = parseFloat(y);
      var c = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : String(x).localeCompare(String(y));
      return asc ? c : -c;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  });
});
"""

_STYLE = """
body { font-family: Inter, 'Segoe UI', Helvetica, Arial, sans-serif; max-width: 1200px; margin: 2rem auto; padding: 0 1rem; color: #222; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { border-bottom: 1px solid #e3e3e3; padding: 6px 8px; text-align: left; }
th { background: #f4f6f8; cursor: pointer; user-select: none; white-space: nowrap; }
th[aria-sort=ascending]::after { content: ' \\25B2'; } th[aria-sort=descending]::after { content: ' \\25BC'; }
tr.failed td { background: #fde8e1; } tr.failed a { color: #8a2500; font-weight: 700; }
.sev { color: #fff; border-radius: 4px; padding: 1px 8px; font-weight: 700; }
.nr { color: #888; font-style: italic; } .meta { color: #666; font-size: 13px; }
.problems li { color: #8a2500; font-family: monospace; }
"""


def _sort_key(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timedelta):
        return str(value.total_seconds())
    if isinstance(value, pd.Timestamp):
        return str(value.timestamp())
    return html.escape(str(value))


def render_index(
    iset: IncidentSet,
    results: list,
    *,
    as_of: pd.Timestamp,
    display_tz: str = "UTC",
    portfolio: bool = True,
) -> str:
    """The index page as a string (``results``: a JobResult per incident, in order)."""
    dur = metrics.durations(iset, as_of) if len(iset) else None
    first = metrics.milestones(iset)
    rows = []
    for res in results:
        iid = res.key
        inc = iset.incidents.loc[iid]
        d = dur.loc[iid]
        state = "" if res.ok else "failed"
        link = f'<a href="{html.escape(res.name)}.html">{html.escape(iid)}</a>'
        if not res.ok:
            link += f' <span title="{html.escape(res.error or "")}">(failed)</span>'
        cells = [
            (link, iid),
            (html.escape(fmt.text(inc["title"], missing="")) or NR, inc["title"]),
            (severity_badge(inc["severity"]), inc["severity"]),
            (html.escape(fmt.text(inc["status"], missing="")) or NR, inc["status"]),
            (
                fmt.timestamp(first.at[iid, "detected"], display_tz, missing=NR),
                first.at[iid, "detected"],
            ),
        ]
        for span in ("time_to_detect", "time_to_resolve", "impact_duration"):
            text = fmt.duration(d[span], missing=NR) + (
                " (ongoing)" if d[f"{span}_ongoing"] else ""
            )
            cells.append((text, d[span]))
        cells.append((fmt.number(inc["users_affected"], missing=NR), inc["users_affected"]))
        rows.append(
            f'<tr class="{state}">'
            + "".join(f'<td data-sort="{_sort_key(key)}">{text}</td>' for text, key in cells)
            + "</tr>"
        )
    header = [
        "ID",
        "Title",
        "Severity",
        "Status",
        f"Detected ({html.escape(display_tz)})",
        "Time to detect",
        "Time to resolve",
        "Impact duration",
        "Users affected",
    ]
    failed = sum(1 for r in results if not r.ok)
    problems = iset.problems[iset.problems["level"] == "error"]
    problem_html = ""
    if len(problems):
        items = "".join(
            f"<li>{html.escape(str(r.file))}{':' + str(r.line) if pd.notna(r.line) else ''}: "
            f"{html.escape(str(r.message))}</li>"
            for r in problems.itertuples()
        )
        problem_html = f'<h2>Input problems ({len(problems)})</h2><ul class="problems">{items}</ul>'
    portfolio_link = '<p><a href="portfolio.html">Portfolio overview →</a></p>' if portfolio else ""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Incident reports</title><style>{_STYLE}</style></head>
<body>
<h1>Incident reports</h1>
<p class="meta">{len(results)} incidents{f", <b>{failed} failed</b>" if failed else ""} ·
as of {fmt.timestamp(as_of, display_tz)} · incident_kit {html.escape(__version__)} · click a column to sort</p>
{portfolio_link}
<table class="sortable"><thead><tr>{"".join(f"<th>{h}</th>" for h in header)}</tr></thead>
<tbody>{"".join(rows)}</tbody></table>
{problem_html}
<script>{_SCRIPT}</script>
</body></html>
"""
