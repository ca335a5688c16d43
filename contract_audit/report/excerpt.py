"""Cut a clause into plain-text pieces so the template can highlight the matched words.

Contract text is data: nothing here builds HTML. Each function returns ``(text, flag)`` pairs and
the template escapes every piece and wraps the flagged ones in ``<mark>``, so a clause that
contains ``<script>`` or ``{{ }}`` can only ever be shown, never run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Excerpts longer than this are cut to a window around the match (the JSON keeps the full text).
MAX_EXCERPT = 900
CONTEXT = 380
ELLIPSIS = "…"


# Bidirectional-override controls can make a clause display differently from what it says
# (the "Trojan Source" trick); the report shows them as visible codes instead of obeying them.
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def visible_controls(text: str) -> str:
    """``\u202e`` -> ``[U+202E]`` (and the other bidi controls likewise)."""
    return _BIDI.sub(lambda m: f"[U+{ord(m.group()):04X}]", text)


@dataclass(frozen=True, slots=True)
class Piece:
    text: str
    mark: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "text", visible_controls(self.text))


def locate(text: str, match: str, offset: int | None) -> tuple[int, int] | None:
    """Where ``match`` sits in ``text``: trust ``offset`` when it agrees, else search for it.

    Offsets can drift (a rule's clause scope trimmed differently, a user editing the JSON); a
    wrong highlight is worse than none, so the offset is only used when the words are there.
    """
    if not text or not match:
        return None
    if offset is not None and 0 <= offset <= len(text) - len(match):
        if text[offset : offset + len(match)] == match:
            return offset, offset + len(match)
    folded = text.casefold()
    i = folded.find(match.casefold())
    if i >= 0 and len(folded) == len(text):
        return i, i + len(match)
    squeezed = re.escape(" ".join(match.split())).replace(r"\ ", r"\s+")
    found = re.search(squeezed, text, flags=re.IGNORECASE)
    return (found.start(), found.end()) if found else None


def _trim(
    text: str, span: tuple[int, int] | None, limit: int
) -> tuple[str, tuple[int, int] | None]:
    """Cut ``text`` to about ``limit`` characters around ``span``, on word boundaries."""
    if len(text) <= limit:
        return text, span
    s, e = span if span else (0, 0)
    lo = max(0, s - CONTEXT)
    hi = min(len(text), max(e + CONTEXT, lo + limit))
    if lo > 0:
        space = text.find(" ", lo)
        lo = space + 1 if 0 <= space < s else lo
    if hi < len(text):
        space = text.rfind(" ", e, hi)
        hi = space if space > e else hi
    prefix = ELLIPSIS if lo > 0 else ""
    suffix = ELLIPSIS if hi < len(text) else ""
    cut = prefix + text[lo:hi] + suffix
    if span is None:
        return cut, None
    shift = len(prefix) - lo
    return cut, (s + shift, e + shift)


def pieces(
    text: str, match: str = "", offset: int | None = None, *, limit: int = MAX_EXCERPT
) -> list[Piece]:
    """The clause as pieces, the matched words flagged; long clauses trimmed around the match."""
    span = locate(text, match, offset)
    text, span = _trim(text, span, limit)
    if span is None:
        return [Piece(text)] if text else []
    s, e = span
    out = [Piece(text[:s]), Piece(text[s:e], True), Piece(text[e:])]
    return [p for p in out if p.text]


# A quoted passage long enough to be drafting language rather than a quoted term.
_QUOTED = re.compile(r"[\"“]([^\"“”]{40,})[\"”]")


def clause_pieces(recommendation: str) -> list[Piece]:
    """Split a recommendation into prose and suggested clause language (``mark`` = clause).

    Rule authors write suggested wording in double quotes; the report sets it apart so a lawyer
    can copy it into a draft.
    """
    out: list[Piece] = []
    pos = 0
    for m in _QUOTED.finditer(recommendation):
        if m.start() > pos:
            out.append(Piece(recommendation[pos : m.start()]))
        out.append(Piece(m.group(1).strip(), True))
        pos = m.end()
    if pos < len(recommendation):
        out.append(Piece(recommendation[pos:]))
    return [p for p in out if p.text.strip()]
