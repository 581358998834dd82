"""File names and writes: incident IDs made safe for file names, every write atomic."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

RESERVED = {"index", "portfolio", "review", "assets", "manifest"}
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_name(incident_id: str) -> str:
    """A file stem for an incident ID that can never leave the output folder.

    Characters other than letters, digits, ``.``, ``_`` and ``-`` become ``_``; when that
    changed the ID (or hit a reserved name) a short hash keeps different IDs apart.

    >>> safe_name("INC-0042")
    'INC-0042'
    >>> safe_name("../../x")
    'x-9bdbf20b'
    """
    text = str(incident_id)
    stem = _UNSAFE.sub("_", text).strip("._")[:80] or "incident"
    if stem != text or stem.lower() in RESERVED:
        stem = f"{stem}-{hashlib.sha1(text.encode()).hexdigest()[:8]}"
    return stem


def atomic_write(path: Path, data: str | bytes) -> None:
    """Write to a temporary file in the same folder, then rename over ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def inside(folder: Path, path: Path) -> bool:
    """Whether ``path`` resolves inside ``folder``."""
    try:
        Path(path).resolve().relative_to(Path(folder).resolve())
    except ValueError:
        return False
    return True
