"""Where a defined name is used, and what the text says right after each use.

A party's role and an advisor's title are both decided from how the contract uses the name
("Keystone shall provide ...", "the Navigator will advise ..."), so both recognisers count
uses the same way: by plain string scans, cheap on a long contract.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

MIN_BARE_USES = 2  # a short form counts once the contract uses it alone this often
SENTENCE_END = re.compile(r"[.;](?:\s|$)|\n\s*\n")


def mention_ends(text: str, name: str) -> list[int]:
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


def tally(text: str, ends: Sequence[int], pattern: re.Pattern[str]) -> int:
    """How many of the mentions ending at ``ends`` are followed by ``pattern``."""
    return sum(1 for e in ends if pattern.match(text, e))


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence (or paragraph line) holding ``text[start:end]``."""
    lo = max(
        text.rfind("\n", 0, start),
        max((m.end() for m in SENTENCE_END.finditer(text, max(0, start - 400), start)), default=-1),
    )
    m = SENTENCE_END.search(text, end)
    hi = m.start() if m else len(text)
    return text[max(lo, 0) : hi]
