"""The review packet end to end: a real kernel, real nbconvert, real Chromium, real pdftotext."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest

import incident_kit as ik
from incident_kit.cli import main
from incident_kit.report import params

from .conftest import DATA, report_md

pytestmark = [pytest.mark.kernel, pytest.mark.browser]
AS_OF = "2026-11-26T12:00:00Z"
HOSTILE = "<script>alert('x')</script><img src=x onerror=alert(1)>"

for tool in ("pdftotext", "pdfinfo"):
    if shutil.which(tool) is None:
        if os.environ.get("CI"):
            raise RuntimeError(f"CI=true but {tool} is missing: .ci/run installs poppler-utils")
        pytest.skip(
            f"{tool} is not installed (apt-get install poppler-utils)", allow_module_level=True
        )
if not (shutil.which("chromium") or os.path.exists("/usr/bin/chromium")):
    pytest.skip("Debian's chromium is not installed", allow_module_level=True)


def headings() -> list[str]:
    nb = nbformat.read(params.notebook_path("review.ipynb"), as_version=4)
    return [
        c.source[3:] for c in nb.cells if c.cell_type == "markdown" and c.source.startswith("## ")
    ]


def pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def pdf_info(path: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return dict(line.split(":", 1) for line in out.splitlines() if ":" in line)


def text_of(page: str) -> str:
    body = page.split("<main>", 1)[-1]
    body = re.sub(r"<script.*?</script>", " ", body, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


@pytest.fixture(scope="module")
def packet(tmp_path_factory):
    out = tmp_path_factory.mktemp("packet")
    argv = ["review", str(DATA), "--since", "2026-10-01", "--until", "2026-11-26"]
    argv += ["--as-of", AS_OF, "-o", str(out / "review.html"), "--pdf"]
    assert main(argv) == 0
    return out


def test_packet_is_one_offline_file_with_every_section(packet):
    assert sorted(p.name for p in packet.iterdir()) == ["review.html", "review.pdf"]
    page = (packet / "review.html").read_text()
    assert not re.search(r'<(script|link)[^>]+(src|href)="?https?://', page)
    assert len(page) > 3_000_000 and "Plotly.newPlot" in page  # plotly.js inlined, charts in
    positions = [page.find(f">{h}<") for h in headings()]
    assert all(p > 0 for p in positions) and positions == sorted(positions), headings()
    text = text_of(page)
    assert "import incident_kit" not in text and not re.search(r"\bnan\b|\bNaT\b|<NA>", text)


def test_packet_figures(packet, sample):
    text = text_of((packet / "review.html").read_text())
    items = sample.action_items
    overdue = int((~items["done"] & (items["due"] < "2026-11-26")).sum())
    for figure in (
        "2026-10-01 00:00 UTC to 2026-11-27 00:00 UTC (57 days)",
        "5 incident(s) detected (1 P1, 2 P2, 1 P3, 1 P4), 2 still open",
        f"{overdue} action item(s) overdue",
        "INC-2026-0012 Checkout latency spikes during flash sale P2 Active 2026-11-25 18:02 UTC 7m 17h 58m ongoing",
        "2026-05-20 190 days Dana Whitfield Update checkout runbook dashboards INC-2026-0001",
        "INC-2026-0003 Search results stale for 3 hours P3 Resolved 2026-06-08 14:35 UTC 170d 21h",
        "time to resolve 2 · 17h 49m 5 · 2h 00m",  # previous period vs this one (test_review)
        "INC-2026-0012 like INC-2026-0009 Search latency regression after index mapping change",
    ):
        assert figure in text, figure
    page = (packet / "review.html").read_text()
    assert 'href="INC-2026-0014.html"' in page


def test_pdf_holds_headings_figures_and_drawn_charts(packet):
    info = pdf_info(packet / "review.pdf")
    assert 5 <= int(info["Pages"]) <= 12
    assert "(A4)" in info["Page size"]
    text = pdf_text(packet / "review.pdf")
    flat = " ".join(text.split())
    for heading in headings():
        assert heading in flat, heading
    for figure in ("17h 58m", "190 days", "170d 21h", "INC-2026-0012", "5 incident(s) detected"):
        assert figure in flat, figure
    assert "time (UTC)" in flat and "mobile-gateway" in flat  # the chart's axis, drawn as SVG
    # a page per section: each heading opens its page
    pages = text.split("\f")
    starts = [p.strip().splitlines()[0].strip() for p in pages if p.strip()]
    for heading in headings()[1:]:
        assert heading in starts, (heading, starts)


@pytest.fixture(scope="module")
def hostile_source(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("hostile")
    (src / "h.md").write_text(
        report_md(
            "EVIL-1",
            title=HOSTILE,
            status="Active",
            timeline="- **Detected**: 2026-11-24 10:00 UTC by Mallory",
            extra=f"## Root Cause Analysis\n\n### What Happened\n\n{HOSTILE} broke.\n\n"
            "## Action Items\n\n### Immediate (Next 24 hours)\n\n"
            f"- [ ] {HOSTILE} - Owner: Eve - Due: 2026-11-01\n",
        ),
        encoding="utf-8",
    )
    return src


def test_hostile_text_stays_text_in_html_and_pdf(hostile_source, tmp_path):
    out = tmp_path / "r.html"
    result = ik.report.review(
        hostile_source, out, since="2026-11-20", as_of=AS_OF, pdf=True, paper="Letter"
    )
    assert result.ok, result.summary()
    page = out.read_text()
    body = page.split("<main>", 1)[1]
    assert "<script>alert" not in body and "<img src=x" not in body
    assert "&lt;script&gt;alert(" in body and "&lt;img src=x onerror=alert(1)&gt;" in body
    assert "612 x 792 pts" in pdf_info(out.with_suffix(".pdf"))["Page size"]  # US Letter
    flat = " ".join(pdf_text(out.with_suffix(".pdf")).split())
    assert HOSTILE in flat  # printed as the characters people typed


def test_empty_period_is_a_packet_not_an_error(hostile_source, tmp_path, capsys):
    out = tmp_path / "empty.html"
    argv = ["review", str(hostile_source), "--since", "2025-01-01", "--until", "2025-01-07"]
    assert main([*argv, "--as-of", AS_OF, "-o", str(out)]) == 0
    assert capsys.readouterr().out.strip() == f"review packet -> {out}"
    text = text_of(out.read_text())
    assert "No incidents in this period" in text and "0 incident(s) detected" in text
    assert "EVIL-1" in text  # still open: listed under open incidents


def test_batch_writes_the_weeks_packet_and_a_pdf_per_page(tmp_path, capsys, monkeypatch):
    src = tmp_path / "src"
    src.mkdir()
    for iid, day in (("NEW-1", "2026-11-24"), ("OLD-2", "2026-10-01")):
        text = report_md(
            iid,
            title=f"Outage {iid}",
            timeline=f"- **Detected**: {day} 10:00 UTC by Bob\n- **Resolved**: {day} 11:00 UTC",
        )
        (src / f"{iid}.md").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    argv = ["report", str(src), "-o", str(out), "--as-of", AS_OF, "-q", "-j", "2", "--pdf"]
    assert main(argv) == 0
    printed = capsys.readouterr().out
    assert f"review packet -> {out / 'review.html'}" in printed
    assert "4 PDF(s) printed, 0 failed" in printed  # two incidents, portfolio, packet
    index = (out / "index.html").read_text()
    assert '<a href="review.html">Review packet: the last 7 days →</a>' in index
    packet = text_of((out / "review.html").read_text())
    assert "2026-11-19 12:00 UTC to 2026-11-26 12:00 UTC (7 days)" in packet
    period = packet.split("Incidents in this period", 1)[1].split("Changes since", 1)[0]
    assert "NEW-1" in period and "OLD-2" not in period
    assert 'href="index.html"' in (out / "review.html").read_text()  # back to the run
    for page in ("NEW-1", "OLD-2", "portfolio", "review"):
        assert "(A4)" in pdf_info(out / f"{page}.pdf")["Page size"]
    assert "Outage NEW-1" in pdf_text(out / "NEW-1.pdf")
    # a re-run renders and prints nothing that did not change
    before = {p.name: p.stat().st_mtime_ns for p in out.glob("*.pdf")}
    assert main(argv) == 0
    assert "0 report(s) rendered, 2 unchanged" in capsys.readouterr().out
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("*.pdf")} == before
    # on other paper, or older than its page, a PDF is printed again
    from incident_kit.report import pdf

    asked = []
    monkeypatch.setattr(pdf, "print_pdfs", lambda todo, **kw: asked.append(todo) or [])
    pdf.print_stale([out / "review.html"], paper="Letter")
    os.utime(out / "NEW-1.html")  # touched after its PDF
    pdf.print_stale([out / "NEW-1.html", out / "OLD-2.html"], paper="A4")
    assert asked == [
        [(out / "review.html", out / "review.pdf")],
        [(out / "NEW-1.html", out / "NEW-1.pdf")],
    ]
