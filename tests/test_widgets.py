"""The explorer driven from Python, as a user clicks it."""

from __future__ import annotations

import pandas as pd
import pytest

import incident_kit as ik
from incident_kit.widgets import Explorer

AS_OF = "2026-11-26T12:00:00Z"
M = pd.Timedelta


@pytest.fixture
def ex(sample):
    return Explorer(sample, as_of=AS_OF)


def test_initial_state_shows_everything(ex, sample):
    assert ex.count.value == f"<b>{len(sample)} of {len(sample)} incidents</b>"
    assert list(ex.summary["severity"].astype(str)) == ["P1", "P2", "P3", "P4"]
    assert ex.incident.value == "INC-2026-0012"  # the most recent first
    assert "INC-2026-0012" in ex.detail.value and len(ex.timeline_figure.data) > 5


def test_severity_filter_changes_summary_and_figure(ex):
    ex.severity.value = ["P1"]
    assert ex.count.value == "<b>3 of 14 incidents</b>"
    row = ex.summary.iloc[0]
    # P1 time to resolve: 1h 22m, 51m, 1d 10h 20m
    assert (row["count"], row["median"], row["max"]) == (
        3,
        M(hours=1, minutes=22),
        M(days=1, hours=10, minutes=20),
    )
    boxes = [t for t in ex.figure.data if t.type == "box"]
    assert len(boxes) == 1 and len(boxes[0].y) == 3
    assert set(ex.filtered.ids) == {"INC-2026-0001", "INC-2026-0008", "INC-2026-0014"}
    assert "1h 22m" in ex.summary_html.value


def test_metric_and_group_by_pickers(ex):
    ex.metric.value = "time_to_detect"
    ex.group_by.value = "service"
    s = ex.summary.set_index("service")
    # search: INC-0009 12m, INC-0012 7m; INC-0003 has no impact start
    assert s.at["search", "count"] == 2 and s.at["search", "median"] == M(minutes=9, seconds=30)
    assert ex.figure.layout.title.text == "Time to detect by service"
    assert ex.trend_figure.data[1].name == "median time to detect"  # the trend follows
    ex.metric.value = "user_minutes"
    assert ex.summary.iloc[0]["metric"] == "user_minutes"
    assert ex.figure.layout.title.text == "User minutes by service"
    assert ex.trend_figure.data[1].name == "median user minutes"
    row = ex.summary.set_index("service").loc["checkout-api"]
    label = next(c for c in ex.figure.layout.xaxis.categoryarray if "checkout-api" in c)
    assert f"median {ik.fmt.number(row['median'])}" in label  # the table's figure, on the chart


def test_many_incidents_draw_a_sample_and_say_so():
    from incident_kit import synth

    ex = Explorer(synth.generate(3000, seed=5), as_of="2026-01-01T00:00Z")
    points = sum(len(t.y) for t in ex.figure.data if t.type == "box" and t.boxpoints == "all")
    assert points <= ex.MAX_POINTS + 4 * 50 and ex.figure.layout.annotations[0].text.startswith(
        f"points: {points:,} of "
    )


def test_date_range_and_search(ex):
    opts = [v for _, v in ex.date_range.options]
    ex.date_range.value = (pd.Timestamp("2026-09-01"), opts[-1])
    assert set(ex.filtered.ids) == {
        "INC-2026-0008",
        "INC-2026-0009",
        "INC-2026-0010",
        "INC-2026-0011",
        "INC-2026-0012",
        "INC-2026-0013",
        "INC-2026-0014",
    }
    ex.search.value = "certificate"
    assert ex.filtered.ids == ["INC-2026-0014"] and ex.incident.value == "INC-2026-0014"


def test_incident_picker_drills_down(ex):
    ex.incident.value = "INC-2026-0012"
    assert "Checkout latency spikes" in ex.detail.value
    assert "ongoing" in ex.detail.value and "Keep extra replicas" in ex.detail.value
    bars = {t.name: t for t in ex.timeline_figure.data if t.type == "bar"}
    assert bars["Time to resolve"].text[0].endswith("(ongoing)")


def test_click_on_a_point_selects_the_incident(ex):
    index, box = next((i, t) for i, t in enumerate(ex.figure.data) if t.type == "box")
    target = box.customdata[1][0]
    assert target != ex.incident.value
    ex.figure.click(index, 1)  # as the browser reports a click on the second point
    assert ex.incident.value == target and target in ex.detail.value


def test_empty_filter_state(ex):
    ex.search.value = "no such words anywhere"
    assert ex.count.value == "<b>0 of 14 incidents</b>"
    assert "No incidents match" in ex.summary_html.value
    assert ex.figure.layout.annotations[0].text == "No incidents match"
    assert ex.incident.options == () and "No incident selected" in ex.detail.value


def test_export_filtered_list(ex, tmp_path):
    ex.severity.value = ["P4"]
    path = ex.export_csv(tmp_path / "out.csv")
    table = pd.read_csv(path, index_col=0)
    assert list(table.index) == ["INC-2026-0005", "INC-2026-0011"]
    assert table.at["INC-2026-0005", "time_to_resolve_seconds"] == 90 * 60


def test_works_with_missing_milestones_and_open_incidents(sample):
    ex = Explorer(sample.select(["INC-2026-0005", "INC-2026-0013"]))  # no as_of
    assert ex.count.value == "<b>2 of 2 incidents</b>"
    ex.incident.value = "INC-2026-0013"
    assert "ongoing" in ex.detail.value


@pytest.mark.kernel
def test_render_reports_button(ex, tmp_path):
    ex.search.value = "expired tls"
    ex.report_folder.value = str(tmp_path / "rep")
    result = ex.render_reports()
    assert result.ok and ex.progress.value == ex.progress.max == 1
    assert (tmp_path / "rep" / "INC-2026-0014.html").is_file()


def test_explore_notebook_is_two_cells():
    import nbformat

    nb = nbformat.read(ik.report.notebook_path("explore.ipynb"), as_version=4)
    assert [c.cell_type for c in nb.cells].count("code") == 2


def test_toggles_show_what_is_selected(ex):
    p1 = ex.severity._buttons[0]
    assert p1.value and p1.button_style == "info" and p1.icon == "check"
    p1.value = False  # a click on "P1"
    assert ex.severity.value == ("P2", "P3", "P4")
    assert ex.count.value == "<b>11 of 14 incidents</b>"
    assert (p1.button_style, p1.icon) == ("", "")
    ex.status.value = ["Resolved"]  # from code, like a SelectMultiple
    assert [b.value for b in ex.status._buttons] == [False, True, False]
    with pytest.raises(Exception, match="unknown option 'P9'"):
        ex.severity.value = ["P9"]


def test_filters_line_and_date_label(ex):
    assert ex.date_label.value.endswith(">2026-05-12 – 2026-11-25 (198 days)</span>")
    assert "No filters: every incident · durations as of 2026-11-26 12:00 UTC" in (
        ex.filters_line.value
    )
    ex.severity.value = ["P1", "P2"]
    ex.search.value = "<db>"
    ex.services.value = ["checkout-api"]
    line = ex.filters_line.value
    assert "severity P1, P2 · services checkout-api · search “&lt;db&gt;”" in line
    assert "<db>" not in line


def test_reset_filters_refreshes_once(ex, monkeypatch):
    ex.severity.value = ["P4"]
    ex.search.value = "database"
    ex.date_range.index = (1, 3)
    calls = []
    original = ex.refresh
    monkeypatch.setattr(ex, "refresh", lambda: (calls.append(1), original()))
    ex.reset_button.click()
    assert len(calls) == 1 and ex.count.value == "<b>14 of 14 incidents</b>"
    assert "No filters" in ex.filters_line.value and ex.search.value == ""


def test_a_filter_change_patches_the_charts(ex):
    sent = []
    for chart in (ex.figure, ex.trend_figure):
        chart.send = lambda content, buffers=None: sent.append(content["kind"])
    ex.date_range.index = (1, len(ex.date_range.options) - 1)  # drops INC-2026-0001 (P1)
    assert ex.count.value == "<b>13 of 14 incidents</b>"
    assert sent == ["patch", "patch"]  # every severity still there: the same kinds of traces
    ex.status.value = ["Resolved", "Post-Mortem"]  # the open ones add no finished durations:
    assert sent == ["patch", "patch", "patch"]  # only the trend's counts change
    ex.severity.value = ["P2", "P3", "P4"]  # a box fewer: that chart is sent whole
    assert sent[3:] == ["figure", "patch"]
