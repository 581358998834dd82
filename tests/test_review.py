"""The review packet's view and window, against values computed here from the raw tables."""

from __future__ import annotations

import re

import pandas as pd
import pytest

import incident_kit as ik
from incident_kit.cli import main
from incident_kit.report import Review, resolve_window
from incident_kit.report.review import SECTIONS

from .conftest import report_md

AS_OF = "2026-11-26T12:00:00Z"
T = pd.Timestamp


def text_of(fragment: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", fragment).split())


def first_time(iset: ik.IncidentSet, kind: str) -> pd.Series:
    ev = iset.events
    return ev[ev["kind"] == kind].groupby("incident_id")["timestamp"].min()


@pytest.fixture(scope="module")
def review(sample) -> Review:
    window = resolve_window("2026-10-01", "2026-11-26", AS_OF)
    return Review(sample, window, display_tz="UTC", postmortem_days=7)


# -- the window --------------------------------------------------------------------------
def test_dates_are_whole_days_and_until_includes_its_day():
    w = resolve_window("2026-11-19", "2026-11-25", AS_OF)
    assert (w.since, w.until, w.as_of) == (
        T("2026-11-19T00:00Z"),
        T("2026-11-26T00:00Z"),
        T(AS_OF),
    )
    prev = w.previous()
    assert (prev.since, prev.until) == (T("2026-11-12T00:00Z"), T("2026-11-19T00:00Z"))


def test_dates_take_default_tz_and_times_keep_their_offset():
    w = resolve_window("2026-03-28", "2026-03-29", AS_OF, default_tz="Europe/Berlin")
    # Berlin days; the 29th has 23 hours (summer time starts)
    assert w.since == T("2026-03-27T23:00Z") and w.until == T("2026-03-29T22:00Z")
    w = resolve_window("2026-11-19T09:00+01:00", "2026-11-20T09:00Z", AS_OF)
    assert w.since == T("2026-11-19T08:00Z") and w.until == T("2026-11-20T09:00Z")


def test_defaults_are_the_seven_days_to_as_of_and_lengths_count_back():
    w = resolve_window(as_of=AS_OF)
    assert w.until == T(AS_OF) and w.length == pd.Timedelta(days=7)
    assert resolve_window("2w", "2026-11-26", AS_OF).since == T("2026-11-13T00:00Z")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"since": "yesterday"}, r"^since 'yesterday' is not a date or time \(e\.g\. 2026-11-19"),
        ({"since": "2026-02-30"}, r"^since '2026-02-30' is not a date or time"),
        ({"since": "7d", "until": "soon"}, r"^until 'soon' is not a date or time"),
        ({"since": "7d", "as_of": "2026-11-26 25:00"}, r"^as_of '2026-11-26 25:00' is not"),
        ({"since": "2026-11-20", "until": "2026-11-19"}, r"^the period is empty: since"),
        ({"since": "7d", "default_tz": "Mars/Olympus"}, r"unknown time zone 'Mars/Olympus'"),
    ],
)
def test_bad_window_is_one_clear_error(kwargs, message):
    with pytest.raises(ik.IncidentKitError, match=message):
        resolve_window(**{"as_of": AS_OF, **kwargs})


def test_cli_bad_date_is_one_line_and_exit_1(capsys, tmp_path):
    code = main(["review", "data", "--since", "last week", "-o", str(tmp_path / "r.html")])
    err = capsys.readouterr().err
    assert code == 1 and err.count("\n") == 1
    assert err.startswith("incident-kit: since 'last week' is not a date or time")
    assert not (tmp_path / "r.html").exists()


# -- the sections ------------------------------------------------------------------------
def test_incidents_in_period_are_those_detected_in_it(review, sample):
    detected = first_time(sample, "detected")
    expected = detected[(detected >= T("2026-10-01T00:00Z")) & (detected < T("2026-11-27T00:00Z"))]
    assert list(review.period.index) == list(expected.sort_values().index)
    assert list(expected.sort_values().index) == [
        "INC-2026-0010",
        "INC-2026-0011",
        "INC-2026-0014",
        "INC-2026-0013",
        "INC-2026-0012",
    ]
    html = review.incidents()
    order = [html.find(f">{i}<") for i in expected.sort_values().index]
    assert all(p > 0 for p in order) and order == sorted(order)
    assert 'href="INC-2026-0012.html"' in html


def test_incident_rows_carry_severity_status_durations_impact_and_why(review):
    html = review.incidents()
    row = text_of(html.split(">INC-2026-0012<", 1)[1].split("</tbody>", 1)[0])
    # detected 2026-11-25 18:02, still open at 2026-11-26 12:00: 17h 58m and counting
    assert "P2 Active 2026-11-25 18:02 UTC 7m 17h 58m ongoing" in row
    # 12,000 users x 70 minutes of impact (17:55 -> mitigated 19:05)
    assert "12,000 840,000" in row
    assert "What: Checkout p99 latency rose above 4 s during the Black Friday flash sale;" in row
    row = text_of(html.split(">INC-2026-0014<", 1)[1].split("</tbody>", 1)[0])
    assert "P1 Post-Mortem 2026-10-30 00:14 UTC 14m 51m 52m" in row
    assert "Why: The certificate was issued by hand two years ago" in row


def test_header_counts(review, sample):
    items = sample.action_items
    overdue = (~items["done"] & (items["due"] < T("2026-11-26"))).sum()
    assert overdue == 13
    line = text_of(review.header())
    assert "5 incident(s) detected (1 P1, 2 P2, 1 P3, 1 P4), 2 still open" in line
    assert f"{overdue} action item(s) overdue" in line
    assert "2026-10-01 00:00 UTC to 2026-11-27 00:00 UTC (57 days)" in line


def test_open_incidents_with_how_long_open(review, sample):
    html = text_of(review.open_incidents())
    # 0013 detected 2026-11-24 09:10: 2d 2h 50m, shown 2d 3h; 0012 detected 2026-11-25 18:02: 17h 58m
    assert re.search(r"INC-2026-0013 .* 2d 3h .* INC-2026-0012 .* 17h 58m", html)
    assert html.count("INC-2026-") == 2


def test_postmortems_not_written(review, sample):
    resolved, written = first_time(sample, "resolved"), first_time(sample, "postmortem")
    late = resolved[resolved < T(AS_OF) - pd.Timedelta(days=7)].index.difference(written.index)
    assert list(review.postmortems_due_frame.index) == list(resolved[late].sort_values().index)
    html = text_of(review.postmortems_due())
    assert re.search(r"INC-2026-0003 Search results stale .* 2026-06-08 14:35 UTC 170d 21h", html)
    shorter = Review(review.iset, review.window, postmortem_days=60)
    assert list(shorter.postmortems_due_frame.index) == [
        "INC-2026-0003",
        "INC-2026-0005",
        "INC-2026-0009",
    ]


def test_action_items_by_owner_oldest_overdue_first(review, sample):
    items = sample.action_items
    overdue = items[~items["done"] & (items["due"] < T("2026-11-26"))].sort_values("due")
    html = review.action_items()
    listed = html.split("Overdue, oldest first", 1)[1]
    positions = [listed.find(text) for text in overdue["text"]]
    assert all(p > 0 for p in positions) and positions == sorted(positions)
    # Dana Whitfield's item, due 2026-05-20, is the oldest: 190 days at 2026-11-26
    assert "2026-05-20</span></td><td>190 days</td><td>Dana Whitfield" in listed
    owners = re.findall(r"<tr><td>([^<]+)</td><td>\d", html.split("<h3>", 1)[0])
    per = overdue.groupby("owner").agg(oldest=("due", "min"), n=("due", "size"))
    oldest = per.sort_values(["oldest", "n"], ascending=[True, False])  # ties: most overdue
    assert owners[: len(oldest)] == list(oldest.index)
    # opened: items of incidents whose post-mortem (else detection) is in the period
    written = first_time(sample, "postmortem").combine_first(first_time(sample, "detected"))
    new = written[(written >= T("2026-10-01T00:00Z")) & (written < T("2026-11-27T00:00Z"))]
    opened = items[items["incident_id"].isin(new.index)]
    assert len(opened) == 8
    assert f"<b>{len(opened)}</b> opened" in html


def test_empty_period_says_so(sample):
    rv = Review(sample, resolve_window("2025-01-01", "2025-01-07", AS_OF))
    assert "No incidents in this period" in rv.incidents()
    assert "0</b> incident(s) detected" in rv.header()
    assert "No incidents in this period" in rv.incidents_chart().spec
    assert "INC-2026-0013" in rv.open_incidents()  # what is open now still shows


def test_hostile_text_stays_text(tmp_path):
    hostile = "<script>alert('x')</script><img src=x onerror=alert(1)>"
    (tmp_path / "h.md").write_text(
        report_md(
            "EVIL-1",
            title=hostile,
            timeline="- **Detected**: 2026-11-24 10:00 UTC by <b>Mallory</b>",
            status="Active",
            extra=f"## Root Cause Analysis\n\n### What Happened\n\n{hostile} broke.\n\n"
            f"## Action Items\n\n### Immediate (Next 24 hours)\n\n"
            f"- [ ] {hostile} - Owner: <i>Eve</i> - Due: 2026-11-01\n",
        ),
        encoding="utf-8",
    )
    iset = ik.load(tmp_path)
    assert len(iset) == 1, iset.problems
    rv = Review(iset, resolve_window("2026-11-20", "2026-11-26", AS_OF))
    page = "".join([rv.header(), rv.incidents(), rv.action_items(), rv.open_incidents(), rv.how()])
    assert "<script>" not in page and "<img" not in page and "<i>Eve" not in page
    assert (
        "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"
        in page
    )


def test_sections_are_the_notebooks_headings():
    import nbformat

    nb = nbformat.read(ik.report.notebook_path("review.ipynb"), as_version=4)
    headings = [c.source[3:] for c in nb.cells if c.source.startswith("## ")]
    assert [h for h in headings if h in SECTIONS] == [s for s in SECTIONS if s in headings]


def test_review_notebook_parameters_are_the_contract():
    import papermill

    declared = papermill.inspect_notebook(str(ik.report.notebook_path("review.ipynb")))
    assert tuple(declared) == ik.report.REVIEW_PARAMETERS


def test_pdf_without_playwright_is_one_line_naming_the_extra(monkeypatch, tmp_path, capsys):
    import sys

    monkeypatch.setitem(sys.modules, "playwright.sync_api", None)  # as if not installed
    with pytest.raises(ik.ReportError, match=r"the 'pdf' extra .*apt-get install chromium"):
        ik.report.print_pdfs([(tmp_path / "a.html", tmp_path / "a.pdf")])
    page = tmp_path / "a.html"
    page.write_text("<p>x</p>")
    assert main(["review", "data", "--since", "7d", "-o", str(page), "--pdf"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "incident_kit[pdf]" in err
