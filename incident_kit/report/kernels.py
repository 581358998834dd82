"""Kernels started ahead of need, with the libraries already imported.

A kernel costs about a second of start-up and imports; a small notebook runs in a fraction
of that. The pool spawns spare kernels (plain processes running ``ipykernel`` with
``exec_lines`` importing incident_kit, pandas and plotly) while others work, and hands each
incident a kernel that never ran another incident's cells. Used kernels are shut down.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import subprocess
import sys
import tempfile
import threading
from collections import deque
from dataclasses import dataclass
from pathlib import Path

WARM_UP = (
    "import incident_kit, incident_kit.report.views",
    "import pandas, plotly.graph_objects, plotly.io",
)


@dataclass
class SpareKernel:
    """A spawned kernel process and its connection info."""

    process: subprocess.Popen
    connection_file: str
    info: dict

    def manager(self, kernel_name: str = "python3"):
        """An AsyncKernelManager that adopts this process (for nbclient/papermill)."""
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_client.provisioning import LocalProvisioner

        km = AsyncKernelManager(kernel_name=kernel_name)
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

    def _spawn(self) -> SpareKernel:
        from jupyter_client.connect import write_connection_file

        fd, path = tempfile.mkstemp(prefix="ik-kernel-", suffix=".json")
        os.close(fd)
        path, info = write_connection_file(path)
        argv = [sys.executable, "-m", "ipykernel_launcher", "-f", path]
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
