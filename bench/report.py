"""Report throughput, like with like, and where a report's time goes.

The same K incidents of one synthetic portfolio (CSV tables), the same notebook and the same
as-of time, rendered two ways on this machine in one run:

(a) serial:   a shell loop running, per incident, ``papermill postmortem.ipynb ...`` and then
              ``jupyter nbconvert --to html --no-input``,  against  ``incident-kit report -j 1``
              (in three rounds interleaved with parts of the loop: both sample the same load)
(b) parallel: the same per-incident command under ``xargs -P N``,  against  ``-j N``

Each figure is wall-clock seconds per report (start-up included) for the same K incidents
(``--only`` them: no portfolio page). The two page sets are then compared: every incident's
facts tables (summary durations, impact) must read the same in both.

Then the ``-j 1`` run's time per report by phase (from its manifest and executed notebooks),
and, with ``--scale N``, ``incident-kit report`` with nothing changed over N incidents (the
shipped notebook, --as-of fixed), from Markdown reports and from CSV tables, with where the
driver's time goes. The folder it re-runs on is filled by the real run with stand-in pages
(no notebook executed: a first run of 10,000 real pages takes most of an hour here); a re-run
with nothing changed reads the pages' names, never their content. Prints figures; asserts
nothing.

Run: .venv/bin/python bench/report.py [--incidents 20] [--parallel 2 (0: (a) only)]
                                      [--scale 10000 --work DIR]   (--incidents 0: scale only)
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from concurrent.futures import Executor, Future
from pathlib import Path

import nbformat
import pandas as pd

import incident_kit as ik
from incident_kit import synth
from incident_kit.report.execute import Rendered
from incident_kit.report.plan import record_digests, set_digest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
NOTEBOOK = ROOT / "notebooks" / "postmortem.ipynb"
AS_OF = "2026-06-01T00:00:00Z"


def portfolio(folder: Path, n: int) -> list[str]:
    iset = synth.generate(n, seed=11, events_per_incident=12)
    ik.to_tables(iset, folder)
    return iset.ids


def one_incident(source: Path, out: Path) -> str:
    """The shell command a person would loop over: papermill, then nbconvert ({} = the ID)."""
    nb = shlex.quote(str(out / "{}.ipynb"))
    return (
        f"{BIN / 'papermill'} {shlex.quote(str(NOTEBOOK))} {nb} -p source {shlex.quote(str(source))}"
        f" -p incident_id {{}} -p as_of {AS_OF} -k python3 --no-progress-bar --log-level ERROR"
        f" && {BIN / 'jupyter'} nbconvert --to html --no-input --log-level ERROR {nb}"
    )


def shell_loop(source: Path, ids: list[str], out: Path, parallel: int = 1) -> float:
    out.mkdir(parents=True, exist_ok=True)
    command = one_incident(source, out)
    started = time.perf_counter()
    if parallel == 1:
        for iid in ids:
            subprocess.run(["sh", "-c", command.replace("{}", iid)], check=True)
    else:
        subprocess.run(
            ["xargs", "-P", str(parallel), "-I{}", "sh", "-c", command],
            input="\n".join(ids),
            text=True,
            check=True,
        )
    return time.perf_counter() - started


def batch(source: Path, out: Path, jobs: int, only: list[str] | None = None, *extra) -> float:
    cmd = [str(BIN / "incident-kit"), "report", str(source), "-o", str(out), "-q"]
    cmd += ["-j", str(jobs), "--as-of", AS_OF, *extra]
    if only:
        cmd += ["--only", *only]
    started = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    return time.perf_counter() - started


def facts(page: Path) -> list[str]:
    """The text of a page's facts tables (the summary's durations, impact, ...)."""
    tables = re.findall(r'<table class="ik-table ik-facts">(.*?)</table>', page.read_text(), re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", t).split()) for t in tables]


def compare(ids: list[str], a: Path, b: Path) -> str:
    same = [i for i in ids if facts(a / f"{i}.html") == facts(b / f"{i}.html") != []]
    wrong = [i for i in ids if i not in same]
    return f"{len(same)} of {len(ids)} pages show the same key figures" + (
        f" (DIFFERENT: {', '.join(wrong)})" if wrong else ""
    )


def breakdown(out: Path, ids: list[str], wall: float) -> None:
    """Where the -j 1 run's time went, per report (medians over the incidents)."""
    jobs = json.loads((out / "manifest.json").read_text())["jobs"]
    phases = {k: [jobs[i]["seconds"].get(k, 0.0) for i in ids] for k in jobs[ids[0]]["seconds"]}
    compute, cells = [], []
    for iid in ids:
        nb = nbformat.read(out / f"{iid}.ipynb", as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        cells.append(len(code))
        spent = 0.0
        for c in code:
            t = c.metadata.get("execution", {})
            if "iopub.execute_input" in t and "shell.execute_reply" in t:
                spent += (
                    pd.Timestamp(t["shell.execute_reply"]) - pd.Timestamp(t["iopub.execute_input"])
                ).total_seconds()
        compute.append(spent)

    def med(values) -> float:
        return statistics.median(values) * 1000

    per_job = sum(phases["total"]) + sum(phases["write"])
    rows = [
        ("job payload written on the worker", med(phases["payload"])),
        ("kernel: take a forked kernel, connect, ready", med(phases["kernel"])),
        ("cells: run in the kernel", med(compute)),
        (
            f"cells: papermill + {statistics.median(cells):.0f} round trips",
            med([c - k for c, k in zip(phases["cells"], compute, strict=True)]),
        ),
        ("export (nbconvert to HTML)", med(phases["export"])),
        ("write page + notebook (driver)", med(phases["write"])),
    ]
    print("  where a -j 1 report's time goes (median per report):")
    for label, ms in rows:
        print(f"    {label:<46} {ms:7.0f} ms")
    print(f"    {'sum of the above':<46} {sum(ms for _, ms in rows):7.0f} ms")
    fixed = wall - per_job
    print(
        f"    {'run start-up and finish (CLI, load, plan,':<46} {fixed:7.1f} s in all "
        f"({fixed / len(ids) * 1000:.0f} ms per report)"
    )
    print("     related-incidents context, index), not per report")
    first = jobs[ids[0]]["seconds"]["total"] - statistics.median(phases["total"])
    print(
        f"    {'the first report on top of that (waits for':<46} {first:7.1f} s; "
        f"per report without either: {(per_job - first) / len(ids):.2f} s"
    )
    print("     the warm kernel, imports, exporter)")


class StandIn(Executor):
    """Fills an output folder without kernels, for the nothing-changed measurement: each job
    "renders" a one-line page. The run around it is the real one (load, related-incidents
    context, plan, manifest, index); a re-run with nothing changed reads page names, never
    their content, so what it measures does not depend on how the pages were made."""

    def submit(self, fn, /, *args, **kwargs) -> Future:
        job = args[0]
        page = f"<!doctype html><p>stand-in page of {html.escape(job.key)}</p>"
        future = Future()
        future.set_result(Rendered(job.key, page, "{}", timings={"total": 0.0}))
        return future


def scale(tmp: Path, n: int, jobs: int) -> None:
    """A re-run with nothing changed over ``n`` incidents, the shipped notebook, --as-of
    fixed: from Markdown reports and from CSV tables of the same incidents."""
    from incident_kit.sources.sync import write_folder

    print(f"\nre-run with nothing changed, {n:,} incidents, shipped notebook, --as-of fixed:")
    md, tables, out = tmp / f"md{n}", tmp / f"tables{n}", tmp / f"out{n}"
    if not md.is_dir():  # --work keeps the reports for the next time (writing them is slow)
        started = time.perf_counter()
        write_folder(synth.generate(n, seed=13, events_per_incident=12), md)
        print(f"  wrote {n:,} Markdown reports in {time.perf_counter() - started:.0f} s")
    shutil.rmtree(out, ignore_errors=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from_md = ik.load(md)
        ik.to_tables(from_md, tables)
        same = set_digest(record_digests(ik.load(tables))) == set_digest(record_digests(from_md))
        fill = ik.report.run(md, out, executor=StandIn(), as_of=AS_OF, progress=False)
    print(
        f"  folder filled by the real run with stand-in pages (no notebook executed): "
        f"{fill.seconds:.0f} s ({_phases(fill)})"
    )
    for label, source in (("Markdown", md), ("CSV tables", tables)):
        if not same and source == tables:
            print("  (CSV tables skipped: their records differ from Markdown's, a re-render)")
            continue
        runs = [batch(source, out, jobs) for _ in range(3)]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = ik.report.run(source, out, as_of=AS_OF, jobs=jobs, progress=False)
        rendered = sum(1 for r in result.results if not r.skipped)
        print(
            f"  from {label:<11} {statistics.median(runs):5.1f} s end to end, incident-kit "
            f"report (median of 3: {', '.join(f'{r:.1f}' for r in runs)}); "
            f"{rendered} page(s) rendered"
        )
        print(
            f"    where the time goes (one more run, in this process, imports done): "
            f"{result.seconds:.2f} s = {_phases(result)}"
        )


def _phases(result) -> str:
    return ", ".join(f"{k} {v:.2f}" for k, v in result.phases.items() if v >= 0.005)


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument(
        "--incidents", type=int, default=20, help="K: incidents both sides render (0: skip)"
    )
    p.add_argument(
        "--parallel", type=int, default=os.cpu_count() or 2, help="N for (b) (0: skip (b))"
    )
    p.add_argument("--scale", type=int, default=0, help="incidents of the nothing-changed run")
    p.add_argument("--work", help="folder for --scale's reports, kept between runs")
    args = p.parse_args()
    k, n = args.incidents, args.parallel
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        if k:
            like_for_like(tmp, k, n)
        if args.scale:
            scale(Path(args.work) if args.work else tmp, args.scale, n)


def like_for_like(tmp: Path, k: int, n: int, rounds: int = 3) -> None:
    """(a) and (b) over the same K incidents, pages compared, and where the time goes.

    (a) is measured in ``rounds`` interleaved parts, so both sides sample the same stretch
    of a shared machine's load: the loop over one part of the incidents, then ``-j 1`` over
    all K (a fresh output folder each time), then the loop's next part, and so on. The loop's
    figure is its total over the K incidents / K; ours is the median round's / K."""
    ids = portfolio(tmp / "data", max(k, 50))[:k]
    print(f"{k} incidents of a 50-incident portfolio, as of {AS_OF}; seconds per report:")

    parts = [ids[i::rounds] for i in range(rounds)]
    loop_seconds, runs = 0.0, []
    for r, part in enumerate(parts):
        loop_seconds += shell_loop(tmp / "data", part, tmp / "loop")
        runs.append(batch(tmp / "data", tmp / f"j1-{r}", 1, ids))
    middle = sorted(range(rounds), key=runs.__getitem__)[rounds // 2]  # its pages are shown
    loop, ours = loop_seconds / k, runs[middle]
    each = ", ".join(f"{r / k:.2f}" for r in runs)
    print(
        f"(a) shell loop, one at a time   {loop:6.2f}   incident-kit report -j 1 "
        f"{ours / k:6.2f}   ratio {loop / (ours / k):5.1f}x  (target >= 15x)"
    )
    print(f"    -j 1 in {rounds} rounds interleaved with the loop's parts: {each} s per report")
    shutil.copytree(tmp / f"j1-{middle}", tmp / "j1")
    print(f"    {compare(ids, tmp / 'loop', tmp / 'j1')}")
    breakdown(tmp / "j1", ids, ours)
    if not n:
        return

    loop_n = shell_loop(tmp / "data", ids, tmp / "loopN", n) / k
    ours_n = batch(tmp / "data", tmp / "jN", n, ids) / k
    print(
        f"(b) shell loop, xargs -P {n}       {loop_n:6.2f}   incident-kit report -j {n} "
        f"{ours_n:6.2f}   ratio {loop_n / ours_n:5.1f}x"
    )
    print(f"    {compare(ids, tmp / 'loopN', tmp / 'jN')}")

    again = batch(tmp / "data", tmp / "jN", n, ids)
    print(f"re-run of (b) with nothing changed: {again:.2f} s in all")


if __name__ == "__main__":
    main()
