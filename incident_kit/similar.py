"""Related incidents, recurring themes and repeats: how alike incidents are, portfolio-wide.

Each incident becomes two vectors, fitted once over the whole set: the TF-IDF of what people
wrote about it (title, what happened, why it happened, contributing factors; scikit-learn's
``TfidfVectorizer`` over Snowball-stemmed words and word pairs, English stop words left out,
so "expired certificates" meets "certificate expired") and the services it hit. Two
incidents' score is ``0.75 x`` the cosine of their texts ``+ 0.25 x`` the cosine of their
service sets: 0 is nothing in common, 1 the same text on the same services. All scores come
from sparse matrix products over every incident at once, in row chunks (10,000 incidents need
tens of megabytes, not a 10,000 x 10,000 matrix). Above 2,000 incidents, words used by more
than 5 % of them or by only one are left out: they tell nothing apart and cost the most.

A *repeat* is an incident that started within 90 days after an earlier one, shares a service
with it, and whose cause (why it happened + contributing factors) reads alike (cosine of the
cause texts >= 0.3; unrelated causes score under 0.1). Without a written cause nothing can be
called a repeat.

scikit-learn, scipy and the stemmer are imported on first use.
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .errors import UnknownNameError
from .model import IncidentSet

TEXT_FIELDS = ("title", "what_happened", "why_it_happened", "contributing_factors")
CAUSE_FIELDS = ("why_it_happened", "contributing_factors")
RELATED_COLUMNS = (
    "incident_id",
    "score",
    "title",
    "severity",
    "started",
    "shared_services",
    "repeat",
)
_CHUNK_CELLS = 4_000_000  # scores computed per chunk of rows: at most this many floats


@dataclass(frozen=True)
class SimilarOptions:
    """How alike counts as related, a theme, or a repeat.

    ``k`` related incidents at most, each scoring at least ``min_score``, earlier ones only
    (``earlier_only``: a post-mortem asks "has this happened before?"). ``text_weight`` is
    the text's share of the score (the rest: shared services). Themes join incidents whose
    texts score ``theme_score`` or more with each other (texts of unrelated incidents score
    under 0.1, retellings of one kind of incident 0.2 and up); a repeat needs a shared
    service, a cause cosine of ``repeat_cause`` or more and a start within ``repeat_window``
    after the earlier one.
    """

    k: int = 5
    min_score: float = 0.1
    earlier_only: bool = True
    text_weight: float = 0.75
    theme_score: float = 0.15
    repeat_cause: float = 0.3
    repeat_window: pd.Timedelta = field(default_factory=lambda: pd.Timedelta(days=90))


def _text(value: object) -> str:
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value)


_TOKEN = re.compile(r"(?u)\b\w\w+\b")


def _analyzer():
    """Lower-cased words, English stop words out, Snowball-stemmed, plus adjacent pairs."""
    import snowballstemmer
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    stem = functools.lru_cache(maxsize=None)(snowballstemmer.stemmer("english").stemWord)

    def analyze(doc: str) -> list[str]:
        words = [stem(w) for w in _TOKEN.findall(doc.lower()) if w not in ENGLISH_STOP_WORDS]
        return words + [f"{a} {b}" for a, b in itertools.pairwise(words)]

    return analyze


def _documents(incidents: pd.DataFrame, fields: tuple[str, ...]) -> list[str]:
    columns = [incidents[f].map(_text) for f in fields]
    return [" ".join(parts).strip() for parts in zip(*columns, strict=True)]


@dataclass
class Similarity:
    """Every incident's text, cause and service vectors (rows L2-normalized), fitted once.

    >>> sim = Similarity.fit(iset)                 # doctest: +SKIP
    >>> sim.related("INC-2026-0012")               # doctest: +SKIP
    """

    iset: IncidentSet
    options: SimilarOptions
    text: object  # scipy.sparse CSR, one row per incident
    cause: object
    services: object
    terms: np.ndarray
    started: np.ndarray  # int64 ns since epoch, NaT as the int64 minimum

    @classmethod
    def fit(cls, iset: IncidentSet, options: SimilarOptions | None = None) -> Similarity:
        from scipy import sparse
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.preprocessing import MultiLabelBinarizer, normalize

        from .metrics import context

        inc = iset.incidents
        n = len(inc)
        big = n > 2000
        vectorizer = TfidfVectorizer(
            analyzer=_analyzer(),
            sublinear_tf=True,
            min_df=2 if big else 1,
            max_df=0.05 if big else 1.0,
            dtype=np.float32,
        )
        try:
            text = vectorizer.fit_transform(_documents(inc, TEXT_FIELDS))
            cause = vectorizer.transform(_documents(inc, CAUSE_FIELDS))
            terms = vectorizer.get_feature_names_out()
        except ValueError:  # nothing but stop words, or no incidents: no text to compare
            text = cause = sparse.csr_matrix((n, 0), dtype=np.float32)
            terms = np.array([], dtype=object)
        binarizer = MultiLabelBinarizer(sparse_output=True)
        services = binarizer.fit_transform([list(s) for s in inc["services"]]) if n else None
        if services is None or services.shape[1] == 0:
            services = sparse.csr_matrix((n, 0), dtype=np.float32)
        services = sparse.csr_matrix(services, dtype=np.float32)
        services = normalize(services) if min(services.shape) else services
        started = context(iset)["started"].astype("datetime64[ns, UTC]").array.asi8
        return cls(
            iset,
            options or SimilarOptions(),
            sparse.csr_matrix(text),
            sparse.csr_matrix(cause),
            services,
            terms,
            started.copy(),
        )

    @property
    def ids(self) -> pd.Index:
        return self.iset.incidents.index

    # -- scores ---------------------------------------------------------------------------
    def _chunks(self):
        n = len(self.ids)
        step = max(1, _CHUNK_CELLS // max(1, n))
        for lo in range(0, n, step):
            yield np.arange(lo, min(n, lo + step))

    def scores(self, rows: np.ndarray, *, text_only: bool = False) -> np.ndarray:
        """Scores of ``rows`` (positions) against every incident: a dense float32 block."""
        text = (self.text[rows] @ self.text.T).toarray()
        if text_only:
            return text
        w = self.options.text_weight
        svc = (self.services[rows] @ self.services.T).toarray()
        return (w * text + (1.0 - w) * svc).astype(np.float32)

    def _candidates(self, rows: np.ndarray, score: np.ndarray) -> np.ndarray:
        """``score`` with self, later incidents (if earlier_only) and weak ones set to -1."""
        score = score.copy()
        score[np.arange(len(rows)), rows] = -1.0
        if self.options.earlier_only:
            nat = np.iinfo(np.int64).min
            mine = self.started[rows][:, None]
            later = (self.started[None, :] >= mine) & (mine != nat) & (self.started != nat)
            score[later] = -1.0
        score[score < self.options.min_score] = -1.0
        return score

    def _repeat_mask(self, rows: np.ndarray) -> np.ndarray:
        """Which incidents each of ``rows`` repeats (earlier, shared service, alike cause)."""
        nat = np.iinfo(np.int64).min
        cause = (self.cause[rows] @ self.cause.T).toarray()
        shared = (self.services[rows] @ self.services.T).toarray() > 0
        mine = self.started[rows][:, None]
        gap = mine - self.started[None, :]
        window = self.options.repeat_window.value
        known = (mine != nat) & (self.started[None, :] != nat)
        mask = known & (gap > 0) & (gap <= window) & shared
        return mask & (cause >= self.options.repeat_cause)

    # -- results --------------------------------------------------------------------------
    def table(self, k: int | None = None) -> pd.DataFrame:
        """Every incident's related incidents at once: ``source`` (the incident), then
        :data:`RELATED_COLUMNS` and ``rank``; best first within each ``source``."""
        k = self.options.k if k is None else k
        ids = self.ids.to_numpy()
        parts = []
        for rows in self._chunks():
            score = self._candidates(rows, self.scores(rows))
            repeat = self._repeat_mask(rows)
            top = min(k, score.shape[1])
            if top <= 0:
                continue
            best = np.argpartition(-score, top - 1, axis=1)[:, :top]
            best_score = np.take_along_axis(score, best, 1)
            order = np.lexsort((best, -best_score), axis=1)  # score desc, then table order
            best = np.take_along_axis(best, order, 1)
            best_score = np.take_along_axis(best_score, order, 1)
            src, rank = np.nonzero(best_score >= 0)
            parts.append(
                pd.DataFrame(
                    {
                        "source": ids[rows[src]],
                        "rank": rank + 1,
                        "position": best[src, rank],
                        "score": best_score[src, rank].astype("float64").round(3),
                        "repeat": repeat[src, best[src, rank]],
                        "_row": rows[src],
                    }
                )
            )
        if not parts:
            return pd.DataFrame(columns=["source", "rank", *RELATED_COLUMNS])
        long = pd.concat(parts, ignore_index=True)
        return self._describe(long)

    def _describe(self, long: pd.DataFrame) -> pd.DataFrame:
        from .metrics import context

        inc = self.iset.incidents
        ctx = context(self.iset)
        other = inc.iloc[long["position"].to_numpy()]
        mine = inc["services"].iloc[long["_row"].to_numpy()].to_numpy()
        shared = [
            [s for s in theirs if s in set(ours)]
            for ours, theirs in zip(mine, other["services"], strict=True)
        ]
        out = pd.DataFrame(
            {
                "source": long["source"].to_numpy(),
                "rank": long["rank"].to_numpy(),
                "incident_id": other.index.to_numpy(),
                "score": long["score"].to_numpy(),
                "title": other["title"].to_numpy(),
                "severity": other["severity"].to_numpy(),
                "started": ctx["started"].iloc[long["position"].to_numpy()].to_numpy(),
                "shared_services": shared,
                "repeat": long["repeat"].to_numpy(bool),
            }
        )
        out["severity"] = pd.Categorical(out["severity"], dtype=inc["severity"].dtype)
        out["started"] = pd.to_datetime(out["started"], utc=True)
        return out

    def related(self, incident_id: str, k: int | None = None) -> pd.DataFrame:
        """The incidents most like ``incident_id``: :data:`RELATED_COLUMNS`, best first."""
        if incident_id not in self.ids:
            known = ", ".join(map(str, self.ids[:5])) + (", ..." if len(self.ids) > 5 else "")
            raise UnknownNameError(f"unknown incident ID {incident_id!r}; known: {known}")
        k = self.options.k if k is None else k
        row = np.array([self.ids.get_loc(incident_id)])
        score = self._candidates(row, self.scores(row))[0]
        repeat = self._repeat_mask(row)[0]
        best = np.lexsort((np.arange(len(score)), -score))[:k]
        best = best[score[best] >= 0]
        long = pd.DataFrame(
            {
                "source": incident_id,
                "rank": np.arange(1, len(best) + 1),
                "position": best,
                "score": score[best].astype("float64").round(3),
                "repeat": repeat[best],
                "_row": row[0],
            }
        )
        return self._describe(long).drop(columns=["source", "rank"]).reset_index(drop=True)

    def repeats(self) -> pd.DataFrame:
        """Every repeat: ``incident_id`` (the later one), ``repeat_of`` (the earlier),
        ``days`` between their starts, ``shared_services`` and the ``cause_score``."""
        ids = self.ids.to_numpy()
        inc = self.iset.incidents
        rows_out = []
        for rows in self._chunks():
            mask = self._repeat_mask(rows)
            if not mask.any():
                continue
            cause = (self.cause[rows] @ self.cause.T).toarray()
            for i, j in zip(*np.nonzero(mask), strict=True):
                mine, theirs = inc["services"].iat[rows[i]], inc["services"].iat[j]
                rows_out.append(
                    {
                        "incident_id": ids[rows[i]],
                        "repeat_of": ids[j],
                        "days": (self.started[rows[i]] - self.started[j]) / 86400e9,
                        "shared_services": [s for s in theirs if s in set(mine)],
                        "cause_score": round(float(cause[i, j]), 3),
                    }
                )
        columns = ["incident_id", "repeat_of", "days", "shared_services", "cause_score"]
        return pd.DataFrame(rows_out, columns=columns)

    def themes(self, *, min_size: int = 2, terms: int = 4) -> pd.DataFrame:
        """Recurring themes: groups of incidents whose texts score ``theme_score`` or more
        with each other (connected components), largest first, each named by the (stemmed)
        words its incidents share.

        Columns: ``theme`` (its words), ``incidents`` (count), ``incident_ids``, ``services``
        (hit by two or more of them, else all), ``first`` and ``last`` start.
        """
        from scipy import sparse
        from scipy.sparse.csgraph import connected_components

        from .metrics import context

        n = len(self.ids)
        columns = ["theme", "incidents", "incident_ids", "services", "first", "last"]
        if n < min_size:
            return pd.DataFrame(columns=columns)
        src, dst = [], []
        for rows in self._chunks():
            score = self.scores(rows, text_only=True)
            score[np.arange(len(rows)), rows] = 0.0
            i, j = np.nonzero(score >= self.options.theme_score)
            src.append(rows[i])
            dst.append(j)
        src_all, dst_all = np.concatenate(src), np.concatenate(dst)
        graph = sparse.coo_matrix((np.ones(len(src_all)), (src_all, dst_all)), shape=(n, n))
        _, labels = connected_components(graph, directed=False)
        started = context(self.iset)["started"]
        out = []
        for label in np.unique(labels):
            members = np.flatnonzero(labels == label)
            if len(members) < min_size:
                continue
            svc = pd.Series([s for m in members for s in self.iset.incidents["services"].iat[m]])
            counts = svc.value_counts()
            shared = counts[counts >= 2].index.tolist() or counts.index.tolist()
            when = started.iloc[members]
            out.append(
                {
                    "theme": self._words(members, terms),
                    "incidents": len(members),
                    "incident_ids": self.ids[members].tolist(),
                    "services": sorted(shared),
                    "first": when.min(),
                    "last": when.max(),
                }
            )
        frame = pd.DataFrame(out, columns=columns)
        return frame.sort_values(["incidents", "first"], ascending=[False, True]).reset_index(
            drop=True
        )

    def _words(self, members: np.ndarray, n: int) -> str:
        """The words that best describe a group: heaviest terms used by two or more members
        (single words unless a pair is heavier than each of its words)."""
        if not len(self.terms):
            return ""
        block = self.text[members]
        weight = np.asarray(block.sum(axis=0)).ravel()
        used = np.asarray((block > 0).sum(axis=0)).ravel()
        weight[used < min(2, len(members))] = 0.0
        chosen: list[str] = []
        for t in np.argsort(-weight, kind="stable"):
            if weight[t] <= 0 or len(chosen) == n:
                break
            term = str(self.terms[t])
            if any(term in c or c in term for c in chosen):
                continue
            chosen.append(term)
        return ", ".join(chosen)


def related(
    iset: IncidentSet, incident_id: str, k: int = 5, *, options: SimilarOptions | None = None
) -> pd.DataFrame:
    """The earlier incidents most like ``incident_id``, best first: ``incident_id``,
    ``score`` (0-1: text cosine x 0.75 + shared-services cosine x 0.25), ``title``,
    ``severity``, ``started``, ``shared_services`` and ``repeat``.

    >>> ik.related(iset, "INC-2026-0012", k=3)     # doctest: +SKIP
    """
    return Similarity.fit(iset, options).related(incident_id, k)


def _json_time(value: object) -> str | None:
    return None if pd.isna(value) else pd.Timestamp(value).isoformat()


def _records(frame: pd.DataFrame) -> list[dict]:
    """Related rows as plain JSON (what a batch job carries), built column-wise."""
    from .files import safe_name

    if frame.empty:
        return []
    links = {i: safe_name(i) for i in pd.unique(frame["incident_id"])}
    started = [None if pd.isna(t) else t.isoformat() for t in frame["started"]]
    titles = [None if pd.isna(t) else str(t) for t in frame["title"]]
    severities = [None if pd.isna(v) else str(v) for v in frame["severity"].astype("object")]
    return [
        {
            "incident_id": iid,
            "score": float(score),
            "title": title,
            "severity": severity,
            "started": when,
            "shared_services": list(shared),
            "repeat": bool(repeat),
            "link": links[iid],
        }
        for iid, score, title, severity, when, shared, repeat in zip(
            frame["incident_id"],
            frame["score"],
            titles,
            severities,
            started,
            frame["shared_services"],
            frame["repeat"],
            strict=True,
        )
    ]


def _repeat_records(frame: pd.DataFrame) -> list[dict]:
    return [
        {
            "incident_id": r.repeat_of,
            "days": round(float(r.days), 2),
            "shared_services": list(r.shared_services),
            "cause_score": float(r.cause_score),
        }
        for r in frame.itertuples()
    ]


def context_for(iset: IncidentSet, incident_id: str, options: SimilarOptions | None = None) -> dict:
    """One incident's :func:`batch_context` entry, computed on the whole set ``iset`` (what
    a post-mortem opened by hand shows)."""
    sim = Similarity.fit(iset, options)
    reps = sim.repeats()
    return {
        "related": _records(sim.related(incident_id)),
        "repeat_of": _repeat_records(reps[reps["incident_id"] == incident_id]),
    }


def batch_context(iset: IncidentSet, options: SimilarOptions | None = None) -> dict[str, dict]:
    """What each post-mortem job carries about the rest of the portfolio, computed once for
    every incident (JSON-able): ``{"related": [...], "repeat_of": [...]}`` per incident ID.

    ``related`` rows: ``incident_id``, ``score``, ``title``, ``severity``, ``started`` (ISO
    UTC), ``shared_services``, ``repeat``, ``link`` (the page's file stem); ``repeat_of``
    rows: ``incident_id`` (the earlier one), ``days``, ``shared_services``, ``cause_score``.
    A batch job sees only its own incident; :meth:`Postmortem.open` given this ``context``
    shows the same as one opened on the whole set.
    """
    sim = Similarity.fit(iset, options)
    table = sim.table()
    out: dict[str, dict] = {iid: {"related": [], "repeat_of": []} for iid in iset.ids}
    for source, record in zip(table["source"], _records(table), strict=True):
        out[source]["related"].append(record)  # the table is best first within a source
    reps = sim.repeats()
    for iid, record in zip(reps["incident_id"], _repeat_records(reps), strict=True):
        out[iid]["repeat_of"].append(record)
    return out


def from_context(records: list[dict]) -> pd.DataFrame:
    """The frame :func:`related` returns, rebuilt from a job's ``context["related"]``."""
    frame = pd.DataFrame(list(records), columns=[*RELATED_COLUMNS, "link"])
    frame["started"] = pd.to_datetime(frame["started"], utc=True)
    return frame.drop(columns=["link"]).astype({"score": "float64", "repeat": "bool"})


__all__ = [
    "RELATED_COLUMNS",
    "SimilarOptions",
    "Similarity",
    "batch_context",
    "context_for",
    "from_context",
    "related",
]
