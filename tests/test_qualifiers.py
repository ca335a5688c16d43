"""Qualifiers: negation, terminators, windows, exceptions, conditions, required context,
party attribution (shared lists and the contract's own definitions), effects."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rule_fixtures.helpers import FIXTURES, document, rule, ruleset_of

from contract_audit import engine
from contract_audit import qualifiers as Q
from contract_audit.results import QualifierHit
from contract_audit.rules import load_rules

BASIC = load_rules([FIXTURES / "basic"], include_default=False)
NEGATED = {
    "name": "negated",
    "cues": "@negation",
    "direction": "before",
    "window": 8,
    "terminators": "@terminators",
    "effect": "protection",
}


def findings(text: str, rs: Any = BASIC, rule_id: str | None = None) -> list:
    out = engine.match(document(text), rs).findings
    return [f for f in out if rule_id is None or f.rule == rule_id]


def one(text: str, rs: Any = BASIC, rule_id: str | None = None) -> Any:
    found = findings(text, rs, rule_id)
    assert len(found) == 1, found
    return found[0]


def test_negation_turns_the_finding_into_a_protection() -> None:
    f = one("The Provider shall not accept any referral fees from vendors.")
    assert f.family == "protection"
    assert f.title == "The provider may not take vendor referral fees"  # protection_title
    assert f.qualifiers == (QualifierHit("negated", "shall not", "protection"),)


def test_terminator_closes_the_negation_window() -> None:
    f = one("Provider shall not charge setup costs, but may keep referral fees from vendors.")
    assert f.family == "vendor-incentive" and f.qualifiers == ()


def test_negation_beyond_the_window_does_not_fire() -> None:
    far = (
        "Client need not pay for travel, training or any of the many listed extras, and Provider "
        "keeps the referral fee."
    )
    assert one(far).family == "vendor-incentive"
    near = "No referral fee is payable."
    assert one(near).family == "protection"


def test_neither_nor_is_a_discontinuous_cue(tmp_path: Path) -> None:
    rs = ruleset_of(
        tmp_path,
        rule(
            "t-n",
            patterns={"phrases": ["commissions"]},
            qualifiers=[
                {
                    "name": "neg",
                    "cues": ["neither ... nor"],
                    "window": "sentence",
                    "effect": "protection",
                },
            ],
        ),
    )
    f = one("Provider shall neither accept commissions nor rebates.", rs)
    assert f.family == "protection" and f.qualifiers[0].cue == "neither ... nor"
    assert (
        one("Provider shall neither hire staff. It keeps commissions.", rs).family
        == "vendor-incentive"
    )


def test_a_negator_voids_the_cue_next_to_it(tmp_path: Path) -> None:
    """A consent the sentence dispenses with ("without the Client's consent") protects nothing,
    wherever it stands; the same consent required still does."""
    consent = {
        "name": "client-consents",
        "cues": ["client's consent"],
        "window": "sentence",
        "negators": ["without"],
        "effect": "protection",
    }
    rs = ruleset_of(
        tmp_path, rule("t-neg", patterns={"phrases": ["commissions"]}, qualifiers=[consent])
    )
    waived = one("Provider may, without the Client's consent, keep commissions.", rs)
    assert waived.family == "vendor-incentive" and waived.qualifiers == ()
    kept = one("Provider may keep commissions only with the Client's consent.", rs)
    assert kept.family == "protection"
    consent["negators_after"] = ["shall not be required"]
    rs = ruleset_of(
        tmp_path, rule("t-neg", patterns={"phrases": ["commissions"]}, qualifiers=[consent])
    )
    after = one(
        "Provider may keep commissions, and the Client's consent shall not be required.", rs
    )
    assert after.family == "vendor-incentive"

    # a negator a few words on: "the Client's consent to any such change is not required"
    distant = one(
        "Provider may keep commissions, and the Client's consent to any such change "
        "shall not be required.",
        rs,
    )
    assert distant.family == "vendor-incentive"


def test_defined_names_false_keeps_a_trade_cue_off_the_client_s_own_name(tmp_path: Path) -> None:
    """A client defined as "the Insurer" is the client: a cue about the insurance trade must
    not read its name, unless the qualifier asks for the contract's own words."""
    trade = {"name": "trade", "cues": ["insurer"], "window": "sentence", "effect": "drop"}
    text = (
        'This agreement is between Lakeshore Mutual (the "Insurer") and Quillon IT AG '
        '(the "Provider"). The Provider keeps commissions on what the Insurer buys.'
    )

    def family(qualifier: dict) -> list[str]:
        rs = ruleset_of(
            tmp_path, rule("t-t", patterns={"phrases": ["commissions"]}, qualifiers=[qualifier])
        )
        return [f.family for f in findings(text, rs)]

    assert family(trade) == []
    assert family({**trade, "defined_names": False}) == ["vendor-incentive"]
    plain = "The broker keeps commissions paid by the insurer on each policy."
    rs = ruleset_of(
        tmp_path,
        rule(
            "t-t",
            patterns={"phrases": ["commissions"]},
            qualifiers=[{**trade, "defined_names": False}],
        ),
    )
    assert findings(plain, rs) == []


def test_direction_after_and_exceptions_change_severity(tmp_path: Path) -> None:
    rs = ruleset_of(
        tmp_path,
        rule(
            "t-x",
            patterns={"phrases": ["rebates"]},
            qualifiers=[
                {
                    "name": "after-neg",
                    "cues": ["are not permitted"],
                    "direction": "after",
                    "window": 5,
                    "effect": "protection",
                },
                {
                    "name": "exception",
                    "cues": "@exception",
                    "window": "sentence",
                    "effect": "severity:low",
                },
            ],
        ),
    )
    assert one("Rebates are not permitted.", rs).family == "protection"
    assert one("Provider keeps rebates.", rs).family == "vendor-incentive"
    f = one("Provider keeps rebates unless Client objects.", rs)
    assert f.severity == "low" and f.qualifiers == (
        QualifierHit("exception", "unless", "severity:low"),
    )


def test_condition_downgrades_and_hits_are_recorded_in_order() -> None:
    f = one("Provider may keep referral fees only if disclosed in writing to Client.")
    assert f.severity == "medium"
    assert [(q.name, q.effect) for q in f.qualifiers] == [("disclosed", "downgrade")]


def test_upgrade_and_downgrade_clamp() -> None:
    out = Q.Outcome("vendor-incentive", "high", "t")
    Q.apply(out, QualifierHit("u", "x", "upgrade"), None)
    assert out.severity == "high"
    for _ in range(5):
        Q.apply(out, QualifierHit("d", "x", "downgrade"), None)
    assert out.severity == "info" and len(out.hits) == 6


def test_required_context_drops_matches_without_cue() -> None:
    assert findings("Client appoints Distributor as its exclusive provider of widgets.") == []
    f = one(
        "Client shall use Provider as its exclusive provider for all hardware the vCIO recommends."
    )
    assert f.rule == "t-exclusive-provider" and f.qualifiers == ()


def test_dropped_matches_are_traced() -> None:
    trace: list[engine.TraceEvent] = []
    engine.match(document("Client appoints Distributor as exclusive provider."), BASIC, trace=trace)
    (event,) = trace
    assert (event.rule, event.status) == ("t-exclusive-provider", "dropped")
    assert "needs-advisory-context" in event.reason


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Client shall not solicit Provider's personnel during the Term.", True),
        ("Provider shall not solicit Client's employees.", False),
        ("The Customer agrees not to hire any staff of the Supplier.", True),
        ("The Contractor will not hire the Customer's employees.", False),
        ("You shall not hire our staff for twelve months.", True),
        ("We will not solicit your employees.", False),
        ("During the Term the Client will not employ any personnel of the Provider.", True),
        ("Provider's staff: Client agrees it shall not hire such staff.", True),
    ],
)
def test_party_attribution_from_shared_lists(text: str, kept: bool) -> None:
    found = findings(text, rule_id="t-client-no-hire")
    assert bool(found) is kept


def test_party_attribution_from_contract_definitions() -> None:
    text = (
        'This Agreement is between Northwind Holdings, Inc. (the "Company") and Bright Path IT '
        'LLC ("Consultant"). Company shall not solicit Consultant\'s staff.\n\n'
        "Consultant shall not hire the employees of Company."
    )
    (f,) = findings(text, rule_id="t-client-no-hire")
    assert f.match.startswith("solicit")


def test_document_lexicon_decides_roles() -> None:
    from contract_audit.nlp import make_doc

    def tokenize(s: str) -> tuple[int, ...]:
        return tuple(t.lower for t in make_doc(s))

    roles = {"provider": ("provider", "consultant", "msp"), "client": ("client", "customer")}
    base = Q.PartyLexicon()
    lex = Q.document_lexicon(
        'Acme Ltd ("Advisor"), a managed service provider, and Beta Corp, as customer '
        '(the "Company"), enter into this Agreement (the "Agreement").',
        base,
        roles,
        tokenize,
    )
    assert lex.defined == {"Advisor": "provider", "Company": "client"}
    two = Q.document_lexicon(
        'Delta ("Gamma") and Zeta, our client ("Omega").', base, roles, tokenize
    )
    assert two.defined == {"Gamma": "provider", "Omega": "client"}  # the other party's opposite


def test_party_absent_qualifier(tmp_path: Path) -> None:
    rs = ruleset_of(
        tmp_path,
        rule(
            "t-p",
            patterns={"phrases": ["rebates"]},
            qualifiers=[
                {"name": "not-provider", "party": "provider", "when": "absent", "effect": "drop"},
            ],
        ),
    )
    assert findings("Client keeps rebates.", rs) == []
    f = one("Provider keeps rebates.", rs)
    assert f.qualifiers == ()
    assert findings("Rebates exist.", rs) == []  # no party at all: "not provider" fires


def test_passive_agent_and_beneficiary() -> None:
    lex_doc = document(
        "Rebates shall be retained by Provider. Rebates shall be credited to the Client."
    )
    rs = BASIC
    comp = engine.compiled(rs)
    run = engine._Run(lex_doc, comp)
    roles = []
    for si in range(len(run.starts)):
        ctx = run.context(si)
        found = Q.obligated_party(ctx, 0, 1)
        roles.append(found[0] if found else None)
    assert roles == ["provider", "client"]


def test_a_passive_agent_outranks_a_party_its_long_subject_mentions() -> None:
    """ "All costs of any product the Provider proposes shall be borne by the Client": the
    subject mentions the Provider, the passive binds the Client; an owner after "by" ("bound by
    the Provider's policies") is no agent."""
    texts = [
        "All costs of any product the Provider proposes shall be borne solely by the Client.",
        "The Client shall be bound by the Provider's policies.",
    ]
    roles = []
    for text in texts:
        run = engine._Run(document(text), engine.compiled(BASIC))
        found = Q.obligated_party(run.context(0), 0, 1)
        roles.append(found[0] if found else None)
    assert roles == ["client", "client"]


# ----------------------------------------------------------------- negation and conditions


@pytest.mark.parametrize(
    "text",
    [
        "No payment of any kind, whether a bonus, a rebate or a commission from a vendor, is kept.",
        "1.4 Neither the MSP nor any of its affiliates or subcontractors keeps referral fees.",
        "(c) No payment, credit, allowance or referral fee passes from a vendor to the MSP.",
    ],
)
def test_a_sentence_initial_negation_governs_the_whole_sentence(text: str) -> None:
    f = one(text)
    assert f.family == "protection"
    assert f.qualifiers[0].name == "negated"


def test_a_sentence_initial_negation_still_stops_at_a_terminator() -> None:
    f = one("No setup charge applies to new sites, but the MSP keeps its referral fees.")
    assert f.family == "vendor-incentive"


def test_a_pseudo_cue_is_no_negation() -> None:
    text = "No later than thirty days after each quarter, the MSP remits referral fees to itself."
    assert one(text).family == "vendor-incentive"
    assert one("The MSP pays referral fees no later than each month end.").qualifiers == ()


@pytest.mark.parametrize(
    "text",
    [
        "The MSP will refuse every referral fee that a software publisher offers.",
        "The MSP declines any commission from vendors of products it recommends.",
        "Our account team will return each referral fee to the vendor that paid it.",
    ],
)
def test_refusal_verbs_negate(text: str) -> None:
    assert one(text).family == "protection"


@pytest.mark.parametrize(
    "text",
    [
        "The MSP may keep a referral fee only where the Client has approved it in advance.",
        "Referral fees are kept by the MSP unless the steering committee approved them.",
    ],
)
def test_conditions_from_the_shared_list(text: str) -> None:
    f = one(text)
    assert (f.family, f.severity) == ("vendor-incentive", "medium")  # "disclosed": downgrade
    assert [h.name for h in f.qualifiers] == ["disclosed"]


def _override_rules(tmp_path: Path) -> Any:
    return ruleset_of(
        tmp_path,
        rule(
            "t-buy",
            patterns={"tokens": [[{"LOWER": "obliges"}, {"OP": "{0,3}"}, {"LOWER": "purchase"}]]},
        ),
        rule(
            "t-free",
            family="protection",
            overrides=["t-buy"],
            patterns={"tokens": [[{"LOWER": "nothing"}, {"OP": "{0,4}"}, {"LOWER": "obliges"}]]},
        ),
    )


def test_a_protection_overrides_the_risk_reading_of_the_same_words(tmp_path: Path) -> None:
    rs = _override_rules(tmp_path)
    trace: list = []
    text = "Nothing in an order obliges the Buyer to purchase goods from the Supplier."
    found = engine.match(document(text), rs, trace=trace).findings
    assert [f.rule for f in found] == ["t-free"]
    assert any(t.rule == "t-buy" and "overridden by t-free" in t.reason for t in trace)


def test_an_override_needs_overlapping_words_in_the_same_sentence(tmp_path: Path) -> None:
    rs = _override_rules(tmp_path)
    apart = "Nothing in this clause obliges anyone. The order obliges the Buyer to purchase goods."
    assert sorted(f.rule for f in findings(apart, rs)) == ["t-buy", "t-free"]
    plain = "Each order obliges the Buyer to purchase the goods listed in it."
    assert [f.rule for f in findings(plain, rs)] == ["t-buy"]


def test_a_risk_overrides_element_evidence_its_words_start_inside(tmp_path: Path) -> None:
    """ "takes direction from, and is supervised by, Provider management" is the advisor under
    the provider's control, not a reporting line: a risk rule listing the requirement rule in
    ``overrides`` drops evidence that starts inside its words, and only that."""
    rs = ruleset_of(
        tmp_path,
        rule(
            "t-line",
            kind="requirement",
            family="missing-responsibility",
            element="reporting-line",
            patterns={"phrases": ["takes direction from"]},
        ),
        rule(
            "t-control",
            family="divided-loyalty",
            overrides=["t-line"],
            patterns={"tokens": [[{"LOWER": "takes"}, {"OP": "{0,8}"}, {"LOWER": "provider"}]]},
        ),
    )
    trace: list = []
    text = "The vCIO takes direction from, and is supervised by, Provider management."
    result = engine.match(document(text), rs, trace=trace)
    assert [f.rule for f in result.findings] == ["t-control"]
    assert not result.evidence.get("reporting-line")
    assert any(t.rule == "t-line" and "overridden by t-control" in t.reason for t in trace)
    client = "The vCIO takes direction from the Client's COO and never from the Provider."
    result = engine.match(document(client), rs)
    assert len(result.evidence["reporting-line"]) == 1  # no risk reading: the evidence stands


def test_a_responsibility_matrix_row_is_done_by_its_r_or_a_column(tmp_path: Path) -> None:
    """A row of a RACI matrix reads with the heading of its R or A column as its subject: the
    vCIO scoring the provider's service levels is self-review; the client's CFO doing it is not."""
    from contract_audit.extract import extract

    head = (
        'This Agreement is between Alder Networks Ltd (the "Provider") and Birchfield Foods Ltd '
        '(the "Client"). The Provider supplies a virtual CIO (the "vCIO").\n\n'
        "Annex A - Responsibility matrix\n\n"
        "Activity | vCIO | Service Desk | Client CFO\n"
        "Quarterly technology roadmap | R | C | A\n"
    )
    row = "Monthly scoring of the Provider's service levels | {} | C | {}\n"
    shipped = load_rules()
    found = []
    for owner, cfo in (("R/A", "I"), ("I", "R/A")):
        path = tmp_path / f"matrix-{len(found)}.txt"
        path.write_text(head + row.format(owner, cfo), encoding="utf-8")
        result = engine.match(extract(path), shipped)
        found.append([f for f in result.findings if f.rule == "advisor-reviews-provider"])
    assert found[0] and not found[1], found


def test_a_cue_naming_the_client_does_not_read_a_party_word_given_the_other_role(
    tmp_path: Path,
) -> None:
    """Indian drafting often names the provider "the Company": a cue "{client-names} shall have
    a right of first refusal" (the client's own option) must not fire on it, so the provider's
    right of first refusal stays a finding."""
    from contract_audit.extract import extract

    text = (
        "ORDER FORM\n\nThis Agreement is entered into BETWEEN:\n\nDECCAN CLOUD SERVICES PRIVATE "
        'LIMITED, a company incorporated under the Companies Act, 2013 (hereinafter "the '
        'Company"); AND\n\nKRISHNA CASTINGS PRIVATE LIMITED, a company incorporated under the '
        'Companies Act, 1956 (hereinafter "the Customer").\n\n1. The Company shall provide '
        "managed IT services and a virtual CIO to the Customer.\n\n2. The Company shall have a "
        "right of first refusal in respect of every IT project proposed by the Customer.\n"
    )
    path = tmp_path / "order.txt"
    path.write_text(text, encoding="utf-8")
    result = engine.match(extract(path), load_rules())
    assert any(f.rule == "project-exclusivity" for f in result.findings), result.findings


def test_a_table_row_takes_its_topic_from_the_heading_row(tmp_path: Path) -> None:
    """ "Deliverable | Due" above "IT strategy and three-year roadmap | Within 4 months": the row
    is a deliverable although its own words never say so."""
    from contract_audit.extract import extract

    text = (
        'This Agreement is between Birchfield Foods Ltd (the "Company") and Dana Lee, an '
        'independent consultant (the "Consultant"), who acts as the Company\'s part-time CIO.\n\n'
        "Schedule 1 - Deliverables\n\n"
        "| {heading} | Due |\n"
        "| IT strategy and three-year roadmap | Within 4 months |\n"
    )
    found = []
    for heading in ("Deliverable", "Topic"):
        path = tmp_path / f"{heading}.txt"
        path.write_text(text.format(heading=heading), encoding="utf-8")
        evidence = engine.match(extract(path), load_rules()).evidence.get("deliverables") or []
        found.append([e for e in evidence if e.rule == "element-deliverables"])
    assert found[0] and not found[1], found
