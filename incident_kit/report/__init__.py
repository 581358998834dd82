"""Reports: the post-mortem, portfolio and review notebooks, run with papermill, exported by
nbconvert (and printed to PDF by Chromium).

The views (``Postmortem``, ``Portfolio``, ``Review``) are what the notebooks call; ``run`` is
the batch and ``review`` the review packet. papermill and nbconvert are imported only when a
notebook runs.
"""

from __future__ import annotations

from ..files import safe_name
from ..markup import Html
from .batch import BatchResult, ReportOptions, run
from .chart import Chart
from .inline import show
from .packet import ReviewOptions, ReviewResult, review
from .params import (
    PORTFOLIO_PARAMETERS,
    POSTMORTEM_PARAMETERS,
    POSTMORTEM_SECTIONS,
    REVIEW_PARAMETERS,
    check_template,
    notebook_path,
)
from .pdf import print_pdf, print_pdfs
from .review import Review, Window, resolve_window
from .views import Portfolio, Postmortem

__all__ = [
    "PORTFOLIO_PARAMETERS",
    "POSTMORTEM_PARAMETERS",
    "POSTMORTEM_SECTIONS",
    "REVIEW_PARAMETERS",
    "BatchResult",
    "Chart",
    "Html",
    "Portfolio",
    "Postmortem",
    "ReportOptions",
    "Review",
    "ReviewOptions",
    "ReviewResult",
    "Window",
    "check_template",
    "notebook_path",
    "print_pdf",
    "print_pdfs",
    "resolve_window",
    "review",
    "run",
    "safe_name",
    "show",
]
