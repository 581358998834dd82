"""Kernels started ahead of need, with the libraries already imported.

A kernel costs about a second of start-up and imports; a small notebook runs in a fraction
of that. The pool keeps spare kernels ready: forked from a warm "zygote" process that has
imported ipykernel, pandas, plotly and incident_kit (or, without fork, spawned with those imports as ``exec_lines``), and hands each
incident a kernel that never ran another incident's cells. Used kernels are shut down.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path

WARM_UP = (
    "import incident_kit, incident_kit.report.views",
    "import pandas, plotly.graph_objects, plotly.io",
)


@functools.lru_cache(maxsize=1)
def _quick_client_class():
    """An AsyncKernelClient whose readiness check does not sit out fixed 0.2 s timeouts.

    jupyter_client's ``wait_for_ready`` waits 0.2 s for an IOPub message after each
    kernel_info reply and then until IOPub has been quiet for 0.2 s; with a kernel that is
    already up, that is most of the cost of a small notebook. This one probes IOPub for 20 ms
    (asking again while the subscription is still joining) and flushes for 50 ms.
    """
    from queue import Empty

    from jupyter_client.asynchronous import AsyncKernelClient

    class QuickClient(AsyncKernelClient):
        async def wait_for_ready(self, timeout: float | None = None) -> None:
            deadline = time.monotonic() + (timeout if timeout is not None else 60.0)
            while True:
                self.kernel_info()
                try:
                    msg = await self.shell_channel.get_msg(timeout=1)
                except Empty:
                    msg = None
                if msg is not None and msg["msg_type"] == "kernel_info_reply":
                    try:
                        await self.iopub_channel.get_msg(timeout=0.02)
                    except Empty:
                        pass
                    else:
                        self._handle_kernel_info_reply(msg)
                        break
                if not await self._async_is_alive():
                    raise RuntimeError("Kernel died before replying to kernel_info")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"Kernel didn't respond in {timeout} seconds")
            while True:  # drain what the probes left on IOPub
                try:
                    await self.iopub_channel.get_msg(timeout=0.05)
                except Empty:
                    break

    return QuickClient


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

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


class Zygote:
    """One warm process that forks kernels (see :mod:`incident_kit.report.zygote`)."""

    def __init__(self, cwd: str | None = None):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "incident_kit.report.zygote"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            cwd=cwd,
            start_new_session=True,
        )
        if self.process.stdout.readline().strip() != b"ready":
            raise OSError("the kernel zygote did not start")

    def fork(self, connection_file: str) -> ForkedProcess:
        self.process.stdin.write(f"{connection_file}\n".encode())
        self.process.stdin.flush()
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
    """A spawned kernel process and its connection info."""

    process: subprocess.Popen | ForkedProcess
    connection_file: str
    info: dict

    def manager(self, kernel_name: str = "python3"):
        """An AsyncKernelManager that adopts this process (for nbclient/papermill)."""
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_client.provisioning import LocalProvisioner

        km = AsyncKernelManager(kernel_name=kernel_name)
        km.client_factory = _quick_client_class()
        km.load_connection_info(self.info)
        km.connection_file = self.connection_file
        provisioner = LocalProvisioner(
            kernel_id=km.kernel_id or "prewarmed", kernel_spec=km.kernel_spec, parent=km
        )
        provisioner.process = self.process
        provisioner.pid = self.process.pid
        provisioner.pgid = None
        provisioner.connection_info = self.info
        km.provisioner = provisioner
        return km

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):  # a zombie we cannot reap
            self.process.wait(timeout=10)
        Path(self.connection_file).unlink(missing_ok=True)


class KernelPool:
    """Keeps ``spares`` kernels spawning or ready; :meth:`acquire` takes the oldest."""

    def __init__(self, spares: int = 2, warm_up: tuple[str, ...] = WARM_UP, cwd: str | None = None):
        self.spares = max(0, spares)
        self.warm_up = warm_up
        self.cwd = cwd
        self._ready: deque[SpareKernel] = deque()
        self._lock = threading.Lock()
        self._closed = False
        self._zygote: Zygote | None = None
        self._zygote_failed = not hasattr(os, "fork")

    def _spawn(self) -> SpareKernel:
        from jupyter_client.connect import write_connection_file

        fd, path = tempfile.mkstemp(prefix="ik-kernel-", suffix=".json")
        os.close(fd)
        path, info = write_connection_file(path)
        if not self._zygote_failed:
            try:
                if self._zygote is None:
                    self._zygote = Zygote(self.cwd)
                return SpareKernel(self._zygote.fork(path), path, dict(info))
            except OSError:  # no fork here, or the zygote died: start kernels the usual way
                self._zygote_failed = True
        argv = [
            sys.executable,
            "-m",
            "ipykernel_launcher",
            "-f",
            path,
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
        return SpareKernel(process, path, dict(info))

    def acquire(self) -> SpareKernel:
        """A fresh kernel (spawned now if no spare is waiting); tops the spares up."""
        with self._lock:
            kernel = None
            while self._ready and kernel is None:
                candidate = self._ready.popleft()
                if candidate.process.poll() is None:
                    kernel = candidate
                else:
                    candidate.kill()
            if kernel is None:
                kernel = self._spawn()
            while not self._closed and len(self._ready) < self.spares:
                self._ready.append(self._spawn())
            return kernel

    def close(self) -> None:
        with self._lock:
            self._closed = True
            while self._ready:
                self._ready.popleft().kill()
            if self._zygote is not None:
                self._zygote.close()
                self._zygote = None


_POOL: KernelPool | None = None
_POOL_LOCK = threading.Lock()


def shared_pool(spares: int = 1) -> KernelPool:
    """This process's pool (created on first use, closed at exit)."""
    global _POOL
    with _POOL_LOCK:
        if _POOL is None or _POOL._closed:
            _POOL = KernelPool(spares)
            atexit.register(_POOL.close)
        _POOL.spares = max(_POOL.spares, spares)
        return _POOL


def close_shared_pool() -> None:
    global _POOL
    with _POOL_LOCK:
        if _POOL is not None:
            _POOL.close()
            _POOL = None
