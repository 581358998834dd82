"""Where the package's own files are: the default data folder and the shipped notebooks.

A notebook opened in Jupyter runs in its own folder, so a relative ``"data"`` means nothing
there. These functions resolve paths from the package instead of the working directory:
in a source checkout the project's ``data/`` and ``notebooks/``; in an installed wheel the
copies shipped inside the package (``incident_kit/sample_data``, ``incident_kit/notebooks``).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from .errors import IncidentKitError, ReportError, SourceError

#: Environment variable naming the data folder (or file) notebooks read by default.
DATA_ENV = "INCIDENT_KIT_DATA"
#: The notebooks shipped with the package, in the order ``incident-kit notebooks`` lists them.
NOTEBOOKS = ("explore.ipynb", "postmortem.ipynb", "portfolio.ipynb", "review.ipynb")

_PACKAGE = Path(__file__).resolve().parent


def _shipped(installed: str, checkout: str) -> list[Path]:
    """Where a shipped folder can be: inside the package (wheel), else in the source checkout."""
    places = [_PACKAGE / installed]
    if (_PACKAGE.parent / "pyproject.toml").is_file():
        places.append(_PACKAGE.parent / checkout)
    return places


def default_data() -> Path:
    """The folder notebooks load when not told otherwise.

    In order: ``$INCIDENT_KIT_DATA`` (a folder or file; it must exist), the sample reports
    shipped in the wheel, or the project's ``data/`` in a source checkout. Raises a
    one-line :class:`SourceError` naming every place it looked when none exists.

    >>> default_data().name in {"data", "sample_data"}  # doctest: +SKIP
    True
    """
    setting = os.environ.get(DATA_ENV, "").strip()
    if setting:
        path = Path(setting).expanduser()
        if not path.exists():
            raise SourceError(f"{DATA_ENV}={setting}: no such file or folder")
        return path.resolve()
    places = _shipped("sample_data", "data")
    for place in places:
        if place.is_dir():
            return place
    looked = ", ".join(str(p) for p in places)
    raise SourceError(
        f"no incident data found: {DATA_ENV} is not set and none of {looked} exists; "
        f"pass a folder to load() or set {DATA_ENV}"
    )


def notebook_path(name: str) -> Path:
    """A notebook shipped with the package (wheel: package data; source tree: notebooks/)."""
    places = [p / name for p in _shipped("notebooks", "notebooks")]
    for place in places:
        if place.is_file():
            return place
    raise ReportError(
        f"the notebook {name} is not installed with incident_kit (looked in "
        + ", ".join(str(p) for p in places)
        + ")"
    )


def copy_notebooks(folder: str | Path, *, overwrite: bool = False) -> list[Path]:
    """Copy the shipped notebooks into ``folder`` to edit them (e.g. for ``report --template``).

    Existing files are kept unless ``overwrite``: a copy someone edited is never replaced
    by accident. Returns the paths written.
    """
    folder = Path(folder)
    sources = [notebook_path(n) for n in NOTEBOOKS]
    targets = [folder / n for n in NOTEBOOKS]
    existing = [t for t in targets if t.exists()]
    if existing and not overwrite:
        raise IncidentKitError(
            f"{existing[0]}: already exists (pass overwrite=True, or --force, to replace it)"
        )
    folder.mkdir(parents=True, exist_ok=True)
    for source, target in zip(sources, targets, strict=True):
        shutil.copyfile(source, target)
    return targets
