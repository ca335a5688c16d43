"""Engagement classification: the arithmetic over signals (with fakes), then the shipped signal
vocabulary (patterns/engagement.yml) through the real engine."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from contract_audit.engagement import classify
from contract_audit.model import Document


@dataclass(frozen=True)
class Sig:
    rule: str
    engagement: str
    weight: float
    text: str
    start: int = 10_000


@dataclass(frozen=True)
class Result:
    signals: tuple[Sig, ...]


DOC = Document(text="x")
VCIO = Sig("signal-vcio", "msp-vcio", 3, "vCIO")
FRACTIONAL = Sig("signal-fractional-cio", "independent-fractional", 3, "fractional CIO")
MANAGED = Sig("signal-managed-services", "msp-vcio", 1, "managed services")
HELPDESK = Sig("signal-service-operations", "msp-vcio", 1, "help desk")
INDEPENDENT = Sig("signal-independent-consultant", "independent-fractional", 1, "vendor-neutral")
RESELLER = Sig("signal-reseller-agreement", "reseller-partner", 2, "Reseller Agreement")


def kind(*signals: Sig) -> str:
    return classify(DOC, Result(signals)).type


def test_vcio_with_managed_services_is_msp():
    result = classify(DOC, Result((VCIO, MANAGED, HELPDESK)))
    assert result.type == "msp-vcio"
    assert result.evidence[0] == "vCIO"  # heaviest signal first
    assert 0.5 < result.confidence <= 1.0


def test_fractional_cio_with_independence_is_independent():
    assert kind(FRACTIONAL, INDEPENDENT, INDEPENDENT) == "independent-fractional"


def test_managed_services_alone_do_not_make_an_advisory_contract():
    assert kind(MANAGED, MANAGED, HELPDESK, HELPDESK) == "other"


def test_reseller_terms_without_an_advisor_are_reseller_partner():
    assert kind(RESELLER, RESELLER, MANAGED) == "reseller-partner"


def test_reseller_terms_without_any_it_vocabulary_are_other():
    # a furniture distributor's agreement: vendor-side, but not IT
    result = classify(DOC, Result((RESELLER, RESELLER, RESELLER)))
    assert result.type == "other"
    assert result.confidence < 1.0  # the reseller terms it set aside are doubt


def test_no_signals_is_other_with_high_confidence():
    result = classify(DOC, Result(()))
    assert result.type == "other" and result.confidence == 1.0
    assert result.evidence  # says why


def test_one_rule_repeated_many_times_is_capped():
    # fifty mentions of "MSP" must not outweigh a fractional CIO and independence statements
    signals = (FRACTIONAL, FRACTIONAL, INDEPENDENT, INDEPENDENT) + (MANAGED,) * 50
    assert kind(*signals) == "independent-fractional"


def test_title_area_signals_weigh_more():
    titled = Sig("signal-reseller-agreement", "reseller-partner", 2, "Reseller Agreement", start=0)
    assert kind(VCIO, titled) == "reseller-partner"
    assert kind(VCIO, RESELLER) == "msp-vcio"


# --- the shipped vocabulary, through the real engine -------------------------------------------


@pytest.fixture(scope="module")
def real_engine():
    from contract_audit import engine
    from contract_audit.builder import build_document
    from contract_audit.model import Block
    from contract_audit.rules import load_rules

    def build(*paragraphs: str) -> Document:
        return build_document([Block(p) for p in paragraphs], format="text")

    return engine, load_rules(), build


@pytest.fixture(scope="module")
def real(real_engine):
    engine, ruleset, build = real_engine

    def run(*paragraphs: str) -> str:
        doc = build(*paragraphs)
        return classify(doc, engine.match(doc, ruleset)).type

    return run


def test_real_msp_contract(real):
    assert (
        real(
            "MANAGED SERVICES AGREEMENT",
            "MSP shall provide help desk support, remote monitoring and patch management.",
            "MSP shall assign a vCIO who meets Client quarterly to maintain a technology roadmap.",
            "The vCIO shall prepare an annual IT budget.",
        )
        == "msp-vcio"
    )


def test_real_fractional_contract(real):
    assert (
        real(
            "FRACTIONAL CIO AGREEMENT",
            "The Company engages the Consultant to serve as its fractional Chief Information "
            "Officer for sixteen hours per week.",
            "The Consultant is an independent contractor and does not resell any product.",
            "The Fractional CIO shall oversee the Company's managed service provider.",
        )
        == "independent-fractional"
    )


def test_partner_program_membership_with_an_advisor_is_msp(real):
    """An MSP's "partner program" sold to the client (vendors pay the MSP, the client gets support
    and an advisor known by an acronym of a title without "CIO") is an MSP vCIO contract, not a
    vendor-side reseller agreement."""
    assert (
        real(
            "TECHNOLOGY PARTNER PROGRAM - MEMBER TERMS",
            "The Technology Partner Program gives you support desk cover and planning help from "
            'a Technology Success Manager ("TSM").',
            "Your TSM will review your systems and prepare a two-year technology plan.",
            "The TSM will meet your finance director each quarter.",
            "Software publishers pay us partner incentives, which we keep.",
        )
        == "msp-vcio"
    )


def test_real_lease_is_other(real):
    assert (
        real(
            "LEASE AGREEMENT",
            "Landlord leases the Premises to Tenant for a term of five years.",
            "Tenant shall pay Rent monthly and the brokerage commission at closing.",
        )
        == "other"
    )


def test_shipped_signal_examples_hold(real_engine):
    """Each signal rule's examples: ``match`` sentences give that rule's signal (with the
    ``matched`` words when stated), ``no_match`` sentences do not."""
    engine, ruleset, build = real_engine
    failures = []
    for rule in (r for r in ruleset.rules if r.kind == "signal"):
        for kind in ("match", "no_match"):
            for example in getattr(rule.examples, kind):
                doc = build(example.text)
                hits = [s for s in engine.match(doc, ruleset).signals if s.rule == rule.id]
                words = [doc.text[s.start : s.end] for s in hits]
                ok = bool(hits) if kind == "match" else not hits
                if ok and kind == "match" and example.matched:
                    ok = example.matched in words
                if not ok:
                    failures.append(f"{rule.id} {kind}: {example.text!r} -> {words}")
    assert not failures, "\n".join(failures)
