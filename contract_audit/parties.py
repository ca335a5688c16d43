"""Party recognition: which names in a contract are the provider and which the client.

A contract names its parties itself (``Keystone Circuit LLC ("Keystone")``, ``Customer: Banksia
Pty Ltd``, ``hereinafter "Supplier"``) and often says their role only by what they do
("Keystone shall provide ...", "the Trust shall pay ..."). This module finds the parties that
no bracket names, reads a party's role from its uses, and settles the roles left open (vendors
set aside, "we"/"you" brackets, a two-party preamble's other party). The brackets themselves
are read by :mod:`contract_audit.brackets`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from contract_audit import pronouns as P
from contract_audit.name_uses import MIN_BARE_USES, mention_ends, tally
from contract_audit.vocabulary import Vocabulary, clean, last_role, usable

Party = tuple[str, str | None]  # a party's name and its role, when decided

PARTY_HEAD_CHARS = 5000  # parties are defined up front; later parentheticals are terms
CONTEXT_CHARS = 160  # text before a party definition that may carry its role ("as customer")
PARTY_REACH = 300  # characters between a party's legal form and the bracket that names it

# What a party bracket stands after: a name, or "the Organisation" ("you").
NAME_BEFORE = re.compile(r"((?:[A-Z][\w&'’\-]*\s+){0,4}[A-Z][\w&'’\-]*)[\s,]*$")
THE_NOUN = re.compile(r"\bthe\s+([A-Z][a-z]+)\s*$")  # the Organisation ("you")
# A party is a legal person: its description names a legal form ("Acme Ltd", "a Delaware
# corporation", "a charitable company") before the bracket that names it.
ENTITY = re.compile(
    r"\b(?:inc|llc|l\.l\.c|l\.l\.p|ltd|limited|plc|corp|pty|gmbh|llp|p\.c)\b|\btrading\s+as\b"
    # European and Asian legal forms, in their own case ("Rigi Informatik AG", "Oy", "S.p.A.")
    r"|(?-i:\b(?:AG|SA|S\.A\.|BV|B\.V\.|NV|N\.V\.|KG|SE|Oyj?|AB|ApS|A/S|ASA|AS|SpA|S\.p\.A\."
    r"|Srl|S\.r\.l\.|SARL|SAS|Kft|Zrt|K\.K\.|s\.r\.o\.|Sp\.\s+z\s+o\.o\."
    # Latin-American and Iberian forms ("Sistemas Litoral S.R.L.", "Nube Andina S.A.S.")
    r"|SRL|S\.R\.L\.|S\.A\.S\.|LTDA\.?|Ltda\.?|S\.E\.|S\.L\.|S\.L\.U\.|EIRELI|S\.C\."
    r"|S\.\s?de\s+R\.L\.|Sdn\.?\s+Bhd\.?|Bhd\.?|Pte\.?|SDN\.?\s+BHD\.?|BHD\.?|Berhad|BERHAD|PTE\.?"
    r"|S\.[àa]\s?r\.l\.|S[àa]rl"
    # Balkan, Baltic, CIS and Gulf forms ("INFOTEHNA SISTEMI d.o.o. Novi Sad", "Kaspi JSC",
    # "Qarawan Pay P.S.C.", "Gulf Tech W.L.L.")
    r"|d\.o\.o\.|d\.d\.|a\.d\.|a\.s\.|JSC|OJSC|PJSC|OOO|EOOD|OOD|UAB|SIA|OÜ|LLP|P\.S\.C\.|PSC"
    r"|W\.L\.L\.|WLL|FZE|FZ-LLC|FZCO|Pvt\.?"
    # ("BELO POLE DOOEL Skopje", "Arbëria Tech SH.P.K.", "Caju do Norte, Lda.")
    r"|DOO|DOOEL|d\.o\.o\.e\.l\.|AD|SH\.P\.K\.|Sh\.p\.k\.|sh\.p\.k\.|SHPK|Sh\.A\.|sh\.a\."
    r"|Lda\.?|LDA|S\.A\.R\.L\.|spol\.\s+s\s+r\.o\.)(?=[\s,.(;]|$))"
    r"|\b(?:named|identified|described|specified)\s+(?:in|on|below|above)\b"
    r"|\ban?\s+(?:[\w\-]+\s+){0,5}(?:company|corporation|partnership|trust|association|union"
    r"|co-operative|cooperative|society|council|university|charity|individual|practice|firm"
    r"|organi[sz]ation"
    r"|subdivision|municipality|public\s+body|public\s+authority|agency|district|board"
    r"|sole\s+trader|business)\b"
    r"(?=\s*(?:[,(]|$|registered|incorporated|organi[sz]ed|with|whose|of|under|having|limited))",
    re.IGNORECASE,
)

# 'hereinafter "Supplier"', and civil-law drafting's unquoted 'hereinafter THE FUND' or
# 'hereinafter referred to as the CONTRACTED PARTY;'
# (also 'who for the purposes of this contract shall be called THE CONTRACTING PARTY;')
HEREINAFTER = re.compile(
    r"(?:hereinafter\s+(?:simply\s+|jointly\s+)?(?:(?:referred\s+to|called|designated|named|known)\s+"
    r"(?:as\s+)?)?|shall\s+be\s+(?:referred\s+to|called|designated|named|known)\s+(?:as\s+)?)"
    r"(?:(?:the|THE|The)\s+)?(?:[\"“](?:the\s+)?([A-Z][^\"”\n]{0,38})[\"”]"
    r"|((?-i:[A-Z][\w\-]*(?:[ \t]+[A-Z][\w\-]*){0,2}))(?=\s*[,;.:)]|\s+(?:and|or)\b))"
)
_JOINT = re.compile(r"\b(?:jointly|collectively|together|both)\b|\b(?:PARTIES|Parties)\b(?=[\"”])")
# A legal name the contract never brackets ("Customer Terms of Redgum Networks Pty Ltd"): its
# first word, used bare ("Redgum will provide ..."), names the party.
_LEGAL_FORM = r"(?:Pty\.?\s+Ltd|Ltd|Limited|LLC|L\.L\.C\.|Inc|Corp|Corporation|plc|PLC|GmbH|LLP)\b"
_LEGAL_NAME = re.compile(
    r"\b([A-Z][A-Za-z]{2,})(?:[ \t]+[A-Z][A-Za-z&]+){0,4},?[ \t]+" + _LEGAL_FORM
)
_MEANS_ENTITY = re.compile(
    r"[\"“]([A-Z][\w&\-]*(?:\s+[A-Z][\w&\-]*){0,3})[\"”]\s+(?:means|shall\s+mean)\s+"
    r"(?:[A-Z][\w&'’\-]*,?\s+){1,6}" + _LEGAL_FORM
)
_DEFINED_TERM = re.compile(r"[\"“]([A-Za-z][\w \-]{0,30})[\"”]\s+(?:means|shall\s+mean)\b")
_LABEL = re.compile(r"^[ \t]*([A-Za-z][A-Za-z ]{1,30}):", re.MULTILINE)
_LABELLED_NAME = re.compile(r"[ \t]*((?:[A-Z][\w&\-]*[ \t]+){1,5}[A-Z][a-z][\w\-]*)\s*,")
ROLE_LINE = re.compile(r"^[ \t]*([A-Za-z][A-Za-z ]{1,30}?)[ \t]*:?[ \t]*$")


def _named_entities(text: str, vocab: Vocabulary, brackets: Sequence[int]) -> list[Party]:
    """Parties named by a legal name in the preamble and then by its first word alone, with the
    role of a line label ("Customer: Banksia Pty Ltd") or of what the text says they do."""
    head = text[:PARTY_HEAD_CHARS]
    out: list[Party] = []
    seen: set[str] = set()
    tried: set[str] = set()
    names = list(_LEGAL_NAME.finditer(head))
    # "Acme Ltd, a company ... ("Acme")": a bracket within reach names the legal name before it
    reaches = _reaches(head, names)
    bracketed = {
        m.group(0)
        for m, reach in zip(names, reaches, strict=True)
        if any(m.end() <= b <= reach for b in brackets)
    }
    for m, reach in zip(names, reaches, strict=True):
        if m.group(0) in tried or any(m.end() <= b <= reach for b in brackets):
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
        if not short or not usable(short, vocab) or short in seen:
            continue
        line_start = head.rfind("\n", 0, m.start()) + 1
        label = _LABEL.match(head, line_start)
        role = last_role(label.group(1), vocab) if label and label.end() <= m.start() else None
        if role is None:
            role = _block_role(head, line_start, vocab)
        if role is None and m.group(0) in bracketed:
            continue  # a letter's address block: the bracket after a later mention names it
        seen.add(short)
        out.append((short, role))
    # "Buyer: Ashby Vale Academy Trust, a charitable company ...", then "the Trust's schools":
    # a labelled party's head noun, used with "the" on its own, names it.
    for label in _LABEL.finditer(head):
        role = last_role(label.group(1), vocab)
        line = head[label.end() : head.find("\n", label.end()) % (len(head) + 1)]
        name = _LABELLED_NAME.match(line)
        if role is None or name is None:
            continue
        noun = name.group(1).split()[-1]
        uses = len(re.findall(r"\b[Tt]he\s+" + re.escape(noun) + r"\b(?![ \t]+[A-Z])", text))
        if uses >= MIN_BARE_USES and noun not in seen and usable(noun, vocab):
            seen.add(noun)
            out.append((noun, role))
    return out


def _reaches(head: str, names: Sequence[re.Match[str]]) -> list[int]:
    """How far after each legal name a bracket still names it: ``PARTY_REACH`` characters, cut
    at the next party's legal name on a later line (subsidiaries listed on the same line, as in
    "for itself and its subsidiaries A Inc., B Corporation (together, the "Group")", are not)."""
    out = []
    for i, m in enumerate(names):
        reach = m.end() + PARTY_REACH
        if i + 1 < len(names) and "\n" in head[m.end() : names[i + 1].start()]:
            reach = min(reach, names[i + 1].start())
        out.append(reach)
    return out


def _block_role(head: str, line_start: int, vocab: Vocabulary) -> str | None:
    """An order form's party block: a line holding only a role ("PROVIDER", "Customer:") just
    above the legal name, or above a "Legal name:" line."""
    lines = head[:line_start].rstrip("\n").split("\n")[-3:]
    for line in reversed(lines):
        m = ROLE_LINE.match(line)
        if m is not None:
            return last_role(m.group(1), vocab)
        if not line.strip() or ":" not in line:
            return None
    return None


_AGREED = re.compile(
    r"\b(?:have\s+agreed|hereby\s+agree|agreed|agree)\s+(?:as\s+follows|on\s+the\s+following)\b",
    re.IGNORECASE,
)


def unbracketed_parties(
    text: str, vocab: Vocabulary, parties: Sequence[Party], brackets: Sequence[int]
) -> list[Party]:
    """``parties`` (from the brackets) plus those the preamble names without a bracket: a legal
    name used bare, a labelled party's head noun, a "hereinafter" name."""
    out = list(parties)
    for name, role in _named_entities(text, vocab, brackets):
        if all(n != name for n, _ in out):
            out.append((name, role))
    for m in _MEANS_ENTITY.finditer(text[:PARTY_HEAD_CHARS]):
        # '"MTS" means Murrumbidgee Technology Services Pty Ltd': a party defined like a term
        name = clean(m.group(1))
        if usable(name, vocab) and all(n != name for n, _ in out):
            # its role is the opposite of a party word defined beside it ('"Customer" means')
            eol = text.find("\n", m.end())
            line = text[m.start() : eol if eol >= 0 else len(text)]
            roles = {last_role(t, vocab) for t in _DEFINED_TERM.findall(line)} - {None}
            out.append((name, _opposite(roles.pop()) if len(roles) == 1 else None))
    prev_end = 0
    # the parties are all named before "the Parties agreed on the following:"; a "hereinafter"
    # after it names a person or a document ('(hereinafter "the Development Plan")')
    agreed = _AGREED.search(text, 0, PARTY_HEAD_CHARS)
    for m in HEREINAFTER.finditer(text[: agreed.start() if agreed else PARTY_HEAD_CHARS]):
        name = clean(m.group(1) or m.group(2))
        line_start = text.rfind("\n", 0, m.start()) + 1
        lo, prev_end = max(m.start() - CONTEXT_CHARS, line_start, prev_end), m.end()
        if any(n == name for n, _ in out) or _JOINT.search(text, max(0, m.start() - 30), m.end()):
            continue  # nor both parties' joint name: 'jointly referred to as "THE PARTIES"'
        if name.lower() in vocab.known:
            # 'hereinafter THE CONTRACTOR': a party the rules already know, kept so that the
            # other party of a two-party preamble takes the opposite role
            out.append((name, last_role(name, vocab)))
        elif usable(name, vocab):
            # 'hereinafter "IVM" or "the Service Provider"': the second name says the role;
            # else the words before ("as supplier, hereinafter"), but not a description of the
            # party's business ("a health services provider domiciled in ...")
            also = _OR_NAMED.match(text, m.end())
            context = _DESCRIBED.sub(" ", text[lo : m.start()])
            role = last_role(also.group(1), vocab) if also else None
            out.append((name, role or last_role(context, vocab, pronouns=False)))
    return out


# '"We", "us" and "our" mean MolarWorks Technology Inc.': a pronoun defined as a party's name,
# the other way round from a bracket ('MolarWorks Technology Inc. ("we", "us")').
_PRONOUN_MEANS = re.compile(
    r"[\"“]((?i:we|you))[\"”](?:\s*,\s*[\"“]\w+[\"”])*(?:,?\s*(?:and|or)\s+[\"“]\w+[\"”])?"
    r",?\s+(?:we\s+)?(?:means?|refers?\s+to|shall\s+mean)\s+(?:the\s+)?([A-Z][^\n;()]{0,80})"
)


def pronoun_names(text: str, parties: Sequence[Party]) -> dict[str, str]:
    """name -> "we" | "you" for each party a pronoun definition names (its legal name opens the
    definition: "MolarWorks" for '"We" ... mean MolarWorks Technology Inc.')."""
    out: dict[str, str] = {}
    for m in _PRONOUN_MEANS.finditer(text[:PARTY_HEAD_CHARS]):
        for name, _role in parties:
            if re.match(re.escape(name) + r"(?![\w\-])", m.group(2)):
                out[name] = m.group(1).lower()
    return out


_OR_NAMED = re.compile(r"\s+or\s+[\"“](?:the\s+)?([A-Za-z][^\"”\n]{0,38})[\"”]")


def hereinafter_also(text: str) -> dict[str, str]:
    """Second names a preamble gives a party ('hereinafter "CONTRACTING PARTY" or "FIRM"'):
    second name -> first."""
    out: dict[str, str] = {}
    for m in HEREINAFTER.finditer(text[:PARTY_HEAD_CHARS]):
        also = _OR_NAMED.match(text, m.end())
        if also:
            out[clean(also.group(1))] = clean(m.group(1) or m.group(2))
    return out


_DESCRIBED = re.compile(r"\b(?:an?|A|An)\s+[^,;()]{1,80}")


_PROVIDES = re.compile(
    r"\s+(?:shall\s+|will\s+|agrees\s+to\s+|also\s+)?"
    r"(?:provides?|delivers?|performs?|supplies|supply|renders?)\s+"
    r"(?:\w+\s+){0,3}?(?:services?|support|monitoring|help\s+desk|maintenance)\b"
)
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
    # (after another duty of the same sentence: "Bytown will look after our computers ... and will
    # supply a senior person to act as our Technology Director")
    r"(?:\s+(?:shall|will)\s+[^.;\n]{0,120}?\s+and)?"
    r"\s+(?:shall|will|agrees\s+to)\s+(?:also\s+|in\s+addition\s+|additionally\s+|further\s+)?"
    r"(?:(?:provide|supply|assign|appoint|designate|furnish)\s+"
    # "... furnish an experienced technology executive to serve as the District's Outsourced CIO"
    r"(?:[\w\-]+\s+){0,5}?(?:(?:to\s+(?:serve|act)\s+as\s+)(?:[\w'’\-]+\s+){0,3}?)?"
    # "shall make the GSP available to act as the Group's senior technology advisor" (not "make
    # its CIO available for meetings": the client's own officer)
    r"|make\s+(?:[\w\-]+\s+){1,5}?available\s+to\s+(?:serve|act)\s+as\s+(?:[\w'’\-]+\s+){0,3}?"
    # "shall in addition make available a Technology Governance Officer"
    r"|make\s+available\s+(?:an?\s+|the\s+|its\s+|one\s+)?(?:[\w\-]+\s+){0,2}?)"
    # (the title may be quoted where it is defined: 'to act as our "Technology Director"')
    r"[\"“]?(?:CIO|vCIO|CTO|vCTO|[Cc]hief\s+[Ii]nformation|[Cc]hief\s+[Tt]echnology"
    r"|(?:[Tt]echnology|IT)\s+(?:[A-Z][a-z]+\s+)?(?:[Aa]dvis[eo]r|[Dd]irector|[Ll]ead(?:er)?"
    r"|Officer|Steward)"
    r"|[Hh]ead\s+of\s+(?:IT|[Tt]echnology|[Dd]igital))\b"
)
# "Corbel's principal, Devika Raman, will serve as ...": the party whose people advise.
_STAFFS = re.compile(
    r"['’]s\s+(?:principal|founder|managing\s+partner|consultants?|advis[eo]rs?|vcio)\b"
    r"[^.;\n]{0,60}\b(?:serve|act|function)s?\s+as\b"
)


def _role_by_use(text: str, name: str, *, strong: bool = False) -> str | None:
    """A party's role from what the contract has it do: one that provides, monitors or invoices
    is the provider; one that pays, or whose data, premises and users are served, is the client.
    Needs a clear majority, so a stray "the Client shall provide access" decides nothing."""
    ends = mention_ends(text, name)
    if any(tally(text, ends, p) for p in (_PROVIDES, _STAFFS, _PROVIDES_ADVISOR)):
        return "provider"
    if strong:  # only what a sentence says outright: the tallies below need both parties' roles
        return None
    provider = tally(text, ends, _PROVIDER_ACTS) + tally(text, ends, _PROVIDER_THINGS)
    served = sum(1 for e in ends if _SERVED.search(text, max(0, e - len(name) - 40), e - len(name)))
    client = tally(text, ends, _CLIENT_ACTS) + tally(text, ends, _CLIENT_THINGS) + served
    if provider >= 2 and provider > 2 * client:
        return "provider"
    if client >= 2 and client > 2 * provider:
        return "client"
    return None


def _is_vendor(text: str, name: str) -> bool:
    """A vendor-side party ("Cobalt Shield will pay Partner a rebate on Cobalt Shield Products"):
    neither the provider nor its client, so it must not take the opposite of the partner's role."""
    ends = mention_ends(text, name)
    return tally(text, ends, _VENDOR_THINGS) >= 2 or tally(text, ends, _SELLER_DESCRIBED) >= 1


# "Pelican Docket Systems, Inc., which sells practice management software to law firms": a
# company the text describes as a seller, in a relative clause right after its name
_SELLER_DESCRIBED = re.compile(
    r"(?:[ \t]+[A-Z][\w&\-]*){0,4},?(?:[ \t]+(?:Inc|LLC|Ltd|Limited|Corp|GmbH|plc)\.?)?,[ \t]+"
    r"(?:which|that|who)[ \t]+(?:sells|develops|licenses|licences|publishes|manufactures"
    r"|distributes|makes)\b"
)


def _opposite(role: str) -> str:
    return "client" if role == "provider" else "provider"


def resolve_roles(
    text: str, parties: Sequence[Party], paired: Mapping[str, str]
) -> tuple[list[Party], bool]:
    """Settle the parties' open roles, in this order: set vendors aside; what a sentence says a
    party does; the "we"/"you" a bracket paired it with (``paired``: name -> pronoun); the other
    side of a two-party preamble; what the contract has it do; the other side again.

    Returns the parties (a role may stay None) and whether the document is written by the
    client ("we" is the client)."""
    vendors = {n for n, r in parties if r is None and _is_vendor(text, n)}
    out = [(n, r or _role_by_use(text, n, strong=True)) for n, r in parties if n not in vendors]
    by_client = P.reversed_by_brackets(paired, dict(out))
    undecided = [n for n, r in out if r is None]
    if by_client is None and len(out) == 2 and len(undecided) == 1 and undecided[0] in paired:
        # 'Hearthlight ("we", "us")' and 'Bytown, which "will supply" the advisor': the paired
        # party is the other one's opposite, and that says who "we" is
        known = next(r for _, r in out if r)
        by_client = P.reversed_by_brackets(paired, {undecided[0]: _opposite(known)})
    if by_client is None:
        by_client = P.reversed_by_use(text)
    out = [
        (n, r or (P.default_role(paired[n], by_client) if n in paired else None)) for n, r in out
    ]
    if len(out) == 2 and not vendors and sum(1 for _, r in out if r) == 1:
        # A two-party preamble with one role stated: the other party is the opposite one, however
        # the text later has it act ("the Company will provide access" keeps it the client).
        known = next(r for _, r in out if r)
        out = [(n, r or _opposite(known)) for n, r in out]
    out = [(n, r or _role_by_use(text, n)) for n, r in out]
    resolved = {r for _, r in out if r}
    if len(out) == 2 and not vendors and len(resolved) == 1:  # two parties: the other one
        other = "client" if "provider" in resolved else "provider"
        out = [(n, r or other) for n, r in out]
    return out, by_client
