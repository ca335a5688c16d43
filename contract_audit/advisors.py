"""Advisor recognition: the names a contract gives the person who is its IT advisor.

Rules say "vCIO", but a contract defines its own advisor: ``"Technology Steward" means the
individual ...``, ``Your Client Success Manager serves as your virtual CIO``, ``Provider will
assign Ms. Jane Roe as the Client's Strategy Lead``, ``Ana Ruiz ("Ms. Ruiz")``. This module reads
those definitions and phrases; what makes a title an advisor's is in
:mod:`contract_audit.advisor_titles`, personal names in :mod:`contract_audit.persons`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence

from contract_audit.advisor_titles import DETERMINERS, advisor_name, it_role, tech_person
from contract_audit.name_uses import SENTENCE_END
from contract_audit.persons import PERSON_NAME, TITLE, person_name
from contract_audit.vocabulary import Vocabulary, clean, has, usable

# A definition that "means the individual / person / employee ..." defines a person.
_QUALITY = r"(?:(?:named|designated|senior|qualified|experienced|principal)\s+)"
_PERSON = re.compile(
    r"^\s*(?:the|an?|any|each|one|such)?\s*" + _QUALITY + r"?"
    r"(?:\w[\w\-]*\s+)?"  # one word first: "the Umhlanga consultant" (the provider's name)
    + _QUALITY  # "the Boréal senior consultant named in Schedule B"
    + r"?(?:individual|person|employee|member|officer|consultant|professional|staff\s+member"
    r"|team\s+member|adviser|advisor|executive|specialist|technologist|strategist|expert|engineer)s?\b",
    re.IGNORECASE,
)
# "Technology Steward" means ... / "Strategy Lead" shall mean ... / "vCIO" refers to ...
_TERM = r"[\"“]((?:the\s+)?[A-Za-z][A-Za-z0-9&\-’' ]{0,38}[A-Za-z0-9])[\"”]"
# '"Technology Lead" means ...', and '"Technology Lead" or "TL" means ...' (both names defined)
_MEANS = re.compile(
    _TERM + r"(?:\s*(?:,|or|and)\s*" + _TERM.replace("(", "(?P<alt>", 1) + r")?\s*(?:,\s*)?"
    r"(?:means|shall\s+mean|will\s+mean|refers\s+to|has\s+the\s+meaning|is\s+the\s+(?=individual|person)"
    # a definition list in continental drafting: "c. \"Digital Transformation Lead\" or \"DTL\": the
    # natural person designated by the Provider ..."
    r"|:(?=[ \t]+(?:the|a|an|any)\s))"
    r"\s*(?P<body>[^\n;]{0,400})"  # up to a ";": several definitions may share a line
)
# "Your Client Success Manager serves as your virtual CIO", "a Lead Consultant who will act as
# the Client's fractional CIO": a capitalised role noun introduced as the advisor.
_SERVES_AS = re.compile(
    # at a sentence start, or as what is provided: "Benmore will provide a Technology Convenor,
    # who will act as the Co-operative's part-time head of IT"
    r"(?:^|(?<=[.;:!?]\s)|(?<=\n)|(?<=\bprovide\s)|(?<=\bprovides\s)|(?<=\bsupply\s)"
    r"|(?<=\bassign\s)|(?<=\bassigns\s))[ \t]*"
    r"(?:\(?[a-z0-9]{1,3}[.)]\s+|\d{1,3}(?:\.\d{1,3})+\.?\s+)?"  # "(b) ", "4.1 "
    r"(?:[Yy]our|[Oo]ur|[Tt]he|[Aa]n?|[Ee]ach|[Ii]ts)\s+"
    r"((?:[A-Z][a-z][\w\-]*\s+){0,3}[A-Z][a-z][\w\-]*)"
    # "Your Technology Partner is a senior Lionsgate consultant who acts as your virtual CIO"
    r"\s*,?\s*(?:is\s+(?:a|an|the|one\s+of)\s+(?:[\w\-]+\s+){0,5}?(?=who\s|which\s))?"
    r"(?:who\s+|which\s+)?(?:will\s+|shall\s+|is\s+to\s+|is\s+going\s+to\s+)?"
    r"(?:personally\s+)?(?:serves?|acts?|functions?|operates?)\s+as\s+"
    r"(?:(?:your|the|its|our|their|an?)\s+)?(?:[A-Z][\w\-]*['’]s\s+)?([^.;:\n]{0,40})"
)
# "Ana Ruiz, our principal, will serve as your fractional CIO"
_PERSON_SERVES = re.compile(
    # (also mid-sentence after "acting through its principal, Daniel Okafor, will serve as")
    r"(?:^|(?<=[.;:!?]\s)|(?<=\n)|(?<=principal,\s))[ \t]*"
    r"(?:\(?[a-z0-9]{1,3}[.)]\s+|\d{1,3}(?:\.\d{1,3})+\.?\s+)?"
    r"(?:(?:[A-Z][\w\-]*['’]s|[Oo]ur|[Tt]he|[Ii]ts|[Tt]heir)\s+(?:[a-z][\w\-]*\s+){0,2}"
    r"[a-z][\w\-]*,\s+)?"  # "Corbel's principal, Devika Raman, ...": an apposition first
    r"(" + PERSON_NAME + r")"
    r"\s*(?:,[^,.;\n]{1,80},|,)?\s*(?:will\s+|shall\s+|is\s+to\s+)?(?:personally\s+)?"
    r"(?:serves?|acts?|functions?)\s+as\s+(?:(?:your|the|its|our|their|an?)\s+)?"
    r"(?:[A-Z][\w\-]*['’]s\s+)?([^.;:(\n]{0,40})"
)
# "Provider will assign Ms. Jane Roe as the Client's Strategy Lead"
_APPOINTED_AS = re.compile(
    r"\b(?:assigns?|appoints?|designates?|nominates?|assigned|appointed|designated|nominated"
    r"|(?:make|makes|made)\s+available|services\s+of)\s+"
    # "make available Ms Eilidh Corkill, your senior consultant, as our Technology Partner"
    r"(?:(" + PERSON_NAME + r"|(?:Mr|Ms|Mrs|Miss|Mx|Dr)\.?\s+[A-Z][a-z]+)(?:,[^,;\n]{1,60},)?\s+"
    r"|[^;\n]{0,60}?\b)as\s+"
    r"(?:(?:your|the|its|our|their|an?)\s+)?(?:[A-Z][\w\-]*['’]s\s+)?[\"“]?"
    # 'as the Council's "IT Director as a Service"': a title may be quoted and start with "IT"
    r"((?:[A-Z][A-Za-z][\w\-]*\s+){0,3}[A-Z][A-Za-z][\w\-]*)"
)
# 'a named senior consultant designated the "Technology Advisory Lead" or "TAL"', 'a named
# technology advisor we call "your Tech Coach"': a quoted title given without a bracket, and a
# short second name for it
_DESIGNATED_QUOTED = re.compile(
    r"\b(?:designated|called|named|styled|titled|known\s+as|referred\s+to\s+as"
    r"|(?:we|you|they)\s+call)\s+(?:as\s+)?"
    r"(?:the\s+|an?\s+|its\s+|our\s+)?[\"“](?:your\s+|our\s+|the\s+)?"
    r"([A-Z][A-Za-z\-]*(?:\s+[A-Z][A-Za-z\-]*){0,3})[.,]?[\"”]"
    r"(?:\s*(?:,|or|and)\s*(?:the\s+)?[\"“]([A-Z][A-Za-z]{1,7})[\"”])?"
)
# "nominate one of its Technology Partner Leads to act as the Customer's virtual CIO"
_TO_ACT_AS = re.compile(
    r"\b(?:(one\s+of\s+(?:its|our|their)\s+)|(?:its|our|their|the|an?)\s+)"
    r"(?:(?:senior|named|dedicated|designated|experienced|qualified)\s+)?"  # "a senior X"
    # ("to make the Nominated Person available to act as the Company's part-time CTO")
    r"((?:[A-Z][a-z][\w\-]*\s+){0,3}[A-Z][a-z][\w\-]*),?\s+(?:available\s+)?"
    r"(?:who\s+(?:will|shall)\s+|to\s+)"
    r"(?:act|serve|function)\s+as\s+(?:(?:your|the|its|our|their|an?)\s+)?"
    r"(?:[A-Z][\w\-]*['’]s\s+)?([^.;:\n]{0,40})"
)
# 'shall appoint from among its employees an IT coordinator whose task is to prepare the Client's
# IT development plan ... and to advise the Client': a title in lower case, unbracketed, made the
# advisor's by the duties that follow it
_APPOINTED_TO_ADVISE = re.compile(
    r"\b(?:appoints?|appointed|designates?|designated|assigns?|assigned|nominates?|nominated)\s+"
    r"(?:from\s+among\s+[^.;:()\n]{0,60}?\s+)?(?:an?|one)\s+((?:[\w\-]+\s+){0,2}?[\w\-]+)\s+"
    r"(?:whose\s+(?:task|role|duty|duties|function)|who\s+(?:shall|will)|responsible\s+for"
    r"|in\s+charge\s+of)\b([^.;\n]{0,200})"
)
_ADVICE_DUTY = re.compile(
    r"\b(?:advis\w*|recommend\w*|roadmap|strategy|development\s+plan|budget"
    r"|technolog\w*\s+(?:choices|decisions)|planning\s+of\s+(?:the\s+)?(?:IT\s+)?investments)"
)
# 'The Supplier indicates as technology contact person Mr Luca Bertinetti, who shall assist the
# Client in the evaluation of technological choices': a lower-case title, then its holder, then
# the duties that make it the advisor's
_NAMED_AS_TITLE = re.compile(
    r"\b(?:appoints?|appointed|designates?|designated|indicates?|indicated|identifies|identified"
    r"|names?|named|nominates?|nominated)\s+as\s+(?:(?:its|the|their|our)\s+)?"
    r"((?:[a-z][\w\-]*\s+){0,2}?[a-z][\w\-]*)\s+(" + PERSON_NAME + r"),?\s+"
    r"(?:who|whose)\b([^.;\n]{0,200})"
)
# 'is assigned a Trail Guide, our name for the senior technology adviser who helps you plan
# ahead': a brand title glossed by the plain one it stands for
_NAME_FOR = re.compile(
    r"\b(?:an?|the|your)\s+((?:[A-Z][\w\-]*\s+){0,3}[A-Z][\w\-]*),\s+(?:our|the|its|their|a)\s+"
    r"(?:name|term|title|label)\s+for\s+(?:the|an?|your|our)\s+([^.;:\n]{0,60})"
)
_NAME_FOR_HINT = re.compile(r"\b(?:name|term|title|label)\s+for\s", re.IGNORECASE)
# "Technology Account Lead acting as Virtual IT Director" (an order line, a table cell): a title
# of two or more capitalised words, with no article or sentence start needed.
_ACTING_AS = re.compile(
    r"((?:[A-Z][a-z][\w\-]*\s+){1,3}[A-Z][a-z][\w\-]*),?\s+(?:acting|serving|functioning)\s+as\s+"
    r"(?:(?:your|the|its|our|their|an?)\s+)?(?:[A-Z][\w\-]*['’]s\s+)?([^.;:|\n]{0,40})"
)
# "Your Strategist is Rangi Te Huia.", "Virtual Technology Officer (VTO), currently Sione
# Fakatava": a title, then the person who holds it now.
_HELD_BY = re.compile(
    r"\b(?:(?:Your|Our|The)\s+((?:[A-Z][\w\-]*\s+){0,3}[A-Z][\w\-]*)\s+(?:is|will\s+be)\s+"
    r"|((?:[A-Z][\w\-]*\s+){0,3}[A-Z][\w\-]*)(?:\s*\([^()\n]{1,12}\))?,\s+)"
    r"(?:currently|presently|initially)?\s*(" + PERSON_NAME + r")\b"
)
# What stands before a title held by the client's own officer, or cut from a longer title.
_CLIENT_OFFICER = re.compile(
    r"(?:\b(?:your|Your)\s+|\b(?:Client|Customer|Company|client|customer|company)['’]s\s+"
    r"(?:[A-Z][\w\-]*\s+){0,3}|\bof\s+)$"
)
# A title some named party holds ("the Insurer's ", "Harbourlight's "), and what marks a title
# held from outside the client ("Fractional CIO", "vCIO", "Virtual IT Director").
# (the front of a title the pattern cut at "and" counts: "THE INSURER's Systems and Technology
# Manager, currently Mr. Gustavo Ibarzábal" is the client's officer)
_POSSESSED = re.compile(r"\b[A-Z][\w\-]*['’]s\s+(?:(?:[A-Z][\w\-]*|and|&)\s+){0,4}$")
_OFFICE = re.compile(r"\b(?:Chief|Head|Director|Officer|Manager|C[EFIOT]O|CDO|CISO)\b")
# "We also give you a Strategic IT Counsel.", "Provider will assign the Client a dedicated
# Technology Liaison": a technology title handed to the client is its advisor.
_GIVEN = re.compile(
    r"\b(?:give|gives|provide|provides|assign|assigns|allocate|allocates)\s+"
    r"(?:you|the\s+[A-Z][\w\-]*|[A-Z][\w\-]*)\s+(?:with\s+)?(?:a|an|one)\s+"
    r"(?:named\s+|dedicated\s+|senior\s+|designated\s+)?((?:[A-Z][\w\-]*\s+){1,3}[A-Z][\w\-]*)"
)
_HELD_HINTS = re.compile(
    r"\b(?:is|will\s+be|currently|presently|initially)\s+"
    r"(?:(?:Mr|Ms|Mrs|Miss|Mx|Dr)\.?\s+)?[A-Z][a-z]+\s+[A-Z][a-z]"
)
# The rare words the patterns above hinge on, found in one pass over the text.
_HINTS = re.compile(
    r"\b(?:(?P<acting>(?:acting|serving|functioning)\s+as)"
    r"|(?P<to>(?:to|will|shall)\s+(?:act|serve|function)\s+as)"
    r"|(?P<serve>(?:serves?|acts?|functions?|operates?)\s+as)"
    r"|(?P<appoint>assigns?|assigned|appoints?|appointed|designates?|designated|nominates?"
    r"|nominated|(?:make|makes|made)\s+available|services\s+of)"
    r"|(?P<named_as>(?:indicates?|indicated|identifies|identified|names?|named)\s+as))\b"
)
# (also 'Imogen Threlfall (the "Individual"), has agreed to act through the Supplier as the
# Charity's part-time interim Head of Digital')
_AS_AFTER = re.compile(
    r"^\W{0,3}\s*(?:who|which)?\s*(?:will\s+|shall\s+|to\s+|has\s+agreed\s+to\s+|agrees\s+to\s+)?"
    r"(?:personally\s+)?(?:serves?|acts?|functions?)\s+(?:through\s+the\s+[A-Z][\w\-]*\s+)?as\s+"
    r"([^.;:(\n]{0,80})"
)
_AS_BEFORE = re.compile(r"\b(?:serves?|serve|acts?|act|functions?)\s+as\s+([^.;:()\n]{0,40})$")


def defined_terms(text: str) -> tuple[dict[str, str], dict[str, str]]:
    """Every ``"X" means ...`` definition: term -> definition, and a second name defined with
    the first ('"X" or "Y" means') -> the first. A numbered list of unquoted definitions
    ("2) Virtual IT Manager or VITM - the natural person designated by the Contractor") counts
    too, where no quoted definition of the term exists."""
    means: dict[str, str] = {}
    also: dict[str, str] = {}
    for m in _MEANS.finditer(text):
        means[clean(m.group(1))] = m.group("body")
        if m.group("alt"):
            also[clean(m.group("alt"))] = clean(m.group(1))
    persons = (m for m in _LINE_DEFINITION.finditer(text) if _PERSON.match(m.group("body")))
    for m in (*_LISTED_DEFINITION.finditer(text), *persons):
        term = clean(m.group(1))
        if term not in means:
            means[term] = m.group("body")
            if m.group("alt"):
                also.setdefault(clean(m.group("alt")), term)
    return means, also


# "2) Virtual IT Manager or VITM - the natural person designated by the Contractor ...": a list
# item defining a capitalised term with a dash (or colon) and an article
_LISTED_DEFINITION = re.compile(
    r"^[ \t]*(?:\(?\d{1,2}[.)]|\(?[a-z][.)])[ \t]*"
    r"([A-Z][A-Za-z0-9&’'\-]*(?:[ \t]+[A-Z][A-Za-z0-9&’'\-]*){0,4})"
    r"(?:[ \t]+or[ \t]+(?P<alt>[A-Z][A-Za-z0-9]{1,10}))?"
    r"[ \t]*[-–—:][ \t]+(?:means[ \t]+)?(?P<body>(?:the|a|an)[ \t][^\n;]{0,400})",
    re.MULTILINE,
)

# "Fractional CDO means the individual named in Schedule 1 ...": a definitions clause in the
# New Zealand and Australian manner, one unquoted term per line (read for a person only: an
# unquoted "Virtual CIO Services means the strategic advisory services" stays a service)
_LINE_DEFINITION = re.compile(
    r"^[ \t]*([A-Z][A-Za-z0-9&’'\-]*(?:[ \t]+[A-Z][A-Za-z0-9&’'\-]*){0,4})"
    r"(?P<alt>)[ \t]+(?:means|shall[ \t]+mean)[ \t]+(?P<body>(?:the|a|an|any)[ \t][^\n;]{0,400})",
    re.MULTILINE,
)


def defined_advisors(means: Mapping[str, str], vocab: Vocabulary) -> list[str]:
    """The defined terms that name the advisor: a person whose definition (or name) is about
    advice ('"Technology Steward" means the individual who advises ...')."""

    def expanded(definition: str) -> str:
        """A definition plus the definitions of the defined terms it mentions (one hop)."""
        extra = [body for term, body in means.items() if term and term in definition]
        return " ".join([definition, *extra])

    found = []
    for term, body in means.items():
        if not usable(term, vocab):
            continue
        body = SENTENCE_END.split(body, 1)[0]
        if advisor_name(term, vocab):
            found.append(term)
        elif _PERSON.match(body) and (
            tech_person(term)
            or has(expanded(body), vocab.advisor + vocab.advice)
            or _GUIDES_PLANNING.search(body)
            or ((role := _TO_ACT_AS_ROLE.search(body)) and _leads_it(role.group(1), vocab))
        ):
            found.append(term)
        elif (title := _MEANS_TITLE.match(body)) and (
            advisor_name(title[1], vocab) or tech_person(title[1])
        ):
            found.append(term)  # '"SSC" means the Systems Strategy Consultant'
    return found


def defined_advisor_forms(means: Mapping[str, str], vocab: Vocabulary) -> list[str]:
    """Defined technology titles ending in a party word the rules know, for a person who
    advises ('"IT Consultant" means the employee of the Contractor who is assigned ... to give
    advice to the Employer's management'), and a party word defined as the person another party
    assigns ('"Consultant" means the technology advisory consultant assigned by the Service
    Provider'): the advisor, though "consultant" alone would read as the provider."""
    out = []
    for term, body in means.items():
        if usable(term, vocab):
            continue
        first = SENTENCE_END.split(body, 1)[0]
        person = (
            _ASSIGNED_PERSON.match(first)
            if term.lower() in vocab.known
            else tech_person(term) and _PERSON.match(first)
        )
        if person and has(first, vocab.advisor + vocab.advice):
            out.append(term)
    return out


_ASSIGNED_PERSON = re.compile(
    r"\s*the\s+(?:[\w\-]+\s+){0,4}(?:consultant|adviser|advisor|officer|manager|lead|director)\s+"
    r"(?:assigned|appointed|designated|seconded|nominated|provided|made\s+available)\s+by\s+the\b",
    re.IGNORECASE,
)


# a person "assigned to Customer's account to guide Customer's technology planning"
_GUIDES_PLANNING = re.compile(
    r"\b(?:guide|guides|steer|steers|lead|leads|shape|shapes|oversee|oversees)\s+"
    r"(?:(?:the\s+)?[\w\-]+['’]s\s+|your\s+|its\s+|their\s+)?(?:technology|IT|ICT|digital)\s+"
    r"(?:planning|plans?|strategy|decisions|roadmap|direction|investments?)\b",
    re.IGNORECASE,
)


# a person seconded "to act as the Company's technology steering lead": an IT leader's role
_TO_ACT_AS_ROLE = re.compile(
    r"\bto\s+(?:act|serve|function)\s+as\s+(?:the|its|your|their|an?)\s+(?:[\w\-]+['’]s\s+)?"
    r"([^,;.\n]{1,60})"
)


# A definition that is another name for a title: "means the Systems Strategy Consultant"
_MEANS_TITLE = re.compile(
    r"\s*(?:the|your|our|its)\s+((?:[A-Z][A-Za-z\-]*\s+){0,3}[A-Z][A-Za-z\-]*)"
    # '... means the Technology Relationship Manager nominated by the Service Provider'
    r"(?:\s*(?:[,.;(]|$)|\s+(?=(?:nominated|appointed|designated|assigned|named|described|referred"
    r"|identified|provided|seconded|made)\b))"
)


def person_title(term: str, means: Mapping[str, str]) -> bool:
    """A technology title defined as a person ('"Principal Technology Consultant" or "PTC" means
    the senior SRS staff member ...'), even when its head word is one the rules already know:
    a second name defined with it is the advisor's."""
    return tech_person(term) and _PERSON.match(means.get(term, "")) is not None


def known_title(name: str, vocab: Vocabulary) -> bool:
    """A name the cue lists already know as the advisor's ("vCIO")."""
    return name.lower() in vocab.known and advisor_name(name, vocab)


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


_LEADER = re.compile(r"\b(?:head|director|lead|chief|officer|manager|executive)\b", re.IGNORECASE)


def _leads_it(role: str, vocab: Vocabulary) -> bool:
    """An advisor word ("virtual CIO") or an IT leadership role ("part-time head of IT")."""
    return has(role, vocab.advisor) or (it_role(role) and bool(_LEADER.search(role)))


# Words that may stand before an advisor noun without naming a field of their own.
_RANKS = frozenset(
    "senior lead principal chief head client customer account trusted independent strategic "
    "named designated dedicated part-time external virtual fractional interim".split()
)


def _it_advisor_title(name: str, vocab: Vocabulary) -> bool:
    """An advisor title whose other words are IT words or ranks ("Technology Advisor", "Senior
    Adviser", "Advisor"), not one naming another field ("Creative Advisor" of an event agency,
    "Tax Adviser")."""
    if not advisor_name(name, vocab):
        return False
    others = [w for w in name.split() if not has(w, vocab.advisor)]
    return it_role(name) or all(w.lower() in _RANKS for w in others)


def introduced_advisors(text: str, vocab: Vocabulary) -> tuple[list[str], list[str]]:
    """Titles introduced as the advisor ("... serves as your virtual CIO", "one of its
    Technology Partner Leads to act as ...", "assign ... as the Client's Strategy Lead"), in
    the order found, and the named individuals who serve as the advisor ("Ana Ruiz, our
    principal, will serve as your fractional CIO": later "Ms. Ruiz" is the advisor too)."""
    titles: list[str] = []
    people: list[str] = []
    hints = list(_HINTS.finditer(text))
    serving = [h for h in hints if h.group("to") or h.group("serve")]
    to_act = [h for h in hints if h.group("to")]
    appointing = [h for h in hints if h.group("appoint")]
    acting = [h for h in hints if h.group("acting")]
    for m in _near(_SERVES_AS, serving, text, 90, 60):
        head = m.group(1).split()[-1].lower()
        if _leads_it(m.group(2).split(",")[0], vocab) and head not in vocab.known:
            titles.append(m.group(1))
    for m in _near(_TO_ACT_AS, to_act, text, 80, 60):
        name = m.group(2)
        if m.group(1) and name.endswith("s"):  # "one of its Technology Partner Leads"
            name = name[:-1]
        head = name.split()[-1].lower()
        if has(m.group(3).split(",")[0], vocab.advisor) and head not in vocab.known:
            titles.append(name)
    for m in _anchored(_APPOINTED_AS, appointing, text):
        name = m.group(2)
        if _it_advisor_title(name, vocab) or tech_person(name):
            titles.append(name)
            if m.group(1) and person_name(m.group(1), vocab):
                people.append(m.group(1))
    for m in _near(_ACTING_AS, acting, text, 60, 60):
        words = m.group(1).split()
        while words and words[0] in DETERMINERS:
            words = words[1:]
        name = " ".join(words)
        if len(words) < 2 or not _leads_it(m.group(2).split(",")[0], vocab):
            continue
        if person_name(name, vocab):
            people.append(name)
        elif name.split()[-1].lower() not in vocab.known:
            titles.append(name)
    for m in _GIVEN.finditer(text):
        title = m.group(1)
        if tech_person(title) or _leads_it(title, vocab):
            if title.split()[-1].lower() not in vocab.known:
                titles.append(title)
    for m in _near(_HELD_BY, list(_HELD_HINTS.finditer(text)), text, 60, 40):
        title = m.group(1) or m.group(2)
        if m.group(2) and not re.search(r",\s+(?:currently|presently|initially)\s", m.group(0)):
            continue  # "Title, Name" needs "currently": a bare apposition is a list
        if _CLIENT_OFFICER.search(text, max(0, m.start() - 40), m.start()):
            # "The Customer's Head of Digital Development, currently Annika Fröberg": the
            # client's own officer (and "Digital Development" only the tail of the title)
            continue
        if (
            _POSSESSED.search(text, max(0, m.start() - 40), m.start())
            and _OFFICE.search(title)
            and not _OUTSIDE.search(title)
        ):
            # "the Insurer's Chief Information Officer, currently Dr Matthias Rüegsegger": a
            # party's own officer; an advisor's office says it is held from outside ("the
            # Supplier's Fractional CIO"), and a title like "Technology Steward" is no office
            continue
        if (
            advisor_name(title, vocab) or _leads_it(title, vocab) or tech_person(title)
        ) and person_name(m.group(3), vocab):
            people.append(m.group(3))
            if title.split()[-1].lower() not in vocab.known:
                titles.append(title)
    for m in _near(_APPOINTED_TO_ADVISE, appointing, text, 0, 140):
        name = m.group(1)
        if tech_person(name) and _ADVICE_DUTY.search(m.group(2)) and name not in titles:
            titles.append(name)
    named_as = [h for h in hints if h.group("appoint") or h.group("named_as")]
    for m in _near(_NAMED_AS_TITLE, named_as, text, 0, 320):
        title = m.group(1)
        if (
            tech_person(title)
            and _ADVICE_DUTY.search(m.group(3))
            and person_name(m.group(2), vocab)
        ):
            people.append(m.group(2))
            if title not in titles:
                titles.append(title)
    for m in _near(_NAME_FOR, list(_NAME_FOR_HINT.finditer(text)), text, 80, 80):
        if _leads_it(m.group(2).split(",")[0], vocab) and m.group(1).split()[-1].lower() not in (
            vocab.known
        ):
            titles.append(m.group(1))
    for m in _DESIGNATED_QUOTED.finditer(text):
        if _it_advisor_title(m.group(1), vocab) or tech_person(m.group(1)):
            titles.extend(n for n in m.groups() if n and n.split()[-1].lower() not in vocab.known)
    for m in _near(_PERSON_SERVES, serving, text, 160, 60):
        target = m.group(2).split(",")[0]
        if person_name(m.group(1), vocab) and has(target, vocab.advisor) and it_role(target):
            people.append(m.group(1))
    return titles, people


def _introduced_as_advisor(text: str, start: int, end: int, vocab: Vocabulary) -> bool:
    """A bracket right after "serves as your virtual CIO", or right before "who acts as the
    Client's vCIO": the name in it is the advisor's."""
    after = _AS_AFTER.match(text[end : end + 160])
    before = _AS_BEFORE.search(text[max(0, start - 60) : start].rstrip())
    return any(m is not None and _leads_it(m.group(1), vocab) for m in (after, before))


# A technology title engaged part-time is the advisor's, even in a sentence without advice words:
# 'Contractor will furnish a leader to fill that role on a part-time basis (the "Fractional IT
# Executive" or "FITE")'.
_PART_TIME_WORDS = r"(?:fractional|interim|part[\s-]time)"
FRACTIONAL = re.compile(r"\b" + _PART_TIME_WORDS + r"\b", re.IGNORECASE)
_PART_TIME = re.compile(r"\b(?:" + _PART_TIME_WORDS + r"|outsourced|on[\s-]demand)\b", re.I)
_PART_TIME_BASIS = re.compile(r"\b" + _PART_TIME_WORDS + r"\s+basis\b", re.I)
# ... and a title held from outside the client ("the Supplier's Fractional CIO", "vCIO")
_OUTSIDE = re.compile(
    r"\b(?:" + _PART_TIME_WORDS + r"|outsourced|virtual|shared|v-?CIO|v-?CTO|v-?CISO)\b", re.I
)


# 'a Practice Technology Pathfinder (the "Pathfinder"), a Riverbend team member who helps ...',
# 'a professional qualified as Technology Governance Consultant (the "CONSULTANT")': the full
# title before a bracket, and the person it names after it or before it
# (a title may be written in lower case: 'the Executor appoints an IT development supervisor
# (hereinafter "the Supervisor")')
_TITLE_BEFORE_BRACKET = re.compile(
    r"(?<![\w\-])((?:(?!(?:an?|the|its|our|their|your|as|of|called|named|titled|designated"
    r"|appoints?|appointed|assigns?|assigned|designates|nominates?|nominated)\s)[\w\-]+\s+){1,4})"
    r"\(?\s*$",
    re.IGNORECASE,
)
# the nouns that describe someone on either side of the title
_PERSON_NOUN = (
    r"(?:team\s+member|staff\s+member|member\s+of|employee|consultant|person|individual"
    r"|professional|specialist|engineer|technologist)"
)
_PERSON_BEFORE_TITLE = re.compile(
    r"(?:\b" + _PERSON_NOUN + r"\s+(?:\w+\s+){0,2}?(?:as|called|titled|designated)"
    # ("appoints from among the employees of its sales department an IT development manager")
    r"|\b(?:appoints?|appointed|designates?|designated|assigns?|assigned|nominates?|nominated)"
    r"(?:\s+from\s+among\s+[^.;:()\n]{0,60}?)?"
    # "one of its employees ..., who shall perform the function of chief IT consultant"
    # ("a professional from the Supplier's staff, with the title of IT advisory specialist")
    r"|\b(?:perform|performs|hold|holds|holding|fill|fills|exercise|exercises|assume|assumes"
    r"|with|bearing)\s+the\s+(?:function|role|position|office|duties|title)\s+of)"
    r"\s+(?:an?\s+|the\s+|its\s+|one\s+)?$",
    re.IGNORECASE,
)
_PERSON_AFTER_BRACKET = re.compile(
    r"[\W]{0,4}\s*(?:an?|the|one\s+of\s+(?:our|its|the))\s+(?:[\w\-’']+\s+){0,3}?"
    + _PERSON_NOUN
    + r"\b",
    re.IGNORECASE,
)


# A post's present holder named right before a bracket: the bracket names the post, never a
# party ('places at its disposal a mandate lead holding the qualifications described in its
# offer, currently Mr Olivier Perrenoud (hereinafter "the Mandate Lead"), who advises the
# directorate on ...'); the post is the advisor's when its holder advises
HOLDER_BEFORE = re.compile(
    r"\b(?:currently|presently|at\s+present|namely)\s+(?:(?:Mr|Ms|Mrs|Miss|Mx|Dr)\.?\s+)?"
    r"(?:[A-Z][\w'’\-]*\s+){0,3}[A-Z][\w'’\-]*[\s,]*$"
)
_WHO_ADVISES = re.compile(r"\W{0,4}\s*who\s+(?:shall\s+|will\s+)?(?:advises?|counsels?)\b")


def bracketed_advisor(
    text: str, start: int, end: int, name: str, sentence: str, vocab: Vocabulary
) -> bool:
    """A name bracketed at ``text[start:end]`` that is the advisor's: its words say advisor
    (or technology, in a sentence about advice), or the bracket stands next to "serves as your
    virtual CIO", or it shortens a technology title a person holds ('a Practice Technology
    Pathfinder (the "Pathfinder"), a Riverbend team member who ...')."""
    if short_for_tech_person(text, start, end, name):
        return True
    if HOLDER_BEFORE.search(text, max(0, start - 80), start) and _WHO_ADVISES.match(
        text, end, min(len(text), end + 40)
    ):
        return True
    if advisor_name(name, vocab) or (
        tech_person(name)
        and (
            has(sentence, vocab.advisor + vocab.advice)
            or _PART_TIME.search(name) is not None
            or _PART_TIME_BASIS.search(sentence) is not None
        )
    ):
        return True
    return _introduced_as_advisor(text, start, end, vocab) and not has(
        name, vocab.client + vocab.provider
    )


def short_for_tech_person(text: str, start: int, end: int, name: str) -> bool:
    """The bracketed name is the last word(s) of a technology title standing right before the
    bracket, and a person is described right after the bracket or right before the title
    ("appoints an", "a professional qualified as", "perform the function of")."""
    before = _TITLE_BEFORE_BRACKET.search(text, max(0, start - 80), start)
    if before is None:
        return False
    title = " ".join(before.group(1).split())
    short = re.sub(r"^the\s+", "", name.lower())  # (hereinafter, "THE SPECIALIST")
    return (
        title.lower() != short
        and title.lower().endswith(short)
        and tech_person(title)
        and (
            _PERSON_AFTER_BRACKET.match(text, end, min(len(text), end + 80)) is not None
            or _PERSON_BEFORE_TITLE.search(text, max(0, before.start() - 80), before.start())
            is not None
        )
    )


def advisor_in_person(name: str, sentence: str, vocab: Vocabulary) -> bool:
    """'... acting through its principal, Ana Ruiz ("Ms. Ruiz")': a bracketed personal title in
    a sentence about the advisor or a principal names the advisor in person."""
    return bool(TITLE.match(name)) and bool(
        has(sentence, vocab.advisor) or re.search(r"\bprincipal\b", sentence)
    )
