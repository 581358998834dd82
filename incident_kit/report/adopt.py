"""The one place that knows jupyter_client's internals: adopting a kernel we started.

jupyter_client expects to launch kernels itself. The pool starts them ahead of need (forked
from a warm zygote, see :mod:`.kernels`), so a kernel process already runs when a notebook
needs it. :func:`adopt` wraps such a process in an ``AsyncKernelManager`` whose
``LocalProvisioner`` holds the process instead of launching one (``process``, ``pid``,
``pgid``, ``connection_info``: internals of jupyter_client 8), and :func:`client_class`
returns a client whose readiness check does not sit out jupyter_client's fixed waits.
``tests/test_kernels.py`` pins this behaviour against the installed jupyter_client.
"""

from __future__ import annotations

import functools
import time
from typing import Any


class KernelStartError(RuntimeError):
    """A kernel died or stayed silent before it was ready: no notebook cell has run."""


def adopt(process: Any, info: dict, connection_file: str, kernel_name: str = "python3"):
    """An ``AsyncKernelManager`` for a running kernel ``process`` (a Popen-like handle).

    ``info`` is the kernel's connection info (ports, key, transport). The manager reports
    the process alive while it runs, and its client is :func:`client_class`'s.
    """
    from jupyter_client.manager import AsyncKernelManager
    from jupyter_client.provisioning import LocalProvisioner

    km = AsyncKernelManager(kernel_name=kernel_name)
    km.client_factory = client_class()
    km.load_connection_info(info)
    km.connection_file = connection_file
    provisioner = LocalProvisioner(
        kernel_id=km.kernel_id or "prewarmed", kernel_spec=km.kernel_spec, parent=km
    )
    provisioner.process = process
    provisioner.pid = process.pid
    provisioner.pgid = None  # our handle kills the process group itself
    provisioner.connection_info = info
    km.provisioner = provisioner
    return km


@functools.lru_cache(maxsize=1)
def client_class():
    """An ``AsyncKernelClient`` whose ``wait_for_ready`` is quick and raises KernelStartError.

    jupyter_client's check waits 0.2 s for an IOPub message after each kernel_info reply and
    then until IOPub has been quiet for 0.2 s; with a kernel that is already up, that is most
    of the cost of a small notebook. This one probes IOPub for 20 ms (asking again while the
    subscription is still joining) and does not flush. A kernel that dies or stays silent
    raises :class:`KernelStartError`, which the batch answers by trying another kernel.
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
                    raise KernelStartError("Kernel died before replying to kernel_info")
                if time.monotonic() > deadline:
                    raise KernelStartError(f"Kernel didn't respond in {timeout} seconds")
            # what the probes left on IOPub and shell needs no draining: nbclient skips
            # messages whose parent is not the request it waits for

    return QuickClient
