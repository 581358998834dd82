"""The batch on a real ``dask.distributed.LocalCluster``: worker processes that share no
folder with the driver (their own working, local and temporary directories) and get
everything from the jobs they run."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

import nbformat
import pytest

import incident_kit as ik
from incident_kit import synth
from incident_kit.report import params

from .conftest import DATA
from .test_report import text_of

pytestmark = [pytest.mark.kernel, pytest.mark.dask]
AS_OF = "2026-11-26T12:00:00Z"


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """Two worker processes, one thread each; a lost worker's task fails at once (so the
    batch's own retry is what brings its job back)."""
    import dask
    from dask.distributed import Client, LocalCluster

    root = tmp_path_factory.mktemp("dask")
    homes = {}
    for name in ("local", "cwd", "tmp"):
        homes[name] = root / "workers" / name
        homes[name].mkdir(parents=True)
    with dask.config.set({"distributed.scheduler.allowed-failures": 0}):
        cluster = LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            local_directory=str(homes["local"]),
            env={"TMPDIR": str(homes["tmp"])},
        )
    client = Client(cluster)
    client.run(os.chdir, str(homes["cwd"]))
    yield client, homes
    client.close()
    cluster.close()


@pytest.fixture
def driver(tmp_path, monkeypatch):
    """The driver works in its own folder, with the data under a relative path."""
    home = tmp_path / "driver"
    shutil.copytree(DATA, home / "data", ignore=shutil.ignore_patterns("tables", "examples"))
    monkeypatch.chdir(home)
    return home


def test_workers_share_no_folder_with_the_driver(cluster, driver):
    client, homes = cluster
    cwds = set(client.run(os.getcwd).values())
    temps = set(client.run(tempfile.gettempdir).values())
    assert cwds == {str(homes["cwd"])} and temps == {str(homes["tmp"])}
    assert os.getcwd() not in cwds and tempfile.gettempdir() not in temps
    assert not (homes["cwd"] / "data").exists()


def test_three_runs_in_a_row_on_the_sample_data(cluster, driver, sample):
    client, homes = cluster
    pages = []
    for n in range(3):
        out = Path(f"reports-{n}")  # relative: the workers' cwd has no such folder
        result = ik.report.run(
            "data", out, executor=client.get_executor(), as_of=AS_OF, progress=False
        )
        assert result.ok and result.failed == [], result.summary()
        assert len(result.results) == len(sample) and result.portfolio.ok
        for iid in sample.ids:
            assert ">Incident Summary<" in (driver / out / f"{iid}.html").read_text(), iid
        pages.append(text_of((driver / out / "INC-2026-0001.html").read_text()))
    for figure in ("1h 22m", "48,200 (38%)", "2,217,200 user-minutes", "⚠ overdue"):
        assert figure in pages[0], figure
    same = [re.sub(r"Generated [^·]*·", "", p) for p in pages]
    assert same[0] == same[1] == same[2]
    # the workers wrote nothing that outlived a job: no pages, payloads or kernels left
    left = [p for p in homes["cwd"].rglob("*")] + [p for p in homes["tmp"].rglob("*.html")]
    assert left == []


def test_pages_from_the_cluster_equal_pages_rendered_locally(cluster, driver):
    client, _ = cluster
    ids = ["INC-2026-0004", "INC-2026-0012"]
    remote = ik.report.run(
        "data", "remote", executor=client.get_executor(), only=ids, as_of=AS_OF, progress=False
    )
    local = ik.report.run("data", "local", jobs=2, only=ids, as_of=AS_OF, progress=False)
    assert remote.ok and local.ok
    for iid in ids:
        pages = [
            re.sub(
                r"Generated [^·]*·|cell-id=[0-9a-f]+", "", (driver / d / f"{iid}.html").read_text()
            )
            for d in ("remote", "local")
        ]
        assert pages[0] == pages[1], iid
    nb = nbformat.read(driver / "remote" / "INC-2026-0012.ipynb", as_version=4)
    injected = next(
        c.source for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])
    )
    source = Path(re.search(r'source = "(.*)"', injected).group(1))
    assert source.is_relative_to(cluster[1]["tmp"])  # the payload lived on the worker


def test_a_hundred_synthetic_incidents(cluster, tmp_path):
    client, _ = cluster
    iset = synth.generate(100, seed=5, events_per_incident=10)
    result = ik.report.run(
        iset, tmp_path / "syn", executor=client.get_executor(), as_of=AS_OF, progress=False
    )
    assert result.ok and result.failed == [], result.summary()
    assert len(result.results) == 100 and result.portfolio.ok
    htmls = sorted(p.stem for p in (tmp_path / "syn").glob("SYN-*.html"))
    assert htmls == sorted(iset.ids)
    index = (tmp_path / "syn" / "index.html").read_text()
    assert all(f'href="{iid}.html"' in index for iid in iset.ids)


def test_a_job_lost_with_its_worker_runs_again_on_another(cluster, driver, tmp_path):
    client, _ = cluster
    marker = tmp_path / "killed-once"
    template = killer(tmp_path, f"not pathlib.Path({str(marker)!r}).exists()", marker)
    before = set(client.scheduler_info()["workers"])
    result = ik.report.run(
        "data",
        "lost",
        executor=client.get_executor(),
        only=["INC-2026-0002", "INC-2026-0003", "INC-2026-0004"],
        template=template,
        as_of=AS_OF,
        progress=False,
    )
    assert marker.exists(), "the worker was never killed"
    assert result.ok, result.summary()
    assert ">Incident Summary<" in (driver / "lost" / "INC-2026-0003.html").read_text()
    client.wait_for_workers(2, timeout=300)  # a nanny restarts it; slow on 2 busy cores
    assert set(client.scheduler_info()["workers"]) != before  # the nanny replaced one


def test_a_job_lost_twice_is_a_failed_page_and_the_others_are_rendered(cluster, driver, tmp_path):
    client, _ = cluster
    marker = tmp_path / "killed"
    template = killer(tmp_path, "True", marker)  # the worker dies on every attempt
    result = ik.report.run(
        "data",
        "lost-twice",
        executor=client.get_executor(),
        only=["INC-2026-0002", "INC-2026-0003", "INC-2026-0004"],
        template=template,
        as_of=AS_OF,
        progress=False,
    )
    assert len(marker.read_text().split()) == 2  # killed on the first try and on the retry
    (failed,) = result.failed
    assert failed.key == "INC-2026-0003" and not result.ok
    assert failed.error.startswith("the job was lost with its worker")
    for iid in ("INC-2026-0002", "INC-2026-0004"):
        assert ">Incident Summary<" in (driver / "lost-twice" / f"{iid}.html").read_text()
    assert (
        "This report failed to render" in (driver / "lost-twice" / "INC-2026-0003.html").read_text()
    )
    client.wait_for_workers(2, timeout=300)  # a nanny restarts it; slow on 2 busy cores


def killer(tmp_path: Path, when: str, marker: Path) -> Path:
    """The shipped notebook with a cell that kills the Dask worker running INC-2026-0003
    (when ``when`` holds), noting each kill's kernel PID in ``marker``."""
    nb = nbformat.read(params.notebook_path("postmortem.ipynb"), as_version=4)
    nb.cells.insert(
        3,
        nbformat.v4.new_code_cell(
            "import os, signal, pathlib, time\n"
            f"marker = pathlib.Path({str(marker)!r})\n"
            f'if incident_id == "INC-2026-0003" and {when}:\n'
            "    with marker.open('a') as f: f.write(f'{os.getpid()}\\n')\n"
            "    stat = open(f'/proc/{os.getppid()}/stat').read()  # the zygote's: its parent\n"
            "    os.kill(int(stat.rsplit(')', 1)[1].split()[1]), signal.SIGKILL)  # = the worker\n"
            "    time.sleep(60)"
        ),
    )
    template = tmp_path / f"killer-{marker.name}.ipynb"
    nbformat.write(nb, template)
    return template
