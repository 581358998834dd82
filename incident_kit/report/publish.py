"""Publish a batch in the driver: pages, the manifest and the index, every write atomic.

Workers return what they made; only this module writes into the output folder. Each page
is written as its result arrives (a crash later keeps it); the manifest (what each page was
made from, and whether it rendered) is saved at most once a second and at the end, so a run
over 10,000 incidents does not rewrite it 10,000 times. A page written but missing from the
manifest is simply rendered again next time.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import ReportError
from ..files import atomic_write, inside
from ..model import IncidentSet
from ..version import __version__
from . import export
from .execute import Rendered
from .plan import PORTFOLIO, Job

MANIFEST = "manifest.json"
#: The related-incidents context of the last run that computed it, keyed by its records.
CONTEXT = "context.json"
REVIEW = "review"
#: Pages over the whole set, kept at the manifest's top level (not per incident).
WHOLE_SET = (PORTFOLIO, REVIEW)
VERSION = 2


@dataclass
class JobResult:
    """One page of a run: rendered now, unchanged (skipped), or failed (with where)."""

    key: str
    name: str
    ok: bool
    html: str | None = None  # the page's path; None: no page (never rendered)
    notebook: str | None = None
    error: str | None = None
    cell: str | None = None
    seconds: float = 0.0
    skipped: bool = False
    fingerprint: str = ""
    #: worker seconds: payload, kernel, cells, export, total; and the driver's write
    timings: dict[str, float] = field(default_factory=dict)


def prepare(output: str | Path, *, self_contained: bool) -> Path:
    """The output folder, created, with the shared plotly.js unless pages inline it."""
    out = Path(output)
    if out.exists() and not out.is_dir():
        raise ReportError(f"{out}: exists and is not a folder")
    out.mkdir(parents=True, exist_ok=True)
    if not self_contained:
        asset = out / export.ASSET
        script = export.plotly_js().encode()
        if not asset.is_file() or asset.stat().st_size != len(script):
            atomic_write(asset, script)
    return out


def read_manifest(out: Path) -> dict:
    """The last run's manifest (an empty one if missing, unreadable or of an older layout):
    ``{"version", "as_of", "jobs": {incident ID: entry}, "portfolio": entry}``."""
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = None
    if not isinstance(data, dict) or data.get("version") != VERSION:
        return {"version": VERSION, "jobs": {}, PORTFOLIO: None}
    return data


def read_context(out: Path, key: str) -> dict | None:
    """The related-incidents context a run saved under ``key`` (see :func:`save_context`),
    or None if the folder holds none for that key (or an unreadable one)."""
    try:
        data = json.loads((out / CONTEXT).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("key") != key:
        return None
    values = data.get("context")
    return values if isinstance(values, dict) else None


def save_context(out: Path, key: str, context: Mapping) -> None:
    """Keep the context computed over the whole set for the next run on the same records:
    ``key`` names what it was computed from (the package version and the records' digest),
    so a run on other records or other code never reads it. Kept only if JSON gives back
    the very same values, in the same order (so the pages are the same either way)."""
    try:
        text = json.dumps({"key": key, "context": context}, allow_nan=False)
    except (TypeError, ValueError):
        return
    if json.loads(text)["context"] == context:
        atomic_write(out / CONTEXT, text)


def pages(out: Path) -> set[str]:
    """The page file names in the output folder (one directory read, not a stat per page)."""
    with os.scandir(out) as entries:
        return {e.name for e in entries if e.name.endswith(".html")}


class Publisher:
    """Writes each result into the output folder as it arrives and keeps the manifest."""

    def __init__(
        self,
        out: Path,
        manifest: dict,
        as_of: pd.Timestamp,
        present: set[str] | None = None,
        interval: float = 1.0,
    ):
        self.out = out
        self.manifest = manifest
        self.as_of = as_of.isoformat()
        self.pages = set(present) if present is not None else pages(out)  # names, kept current
        self.interval = interval
        self.results: dict[str, JobResult] = {}
        self._saved = time.monotonic()

    def __call__(self, job: Job, rendered: Rendered) -> JobResult:
        started = time.perf_counter()
        html, nb = self.out / f"{job.name}.html", self.out / f"{job.name}.ipynb"
        if not (inside(self.out, html) and inside(self.out, nb)):  # safe_name prevents it
            raise ReportError(f"{job.key!r} would write outside {self.out}")
        error = rendered.error
        try:
            atomic_write(html, rendered.html)
            atomic_write(nb, rendered.notebook)
            self.pages.add(html.name)
        except OSError as exc:
            error = error or f"could not write the page: {exc}"
        timings = {**rendered.timings, "write": time.perf_counter() - started}
        result = JobResult(
            job.key,
            job.name,
            error is None,
            str(html),
            str(nb),
            error,
            rendered.cell,
            rendered.timings.get("total", 0.0),
            fingerprint=job.fingerprint,
            timings=timings,
        )
        entries = self.manifest["jobs"]
        if job.kind in WHOLE_SET:
            entries = self.manifest
        else:
            self.results[job.key] = result
        entries[job.key] = {
            "name": job.name,
            "fingerprint": job.fingerprint,
            "ok": result.ok,
            "error": error,
            "cell": rendered.cell,
            "as_of": self.as_of,
            "seconds": {k: round(v, 4) for k, v in timings.items()},
        }
        if time.monotonic() - self._saved >= self.interval:
            self.save()
        return result

    def save(self) -> None:
        self.manifest["as_of"] = self.as_of
        atomic_write(self.out / MANIFEST, json.dumps(self.manifest, indent=1, sort_keys=True))
        self._saved = time.monotonic()

    def result(self, key: str, name: str, fingerprint: str = "") -> JobResult:
        """What the folder holds for a page not rendered in this run (from the manifest)."""
        if key in self.results:
            return self.results[key]
        entry: Mapping = self.manifest["jobs"].get(key) or {}
        html = self.out / f"{name}.html"
        if not entry or html.name not in self.pages:
            return JobResult(key, name, True, None, None, skipped=True, fingerprint=fingerprint)
        return JobResult(
            key,
            name,
            bool(entry.get("ok")),
            str(html),
            str(self.out / f"{name}.ipynb"),
            entry.get("error"),
            entry.get("cell"),
            skipped=True,
            fingerprint=entry.get("fingerprint", ""),
        )

    def finish(
        self,
        iset: IncidentSet,
        names: Sequence[tuple[str, str]],
        *,
        display_tz: str,
        as_of: pd.Timestamp,
        review_days: int = 0,
        records: str = "",
    ) -> list[JobResult]:
        """Write the index (every incident of ``iset``, rendered now or before, and links to
        the portfolio and the review packet when they are there) and the manifest; return
        the index's results in order. ``records`` (the set's :func:`~.plan.set_digest`) lets
        an index whose inputs did not change stay as it is (10,000 rows cost seconds)."""
        from .index import render_index

        listed = [self.result(key, name) for key, name in names]
        portfolio = f"{PORTFOLIO}.html" in self.pages
        review_days = review_days if f"{REVIEW}.html" in self.pages else 0
        shown = IndexInputs(as_of, display_tz, portfolio, review_days)
        key = _index_key(iset, listed, shown, records)
        if not key or self.manifest.get("index") != key or "index.html" not in self.pages:
            index = render_index(
                iset,
                listed,
                as_of=as_of,
                display_tz=display_tz,
                portfolio=portfolio,
                review_days=review_days,
            )
            atomic_write(self.out / "index.html", index)
            self.pages.add("index.html")
            self.manifest["index"] = key
        self.save()
        return listed


@dataclass(frozen=True)
class IndexInputs:
    """What the index shows besides the records and the rows: the clock, the zone, links."""

    as_of: pd.Timestamp
    display_tz: str
    portfolio: bool
    review_days: int


def _index_key(iset: IncidentSet, listed: list[JobResult], shown: IndexInputs, records: str) -> str:
    """A digest of everything the index shows: the records, every row's page and state, the
    input problems, the clock, the zone and the links. "" (always rewrite) without records."""
    if not records:
        return ""
    h = hashlib.sha256(
        f"{__version__}|{shown.as_of.isoformat()}|{shown.display_tz}|{shown.portfolio}|"
        f"{shown.review_days}|{records}".encode()
    )
    for r in listed:
        h.update(f"{r.key}\0{r.name}\0{r.ok}\0{r.error}\0{r.html is None}\n".encode())
    problems = iset.problems[["file", "line", "message", "level"]].astype(str)
    h.update(problems.to_csv(index=False).encode())
    return h.hexdigest()[:20]


__all__ = [
    "CONTEXT",
    "MANIFEST",
    "REVIEW",
    "WHOLE_SET",
    "JobResult",
    "Publisher",
    "pages",
    "prepare",
    "read_context",
    "read_manifest",
    "save_context",
]
