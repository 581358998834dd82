"""Loading a big portfolio from tables: 100,000 incidents / 1,000,000 events.

Each figure is one ``ik.load`` (read + parse + validate, the whole portfolio) in a fresh
Python process, so imports are warm in neither and peak memory (max RSS) is that load's own.
Measured, in the same run and on the same files:

- ``csv (baseline)``: the CSV loader of ``--baseline`` (a git commit; default: main when
  issue 13 was filed), extracted into a temporary folder and imported from there;
- ``csv``: this checkout's loader on the same CSV files;
- ``parquet``: this checkout's loader on the same portfolio written with
  ``ik.to_tables(iset, DIR, format="parquet")``.

Every variant must load the same incidents and events (checked). Prints figures, asserts
nothing about speed (machines here are shared: compare the ratio of one run, quote medians).
Run: .venv/bin/python bench/tables.py [--incidents N] [--repeat 3] [--baseline REF]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: main when issue 13 was filed: the loader it measured (~10 s for this portfolio).
BASELINE = "37b4d4b"

CHILD = r"""
import json, resource, sys, time, warnings
sys.path.insert(0, sys.argv[1])
import incident_kit as ik
warnings.simplefilter("ignore")
t = time.perf_counter()
iset = ik.load(sys.argv[2])
seconds = time.perf_counter() - t
d = ik.durations(iset, as_of="2026-12-01T00:00Z")
print(json.dumps({
    "seconds": seconds,
    "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "incidents": len(iset.incidents),
    "events": len(iset.events),
    "action_items": len(iset.action_items),
    "errors": int((iset.problems["level"] == "error").sum()),
    # whole seconds: CSV keeps microseconds, Parquet the generator's nanoseconds
    "resolve_total_s": round(float(d["time_to_resolve"].dt.total_seconds().sum())),
}))
"""


def checkout(ref: str, into: Path) -> Path:
    """The ``incident_kit`` package of ``ref`` extracted into ``into`` (git archive)."""
    data = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", ref, "incident_kit"],
        check=True,
        capture_output=True,
    ).stdout
    tar = into / "src.tar"
    tar.write_bytes(data)
    with tarfile.open(tar) as archive:
        archive.extractall(into, filter="data")
    return into


def measure(code_root: Path, data: Path, repeat: int) -> dict:
    """Median of ``repeat`` fresh-process loads; the result of the last run besides."""
    runs = []
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, "-c", CHILD, str(code_root), str(data)],
            check=True,
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONWARNINGS": "ignore"},
        )
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    result = dict(runs[-1])
    result["seconds"] = statistics.median(r["seconds"] for r in runs)
    result["rss_mib"] = statistics.median(r["rss_mib"] for r in runs)
    result["all_seconds"] = [round(r["seconds"], 2) for r in runs]
    return result


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--incidents", type=int, default=100_000)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--baseline", default=BASELINE, help="git commit of the baseline loader")
    args = p.parse_args()
    sys.path.insert(0, str(ROOT))
    import incident_kit as ik
    from incident_kit import synth

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        csv_dir, pq_dir = tmp / "csv", tmp / "parquet"
        iset = synth.generate(args.incidents, seed=7)
        ik.to_tables(iset, csv_dir)
        ik.to_tables(iset, pq_dir, format="parquet")
        size = sum(f.stat().st_size for f in csv_dir.iterdir()) / 2**20
        pq_size = sum(f.stat().st_size for f in pq_dir.iterdir()) / 2**20
        print(
            f"portfolio: {len(iset.incidents):,} incidents, {len(iset.events):,} events, "
            f"{len(iset.action_items):,} action items; CSV {size:.0f} MiB, Parquet {pq_size:.0f} MiB"
        )
        (tmp / "old").mkdir()
        baseline = checkout(args.baseline, tmp / "old")
        results = {
            f"csv (baseline {args.baseline})": measure(baseline, csv_dir, args.repeat),
            "csv": measure(ROOT, csv_dir, args.repeat),
            "parquet": measure(ROOT, pq_dir, args.repeat),
        }
    keys = ("incidents", "events", "action_items", "errors", "resolve_total_s")
    first = next(iter(results.values()))
    same = all(all(r[k] == first[k] for k in keys) for r in results.values())
    print(f"{'ik.load(...) of':<28} {'median s':>9} {'runs':>20} {'max RSS MiB':>12}")
    for name, r in results.items():
        print(f"{name:<28} {r['seconds']:9.2f} {r['all_seconds']!s:>20} {r['rss_mib']:12.0f}")
    base, new = next(iter(results.values())), results["csv"]
    print(
        f"CSV speed-up against the baseline (same files, same run): {base['seconds'] / new['seconds']:.1f}x"
    )
    print(f"same incidents, events, action items, errors and durations in every variant: {same}")
    if not same:
        for name, r in results.items():
            print(name, {k: r[k] for k in keys})


if __name__ == "__main__":
    main()
