"""--fail-on: which findings fail a build."""

from __future__ import annotations

import pytest
from test_review_fakes import make_finding, make_result

from contract_audit.results import Decision
from contract_audit.review.gating import gate


def findings():
    return [
        make_finding("a", "A high risk clause.", "high risk", severity="high"),
        make_finding("b", "A medium risk clause.", "medium risk", severity="medium"),
        make_finding("c", "A low risk clause.", "low risk", severity="low"),
        make_finding("d", "An info clause.", "info", severity="info"),
        make_finding(
            "p", "Provider shall disclose.", "disclose", severity="high", family="protection"
        ),
    ]


@pytest.mark.parametrize(
    ("threshold", "rules"),
    [("high", ["a"]), ("medium", ["a", "b"]), ("low", ["a", "b", "c"]), (None, [])],
)
def test_threshold(threshold: str | None, rules: list[str]) -> None:
    assert [f.rule for f in gate(make_result(findings()), threshold)] == rules


def test_accepted_findings_do_not_count_but_rejected_do() -> None:
    fs = findings()
    decisions = (
        Decision(fs[0].id, "accept", "fine", "J", "2026-01-01"),
        Decision(fs[1].id, "reject", "fix it", "J", "2026-01-01"),
    )
    result = make_result(fs, decisions=decisions)
    assert [f.rule for f in gate(result, "medium")] == ["b"]


def test_many_results_and_missing_elements() -> None:
    missing = make_finding(
        "missing-scope", "", "", severity="high", family="missing-responsibility"
    )
    results = [make_result(findings()[:1]), make_result([missing]), make_result([])]
    assert [f.rule for f in gate(results, "high")] == ["a", "missing-scope"]


def test_unknown_threshold_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown severity 'urgent'"):
        gate(make_result(findings()), "urgent")
