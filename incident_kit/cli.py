"""The ``incident-kit`` command: argument parsing and printing only.

Every verb calls one library function. Problems a user can fix print as one line each and
exit 1; usage errors (a bad option value included) print one line and exit 2; no traceback
for bad input, and no exit 0 when there was nothing to work on.
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


class _Parser(argparse.ArgumentParser):
    """argparse, with usage errors on one line (what was wrong, and where help is)."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _as_of(text: str) -> pd.Timestamp:
    from .metrics import resolve_as_of

    try:
        return resolve_as_of(text)
    except IncidentKitError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a time (expected ISO 8601 such as 2026-11-26T12:00Z, or 'now')"
        ) from None


def _zone(text: str) -> str:
    from .fields import zone

    try:
        zone(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"unknown time zone {text!r} (expected an IANA name such as Europe/Berlin, or UTC)"
        ) from None
    return text


def _severity(text: str) -> str:
    from .fields import parse_severity
    from .model import SEVERITIES

    try:
        return parse_severity(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a severity (expected one of {', '.join(SEVERITIES)})"
        ) from None


def _abbrev(text: str) -> tuple[str, str]:
    """``IST=Asia/Kolkata`` (or ``IST=+05:30``) for ``--tz-abbrev``."""
    from .fields import zone

    abbrev, sep, name = text.partition("=")
    if not (sep and abbrev.strip().isalpha() and name.strip()):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not ABBREV=ZONE (e.g. IST=Asia/Kolkata, CST=America/Chicago, IST=+05:30)"
        )
    try:
        zone(name.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"--tz-abbrev {text!r}: unknown time zone {name.strip()!r} (an IANA name such as "
            "Asia/Kolkata, or an offset such as +05:30)"
        ) from None
    return abbrev.strip().upper(), name.strip()


def _link(text: str) -> tuple[str, str]:
    source, sep, target = text.partition("=")
    if not (sep and source.strip() and target.strip()):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not ID=ID (the incident to merge = the one it merges into, "
            "e.g. PD-PT4KHLK=SP-p31zjtct2jer)"
        )
    return source.strip(), target.strip()


def _where(args: argparse.Namespace) -> str:
    return ", ".join(str(p) for p in args.paths)


def _load(args: argparse.Namespace):
    from .sources import load

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the CLI prints problems itself
        return load(*args.paths, default_tz=args.default_tz, tz_abbrev=dict(args.tz_abbrev or []))


def _require_incidents(iset, args: argparse.Namespace, errors: int) -> None:
    """Nothing to work on is a failure, not an empty success (e.g. a mistyped folder)."""
    if len(iset):
        return
    if errors:
        raise IncidentKitError(f"no valid incident in {_where(args)} ({errors} problem(s) above)")
    raise IncidentKitError(f"no incident data found in {_where(args)}")


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
    if not len(iset) and not errors:
        raise IncidentKitError(f"no incident data found in {_where(args)}")
    skipped = iset.problems.loc[iset.problems["level"] == "error", "incident_id"].dropna().nunique()
    print(
        f"{len(iset)} incidents valid, {errors} problem(s)"
        + (f", {skipped} incident(s) left out" if skipped else "")
    )
    return 1 if errors else 0


def _seconds(value: object) -> float | None:
    return None if pd.isna(value) else float(pd.Timedelta(value).total_seconds())


_STATS = ("mean", "median", "p90", "max")


def _summary_rows(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    """A summary with durations in seconds, named so (``median_seconds``)."""
    from . import metrics

    table = metrics.summarize(frame, by=by)
    table[by] = table[by].astype(str)
    for c in _STATS:
        table[c] = table[c].map(_seconds)
    return table.rename(columns={c: f"{c}_seconds" for c in _STATS})


def _incident_rows(frame: pd.DataFrame, spans: list[str]) -> pd.DataFrame:
    """Per incident: ``<span>_seconds`` and ``<span>_ongoing`` (measured up to as-of)."""
    out = pd.DataFrame(index=frame.index)
    for s in spans:
        out[f"{s}_seconds"] = frame[s].map(_seconds)
        out[f"{s}_ongoing"] = frame[f"{s}_ongoing"].astype(bool)
    return out


def _records(table: pd.DataFrame) -> list[dict]:
    """Rows for JSON: missing values become null (JSON has no NaN)."""
    return table.astype(object).where(table.notna(), None).to_dict("records")


def _print_metrics_table(frame: pd.DataFrame, spans: list[str], by: str | None) -> None:
    from . import metrics

    if by:
        table = metrics.summarize(frame, by=by)
        for c in _STATS:
            table[c] = table[c].map(lambda v: fmt.duration(v, missing="–"))
        print(table.rename(columns={"count": "n"}).to_string(index=False))
        print(
            f"n: finished incidents each figure is computed from (open ones are left out); "
            f"p90 needs n >= {metrics.P90_MIN_COUNT}"
        )
    else:
        out = pd.DataFrame(index=frame.index)
        for s in spans:
            out[metrics.label(s)] = [
                fmt.duration(v, missing="–", ongoing=o)
                for v, o in zip(frame[s], frame[f"{s}_ongoing"], strict=True)
            ]
        print(out.to_string())


def cmd_metrics(args: argparse.Namespace) -> int:
    from . import metrics

    as_of = args.as_of if args.as_of is not None else metrics.resolve_as_of()
    iset = _load(args)
    errors = _print_problems(iset)
    _require_incidents(iset, args, errors)
    frame = metrics.durations(iset, as_of=as_of)
    spans = metrics.span_columns(frame)
    stamp = as_of.isoformat()
    if args.format == "table":
        _print_metrics_table(frame, spans, args.by)
        print(f"as of {fmt.timestamp(as_of)}: open incidents are measured up to this time")
    elif args.format == "json":
        if args.by:
            rows = _records(_summary_rows(frame, args.by))
            doc = {"as_of": stamp, "unit": "seconds", "by": args.by}
            doc |= {"p90_min_count": metrics.P90_MIN_COUNT, "groups": rows}
        else:
            table = _incident_rows(frame, spans).reset_index()
            rows = _records(table)
            doc = {"as_of": stamp, "unit": "seconds", "incidents": rows}
        print(json.dumps(doc, indent=2))
    else:
        table = _summary_rows(frame, args.by) if args.by else _incident_rows(frame, spans)
        table.insert(0, "as_of", stamp)
        print(table.to_csv(index=not args.by), end="")
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

    folder = Path(args.output)
    severity = args.severity or "[P1/P2/P3/P4]"
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
    from .sources.sync import write_folder

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        iset = load(
            *args.paths,
            default_tz=args.default_tz,
            tz_abbrev=dict(args.tz_abbrev or []),
            format=args.format,
            mapping=args.mapping,
            link=dict(args.link or []),
        )
    errors = _print_problems(iset)
    done = write_folder(iset, args.output)
    for synced in done:
        print(synced)
    counts = {
        s: sum(d.state == s for d in done) for s in ("created", "updated", "unchanged", "conflict")
    }
    print(", ".join(f"{n} {state}" for state, n in counts.items()))
    return 1 if errors else 0


def cmd_report(args: argparse.Namespace) -> int:
    from .report import ReportOptions, run
    from .report.execute import skip_unused_imports

    skip_unused_imports()  # this process only runs the batch

    options = ReportOptions(
        jobs=args.jobs,
        only=args.only,
        as_of=args.as_of,  # parsed (and "now" read) once, here at the edge
        display_tz=args.display_tz,
        self_contained=args.self_contained,
        force=args.force,
        template=args.template,
        default_tz=args.default_tz,
        tz_abbrev=dict(args.tz_abbrev or []),
        progress=not args.quiet,
        timeout=args.timeout,
        review_days=args.review_days,
        pdf=args.pdf,
        paper=args.paper,
    )
    result = run(args.paths, args.output, options)
    print(result.summary())
    return 0 if result.ok else 1


def cmd_notebooks(args: argparse.Namespace) -> int:
    from .paths import copy_notebooks

    for path in copy_notebooks(args.folder, overwrite=args.force):
        print(path)
    return 0


def cmd_review(args: argparse.Namespace) -> int:
    from .report import ReviewOptions, review
    from .report.execute import skip_unused_imports

    skip_unused_imports()  # this process only renders the packet

    options = ReviewOptions(
        display_tz=args.display_tz,
        default_tz=args.default_tz,
        postmortem_days=args.postmortem_days,
        pages=args.pages,
        pdf=args.pdf,
        paper=args.paper,
        timeout=args.timeout,
    )
    result = review(
        args.paths,
        args.output,
        since=args.since,
        until=args.until,
        as_of=args.as_of,
        options=options,
    )
    print(result.summary())
    return 0 if result.ok else 1


def cmd_explore(args: argparse.Namespace) -> int:
    from .serve import explore

    return explore(args.data, host=args.host, port=args.port)


def parser() -> argparse.ArgumentParser:
    """The command line: one sub-parser per command, each declared by its own function."""
    p = _Parser(prog="incident-kit", description="Incident post-mortem analysis.")
    p.add_argument("--version", action="version", version=f"incident-kit {__version__}")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    _add_validate(sub)
    _add_metrics(sub)
    _add_new(sub)
    _add_import(sub)
    _add_report(sub)
    _add_notebooks(sub)
    _add_review(sub)
    _add_explore(sub)
    return p


def _with_paths(sp: argparse.ArgumentParser, tz_abbrev: bool = True) -> None:
    """The data to read, and how to read times written without a zone."""
    sp.add_argument("paths", nargs="+", help="incident files or folders")
    sp.add_argument(
        "--default-tz",
        default="UTC",
        type=_zone,
        help="IANA zone for timestamps written without one (default: UTC)",
    )
    if not tz_abbrev:
        return
    sp.add_argument(
        "--tz-abbrev",
        action="append",
        type=_abbrev,
        metavar="ABBREV=ZONE",
        help="read a zone abbreviation as this zone, e.g. IST=Asia/Kolkata (repeatable; "
        "ambiguous ones default to IST=+05:30, CST=-06:00, BST=+01:00, AST=-04:00)",
    )


def _with_as_of(sp: argparse.ArgumentParser, what: str) -> None:
    sp.add_argument(
        "--as-of",
        type=_as_of,
        metavar="TIME",
        help=f"ISO time such as 2026-11-26T12:00Z, or 'now' (the default): {what}",
    )


def _add_validate(sub) -> None:
    sp = sub.add_parser("validate", help="check incident data; print every problem")
    _with_paths(sp)
    sp.set_defaults(func=cmd_validate)


def _add_metrics(sub) -> None:
    from .metrics import P90_MIN_COUNT

    sp = sub.add_parser("metrics", help="durations per incident or summaries per group")
    _with_paths(sp)
    sp.add_argument(
        "--by",
        choices=["severity", "service", "month", "status"],
        help="summarize per group (n, open, mean, median, p90, max of every span) instead of "
        "one row per incident; service: an incident counts for each service it hit; month: "
        f"of impact start (else detection); p90 needs n >= {P90_MIN_COUNT}",
    )
    _with_as_of(sp, "open incidents are measured up to it")
    sp.add_argument(
        "--format",
        choices=["table", "csv", "json"],
        default="table",
        help="table: for people (default); csv, json: durations in seconds (columns named "
        "<span>_seconds), with the as-of time",
    )
    sp.set_defaults(func=cmd_metrics)


def _add_new(sub) -> None:
    from .model import SEVERITIES

    sp = sub.add_parser("new", help="write a fresh incident report from the template")
    sp.add_argument("--title", help="the incident's title (default: left for you to fill in)")
    sp.add_argument(
        "--severity",
        type=_severity,
        metavar="P1..P4",
        help=f"one of {', '.join(SEVERITIES)}, P1 the most severe (also p2, SEV2, 'Sev 2'); "
        "default: left for you to fill in",
    )
    sp.add_argument("-o", "--output", default=".", help="folder to write it in (default: .)")
    sp.set_defaults(func=cmd_new)


def _add_import(sub) -> None:
    sp = sub.add_parser(
        "import", help="write tool exports as Markdown reports (keeps what people wrote)"
    )
    _with_paths(sp)
    sp.add_argument("-o", "--output", required=True, help="folder of Markdown reports")
    sp.add_argument("--format", help="force a source format (default: detected)")
    sp.add_argument("--mapping", help="column mapping (YAML/TOML) for CSV / JSON Lines exports")
    sp.add_argument(
        "--link",
        nargs="+",
        type=_link,
        metavar="ID=ID",
        help="merge the first incident into the second (e.g. one tool's into another's)",
    )
    sp.set_defaults(func=cmd_import)


def _add_report(sub) -> None:
    sp = sub.add_parser("report", help="render an HTML post-mortem per incident, plus an index")
    _with_paths(sp)
    sp.add_argument("-o", "--output", required=True, help="output folder")
    sp.add_argument("-j", "--jobs", type=int, default=None, help="parallel kernels (default: CPUs)")
    sp.add_argument("--only", nargs="+", metavar="ID", help="render just these incidents")
    _with_as_of(sp, "open incidents and overdue action items are measured to it")
    sp.add_argument(
        "--display-tz",
        default="UTC",
        type=_zone,
        help="IANA zone times are shown in (default: UTC)",
    )
    sp.add_argument("--self-contained", action="store_true", help="embed plotly.js in every file")
    sp.add_argument("--force", action="store_true", help="re-render unchanged incidents")
    sp.add_argument("--template", help="your own post-mortem notebook")
    sp.add_argument("--timeout", type=float, default=600.0, help="seconds per incident")
    sp.add_argument(
        "--review-days",
        type=int,
        default=7,
        metavar="N",
        help="also write review.html, the review packet of the N days to as-of (default: 7; "
        "0: none)",
    )
    sp.add_argument(
        "--pdf", action="store_true", help="also print a PDF of every page (Debian's chromium)"
    )
    sp.add_argument("--paper", default="A4", choices=["A4", "Letter"], help="PDF paper size")
    sp.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    sp.set_defaults(func=cmd_report)


def _add_notebooks(sub) -> None:
    sp = sub.add_parser(
        "notebooks", help="copy the notebooks into a folder, to edit (and use with --template)"
    )
    sp.add_argument("folder", help="where to write explore, postmortem, portfolio and review.ipynb")
    sp.add_argument("--force", action="store_true", help="replace copies already there")
    sp.set_defaults(func=cmd_notebooks)


def _add_review(sub) -> None:
    sp = sub.add_parser("review", help="the review packet for a period: one HTML file (and PDF)")
    _with_paths(sp, tz_abbrev=False)  # the packet reads with default options (batch: ReviewOptions)
    sp.add_argument(
        "--since", required=True, help="start: ISO date or time, or a length before --until (7d)"
    )
    sp.add_argument("--until", help="end: ISO date (that day included) or time (default: as-of)")
    sp.add_argument("--as-of", help="ISO time figures are measured to (default: now)")
    sp.add_argument("-o", "--output", required=True, help="the packet's file, e.g. review.html")
    sp.add_argument(
        "--display-tz",
        default="UTC",
        type=_zone,
        help="IANA zone times are shown in (default: UTC)",
    )
    sp.add_argument(
        "--postmortem-days",
        type=int,
        default=7,
        help="a post-mortem is due this many days after resolution (default: 7)",
    )
    sp.add_argument("--pages", default="", help="where the incident pages are, relative to FILE")
    sp.add_argument("--pdf", action="store_true", help="also print FILE.pdf with Chromium")
    sp.add_argument("--paper", default="A4", choices=["A4", "Letter"], help="PDF paper size")
    sp.add_argument("--timeout", type=float, default=600.0, help="seconds for the notebook")
    sp.set_defaults(func=cmd_review)


def _add_explore(sub) -> None:
    sp = sub.add_parser(
        "explore",
        help="serve the explorer as a web page (Voilà: pip install 'incident_kit[serve]')",
    )
    sp.add_argument("data", help="incident file or folder")
    sp.add_argument("--host", default="127.0.0.1", help="address to listen on")
    sp.add_argument("--port", type=int, help="port (default: 8866 or the next free one)")
    sp.set_defaults(func=cmd_explore)


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
