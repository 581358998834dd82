"""nbconvert export to offline HTML: no code, no CDN, plotly.js from the run's assets.

The template ``incident_kit`` extends JupyterLab's and drops require.js, MathJax, mermaid and
widget loaders (all fetched from CDNs); the page's head carries plotly.js instead, either as
``assets/plotly.min.js`` shared by a run or inlined for a self-contained file.
"""

from __future__ import annotations

import contextlib
import html
import threading
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nbconvert import HTMLExporter

TEMPLATES = Path(__file__).resolve().parent / "templates"
ASSET = "assets/plotly.min.js"
#: Cells with this tag are for people running the notebook in Jupyter, not for report readers.
HIDE_TAG = "report-hide"
_idle: list = []  # exporters not in use
_lock = threading.Lock()
_warming: threading.Thread | None = None


@lru_cache(maxsize=1)
def plotly_js() -> str:
    """The plotly.js bundle shipped inside the plotly package."""
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()


def _build() -> HTMLExporter:
    """A configured HTMLExporter (costly: nbconvert's imports, template lookup)."""
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
    return HTMLExporter(
        config=config,
        template_name="incident_kit",
        extra_template_basedirs=[str(TEMPLATES)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )


@contextlib.contextmanager
def exporter() -> Iterator[HTMLExporter]:
    """An HTMLExporter for this thread's use until the block ends (they are not thread-safe
    and costly to build, so idle ones are kept for the next export, from any thread)."""
    with _lock:
        borrowed = _idle.pop() if _idle else None
    if borrowed is None:
        borrowed = _build()
    try:
        yield borrowed
    finally:
        with _lock:
            _idle.append(borrowed)


def warm_up() -> None:
    """Build an exporter and compile its template now (an export of an empty notebook), so
    the first page does not wait for it: e.g. in a thread while the first notebook runs."""
    from nbformat import v4

    to_html(v4.new_notebook(), title="warm-up")


def start_warm_up() -> None:
    """:func:`warm_up` in a background thread, unless an exporter is ready or being built
    (a failure here shows up at the first export)."""
    global _warming

    def run() -> None:
        with contextlib.suppress(Exception):
            warm_up()

    with _lock:
        if _idle or (_warming is not None and _warming.is_alive()):
            return
        _warming = threading.Thread(target=run, name="ik-export-warm-up", daemon=True)
        _warming.start()


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
    with exporter() as html_exporter:
        body, _ = html_exporter.from_notebook_node(
            shown(nb, html_exporter), resources=_resources(self_contained, banner, nav)
        )
    return body


def _resources(self_contained: bool, banner: str | None = None, nav: str | None = None) -> dict:
    """What the incident_kit template fills in besides the notebook."""
    return {
        "ik_head": head_script(self_contained),
        "ik_banner": banner or "",
        "ik_nav": nav or "",
    }


def shown(nb, html_exporter: HTMLExporter):
    """A shallow copy of ``nb`` whose outputs keep only the representation the page shows.

    The exporter shows the first of its ``display_data_priority`` an output has (for our
    charts, the HTML, not the plotly JSON beside it); it copies and validates the whole
    notebook several times, so the representations nobody sees are left behind first.
    """
    from nbformat import NotebookNode

    priority = html_exporter.config.NbConvertBase.display_data_priority or _PRIORITY
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
