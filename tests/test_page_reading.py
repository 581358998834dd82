"""What the post-mortem page shows of what the author wrote (issue 10), from the views alone.

The page's "stated in the report" column is the author's text verbatim and parsed values are
under "computed"; sections the template does not have come after the template's, rendered as
Markdown with raw HTML off; what the loader could not read or place is listed on the page.
"""

from __future__ import annotations

import warnings

import pytest

import incident_kit as ik
from incident_kit.report.views import Postmortem

REPORT = """# Queue backlog

## Incident Summary

**Incident ID**: V-1
**Severity**: High
**Status**: Resolved

Short version: one slow partner held every worker.

## Timeline

- **Detected**: 2026-02-26 10:05 EST by Grafana alert
- **Resolved**: 2026-02-26 13:15 EST

All times are Eastern.

## Impact Assessment

- **Users Affected**: ~12,000 (7%)
- **Downtime Duration**: none (degraded only)
- **Financial Impact**: under $1k, maybe
- **Regions**: us-east-1
- **Data Loss**: lots of webhooks, probably

## Root Cause Analysis

### Contributing Factors

- Read timeout was 30s
  ```
  Net::ReadTimeout endpoint=hooks.example
  ```

## Customer Communication

We emailed <b>40</b> partners. <script>alert(1)</script>

```
$ curl -s https://status.example/api | jq .
```

---

**Next Review**: once the partner replies
"""


@pytest.fixture
def pm(tmp_path) -> Postmortem:
    (tmp_path / "v.md").write_text(REPORT, encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ik.IncidentKitWarning)
        iset = ik.load(tmp_path)
    return Postmortem(iset.select(["V-1"]), "V-1", as_of=None)


def cell(html: str, row: str, column: int) -> str:
    """The text of a row's cell (1: stated, 2: computed) in the impact table."""
    start = html.index(f"<td>{row}</td>")
    cells = html[start:].split("</tr>", 1)[0].split("<td>")[1:]
    return cells[column].split("</td>")[0]


def test_stated_column_is_the_authors_text_and_parsed_values_are_computed(pm):
    html = pm.impact()
    assert cell(html, "Users affected", 1) == "~12,000 (7%)"
    assert cell(html, "Users affected", 2).startswith("12,000 (7%)")
    assert cell(html, "Downtime", 1) == "none (degraded only)"
    assert cell(html, "Downtime", 2).startswith("3h 10m")  # the impact duration, as in the summary
    assert "the stated downtime reads as 0s" in cell(html, "Downtime", 2)
    assert cell(html, "Financial impact", 1) == "under $1k, maybe"
    assert cell(html, "Financial impact", 2) == "1,000 USD"
    assert cell(html, "Data loss", 1) == "lots of webhooks, probably"


def test_extra_sections_come_after_the_template_and_are_rendered_safely(pm):
    html = pm.extra_sections()
    assert "<h2>Customer Communication</h2>" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>" not in html
    assert "&lt;b&gt;40&lt;/b&gt;" in html  # raw HTML is text, not markup
    assert "<pre><code>$ curl -s https://status.example/api | jq .\n</code></pre>" in html
    # text in a template section without a field of its own is shown too, as written
    assert "All times are Eastern." in html and "us-east-1" in html


def test_summary_prose_and_multiline_items_are_shown(pm):
    assert "Short version: one slow partner held every worker." in pm.summary()
    root = pm.root_cause()
    assert "<li><p>Read timeout was 30s</p>" in root
    assert "Net::ReadTimeout endpoint=hooks.example" in root


def test_the_page_says_what_could_not_be_read_or_placed(pm):
    notes = pm.reading_notes()
    assert notes.startswith('<details class="ik-reading"><summary>')
    assert "3 things the loader could not read or place" in notes
    # a hedged description ("probably") is neither a loss nor none: unknown, and said so
    assert "v.md:24</code> Data Loss &#x27;lots of webhooks, probably&#x27; says neither" in notes
    assert "v.md:23</code> Impact Assessment: &#x27;**Regions**: us-east-1&#x27;" in notes
    assert "kept as a note" in notes
    assert "v.md:45</code> Next Review &#x27;once the partner replies&#x27; is not a date" in notes
    assert "All times are Eastern" not in notes  # kept as a note, not a problem


def test_nothing_to_say_renders_nothing(tmp_path):
    (tmp_path / "w.md").write_text(
        "# Fine\n\n## Incident Summary\n\n**Incident ID**: W-1\n**Status**: Active\n\n"
        "## Timeline\n\n- **Detected**: 2026-02-26 10:05 UTC\n",
        encoding="utf-8",
    )
    pm = Postmortem(ik.load(tmp_path), "W-1")
    assert pm.reading_notes() == "" and pm.extra_sections() == ""
