"""Kaplan–Meier survival and medians, and changes versus noise, against hand-computed values."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import incident_kit as ik
from incident_kit import stats
from incident_kit.metrics import DEFAULT_STATS, KM_STATS

from .test_metrics import SMALL

M = pd.Timedelta
Z95 = 1.959963984540054  # the 97.5 % point of the standard normal


def frame_of(minutes: list[float], open_: list[bool] | None = None, started=None) -> pd.DataFrame:
    """A durations-like frame: ``time_to_resolve`` in minutes, some still open."""
    n = len(minutes)
    open_ = open_ or [False] * n
    started = started if started is not None else [pd.Timestamp("2026-01-15", tz="UTC")] * n
    return pd.DataFrame(
        {
            "time_to_resolve": pd.to_timedelta(minutes, unit="min"),
            "time_to_resolve_ongoing": open_,
            "started": pd.to_datetime(started, utc=True),
            "severity": pd.Categorical(["P2"] * n, categories=list(ik.SEVERITIES), ordered=True),
        },
        index=[f"I{i}" for i in range(n)],
    )


# 10, 20 (still open), 30, 40, 50 minutes. By hand, Kaplan–Meier:
#   t=10: 5 at risk, 1 ends -> S = 4/5 = 0.8
#   t=20: the open one leaves the risk set, S stays 0.8
#   t=30: 3 at risk, 1 ends -> S = 0.8 * 2/3 = 0.5333
#   t=40: 2 at risk, 1 ends -> S = 0.5333 * 1/2 = 0.2667   <- first at or below 0.5: median 40
#   t=50: 1 at risk, 1 ends -> S = 0
# (the median of the finished ones, 35, ignores that the open one is already past 20)
CENSORED = frame_of([10, 20, 30, 40, 50], [False, True, False, False, False])


def test_km_median_with_a_censored_point():
    median, low, high = stats.km_median([10, 20, 30, 40, 50], [True, False, True, True, True])
    assert median == 40.0
    assert low == 10.0  # the lower band is already below 0.5 at t=10 (see next test)
    assert math.isnan(high)  # the upper band never drops to 0.5: bounded below only


def test_survival_values_and_band_by_hand():
    s = ik.survival(CENSORED, "time_to_resolve")
    assert list(s["time"]) == [M(0), *(M(minutes=m) for m in (10, 20, 30, 40, 50))]
    assert s["survival"].tolist() == pytest.approx([1, 0.8, 0.8, 8 / 15, 4 / 15, 0])
    assert s["at_risk"].tolist() == [5, 5, 4, 3, 2, 1]
    assert s["events"].tolist() == [0, 1, 0, 1, 1, 1]
    assert s["censored"].tolist() == [0, 0, 1, 0, 0, 0]
    # exponential Greenwood at t=10: var(log S) = d / (n (n - d)) = 1/20,
    # band = exp(-exp(log(-log S) ± z * sqrt(1/20) / |log S|))
    se = math.sqrt(1 / 20) / abs(math.log(0.8))
    lnl = math.log(-math.log(0.8))
    at10 = s.iloc[1]
    assert at10["lower"] == pytest.approx(math.exp(-math.exp(lnl + Z95 * se)))  # 0.2038
    assert at10["upper"] == pytest.approx(math.exp(-math.exp(lnl - Z95 * se)))  # 0.9692
    assert at10["lower"] == pytest.approx(0.2038, abs=1e-4)
    # at t=30: var sums 1/(5*4) + 1/(3*2)
    var = 1 / 20 + 1 / 6
    s30 = 8 / 15
    se30 = math.sqrt(var) / abs(math.log(s30))
    assert s.iloc[3]["upper"] == pytest.approx(
        math.exp(-math.exp(math.log(-math.log(s30)) - Z95 * se30))
    )
    assert (s["lower"] <= s["survival"]).all() and (s["survival"] <= s["upper"]).all()


def test_km_median_is_the_sample_median_without_open_incidents():
    assert stats.km_median([1, 2, 3, 4], [True] * 4)[0] == 2.5  # S is 0.5 on [2, 3): midpoint
    assert stats.km_median([5, 1, 3], [True] * 3)[0] == 3.0
    assert math.isnan(stats.km_median([10, 20, 30], [True, False, False])[0])  # not reached


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 12), st.booleans()), min_size=1, max_size=14).filter(
        lambda xs: any(e for _, e in xs)
    )
)
def test_vectorized_resampling_median_equals_scipys(sample):
    value = np.array([v for v, _ in sample], dtype=float)
    event = np.array([e for _, e in sample])
    expected = stats.km_median(value, event)[0]
    order = np.lexsort((~event, value))
    got = stats._median_rows(value[order], event[order], np.arange(len(value))[None, :])[0]
    assert (math.isnan(expected) and math.isnan(got)) or got == expected
    if event.all():
        assert expected == np.median(value)


def test_survival_by_group_and_empty():
    d = ik.durations(SMALL, as_of="2026-02-05T12:00Z")
    s = ik.survival(d, "time_to_resolve", by="severity")
    assert list(s.columns[:5]) == ["severity", "time", "survival", "lower", "upper"]
    p2 = s[s["severity"] == "P2"]  # c ended after 1h, d open for 2h: S(1h) = 1/2
    assert p2["survival"].tolist() == [1.0, 0.5, 0.5]
    assert p2["censored"].tolist() == [0, 0, 1]
    empty = ik.survival(d.iloc[:0], "time_to_resolve")
    assert empty.empty and "survival" in empty.columns
    with pytest.raises(ik.UnknownNameError, match="no span 'nope'"):
        ik.survival(d, "nope")


def test_open_incident_without_as_of_warns_and_is_not_counted_finished():
    d = CENSORED.copy()
    d.loc["I1", "time_to_resolve"] = pd.NaT  # open, measured to no as-of (a hand-made frame)
    with pytest.warns(ik.IncidentKitWarning, match="1 open incident"):
        s = ik.survival(d, "time_to_resolve")
    assert s["at_risk"].iloc[0] == 4


def test_summarize_km_columns_by_hand():
    d = ik.durations(SMALL, as_of="2026-02-05T12:00Z")
    plain = ik.summarize(d, by="severity", columns=["time_to_resolve"])
    assert "median_km" not in plain.columns  # only when asked: it costs a fit per group
    s = ik.summarize(
        d, by="severity", stats=(*DEFAULT_STATS, *KM_STATS), columns=["time_to_resolve"]
    ).set_index("severity")
    # P1: 10m and 30m, both finished: S = 1/2 on [10m, 30m) -> midpoint, the sample median
    assert s.at["P1", "median_km"] == M(minutes=20) == s.at["P1", "median"]
    # P2: c 1h finished, d open at 2h: S(1h) = 1/2 and never lower -> 1h
    assert s.at["P2", "median_km"] == M(hours=1)
    assert s.at["P2", "median_low"] == M(hours=1) and pd.isna(s.at["P2", "median_high"])
    with pytest.raises(ik.UnknownNameError, match="known: count, open, mean"):
        ik.summarize(d, stats=["mode"])


# -- compare -----------------------------------------------------------------------------
def two_periods(before: list[float], after: list[float], open_after=None) -> pd.DataFrame:
    started = [pd.Timestamp("2026-01-10", tz="UTC")] * len(before) + [
        pd.Timestamp("2026-02-10", tz="UTC")
    ] * len(after)
    open_ = [False] * len(before) + (open_after or [False] * len(after))
    return frame_of(before + after, open_, started)


JAN = ("2026-01-01", "2026-02-01")
FEB = ("2026-02-01", "2026-03-01")


def exact_p(before: list[float], after: list[float]) -> float:
    """Two-sided permutation p-value of the difference in medians, by enumerating splits."""
    pool = before + after
    observed = np.median(after) - np.median(before)
    extreme = total = 0
    for chosen in itertools.combinations(range(len(pool)), len(after)):
        a = [pool[i] for i in chosen]
        b = [pool[i] for i in range(len(pool)) if i not in chosen]
        stat = np.median(a) - np.median(b)
        total += 1
        extreme += abs(stat) >= abs(observed) - 1e-9
    return extreme / total


def test_permutation_p_value_exact_when_few_splits():
    before, after = [10, 20, 30], [40, 50, 60]
    row = ik.compare(two_periods(before, after), "time_to_resolve", JAN, FEB).iloc[0]
    # 20 ways to split 6 incidents 3/3; |median difference| >= 30 in 4 of them
    assert exact_p(before, after) == pytest.approx(4 / 20)
    assert row["p_value"] == pytest.approx(4 / 20)
    assert row["median_before"] == M(minutes=20) and row["median_after"] == M(minutes=50)
    assert row["difference"] == M(minutes=30)
    assert not row["changed"] and row["verdict"] == "no evidence of a change: 3 vs 3 incidents"


def test_permutation_p_value_on_a_fixed_seed():
    before = [12, 15, 18, 22, 25, 31, 40, 44]
    after = [20, 28, 35, 41, 47, 52, 60, 75]
    frame = two_periods(before, after)
    first = ik.compare(frame, "time_to_resolve", JAN, FEB).iloc[0]
    again = ik.compare(frame, "time_to_resolve", JAN, FEB).iloc[0]
    assert first["p_value"] == again["p_value"]  # seeded: reproducible
    # 12,870 splits > 9,999 resamples: a random sample of them, close to the exact value
    assert first["p_value"] == pytest.approx(exact_p(before, after), abs=0.01)
    other = ik.compare(
        frame, "time_to_resolve", JAN, FEB, options=stats.CompareOptions(seed=1)
    ).iloc[0]
    assert other["p_value"] != first["p_value"]


def test_a_real_change_is_called_and_noise_is_not():
    slow = ik.compare(
        two_periods(list(range(10, 30, 2)), list(range(100, 120, 2))), "time_to_resolve", JAN, FEB
    ).iloc[0]
    # even fully separated samples: the splits keeping 6 slow ones on one side give
    # median differences as large, so p is about 0.0014, not 1/10,000
    assert slow["changed"] and slow["p_value"] < 0.005
    assert slow["verdict"] == (
        f"longer: median 19m -> 1h 49m (p = {slow['p_value']:.3f}; 10 vs 10 incidents)"
    )
    assert M(minutes=80) <= slow["difference_low"] <= slow["difference"] == M(minutes=90)
    assert slow["difference_high"] <= M(minutes=108 - 10)
    rng = np.random.default_rng(3)
    same = rng.lognormal(4, 0.6, 25).round(1).tolist()
    noise = ik.compare(two_periods(same[:14], same[14:]), "time_to_resolve", JAN, FEB).iloc[0]
    assert (
        not noise["changed"] and noise["verdict"] == "no evidence of a change: 14 vs 11 incidents"
    )
    assert noise["difference_low"] < M(0) < noise["difference_high"]


def test_open_incidents_count_in_a_comparison():
    # February: 3 finished fast, 4 still open at 5h. Finished-only medians would call it
    # faster; counting the open ones, its median is not reached: cannot tell, not "faster".
    frame = two_periods(
        [60, 70, 80, 90], [20, 25, 30, 300, 300, 300, 300], [False] * 3 + [True] * 4
    )
    row = ik.compare(frame, "time_to_resolve", JAN, FEB).iloc[0]
    assert row["open_after"] == 4 and row["n_after"] == 7 and pd.isna(row["median_after"])
    assert not row["changed"]
    assert row["verdict"].startswith("cannot tell: the median is not reached in the later period")


def test_compare_by_group_too_few_and_bad_windows():
    d = ik.durations(SMALL, as_of="2026-02-05T12:00Z")
    out = ik.compare(d, "time_to_resolve", JAN, FEB, by="severity")
    assert list(out["severity"]) == ["P1", "P2"]
    p1 = out.set_index("severity").loc["P1"]
    assert (p1["n_before"], p1["n_after"]) == (2, 0)
    assert p1["verdict"] == "too few incidents to tell: 2 vs 0 incidents"
    with pytest.raises(ik.UnknownNameError, match="before: start"):
        ik.compare(d, "time_to_resolve", ("2026-02-01", "2026-01-01"), FEB)
    with pytest.raises(ik.UnknownNameError, match="after must be a"):
        ik.compare(d, "time_to_resolve", JAN, "2026-02")


def test_period_changes_month_by_month():
    frame = two_periods(list(range(10, 20)), list(range(100, 110)))
    changes = stats.period_changes(frame, "time_to_resolve")
    assert list(changes["period"]) == ["2026-02"]
    assert changes.iloc[0]["changed"] and changes.iloc[0]["n_before"] == 10


def test_import_incident_kit_does_not_load_scipy_or_sklearn():
    import subprocess
    import sys

    code = (
        "import sys, incident_kit as ik; ik.durations(ik.IncidentSet.empty()); "
        "print(sorted(m for m in ('scipy', 'sklearn', 'snowballstemmer') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
