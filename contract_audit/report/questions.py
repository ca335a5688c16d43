"""Questions to put to the provider before signing, generated from the findings.

Templates are keyed by *topic* (keywords looked for in a finding's rule id, title and matched
words) within a family, then by family, and by element for missing responsibilities, so a rule
added tomorrow still produces a sensible question without touching this file. Findings that
raise the same question are merged into one question citing every clause.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from contract_audit.report.labels import ELEMENT_LABELS, element_order, family_order, severity_order
from contract_audit.results import DocumentResult, Finding


@dataclass(frozen=True, slots=True)
class Topic:
    key: str
    family: str
    keywords: tuple[str, ...]
    question: str


TOPICS: tuple[Topic, ...] = (
    Topic(
        "no-disclosure",
        "vendor-incentive",
        (
            "compensation disclosure",
            "not disclose",
            "no disclosure",
            "need not be disclosed",
            "undisclosed",
            "confidential compensation",
        ),
        "Will you accept a written duty to disclose every vendor relationship and payment that "
        "could influence your advice, before each recommendation?",
    ),
    Topic(
        "vendor-pay",
        "vendor-incentive",
        (
            "commission",
            "referral",
            "rebate",
            "spiff",
            "kickback",
            "finder",
            "incentive",
            "marketing fund",
            "mdf",
            "bonus",
            "partner benefit",
            "compensation",
        ),
        "Will you list in writing every commission, referral fee, rebate or other benefit that "
        "you or the advisor receive from vendors on what you recommend to us, and credit it to "
        "us?",
    ),
    Topic(
        "success-fee",
        "vendor-incentive",
        ("success fee", "savings", "contract value", "selection fee", "percentage of"),
        "How is your fee tied to the vendors or contracts we choose, and would you accept a fixed "
        "fee that does not depend on the selection?",
    ),
    Topic(
        "markup",
        "vendor-incentive",
        ("markup", "mark-up", "cost-plus", "cost plus", "margin", "resale", "resell", "list price"),
        "What mark-up do you add to the hardware, software and licences you supply, and will you "
        "show us the vendor's price next to yours?",
    ),
    Topic(
        "tied-purchase",
        "vendor-incentive",
        (
            "exclusive",
            "exclusivity",
            "first refusal",
            "sole provider",
            "sole source",
            "must purchase",
            "must buy",
            "through provider",
            "procure",
            "purchase through",
            "tied",
        ),
        "Can we buy technology and services from any vendor, or put a project out to competitive "
        "bid, without breaching this agreement or losing support?",
    ),
    Topic(
        "catalogue",
        "vendor-incentive",
        (
            "catalog",
            "catalogue",
            "standard stack",
            "ecosystem",
            "portfolio",
            "approved vendor",
            "partner product",
            "own product",
        ),
        "Will the advisor recommend products outside your own catalogue and partner programme, "
        "and tell us when another option fits us better?",
    ),
    Topic(
        "roadmap-projects",
        "vendor-incentive",
        ("roadmap", "project", "billable", "statement of work", "implementation"),
        "When the advisor's roadmap calls for a project, who decides whether you deliver it, and "
        "may we have it quoted by other providers first?",
    ),
    Topic(
        "no-hire",
        "divided-loyalty",
        ("hire", "solicit", "conversion", "placement fee", "poach", "employ"),
        "If we want to employ the advisor directly, can we do so, and for what fee?",
    ),
    Topic(
        "data-sharing",
        "divided-loyalty",
        ("data", "affiliate", "share information", "third part"),
        "Which affiliates, vendors or other third parties will receive our data, and for what "
        "purpose?",
    ),
    Topic(
        "self-review",
        "divided-loyalty",
        (
            "own performance",
            "self-assess",
            "grade",
            "review of provider",
            "audit of provider",
            "assess provider",
            "evaluate provider",
        ),
        "Who reviews your own performance independently, given that the advisor is employed "
        "by you?",
    ),
    Topic(
        "replace-advisor",
        "divided-loyalty",
        ("replace", "substitut", "reassign", "swap", "assign personnel", "at its discretion"),
        "May we approve any change of advisor, with reasonable notice and a proper handover?",
    ),
    Topic(
        "shared-advisor",
        "divided-loyalty",
        (
            "other client",
            "competitor",
            "pooled",
            "shared advisor",
            "shared resource",
            "non-exclusive",
            "multiple clients",
        ),
        "How many other clients does the advisor serve, including competitors of ours, and how "
        "will you protect our time and confidential information?",
    ),
    Topic(
        "no-duty",
        "divided-loyalty",
        (
            "fiduciary",
            "informational",
            "information only",
            "no liability",
            "liability",
            "waive",
            "disclaim",
            "consequence",
            "sole responsibility",
            "as is",
        ),
        "What duty of care do you accept for the advice you give us, and what remedy do we have "
        "if negligent advice costs us money?",
    ),
    Topic(
        "provider-control",
        "divided-loyalty",
        (
            "employee",
            "direction",
            "control",
            "policies",
            "provider's interest",
            "best interest",
            "on behalf of provider",
            "supervis",
        ),
        "When our interests and yours differ, whom does the advisor serve? Will you state that "
        "the advisor's recommendations are made in our best interest?",
    ),
)

FAMILY_QUESTIONS: dict[str, str] = {
    "vendor-incentive": (
        "This clause can reward you for what you recommend or sell to us. How will you show that "
        "recommendations are made in our interest, and will you disclose any benefit you receive?"
    ),
    "divided-loyalty": (
        "This clause makes the advisor answer to you rather than to us. How will you make sure "
        "the advisor puts our interests first?"
    ),
}
DEFAULT_QUESTION = (
    "Can you explain what this clause means for us, and would you agree to change it?"
)

ELEMENT_QUESTIONS: dict[str, str] = {
    "scope": "What exactly will the advisor do for us? Can the services be listed in the contract?",
    "deliverables": (
        "Which written deliverables (IT strategy, roadmap, budget, policies, periodic reviews) "
        "will we receive, and when?"
    ),
    "time-commitment": (
        "How many hours or days per month will the advisor give us, and how often on site?"
    ),
    "reporting-line": "To whom in our organisation will the advisor report?",
    "decision-authority": (
        "Who approves purchases and spend that the advisor recommends, and what, if anything, may "
        "the advisor commit us to?"
    ),
    "performance-measures": (
        "How will we measure the advisor's performance, and what happens if it falls short?"
    ),
    "conflict-disclosure": (
        "Will you add a duty to disclose in writing any conflict of interest, including vendor "
        "payments, before each recommendation?"
    ),
}


@dataclass(frozen=True, slots=True)
class Question:
    """One question, the findings it comes from and where they are in the contract."""

    key: str
    text: str
    family: str
    severity: str
    findings: tuple[str, ...] = ()
    refs: tuple[str, ...] = ()  # "§ 7.2 Referral Fees, p. 4"


def topic_for(finding: Finding) -> Topic | None:
    """The topic of the finding's family whose keyword appears in its rule id and title, or,
    failing that, in the matched words. The rule and title say what the clause *is*; matched
    words only break a tie, since a no-hire clause may well mention the advisor's employer."""
    family = [t for t in TOPICS if t.family == finding.family]
    for hay in (f"{finding.rule.replace('-', ' ')} {finding.title}", finding.match):
        hay = hay.lower()
        for topic in family:
            if any(k in hay for k in topic.keywords):
                return topic
    return None


def _key_and_text(finding: Finding) -> tuple[str, str]:
    if finding.family == "missing-responsibility":
        el = finding.element or ""
        generic = f"The contract does not define the advisor's {ELEMENT_LABELS.get(el, el).lower()}"
        return f"element:{el}", ELEMENT_QUESTIONS.get(el, f"{generic}. Can it be added?")
    topic = topic_for(finding)
    if topic:
        return f"topic:{topic.key}", topic.question
    if finding.family in FAMILY_QUESTIONS:
        # A rule no topic knows: one question per rule, naming the clause by its title.
        return f"rule:{finding.rule}", f"{finding.title}. {FAMILY_QUESTIONS[finding.family]}"
    return f"rule:{finding.rule}", f"{finding.title}. {DEFAULT_QUESTION}"


def ref(page: int | None, section: str | None) -> str:
    """``§ 7.2 Fees, p. 4`` (or whichever half is known)."""
    if section and section[:1].isdigit():
        section = f"§ {section}"  # "Section 3.2 Fees" and "Article IV" already say what they are
    parts = [section or "", f"p. {page}" if page else ""]
    return ", ".join(p for p in parts if p)


def questions(result: DocumentResult) -> list[Question]:
    """The questions for one document, most severe first, one per topic/element/rule.

    Protections raise no question, and neither do findings a reviewer has accepted (the risk is
    settled). A *rejected* finding keeps its question: the reviewer confirmed the clause must
    change, which is exactly what to raise with the provider.
    """
    groups: dict[str, list[Finding]] = {}
    texts: dict[str, str] = {}
    for f in result.findings:
        decision = result.decision_for(f.id)
        if f.family == "protection" or (decision is not None and decision.action == "accept"):
            continue
        key, text = _key_and_text(f)
        groups.setdefault(key, []).append(f)
        texts.setdefault(key, text)
    out = [_merge(key, texts[key], fs) for key, fs in groups.items()]
    out += _unflagged_missing_elements(result, groups.keys())
    return sorted(out, key=lambda q: (severity_order(q.severity), family_order(q.family), _el(q)))


def _el(q: Question) -> int:
    return element_order(q.key.removeprefix("element:")) if q.key.startswith("element:") else 0


def _merge(key: str, text: str, findings: Iterable[Finding]) -> Question:
    fs = sorted(findings, key=lambda f: (severity_order(f.severity), f.start))
    refs = tuple(dict.fromkeys(r for r in (ref(f.page, f.section) for f in fs) if r))
    return Question(key, text, fs[0].family, fs[0].severity, tuple(f.id for f in fs), refs)


def _unflagged_missing_elements(result: DocumentResult, seen: Iterable[str]) -> list[Question]:
    """Elements the checklist marks missing without a finding (e.g. a rule set with none)."""
    seen = set(seen)
    out = []
    for el, er in result.elements.items():
        key = f"element:{el}"
        if er.status == "missing" and key not in seen:
            text = ELEMENT_QUESTIONS.get(el, f"Can the contract define the advisor's {el}?")
            out.append(Question(key, text, "missing-responsibility", "medium"))
    return out
