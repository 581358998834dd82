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
    else:
        assert "application/vnd.jupyter.widget-view+json" in text


@pytest.mark.kernel
def test_notebook_reads_the_data_setting(monkeypatch, tmp_path):
    (tmp_path / "one.md").write_text((DATA / "INC-2026-0007.md").read_text())
    monkeypatch.setenv(ik.DATA_ENV, str(tmp_path))
    nb = run_notebook(ROOT / "notebooks" / "postmortem.ipynb", ROOT / "notebooks")
    assert "INC-2026-0007 · " in json.dumps(outputs(nb), ensure_ascii=False)
