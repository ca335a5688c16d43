"""Questions for the provider: by topic, family and element, so unknown rules still get one."""

from __future__ import annotations

from dataclasses import replace

from report_factory import finding, missing, other_result, sample_result

from contract_audit.domain import ELEMENTS
from contract_audit.report.questions import ELEMENT_QUESTIONS, questions
from contract_audit.results import Decision, ElementResult


def texts(result) -> list[str]:
    return [q.text for q in questions(result)]


def test_sample_questions_cover_findings_and_missing_elements() -> None:
    qs = questions(sample_result())
    keys = [q.key for q in qs]
    assert (
        "topic:vendor-pay" in keys and "topic:markup" in keys and "topic:provider-control" in keys
    )
    assert {k for k in keys if k.startswith("element:")} == {
        "element:deliverables",
        "element:reporting-line",
        "element:decision-authority",
        "element:performance-measures",
        "element:conflict-disclosure",
    }
    # most severe first
    order = ["high", "medium", "low", "info"]
    assert [order.index(q.severity) for q in qs] == sorted(order.index(q.severity) for q in qs)


def test_accepted_findings_and_protections_raise_no_question() -> None:
    keys = [q.key for q in questions(sample_result())]
    assert "topic:no-hire" not in keys  # accepted by the reviewer
    assert not any("advisor-change-notice" in k for k in keys)  # a protection


def test_same_topic_merges_into_one_question_citing_every_clause() -> None:
    a = finding(
        "Provider may accept referral fees from vendors.",
        "referral fees",
        page=3,
        section="7.2 Fees",
    )
    b = finding(
        "The vCIO may receive a spiff from a distributor.",
        "spiff",
        rule="advisor-spiff",
        page=8,
        section="9.1 Bonuses",
        severity="medium",
    )
    qs = questions(replace(sample_result(), findings=(a, b), elements={}, decisions=()))
    assert len(qs) == 1
    assert qs[0].findings == (a.id, b.id)
    assert qs[0].refs == ("§ 7.2 Fees, p. 3", "§ 9.1 Bonuses, p. 8")
    assert qs[0].severity == "high"


def test_unknown_rule_still_gets_a_family_question() -> None:
    f = finding(
        "Provider may run the client's tender itself.",
        "run the client's tender",
        rule="zz-brand-new-rule",
        title="The provider runs tenders it may bid in",
        family="vendor-incentive",
    )
    [q] = questions(replace(sample_result(), findings=(f,), elements={}, decisions=()))
    assert q.text.startswith("The provider runs tenders it may bid in.")
    assert "recommend" in q.text
    g = replace(
        f,
        family="divided-loyalty",
        title="The advisor sits on the provider's board",
        match="board",
        rule="zz-other",
    )
    [q] = questions(replace(sample_result(), findings=(g,), elements={}, decisions=()))
    assert "our interests first" in q.text


def test_every_element_has_its_own_question() -> None:
    assert set(ELEMENT_QUESTIONS) == set(ELEMENTS)
    for el in ELEMENTS:
        [q] = questions(
            replace(sample_result(), findings=(missing(el),), elements={}, decisions=())
        )
        assert q.text == ELEMENT_QUESTIONS[el]


def test_missing_element_without_finding_still_asked() -> None:
    r = replace(
        sample_result(), findings=(), decisions=(), elements={"scope": ElementResult("missing")}
    )
    assert texts(r) == [ELEMENT_QUESTIONS["scope"]]


def test_rejected_finding_keeps_its_question() -> None:
    """Reject means the reviewer confirmed the clause must change: ask the provider."""
    f = sample_result().findings[0]
    rejected = replace(
        sample_result(), findings=(f,), elements={}, decisions=(Decision(f.id, "reject", "no"),)
    )
    assert [q.key for q in questions(rejected)] == ["topic:vendor-pay"]
    accepted = replace(rejected, decisions=(Decision(f.id, "accept", "credited to us"),))
    assert questions(accepted) == []


def test_non_advisory_contract_has_no_questions() -> None:
    assert questions(other_result()) == []
