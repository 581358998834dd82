"""A kernel "zygote": imports and warms the libraries once, then forks kernels on request.

Protocol on stdin/stdout, one line each: the parent writes a connection-file path, the zygote
forks a child that becomes an ipykernel on that file and answers with the child's pid. The
child binds its own ports and writes the file. Before serving, the zygote runs the shipped
notebooks' cells once on a tiny synthetic portfolio (the ones named on its command line,
default :data:`WARM`), in a scratch namespace with the outputs discarded, so plotly's lazily
imported validators, the readers and every cache are in place: each kernel starts where a
second report would be, yet has never run a notebook's cell. The post-mortem is warmed with
a related-incidents context, as the batch passes it, so nothing imports scikit-learn here.
Children are reaped automatically (SIGCHLD ignored in the zygote); the zygote ends when its
parent closes the pipe, and each kernel ends when the zygote does (ipykernel's parent poller).
"""

from __future__ import annotations

import ast
import contextlib
import gc
import io
import json
import os
import signal
import sys
import tempfile

IMPORTS = (
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "IPython",
    "pandas",
    "plotly.graph_objects",
    "plotly.io",
    "incident_kit",
    "incident_kit.report.views",
)


def _show(value: object) -> None:
    """What the kernel's display does with a cell's value: ask for its representations."""
    for method in ("_repr_mimebundle_", "_repr_html_"):
        if hasattr(value, method):
            getattr(value, method)()
            return


#: The notebooks warmed when the command line names none.
WARM = ("postmortem.ipynb", "portfolio.ipynb")


def _context(ids: list[str]) -> dict:
    """A post-mortem job's ``context`` for ``ids[0]``: ``ids[1]`` related and repeated."""
    return {
        "related": [
            {
                "incident_id": ids[1],
                "score": 0.5,
                "title": "warm-up",
                "severity": "P2",
                "started": "2026-01-01T00:00:00+00:00",
                "shared_services": ["api"],
                "repeat": True,
                "link": ids[1],
            }
        ],
        "repeat_of": [
            {"incident_id": ids[1], "days": 3.0, "shared_services": ["api"], "cause_score": 0.5}
        ],
    }


def warm_up(notebooks: tuple[str, ...] = WARM) -> None:
    """Run the shipped ``notebooks`` once on three synthetic incidents."""
    from incident_kit import synth
    from incident_kit.report.params import notebook_path
    from incident_kit.report.payload import Payload

    iset = synth.generate(3, seed=1)
    job = {
        "postmortem.ipynb": {"incident_id": iset.ids[0], "context": _context(iset.ids)},
        "portfolio.ipynb": {},
    }
    with tempfile.TemporaryDirectory(prefix="ik-warm-") as tmp:
        source = str(Payload(iset).write(tmp))
        for name in notebooks:
            extra = job.get(name, {})
            values = {"source": source, "as_of": "2026-01-01T00:00Z", "display_tz": "UTC", **extra}
            scope: dict = {}
            cells = json.loads(notebook_path(name).read_text(encoding="utf-8"))["cells"]
            for cell in cells:
                if cell["cell_type"] != "code":
                    continue
                tree = ast.parse("".join(cell["source"]))
                if "parameters" in cell.get("metadata", {}).get("tags", []):
                    exec(compile(tree, name, "exec"), scope)  # the defaults, as papermill does
                    scope.update(values)  # then what a job passes
                    continue
                last = (
                    tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
                )
                exec(compile(tree, name, "exec"), scope)
                if last is not None:
                    _show(eval(compile(ast.Expression(last.value), name, "eval"), scope))


def serve(notebooks: tuple[str, ...] = WARM) -> None:
    import importlib

    for name in IMPORTS:
        importlib.import_module(name)
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            warm_up(notebooks)
    except Exception:  # warming is an optimisation: kernels still start, only colder
        pass
    gc.collect()
    gc.freeze()  # the warm heap stays shared with the kernels instead of copied by their gc
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
                    argv=[  # binds its own ports, writes `path`, exits when the zygote does
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
    serve(tuple(sys.argv[1:]) or WARM)
