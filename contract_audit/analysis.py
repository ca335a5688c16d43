"""One document in, one :class:`DocumentResult` out: match, classify, assess elements, score.

Both entry points are pure functions over picklable data (a path or a Document, and a RuleSet) so
the batch scanner can run them in worker processes. ``analyze_file`` never raises for bad input:
an unreadable or unsupported file becomes a result whose ``status`` says why.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from contract_audit.domain import ADVISORY_TYPES, ELEMENTS, SEVERITIES, severity_rank
from contract_audit.engagement import classify
from contract_audit.model import Document
from contract_audit.results import DocumentResult, ElementResult, Finding, QualifierHit
from contract_audit.scoring import score

DEFAULT_MAX_BYTES = 50 * 2**20
MISSING_FAMILY = "missing-responsibility"

# Used only when no requirement rule describes an element (e.g. a user rule set without them).
_ELEMENT_WORDS: dict[str, str] = {
    "scope": "the advisor's duties and services",
    "deliverables": "the advisor's concrete deliverables",
    "time-commitment": "the advisor's time commitment or availability",
    "reporting-line": "to whom at the client the advisor reports",
    "decision-authority": "who approves purchases and the limits of the advisor's authority",
    "performance-measures": "how the advisor's own performance is measured",
    "conflict-disclosure": "a duty to disclose conflicts of interest",
}


def analyze_document(document: Document, ruleset: Any) -> DocumentResult:
    """Analyse an extracted document with ``ruleset`` (see docs/scoring.md for the decisions)."""
    from contract_audit import engine  # lazy: spaCy

    matched = engine.match(document, ruleset)
    kind = classify(document, matched)
    findings = _one_protection_per_text(matched.findings)
    if kind.type in ADVISORY_TYPES:
        elements, missing = assess_elements(matched.evidence, ruleset)
        findings.extend(missing)
    else:
        elements = {e: ElementResult("not-assessed") for e in ELEMENTS}
        if kind.type == "other":
            # Not an IT-advisory contract: keep the findings visible but never let them count,
            # and record why, so a report can say it.
            findings = [_informational(f) for f in findings]
    ordered = tuple(sorted(findings, key=_order))
    return DocumentResult(
        path=document.path,
        status="ok",
        format=document.format,
        pages=document.page_count,
        words=document.word_count,
        engagement=kind,
        risk=score(ordered, elements, kind),
        elements=elements,
        findings=ordered,
        warnings=tuple(document.warnings),
    )


def analyze_file(
    path: str | Path, ruleset: Any, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> DocumentResult:
    """Extract and analyse one file; bad input becomes a result with a status, never a raise.

    ``message`` is the bare reason (callers print ``FILE: status: message``)."""
    from contract_audit.extract import ExtractionError, extract

    name = str(path)
    digest = _sha256(Path(path), max_bytes)
    try:
        document = extract(path, max_bytes=max_bytes)
    except ExtractionError as exc:
        return DocumentResult(path=name, sha256=digest, status=exc.status, message=exc.message)
    except Exception as exc:  # noqa: BLE001 - a worker must report, not crash, on any input
        return DocumentResult(
            path=name, sha256=digest, status="error", message=f"{type(exc).__name__}: {exc}"
        )
    if not document.path:
        document = replace(document, path=name)
    try:
        result = analyze_document(document, ruleset)
    except Exception as exc:  # noqa: BLE001 - same: one bad document must not stop a batch
        return DocumentResult(
            path=name,
            sha256=digest,
            status="error",
            message=f"analysis failed: {type(exc).__name__}: {exc}",
            format=document.format,
            pages=document.page_count,
            words=document.word_count,
        )
    return replace(result, path=name, sha256=digest)


def assess_elements(evidence: Any, ruleset: Any) -> tuple[dict[str, ElementResult], list[Finding]]:
    """Each element is present (with its best evidence) or missing (with a finding)."""
    elements: dict[str, ElementResult] = {}
    missing: list[Finding] = []
    for element in ELEMENTS:
        found = sorted(evidence.get(element, ()) or (), key=lambda ev: (ev.start, ev.end))
        if found:
            elements[element] = ElementResult("present", best_evidence(found))
            continue
        finding = missing_finding(element, requirement_rules(ruleset, element))
        elements[element] = ElementResult("missing", None, finding.recommendation)
        missing.append(finding)
    return elements, missing


# Evidence within this many characters of another piece of evidence for the same element counts as
# the same passage.
EVIDENCE_NEIGHBOURHOOD = 1200


def best_evidence(found: list[Any]) -> Any:
    """The clause a reader should see: the one in the densest passage of evidence (the schedule
    that lists the advisor's duties, not a stray mention in a definition or a transition clause),
    earliest on ties. ``found`` is sorted by position."""

    def density(ev: Any) -> int:
        return sum(abs(other.start - ev.start) <= EVIDENCE_NEIGHBOURHOOD for other in found)

    return max(found, key=lambda ev: (density(ev), -ev.start))


def requirement_rules(ruleset: Any, element: str) -> list[Any]:
    """The requirement rules that define ``element``, most severe first."""
    rules = getattr(ruleset, "rules", ()) or ()
    if isinstance(rules, dict):
        rules = rules.values()
    chosen = [
        r
        for r in rules
        if getattr(r, "kind", None) == "requirement" and getattr(r, "element", None) == element
    ]
    return sorted(chosen, key=lambda r: _rank(getattr(r, "severity", "medium")))


def missing_finding(element: str, rules: Iterable[Any]) -> Finding:
    """The ``missing-responsibility`` finding for an element no clause defines."""
    rule = next(iter(rules), None)
    words = _ELEMENT_WORDS.get(element, element)
    return Finding(
        id=missing_id(element),
        rule=getattr(rule, "id", f"missing-{element}"),
        family=MISSING_FAMILY,
        element=element,
        severity=getattr(rule, "severity", None) or "medium",
        title=getattr(rule, "title", None) or f"The contract does not define {words}",
        text="",
        match="",
        start=0,
        end=0,
        text_start=0,
        page=None,
        section=None,
        rationale=getattr(rule, "rationale", None) or "",
        recommendation=getattr(rule, "recommendation", None)
        or f"Add a clause that defines {words}.",
    )


def missing_id(element: str) -> str:
    """A fingerprint stable across runs and documents: the element is the whole identity."""
    return hashlib.sha1(f"{MISSING_FAMILY}|{element}".encode()).hexdigest()[:16]


NOT_ADVISORY = QualifierHit("not-an-it-advisory-contract", "engagement: other", "severity:info")


def _one_protection_per_text(findings: Iterable[Finding]) -> list[Finding]:
    """One protection per quoted text: "Provider shall not accept commissions" is both a
    negated vendor-compensation risk and the no-vendor-compensation protection, and a reader
    should see that clause once. The rule written as a protection wins over a negated risk."""
    out: list[Finding] = []
    kept: dict[tuple[int, str], int] = {}
    for f in findings:
        if f.family != "protection":
            out.append(f)
            continue
        key = (f.text_start, f.text)
        if key not in kept:
            kept[key] = len(out)
            out.append(f)
        elif _negated_risk(out[kept[key]]) and not _negated_risk(f):
            out[kept[key]] = f
    return out


def _negated_risk(f: Finding) -> bool:
    """A protection made by a qualifier out of a risk rule (a negation, a pass-through...)."""
    return any(q.effect == "protection" for q in f.qualifiers)


def _informational(f: Finding) -> Finding:
    if f.severity == "info" and NOT_ADVISORY in f.qualifiers:
        return f
    return replace(f, severity="info", qualifiers=(*f.qualifiers, NOT_ADVISORY))


def _rank(severity: str) -> int:
    return severity_rank(severity) if severity in SEVERITIES else len(SEVERITIES)


def _order(f: Finding) -> tuple[int, int, int, int, str]:
    """Severity first, then position; missing elements (no position) close their severity group."""
    return (_rank(f.severity), 1 if f.family == MISSING_FAMILY else 0, f.start, f.end, f.id)


def _sha256(path: Path, max_bytes: int) -> str:
    """The content hash, or "" when the file cannot (or should not) be read: extract() then
    reports why, in the same words as everywhere else."""
    try:
        if not path.is_file() or path.stat().st_size > max_bytes:
            return ""
        h = hashlib.sha256()
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        return h.hexdigest()
    except OSError:
        return ""
