"""The notebooks' parameter contract, kept in one place and checked with papermill."""

from __future__ import annotations

from pathlib import Path

from ..errors import ReportError
from ..paths import notebook_path

#: Parameters of notebooks/postmortem.ipynb (papermill tag ``parameters``).
POSTMORTEM_PARAMETERS = ("source", "incident_id", "as_of", "display_tz", "context")
#: Parameters of notebooks/portfolio.ipynb.
PORTFOLIO_PARAMETERS = ("source", "as_of", "display_tz")
#: Parameters of notebooks/review.ipynb (the review packet); times are UTC ISO strings.
REVIEW_PARAMETERS = (
    "source",
    "since",
    "until",
    "as_of",
    "display_tz",
    "postmortem_days",
    "pages",
)

#: The post-mortem in order, as (heading, ``Postmortem`` method): postmortem.ipynb has a
#: Markdown cell ``## heading`` (None: no heading) and then a cell ending in ``pm.method()``;
#: ``report.show`` displays the same list inline. A test keeps the two in step.
POSTMORTEM_SECTIONS: tuple[tuple[str | None, str], ...] = (
    (None, "header"),
    (None, "reading_notes"),
    (None, "repeat_flag"),
    ("Incident Summary", "summary"),
    ("Timeline", "timeline_chart"),
    (None, "milestones"),
    ("Impact Assessment", "impact"),
    ("Root Cause Analysis", "root_cause"),
    ("Related Incidents", "related"),
    ("Actions Taken", "actions_taken"),
    ("Lessons Learned", "lessons"),
    ("Action Items", "action_items"),
    ("Prevention Measures", "prevention"),
    ("Communication", "communication"),
    ("Team Members Involved", "team"),
    ("References", "references"),
    (None, "extra_sections"),
    (None, "footer"),
    ("How these figures are computed", "appendix"),
)

__all__ = [
    "PORTFOLIO_PARAMETERS",
    "POSTMORTEM_PARAMETERS",
    "POSTMORTEM_SECTIONS",
    "check_template",
    "notebook_path",
    "parameter_names",
    "require_parameters",
]


def parameter_names(notebook: str) -> tuple[str, ...]:
    """The names a notebook (JSON text) assigns in its cell tagged ``parameters``: what
    papermill reads as its parameters, found with ``ast`` (no papermill import, which costs
    a second: a re-run with nothing to render must not pay for it). ValueError if unreadable.
    """
    import ast
    import json

    try:
        cells = json.loads(notebook)["cells"]
    except (ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"not a notebook ({exc})") from None
    for cell in cells:
        if cell.get("cell_type") == "code" and "parameters" in cell.get("metadata", {}).get(
            "tags", []
        ):
            source = cell.get("source", "")
            tree = ast.parse(source if isinstance(source, str) else "".join(source))
            names: list[str] = []
            for node in tree.body:
                if isinstance(node, ast.Assign):
                    names += [t.id for t in node.targets if isinstance(t, ast.Name)]
                elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                    names.append(node.target.id)
            return tuple(dict.fromkeys(names))
    return ()


def require_parameters(path: str | Path, required: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
    """A template's text and parameter names; ReportError when one of ``required`` is missing
    (the check :func:`check_template` makes, without papermill)."""
    path = Path(path)
    if not path.is_file():
        raise ReportError(f"{path}: no such notebook")
    text = path.read_text(encoding="utf-8")
    try:
        names = parameter_names(text)
    except (ValueError, SyntaxError) as exc:
        raise ReportError(f"{path}: cannot be read as a notebook ({exc})") from None
    missing = [p for p in required if p not in names]
    if missing:
        raise ReportError(
            f"{path}: the cell tagged 'parameters' lacks {', '.join(missing)} "
            f"(expected {', '.join(required)})"
        )
    return text, names


def check_template(path: str | Path, required: tuple[str, ...] = POSTMORTEM_PARAMETERS) -> dict:
    """The template's parameters (papermill's view); ReportError when one we pass is missing.

    papermill only logs parameters a notebook does not declare, so a typo would silently
    render the default incident: this check makes it an error.
    """
    import papermill

    require_parameters(path, required)  # missing or unreadable: the same errors, no papermill
    try:
        declared = papermill.inspect_notebook(str(path))
    except Exception as exc:  # papermill raises plain exceptions for unreadable notebooks
        raise ReportError(f"{path}: cannot be read as a notebook ({exc})") from None
    return declared
