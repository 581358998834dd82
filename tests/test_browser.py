"""Reports opened from disk in a real Chromium (Debian's), with the network blocked."""

from __future__ import annotations

import os
import shutil

import pytest

import incident_kit as ik

from .conftest import DATA

pytestmark = [pytest.mark.kernel, pytest.mark.browser]
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
    result = ik.report.run(
        DATA,
        out,
        only=["INC-2026-0001", "INC-2026-0012"],
        jobs=2,
        as_of="2026-11-26T12:00:00Z",
        progress=False,
    )
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


def test_index_sorts_and_links(browser, reports):
    context, page, errors, _ = open_offline(browser, reports / "index.html")
    ids = page.locator("tbody tr td:first-child a").all_inner_texts()
    assert ids == ["INC-2026-0001", "INC-2026-0012"]
    page.locator("th", has_text="Time to resolve").click()
    page.locator("th", has_text="Time to resolve").click()  # descending: the open one (17h+) first
    assert page.locator("tbody tr td:first-child a").first.inner_text() == "INC-2026-0012"
    page.locator("tbody a", has_text="INC-2026-0001").click()
    page.wait_for_selector("svg.main-svg", timeout=20_000)
    assert errors == []
    context.close()
