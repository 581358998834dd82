"""Execute report jobs: :func:`render` on a worker, :func:`execute` in the driver.

``render`` runs where the executor puts it (a local thread, a Dask worker on another
machine): it writes the job's payload into a private temporary folder, executes the notebook
with papermill in a fresh kernel from this process's warm pool, exports it with nbconvert
and returns the page, the executed notebook and timings. It writes nothing that outlives it
and never raises for a failing notebook: the failure is in what it returns.

``execute`` submits jobs to any ``concurrent.futures.Executor`` with a bounded number in
flight (payloads are made as jobs are taken), submits a job once more when its worker was
lost, and hands each result to the caller in the driver as it arrives.
"""

from __future__ import annotations

import copy
import functools
import logging
import sys
import tempfile
import threading
import time
import warnings
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from html import escape

from . import export
from .plan import Job

_ENGINE = "incident_kit"
_HIDE = logging.getLogger("papermill")
#: Optional modules that nbformat's validator (jsonschema) imports when installed, for string
#: formats no notebook schema uses: rfc3987_syntax builds an IRI grammar on import, about a
#: second of a report run's start-up (jupyter-events brings it in with JupyterLab).
UNUSED = ("rfc3987_syntax",)


def skip_unused_imports() -> None:
    """Keep :data:`UNUSED` modules out of this process (jsonschema then skips those formats).

    For processes that only run reports, such as the ``incident-kit`` command: a library
    must not decide this for the process it is imported into.
    """
    for name in UNUSED:
        sys.modules.setdefault(name, None)


@dataclass
class Rendered:
    """What a job made: the page, the executed notebook (JSON text), and what went wrong."""

    key: str
    html: str
    notebook: str
    error: str | None = None
    cell: str | None = None
    #: seconds on the worker: payload, kernel (start and connect), cells, export, total
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.error is None


# -- papermill: an engine that runs in a kernel from the pool ------------------------------
@functools.lru_cache(maxsize=1)
def _register_engine() -> str:
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines

    class TimedClient(PapermillNotebookClient):
        """papermill's client, timing how long the adopted kernel takes to answer."""

        timings: dict

        async def async_start_new_kernel_client(self):
            started = time.perf_counter()
            try:
                return await super().async_start_new_kernel_client()
            finally:
                self.timings["connect"] = time.perf_counter() - started

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
            run = kwargs.pop("ik_run")  # receives the notebook being executed, and timings
            run["nb"] = nb_man.nb
            nb_man.output_path = None  # papermill would save the notebook twice per cell
            client = TimedClient(
                nb_man,
                km=kwargs.pop("km"),
                kernel_name=kernel_name,
                timeout=execution_timeout,
                startup_timeout=start_timeout,
                log_output=log_output,
                stdout_file=stdout_file,
                stderr_file=stderr_file,
                log=_HIDE,
            )
            client.timings = run
            try:
                return client.execute()
            finally:  # the pool kills the kernel process itself, without a polite wait
                if client.kc is not None:
                    client.kc.stop_channels()

    papermill_engines.register(_ENGINE, PrewarmedEngine)
    return _ENGINE


@functools.lru_cache(maxsize=1)
def shipped() -> frozenset[str]:
    """The text of the notebooks shipped with the package (they read payloads directly)."""
    from ..paths import NOTEBOOKS
    from .params import notebook_path

    return frozenset(notebook_path(n).read_text(encoding="utf-8") for n in NOTEBOOKS)


@functools.lru_cache(maxsize=8)
def _notebook(text: str):
    import nbformat

    return nbformat.reads(text, as_version=4)


def failure(nb) -> tuple[str | None, str | None]:
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


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text.splitlines()[-1] if text else ''}"


def _execute(job: Job, source: str, timings: dict) -> tuple[object, str | None]:
    """Run the job's notebook in a fresh kernel; (executed notebook or None, error or None).

    A kernel that fails to start is replaced once. The wall-clock limit runs from the
    moment the job has its first kernel (waiting for the pool is not the notebook's time)
    and kills whichever kernel the job holds.
    """
    import papermill

    from .adopt import KernelStartError
    from .kernels import shared_pool

    engine = _register_engine()
    killed = threading.Event()
    lock = threading.Lock()
    current: list = []

    def watchdog():
        with lock:
            killed.set()
            for kernel in current:
                kernel.kill()

    timer = threading.Timer(job.timeout, watchdog)
    timer.daemon = True
    run: dict = {}
    error = None
    timings.update(kernel=0.0, cells=0.0)
    try:
        for _attempt in (1, 2):  # a kernel that fails to start is replaced once
            run = {}
            started, ready = time.perf_counter(), None
            kernel = shared_pool().acquire()
            with lock:
                current[:] = [kernel]
                if killed.is_set():  # the limit passed while this kernel was handed over
                    kernel.kill()
            if not timer.is_alive() and not killed.is_set():
                timer.start()
            try:
                km = kernel.manager()
                ready = time.perf_counter()
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    _HIDE.setLevel(logging.ERROR)
                    papermill.execute_notebook(
                        _notebook(job.notebook),  # papermill reads its own copy
                        None,  # nothing saved on the worker: the driver writes the notebook
                        parameters={"source": source, **job.parameters},
                        engine_name=engine,
                        km=km,
                        ik_run=run,
                        kernel_name="python3",
                        progress_bar=False,
                        execution_timeout=job.cell_timeout,
                        start_timeout=60,
                    )
                error = None
                break
            except KernelStartError as exc:
                error = f"the kernel did not start, twice ({exc})"
                if killed.is_set():
                    break
            finally:
                kernel.kill()
                ended, connect = time.perf_counter(), run.get("connect", 0.0)
                timings["kernel"] += (ready or ended) - started + connect
                timings["cells"] += ended - ready - connect if ready else 0.0
    except Exception as exc:  # any failure is this job's result, not the batch's
        error = _one_line(exc)
    finally:
        timer.cancel()
    if killed.is_set():
        error = f"gave up after {job.timeout:g}s (wall-clock limit); the kernel was stopped"
    return run.get("nb"), error


def render(job: Job, attempt: int = 1) -> Rendered:
    """Execute one job's notebook in a fresh kernel and export it (runs on a worker).

    ``attempt`` only tells a resubmitted job from the first (executors that key work by
    its arguments, such as Dask's, would otherwise hand back the lost one's result).
    """
    import nbformat

    started = time.perf_counter()
    timings: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="ik-job-") as tmp:
        t = time.perf_counter()
        source = str(job.payload.write(tmp, tables=job.notebook not in shipped()))
        timings["payload"] = time.perf_counter() - t
        nb, error = _execute(job, source, timings)
    cell = None
    if nb is None:  # nothing ran: show the template (with its parameters) and the reason
        nb = copy.deepcopy(_notebook(job.notebook))
    else:
        found, cell = failure(nb)
        error = found or error
    t = time.perf_counter()
    html = page(job, nb, error, cell)
    timings["export"] = time.perf_counter() - t
    timings["total"] = time.perf_counter() - started
    return Rendered(job.key, html, nbformat.writes(nb), error, cell, timings)


def page(job: Job, nb, error: str | None = None, cell: str | None = None) -> str:
    """The offline HTML page of an executed notebook, with a red banner if it failed."""
    banner = None
    if error:
        banner = (
            f'<div class="ik-banner"><b>This report failed to render.</b> {escape(error)}'
            + (f" (in {escape(cell)})" if cell else "")
            + "</div>"
        )
    nav = export.INDEX_LINK if job.kind in ("incident", "portfolio", "review") else None
    return export.to_html(
        nb, title=job.title, self_contained=job.self_contained, banner=banner, nav=nav
    )


def lost(job: Job, error: str) -> Rendered:
    """The result of a job that never came back (made in the driver)."""
    import nbformat

    nb = copy.deepcopy(_notebook(job.notebook))
    return Rendered(job.key, page(job, nb, error), nbformat.writes(nb), error)


def execute(
    jobs: Iterable[Job],
    on_result: Callable[[Job, Rendered], None],
    *,
    executor: Executor | None = None,
    workers: int = 1,
    in_flight: int | None = None,
) -> None:
    """Render every job on ``executor`` and call ``on_result(job, rendered)`` as each ends.

    Without an executor, ``workers`` threads share this process's kernel pool. At most
    ``in_flight`` jobs are submitted at a time (default: four per worker). A job whose
    future fails (its worker was lost, the executor broke) is submitted once more; after
    that it is a failed page, and every other job still runs.
    """
    from .kernels import close_shared_pool, shared_pool

    own = executor is None
    pool = ThreadPoolExecutor(max_workers=workers) if own else executor
    if own:
        shared_pool(spares=workers)
        export.start_warm_up()  # while the first notebooks run (this thread waits then)
    limit = max(1, in_flight or 4 * workers)
    todo = iter(jobs)
    pending: dict[Future, tuple[Job, int]] = {}

    def submit(job: Job, attempt: int) -> None:
        pending[pool.submit(render, job, attempt)] = (job, attempt)

    try:
        for job in todo:
            submit(job, 1)
            if len(pending) >= limit:
                break
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for fut in done:
                job, attempt = pending.pop(fut)
                try:
                    result = fut.result()
                except Exception as exc:  # the worker, not the notebook: render never raises
                    error = exc
                    if attempt == 1:
                        try:
                            submit(job, 2)
                            continue
                        except Exception as again:  # e.g. a broken process pool
                            error = again
                    result = lost(job, f"the job was lost with its worker: {_one_line(error)}")
                on_result(job, result)
                for job in todo:
                    submit(job, 1)
                    if len(pending) >= limit:
                        break
    finally:
        for fut in pending:
            fut.cancel()
        if own:
            pool.shutdown(wait=True, cancel_futures=True)
            close_shared_pool()


__all__ = ["Rendered", "execute", "failure", "page", "render", "skip_unused_imports"]
