"""Markdown load speed: ``ik.load`` against the fastest CommonMark tokenizers, same files, same run.

Writes N reports into a temporary folder: synthetic incidents (``incident_kit.synth``) written
by the Markdown writer, plus copies of the hand-written corpus (tests/fixtures/handwritten,
every form people use) under fresh IDs. Then, repeated and reported as medians:

- read: list the folder and read every file's bytes (what any loader must do);
- pyromark / markdown-it-pyrs: tokenize every file (pyromark: iterate the whole event stream;
  markdown-it-pyrs: build its syntax tree), the fastest tokenizers on PyPI (pyromark is what
  the reader uses; markdown-it-pyrs comes with the dev extra);
- ik.load (no cache): parse, validate, build the IncidentSet, ``INCIDENT_KIT_CACHE=off``;
- ik.load (cached): the same call again with the content-hash cache warm.

Targets (issue 13): load <= 20x the fastest tokenizer; cached re-load <= 2x reading.

    python bench/load.py --reports 2000
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "fixtures" / "handwritten"


def write_reports(folder: Path, n: int, handwritten_share: float) -> tuple[int, int]:
    """``n`` reports: synthetic ones from the writer plus hand-written copies under new IDs."""
    from incident_kit.sources.markdown_write import render_all
    from incident_kit.synth import generate

    hand = sorted(p for p in CORPUS.glob("*.md") if p.name != "README.md")
    n_hand = int(n * handwritten_share) if hand else 0
    for iid, text in render_all(generate(n - n_hand, seed=11)):
        (folder / f"{iid}.md").write_text(text, encoding="utf-8")
    for i in range(n_hand):
        src = hand[i % len(hand)].read_bytes().decode("utf-8-sig")
        new_id = f"HW-{i:06d}"
        text, count = re.subn(
            r"(?i)(Incident ID\**:?\**:?\s*(?:\|\s*)?)[^\s|·;]+", rf"\g<1>{new_id}", src, count=1
        )
        if not count:  # no ID line (or the ID is in the title): give the copy one
            text = re.sub(r"\n", f"\n\n**Incident ID**: {new_id}\n", src, count=1)
        (folder / f"hw-{i:06d}.md").write_text(text, encoding="utf-8")
    return n - n_hand, n_hand


def timed(fn, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--reports", type=int, default=2000)
    p.add_argument("--handwritten-share", type=float, default=0.1)
    p.add_argument("--repeat", type=int, default=5, help="rounds (medians are reported)")
    args = p.parse_args(argv)
    import markdown_it_pyrs
    import pyromark

    import incident_kit as ik

    work = Path(tempfile.mkdtemp(prefix="ik-bench-load-"))
    cache = work / "cache"
    folder = work / "reports"
    folder.mkdir()
    try:
        synthetic, hand = write_reports(folder, args.reports, args.handwritten_share)
        files = sorted(folder.glob("*.md"))
        texts = [f.read_text(encoding="utf-8") for f in files]
        size = sum(len(t) for t in texts)
        print(
            f"{len(files)} reports ({synthetic} synthetic, {hand} hand-written copies), "
            f"{size / len(files) / 1024:.1f} KiB each on average; median of {args.repeat} runs"
        )

        def read_files():
            for f in sorted(folder.rglob("*")):
                if f.is_file():
                    f.read_bytes()

        options = pyromark.Options.ENABLE_TABLES | pyromark.Options.ENABLE_STRIKETHROUGH

        def tok_pyromark():
            for t in texts:
                for _ in pyromark.events(t, options=options):
                    pass

        mdit = markdown_it_pyrs.MarkdownIt("commonmark").enable("table")

        def tok_mdit():
            for t in texts:
                mdit.tree(t)

        def load():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return ik.load(folder)

        def cold():
            os.environ["INCIDENT_KIT_CACHE"] = "off"
            return load()

        def warm():
            os.environ["INCIDENT_KIT_CACHE"] = str(cache)
            return load()

        iset = cold()
        warm()  # fill the cache
        again = warm()
        assert again.incidents.equals(iset.incidents) and again.events.equals(iset.events)
        steps = {
            "read the files (list + bytes)": read_files,
            "tokenize: pyromark (whole event stream)": tok_pyromark,
            "tokenize: markdown-it-pyrs (syntax tree)": tok_mdit,
            "ik.load, no cache (parse + validate)": cold,
            "ik.load, cached (unchanged files)": warm,
        }
        # every round times every step, so the ratios compare times taken moments apart on a
        # shared machine; medians over rounds
        rounds = [{name: timed(fn, 1) for name, fn in steps.items()} for _ in range(args.repeat)]
        names = list(steps)
        median = {name: statistics.median(r[name] for r in rounds) for name in names}
        parse_ratio = statistics.median(r[names[3]] / min(r[names[1]], r[names[2]]) for r in rounds)
        cache_ratio = statistics.median(r[names[4]] / r[names[0]] for r in rounds)
        n = len(files)
        print(
            f"\n{len(iset)} incidents, {len(iset.events)} events loaded, "
            f"{int((iset.problems['level'] == 'error').sum())} errors\n"
        )
        print("| what | total | per report | |\n| --- | --- | --- | --- |")
        notes = {
            names[3]: f"**{parse_ratio:.1f}x** the fastest tokenizer (target <= 20x)",
            names[4]: f"**{cache_ratio:.2f}x** reading the files (target <= 2x)",
        }
        for name in names:
            seconds = median[name]
            print(
                f"| {name} | {seconds:.3f} s | {seconds / n * 1e3:.3f} ms | {notes.get(name, '')} |"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
