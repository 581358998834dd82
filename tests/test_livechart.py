"""LiveChart sends a figure once, then only what changed; clicks come back to Python."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from incident_kit.livechart import LiveChart


def box(ys, ids, title="t") -> go.Figure:
    fig = go.Figure(go.Box(y=ys, customdata=ids, boxpoints="all"))
    fig.add_trace(go.Scatter(x=[0], y=[max(ys)], mode="markers"))
    fig.update_layout(title=title, height=300)
    return fig


@pytest.fixture
def chart():
    chart = LiveChart(box([1, 2, 3], ["A", "B", "C"]))
    chart.sent = []
    chart.send = lambda content, buffers=None: chart.sent.append((content, buffers))
    return chart


def test_first_view_gets_the_whole_figure(chart):
    chart._on_message(chart, {"kind": "need-figure"}, [])
    ((msg, _),) = chart.sent
    assert msg["kind"] == "figure" and msg["rev"] == 1
    assert msg["figure"]["data"][0]["y"] == [1, 2, 3]
    assert msg["figure"]["layout"]["title"]["text"] == "t"


def test_an_update_sends_only_what_changed(chart):
    assert chart.show(box([1, 2, 3, 9], ["A", "B", "C", "D"])) == "patch"
    ((msg, _),) = chart.sent
    assert (msg["kind"], msg["base"], msg["rev"]) == ("patch", 1, 2)
    assert msg["traces"] == [
        {"index": 0, "props": {"y": [1, 2, 3, 9], "customdata": ["A", "B", "C", "D"]}},
        {"index": 1, "props": {"y": [9]}},
    ]
    assert msg["layout"] == {}  # title, height and template were sent before
    assert chart.data[0].customdata[3] == "D"


def test_nothing_sent_when_nothing_changed(chart):
    assert chart.show(box([1, 2, 3], ["A", "B", "C"])) == "same" and chart.sent == []


def test_new_kinds_of_traces_send_the_whole_figure(chart):
    assert chart.show(go.Figure(go.Bar(x=["a"], y=[1]))) == "full"
    ((msg, _),) = chart.sent
    assert msg["kind"] == "figure" and msg["figure"]["data"][0]["type"] == "bar"


def test_removed_layout_properties_are_cleared(chart):
    fig = box([1, 2, 3], ["A", "B", "C"])
    fig.layout.height = None
    chart.show(fig)
    ((msg, _),) = chart.sent
    assert msg["layout"] == {"height": None}


def test_plotly_js_is_sent_once_on_request(chart):
    chart._on_message(chart, {"kind": "need-plotly"}, [])
    ((msg, buffers),) = chart.sent
    assert msg == {"kind": "plotly"} and b"window.Plotly = Plotly" in buffers[0]


def test_clicks_reach_the_handlers_with_the_points_customdata(chart):
    seen = []
    chart.on_click(lambda trace, point, custom: seen.append((trace, point, custom)))
    chart._on_message(chart, {"kind": "click", "curve": 0, "point": 2, "customdata": "x"}, [])
    chart._on_message(chart, {"kind": "click", "curve": 7, "point": 0}, [])  # no such trace
    assert seen == [(0, 2, "C")]


def test_whole_sends_the_figure_every_time(chart):
    chart.whole = True
    assert chart.show(box([1, 2, 3, 9], ["A", "B", "C", "D"])) == "full"
    ((msg, _),) = chart.sent
    assert msg["kind"] == "figure" and msg["figure"]["layout"]["title"]["text"] == "t"
