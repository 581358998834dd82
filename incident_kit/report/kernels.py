"""Kernels started ahead of need, with the libraries already imported.

A kernel costs about a second of start-up and imports; a small notebook runs in a fraction
of that. The pool keeps spare kernels ready: forked from a warm "zygote" process that has
imported ipykernel, pandas, plotly and incident_kit (or, without fork, spawned with those
imports as ``exec_lines``), and hands each incident a kernel that never ran another
incident's cells. Used kernels are killed with their process group.

Each kernel binds its own ports (ipykernel picks free ones and binds them at once) and then
writes its connection file, which the pool reads. Ports chosen by the parent and bound later
by the child can be taken in between by any other process (a Dask worker's connections, a
second pool): that race killed about one kernel in a hundred on a busy machine
("Kernel died before replying to kernel_info").
"""

from __future__ import annotations

import atexit
import contextlib
import itertools
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

from .adopt import KernelStartError, adopt

WARM_UP = (
    "import incident_kit, incident_kit.report.views",
    "import pandas, plotly.graph_objects, plotly.io",
)
_PORTS = ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port")


class ForkedProcess:
    """A Popen-like handle for a kernel forked by the zygote (not our child, so no waitpid)."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int):
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                self.returncode = 0
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(f"kernel {self.pid}", timeout)
            time.sleep(0.02)
        return self.returncode

    def send_signal(self, sig: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, sig)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)
        self.returncode = -signal.SIGKILL  # it cannot survive that; the zygote reaps it

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


class Zygote:
    """One warm process that forks kernels (see :mod:`incident_kit.report.zygote`).

    It starts warming up at once (on the shipped ``notebooks`` named, default: the zygote's
    own list); the first :meth:`fork` waits until it is ready.
    """

    def __init__(self, cwd: str | None = None, notebooks: tuple[str, ...] = ()):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "incident_kit.report.zygote", *notebooks],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            cwd=cwd,
            start_new_session=True,
        )
        self._ready = False
        self._ready_lock = threading.Lock()

    def wait_ready(self) -> None:
        """Block until the zygote has warmed up; OSError if it stopped first."""
        with self._ready_lock:
            if not self._ready:
                if self.process.stdout.readline().strip() != b"ready":
                    raise OSError("the kernel zygote did not start")
                self._ready = True

    def fork(self, connection_file: str) -> ForkedProcess:
        self.wait_ready()
        try:
            self.process.stdin.write(f"{connection_file}\n".encode())
            self.process.stdin.flush()
        except (BrokenPipeError, ValueError) as exc:
            raise OSError("the kernel zygote stopped") from exc
        line = self.process.stdout.readline().strip()
        if not line.isdigit():
            raise OSError("the kernel zygote stopped")
        return ForkedProcess(int(line))

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.stdin.close()
            self.process.kill()
            self.process.wait(timeout=10)


@dataclass
class SpareKernel:
    """A kernel process and the connection file it writes once its ports are bound."""

    process: subprocess.Popen | ForkedProcess
    connection_file: str
    _info: dict | None = field(default=None, repr=False)

    def connection_info(self, timeout: float = 60.0) -> dict:
        """The kernel's ports and key; KernelStartError if it exits or stays silent first."""
        deadline = time.monotonic() + timeout
        while self._info is None:
            try:
                info = json.loads(Path(self.connection_file).read_text(encoding="utf-8"))
                if all(int(info.get(p) or 0) > 0 for p in _PORTS) and info.get("key"):
                    self._info = info
                    break
            except (OSError, ValueError):
                pass  # not written yet, or half written
            if self.process.poll() is not None:
                raise KernelStartError("the kernel exited before it was ready")
            if time.monotonic() > deadline:
                raise KernelStartError(f"the kernel wrote no connection file in {timeout:g}s")
            time.sleep(0.005)
        return self._info

    def manager(self, kernel_name: str = "python3", timeout: float = 60.0):
        """An AsyncKernelManager that adopts this process (for nbclient/papermill)."""
        return adopt(self.process, self.connection_info(timeout), self.connection_file, kernel_name)

    def kill(self) -> None:
        """Kill the kernel and whatever it started (its process group), and forget its file.

        A forked kernel is reaped by the zygote, so nothing waits for it to go; a spawned
        one is our child and is reaped here.
        """
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.process.pid, signal.SIGKILL)  # a session leader: pgid == pid
            self.process.kill()
        if not isinstance(self.process, ForkedProcess):
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=10)
        Path(self.connection_file).unlink(missing_ok=True)


class KernelPool:
    """Keeps ``spares`` kernels starting or ready; :meth:`acquire` takes the oldest.

    ``notebooks``: the shipped notebooks the zygote runs once before forking (default: the
    post-mortem and the portfolio); a run that renders only post-mortems names just that.
    """

    def __init__(
        self,
        spares: int = 2,
        warm_up: tuple[str, ...] = WARM_UP,
        cwd: str | None = None,
        notebooks: tuple[str, ...] = (),
    ):
        self.spares = max(0, spares)
        self.warm_up = warm_up
        self.cwd = cwd
        self.notebooks = notebooks
        self._ready: deque[SpareKernel] = deque()
        self._lock = threading.Lock()
        self._closed = False
        self._zygote: Zygote | None = None
        self._zygote_starts = 0 if hasattr(os, "fork") else 2  # restarted once if it dies
        self._dir = tempfile.mkdtemp(prefix="ik-kernels-")
        self._count = itertools.count()

    def start(self) -> None:
        """Start warming the zygote now (e.g. while the data loads), and fork the spares as
        soon as it is ready, so their own start-up also overlaps the caller's work."""
        with self._lock:
            if self._zygote is None and self._zygote_starts < 2 and not self._closed:
                self._zygote_starts += 1
                self._zygote = Zygote(self.cwd, self.notebooks)
            zygote = self._zygote
        if zygote is not None and self.spares:
            threading.Thread(
                target=self._prefork, args=(zygote,), name="ik-kernel-spares", daemon=True
            ).start()

    def _prefork(self, zygote: Zygote) -> None:
        try:
            zygote.wait_ready()  # without the pool's lock: close() need not wait for it
        except OSError:
            return  # closed, or the zygote died: acquire() deals with it
        self._top_up()

    def _fork(self, path: str) -> ForkedProcess | None:
        while self._zygote_starts < 2 or self._zygote is not None:
            try:
                if self._zygote is None:
                    self._zygote_starts += 1
                    self._zygote = Zygote(self.cwd, self.notebooks)
                return self._zygote.fork(path)
            except OSError:  # no fork here, or the zygote died
                if self._zygote is not None:
                    self._zygote.close()
                    self._zygote = None
        return None  # start kernels the usual way

    def _spawn(self) -> SpareKernel:
        path = os.path.join(self._dir, f"kernel-{next(self._count)}.json")  # the kernel writes it
        forked = self._fork(path)
        if forked is not None:
            return SpareKernel(forked, path)
        argv = [
            sys.executable,
            "-m",
            "ipykernel_launcher",
            "-f",
            path,
            "--HistoryManager.enabled=False",
            f"--IPKernelApp.parent_handle={os.getpid()}",
        ]
        argv += [f"--IPKernelApp.exec_lines={line}" for line in self.warm_up]
        env = {**os.environ, "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
        process = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd=self.cwd,
            env=env,
            start_new_session=True,
        )
        return SpareKernel(process, path)

    def acquire(self) -> SpareKernel:
        """A fresh kernel (started now if no spare is waiting); the spares are topped up in
        the background, so the caller does not wait for the next fork."""
        with self._lock:
            if self._closed:
                raise KernelStartError("the kernel pool is closed")
            kernel = None
            while self._ready and kernel is None:
                candidate = self._ready.popleft()
                if candidate.process.poll() is None:
                    kernel = candidate
                else:
                    candidate.kill()
            if kernel is None:
                kernel = self._spawn()
        threading.Thread(target=self._top_up, name="ik-kernel-spares", daemon=True).start()
        return kernel

    def _top_up(self) -> None:
        with self._lock:
            try:
                while not self._closed and len(self._ready) < self.spares:
                    self._ready.append(self._spawn())
            except OSError:  # e.g. out of processes: the next acquire starts one itself
                pass

    def close(self) -> None:
        with self._lock:
            self._closed = True
            while self._ready:
                self._ready.popleft().kill()
            if self._zygote is not None:
                self._zygote.close()
                self._zygote = None
            shutil.rmtree(self._dir, ignore_errors=True)


_POOL: KernelPool | None = None
_POOL_LOCK = threading.Lock()


def shared_pool(spares: int = 1, notebooks: tuple[str, ...] = ()) -> KernelPool:
    """This process's pool (created on first use, closed at exit); ``notebooks``: what its
    zygote warms up on, if this call creates it (see :class:`KernelPool`)."""
    global _POOL
    with _POOL_LOCK:
        if _POOL is None or _POOL._closed:
            _POOL = KernelPool(spares, notebooks=notebooks)
            atexit.register(_POOL.close)
        _POOL.spares = max(_POOL.spares, spares)
        return _POOL


def close_shared_pool() -> None:
    global _POOL
    with _POOL_LOCK:
        if _POOL is not None:
            _POOL.close()
            _POOL = None


__all__ = [
    "ForkedProcess",
    "KernelPool",
    "KernelStartError",
    "SpareKernel",
    "Zygote",
    "shared_pool",
]
