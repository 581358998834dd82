"""The command line: messages, exit codes, formats."""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys

import pandas as pd
import pytest

from incident_kit.cli import main, parser

from .conftest import DATA


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "incident_kit", *args], capture_output=True, text=True
    )


def test_validate_clean_data_exits_0(capsys):
    assert main(["validate", str(DATA)]) == 0
    assert capsys.readouterr().out.strip() == "14 incidents valid, 0 problem(s)"


def test_validate_bad_data_exits_1_without_traceback(write_report, tmp_path):
    write_report(
        timeline="""
        - **Detected**: 2026-03-04 14:05 UTC by Bob
        - **Resolved**: 2026-03-04 13:00 UTC
    """
    )
    proc = run("validate", str(tmp_path))
    assert proc.returncode == 1
    assert "Traceback" not in proc.stdout + proc.stderr
    first = proc.stdout.splitlines()[0]
    assert (
        first
        == f"{tmp_path}/INC-T1.md:12: Resolved '2026-03-04 13:00 UTC' is before Detected '2026-03-04 14:05 UTC'"
    )
    assert proc.stdout.splitlines()[-1] == "0 incidents valid, 1 problem(s), 1 incident(s) left out"


def test_missing_path_is_one_line(tmp_path):
    proc = run("validate", str(tmp_path / "missing"))
    assert (
        proc.returncode == 1
        and proc.stderr.strip() == f"incident-kit: {tmp_path}/missing: no such file or folder"
    )


AS_OF = "2026-11-26T12:00Z"


def test_metrics_json_per_incident_names_units_and_clock(capsys):
    assert main(["metrics", str(DATA), "--format", "json", "--as-of", AS_OF]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["as_of"] == "2026-11-26T12:00:00+00:00" and doc["unit"] == "seconds"
    rows = {r["incident_id"]: r for r in doc["incidents"]}
    assert rows["INC-2026-0001"]["time_to_resolve_seconds"] == 82 * 60
    assert rows["INC-2026-0001"]["time_to_resolve_ongoing"] is False
    assert rows["INC-2026-0003"]["time_to_detect_seconds"] is None
    # open: detected 2026-11-25 18:02 UTC, measured to as-of
    assert rows["INC-2026-0012"]["time_to_resolve_seconds"] == (17 * 60 + 58) * 60
    assert rows["INC-2026-0012"]["time_to_resolve_ongoing"] is True


def test_metrics_json_by_group(capsys):
    assert main(["metrics", str(DATA), "--by", "severity", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["unit"] == "seconds" and doc["p90_min_count"] == 5
    assert pd.Timestamp(doc["as_of"]) <= pd.Timestamp.now(tz="UTC")  # default: now, written
    p1 = next(
        r for r in doc["groups"] if r["severity"] == "P1" and r["metric"] == "time_to_resolve"
    )
    assert p1["count"] == 3 and p1["median_seconds"] == 82 * 60
    assert p1["p90_seconds"] is None  # 3 incidents: no p90


def test_metrics_csv_names_units_and_clock(capsys):
    assert main(["metrics", str(DATA), "--format", "csv", "--as-of", AS_OF]) == 0
    table = pd.read_csv(io.StringIO(capsys.readouterr().out), index_col="incident_id")
    assert table.at["INC-2026-0001", "time_to_resolve_seconds"] == 82 * 60
    assert (table["as_of"] == "2026-11-26T12:00:00+00:00").all()
    assert main(["metrics", str(DATA), "--format", "csv", "--by", "month"]) == 0
    header = capsys.readouterr().out.splitlines()[0].split(",")
    assert header == [
        "as_of", "month", "metric", "count", "open",
        "mean_seconds", "median_seconds", "p90_seconds", "max_seconds",
    ]  # fmt: skip


def test_metrics_table_is_human(capsys):
    assert main(["metrics", str(DATA), "--as-of", AS_OF]) == 0
    out = capsys.readouterr().out
    assert "1h 22m" in out and "17h 58m (ongoing)" in out and "+" not in out
    assert out.splitlines()[-1].startswith("as of 2026-11-26 12:00 UTC")


def test_metrics_default_clock_measures_open_spans(capsys):
    assert main(["metrics", str(DATA)]) == 0
    out = capsys.readouterr().out
    row = next(line for line in out.splitlines() if line.startswith("INC-2026-0012"))
    assert "(ongoing)" in row and "not recorded" not in out and "-+" not in out
    assert out.splitlines()[-1].startswith("as of ")


# Each ends with one line on stderr, no traceback, and a non-zero exit.
BAD = {
    "metrics-as-of": (["metrics", str(DATA), "--as-of", "yesterday"], 2, "'yesterday' is not a time"),
    "report-as-of": (["report", str(DATA), "-o", "{tmp}/o", "--as-of", "yesterday"], 2, "'yesterday' is not a time"),
    "report-zone": (["report", str(DATA), "-o", "{tmp}/o", "--display-tz", "Mars/Olympus"], 2, "unknown time zone 'Mars/Olympus'"),
    "default-zone": (["validate", str(DATA), "--default-tz", "Mars/Olympus"], 2, "unknown time zone 'Mars/Olympus'"),
    "new-severity": (["new", "--severity", "P7", "-o", "{tmp}/new"], 2, "'P7' is not a severity (expected one of P1, P2, P3, P4)"),
    "import-link": (["import", str(DATA / "examples" / "pagerduty"), "-o", "{tmp}/i", "--link", "NOEQUALS"], 2, "'NOEQUALS' is not ID=ID"),
    "metrics-empty": (["metrics", "{tmp}/empty"], 1, "incident-kit: no incident data found in {tmp}/empty"),
    "metrics-invalid": (["metrics", "{tmp}/invalid"], 1, "incident-kit: no valid incident in {tmp}/invalid (1 problem(s) above)"),
    "validate-empty": (["validate", "{tmp}/empty"], 1, "incident-kit: no incident data found in {tmp}/empty"),
    "report-empty": (["report", "{tmp}/empty", "-o", "{tmp}/o", "-q"], 1, "incident-kit: no incident data found in {tmp}/empty"),
}  # fmt: skip


@pytest.mark.parametrize("case", list(BAD))
def test_mistakes_give_one_line_and_a_nonzero_exit(case, tmp_path):
    args, code, message = BAD[case]
    (tmp_path / "empty").mkdir()
    (tmp_path / "invalid").mkdir()
    (tmp_path / "invalid" / "notes.md").write_text("just some notes\n", encoding="utf-8")
    proc = run(*(a.format(tmp=tmp_path) for a in args))
    assert proc.returncode == code, proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    last = proc.stderr.strip().splitlines()[-1]
    assert message.format(tmp=tmp_path) in last, proc.stderr
    if code == 2:  # usage errors: the whole message is one line
        assert len(proc.stderr.strip().splitlines()) == 1 and "--help" in last
    assert not (tmp_path / "new").exists() or not any((tmp_path / "new").iterdir())


def test_every_option_has_help():
    p = parser()
    verbs = next(a for a in p._actions if isinstance(a, argparse._SubParsersAction))
    missing = [
        f"{verb} {'/'.join(a.option_strings) or a.dest}"
        for verb, sp in verbs.choices.items()
        for a in sp._actions
        if not a.help
    ]
    assert missing == []
    severity = next(a for a in verbs.choices["new"]._actions if "--severity" in a.option_strings)
    assert all(s in severity.help for s in ("P1", "P2", "P3", "P4"))
    by = next(a for a in verbs.choices["metrics"]._actions if "--by" in a.option_strings)
    assert "service" in by.help and "p90" in by.help


def test_new_writes_a_template_with_a_fresh_id(tmp_path, capsys):
    assert main(["new", "--title", "Disk full", "--severity", "p2", "-o", str(tmp_path)]) == 0
    path = capsys.readouterr().out.strip()
    assert path.startswith(str(tmp_path / "INC-"))
    assert main(["new", "-o", str(tmp_path)]) == 0
    second = capsys.readouterr().out.strip()
    assert second != path
    import incident_kit as ik

    iset = ik.load(path)
    inc = iset.incidents.iloc[0]
    assert (inc["title"], inc["severity"], inc["status"]) == ("Disk full", "P2", "Active")


def test_usage_error_exits_2():
    with pytest.raises(SystemExit) as info:
        main(["metrics"])
    assert info.value.code == 2
