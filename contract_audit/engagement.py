"""Which kind of contract this is: an MSP's vCIO, an independent fractional CIO, a reseller's
agreement, or something else. The type decides whether IT-advisory findings count at all.

The vocabulary and its weights are data (``kind: signal`` rules, ``patterns/engagement.yml``); this
module only adds them up. The decision (documented in docs/scoring.md):

1. each signal rule adds ``weight`` per occurrence, at most ``PER_RULE_CAP`` occurrences (a party
   name repeated fifty times is one fact, not fifty), doubled when it sits in the title area;
2. an advisory type (``msp-vcio``, ``independent-fractional``) needs an *advisor term*: a signal of
   an advisory type whose weight is at least ``ADVISOR_WEIGHT`` (vCIO, fractional CIO, technology
   advisor...). Managed-services or independence terms alone do not make a contract advisory;
3. ``reseller-partner`` needs IT context: advisory-type signals weighing ``IT_GATE`` together
   (managed services, IT provider, help desk...), or a context-only one (weight below 1: the
   partner's own IT business). A furniture distributor's agreement is ``other``;
4. the type with the highest total wins if it reaches ``MIN_SCORE``; otherwise ``other``. Equal
   totals go to the type listed first in ``ENGAGEMENT_TYPES`` (``msp-vcio`` before
   ``independent-fractional``): in practice an advisory tie is an MSP whose own business is
   worded in plain English the managed-services vocabulary did not catch.
5. between the two advisory types, the provider's own business decides: when the other
   advisory type's ``provider_evidence`` signals (managed services, reselling; an independence
   statement) weigh more than ``PROVEN_FACTOR`` times the winner's (so always when the winner has
   none), the other wins.

Which party a signal describes is decided by the rules' qualifiers, not here: a partner's IT
business with its own customers, the client's own IT staff and an employee's title are dropped
(or kept as context only) before they reach this sum.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Protocol

from contract_audit.domain import ADVISORY_TYPES, ENGAGEMENT_TYPES
from contract_audit.model import Document
from contract_audit.results import Engagement

PER_RULE_CAP = 3
ADVISOR_WEIGHT = 2.0
MIN_SCORE = 3.0
IT_GATE = 1.5  # advisory-type weight a reseller-partner agreement needs to be about IT
TITLE_CHARS = 400  # signals starting before this offset are in the title area
TITLE_FACTOR = 2.0
MAX_EVIDENCE = 5
SNIPPET_CHARS = 160  # longer sentences are shown as a window around the matched words
# the other advisory type wins when its provider-business signals outweigh the winner's this
# many times over ("Managed ICT Services and Fractional Chief Digital Officer" from a company
# running the client's service desk, against one "independent adviser" the client may appoint)
PROVEN_FACTOR = 3.0


class _Signal(Protocol):
    rule: Any
    engagement: str
    weight: float
    text: str
    provider_evidence: bool


def classify(document: Document, engine_result: Any) -> Engagement:
    """Classify ``document`` from the engagement signals the engine matched in it."""
    signals: tuple[_Signal, ...] = tuple(getattr(engine_result, "signals", ()) or ())
    scores: dict[str, float] = defaultdict(float)
    counts: dict[tuple[str, str], int] = defaultdict(int)
    support: dict[str, list[tuple[float, int, str, str]]] = defaultdict(list)
    advisor = False
    for i, s in enumerate(signals):
        if s.engagement not in ENGAGEMENT_TYPES:
            continue
        key = (_rule_id(s.rule), s.engagement)
        counts[key] += 1
        if counts[key] > PER_RULE_CAP:
            continue
        weight = float(s.weight)
        start = getattr(s, "start", None)
        if isinstance(start, int) and start < TITLE_CHARS:
            weight *= TITLE_FACTOR
        scores[s.engagement] += weight
        support[s.engagement].append((-weight, i, s.text, _snippet(document.text, s)))
        if s.engagement in ADVISORY_TYPES and float(s.weight) >= ADVISOR_WEIGHT:
            advisor = True

    strongest = max((v for t, v in scores.items() if t != "other"), default=0.0)
    # reseller-partner is a vendor-side agreement *in IT*: without IT or advisory vocabulary a
    # distribution agreement (of furniture, say) is "other". One passing mention ("remote
    # support from its applications engineers" in a mining-equipment distribution) is not
    # enough; a context-only signal (weight below 1: the partner's own IT business) is.
    it_context = sum(scores.get(t, 0.0) for t in ADVISORY_TYPES)
    context_only = any(s.engagement in ADVISORY_TYPES and float(s.weight) < 1.0 for s in signals)
    if it_context < IT_GATE and not context_only:
        scores.pop("reseller-partner", None)
    if not advisor:
        for t in ADVISORY_TYPES:
            scores.pop(t, None)
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], ENGAGEMENT_TYPES.index(kv[0])))
    if not ranked or ranked[0][1] < MIN_SCORE:
        best = min(strongest, MIN_SCORE)  # a gated-out or weak IT type is doubt
        evidence = _evidence(support["other"]) or (
            "no IT-advisory, managed-services or reseller terms",
        )
        # Nothing at all is near-certain "other"; a score just under the bar is a coin toss.
        return Engagement("other", evidence, round(1.0 - 0.5 * best / MIN_SCORE, 2))

    ranked = _by_provider_business(ranked, signals)
    kind, top = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
    confidence = round(top / (top + runner_up + 1.0), 2)
    return Engagement(kind, _evidence(support[kind]), confidence)


def _by_provider_business(
    ranked: list[tuple[str, float]], signals: tuple[_Signal, ...]
) -> list[tuple[str, float]]:
    """Advisor vocabulary (vCIO, "act as its CTO") is shared by both advisory types; what the
    provider's own business is decides between them. When the winning advisory type has no
    signal saying so (no managed services, no reselling) and the other has one ("an independent
    consultancy that neither resells nor provides managed services"), the other type ranks first."""
    kind = ranked[0][0]
    if kind not in ADVISORY_TYPES:
        return ranked
    proven = _provider_evidence(signals)
    other = next((t for t in ADVISORY_TYPES if t != kind), None)
    scores = dict(ranked)
    if other not in scores or proven.get(other, 0.0) <= PROVEN_FACTOR * proven.get(kind, 0.0):
        return ranked
    return [(other, scores[other])] + [kv for kv in ranked if kv[0] != other]


def _provider_evidence(signals: tuple[_Signal, ...]) -> dict[str, float]:
    """How much each advisory type's provider-business signals weigh (each rule counted at most
    ``PER_RULE_CAP`` times, as in the scores)."""
    counts: dict[str, int] = defaultdict(int)
    out: dict[str, float] = defaultdict(float)
    for s in signals:
        if not s.provider_evidence or s.engagement not in ADVISORY_TYPES:
            continue
        key = _rule_id(s.rule)
        counts[key] += 1
        if counts[key] <= PER_RULE_CAP:
            out[s.engagement] += float(s.weight)
    return out


def _rule_id(rule: Any) -> str:
    """Signals may carry the rule or its id; either way key by id."""
    return rule if isinstance(rule, str) else str(getattr(rule, "id", rule))


def _snippet(text: str, signal: _Signal) -> str:
    """The signal's sentence, or a window of it around the match when the sentence is long
    (a party-definition paragraph should not stand as "evidence" whole)."""
    sentence = signal.text
    start, end = getattr(signal, "start", None), getattr(signal, "end", None)
    if len(sentence) <= SNIPPET_CHARS or not isinstance(start, int) or not isinstance(end, int):
        return " ".join(sentence.split())
    lo = text.find(sentence, max(0, end - len(sentence)))
    if lo < 0 or lo > start:
        lo = start  # the sentence is not where expected: window on the match alone
    hi = max(end, lo + len(sentence)) if lo < start else end
    pad = max(0, (SNIPPET_CHARS - (end - start)) // 2)
    a, b = max(lo, start - pad), min(hi, end + pad)
    while lo < a < start and not text[a - 1].isspace():
        a += 1  # begin on a word
    while end < b < hi and not text[b].isspace():
        b -= 1  # end on a word
    return ("…" if a > lo else "") + " ".join(text[a:b].split()) + ("…" if b < hi else "")


def _evidence(support: list[tuple[float, int, str, str]]) -> tuple[str, ...]:
    """One snippet per sentence, heaviest signals first."""
    out: list[str] = []
    sentences: set[str] = set()
    for _, _, sentence, snippet in sorted(support):
        if sentence in sentences or not snippet:
            continue
        sentences.add(sentence)
        out.append(snippet)
        if len(out) == MAX_EVIDENCE:
            break
    return tuple(out)
