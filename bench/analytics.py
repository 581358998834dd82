"""Review analytics speed: Kaplan–Meier columns in summaries, compare, survival, related
incidents for a whole portfolio, workload; and what importing them costs.

Prints figures; asserts nothing (machines here are shared: compare within one run).
Run: .venv/bin/python bench/analytics.py [--incidents N] [--texts N]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

import numpy as np
import pandas as pd

import incident_kit as ik
from incident_kit import oncall, similar, synth
from incident_kit.metrics import DEFAULT_STATS, KM_STATS

AS_OF = "2026-01-01T00:00Z"
STORIES = [
    ("TLS certificate expired on {svc}", "the certificate renewal job failed silently"),
    ("{svc} returned 502 after a config push", "a config change skipped the canary stage"),
    ("Disk full on {svc} database", "log rotation was misconfigured and filled the volume"),
    ("{svc} latency after deploy", "a slow query shipped without load testing"),
    ("Queue backlog in {svc}", "consumers were scaled down by an autoscaler bug"),
    ("DNS resolution failures for {svc}", "a resolver change dropped a search domain"),
    ("Memory leak in {svc} workers", "a cache grew without a bound after an upgrade"),
    ("Expired API token broke {svc}", "a credential rotated without updating the consumer"),
]
FILLER = [
    *[
        "customers",
        "saw",
        "errors",
        "while",
        "on-call",
        "investigated",
        "dashboards",
        "and",
        "rolled",
        "back",
    ],
    *[
        "the",
        "change",
        "engineers",
        "paged",
        "escalated",
        "restarted",
        "drained",
        "verified",
        "recovered",
    ],
]


def timed(label: str, fn, *args, repeat: int = 1, **kwargs):
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn(*args, **kwargs)
        runs.append(time.perf_counter() - t)
    dt = float(np.median(runs))
    print(f"{label:<52} {dt:8.3f} s" + (f"  (median of {repeat})" if repeat > 1 else ""))
    return out, dt


def with_texts(n: int, seed: int = 5) -> ik.IncidentSet:
    """A synthetic portfolio whose incidents retell a few stories in varied words."""
    rng = np.random.default_rng(seed)
    iset = synth.generate(n, seed=seed)
    inc = iset.incidents.copy()
    story = rng.integers(0, len(STORIES), n)
    titles, whys, whats = [], [], []
    for i in range(n):
        title, why = STORIES[story[i]]
        svc = inc["services"].iat[i][0]
        words = rng.choice(FILLER, 12)
        titles.append(title.format(svc=svc))
        whys.append(f"{why}; {' '.join(rng.choice(FILLER, 4))}")
        whats.append(" ".join(words))
    inc["title"], inc["why_it_happened"], inc["what_happened"] = titles, whys, whats
    return ik.IncidentSet(inc, iset.events, iset.action_items)


def import_cost(module: str) -> float:
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout)


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--incidents", type=int, default=100_000)
    p.add_argument("--texts", type=int, default=10_000)
    args = p.parse_args()

    print("import costs (fresh interpreter each):")
    for module in ("incident_kit", "scipy.stats", "sklearn.feature_extraction.text"):
        print(f"  import {module:<48} {import_cost(module):8.3f} s")

    import scipy.stats  # noqa: F401  (warm: the figures below leave out the one-time imports)
    import sklearn.feature_extraction.text  # noqa: F401

    iset = synth.generate(args.incidents, seed=7)
    print(f"portfolio: {len(iset):,} incidents, {len(iset.events):,} events")
    d, t_dur = timed("durations", ik.durations, iset, AS_OF)
    _, t_sev = timed(
        "summarize by severity + month (default stats)",
        lambda: (ik.summarize(d, by="severity"), ik.summarize(d, by="month")),
        repeat=3,
    )
    stats_km = (*DEFAULT_STATS, *KM_STATS)
    _, t_km = timed(
        "same, with median_km / median_low / median_high",
        lambda: (
            ik.summarize(d, by="severity", stats=stats_km),
            ik.summarize(d, by="month", stats=stats_km),
        ),
        repeat=3,
    )
    print(f"{'durations + both summaries (the 1 s target)':<52} {t_dur + t_sev:8.3f} s")
    print(f"{'  ... with the Kaplan-Meier columns':<52} {t_dur + t_km:8.3f} s")
    _, _ = timed(
        "survival of time_to_resolve by severity", ik.survival, d, "time_to_resolve", by="severity"
    )
    year = (("2024-01-01", "2025-01-01"), ("2025-01-01", "2026-01-01"))
    _, _ = timed(
        "compare a year with the next, by severity",
        ik.compare,
        d,
        "time_to_resolve",
        *year,
        by="severity",
    )
    small = d[d["started"] < pd.Timestamp("2024-03-01", tz="UTC")].head(60)
    _, _ = timed(
        "compare 30 vs 30 incidents (9,999 resamples)",
        ik.compare,
        small,
        "time_to_resolve",
        ("2024-01-01", "2024-02-01"),
        ("2024-02-01", "2024-03-01"),
        repeat=3,
    )
    _, _ = timed("workload (person, incidents, hours)", oncall.workload, iset, AS_OF)

    texts = with_texts(args.texts)
    print(f"related incidents on {len(texts):,} incidents with text:")
    sim, _ = timed("  fit (TF-IDF + services, once)", similar.Similarity.fit, texts)
    _, _ = timed("  related for every incident (k=5)", sim.table)
    _, _ = timed("  repeats", sim.repeats)
    _, _ = timed("  recurring themes", sim.themes)
    _, t_ctx = timed("  batch_context (fit + table + repeats)", similar.batch_context, texts)
    _, t_one = timed(
        "  ik.related for one incident (fit + one row)", ik.related, texts, texts.ids[-1]
    )
    print(
        f"  per incident, all at once: {1000 * t_ctx / len(texts):.2f} ms; "
        f"one at a time from scratch would be {len(texts):,} x {t_one:.2f} s"
    )


if __name__ == "__main__":
    main()
