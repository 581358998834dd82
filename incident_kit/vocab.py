"""The report template's vocabulary, defined once.

Section titles and the other titles people give them, field labels, placeholders, action-item
horizons, communication and team labels, severity and status synonyms, event-kind aliases and
time-zone abbreviations; and the words around values: multiples, currency marks, duration
units, "none", "lost" and "not known yet", timeline-table headers, "by" and "to", in the
languages people mix into the template. The Markdown reader looks words up here, the Markdown writer writes
the canonical form from here, the report views label with it and the tests check against it.

Everything is plain data plus a few lookups; nothing here reads files. Lookups compare
:func:`norm` forms, so case, emoji, punctuation, numbering and a trailing colon never matter.
Word lists are written ``"a | b | c"`` to keep them readable.

>>> section_key("## 🔍 Root cause:")
'root_cause'
>>> field_key("Incident Commander")
'incident_commander'
>>> kind_name("Response Started")
'response_started'
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from .model import HORIZONS, KINDS, MILESTONES, SEVERITIES, STATUSES

# --- normalising what people write ----------------------------------------------------------
_NUMBERING = re.compile(r"^(?:\d+(?:\.\d+)*[.)]?|[ivx]+[.)])\s+")
#: A section number as written before a title: ``2.``, ``2)``, ``7.1``, ``3 -``, ``IV.``, ``B)``.
_SECTION_NUMBER = re.compile(
    r"^[\W_]*(?:§\s*|(?:section|part|teil|abschnitt|parte|sección|seção|partie)\s+)?"
    r"(?:\d+(?:[.)]\d+)*[.)]?|[ivxlc]+[.)]|[a-h][.)])(?:\s*[-–—:]\s*|\s+)"
)
_QUOTES = re.compile(r"['’`]")
_NOT_WORD = re.compile(r"[\W_]+")


@lru_cache(maxsize=4096)
def norm(text: str) -> str:
    """Lower-case words only: emoji, punctuation, markup and leading numbering dropped.

    >>> norm("  ## 2. What We'd Do *Differently*: ")
    'what wed do differently'
    """
    s = _QUOTES.sub("", _SECTION_NUMBER.sub("", str(text).lower())).replace("&", " and ")
    words = " ".join(_NOT_WORD.sub(" ", s).split())
    return _NUMBERING.sub("", words)


def slips(a: str, b: str) -> int:
    """Typing slips between two words (optimal string alignment distance: a letter left
    out, added, changed, or two swapped), counted up to 3.

    >>> [slips("resolved", w) for w in ("resovled", "reslovled", "resolved", "revolved")]
    [1, 2, 0, 1]
    """
    if abs(len(a) - len(b)) > 2:
        return 3
    prev2, prev = [], list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        row = [i]
        for j, cb in enumerate(b, 1):
            cost = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cost = min(cost, prev2[j - 2] + 1)
            row.append(cost)
        if min(row) > 2:
            return 3
        prev2, prev = prev, row
    return min(prev[-1], 3)


def typo_of(key: str, names: Iterable[str], *, shortest: int = 5) -> str | None:
    """The one name ``key`` is a slip of typing away from (one slip, two from nine letters;
    keys shorter than ``shortest`` never), or None when none or several are. Letters
    beyond ASCII are another language's word (``Références``), not a slip."""
    if len(key) < shortest or not key.isascii():
        return None
    allowed = 2 if len(key) >= 9 else 1
    close = {n for n in names if slips(key, n) <= allowed}
    return close.pop() if len(close) == 1 else None


def _w(text: str) -> tuple[str, ...]:
    """``"a | b"`` -> ``("a", "b")``."""
    return tuple(w.strip() for w in text.split("|") if w.strip())


# --- sections ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Part:
    """A sub-heading of a section: the column it fills and the titles people give it."""

    column: str
    title: str
    aliases: tuple[str, ...] = ()
    placeholder: str = ""  # the template's placeholder item or paragraph
    ordered: bool = False  # a numbered list in the template


@dataclass(frozen=True)
class Section:
    """A ``##`` section of the template."""

    key: str
    title: str
    aliases: tuple[str, ...] = ()
    parts: tuple[Part, ...] = field(default_factory=tuple)


SECTIONS: tuple[Section, ...] = (
    Section(
        "summary",
        "Incident Summary",
        _w("summary | overview | incident overview | executive summary | incident details | "
           "tldr | tl dr | synopsis | incident info | incident information"),
    ),
    Section(
        "timeline",
        "Timeline",
        _w("incident timeline | timeline of events | chronology | sequence of events | "
           "key times | key timestamps | timestamps | key events"),
        (Part("detailed_timeline", "Detailed Timeline",
              _w("full timeline | event log | events | timeline details | detailed events | "
                 "detailed log | log of events")),),
    ),
    Section(
        "impact",
        "Impact Assessment",
        _w("impact | impact analysis | impact summary | business impact | assessment of impact | "
           "customer impact assessment"),
    ),
    Section(
        "root_cause",
        "Root Cause Analysis",
        _w("root cause | root causes | rca | cause | causes | analysis | cause analysis | "
           "root cause and analysis"),
        (
            Part("what_happened", "What Happened",
                 _w("description | incident description | details | what went on"),
                 "Detailed description of the incident"),
            Part("why_it_happened", "Why It Happened",
                 _w("why | root cause | root causes | cause | why did it happen | underlying cause"),
                 "Root cause analysis"),
            Part("contributing_factors", "Contributing Factors",
                 _w("contributing factor | contributing causes | factors | contributors"),
                 "Factor"),
        ),
    ),
    Section(
        "actions_taken",
        "Actions Taken",
        _w("actions | response | response actions | mitigation and resolution | what we did | "
           "remediation steps"),
        (
            Part("immediate_response", "Immediate Response",
                 _w("immediate actions | immediate action | response | first response | mitigation"),
                 "Action", True),
            Part("investigation", "Investigation",
                 _w("diagnosis | investigation steps | troubleshooting | debugging"),
                 "Investigation step", True),
            Part("resolution", "Resolution",
                 _w("resolution steps | fix | recovery | remediation | the fix"),
                 "Resolution step", True),
        ),
    ),
    Section(
        "lessons",
        "Lessons Learned",
        _w("lessons | learnings | lessons learnt | takeaways | retrospective notes"),
        (
            Part("went_well", "What Went Well",
                 _w("went well | what worked | what worked well | the good | good | wins"),
                 "Positive aspect"),
            Part("could_improve", "What Could Be Improved",
                 _w("could be improved | what could have gone better | what could go better | "
                    "improvements | areas for improvement | to improve | what to improve | "
                    "what we could do better | opportunities"),
                 "Improvement area"),
            Part("went_wrong", "What Went Wrong",
                 _w("went wrong | what didnt go well | what did not go well | what went badly | "
                    "the bad | bad | problems | what was hard"),
                 "Issue"),
        ),
    ),
    Section(
        "action_items",
        "Action Items",
        _w("action item | follow ups | follow up | follow up items | follow up actions | "
           "followups | next steps | todo | to do | todos | tasks | corrective actions | "
           "remediation items | ais | action plan"),
    ),
    Section(
        "prevention",
        "Prevention Measures",
        _w("prevention | preventive measures | preventative measures | preventive actions | "
           "prevention actions | how we prevent this | preventing recurrence"),
    ),
    Section("communication", "Communication", _w("communications | comms")),
    Section(
        "team",
        "Team Members Involved",
        _w("team members | team | people | people involved | participants | responders | "
           "roles | incident team | who was involved | team involved"),
    ),
    Section(
        "references",
        "References",
        _w("links | related | resources | related links | see also | reference | "
           "related tickets | supporting links"),
    ),
)  # fmt: skip
SECTION_BY_KEY: dict[str, Section] = {s.key: s for s in SECTIONS}
#: Section titles in the languages people mix into the template (German, Portuguese, Spanish,
#: French, Italian, Dutch, Swedish).
SECTION_TITLES_ELSEWHERE: dict[str, tuple[str, ...]] = {
    "summary": _w("zusammenfassung | überblick | resumo | resumen | résumé | resume | riepilogo | "
                  "sommario | samenvatting | sammanfattning | résumé de l'incident | "
                  "resumen del incidente | resumo do incidente | riepilogo dell'incidente"),
    "timeline": _w("zeitleiste | zeitlinie | zeitverlauf | ablauf | chronologie | linha do tempo | "
                   "cronologia | cronología | línea de tiempo | linea de tiempo | tijdlijn | "
                   "tidslinje | tidslinje över händelser"),
    "impact": _w("auswirkungen | auswirkung | impacto | impatto | gevolgen | påverkan | "
                 "évaluation de l'impact | evaluation de l'impact | impactbeoordeling | "
                 "evaluación del impacto | avaliação de impacto | valutazione dell'impatto"),
    "root_cause": _w("ursache | ursachen | ursachenanalyse | grundursache | causa raiz | "
                     "causa raíz | causa principal | cause racine | cause première | cause profonde | "
                     "causa principale | causa radice | oorzaak | grundorsak | analyse des causes | "
                     "analyse des causes racines | oorzaakanalyse | análisis de causa raíz | "
                     "análise de causa raiz | analisi delle cause"),
    "action_items": _w("maßnahmen | massnahmen | nächste schritte | ações | acoes | "
                       "itens de ação | acciones | plan de acción | actions correctives | "
                       "plan d'action | azioni | azioni correttive | acties | åtgärder | "
                       "actiepunten | plan de actie | plano de ação | piano d'azione"),
    "lessons": _w("erkenntnisse | lessons learned | lições aprendidas | lecciones aprendidas | "
                  "leçons apprises | lezioni apprese | geleerde lessen | lärdomar | "
                  "retour d'expérience | retour d'experience | lessen | lessen geleerd"),
    "team": _w("beteiligte | equipe | equipo | équipe | squadra | betrokkenen | équipe impliquée | "
               "equipo involucrado | equipe envolvida | betrokken team"),
}  # fmt: skip
_SECTION_ALIASES: dict[str, str] = {norm(a): s.key for s in SECTIONS for a in (s.title, *s.aliases)}
for _key, _titles in SECTION_TITLES_ELSEWHERE.items():
    for _t in _titles:
        _SECTION_ALIASES.setdefault(norm(_t), _key)
_PART_ALIASES: dict[str, dict[str, str]] = {
    s.key: {norm(a): p.column for p in s.parts for a in (p.title, *p.aliases)} for s in SECTIONS
}
#: Words people put before a report's title (``Incident Report — OTP failures``,
#: ``Post-mortem: Checkout 500s``); the title is what follows.
TITLE_PREFIXES: tuple[str, ...] = _w(
    "incident | incidente | incidencia | incident report | incident postmortem | incident post mortem | post mortem | postmortem | "
    "incident write up | incident writeup | write up | writeup | incident summary report | "
    "post mortem report | post incident review | incident review | pir | rca | rca report | "
    "rapport d'incident | incidentrapport | incident rapport | störungsbericht | vorfallbericht | "
    "informe de incidente | relatório de incidente | relatorio de incidente | "
    "rapporto di incidente | incidentrapport"
)  # the document's kind, like the template's own title ("Störung: x" keeps its word)
_TITLE_PREFIX_KEYS = frozenset(norm(p) for p in TITLE_PREFIXES)


def title_prefix(words: str) -> bool:
    """Whether the words before a title's colon or dash name the document's kind
    (``Incident Report``, ``Rapport d'incident``, ``Incident``), not the incident."""
    return norm(words) in _TITLE_PREFIX_KEYS


#: The report's ``#`` title when the author left the template's own title.
TEMPLATE_TITLE = "Incident Report Template"
#: Narrative parts written as text (paragraphs) rather than as a list of items.
TEXT_PARTS = ("what_happened", "why_it_happened")


def section_key(title: str) -> str | None:
    """The template section a heading names (``## Root cause:`` -> ``root_cause``, also
    mistyped: ``## Timline``), or None."""
    key = norm(title)
    found = _SECTION_ALIASES.get(key)
    if found is None and key not in _NOT_TYPOS:
        found = _SECTION_ALIASES.get(typo_of(key, _SECTION_ALIASES, shortest=6) or "")
    return found


def part_column(section: str, title: str) -> str | None:
    """The column a sub-heading of ``section`` fills (``What happened`` -> ``what_happened``)."""
    return _PART_ALIASES.get(section, {}).get(norm(title))


def part_anywhere(title: str) -> tuple[str, str] | None:
    """``(section, column)`` for a sub-heading written without its section (``## What Went
    Well`` with no ``Lessons Learned`` above it); only titles that name one part."""
    return _PART_ANYWHERE.get(norm(title))


_PART_ANYWHERE: dict[str, tuple[str, str]] = {}
for _s in SECTIONS:
    for _p in _s.parts:
        for _a in (_p.title, *_p.aliases):
            if norm(_a) not in _SECTION_ALIASES and len(norm(_a).split()) > 1:
                _PART_ANYWHERE.setdefault(norm(_a), (_s.key, _p.column))

# --- action-item horizons -------------------------------------------------------------------
HORIZON_TITLES: dict[str, str] = {
    "immediate": "Immediate (Next 24 hours)",
    "short_term": "Short Term (Next week)",
    "long_term": "Long Term (Next month)",
}
assert tuple(HORIZON_TITLES) == HORIZONS
#: The group of items written straight under Action Items (or a table cell left blank).
HORIZON_NOT_STATED = "Horizon not stated"
_HORIZON_WORDS: dict[str, str] = {
    **dict.fromkeys(
        _w(
            "immediate | immediately | now | next 24 hours | today | asap | immédiat | immediat | "
            "sofort | sofortmaßnahmen | inmediato | inmediatas | imediato | imediatas | "
            "immediato | onmiddellijk | direct | omedelbart"
        ),
        "immediate",
    ),
    **dict.fromkeys(
        _w(
            "short term | shortterm | next week | this week | medium term | mid term | soon | "
            "court terme | kurzfristig | corto plazo | curto prazo | breve termine | "
            "korte termijn | kort sikt"
        ),
        "short_term",
    ),
    **dict.fromkeys(
        _w(
            "long term | longterm | next month | later | next quarter | long terme | "
            "langfristig | largo plazo | longo prazo | lungo termine | lange termijn | "
            "lång sikt"
        ),
        "long_term",
    ),
}
_HORIZON_WORDS = {norm(k): v for k, v in _HORIZON_WORDS.items()}


def horizon_name(title: str) -> str | None:
    """The horizon a heading under Action Items names (``### Short term:`` -> ``short_term``)."""
    key = norm(title)
    for words, horizon in _HORIZON_WORDS.items():
        if key == words or key.startswith(words + " "):
            return horizon
    return None


# --- field labels -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Label:
    """A labelled line (``**Severity**: P2``): the column it fills, the template's label and
    placeholder, and the other labels people write."""

    column: str
    title: str
    placeholder: str
    aliases: tuple[str, ...] = ()


SUMMARY_LABELS: tuple[Label, ...] = (
    Label(
        "incident_id",
        "Incident ID",
        "[Auto-generated]",
        _w(
            "id | incident | incident number | incident no | incident ref | reference id | "
            "ticket | incident key"
        ),
    ),
    Label("title", "Title", "[title]", _w("incident title | name | incident name")),
    Label(
        "severity",
        "Severity",
        "[P1/P2/P3/P4]",
        _w("sev | priority | severity level | incident severity | sev level | impact level"),
    ),
    Label(
        "status",
        "Status",
        "[Active/Resolved/Post-Mortem]",
        _w("state | incident status | current status"),
    ),
)
IMPACT_LABELS: tuple[Label, ...] = (
    Label(
        "users_affected",
        "Users Affected",
        "[number/percentage]",
        _w(
            "affected users | users impacted | impacted users | customers affected | "
            "affected customers | users | customers impacted | user impact | customers"
        ),
    ),
    Label(
        "services",
        "Services Affected",
        "[list of services]",
        _w(
            "affected services | services impacted | impacted services | services | "
            "systems affected | affected systems | components affected | components | systems"
        ),
    ),
    Label(
        "downtime_stated",
        "Downtime Duration",
        "[duration]",
        _w(
            "downtime | duration | outage duration | total downtime | duration of impact | "
            "impact duration | outage length"
        ),
    ),
    Label("data_loss", "Data Loss", "[details if any]", _w("data lost | data impact")),
    Label(
        "financial_impact",
        "Financial Impact",
        "[if applicable]",
        _w(
            "financial | cost | revenue impact | financial cost | business cost | "
            "estimated cost | money | revenue loss"
        ),
    ),
)
TEAM_LABELS: tuple[Label, ...] = (
    Label(
        "incident_commander",
        "Incident Commander",
        "[name]",
        _w("ic | commander | incident lead | incident manager | incident owner"),
    ),
    Label(
        "technical_lead",
        "Technical Lead",
        "[name]",
        _w("tech lead | lead engineer | technical owner | engineering lead | tl"),
    ),
    Label(
        "communications",
        "Communications",
        "[name]",
        _w("comms | communications lead | comms lead | communication | communications manager"),
    ),
    Label("documentation", "Documentation", "[name]", _w("scribe | note taker | notetaker")),
)
FOOTER_LABELS: tuple[Label, ...] = (
    Label("prepared_by", "Report Prepared By", "[name]",
          _w("prepared by | author | written by | report author | report by | authored by")),
    Label("report_date", "Date", "[date]", _w("report date | date of report | written on")),
    Label("next_review", "Next Review", "[date]",
          _w("next review date | review date | follow up review | review on")),
)  # fmt: skip
LABELS: tuple[Label, ...] = (*SUMMARY_LABELS, *IMPACT_LABELS, *TEAM_LABELS, *FOOTER_LABELS)
LABEL_BY_COLUMN: dict[str, Label] = {lb.column: lb for lb in LABELS}
#: Field labels in the languages people mix into the template.
LABELS_ELSEWHERE: dict[str, tuple[str, ...]] = {
    "severity": _w("schweregrad | priorität | gravidade | severidade | prioridade | severidad | "
                   "prioridad | gravité | sévérité | priorité | gravità | priorità | ernst | "
                   "prioriteit | allvarlighetsgrad"),
    "status": _w("estado | état | etat | stato | zustand | statut | estatus"),
    "incident_id": _w("identifiant de l'incident | id de l'incident | numéro d'incident | "
                      "vorfall id | vorfallnummer | id del incidente | id do incidente | "
                      "incident nummer | incidentnummer"),
    "incident_commander": _w("commandant d'incident | commandant de l'incident | "
                             "responsable de l'incident | einsatzleiter | incident manager | "
                             "comandante del incidente | comandante do incidente | "
                             "incidentcommandant | incidentmanager"),
    "technical_lead": _w("responsable technique | lead technique | technischer leiter | "
                         "líder técnico | lider tecnico | responsabile tecnico | technisch lead"),
    "report_date": _w("date du rapport | berichtsdatum | fecha del informe | data do relatório | "
                      "rapportdatum"),
    "next_review": _w("prochaine revue | prochain examen | nächste überprüfung | "
                      "próxima revisión | próxima revisão | volgende review | volgende evaluatie"),
    "users_affected": _w("betroffene nutzer | betroffene kunden | betroffene benutzer | "
                         "usuários afetados | usuarios afetados | clientes afetados | "
                         "usuarios afectados | clientes afectados | utilisateurs affectés | "
                         "clients affectés | utenti coinvolti | utenti interessati | "
                         "getroffen gebruikers | berörda användare"),
    "services": _w("betroffene dienste | betroffene services | serviços afetados | "
                   "servicios afectados | services affectés | servizi coinvolti | "
                   "getroffen diensten | berörda tjänster"),
    "downtime_stated": _w("ausfallzeit | ausfalldauer | dauer | tempo de inatividade | "
                          "indisponibilidade | duração | tiempo de inactividad | duración | "
                          "durée d'indisponibilité | durée | tempo di inattività | durata | "
                          "downtijd | duur | driftstopp | varaktighet"),
    "data_loss": _w("datenverlust | perda de dados | pérdida de datos | perte de données | "
                    "perdita di dati | dataverlies | gegevensverlies | dataförlust"),
    "financial_impact": _w("finanzielle auswirkungen | kosten | finanzieller schaden | "
                           "impacto financeiro | custo | impacto financiero | coste | costo | "
                           "impact financier | coût | impatto finanziario | financiële impact | "
                           "kostnad"),
}  # fmt: skip
_FIELD_ALIASES: dict[str, str] = {
    norm(a): lb.column for lb in LABELS for a in (lb.title, *lb.aliases)
}
for _column, _labels in LABELS_ELSEWHERE.items():
    for _label in _labels:
        _FIELD_ALIASES.setdefault(norm(_label), _column)
#: Labels that date the incident itself (``Incident date: March 4, 2026``): a time written
#: alone on a timeline line takes this date when no earlier line gives one.
INCIDENT_DATE_LABELS: frozenset[str] = frozenset(
    _w("incident date | date of incident | occurred | occurred on | day | date")
)


def field_key(label: str) -> str | None:
    """The incident column a label fills (``Affected users`` -> ``users_affected``), also
    when mistyped (``Servcies Affected``: see :func:`field_typo`), or None."""
    key = norm(label)
    return _FIELD_ALIASES.get(key) or field_typo(key)


@lru_cache(maxsize=1024)
def field_typo(label: str) -> str | None:
    """The column a mistyped field label names (``Servcies Affected``, ``Finacial Impact``):
    one unique close match of seven letters or more, never a label of its own or a milestone;
    None otherwise. The reader says so in a warning."""
    import difflib

    key = norm(label)
    if len(key) < 5 or key in _FIELD_ALIASES or key in _NOT_TYPOS or milestone_kind(key):
        return None
    close = difflib.get_close_matches(key, list(_FIELD_ALIASES), n=2, cutoff=0.88)
    columns = {_FIELD_ALIASES[c] for c in close}
    if not columns:  # one slip in a short label: "Staus", "Sevirity"
        columns = {_FIELD_ALIASES[c] for c in _FIELD_ALIASES if slips(key, c) <= 1}
    return columns.pop() if len(columns) == 1 else None


# --- milestones and event kinds ---------------------------------------------------------------
#: How the template labels each milestone (``- **Response Started**: ...``), in time order.
MILESTONE_LABELS: dict[str, str] = {
    "impact_start": "Impact Started",
    "detected": "Detected",
    "acknowledged": "Acknowledged",
    "escalated": "Escalated",
    "response_started": "Response Started",
    "mitigated": "Mitigated",
    "resolved": "Resolved",
    "postmortem": "Post-Mortem",
}
assert tuple(MILESTONE_LABELS) == MILESTONES
#: Milestone lines the blank template has, with the placeholder tail it writes after the time.
TEMPLATE_MILESTONES: dict[str, str] = {
    "detected": " by [person/system]",
    "escalated": " to [role]",
    "response_started": "",
    "resolved": "",
    "postmortem": "",
}
#: Other names of each milestone, as labels of timeline lines and in a table's kind column.
_KIND_ALIASES: dict[str, str] = {
    **dict.fromkeys(
        _w("impact started | impact start | impact starts | impact began | impact begins | "
           "start of impact | impact | start | started | began | incident start | "
           "incident started | début de l'impact | debut de l'impact | beginn der auswirkung | "
           "inicio del impacto | início do impacto | inizio impatto | begin impact | "
           "impact begonnen"),
        "impact_start",
    ),
    **dict.fromkeys(_w("detection | detect | alerted | first alert | detected at | erkannt | "
                       "entdeckt | détecté | détectée | detecte | detectado | detectada | "
                       "detetado | rilevato | gedetecteerd | ontdekt | upptäckt | det"), "detected"),
    **dict.fromkeys(
        _w("ack | acked | acks | acknowledge | acknowledgement | acknowledgment | acknowledged at"),
        "acknowledged",
    ),
    **dict.fromkeys(_w("escalate | escalation | escalated at | esc | eskaliert | escaladé | escalade | "
                       "escalado | escalada | escalato | geëscaleerd | geescaleerd | eskalerat"),
                    "escalated"),
    **dict.fromkeys(
        _w("response | response start | responded | responders engaged | response began | "
           "work started | début de l'intervention | debut de l'intervention | "
           "début de la réponse | reaktion begonnen | beginn der reaktion | inicio de la respuesta | "
           "início da resposta | inizio intervento | respons gestart | start respons"),
        "response_started",
    ),
    **dict.fromkeys(_w("mitigate | mitigation | mitigated at | mitig | entschärft | mitigiert | atténué | "
                       "attenue | mitigado | mitigada | mitigato | gemitigeerd | beperkt"),
                    "mitigated"),
    **dict.fromkeys(
        _w("resolve | resolution | resolved at | res | recovered | fully resolved | all clear | "
           "behoben | gelöst | résolu | résolue | resolu | resolvido | resolvida | resuelto | "
           "resuelta | risolto | opgelost | löst | åtgärdat"),
        "resolved",
    ),
    **dict.fromkeys(
        _w("post mortem | postmortem | post mortem meeting | postmortem meeting | pir | retro | "
           "retrospective | post mortem review | review meeting | post incident review | pm | "
           "pm mtg | pm meeting | pm review"),
        "postmortem",
    ),
    # an update that reached customers or the status page (time_to_communicate ends here)
    **dict.fromkeys(
        _w("comms | communication | customer update | customer communication | customer comms | "
           "customer notification | customer email | external update | external communication | "
           "public update | status page | statuspage | status page update"),
        "communication",
    ),
}  # fmt: skip
_KIND_ALIASES = {norm(k): v for k, v in _KIND_ALIASES.items()}  # as labels are looked up
#: Single words that name a milestone in a timeline line's label or a kind column, but mean
#: something else on a summary line (``Impact: ...``, ``Start: ...``).
_TIMELINE_ONLY = frozenset(
    _w("impact | start | started | began | response | resolution | det | esc | mitig | res | pm")
)  # the abbreviations of terse timelines (det.: 0402Z, res.: 0507Z) mean nothing elsewhere
#: Detailed-timeline kinds that are notes of what happened: read as ``update`` events.
UPDATE_WORDS: frozenset[str] = frozenset(
    _w("update | note | comment | action | finding | message | deploy | deployment | change | "
       "investigation | info | status | observation | decision | fix | rollback | step | event | "
       "log | page | paged | call | escalation note | alert update | alert | alarm | "
       "notification | incident | symptom | workaround | test | verification | monitoring")
)  # fmt: skip


def kind_name(text: str) -> str | None:
    """The event kind for a label as people write it (``Response Started`` ->
    ``response_started``, ``note`` -> ``update``), or None."""
    key = norm(str(text).replace("_", " "))
    if not key:
        return None
    flat = key.replace(" ", "_")
    if flat in KINDS:
        return flat
    for kind, label in MILESTONE_LABELS.items():
        if key == norm(label):
            return kind
    if key in _KIND_ALIASES:
        return _KIND_ALIASES[key]
    return "update" if key in UPDATE_WORDS else None


def milestone_kind(label: str, in_timeline: bool = True) -> str | None:
    """The milestone a labelled line names (``**Resolved**:``, ``Impact started:``); outside
    a Timeline section the single words ``Impact``, ``Start``, ``Response`` do not count."""
    key = norm(label)
    for kind, title in MILESTONE_LABELS.items():
        if key == norm(title):
            return kind
    if key in _TIMELINE_ONLY and not in_timeline:
        return None
    return _KIND_ALIASES.get(key)


#: Real words a letter away from a milestone or field label, never read as one of its typos.
_NOT_TYPOS = frozenset(
    _w("migrated | migrate | rejected | reviewed | revolved | deleted | stats | state | dates | "
       "data | notes | note | costs | statues")
)  # fmt: skip


def milestone_typo(label: str) -> str | None:
    """The milestone a mistyped label names (``Detcted``, ``Resovled``, ``Escalted``): one
    unique close match of six letters or more; None otherwise. Callers say so in a warning."""
    import difflib

    key = norm(label)
    if len(key) < 6 or key in _NOT_TYPOS or milestone_kind(key) is not None:
        return None
    names = {norm(title): kind for kind, title in MILESTONE_LABELS.items()}
    close = difflib.get_close_matches(key, list(names), n=2, cutoff=0.85)
    if not close:  # "Dectected", "Post-Mortm": slips difflib's ratio misses
        close = [typo_of(key, names, shortest=6)] if typo_of(key, names, shortest=6) else []
    return names[close[0]] if len(close) == 1 else None


#: Words that name a milestone wherever they stand in an event's text (``Incident detected by
#: monitoring``, ``Alert fired - detected``, ``Escalated to DBA on-call``, ``Post-mortem held``).
_NAMING_WORDS: dict[str, str] = {
    **dict.fromkeys(_w("detected | erkannt | entdeckt | detectado | detectada | detetado | "
                       "detetada | détecté | détectée | rilevato | gedetecteerd | upptäckt"),
                    "detected"),
    **dict.fromkeys(_w("acknowledged | acked | acks | quittiert | reconhecido | reconocido | "
                       "acquitté | preso in carico"), "acknowledged"),
    **dict.fromkeys(_w("escalated | eskaliert | escalado | escalada | escaladé | escalé | "
                       "escalato | geëscaleerd | eskalerat"), "escalated"),
    **dict.fromkeys(_w("mitigated | entschärft | mitigiert | mitigado | mitigada | atténué | "
                       "mitigato | gemitigeerd"), "mitigated"),
    **dict.fromkeys(_w("resolved | behoben | gelöst | resolvido | resolvida | resuelto | "
                       "resuelta | résolu | résolue | risolto | opgelost | löst | åtgärdat"),
                    "resolved"),
    **dict.fromkeys(_w("post mortem | postmortem | pir"), "postmortem"),
}  # fmt: skip
_NAMING_WORDS = {norm(k): v for k, v in _NAMING_WORDS.items()}
_CLAUSES = re.compile(r"\s+[-–—]\s+|\s*[:;,()\[\]/|]\s*|\s+[-–—]|[.!]\s")
_NEGATION = frozenset(
    _w("not | no | never | isnt | wasnt | nicht | kein | pas | não | nao | scheduled | planned | "
       "booked | will | tomorrow")
)  # fmt: skip
_AFTER_NAMING = frozenset(
    _w("by | to | via | at | and | after | for | with | par | por | pelo | pela | von | durch | "
       "door | av | para | naar | an | um | à | às | a las | alle | om | kl")
)  # fmt: skip


def names_communication(text: str) -> bool:
    """Whether an event's words start by naming a communication (``Status page updated``,
    ``Customer email sent``, ``Comms: posted in #status``)."""
    keys = [norm(w) for w in _CLAUSES.split(text, maxsplit=1)[0].split()[:3]]
    return any(kind_name(" ".join(keys[:n])) == "communication" for n in (1, 2, 3))


def milestone_named(text: str) -> tuple[str, str] | None:
    """The milestone an event's words name and the words after them (``Escalated to Platform
    on-call`` -> ``("escalated", "to Platform on-call")``); None for other events (``Rolled
    back release 4.2``, ``Not yet resolved``).

    >>> milestone_named("Alert fired - detected"), milestone_named("Post-mortem held")
    (('detected', ''), ('postmortem', 'held'))
    """
    for clause in _CLAUSES.split(text):
        words = clause.split()
        keys = [norm(w) for w in words]
        if not words or _NEGATION & set(keys):
            continue
        whole = milestone_kind(clause)
        if whole in MILESTONE_LABELS:
            return whole, ""
        if names_communication(clause):
            return None  # "status page updated: all clear": a communication
        for n in (3, 2):
            kind = _KIND_ALIASES.get(" ".join(keys[:n])) if len(keys) > n else None
            if kind in MILESTONE_LABELS:
                return kind, " ".join(words[n:])
        for i, key in enumerate(keys):
            last = i == len(keys) - 1
            if key in _NAMING_WORDS and (i == 0 or last or keys[i + 1] in _AFTER_NAMING):
                return _NAMING_WORDS[key], " ".join(words[i + 1 :])
    return None


#: What a timeline table's column holds, by its header (also in the languages people mix in;
#: a header starting with a time word, ``Time (UTC)``, ``Hora (BRT)``, is the time column).
TIMELINE_COLUMNS: dict[str, str] = {
    **dict.fromkeys(_w("時刻 | 時間 | 日時 | 时间 | 時間帯 | 시간 | 일시"), "timestamp"),
    **dict.fromkeys(_w("イベント | 事象 | 出来事 | 事件 | 이벤트"), "event_or_description"),
    **dict.fromkeys(_w("担当 | 担当者 | 対応者 | 负责人 | 담당자"), "actor"),
    **dict.fromkeys(_w("内容 | 詳細 | 说明 | 설명 | 내용"), "description"),
    **dict.fromkeys(
        _w("time | when | timestamp | date | datetime | date time | date and time | zeit | "
           "uhrzeit | zeitpunkt | datum | hora | horário | horario | data hora | fecha hora | "
           "heure | horodatage | date heure | ora | orario | tijd | tidpunkt | tid | klockslag"),
        "timestamp",
    ),
    **dict.fromkeys(_w("kind | type | category | milestone | art | typ | tipo | catégorie"),
                    "kind"),
    **dict.fromkeys(_w("event | ereignis | evento | événement | evenement | gebeurtenis | "
                       "händelse | handelse | hendelse"), "event_or_description"),
    **dict.fromkeys(_w("actor | who | by | person | owner | author | source | wer | quem | "
                       "quién | quien | qui | chi | wie | vem | hvem | responsável | "
                       "responsavel | responsable | verantwortlich | acteur"), "actor"),
    **dict.fromkeys(_w("role | to | rolle | papel | rol | rôle | ruolo"), "role"),
    # "| Who / To |": whom an escalation went to, who did anything else
    **dict.fromkeys(_w("who to | who or to | by to | by or to | wer an | quem para"), "who_or_to"),
    **dict.fromkeys(
        _w("description | details | detail | what | what happened | notes | note | summary | "
           "message | action | update | comment | beschreibung | was | descrição | descricao | "
           "descripción | descripcion | qué pasó | o que aconteceu | omschrijving | "
           "beschrijving | descrizione | beskrivning | kommentar | bemerkung"),
        "description",
    ),
}  # fmt: skip


#: Words before who did something, and before the role it went to, on a timeline line
#: (``by PagerDuty``, ``par Pingdom``, ``por Ana``, ``von Jonas``; ``to DBA on-call``).
BY_WORDS: tuple[str, ...] = _w("by | via | par | por | pelo | pela | von | durch | door | av")
TO_WORDS: tuple[str, ...] = _w("to | para | naar | à | al | till")  # never before a digit


#: Words before an action item's owner and due date (``Owner: @ana``, ``responsable: Ana``,
#: ``fecha: 2026-10-17``, ``Frist: 30.04.``), in the languages people mix in.
OWNER_WORDS: tuple[str, ...] = _w(
    "owner | owners | assignee | assigned to | who | responsible | responsable | responsável | "
    "responsavel | verantwortlich | zuständig | eigenaar | ansvarig | responsabile | "
    "propriétaire | dono"
)
DUE_WORDS: tuple[str, ...] = _w(
    "due | due date | deadline | eta | by | target | target date | fecha | fecha límite | "
    "prazo | data | frist | fällig | bis | échéance | date limite | scadenza | entro | "
    "deadline datum | uiterlijk"
)
#: Words after an escalation naming where it went (``escalated to``, ``an``, ``a``, ``al``).
ESCALATED_TO: tuple[str, ...] = _w("to | an | a | à | al | para | naar | till | för")


# --- placeholders and "not known" -----------------------------------------------------------
#: Values that mean "not known": the field is left unknown, without a warning. (``Nil`` is
#: not among them: in a report it is none, as in British, Indian and Australian English.)
UNKNOWN_WORDS: frozenset[str] = frozenset(
    _w(
        "n a | na | tbd | tbc | unknown | not known | unk | pending | todo | to be determined | "
        "to be confirmed | to do | not yet known | not applicable | not sure | unclear | "
        "unknown yet | still unknown | tba | not measured | not tracked"
    )
)
_DIGIT = re.compile(r"\d")
#: Characters a value may consist of and still mean "not known" (``?``, ``-``, ``—``).
_UNKNOWN_MARKS = set("?-–—_.* ")


@lru_cache(maxsize=1)
def template_placeholders() -> frozenset[str]:
    """The bracketed blanks of the shipped template (``[timestamp]``, ``[Action item 1]``,
    ``[P1/P2/P3/P4]``), normalised: what a ``[...]`` left unfilled looks like."""
    from importlib.resources import files

    text = files("incident_kit").joinpath("template.md").read_text(encoding="utf-8")
    found = {norm(m) for m in re.findall(r"\[([^\[\]\n]{2,})\]", text)}
    return frozenset(found | {norm(w) for w in _w("name | date | time | owner | link | tbd | x")})


def is_placeholder(text: object) -> bool:
    """True for a value nobody filled in: empty, or a template placeholder such as
    ``[timestamp]`` (a Markdown link ``[x](url)`` is a value).

    >>> [is_placeholder(v) for v in ("[timestamp]", " ", "N/A", "[link](http://x)")]
    [True, True, False, False]
    """
    if text.__class__ is not str:
        if text is None:
            return True
        if isinstance(text, float) and text != text:  # NaN
            return True
        text = str(text)
    s = text.strip()
    if not s:
        return True
    return s[0] == "[" and s[-1] == "]" and "](" not in s and "] [" not in s and "][" not in s


def is_unknown(text: object) -> bool:
    """True for a placeholder or a value that says "not known" (``N/A``, ``TBD``, ``?``).

    The text of such a value is still kept where a field keeps the author's words.

    >>> [is_unknown(v) for v in ("[date]", "N/A", "TBD", "?", "none", "0")]
    [True, True, True, True, False, False]
    """
    if is_placeholder(text):
        return True
    s = str(text).strip()
    if len(s) > 32 or _DIGIT.search(s):  # no "not known" word has a digit (times, counts)
        return False
    return set(s) <= _UNKNOWN_MARKS or norm(s) in UNKNOWN_WORDS


#: What a milestone's value says when the milestone has not happened yet (an open incident's
#: ``Resolved: still monitoring``, ``Post-Mortem: not scheduled yet``); also any ``not ... yet``.
NOT_YET_WORDS: frozenset[str] = frozenset(
    _w(
        "not yet | still monitoring | monitoring | ongoing | still ongoing | in progress | "
        "still open | open | still active | active | not resolved | unresolved | "
        "not mitigated | not scheduled | to be scheduled | awaiting | waiting | not held | "
        "not done | none yet | not happened"
    )
)


def not_yet(text: object) -> bool:
    """True for a milestone value saying it has not happened (yet): a "not yet" phrase, or
    nothing but a dash or "not known" before an aside (``— (still monitoring; ...)``).

    >>> [not_yet(v) for v in ("not scheduled yet (after the RCA)", "— (still monitoring",
    ...                       "(pending)", "14:05", "Not yet — monitoring", "opened 14:05")]
    [True, True, True, False, True, False]
    """
    s = str(text).strip()
    core = s.split("(", 1)[0].strip() or s.strip("()").split(";", 1)[0].strip()
    if _DIGIT.search(core):
        return False
    words = norm(core)
    if is_unknown(core) or words in NOT_YET_WORDS:
        return True
    return words.startswith(("not yet", "still ")) or (
        words.startswith("not ") and words.endswith(" yet")
    )


# --- severity and status (the levels themselves: model.SEVERITIES, model.STATUSES) ----------
#: Severity words and the level they mean when no number is written (``severity_map``
#: overrides and adds words).
SEVERITY_WORDS: dict[str, str] = {
    **dict.fromkeys(_w("critical | crit | urgent | emergency | blocker | highest"), "P1"),
    **dict.fromkeys(_w("high | major | serious | severe"), "P2"),
    **dict.fromkeys(_w("medium | moderate | minor | normal | med"), "P3"),
    **dict.fromkeys(_w("low | trivial | cosmetic | lowest | informational | info"), "P4"),
    # the same scale in the languages people mix in
    **dict.fromkeys(_w("kritisch | crítico | crítica | critico | critica | critique | kritiek | "
                       "kritisk | dringend | urgente"), "P1"),
    **dict.fromkeys(_w("hoch | alta | alto | élevée | elevee | haute | élevé | hoog | hög | "
                       "grave | schwer"), "P2"),
    **dict.fromkeys(_w("mittel | média | media | medio | médio | moyenne | moyen | "
                       "gemiddeld | medel"), "P3"),
    **dict.fromkeys(_w("niedrig | gering | baixa | baixo | baja | bajo | bassa | basso | "
                       "faible | basse | laag | låg"), "P4"),
}  # fmt: skip
assert set(SEVERITY_WORDS.values()) <= set(SEVERITIES)
#: Numbers outside P1..P4 that people use, read as the nearest level with a warning.
SEVERITY_OUT_OF_RANGE: dict[int, str] = {0: "P1", 5: "P4"}
#: Status words (any case) and the status they mean.
STATUS_WORDS: dict[str, str] = {
    **dict.fromkeys(
        _w("active | open | ongoing | investigating | identified | monitoring | mitigated | "
           "in progress | inprogress | started | detected | triage | triaging | degraded | "
           "mitigating | fixing | watching | acknowledged | escalated | firing | offen | "
           "aktiv | laufend | in bearbeitung | aberto | em andamento | abierto | en curso | "
           "ouvert | en cours | aperto | in corso | open staand | pågående"),
        "Active",
    ),
    **dict.fromkeys(
        _w("resolved | closed | done | fixed | complete | completed | recovered | finished | "
           "resolved closed | closed resolved | solved | gelöst | geloest | behoben | "
           "abgeschlossen | erledigt | resolvido | resolvida | fechado | fechada | concluído | "
           "resuelto | resuelta | cerrado | cerrada | résolu | résolue | resolu | clos | "
           "clôturé | fermé | risolto | chiuso | opgelost | gesloten | löst | stängd"),
        "Resolved",
    ),
    **dict.fromkeys(
        _w("post mortem | postmortem | pir | review | in review | post incident review | "
           "postmortem complete | post mortem complete | postmortem completed | "
           "post mortem completed | postmortem done | post mortem done | retro | retrospective | "
           "post mortem scheduled | postmortem scheduled | post incident | rca | rca complete | "
           "rca done | reviewed | postmortem published | post mortem published | "
           "post mortem in progress | postmortem in progress | post mortem pending"),
        "Post-Mortem",
    ),
}  # fmt: skip
assert set(STATUS_WORDS.values()) == set(STATUSES)

# --- communication ----------------------------------------------------------------------------
#: Communication checklist: column, the template's item text, and words that identify it.
COMMUNICATION: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "comm_internal",
        "Internal team notified",
        _w("internal | team notified | slack | interne | intern | interno | interna"),
    ),
    (
        "comm_stakeholders",
        "Stakeholders updated",
        _w(
            "stakeholder | leadership | management | parties prenantes | direction | partes "
            "interessadas | partes interesadas | belanghebbenden"
        ),
    ),
    (
        "comm_status_page",
        "Status page updated",
        _w(
            "status page | statuspage | status site | page de statut | statusseite | "
            "página de status | pagina de estado | statuspagina"
        ),
    ),
    (
        "comm_customers",
        "Customer communication sent",
        _w("customer | client | user comm | kunde | kunden | cliente | klant"),
    ),
)  # fmt: skip
#: Marks people use instead of ``[x]`` / ``[ ]``.
DONE_MARKS: frozenset[str] = frozenset("✅✔☑✓🗹")
OPEN_MARKS: frozenset[str] = frozenset("❌✗✘☐⬜🔲")

# --- time zones -------------------------------------------------------------------------------
#: Zone abbreviations read as fixed offsets from UTC (minutes east). The ambiguous ones (see
#: AMBIGUOUS_ZONES) use these defaults with a warning; ``tz_abbrev`` overrides any of them.
ZONE_ABBREVIATIONS: dict[str, int] = {
    "UTC": 0, "GMT": 0, "Z": 0, "UT": 0, "WET": 0,
    "WEST": 60, "BST": 60, "CET": 60, "MET": 60, "WAT": 60,
    "CEST": 120, "MEST": 120, "EET": 120, "SAST": 120, "CAT": 120,
    "WEZ": 0, "WESZ": 60, "MEZ": 60, "MESZ": 120, "OEZ": 120, "OESZ": 180,  # German names
    "HNEC": 60, "HAEC": 120,  # French names
    "EEST": 180, "MSK": 180, "EAT": 180, "TRT": 180,
    "GST": 240, "PKT": 300, "IST": 330, "NPT": 345, "BDT": 360,
    "ICT": 420, "WIB": 420,
    "SGT": 480, "HKT": 480, "AWST": 480, "PHT": 480,
    "JST": 540, "KST": 540,
    "ACST": 570, "ACDT": 630, "AEST": 600, "AEDT": 660,
    "NZST": 720, "NZDT": 780,
    "NST": -210, "NDT": -150, "AST": -240, "ADT": -180, "BRT": -180, "ART": -180,
    "EST": -300, "EDT": -240, "CST": -360, "CDT": -300, "MST": -420, "MDT": -360,
    "PST": -480, "PDT": -420, "AKST": -540, "AKDT": -480, "HST": -600, "HDT": -540,
}  # fmt: skip
#: Abbreviations that name more than one zone: the default reading and the others.
AMBIGUOUS_ZONES: dict[str, str] = {
    "IST": "India (+05:30); also Israel (+02:00) and Ireland (+01:00)",
    "CST": "US Central (-06:00); also China (+08:00) and Cuba (-05:00)",
    "BST": "British Summer Time (+01:00); also Bangladesh (+06:00)",
    "AST": "Atlantic (-04:00); also Arabia (+03:00)",
}
#: Generic zone abbreviations that follow daylight saving (IANA zones, not fixed offsets).
ZONE_GENERIC: dict[str, str] = {
    "ET": "America/New_York",
    "CT": "America/Chicago",
    "MT": "America/Denver",
    "PT": "America/Los_Angeles",
}
#: Zone words in notes such as "(all times Eastern)": IANA zones (daylight saving applies).
ZONE_WORDS: dict[str, str] = {
    **dict.fromkeys(_w("pacific | pt | pst | pdt"), "America/Los_Angeles"),
    **dict.fromkeys(_w("mountain | mt | mst | mdt"), "America/Denver"),
    **dict.fromkeys(_w("central | ct | cst | cdt"), "America/Chicago"),
    **dict.fromkeys(_w("eastern | et | est | edt"), "America/New_York"),
    **dict.fromkeys(_w("utc | gmt | zulu | z"), "UTC"),
    **dict.fromkeys(_w("uk | london"), "Europe/London"),
    **dict.fromkeys(_w("berlin | cet | cest"), "Europe/Berlin"),
    **dict.fromkeys(_w("india | ist | pune | mumbai | bangalore"), "Asia/Kolkata"),
    "israel": "Asia/Jerusalem",
    **dict.fromkeys(
        _w("brasília | brasilia | são paulo | sao paulo | horário de brasília | brt"),
        "America/Sao_Paulo",
    ),
    **dict.fromkeys(_w("buenos aires | argentina | art"), "America/Argentina/Buenos_Aires"),
    "sydney": "Australia/Sydney",
    "tokyo": "Asia/Tokyo",
    "jst": "Asia/Tokyo",
    "singapore": "Asia/Singapore",
    "paris": "Europe/Paris",
    "amsterdam": "Europe/Amsterdam",
    "madrid": "Europe/Madrid",
    "stockholm": "Europe/Stockholm",
    "central european": "Europe/Berlin",
    "sao paulo": "America/Sao_Paulo",
    "são paulo": "America/Sao_Paulo",
    "new york": "America/New_York",
}
# --- dates in the languages people mix in ----------------------------------------------------
#: Month names -> English (the date parser reads English): French, German, Spanish,
#: Portuguese, Italian, Dutch, Swedish.
MONTH_WORDS: dict[str, str] = {
    **dict.fromkeys(_w("janvier | januar | jänner | enero | janeiro | gennaio | januari"), "Jan"),
    **dict.fromkeys(_w("février | fevrier | februar | febrero | fevereiro | febbraio | "
                       "februari"), "Feb"),
    **dict.fromkeys(_w("mars | märz | maerz | marzo | março | marco | maart"), "Mar"),
    **dict.fromkeys(_w("avril | abril | aprile"), "Apr"),
    **dict.fromkeys(_w("mai | mayo | maio | maggio | mei | maj"), "May"),
    **dict.fromkeys(_w("juin | juni | junio | junho | giugno"), "Jun"),
    **dict.fromkeys(_w("juillet | juli | julio | julho | luglio"), "Jul"),
    **dict.fromkeys(_w("août | aout | agosto | augustus | augusti"), "Aug"),
    **dict.fromkeys(_w("septembre | septiembre | setiembre | setembro | settembre"), "Sep"),
    **dict.fromkeys(_w("octobre | oktober | octubre | outubro | ottobre"), "Oct"),
    **dict.fromkeys(_w("novembre | noviembre | novembro"), "Nov"),
    **dict.fromkeys(_w("décembre | decembre | dezember | diciembre | dezembro | dicembre"),
                    "Dec"),
    # short Spanish and Portuguese forms (19/abr, 3 dic) where they differ from English
    "ene": "Jan", "fev": "Feb", "abr": "Apr", "mai": "May", "ago": "Aug", "set": "Sep",
    "out": "Oct", "dez": "Dec", "dic": "Dec",
}  # fmt: skip
#: Weekday names before a date (dropped: the date says the day), in those languages; not
#: French `mar` (mardi), which is the English `Mar`.
WEEKDAY_WORDS: frozenset[str] = frozenset(
    _w("lundi | mardi | mercredi | jeudi | vendredi | samedi | dimanche | montag | dienstag | "
       "mittwoch | donnerstag | freitag | samstag | sonntag | lunes | martes | miércoles | "
       "miercoles | jueves | viernes | sábado | sabado | domingo | segunda | segunda-feira | "
       "terça | terca | terça-feira | quarta | quarta-feira | quinta | quinta-feira | sexta | "
       "sexta-feira | lunedì | martedì | mercoledì | giovedì | venerdì | domenica | maandag | "
       "dinsdag | woensdag | donderdag | vrijdag | zaterdag | zondag | måndag | tisdag | onsdag | "
       "torsdag | fredag | lördag | söndag | mo | di | mi | do | fr | sa | so | ma | wo | vr | "
       "za | zo | lun | mer | jeu | ven | sam | dim | mån | tis | ons | tor | fre | lör | "
       "mié | mie | jue | vie | sáb | sab | seg | ter | qua | qui | sex | "
       "sön")
)  # fmt: skip
#: Weekday names and their usual short forms -> 0 (Monday) .. 6: what settles a date written
#: both ways (``Tue 03/10/2026``). Two-letter forms, which differ by language, are left out.
WEEKDAY_NUMBERS: dict[str, int] = {name: i for i, names in enumerate((
    "monday mon montag lundi lunes segunda lunedì maandag måndag",
    "tuesday tue tues dienstag mardi martes terça terca martedì dinsdag tisdag",
    "wednesday wed mittwoch mercredi miércoles miercoles mié mie quarta mercoledì woensdag onsdag",
    "thursday thu thurs donnerstag jeudi jueves quinta giovedì donderdag torsdag",
    "friday fri freitag vendredi viernes vie sexta venerdì vrijdag fredag",
    "saturday sat samstag samedi sábado sabado sáb sab zaterdag lördag",
    "sunday sun sonntag dimanche domingo dom domenica zondag söndag",
)) for name in names.split()}  # fmt: skip
#: Words between a date's parts or before its time (``9 de marzo``, ``à 14h05``, ``um``,
#: ``kl.``, ``the 14th of October``): dropped.
DATE_FILLERS: tuple[str, ...] = _w(
    "à | a las | a la | às | as | alle | um | om | kl | kl. | klockan | the | of | de | del | "
    "den | le | el"
)  # fmt: skip


#: Words around a zone's name in a note or heading ("all times Pacific time", "London time",
#: "heure de Paris", "Ortszeit").
_ZONE_FILLER = re.compile(
    r"\b(?:all|times?|are|in|local|standard|daylight|zone|heure|de|hora|zeit|ortszeit|uur)\b", re.I
)


def zone_named(text: str) -> str | None:
    """The zone a note or heading names, as the time parser reads zones: ``Pacific time`` ->
    ``America/Los_Angeles``, ``London time`` -> ``Europe/London``, ``UTC+1``, ``CET``,
    ``Europe/Paris``; None when it names none."""
    words = " ".join(_ZONE_FILLER.sub(" ", text).split()).strip(" ,.:;")
    if not words:
        return None
    if re.search(r"[,;/(]", words) and len(words.split()) <= 6:  # "horário de Brasília, UTC-3"
        parts = re.split(r"[,;(]|\s/\s", words.replace(")", " "))
        if len(parts) > 1:
            return next((z for part in parts if (z := zone_named(part))), None)
    if words.upper() in ZONE_ABBREVIATIONS or words.upper() in ZONE_GENERIC:
        return words.upper()  # CET is +01:00 as written, whatever the season
    if words.lower() in ZONE_WORDS:
        return ZONE_WORDS[words.lower()]
    if re.fullmatch(r"(?:UTC|GMT)?\s*[+-−]\s*\d{1,2}(?::?\d{2})?", words, re.I):
        return words.replace(" ", "")
    if re.fullmatch(r"[A-Za-z]+/[A-Za-z_]+(?:/[A-Za-z_]+)?", words):
        return words
    return None


def zone_offset(abbrev: str) -> int | None:
    """Minutes east of UTC for a zone abbreviation (``PDT`` -> -420), or None."""
    return ZONE_ABBREVIATIONS.get(abbrev.upper())


# --- numbers, money and data loss, in the languages people mix in --------------------------------
#: Words for a multiple written after a number (``12k``, ``1,2 Mio``, ``2 lakh``, ``3 Mrd.``).
MULTIPLIERS: dict[str, float] = {
    **dict.fromkeys(_w("k | K | thousand | thousands | tsd | tausend | mille | mila"), 1e3),
    **dict.fromkeys(_w("lakh | lakhs | lac | lacs"), 1e5),
    **dict.fromkeys(_w("千"), 1e3),
    **dict.fromkeys(_w("万 | 萬 | 만"), 1e4),
    **dict.fromkeys(_w("億 | 亿 | 억"), 1e8),
    **dict.fromkeys(_w("m | mn | mm | million | millions | mio | millionen | millones | "
                       "milhões | milhoes | milioni | miljoen | miljoner | millón | millon"), 1e6),
    **dict.fromkeys(_w("crore | crores | cr"), 1e7),
    **dict.fromkeys(_w("b | bn | billion | billions | mrd | milliarde | milliarden | "
                       "mil millones | bilhões | bilhoes | miliardi | miljard"), 1e9),
}  # fmt: skip
#: Multiples written after digits grouped by commas (``1,200万`` is twelve million).
GROUPED_MULTIPLIERS: frozenset[str] = frozenset(_w("千 | 万 | 萬 | 만 | 億 | 亿 | 억"))
#: Words that count people after a number (``40 000 users``, ``18.500 clientes``, ``12万人``).
PEOPLE_WORDS: tuple[str, ...] = _w(
    "users | user | customers | customer | clients | client | accounts | merchants | people | "
    "subscribers | members | players | patients | drivers | sellers | buyers | visitors | "
    "tenants | shoppers | riders | students | employees | agents | partners | persons | "
    "nutzer | kunden | benutzer | kund innen | clientes | usuários | usuarios | utilisateurs | "
    "clients | utenti | clienti | gebruikers | klanten | användare | kunder | 人 | 名 | 명"
)
#: A spreadsheet's sum row in the ID column (``TOTAL,,,,75,100``): not an incident.
TOTAL_WORDS: frozenset[str] = frozenset(
    _w("total | totals | sum | grand total | gesamt | summe | totaal | total general | totale")
)
#: What a number in a users value may count instead of people (``a handful (3 internal
#: teams)``, ``2 regions``): such a number is no count of users.
THING_WORDS: tuple[str, ...] = _w(
    "teams | team | services | service | regions | region | servers | hosts | nodes | pods | "
    "shards | clusters | databases | requests | orders | transactions | messages | events | "
    "jobs | tickets | calls | queries | documents | files | countries | sites | stores | "
    "apps | endpoints | instances | zones | datacenters | dcs | brokers | partitions"
)  # fmt: skip
#: Multiples whose reading depends on the language: a value using one is left unknown.
AMBIGUOUS_MULTIPLIERS: dict[str, str] = {
    "mil": "a thousand in Spanish and Portuguese, a million in English shorthand",
}
#: Currencies of Spanish and Portuguese speakers, in whose amounts ``mil`` is a thousand.
MIL_IS_THOUSAND: frozenset[str] = frozenset(
    _w("BRL | ARS | MXN | CLP | COP | PEN | UYU | PYG | BOB | VES | CRC | DOP | GTQ | HNL | NIO")
)
#: Currency marks written beside an amount -> ISO 4217 code (longest marks are tried first).
CURRENCY_SYMBOLS: dict[str, str] = {
    "US$": "USD", "A$": "AUD", "AU$": "AUD", "C$": "CAD", "CA$": "CAD", "NZ$": "NZD",
    "S$": "SGD", "HK$": "HKD", "NT$": "TWD", "MX$": "MXN", "R$": "BRL", "$": "USD",
    "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "Rs.": "INR", "Rs": "INR", "₩": "KRW",
    "₽": "RUB", "₺": "TRY", "₪": "ILS", "₫": "VND", "฿": "THB", "₱": "PHP", "₦": "NGN",
    "₴": "UAH", "₸": "KZT", "৳": "BDT", "zł": "PLN", "Kč": "CZK", "Ft": "HUF", "lei": "RON",
    "Fr.": "CHF", "SFr.": "CHF", "RM": "MYR", "Rp": "IDR",
}  # fmt: skip
#: Marks that name more than one currency: the amount is read, the currency left unknown.
AMBIGUOUS_CURRENCIES: dict[str, str] = {
    "kr": "SEK, NOK, DKK or ISK",
    "kr.": "SEK, NOK, DKK or ISK",
}
CURRENCY_CODES: frozenset[str] = frozenset(
    _w("USD | EUR | GBP | JPY | INR | AUD | CAD | CHF | CNY | RMB | SEK | NOK | DKK | ISK | PLN | "
       "CZK | HUF | RON | BGN | BRL | MXN | SGD | HKD | NZD | ZAR | KRW | RUB | TRY | AED | SAR | "
       "ILS | THB | IDR | MYR | PHP | VND | TWD | ARS | CLP | COP | PEN | NGN | KES | EGP | PKR | "
       "BDT | UAH | KZT | "
       # the other circulating ISO 4217 codes, less those that are English words (ALL, BOB,
       # CUP, MOP, SOS, TOP): three capitals beside an amount are read as the currency
       "AFN | AMD | ANG | AOA | AWG | AZN | BAM | BBD | BHD | BIF | BMD | BND | BSD | BTN | "
       "BWP | BYN | BZD | CDF | CRC | CVE | DJF | DOP | DZD | ERN | ETB | FJD | FKP | GEL | "
       "GHS | GIP | GMD | GNF | GTQ | GYD | HNL | HTG | IQD | IRR | JMD | JOD | KGS | KHR | "
       "KMF | KWD | KYD | LAK | LBP | LKR | LRD | LSL | LYD | MAD | MDL | MGA | MKD | MMK | "
       "MNT | MRU | MUR | MVR | MWK | MZN | NAD | NIO | NPR | OMR | PAB | PGK | PYG | QAR | "
       "RSD | RWF | SBD | SCR | SDG | SHP | SLE | SRD | SSP | STN | SYP | SZL | TJS | TMT | "
       "TND | TTD | TZS | UGX | UYU | UZS | VES | VUV | WST | XAF | XCD | XOF | XPF | YER | "
       "ZMW")
)  # fmt: skip
#: Currency names written after an amount (``40 dollars``, ``1.200 Euro``, ``500 reais``).
CURRENCY_WORDS: dict[str, str] = {
    **dict.fromkeys(_w("dollar | dollars"), "USD"),
    **dict.fromkeys(_w("euro | euros"), "EUR"),
    **dict.fromkeys(_w("pound | pounds | pounds sterling"), "GBP"),
    **dict.fromkeys(_w("rupee | rupees | rupien | rupias"), "INR"),
    **dict.fromkeys(_w("yen"), "JPY"),
    **dict.fromkeys(_w("yuan | renminbi"), "CNY"),
    **dict.fromkeys(_w("real | reais"), "BRL"),
    **dict.fromkeys(_w("franken | francs suisses | swiss francs"), "CHF"),
    **dict.fromkeys(_w("zloty | złoty | zlotych | złotych"), "PLN"),
}
#: What "none" is in the languages people mix into reports (a Data Loss of ``Keine`` is none).
NONE_WORDS: frozenset[str] = frozenset(
    _w("no | none | nothing | nil | zero | 0 | nope | keine | kein | keiner | nichts | nein | "
       "nenhuma | nenhum | nada | não | nao | aucune | aucun | rien | non | ninguna | ninguno | "
       "ningún | ningun | nessuna | nessuno | niente | nulla | geen | niets | nee | ingen | inga | "
       "inget | intet | ei | brak | żadne | zadne | nic | žádná | zadna | nincs | yok | なし | 无 | "
       "없음 | sem | sin | sans | senza | ohne | zonder | utan")
)  # fmt: skip
#: Phrases saying nothing was lost, anywhere in the text (``Nenhuma (no data lost)``).
NO_LOSS_PHRASES: tuple[str, ...] = _w(
    "no data lost | no data was lost | no data loss | nothing lost | nothing was lost | no loss | "
    "no data has been lost | without data loss | without loss | none lost | zero data loss | "
    "no records lost | no messages lost | no events lost | fully recovered | all data recovered | "
    "kein datenverlust | keine datenverluste | keine daten verloren | sin pérdida | "
    "sin perdida | sem perda | nenhum dado perdido | aucune perte | pas de perte | "
    "nessuna perdita | geen verlies | geen dataverlies | geen gegevensverlies"
)  # fmt: skip
#: Words saying data was lost (a Data Loss text needs one of these, a "yes" or a count).
LOSS_WORDS: frozenset[str] = frozenset(
    _w("yes | ja | sí | si | sim | oui | lost | loss | lose | gone | deleted | dropped | missing | "
       "corrupted | corrupt | corruption | overwritten | purged | wiped | erased | truncated | "
       "destroyed | unrecoverable | discarded | partial | partially | minimal | some | a few | "
       "gap | gaps | lücke | lücken | teilweise | parcial | parcialmente | partielle | verloren | gelöscht | "
       "perdidos | perdidas | perdida | perdidos | perda | perdus | perdues | perte | persi | "
       "perdita | verlies | verloren gegaan | not retried | not delivered | never delivered | "
       "not sent | never sent | not persisted | not saved | not written | never written | "
       "not recovered | not replayed | not processed | not stored | could not be recovered | "
       "unsent | unsaved | unsynced | unwritten | undelivered | unprocessed | unpersisted | "
       "unrecovered | never synced | not synced")
)  # fmt: skip
#: Words saying the answer is not known yet (read as unknown, not as a loss).
UNSURE_PHRASES: tuple[str, ...] = _w(
    "under investigation | investigating | being investigated | being assessed | assessing | "
    "to be confirmed | to be determined | not yet known | not known yet | not sure | unsure | "
    "unclear | unknown | tbd | tbc | possibly | possible | maybe | potentially | may have | "
    "might have | no idea | not yet clear | not clear | in prüfung | wird geprüft | unbekannt | "
    "unklar | em análise | em investigação | desconhecido | en cours | inconnu | desconocido | "
    "en investigación | sconosciuto | da verificare | onbekend | wordt onderzocht"
)  # fmt: skip
#: Units of a duration, in the languages people mix in (``1h 27m``, ``2 Stunden``, ``45 minutos``).
DURATION_UNITS: dict[str, int] = {
    **dict.fromkeys(_w("d | day | days | tag | tage | tagen | día | días | dia | dias | jour | "
                       "jours | giorno | giorni | dag | dagen"), 86400),
    **dict.fromkeys(_w("h | hr | hrs | hour | hours | std | stunde | stunden | hora | horas | "
                       "heure | heures | ora | ore | uur"), 3600),
    **dict.fromkeys(_w("m | min | mins | minute | minutes | minuten | minuto | minutos | minuti"),
                    60),
    **dict.fromkeys(_w("s | sec | secs | second | seconds | sek | sekunde | sekunden | segundo | "
                       "segundos | seconde | secondes | secondi | seconden"), 1),
    # Japanese, Chinese, Korean
    **dict.fromkeys(_w("日 | 天 | 일"), 86400),
    **dict.fromkeys(_w("時間 | 小时 | 小時 | 시간"), 3600),
    **dict.fromkeys(_w("分 | 分間 | 分钟 | 분"), 60),
    **dict.fromkeys(_w("秒 | 초"), 1),
}  # fmt: skip
