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
    body, _ = exporter().from_notebook_node(nb, resources=resources)
    return body
