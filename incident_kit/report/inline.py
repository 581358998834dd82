"""One incident's post-mortem shown inline in a notebook, without running a batch.

The sections and their order are the notebook's (``params.POSTMORTEM_SECTIONS``) and each is
drawn by the same :class:`~incident_kit.report.views.Postmortem` method the HTML report uses,
so what an analyst sees here is what the review page will say.
"""

from __future__ import annotations

from .. import metrics
from ..markup import Html
from ..model import IncidentSet
from .params import POSTMORTEM_SECTIONS
from .views import Postmortem


def sections(
    iset: IncidentSet, incident_id: str, *, as_of: object = None, display_tz: str = "UTC"
) -> list[object]:
    """The post-mortem's displayable parts in order: heading fragments, HTML and charts.

    An unknown ``incident_id`` raises :class:`~incident_kit.UnknownNameError` naming known IDs.
    """
    from ..fields import zone

    zone(display_tz)
    from ..similar import context_for

    one = iset.select([incident_id])  # (checks the ID before the related incidents are fitted)
    context = context_for(iset, incident_id)
    pm = Postmortem(one, incident_id, metrics.to_utc(as_of), display_tz, context=context)
    out: list[object] = []
    for heading, method in POSTMORTEM_SECTIONS:
        if heading:
            out.append(Html(f"<h2>{heading}</h2>"))
        out.append(getattr(pm, method)())
    return out


def show(
    iset: IncidentSet, incident_id: str, *, as_of: object = None, display_tz: str = "UTC"
) -> None:
    """Display one incident's post-mortem in the notebook: every section of the HTML report.

    >>> ik.report.show(iset, "INC-2026-0001", display_tz="Europe/Berlin")  # doctest: +SKIP
    """
    from IPython.display import display

    display(*sections(iset, incident_id, as_of=as_of, display_tz=display_tz))
