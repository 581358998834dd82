"""nbconvert export to offline HTML: no code, no CDN, plotly.js from the run's assets.

The template ``incident_kit`` extends JupyterLab's and drops require.js, MathJax, mermaid and
widget loaders (all fetched from CDNs); the page's head carries plotly.js instead, either as
``assets/plotly.min.js`` shared by a run or inlined for a self-contained file.
"""

from __future__ import annotations

import html
import threading
from functools import lru_cache
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent / "templates"
ASSET = "assets/plotly.min.js"
#: Cells with this tag are for people running the notebook in Jupyter, not for report readers.
HIDE_TAG = "report-hide"
_local = threading.local()


@lru_cache(maxsize=1)
def plotly_js() -> str:
    """The plotly.js bundle shipped inside the plotly package."""
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()


def exporter():
    """One HTMLExporter per thread (they are not thread-safe, and costly to build)."""
    if getattr(_local, "exporter", None) is None:
        from nbconvert import HTMLExporter
        from traitlets.config import Config

        config = Config()
        # only what acts on our notebooks: nbconvert validates the whole notebook after
        # each of its dozen default preprocessors, most of them disabled or idle here
        config.HTMLExporter.default_preprocessors = [
            "nbconvert.preprocessors.TagRemovePreprocessor",
            "nbconvert.preprocessors.CoalesceStreamsPreprocessor",
        ]
        config.TagRemovePreprocessor.enabled = True
        config.TagRemovePreprocessor.remove_cell_tags = {HIDE_TAG}
        _local.exporter = HTMLExporter(
            config=config,
            template_name="incident_kit",
            extra_template_basedirs=[str(TEMPLATES)],
            exclude_input=True,
            exclude_input_prompt=True,
            exclude_output_prompt=True,
        )
    return _local.exporter


def head_script(self_contained: bool, asset: str = ASSET) -> str:
    if self_contained:
        return f'<script type="text/javascript">{plotly_js()}</script>'
    return f'<script type="text/javascript" src="{html.escape(asset)}"></script>'


#: The way back from a report of a run (incident or portfolio page) to the run's index.
INDEX_LINK = '<nav class="ik-nav"><a href="index.html">← All incidents</a></nav>'


def to_html(
    nb,
    *,
    title: str,
    self_contained: bool = False,
    banner: str | None = None,
    nav: str | None = None,
) -> str:
    """An executed notebook as one offline HTML page (``nav``: links above the content)."""
    nb.metadata["title"] = title
    resources = {
        "ik_head": head_script(self_contained),
        "ik_banner": banner or "",
        "ik_nav": nav or "",
    }
    body, _ = exporter().from_notebook_node(shown(nb), resources=resources)
    return body


def shown(nb):
    """A shallow copy of ``nb`` whose outputs keep only the representation the page shows.

    The exporter shows the first of its ``display_data_priority`` an output has (for our
    charts, the HTML, not the plotly JSON beside it); it copies and validates the whole
    notebook several times, so the representations nobody sees are left behind first.
    """
    from nbformat import NotebookNode

    priority = exporter().config.NbConvertBase.display_data_priority or _PRIORITY
    cells = []
    for cell in nb.cells:
        outputs = cell.get("outputs")
        if outputs:
            cell = NotebookNode({**cell, "outputs": [_first_shown(o, priority) for o in outputs]})
        cells.append(cell)
    return NotebookNode({**nb, "cells": cells})


def _first_shown(output, priority):
    data = output.get("data")
    if not data:
        return output
    keep = next((m for m in priority if m in data), None)
    if keep is None:
        return output
    from nbformat import NotebookNode

    return NotebookNode({**output, "data": NotebookNode({keep: data[keep]})})


_PRIORITY = ("text/html", "text/markdown", "image/svg+xml", "image/png", "text/plain")
