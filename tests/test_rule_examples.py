"""Every shipped rule runs its own examples through the full engine (qualifiers included).

One parametrized case per example (id: ``<rule>-match-<i>`` / ``<rule>-no_match-<i>``); the
semantics are those of ``contract-audit rules test`` (see docs/rule-language.md, *Examples*).
"""

from __future__ import annotations

from functools import cache

import pytest

from contract_audit.rules import RuleError, RuleSet, load_rules
from contract_audit.rules.examples import ExampleCase, example_cases, run_case
from contract_audit.rules.schema import MIN_EXAMPLES


@cache
def shipped() -> RuleSet | RuleError:
    try:
        return load_rules()
    except RuleError as exc:  # reported by test_shipped_rules_load, not as a collection crash
        return exc


@cache
def isolated(rule_id: str) -> RuleSet:
    rs = shipped()
    assert isinstance(rs, RuleSet)
    return rs.isolate(rule_id)


def _cases() -> list[ExampleCase]:
    rs = shipped()
    return list(example_cases(rs)) if isinstance(rs, RuleSet) else []


def test_shipped_rules_load() -> None:
    rs = shipped()
    if isinstance(rs, RuleError):
        pytest.fail("invalid shipped rule files:\n" + "\n".join(rs.problems))
    assert len(rs) > 0


def test_every_rule_carries_examples() -> None:
    rs = shipped()
    assert isinstance(rs, RuleSet)
    for r in rs.rules:
        assert len(r.examples.match) >= MIN_EXAMPLES, r.id
        assert len(r.examples.no_match) >= MIN_EXAMPLES, r.id


@pytest.mark.parametrize("case", _cases(), ids=lambda c: c.case_id)
def test_rule_example(case: ExampleCase) -> None:
    message = run_case(isolated(case.rule), case)
    assert message is None, f"{case.rule} {case.kind}[{case.index}]: {message}\n  {case.text}"
