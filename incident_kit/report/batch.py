"""The report batch: one post-mortem per incident, the portfolio, and an index page.

``run`` loads the data once, writes each incident's own records to a small snapshot (so a
notebook never re-reads the whole portfolio), skips incidents whose inputs did not change,
and renders the rest in parallel on any ``concurrent.futures.Executor``. Each job executes
the notebook with papermill in a fresh pre-warmed kernel and exports it with nbconvert; a
failure is recorded, rendered as a red page, and never stops the other jobs.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
import time
import warnings
from collections.abc import Sequence
from concurrent.futures import Executor, Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .. import metrics
from ..errors import IncidentKitError, ReportError
from ..files import atomic_write, inside, safe_name
from ..version import __version__
from . import export, params

MANIFEST = "manifest.json"
INPUTS = ".inputs"


@dataclass(frozen=True)
class Job:
    """Everything one worker needs to render one notebook (picklable)."""

    kind: str  # "incident" or "portfolio"
    key: str  # incident ID, or "portfolio"
    name: str  # file stem in the output folder
    template: str
    output_dir: str
    parameters: dict
    fingerprint: str
    title: str
    self_contained: bool = False
    cell_timeout: float = 120.0
    timeout: float = 600.0


@dataclass
class JobResult:
    key: str
    name: str
    ok: bool
    html: str | None = None
    notebook: str | None = None
    error: str | None = None
    cell: str | None = None
    seconds: float = 0.0
    skipped: bool = False
    fingerprint: str = ""


@dataclass
class BatchResult:
    """What a batch did: a result per incident, the portfolio's, and input problems."""

    output: Path
    results: list[JobResult] = field(default_factory=list)
    portfolio: JobResult | None = None
    problems: pd.DataFrame | None = None
    seconds: float = 0.0

    @property
    def failed(self) -> list[JobResult]:
        return [r for r in self.results if not r.ok] + (
            [self.portfolio] if self.portfolio and not self.portfolio.ok else []
        )

    @property
    def ok(self) -> bool:
        bad_input = self.problems is not None and (self.problems["level"] == "error").any()
        return not self.failed and not bad_input

    def summary(self) -> str:
        rendered = sum(1 for r in self.results if r.ok and not r.skipped)
        skipped = sum(1 for r in self.results if r.skipped)
        lines = [
            f"{rendered} report(s) rendered, {skipped} unchanged and skipped, "
            f"{len([r for r in self.results if not r.ok])} failed in {self.seconds:.1f}s "
            f"-> {self.output / 'index.html'}"
        ]
        for r in self.failed:
            lines.append(f"FAILED {r.key}: {r.error}" + (f" (in {r.cell})" if r.cell else ""))
        if self.problems is not None:
            for row in self.problems[self.problems["level"] == "error"].itertuples():
                where = f"{row.file}:{row.line}" if pd.notna(row.line) else row.file
                lines.append(f"{where}: {row.message}")
        return "\n".join(lines)


# -------------------------------------------------------------------------------------
# papermill: an engine that runs in a kernel from the pool
# -------------------------------------------------------------------------------------
_ENGINE = "incident_kit"
_engine_lock = threading.Lock()


def _register_engine() -> None:
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines

    with _engine_lock:
        if _ENGINE in papermill_engines._engines:
            return

        class PrewarmedEngine(NBClientEngine):
            """papermill's nbclient engine, adopting a kernel started ahead of need."""

            @classmethod
            def execute_managed_notebook(
                cls,
                nb_man,
                kernel_name,
                log_output=False,
                stdout_file=None,
                stderr_file=None,
                start_timeout=60,
                execution_timeout=None,
                **kwargs,
            ):
                # papermill saves the whole notebook twice per cell; the final save is enough
                # (papermill writes it after the engine returns, and on errors).
                nb_man.output_path = None
                client = PapermillNotebookClient(
                    nb_man,
                    km=kwargs.pop("km"),
                    kernel_name=kernel_name,
                    timeout=execution_timeout,
                    startup_timeout=start_timeout,
                    log_output=log_output,
                    stdout_file=stdout_file,
                    stderr_file=stderr_file,
                    log=logging.getLogger("papermill"),
                )
                try:
                    return client.execute()
                finally:  # the pool kills the kernel process itself, without a polite wait
                    if client.kc is not None:
                        client.kc.stop_channels()

        papermill_engines.register(_ENGINE, PrewarmedEngine)


def _failure(nb) -> tuple[str | None, str | None]:
    """The first error in an executed notebook: (one-line message, the cell it came from)."""
    code_cells = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        code_cells += 1
        first_line = (cell.source.strip().splitlines() or [""])[0][:60]
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                value = str(out.get("evalue", "")).strip().splitlines()
                return (
                    f"{out.get('ename')}: {value[0] if value else ''}",
                    f"code cell {code_cells}: {first_line}",
                )
        if cell.get("metadata", {}).get("papermill", {}).get("exception"):
            return (
                "the cell did not finish (timed out or the kernel died)",
                f"code cell {code_cells}: {first_line}",
            )
    return None, None


def render_job(job: Job) -> JobResult:
    """Execute one notebook in a fresh kernel and export it; never raises for job failures."""
    import nbformat
    import papermill

    from .kernels import KernelStartError, shared_pool

    _register_engine()
    started = time.perf_counter()
    out = Path(job.output_dir)
    nb_path, html_path = out / f"{job.name}.ipynb", out / f"{job.name}.html"
    tmp_nb = out / f".{job.name}.{os.getpid()}.{threading.get_ident()}.ipynb"
    killed = threading.Event()
    current: list = []

    def watchdog():
        killed.set()
        for k in current:
            k.kill()

    timer = threading.Timer(job.timeout, watchdog)
    timer.daemon = True
    error = cell = None
    timer.start()
    nb = None
    try:
        for attempt in (1, 2):  # a kernel that fails to start is replaced once
            kernel = shared_pool().acquire()
            current[:] = [kernel]
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    logging.getLogger("papermill").setLevel(logging.ERROR)
                    nb = papermill.execute_notebook(
                        job.template,
                        str(tmp_nb),
                        parameters=job.parameters,
                        engine_name=_ENGINE,
                        km=kernel.manager(),
                        kernel_name="python3",
                        progress_bar=False,
                        execution_timeout=job.cell_timeout,
                        start_timeout=120,
                    )
                break
            except KernelStartError as exc:
                if attempt == 2 or killed.is_set():
                    error = f"the kernel did not start, twice: {exc}"
                    break
            finally:
                kernel.kill()
    except Exception as exc:  # any failure is this job's result, not the batch's
        error = (
            f"{type(exc).__name__}: {str(exc).strip().splitlines()[-1] if str(exc).strip() else ''}"
        )
    finally:
        timer.cancel()
    if nb is None:  # papermill raised: it saved the notebook with the error, if it got that far
        nb = nbformat.read(tmp_nb if tmp_nb.exists() else job.template, as_version=4)
    found, cell = _failure(nb)
    if found:
        error = found
    if killed.is_set():
        error = f"gave up after {job.timeout:g}s (wall-clock limit); the kernel was stopped"
    banner = None
    if error:
        from html import escape

        banner = (
            f'<div class="ik-banner"><b>This report failed to render.</b> {escape(error)}'
            + (f" (in {escape(cell)})" if cell else "")
            + "</div>"
        )
    try:
        nav = export.INDEX_LINK if job.kind in ("incident", "portfolio") else None
        page = export.to_html(
            nb, title=job.title, self_contained=job.self_contained, banner=banner, nav=nav
        )
        atomic_write(html_path, page)
        if tmp_nb.exists():  # papermill's final save: rename it into place (atomic)
            os.chmod(tmp_nb, 0o644)
            os.replace(tmp_nb, nb_path)
        else:
            atomic_write(nb_path, nbformat.writes(nb))
    except Exception as exc:
        error = error or f"export failed: {type(exc).__name__}: {exc}"
    finally:
        tmp_nb.unlink(missing_ok=True)
    return JobResult(
        job.key,
        job.name,
        error is None,
        str(html_path),
        str(nb_path),
        error,
        cell,
        time.perf_counter() - started,
        fingerprint=job.fingerprint,
    )


# -------------------------------------------------------------------------------------
# the batch
# -------------------------------------------------------------------------------------
def _digest(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode() if isinstance(part, str) else part)
        h.update(b"\0")
    return h.hexdigest()[:20]


def _read_manifest(out: Path) -> dict:
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        return data if data.get("version") == 1 else {"version": 1, "jobs": {}}
    except (OSError, ValueError):
        return {"version": 1, "jobs": {}}


def _snapshot(iset, incident_id: str, folder: Path) -> tuple[Path, str]:
    """Write one incident's records as JSON Lines tables; return the folder and their hash."""
    from ..sources.tables import write

    one = iset.select([incident_id])
    tmp = folder.with_name(folder.name + ".tmp")
    write(one, tmp, "jsonl")
    data = b"".join(
        (tmp / f"{n}.jsonl").read_bytes() for n in ("incidents", "events", "action_items")
    )
    folder.mkdir(parents=True, exist_ok=True)
    for n in ("incidents", "events", "action_items"):
        os.replace(tmp / f"{n}.jsonl", folder / f"{n}.jsonl")
    tmp.rmdir()
    return folder, _digest(data)


def run(
    paths: str | Path | Sequence[str | Path],
    output: str | Path,
    *,
    jobs: int | None = None,
    only: Sequence[str] | None = None,
    as_of: object = None,
    display_tz: str = "UTC",
    self_contained: bool = False,
    force: bool = False,
    template: str | Path | None = None,
    default_tz: str = "UTC",
    progress: bool = True,
    timeout: float = 600.0,
    cell_timeout: float = 120.0,
    executor: Executor | None = None,
    on_progress=None,
) -> BatchResult:
    """Render an HTML post-mortem per incident, the portfolio page and ``index.html``.

    ``executor`` may be any ``concurrent.futures.Executor`` (e.g. dask's
    ``Client.get_executor()``); by default a local pool of ``jobs`` workers (CPU count).
    ``on_progress(done, failed, total)`` is called after each notebook (e.g. by the explorer).

    >>> result = ik.report.run("data", "reports")   # doctest: +SKIP
    >>> result.ok, result.summary()                  # doctest: +SKIP
    """
    from ..fields import zone
    from ..sources import load
    from .index import render_index

    started = time.perf_counter()
    zone(display_tz)
    as_of_utc = metrics.to_utc(as_of)
    paths = [paths] if isinstance(paths, (str, Path)) else list(paths)
    out = Path(output)
    if out.exists() and not out.is_dir():
        raise ReportError(f"{out}: exists and is not a folder")
    out.mkdir(parents=True, exist_ok=True)
    template = Path(template) if template else params.notebook_path("postmortem.ipynb")
    params.check_template(template, ("source", "incident_id"))
    portfolio_template = params.notebook_path("portfolio.ipynb")

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        iset = load(*paths, default_tz=default_tz)
    if not len(iset) and not len(iset.problems):  # e.g. a mistyped folder: not a success
        raise ReportError(f"no incident data found in {', '.join(str(p) for p in paths)}")
    ids = list(iset.ids)
    if only:
        unknown = [i for i in only if i not in iset.incidents.index]
        if unknown:
            raise IncidentKitError(f"--only: unknown incident ID {unknown[0]!r}")
        ids = [i for i in ids if i in set(only)]
    names = {i: safe_name(i) for i in ids}

    if not self_contained:
        asset = out / export.ASSET
        if not asset.exists() or asset.stat().st_size != len(export.plotly_js().encode()):
            atomic_write(asset, export.plotly_js())

    manifest = _read_manifest(out)
    tpl_hash = _digest(template.read_bytes())
    common = {
        "as_of": as_of_utc.isoformat() if as_of_utc is not None else None,
        "display_tz": display_tz,
    }
    jobs_to_run: list[Job] = []
    results: dict[str, JobResult] = {}
    # related incidents and repeats need the whole set: computed once here, carried per job
    from ..similar import batch_context

    context = batch_context(iset)
    for iid in ids:
        name = names[iid]
        folder, data_hash = _snapshot(iset, iid, out / INPUTS / name)
        if not inside(out, folder):  # safe_name makes this impossible; never write outside
            raise ReportError(f"incident {iid!r} would write outside {out}")
        parameters = {
            "source": str(folder.resolve()),
            "incident_id": iid,
            "context": context[iid],
            **common,
        }
        fp = _digest(
            data_hash,
            tpl_hash,
            __version__,
            json.dumps(common, sort_keys=True),
            json.dumps(context[iid], sort_keys=True),  # a new look-alike changes this page
            str(self_contained),
        )
        title = f"{iid} · {iset.incidents.at[iid, 'title'] or 'post-mortem'}"
        previous = manifest["jobs"].get(iid)
        if (
            not force
            and previous
            and previous.get("fingerprint") == fp
            and previous.get("ok")
            and (out / f"{name}.html").exists()
        ):
            results[iid] = JobResult(
                iid,
                name,
                True,
                str(out / f"{name}.html"),
                str(out / f"{name}.ipynb"),
                skipped=True,
                fingerprint=fp,
            )
            continue
        jobs_to_run.append(
            Job(
                "incident",
                iid,
                name,
                str(template),
                str(out),
                parameters,
                fp,
                title,
                self_contained,
                cell_timeout,
                timeout,
            )
        )
    portfolio_job = None
    if not only:
        source_abs = [str(Path(p).resolve()) for p in paths]
        pf_fp = _digest(
            *(open_hash(p) for p in source_abs),
            _digest(portfolio_template.read_bytes()),
            __version__,
            json.dumps(common, sort_keys=True),
            str(self_contained),
        )
        previous = manifest["jobs"].get("portfolio")
        if force or not (
            previous
            and previous.get("fingerprint") == pf_fp
            and previous.get("ok")
            and (out / "portfolio.html").exists()
        ):
            portfolio_job = Job(
                "portfolio",
                "portfolio",
                "portfolio",
                str(portfolio_template),
                str(out),
                {"source": source_abs, **common},
                pf_fp,
                "Incident portfolio",
                self_contained,
                cell_timeout,
                timeout,
            )

    all_jobs = jobs_to_run + ([portfolio_job] if portfolio_job else [])
    workers = jobs or os.cpu_count() or 1
    portfolio_result = None
    if all_jobs:
        from .kernels import close_shared_pool, shared_pool

        own = executor is None
        if own:
            shared_pool(spares=min(workers, len(all_jobs)))
        pool = executor or ThreadPoolExecutor(max_workers=workers)
        bar = None
        if progress:
            from tqdm.auto import tqdm

            bar = tqdm(total=len(all_jobs), desc="reports", unit="report")
        failed = finished = 0
        try:
            futures: dict[Future, Job] = {pool.submit(render_job, job): job for job in all_jobs}
            for fut in as_completed(futures):
                job = futures[fut]
                try:
                    res = fut.result()
                except Exception as exc:  # a worker that died (e.g. a lost dask worker)
                    res = JobResult(job.key, job.name, False, error=f"{type(exc).__name__}: {exc}")
                if job.kind == "portfolio":
                    portfolio_result = res
                else:
                    results[job.key] = res
                manifest["jobs"][job.key] = {
                    "name": job.name,
                    "fingerprint": res.fingerprint,
                    "ok": res.ok,
                    "error": res.error,
                }
                atomic_write(out / MANIFEST, json.dumps(manifest, indent=1, sort_keys=True))
                failed += not res.ok
                finished += 1
                if on_progress is not None:
                    on_progress(finished, failed, len(all_jobs))
                if bar is not None:
                    bar.set_postfix(
                        done=bar.n + 1 - failed, failed=failed, remaining=len(all_jobs) - bar.n - 1
                    )
                    bar.update(1)
        finally:
            if bar is not None:
                bar.close()
            if own:
                pool.shutdown(wait=True, cancel_futures=True)
                close_shared_pool()

    ordered = [results[i] for i in ids]
    index = render_index(
        iset,
        ordered,
        as_of=as_of_utc or pd.Timestamp.now(tz="UTC"),
        display_tz=display_tz,
        portfolio=(out / "portfolio.html").exists(),
    )
    atomic_write(out / "index.html", index)
    atomic_write(out / MANIFEST, json.dumps(manifest, indent=1, sort_keys=True))
    return BatchResult(out, ordered, portfolio_result, iset.problems, time.perf_counter() - started)


def open_hash(path: str) -> str:
    """A hash of a file or every file under a folder (names and bytes)."""
    p = Path(path)
    files = sorted(f for f in p.rglob("*") if f.is_file()) if p.is_dir() else [p]
    h = hashlib.sha256()
    for f in files:
        h.update(str(f.relative_to(p) if p.is_dir() else f.name).encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:20]


__all__ = ["BatchResult", "Job", "JobResult", "render_job", "run"]
