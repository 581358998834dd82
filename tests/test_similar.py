"""Related incidents, repeats and recurring themes: planted look-alikes are found, others not."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import incident_kit as ik
from incident_kit import similar
from incident_kit.model import IncidentSet

from .test_metrics import iset_of

# INC-2026-0001 retold by someone else two weeks later: other words, same story.
RETOLD = {
    "incident_id": "NEW-1",
    "title": "502 errors on checkout after a config change",
    "severity": "P2",
    "status": "Resolved",
    "services": ["checkout-api"],
    "what_happened": "A config change cut the upstream connection pool of checkout from 200 "
    "to 20; requests queued and the load balancer answered 502.",
    "why_it_happened": "The change was labelled logging-only, so it skipped the canary stage; "
    "capacity values in configs are not validated.",
    "contributing_factors": ["No alert on connection pool saturation"],
}
# Same service, unrelated story: must rank below the retelling.
DECOY = {
    "incident_id": "NEW-0",
    "title": "Checkout translations missing in the Dutch storefront",
    "severity": "P4",
    "status": "Resolved",
    "services": ["checkout-api"],
    "what_happened": "Dutch shoppers saw English button labels for an afternoon.",
    "why_it_happened": "A translation bundle was published without the nl locale.",
    "contributing_factors": ["Locale list maintained by hand"],
}


def with_planted(sample: IncidentSet, *records: tuple[dict, str]) -> IncidentSet:
    extra = iset_of(
        [r for r, _ in records],
        [
            e
            for r, when in records
            for e in (
                (r["incident_id"], when, "detected"),
                (r["incident_id"], pd.Timestamp(when) + pd.Timedelta(hours=1), "resolved"),
            )
        ],
    )
    return IncidentSet.concat([sample, extra])


@pytest.fixture(scope="module")
def planted(sample):
    return with_planted(sample, (DECOY, "2026-05-20 10:00Z"), (RETOLD, "2026-05-26 09:00Z"))


def test_planted_near_duplicate_ranks_first(planted):
    rel = ik.related(planted, "NEW-1", k=5)
    assert list(rel.columns[:2]) == ["incident_id", "score"]
    assert rel.iloc[0]["incident_id"] == "INC-2026-0001"
    assert rel.iloc[0]["score"] > 0.3
    assert rel.iloc[0]["shared_services"] == ["checkout-api"]
    assert rel["score"].is_monotonic_decreasing and len(rel) <= 5
    decoy = rel.set_index("incident_id").loc["NEW-0", "score"]  # shares only the service
    assert decoy < rel.iloc[0]["score"] - 0.2
    # earlier incidents only: the retelling is not "related" to the incident it retells
    assert "NEW-1" not in set(ik.related(planted, "INC-2026-0001")["incident_id"])


def test_repeat_same_service_alike_cause_within_90_days(planted, sample):
    rel = ik.related(planted, "NEW-1").set_index("incident_id")
    assert rel.at["INC-2026-0001", "repeat"] and not rel.at["NEW-0", "repeat"]
    reps = similar.Similarity.fit(planted).repeats()
    assert reps[["incident_id", "repeat_of"]].values.tolist() == [["NEW-1", "INC-2026-0001"]]
    assert reps.iloc[0]["days"] == pytest.approx(13.79, abs=0.01)  # 05-12 14:02 -> 05-26 09:00
    # the same retelling 120 days later is related, but not a repeat
    late = with_planted(sample, (RETOLD, "2026-09-15 09:00Z"))
    rel_late = ik.related(late, "NEW-1").set_index("incident_id")
    assert not rel_late.at["INC-2026-0001", "repeat"]
    assert similar.Similarity.fit(late).repeats().empty


def test_themes_group_alike_incidents(sample):
    certs = [
        (
            {
                "incident_id": f"CERT-{i}",
                "title": title,
                "severity": "P2",
                "status": "Resolved",
                "services": [svc],
                "why_it_happened": why,
            },
            f"2026-0{i + 3}-10 10:00Z",
        )
        for i, (title, svc, why) in enumerate(
            [
                (
                    "TLS certificate expired on the login API",
                    "auth-service",
                    "The certificate renewal job failed silently.",
                ),
                (
                    "Expired certificate broke webhooks",
                    "billing-worker",
                    "Nobody was alerted before the certificate expired; renewal is manual.",
                ),
                (
                    "Status page down: TLS certificate expired",
                    "cdn-edge",
                    "Renewal of the TLS certificate was forgotten.",
                ),
            ]
        )
    ]
    iset = with_planted(sample, *certs)
    themes = similar.Similarity.fit(iset).themes()
    cert = themes[themes["incident_ids"].map(lambda ids: "CERT-0" in ids)].iloc[0]
    assert {"CERT-0", "CERT-1", "CERT-2"} <= set(cert["incident_ids"])
    assert "certif" in cert["theme"] and "expir" in cert["theme"]
    assert cert["incidents"] == len(cert["incident_ids"])
    # the sample's incidents are all different stories: no theme among them alone
    assert similar.Similarity.fit(sample).themes().empty


def test_batch_context_equals_what_a_whole_set_computes(planted):
    context = similar.batch_context(planted)
    assert set(context) == set(planted.ids)
    json.dumps(context)  # what a job carries is plain JSON
    assert [r["incident_id"] for r in context["NEW-1"]["repeat_of"]] == ["INC-2026-0001"]
    assert context["NEW-1"]["repeat_of"][0]["shared_services"] == ["checkout-api"]
    for iid in ("NEW-1", "INC-2026-0012", "INC-2026-0001"):
        carried = similar.from_context(context[iid]["related"])
        direct = ik.related(planted, iid)
        pd.testing.assert_frame_equal(carried, direct, check_dtype=False, check_categorical=False)
        assert similar.context_for(planted, iid) == context[iid]
    first = context["NEW-1"]["related"][0]
    assert first["link"] == "INC-2026-0001" and first["started"].startswith("2026-05-12T14:02")


def test_empty_one_and_unknown():
    empty = IncidentSet.empty()
    assert similar.Similarity.fit(empty).table().empty
    assert similar.Similarity.fit(empty).themes().empty
    assert similar.batch_context(empty) == {}
    one = iset_of([{"incident_id": "A", "status": "Resolved"}], [])
    assert ik.related(one, "A").empty
    with pytest.raises(ik.UnknownNameError, match="unknown incident ID 'B'"):
        ik.related(one, "B")
