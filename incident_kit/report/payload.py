"""What a report notebook reads, carried by its job to any worker.

A :class:`Payload` holds the incidents a notebook shows (their records and the problems met
while loading them) plus whatever the driver computed over the whole portfolio for the page.
It travels inside the job (plain frames and lists: picklable), so a worker needs no shared
disk and no copy of the data. On the worker, :meth:`Payload.write` lays it out in a local
folder that becomes the notebook's ``source``: ``payload.pickle`` (everything, read back by
:func:`read_source` without parsing: the views call it) and, for a custom template that may
call ``ik.load(source)``, the three tables as JSON Lines.

Adding a piece to every page, such as related incidents computed by the driver over the
whole set, is one field here (with a default, e.g. ``related: tuple = ()``), filled where
the batch builds payloads (``plan.payload_for``) and read in the views from :func:`read_source`.
"""

from __future__ import annotations

import pickle
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..model import IncidentSet

PICKLE = "payload.pickle"


@dataclass(frozen=True)
class Payload:
    """The records one notebook shows: ``iset`` keeps its load problems (``iset.problems``).

    >>> folder = Payload(iset.select(["INC-1"])).write(tmp)   # doctest: +SKIP
    >>> read_source([folder]).iset.problems                     # doctest: +SKIP
    """

    iset: IncidentSet

    def write(self, folder: str | Path, *, tables: bool = True) -> Path:
        """Lay the payload out in ``folder`` (created) and return it, for ``source``.

        ``tables=False`` leaves out the JSON Lines tables: the shipped notebooks read only
        ``payload.pickle`` (writing the tables costs more than the rest of the payload).
        """
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        if tables:
            from ..sources.tables import write

            write(self.iset, folder, "jsonl")
        (folder / PICKLE).write_bytes(pickle.dumps(self, protocol=pickle.HIGHEST_PROTOCOL))
        return folder

    @staticmethod
    def read(folder: str | Path) -> Payload | None:
        """The payload written into ``folder``, or None if it holds none."""
        path = Path(folder) / PICKLE
        if not path.is_file():
            return None
        payload = pickle.loads(path.read_bytes())  # written by this package on this worker
        return payload if isinstance(payload, Payload) else None


def read_source(paths: Sequence[str | Path]) -> Payload:
    """A notebook's ``source``: the payload folder a batch wrote, else files ``ik.load`` reads."""
    if len(paths) == 1 and Path(paths[0]).is_dir():
        payload = Payload.read(paths[0])
        if payload is not None:
            return payload
    from ..sources import load

    return Payload(load(*paths))


__all__ = ["Payload", "read_source"]
