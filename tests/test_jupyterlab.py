"""The notebooks as people use them: opened in a real JupyterLab, run from the menu, clicked in
Debian's Chromium; and the explorer page `incident-kit explore` serves with Voilà."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading

import pytest

from .conftest import DATA, ROOT
from .jupyter import ERROR_OUTPUTS, browser, chromium_or_skip, jupyterlab, run_all, wait_until_idle

pytestmark = [pytest.mark.kernel, pytest.mark.browser]
chromium_or_skip()

NOTEBOOKS = ROOT / "notebooks"


@pytest.fixture(scope="module")
def untouched_notebooks():
    """Running the shipped notebooks in JupyterLab must not write to them."""
    before = {p.name: p.read_bytes() for p in NOTEBOOKS.glob("*.ipynb")}
    yield
    assert {p.name: p.read_bytes() for p in NOTEBOOKS.glob("*.ipynb")} == before


@pytest.fixture(scope="module")
def lab(tmp_path_factory, untouched_notebooks):
    env = {k: v for k, v in os.environ.items() if k != "INCIDENT_KIT_DATA"}
    with jupyterlab(ROOT, tmp_path_factory.mktemp("lab"), env=env) as server:
        yield server


@pytest.fixture(scope="module")
def chromium():
    with browser() as b:
        yield b


@pytest.fixture
def page(chromium):
    context = chromium.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(120_000)  # a shared, busy machine: wait on conditions, generously
    yield page
    context.close()


def box_count(page) -> int:
    return page.locator(".ik-explorer .js-plotly-plot").first.locator("g.trace.boxes").count()


def drive_explorer(page) -> None:
    """The checks the notebook and the Voilà page share: count line, a severity click, a point
    click that drills down."""
    explorer = page.locator(".ik-explorer")
    explorer.get_by_text("14 of 14 incidents").wait_for()
    chart = explorer.locator(".js-plotly-plot").first
    chart.locator("g.trace.boxes path.point").first.wait_for()
    assert box_count(page) == 4  # P1..P4
    # click P1 off: 3 P1 incidents leave the count, their box leaves the chart
    explorer.locator(".ik-toggles button", has_text="P1").click()
    explorer.get_by_text("11 of 14 incidents").wait_for()
    page.wait_for_function(
        """() => document.querySelector('.ik-explorer .js-plotly-plot')
                 .querySelectorAll('g.trace.boxes').length === 3"""
    )
    assert "severity P2, P3, P4" in explorer.locator(".ik-filters").inner_text()
    # click a point of another incident than the one shown: the drill-down follows
    shown = explorer.locator("h3").first.inner_text()
    points = chart.locator("g.trace.boxes path.point")
    chart.scroll_into_view_if_needed()
    for i in range(points.count()):
        points.nth(i).scroll_into_view_if_needed()
        box = points.nth(i).bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        page.mouse.move(x, y)
        label = chart.locator("g.hovertext").first
        label.wait_for()
        target = re.match(r"(INC-\d{4}-\d{4})", label.text_content()).group(1)
        if target not in shown:
            page.mouse.click(x, y)
            break
    else:
        raise AssertionError("no point of another incident to click")
    explorer.locator("h3", has_text=target).wait_for()
    timeline = explorer.locator(".js-plotly-plot").nth(2)
    page.wait_for_function(
        "t => [...document.querySelectorAll('.ik-explorer .js-plotly-plot')][2]"
        ".querySelector('.gtitle')?.textContent.includes(t)",
        arg=target,
    )
    assert timeline.locator("g.barlayer g.trace").count() >= 2


def test_explore_notebook_in_jupyterlab(lab, page):
    run_all(page, "notebooks/explore.ipynb", lab)
    wait_until_idle(page)
    assert page.locator(ERROR_OUTPUTS).count() == 0
    drive_explorer(page)
    assert page.locator(ERROR_OUTPUTS).count() == 0  # none appeared while it was used
    assert "14 incidents, 98 events" in page.locator(".ik-iset").inner_text()


def test_postmortem_notebook_in_jupyterlab(lab, page):
    run_all(page, "notebooks/postmortem.ipynb", lab)
    wait_until_idle(page)
    assert page.locator(ERROR_OUTPUTS).count() == 0
    title = page.locator(".jp-OutputArea-output h1.ik-title")
    assert title.inner_text().startswith("INC-2026-0001 · Checkout API returned 502s")
    chart = page.locator(".js-plotly-plot").first
    chart.locator("g.barlayer g.trace").first.wait_for()
    assert chart.locator("g.barlayer g.trace").count() >= 4  # the spans as bars
    assert chart.locator("g.scatterlayer g.trace").count() >= 5  # milestones as markers
    assert "INC-2026-0001" in chart.locator(".gtitle").text_content()


@pytest.fixture(scope="module")
def explore_page(untouched_notebooks):
    """`incident-kit explore data` as a user runs it; stopped with SIGTERM like a terminal."""
    from incident_kit.serve import free_port

    process = subprocess.Popen(
        [sys.executable, "-m", "incident_kit", "explore", str(DATA), "--port", str(free_port())],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=ROOT.parent,
    )
    lines: list[str] = []
    url = threading.Event()

    def read() -> None:
        for line in process.stdout:
            lines.append(line)
            if line.startswith("Explorer for"):
                url.set()

    threading.Thread(target=read, daemon=True).start()
    try:
        assert url.wait(180), "".join(lines)
        yield re.search(r"(http://127\.0\.0\.1:\d+/\?token=\S+)", "".join(lines)).group(1)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            code = process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            raise
    assert code == 0, "".join(lines)


def test_explore_page_with_voila(explore_page, page):
    import urllib.error
    import urllib.request

    page.goto(explore_page)
    drive_explorer(page)
    assert "ik.widgets.Explorer" not in page.locator("body").inner_text()  # outputs, no code
    assert page.locator(ERROR_OUTPUTS).count() == 0

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    with pytest.raises(urllib.error.HTTPError) as denied:  # a wrong token: the login page
        urllib.request.build_opener(NoRedirect).open(
            explore_page.split("?")[0] + "?token=wrong", timeout=30
        )
    assert denied.value.code == 302 and denied.value.headers["Location"].startswith("/login")
