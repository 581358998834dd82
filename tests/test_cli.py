"""The command line: messages, exit codes, formats."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from incident_kit.cli import main

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


def test_metrics_json_per_incident(capsys):
    assert main(["metrics", str(DATA), "--format", "json"]) == 0
    rows = {r["incident_id"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["INC-2026-0001"]["time_to_resolve"] == 82 * 60
    assert rows["INC-2026-0003"]["time_to_detect"] is None


def test_metrics_json_by_group(capsys):
    assert main(["metrics", str(DATA), "--by", "severity", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    p1 = next(r for r in rows if r["severity"] == "P1" and r["metric"] == "time_to_resolve")
    assert p1["count"] == 3 and p1["median"] == 82 * 60


def test_metrics_table_is_human(capsys):
    assert main(["metrics", str(DATA), "--as-of", "2026-11-26T12:00Z"]) == 0
    out = capsys.readouterr().out
    assert "1h 22m" in out and "17h 58m+" in out and "still ongoing" in out


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
