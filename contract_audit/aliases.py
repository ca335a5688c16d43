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

The recognisers live in their own modules: :mod:`contract_audit.advisors` (definitions and
phrases), :mod:`contract_audit.advisor_titles`, :mod:`contract_audit.persons`,
:mod:`contract_audit.brackets` and :mod:`contract_audit.parties`; this module keeps the model,
the order in which their decisions are taken (the first role given to a name wins), and the
rewriting.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from contract_audit import pronouns as P
from contract_audit.advisor_titles import (
    DETERMINERS,
    advisors_by_duties,
    cued_titles,
    short_form,
    tech_person,
)
from contract_audit.advisors import (
    FRACTIONAL,
    defined_advisor_forms,
    defined_advisors,
    defined_terms,
    introduced_advisors,
    known_title,
    person_title,
)
from contract_audit.brackets import described_individuals, read_brackets
from contract_audit.parties import (
    PARTY_HEAD_CHARS,
    hereinafter_also,
    pronoun_names,
    resolve_roles,
    unbracketed_parties,
)
from contract_audit.persons import PERSON_NAME, first_name, person_name, without_title
from contract_audit.vocabulary import Vocabulary, clean, has, usable

__all__ = ["ROLES", "Alias", "Vocabulary", "apply", "find_aliases", "mentions"]

ROLES = ("advisor", "provider", "client")


@dataclass(frozen=True, slots=True)
class Alias:
    """A name the contract defines and the canonical word the rules know it by."""

    name: str  # as defined, e.g. "Technology Steward"
    role: str  # advisor | provider | client | vendor (a programme's owner)
    canonical: str  # vcio | advisor | provider | client | vendor
    person: bool = False  # a named individual: also "Ms. Roe", never plural

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "role": self.role,
            "canonical": self.canonical,
            "person": self.person,
        }


@dataclass
class _Decisions:
    """The roles decided so far, in the order decided: a later step never overrides one."""

    vocab: Vocabulary
    roles: dict[str, str] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)
    people: set[str] = field(default_factory=set)  # named individuals (as written, maybe titled)

    def add(self, name: str, role: str | None) -> None:
        """Decide ``role`` for ``name`` (cleaned) if it is usable and still undecided."""
        name = clean(name)
        if role and usable(name, self.vocab) and name not in self.roles:
            self._put(name, role)

    def add_lower_title(self, name: str) -> None:
        """An advisor's title written in lower case ("technology contact person"), introduced
        with its holder and advisory duties: several words, none of them a term the rules know."""
        name = clean(name)
        low = name.lower()
        if (
            len(low.split()) >= 2
            and low not in self.vocab.known
            and low.split()[-1] not in self.vocab.known
            and name not in self.roles
        ):
            self._put(name, "advisor")

    def add_party(self, name: str, role: str | None) -> None:
        """A party's name; a common word the contract defines as a party ("the Purchaser", "the
        FIRM") is taken as it is: the rules know it, but not as the canonical party word their
        patterns are written with."""
        if role and name.lower() in PLAIN_ROLE_WORDS and name not in self.roles:
            self._put(name, role)
        else:
            self.add(name, role)

    def add_party_word(self, name: str, role: str) -> None:
        """A party word the rules know, defined for one person ("the Service Provider")."""
        if name not in self.roles:
            self._put(name, role)

    def add_advisor_form(self, name: str) -> None:
        """A form of an advisor already decided (a person's bare name, a title's short form):
        taken as it is, without the usable-name test."""
        self._put(name, "advisor")

    def _put(self, name: str, role: str) -> None:
        self.roles[name] = role
        self.order.append(name)

    def named(self, role: str) -> list[str]:
        return [n for n in self.order if self.roles[n] == role]


# Party words the cue lists know (so no usable name) but that patterns written with "client" and
# "provider" miss: a preamble that defines one as a party makes it read as its canonical word.
# (not "Vendor": in a reseller agreement the Vendor is the vendor, whose data and money the
# rules must still see as a vendor's). "Service Provider" is two words to the patterns
# ("awarded to the Service Provider" against "awarded to the Provider"): defined as a party, it
# reads as the one word "provider".
PLAIN_ROLE_WORDS = frozenset({"purchaser", "buyer", "firm", "service provider"})


def find_aliases(text: str, vocab: Vocabulary) -> list[Alias]:
    """Every name ``text`` defines whose role can be decided, most specific first."""
    found = _Decisions(vocab)
    means, also = defined_terms(text)
    _defined_advisors(means, also, found)  # 1. "X" means ...
    _introduced_advisors(text, found)  # 2. "... serves as your virtual CIO"
    # 3. Parenthetical definitions: advisors anywhere, parties in the preamble.
    bracketed = read_brackets(text, vocab, found.add, found.people)
    for word in bracketed.advisor_words:
        found.add_advisor_form(word)
    parties = unbracketed_parties(text, vocab, bracketed.parties, bracketed.starts)
    paired = {**pronoun_names(text, parties), **bracketed.paired}
    undecided = [n for n, r in parties if r is None]
    parties, by_client = resolve_roles(text, parties, paired)
    individuals = bracketed.individuals | described_individuals(text, parties)
    programme = P.channel_programme(paired)
    if programme:  # a vendor's programme terms: "we" is the vendor, "you" the partner
        side = {"we": "vendor", "you": "provider"}
        parties = [(n, side.get(paired.get(n, ""), r)) for n, r in parties]
        by_client = False
    elif any(n.lower() in P.CHANNEL_NAMES for n, _ in parties):
        # 'hereinafter referred to as the "Dealer"' beside the "Distributor": the partner's
        # counterparty is the vendor whose products it sells (unless its very name says client)
        parties = [(n, _channel_role(n, r, vocab)) for n, r in parties]
        # a party set aside as a vendor and defined by its trade ('(hereinafter the
        # "Aggregator")', which "shall pay the Partner a quarterly rebate") is the vendor whose
        # products the partner sells: read as one (a brand name keeps its own words: "Prairie
        # Crest will not sell ..." is no vendor-neutrality term)
        named = {n for n, _ in parties}
        parties += [
            (n, "vendor")
            for n in undecided
            if n not in named and n.split()[-1].lower() in _SUPPLY_SIDE
        ]
    for name, role in parties:
        found.add_party(name, role)  # (the "Purchaser"): read as the client
        if role == "provider" and name in individuals:
            # a party word defined for one person ('(the "Service Provider")'): kept as a name
            # so that it reads as the consultant it is (see ``_aliases``)
            found.add_party_word(name, role)
    seller = None if programme else _seller_party(text, parties)
    if seller:  # a purchase order's '("the Vendor")' beside its Buyer: the provider
        found.add_party_word(seller, "provider")
    if not programme and _company_beside_client(text):
        # a Gulf or South Asian provider's terms: "between the Company and the Client"
        found.add_party_word("Company", "provider")
    for name, role in _lettered_parties(text).items():  # "PARTY A: ...", "PARTY B: ..."
        found.add_party_word(name, role)
    for name, first in bracketed.same.items():
        found.add(name, found.roles.get(clean(first)))
    for name, first in hereinafter_also(text).items():  # 'or "FIRM"', a law firm that is the client
        found.add_party(name, found.roles.get(first))
    # 4. Titles the contract has advise; short forms of the advisor's titles.
    for name in advisors_by_duties(text, vocab, found.named("client")):
        found.add(name, "advisor")
    for name in cued_titles(text, vocab):  # 'a vCIO Success Partner', then "the Success Partner"
        found.add(name, "advisor")
    for name in found.named("advisor"):
        short = short_form(text, name, vocab)
        if short and short not in found.roles:
            found.add_advisor_form(short)
    _named_advisors(means, found)  # 5. '"Liaison" means Ewan Farquhar'
    _advisor_services(means, found)  # 6. '"Virtual IT Director" means the service ... delivered by'
    you_named = any(pronoun == "you" for pronoun in bracketed.paired.values())
    aliases = _aliases(text, found, by_client, you_named, individuals)
    if programme:
        aliases += [Alias(p, role, role) for p, role in sorted(P.programme_roles().items())]
    return aliases


# A seller's name a purchase order gives the provider: 'Vendor : Kenari Netsys Sdn. Bhd. ...
# ("the Vendor")', 'Seller: ... (the "Seller")'
def _party_bracket(words: str) -> re.Pattern[str]:
    """'("the Vendor")', '(the "Company")': a bracket defining one of ``words`` (an alternation)."""
    return re.compile(r"\(\s*(?:the\s+)?[\"“](?:the\s+)?(" + words + r")[\"”]\s*\)")


_SELLER_BRACKET = _party_bracket("Vendor|Seller")


def _seller_party(text: str, parties: Sequence[tuple[str, str | None]]) -> str | None:
    """The "Vendor" or "Seller" a preamble brackets as a party when the other party is the client
    and no party is the provider: in a purchase order the vendor is the provider itself, not a
    third party whose products it sells (a programme's or a dealer's "Vendor" has a partner
    beside it)."""
    roles = {r for n, r in parties if n.lower() not in ("vendor", "seller")}
    if "provider" in roles or "client" not in roles:
        return None
    if any(n.lower() in P.CHANNEL_NAMES for n, _ in parties):
        return None
    m = _SELLER_BRACKET.search(text, 0, PARTY_HEAD_CHARS)
    return m.group(1) if m else None


# "The Company: Qurain Digital Systems Co. W.L.L." above "The Client: ...", or "between the
# Company and the Client": a provider calling itself the Company
_COMPANY_LABEL = re.compile(r"^[ \t]*(?:The[ \t]+)?Company[ \t]*:", re.MULTILINE)
_CLIENT_LABEL = re.compile(r"^[ \t]*(?:The[ \t]+)?(?:Client|Customer)[ \t]*:", re.MULTILINE)
_COMPANY_AND_CLIENT = re.compile(
    r"\bbetween\s+the\s+Company\s+and\s+the\s+(?:Client|Customer)\b"
    r"|\bbetween\s+the\s+(?:Client|Customer)\s+and\s+the\s+Company\b"
)
_COMPANY_BRACKET = _party_bracket("Company")
_CLIENT_BRACKET = _party_bracket("Client|Customer")


def _company_beside_client(text: str) -> bool:
    """Whether the contract's parties are "the Company" and "the Client" (or "Customer"): then the
    Company, a client word elsewhere, is the provider."""
    head = text[:PARTY_HEAD_CHARS]
    return bool(
        (_COMPANY_LABEL.search(head) and _CLIENT_LABEL.search(head))
        or _COMPANY_AND_CLIENT.search(head)
        or (_COMPANY_BRACKET.search(head) and _CLIENT_BRACKET.search(head))
    )


# Vietnamese and Chinese drafting names the parties "Party A" and "Party B" (甲方, 乙方)
_LETTERED = re.compile(r"^[ \t]*(?:PARTY|Party)[ \t]+([AB])[ \t]*[:(]", re.MULTILINE)
_CONTRACTING = re.compile(
    r"^[ \t]*(?:THE[ \t]+|The[ \t]+)?(CONTRACTING|CONTRACTED|Contracting|Contracted)[ \t]+"
    r"(?:PARTY|Party)[ \t]*[:(]",
    re.MULTILINE,
)
_ORDINAL_PARTY = re.compile(r"[\"“](FIRST|SECOND|First|Second)[ \t]+(?:PARTY|Party)[\"”]")
# (one word may come between: "Reseller Cooperation Agreement")
_CHANNEL_TITLE = re.compile(
    r"\b(?:partner|partnership|reseller|resale|dealer|dealership|distribution|distributor"
    r"|referral|agency)\s+(?:[A-Za-z]+\s+)?(?:agreement|contract|programme|program)\b",
    re.IGNORECASE,
)


def _lettered_parties(text: str) -> dict[str, str]:
    """Roles of a "Party A" / "Party B" preamble: Party B is the provider; Party A its client,
    or, in a partner, reseller or distribution agreement (its title says so), the vendor. A
    Brazilian "CONTRACTING PARTY:" / "CONTRACTED PARTY:" preamble (contratante / contratada)
    names the client and the provider the same way."""
    head = text[:PARTY_HEAD_CHARS]
    if {m.group(1).lower() for m in _CONTRACTING.finditer(head)} == {"contracting", "contracted"}:
        return {"Contracting Party": "client", "Contracted Party": "provider"}
    a_role = "vendor" if _CHANNEL_TITLE.search(head[:600]) else "client"
    # an Indonesian preamble's 'hereinafter referred to as the "FIRST PARTY"' / "SECOND PARTY"
    # (pihak pertama / pihak kedua) reads like Party A / Party B
    if {m.group(1).lower() for m in _ORDINAL_PARTY.finditer(head)} == {"first", "second"}:
        return {"First Party": a_role, "Second Party": "provider"}
    letters = {m.group(1) for m in _LETTERED.finditer(head)}
    if letters != {"A", "B"}:
        return {}
    return {"Party A": a_role, "Party B": "provider"}


# The last word of a party name that sells through the channel partner beside it
_SUPPLY_SIDE = frozenset("aggregator aggregators distributor wholesaler".split())


def _channel_role(name: str, role: str | None, vocab: Vocabulary) -> str | None:
    """A party's role in an agreement one of whose parties is a channel partner ("Dealer"): a
    counterparty read as the client is the vendor. (Only then: a role left undecided stays so,
    and a showroom's "Dealer" beside its "Manufacturer" is no IT provider.)"""
    if role == "client" and name.lower() not in P.CHANNEL_NAMES and not has(name, vocab.client):
        return "vendor"
    return role


# A short second name a title may take: "CTO", "vCIO", "DTL"
_TITLE_ACRONYM = re.compile(r"v?C[A-Z]O|[A-Z]{2,5}")


def _defined_advisors(means: Mapping[str, str], also: Mapping[str, str], found: _Decisions) -> None:
    """A person whose definition (or name) is about advice is the advisor, and so is a second
    name defined with it ('"Technology Alignment Manager" or "TAM" means ...')."""
    for term in defined_advisors(means, found.vocab):
        found.add(term, "advisor")
    for term in defined_advisor_forms(means, found.vocab):  # '"IT Consultant" means the employee'
        found.add_advisor_form(term)
    for alt, first in also.items():
        if (
            found.roles.get(first) == "advisor"
            or known_title(first, found.vocab)
            or person_title(first, means)
        ):
            found.add(alt, "advisor")
            if alt not in found.roles and _TITLE_ACRONYM.fullmatch(alt):
                # '"Client Technology Officer" or "CTO"': a title word the rules know in its
                # general sense, here the name of this contract's advisor
                found.add_advisor_form(alt)


def _named_advisors(means: Mapping[str, str], found: _Decisions) -> None:
    """The person an advisor's definition names ('"Liaison" means Ewan Farquhar, or any
    replacement') is the advisor too: "Ewan Farquhar will not be moved" protects the advisor."""
    for term in found.named("advisor"):
        named = _NAMED_PERSON.match(means.get(term, ""))
        if named and person_name(named[1], found.vocab) and named[1] not in found.people:
            found.people.add(named[1])
            bare = without_title(named[1])
            if bare not in found.roles:
                found.add_advisor_form(bare)


def _advisor_services(means: Mapping[str, str], found: _Decisions) -> None:
    """A title defined as the service an advisor delivers ('"Virtual IT Director" means the
    part-time technology leadership service ... delivered by the Nominated Director') names that
    advisor's role: "the performance of the Virtual IT Director" is the advisor's."""
    advisors = found.named("advisor")
    if not advisors:
        return
    by_advisor = re.compile(
        r"\b(?:delivered|performed|provided|rendered|carried\s+out)\s+by\s+(?:the\s+)?(?:"
        + "|".join(re.escape(a) for a in advisors)
        + r")\b"
    )
    for term, body in means.items():
        if term not in found.roles and tech_person(term) and by_advisor.search(body):
            found.add(term, "advisor")


# A definition that is a person's name: 'means Ewan Farquhar, or ...', 'means Ms. Ana Ruiz.'
_NAMED_PERSON = re.compile(rf"\s*({PERSON_NAME})(?=\s*(?:[,;.(]|or\b|and\b|$))")


def _introduced_advisors(text: str, found: _Decisions) -> None:
    """A role noun or a named individual introduced as the advisor; a person by their name
    without its title ("Ms. Ana Ruiz" -> "Ana Ruiz")."""
    titles, people = introduced_advisors(text, found.vocab)
    for name in titles:
        if name[:1].islower():
            found.add_lower_title(name)
        else:
            found.add(name, "advisor")
    found.people.update(people)
    for person in sorted(found.people):
        bare = without_title(person)
        if bare not in found.roles and bare.lower() not in found.vocab.known:
            found.add_advisor_form(bare)


def _aliases(
    text: str, found: _Decisions, by_client: bool, you_named: bool, individuals: set[str]
) -> list[Alias]:
    """The decisions as aliases, each role read as its canonical word. A provider who is one
    person (an independent consultant contracting in person) is the advisor too, which
    "consultant" reads as for every rule (a party word and an advisor word)."""
    advisor_word = _advisor_canonical(text)
    canonical = {
        "advisor": advisor_word,
        "provider": "provider",
        "client": "client",
        "vendor": "vendor",
    }
    bare_people = {without_title(p) for p in found.people}
    aliases = [
        Alias(
            n,
            found.roles[n],
            "consultant"
            if found.roles[n] == "provider" and n in individuals
            else canonical[found.roles[n]],
            n in bare_people,
        )
        for n in found.order
    ]
    if by_client:  # "we" is the client: the pronouns are the parties' names in this document
        # A letter appointing one person ("Dear Mr. Ó Dálaigh, ... resolved to appoint you"):
        # "you" is the provider and its advisor at once, which "consultant" reads as for every
        # rule (a party word and an advisor word). When a bracket names "you" as a firm
        # ('Okafor Digital Ltd ("Okafor Digital", "you")'), "you" is the firm.
        head = text[:PARTY_HEAD_CHARS]
        to_person = not you_named and _TO_A_PERSON.search(head) and _APPOINTS_YOU.search(head)
        provider = "consultant" if to_person else "provider"
        aliases += [
            Alias(p, role, provider if role == "provider" else role)
            for p, role in sorted(P.pronoun_roles().items())
        ]
    return aliases


_APPOINTS_YOU = re.compile(r"\b(?:appoint|engage|retain|contract)(?:s|ed|ing)?\s+you\b")
_TO_A_PERSON = re.compile(
    r"^[ \t]*Dear\s+(?:Mr|Ms|Mrs|Miss|Mx|Dr|Prof)\.?\s+[^\W\d_]", re.MULTILINE
)


_VIRTUAL = re.compile(r"\b(?:v-?CIO|v-?CTO|virtual\s+(?:CIO|CTO|chief))", re.IGNORECASE)


def _advisor_canonical(text: str) -> str:
    """``vcio`` for a provider's virtual CIO; ``advisor`` for an independent fractional one
    (so an alias does not tip the engagement type toward a managed-services vCIO)."""
    head = text[:PARTY_HEAD_CHARS]
    if _VIRTUAL.search(head) or not FRACTIONAL.search(head):
        return "vcio"
    return "advisor"


def _plural(word: str) -> str:
    return word + "s"


def mentions(text: str, aliases: Sequence[Alias]) -> list[tuple[int, int, str]]:
    """(start, end, canonical) of every capitalised mention of an alias (plural: canonical +
    "s"), longest names first, never overlapping."""
    found: list[tuple[int, int, str]] = []
    taken = bytearray(len(text))  # 1 where a longer name already matched
    for alias in sorted(aliases, key=lambda a: -len(a.name)):
        forms = {re.escape(alias.name), re.escape(alias.name.upper())}
        if alias.name[:1].islower():  # a lower-case title opening a heading or a table row
            forms.add(re.escape(alias.name[:1].upper() + alias.name[1:]))
        plural = r"(s|es)?"
        if alias.name in P.PRONOUNS:  # "we", "We", "WE"
            forms.add(re.escape(alias.name.capitalize()))
            plural = "()"
        if alias.person:  # "Ana Ruiz", "Ms. Ana Ruiz", "Ms Ruiz", "Dr. Ruiz"
            title = r"(?:Mr|Ms|Mrs|Miss|Mx|Dr)\.?\s+"
            surname = re.escape(alias.name.split()[-1])
            forms = {f"(?:{title})?{re.escape(alias.name)}", f"{title}{surname}"}
            first = first_name(text, alias.name)
            if first:  # "Gareth will attend the Board": letters call the advisor by first name
                forms.add(re.escape(first))
            plural = "()"
        pattern = re.compile(
            r"(?<![\w\-])(" + "|".join(sorted(forms)) + ")" + plural + r"(?![\w\-])"
        )
        bare_word = (
            alias.role == "advisor"
            and " " not in alias.name
            and not alias.name.isupper()
            and not alias.person
        )
        for m in pattern.finditer(text):
            a, b = m.start(), m.end()
            if taken.find(1, a, b) >= 0:
                continue
            if bare_word and _another_title(text, a, b):
                continue
            taken[a:b] = b"\x01" * (b - a)
            found.append((a, b, _plural(alias.canonical) if m.group(2) else alias.canonical))
    return sorted(found)


_TITLE_BEFORE = re.compile(r"(?:\b([A-Z][a-z]+)[ \t]+|\bof[ \t]+)$")
_OF_AFTER = re.compile(r"[ \t]+of[ \t]+(?:the[ \t]+)?(?=[A-Z])")


def _another_title(text: str, a: int, b: int) -> bool:
    """A one-word name inside a longer title is someone else: the "Director" defined for the
    advisor is not the "Finance Director", the "Director of Nursing" or a "Board of Directors"."""
    before = _TITLE_BEFORE.search(text, max(0, a - 20), a)
    if before is not None and before.group(1) is None:
        return True  # "Board of Directors"
    if before is not None and before.group(1) not in DETERMINERS:
        # "Finance Director" is someone else; "Digital Wayfinder" is the advisor's full title
        return not tech_person(f"{before.group(1)} {text[a:b]}")
    after = _OF_AFTER.match(text, b)
    # "Director of Nursing" is someone else; "Director of Client Technology" is the advisor
    return after is not None and not tech_person(text[a : after.end() + 30])


# "Appendix No. 2", "Contract No 17", "Annex no. 2": "No" abbreviating a number
_NUMBER_ABBREVIATION = re.compile(r"\bNo(?=\.?[ \t]*\d)|\bno(?=\.[ \t]*\d)")
# "This engagement is not exclusive: the Consultant may accept other clients": "not" there
# qualifies "exclusive" (non-exclusive, the risk), it negates no verb after it
_NOT_EXCLUSIVE = re.compile(r"\bnot(?=[ \t]+(?:be[ \t]+)?exclusive\b)", re.IGNORECASE)
# the norms these readings give (the engine keeps them in its plain-lowercase array too)
READING_NORMS = ("no.", "non")


def _split_final_dots(doc: Any, found: Sequence[tuple[int, int, str]]) -> None:
    """'through Party B.': the tokenizer reads "B." as one token (an initial), so the mention
    "Party B" would not align with the tokens and keep its own words; split such a token's
    sentence-final dot off first."""
    split = {}
    for b in {b for _a, b, _c in found}:
        last = doc.char_span(b - 1, b, alignment_mode="expand")  # the token holding the last char
        t = last[-1] if last else None
        if t is not None and len(t) > 1 and t.text.endswith(".") and t.idx + len(t) - 1 == b:
            split[t.i] = t
    if split:
        with doc.retokenize() as retokenizer:
            for t in split.values():
                retokenizer.split(t, [t.text[:-1], "."], heads=[(t, 1), (t, 1)])


def apply(doc: Any, text: str, aliases: Sequence[Alias]) -> Any:
    """Merge each mention into one token and set its ``NORM`` to the canonical word; every
    other token's ``NORM`` becomes its lowercase form (the rules' vocabulary). Returns the doc
    (retokenized in place); character offsets stay available through ``token.idx``."""
    import numpy as np
    from spacy.attrs import LOWER, NORM

    found = list(mentions(text, aliases)) if aliases else []
    _split_final_dots(doc, found)
    spans = []
    for a, b, canonical in found:
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
    # a number's abbreviation reads as "no.", never as the negation "no"; "not exclusive" as
    # "non" exclusive
    numbered = [(m.start(), "no.") for m in _NUMBER_ABBREVIATION.finditer(text)]
    numbered += [(m.start(), "non") for m in _NOT_EXCLUSIVE.finditer(text)]
    if spans or numbered:
        strings = doc.vocab.strings
        idx = doc.to_array("IDX").astype(np.int64)
        for a, canonical in [*starts, *numbered]:
            i = int(np.searchsorted(idx, a))
            if i < len(doc) and idx[i] == a:
                norms[i] = strings.add(canonical)
    doc.from_array([NORM], norms.reshape(-1, 1))
    return doc
