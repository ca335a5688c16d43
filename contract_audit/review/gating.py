"""Which findings should fail a build: the ``--fail-on`` / ``--fail-on-new`` threshold.

Kept separate from the commands so ``scan`` and ``compare`` apply exactly the same rule: a finding
fails the gate when it is a risk (not a ``protection``), is at or above the threshold, and has not
been accepted by a reviewer.
"""

from __future__ import annotations

from collections.abc import Iterable

from contract_audit.domain import SEVERITIES, at_or_above
from contract_audit.results import DocumentResult, Finding

#: Protections contain a conflict: they never fail a gate, whatever their severity.
NON_RISK_FAMILIES: frozenset[str] = frozenset({"protection"})


def check_threshold(threshold: str) -> str:
    """Return ``threshold`` if it is a severity id, else raise ``ValueError`` naming the choices."""
    if threshold not in SEVERITIES:
        raise ValueError(f"unknown severity {threshold!r}: choose one of {', '.join(SEVERITIES)}")
    return threshold


def is_accepted(result: DocumentResult, finding: Finding) -> bool:
    """True when a reviewer accepted ``finding`` (a rejection keeps it counting)."""
    decision = result.decision_for(finding.id)
    return decision is not None and decision.action == "accept"


def gate(
    results: DocumentResult | Iterable[DocumentResult], fail_on: str | None
) -> list[Finding]:
    """The findings at or above ``fail_on`` that are risks and not accepted, in input order.

    ``fail_on=None`` means no gate (always empty). A non-empty answer means exit status 1.
    """
    if fail_on is None:
        return []
    check_threshold(fail_on)
    if isinstance(results, DocumentResult):
        results = (results,)
    failing: list[Finding] = []
    for result in results:
        for finding in result.findings:
            if finding.family in NON_RISK_FAMILIES:
                continue
            if at_or_above(finding.severity, fail_on) and not is_accepted(result, finding):
                failing.append(finding)
    return failing
