"""A content-hash cache of loaded portfolios: safe to delete, never stale.

An entry is keyed by the path and bytes of every input file, the load options, and the code
that read them: the package version plus the size and modification time of each of its
modules and the versions of pandas, pyromark and python-dateutil, so an edited or upgraded
install never serves an old result. A hit skips parsing and validation; the files are still
read (to hash them), so a changed byte always reloads.

``INCIDENT_KIT_CACHE=off`` turns it off; ``INCIDENT_KIT_CACHE=/some/dir`` moves it (default:
the user cache folder, e.g. ``~/.cache/incident_kit``). Deleting the folder is always safe.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from importlib import metadata
from pathlib import Path

from .files import atomic_write
from .version import __version__

ENV = "INCIDENT_KIT_CACHE"
#: Whole-load entries kept (the least recently used are removed beyond this).
KEEP = 16
_OFF = ("0", "off", "no", "false", "none", "disabled")


def folder() -> Path | None:
    """Where entries live, or None when the cache is off."""
    value = os.environ.get(ENV, "").strip()
    if value.lower() in _OFF:
        return None
    if value:
        return Path(value).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("incident_kit", appauthor=False))


def _code_version() -> str:
    """The version of the code that reads inputs (computed once, when the package loads)."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(__version__.encode())
    root = Path(__file__).resolve().parent
    for path in sorted(root.rglob("*.py")):
        try:
            stat = path.stat()
        except OSError:
            continue
        digest.update(f"{path.relative_to(root)}:{stat.st_size}:{stat.st_mtime_ns};".encode())
    for dist in ("pandas", "pyromark", "python-dateutil", "numpy"):
        try:
            digest.update(f"{dist}={metadata.version(dist)};".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{dist}=none;".encode())
    return digest.hexdigest()


CODE_VERSION = _code_version()


def key(files: list[tuple[Path, bytes]], *parts: object) -> str:
    """The entry key for these files (path and bytes, in order) and options."""
    digest = hashlib.blake2b(digest_size=20)
    digest.update(CODE_VERSION.encode())
    digest.update(repr(parts).encode())
    for path, data in files:
        digest.update(f"\0{path}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def get(entry: str) -> object | None:
    """The cached value, or None (missing, off, or unreadable: a miss is always safe)."""
    where = folder()
    if where is None:
        return None
    path = where / f"load-{entry}.pickle"
    try:
        with open(path, "rb") as handle:
            value = pickle.load(handle)
        os.utime(path)  # most recently used
        return value
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError):
        return None


def put(entry: str, value: object) -> None:
    """Store ``value`` (atomically; errors only mean no cache) and drop the oldest entries."""
    where = folder()
    if where is None:
        return
    try:
        atomic_write(where / f"load-{entry}.pickle", pickle.dumps(value, protocol=5))
        entries = sorted(where.glob("load-*.pickle"), key=lambda p: p.stat().st_mtime_ns)
        for old in entries[:-KEEP]:
            old.unlink(missing_ok=True)
    except OSError:
        pass


def clear() -> int:
    """Remove every entry; returns how many there were."""
    where = folder()
    if where is None or not where.is_dir():
        return 0
    n = 0
    for path in where.glob("load-*.pickle"):
        path.unlink(missing_ok=True)
        n += 1
    return n
