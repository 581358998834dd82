"""Planning a report batch: fingerprints and skips, without kernels (report/plan.py)."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
import warnings

import pandas as pd
import pytest

import incident_kit as ik
from incident_kit import similar
from incident_kit.errors import Problem
from incident_kit.files import safe_name
from incident_kit.model import problems_frame
from incident_kit.report import params
from incident_kit.report.payload import Payload, read_source
from incident_kit.report.plan import Settings, context_digest, plan, record_digests

from .conftest import DATA

AS_OF = pd.Timestamp("2026-11-26T12:00Z")
OPEN = ["INC-2026-0012", "INC-2026-0013"]  # Active in the sample data
POSTMORTEM = params.notebook_path("postmortem.ipynb").read_text(encoding="utf-8")
PORTFOLIO = params.notebook_path("portfolio.ipynb").read_text(encoding="utf-8")


def settings(as_of: pd.Timestamp = AS_OF, **kwargs) -> Settings:
    return Settings(as_of, POSTMORTEM, PORTFOLIO, **kwargs)


def after(p) -> dict:
    """The state a successful run of plan ``p`` leaves: manifest entries and pages."""
    previous = {i: {"fingerprint": fp, "ok": True} for i, fp in p.fingerprints.items()}
    pages = {f"{safe_name(i)}.html" for i in p.fingerprints} | {"portfolio.html"}
    portfolio = {"fingerprint": p.portfolio_fingerprint, "ok": True}
    return {"previous": previous, "pages": pages, "previous_portfolio": portfolio}


def test_first_run_plans_every_page_and_the_portfolio(sample):
    p = plan(sample, settings())
    assert p.render == sample.ids and p.portfolio and len(p) == len(sample) + 1
    assert [j.key for j in p.jobs()] == [*sample.ids, "portfolio"]


def test_nothing_changed_plans_nothing(sample):
    state = after(plan(sample, settings()))
    again = plan(sample, settings(), **state)
    assert again.render == [] and not again.portfolio and again.unchanged == sample.ids


def test_a_moved_clock_replans_open_incidents_and_the_portfolio_only(sample):
    state = after(plan(sample, settings()))
    later = plan(sample, settings(AS_OF + pd.Timedelta("1h")), **state)
    assert later.render == OPEN and later.portfolio
    assert all(j.parameters["as_of"] == "2026-11-26T13:00:00+00:00" for j in later.jobs())


def test_a_closed_incident_is_replanned_when_an_action_item_falls_due(sample):
    # INC-2026-0014 (Post-Mortem) has an open item due 2026-12-01
    state = after(plan(sample, settings()))
    later = plan(sample, settings(pd.Timestamp("2026-12-02T09:00Z")), **state)
    assert later.render == [*OPEN, "INC-2026-0014"]


def test_a_changed_record_replans_that_incident_and_the_portfolio(sample):
    state = after(plan(sample, settings()))
    events = sample.events.copy()
    row = events.index[events["incident_id"] == "INC-2026-0003"][0]
    events.loc[row, "description"] = "a corrected description"
    changed = ik.IncidentSet(sample.incidents, events, sample.action_items, sample.problems)
    again = plan(changed, settings(), **state)
    assert again.render == ["INC-2026-0003"] and again.portfolio


def test_load_problems_are_part_of_an_incidents_fingerprint(sample):
    state = after(plan(sample, settings()))
    warning = Problem("data/x.md", 7, "detected", "14:05", "no zone; assumed UTC", "INC-2026-0005")
    noted = ik.IncidentSet(
        sample.incidents, sample.events, sample.action_items, problems_frame([warning])
    )
    noted.problems.loc[0, "level"] = "warning"
    again = plan(noted, settings(), **state)
    assert again.render == ["INC-2026-0005"]
    (job,) = [j for j in again.jobs() if j.key == "INC-2026-0005"]
    assert job.payload.iset.problems["message"].tolist() == ["no zone; assumed UTC"]


def test_only_plans_the_selected_incidents_and_no_portfolio(sample):
    p = plan(sample, settings(), only=["INC-2026-0004"])
    assert p.render == ["INC-2026-0004"] and not p.portfolio
    assert list(p.fingerprints) == ["INC-2026-0004"] and p.portfolio_fingerprint is None


def test_force_missing_pages_and_failures_are_replanned(sample):
    state = after(plan(sample, settings()))
    assert plan(sample, settings(), force=True, **state).render == sample.ids
    state["pages"].discard("INC-2026-0002.html")
    state["previous"]["INC-2026-0007"]["ok"] = False
    again = plan(sample, settings(), **state)
    assert again.render == ["INC-2026-0002", "INC-2026-0007"] and not again.portfolio


@pytest.mark.parametrize(
    "change",
    [{"display_tz": "Europe/Berlin"}, {"self_contained": True}],
    ids=["zone", "inline-plotly"],
)
def test_what_every_page_shows_replans_every_page(sample, change):
    state = after(plan(sample, settings()))
    assert plan(sample, settings(**change), **state).render == sample.ids


def test_timeouts_do_not_replan(sample):
    state = after(plan(sample, settings()))
    assert plan(sample, settings(timeout=5.0), **state).render == []


def test_context_goes_to_its_job_and_into_its_fingerprint(sample):
    context = {iid: {"related": []} for iid in sample.ids}
    state = after(plan(sample, settings(), context=context))
    context["INC-2026-0009"] = {"related": [{"incident_id": "INC-2026-0002", "score": 0.4}]}
    again = plan(sample, settings(), context=context, **state)
    assert again.render == ["INC-2026-0009"]
    (job,) = [j for j in again.jobs() if j.kind == "incident"]
    assert job.parameters["context"] == context["INC-2026-0009"]


def test_jobs_carry_their_records_and_no_paths(sample):
    jobs = list(plan(sample, settings()).jobs())
    for job in jobs[:-1]:
        one = sample.select([job.key])
        for table in ("incidents", "events", "action_items", "problems"):
            pd.testing.assert_frame_equal(getattr(job.payload.iset, table), getattr(one, table))
        assert "source" not in job.parameters and job.notebook == POSTMORTEM
        assert job.parameters == {
            "incident_id": job.key,
            "as_of": "2026-11-26T12:00:00+00:00",
            "display_tz": "UTC",
        }
    portfolio = jobs[-1]
    assert portfolio.kind == "portfolio" and len(portfolio.payload.iset) == len(sample)
    assert pickle.loads(pickle.dumps(jobs[0])).payload.iset.ids == [jobs[0].key]


def test_fingerprints_are_the_same_in_another_process(sample):
    """The manifest keeps fingerprints between runs: they must not depend on the process."""
    here = plan(sample, settings()).fingerprints
    code = (
        "import warnings, json, pandas as pd; warnings.simplefilter('ignore');"
        "import incident_kit as ik; from tests.test_plan import settings;"
        "from incident_kit.report.plan import plan;"
        f"print(json.dumps(plan(ik.load({str(DATA)!r}), settings()).fingerprints))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONHASHSEED": "12345", "PATH": ""},
        cwd=DATA.parent,
    ).stdout
    assert json.loads(out) == here


def test_a_payload_folder_reads_back_whole_and_loads_with_ik_load(sample, tmp_path):
    one = sample.select(["INC-2026-0001"])
    warning = Problem("a.md", 3, "detected", "x", "assumed UTC", "INC-2026-0001", "warning")
    one = ik.IncidentSet(one.incidents, one.events, one.action_items, problems_frame([warning]))
    folder = Payload(one).write(tmp_path / "p")
    back = read_source([folder]).iset
    for table in ("incidents", "events", "action_items", "problems"):
        pd.testing.assert_frame_equal(getattr(back, table), getattr(one, table))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        loaded = ik.load(folder)  # what a custom template calling ik.load(source) sees
    assert loaded.ids == ["INC-2026-0001"] and len(loaded.events) == len(one.events)


# -- the context cache of a re-run with nothing changed (issue 13) ---------------------------
def retitled(iset: ik.IncidentSet, iid: str, title: str) -> ik.IncidentSet:
    incidents = iset.incidents.copy()
    incidents.loc[iid, "title"] = title
    return ik.IncidentSet(incidents, iset.events, iset.action_items, iset.problems)


def test_context_digests_stand_in_for_the_context_until_a_page_renders(sample):
    context = similar.batch_context(sample)
    state = after(plan(sample, settings(), context=context))
    digests = {iid: context_digest(context[iid]) for iid in sample.ids}
    again = plan(sample, settings(), context_digests=digests, **state)
    assert again.render == [] and not again.portfolio and list(again.jobs()) == []
    later = plan(sample, settings(AS_OF + pd.Timedelta("1h")), context_digests=digests, **state)
    assert later.render == OPEN  # the same skips as with the values
    with pytest.raises(ValueError, match="no context"):
        next(later.jobs())  # never a page rendered without its related incidents


def test_a_retitled_incident_replans_its_page_the_pages_that_list_it_and_the_portfolio(sample):
    before = similar.batch_context(sample)
    state = after(plan(sample, settings(), context=before))
    # INC-2026-0004 is listed as related on 0006, 0007, 0008 and 0011 (title shown there)
    listing = [i for i in sample.ids if "INC-2026-0004" in related_ids(before[i])]
    assert listing == ["INC-2026-0006", "INC-2026-0007", "INC-2026-0008", "INC-2026-0011"]
    changed = retitled(sample, "INC-2026-0004", "Checkout down after a config push")
    now = similar.batch_context(changed)
    again = plan(changed, settings(), context=now, **state)
    moved = {i for i in sample.ids if now[i] != before[i]}
    assert set(listing) <= moved and set(again.render) == {"INC-2026-0004", *moved}
    assert len(again.render) < len(sample) and again.portfolio
    for job in again.jobs():
        if job.key in listing:
            (row,) = [
                r
                for r in job.parameters["context"]["related"]
                if r["incident_id"] == "INC-2026-0004"
            ]
            assert row["title"] == "Checkout down after a config push"


def related_ids(entry: dict) -> list[str]:
    return [r["incident_id"] for r in entry["related"]]


def test_the_run_reuses_the_context_digests_while_the_records_are_the_same(
    sample, monkeypatch, tmp_path
):
    from incident_kit.report import batch

    manifest = {"jobs": {}}
    records = record_digests(sample)
    context, digests = batch._context(sample, records, manifest, tmp_path)
    assert context == similar.batch_context(sample)
    assert digests == {iid: context_digest(context[iid]) for iid in sample.ids}
    kept = json.loads(json.dumps(manifest))  # as the manifest file keeps it

    def not_again(iset):
        raise AssertionError("the context was computed again")

    monkeypatch.setattr(batch, "batch_context", not_again)
    assert batch._context(sample, record_digests(sample), kept, tmp_path) == (None, digests)
    monkeypatch.undo()
    changed = retitled(sample, "INC-2026-0004", "Checkout down after a config push")
    fresh, new = batch._context(changed, record_digests(changed), kept, tmp_path)
    assert fresh == similar.batch_context(changed) and kept["context"]["digests"] == new
    assert new["INC-2026-0006"] != digests["INC-2026-0006"]
    assert new["INC-2026-0001"] == digests["INC-2026-0001"]


def test_parameter_names_are_read_without_papermill_as_papermill_reads_them(tmp_path):
    import papermill

    for name in ("postmortem.ipynb", "portfolio.ipynb"):
        path = params.notebook_path(name)
        ours = params.parameter_names(path.read_text(encoding="utf-8"))
        assert list(ours) == list(papermill.inspect_notebook(str(path)))
    nb = {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": "x = 1"},
            {
                "cell_type": "code",
                "metadata": {"tags": ["parameters"]},
                "source": ["import os\n", "source: str = 'data'  # where\n", "os.sep\n", "n = 3\n"],
            },
        ]
    }
    assert params.parameter_names(json.dumps(nb)) == ("source", "n")
    path = tmp_path / "t.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    with pytest.raises(ik.ReportError, match="lacks incident_id"):
        params.require_parameters(path, ("source", "incident_id"))
