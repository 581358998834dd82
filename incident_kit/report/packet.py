"""``review()``: the review packet as one offline HTML file (and a PDF), from the shell or Python.

The window is resolved here, once (the edge), and handed to the review notebook as UTC ISO
strings; the notebook runs in a kernel from the batch's pool and is exported by the batch's
code (``execute.render``, with the loaded set as its payload), so the packet looks and
behaves like every other page.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Container, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ..errors import ReportError
from ..files import atomic_write
from . import export, params
from .review import Window, resolve_window

if TYPE_CHECKING:
    from ..model import IncidentSet
    from .plan import Job, Settings

NOTEBOOK = "review.ipynb"


@dataclass(frozen=True)
class ReviewOptions:
    """How a packet is made, apart from its window.

    ``pages`` is where the incident pages are, relative to the packet (default: beside it);
    ``self_contained`` inlines plotly.js so the one file opens anywhere offline (else it
    uses ``assets/plotly.min.js`` beside it, as a batch does); ``pdf`` also prints
    FILE.pdf on ``paper`` (A4 or Letter).
    """

    display_tz: str = "UTC"
    default_tz: str = "UTC"
    postmortem_days: int = 7
    pages: str = ""
    self_contained: bool = True
    pdf: bool = False
    paper: str = "A4"
    timeout: float = 600.0
    cell_timeout: float = 120.0


@dataclass
class ReviewResult:
    """What ``review()`` wrote, the window it covered, and the input problems it met."""

    html: Path
    window: Window
    pdf: Path | None = None
    error: str | None = None
    problems: pd.DataFrame | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        bad_input = self.problems is not None and (self.problems["level"] == "error").any()
        return self.error is None and not bad_input

    def summary(self) -> str:
        lines = [f"review packet -> {self.html}" + (f" and {self.pdf}" if self.pdf else "")]
        if self.error:
            lines.append(f"FAILED: {self.error}")
        if self.problems is not None:
            for row in self.problems[self.problems["level"] == "error"].itertuples():
                where = f"{row.file}:{row.line}" if pd.notna(row.line) else row.file
                lines.append(f"{where}: {row.message}")
        return "\n".join(lines)


def _parameters(window: Window, options: ReviewOptions) -> dict:
    """The review notebook's parameters (``params.REVIEW_PARAMETERS``) but ``source``: the
    job's payload is the source (the worker sets it)."""
    return {
        "since": window.since.isoformat(),
        "until": window.until.isoformat(),
        "as_of": window.as_of.isoformat(),
        "display_tz": options.display_tz,
        "postmortem_days": int(options.postmortem_days),
        "pages": options.pages,
    }


def title(window: Window, display_tz: str) -> str:
    return f"Incident review · {window.describe(display_tz)}"


def batch_job(
    iset: IncidentSet,
    settings: Settings,
    *,
    days: int = 7,
    previous: Mapping | None = None,
    pages: Container[str] = (),
    force: bool = False,
) -> Job | None:
    """The batch's packet for the ``days`` before the run's as-of time, or None when the
    one in the folder is current.

    Its fingerprint is the portfolio's rule (every record and problem, the clock, the
    version, the zone, plotly inlined or not) applied to the review notebook: the packet
    shows the whole set at the run's clock, as the portfolio does.
    """
    from .payload import Payload
    from .plan import Job, portfolio_fingerprint
    from .publish import REVIEW

    notebook = params.notebook_path(NOTEBOOK).read_text(encoding="utf-8")
    as_of = settings.as_of
    window = Window(as_of - pd.Timedelta(days=days), as_of, as_of)
    fp = portfolio_fingerprint(iset, replace(settings, portfolio=notebook))
    fp = f"{fp}-{days}d"
    entry = previous or {}
    current = entry.get("fingerprint") == fp and entry.get("ok") and f"{REVIEW}.html" in pages
    if current and not force:
        return None
    options = ReviewOptions(display_tz=settings.display_tz)
    parameters = _parameters(window, options)
    return Job(
        "review",
        REVIEW,
        REVIEW,
        title(window, settings.display_tz),
        notebook,
        parameters,  # the payload is the source
        Payload(iset),
        fp,
        settings.self_contained,
        settings.cell_timeout,
        settings.timeout,
    )


def review(
    paths: str | Path | Sequence[str | Path],
    output: str | Path,
    *,
    since: object = None,
    until: object = None,
    as_of: object = None,
    options: ReviewOptions | None = None,
    **option_values,
) -> ReviewResult:
    """Render the review packet for ``since``..``until`` to ``output`` (an .html file).

    ``since``/``until`` are ISO dates or times, a date being a whole day in ``default_tz``
    (``until``'s day included); ``since`` may be a length such as ``7d``. Options are a
    :class:`ReviewOptions` or its fields as keywords (``pdf=True``, ``display_tz=...``).

    >>> ik.report.review("data", "review.html", since="2026-11-19", pdf=True)  # doctest: +SKIP
    """
    from ..fields import zone
    from ..sources import load

    started = time.perf_counter()
    opts = replace(options or ReviewOptions(), **option_values)
    window = resolve_window(since, until, as_of, default_tz=opts.default_tz)
    try:
        zone(opts.display_tz)
    except ValueError as exc:
        raise ReportError(str(exc)) from None
    if opts.pdf:  # before any work: a missing browser is not worth a kernel run to learn
        from .pdf import check_paper, require

        opts = replace(opts, paper=check_paper(opts.paper))
        require()
    out = _output_file(output)
    sources = [paths] if isinstance(paths, (str, Path)) else list(paths)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        iset = load(*sources, default_tz=opts.default_tz)
    error = _render(out, iset, _parameters(window, opts), title(window, opts.display_tz), opts)
    problems = iset.problems
    result = ReviewResult(out, window, error=error, problems=problems)
    if opts.pdf and error is None:
        from .pdf import print_pdf

        result.pdf = print_pdf(out, out.with_suffix(".pdf"), paper=opts.paper)
    result.seconds = time.perf_counter() - started
    return result


def _output_file(output: str | Path) -> Path:
    out = Path(output)
    if out.is_dir():
        raise ReportError(
            f"{out}: is a folder; give the packet's file name, e.g. {out}/review.html"
        )
    if out.suffix.lower() not in (".html", ".htm"):
        raise ReportError(f"{out}: the packet is an HTML file; name it e.g. review.html")
    out.parent.mkdir(parents=True, exist_ok=True)
    return out


def _render(out: Path, iset, parameters: dict, title: str, opts: ReviewOptions) -> str | None:
    """Run and export the notebook on ``iset`` (the job's payload: the kernel reads no
    source files), then write the page: nothing but ``out`` (and its assets) is written."""
    from .execute import render
    from .kernels import close_shared_pool, shared_pool
    from .payload import Payload
    from .plan import Job

    if not opts.self_contained:
        asset = out.parent / export.ASSET
        if not asset.exists() or asset.stat().st_size != len(export.plotly_js().encode()):
            atomic_write(asset, export.plotly_js())
    job = Job(
        "packet",  # a file of its own: no run, no index to link back to
        "review",
        "review",
        title,
        params.notebook_path(NOTEBOOK).read_text(encoding="utf-8"),
        parameters,
        Payload(iset),
        "",
        opts.self_contained,
        opts.cell_timeout,
        opts.timeout,
    )
    try:
        shared_pool(spares=0)
        result = render(job)
        atomic_write(out, result.html)
    finally:
        close_shared_pool()
    if result.ok:
        return None
    return result.error + (f" (in {result.cell})" if result.cell else "")
