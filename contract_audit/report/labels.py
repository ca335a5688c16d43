"""Plain-English words for the ids in the results, and the severity palette.

The ids (families, elements, engagement types, severities, statuses) are part of the JSON output;
the report shows people these labels instead. Keeping them here, in one place, lets the HTML
reports, the questions and any later report (draft comparison) speak the same language.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from contract_audit.domain import ELEMENTS, FAMILIES, SEVERITIES


@dataclass(frozen=True, slots=True)
class Swatch:
    """Colours for one severity or risk level: text, background tint, border (WCAG AA on tint)."""

    ink: str
    tint: str
    line: str


# Colour is used for severity (and the risk level, which is a severity) only.
SEVERITY_COLOURS: dict[str, Swatch] = {
    "high": Swatch("#b42318", "#fef3f2", "#f97066"),
    "medium": Swatch("#b54708", "#fffaeb", "#fdb022"),
    "low": Swatch("#175cd3", "#eff8ff", "#53b1fd"),
    "info": Swatch("#475467", "#f2f4f7", "#98a2b3"),
}

LEVEL_COLOURS: dict[str, Swatch] = {
    "high": SEVERITY_COLOURS["high"],
    "elevated": Swatch("#c4320a", "#fff6ed", "#fd853a"),
    "moderate": SEVERITY_COLOURS["medium"],
    "low": Swatch("#067647", "#ecfdf3", "#47cd89"),
}

NEUTRAL = Swatch("#344054", "#f9fafb", "#d0d5dd")

SEVERITY_LABELS: dict[str, str] = {s: s.capitalize() for s in SEVERITIES}

LEVEL_LABELS: dict[str, str] = {
    "high": "High risk",
    "elevated": "Elevated risk",
    "moderate": "Moderate risk",
    "low": "Low risk",
}

LEVEL_ADVICE: dict[str, str] = {
    "high": "Do not sign as drafted: the clauses below need to be renegotiated.",
    "elevated": "Negotiate the highlighted clauses before signing.",
    "moderate": "Acceptable with changes: review the findings and ask the questions below.",
    "low": "Few conflict-of-interest concerns: confirm the points below and proceed.",
}

FAMILY_LABELS: dict[str, str] = {
    "vendor-incentive": "Vendor incentives",
    "divided-loyalty": "Divided loyalty",
    "protection": "Protections",
    "missing-responsibility": "Missing responsibilities",
}

FAMILY_BLURBS: dict[str, str] = {
    "vendor-incentive": (
        "Clauses that pay or reward the provider, or the advisor personally, depending on what "
        "it recommends or sells."
    ),
    "divided-loyalty": (
        "Clauses that make the advisor answer to the provider rather than to you, or that strip "
        "duties owed to you."
    ),
    "protection": "Clauses that contain a conflict of interest: they work in your favour.",
    "missing-responsibility": (
        "Responsibilities an advisory contract should define but this one does not."
    ),
}

ELEMENT_LABELS: dict[str, str] = {
    "scope": "Scope of services",
    "deliverables": "Deliverables",
    "time-commitment": "Time commitment",
    "reporting-line": "Reporting line",
    "decision-authority": "Decision authority",
    "performance-measures": "Performance measures",
    "conflict-disclosure": "Conflict disclosure",
}

ELEMENT_MEANINGS: dict[str, str] = {
    "scope": "The advisor's duties and services.",
    "deliverables": "Concrete outputs: IT strategy, roadmap, budget, policies, periodic reviews.",
    "time-commitment": "Hours or days per period, availability, on-site presence of the advisor.",
    "reporting-line": "To whom at your organisation the advisor reports.",
    "decision-authority": "Who approves purchases and spend; the limits of the advisor's power.",
    "performance-measures": "KPIs, service levels or reviews of the advisor's own performance.",
    "conflict-disclosure": "An express duty to disclose conflicts of interest.",
}

# Used when the analysis gives no recommendation for a missing element. The quoted text is
# shown as suggested clause language (see excerpt.clause_pieces).
ELEMENT_TO_ADD: dict[str, str] = {
    "scope": (
        "List the advisor's services, for example: "
        '"The Advisor shall provide the strategic IT services described in Schedule A, '
        'including technology planning, budgeting and vendor review."'
    ),
    "deliverables": (
        "Name the outputs and their timing, for example: "
        '"The Advisor shall deliver a written IT strategy and three-year roadmap within 90 days '
        'and a budget review each quarter."'
    ),
    "time-commitment": (
        "State the advisor's time, for example: "
        '"The Advisor shall devote at least 16 hours per month to the Client, including one '
        'on-site day each month."'
    ),
    "reporting-line": (
        "Name the client contact, for example: "
        "\"The Advisor reports to the Client's Chief Financial Officer, who sets priorities and "
        'approves the work plan."'
    ),
    "decision-authority": (
        "Set the limits, for example: "
        '"The Advisor may recommend but not commit the Client to any purchase; all spend '
        'requires the written approval of the Client."'
    ),
    "performance-measures": (
        "Add measures, for example: "
        "\"The parties shall review the Advisor's performance against the agreed objectives "
        'every six months."'
    ),
    "conflict-disclosure": (
        "Add a disclosure duty, for example: "
        '"The Advisor shall disclose in writing, before making a recommendation, any interest, '
        'commission or other benefit it or the Provider may receive from a vendor it recommends."'
    ),
}

ENGAGEMENT_LABELS: dict[str, str] = {
    "msp-vcio": "Virtual CIO supplied by a managed services provider",
    "independent-fractional": "Independent fractional CIO",
    "reseller-partner": "Reseller or vendor-partner agreement",
    "other": "Not an IT-advisory contract",
}

ENGAGEMENT_SHORT: dict[str, str] = {
    "msp-vcio": "MSP vCIO",
    "independent-fractional": "Independent fractional CIO",
    "reseller-partner": "Reseller / partner",
    "other": "Other",
}

ENGAGEMENT_MEANINGS: dict[str, str] = {
    "msp-vcio": (
        "Your IT advisor is provided and employed by the same company that sells you managed "
        "services, hardware and software. That makes two conflicts part of the arrangement: the "
        "provider earns more when the advisor recommends its own products and projects, and the "
        "advisor answers to the provider as well as to you. Neither rules the deal out, but the "
        "contract should define the advisor's responsibilities, oblige written disclosure of "
        "conflicts and leave you free to buy elsewhere."
    ),
    "independent-fractional": (
        "Your IT advisor is an independent, part-time CIO who works for you, usually as part of "
        "your leadership team, and does not sell the technology it recommends. The built-in "
        "conflicts are smaller; check that the contract still defines the role and requires the "
        "advisor to disclose any vendor relationship or fee."
    ),
    "reseller-partner": (
        "This is a vendor-side agreement: the provider resells or refers a vendor's products and "
        "is paid for it. Commissions are the point of such a contract, so it is not judged as "
        "advice to you; if the same provider also advises you, ask it to disclose this agreement."
    ),
    "other": (
        "This does not read as a contract for IT advice (it may be a lease, an NDA or a supply "
        "agreement), so the conflict-of-interest rules for advisors and the responsibility "
        "checklist do not apply to it."
    ),
}

STATUS_LABELS: dict[str, str] = {
    "ok": "Analysed",
    "unsupported": "Unsupported format",
    "encrypted": "Encrypted",
    "no-text": "No text layer",
    "corrupt": "Damaged file",
    "too-large": "Too large",
    "empty": "Empty file",
    "unreadable": "Unreadable",
    "timeout": "Timed out",
    "error": "Error",
}

# What the reader can do about a document that could not be read.
STATUS_HELP: dict[str, str] = {
    "unsupported": "Save the contract as PDF, Word (.docx) or plain text and scan it again.",
    "encrypted": "Remove the password protection (or ask the sender for an unprotected copy).",
    "no-text": (
        "The file holds images of pages but no text, as scanned documents do. Run it through OCR "
        "(text recognition) or ask for the original Word or PDF file."
    ),
    "corrupt": "The file is damaged or not what its extension says. Ask for a fresh copy.",
    "too-large": "The file is over the size limit. Split it or raise the limit with --max-size.",
    "empty": "The file contains no text at all. Check that the right file was scanned.",
    "unreadable": "The file could not be opened. Check its permissions and that it still exists.",
    "timeout": "Reading the file took too long. Scan it on its own or raise --timeout.",
    "error": "An unexpected error stopped the analysis. Please report it with the message below.",
}

STATUS_HELP_DEFAULT = "The file could not be analysed. Check the message below."


def family_order(family: str) -> tuple[int, str]:
    """Sort key: the domain's family order, unknown (future) families after, by name."""
    return (FAMILIES.index(family) if family in FAMILIES else len(FAMILIES), family)


def severity_order(severity: str) -> int:
    """Sort key: high first, unknown severities last."""
    return SEVERITIES.index(severity) if severity in SEVERITIES else len(SEVERITIES)


def element_order(element: str | None) -> int:
    return ELEMENTS.index(element) if element in ELEMENTS else len(ELEMENTS)


def label(mapping: dict[str, str], key: str | None) -> str:
    """The label for ``key``, or the id made readable when a newer id has no label yet."""
    if key is None:
        return ""
    return mapping.get(key) or key.replace("-", " ").capitalize()


def readable_time(stamp: str) -> str:
    """``2026-11-26T08:30:00Z`` -> ``26 Nov 2026, 08:30 UTC`` (unparseable: as given)."""
    try:
        when = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except (ValueError, AttributeError):
        return str(stamp)
    zone = "UTC" if when.utcoffset() is not None and not when.utcoffset() else when.strftime("%z")
    return f"{when.day} {when:%b %Y, %H:%M} {zone}".strip()
