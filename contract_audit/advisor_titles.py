"""Advisor titles: when a capitalised title a contract invents names its IT advisor.

Contracts invent titles faster than a vocabulary can list them ("Technology Navigator",
"Strategic IT Adviser ("SITA")", "Outsourced Head of Technology"). These tests read a title's
words (a cue word, a technology word with a person's role noun), its acronym or short form, and
what the contract has its holder do, so a new title is recognised without a new cue.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from contract_audit.name_uses import MIN_BARE_USES, mention_ends, tally
from contract_audit.vocabulary import TECH_WORDS, Vocabulary, alternation, has, usable

# The last word of a person's title: "Technology Alignment Manager" is someone, "Information
# Security Requirements" is a document.
_ROLE_HEADS = frozenset(
    "manager director officer lead leader partner executive head consultant advisor adviser "
    "specialist strategist navigator steward architect principal coordinator champion guide "
    "counsel counsellor counselor sponsor owner liaison analyst expert mentor coach".split()
)
# Heads too generic to stand alone for the advisor ("the Manager" may be anyone's).
_GENERIC_HEADS = frozenset(
    "manager director officer lead leader partner executive member head consultant advisor "
    "adviser specialist engineer representative team services service contact owner".split()
)
_ACRONYM = re.compile(r"[A-Z][A-Za-z]?[A-Z]{1,5}s?")
_WORDS_BEFORE = re.compile(r"((?:(?:[A-Z][\w\-]*|of|for|and)\s+){1,6})[,\s]*$")
# "Outsourced Head of Technology ("OHT")": an IT leader's title, whatever the first word
# ("Head of Client Technology": one qualifying word may come between)
_IT_HEAD = re.compile(
    r"\b(?:Head|Director|Chief|Lead|Leader|Manager)\s+of\s+(?:[A-Z][a-z]+\s+)?(?:Technology|IT"
    r"|Digital|Information|ICT|Systems)\b"
)


def advisor_name(name: str, vocab: Vocabulary) -> bool:
    """The name itself says advisor ("Technology Advisor", "Lead vCIO")."""
    return has(name, vocab.advisor)


def it_role(role: str) -> bool:
    """An IT role ("fractional CIO", "technology advisor"), not a "risk advisor" or "tax adviser":
    a named person only becomes the IT advisor for one of these."""
    return any(
        w.lower() in TECH_WORDS or w.lower().startswith(("vcio", "vcto"))
        for w in re.findall(r"[A-Za-z\-]+", role)
    )


def tech_person(name: str) -> bool:
    """A title whose leading words are about technology ("Digital Steward"), or an IT leader's
    ("Fractional Head of Technology")."""
    words = [w.lower() for w in re.findall(r"[A-Za-z]+", name)]
    return len(words) >= 2 and (
        any(w in TECH_WORDS for w in words[:-1]) or _IT_HEAD.search(name) is not None
    )


def _role_head(name: str) -> bool:
    return (
        name.split()[-1].lower().rstrip("s") in _ROLE_HEADS
        or name.split()[-1].lower() in _ROLE_HEADS
    )


# a title glossed in a bracket of its own just before the definition (a translation)
_GLOSS = re.compile(r"\(([^()\n\"“”]{1,60})\)\s*$")


def _expanded_acronym(text: str, start: int, name: str) -> str | None:
    """The capitalised words just before a bracket that ``name`` abbreviates: Technology
    Alignment Manager ("TAM"), Strategic IT Adviser ("SITA")."""
    before = text[max(0, start - 80) : start]
    gloss = _GLOSS.search(before)
    if gloss:  # 'a Responsable de Estrategia TI (IT Strategy Lead) (hereinafter, the "Lead")'
        before = gloss.group(1) + " "
    if " " not in name and name[:1].isupper() and not name.isupper():
        # Technology Navigator (the "Navigator"): a short form of the words before the bracket
        m = _WORDS_BEFORE.search(before)
        words = m.group(1).split() if m else []
        if len(words) >= 2 and words[-1] == name:
            return " ".join(words[-3:])
        if len(words) >= 3 and words[-3] == name and words[-2] in ("of", "for"):
            # Outsourced Director of Technology (the "Director"): the head before "of"
            run = words[-5:]
            while not run[0][:1].isupper():
                run = run[1:]
            return " ".join(run)
        return None
    if not _ACRONYM.fullmatch(name):
        return None
    letters = name.rstrip("s") if name.endswith("s") and name[:-1].isupper() else name
    m = _WORDS_BEFORE.search(before)
    if m is not None:
        long = _spelled_by(m.group(1).split(), letters, tail_only=True)
        if long:
            return long
    if len(letters) >= 3:
        # 'our Strategic Technology Advisor program. ... a team member (your "STA")': the
        # title the acronym spells may stand a little earlier than the bracket
        for run in _CAPITALISED_RUN.finditer(text, max(0, start - ACRONYM_REACH), start):
            long = _spelled_by(run.group(0).split(), letters, tail_only=False)
            if long:
                return long
    return None


ACRONYM_REACH = 600  # characters before a bracket where the title an acronym spells may stand
_CAPITALISED_RUN = re.compile(r"\b[A-Z][\w\-]*(?:\s+(?:of\s+|for\s+|and\s+)?[A-Z][\w\-]*){1,5}")


def _spelled_by(words: list[str], letters: str, *, tail_only: bool) -> str | None:
    """The words (a tail of ``words``, or any run of them) whose initials spell ``letters``:
    "Technology Alignment Manager" for TAM, "Strategic IT Adviser" for SITA."""
    spans = [(len(words) - k, len(words)) for k in range(len(words), 0, -1)]
    if not tail_only:
        spans = [(i, j) for i in range(len(words)) for j in range(len(words), i, -1)]
    for i, j in spans:
        tail = words[i:j]
        if not tail[0][:1].isupper() or not tail[-1][:1].isupper():
            continue
        capitals = [w for w in tail if w[:1].isupper()]  # "of" is not in the initials
        initials = "".join(w[0] for w in capitals)
        spelled = "".join(w if w.isupper() and len(w) <= 3 else w[0] for w in capitals)
        if letters.upper() in (initials.upper(), spelled.upper()) and len(capitals) >= 2:
            return " ".join(tail)
    return None


def expanded_title(text: str, start: int, name: str, vocab: Vocabulary) -> str | None:
    """The advisor title a bracket at ``start`` abbreviates: Technology Alignment Manager
    ("TAM"), Technology Navigator (the "Navigator"); None when the words before are no
    advisor's title."""
    long = _expanded_acronym(text, start, name)
    if long and (
        advisor_name(long, vocab)
        or (tech_person(long) and _role_head(long))
        or _IT_HEAD.search(long)
    ):
        return long
    return None


def short_form(text: str, name: str, vocab: Vocabulary) -> str | None:
    """The last word of a multi-word advisor title used alone ("the Navigator" for a defined
    "Technology Navigator"), when it is distinctive and the contract uses it bare at least twice."""
    words = name.split()
    if len(words) < 2 or "of" in words:
        return None  # "Group Head of IT": its last word is no short form ("the IT team")
    head = words[-1]
    low = head.lower()
    if (
        not head[:1].isupper()
        or (low in _GENERIC_HEADS and not _sole_title(text, words))
        or low in vocab.known
        or not usable(head, vocab)
    ):
        return None
    bare = re.findall(
        r"\b(?:the|your|our|its|their|each|a|an|The|Your|Our|Each)\s+"
        + re.escape(head)
        + r"s?\b(?!\s+[A-Z])",
        text,
    )
    return head if len(bare) >= MIN_BARE_USES else None


# Capitalised words that open a noun phrase, not a title ("The Lead", "Our Director").
DETERMINERS = frozenset("The Your Our Its Their This That Each A An Any Such Every".split())


def _sole_title(text: str, words: list[str]) -> bool:
    """Whether the advisor's title is the only one the text ends with its generic head: then
    "the Lead" can only be the "Technology Roadmap Lead" (not with a "Project Lead" about)."""
    head = words[-1]
    before = {
        m.group(1) for m in re.finditer(r"\b([A-Z][\w\-]*)\s+" + re.escape(head) + r"\b", text)
    }
    return before - DETERMINERS <= {words[-2]}


# A title a contract gives its advisor: capitalised words ending in a person's role noun.
_TITLE_NAME = re.compile(
    r"\b(?:[Tt]he|[Yy]our|[Oo]ur|[Ii]ts|[Aa]n?|[Ee]ach)\s+((?:[A-Z][A-Za-z\-]+\s+){0,3}(?:"
    + "|".join(sorted(h.capitalize() for h in _ROLE_HEADS))
    # "the Fractional Head of Technology", "the Head of IT Strategy"
    + r")(?:\s+of\s+(?:IT|ICT|Technology|Digital|Information\s+Technology|Systems)"
    r"(?:\s+Strategy)?)?)\b(?!\s+[A-Z])"
)
# What only an advisor does: advise, or own the client's technology strategy, roadmap or budget,
# or carry out the CIO role.
_ADVISES = re.compile(
    # "- your Tech Navigator - who gets to know how your business runs and helps you ..."
    r"(?:\s*[-–—]\s+who\s+[^.;:\n]{0,60}?\band(?=\s+helps?\b))?"
    r"\s+(?:who\s+|which\s+)?(?:shall|will|must|is\s+to|is\s+responsible\s+for|agrees\s+to)?"
    r"\s*(?:also\s+)?(?:(?:advise|advises|advising|counsel|counsels|guide|guides|recommend|recommends)\b"
    # "will:" and a list whose items (a few lines) include the technology roadmap or budget
    r"|:[ \t]*\n(?:[^\n]*\n){0,5}?[^\n]*?(?:technology|IT|ICT|digital)\s+"
    r"(?:strategy|roadmap|budget)"
    # "gives you practical recommendations", "helps you plan ahead"
    r"|(?:give|gives|offer|offers)\s+(?:you\s+|the\s+\w+\s+)?(?:[\w\-]+\s+)?"
    r"(?:recommendations|advice|guidance)\b"
    r"|(?:help|helps)\s+(?:you|the\s+\w+)\s+(?:to\s+)?(?:plan|think\s+ahead"
    # "helps you make sensible calls about technology"
    r"|make\s+(?:[\w\-]+\s+){0,2}(?:decisions|calls|choices)\s+(?:about|on)\s+(?:your\s+)?"
    r"(?:technology|IT)\b)\b"
    r"|(?:prepare|prepares|develop|develops|maintain|maintains|own|owns|lead|leads|produce"
    r"|produces|draft|drafts|preparing|developing|leading|direct|directs)\s+"
    r"(?:[\w,'’\-]+\s+){0,5}?(?:technology|IT|digital|ICT|information\s+technology)\s+"
    r"(?:strategy|strategies|roadmaps?|plans?|planning|budgets?)"
    r"|(?:perform|performs|provide|provides|deliver|delivers|carry\s+out|carries\s+out)\s+"
    r"(?:the\s+)?(?:[\w\-]+\s+){0,2}?(?:CIO|vCIO|virtual\s+CIO|strategic\s+advisory|advisory"
    r"|technology\s+advisory|technology\s+leadership|strategic\s+technology)\b"
    r"|(?:acts?|serves?|functions?)\s+as\s+(?:the\s+)?(?:[\w'’]+\s+){0,3}?(?:CIO|CTO"
    r"|chief\s+information\s+officer|chief\s+technology\s+officer|IT\s+director|head\s+of\s+IT"
    r"|technology\s+lead(?:er)?))",
    re.IGNORECASE,
)


# An advisor word right before a capitalised title: 'a vCIO Success Partner', 'our virtual CIO
# Navigator'. The title used alone afterwards ("your Success Partner will ...") is the advisor.
_CUE = r"(?:v-?C[IT]Os?|(?:virtual|fractional|part-time|outsourced)\s+C[IT]Os?)"
_CUED_TITLE = re.compile(
    r"\b"
    + _CUE
    + r"\s+((?:[A-Z][A-Za-z\-]+\s+){0,2}(?:"
    + "|".join(sorted(h.capitalize() for h in _ROLE_HEADS))
    + r"))\b(?!\s+[A-Z])"
)
_CUED_BEFORE = re.compile(_CUE + r"\s+$", re.IGNORECASE)


def cued_titles(text: str, vocab: Vocabulary) -> list[str]:
    """Titles an advisor word qualifies ('a vCIO Success Partner') that the contract then uses
    alone at least twice: a title invented for the advisor, whatever its words."""
    found: list[str] = []
    for m in _CUED_TITLE.finditer(text):
        name = m.group(1)
        if name in found or not usable(name, vocab):
            continue
        if len(name.split()) == 1 and name.lower() in _GENERIC_HEADS:
            continue  # "vCIO Manager": the head alone may be anyone's
        bare = [
            e
            for e in mention_ends(text, name)
            if not _CUED_BEFORE.search(text, max(0, e - len(name) - 30), e - len(name))
        ]
        if len(bare) >= MIN_BARE_USES:
            found.append(name)
    return found


def advisors_by_duties(text: str, vocab: Vocabulary, clients: Sequence[str]) -> list[str]:
    """A title whose holder the contract has advise, own the technology strategy or roadmap, or
    carry out the CIO role ("The Technology Steward shall advise the Trust ...") is the advisor,
    whatever the title: contracts invent titles faster than a vocabulary can list them. A title
    the client's own staff carry ("the Customer's Finance Director") never is."""
    client_owner = alternation(tuple(c.lower() for c in (*clients, *vocab.client)))
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
        if name in owned or not usable(name, vocab):
            continue
        words = name.split()
        if len(words) == 1 and name.lower() in _GENERIC_HEADS:
            continue  # "the Manager" may be anyone's; "the Navigator" is somebody's title
        ends = mention_ends(text, name)
        head = words[-1]
        if len(words) > 1 and head.lower() not in _GENERIC_HEADS and tech_person(name):
            # "the services of an IT Governance Coordinator. ... The Coordinator shall direct
            # the annual technology planning": a title introduced once, then used by its head
            n += counts.get(head, 0)
            ends += mention_ends(text, head) if counts.get(head) else []
        if n >= 2 and tally(text, ends, _ADVISES):
            found.append(name)
    return found
