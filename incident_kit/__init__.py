"""incident_kit: incident post-mortem analysis with pandas, plotly and Jupyter.

>>> import incident_kit as ik
>>> iset = ik.load("data")                 # doctest: +SKIP
>>> ik.durations(iset).head()              # doctest: +SKIP
"""

from __future__ import annotations

from . import charts, fmt, metrics, oncall, similar, stats
from .errors import (
    IncidentKitError,
    IncidentKitWarning,
    Problem,
    ReportError,
    SourceError,
    UnknownNameError,
    ValidationError,
)
from .metrics import (
    SPANS,
    Span,
    action_item_status,
    durations,
    follow_through,
    impact,
    milestones,
    mtbf,
    register_span,
    slowest,
    summarize,
)
from .model import KINDS, SEVERITIES, STATUSES, IncidentSet
from .oncall import workload
from .paths import DATA_ENV, default_data
from .similar import related
from .sources import FORMATS, SourceFormat, load, register_format
from .sources.markdown_write import render as to_markdown
from .sources.tables import write as to_tables
from .stats import compare, survival
from .version import __version__


def __getattr__(name: str):
    """``ik.report`` and ``ik.widgets`` are imported on first use (they pull in heavier libraries)."""
    if name in ("report", "widgets"):
        import importlib

        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'incident_kit' has no attribute {name!r}")


__all__ = [
    "DATA_ENV",
    "FORMATS",
    "KINDS",
    "SEVERITIES",
    "SPANS",
    "STATUSES",
    "IncidentKitError",
    "IncidentKitWarning",
    "IncidentSet",
    "Problem",
    "ReportError",
    "SourceError",
    "SourceFormat",
    "Span",
    "UnknownNameError",
    "ValidationError",
    "__version__",
    "action_item_status",
    "charts",
    "compare",
    "default_data",
    "durations",
    "fmt",
    "follow_through",
    "impact",
    "load",
    "metrics",
    "milestones",
    "mtbf",
    "oncall",
    "register_format",
    "register_span",
    "related",
    "similar",
    "slowest",
    "stats",
    "summarize",
    "survival",
    "to_markdown",
    "to_tables",
    "workload",
]
