"""What a notebook user gets for a mistaken call: one line that says what was wrong and what
is expected, as an incident_kit error (never an AttributeError from deep inside, never a
silently wrong figure)."""

from __future__ import annotations

import pytest

import incident_kit as ik

from .conftest import DATA

AS_OF = "2026-11-26T12:00Z"


@pytest.fixture(scope="module")
def frame(sample):
    return ik.durations(sample, as_of=AS_OF)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (
            lambda s, d: ik.durations(d),
            ik.IncidentKitError,
            "durations() takes an IncidentSet (from ik.load); got a DataFrame",
        ),
        (
            lambda s, d: ik.impact(d),
            ik.IncidentKitError,
            "impact() takes an IncidentSet (from ik.load); got a DataFrame",
        ),
        (
            lambda s, d: ik.widgets.Explorer(d),
            ik.IncidentKitError,
            "Explorer() takes an IncidentSet (from ik.load); got a DataFrame",
        ),
        (
            lambda s, d: ik.charts.timeline(d, "INC-2026-0001"),
            ik.IncidentKitError,
            "timeline() takes an IncidentSet (from ik.load); got a DataFrame",
        ),
        # a number is not an instant (pandas would read 12 as 12 ns after 1970)
        (
            lambda s, d: ik.impact(s, as_of=12),
            ik.IncidentKitError,
            "as-of 12 is not a time (expected ISO 8601 such as 2026-11-26T12:00Z, a datetime, "
            "or 'now')",
        ),
        (
            lambda s, d: ik.charts.timeline(s, "INC-2026-0001", display_tz="Berlin"),
            ik.UnknownNameError,
            "display_tz: unknown time zone 'Berlin'",
        ),
        (
            lambda s, d: ik.charts.portfolio_timeline(s, display_tz="CEST+1"),
            ik.UnknownNameError,
            "display_tz: unknown time zone 'CEST+1'",
        ),
        (
            lambda s, d: ik.load(DATA, tz_abbrev={"IST": "India"}),
            ik.UnknownNameError,
            "tz_abbrev IST: unknown time zone 'India'",
        ),
        (
            lambda s, d: ik.load(DATA, severity_map={"minor": "P9"}),
            ik.UnknownNameError,
            "severity_map: 'minor' maps to 'P9', which is not one of P1, P2, P3, P4",
        ),
    ],
)
def test_a_mistaken_call_is_one_clear_error(sample, frame, call, error, message):
    with pytest.raises(error) as info:
        call(sample, frame)
    assert str(info.value) == message


def test_options_that_are_right_still_load(sample):
    iset = ik.load(DATA, tz_abbrev={"IST": "Asia/Kolkata"}, severity_map={"minor": "p4"})
    assert iset.ids == sample.ids
    assert ik.impact(sample, as_of=ik.metrics.resolve_as_of(AS_OF)).attrs["as_of"] == (
        ik.metrics.resolve_as_of(AS_OF)
    )
