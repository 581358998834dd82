"""Metrics speed on 100,000 incidents / 1,000,000 events, against a naive per-incident loop.

Prints figures; asserts nothing (machines here are shared: compare the ratio, not seconds).
Run: .venv/bin/python bench/metrics.py [--incidents N]
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
import warnings

import pandas as pd

import incident_kit as ik
from incident_kit import synth


def naive_durations(iset: ik.IncidentSet) -> pd.DataFrame:
    """The obvious code: for each incident, pick its events and walk them in Python."""
    rows = {}
    events = iset.events
    for iid in iset.incidents.index:
        ev = events[events["incident_id"] == iid]
        first = {}
        if len(ev):
            for ts, kind in zip(ev["timestamp"], ev["kind"], strict=True):
                if kind != "update" and (kind not in first or ts < first[kind]):
                    first[kind] = ts
        row = {}
        for span in ik.metrics.get_spans():
            start = next((first[k] for k in span.start if k in first), None)
            end = next((first[k] for k in span.end if k in first), None)
            row[span.name] = end - start if start is not None and end is not None else pd.NaT
        rows[iid] = row
    return pd.DataFrame.from_dict(rows, orient="index")


def timed(label: str, fn, *args, **kwargs):
    t = time.perf_counter()
    out = fn(*args, **kwargs)
    dt = time.perf_counter() - t
    print(f"{label:<38} {dt:8.3f} s")
    return out, dt


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--incidents", type=int, default=100_000)
    p.add_argument("--slice", type=int, default=10_000)
    args = p.parse_args()
    iset = synth.generate(args.incidents, seed=7)
    print(f"portfolio: {len(iset.incidents):,} incidents, {len(iset.events):,} events")
    with tempfile.TemporaryDirectory() as tmp:
        ik.to_tables(iset, tmp)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            loaded, _ = timed("load from CSV (parse + validate)", ik.load, tmp)
    assert len(loaded) == len(iset)
    d, t_dur = timed("durations", ik.durations, loaded)
    _, t_sev = timed("summarize by severity", ik.summarize, d, by="severity")
    _, t_month = timed("summarize by month", ik.summarize, d, by="month")
    total = t_dur + t_sev + t_month
    print(f"{'durations + both summaries':<38} {total:8.3f} s   (target < 1 s)")

    part = loaded.select(loaded.ids[: args.slice])
    fast, t_fast = timed(f"durations, {args.slice:,}-incident slice", ik.durations, part)
    slow, t_slow = timed(f"naive loop, {args.slice:,}-incident slice", naive_durations, part)
    spans = ik.metrics.span_columns(fast)
    pd.testing.assert_frame_equal(
        fast[spans],
        slow[spans].astype(fast[spans].dtypes),
        check_names=False,
        check_index_type=False,
    )
    print(
        f"{'speed-up over the naive loop':<38} {t_slow / t_fast:8.1f} x (target >= 50x; same results)"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'peak memory (max RSS)':<38} {peak:8.0f} MiB")


if __name__ == "__main__":
    main()
