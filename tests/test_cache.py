"""The content-hash cache of Markdown loads: a hit skips parsing, and it is never stale."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

import incident_kit as ik
from incident_kit import cache
from incident_kit.sources import markdown

from .conftest import report_md


@pytest.fixture
def cached(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.ENV, str(folder))
    return folder


@pytest.fixture
def reports(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    for i in range(3):
        (src / f"R-{i}.md").write_text(
            report_md(f"R-{i}", timeline=f"- **Detected**: 2026-03-0{i + 1} 14:05 UTC"),
            encoding="utf-8",
        )
    return src


def no_parsing(monkeypatch):
    def fail(*args, **kwargs):
        raise AssertionError("parsed although nothing changed")

    monkeypatch.setattr(markdown, "read", fail)
    monkeypatch.setitem(ik.sources.FORMATS, "markdown", ik.sources.FORMATS["markdown"].__class__(
        "markdown", "x", markdown.sniff, fail))  # fmt: skip


def load(*args, **kwargs) -> ik.IncidentSet:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ik.IncidentKitWarning)
        return ik.load(*args, **kwargs)


def test_unchanged_files_load_from_the_cache(cached, reports, monkeypatch):
    first = load(reports)
    assert len(list(cached.glob("load-*.pickle"))) == 1
    no_parsing(monkeypatch)
    again = load(reports)
    pd.testing.assert_frame_equal(again.incidents, first.incidents)
    pd.testing.assert_frame_equal(again.events, first.events)


def test_one_changed_byte_reloads(cached, reports):
    load(reports)
    path = reports / "R-1.md"
    path.write_text(path.read_text().replace("14:05", "14:06"), encoding="utf-8")
    iset = load(reports)
    detected = iset.events.set_index("incident_id").loc["R-1", "timestamp"]
    assert detected == pd.Timestamp("2026-03-02T14:06Z")


def test_options_are_part_of_the_key(cached, tmp_path):
    (tmp_path / "z.md").write_text(
        report_md("Z-1", timeline="- **Detected**: 2026-03-01 14:05 IST"), encoding="utf-8"
    )
    india = load(tmp_path / "z.md")
    israel = load(tmp_path / "z.md", tz_abbrev={"IST": "Asia/Jerusalem"})
    assert india.events.iloc[0]["timestamp"] == pd.Timestamp("2026-03-01T08:35Z")
    assert israel.events.iloc[0]["timestamp"] == pd.Timestamp("2026-03-01T12:05Z")


def test_a_hit_still_warns_and_strict_still_raises(cached, tmp_path):
    (tmp_path / "w.md").write_text(
        report_md("W-1", timeline="- **Detected**: 2026-03-01 14:05"), encoding="utf-8"
    )
    (tmp_path / "e.md").write_text(
        report_md("E-1", timeline="- **Detected**: soon"), encoding="utf-8"
    )
    for _ in range(2):  # the second load is a hit
        with pytest.warns(ik.IncidentKitWarning, match="has no time zone"):
            iset = ik.load(tmp_path)
        assert iset.ids == ["W-1"]
        with pytest.raises(ik.ValidationError, match="Detected 'soon'"):
            ik.load(tmp_path, strict=True)


def test_off_writes_nothing_and_a_broken_entry_is_a_miss(tmp_path, reports, monkeypatch):
    monkeypatch.setenv(cache.ENV, "off")
    load(reports)
    assert cache.folder() is None
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.ENV, str(folder))
    load(reports)
    (entry,) = folder.glob("load-*.pickle")
    entry.write_bytes(b"not a pickle")
    assert len(load(reports)) == 3  # read again, and the entry is replaced
    assert len(load(reports)) == 3 and entry.read_bytes() != b"not a pickle"
    assert cache.clear() == 1 and not list(folder.glob("load-*.pickle"))


def test_other_formats_are_not_cached(cached, tmp_path):
    (tmp_path / "incidents.csv").write_text("incident_id,severity\nT-1,P2\n", encoding="utf-8")
    (tmp_path / "events.csv").write_text(
        "incident_id,timestamp,kind\nT-1,2026-03-01T10:00Z,detected\n", encoding="utf-8"
    )
    assert load(tmp_path).ids == ["T-1"]
    assert not cached.exists() or not list(cached.glob("load-*.pickle"))
