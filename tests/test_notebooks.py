"""The shipped notebooks run where they are opened: in their own folder, with default data."""

from __future__ import annotations

import json

import nbformat
import pytest
from nbclient import NotebookClient

import incident_kit as ik
from incident_kit import cli, paths

from .conftest import DATA, ROOT


def run_notebook(path, cwd) -> nbformat.NotebookNode:
    """Execute a notebook in a real kernel whose working directory is ``cwd`` (as Jupyter does)."""
    nb = nbformat.read(path, as_version=4)
    NotebookClient(
        nb, kernel_name="python3", timeout=120, resources={"metadata": {"path": str(cwd)}}
    ).execute()
    return nb


def outputs(nb) -> list[dict]:
    return [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]


def test_default_data_is_the_projects_sample(monkeypatch):
    monkeypatch.delenv(ik.DATA_ENV, raising=False)
    assert ik.default_data() == DATA
    assert len(ik.load(ik.default_data())) == 14


def test_default_data_follows_the_setting(monkeypatch, tmp_path):
    monkeypatch.setenv(ik.DATA_ENV, str(tmp_path))
    assert ik.default_data() == tmp_path.resolve()
    monkeypatch.setenv(ik.DATA_ENV, str(tmp_path / "gone"))
    with pytest.raises(ik.SourceError, match=r"^INCIDENT_KIT_DATA=.*gone: no such file or folder$"):
        ik.default_data()


def test_no_data_anywhere_says_where_it_looked(monkeypatch, tmp_path):
    monkeypatch.delenv(ik.DATA_ENV, raising=False)
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pyproject.toml").write_text("")
    monkeypatch.setattr(paths, "_PACKAGE", tmp_path / "pkg")
    with pytest.raises(ik.SourceError) as err:
        ik.default_data()
    message = str(err.value)
    assert "\n" not in message and "INCIDENT_KIT_DATA is not set" in message
    assert str(tmp_path / "pkg" / "sample_data") in message and str(tmp_path / "data") in message


def test_notebooks_verb_copies_and_never_overwrites(tmp_path, capsys):
    assert cli.main(["notebooks", str(tmp_path / "mine")]) == 0
    written = capsys.readouterr().out.split()
    assert [p.rsplit("/", 1)[-1] for p in written] == list(paths.NOTEBOOKS)
    for name in paths.NOTEBOOKS:
        copy = (tmp_path / "mine" / name).read_bytes()
        assert copy == (ROOT / "notebooks" / name).read_bytes()
    (tmp_path / "mine" / "explore.ipynb").write_text("my edits")
    assert cli.main(["notebooks", str(tmp_path / "mine")]) == 1
    assert "already exists" in capsys.readouterr().err
    assert (tmp_path / "mine" / "explore.ipynb").read_text() == "my edits"
    assert cli.main(["notebooks", str(tmp_path / "mine"), "--force"]) == 0
    assert (tmp_path / "mine" / "explore.ipynb").read_bytes() != b"my edits"


@pytest.mark.kernel
def test_copied_postmortem_is_a_report_template(tmp_path, capsys):
    cli.main(["notebooks", str(tmp_path / "mine")])
    capsys.readouterr()
    code = cli.main(
        [
            "report",
            str(DATA),
            "-o",
            str(tmp_path / "out"),
            "--only",
            "INC-2026-0007",
            "--template",
            str(tmp_path / "mine" / "postmortem.ipynb"),
            "-q",
        ]
    )
    assert code == 0, capsys.readouterr()
    assert ">Impact Assessment<" in (tmp_path / "out" / "INC-2026-0007.html").read_text()


@pytest.mark.kernel
@pytest.mark.parametrize("name", paths.NOTEBOOKS)
def test_shipped_notebook_runs_in_its_own_folder(name, monkeypatch):
    """As JupyterLab runs it: the kernel's working directory is notebooks/, no data there."""
    monkeypatch.delenv(ik.DATA_ENV, raising=False)
    nb = run_notebook(ROOT / "notebooks" / name, ROOT / "notebooks")
    outs = outputs(nb)
    assert not [o for o in outs if o["output_type"] == "error"]
    assert not [o for o in outs if o.get("name") == "stderr"], outs
    text = json.dumps(outs, ensure_ascii=False)
    if name == "postmortem.ipynb":  # the first sample incident, every section filled
        assert "INC-2026-0001 · Checkout API returned 502s" in text
        assert "Rolled back config to v481" in text and "Marco Bianchi" in text
        assert "application/vnd.plotly.v1+json" in text
    elif name == "portfolio.ipynb":
        assert "Incident portfolio · 14 incidents" in text
    elif name == "review.ipynb":  # the last 7 days to now, and the sections that do not wait
        assert "Incident review" in text and "(7 days)" in text
        assert "Post-mortems not yet written" not in text  # headings are markdown, not outputs
        assert "INC-2026-0003" in text  # resolved in June, its post-mortem still not written
    else:
        assert "application/vnd.jupyter.widget-view+json" in text


@pytest.mark.kernel
def test_notebook_reads_the_data_setting(monkeypatch, tmp_path):
    (tmp_path / "one.md").write_text((DATA / "INC-2026-0007.md").read_text())
    monkeypatch.setenv(ik.DATA_ENV, str(tmp_path))
    nb = run_notebook(ROOT / "notebooks" / "postmortem.ipynb", ROOT / "notebooks")
    assert "INC-2026-0007 · " in json.dumps(outputs(nb), ensure_ascii=False)


def test_incident_set_reprs(sample):
    assert repr(sample) == "<IncidentSet 14 incidents, 98 events, 27 action items, 0 problems>"
    page = sample._repr_html_()
    assert "14 incidents, 98 events, 27 action items" in page
    assert "events from 2026-05-12 to 2026-11-25 (UTC)" in page
    # P2: 1 active, 1 resolved, 3 post-mortem, 5 in all; the last row counts every status
    assert "<tr><th>P2</th><td>1</td><td>1</td><td>3</td><td><b>5</b></td></tr>" in page
    assert "<tr><th>all</th><td><b>2</b></td><td><b>5</b></td><td><b>7</b></td>" in page
    assert "No problems." in page


def test_incident_set_repr_lists_the_first_problems_escaped(write_report):
    for i in range(7):
        write_report(f"BAD-{i}", severity="<script>x</script>", status="Active")
    good = write_report("GOOD-1", status="Active")
    iset = ik.load(good.parent)
    assert len(iset) == 1 and len(iset.problems) == 7
    page = iset._repr_html_()
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "7 problems (7 errors, 0 warnings); the first 5" in page
    assert page.count("<li>") == 5 and "BAD-0.md:" in page


def notebook_sections(path) -> list[tuple[str | None, str]]:
    """(heading, method) pairs as postmortem.ipynb shows them: ``## X`` cells, ``pm.m()`` cells."""
    import re

    nb = nbformat.read(path, as_version=4)
    out, heading = [], None
    for cell in nb.cells:
        if "parameters" in cell.metadata.get("tags", []) or not cell.source.strip():
            continue
        last = cell.source.strip().splitlines()[-1]
        if cell.cell_type == "markdown" and last.startswith("## "):
            heading = last[3:].strip()
        elif cell.cell_type == "code":
            call = re.fullmatch(r"pm\.(\w+)\(\)", last.strip())
            assert call, f"postmortem.ipynb: a code cell should end in pm.<section>(): {last}"
            out.append((heading, call.group(1)))
            heading = None
    return out


def test_show_has_the_notebooks_sections_in_order():
    assert notebook_sections(paths.notebook_path("postmortem.ipynb")) == list(
        ik.report.POSTMORTEM_SECTIONS
    ), "postmortem.ipynb and report.params.POSTMORTEM_SECTIONS differ: change both"


def test_show_reuses_the_report_views(sample):
    from incident_kit.report.inline import sections

    parts = sections(sample, "INC-2026-0012", as_of="2026-11-26T12:00Z", display_tz="Europe/Berlin")
    pm = ik.report.Postmortem(
        sample.select(["INC-2026-0012"]),
        "INC-2026-0012",
        ik.metrics.to_utc("2026-11-26T12:00Z"),
        "Europe/Berlin",
    )
    headings = [str(p) for p in parts if str(p).startswith("<h2>")]
    assert headings[:3] == [
        "<h2>Incident Summary</h2>",
        "<h2>Timeline</h2>",
        "<h2>Impact Assessment</h2>",
    ]
    body = [p for p in parts if not str(p).startswith("<h2>")]
    # nothing the loader could not read (reading_notes), not a repeat (repeat_flag)
    assert body[1] == "" and body[2] == "" and "<h2>Related Incidents</h2>" in headings
    assert body[3] == pm.summary() and body[5] == pm.milestones() and body[6] == pm.impact()
    assert "Keep extra replicas" in body[11]  # action items, from the report's own section
    chart = body[4].figure
    bars = {t.name: t for t in chart.data if t.type == "bar"}
    assert bars["Time to resolve"].text[0] == "17h 58m (ongoing)"
    with pytest.raises(ik.UnknownNameError, match="unknown incident ID 'NOPE'"):
        sections(sample, "NOPE")


@pytest.mark.kernel
def test_show_in_a_kernel(tmp_path):
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell(
                "import incident_kit as ik\niset = ik.load(ik.default_data())\niset"
            ),
            nbformat.v4.new_code_cell('ik.report.show(iset, "INC-2026-0001")'),
        ]
    )
    nbformat.write(nb, tmp_path / "show.ipynb")
    nb = run_notebook(tmp_path / "show.ipynb", tmp_path)
    first, shown = nb.cells[0].outputs, nb.cells[1].outputs
    assert "<b>IncidentSet</b>: 14 incidents" in first[0]["data"]["text/html"]
    assert not [o for o in shown if o["output_type"] == "error"]
    html_parts = [o["data"].get("text/html", "") for o in shown]
    assert html_parts[0].startswith('<h1 class="ik-title">INC-2026-0001 · Checkout API')
    assert "<h2>Root Cause Analysis</h2>" in html_parts
    assert any("application/vnd.plotly.v1+json" in o["data"] for o in shown)
    assert len(shown) == sum(2 if h else 1 for h, _ in ik.report.POSTMORTEM_SECTIONS)


def test_explore_verb_names_missing_data(tmp_path, capsys):
    assert cli.main(["explore", str(tmp_path / "nope")]) == 1
    assert (
        capsys.readouterr().err.strip()
        == f"incident-kit: {tmp_path / 'nope'}: no such file or folder"
    )
