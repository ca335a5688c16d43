"""Per-document defined-term aliases: the names a contract gives its advisor and its parties.

Rules are written with canonical words ("vCIO", "Provider", "Client"), but every contract names
its people and parties itself: ``Keystone Circuit LLC ("Keystone")``, ``(the "Supplier")``,
``"Technology Steward" means the individual whom Keystone designates ...``, ``the Organisation
("you")``, ``Your Client Success Manager serves as your virtual CIO``. This module finds those
definitions, decides each name's role (advisor, provider or client) from the words of its
definition, and rewrites the matching tokens' ``NORM`` to the canonical word, so every rule,
qualifier and engagement signal (all of which match on ``NORM``) reads "Keystone's staff" as
"provider's staff" and "the Technology Steward shall" as "the vcio shall".

Only names the shared lists do not already know are aliased (a contract's "Vendor" or
"Consultant" keeps its own word: rules already treat it), and only capitalised mentions count
(a defined "Supplier" is the party; "suppliers" in lower case are third parties).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from contract_audit import pronouns as P

ROLES = ("advisor", "provider", "client")
PARTY_HEAD_CHARS = 5000  # parties are defined up front; later parentheticals are terms
MAX_NAME_WORDS = 5
CONTEXT_CHARS = 160  # text before a party definition that may carry its role ("as customer")
# Words a defined individual's name carries when the role is technology leadership
# ("Technology Director", "Strategy Lead", "Digital Steward").
TECH_WORDS = frozenset(
    "technology technologies tech it ict digital information systems strategy strategic "
    "innovation transformation cio cto".split()
)
# A definition that "means the individual / person / employee ..." defines a person.
_PERSON = re.compile(
    r"^\s*(?:the|an?|any|each|one|such)?\s*(?:named\s+|designated\s+|senior\s+|qualified\s+)?"
    r"(?:\w[\w\-]*\s+)?"  # one word first: "the Umhlanga consultant" (the provider's name)
    r"(?:individual|person|employee|member|officer|consultant|professional|staff\s+member)s?\b",
    re.IGNORECASE,
)
_Q_OPEN = "\"“”'‘’"
_NAME = r"[A-Z][A-Za-z0-9&.\-’' ]{0,38}[A-Za-z0-9]"
# ("Keystone"), (the "Supplier"), (each, a "Client Success Manager"), ("Lanternworks", "we"),
# ("the Client"), (hereinafter "Supplier"), (the Advisor) — several names may share one bracket.
_PAREN = re.compile(
    r"\(\s*(?:hereinafter\s+)?(?:(?:referred\s+to|called|known)\s+as\s+)?"
    r"(?:together,?\s+|each,?\s+|individually,?\s+)?(?:the\s+|an?\s+|this\s+)?"
    r"([^()\n]{1,100})\)"  # bounded and flat: no backtracking blow-up on odd text
)
_UNQUOTED = re.compile(r"\(\s*the\s+([A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,2})\s*\)")
_SEPARATORS = re.compile(r"[\s,]*(?:(?:or|and)[\s,]+(?:the\s+)?)*")
_QUOTED = re.compile(r"[" + _Q_OPEN + r"]{1,2}([^\"“”\n]{1,40}?)[" + _Q_OPEN + r"]{1,2}")
_HEREINAFTER = re.compile(
    r"hereinafter\s+(?:referred\s+to\s+as\s+|called\s+)?(?:the\s+)?[\"“]([A-Z][^\"”\n]{0,38})[\"”]"
)
# "Technology Steward" means ... / "Strategy Lead" shall mean ... / "vCIO" refers to ...
_TERM = r"[\"“]((?:the\s+)?[A-Za-z][A-Za-z0-9&\-’' ]{0,38}[A-Za-z0-9])[\"”]"
# '"Technology Lead" means ...', and '"Technology Lead" or "TL" means ...' (both names defined)
_MEANS = re.compile(
    _TERM + r"(?:\s*(?:,|or|and)\s*" + _TERM.replace("(", "(?P<alt>", 1) + r")?\s*(?:,\s*)?"
    r"(?:means|shall\s+mean|will\s+mean|refers\s+to|has\s+the\s+meaning|is\s+the\s+(?=individual|person))"
    r"\s*(?P<body>[^\n;]{0,400})"  # up to a ";": several definitions may share a line
)
# "Your Client Success Manager serves as your virtual CIO", "a Lead Consultant who will act as
# the Client's fractional CIO": a capitalised role noun introduced as the advisor.
_SERVES_AS = re.compile(
    r"(?:^|(?<=[.;:!?]\s)|(?<=\n))[ \t]*(?:\(?[a-z0-9]{1,3}[.)]\s+)?"
    r"(?:[Yy]our|[Oo]ur|[Tt]he|[Aa]n?|[Ee]ach|[Ii]ts)\s+"
    r"((?:[A-Z][a-z][\w\-]*\s+){0,3}[A-Z][a-z][\w\-]*)"
    r"\s*,?\s*(?:who\s+|which\s+)?(?:will\s+|shall\s+|is\s+to\s+|is\s+going\s+to\s+)?"
    r"(?:personally\s+)?(?:serves?|acts?|functions?|operates?)\s+as\s+"
    r"(?:(?:your|the|its|our|their|an?)\s+)?(?:[A-Z][\w\-]*['’]s\s+)?([^.;:\n]{0,40})"
)
# "Provider will assign Ms. Jane Roe as the Client's Strategy Lead"
_TITLE = re.compile(r"^(?:Mr|Ms|Mrs|Miss|Mx|Dr)\.?\s+")
_PERSON_NAME = (
    r"(?:(?:Mr|Ms|Mrs|Miss|Mx|Dr)\.?\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,2}"
    r"|[A-Z][a-z]+(?:\s+[A-Z][a-z]+){1,2})"
)
_NOT_A_FIRST_NAME = frozenset("the our your each this that any its their every all".split())
_PERSON_SERVES = re.compile(
    r"(?:^|(?<=[.;:!?]\s)|(?<=\n))[ \t]*(?:\(?[a-z0-9]{1,3}[.)]\s+|\d{1,3}(?:\.\d{1,3})+\.?\s+)?"
    r"(?:(?:[A-Z][\w\-]*['’]s|[Oo]ur|[Tt]he|[Ii]ts|[Tt]heir)\s+(?:[a-z][\w\-]*\s+){0,2}"
    r"[a-z][\w\-]*,\s+)?"  # "Corbel's principal, Devika Raman, ...": an apposition first
    r"(" + _PERSON_NAME + r")"
    r"\s*(?:,[^,.;\n]{1,80},|,)?\s*(?:will\s+|shall\s+|is\s+to\s+)?(?:personally\s+)?"
    r"(?:serves?|acts?|functions?)\s+as\s+(?:(?:your|the|its|our|their|an?)\s+)?"
    r"(?:[A-Z][\w\-]*['’]s\s+)?([^.;:(\n]{0,40})"
)


def _person_name(name: str, vocab: Vocabulary) -> bool:
    """A personal name ("Ms. Ana Ruiz", "Tobias Marlow"), not a role or a firm."""
    words = _TITLE.sub("", name).split()
    return (
        len(words) >= 1
        and words[0].lower() not in _NOT_A_FIRST_NAME
        and not any(w.lower() in vocab.known or w.lower() in TECH_WORDS for w in words)
        and (bool(_TITLE.match(name)) or len(words) >= 2)
    )


_APPOINTED_AS = re.compile(
    r"\b(?:assigns?|appoints?|designates?|nominates?|assigned|appointed|designated|nominated)\s+"
    r"(?:(" + _PERSON_NAME + r"|(?:Mr|Ms|Mrs|Miss|Mx|Dr)\.?\s+[A-Z][a-z]+)\s+|[^;\n]{0,60}?\b)as\s+"
    r"(?:(?:your|the|its|our|their|an?)\s+)?(?:[A-Z][\w\-]*['’]s\s+)?"
    r"((?:[A-Z][a-z][\w\-]*\s+){0,3}[A-Z][a-z][\w\-]*)"
)
# "nominate one of its Technology Partner Leads to act as the Customer's virtual CIO"
_TO_ACT_AS = re.compile(
    r"\b(?:(one\s+of\s+(?:its|our|their)\s+)|(?:its|our|their|the|an?)\s+)"
    r"(?:(?:senior|named|dedicated|designated|experienced|qualified)\s+)?"  # "a senior X"
    r"((?:[A-Z][a-z][\w\-]*\s+){0,3}[A-Z][a-z][\w\-]*)\s+(?:who\s+will\s+|to\s+)"
    r"(?:act|serve|function)\s+as\s+(?:(?:your|the|its|our|their|an?)\s+)?"
    r"(?:[A-Z][\w\-]*['’]s\s+)?([^.;:\n]{0,40})"
)
# A legal name the contract never brackets ("Customer Terms of Redgum Networks Pty Ltd"): its
# first word, used bare ("Redgum will provide ..."), names the party.
_LEGAL_NAME = re.compile(
    r"\b([A-Z][A-Za-z]{2,})(?:[ \t]+[A-Z][A-Za-z&]+){0,4},?[ \t]+"
    r"(?:Pty\.?\s+Ltd|Ltd|Limited|LLC|L\.L\.C\.|Inc|Corp|Corporation|plc|PLC|GmbH|LLP)\b"
)
_LABEL = re.compile(r"^[ \t]*([A-Za-z][A-Za-z ]{1,30}):", re.MULTILINE)
MIN_BARE_USES = 2


def _named_entities(
    text: str, vocab: Vocabulary, brackets: Sequence[int]
) -> list[tuple[str, str | None]]:
    """Parties named by a legal name in the preamble and then by its first word alone, with the
    role of a line label ("Customer: Banksia Pty Ltd") or of what the text says they do."""
    head = text[:PARTY_HEAD_CHARS]
    out: list[tuple[str, str | None]] = []
    seen: set[str] = set()
    tried: set[str] = set()
    for m in _LEGAL_NAME.finditer(head):
        if m.group(0) in tried:
            continue
        tried.add(m.group(0))
        words = m.group(0).replace(",", " ").split()[:-1]
        if words and words[-1] == "Pty":
            words = words[:-1]
        short = ""
        for k in range(len(words), 0, -1):  # the longest part of the name used on its own
            candidate = " ".join(words[:k])
            if text.count(candidate) - 1 >= MIN_BARE_USES and (
                len(re.findall(r"(?<![\w\-])" + re.escape(candidate) + r"(?![\w\-])", text)) - 1
                >= MIN_BARE_USES
            ):
                short = candidate
                break
        if not short or not _usable(short, vocab) or short in seen:
            continue
        seen.add(short)
        if any(m.end() <= b <= m.end() + PARTY_REACH for b in brackets):
            continue  # "Acme Ltd, a company ... ("Acme")": the bracket names it
        line_start = head.rfind("\n", 0, m.start()) + 1
        label = _LABEL.match(head, line_start)
        role = _last_role(label.group(1), vocab) if label and label.end() <= m.start() else None
        if role is None:
            role = _block_role(head, line_start, vocab)
        out.append((short, role))
    # "Buyer: Ashby Vale Academy Trust, a charitable company ...", then "the Trust's schools":
    # a labelled party's head noun, used with "the" on its own, names it.
    for label in _LABEL.finditer(head):
        role = _last_role(label.group(1), vocab)
        line = head[label.end() : head.find("\n", label.end()) % (len(head) + 1)]
        name = _LABELLED_NAME.match(line)
        if role is None or name is None:
            continue
        noun = name.group(1).split()[-1]
        uses = len(re.findall(r"\b[Tt]he\s+" + re.escape(noun) + r"\b(?![ \t]+[A-Z])", text))
        if uses >= MIN_BARE_USES and noun not in seen and _usable(noun, vocab):
            seen.add(noun)
            out.append((noun, role))
    return out


_LABELLED_NAME = re.compile(r"[ \t]*((?:[A-Z][\w&\-]*[ \t]+){1,5}[A-Z][a-z][\w\-]*)\s*,")


_ROLE_LINE = re.compile(r"^[ \t]*([A-Za-z][A-Za-z ]{1,30}?)[ \t]*:?[ \t]*$")


def _block_role(head: str, line_start: int, vocab: Vocabulary) -> str | None:
    """An order form's party block: a line holding only a role ("PROVIDER", "Customer:") just
    above the legal name, or above a "Legal name:" line."""
    lines = head[:line_start].rstrip("\n").split("\n")[-3:]
    for line in reversed(lines):
        m = _ROLE_LINE.match(line)
        if m is not None:
            return _last_role(m.group(1), vocab)
        if not line.strip() or ":" not in line:
            return None
    return None


# The rare words the patterns above hinge on, found in one pass over the text.
_HINTS = re.compile(
    r"\b(?:(?P<to>(?:to|will)\s+(?:act|serve|function)\s+as)"
    r"|(?P<serve>(?:serves?|acts?|functions?|operates?)\s+as)"
    r"|(?P<appoint>assigns?|assigned|appoints?|appointed|designates?|designated|nominates?"
    r"|nominated))\b"
)


def _near(
    pattern: re.Pattern[str], hints: Sequence[re.Match[str]], text: str, before: int, after: int
) -> Iterator[re.Match[str]]:
    """Matches of ``pattern`` around the (rare) ``hints`` only: the full pattern is costly to
    try at every position of a long contract."""
    seen: set[int] = set()
    for h in hints:
        lo = max(0, h.start() - before)
        for m in pattern.finditer(text, lo, min(len(text), h.end() + after)):
            if m.start() not in seen and m.start() <= h.start():
                seen.add(m.start())
                yield m


def _anchored(
    pattern: re.Pattern[str], hints: Sequence[re.Match[str]], text: str
) -> Iterator[re.Match[str]]:
    """Matches of ``pattern`` starting at one of ``hints`` (and followed by " as ")."""
    for h in hints:
        if text.find(" as ", h.end(), h.end() + 140) >= 0:
            m = pattern.match(text, h.start())
            if m is not None:
                yield m


_NAME_BEFORE = re.compile(r"((?:[A-Z][\w&'’\-]*\s+){0,4}[A-Z][\w&'’\-]*)[\s,]*$")
_THE_NOUN = re.compile(r"\bthe\s+([A-Z][a-z]+)\s*$")  # the Organisation ("you")
# A party is a legal person: its description names a legal form ("Acme Ltd", "a Delaware
# corporation", "a charitable company") before the bracket that names it.
_ENTITY = re.compile(
    r"\b(?:inc|llc|l\.l\.c|ltd|limited|plc|corp|pty|gmbh|llp|p\.c)\b|\btrading\s+as\b"
    r"|\b(?:named|identified|described|specified)\s+(?:in|on|below|above)\b"
    r"|\ban?\s+(?:[\w\-]+\s+){0,5}(?:company|corporation|partnership|trust|association|union"
    r"|co-operative|cooperative|society|council|university|charity|individual|practice|firm"
    r"|organi[sz]ation"
    r"|subdivision|municipality|public\s+body|public\s+authority|agency|district|board"
    r"|sole\s+trader|business)\b"
    r"(?=\s*(?:[,(]|$|registered|incorporated|organi[sz]ed|with|whose|of|under|having|limited))",
    re.IGNORECASE,
)
PARTY_REACH = 300  # characters between a party's legal form and the bracket that names it
_SENTENCE_END = re.compile(r"[.;](?:\s|$)|\n\s*\n")


@dataclass(frozen=True, slots=True)
class Alias:
    """A name the contract defines and the canonical word the rules know it by."""

    name: str  # as defined, e.g. "Technology Steward"
    role: str  # advisor | provider | client
    canonical: str  # vcio | advisor | provider | client
    person: bool = False  # a named individual: also "Ms. Roe", never plural

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "role": self.role,
            "canonical": self.canonical,
            "person": self.person,
        }


@dataclass(frozen=True)
class Vocabulary:
    """The shared cue lists the role decision reads (lowercase phrases)."""

    advisor: tuple[str, ...] = ()
    advice: tuple[str, ...] = ()
    provider: tuple[str, ...] = ()
    client: tuple[str, ...] = ()
    not_a_party: frozenset[str] = frozenset()

    @classmethod
    def from_cues(
        cls, cues: Mapping[str, Sequence[str]], not_a_party: frozenset[str]
    ) -> Vocabulary:
        def words(name: str) -> tuple[str, ...]:
            return tuple(str(w).lower() for w in cues.get(name, ()))

        return cls(
            advisor=words("advisor"),
            advice=words("advice"),
            provider=words("provider-party"),
            client=words("client-party"),
            not_a_party=not_a_party,
        )

    @property
    def known(self) -> frozenset[str]:
        return frozenset(self.advisor + self.provider + self.client)


@lru_cache(maxsize=64)
def _alternation(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """One regex for a phrase list, whole words only (longest first)."""
    ordered = sorted(set(phrases), key=len, reverse=True)
    body = "|".join(re.escape(p) for p in ordered) or r"(?!x)x"
    return re.compile(r"(?<![\w-])(?:" + body + r")(?![\w-])")


def _has(text: str, phrases: Sequence[str]) -> bool:
    return _alternation(tuple(phrases)).search(text.lower()) is not None


def _last_role(text: str, vocab: Vocabulary) -> str | None:
    """The party role whose word appears nearest the end of ``text``."""
    best: tuple[int, str] | None = None
    low = text.lower()
    for role, words in (("provider", vocab.provider), ("client", vocab.client)):
        for m in _alternation(tuple(words)).finditer(low):
            if best is None or m.start() > best[0]:
                best = (m.start(), role)
    return best[1] if best else None


def _clean(name: str) -> str:
    name = " ".join(name.split()).strip(" ,.")
    return re.sub(r"^(?:the|The)\s+", "", name)


def _sentence_around(text: str, start: int, end: int) -> str:
    """The sentence (or paragraph line) holding ``text[start:end]``."""
    lo = max(
        text.rfind("\n", 0, start),
        max(
            (m.end() for m in _SENTENCE_END.finditer(text, max(0, start - 400), start)), default=-1
        ),
    )
    m = _SENTENCE_END.search(text, end)
    hi = m.start() if m else len(text)
    return text[max(lo, 0) : hi]


def _usable(name: str, vocab: Vocabulary) -> bool:
    """A name worth aliasing: capitalised, short, not a term, and not already a word the rules
    know (by itself or by its head noun: "IT Strategist" already reads as a strategist)."""
    low = name.lower()
    return (
        bool(name)
        and name[0].isupper()
        and len(name.split()) <= MAX_NAME_WORDS
        and low not in vocab.not_a_party
        and low not in vocab.known
        and low.split()[-1] not in vocab.known
    )


_PROVIDES = re.compile(
    r"\s+(?:shall\s+|will\s+|agrees\s+to\s+|also\s+)?"
    r"(?:provides?|delivers?|performs?|supplies|supply|renders?)\s+"
    r"(?:\w+\s+){0,3}?(?:services?|support|monitoring|help\s+desk|maintenance)\b"
)


def _mention_ends(text: str, name: str) -> list[int]:
    """Where each whole-word mention of ``name`` ends (a plain string scan: a regex that starts
    with a look-behind tries every position of a long contract)."""
    ends, i = [], text.find(name)
    while i >= 0:
        j = i + len(name)
        before = text[i - 1] if i else " "
        after = text[j] if j < len(text) else " "
        if not (before.isalnum() or before == "-") and not (after.isalnum() or after == "-"):
            ends.append(j)
        i = text.find(name, i + 1)
    return ends


def _tally(text: str, ends: Sequence[int], pattern: re.Pattern[str]) -> int:
    return sum(1 for e in ends if pattern.match(text, e))


def _role_by_use(text: str, name: str, *, strong: bool = False) -> str | None:
    """A party's role from what the contract has it do: one that provides, monitors or invoices
    is the provider; one that pays, or whose data, premises and users are served, is the client.
    Needs a clear majority, so a stray "the Client shall provide access" decides nothing."""
    ends = _mention_ends(text, name)
    if any(_tally(text, ends, p) for p in (_PROVIDES, _STAFFS, _PROVIDES_ADVISOR)):
        return "provider"
    if strong:  # only what a sentence says outright: the tallies below need both parties' roles
        return None
    provider = _tally(text, ends, _PROVIDER_ACTS) + _tally(text, ends, _PROVIDER_THINGS)
    served = sum(1 for e in ends if _SERVED.search(text, max(0, e - len(name) - 40), e - len(name)))
    client = _tally(text, ends, _CLIENT_ACTS) + _tally(text, ends, _CLIENT_THINGS) + served
    if provider >= 2 and provider > 2 * client:
        return "provider"
    if client >= 2 and client > 2 * provider:
        return "client"
    return None


def _is_vendor(text: str, name: str) -> bool:
    """A vendor-side party ("Cobalt Shield will pay Partner a rebate on Cobalt Shield Products"):
    neither the provider nor its client, so it must not take the opposite of the partner's role."""
    return _tally(text, _mention_ends(text, name), _VENDOR_THINGS) >= 2


_VENDOR_THINGS = re.compile(
    r"(?:['’]s)?\s+(?:products?|software|subscriptions?|solutions?|platforms?|licen[cs]es"
    r"|(?:partner\s+)?program(?:me)?s?|price\s+list|brands?|hardware"
    r"|(?:shall|will|may)\s+pay\s+(?:the\s+)?(?:referral\s+)?(?:partner|reseller|referrer|dealer"
    r"|agent|msp)|appoints\s+(?:the\s+)?(?:partner|reseller|referrer|dealer|distributor|agent)"
    r"|partner\s+portal"
    r"|(?:offers|develops|publishes|manufactures|designs|makes|distributes|licenses)\s+"
    r"(?:[\w\-]+\s+){0,9}?"
    r"(?:software|platform|products?|equipment|hardware|subscriptions?))\b",
    re.IGNORECASE,
)
_MODAL = r"\s+(?:shall|will|must|may|agrees\s+to|is\s+to)?\s*(?:also\s+|promptly\s+)?"
_PROVIDER_ACTS = re.compile(
    _MODAL + r"(?:provides?|performs?|delivers?|supply|supplies|renders?|monitors?|maintains?"
    r"|hosts?|installs?|resells?|invoices?|assigns?|appoints?|designates?|procures?|patch(?:es)?"
    r"|manages?)\b"
)
_PROVIDER_THINGS = re.compile(
    r"['’]s\s+(?:employees?|personnel|staff\s+member|technicians?|engineers?|fees|invoices?"
    r"|rates|price\s+list|catalog(?:ue)?|help\s+desk|service\s+desk|consultants?"
    r"|(?:[\w-]+\s+){0,2}services)\b"
)
_CLIENT_ACTS = re.compile(
    _MODAL + r"(?:pay|pays|reimburse|reimburses|wishes\s+to|desires\s+to|wants\s+to"
    r"|remains?\s+responsible\s+for\s+end-user)\b"
)
_CLIENT_THINGS = re.compile(
    r"['’]s\s+(?:data|premises|sites?|offices|environment|users|systems|network|board"
    r"|account|business|operations|IT\s+environment)\b"
)
_SERVED = re.compile(r"\b(?:services|support|advice)\s+(?:to|for)\s+(?:the\s+)?$")


# "Tallgrass shall provide a virtual Chief Information Officer": the party supplying the advisor.
_PROVIDES_ADVISOR = re.compile(
    r"\s+(?:shall|will|agrees\s+to)\s+(?:provide|supply|assign|appoint|designate|furnish)\s+"
    r"(?:[\w\-]+\s+){0,3}?(?:CIO|vCIO|CTO|vCTO|[Cc]hief\s+[Ii]nformation|[Cc]hief\s+[Tt]echnology"
    r"|[Tt]echnology\s+[Aa]dvis[eo]r|IT\s+[Aa]dvis[eo]r)\b"
)
# "Corbel's principal, Devika Raman, will serve as ...": the party whose people advise.
_STAFFS = re.compile(
    r"['’]s\s+(?:principal|founder|managing\s+partner|consultants?|advis[eo]rs?|vcio)\b"
    r"[^.;\n]{0,60}\b(?:serve|act|function)s?\s+as\b"
)


def _advisor_name(name: str, vocab: Vocabulary) -> bool:
    """The name itself says advisor ("Technology Advisor", "Lead vCIO")."""
    return _has(name, vocab.advisor)


_AS_AFTER = re.compile(
    r"^\W{0,3}\s*(?:who|which)?\s*(?:will\s+|shall\s+)?(?:personally\s+)?"
    r"(?:serves?|acts?|functions?)\s+as\s+([^.;:(\n]{0,60})"
)
_AS_BEFORE = re.compile(r"\b(?:serves?|serve|acts?|act|functions?)\s+as\s+([^.;:()\n]{0,40})$")


def _introduced_as_advisor(text: str, start: int, end: int, vocab: Vocabulary) -> bool:
    """A bracket right after "serves as your virtual CIO", or right before "who acts as the
    Client's vCIO": the name in it is the advisor's."""
    after = _AS_AFTER.match(text[end : end + 80])
    before = _AS_BEFORE.search(text[max(0, start - 60) : start].rstrip())
    return any(m is not None and _has(m.group(1), vocab.advisor) for m in (after, before))


def _it_role(role: str) -> bool:
    """An IT role ("fractional CIO", "technology advisor"), not a "risk advisor" or "tax adviser":
    a named person only becomes the IT advisor for one of these."""
    return any(
        w.lower() in TECH_WORDS or w.lower().startswith(("vcio", "vcto"))
        for w in re.findall(r"[A-Za-z\-]+", role)
    )


def _tech_person(name: str) -> bool:
    words = [w.lower() for w in re.findall(r"[A-Za-z]+", name)]
    return len(words) >= 2 and any(w in TECH_WORDS for w in words[:-1])


# An engagement letter's writer names itself "I"; these are never aliases themselves.
_FIRST_PERSON = frozenset({"i", "me", "my", "myself"})
_ACRONYM = re.compile(r"[A-Z][A-Za-z]?[A-Z]{1,5}s?")
_WORDS_BEFORE = re.compile(r"((?:(?:[A-Z][\w\-]*|of|for|and)\s+){1,6})[,\s]*$")
# "Outsourced Head of Technology ("OHT")": an IT leader's title, whatever the first word
_IT_HEAD = re.compile(
    r"\b(?:Head|Director|Chief|Lead|Leader|Manager)\s+of\s+(?:Technology|IT|Digital|Information"
    r"|ICT|Systems)\b"
)


def _expanded_acronym(text: str, start: int, name: str) -> str | None:
    """The capitalised words just before a bracket that ``name`` abbreviates: Technology
    Alignment Manager ("TAM"), Strategic IT Adviser ("SITA")."""
    if " " not in name and name[:1].isupper() and not name.isupper():
        # Technology Navigator (the "Navigator"): a short form of the words before the bracket
        m = _WORDS_BEFORE.search(text[max(0, start - 80) : start])
        words = m.group(1).split() if m else []
        return " ".join(words[-3:]) if len(words) >= 2 and words[-1] == name else None
    if not _ACRONYM.fullmatch(name):
        return None
    letters = name.rstrip("s") if name.endswith("s") and name[:-1].isupper() else name
    m = _WORDS_BEFORE.search(text[max(0, start - 80) : start])
    if m is None:
        return None
    words = m.group(1).split()
    for k in range(len(words), 0, -1):
        tail = words[-k:]
        if not tail[0][:1].isupper():
            continue
        capitals = [w for w in tail if w[:1].isupper()]  # "of" is not in the initials
        initials = "".join(w[0] for w in capitals)
        spelled = "".join(w if w.isupper() and len(w) <= 3 else w[0] for w in capitals)
        if letters.upper() in (initials.upper(), spelled.upper()) and len(capitals) >= 2:
            return " ".join(tail)
    return None


# The last word of a person's title: "Technology Alignment Manager" is someone, "Information
# Security Requirements" is a document.
_ROLE_HEADS = frozenset(
    "manager director officer lead leader partner executive head consultant advisor adviser "
    "specialist strategist navigator steward architect principal coordinator champion guide "
    "counsel counsellor counselor sponsor owner liaison analyst expert mentor".split()
)


def _role_head(name: str) -> bool:
    return (
        name.split()[-1].lower().rstrip("s") in _ROLE_HEADS
        or name.split()[-1].lower() in _ROLE_HEADS
    )


# Heads too generic to stand alone for the advisor ("the Manager" may be anyone's).
_GENERIC_HEADS = frozenset(
    "manager director officer lead leader partner executive member head consultant advisor "
    "adviser specialist engineer representative team services service contact owner".split()
)


def _short_form(text: str, name: str, vocab: Vocabulary) -> str | None:
    """The last word of a multi-word advisor title used alone ("the Navigator" for a defined
    "Technology Navigator"), when it is distinctive and the contract uses it bare at least twice."""
    words = name.split()
    if len(words) < 2:
        return None
    head = words[-1]
    low = head.lower()
    if (
        not head[:1].isupper()
        or low in _GENERIC_HEADS
        or low in vocab.known
        or not _usable(head, vocab)
    ):
        return None
    bare = re.findall(
        r"\b(?:the|your|our|its|their|each|a|an|The|Your|Our|Each)\s+"
        + re.escape(head)
        + r"s?\b(?!\s+[A-Z])",
        text,
    )
    return head if len(bare) >= MIN_BARE_USES else None


def find_aliases(text: str, vocab: Vocabulary) -> list[Alias]:
    """Every name ``text`` defines whose role can be decided, most specific first."""
    roles: dict[str, str] = {}
    order: list[str] = []
    people: set[str] = set()

    def add(name: str, role: str | None) -> None:
        name = _clean(name)
        if role and _usable(name, vocab) and name not in roles:
            roles[name] = role
            order.append(name)

    means: dict[str, str] = {}
    also: dict[str, str] = {}  # a second name defined with the first ('"X" or "Y" means')
    for m in _MEANS.finditer(text):
        means[_clean(m.group(1))] = m.group("body")
        if m.group("alt"):
            also[_clean(m.group("alt"))] = _clean(m.group(1))

    def expanded(definition: str) -> str:
        """A definition plus the definitions of the defined terms it mentions (one hop)."""
        extra = [body for term, body in means.items() if term and term in definition]
        return " ".join([definition, *extra])

    # 1. "X" means ...: a person whose definition (or name) is about advice is the advisor.
    for term, body in means.items():
        if not _usable(term, vocab):
            continue
        body = _SENTENCE_END.split(body, 1)[0]
        if _advisor_name(term, vocab):
            add(term, "advisor")
        elif _PERSON.match(body) and (
            _tech_person(term) or _has(expanded(body), vocab.advisor + vocab.advice)
        ):
            add(term, "advisor")

    for alt, first in also.items():
        # '"Technology Alignment Manager" or "TAM" means ...': the second name is the first's
        known_title = first.lower() in vocab.known and _advisor_name(first, vocab)
        if roles.get(first) == "advisor" or known_title:
            add(alt, "advisor")

    # 2. A role noun introduced as the advisor ("... serves as your virtual CIO").
    hints = list(_HINTS.finditer(text))
    serving = [h for h in hints if h.group("to") or h.group("serve")]
    to_act = [h for h in hints if h.group("to")]
    appointing = [h for h in hints if h.group("appoint")]
    for m in _near(_SERVES_AS, serving, text, 90, 60):
        head = m.group(1).split()[-1].lower()
        if _has(m.group(2).split(",")[0], vocab.advisor) and head not in vocab.known:
            add(m.group(1), "advisor")
    for m in _near(_TO_ACT_AS, to_act, text, 80, 60):
        name = m.group(2)
        if m.group(1) and name.endswith("s"):  # "one of its Technology Partner Leads"
            name = name[:-1]
        head = name.split()[-1].lower()
        if _has(m.group(3).split(",")[0], vocab.advisor) and head not in vocab.known:
            add(name, "advisor")
    for m in _anchored(_APPOINTED_AS, appointing, text):
        name = m.group(2)
        if _advisor_name(name, vocab) or _tech_person(name):
            add(name, "advisor")
            if m.group(1) and _person_name(m.group(1), vocab):
                people.add(m.group(1))
    # A named individual who serves as the advisor ("Ana Ruiz, our principal, will serve as your
    # fractional CIO"): later "Ms. Ruiz" is the advisor too.
    for m in _near(_PERSON_SERVES, serving, text, 160, 60):
        target = m.group(2).split(",")[0]
        if _person_name(m.group(1), vocab) and _has(target, vocab.advisor) and _it_role(target):
            people.add(m.group(1))
    for person in sorted(people):
        bare = _TITLE.sub("", person)
        if bare not in roles and bare.lower() not in vocab.known:
            roles[bare] = "advisor"
            order.append(bare)

    # 3. Parenthetical definitions: advisors anywhere, parties in the preamble.
    parties: list[tuple[str, str | None]] = []
    brackets: list[int] = []  # where a party's bracketed definition starts
    paired: dict[str, str] = {}  # party name -> "we" | "you", from its bracket
    prev_end = 0
    for m in _PAREN.finditer(text):
        inner = m.group(1)
        if inner.lstrip()[:1] in _Q_OPEN:  # ("Keystone"), (the "Supplier"), ("Acme", "we")
            names = [_clean(q) for q in _QUOTED.findall(inner)]
            if not _SEPARATORS.fullmatch(_QUOTED.sub("", inner)):
                names = []
        else:  # (the Organisation)
            bare = _UNQUOTED.fullmatch(m.group(0))
            names = [_clean(bare.group(1))] if bare else []
        if not names:
            continue  # "(1)", "(no. 0933412)": not a definition
        names = [n for n in names if n and n.lower() not in vocab.not_a_party]
        line_start = text.rfind("\n", 0, m.start()) + 1
        if not text[line_start : m.start()].strip() and line_start > 1:
            # 'CEDAR HOLLOW CREDIT UNION LIMITED, a credit union ...' then '(the "Credit Union")'
            # on a line of its own: the description is the line above
            line_start = text.rfind("\n", 0, line_start - 1) + 1
        before = text[max(prev_end, line_start, m.start() - PARTY_REACH) : m.start()]
        prev_end, is_party = m.end(), m.start() < PARTY_HEAD_CHARS and bool(_ENTITY.search(before))
        if not names or re.match(r"\(\s*this\b", m.group(0), re.IGNORECASE):
            continue  # (this "MMTA"): the agreement itself
        sentence = _sentence_around(text, m.start(), m.end())
        lows = [n.lower() for n in names]
        pronoun = next((n for n in lows if n in P.PRONOUNS), None)
        if pronoun and any(n not in P.PRONOUNS for n in lows):
            # ("Lanternworks", "we"), ("Hollybrook Trust", "we", "us"): who "we" is depends on
            # who wrote the document, decided below; the pronoun names no role by itself.
            names = [n for n in names if n.lower() not in P.PRONOUNS]
            lows = [n.lower() for n in names]
            paired[_clean(names[0])] = "we" if pronoun in P.FIRST_PLURAL else "you"
        # (the "Supplier", "Acme"), the Organisation ("you"): a role word names the others' role.
        given = next(
            (r for r in (_last_role(n, vocab) for n in lows if n in vocab.known) if r), None
        )
        if given is None and any(n in _FIRST_PERSON for n in lows):
            given = "provider"  # Halvorsen Advisory LLC ("I", "me" or "Halvorsen"): the writer
        names = [n for n in names if n.lower() not in _FIRST_PERSON]
        lows = [n.lower() for n in names]
        if not names:
            # 'I, Fergal Hanna, trading as Mourne Advisory ("I", "me")': the pronouns are the
            # whole bracket, so the name just before it is the writer's.
            named = _NAME_BEFORE.search(before)
            if given and named and m.start() < PARTY_HEAD_CHARS:
                add(named.group(1), given)
            continue
        if given and all(n in vocab.known for n in lows):
            noun = _THE_NOUN.search(before)
            if noun and m.start() < PARTY_HEAD_CHARS:
                add(noun.group(1), given)
            if is_party:
                parties.append((names[0], given))
                brackets.append(m.start())
            continue
        named_here = len(parties)  # one bracket names one party, however many names it gives
        for name in names:
            long = _expanded_acronym(text, m.start(), name)
            if long and (
                _advisor_name(long, vocab)
                or (_tech_person(long) and _role_head(long))
                or _IT_HEAD.search(long)
            ):
                # Technology Alignment Manager ("TAM"): the title and its acronym are the advisor.
                add(long, "advisor")
                add(name, "advisor")
                continue
            if name.lower() in vocab.known:
                # (the "Advisor"): an advisor who contracts in person is the provider party.
                if is_party and _has(name, vocab.advisor) and len(parties) == named_here:
                    parties.append((name, "provider"))
                continue
            if not _usable(name, vocab):
                continue
            if _advisor_name(name, vocab) or (
                _tech_person(name) and _has(sentence, vocab.advisor + vocab.advice)
            ):
                add(name, "advisor")
                continue
            if _introduced_as_advisor(text, m.start(), m.end(), vocab) and not _has(
                name, vocab.client + vocab.provider
            ):
                add(name, "advisor")
                continue
            if _TITLE.match(name) and (
                _has(sentence, vocab.advisor) or re.search(r"\bprincipal\b", sentence)
            ):
                # '... acting through its principal, Ana Ruiz ("Ms. Ruiz")': the advisor in person
                add(name, "advisor")
                people.add(name)
                continue
            if not is_party:
                continue
            # "Thank you for choosing Corvin ("Corvin", "we")": the words before a bracket that
            # pairs a pronoun say nothing of the party's role; its uses decide, below.
            role = given or (None if name in paired else _last_role(before[-CONTEXT_CHARS:], vocab))
            parties.append((name, role))
        if is_party:
            brackets.append(m.start())
    for name, role in _named_entities(text, vocab, brackets):
        if all(n != name for n, _ in parties):
            parties.append((name, role))
    for m in _HEREINAFTER.finditer(text[:PARTY_HEAD_CHARS]):
        name = _clean(m.group(1))
        if _usable(name, vocab) and all(n != name for n, _ in parties):
            context = text[max(0, m.start() - CONTEXT_CHARS) : m.start()]
            parties.append((name, _last_role(context, vocab)))
    vendors = {n for n, r in parties if r is None and _is_vendor(text, n)}
    parties = [(n, r or _role_by_use(text, n, strong=True)) for n, r in parties if n not in vendors]
    by_client = P.reversed_by_brackets(paired, dict(parties))
    if by_client is None:
        by_client = P.reversed_by_use(text)
    parties = [
        (n, r or (P.default_role(paired[n], by_client) if n in paired else None))
        for n, r in parties
    ]
    if len(parties) == 2 and not vendors and sum(1 for _, r in parties if r) == 1:
        # A two-party preamble with one role stated: the other party is the opposite one, however
        # the text later has it act ("the Company will provide access" keeps it the client).
        known = next(r for _, r in parties if r)
        parties = [(n, r or ("client" if known == "provider" else "provider")) for n, r in parties]
    parties = [(n, r or _role_by_use(text, n)) for n, r in parties]
    resolved = {r for _, r in parties if r}
    if len(parties) == 2 and not vendors and len(resolved) == 1:  # two parties: the other one
        other = "client" if "provider" in resolved else "provider"
        parties = [(n, r or other) for n, r in parties]
    for name, role in parties:
        add(name, role)
    for name in _advisors_by_duties(text, vocab, [n for n in roles if roles[n] == "client"]):
        add(name, "advisor")
    for name in [n for n in order if roles[n] == "advisor"]:
        short = _short_form(text, name, vocab)
        if short and short not in roles:
            roles[short] = "advisor"
            order.append(short)
    advisor_word = _advisor_canonical(text)
    canonical = {"advisor": advisor_word, "provider": "provider", "client": "client"}
    bare_people = {_TITLE.sub("", p) for p in people}
    found = [Alias(n, roles[n], canonical[roles[n]], n in bare_people) for n in order]
    if by_client:  # "we" is the client: the pronouns are the parties' names in this document
        found += [Alias(p, role, role) for p, role in sorted(P.pronoun_roles().items())]
    return found


# A title a contract gives its advisor: capitalised words ending in a person's role noun.
_TITLE_NAME = re.compile(
    r"\b(?:[Tt]he|[Yy]our|[Oo]ur|[Ii]ts|[Aa]n?|[Ee]ach)\s+((?:[A-Z][A-Za-z\-]+\s+){0,3}(?:"
    + "|".join(sorted(h.capitalize() for h in _ROLE_HEADS))
    + r"))\b(?!\s+[A-Z])"
)
# What only an advisor does: advise, or own the client's technology strategy, roadmap or budget,
# or carry out the CIO role.
_ADVISES = re.compile(
    r"\s+(?:shall|will|must|is\s+to|is\s+responsible\s+for|agrees\s+to)?\s*(?:also\s+)?"
    r"(?:(?:advise|advises|advising|counsel|counsels|guide|guides)\b"
    r"|(?:prepare|prepares|develop|develops|maintain|maintains|own|owns|lead|leads|produce"
    r"|produces|draft|drafts|preparing|developing|leading)\s+(?:[\w,'’\-]+\s+){0,5}?"
    r"(?:technology|IT|digital|ICT|information\s+technology)\s+(?:strategy|strategies|roadmaps?"
    r"|plans?|budgets?)"
    r"|(?:perform|performs|provide|provides|deliver|delivers|carry\s+out|carries\s+out)\s+"
    r"(?:the\s+)?(?:[\w\-]+\s+){0,2}?(?:CIO|vCIO|virtual\s+CIO|strategic\s+advisory|advisory"
    r"|technology\s+advisory|technology\s+leadership|strategic\s+technology)\b"
    r"|(?:acts?|serves?|functions?)\s+as\s+(?:the\s+)?(?:[\w'’]+\s+){0,3}?(?:CIO|CTO"
    r"|chief\s+information\s+officer|chief\s+technology\s+officer|IT\s+director|head\s+of\s+IT"
    r"|technology\s+lead(?:er)?))",
    re.IGNORECASE,
)


def _advisors_by_duties(text: str, vocab: Vocabulary, clients: Sequence[str]) -> list[str]:
    """A title whose holder the contract has advise, own the technology strategy or roadmap, or
    carry out the CIO role ("The Technology Steward shall advise the Trust ...") is the advisor,
    whatever the title: contracts invent titles faster than a vocabulary can list them. A title
    the client's own staff carry ("the Customer's Finance Director") never is."""
    client_owner = _alternation(tuple(c.lower() for c in (*clients, *vocab.client)))
    counts: dict[str, int] = {}
    owned: set[str] = set()
    for m in _TITLE_NAME.finditer(text):
        name = m.group(1)
        counts[name] = counts.get(name, 0) + 1
        before = text[max(0, m.start() - 30) : m.start(1)].lower()
        if client_owner.search(before) and re.search(r"['’]s\s*$", before.strip() + " "):
            owned.add(name)
    found = []
    for name, n in counts.items():
        if n < 2 or name in owned or not _usable(name, vocab):
            continue
        if len(name.split()) == 1 and name.lower() in _GENERIC_HEADS:
            continue  # "the Manager" may be anyone's; "the Navigator" is somebody's title
        if _tally(text, _mention_ends(text, name), _ADVISES):
            found.append(name)
    return found


_FRACTIONAL = re.compile(r"\b(?:fractional|part[\s-]time|interim)\b", re.IGNORECASE)
_VIRTUAL = re.compile(r"\b(?:v-?CIO|v-?CTO|virtual\s+(?:CIO|CTO|chief))", re.IGNORECASE)


def _advisor_canonical(text: str) -> str:
    """``vcio`` for a provider's virtual CIO; ``advisor`` for an independent fractional one
    (so an alias does not tip the engagement type toward a managed-services vCIO)."""
    head = text[:PARTY_HEAD_CHARS]
    if _VIRTUAL.search(head) or not _FRACTIONAL.search(head):
        return "vcio"
    return "advisor"


def _plural(word: str) -> str:
    return word + "s"


MIN_FIRST_NAME_USES = 2


def _first_name(text: str, name: str) -> str | None:
    """The first name of a named person, when the text uses it alone (not followed by the
    surname) at least twice: "Gareth Pryce ... Gareth will report to the Chief Executive"."""
    words = name.split()
    if len(words) < 2 or not _PERSON_NAME_WORD.fullmatch(words[0]):
        return None
    alone = re.findall(
        rf"(?<![\w\-]){re.escape(words[0])}(?![\w\-])(?!\s+{re.escape(words[1])})", text
    )
    return words[0] if len(alone) >= MIN_FIRST_NAME_USES else None


_PERSON_NAME_WORD = re.compile(r"[A-Z][a-z]{2,}")


def mentions(text: str, aliases: Sequence[Alias]) -> list[tuple[int, int, str]]:
    """(start, end, canonical) of every capitalised mention of an alias (plural: canonical +
    "s"), longest names first, never overlapping."""
    found: list[tuple[int, int, str]] = []
    taken = bytearray(len(text))  # 1 where a longer name already matched
    for alias in sorted(aliases, key=lambda a: -len(a.name)):
        forms = {re.escape(alias.name), re.escape(alias.name.upper())}
        plural = r"(s|es)?"
        if alias.name in P.PRONOUNS:  # "we", "We", "WE"
            forms.add(re.escape(alias.name.capitalize()))
            plural = "()"
        if alias.person:  # "Ana Ruiz", "Ms. Ana Ruiz", "Ms Ruiz", "Dr. Ruiz"
            title = r"(?:Mr|Ms|Mrs|Miss|Mx|Dr)\.?\s+"
            surname = re.escape(alias.name.split()[-1])
            forms = {f"(?:{title})?{re.escape(alias.name)}", f"{title}{surname}"}
            first = _first_name(text, alias.name)
            if first:  # "Gareth will attend the Board": letters call the advisor by first name
                forms.add(re.escape(first))
            plural = "()"
        pattern = re.compile(
            r"(?<![\w\-])(" + "|".join(sorted(forms)) + ")" + plural + r"(?![\w\-])"
        )
        for m in pattern.finditer(text):
            a, b = m.start(), m.end()
            if taken.find(1, a, b) >= 0:
                continue
            taken[a:b] = b"\x01" * (b - a)
            found.append((a, b, _plural(alias.canonical) if m.group(2) else alias.canonical))
    return sorted(found)


def apply(doc: Any, text: str, aliases: Sequence[Alias]) -> Any:
    """Merge each mention into one token and set its ``NORM`` to the canonical word; every
    other token's ``NORM`` becomes its lowercase form (the rules' vocabulary). Returns the doc
    (retokenized in place); character offsets stay available through ``token.idx``."""
    import numpy as np
    from spacy.attrs import LOWER, NORM

    spans = []
    for a, b, canonical in mentions(text, aliases) if aliases else []:
        span = doc.char_span(a, b, alignment_mode="strict")
        if span is not None:  # a mention inside a longer token ("Keystone-owned") is skipped
            spans.append((span, canonical))
    starts = [(span.start_char, canonical) for span, canonical in spans]
    multi = [(s, c) for s, c in spans if len(s) > 1]
    if multi:
        with doc.retokenize() as retokenizer:
            for span, _c in multi:
                retokenizer.merge(span)
    if not len(doc):
        return doc
    norms = doc.to_array(LOWER).astype(np.uint64)
    if spans:
        strings = doc.vocab.strings
        idx = doc.to_array("IDX").astype(np.int64)
        for a, canonical in starts:
            i = int(np.searchsorted(idx, a))
            if i < len(doc) and idx[i] == a:
                norms[i] = strings.add(canonical)
    doc.from_array([NORM], norms.reshape(-1, 1))
    return doc
