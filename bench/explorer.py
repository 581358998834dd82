"""Explorer update time per filter change on 10,000 synthetic incidents (target < 200 ms).

Prints figures; asserts nothing. Run: .venv/bin/python bench/explorer.py
"""

from __future__ import annotations

import statistics
import time

from incident_kit import synth
from incident_kit.widgets import Explorer


def main() -> None:
    iset = synth.generate(10_000, seed=3)
    t = time.perf_counter()
    ex = Explorer(iset, as_of="2026-01-01T00:00Z")
    print(
        f"explorer built on {len(iset):,} incidents / {len(iset.events):,} events: {time.perf_counter() - t:.2f} s"
    )
    changes = [
        ("severity = P1, P2", lambda: setattr(ex.severity, "value", ["P1", "P2"])),
        ("severity = all", lambda: setattr(ex.severity, "value", ["P1", "P2", "P3", "P4"])),
        ("status = Active", lambda: setattr(ex.status, "value", ["Active"])),
        ("status = all", lambda: setattr(ex.status, "value", list(ex.status.options))),
        ("services = 3", lambda: setattr(ex.services, "value", list(ex.services.options[:3]))),
        ("services = all", lambda: setattr(ex.services, "value", list(ex.services.options))),
        (
            "date range = second half",
            lambda: setattr(
                ex.date_range,
                "index",
                (len(ex.date_range.options) // 2, len(ex.date_range.options) - 1),
            ),
        ),
        ("search = 'synthetic'", lambda: setattr(ex.search, "value", "synthetic")),
        ("metric = time_to_detect", lambda: setattr(ex.metric, "value", "time_to_detect")),
        ("group by = service", lambda: setattr(ex.group_by, "value", "service")),
        ("group by = month", lambda: setattr(ex.group_by, "value", "month")),
        ("search = nothing matches", lambda: setattr(ex.search, "value", "zzzz")),
    ]
    times = []
    for label, change in changes:
        t = time.perf_counter()
        change()
        dt = (time.perf_counter() - t) * 1000
        times.append(dt)
        print(f"{label:<28} {dt:7.1f} ms   {ex.count.value.replace('<b>', '').replace('</b>', '')}")
    print(
        f"median {statistics.median(times):.0f} ms, max {max(times):.0f} ms per update (target < 200 ms)"
    )


if __name__ == "__main__":
    main()
