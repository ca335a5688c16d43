"""Parenthetical definitions: ``Keystone Circuit LLC ("Keystone")``, ``(the "Supplier")``,
``Technology Alignment Manager ("TAM")``, ``("Lanternworks", "we")``, ``(the Organisation)``.

One bracket may name an advisor anywhere in a contract, or a party in its preamble, so both
recognisers read it here, in one pass and in a fixed order: an advisor's title or acronym first,
then a word the cue lists know, then a personal title, and only then a party.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from contract_audit import pronouns as P
from contract_audit.advisor_titles import expanded_title
from contract_audit.advisors import (
    HOLDER_BEFORE,
    advisor_in_person,
    bracketed_advisor,
    short_for_tech_person,
)
from contract_audit.name_uses import MIN_BARE_USES, SENTENCE_END, mention_ends, sentence_around
from contract_audit.parties import (
    CONTEXT_CHARS,
    ENTITY,
    HEREINAFTER,
    NAME_BEFORE,
    PARTY_HEAD_CHARS,
    PARTY_REACH,
    ROLE_LINE,
    THE_NOUN,
    Party,
)
from contract_audit.persons import UPPER
from contract_audit.vocabulary import Vocabulary, clean, has, last_role, usable

Add = Callable[[str, str | None], None]  # decide a name's role (the first decision wins)

_Q_OPEN = "\"“”'‘’"
# ("Keystone"), (the "Supplier"), (each, a "Client Success Manager"), ("Lanternworks", "we"),
# ("the Client"), (hereinafter "Supplier"), (hereinafter, the "Lead"), (the Advisor), (referred to
# here as "SageDesk," "we") — several names may share one bracket.
_PAREN = re.compile(
    r"\(\s*(?:hereinafter\s*[,:–—-]?\s+)?(?:(?:referred\s+to|called|known)(?:\s+(?:here|herein|below))?\s+as\s+)?"
    r"(?:together,?\s+|each,?\s+|individually,?\s+)?(?:the\s+|an?\s+|this\s+|your\s+|our\s+)?"
    r"([^()\n]{1,100})\)"  # bounded and flat: no backtracking blow-up on odd text
)
# (the Advisor), (hereinafter: the Ordering Party), (hereinafter – the Principal)
_UNQUOTED = re.compile(
    r"\(\s*(?:hereinafter\s*[,:–—-]?\s+)?the\s+([A-Z][a-z\-]+(?:\s+[A-Z][a-z\-]+){0,2})\s*\)"
)
# "a named Virtual Technology Officer (VTO)": an acronym bracketed without quotes names the
# advisor only when the words before spell it (never "(GDPR)" or "(SLA)" as a party)
_BARE_ACRONYM = re.compile(r"\(\s*([A-Z]{2,6}s?)\s*\)")
_SEPARATORS = re.compile(r"[\s,]*(?:(?:or|and)[\s,]+(?:the\s+)?)*")
# A bracket after a document's title names the document ('as described in the Description of
# the Subject of the Order ("OPZ")'), never a party, although "described in" reads like a party's
# description; a party defined by reference to a document ('the franchisee named in the
# Participation Schedule (the "Participant")') is still a party.
_DOCUMENT_BEFORE = re.compile(
    r"\b(?:Description|Order|Specification|Requirements|Schedule|Annex|Annexure|Exhibit|Appendix"
    r"|Agreement|Contract|Terms|Conditions|Policy|Plan|Statement|Guide|Form|Proposal|Rules"
    r"|Regulations|Act|Law|Standards?|Manual|Handbook|Programme|Program)"
    r"(?:\s+(?:of|for|on)\s+(?:the\s+)?(?:[A-Z][\w\-]*\s+){0,3}[A-Z][\w\-]*){0,2}[\s,]*$"
)
_PARTY_BY_REFERENCE = re.compile(
    r"\b(?!as\b)[a-z]+\s+(?:named|identified|specified|described|listed)\s+(?:in|on)\b"
)
_QUOTED = re.compile(r"[" + _Q_OPEN + r"]{1,2}([^\"“”\n]{1,40}?)[" + _Q_OPEN + r"]{1,2}")


@dataclass(frozen=True)
class Bracketed:
    """What the brackets say of the parties (advisors are decided through ``add`` directly)."""

    parties: list[Party] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)  # where a party's bracket starts
    paired: dict[str, str] = field(default_factory=dict)  # party name -> "we" | "you"
    # a second name one bracket gives the same party ('("Party B" or the "Consignee")') -> the
    # first: one bracket names one party, so a two-party preamble stays two parties
    same: dict[str, str] = field(default_factory=dict)
    # parties described as one person ("Naoko Ito, an independent IT consultant ("Consignee")")
    individuals: set[str] = field(default_factory=set)
    # a party word the rules know, here the short name of the provider's advisor ('a
    # professional qualified as Technology Governance Consultant (the "CONSULTANT")')
    advisor_words: set[str] = field(default_factory=set)


# A party who is one person: the consultant in person is the advisor too.
_INDIVIDUAL = re.compile(
    # (also without the article after the name: "DI Katharina Pointner, independent IT consultant")
    r"(?:\ban?\s+|,\s+)(?:independent\s+|self-employed\s+|freelance\s+)?(?:[\w\-]+\s+){0,3}?"
    r"(?:consultant|adviser|advisor|practitioner|professional)\b"
    r"(?!\s+(?:firm|company|business|practice|group|partnership|services|corporation))"
    r"|\ban\s+individual\b|\bsole\s+(?:trader|proprietor|practitioner)\b|\bof\s+legal\s+age\b"
    r"|\b(?:individual|private)\s+(?:entrepreneur|merchant)\b|\bself-employed\s+(?:individual|person)\b",
    re.IGNORECASE,
)
# ... unless that person signs for a company ("acting as legal representative of NUBEANDES S.A.S.")
_REPRESENTS = re.compile(
    r"\b(?:legal\s+representative|on\s+behalf\s+of|in\s+the\s+name\s+of|representing)\b",
    re.IGNORECASE,
)


def described_individuals(text: str, parties: Sequence[Party]) -> set[str]:
    """Provider parties a civil-law preamble names with "hereinafter" right after describing one
    person ('Individual Entrepreneur Davit Mkrtchyan (registration no. ...), hereinafter "the
    Executor"'): the party and its advisor at once, like a bracketed individual."""
    providers = {n for n, role in parties if role == "provider"}
    out: set[str] = set()
    for m in HEREINAFTER.finditer(text, 0, PARTY_HEAD_CHARS):
        name = clean(m.group(1) or m.group(2))
        line_start = text.rfind("\n", 0, m.start()) + 1
        lo = max(line_start, m.start() - PARTY_REACH)
        person = _INDIVIDUAL.search(text, lo, m.start()) if name in providers else None
        # ('JULIÁN PERDOMO, of legal age, ..., acting as legal representative of NUBEANDES
        # S.A.S., who shall be called THE CONTRACTOR': the person signs for a company)
        if person and not _REPRESENTS.search(text, person.end(), m.start()):
            out.add(name)
    return out


def _bracket_names(m: re.Match[str]) -> list[str]:
    """The names a bracket defines: its quoted names when nothing but separators lies between
    them, or "(the Organisation)"; none for "(1)" or "(no. 0933412)"."""
    inner = m.group(1)
    if inner.lstrip()[:1] in _Q_OPEN:  # ("Keystone"), (the "Supplier"), ("Acme", "we")
        names = [clean(q) for q in _QUOTED.findall(inner)]
        if not _SEPARATORS.fullmatch(_QUOTED.sub("", inner)):
            names = []
    else:  # (the Organisation)
        bare = _UNQUOTED.fullmatch(m.group(0))
        names = [clean(bare.group(1))] if bare else []
    return names


def _description(text: str, start: int, prev_end: int) -> str:
    """The text a bracket at ``start`` defines a name for: back to the previous bracket, the
    line start or ``PARTY_REACH`` characters."""
    line_start = text.rfind("\n", 0, start) + 1
    if not text[line_start:start].strip() and line_start > 1:
        # 'CEDAR HOLLOW CREDIT UNION LIMITED, a credit union ...' then '(the "Credit Union")'
        # on a line of its own: the description is the line above (past a blank line, which
        # extraction puts between paragraphs)
        line_start = text.rfind("\n", 0, line_start - 1) + 1
        if not text[line_start:start].strip() and line_start > 1:
            line_start = text.rfind("\n", 0, line_start - 1) + 1
    return text[max(prev_end, line_start, start - PARTY_REACH) : start]


# "This contract is made between Kingsbridge District Council ("the Council") and ...": a name
# bracketed in the sentence that says who the agreement is between is a party, legal form or not
_BETWEEN = re.compile(r"\b(?:between|Between|BETWEEN)\b")
_NAMED_AFTER = re.compile(
    r"\b(?:between|Between|BETWEEN|and|AND)\s+(?:the\s+|The\s+|THE\s+)?"
    r"(?:[A-Z][\w&'’.\-]*,?\s+(?:(?:of|for|de|del|la|and)\s+)?){1,7}$"
)
# ... or described, after the first party's bracket: "between Silver Sage Networks, LLC (...),
# with offices at ..., and the business that subscribes to a SageDesk plan (the "Subscriber")"
_DESCRIBED_AFTER = re.compile(
    r"(?:^|,)\s*(?:and|AND)\s+(?:the|any|each|every|a|an)\s+[a-z][^()\n]{0,160}$"
)
BETWEEN_CHARS = 1500
_LABEL_LINE_ABOVE = re.compile(r"(?:^|\n)[ \t]*(?:BETWEEN|Between|AND|And)[ \t]*:?[ \t]*\n\s*$")


def _between(text: str, start: int, before: str) -> bool:
    """Whether the bracket at ``start`` stands right after A or B in the preamble's "between A
    and B" (not after a person named later in the same sentence)."""
    if start > BETWEEN_CHARS or (
        _NAMED_AFTER.search(before) is None and _DESCRIBED_AFTER.search(before) is None
    ):
        return False
    lo = max((m.end() for m in SENTENCE_END.finditer(text, 0, start)), default=0)
    return _BETWEEN.search(text, lo, start) is not None


def _under_label_line(text: str, start: int) -> bool:
    """Whether the bracket at ``start`` closes the paragraph under a "BETWEEN:" or "AND:" line
    ('BETWEEN:\nCANADA, as represented by the President of the Agency ("Canada" or the
    "Agency")'): a party, whatever its name looks like."""
    line_start = text.rfind("\n", 0, start) + 1
    return start < BETWEEN_CHARS and bool(
        _LABEL_LINE_ABOVE.search(text, max(0, line_start - 40), line_start)
    )


def _acronym_party(text: str, m: re.Match[str], before: str) -> bool:
    """An unquoted acronym right after a legal name in the preamble, used again on its own."""
    acronym = m.group(1)
    return (
        m.start() < PARTY_HEAD_CHARS
        and bool(ENTITY.search(before))
        and len(mention_ends(text, acronym)) > MIN_BARE_USES
    )


def read_brackets(text: str, vocab: Vocabulary, add: Add, people: set[str]) -> Bracketed:
    """Every bracket in ``text``: advisor names go to ``add`` (named individuals also to
    ``people``) as they are read; parties in the preamble are collected for the role decision."""
    out = Bracketed()
    prev_end = 0
    for m in _PAREN.finditer(text):
        names = _bracket_names(m)
        bare = _BARE_ACRONYM.fullmatch(m.group(0))
        if bare is not None:
            long = expanded_title(text, m.start(), bare.group(1), vocab)
            if long:
                add(long, "advisor")
                add(bare.group(1), "advisor")
                continue
            if not _acronym_party(text, m, _description(text, m.start(), prev_end)):
                continue
            # "Provider: Southern Cross IT Pty Ltd (SCIT)": a legal name's own acronym, then
            # used on its own, names the party
            names = [bare.group(1)]
        if not names:
            continue  # "(1)", "(no. 0933412)": not a definition
        names = [n for n in names if n and n.lower() not in vocab.not_a_party]
        before = _description(text, m.start(), prev_end)
        prev_end = m.end()
        head = m.start() < PARTY_HEAD_CHARS
        block = _block_heading(text, m.start(), vocab) if head else None
        is_party = head and (
            ENTITY.search(before) is not None
            or _between(text, m.start(), before)
            or block is not None
            or _names_the_paragraph_above(text, m.start())
            # (a party word the rules know keeps its own reading: '(the "Advisor")')
            or (
                _under_label_line(text, m.start())
                and not any(n.lower() in vocab.known for n in names)
            )
        )
        if is_party and _DOCUMENT_BEFORE.search(before):
            is_party = bool(_PARTY_BY_REFERENCE.search(before))
        if is_party and HOLDER_BEFORE.search(before):
            is_party = False  # "a mandate lead ..., currently Mr Olivier Perrenoud (...)"
        if not names or re.match(r"\(\s*this\b", m.group(0), re.IGNORECASE):
            continue  # (this "MMTA"): the agreement itself
        role = block if is_party else None
        _read_bracket(text, m, names, before, is_party, role, vocab, add, people, out)
    _read_pronoun_definitions(text, vocab, out)
    return out


# 'In them, "Merlion", "we", "us" and "our" mean Merlion Cloud Care Pte. Ltd.': a definition
# sentence pairing a name with "we" or "you" names a party as a bracket pairing them does.
_NAME_LIST_MEANS = re.compile(
    r"((?:[\"“][^\"“”\n]{1,40}[\"”]\s*(?:,\s*)?(?:(?:and|or)\s+)?){2,8})"
    # ('When we say "we", "us" or "Tidewater", we mean Tidewater Byteworks, LLC')
    r"(?:each\s+|both\s+|we\s+)?(?:means?|shall\s+mean|refers?\s+to|are\s+references\s+to)\b"
)


def _read_pronoun_definitions(text: str, vocab: Vocabulary, out: Bracketed) -> None:
    """Party names defined together with a pronoun in a sentence of the contract's head."""
    for m in _NAME_LIST_MEANS.finditer(text, 0, PARTY_HEAD_CHARS):
        names = [clean(q) for q in _QUOTED.findall(m.group(1))]
        lows = [n.lower() for n in names]
        pronoun = next((n for n in lows if n in P.PRONOUNS), None)
        named = [n for n in names if n.lower() not in P.PRONOUNS and usable(n, vocab)]
        if pronoun is None or not named or named[0] in out.paired:
            continue
        if named[0].lower() in vocab.known or any(n == named[0] for n, _ in out.parties):
            continue
        _pair(out, named[0], pronoun, m.start())


def _pair(out: Bracketed, name: str, pronoun: str, start: int) -> None:
    """Record ``name`` as a party paired with ``pronoun`` (its role is decided later, from who
    wrote the document)."""
    out.paired.setdefault(name, "we" if pronoun in P.FIRST_PLURAL else "you")
    if not any(n == name for n, _ in out.parties):
        out.parties.append((name, None))
        out.starts.append(start)


# The advisor's office held "of" or "to" the party a bracket then names: that party is the client
_ADVISOR_OF = re.compile(
    r"\b(?:CIO|CTO|vCIO|Chief\s+(?:Information|Technology|Digital)\s+Officer|IT\s+director)"
    r"\s+(?:of|to|for)\s+[^()\n]{1,80}$",
    re.IGNORECASE,
)
# A firm acting through one named person, the bracket standing right after that person's name.
_THROUGH_PERSON = re.compile(
    r"(?:\bacting\s+(?:through|by)\s+(?:its|his|her)\s+(?:sole\s+|managing\s+)?(?:principal|"
    r"director|owner|founder|partner|member|officer)\s*,?\s+"
    # "The Consultancy is the vehicle through which Mr Cathal Ó Broin (...) provides ..."
    r"|\b(?:vehicle|company|entity|firm)\s+through\s+which\s+"
    # "The Services shall be performed personally by Siim Pärnsalu, the sole shareholder of the
    # Service Provider (hereinafter the Key Person)"
    r"|\b(?:performed|rendered|provided|delivered|carried\s+out)\s+personally\s+by\s+)"
    r"(?:(?:Mr|Ms|Mrs|Dr|Mx)\.?\s+)?"
    rf"(?:[{UPPER}][\w'’\-]*\s+){{0,3}}[{UPPER}][\w'’\-]*"
    r"(?:,\s+(?:the|its|our|a|an)\s+[^()\n,;]{0,60})?\s*$"
)


# "WILLOW BEND CREE NATION, a band within the meaning of ..." : a preamble paragraph opening
# with a name in capitals
_CAPITAL_NAME = re.compile(r"[ \t]*[A-Z][A-Z&'’.\-]+(?:[ \t]+[A-Z][A-Z&'’.\-]+){1,7}[ \t]*,")
# "concluded between" or "and" on a line of its own, above a party's paragraph
_CONNECTOR_LINE = re.compile(
    r"^[ \t]*(?:\w+[ \t]+){0,3}(?:between|and)[ \t]*:?[ \t]*$", re.IGNORECASE
)


def _names_the_paragraph_above(text: str, start: int) -> bool:
    """Whether a bracket standing on a line of its own defines the name the paragraph above
    opens with, below the preamble's "BETWEEN": a name in capitals ("WILLOW BEND CREE NATION, a
    band within the meaning of the Indian Act ..." then '(the "Nation")'), or any paragraph
    right under a "concluded between" or "and" line. A party whatever its legal form."""
    line_start = text.rfind("\n", 0, start) + 1
    if text[line_start:start].strip() or start > BETWEEN_CHARS:
        return False
    above = text[:line_start].rstrip()
    para_start = above.rfind("\n") + 1
    if _BETWEEN.search(text, 0, start) is None:
        return False
    if _CAPITAL_NAME.match(above[para_start:]) is not None:
        return True
    # "concluded between" / "and" on a line of its own right above the paragraph: that
    # paragraph is a party's description whatever its case ("Sinfonietta Wieden - Association
    # ..., represented by its President"; "DI Katharina Pointner, independent IT consultant")
    connector = above[:para_start].rstrip()
    return _CONNECTOR_LINE.search(connector[connector.rfind("\n") + 1 :]) is not None


BLOCK_LINES = 20  # lines (blank ones too) an order form's party block may hold above its bracket


def _block_heading(text: str, start: int, vocab: Vocabulary) -> str | None:
    """The role heading an order form's party block opens with, for a bracket standing on a
    line of its own at the block's end ("CLIENT", "Name: ...", "Represented by: ...", then
    '(the "Firm")'); None for a bracket inside a sentence or a block without such a heading."""
    line_start = text.rfind("\n", 0, start) + 1
    if text[line_start:start].strip():
        return None
    end = line_start - 1
    for _ in range(BLOCK_LINES):
        if end <= 0:
            return None
        above = text.rfind("\n", 0, end) + 1
        line = text[above:end]
        end = above - 1
        if not line.strip():
            continue  # extraction puts a blank line between an order form's lines
        heading = ROLE_LINE.match(line)
        if heading is not None:
            return last_role(heading.group(1), vocab)
        if ":" not in line:
            return None
    return None


def _read_bracket(
    text: str,
    m: re.Match[str],
    names: list[str],
    before: str,
    is_party: bool,
    block: str | None,
    vocab: Vocabulary,
    add: Add,
    people: set[str],
    out: Bracketed,
) -> None:
    """Decide the ``names`` one bracket defines (``before``: the text it stands after;
    ``block``: the role heading of the order-form party block it closes, if any)."""
    sentence = sentence_around(text, m.start(), m.end())
    lows = [n.lower() for n in names]
    pronoun = next((n for n in lows if n in P.PRONOUNS), None)
    if pronoun and any(n not in P.PRONOUNS for n in lows):
        # ("Lanternworks", "we"), ("Hollybrook Trust", "we", "us"): who "we" is depends on
        # who wrote the document, decided later; the pronoun names no role by itself.
        names = [n for n in names if n.lower() not in P.PRONOUNS]
        lows = [n.lower() for n in names]
        out.paired[clean(names[0])] = "we" if pronoun in P.FIRST_PLURAL else "you"
    if lows and all(n in P.PRONOUNS for n in lows):
        # 'engages you, trading as Lingkar Advisory ("you")', 'Acme Ltd ("we", "us")': a
        # bracket of pronouns only pairs the name before it with them; who "we" is depends on
        # who wrote the document, decided later (the shared lists' "you" = client may be wrong)
        named = NAME_BEFORE.search(before)
        name = clean(named.group(1)) if named else ""
        # (a name of two words or more: "PLLC" after a comma or a postcode's "1HR" is no name)
        if len(name.split()) >= 2 and m.start() < PARTY_HEAD_CHARS and usable(name, vocab):
            _pair(out, name, lows[0], m.start())
            return
    # (the "Supplier", "Acme"), the Organisation ("you"): a role word names the others' role,
    # unless the order-form block the bracket closes is headed by a role ("CLIENT" above
    # "Name: ... Represented by: ..." and '(the "Firm")': a law firm that is the client).
    given = block or next(
        (r for r in (last_role(n, vocab) for n in lows if n in vocab.known) if r), None
    )
    if given is None and any(n in P.FIRST_SINGULAR for n in lows):
        given = "provider"  # Halvorsen Advisory LLC ("I", "me" or "Halvorsen"): the writer
    names = [n for n in names if n.lower() not in P.FIRST_SINGULAR]
    lows = [n.lower() for n in names]
    if not names:
        # 'I, Fergal Hanna, trading as Mourne Advisory ("I", "me")': the pronouns are the
        # whole bracket, so the name just before it is the writer's.
        named = NAME_BEFORE.search(before)
        if given and named and m.start() < PARTY_HEAD_CHARS:
            add(named.group(1), given)
            if is_party:  # a party of the preamble: the other one may take the opposite role
                out.parties.append((clean(named.group(1)), given))
                out.starts.append(m.start())
        return
    if given and all(n in vocab.known for n in lows):
        if not is_party and short_for_tech_person(text, m.start(), m.end(), names[0]):
            # 'allocates a professional qualified as Technology Governance Consultant (the
            # "CONSULTANT")': a party word naming the provider's person, the advisor
            out.advisor_words.add(names[0])
            return
        noun = THE_NOUN.search(before)
        if noun and m.start() < PARTY_HEAD_CHARS:
            add(noun.group(1), given)
        alone = _INDIVIDUAL.search(before) if given == "provider" else None
        if alone and m.start() < PARTY_HEAD_CHARS:
            # '(2) INÊS MOREIRA, ... acting as an independent professional ... (the "Service
            # Provider")': one person, the party and its advisor at once
            is_party = True
            out.individuals.add(names[0])
        if is_party:
            out.parties.append((names[0], given))
            out.starts.append(m.start())
        return
    named_here = len(out.parties)  # one bracket names one party, however many names it gives
    advisor_here = False  # ... and one advisor: (the "Fractional IT Executive" or "FITE")
    for name in names:
        if advisor_here and usable(name, vocab) and name.lower() not in vocab.known:
            add(name, "advisor")
            continue
        long = expanded_title(text, m.start(), name, vocab)
        if long:
            # Technology Alignment Manager ("TAM"): the title and its acronym are the advisor.
            add(long, "advisor")
            add(name, "advisor")
            continue
        if name.lower() in vocab.known:
            # (the "Advisor"): an advisor who contracts in person is the provider party.
            if is_party and has(name, vocab.advisor) and len(out.parties) == named_here:
                out.parties.append((name, "provider"))
            elif (
                is_party
                and len(out.parties) == named_here
                and _ADVISOR_OF.search(before[-CONTEXT_CHARS:])
            ):
                # 'to serve as the fractional CIO of Boudreaux LLP (the "Firm")': the client
                out.parties.append((name, "client"))
            continue
        if not usable(name, vocab):
            continue
        if pronoun is None and bracketed_advisor(text, m.start(), m.end(), name, sentence, vocab):
            # (a bracket pairing "we" or "you" names a party: 'Quarry Hill CIO Advisory LLC
            # ("Quarry Hill", "we") to serve as fractional CIO' is the firm, not its advisor)
            add(name, "advisor")
            advisor_here = True
            continue
        if _THROUGH_PERSON.search(before) and not has(name, vocab.client + vocab.provider):
            # '... Ltd., acting through its sole director, Mr. Oren Halevy (the "Key Person")':
            # the person the firm acts through is its advisor in person, not another party
            add(name, "advisor")
            continue
        if advisor_in_person(name, sentence, vocab):
            # '... acting through its principal, Ana Ruiz ("Ms. Ruiz")': the advisor in person
            add(name, "advisor")
            people.add(name)
            continue
        if not is_party:
            continue
        # "Thank you for choosing Corvin ("Corvin", "we")": the words before a bracket that
        # pairs a pronoun say nothing of the party's role; its uses decide, later.
        role = given or (
            None
            if name in out.paired
            else last_role(before[-CONTEXT_CHARS:], vocab, pronouns=False)
        )
        if role is None and _ADVISOR_OF.search(before[-CONTEXT_CHARS:]):
            role = "client"  # "as the fractional CIO of Boudreaux LLP (the "Practice Group")"
        if len(out.parties) > named_here:  # this bracket already named its party
            out.same[name] = out.parties[named_here][0]
            continue
        out.parties.append((name, role))
        if _INDIVIDUAL.search(before):
            out.individuals.add(name)
    if is_party:
        out.starts.append(m.start())
