"""The error family for problems a user can fix, and the located problem record.

Every message names the file, the line, the field and the value, so a person can act on it
without reading a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One located problem in the input: where it is, which field, what was received."""

    file: str
    line: int | None
    field: str
    value: str
    message: str
    incident_id: str | None = None
    level: str = "error"  # "error" drops the incident; "warning" only informs

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"


class IncidentKitError(ValueError):
    """Base of every error a user can fix by changing their input or arguments."""


class ValidationError(IncidentKitError):
    """Raised by ``load(..., strict=True)``: carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        lines = [str(p) for p in self.problems]
        head = f"{len(lines)} problem(s) in the incident data"
        super().__init__(head + ":\n" + "\n".join(lines) if lines else head)


class SourceError(IncidentKitError):
    """A file that cannot be read as incident data at all (not UTF-8, empty, unknown shape)."""


class UnknownNameError(IncidentKitError, KeyError):
    """A name (format, span, incident ID) that is not registered; the message lists known ones."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class ReportError(IncidentKitError):
    """The report batch could not start (bad template, output folder, parameters)."""


class IncidentKitWarning(UserWarning):
    """Something was assumed while loading (e.g. a timestamp without a zone took default_tz)."""
