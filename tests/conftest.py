"""Small named fixtures: the sample portfolio, and a builder for one-incident reports."""

from __future__ import annotations

import os
import tempfile
import textwrap
from pathlib import Path

import pytest

import incident_kit as ik

ROOT = Path(__file__).resolve().parent.parent
# the load cache (incident_kit.cache) of this test session lives in a fresh folder, so tests
# exercise it without reading or filling the user's cache (kernels inherit the variable)
os.environ["INCIDENT_KIT_CACHE"] = tempfile.mkdtemp(prefix="ik-test-cache-")
DATA = ROOT / "data"


@pytest.fixture(scope="session")
def sample() -> ik.IncidentSet:
    return ik.load(DATA)


def report_md(
    incident_id: str = "INC-T1",
    *,
    title: str = "Test incident",
    severity: str = "P2",
    status: str = "Resolved",
    timeline: str = "",
    impact: str = "",
    extra: str = "",
) -> str:
    """A filled template with just the given parts (everything else left as placeholders)."""
    return textwrap.dedent(
        """\
        # {title}

        ## Incident Summary

        **Incident ID**: {incident_id}
        **Severity**: {severity}
        **Status**: {status}

        ## Timeline

        {timeline}

        ## Impact Assessment

        {impact}
        {extra}
        """
    ).format(
        title=title,
        incident_id=incident_id,
        severity=severity,
        status=status,
        timeline=textwrap.dedent(timeline).strip()
        or "- **Detected**: [timestamp] by [person/system]",
        impact=textwrap.dedent(impact).strip() or "- **Users Affected**: [number/percentage]",
        extra=textwrap.dedent(extra),
    )


@pytest.fixture
def write_report(tmp_path):
    """Write report_md(...) to tmp_path/<id>.md and return its path."""

    def write(incident_id: str = "INC-T1", **kwargs) -> Path:
        path = tmp_path / f"{incident_id.replace('/', '_')}.md"
        path.write_text(report_md(incident_id, **kwargs), encoding="utf-8")
        return path

    return write
