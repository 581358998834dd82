"""A plotly figure as report pages and notebooks show it: a self-drawing ``<div>``."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cached_property


@dataclass
class Chart:
    """A plotly figure shown as a self-drawing ``<div>`` that needs only a global ``Plotly``.

    Jupyter front-ends with plotly's renderer use the JSON; nbconvert keeps the HTML, whose
    script the exported page's own plotly.js draws. No require.js, no CDN.
    """

    figure: object

    @cached_property
    def spec(self) -> str:
        """The figure as plotly JSON (serialized once, not validated again)."""
        import plotly.io as pio

        return pio.to_json(self.figure, validate=False)

    def html(self) -> str:
        """A ``<div>`` and a script that draws it with the page's global ``Plotly``."""
        uid = "ik-" + hashlib.sha1(self.spec.encode()).hexdigest()[:12]
        height = self.figure.layout.height or 450
        config = json.dumps({"displaylogo": False, "responsive": True})
        spec = self.spec.replace("</", "<\\/")  # never close the script early
        return (
            f'<div id="{uid}" class="plotly-graph-div" style="height:{int(height)}px; width:100%;"></div>'
            f'<script type="text/javascript">(function () {{ var el = document.getElementById("{uid}");'
            f" if (!el || !window.Plotly) {{ return; }} var fig = {spec};"
            f" Plotly.newPlot(el, fig.data, fig.layout, {config}); }})();</script>"
        )

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        return {
            "application/vnd.plotly.v1+json": json.loads(self.spec),
            "text/html": self.html(),
            "text/plain": f"<Figure: {self.figure.layout.title.text or ''}>",
        }


__all__ = ["Chart"]
