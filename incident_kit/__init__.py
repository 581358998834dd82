"""incident_kit: incident post-mortem analysis with pandas, plotly and Jupyter.

>>> import incident_kit as ik
>>> iset = ik.load("data")                 # doctest: +SKIP
>>> ik.durations(iset).head()              # doctest: +SKIP
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from .errors import (
    IncidentKitError,
    IncidentKitWarning,
    Problem,
    ReportError,
    SourceError,
    UnknownNameError,
    ValidationError,
)
from .model import KINDS, SEVERITIES, STATUSES, IncidentSet
from .sources import FORMATS, SourceFormat, load, register_format
from .sources.markdown import render as to_markdown
from .sources.tables import write as to_tables

try:
    __version__ = version("incident_kit")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

__all__ = [
    "FORMATS",
    "KINDS",
    "SEVERITIES",
    "STATUSES",
    "IncidentKitError",
    "IncidentKitWarning",
    "IncidentSet",
    "Problem",
    "ReportError",
    "SourceError",
    "SourceFormat",
    "UnknownNameError",
    "ValidationError",
    "__version__",
    "load",
    "register_format",
    "to_markdown",
    "to_tables",
]
