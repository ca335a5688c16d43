"""The risk score: 0-100 and a level, built from findings so that it explains itself.

Every point comes from a line of :attr:`Risk.explanation` (a :class:`RiskItem` with the finding id),
so a reader can see why a contract scores 62 and what would lower it. The formula is documented in
docs/scoring.md; the constants below are its only parameters.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping

from contract_audit.domain import ADVISORY_TYPES
from contract_audit.results import ElementResult, Engagement, Finding, Risk, RiskItem

RISK_FAMILIES: frozenset[str] = frozenset({"vendor-incentive", "divided-loyalty"})

# Points a risk finding adds, by severity (info findings are listed but never counted).
SEVERITY_POINTS: Mapping[str, float] = {"high": 20.0, "medium": 10.0, "low": 4.0, "info": 0.0}
# Points a missing element adds, by the severity of its missing-responsibility finding.
MISSING_POINTS: Mapping[str, float] = {"high": 8.0, "medium": 5.0, "low": 2.0, "info": 0.0}
DEFAULT_MISSING_SEVERITY = "medium"
# The second and later findings of the same rule weigh this share: one clause repeated in five
# places is one risk, not five.
REPEAT_FACTOR = 0.25
# A protection in the same section contains the risk: the risk loses this share of its points.
CONTAINMENT_FACTOR = 0.5
# ... or within this many characters (sections may be missing or finer than the idea-area).
CONTAINMENT_WINDOW = 600

# Above KNEE points the score saturates smoothly towards 100 (same slope at the knee), so a very
# risky contract still ranks above a merely risky one instead of both sitting at a hard cap.
KNEE = 40.0

# Lower bounds of each level, most severe first.
LEVEL_THRESHOLDS: tuple[tuple[str, int], ...] = (("high", 55), ("elevated", 35), ("moderate", 15))


def level_for(score: int) -> str:
    """The level of a 0-100 score."""
    for level, lower in LEVEL_THRESHOLDS:
        if score >= lower:
            return level
    return "low"


def score(
    findings: Iterable[Finding],
    elements: Mapping[str, ElementResult],
    engagement: Engagement | None,
) -> Risk:
    """Score a document's findings and missing elements (see docs/scoring.md)."""
    findings = tuple(findings)
    if engagement is not None and engagement.type == "other":
        return Risk(
            0, "low", (RiskItem("not an IT-advisory contract: findings are informational", 0.0),)
        )

    protections = [f for f in findings if f.family == "protection"]
    items: list[RiskItem] = []
    seen: Counter[str] = Counter()
    for f in sorted((f for f in findings if f.family in RISK_FAMILIES), key=_position):
        points = SEVERITY_POINTS.get(f.severity, 0.0)
        if points <= 0:
            continue
        seen[f.rule] += 1
        if seen[f.rule] > 1:
            points *= REPEAT_FACTOR
            label = f"{f.severity} {f.family} (repeat of {f.rule}): {f.title}"
        else:
            label = f"{f.severity} {f.family}: {f.title}"
        items.append(RiskItem(label, round(points, 2), f.id))
        shield = _containing_protection(f, protections)
        if shield is not None:
            items.append(
                RiskItem(
                    f"contained by protection: {shield.title}",
                    -round(points * CONTAINMENT_FACTOR, 2),
                    shield.id,
                )
            )

    if engagement is None or engagement.type in ADVISORY_TYPES:
        missing_findings = {f.element: f for f in findings if f.family == "missing-responsibility"}
        for element, result in elements.items():
            if result.status != "missing":
                continue
            finding = missing_findings.get(element)
            severity = finding.severity if finding else DEFAULT_MISSING_SEVERITY
            points = MISSING_POINTS.get(severity, 0.0)
            if points > 0:
                items.append(
                    RiskItem(f"missing element: {element}", points, finding.id if finding else None)
                )

    total = sum(i.points for i in items)
    scaled = saturate(total)
    if scaled < total:
        items.append(
            RiskItem(f"diminishing returns above {KNEE:g} points", round(scaled - total, 2))
        )
    value = max(0, min(100, round(scaled)))
    return Risk(value, level_for(value), tuple(items))


def saturate(points: float) -> float:
    """Linear up to ``KNEE``, then ``KNEE + (100 - KNEE)(1 - e^-(x - KNEE)/(100 - KNEE))``."""
    if points <= KNEE:
        return points
    room = 100.0 - KNEE
    return KNEE + room * (1.0 - math.exp(-(points - KNEE) / room))


def _position(f: Finding) -> tuple[int, int, str]:
    return (f.start, f.end, f.id)


def _containing_protection(risk: Finding, protections: list[Finding]) -> Finding | None:
    """The nearest protection in the same section or within ``CONTAINMENT_WINDOW`` characters."""
    best: Finding | None = None
    for p in protections:
        same_section = risk.section is not None and p.section == risk.section
        if not same_section and abs(p.start - risk.start) > CONTAINMENT_WINDOW:
            continue
        if best is None or abs(p.start - risk.start) < abs(best.start - risk.start):
            best = p
    return best
