"""PDF copies of report pages, printed by headless Chromium (Debian's) through Playwright.

Why Playwright and not ``chromium --print-to-pdf``: the command-line printer prints when the
page's load event fires, or after a fixed ``--virtual-time-budget``, and cannot tell whether
plotly has drawn; it also cannot block the network or report a script error. Here each page
opens offline in a print-media viewport as wide as the paper's printable area (so charts are
laid out at the width they print at), we wait until every chart has its SVG, and a page whose
plotly.js did not load or whose script failed gives an error instead of a PDF with holes.
Page breaks come from the pages' own print CSS (the ``incident_kit`` nbconvert template).

Playwright is the optional ``pdf`` extra; the browser is Debian's ``chromium``, never a
downloaded one.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from ..errors import ReportError
from ..files import atomic_write

#: Paper sizes and their printable width in CSS pixels (96 per inch), margins taken off.
PAPERS = {"A4": {"width_mm": 210.0}, "Letter": {"width_mm": 215.9}}
MARGIN_MM = 12.0
NEEDS_EXTRA = (
    "PDF output needs the 'pdf' extra (pip install 'incident_kit[pdf]') and Debian's Chromium "
    "(apt-get install chromium)"
)
_CHARTS_DRAWN = """() => {
  const divs = Array.from(document.querySelectorAll('div.plotly-graph-div'));
  if (divs.length && !window.Plotly) { return 'plotly.js did not load'; }
  return divs.every((d) => d._fullLayout && d.querySelector('svg.main-svg')) ? 'drawn' : false;
}"""
_FOOTER = (
    '<div style="font-size:8px; color:#666; width:100%; margin:0 12mm; display:flex; '
    'justify-content:space-between;"><span class="title"></span>'
    '<span><span class="pageNumber"></span> / <span class="totalPages"></span></span></div>'
)


@dataclass(frozen=True)
class PdfResult:
    """One printed page: where it went, or why it could not be printed."""

    html: Path
    pdf: Path
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def require() -> str:
    """Debian's Chromium (``chromium`` on PATH, else /usr/bin/chromium), checked with Playwright
    before any work is done; ReportError naming the extra and the package when either is absent.
    """
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        raise ReportError(NEEDS_EXTRA) from None
    path = shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(path):
        raise ReportError(NEEDS_EXTRA)
    return path


def check_paper(paper: str) -> str:
    """The paper name as we spell it (``a4`` -> ``A4``); ReportError lists the known ones."""
    for name in PAPERS:
        if name.lower() == str(paper).lower():
            return name
    raise ReportError(f"unknown paper {paper!r}; known: {', '.join(PAPERS)}")


def print_pdfs(
    pages: Sequence[tuple[Path, Path]], *, paper: str = "A4", timeout: float = 60.0
) -> list[PdfResult]:
    """Print each ``(html, pdf)`` pair with one browser; a failed page never stops the rest.

    Runs in a worker thread, so it also works inside Jupyter's event loop.
    """
    paper = check_paper(paper)
    executable = require()
    if not pages:
        return []
    with ThreadPoolExecutor(max_workers=1) as worker:
        return worker.submit(_print_all, list(pages), paper, timeout, executable).result()


def print_stale(
    pages: Sequence[Path], *, paper: str = "A4", timeout: float = 60.0
) -> list[PdfResult]:
    """Print ``page.pdf`` beside each page whose PDF is missing or older than the page (what
    a batch re-run needs: unchanged pages keep their PDF). Returns the printed ones."""
    paper = check_paper(paper)
    todo = []
    for html in map(Path, pages):
        pdf = html.with_suffix(".pdf")
        current = (
            pdf.is_file()
            and pdf.stat().st_mtime_ns >= html.stat().st_mtime_ns
            and paper_of(pdf) == paper
        )
        if not current:
            todo.append((html, pdf))
    return print_pdfs(todo, paper=paper, timeout=timeout)


def paper_of(pdf: Path) -> str | None:
    """The paper a PDF we printed is on, from its first page's MediaBox (None: unknown)."""
    try:
        head = Path(pdf).read_bytes()
    except OSError:
        return None
    found = re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", head)
    if not found:
        return None
    width = float(found[1])
    for name, size in PAPERS.items():
        if abs(width - size["width_mm"] / 25.4 * 72) < 3:
            return name
    return None


def print_pdf(html: Path, pdf: Path, *, paper: str = "A4", timeout: float = 60.0) -> Path:
    """Print one page (see :func:`print_pdfs`); ReportError with the reason if it fails."""
    (result,) = print_pdfs([(Path(html), Path(pdf))], paper=paper, timeout=timeout)
    if not result.ok:
        raise ReportError(f"{pdf}: {result.error}")
    return Path(pdf)


def _print_all(
    pages: list[tuple[Path, Path]], paper: str, timeout: float, executable: str
) -> list[PdfResult]:
    from playwright.sync_api import sync_playwright

    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
    args += ["--disable-component-update", "--disable-sync", "--no-first-run"]
    results = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=args)
        tab = _Tab(browser, paper, timeout)
        try:
            for html, pdf in pages:
                try:
                    tab.print(Path(html), Path(pdf))
                    results.append(PdfResult(Path(html), Path(pdf)))
                except Exception as exc:  # any failure is this page's result
                    tab.close()  # the next page gets a fresh tab
                    message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
                    results.append(PdfResult(Path(html), Path(pdf), message or type(exc).__name__))
        finally:
            tab.close()
            browser.close()
    return results


class _Tab:
    """One offline print-media tab, reused page after page: the renderer keeps plotly.js
    compiled, so each page after the first costs its own drawing, not 4 MB of script."""

    def __init__(self, browser, paper: str, timeout: float):
        self.browser, self.paper, self.timeout = browser, paper, timeout
        self.width = round((PAPERS[paper]["width_mm"] - 2 * MARGIN_MM) / 25.4 * 96)
        self.context = self.page = None
        self.errors: list[str] = []

    def _open(self):
        if self.page is None:
            self.context = self.browser.new_context(viewport={"width": self.width, "height": 1100})
            self.context.route("http://*/**", lambda route: route.abort())  # offline, as readers
            self.context.route("https://*/**", lambda route: route.abort())
            self.page = self.context.new_page()
            self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
            self.page.emulate_media(media="print")
        return self.page

    def close(self) -> None:
        if self.context is not None:
            self.context.close()
        self.context = self.page = None

    def print(self, html: Path, pdf: Path) -> None:
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        if not html.is_file():
            raise ReportError(f"{html}: no such page")
        page, ms = self._open(), self.timeout * 1000
        self.errors.clear()
        page.goto(html.resolve().as_uri(), wait_until="load", timeout=ms)
        try:
            state = page.wait_for_function(_CHARTS_DRAWN, timeout=ms).json_value()
        except PlaywrightTimeout:
            state = f"the charts were not drawn within {self.timeout:g}s"
        if state != "drawn":
            raise ReportError(state)
        if self.errors:
            raise ReportError(f"a script on the page failed: {self.errors[0]}")
        page.evaluate("document.fonts.ready.then(() => true)")
        data = page.pdf(
            format=self.paper,
            print_background=True,
            margin={side: f"{MARGIN_MM}mm" for side in ("top", "right", "bottom", "left")},
            display_header_footer=True,
            header_template="<span></span>",
            footer_template=_FOOTER,
        )
        atomic_write(pdf, data)
