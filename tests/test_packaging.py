"""The wheel carries what the batch needs outside the repo: notebooks, template, nbconvert template."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

import incident_kit as ik

from .conftest import DATA, ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    return next(out.glob("incident_kit-*.whl"))


@pytest.fixture(scope="module")
def site(wheel, tmp_path_factory) -> Path:
    """The wheel unpacked as an installer would (the repo's checkout is not on the path)."""
    target = tmp_path_factory.mktemp("site")
    zipfile.ZipFile(wheel).extractall(target)
    return target


def in_site(site: Path, code: str, cwd: Path) -> str:
    env = {k: v for k, v in os.environ.items() if k != ik.DATA_ENV}
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**env, "PYTHONPATH": str(site)},
    )
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_wheel_ships_notebooks_templates_and_sample_data(wheel, site, tmp_path):
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
        "incident_kit/notebooks/postmortem.ipynb",
        "incident_kit/notebooks/portfolio.ipynb",
        "incident_kit/notebooks/explore.ipynb",
        "incident_kit/notebooks/review.ipynb",
        "incident_kit/template.md",
        "incident_kit/report/templates/incident_kit/index.html.j2",
        "incident_kit/report/templates/incident_kit/conf.json",
        "incident_kit/sample_data/INC-2026-0001.md",
        "incident_kit/sample_data/.incidentkitignore",
        "incident_kit/sample_data/tables/incidents.csv",
        "incident_kit/static/livechart.js",  # the explorer's charts
    ):
        assert needed in names, needed
    # installed from the wheel, notebooks and the sample are found inside the package
    out = in_site(
        site,
        "import incident_kit as ik, incident_kit.report.params as p\n"
        "print(p.notebook_path('postmortem.ipynb')); print(ik.default_data())\n"
        "print(len(ik.load(ik.default_data())))",
        tmp_path,
    )
    pkg = site / "incident_kit"
    assert out.split() == [
        str(pkg / "notebooks" / "postmortem.ipynb"),
        str(pkg / "sample_data"),
        "14",
    ]


RUN_SHIPPED = """
import json, os, tempfile, nbformat, incident_kit
from jupyter_client import KernelManager
from nbclient import NotebookClient
result = {}
for name in ("explore.ipynb", "postmortem.ipynb", "portfolio.ipynb"):
    nb = nbformat.read(name, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("import incident_kit as ik; print(ik.__file__)"))
    # IPC sockets: no TCP port chosen here for the kernel to bind later (another process on a
    # busy machine can take it first: "Address already in use")
    km = KernelManager(kernel_name="python3", transport="ipc",
                       ip=os.path.join(tempfile.mkdtemp(), "kernel"))
    NotebookClient(nb, km=km, timeout=120, resources={"metadata": {"path": "."}}).execute()
    result[name] = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
print(json.dumps(result))
"""


@pytest.mark.kernel
def test_wheel_notebooks_run_where_they_are(site):
    """Opened from the installed copy (kernel in site-packages/incident_kit/notebooks)."""
    result = json.loads(in_site(site, RUN_SHIPPED, site / "incident_kit" / "notebooks"))
    for name, outs in result.items():
        assert not [o for o in outs if o["output_type"] == "error"], (name, outs)
        assert outs[-1]["text"].strip() == str(site / "incident_kit" / "__init__.py")
    text = json.dumps(result["postmortem.ipynb"], ensure_ascii=False)
    assert "INC-2026-0001 · Checkout API returned 502s" in text
    assert "Incident portfolio · 14 incidents" in json.dumps(
        result["portfolio.ipynb"], ensure_ascii=False
    )


@pytest.mark.kernel
def test_any_executor_runs_the_batch(tmp_path):
    with ProcessPoolExecutor(max_workers=1) as pool:
        result = ik.report.run(
            DATA, tmp_path, only=["INC-2026-0007"], executor=pool, progress=False
        )
    assert result.ok and (tmp_path / "INC-2026-0007.html").is_file()
    assert ">Impact Assessment<" in (tmp_path / "INC-2026-0007.html").read_text()
