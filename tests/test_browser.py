"""Reports opened from disk in a real Chromium (Debian's), with the network blocked."""

from __future__ import annotations

import os
import shutil

import pytest

import incident_kit as ik

from .conftest import DATA

pytestmark = [pytest.mark.kernel, pytest.mark.browser]
AS_OF = "2026-11-26T12:00:00Z"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

if not os.path.exists(CHROMIUM):
    if os.environ.get("CI"):
        raise RuntimeError("CI=true but Debian's chromium is missing: .ci/run installs it")
    pytest.skip(
        "Debian's chromium is not installed (apt-get install chromium)", allow_module_level=True
    )


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    out = tmp_path_factory.mktemp("browser")
    result = ik.report.run(DATA, out, jobs=2, as_of=AS_OF, progress=False)
    assert result.ok
    ik.report.run(DATA, out / "one", only=["INC-2026-0004"], self_contained=True, progress=False)
    return out


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield b
        b.close()


def open_offline(browser, path):
    context = browser.new_context()
    requests: list[str] = []

    def block(route):
        requests.append(route.request.url)
        route.abort()

    context.route("http://*/**", block)
    context.route("https://*/**", block)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.as_uri())
    return context, page, errors, requests


@pytest.mark.parametrize(
    "name", ["INC-2026-0001.html", "INC-2026-0012.html", "one/INC-2026-0004.html"]
)
def test_timeline_chart_is_drawn_offline(browser, reports, name):
    context, page, errors, requests = open_offline(browser, reports / name)
    page.wait_for_selector("svg.main-svg", timeout=20_000)
    first = page.locator(".js-plotly-plot").first
    bars = first.locator("g.barlayer g.trace").count()
    markers = first.locator("g.scatterlayer g.trace").count()
    assert bars >= 4 and markers >= 5
    title = first.locator(".gtitle").text_content()
    assert name.split("/")[-1].removesuffix(".html") in title
    assert errors == [] and requests == []
    context.close()


def test_index_sorts_and_links(browser, reports, sample):
    context, page, errors, _ = open_offline(browser, reports / "index.html")
    ids = page.locator("tbody tr td:first-child a").all_inner_texts()
    detected = ik.milestones(sample)["detected"]
    assert ids == list(detected.sort_values(ascending=False).index)  # newest first by default
    assert ids[:2] == ["INC-2026-0012", "INC-2026-0013"]
    active = page.locator("tbody tr.active td:first-child a").all_inner_texts()
    assert active == ["INC-2026-0012", "INC-2026-0013"]  # the Active ones, marked
    assert page.locator("tbody tr.active .active-badge").first.inner_text() == "● Active"
    page.locator("th", has_text="Time to resolve").click()
    page.locator("th", has_text="Time to resolve").click()  # descending: the longest first
    d = ik.durations(sample, as_of=AS_OF)["time_to_resolve"]
    assert page.locator("tbody tr td:first-child a").first.inner_text() == d.idxmax()
    page.locator("tbody a", has_text="INC-2026-0001").click()
    page.wait_for_selector("svg.main-svg", timeout=20_000)
    assert errors == []
    context.close()


PHONE = {"width": 420, "height": 860}
#: Elements that reach past the right edge of the window and are not inside a box that
#: scrolls them (plotly clips its own drawing): what would make the page scroll sideways.
_OVERFLOW = """() => [...document.querySelectorAll('body *')]
  .filter(e => !e.closest('svg') && e.getBoundingClientRect().right > window.innerWidth + 0.5)
  .filter(e => { for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
      const o = getComputedStyle(a).overflowX; if (o === 'auto' || o === 'scroll') return false; }
      return true; })
  .map(e => e.tagName.toLowerCase() + '.' + e.className)"""


#: Chart titles that reach past the window's edges or run into their plot area (plotly
#: never wraps a title: a long one is cut at the edge of a phone).
_TITLES_CUT = """() => [...document.querySelectorAll('.js-plotly-plot')].flatMap(p => {
  const t = p.querySelector('.g-gtitle text'); if (!t) return [];
  const box = t.getBoundingClientRect(), frame = p.getBoundingClientRect();
  const plots = [...p.querySelectorAll('.nsewdrag')].map(d => d.getBoundingClientRect().top);
  const ok = box.left >= 0 && box.right <= window.innerWidth + 0.5 && box.top >= frame.top - 0.5
    && (plots.length === 0 || box.bottom <= Math.min(...plots) + 0.5);
  return ok ? [] : [t.textContent];
})"""


@pytest.mark.parametrize(
    "name", ["index.html", "INC-2026-0001.html", "INC-2026-0012.html", "portfolio.html"]
)
def test_pages_fit_a_420px_phone_without_sideways_scrolling(browser, reports, name):
    context = browser.new_context(viewport=PHONE, device_scale_factor=1)
    page = context.new_page()
    page.goto((reports / name).as_uri())
    if name != "index.html":
        page.wait_for_selector("svg.main-svg", timeout=20_000)
    page.wait_for_timeout(300)  # plotly's responsive resize
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], name
    assert page.evaluate(_OVERFLOW) == [], name
    assert page.evaluate(_TITLES_CUT) == [], name
    # wide tables are still all there: they scroll inside their own box
    boxes = page.evaluate(
        """() => [...document.querySelectorAll('table')].filter(t => {
             for (let a = t; a; a = a.parentElement) {
               if (a.scrollWidth > a.clientWidth + 1 && getComputedStyle(a).overflowX === 'auto')
                 return true; }
             return false; }).length"""
    )
    assert boxes >= 1, name  # each page has at least one table wider than a phone
    context.close()


@pytest.mark.parametrize("name", ["INC-2026-0012.html", "portfolio.html"])
def test_reports_link_back_to_the_index(browser, reports, name):
    context, page, errors, _ = open_offline(browser, reports / name)
    page.locator("nav.ik-nav a", has_text="All incidents").click()
    page.wait_for_selector("table.sortable")
    assert page.url.endswith("/index.html") and errors == []
    context.close()
