"""Regenerate docs/gallery/*.png and docs/report.png from the sample data (needs chromium).

Run: .venv/bin/python docs/make_gallery.py
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import incident_kit as ik
from incident_kit import charts

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "gallery"
AS_OF = "2026-11-26T12:00:00Z"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
]


def shoot(url: str, png: Path, width: int, height: int) -> None:
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                "chromium",
                *FLAGS,
                f"--user-data-dir={profile}",
                f"--window-size={width},{height}",
                "--virtual-time-budget=8000",
                f"--screenshot={png}",
                url,
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    iset = ik.load(ROOT / "data")
    d = ik.durations(iset, as_of=AS_OF)
    figures = {
        "timeline": charts.timeline(iset, "INC-2026-0001", display_tz="Europe/Berlin"),
        "timeline-open": charts.timeline(iset, "INC-2026-0012", as_of=AS_OF),
        "portfolio-timeline": charts.portfolio_timeline(iset, as_of=AS_OF),
        "durations": charts.durations(d, "time_to_resolve", by="severity"),
        "trend": charts.trend(d, "time_to_resolve"),
        "impact": charts.impact(iset, AS_OF),
        "action-items": charts.action_items(iset, AS_OF),
    }
    with tempfile.TemporaryDirectory() as tmp:
        for name, fig in figures.items():
            page = Path(tmp) / f"{name}.html"
            fig.write_html(
                page,
                include_plotlyjs=True,
                default_width=900,
                default_height=fig.layout.height or 450,
            )
            shoot(page.as_uri(), OUT / f"{name}.png", 920, int(fig.layout.height or 450) + 30)
        reports = Path(tmp) / "reports"
        ik.report.run(ROOT / "data", reports, only=["INC-2026-0001"], as_of=AS_OF, progress=False)
        shoot((reports / "INC-2026-0001.html").as_uri(), ROOT / "docs" / "report.png", 1000, 1400)
    for png in sorted(OUT.glob("*.png")):
        print(png.relative_to(ROOT))


if __name__ == "__main__":
    main()
