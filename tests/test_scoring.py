"""The risk score: severities add, protections in the same area subtract, missing elements add,
and every point is explained by a RiskItem."""

from __future__ import annotations

import pytest

from contract_audit import scoring
from contract_audit.domain import ELEMENTS
from contract_audit.results import ElementResult, Engagement, Finding

MSP = Engagement("msp-vcio", ("vCIO",), 0.9)


def finding(
    fid: str,
    family: str = "vendor-incentive",
    severity: str = "high",
    *,
    rule: str | None = None,
    start: int = 100,
    section: str | None = "7 Fees",
    element: str | None = None,
) -> Finding:
    return Finding(
        id=fid,
        rule=rule or f"rule-{fid}",
        family=family,
        element=element,
        severity=severity,
        title=f"title {fid}",
        text="text",
        match="m",
        start=start,
        end=start + 1,
        text_start=start,
        page=1,
        section=section,
    )


def present_elements() -> dict[str, ElementResult]:
    return {e: ElementResult("present") for e in ELEMENTS}


def explained_total(risk) -> float:
    return sum(i.points for i in risk.explanation)


def test_severities_add_in_order_and_items_sum_to_the_score():
    high = scoring.score([finding("a", severity="high")], present_elements(), MSP)
    medium = scoring.score([finding("a", severity="medium")], present_elements(), MSP)
    low = scoring.score([finding("a", severity="low")], present_elements(), MSP)
    assert high.score > medium.score > low.score > 0
    for risk in (high, medium, low):
        assert round(explained_total(risk)) == risk.score
        assert risk.explanation[0].finding == "a"


def test_info_findings_are_listed_elsewhere_but_never_counted():
    risk = scoring.score([finding("a", severity="info")], present_elements(), MSP)
    assert risk.score == 0 and risk.level == "low"
    assert risk.explanation == ()


def test_a_protection_in_the_same_section_contains_the_risk():
    risk_only = scoring.score([finding("c")], present_elements(), MSP)
    with_protection = scoring.score(
        [finding("c"), finding("p", "protection", "low", start=900)], present_elements(), MSP
    )
    assert with_protection.score < risk_only.score
    negative = [i for i in with_protection.explanation if i.points < 0]
    assert [i.finding for i in negative] == ["p"]
    assert round(explained_total(with_protection)) == with_protection.score


def test_a_distant_protection_in_another_section_does_not_contain_the_risk():
    far = finding("p", "protection", "low", start=5000, section="12 Data")
    risk = scoring.score([finding("c"), far], present_elements(), MSP)
    assert risk.score == scoring.score([finding("c")], present_elements(), MSP).score


def test_repeats_of_one_rule_weigh_less_than_distinct_risks():
    repeated = [finding("a", rule="same", start=10), finding("b", rule="same", start=2000)]
    distinct = [finding("a", rule="one", start=10), finding("b", rule="two", start=2000)]
    assert (
        scoring.score(repeated, present_elements(), MSP).score
        < scoring.score(distinct, present_elements(), MSP).score
    )


def test_missing_elements_add_points_by_their_findings_severity():
    elements = present_elements()
    elements["conflict-disclosure"] = ElementResult("missing")
    miss = finding("m", "missing-responsibility", "high", element="conflict-disclosure")
    risk = scoring.score([miss], elements, MSP)
    assert risk.score == scoring.MISSING_POINTS["high"]
    assert [i.finding for i in risk.explanation] == ["m"]
    assert "conflict-disclosure" in risk.explanation[0].label


def test_other_contracts_score_zero_whatever_they_contain():
    other = Engagement("other", (), 1.0)
    risk = scoring.score([finding("a"), finding("b", start=3000)], present_elements(), other)
    assert risk.score == 0 and risk.level == "low"


def test_the_score_saturates_below_100_and_says_so():
    many = [finding(str(i), rule=f"r{i}", start=i * 1000, section=None) for i in range(12)]
    more = [finding(str(i), rule=f"r{i}", start=i * 1000, section=None) for i in range(16)]
    assert scoring.score(more, present_elements(), MSP).score > scoring.score(
        many, present_elements(), MSP
    ).score
    risk = scoring.score(many, present_elements(), MSP)
    assert 90 < risk.score < 100 and risk.level == "high"
    assert risk.explanation[-1].label.startswith("diminishing returns")
    assert risk.explanation[-1].points < 0
    assert round(explained_total(risk)) == risk.score


@pytest.mark.parametrize(
    ("value", "level"),
    [
        (0, "low"),
        (14, "low"),
        (15, "moderate"),
        (35, "elevated"),
        (54, "elevated"),
        (55, "high"),
        (100, "high"),
    ],
)
def test_levels(value, level):
    assert scoring.level_for(value) == level
