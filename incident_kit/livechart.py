"""A plotly figure as a Jupyter widget that updates in place and reports clicks to Python.

Why not plotly's own ``FigureWidget``: since plotly 6 it is an anywidget whose module carries
all of plotly.js (about 5 MB, once per widget), and anywidget gives a module two seconds to
load; on a busy machine the explorer's three charts missed that and then ignored every
update. :class:`LiveChart` keeps its module to a few KB (``static/livechart.js``), sends
plotly.js once per page when the first chart asks for it, and after the first drawing sends
only the trace and layout properties that changed (one message per update, numbered, so a
view that missed one asks for the whole figure again).

>>> chart = LiveChart(charts.durations(frame))     # doctest: +SKIP
>>> chart.show(charts.durations(frame.head(50)))   # doctest: +SKIP
'patch'
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from pathlib import Path

import anywidget
import plotly.graph_objects as go
import plotly.io as pio

#: Called with (trace index, point index, the point's customdata or None).
ClickHandler = Callable[[int, int, object], None]


@cache
def _plotly_js() -> bytes:
    from plotly.offline import get_plotlyjs

    return get_plotlyjs().encode("utf-8")


def _spec(figure: go.Figure) -> dict:
    """The figure as plain JSON data (numpy arrays, dates and NaN made JSON-safe by plotly)."""
    return json.loads(pio.to_json(figure, validate=False))


def _changed(old: dict, new: dict) -> dict:
    """Top-level properties of ``new`` that differ from ``old``; removed ones map to None."""
    out = {k: v for k, v in new.items() if k not in old or old[k] != v}
    out.update({k: None for k in old if k not in new})
    return out


class LiveChart(anywidget.AnyWidget):
    """A plotly figure in the notebook; :meth:`show` replaces it, sending only what changed.

    ``figure`` is the figure now shown (``data`` and ``layout`` are its own), and
    :meth:`on_click` registers a callback for clicks on points.
    """

    _esm = Path(__file__).with_name("static") / "livechart.js"
    #: Send the whole figure on every change instead of what changed (for comparisons).
    whole = False

    def __init__(self, figure: go.Figure | None = None, **kwargs):
        super().__init__(**kwargs)
        self.figure = go.Figure()
        self._sent: dict = {"data": [], "layout": {}}
        self.rev = 0
        self._click_handlers: list[ClickHandler] = []
        self.on_msg(self._on_message)
        if figure is not None:
            self.show(figure)

    @property
    def data(self) -> tuple:
        """The traces now shown."""
        return self.figure.data

    @property
    def layout(self) -> go.Layout:
        """The layout now shown."""
        return self.figure.layout

    def show(self, figure: go.Figure) -> str:
        """Show ``figure``: ``"same"`` (nothing sent), ``"patch"`` (changed properties of
        traces of the same kinds, one message) or ``"full"`` (the whole figure)."""
        spec = _spec(figure)
        spec.setdefault("layout", {})
        old = self._sent
        self.figure = figure
        kinds = [t.get("type") for t in spec["data"]]
        if self.whole or kinds != [t.get("type") for t in old["data"]]:
            self._sent = spec
            self.rev += 1
            self.send({"kind": "figure", "rev": self.rev, "figure": spec})
            return "full"
        traces = [
            {"index": i, "props": props}
            for i, (o, n) in enumerate(zip(old["data"], spec["data"], strict=True))
            if (props := _changed(o, n))
        ]
        layout = _changed(old["layout"], spec["layout"])
        self._sent = spec
        if not traces and not layout:
            return "same"
        self.rev += 1
        self.send(
            {
                "kind": "patch",
                "base": self.rev - 1,
                "rev": self.rev,
                "traces": traces,
                "layout": layout,
            }
        )
        return "patch"

    def on_click(self, handler: ClickHandler) -> None:
        """Call ``handler(trace_index, point_index, customdata)`` when a point is clicked."""
        self._click_handlers.append(handler)

    def click(self, trace: int, point: int) -> None:
        """What a click on point ``point`` of trace ``trace`` does (as the browser reports it)."""
        custom = self.figure.data[trace].customdata
        value = None if custom is None else custom[point]
        for handler in self._click_handlers:
            handler(trace, point, value)

    def _on_message(self, _widget, content: dict, _buffers) -> None:
        kind = content.get("kind")
        if kind == "need-figure":
            self.send({"kind": "figure", "rev": self.rev, "figure": self._sent})
        elif kind == "need-plotly":
            self.send({"kind": "plotly"}, buffers=[_plotly_js()])
        elif kind == "click":
            trace, point = content.get("curve"), content.get("point")
            if isinstance(trace, int) and isinstance(point, int) and trace < len(self.data):
                self.click(trace, point)
