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
h1 { font-size: 1.7rem; }
.scroll { overflow-x: auto; max-width: 100%; }  /* wide tables scroll in their own box */
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { border-bottom: 1px solid #e3e3e3; padding: 6px 8px; text-align: left; vertical-align: top; }
th { background: #f4f6f8; cursor: pointer; user-select: none; white-space: nowrap; }
th[aria-sort=ascending]::after { content: ' \\25B2'; } th[aria-sort=descending]::after { content: ' \\25BC'; }
td.id, td.when, td.dur { white-space: nowrap; } td:nth-child(2) { min-width: 12em; }
tr.failed td { background: #fde8e1; } tr.failed a { color: #8a2500; font-weight: 700; }
tr.active td:first-child { box-shadow: inset 4px 0 0 #D55E00; }
.active-badge { color: #fff; background: #D55E00; border-radius: 4px; padding: 1px 6px; font-weight: 700; white-space: nowrap; }
.sev { color: #fff; border-radius: 4px; padding: 1px 8px; font-weight: 700; }
.nr { color: #888; font-style: italic; } .meta { color: #666; font-size: 13px; }
.problems li { color: #8a2500; font-family: monospace; overflow-wrap: anywhere; }
@media (max-width: 600px) { body { margin: 1rem auto; padding: 0 0.6rem; } h1 { font-size: 1.35rem; } }
"""
#: Columns of the index: (header, td class). Durations are the pages' own figures.
_SPANS = ("time_to_detect", "time_to_resolve", "impact_duration")


def _sort_key(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timedelta):
        return str(value.total_seconds())
    if isinstance(value, pd.Timestamp):
        return str(value.timestamp())
    return html.escape(str(value))


def _order(iset: IncidentSet, results: list, first: pd.DataFrame) -> list:
    """Newest first: by detection (else impact start), incidents with neither last."""
    started, _ = metrics.first_of(first, ("detected", "impact_start"))
    key = {r.key: started.get(r.key, pd.NaT) for r in results}
    dated = sorted((r for r in results if pd.notna(key[r.key])), key=lambda r: key[r.key])
    return dated[::-1] + [r for r in results if pd.isna(key[r.key])]


def _is_open(iset: IncidentSet, d: pd.Series, iid: str) -> bool:
    return iset.incidents.at[iid, "status"] == "Active" or bool(d["time_to_resolve_ongoing"])


def _row(res, iset: IncidentSet, d: pd.Series, detected: object, display_tz: str) -> str:
    iid = res.key
    inc = iset.incidents.loc[iid]
    active = _is_open(iset, d, iid)
    classes = " ".join(c for c in ("" if res.ok else "failed", "active" if active else "") if c)
    link = f'<a href="{html.escape(res.name)}.html">{html.escape(iid)}</a>'
    if getattr(res, "html", "") is None:  # listed, but no page rendered yet (--only)
        link = f'{html.escape(iid)} <span class="nr">(not rendered)</span>'
    elif not res.ok:
        link += f' <span title="{html.escape(res.error or "")}">(failed)</span>'
    status = html.escape(fmt.text(inc["status"], missing="")) or NR
    if active:
        word = status if inc["status"] == "Active" else "open"
        status = f'<span class="active-badge">● {word}</span>'
    cells = [
        (link, iid, "id"),
        (html.escape(fmt.text(inc["title"], missing="")) or NR, inc["title"], ""),
        (severity_badge(inc["severity"]), inc["severity"], ""),
        (status, inc["status"], ""),
        (fmt.timestamp(detected, display_tz, missing=NR), detected, "when"),
    ]
    for span in _SPANS:
        text = html.escape(fmt.duration(d[span], missing="", ongoing=bool(d[f"{span}_ongoing"])))
        cells.append((text or NR, d[span], "dur"))
    cells.append((fmt.number(inc["users_affected"], missing=NR), inc["users_affected"], ""))
    tds = "".join(
        f'<td class="{c}" data-sort="{_sort_key(key)}">{text}</td>'
        if c
        else f'<td data-sort="{_sort_key(key)}">{text}</td>'
        for text, key, c in cells
    )
    return f'<tr class="{classes}">{tds}</tr>'


def render_index(
    iset: IncidentSet,
    results: list,
    *,
    as_of: pd.Timestamp,
    display_tz: str = "UTC",
    portfolio: bool = True,
    review_days: int = 0,
) -> str:
    """The index page as a string (``results``: a JobResult per incident).

    Newest first (by detection), open incidents marked, figures as on each report; it
    fits a phone: the table scrolls inside its own box, not the page.
    """
    as_of = metrics.resolve_as_of(as_of)
    dur = metrics.durations(iset, as_of)
    first = metrics.milestones(iset)
    ordered = _order(iset, results, first)
    rows = [_row(r, iset, dur.loc[r.key], first.at[r.key, "detected"], display_tz) for r in ordered]
    header = [
        "ID",
        "Title",
        "Severity",
        "Status",
        f"Detected ({html.escape(display_tz)})",
        *(html.escape(metrics.label(s)) for s in _SPANS),
        "Users affected",
    ]
    # the Detected column says the order the rows are in
    head = "".join(
        f'<th aria-sort="descending">{h}</th>' if n == 4 else f"<th>{h}</th>"
        for n, h in enumerate(header)
    )
    failed = sum(1 for r in results if not r.ok)
    active = sum(_is_open(iset, dur.loc[r.key], r.key) for r in results)
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
    if review_days:  # the batch's review packet: the last days to the run's as-of time
        portfolio_link += (
            f'<p><a href="review.html">Review packet: the last {int(review_days)} days →</a></p>'
        )

    counts = f"{len(results)} incidents" + (f", <b>{active} open</b>" if active else "")
    counts += f", <b>{failed} failed</b>" if failed else ""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Incident reports</title><style>{_STYLE}</style></head>
<body>
<h1>Incident reports</h1>
<p class="meta">{counts} ·
as of {fmt.timestamp(as_of, display_tz)} · incident_kit {html.escape(__version__)} · newest first; click a column to sort</p>
{portfolio_link}
<div class="scroll"><table class="sortable"><thead><tr>{head}</tr></thead>
<tbody>{"".join(rows)}</tbody></table></div>
{problem_html}
<script>{_SCRIPT}</script>
</body></html>
"""
