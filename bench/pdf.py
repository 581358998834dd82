"""PDF printing: seconds per page for a batch's pages, and the review packet end to end.

Like with like: the same pages printed by the same code, once with one browser and one tab
for all of them (what ``report --pdf`` does) and once a page at a time (a browser per page,
what a shell loop over ``review --pdf`` or ``chromium --print-to-pdf`` costs). Then the
packet itself: notebook run + export, and its PDF, for the sample data.

    python bench/pdf.py [--pages 8] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import incident_kit as ik  # noqa: E402
from incident_kit.report import pdf  # noqa: E402

AS_OF = "2026-11-26T12:00:00Z"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "reports"
        result = ik.report.run(ROOT / "data", out, as_of=AS_OF, progress=False)
        assert result.ok, result.summary()
        pages = sorted(out.glob("INC-*.html"))[: args.pages]
        shared, single = [], []
        for _ in range(args.repeat):
            t = time.perf_counter()
            done = pdf.print_pdfs([(p, p.with_suffix(".pdf")) for p in pages])
            shared.append((time.perf_counter() - t) / len(pages))
            assert all(r.ok for r in done)
            t = time.perf_counter()
            for p in pages:
                assert pdf.print_pdfs([(p, p.with_suffix(".pdf"))])[0].ok
            single.append((time.perf_counter() - t) / len(pages))
        a, b = statistics.median(shared), statistics.median(single)
        print(f"{len(pages)} post-mortem pages, median of {args.repeat} runs:")
        print(f"  one browser, one tab for all : {a:.2f} s per page")
        print(f"  a browser per page           : {b:.2f} s per page  ({b / a:.1f}x slower)")
        packet = Path(tmp) / "review.html"
        t = time.perf_counter()
        made = ik.report.review(ROOT / "data", packet, since="2026-10-01", as_of=AS_OF)
        html_s = time.perf_counter() - t
        assert made.ok, made.summary()
        t = time.perf_counter()
        pdf.print_pdf(packet, packet.with_suffix(".pdf"))
        print(f"review packet, sample data: {html_s:.1f} s to HTML, ", end="")
        print(f"{time.perf_counter() - t:.1f} s to PDF")


if __name__ == "__main__":
    main()
