"""The report batch with real kernels, real papermill and real nbconvert (no mocks)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pandas as pd
import papermill
import pytest

import incident_kit as ik
from incident_kit.cli import main
from incident_kit.report import params

from .conftest import DATA, report_md

pytestmark = pytest.mark.kernel
AS_OF = "2026-11-26T12:00:00Z"
SECTIONS = [
    "Incident Summary",
    "Timeline",
    "Impact Assessment",
    "Root Cause Analysis",
    "Actions Taken",
    "Lessons Learned",
    "Action Items",
    "Prevention Measures",
    "Communication",
    "Team Members Involved",
    "References",
    "How these figures are computed",
]


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    result = ik.report.run(DATA, out, jobs=2, as_of=AS_OF, progress=False)
    return out, result


def text_of(page: str) -> str:
    body = page.split("<main>", 1)[-1]
    body = re.sub(r"<script.*?</script>", " ", body, flags=re.S)
    return re.sub(r"<[^>]+>", " ", body)


def test_every_report_index_and_portfolio_written(batch, sample):
    out, result = batch
    assert result.ok and len(result.results) == len(sample)
    for iid in sample.ids:
        assert (out / f"{iid}.html").is_file() and (out / f"{iid}.ipynb").is_file()
    assert (out / "portfolio.html").is_file() and (out / "assets" / "plotly.min.js").is_file()
    index = (out / "index.html").read_text()
    for iid in sample.ids:
        assert f'href="{iid}.html"' in index
    assert 'href="portfolio.html"' in index


def test_report_sections_in_template_order_and_key_figures(batch):
    out, _ = batch
    page = (out / "INC-2026-0001.html").read_text()
    positions = [page.find(f">{s}<") for s in SECTIONS]
    assert all(p > 0 for p in positions), dict(zip(SECTIONS, positions, strict=True))
    assert positions == sorted(positions)
    text = text_of(page)
    for figure in (
        "1h 22m",
        "48,200 (38%)",
        "2,217,200 user-minutes",
        "Marco Bianchi",
        "Datadog monitor checkout-5xx",
        "Status page set to Major outage",
        "Validate capacity fields in config CI",
        "⚠ overdue",
    ):
        assert figure in text, figure


def test_reports_have_no_code_nan_or_placeholders(batch, sample):
    out, _ = batch
    for iid in sample.ids:
        text = text_of((out / f"{iid}.html").read_text())
        assert not re.search(r"\bnan\b|\bNaN\b|\bNaT\b|<NA>|&lt;NA&gt;", text), iid
        assert not re.search(r"\[(timestamp|name|date|role|duration|number/percentage)\]", text), (
            iid
        )
        assert "import incident_kit" not in text and "pm.summary()" not in text
        assert "Run it as is in Jupyter" not in text  # the notebook's intro is for Jupyter users


def test_reports_load_no_remote_scripts_or_styles(batch):
    out, _ = batch
    for page in out.glob("*.html"):
        html = page.read_text()
        assert not re.search(r'<(script|link)[^>]+(src|href)="https?://', html), page
        assert "require.js" not in html and "mathjax" not in html.lower()
    head = (out / "INC-2026-0001.html").read_text().split("</head>")[0]
    assert re.search(r'<script[^>]+src="assets/plotly.min.js"', head)


def test_timeline_chart_output_present(batch):
    out, _ = batch
    nb = nbformat.read(out / "INC-2026-0012.ipynb", as_version=4)
    mimes = {
        m for c in nb.cells if c.cell_type == "code" for o in c.outputs for m in o.get("data", {})
    }
    assert "application/vnd.plotly.v1+json" in mimes
    assert "Plotly.newPlot" in (out / "INC-2026-0012.html").read_text()


def test_second_run_skips_everything(batch, sample):
    out, _ = batch
    again = ik.report.run(DATA, out, jobs=2, as_of=AS_OF, progress=False)
    assert again.ok and all(r.skipped for r in again.results) and again.portfolio is None
    assert f"0 report(s) rendered, {len(sample)} unchanged and skipped" in again.summary()


def small_source(tmp_path: Path, ids: list[str], title: str = "Outage") -> Path:
    src = tmp_path / "src"
    src.mkdir()
    for n, iid in enumerate(ids):
        text = report_md(
            iid,
            title=title,
            timeline=f"""
            - **Detected**: 2026-03-0{n + 1} 14:05 UTC by Bob
            - **Resolved**: 2026-03-0{n + 1} 15:00 UTC
        """,
        )
        (src / f"f{n}.md").write_text(text, encoding="utf-8")
    return src


def failing_template(tmp_path: Path, body: str) -> Path:
    nb = nbformat.read(params.notebook_path("postmortem.ipynb"), as_version=4)
    nb.cells.insert(3, nbformat.v4.new_code_cell(body))
    path = tmp_path / "custom.ipynb"
    nbformat.write(nb, path)
    return path


def test_one_failure_leaves_the_others_and_exits_1(tmp_path, capsys):
    src = small_source(tmp_path, ["OK-1", "BAD-2", "OK-3"])
    tpl = failing_template(
        tmp_path, 'if incident_id == "BAD-2":\n    raise RuntimeError("boom for BAD-2")'
    )
    out = tmp_path / "out"
    code = main(["report", str(src), "-o", str(out), "-j", "2", "--template", str(tpl), "-q"])
    assert code == 1
    printed = capsys.readouterr().out
    assert "FAILED BAD-2: RuntimeError: boom for BAD-2 (in code cell 4: if incident_id" in printed
    for ok in ("OK-1", "OK-3"):
        assert ">Incident Summary<" in (out / f"{ok}.html").read_text()
    failed = (out / "BAD-2.html").read_text()
    assert "This report failed to render" in failed and "boom for BAD-2" in failed
    assert (out / "BAD-2.ipynb").is_file()
    index = (out / "index.html").read_text()
    assert re.search(r'<tr class="failed">.*?BAD-2', index, flags=re.S)
    # the failed one is retried next time, the good ones are skipped
    again = ik.report.run(src, out, template=tpl, progress=False)
    assert [r.key for r in again.results if r.skipped] == ["OK-1", "OK-3"]


def test_ids_with_path_characters_stay_inside(tmp_path):
    src = small_source(tmp_path, ["../../escape", "a/b"])
    out = tmp_path / "out"
    result = ik.report.run(src, out, jobs=1, progress=False)
    assert result.ok
    written = {p.resolve() for p in tmp_path.rglob("*.html")}
    assert all(out.resolve() in p.parents for p in written)
    assert not (tmp_path.parent / "escape.html").exists()
    index = (out / "index.html").read_text()
    for r in result.results:
        assert (out / f"{r.name}.html").is_file() and f'href="{r.name}.html"' in index


def test_script_title_is_shown_as_text(tmp_path):
    src = small_source(tmp_path, ["XSS-1"], title="<script>alert('x')</script>")
    out = tmp_path / "out"
    assert ik.report.run(src, out, only=["XSS-1"], progress=False).ok
    for page in ("XSS-1.html", "index.html"):
        html = (out / page).read_text()
        assert "<script>alert(" not in html and "&lt;script&gt;alert(" in html


def test_self_contained_embeds_plotly(tmp_path):
    src = small_source(tmp_path, ["S-1"])
    out = tmp_path / "out"
    assert ik.report.run(src, out, self_contained=True, only=["S-1"], progress=False).ok
    html = (out / "S-1.html").read_text()
    assert "assets/plotly.min.js" not in html and len(html) > 3_000_000
    assert not (out / "assets").exists()


def test_hung_kernel_is_stopped_by_the_wall_clock_limit(tmp_path):
    src = small_source(tmp_path, ["SLOW-1"])
    tpl = failing_template(tmp_path, "import time\ntime.sleep(60)")
    result = ik.report.run(
        src, tmp_path / "out", template=tpl, timeout=8, only=["SLOW-1"], progress=False
    )
    r = result.results[0]
    assert not r.ok and "wall-clock" in r.error and r.seconds < 40
    assert "This report failed to render" in (tmp_path / "out" / "SLOW-1.html").read_text()


def test_cell_timeout(tmp_path):
    src = small_source(tmp_path, ["SLOW-2"])
    tpl = failing_template(tmp_path, "import time\ntime.sleep(60)")
    result = ik.report.run(
        src, tmp_path / "out", template=tpl, cell_timeout=3, only=["SLOW-2"], progress=False
    )
    assert not result.results[0].ok


def test_notebook_parameters_are_the_contract():
    for name, expected in (
        ("postmortem.ipynb", params.POSTMORTEM_PARAMETERS),
        ("portfolio.ipynb", params.PORTFOLIO_PARAMETERS),
    ):
        declared = papermill.inspect_notebook(str(params.notebook_path(name)))
        assert tuple(declared) == expected


def test_bad_template_is_a_clear_error(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")])
    nbformat.write(nb, tmp_path / "t.ipynb")
    with pytest.raises(ik.ReportError, match="lacks source, incident_id"):
        ik.report.run(DATA, tmp_path / "o", template=tmp_path / "t.ipynb")


def test_notebooks_are_thin():
    for path in sorted(Path(params.notebook_path("postmortem.ipynb")).parent.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type != "code" or "parameters" in cell.metadata.get("tags", []):
                continue
            lines = [ln for ln in cell.source.splitlines() if ln.strip()]
            assert len(lines) <= 3 and not any(
                ln.lstrip().startswith(("def ", "class ", "for ")) for ln in lines
            ), (path, cell.source)


def test_bad_input_is_listed_and_the_rest_is_rendered(tmp_path, capsys):
    src = small_source(tmp_path, ["GOOD-1"])
    (src / "bad.md").write_text(
        report_md("BAD-9", timeline="- **Detected**: yesterday by Bob"), encoding="utf-8"
    )
    out = tmp_path / "out"
    assert main(["report", str(src), "-o", str(out), "-q"]) == 1
    printed = capsys.readouterr().out
    assert "bad.md:11: Detected 'yesterday' is not a timestamp" in printed
    assert (out / "GOOD-1.html").is_file() and not (out / "BAD-9.html").exists()
    index = (out / "index.html").read_text()
    # one error for the unreadable line; the status check adds no follow-on error (issue 10)
    assert "Input problems (1)" in index and "GOOD-1.html" in index


# -- one clock per run, --only, sources, payloads, kernel start (issues 11 and 13) -----------
def clock_source(tmp_path: Path) -> Path:
    """An open incident (detected 09:00 UTC, still Active) and a resolved one."""
    src = tmp_path / "clock"
    src.mkdir()
    (src / "open.md").write_text(
        report_md(
            "OPEN-1",
            status="Active",
            timeline="- **Detected**: 2026-03-05 09:00 UTC by Bob",
            impact="- **Users Affected**: 100",
        ),
        encoding="utf-8",
    )
    (src / "done.md").write_text(
        report_md(
            "DONE-2",
            timeline="""
            - **Detected**: 2026-03-04 14:05 UTC by Bob
            - **Resolved**: 2026-03-04 15:00 UTC
            """,
        ),
        encoding="utf-8",
    )
    return src


def as_of_shown(page: str) -> list[str]:
    return re.findall(r"as of (\d{4}-\d\d-\d\d \d\d:\d\d UTC)", text_of(page))


def test_a_moved_clock_rerenders_open_incidents_and_the_portfolio(tmp_path):
    src, out = clock_source(tmp_path), tmp_path / "out"
    first = ik.report.run(src, out, as_of="2026-03-05T10:00Z", progress=False)
    assert first.ok and "1h 00m" in text_of((out / "OPEN-1.html").read_text())
    later = ik.report.run(src, out, as_of="2026-03-05T12:00Z", progress=False)
    assert [r.key for r in later.results if not r.skipped] == ["OPEN-1"]
    assert [r.key for r in later.results if r.skipped] == ["DONE-2"]
    assert later.portfolio is not None and later.portfolio.ok
    page, index = (out / "OPEN-1.html").read_text(), (out / "index.html").read_text()
    portfolio = (out / "portfolio.html").read_text()
    assert as_of_shown(page) == as_of_shown(index) == ["2026-03-05 12:00 UTC"]
    assert "2026-03-05 12:00 UTC" in as_of_shown(portfolio)
    assert "Time to resolve 3h 00m (ongoing)" in re.sub(r"\s+", " ", text_of(page))
    assert "3h 00m (ongoing)" in index


def test_the_default_clock_is_read_once_per_run_and_renders_open_incidents_again(tmp_path):
    src, out = clock_source(tmp_path), tmp_path / "out"
    ik.report.run(src, out, progress=False)
    again = ik.report.run(src, out, progress=False)  # the clock moved: OPEN-1 is stale
    assert [r.key for r in again.results if not r.skipped] == ["OPEN-1"]
    assert again.portfolio is not None
    page, index = (out / "OPEN-1.html").read_text(), (out / "index.html").read_text()
    assert as_of_shown(page) == as_of_shown(index)
    stamp = json.loads((out / "manifest.json").read_text())["jobs"]["OPEN-1"]["as_of"]
    assert pd.Timestamp(stamp) == again.as_of


def test_only_into_a_full_run_keeps_every_incident_in_the_index(tmp_path, capsys):
    src, out = small_source(tmp_path, ["A-1", "B-2", "C-3"]), tmp_path / "out"
    assert main(["report", str(src), "-o", str(out), "-q", "--force"]) == 0
    assert main(["report", str(src), "-o", str(out), "-q", "--only", "B-2", "--force"]) == 0
    assert "1 report(s) rendered" in capsys.readouterr().out
    index = (out / "index.html").read_text()
    for iid in ("A-1", "B-2", "C-3"):
        assert f'href="{iid}.html"' in index
    assert 'href="portfolio.html"' in index and "3 incidents" in index


def test_only_into_an_empty_folder_lists_the_others_without_pages(tmp_path):
    src, out = small_source(tmp_path, ["A-1", "B-2"]), tmp_path / "out"
    result = ik.report.run(src, out, only=["A-1"], progress=False)
    assert result.ok and [r.key for r in result.results] == ["A-1"]
    index = (out / "index.html").read_text()
    assert 'href="A-1.html"' in index and 'href="B-2.html"' not in index
    assert re.search(r"B-2 <span[^>]*>\(not rendered\)", index)
    assert not (out / "B-2.html").exists()


def test_an_incident_set_renders_like_its_files(tmp_path, sample):
    src = clock_source(tmp_path)
    a = ik.report.run(src, tmp_path / "a", as_of="2026-03-05T12:00Z", progress=False)
    b = ik.report.run(ik.load(src), tmp_path / "b", as_of="2026-03-05T12:00Z", progress=False)
    assert a.ok and b.ok
    for name in ("OPEN-1.html", "DONE-2.html", "portfolio.html", "index.html"):
        pages = [
            re.sub(r"Generated [^·]*·|cell-id=[0-9a-f]+", "", (tmp_path / d / name).read_text())
            for d in "ab"
        ]
        assert pages[0] == pages[1], name


def test_a_job_carries_its_records_and_problems_and_leaves_no_inputs(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "w.md").write_text(
        report_md("WARN-1", status="Active", timeline="- **Detected**: 2026-03-05 09:00 by Bob"),
        encoding="utf-8",
    )
    tpl = failing_template(tmp_path, 'print("PROBLEMS", list(pm.iset.problems["message"]))')
    out = tmp_path / "out"
    result = ik.report.run(src, out, template=tpl, progress=False)
    assert result.ok
    nb = nbformat.read(out / "WARN-1.ipynb", as_version=4)
    printed = "".join(
        o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs
    )
    assert "PROBLEMS [\"Detected '2026-03-05 09:00' has no time zone; assumed UTC\"]" in printed
    injected = next(
        c.source for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])
    )
    source = re.search(r'source = "(.*)"', injected).group(1)
    assert not Path(source).exists() and out.resolve() not in Path(source).resolve().parents
    assert not (out / ".inputs").exists()
    assert {p.name for p in out.iterdir()} == {
        "WARN-1.html",
        "WARN-1.ipynb",
        "portfolio.html",
        "portfolio.ipynb",
        "review.html",  # the week's review packet
        "review.ipynb",
        "index.html",
        "manifest.json",
        "context.json",  # the related-incidents context, for a re-render on these records
        "assets",
    }


def test_a_kernel_that_dies_before_it_is_ready_is_replaced_once(tmp_path, monkeypatch):
    from incident_kit.report import execute, plan
    from incident_kit.report.kernels import KernelPool

    src = small_source(tmp_path, ["K-1"])
    settings = plan.Settings(
        pd.Timestamp("2026-03-05T12:00Z"),
        params.notebook_path("postmortem.ipynb").read_text(),
        params.notebook_path("portfolio.ipynb").read_text(),
    )
    (job,) = plan.plan(ik.load(src), settings, only=["K-1"]).jobs()
    acquire, doomed = KernelPool.acquire, []

    def acquire_then_die(self):  # a real kernel that dies after the pool handed it out
        kernel = acquire(self)
        if len(doomed) < deaths:
            doomed.append(kernel)
            kernel.connection_info()
            kernel.process.kill()
        return kernel

    monkeypatch.setattr(KernelPool, "acquire", acquire_then_die)
    deaths = 1
    rendered = execute.render(job)
    assert rendered.ok and len(doomed) == 1, rendered.error
    assert ">Incident Summary<" in rendered.html and rendered.timings["cells"] > 0
    deaths, doomed[:] = 2, []
    rendered = execute.render(job)
    assert not rendered.ok and len(doomed) == 2
    assert rendered.error.startswith("the kernel did not start, twice")
    assert "This report failed to render" in rendered.html


def test_a_retitled_incident_rerenders_it_the_pages_listing_it_and_nothing_stale(
    batch, sample, tmp_path, monkeypatch
):
    """Issue 13's no-change path: context digests kept in the manifest, the index left as
    it is; a changed record still re-renders every page that shows it."""
    import shutil

    from incident_kit.report import batch as batch_module
    from incident_kit.report import kernels

    out = tmp_path / "out"
    shutil.copytree(batch[0], out)
    pages = {p.name: p.read_bytes() for p in out.glob("*.html")}
    incidents = sample.incidents.copy()
    incidents.loc["INC-2026-0004", "title"] = "Checkout down after a config push"
    changed = ik.IncidentSet(incidents, sample.events, sample.action_items, sample.problems)
    again = ik.report.run(changed, out, jobs=2, as_of=AS_OF, progress=False)
    rendered = {r.key for r in again.results if not r.skipped}
    listing = {"INC-2026-0006", "INC-2026-0007", "INC-2026-0008", "INC-2026-0011"}
    assert again.ok and {"INC-2026-0004", *listing} <= rendered and again.portfolio is not None
    for iid in [*listing, "INC-2026-0004"]:
        assert "Checkout down after a config push" in text_of((out / f"{iid}.html").read_text())
    assert "Checkout down after a config push" in (out / "index.html").read_text()
    for iid in set(sample.ids) - rendered:
        assert (out / f"{iid}.html").read_bytes() == pages[f"{iid}.html"]
    assert len(rendered) < len(sample)

    def must_not_run(*args, **kwargs):
        raise AssertionError("nothing changed: no context, no kernels")

    monkeypatch.setattr(batch_module, "batch_context", must_not_run)
    monkeypatch.setattr(kernels, "shared_pool", must_not_run)
    index = (out / "index.html").stat().st_mtime_ns
    third = ik.report.run(changed, out, jobs=2, as_of=AS_OF, progress=False)
    assert third.ok and all(r.skipped for r in third.results) and third.portfolio is None
    assert (out / "index.html").stat().st_mtime_ns == index  # unchanged, not rewritten
    assert [r.key for r in third.index] == [r.key for r in again.index]


def related_section(page: str) -> str:
    """The text and links of a page's Related Incidents section."""
    section = page.split(">Related Incidents<", 1)[1].split("<h2", 1)[0]
    return " ".join(re.findall(r'href="[^"]*"', section)) + text_of(section)


def test_a_rerun_on_the_same_records_reads_the_context_it_left(batch, tmp_path, monkeypatch):
    """Issue 13's start-up: the related-incidents context is left in the output folder under
    its records' digest, so a re-render on the same records (here forced) reads it instead
    of fitting again, and shows the same; other records never read it."""
    import shutil

    from incident_kit.report import batch as batch_module
    from incident_kit.report import publish

    out = tmp_path / "out"
    shutil.copytree(batch[0], out)
    saved = json.loads((out / publish.CONTEXT).read_text())
    assert saved["key"] == json.loads((out / "manifest.json").read_text())["context"]["key"]
    page = out / "INC-2026-0012.html"
    before = related_section(page.read_text())
    assert 'href="INC-' in before

    def must_not_fit(*args, **kwargs):
        raise AssertionError("the records did not change: the context is read, not fitted")

    monkeypatch.setattr(batch_module, "batch_context", must_not_fit)
    again = ik.report.run(
        DATA, out, jobs=1, as_of=AS_OF, force=True, only=["INC-2026-0012"], progress=False
    )
    assert again.ok and not again.results[0].skipped
    assert related_section(page.read_text()) == before
    assert publish.read_context(out, "another key") is None
