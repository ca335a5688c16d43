"""Named individuals: "Ms. Ana Ruiz", "Tobias Marlow", and the forms a letter later uses.

A contract that names its advisor in person ("Ana Ruiz will serve as your fractional CIO")
then calls her "Ms. Ruiz" or just "Ana"; the advisor recognisers and the rewriting both need
to tell a personal name from a role or a firm, and to know its shorter forms.
"""

from __future__ import annotations

import re

from contract_audit.vocabulary import TECH_WORDS, Vocabulary

TITLE = re.compile(r"^(?:Mr|Ms|Mrs|Miss|Mx|Dr)\.?\s+")
# "Ms. Jane Roe", "Dr Roe", "Jane Roe" (as regex source, for the advisor phrases)
# (Latin letters with accents count: "Mrs. Hélène Rasquin", "Ondřej Novák", "Seán Ó Dálaigh")
UPPER = "A-ZÀ-ÖØ-ÞĀ-Ž"  # capital letters, accented Latin ones included
_LOW = "a-zß-öø-ÿā-ž"
_WORD = rf"[{UPPER}][{_LOW}]+"
PERSON_NAME = (
    rf"(?:(?:Mr|Ms|Mrs|Miss|Mx|Dr)\.?\s+{_WORD}(?:\s+{_WORD}){{0,2}}"
    rf"|{_WORD}(?:\s+{_WORD}){{1,2}})"
)
_NOT_A_FIRST_NAME = frozenset("the our your each this that any its their every all".split())
_PERSON_NAME_WORD = re.compile(r"[A-Z][a-z]{2,}")
MIN_FIRST_NAME_USES = 2


def person_name(name: str, vocab: Vocabulary) -> bool:
    """A personal name ("Ms. Ana Ruiz", "Tobias Marlow"), not a role or a firm."""
    words = TITLE.sub("", name).split()
    return (
        len(words) >= 1
        and words[0].lower() not in _NOT_A_FIRST_NAME
        and not any(w.lower() in vocab.known or w.lower() in TECH_WORDS for w in words)
        and (bool(TITLE.match(name)) or len(words) >= 2)
    )


def without_title(name: str) -> str:
    """A personal name without its title: "Ms. Ana Ruiz" -> "Ana Ruiz"."""
    return TITLE.sub("", name)


def first_name(text: str, name: str) -> str | None:
    """The first name of a named person, when the text uses it alone (not followed by the
    surname) at least twice: "Gareth Pryce ... Gareth will report to the Chief Executive"."""
    words = name.split()
    if len(words) < 2 or not _PERSON_NAME_WORD.fullmatch(words[0]):
        return None
    alone = re.findall(
        rf"(?<![\w\-]){re.escape(words[0])}(?![\w\-])(?!\s+{re.escape(words[1])})", text
    )
    return words[0] if len(alone) >= MIN_FIRST_NAME_USES else None
