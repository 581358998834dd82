"""Re-import never erases or reverts what a person wrote (issue 11, "Nothing lost").

A report written by an import records what that import wrote; the next import takes the
tool's new values only for fields the person did not change, keeps every field the person
changed (a conflict when the tool changed it too), never overwrites a report it cannot read
(the import goes to ``<id>.imported.md``), and says per file: created, updated, unchanged or
conflict.
"""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

import incident_kit as ik
from incident_kit.cli import main
from incident_kit.model import IncidentSet, action_items_frame, events_frame, incidents_frame
from incident_kit.sources.sync import write_folder


def tool(
    title="API errors", severity="P2", resolved="2026-03-29T01:40Z", update=None
) -> IncidentSet:
    """What a tool export gives for one incident (as an IncidentSet)."""
    events = [
        {"incident_id": "SP-1", "timestamp": pd.Timestamp("2026-03-28T23:50Z"), "kind": "detected",
         "actor": "Statuspage", "role": None, "description": None, "source": "sp:1"},
        {"incident_id": "SP-1", "timestamp": pd.Timestamp(resolved), "kind": "resolved",
         "actor": None, "role": None, "description": None, "source": "sp:2"},
    ]  # fmt: skip
    if update:
        events.append(
            {"incident_id": "SP-1", "timestamp": pd.Timestamp("2026-03-29T00:30Z"),
             "kind": "update", "actor": None, "role": None, "description": update, "source": "sp:3"}
        )  # fmt: skip
    inc = {"incident_id": "SP-1", "title": title, "severity": severity, "status": "Resolved",
           "services": ["api"]}  # fmt: skip
    return IncidentSet(incidents_frame([inc]), events_frame(events), action_items_frame([]))


def read(path) -> ik.IncidentSet:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ik.IncidentKitWarning)
        return ik.load(path)


def resolved(iset) -> pd.Timestamp:
    ev = iset.events
    return ev.loc[ev["kind"] == "resolved", "timestamp"].iloc[0]


def test_created_then_unchanged_leaves_the_file_alone(tmp_path):
    (first,) = write_folder(tool(), tmp_path)
    assert first.state == "created" and first.path == tmp_path / "SP-1.md"
    before = first.path.read_bytes()
    (again,) = write_folder(tool(), tmp_path)
    assert again.state == "unchanged" and first.path.read_bytes() == before
    assert "<!-- incident-kit import {" in before.decode()  # what the import wrote, recorded


def test_reimport_takes_the_tools_changes_and_keeps_every_field_a_person_changed(tmp_path):
    (done,) = write_folder(tool(), tmp_path)
    text = done.path.read_text()
    text = text.replace("**Severity**: P2", "**Severity**: P1")  # raised by a person
    text = text.replace("[Root cause analysis]", "A cache node ran out of memory.")
    text = text.replace(
        "- [ ] [Action item 1] - Owner: [name] - Due: [date]",
        "- [ ] Alert on cache memory - Owner: Dana - Due: 2026-04-30",
        1,
    )
    done.path.write_text(text)
    (again,) = write_folder(
        tool(title="API errors (EU)", resolved="2026-03-29T01:50Z", update="Fix deployed"), tmp_path
    )
    assert again.state == "updated", str(again)
    inc = read(done.path).incident("SP-1")
    assert inc["severity"] == "P1"  # not put back to the tool's P2
    assert inc["why_it_happened"] == "A cache node ran out of memory."
    assert inc["title"] == "API errors (EU)"  # the tool's change to a field nobody touched
    iset = read(done.path)
    assert resolved(iset) == pd.Timestamp("2026-03-29T01:50Z")
    assert list(iset.action_items["text"]) == ["Alert on cache memory"]
    assert "Fix deployed" in list(iset.events["description"])


def test_both_changed_the_same_field_is_a_conflict_and_the_person_wins(tmp_path):
    (done,) = write_folder(tool(), tmp_path)
    done.path.write_text(done.path.read_text().replace("**Severity**: P2", "**Severity**: P1"))
    (again,) = write_folder(tool(severity="P3"), tmp_path)
    assert again.state == "conflict" and again.fields == ["severity"]
    assert "kept your severity" in str(again)
    assert read(done.path).incident("SP-1")["severity"] == "P1"


def test_a_report_that_cannot_be_read_is_never_overwritten(tmp_path):
    (done,) = write_folder(tool(), tmp_path)
    broken = (
        done.path.read_text()
        .replace("[Detailed description of the incident]", "We lost the cache; details below.")
        .replace("2026-03-28 23:50 UTC", "around midnight")
    )
    done.path.write_text(broken)
    (again,) = write_folder(tool(title="API errors (EU)"), tmp_path)
    assert again.state == "conflict"
    assert done.path.read_text() == broken  # the person's text is all still there
    beside = tmp_path / "SP-1.imported.md"
    assert beside.is_file() and "API errors (EU)" in beside.read_text()
    assert "SP-1.imported.md" in str(again) and "around midnight" in str(again)


def test_a_hand_written_report_without_a_record_keeps_its_values(tmp_path):
    (tmp_path / "SP-1.md").write_text(
        "# My own title\n\n## Incident Summary\n\n**Incident ID**: SP-1\n**Severity**: P1\n"
        "**Status**: Resolved\n\n## Timeline\n\n- **Detected**: 2026-03-28 23:50 UTC\n"
        "- **Resolved**: 2026-03-29 01:40 UTC\n",
        encoding="utf-8",
    )
    (again,) = write_folder(tool(), tmp_path)
    inc = read(tmp_path / "SP-1.md").incident("SP-1")
    assert (inc["title"], inc["severity"]) == ("My own title", "P1")
    assert inc["services"] == ["api"]  # an empty field takes the tool's value
    assert again.state == "conflict" and set(again.fields) >= {"severity", "title"}


def test_cli_import_prints_a_state_per_file_and_the_counts(tmp_path, capsys):
    from .test_importers import SP

    out = tmp_path / "reports"
    main(["import", str(SP), "-o", str(out)])
    first = capsys.readouterr().out.splitlines()
    assert all(line.startswith("created ") for line in first[:-1])
    assert first[-1].startswith(f"{len(first) - 1} created, 0 updated, 0 unchanged, 0 conflict")
    main(["import", str(SP), "-o", str(out)])
    again = capsys.readouterr().out.splitlines()
    assert all(line.startswith("unchanged ") for line in again[:-1])


@pytest.mark.parametrize("separator", ["--", "-->"])
def test_the_record_survives_text_that_looks_like_a_comment_end(tmp_path, separator):
    (done,) = write_folder(tool(title=f"errors {separator} more"), tmp_path)
    (again,) = write_folder(tool(title=f"errors {separator} more"), tmp_path)
    assert again.state == "unchanged", str(again)
    assert read(done.path).incident("SP-1")["title"] == f"errors {separator} more"
