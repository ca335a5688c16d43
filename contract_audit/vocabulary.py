"""The shared cue lists an alias decision reads, and the name tests built on them.

Both recognisers (:mod:`contract_audit.parties`, :mod:`contract_audit.advisors`) ask the same
questions of a name: does a cue word occur in it, which party role does it end on, is it worth
aliasing at all. They live here, below both, so neither recogniser imports the other's rules.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from contract_audit.pronouns import PRONOUNS

MAX_NAME_WORDS = 5
# Words a defined individual's name carries when the role is technology leadership
# ("Technology Director", "Strategy Lead", "Digital Steward").
TECH_WORDS = frozenset(
    "technology technologies tech it ict digital information systems strategy strategic "
    "innovation transformation cio cto".split()
)


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
def alternation(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """One regex for a phrase list, whole words only (longest first)."""
    ordered = sorted(set(phrases), key=len, reverse=True)
    body = "|".join(re.escape(p) for p in ordered) or r"(?!x)x"
    return re.compile(r"(?<![\w-])(?:" + body + r")(?![\w-])")


def has(text: str, phrases: Sequence[str]) -> bool:
    """Whether any of ``phrases`` occurs in ``text`` as whole words (case-insensitive)."""
    return alternation(tuple(phrases)).search(text.lower()) is not None


def last_role(text: str, vocab: Vocabulary, *, pronouns: bool = True) -> str | None:
    """The party role whose word appears nearest the end of ``text``. Without ``pronouns``,
    "we" and "you" do not count: in the words before a party's definition ("Thank you for
    choosing Benmore") they are the letter talking, not the party's role."""
    best: tuple[int, str] | None = None
    low = text.lower()
    for role, words in (("provider", vocab.provider), ("client", vocab.client)):
        if not pronouns:
            words = tuple(w for w in words if w not in PRONOUNS)
        for m in alternation(tuple(words)).finditer(low):
            if best is None or m.start() > best[0]:
                best = (m.start(), role)
    return best[1] if best else None


def clean(name: str) -> str:
    """A defined name as it is aliased: one space between words, no leading "the"."""
    name = " ".join(name.split()).strip(" ,.")
    return re.sub(r"^(?:the|The)\s+", "", name)


# A defined term for what is delivered ("the Advisory Services", "Managed Services Fees"), never
# a name: a descriptive first word and a thing for head (a brand's "Kestrel Services" stays usable)
# (and the documents an advisor produces: "the Technology Roadmap" is no technology person, nor
# is the service operated: '("IT Operations")')
_THING_HEADS = frozenset(
    "services service deliverables fees charges agreement schedule roadmap roadmaps plan plans "
    "budget budgets report reports policy policies programme program register framework "
    "architecture catalogue catalog stack portfolio assessment operations operation infrastructure "
    "systems environment network desk".split()
)
_DESCRIPTORS = frozenset(
    "advisory managed professional support consulting consultancy it technology strategy strategic "
    "project additional core optional ongoing transition implementation monthly recurring".split()
)


def usable(name: str, vocab: Vocabulary) -> bool:
    """A name worth aliasing: capitalised, short, not a term, and not already a word the rules
    know (by itself or by its head noun: "IT Strategist" already reads as a strategist)."""
    low = name.lower()
    words = low.split()
    return (
        bool(name)
        and name[0].isupper()
        and len(words) <= MAX_NAME_WORDS
        and low not in vocab.not_a_party
        and low not in vocab.known
        and words[-1] not in vocab.known
        and not (len(words) > 1 and words[-1] in _THING_HEADS and words[0] in _DESCRIPTORS)
    )
