"""The explorer as a web page for people without Jupyter: ``incident-kit explore DATA``.

Voilà (``pip install 'incident_kit[serve]'``) runs the shipped ``explore.ipynb`` itself, so the
page is the same code as the notebook, and shows only its outputs. The data folder reaches
the notebook through ``$INCIDENT_KIT_DATA`` (see :func:`incident_kit.paths.default_data`).

:class:`Server` starts a Jupyter-style server as a child process in its own process group,
waits until it answers, and stops the whole group when done, whatever happened.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .errors import IncidentKitError
from .paths import DATA_ENV, notebook_path

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8866


def free_port(host: str = DEFAULT_HOST, start: int | None = None) -> int:
    """A TCP port nobody listens on: ``start`` or the next free one up to 50 above it; without
    ``start`` a random one below the kernel's ephemeral range (32768-60999 on Linux), where
    kernels' own randomly bound ports never land between this check and the server's bind."""
    import random

    candidates = range(start, start + 50) if start else random.sample(range(20000, 32000), 100)
    for port in candidates:
        with socket.socket() as s:
            try:
                s.bind((host, port))
            except OSError:
                continue
            return port
    raise IncidentKitError(f"no free port on {host}" + (f" from {start}" if start else ""))


@dataclass
class Server:
    """A server process started by :meth:`start`; use it as a context manager."""

    process: subprocess.Popen
    url: str
    log: Path | None = None
    _stopped: bool = field(default=False, repr=False)

    @classmethod
    def start(
        cls,
        argv: Sequence[str],
        url: str,
        *,
        ready: str,
        env: dict[str, str] | None = None,
        cwd: str | Path | None = None,
        log: Path | None = None,
        timeout: float = 120.0,
    ) -> Server:
        """Run ``argv`` and wait until ``ready`` (a URL) answers HTTP; IncidentKitError with the
        end of the server's log if it exits or does not answer within ``timeout`` seconds.

        The server writes to ``log`` if given, else to this process's own output."""
        out = open(log, "wb") if log else None  # noqa: SIM115 (the child keeps its own copy)
        process = subprocess.Popen(
            list(argv),
            stdout=out,
            stderr=subprocess.STDOUT if log else None,
            stdin=subprocess.DEVNULL,
            env=env,
            cwd=cwd,
            start_new_session=True,  # its own process group: stop() ends kernels too
        )
        if log:
            out.close()
        server = cls(process, url, log)
        try:
            server._wait(ready, timeout)
        except BaseException:
            server.stop()
            raise
        return server

    def _wait(self, ready: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        delay = 0.05
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise IncidentKitError(
                    f"the server exited with code {self.process.returncode}{self._tail()}"
                )
            try:
                with urllib.request.urlopen(ready, timeout=5):
                    return
            except urllib.error.HTTPError:
                return  # it answers (e.g. a login redirect): it is up
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(delay)
            delay = min(delay * 1.5, 0.5)
        raise IncidentKitError(
            f"the server did not answer {ready} in {timeout:.0f} s{self._tail()}"
        )

    def _tail(self) -> str:
        if not self.log or not self.log.is_file():
            return ""
        lines = self.log.read_text(errors="replace").strip().splitlines()
        return (": " + " | ".join(lines[-3:])) if lines else ""

    def stop(self, grace: float = 10.0) -> None:
        """End the server and everything it started (kernels): SIGTERM, then SIGKILL."""
        if self._stopped:
            return
        self._stopped = True
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(grace)
        with contextlib.suppress(ProcessLookupError):  # kernels may outlive the server
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def voila(
    data: str | Path,
    *,
    host: str = DEFAULT_HOST,
    port: int | None = None,
    token: str | None = None,
    log: Path | None = None,
) -> Server:
    """Start Voilà on the shipped explore.ipynb reading ``data``; returns the running Server.

    ``port`` None takes 8866 or the next free port; ``token`` None makes a random one (the
    URL carries it); ``token=""`` serves without one.
    """
    try:
        import voila as _voila  # noqa: F401
    except ImportError:
        raise IncidentKitError(
            "serving the explorer needs Voilà: pip install 'incident_kit[serve]'"
        ) from None
    data = Path(data).expanduser()
    if not data.exists():
        raise IncidentKitError(f"{data}: no such file or folder")
    port = port or free_port(host, DEFAULT_PORT)
    token = secrets.token_urlsafe(16) if token is None else token
    notebook = notebook_path("explore.ipynb")
    argv = [
        sys.executable,
        "-m",
        "voila",
        str(notebook),
        "--no-browser",
        f"--port={port}",
        f"--Voila.ip={host}",
        f"--Voila.token={token}",
        "--theme=light",
        "--Voila.log_level=ERROR",  # the terminal shows our URL line and real problems only
    ]
    env = {**os.environ, DATA_ENV: str(data.resolve())}
    base = f"http://{host}:{port}/"
    url = base + (f"?token={token}" if token else "")
    # readiness: any answer from a path that does not start a kernel (the page itself would)
    return Server.start(argv, url, ready=base + "api/status", env=env, log=log)


def explore(
    data: str | Path, *, host: str = DEFAULT_HOST, port: int | None = None, out=sys.stdout
) -> int:
    """Serve the explorer on ``data`` until interrupted (Ctrl-C, SIGTERM, SIGHUP); prints the
    URL to open. Voilà and its kernels stop with it."""

    def interrupt(signum, _frame):
        raise KeyboardInterrupt

    previous = {sig: signal.signal(sig, interrupt) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        with voila(data, host=host, port=port) as server:
            print(f"Explorer for {data} at {server.url}", file=out, flush=True)
            print("Press Ctrl-C to stop.", file=out, flush=True)
            code = server.process.wait()
            raise IncidentKitError(f"Voilà stopped unexpectedly (exit code {code})")
    except KeyboardInterrupt:
        return 0
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
