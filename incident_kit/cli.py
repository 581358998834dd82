"""The ``incident-kit`` command: argument parsing and printing only.

Every verb calls one library function. Problems a user can fix print as one line each and
exit 1; usage errors exit 2; no traceback for bad input.
"""

from __future__ import annotations

import argparse
import json
import secrets
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from . import fmt
from .errors import IncidentKitError
from .version import __version__


def _load(args: argparse.Namespace):
    from .sources import load

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the CLI prints problems itself
        return load(*args.paths, default_tz=args.default_tz)


def _print_problems(iset, *, stream=sys.stderr) -> int:
    errors = 0
    for row in iset.problems.itertuples(index=False):
        where = f"{row.file}:{row.line}" if pd.notna(row.line) else row.file
        tag = "" if row.level == "error" else "warning: "
        print(f"{where}: {tag}{row.message}", file=stream)
        errors += row.level == "error"
    return errors


def cmd_validate(args: argparse.Namespace) -> int:
    iset = _load(args)
    errors = _print_problems(iset, stream=sys.stdout)
    skipped = iset.problems.loc[iset.problems["level"] == "error", "incident_id"].dropna().nunique()
    print(
        f"{len(iset)} incidents valid, {errors} problem(s)"
        + (f", {skipped} incident(s) left out" if skipped else "")
    )
    return 1 if errors else 0


def _seconds(value: object) -> float | None:
    return None if pd.isna(value) else float(pd.Timedelta(value).total_seconds())


def cmd_metrics(args: argparse.Namespace) -> int:
    from . import metrics

    iset = _load(args)
    errors = _print_problems(iset)
    frame = metrics.durations(iset, as_of=args.as_of)
    spans = metrics.span_columns(frame)
    if args.by:
        table = metrics.summarize(frame, by=args.by)
        if args.format == "json":
            rows = []
            for rec in table.to_dict("records"):
                rows.append(
                    {
                        k: (
                            _seconds(v)
                            if k in ("mean", "median", "p90", "max")
                            else (str(v) if k == args.by else v)
                        )
                        for k, v in rec.items()
                    }
                )
            print(json.dumps(rows, indent=2))
        elif args.format == "csv":
            out = table.copy()
            for c in ("mean", "median", "p90", "max"):
                out[c] = out[c].map(_seconds)
            print(out.to_csv(index=False), end="")
        else:
            out = table.copy()
            for c in ("mean", "median", "p90", "max"):
                out[c] = out[c].map(lambda v: fmt.duration(v, missing="-"))
            print(out.to_string(index=False))
    else:
        if args.format == "json":
            rows = [
                {"incident_id": iid, **{s: _seconds(frame.at[iid, s]) for s in spans}}
                for iid in frame.index
            ]
            print(json.dumps(rows, indent=2))
        elif args.format == "csv":
            out = frame[spans].apply(lambda c: c.map(_seconds))
            print(out.to_csv(), end="")
        else:
            out = frame[spans].apply(lambda c: c.map(lambda v: fmt.duration(v, missing="-")))
            for s in spans:
                out[s] = out[s].where(~frame[f"{s}_ongoing"], out[s] + "+")
            print(out.to_string())
            if frame[[f"{s}_ongoing" for s in spans]].to_numpy().any():
                print("(+ = still ongoing" + (f" at {args.as_of})" if args.as_of else ")"))
    return 1 if errors else 0


def new_id(folder: Path, today: pd.Timestamp) -> str:
    """A fresh ``INC-YYYYMMDD-XXXX`` not used by any file name or report in ``folder``."""
    taken = {p.stem for p in folder.glob("*.md")} if folder.is_dir() else set()
    if folder.is_dir():
        for p in folder.glob("*.md"):
            text = p.read_text(encoding="utf-8", errors="replace")
            for line in text.splitlines():
                if "Incident ID" in line:
                    taken.add(line.split(":", 1)[-1].strip())
    while True:
        candidate = f"INC-{today:%Y%m%d}-{secrets.token_hex(2).upper()}"
        if candidate not in taken:
            return candidate


def cmd_new(args: argparse.Namespace) -> int:
    from importlib.resources import files

    from . import fields

    folder = Path(args.output)
    severity = fields.parse_severity(args.severity) if args.severity else "[P1/P2/P3/P4]"
    folder.mkdir(parents=True, exist_ok=True)
    iid = new_id(folder, pd.Timestamp.now(tz="UTC"))
    text = files("incident_kit").joinpath("template.md").read_text(encoding="utf-8")
    for placeholder, value in (
        (
            "# Incident Report Template",
            f"# {args.title}" if args.title else "# Incident Report Template",
        ),
        ("**Incident ID**: [Auto-generated]", f"**Incident ID**: {iid}"),
        ("**Severity**: [P1/P2/P3/P4]", f"**Severity**: {severity}"),
        ("**Status**: [Active/Resolved/Post-Mortem]", "**Status**: Active"),
    ):
        text = text.replace(placeholder, value, 1)
    path = folder / f"{iid}.md"
    with open(path, "x", encoding="utf-8") as handle:  # never overwrite a report
        handle.write(text)
    print(path)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from .sources import load
    from .sources.markdown import write_folder

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        iset = load(
            *args.paths,
            default_tz=args.default_tz,
            format=args.format,
            mapping=args.mapping,
            link=dict(pair.split("=", 1) for pair in args.link or []),
        )
    errors = _print_problems(iset)
    for path, state in write_folder(iset, args.output):
        print(f"{state} {path}")
    return 1 if errors else 0


def cmd_report(args: argparse.Namespace) -> int:
    from .report import run

    result = run(
        args.paths,
        output=args.output,
        jobs=args.jobs,
        only=args.only,
        as_of=args.as_of,
        display_tz=args.display_tz,
        self_contained=args.self_contained,
        force=args.force,
        template=args.template,
        default_tz=args.default_tz,
        progress=not args.quiet,
        timeout=args.timeout,
    )
    print(result.summary())
    return 0 if result.ok else 1


def cmd_notebooks(args: argparse.Namespace) -> int:
    from .paths import copy_notebooks

    for path in copy_notebooks(args.folder, overwrite=args.force):
        print(path)
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="incident-kit", description="Incident post-mortem analysis.")
    p.add_argument("--version", action="version", version=f"incident-kit {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    def with_paths(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("paths", nargs="+", help="incident files or folders")
        sp.add_argument(
            "--default-tz", default="UTC", help="zone for timestamps written without one"
        )

    sp = sub.add_parser("validate", help="check incident data; print every problem")
    with_paths(sp)
    sp.set_defaults(func=cmd_validate)

    sp = sub.add_parser("metrics", help="durations per incident or summaries per group")
    with_paths(sp)
    sp.add_argument("--by", choices=["severity", "service", "month", "status"])
    sp.add_argument("--as-of", help="ISO time: open incidents run to it")
    sp.add_argument("--format", choices=["table", "csv", "json"], default="table")
    sp.set_defaults(func=cmd_metrics)

    sp = sub.add_parser("new", help="write a fresh incident report from the template")
    sp.add_argument("--title")
    sp.add_argument("--severity")
    sp.add_argument("-o", "--output", default=".")
    sp.set_defaults(func=cmd_new)

    sp = sub.add_parser(
        "import", help="write tool exports as Markdown reports (keeps what people wrote)"
    )
    with_paths(sp)
    sp.add_argument("-o", "--output", required=True, help="folder of Markdown reports")
    sp.add_argument("--format", help="force a source format (default: detected)")
    sp.add_argument("--mapping", help="column mapping (YAML/TOML) for CSV / JSON Lines exports")
    sp.add_argument("--link", nargs="+", metavar="ID=ID", help="merge an incident into another")
    sp.set_defaults(func=cmd_import)

    sp = sub.add_parser("report", help="render an HTML post-mortem per incident, plus an index")
    with_paths(sp)
    sp.add_argument("-o", "--output", required=True, help="output folder")
    sp.add_argument("-j", "--jobs", type=int, default=None, help="parallel kernels (default: CPUs)")
    sp.add_argument("--only", nargs="+", metavar="ID", help="render just these incidents")
    sp.add_argument("--as-of", help="ISO time the reports are as of (default: now)")
    sp.add_argument("--display-tz", default="UTC", help="zone times are shown in")
    sp.add_argument("--self-contained", action="store_true", help="embed plotly.js in every file")
    sp.add_argument("--force", action="store_true", help="re-render unchanged incidents")
    sp.add_argument("--template", help="your own post-mortem notebook")
    sp.add_argument("--timeout", type=float, default=600.0, help="seconds per incident")
    sp.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    sp.set_defaults(func=cmd_report)

    sp = sub.add_parser(
        "notebooks", help="copy the notebooks into a folder, to edit (and use with --template)"
    )
    sp.add_argument("folder", help="where to write explore, postmortem and portfolio.ipynb")
    sp.add_argument("--force", action="store_true", help="replace copies already there")
    sp.set_defaults(func=cmd_notebooks)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except IncidentKitError as exc:
        print(f"incident-kit: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # e.g. piped into `head`
        sys.stderr.close()
        return 0
    except OSError as exc:
        print(f"incident-kit: {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("incident-kit: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
