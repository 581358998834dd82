"""Metrics speed on 100,000 incidents / 1,000,000 events, against a one-pass Python loop.

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


def loop_durations(iset: ik.IncidentSet, as_of: pd.Timestamp) -> pd.DataFrame:
    """The plain-Python way done right: one pass over the events keeping each incident's
    first time per kind, then a loop over incidents computing every span (censored to
    ``as_of`` while open, as ``ik.durations`` does). Linear, like the vectorized code, so
    their ratio does not grow with the number of incidents."""
    kinds = set(ik.model.SPAN_KINDS)
    first: dict[str, dict] = {}
    events = iset.events
    for iid, ts, kind in zip(
        events["incident_id"], events["timestamp"], events["kind"], strict=True
    ):
        if kind in kinds and ts is not pd.NaT:
            seen = first.setdefault(iid, {})
            if kind not in seen or ts < seen[kind]:
                seen[kind] = ts
    spans = ik.metrics.get_spans()
    inc = iset.incidents
    flags = {c: inc[c].fillna(False).astype(bool).to_dict() for s in spans for c in s.ended_if}
    rows = {}
    for iid, status in zip(inc.index, inc["status"], strict=True):
        seen = first.get(iid, {})
        open_ = status == "Active" or (pd.isna(status) and "resolved" not in seen)
        row = {}
        for span in spans:
            start = next((seen[k] for k in span.start if k in seen), None)
            end = next((seen[k] for k in span.end if k in seen), None)
            ended = any(flags[c][iid] for c in span.ended_if)
            if open_ and start is not None and end is None and not ended:
                end = as_of
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

    as_of = pd.Timestamp("2026-06-01T00:00Z")
    for n in sorted({args.slice // 10, args.slice // 4, args.slice}):
        part = loaded.select(loaded.ids[:n])
        fast, t_fast = timed(f"durations, {n:,}-incident slice", ik.durations, part, as_of)
        slow, t_slow = timed(f"one-pass Python loop, {n:,} incidents", loop_durations, part, as_of)
        spans = ik.metrics.span_columns(fast)
        pd.testing.assert_frame_equal(
            fast[spans],
            slow[spans].astype(fast[spans].dtypes),
            check_names=False,
            check_index_type=False,
        )
        print(
            f"{'speed-up over the one-pass loop':<38} {t_slow / t_fast:8.1f} x "
            f"({n:,} incidents; same results)"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'peak memory (max RSS)':<38} {peak:8.0f} MiB")


if __name__ == "__main__":
    main()
