"""What every source format is given (the vocabulary they share is in ``incident_kit.vocab``)."""

from __future__ import annotations

import csv
import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import IncidentKitError
from ..vocab import kind_name  # noqa: F401  (moved to vocab; kept importable here)

#: What a format's ``read`` may raise for input it cannot read at all: ``load`` turns these
#: into a located problem for the file. Anything else is a bug and propagates.
DATA_ERRORS: tuple[type[Exception], ...] = (
    IncidentKitError,
    UnicodeDecodeError,
    json.JSONDecodeError,
    csv.Error,
    tomllib.TOMLDecodeError,
    pd.errors.ParserError,
    pd.errors.EmptyDataError,
    OSError,
)


@dataclass(frozen=True)
class ReadOptions:
    """How ``load`` asks a format to read its files (one object, not a parameter list).

    ``default_tz`` is the zone of times written without one; ``tz_abbrev`` maps zone
    abbreviations to IANA names or offsets (``{"IST": "Asia/Kolkata"}``) over the defaults;
    ``severity_map`` maps a tool's or a person's severity words to P1..P4; ``mapping`` is the
    column mapping of exports read by ``sources.mapped``.
    """

    default_tz: str = "UTC"
    tz_abbrev: dict[str, str] = field(default_factory=dict)
    severity_map: dict[str, str] = field(default_factory=dict)
    mapping: dict | str | Path | None = None


def mapping_beside(path: Path) -> Path | None:
    """``export.mapping.yaml`` / ``.yml`` / ``.toml`` beside ``export.csv``, if there is one:
    a file with a mapping is read through it, whatever its name (also ``incidents.csv``)."""
    for ext in (".mapping.yaml", ".mapping.yml", ".mapping.toml"):
        candidate = path.with_name(path.stem + ext)
        if candidate.is_file():
            return candidate
    return None
