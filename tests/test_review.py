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
    assert [h for h in headings if h != "How this packet is computed"] == list(SECTIONS)


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


# -- changes and related ------------------------------------------------------------------
def synthetic(specs: list[tuple[str, str, float, dict]]) -> ik.IncidentSet:
    """Incidents from (id, detected, hours to resolve, extra incident fields)."""
    from incident_kit.model import action_items_frame, events_frame, incidents_frame

    incidents, events = [], []
    for iid, detected, hours, extra in specs:
        incidents.append({"incident_id": iid, "severity": "P2", "status": "Resolved", **extra})
        t = T(detected)
        events += [
            {"incident_id": iid, "timestamp": t, "kind": "detected"},
            {"incident_id": iid, "timestamp": t + pd.Timedelta(hours=hours), "kind": "resolved"},
        ]
    return ik.IncidentSet(incidents_frame(incidents), events_frame(events), action_items_frame([]))


def test_changes_against_the_previous_period(review):
    html = review.changes()
    # previous period 2026-08-05..10-01: INC-0008 (1d 10h 20m) and INC-0009 (1h 18m): the
    # Kaplan-Meier median of two is their midpoint, 17h 49m. This period: 51m, 1h 05m, 2h
    # finished, 17h 58m and 2d 2h 50m still open: the survival falls to 0.4 at 2h.
    row = text_of(html.split(">time to resolve</td>", 1)[1].split("</tr>", 1)[0])
    assert row.startswith("2 · 17h 49m 5 · 2h 00m -15h 49m")
    assert "no evidence of a change: 2 vs 5 incidents" in row
    # 5 vs 2 incidents: two-sided exact binomial, 2 x (21 + 7 + 1) / 128 = 0.453
    assert "5 incident(s) in this period, 2 in the previous one" in text_of(html)
    assert "no evidence of a change in how often (p = 0.453)" in html
    assert 'class="changed"' not in html
    # the chart: the same two periods, the same Kaplan-Meier medians as the table
    fig = review.changes_chart().figure
    names = [t.name for t in fig.data if t.name]
    assert "previous period (n = 2)" in names and "this period (n = 5)" in names
    assert fig.layout.meta["medians"] == {"previous period": "17h 49m", "this period": "2h 00m"}


def test_a_change_beyond_noise_is_marked():
    before = [(f"B{i}", f"2026-03-{i + 2:02d}T10:00Z", 10 + i / 10, {}) for i in range(8)]
    after = [(f"A{i}", f"2026-03-{i + 16:02d}T10:00Z", 0.2 + i / 100, {}) for i in range(8)]
    after += [(f"X{i}", f"2026-03-{i + 16:02d}T12:00Z", 0.25, {}) for i in range(8)]
    iset = synthetic(before + after)
    rv = Review(iset, resolve_window("2026-03-15", "2026-03-28", "2026-04-01T00:00Z"))
    html = rv.changes()
    row = html.split(">time to resolve<", 1)[1].split("</tr>", 1)[0]
    # impact duration is detection to resolution here too (no impact start, no mitigation)
    assert html.count('<tr class="changed">') == 2 and "▼ shorter" in row
    assert "<td>time to detect</td>" in html  # not measurable: no impact start, not marked
    assert "16 incident(s) in this period, 8 in the previous one" in text_of(html)
    # 16 vs 8: 2 x P(X >= 16 | n=24, 1/2) = 0.152: not beyond noise
    assert "no evidence of a change in how often (p = 0.152)" in html
    many = synthetic(before[:1] + after)
    rv = Review(many, resolve_window("2026-03-15", "2026-03-28", "2026-04-01T00:00Z"))
    # 16 vs 1: 2 x (1 + 16 + 136)... exact: 2 x 18 / 2^17 = 0.000275
    assert "<b>more</b>, beyond noise (p < 0.001)" in rv.changes()


def test_related_and_repeats_come_from_ik_related():
    pool = "The connection pool was exhausted by leaked connections in the billing worker."
    iset = synthetic(
        [
            (
                "OLD-1",
                "2026-02-01T10:00Z",
                2,
                {"title": "DB pool exhausted", "services": ["db"], "why_it_happened": pool},
            ),
            (
                "NEW-2",
                "2026-03-03T10:00Z",
                1,
                {"title": "DB pool exhausted again", "services": ["db"], "why_it_happened": pool},
            ),
            (
                "NEW-3",
                "2026-03-04T10:00Z",
                1,
                {
                    "title": "Typo on the pricing page",
                    "services": ["web"],
                    "why_it_happened": "A copy edit skipped review.",
                },
            ),
        ]
    )
    rv = Review(iset, resolve_window("2026-03-01", "2026-03-07", "2026-03-10T00:00Z"))
    expected = ik.related(iset, "NEW-2", k=3)
    assert list(rv.related_frame.query("source == 'NEW-2'")["incident_id"]) == list(
        expected["incident_id"]
    )
    assert expected["repeat"].iloc[0] and expected["incident_id"].iloc[0] == "OLD-1"
    html = rv.related()
    assert 'repeat</b> of <a href="OLD-1.html">OLD-1</a> DB pool exhausted' in html
    assert f"<td>{expected['score'].iloc[0]:.2f}</td>" in html
    assert "1 repeat(s)" in text_of(html)
    assert ik.related(iset, "NEW-3", k=3).empty
    assert 'Nothing earlier resembles <a href="NEW-3.html">NEW-3</a>' in html


def test_empty_period_changes_and_related(sample):
    rv = Review(sample, resolve_window("2025-01-01", "2025-01-07", AS_OF))
    assert "0 incident(s) in this period, 0 in the previous one" in text_of(rv.changes())
    assert "too few incidents to tell: 0 vs 0 incidents" in rv.changes()
    assert "No incidents in this period" in rv.related()
    assert "No incidents in this period or the previous one" in rv.changes_chart().spec


def test_long_backlogs_show_the_oldest_and_count_the_rest():
    from incident_kit import synth
    from incident_kit.report.review import LIST_LIMIT

    iset = synth.generate(400)
    as_of = T("2026-01-01T00:00Z")
    rv = Review(iset, resolve_window("7d", None, as_of))
    items = iset.action_items
    overdue = items[~items["done"] & (items["due"] < T("2026-01-01"))].sort_values("due")
    assert len(overdue) > LIST_LIMIT
    html = rv.action_items()
    listed = html.split("Overdue, oldest first", 1)[1]
    assert listed.count('<tr class="overdue">') == LIST_LIMIT
    assert f"The first {LIST_LIMIT} of {len(overdue):,}: {len(overdue) - LIST_LIMIT:,} more" in html
    assert f"{overdue['due'].iloc[0]:%Y-%m-%d}" in listed.split("</tr>", 2)[1]  # oldest first


def test_times_are_shown_in_the_display_zone(sample):
    window = resolve_window("2026-10-01", "2026-11-26", AS_OF)
    rv = Review(sample, window, display_tz="Europe/Berlin")
    header = text_of(rv.header())
    assert "2026-10-01 02:00 CEST to 2026-11-27 01:00 CET (57 days)" in header
    row = text_of(rv.incidents().split(">INC-2026-0012<", 1)[1].split("</tbody>", 1)[0])
    assert "2026-11-25 19:02 CET" in row  # detected 18:02 UTC


def test_incidents_left_out_for_bad_input_are_named(tmp_path, write_report):
    write_report("GOOD-1", status="Active", timeline="- **Detected**: 2026-11-24 10:00 UTC by Bob")
    write_report(
        "BAD-2",
        severity="<b>P9</b>",
        status="Active",
        timeline="- **Detected**: 2026-11-24 10:00 UTC",
    )
    iset = ik.load(tmp_path)
    rv = Review(iset, resolve_window("2026-11-20", "2026-11-26", AS_OF))
    header = rv.header()
    assert "1 incident(s) left out of this packet for input problems" in header
    assert f"{tmp_path}/BAD-2.md:" in header and "<b>P9</b>" not in header
    assert "&lt;b&gt;P9&lt;/b&gt;" in header
