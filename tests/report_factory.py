"""Hand-made DocumentResults for the report tests (our own wording, no corpus text).

The clause text is built so that ``match`` sits at ``start - text_start`` inside ``text``, as
the analysis produces it; :func:`finding` computes the offsets from a marker.
"""

from __future__ import annotations

import hashlib

from contract_audit.domain import ELEMENTS
from contract_audit.results import (
    Decision,
    DocumentResult,
    ElementResult,
    Engagement,
    Evidence,
    Finding,
    QualifierHit,
    Risk,
    RiskItem,
)


def finding(
    clause: str,
    match: str,
    *,
    rule: str = "referral-commission",
    family: str = "vendor-incentive",
    severity: str = "high",
    title: str = "The provider is paid by vendors for what it recommends",
    element: str | None = None,
    text_start: int = 1000,
    page: int | None = 3,
    section: str | None = "7.2 Referral Fees",
    qualifiers: tuple[QualifierHit, ...] = (),
    rationale: str = "The advisor gains when it recommends the products that pay the provider.",
    recommendation: str = (
        'Ask for disclosure and a credit: "Provider shall disclose in writing any commission or '
        'referral fee it receives and shall credit the full amount to Client."'
    ),
    fid: str | None = None,
) -> Finding:
    """A finding whose ``match`` is the first occurrence of ``match`` in ``clause``."""
    rel = clause.index(match) if match else 0
    return Finding(
        id=fid or hashlib.sha1(f"{rule}|{clause}".encode()).hexdigest()[:12],
        rule=rule,
        family=family,
        element=element,
        severity=severity,
        title=title,
        text=clause,
        match=match,
        start=text_start + rel,
        end=text_start + rel + len(match),
        text_start=text_start,
        page=page,
        section=section,
        qualifiers=qualifiers,
        rationale=rationale,
        recommendation=recommendation,
    )


def missing(element: str, severity: str = "medium") -> Finding:
    return finding(
        "",
        "",
        rule=f"missing-{element}",
        family="missing-responsibility",
        element=element,
        severity=severity,
        title=f"The contract does not define the advisor's {element.replace('-', ' ')}",
        page=None,
        section=None,
        rationale="Without it the advisor's role is whatever the provider says it is.",
        recommendation="",
        text_start=0,
    )


def evidence(text: str, match: str, page: int = 2, section: str = "2 Services") -> Evidence:
    return Evidence("scope-services", text, match, 500, 500 + len(match), page, section)


def sample_result(
    path: str = "contracts/northwind-msp-agreement.docx", **changes
) -> DocumentResult:
    """A realistic MSP vCIO contract result: incentives, loyalty, missing elements, protection."""
    f_commission = finding(
        "7.2 Provider may accept referral fees and marketing funds from the manufacturers whose "
        "equipment the vCIO recommends to Client, and need not account for them.",
        "referral fees",
        fid="a1b2c3",
    )
    f_markup = finding(
        "Hardware and licences procured through Provider are billed at Provider's list price plus "
        "a handling margin of eighteen percent (18%).",
        "list price plus a handling margin",
        rule="resale-markup",
        severity="medium",
        title="Technology you buy through the provider carries a mark-up",
        section="7.4 Procurement",
        page=4,
        qualifiers=(QualifierHit("disclosed", "eighteen percent", "downgrade"),),
        recommendation="Ask for cost transparency and the right to buy direct.",
    )
    f_employee = finding(
        "The vCIO remains an employee of Provider at all times and performs the Services under "
        "Provider's sole direction and control.",
        "under Provider's sole direction and control",
        rule="advisor-provider-control",
        family="divided-loyalty",
        severity="high",
        title="The advisor works under the provider's direction, not yours",
        section="4.1 Personnel",
        page=2,
        recommendation=(
            'Add a duty of loyalty: "In performing the advisory services the vCIO shall act in the '
            'best interests of Client and not of Provider or any vendor."'
        ),
    )
    f_nohire = finding(
        "Client shall not employ the vCIO during the Term or for eighteen months afterwards "
        "without paying Provider a placement fee equal to one year's salary.",
        "shall not employ the vCIO",
        rule="no-hire-conversion-fee",
        family="divided-loyalty",
        severity="low",
        title="You may not hire the advisor without paying a fee",
        section="12.3 Non-Solicitation",
        page=9,
        fid="nohire-1",
    )
    f_protect = finding(
        "Provider shall give Client at least thirty days' notice of any change of the assigned "
        "vCIO.",
        "notice of any change of the assigned vCIO",
        rule="advisor-change-notice",
        family="protection",
        severity="info",
        title="You are told before the advisor is replaced",
        section="4.3 Continuity",
        page=2,
        recommendation="",
    )
    elements = {el: ElementResult("missing", None, "") for el in ELEMENTS}
    elements["scope"] = ElementResult(
        "present",
        evidence(
            "The vCIO shall provide strategic technology planning, budgeting and vendor review "
            "services as described in Schedule A.",
            "strategic technology planning",
        ),
    )
    elements["time-commitment"] = ElementResult(
        "present",
        evidence("The vCIO will be available eight hours per month.", "eight hours per month"),
    )
    missing_f = [missing(el) for el in ELEMENTS if elements[el].status == "missing"]
    findings = (f_commission, f_markup, f_employee, f_nohire, f_protect, *missing_f)
    base = DocumentResult(
        path=path,
        sha256=hashlib.sha256(path.encode()).hexdigest(),
        status="ok",
        format="docx",
        pages=14,
        words=5230,
        engagement=Engagement(
            "msp-vcio",
            ("managed services", "virtual CIO", "the vCIO remains an employee of Provider"),
            0.92,
        ),
        risk=Risk(
            78,
            "high",
            (
                RiskItem("Referral fees from vendors (high)", 22.0, f_commission.id),
                RiskItem("Provider controls the advisor (high)", 20.0, f_employee.id),
                RiskItem("Resale mark-up (medium)", 10.0, f_markup.id),
                RiskItem("Five responsibilities missing", 30.0),
                RiskItem("No-hire with placement fee (low)", 4.0, f_nohire.id),
                RiskItem("Notice of advisor change (protection)", -8.0, f_protect.id),
            ),
        ),
        elements=elements,
        findings=findings,
        warnings=(
            "Removed a running header repeated on 14 pages: "
            "'Northwind IT Services - Confidential'.",
            "Tracked changes were present: the text includes insertions and ignores deletions.",
        ),
        decisions=(
            Decision(
                "nohire-1",
                "accept",
                "We do not intend to hire the advisor.",
                "J. Ortega",
                "2026-11-20",
            ),
        ),
        stale_decisions=(
            Decision("gone-99", "accept", "Old clause 9.9 waiver.", "J. Ortega", "2026-10-02"),
        ),
    )
    return _replace(base, **changes)


def _replace(result: DocumentResult, **changes) -> DocumentResult:
    from dataclasses import replace

    return replace(result, **changes) if changes else result


def unreadable_result(
    path: str = "contracts/scanned-addendum.pdf", status: str = "no-text"
) -> DocumentResult:
    return DocumentResult(
        path=path,
        sha256="0" * 64,
        status=status,
        message=f"{path}: the PDF has 3 pages but no text layer (scanned images?)",
        format="pdf",
        pages=3,
    )


def other_result(path: str = "contracts/office-lease.pdf") -> DocumentResult:
    """A non-advisory contract: elements not assessed, nothing found."""
    return DocumentResult(
        path=path,
        sha256=hashlib.sha256(path.encode()).hexdigest(),
        format="pdf",
        pages=6,
        words=2100,
        engagement=Engagement("other", ("landlord", "premises"), 0.8),
        risk=Risk(0, "low", ()),
        elements={el: ElementResult("not-assessed") for el in ELEMENTS},
    )


def independent_result(path: str = "contracts/fractional-cio-sow.pdf") -> DocumentResult:
    return DocumentResult(
        path=path,
        sha256=hashlib.sha256(path.encode()).hexdigest(),
        format="pdf",
        pages=5,
        words=1800,
        engagement=Engagement("independent-fractional", ("fractional CIO",), 0.8),
        risk=Risk(18, "low", (RiskItem("Conflict disclosure missing", 18.0),)),
        elements={
            el: ElementResult(
                "present" if el != "conflict-disclosure" else "missing",
                evidence("The Consultant will act as fractional CIO.", "fractional CIO")
                if el != "conflict-disclosure"
                else None,
            )
            for el in ELEMENTS
        },
        findings=(missing("conflict-disclosure", "high"),),
    )


HOSTILE = (
    "</style><script>alert('pwned')</script> {{ 7*7 }} {% raw %} "
    '<a href="javascript:alert(1)">click</a> <img src=x onerror=alert(2)> '
    '<iframe src="https://evil.example/"></iframe> &amp; ]]> <!-- --> \u202e'
)


def hostile_result(path: str = "<script>alert('name')</script>.pdf") -> DocumentResult:
    """Every field a contract can influence, filled with markup and template syntax."""
    clause = f"Provider may keep every referral fee {HOSTILE} paid by a vendor."
    f = finding(
        clause,
        "referral fee",
        title=f"Title {HOSTILE}",
        rationale=f"Because {HOSTILE}",
        recommendation=f'Ask "{HOSTILE} and then some more words to make it a clause"',
        qualifiers=(QualifierHit(f"q{HOSTILE}", HOSTILE, "downgrade"),),
        section=f"7 {HOSTILE}",
        rule=f"rule-{HOSTILE}",
        fid=f"id-{HOSTILE}",
    )
    hostile_match = finding(clause, "<script>alert('pwned')</script>", fid="m2", severity="low")
    return DocumentResult(
        path=path,
        sha256="ab" * 32,
        format="pdf",
        pages=1,
        words=50,
        engagement=Engagement("msp-vcio", (HOSTILE,), 0.5),
        risk=Risk(60, "elevated", (RiskItem(HOSTILE, 10.0, f.id),)),
        elements={
            "scope": ElementResult("present", evidence(HOSTILE, "<script>")),
            "deliverables": ElementResult("missing", None, HOSTILE),
        },
        findings=(f, hostile_match),
        warnings=(HOSTILE,),
        duplicates=(HOSTILE,),
        decisions=(Decision("m2", "accept", HOSTILE, HOSTILE, HOSTILE),),
        stale_decisions=(Decision(HOSTILE, "reject", HOSTILE),),
    )
