"""Report throughput, like with like, and where a report's time goes.

The same K incidents of one synthetic portfolio (CSV tables), the same notebook and the same
as-of time, rendered two ways on this machine in one run:

(a) serial:   a shell loop running, per incident, ``papermill postmortem.ipynb ...`` and then
              ``jupyter nbconvert --to html --no-input``,  against  ``incident-kit report -j 1``
(b) parallel: the same per-incident command under ``xargs -P N``,  against  ``-j N``

Each figure is wall-clock seconds per report (start-up included) for the same K incidents
(``--only`` them: no portfolio page). The two page sets are then compared: every incident's
facts tables (summary durations, impact) must read the same in both.

Then the ``-j 1`` run's time per report by phase (from its manifest and executed notebooks),
and, with ``--scale N``, a re-run with nothing changed over N incidents, from CSV tables and
from Markdown reports (the first, filling run uses a one-cell notebook to save time; the
re-run's work does not depend on the notebook). Prints figures; asserts nothing.

Run: .venv/bin/python bench/report.py [--incidents 20] [--parallel 2] [--scale 10000]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import nbformat
import pandas as pd

import incident_kit as ik
from incident_kit import synth

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
    print("     zygote warm-up, index), not per report")


def minimal_template(folder: Path) -> Path:
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell(
        'source = "data"\nincident_id = None\nas_of = None\ndisplay_tz = "UTC"'
    )
    params.metadata["tags"] = ["parameters"]
    nb.cells = [
        params,
        nbformat.v4.new_code_cell(
            "import incident_kit as ik\n"
            "ik.report.Postmortem.open(source, incident_id, as_of=as_of).header()"
        ),
    ]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    path = folder / "minimal.ipynb"
    nbformat.write(nb, path)
    return path


def scale(tmp: Path, n: int, jobs: int) -> None:
    """A re-run with nothing changed over ``n`` incidents: from tables and from Markdown."""
    from incident_kit.sources.sync import write_folder

    print(f"\nre-run with nothing changed, {n:,} incidents (pages from a first, filling run):")
    iset = synth.generate(n, seed=13, events_per_incident=12)
    md, tables, out = tmp / "scale-md", tmp / "scale-tables", tmp / "scale-out"
    started = time.perf_counter()
    write_folder(iset, md)
    print(f"  wrote {n:,} Markdown reports in {time.perf_counter() - started:.0f} s")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        started = time.perf_counter()
        from_md = ik.load(md)
        t_md = time.perf_counter() - started
        ik.to_tables(from_md, tables)
        started = time.perf_counter()
        ik.load(tables)
        t_tables = time.perf_counter() - started
    template = minimal_template(tmp)
    extra = ("--template", str(template))
    first = batch(tables, out, jobs, None, *extra)
    print(f"  first run (one-cell notebook, -j {jobs}): {first:.0f} s")
    for label, source, load_s in (("CSV tables", tables, t_tables), ("Markdown", md, t_md)):
        runs = [batch(source, out, jobs, None, *extra) for _ in range(3)]
        manifest = json.loads((out / "manifest.json").read_text())
        fresh = sum(1 for e in manifest["jobs"].values() if e.get("as_of") != AS_OF)
        print(
            f"  from {label:<11} {statistics.median(runs):6.1f} s end to end (median of 3; "
            f"of which ik.load {load_s:.1f} s){'; ' + str(fresh) + ' re-rendered' if fresh else ''}"
        )
    started = time.perf_counter()
    ik.report.run(from_md, out, template=template, as_of=AS_OF, progress=False)
    print(f"  in Python, given the loaded IncidentSet: {time.perf_counter() - started:.1f} s")


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--incidents", type=int, default=20, help="K: incidents both sides render")
    p.add_argument("--parallel", type=int, default=os.cpu_count() or 2, help="N for (b)")
    p.add_argument("--scale", type=int, default=0, help="incidents of the nothing-changed run")
    args = p.parse_args()
    k, n = args.incidents, args.parallel
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        ids = portfolio(tmp / "data", max(k, 50))[:k]
        print(f"{k} incidents of a 50-incident portfolio, as of {AS_OF}; seconds per report:")

        loop = shell_loop(tmp / "data", ids, tmp / "loop") / k
        ours = batch(tmp / "data", tmp / "j1", 1, ids)
        print(
            f"(a) shell loop, one at a time   {loop:6.2f}   incident-kit report -j 1 "
            f"{ours / k:6.2f}   ratio {loop / (ours / k):5.1f}x  (target >= 15x)"
        )
        print(f"    {compare(ids, tmp / 'loop', tmp / 'j1')}")
        breakdown(tmp / "j1", ids, ours)

        loop_n = shell_loop(tmp / "data", ids, tmp / "loopN", n) / k
        ours_n = batch(tmp / "data", tmp / "jN", n, ids) / k
        print(
            f"(b) shell loop, xargs -P {n}       {loop_n:6.2f}   incident-kit report -j {n} "
            f"{ours_n:6.2f}   ratio {loop_n / ours_n:5.1f}x"
        )
        print(f"    {compare(ids, tmp / 'loopN', tmp / 'jN')}")

        again = batch(tmp / "data", tmp / "jN", n, ids)
        print(f"re-run of (b) with nothing changed: {again:.2f} s in all")
        if args.scale:
            scale(tmp, args.scale, n)


if __name__ == "__main__":
    main()
