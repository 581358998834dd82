"""Report throughput: a shell loop of papermill + nbconvert versus ``incident-kit report``.

(a) per incident: ``papermill notebooks/postmortem.ipynb ... -p source DIR -p incident_id ID``
    then ``jupyter nbconvert --to html --no-input`` (timed on --baseline incidents);
(b) ``incident-kit report DIR -o OUT`` on all --incidents, same machine, same run.
Then cost per report on a 500-incident portfolio with --only on 20 of them, to show it stays
flat as the portfolio grows. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import incident_kit as ik
from incident_kit import synth

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def portfolio(folder: Path, n: int) -> list[str]:
    iset = synth.generate(n, seed=11, events_per_incident=12)
    ik.to_tables(iset, folder)
    return iset.ids


def shell_loop(source: Path, ids: list[str], out: Path) -> float:
    out.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    for iid in ids:
        nb = out / f"{iid}.ipynb"
        subprocess.run(
            [
                str(BIN / "papermill"),
                str(ROOT / "notebooks" / "postmortem.ipynb"),
                str(nb),
                "-p",
                "source",
                str(source),
                "-p",
                "incident_id",
                iid,
                "--no-progress-bar",
            ],
            check=True,
            capture_output=True,
        )
        subprocess.run(
            [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(nb)],
            check=True,
            capture_output=True,
        )
    return time.perf_counter() - t


def batch(source: Path, out: Path, only: list[str] | None = None) -> float:
    cmd = [str(BIN / "incident-kit"), "report", str(source), "-o", str(out), "-q"]
    if only:
        cmd += ["--only", *only]
    t = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    return time.perf_counter() - t


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--incidents", type=int, default=50)
    p.add_argument("--baseline", type=int, default=10, help="incidents timed for the shell loop")
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        ids = portfolio(tmp / "data50", args.incidents)
        loop = shell_loop(tmp / "data50", ids[: args.baseline], tmp / "loop")
        per_loop = loop / args.baseline
        print(
            f"(a) papermill + nbconvert shell loop: {per_loop:6.2f} s per incident ({args.baseline} timed)"
        )
        ours = batch(tmp / "data50", tmp / "ours")
        per_ours = ours / (args.incidents + 1)  # + the portfolio page
        print(
            f"(b) incident-kit report:              {per_ours:6.2f} s per report ({args.incidents} incidents "
            f"+ portfolio in {ours:.1f} s)"
        )
        print(f"throughput ratio (b)/(a):             {per_loop / per_ours:6.1f} x (target >= 8x)")
        again = batch(tmp / "data50", tmp / "ours")
        print(f"re-run, nothing changed:              {again:6.2f} s in all")

        big = portfolio(tmp / "data500", 500)
        small_only = batch(tmp / "data50", tmp / "o50", ids[:20]) / 20
        big_only = batch(tmp / "data500", tmp / "o500", big[:20]) / 20
        print(f"--only 20 of 50 incidents:            {small_only:6.2f} s per report")
        print(
            f"--only 20 of 500 incidents:           {big_only:6.2f} s per report "
            f"(ratio {big_only / small_only:.2f}; flat is 1.0)"
        )


if __name__ == "__main__":
    main()
