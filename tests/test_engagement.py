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
    provider_evidence: bool = False


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
    assert kind(RESELLER, RESELLER, MANAGED, HELPDESK) == "reseller-partner"


def test_one_passing_it_word_does_not_make_a_distribution_agreement_it():
    """A mining-equipment distributor's agreement that mentions "remote support" once is not a
    reseller agreement in IT; the partner's own IT business (a context-only signal) is enough."""
    assert kind(RESELLER, RESELLER, HELPDESK) == "other"
    partner_it = Sig("signal-partner-it-business", "msp-vcio", 0.5, "its managed services clients")
    assert kind(RESELLER, RESELLER, partner_it) == "reseller-partner"


def test_reseller_terms_without_any_it_vocabulary_are_other():
    # a furniture distributor's agreement: vendor-side, but not IT
    result = classify(DOC, Result((RESELLER, RESELLER, RESELLER)))
    assert result.type == "other"
    assert result.confidence < 1.0  # the reseller terms it set aside are doubt


def test_no_signals_is_other_with_high_confidence():
    result = classify(DOC, Result(()))
    assert result.type == "other" and result.confidence == 1.0
    assert result.evidence  # says why


def test_the_providers_own_business_decides_between_advisory_types():
    """vCIO vocabulary is shared by both kinds of advisor: an independence statement outweighs
    it when nothing says the provider runs managed services, and not when something does."""
    statement = Sig(
        "signal-independence-statement",
        "independent-fractional",
        1.5,
        "neither resells nor",
        provider_evidence=True,
    )
    managed = Sig(
        "signal-managed-services", "msp-vcio", 1, "managed services", provider_evidence=True
    )
    assert kind(VCIO, VCIO, VCIO, statement) == "independent-fractional"
    assert kind(VCIO, VCIO, VCIO, statement, managed) == "msp-vcio"
    assert kind(VCIO, VCIO, VCIO, INDEPENDENT) == "msp-vcio"  # not provider evidence


def test_provider_business_that_far_outweighs_the_other_decides():
    """A fractional title from a company that runs the client's service desk: many managed-
    services signals outweigh one mention of an independent adviser (the reviewer the client
    may appoint) when both types have provider evidence; a close call stays with the scores."""
    independent = Sig(
        "signal-independent-consultant",
        "independent-fractional",
        1,
        "independent adviser",
        provider_evidence=True,
    )
    managed = Sig("signal-managed-services", "msp-vcio", 1, "managed ICT", provider_evidence=True)
    desk = Sig("signal-service-operations", "msp-vcio", 1, "service desk", provider_evidence=True)
    fractional = (FRACTIONAL, FRACTIONAL, FRACTIONAL)
    assert kind(*fractional, independent, managed, managed, managed, desk) == "msp-vcio"
    assert kind(*fractional, independent, managed, desk) == "independent-fractional"


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


# --- advisor titles and drafting the vocabulary was not written from ------------------------------
# Short contracts of our own: an advisory engagement is recognised by what the advisor does for the
# client (acts as its CIO, keeps its roadmap and budget), whatever the title; contracts that merely
# mention IT roles (a lease, a CTO's employment, a staffing agency) stay "other"; an agreement whose
# own party is the vendor's "Partner" is vendor-side even when the partner sells vCIO services.

ADVISORY_CASES = {
    "alignment-manager": (
        "msp-vcio",
        """
        HARBOURVIEW IT - MANAGED CARE AGREEMENT

        Harbourview IT Pty Ltd ("Harbourview") will provide the services in this agreement to
        the customer named in the schedule ("you").

        Harbourview looks after your devices, backups and help desk requests.

        Your Technology Alignment Manager meets with your owners every quarter, keeps your
        three-year technology roadmap up to date and helps you set your IT budget.

        Hardware you buy through us is charged at our cost plus ten percent.
        """,
    ),
    "success-architect": (
        "msp-vcio",
        """
        Service Terms - Foundry Managed Technology

        These terms apply between Foundry Managed Technology LLC (the Provider) and the Customer
        named on the Order.

        The Provider runs remote monitoring, patching and a service desk for the Customer's
        covered devices.

        Each Customer on the Growth tier is assigned a Client Success Architect.

        The Client Success Architect prepares the Customer's annual technology plan and IT
        budget and reviews them with the Customer's leadership twice a year.
        """,
    ),
    "engagement-director-cio": (
        "independent-fractional",
        """
        LETTER OF ENGAGEMENT

        Dear Ms. Okafor,

        Thank you for choosing Wrenfield Partners. This letter sets out the terms on which we
        will act for Kestrel Foods Limited.

        Our Engagement Director, Tom Haskell, acts as the Company's CIO for two days each week,
        attending the executive committee and leading the technology agenda.

        Wrenfield sells no hardware or software and takes no payment from any vendor.

        Our fee is a fixed monthly retainer, invoiced in arrears.
        """,
    ),
    "steward": (
        "msp-vcio",
        """
        CASCADE NETWORKS - SMALL OFFICE PLAN

        We look after your computers, network and email, and our help desk is open 8 am to 6 pm.

        Every plan includes a technology steward: a senior member of our team who plans your
        upgrades, keeps an eye on your renewals and helps you budget for technology.

        We may receive incentives from the manufacturers whose products we supply.
        """,
    ),
    "itd-as-a-service": (
        "msp-vcio",
        """
        ORDER SCHEDULE

        Customer: Lindqvist Marine AB

        Supplier: Nordvik IT Services AB

        Item 1: Managed endpoints (per user per month)

        Item 2: IT Director as a Service - 8 hours per month

        The IT Director reviews the Customer's systems, maintains the IT roadmap and attends the
        Customer's quarterly board meeting.
        """,
    ),
    "ict-adviser": (
        "msp-vcio",
        """
        CALL-OFF CONTRACT FOR MANAGED ICT SERVICES

        The Supplier shall provide the managed ICT services in Schedule 2, including a service
        desk and network monitoring.

        The Supplier shall appoint a Strategic ICT Adviser who shall advise the Authority on ICT
        strategy and investment priorities.

        The Strategic ICT Adviser shall attend the Authority's digital board each month.
        """,
    ),
    "member-consultant": (
        "independent-fractional",
        """
        MEMBERSHIP TERMS - TECHNOLOGY COOPERATIVE

        The Cooperative is owned by its members and sells no products.

        Each member practice is assigned a member technology consultant who advises the practice
        on technology planning and reviews vendor proposals on its behalf.

        The consultant is vendor-neutral and receives no commission from any supplier.
        """,
    ),
    "chief-digital-partner": (
        "independent-fractional",
        """
        CONSULTING AGREEMENT

        This Consulting Agreement is between Loam & Leaf Ltd ("Client") and Priya Natarajan
        ("Consultant").

        The Consultant will serve as the Client's part-time head of technology, owning the
        Client's digital strategy and its technology budget.

        The Consultant will work for the Client three days a month.

        The Consultant is independent and is not affiliated with any software vendor.
        """,
    ),
    "account-strategist": (
        "msp-vcio",
        """
        Bluegum Tech Care Plan

        We look after your computers, network and backups, and our help desk answers calls from 8
        to 6.

        Your Account Strategist meets you twice a year to plan upgrades, check your renewals and
        budget for new equipment.

        We may earn a margin on equipment you buy from us.
        """,
    ),
    "defined-advisor-without-a-title": (
        "independent-fractional",
        """
        ADVISORY AGREEMENT

        This agreement is between Northcote Advisory LLC ("Advisor") and Pine Street Clinics
        ("Clinic").

        The Advisor will guide the Clinic's leadership on technology decisions, review vendor
        proposals and plan the replacement of the Clinic's systems.

        The Advisor does not resell any products and accepts no vendor commissions.
        """,
    ),
    "fractional-cio-overseeing-the-clients-msp": (
        "independent-fractional",
        """
        FRACTIONAL TECHNOLOGY LEADERSHIP AGREEMENT

        Harrow & Finch Consulting LLC ("Consultant") and Dunmore Logistics Inc. ("Company") agree
        as follows.

        The Consultant will act as the Company's part-time CIO.

        The Consultant will oversee the Company's managed service provider and review its help
        desk and patch management reports each month.

        The Consultant will run a tender to select a new managed services provider and evaluate
        the bidders' service desk and remote monitoring offers.

        The Company's current MSP remains responsible for network operations center and endpoint
        management services.
        """,
    ),
    # "part-time" says how much of the person, not who employs the person: the firm that runs
    # the network and the help desk also supplies the part-time IT leader.
    "msp-supplying-a-part-time-it-director": (
        "msp-vcio",
        """
        SUPPORT AND TECHNOLOGY LEADERSHIP CONTRACT

        Ferncliff Borough Council ("Council") and Tidewell Systems Ltd ("Contractor") agree as
        follows.

        The Contractor shall run the Council's managed network and its help desk.

        The Contractor shall also supply a part-time director of IT who will prepare the
        Council's technology plan and annual IT budget.
        """,
    ),
    "independent-that-denies-selling-managed-services": (
        "independent-fractional",
        """
        Engagement as part-time Chief Technology Officer

        Dear Ms Okafor, I will act as your part-time Chief Technology Officer from 1 May.

        I will look after the relationship with your managed service provider and review its
        monthly reports.

        I do not sell hardware, software, licences or managed services of any kind.
        """,
    ),
}

NEGATIVE_CASES = {
    "lease": (
        "other",
        """
        COMMERCIAL LEASE

        The Landlord leases the Premises to the Tenant for five years.

        The Tenant may install its own IT network and shall appoint an IT manager responsible
        for the server room.
        """,
    ),
    "cto-employment": (
        "other",
        """
        EXECUTIVE EMPLOYMENT AGREEMENT

        Fennmoor Analytics Inc. (the "Employer") employs Dana Price (the "Employee").

        The Employee shall serve as Chief Technology Officer and shall set the Employer's
        technology strategy and IT budget.

        The Employee's base salary is $240,000 a year, and the Employee is eligible for the
        Employer's bonus plan.
        """,
    ),
    "it-staffing": (
        "other",
        """
        TEMPORARY STAFFING AGREEMENT

        Brightside Talent Ltd ("Agency") supplies temporary workers to Gorse Logistics
        ("Client").

        The Agency will supply an IT support technician and a technology consultant to work
        under the Client's direction.

        The Client shall sign each worker's timesheet weekly; the Agency pays the workers.

        If the Client hires a worker within six months, it shall pay the Agency a placement fee.
        """,
    ),
    "investment-adviser": (
        "other",
        """
        INVESTMENT ADVISORY AGREEMENT

        The Adviser shall manage the Fund's portfolio and advise the Trustees on investment
        strategy.

        The Adviser may receive soft-dollar benefits from brokers and shall disclose them to the
        Trustees.
        """,
    ),
    "media-agency": (
        "other",
        """
        MEDIA AGENCY SERVICES AGREEMENT

        The Agency shall plan and buy media for the Advertiser and prepare an annual media plan
        and budget.

        The Agency may receive volume rebates from media owners, which it shall pass to the
        Advertiser.
        """,
    ),
    "saas": (
        "other",
        """
        SUBSCRIPTION TERMS

        The Provider grants the Customer a subscription to its cloud software.

        The Provider's support desk answers tickets during business hours and the Provider may
        update its product roadmap at any time.

        The Customer's IT administrator will manage user accounts.
        """,
    ),
    "recruitment": (
        "other",
        """
        RECRUITMENT SERVICES AGREEMENT

        The Recruiter will search for candidates for the Client's vacant Head of Technology
        role.

        The Client shall pay the Recruiter a placement fee of 20% of the candidate's first-year
        salary.
        """,
    ),
    "franchise": (
        "other",
        """
        FRANCHISE AGREEMENT

        The Franchisor grants the Franchisee the right to operate one outlet.

        The Franchisee shall use the Franchisor's point-of-sale system and pay the technology
        fee each month.

        The Franchisor will provide help desk support for the point-of-sale system.
        """,
    ),
    "digital-marketing-agency": (
        "other",
        """
        DIGITAL MARKETING RETAINER

        The Agency will provide a Head of Digital who acts as the Brand's head of digital for all
        paid media campaigns.

        The Agency will develop the Brand's digital strategy and plan each campaign, and the
        Advertiser approves the media plan every quarter.
        """,
    ),
    "interim-finance-chief": (
        "other",
        """
        INTERIM EXECUTIVE SERVICES AGREEMENT

        The firm provides an interim executive to act as the Company's Chief Financial Officer for
        three days a week.

        The interim executive will prepare the annual budget and report to the Board.
        """,
    ),
    "managed-services-only": (
        "other",
        """
        MANAGED SERVICES AGREEMENT

        Provider shall provide monitoring, patching and a service desk for the Covered Devices.

        Provider will plan software upgrades around the Client's maintenance windows and report
        uptime monthly.
        """,
    ),
}

VENDOR_SIDE_CASES = {
    "msp-referral": (
        "reseller-partner",
        """
        CLOUD BACKUP PARTNER PROGRAMME - TERMS

        These terms are between Strata Vault Ltd ("Strata") and the IT company that enrols
        ("Partner").

        Partner runs managed services and acts as the virtual CIO for its customers.

        Strata will pay Partner a referral reward of 15% of each end customer's first-year fees.

        Partner will recommend Strata as its preferred backup product in the technology roadmaps
        it prepares for its customers.
        """,
    ),
}


def _paragraphs(text: str) -> list[str]:
    """Blank-line separated paragraphs, each unwrapped to one line."""
    return [" ".join(p.split()) for p in text.strip().split("\n\n")]


def _cases(*groups: dict[str, tuple[str, str]]) -> list:
    return [pytest.param(want, text, id=name) for g in groups for name, (want, text) in g.items()]


@pytest.mark.parametrize(
    ("want", "text"), _cases(ADVISORY_CASES, NEGATIVE_CASES, VENDOR_SIDE_CASES)
)
def test_unseen_titles_and_negative_controls(real, want, text):
    assert real(*_paragraphs(text)) == want


def test_partner_business_with_its_own_customers_is_not_an_advisory_vote(real_engine):
    """The vCIO services a partner sells to *its* customers describe the partner's business, not
    the relationship between the parties: they give IT context only (below the advisor bar)."""
    engine, ruleset, build = real_engine
    doc = build("Partner provides managed IT services and virtual CIO services to its customers.")
    signals = engine.match(doc, ruleset).signals
    assert signals and all(s.weight < 2 for s in signals)
    assert {s.rule for s in signals} == {"signal-partner-it-business"}


def test_an_employee_serving_as_cto_is_not_an_advisor(real_engine):
    engine, ruleset, build = real_engine
    doc = build("The Employee shall serve as Chief Technology Officer and receive a base salary.")
    assert not [s for s in engine.match(doc, ruleset).signals if s.weight >= 2]
