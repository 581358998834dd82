"""A kernel "zygote": imports ipykernel and the libraries once, then forks kernels on request.

Protocol on stdin/stdout, one line each: the parent writes a connection-file path, the zygote
forks a child that becomes an ipykernel on that file and answers with the child's pid. The
zygote itself never runs notebook code, so every kernel starts clean but already warm.
Children are reaped automatically (SIGCHLD ignored in the zygote); the zygote ends when its
parent closes the pipe, and each kernel ends when the zygote does (ipykernel's parent poller).
"""

from __future__ import annotations

import os
import signal
import sys


def serve() -> None:
    import importlib

    for name in (
        "ipykernel.kernelapp",
        "ipykernel.ipkernel",
        "IPython",
        "pandas",
        "plotly.graph_objects",
        "plotly.io",
        "incident_kit",
        "incident_kit.report.views",
    ):
        importlib.import_module(name)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    stdout.write(b"ready\n")
    stdout.flush()
    for raw in stdin:
        path = raw.decode().strip()
        if not path:
            continue
        pid = os.fork()
        if pid == 0:  # the kernel
            try:
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                os.setsid()
                devnull = os.open(os.devnull, os.O_RDWR)
                for fd in (0, 1, 2):
                    os.dup2(devnull, fd)
                sys.stdin = open(os.devnull)  # noqa: SIM115 - lives as long as the kernel
                from ipykernel.kernelapp import IPKernelApp

                IPKernelApp.launch_instance(
                    argv=[  # exits when the zygote does
                        "-f",
                        path,
                        "--HistoryManager.enabled=False",
                        f"--IPKernelApp.parent_handle={os.getppid()}",
                    ]
                )
            finally:
                os._exit(0)
        stdout.write(f"{pid}\n".encode())
        stdout.flush()


if __name__ == "__main__":
    serve()
