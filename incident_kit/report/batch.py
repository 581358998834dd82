"""The report batch: one post-mortem per incident, the portfolio, and an index page.

``run`` reads the clock once, loads the data once (or takes an IncidentSet), and goes
through three phases:

- **plan** (:mod:`.plan`, pure): fingerprint every page and keep the ones that changed;
- **execute** (:mod:`.execute`): render them on any ``concurrent.futures.Executor``, each job
  carrying its records, notebook and parameters, and returning its page;
- **publish** (:mod:`.publish`): write pages, the manifest and the index atomically.

A failure is recorded, rendered as a red page, and never stops the other jobs.
"""

from __future__ import annotations

import dataclasses
import itertools
import os
import time
import warnings
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .. import metrics
from ..errors import IncidentKitError, ReportError
from ..files import safe_name
from ..model import IncidentSet
from . import params, publish
from .execute import Rendered, execute, render
from .plan import (
    PORTFOLIO,
    Job,
    Plan,
    Settings,
    context_digest,
    plan,
    record_digests,
    set_digest,
)
from .publish import REVIEW, JobResult

Source = IncidentSet | str | Path | Sequence[str | Path]


@dataclass(frozen=True, kw_only=True)
class ReportOptions:
    """How a batch renders: what pages show, which incidents, where and how long it runs.

    >>> ik.report.run("data", "reports", jobs=2, as_of="2026-11-26T12:00Z")  # doctest: +SKIP
    >>> opts = ReportOptions(display_tz="Europe/Berlin", force=True)          # doctest: +SKIP
    >>> ik.report.run(iset, "reports", opts)                                  # doctest: +SKIP
    """

    # what the pages show
    as_of: object = None  # None or "now": the clock, read once for the whole run
    display_tz: str = "UTC"
    self_contained: bool = False  # inline plotly.js in every page
    template: str | Path | None = None  # your own post-mortem notebook
    review_days: int = 7  # the review packet (review.html) covers these days to as-of; 0: none
    pdf: bool = False  # also print page.pdf beside every page (Debian's chromium)
    paper: str = "A4"  # the PDFs' paper: A4 or Letter
    # which incidents
    only: Sequence[str] | None = None  # just these (the index still lists every incident)
    force: bool = False  # render unchanged pages too
    default_tz: str = "UTC"  # for loading paths: zone of times written without one
    tz_abbrev: dict[str, str] | None = None  # for loading paths: {"IST": "Asia/Kolkata"}
    # where and how long
    jobs: int | None = None  # parallel kernels (default: CPUs); with ``executor``: in flight / 4
    executor: Executor | None = None  # e.g. dask's ``Client.get_executor()``
    timeout: float = 600.0  # seconds per notebook, wall clock
    cell_timeout: float = 120.0
    progress: bool = True  # a tqdm bar
    on_progress: Callable[[int, int, int], None] | None = None  # (done, failed, total)

    def __post_init__(self):
        if self.jobs is not None and self.jobs < 1:
            raise ReportError(f"jobs must be at least 1, not {self.jobs}")
        if isinstance(self.only, str):
            object.__setattr__(self, "only", (self.only,))


@dataclass
class BatchResult:
    """What a batch did: a result per incident, the portfolio's, and input problems."""

    output: Path
    results: list[JobResult] = field(default_factory=list)
    portfolio: JobResult | None = None  # None: not rendered in this run
    review: JobResult | None = None  # the review packet; None: not rendered in this run
    problems: pd.DataFrame | None = None
    seconds: float = 0.0
    as_of: pd.Timestamp | None = None
    #: every incident of the data, as the index lists it (rendered now, before, or never)
    index: list[JobResult] = field(default_factory=list)
    #: the driver's seconds by phase: settings, load, plan, context, review, render, index
    #: (the index page and the manifest), pdf
    phases: dict[str, float] = field(default_factory=dict)
    #: ``pdf=True``: the PDFs printed in this run (missing or older than their page), and
    #: the pages whose PDF could not be printed, each with the reason
    pdf_printed: list = field(default_factory=list)
    pdf_failed: list = field(default_factory=list)

    @property
    def failed(self) -> list[JobResult]:
        whole = [r for r in (self.portfolio, self.review) if r is not None and not r.ok]
        return [r for r in self.results if not r.ok] + whole

    @property
    def ok(self) -> bool:
        bad_input = self.problems is not None and (self.problems["level"] == "error").any()
        return not self.failed and not bad_input and not self.pdf_failed

    def summary(self) -> str:
        rendered = sum(1 for r in self.results if r.ok and not r.skipped)
        skipped = sum(1 for r in self.results if r.skipped)
        lines = [
            f"{rendered} report(s) rendered, {skipped} unchanged and skipped, "
            f"{len([r for r in self.results if not r.ok])} failed in {self.seconds:.1f}s "
            f"-> {self.output / 'index.html'}"
        ]
        if self.review is not None and self.review.ok:
            lines.append(f"review packet -> {self.review.html}")
        if self.pdf_printed or self.pdf_failed:
            lines.append(f"{len(self.pdf_printed)} PDF(s) printed, {len(self.pdf_failed)} failed")
        for r in self.failed:
            lines.append(f"FAILED {r.key}: {r.error}" + (f" (in {r.cell})" if r.cell else ""))
        for r in self.pdf_failed:
            lines.append(f"PDF FAILED {r.pdf}: {r.error}")
        if self.problems is not None:
            for row in self.problems[self.problems["level"] == "error"].itertuples():
                where = f"{row.file}:{row.line}" if pd.notna(row.line) else row.file
                lines.append(f"{where}: {row.message}")
        return "\n".join(lines)


def run(
    source: Source, output: str | Path, options: ReportOptions | None = None, **kwargs
) -> BatchResult:
    """Render an HTML post-mortem per incident, the portfolio page and ``index.html``.

    ``source`` is an :class:`~incident_kit.IncidentSet` or paths to load. Options come as a
    :class:`ReportOptions`, as keywords, or both (keywords win). ``executor`` may be any
    ``concurrent.futures.Executor`` (e.g. dask's ``Client.get_executor()``): jobs carry
    their data, so workers need incident_kit installed but no shared disk.

    >>> result = ik.report.run("data", "reports", jobs=2)   # doctest: +SKIP
    >>> result.ok, result.summary()                          # doctest: +SKIP
    """
    opts = dataclasses.replace(options or ReportOptions(), **kwargs)
    phases = _Phases()
    as_of = metrics.resolve_as_of(opts.as_of)  # the run's one clock
    settings, declared = _settings(opts, as_of)
    if opts.pdf:  # before any work: a missing browser is not worth a batch to learn
        from .pdf import check_paper, require

        opts = dataclasses.replace(opts, paper=check_paper(opts.paper))
        require()
    manifest = publish.read_manifest(Path(output))  # reads only: nothing is written yet
    phases.lap("settings")
    try:
        if opts.executor is None and (opts.force or not manifest["jobs"]):
            _warm_kernels(opts)  # a first or forced run renders: warm up while loading
        return _run(source, output, opts, settings, declared, manifest, phases)
    finally:
        if opts.executor is None:
            from .kernels import close_shared_pool

            close_shared_pool()


def _warm_kernels(opts: ReportOptions) -> None:
    """Start the kernel zygote now, warming it on the notebooks this run renders (``only``:
    post-mortems alone, no portfolio or review packet)."""
    from .kernels import shared_pool

    notebooks = ("postmortem.ipynb",) if opts.only is not None else ()
    shared_pool(spares=opts.jobs or os.cpu_count() or 1, notebooks=notebooks).start()


class _Phases(dict):
    """Seconds by phase: :meth:`lap` adds the time since the last lap to a phase."""

    def __init__(self):
        super().__init__()
        self.started = self._last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self[name] = self.get(name, 0.0) + now - self._last
        self._last = now


def _run(source, output, opts, settings, declared, manifest, phases: _Phases) -> BatchResult:
    iset = _incidents(source, opts)
    phases.lap("load")
    out = publish.prepare(output, self_contained=opts.self_contained)
    pages = publish.pages(out)
    records = record_digests(iset)
    phases.lap("plan")
    context = digests = None
    if "context" in declared:
        context, digests = _context(iset, records, manifest, out)
    phases.lap("context")
    planned = {
        "previous": manifest["jobs"],
        "previous_portfolio": manifest.get(PORTFOLIO),
        "pages": pages,
        "only": _only(iset, opts.only),
        "force": opts.force,
        "records": records,
    }
    the_plan = plan(iset, settings, context=context, context_digests=digests, **planned)
    phases.lap("plan")
    if the_plan.render and context is None and digests is not None:  # needed after all
        context, digests = _fresh_context(iset, records, manifest, out)
        phases.lap("context")
        the_plan = plan(iset, settings, context=context, context_digests=digests, **planned)
        phases.lap("plan")
    as_of = settings.as_of
    packet = None
    if opts.review_days and opts.only is None:
        from .packet import batch_job

        packet = batch_job(
            iset,
            settings,
            days=opts.review_days,
            previous=manifest.get(REVIEW),
            pages=pages,
            force=opts.force,
        )
    phases.lap("review")
    publisher = publish.Publisher(out, manifest, as_of, pages)
    whole = _execute(the_plan, publisher, opts, [packet] if packet else [])
    phases.lap("render")
    names = [(iid, safe_name(iid)) for iid in iset.ids]
    listed = publisher.finish(
        iset,
        names,
        display_tz=opts.display_tz,
        as_of=as_of,
        review_days=opts.review_days,
        records=set_digest(records),
    )
    phases.lap("index")
    results = [r for r in listed if r.key in the_plan.fingerprints]
    result = BatchResult(
        out,
        results,
        portfolio=whole.get(PORTFOLIO),
        review=whole.get(REVIEW),
        problems=iset.problems,
        as_of=as_of,
        index=listed,
    )
    if opts.pdf:
        printed = _print(out, listed, opts)
        result.pdf_printed = [r for r in printed if r.ok]
        result.pdf_failed = [r for r in printed if not r.ok]
        phases.lap("pdf")
    result.phases = dict(phases)
    result.seconds = time.perf_counter() - phases.started
    return result


def _print(out: Path, listed: list[JobResult], opts: ReportOptions) -> list:
    """PDFs of the run's pages whose PDF is missing, older than the page or on other paper."""
    from .pdf import print_stale

    pages = [Path(r.html) for r in listed if r.ok and r.html]
    pages += [out / f"{n}.html" for n in (PORTFOLIO, REVIEW) if (out / f"{n}.html").is_file()]
    return print_stale(pages, paper=opts.paper)


def _context(iset: IncidentSet, records: pd.Series, manifest: dict, out: Path):
    """What each page needs from the whole set (related incidents), as (values, digests).

    It is a function of the records alone (and of the code), so when they are what the
    manifest saw last time, the digests it kept serve the fingerprints and the values (a
    second or more for 10,000 incidents) are read or computed only if a page is rendered.
    """
    key = _context_key(records)
    cached = manifest.get("context") or {}
    digests = cached.get("digests")
    if cached.get("key") == key and isinstance(digests, dict) and set(digests) == set(iset.ids):
        return None, digests
    return _fresh_context(iset, records, manifest, out)


def _fresh_context(iset: IncidentSet, records: pd.Series, manifest: dict, out: Path):
    """The context, and its digests remembered in the manifest: as the last run on these
    records left it in the output folder, else computed now (scikit-learn's import and the
    fit: seconds) and left there for the next run (e.g. after the clock moved)."""
    key = _context_key(records)
    context = publish.read_context(out, key)
    if context is None or set(context) != set(iset.ids):
        context = batch_context(iset)
        publish.save_context(out, key, context)
    digests = {iid: context_digest(context.get(iid)) for iid in iset.ids}
    manifest["context"] = {"key": key, "digests": digests}
    return context, digests


def _context_key(records: pd.Series) -> str:
    from ..version import __version__

    return f"{__version__} {set_digest(records)}"


def batch_context(iset: IncidentSet) -> dict:
    """Related incidents and repeats for every page (see ``incident_kit.similar``)."""
    from ..similar import batch_context as compute

    return compute(iset)


def _settings(opts: ReportOptions, as_of: pd.Timestamp) -> tuple[Settings, tuple[str, ...]]:
    from ..fields import zone

    try:
        zone(opts.display_tz)
    except ValueError as exc:
        raise ReportError(f"display_tz: {exc}") from None
    template = Path(opts.template) if opts.template else params.notebook_path("postmortem.ipynb")
    text, declared = params.require_parameters(template, ("source", "incident_id"))
    settings = Settings(
        as_of,
        text,
        params.notebook_path("portfolio.ipynb").read_text(encoding="utf-8"),
        opts.display_tz,
        opts.self_contained,
        opts.cell_timeout,
        opts.timeout,
    )
    return settings, declared


def _incidents(source: Source, opts: ReportOptions) -> IncidentSet:
    if isinstance(source, IncidentSet):
        if not len(source) and not len(source.problems):
            raise ReportError("no incidents to report on: the IncidentSet is empty")
        return source
    from ..sources import load

    paths = [source] if isinstance(source, (str, Path)) else list(source)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the batch result lists every problem
        iset = load(*paths, default_tz=opts.default_tz, tz_abbrev=opts.tz_abbrev)
    if not len(iset) and not len(iset.problems):  # e.g. a mistyped folder: not a success
        raise ReportError(f"no incident data found in {', '.join(str(p) for p in paths)}")
    return iset


def _only(iset: IncidentSet, only: Sequence[str] | None) -> list[str] | None:
    if only is None:
        return None
    unknown = [i for i in only if i not in iset.incidents.index]
    if unknown:
        raise IncidentKitError(f"--only: unknown incident ID {unknown[0]!r}")
    return list(only)


def _execute(
    the_plan: Plan, publisher: publish.Publisher, opts: ReportOptions, more: list[Job]
) -> dict[str, JobResult]:
    """Run the plan's jobs and ``more`` (the review packet), publishing each page as it
    arrives; the results of the pages over the whole set (portfolio, review), by kind."""
    total = len(the_plan) + len(more)
    whole: dict[str, JobResult] = {}
    if not total:
        return whole
    workers = opts.jobs or os.cpu_count() or 1
    bar = None
    if opts.progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=total, desc="reports", unit="report")
    done = failed = 0

    def on_result(job: Job, rendered: Rendered) -> None:
        nonlocal done, failed
        result = publisher(job, rendered)
        if job.kind in publish.WHOLE_SET:
            whole[job.kind] = result
        done += 1
        failed += not result.ok
        if opts.on_progress is not None:
            opts.on_progress(done, failed, total)
        if bar is not None:
            bar.set_postfix(failed=failed, remaining=total - done)
            bar.update(1)

    try:
        execute(
            itertools.chain(the_plan.jobs(), more),
            on_result,
            executor=opts.executor,
            workers=min(workers, total),
            in_flight=4 * workers,
        )
    finally:
        if bar is not None:
            bar.close()
    return whole


__all__ = ["BatchResult", "Job", "JobResult", "ReportOptions", "render", "run"]
