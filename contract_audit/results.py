"""Results: small frozen dataclasses, picklable, each with ``to_dict()`` for the JSON output.

The JSON shape is documented in docs/json-schema.md (schema_version 1).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class QualifierHit:
    """A context qualifier that fired on a match, and what it did."""

    name: str  # the qualifier's name in the rule file, e.g. "negated"
    cue: str  # the words that triggered it, e.g. "shall not"
    effect: str  # "drop", "protection", "severity:low", ...

    def to_dict(self) -> dict:
        return {"name": self.name, "cue": self.cue, "effect": self.effect}


@dataclass(frozen=True, slots=True)
class Finding:
    id: str  # fingerprint: stable across runs, independent of offsets
    rule: str
    family: str
    element: str | None
    severity: str
    title: str
    text: str  # the sentence or clause that matched
    match: str  # the matched words
    start: int  # offsets of the matched words in Document.text
    end: int
    text_start: int  # offset of ``text`` in Document.text (to highlight ``match`` inside it)
    page: int | None
    section: str | None  # e.g. "7.2 Referral Fees"
    qualifiers: tuple[QualifierHit, ...] = ()
    rationale: str = ""
    recommendation: str = ""

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "rule": self.rule,
            "family": self.family,
            "element": self.element,
            "severity": self.severity,
            "title": self.title,
            "text": self.text,
            "match": self.match,
            "start": self.start,
            "end": self.end,
            "text_start": self.text_start,
            "page": self.page,
            "section": self.section,
            "qualifiers": [q.to_dict() for q in self.qualifiers],
            "rationale": self.rationale,
            "recommendation": self.recommendation,
        }


@dataclass(frozen=True, slots=True)
class Evidence:
    """The clause that defines a responsibility element."""

    rule: str
    text: str
    match: str
    start: int
    end: int
    page: int | None
    section: str | None

    def to_dict(self) -> dict:
        return {
            "rule": self.rule,
            "text": self.text,
            "match": self.match,
            "start": self.start,
            "end": self.end,
            "page": self.page,
            "section": self.section,
        }


@dataclass(frozen=True, slots=True)
class ElementResult:
    status: str  # "present" | "missing" | "not-assessed"
    evidence: Evidence | None = None
    recommendation: str = ""  # what to add when missing

    def to_dict(self) -> dict:
        return {
            "status": self.status,
            "evidence": self.evidence.to_dict() if self.evidence else None,
            "recommendation": self.recommendation,
        }


@dataclass(frozen=True, slots=True)
class Engagement:
    type: str  # one of domain.ENGAGEMENT_TYPES
    evidence: tuple[str, ...] = ()  # the phrases / sentences that decided it
    confidence: float = 0.0

    def to_dict(self) -> dict:
        return {"type": self.type, "evidence": list(self.evidence), "confidence": self.confidence}


@dataclass(frozen=True, slots=True)
class RiskItem:
    """One line of the score's explanation: what added or subtracted points."""

    label: str
    points: float
    finding: str | None = None  # finding id, when the item comes from a finding

    def to_dict(self) -> dict:
        return {"label": self.label, "points": self.points, "finding": self.finding}


@dataclass(frozen=True, slots=True)
class Risk:
    score: int  # 0-100
    level: str  # one of domain.RISK_LEVELS
    explanation: tuple[RiskItem, ...] = ()

    def to_dict(self) -> dict:
        return {
            "score": self.score,
            "level": self.level,
            "explanation": [i.to_dict() for i in self.explanation],
        }


@dataclass(frozen=True, slots=True)
class Decision:
    """A reviewer's decision on one finding (from a decisions YAML file)."""

    finding: str  # finding id
    action: str  # "accept" | "reject"
    reason: str = ""
    by: str = ""
    date: str = ""

    def to_dict(self) -> dict:
        return {
            "finding": self.finding,
            "action": self.action,
            "reason": self.reason,
            "by": self.by,
            "date": self.date,
        }


@dataclass(frozen=True)
class DocumentResult:
    """Everything known about one input file. ``status`` is "ok" or an extraction status."""

    path: str
    sha256: str = ""
    status: str = "ok"
    message: str = ""
    format: str | None = None
    pages: int = 0
    words: int = 0
    engagement: Engagement | None = None
    risk: Risk | None = None
    elements: dict[str, ElementResult] = field(default_factory=dict)
    findings: tuple[Finding, ...] = ()
    warnings: tuple[str, ...] = ()
    duplicates: tuple[str, ...] = ()  # other paths with identical content
    decisions: tuple[Decision, ...] = ()  # decisions that apply to a finding of this document
    stale_decisions: tuple[Decision, ...] = ()  # decisions whose finding has disappeared

    def to_dict(self) -> dict:
        return {
            "path": self.path,
            "sha256": self.sha256,
            "status": self.status,
            "message": self.message,
            "format": self.format,
            "pages": self.pages,
            "words": self.words,
            "engagement": self.engagement.to_dict() if self.engagement else None,
            "risk": self.risk.to_dict() if self.risk else None,
            "elements": {k: v.to_dict() for k, v in self.elements.items()},
            "findings": [f.to_dict() for f in self.findings],
            "warnings": list(self.warnings),
            "duplicates": list(self.duplicates),
            "decisions": [d.to_dict() for d in self.decisions],
            "stale_decisions": [d.to_dict() for d in self.stale_decisions],
        }

    def decision_for(self, finding_id: str) -> Decision | None:
        return next((d for d in self.decisions if d.finding == finding_id), None)
