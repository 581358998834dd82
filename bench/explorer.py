"""The explorer on 10,000 synthetic incidents: how long a filter change takes.

Two measurements of the same thirteen changes, in one run:

1. kernel: the Python update alone (mask, summary, charts, what is sent), as before;
2. browser: a real JupyterLab in Debian's Chromium, each change made by clicking the control
   (toggle, select, button, text), timed in the page from the click to the count line
   showing the new number, to the distribution chart redrawn, and to every chart settled;
   with the bytes the page received for it over the kernel's websocket. Each change is made
   on the explorer and then on a baseline explorer in the same page and kernel that draws
   every point and sends the whole figure on each change (what the FigureWidget version
   did), so the ratio compares like with like under the same load.

Prints figures; asserts nothing (machines are shared: compare figures of one run).
Run: .venv/bin/python bench/explorer.py [--incidents N] [--kernel-only]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tests/jupyter.py: the JupyterLab and Chromium the tests use

from incident_kit import synth  # noqa: E402
from incident_kit.widgets import Explorer  # noqa: E402

AS_OF = "2026-01-01T00:00Z"

# (label, what to do in Python, what to do in the page)
# Page actions: ("toggle", group, option) | ("select", description, [values]) |
# ("button", text) | ("type", description, text)
CHANGES = [
    ("severity: P1 off", lambda ex: _toggle(ex.severity, "P1"), ("toggle", "Severity", "P1")),
    ("severity: P1 on", lambda ex: _toggle(ex.severity, "P1"), ("toggle", "Severity", "P1")),
    ("status: Active off", lambda ex: _toggle(ex.status, "Active"), ("toggle", "Status", "Active")),
    ("severity: P3 off", lambda ex: _toggle(ex.severity, "P3"), ("toggle", "Severity", "P3")),
    (
        "services: 3",
        lambda ex: setattr(ex.services, "value", ex.services.options[:3]),
        ("select", "Services", 3),
    ),
    ("reset filters", lambda ex: ex.reset(), ("button", "Reset filters")),
    (
        "metric: time to detect",
        lambda ex: setattr(ex.metric, "value", "time_to_detect"),
        ("select", "Metric", "time_to_detect"),
    ),
    (
        "group by: service",
        lambda ex: setattr(ex.group_by, "value", "service"),
        ("select", "Group by", "service"),
    ),
    (
        "group by: month",
        lambda ex: setattr(ex.group_by, "value", "month"),
        ("select", "Group by", "month"),
    ),
    (
        "group by: severity",
        lambda ex: setattr(ex.group_by, "value", "severity"),
        ("select", "Group by", "severity"),
    ),
    (
        "search: 'syn-00012'",  # an ID prefix: 100 incidents
        lambda ex: setattr(ex.search, "value", "syn-00012"),
        ("type", "Search", "syn-00012"),
    ),
    (
        "metric: time to resolve",
        lambda ex: setattr(ex.metric, "value", "time_to_resolve"),
        ("select", "Metric", "time_to_resolve"),
    ),
    ("reset filters", lambda ex: ex.reset(), ("button", "Reset filters")),
]


def _toggle(control, option: str) -> None:
    chosen = set(control.value) ^ {option}
    control.value = tuple(o for o in control.options if o in chosen)


def kernel(n: int) -> None:
    iset = synth.generate(n, seed=3)
    t = time.perf_counter()
    ex = Explorer(iset, as_of=AS_OF)
    print(f"kernel: explorer built on {n:,} incidents in {time.perf_counter() - t:.2f} s")
    sent: list[int] = []
    for chart in (ex.figure, ex.trend_figure, ex.timeline_figure):
        original = chart.send

        def count(content, buffers=None, original=original):
            import json

            sent.append(len(json.dumps(content)))
            original(content, buffers)

        chart.send = count
    times = []
    for label, change, _ in CHANGES:
        sent.clear()
        t = time.perf_counter()
        change(ex)
        dt = (time.perf_counter() - t) * 1000
        times.append(dt)
        count_line = ex.count.value.replace("<b>", "").replace("</b>", "")
        print(f"  {label:<24} {dt:7.1f} ms  {sum(sent) / 1000:8.1f} kB charts  {count_line}")
    print(f"kernel: median {statistics.median(times):.0f} ms, worst {max(times):.0f} ms")


# Runs in the page: make the change, then resolve when the count line shows a new number, the
# kernel is idle again and no chart has redrawn for `quiet` ms. Times are from the click.
MEASURE = r"""
async ([action, quiet, which]) => {
  const root = document.querySelectorAll('.ik-explorer')[which];
  const count = root.querySelector('.ik-count');
  const charts = [...root.querySelectorAll('.ik-livechart')];
  const before = count.textContent;
  const drawn = charts.map(() => null);
  const drawing = charts.map(() => 0);  // ms from a chart's message to its drawing done
  const listeners = charts.map((el, i) => {
    const f = (e) => { drawn[i] = e.detail.drawn; drawing[i] += e.detail.drawn - e.detail.received; };
    el.addEventListener('ik-drawn', f);
    return f;
  });
  let counted = null;
  const observer = new MutationObserver(() => {
    if (counted === null && count.textContent !== before) counted = performance.now();
  });
  observer.observe(count, {subtree: true, childList: true, characterData: true});
  // the kernel's status in JupyterLab's status bar: the change is done once it went busy
  // and came back to idle (every message of the update is out by then)
  const status = [...document.querySelectorAll('.jp-StatusBar-TextItem')]
      .find(e => /\| (Idle|Busy)/.test(e.textContent));
  let busy = false, idle = null;
  const watch = new MutationObserver(() => {
    if (/Busy/.test(status.textContent)) busy = true;
    else if (busy && /Idle/.test(status.textContent)) idle = performance.now();
  });
  watch.observe(status, {subtree: true, childList: true, characterData: true});
  const byLabel = (text) => [...root.querySelectorAll('.widget-inline-hbox, .widget-hbox')]
      .find(box => box.querySelector(':scope > label, :scope > .widget-label')
                      ?.textContent.trim() === text);
  const t0 = performance.now();
  const [kind, a, b] = action;
  if (kind === 'toggle') {
    [...byLabel(a).querySelectorAll('button')].find(x => x.textContent.trim() === b).click();
  } else if (kind === 'button') {
    [...root.querySelectorAll('button')].find(x => x.textContent.trim() === a).click();
  } else if (kind === 'select') {
    const select = byLabel(a).querySelector('select');
    if (select.multiple) {
      [...select.options].forEach((o, i) => { o.selected = i < b; });
    } else {
      select.value = [...select.options].find(o => o.textContent.trim() === b).value;
    }
    select.dispatchEvent(new Event('change', {bubbles: true}));
  } else if (kind === 'type') {
    const input = byLabel(a).querySelector('input');
    input.value = b;
    input.dispatchEvent(new Event('input', {bubbles: true}));
    input.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', bubbles: true}));
  }
  const start = performance.now();
  while (true) {
    await new Promise(r => setTimeout(r, 20));
    const last = Math.max(counted ?? 0, ...drawn.map(d => d ?? 0));
    const now = performance.now();
    if (idle !== null && now - Math.max(last, idle) > quiet) break;
    if (now - start > 60000) break;
  }
  observer.disconnect();
  watch.disconnect();
  charts.forEach((el, i) => el.removeEventListener('ik-drawn', listeners[i]));
  const rel = v => v === null ? null : v - t0;
  return {count: rel(counted), charts: drawn.map(rel), drawing, text: count.textContent.trim()};
}
"""


def browser(n: int, rounds: int) -> None:
    import nbformat

    from tests.jupyter import browser as chromium
    from tests.jupyter import jupyterlab, run_all, wait_until_idle

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        nb = nbformat.v4.new_notebook(
            cells=[
                nbformat.v4.new_code_cell(
                    "import incident_kit as ik\nfrom incident_kit import synth\n"
                    f"iset = synth.generate({n}, seed=3)\n"
                    f'ex = ik.widgets.Explorer(iset, as_of="{AS_OF}")\n'
                    "# the baseline: every point drawn, the whole figure sent on each change\n"
                    f'base = ik.widgets.Explorer(iset, as_of="{AS_OF}")\n'
                    "base.MAX_POINTS = None\n"
                    "for chart in (base.figure, base.trend_figure, base.timeline_figure):\n"
                    "    chart.whole = True\n"
                    "base.refresh()"
                ),
                nbformat.v4.new_code_cell("ex"),
                nbformat.v4.new_code_cell("base"),
            ],
            metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}},
        )
        nbformat.write(nb, tmp / "bench.ipynb")
        with jupyterlab(tmp, tmp / "lab") as lab, chromium() as b:
            page = b.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(300_000)
            received = [0]

            def on_ws(ws):
                ws.on("framereceived", lambda f: received.__setitem__(0, received[0] + len(f)))

            page.on("websocket", on_ws)
            t = time.perf_counter()
            run_all(page, "bench.ipynb", lab)
            page.locator(".ik-explorer .ik-count").last.get_by_text(f"of {n} incidents").wait_for()
            wait_until_idle(page)
            page.wait_for_function(
                "() => [...document.querySelectorAll('.ik-explorer .ik-livechart')]"
                ".every(el => el.dataset.rev)"
            )
            print(
                f"browser: notebook run and explorer drawn in {time.perf_counter() - t:.1f} s, "
                f"{received[0] / 1e6:.1f} MB received (plotly.js once: 4.8 MB)"
            )
            results = {"sample + patches": ([], []), "baseline": ([], [])}
            for r in range(rounds):
                for label, _, action in CHANGES:
                    # the same change on the explorer, then on the baseline (like with like)
                    for which, name in ((0, "sample + patches"), (1, "baseline")):
                        before = received[0]
                        m = page.evaluate(MEASURE, [list(action), 400, which])
                        kb = (received[0] - before) / 1000
                        main = m["charts"][0]
                        done = [m["count"] or 0, *(c for c in m["charts"] if c is not None)]
                        settled, shown = max(done), max(m["count"] or 0, main or 0)
                        results[name][0].append(shown)
                        results[name][1].append(settled)
                        if r == rounds - 1:
                            print(
                                f"  {name[:8]:<8} {label:<24} count {m['count'] or 0:5.0f} ms  "
                                + (
                                    f"chart {main:5.0f} ms"
                                    if main is not None
                                    else "chart     -   "
                                )
                                + f"  all {settled:5.0f} ms (drawing "
                                + "/".join(f"{d:.0f}" for d in m["drawing"])
                                + f" ms)  {kb:7.1f} kB  {m['text']}"
                            )
            for name, (firsts, settles) in results.items():
                print(
                    f"browser, {name} ({rounds} x {len(CHANGES)} changes): click -> count line "
                    f"and chart redrawn: median {statistics.median(firsts):.0f} ms, worst "
                    f"{max(firsts):.0f} ms; every chart settled: median "
                    f"{statistics.median(settles):.0f} ms, worst {max(settles):.0f} ms"
                )
            fast, slow = results["sample + patches"][0], results["baseline"][0]
            print(
                f"ratio baseline / sample + patches (median click -> chart): "
                f"{statistics.median(slow) / statistics.median(fast):.1f}x "
                "(target: median < 250 ms, worst < 500 ms)"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=2, help="browser rounds of the changes")
    parser.add_argument("--kernel-only", action="store_true")
    args = parser.parse_args()
    kernel(args.incidents)
    if not args.kernel_only:
        browser(args.incidents, args.rounds)


if __name__ == "__main__":
    main()
