"""Reports: the post-mortem and portfolio notebooks, run with papermill, exported by nbconvert.

The views (``Postmortem``, ``Portfolio``) are what the notebooks call; ``run`` is the batch.
papermill and nbconvert are imported only when a batch runs.
"""

from __future__ import annotations

from ..files import safe_name
from ..markup import Html
from .inline import show
from .params import (
    PORTFOLIO_PARAMETERS,
    POSTMORTEM_PARAMETERS,
    POSTMORTEM_SECTIONS,
    check_template,
    notebook_path,
)
from .views import Chart, Portfolio, Postmortem


def run(*args, **kwargs):
    """Render every incident's post-mortem, the portfolio and an index (see batch.run)."""
    from .batch import run as _run

    return _run(*args, **kwargs)


__all__ = [
    "PORTFOLIO_PARAMETERS",
    "POSTMORTEM_PARAMETERS",
    "POSTMORTEM_SECTIONS",
    "Chart",
    "Html",
    "Portfolio",
    "Postmortem",
    "check_template",
    "notebook_path",
    "run",
    "safe_name",
    "show",
]
