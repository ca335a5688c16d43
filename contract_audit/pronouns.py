"""Who "we" and "you" are.

Most plain-English terms are written by the provider ("we will advise you"), and the shared cue
lists read "we" as the provider and "you" as the client. A letter of appointment written by the
client to its consultant turns that round ("we appoint you as our fractional CIO", "you will
report to our Chief Executive"). This module decides which way a document runs, from the party
brackets that pair a pronoun with a party ("Hollybrook Trust ("we", "us")") and from what each
pronoun does in the text, and names the pronouns of a reversed document as aliases so the rules
read "you may accept no commission" as the provider's undertaking."""

from __future__ import annotations

import re
from collections.abc import Mapping

# A letter's writer naming itself "I" (("I", "me")): always the provider, never an alias.
FIRST_SINGULAR = frozenset({"i", "me", "my", "myself"})
FIRST_PLURAL = frozenset({"we", "us", "our", "ours"})
SECOND = frozenset({"you", "your", "yours"})
PRONOUNS = FIRST_PLURAL | SECOND

_M = r"(?:will|shall|must|may|agree\s+to|are\s+to)\s+(?:also\s+|promptly\s+)?"
# What a client writing to its consultant says, and what a provider writing to its client says.
_SERVICE = (
    r"(?:the\s+|our\s+|its\s+)?(?:[\w\-]+,?\s+){0,5}?(?:services?|support|help\s*desk|monitoring)\b"
)
_CLIENT_WRITES = re.compile(
    r"\b(?:appoint|appoints|appointing|engage|engages|engaging|retain|retains|retaining|reimburse"
    r"|instruct|instructs|hire|hires)\s+you\b"
    r"|\bwe\s+" + _M + r"(?:pay|reimburse)\b"
    r"|\bpay\s+you\b"
    r"|\b(?:advise|guide)\s+us\b"
    r"|\byour\s+(?:fees?|invoices?|charges|day\s+rate|hourly\s+rate|advice|recommendations?|"
    r"evaluations?|appointment|engagement\s+as|proposal|quotation|tender|(?:senior\s+)?consultants?"
    r"|engineers)\b"
    r"|\byou\s+" + _M + r"(?:invoice\s+us|advise\s+us|report\s+(?:directly\s+)?to|recommend|"
    r"act\s+as|serve\s+as|devote|declare)\b"
    r"|\byou\s+"
    + _M
    + r"(?:continue\s+to\s+)?(?:provide|supply|deliver|perform)\s+"
    + _SERVICE
    + r"|\bmake\s+available\b[^.;\n]{0,60}?\bas\s+our\b",
    re.IGNORECASE,
)
_PROVIDER_WRITES = re.compile(
    r"\b(?:appoint|appointing|engage|engaging|retain|retaining|reimburse|pay)\s+us\b"
    r"|\byou\s+" + _M + r"pay\b"
    r"|\b(?:advise|guide)\s+you\b"
    r"|\bour\s+(?:fees?|invoices?|charges|rates?|advice|recommendations|engineers|technicians|"
    r"help\s*desk|service\s+desk|proposal|quotation|(?:senior\s+)?consultants?)\b"
    r"|\bwe\s+" + _M + r"(?:invoice|advise\s+you|provide|recommend|supply|monitor|support)\b"
    r"|\bmake\s+available\b[^.;\n]{0,60}?\bas\s+your\b",
    re.IGNORECASE,
)
MIN_EVIDENCE = 3  # phrases a reversed letter shows, and at least twice its provider-side ones


LETTER_CHARS = (
    20_000  # who writes a letter shows in its first pages; a long contract is read no further
)


def reversed_by_use(text: str) -> bool:
    """Whether the text reads as written by the client ("we will pay your invoices")."""
    head = text[:LETTER_CHARS]
    client = len(_CLIENT_WRITES.findall(head))
    provider = len(_PROVIDER_WRITES.findall(head))
    return client >= MIN_EVIDENCE and client >= 2 * provider


def reversed_by_brackets(paired: Mapping[str, str], roles: Mapping[str, str | None]) -> bool | None:
    """From the parties a bracket pairs with a pronoun (name -> "we" | "you") and the roles the
    names were given otherwise: True when "we" is the client or "you" the provider, False when
    the brackets read the usual way, None when they say nothing."""
    verdict = None
    for name, pronoun in paired.items():
        role = roles.get(name)
        if role is None:
            continue
        provider_side = role in ("provider", "advisor")
        if (pronoun == "we") != provider_side:
            return True
        verdict = False
    return verdict


def default_role(pronoun: str, by_client: bool) -> str:
    """The role a party paired with ``pronoun`` takes when nothing else decides it."""
    return "provider" if (pronoun == "we") != by_client else "client"


# The names a vendor's programme gives the provider it signs up ('the managed service provider
# identified in the Enrolment Form ("Partner", "you" or "your")').
CHANNEL_NAMES = frozenset(
    "partner reseller referrer dealer integrator".split()
    + [
        f"{kind} {noun}"
        for kind in "msp channel referral alliance solution certified authorised".split()
        for noun in ("partner", "reseller", "provider")
    ]
)


def channel_programme(paired: Mapping[str, str]) -> bool:
    """Whether a bracket pairs "you" with a channel partner's name: the document is a vendor's
    programme terms, where "we" is the vendor and "you" the provider it signs up (neither reads
    as the client)."""
    return any(p == "you" and n.lower() in CHANNEL_NAMES for n, p in paired.items())


def programme_roles() -> dict[str, str]:
    """Pronoun -> role, for a vendor's programme terms ("we pay you a rebate")."""
    return {p: ("vendor" if p in FIRST_PLURAL else "provider") for p in PRONOUNS}


def pronoun_roles() -> dict[str, str]:
    """Pronoun -> role, for a document written by the client."""
    return {p: ("client" if p in FIRST_PLURAL else "provider") for p in PRONOUNS}
