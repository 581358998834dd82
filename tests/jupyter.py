"""A real JupyterLab server and Debian's Chromium, for the browser tests and bench/explorer.py.

The server runs from this project's environment on a free local port with a fresh token,
its own config, settings and runtime folders (autosave off: opening a notebook never
writes to it), in its own process group, and is stopped whatever happens.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from incident_kit.serve import Server, free_port

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: JupyterLab settings for a quiet, read-only session: no autosave, no news or update checks.
LAB_SETTINGS = {
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/notebook-extension/tracker": {
        "autoStartDefaultKernel": True,
        "windowingMode": "none",  # every cell stays in the page, in view or not
    },
}
#: Outputs that mean something went wrong: tracebacks, stderr, a widget that failed to show.
ERROR_OUTPUTS = (
    '[data-mime-type="application/vnd.jupyter.error"], '
    '[data-mime-type="application/vnd.jupyter.stderr"], '
    ".jp-OutputArea-output:has-text('Error displaying widget')"
)


def chromium_or_skip() -> None:
    """Skip the calling test module when Debian's chromium is missing (fail in CI)."""
    import pytest

    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            raise RuntimeError("CI=true but Debian's chromium is missing: .ci/run installs it")
        pytest.skip(
            "Debian's chromium is not installed (apt-get install chromium)",
            allow_module_level=True,
        )


@contextmanager
def browser() -> Iterator[object]:
    """Playwright's Chromium, Debian's binary (never a downloaded one)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@contextmanager
def jupyterlab(root: Path, home: Path, *, env: dict[str, str] | None = None) -> Iterator[Server]:
    """JupyterLab serving ``root``; ``home`` holds its config, settings and log; ``env`` is
    the environment it runs in (default: this process's).

    ``server.url`` is the base URL; ``lab_url(server, path)`` opens a file with the token.
    """
    home.mkdir(parents=True, exist_ok=True)
    settings = home / "settings"
    for plugin, values in LAB_SETTINGS.items():
        file = settings / (plugin + ".jupyterlab-settings")
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(json.dumps(values))
    token = secrets.token_hex(16)
    port = free_port()
    argv = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        f"--port={port}",
        "--ServerApp.ip=127.0.0.1",
        "--ServerApp.port_retries=0",
        "--ServerApp.allow_root=True",  # CI containers run as root
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        f"--LabApp.user_settings_dir={settings}",
        f"--LabApp.workspaces_dir={home / 'workspaces'}",
    ]
    run_env = {
        **(os.environ if env is None else env),
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "JUPYTER_PLATFORM_DIRS": "1",
    }
    base = f"http://127.0.0.1:{port}/"
    server = Server.start(
        argv,
        base,
        ready=f"{base}api/status?token={token}",
        env=run_env,
        log=home / "jupyterlab.log",
        timeout=180,
    )
    server.token = token  # type: ignore[attr-defined]
    try:
        yield server
    finally:
        server.stop()


def lab_url(server: Server, path: str) -> str:
    # reset: a fresh workspace, no tabs restored from an earlier page
    return f"{server.url}lab/tree/{path}?reset&token={server.token}"  # type: ignore[attr-defined]


def run_all(page, path_in_lab: str, server: Server) -> None:
    """Open a notebook in JupyterLab, wait for its kernel, and run every cell from the menu."""
    page.goto(lab_url(server, path_in_lab))
    page.get_by_text("Python 3 (ipykernel) | Idle").wait_for(timeout=120_000)
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells").first.click()


def wait_until_idle(page, timeout: float = 120_000) -> None:
    """Every code cell has run (or one failed: Run All stops there) and the kernel is idle."""
    page.wait_for_function(
        r"""() => {
            const prompts = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')]
                .filter(p => p.offsetParent !== null);  // the notebook in view only
            const failed = document.querySelector(
                '[data-mime-type="application/vnd.jupyter.error"]');  // Run All stops there
            return failed || (prompts.length > 0
                              && prompts.every(p => /\[\d+\]/.test(p.textContent)));
        }""",
        timeout=timeout,
    )
    page.get_by_text("Python 3 (ipykernel) | Idle").wait_for(timeout=timeout)
