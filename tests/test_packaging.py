"""The wheel carries what the batch needs outside the repo: notebooks, template, nbconvert template."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

import incident_kit as ik

from .conftest import DATA, ROOT


def test_wheel_ships_notebooks_and_templates(tmp_path):
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
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    wheel = next(tmp_path.glob("incident_kit-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
        "incident_kit/notebooks/postmortem.ipynb",
        "incident_kit/notebooks/portfolio.ipynb",
        "incident_kit/notebooks/explore.ipynb",
        "incident_kit/template.md",
        "incident_kit/report/templates/incident_kit/index.html.j2",
        "incident_kit/report/templates/incident_kit/conf.json",
    ):
        assert needed in names, needed
    # installed from the wheel, the notebooks are found inside the package
    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import incident_kit.report.params as p; print(p.notebook_path('postmortem.ipynb'))",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"},
    )
    assert Path(out.stdout.strip()) == target / "incident_kit" / "notebooks" / "postmortem.ipynb"


@pytest.mark.kernel
def test_any_executor_runs_the_batch(tmp_path):
    with ProcessPoolExecutor(max_workers=1) as pool:
        result = ik.report.run(
            DATA, tmp_path, only=["INC-2026-0007"], executor=pool, progress=False
        )
    assert result.ok and (tmp_path / "INC-2026-0007.html").is_file()
    assert ">Impact Assessment<" in (tmp_path / "INC-2026-0007.html").read_text()
