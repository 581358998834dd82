"""The warm-kernel pool and the jupyter_client glue, with real forked kernels."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import threading
import time
from queue import Empty

import pytest

from incident_kit.report import adopt
from incident_kit.report.kernels import KernelPool, SpareKernel

pytestmark = pytest.mark.kernel


@pytest.fixture
def pool():
    p = KernelPool(spares=1)
    yield p
    p.close()


async def _run(kernel: SpareKernel, code: str, timeout: float = 20) -> str:
    """Start a client on an adopted kernel, run ``code`` and return its text result."""
    km = kernel.manager()
    kc = km.client()
    kc.start_channels()
    try:
        await kc.wait_for_ready(timeout=timeout)
        msg_id = kc.execute(code)
        deadline, result = time.monotonic() + timeout, ""
        while time.monotonic() < deadline:
            try:
                msg = await kc.get_iopub_msg(timeout=1)
            except Empty:
                continue
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "execute_result":
                result = msg["content"]["data"]["text/plain"]
            elif msg["msg_type"] == "error":
                raise AssertionError(msg["content"]["evalue"])
            elif msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                return result
        raise AssertionError("the kernel did not finish")
    finally:
        kc.stop_channels()


def test_adopted_kernel_runs_code_and_is_alive_until_killed(pool):
    kernel = pool.acquire()
    km = kernel.manager()
    assert km.has_kernel and asyncio.run(km.is_alive())
    assert asyncio.run(_run(kernel, "6 * 7")) == "42"
    # warm: the zygote imported incident_kit before forking this kernel
    assert asyncio.run(_run(kernel, "'incident_kit' in __import__('sys').modules")) == "True"
    kernel.kill()
    assert not asyncio.run(km.is_alive())
    assert not os.path.exists(kernel.connection_file)


def test_each_kernel_is_fresh(pool):
    first, second = pool.acquire(), pool.acquire()
    try:
        asyncio.run(_run(first, "leaked = 1"))
        assert asyncio.run(_run(second, "'leaked' in globals()")) == "False"
        assert first.process.pid != second.process.pid
    finally:
        first.kill()
        second.kill()


def test_a_kernel_that_dies_is_a_start_error_not_a_timeout(pool):
    kernel = pool.acquire()
    kernel.connection_info()
    kernel.process.kill()
    kernel.process.wait(timeout=10)
    started = time.monotonic()
    with pytest.raises(adopt.KernelStartError, match="died before replying"):
        asyncio.run(_run(kernel, "1", timeout=30))
    assert time.monotonic() - started < 10
    kernel.kill()


def test_a_kernel_that_exits_before_writing_its_ports_is_a_start_error(tmp_path):
    quitter = subprocess.Popen([sys.executable, "-c", "pass"])
    kernel = SpareKernel(quitter, str(tmp_path / "never-written.json"))
    with pytest.raises(adopt.KernelStartError, match="exited before it was ready"):
        kernel.connection_info(timeout=30)


def test_kill_takes_what_the_kernel_started(pool):
    kernel = pool.acquire()
    child = int(
        asyncio.run(_run(kernel, "import subprocess; subprocess.Popen(['sleep', '60']).pid"))
    )
    kernel.kill()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and _alive(child):
        time.sleep(0.05)
    assert not _alive(child)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split()[2] != "Z"
    except FileNotFoundError:
        return False


def test_kernels_start_while_other_processes_churn_through_ports():
    """Regression: ports chosen by the parent were taken before the kernel bound them.

    With the old pool about one kernel in ten died here ("Kernel died before replying to
    kernel_info"); each kernel now binds its own ports before writing its connection file.
    """
    stop = threading.Event()

    def churn():
        held: list[socket.socket] = []
        while not stop.is_set():
            for _ in range(50):
                s = socket.socket()
                s.bind(("127.0.0.1", 0))
                held.append(s)
            time.sleep(0.005)
            while len(held) > 2000:
                held.pop(0).close()
        for s in held:
            s.close()

    noise = threading.Thread(target=churn, daemon=True)
    noise.start()
    failures: list[str] = []
    pools = [KernelPool(spares=1), KernelPool(spares=1)]

    def start_kernels(p: KernelPool) -> None:
        for _ in range(8):
            kernel = p.acquire()
            try:
                asyncio.run(_run(kernel, "1 + 1"))
            except Exception as exc:  # collected: the assertion below lists them
                failures.append(f"{type(exc).__name__}: {exc}")
            finally:
                kernel.kill()

    try:
        workers = [threading.Thread(target=start_kernels, args=(p,)) for p in pools]
        for w in workers:
            w.start()
        for w in workers:
            w.join(timeout=300)
    finally:
        stop.set()
        noise.join()
        for p in pools:
            p.close()
    assert failures == []


def test_the_zygote_warm_up_runs_the_shipped_notebooks_cleanly():
    """The zygote swallows warm-up errors (kernels still start, only colder): a notebook
    change that breaks the warm-up must fail here instead of slowing every report."""
    from incident_kit.report import zygote

    zygote.warm_up()


def test_a_post_mortem_only_zygote_warms_up_without_scikit_learn():
    """A run of post-mortems only (``--only``) warms its zygote on that notebook with a
    related-incidents context, as the batch passes it: scikit-learn (the related-incidents
    fit, seconds of imports) stays out of the zygote and of every kernel forked from it."""
    code = (
        "import sys; from incident_kit.report import zygote; "
        "zygote.warm_up(('postmortem.ipynb',)); print('sklearn' in sys.modules)"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=300
    )
    assert run.stdout.split()[-1] == "False"
