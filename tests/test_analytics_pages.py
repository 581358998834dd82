"""The analytics sections of the pages: built from views in Python, and rendered by the batch
in real kernels (related incidents carried to each job, repeats flagged, empty portfolio)."""

from __future__ import annotations

import re
import warnings

import pytest

import incident_kit as ik
from incident_kit import similar
from incident_kit.model import IncidentSet
from incident_kit.report import Portfolio, Postmortem

from .conftest import DATA, report_md
from .test_report import text_of

AS_OF = "2026-11-26T12:00:00Z"


def test_postmortem_related_section_links_and_scores(sample):
    pm = Postmortem.open(DATA, "INC-2026-0012", as_of=AS_OF)
    html = pm.related()
    expected = similar.context_for(sample, "INC-2026-0012")["related"]
    assert expected and expected[0]["incident_id"] == "INC-2026-0009"
    for r in expected:
        assert f'<a href="{r["link"]}.html">{r["incident_id"]}</a>' in html
        assert f"<td>{r['score']:.2f}</td>" in html
    assert pm.repeat_flag() == ""  # the sample has no repeats
    # the earliest incident has nothing earlier to be like
    assert "No earlier incident" in Postmortem.open(DATA, "INC-2026-0001").related()


def test_communication_section_shows_time_to_communicate(sample):
    text = Postmortem.open(DATA, "INC-2026-0001", as_of=AS_OF).communication()
    assert "<td>Time to communicate</td><td>21m</td>" in text
    assert "2026-05-12 14:30 UTC: Status page set to Major outage" in text
    open_ = Postmortem.open(DATA, "INC-2026-0013", as_of=AS_OF).communication()
    assert re.search(r"Time to communicate</td><td>2d 3h <span class=\"ongoing\">", open_)


def test_portfolio_sections_on_the_sample(sample):
    pf = Portfolio(sample, ik.metrics.to_utc(AS_OF), "Europe/Berlin")
    medians = pf.medians("severity")
    # P2: 4 finished and 1 open; Kaplan-Meier median 1h 48m (see test_stats for the method)
    assert "<td>P2</td><td>5</td><td>1</td><td>1h 48m</td>" in medians
    changes = pf.changes()
    assert changes.count("no evidence of a change") >= 2 and "changed" not in changes
    assert "6 of 14 incidents (43%)</b> were detected outside business hours" in (pf.after_hours())
    work = pf.workload()
    assert "<td>Grace Liu</td><td>5</td>" in work
    assert "No recurring themes" in pf.themes() and "No repeats" in pf.repeats()
    fig = pf.survival_chart().figure
    assert fig.layout.meta["medians"]["P2"] == "1h 48m"
    heat = pf.oncall_chart().figure
    assert heat.data[0].z.sum() == 14 and "Europe/Berlin" in heat.layout.title.text


def test_portfolio_sections_on_an_empty_selection():
    pf = Portfolio(IncidentSet.empty(), ik.metrics.to_utc(AS_OF))
    assert "No incidents match" in pf.medians()
    assert "nothing to compare" in pf.changes()
    assert "No recurring themes" in pf.themes()
    for chart in (pf.survival_chart(), pf.trend_chart(), pf.oncall_chart()):
        assert "No incidents match" in chart.figure.layout.annotations[0].text


# -- real kernels ------------------------------------------------------------------------
RETOLD_WHY = (
    "The change was labelled logging-only, so it skipped the canary stage; capacity values in "
    "configs are not validated."
)


def repeat_source(tmp_path):
    """INC-2026-0001 and a retelling of it 14 days later, plus an unrelated incident."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "INC-2026-0001.md").write_text(
        (DATA / "INC-2026-0001.md").read_text(encoding="utf-8"), encoding="utf-8"
    )
    retold = report_md(
        "NEW-<1>",
        title="502 errors on checkout after a config change",
        timeline="""
            - **Detected**: 2026-05-26 09:00 UTC by Datadog
            - **Resolved**: 2026-05-26 10:00 UTC
        """,
        impact="- **Services Affected**: checkout-api",
        extra=f"""
            ## Root Cause Analysis

            ### What Happened

            A config change cut the upstream connection pool of checkout; the load balancer
            answered 502.

            ### Why It Happened

            {RETOLD_WHY}
        """,
    )
    (src / "new.md").write_text(retold, encoding="utf-8")
    (src / "INC-2026-0003.md").write_text(
        (DATA / "INC-2026-0003.md").read_text(encoding="utf-8"), encoding="utf-8"
    )
    return src


@pytest.mark.kernel
def test_batch_carries_related_incidents_and_flags_the_repeat(tmp_path):
    src = repeat_source(tmp_path)
    out = tmp_path / "out"
    result = ik.report.run(src, out, jobs=2, as_of=AS_OF, progress=False)
    assert result.ok, result.summary()
    name = ik.report.safe_name("NEW-<1>")  # the ID made safe as a file name
    html = (out / f"{name}.html").read_text()
    page = " ".join(text_of(html).split())
    assert "⚠ Repeat of INC-2026-0001 (checkout-api, 14 days earlier)" in page
    assert ">Related Incidents<" in html and 'href="INC-2026-0001.html"' in html
    assert "NEW-&lt;1&gt;" in html and "NEW-<1>" not in html
    portfolio = (out / "portfolio.html").read_text()
    assert f'⚠</span> <a href="{name}.html">NEW-&lt;1&gt;</a>' in portfolio
    # a new look-alike changes an old page's context: the next run re-renders it
    first = (out / "INC-2026-0003.html").read_text()
    (src / "search-again.md").write_text(
        (DATA / "INC-2026-0009.md").read_text(encoding="utf-8"), encoding="utf-8"
    )
    again = ik.report.run(src, out, jobs=2, as_of=AS_OF, progress=False)
    rerendered = {r.key for r in again.results if not r.skipped}
    assert "INC-2026-0009" in rerendered
    assert "INC-2026-0001" not in rerendered  # nothing new is like it, nothing earlier changed
    assert first == (out / "INC-2026-0003.html").read_text()  # 0009 is later: not "related"


@pytest.mark.kernel
def test_portfolio_notebook_renders_an_empty_selection(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "bad.md").write_text(report_md("BAD-1", severity="P9"), encoding="utf-8")
    out = tmp_path / "out"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = ik.report.run(src, out, as_of=AS_OF, progress=False)
    assert result.portfolio is not None and result.portfolio.ok, result.summary()
    text = " ".join(text_of((out / "portfolio.html").read_text()).split())
    for said in (
        "No incidents match",
        "nothing to compare",
        "No recurring themes",
        "No detection times recorded",
        "No responders recorded",
    ):
        assert said in text, said


def test_survival_chart_draws_the_estimate(sample):
    d = ik.durations(sample, as_of=AS_OF)
    fig = ik.charts.survival(d, "time_to_resolve", by="severity")
    curves = ik.survival(d, "time_to_resolve", by="severity")
    line = next(t for t in fig.data if t.name == "P2 (n = 5)")
    p2 = curves[curves["severity"] == "P2"]
    assert list(line.y) == p2["survival"].tolist()
    assert list(line.x) == (p2["time"].dt.total_seconds() / 3600).tolist()  # hours axis
    assert fig.layout.xaxis.title.text == "t = time to resolve"
    assert "1d" in fig.layout.xaxis.ticktext  # readable duration ticks, as on other charts
    open_marks = [t for t in fig.data if t.name and "still open" in t.name]
    assert sum(len(t.x) for t in open_marks) == 2  # the two Active incidents


def test_trend_marks_only_changes_beyond_noise():
    from .test_stats import two_periods

    frame = two_periods(list(range(10, 30, 2)), list(range(100, 120, 2)))
    changes = ik.stats.period_changes(frame, "time_to_resolve")
    fig = ik.charts.mark_changes(ik.charts.trend(frame, "time_to_resolve"), changes)
    assert fig.layout.meta["changed_periods"] == ["2026-02"]
    assert any(a.text.startswith("▲ longer (p = ") for a in fig.layout.annotations)
    calm = two_periods([10, 20, 30], [15, 25, 35])
    fig = ik.charts.mark_changes(
        ik.charts.trend(calm, "time_to_resolve"), ik.stats.period_changes(calm, "time_to_resolve")
    )
    assert fig.layout.meta["changed_periods"] == []
    assert any("beyond noise" in a.text for a in fig.layout.annotations)
