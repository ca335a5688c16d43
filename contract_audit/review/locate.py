"""Find where a finding's matched words sit in a Word document's paragraphs.

The analysis reports offsets into the extracted text, which is not the Word file: numbering may
be prefixed, tables flattened, quotes and spaces normalised. So we search instead: for the
matched words inside the paragraph that holds the finding's sentence, comparing normalised text
(case, quotes, dashes and runs of spaces folded) and mapping back to the paragraph's own
character offsets. Repeated clauses are told apart by document order (findings arrive sorted by
position, so the next occurrence at or after the previous anchor wins).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from contract_audit.results import Finding

_FOLD = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
    "\u00ad": "", "\u200b": "", "\u200c": "", "\u200d": "", "\ufeff": "",
}
_NUMBERING = re.compile(
    r"^(?:(?:section|article|clause|schedule)\s+)?(?:\d+(?:\.\d+)*\.?|\(?[a-z]\)|\(?[ivxlc]+\))\s+",
    re.IGNORECASE,
)
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Folded:
    """Normalised text and, for each of its characters, the offset it came from."""

    text: str
    index: tuple[int, ...]


def fold(text: str) -> Folded:
    """Lower-case, fold quotes and dashes, drop invisible characters, collapse white space."""
    out: list[str] = []
    index: list[int] = []
    space = True  # also strips leading white space
    for i, ch in enumerate(text):
        ch = _FOLD.get(ch, ch)
        if not ch:
            continue
        if ch.isspace():
            if space:
                continue
            ch, space = " ", True
        else:
            lower = ch.lower()
            ch, space = (lower if len(lower) == 1 else ch), False
        out.append(ch)
        index.append(i)
    while out and out[-1] == " ":
        out.pop()
        index.pop()
    return Folded("".join(out), tuple(index))


@dataclass(frozen=True, slots=True)
class Anchor:
    """Where to attach a comment: characters ``start..end`` of paragraph ``paragraph``."""

    paragraph: int
    start: int
    end: int
    precision: str  # "match" (the matched words) or "sentence" (the clause around them)


def _occurrences(haystack: str, needle: str) -> list[int]:
    found: list[int] = []
    at = haystack.find(needle) if needle else -1
    while at != -1:
        found.append(at)
        at = haystack.find(needle, at + 1)
    return found


def _overlap(sentence: str, paragraph: str) -> float:
    words = set(_WORD.findall(sentence))
    return len(words & set(_WORD.findall(paragraph))) / len(words) if words else 0.0


def _to_original(para: Folded, start: int, end: int) -> tuple[int, int]:
    return para.index[start], para.index[end - 1] + 1


class Paragraphs:
    """The folded paragraphs of a document, joined once so that a search costs one ``str.find``
    over the whole text instead of one per paragraph (documents run to thousands of them)."""

    SEPARATOR = "\x00"  # never in folded text, so no match spans two paragraphs

    def __init__(self, paragraphs: Sequence[Folded]) -> None:
        self.items = list(paragraphs)
        self.starts: list[int] = []
        pos = 0
        for para in self.items:
            self.starts.append(pos)
            pos += len(para.text) + 1
        self.joined = self.SEPARATOR.join(p.text for p in self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, i: int) -> Folded:
        return self.items[i]

    def find_all(self, needle: str) -> list[tuple[int, int]]:
        """Every ``(paragraph, offset)`` where ``needle`` occurs, in document order."""
        return [
            (i, at - self.starts[i])
            for at in _occurrences(self.joined, needle)
            for i in (bisect_right(self.starts, at) - 1,)
        ]


def locate(
    finding: Finding, paragraphs: Sequence[Folded] | Paragraphs, cursor: int = 0
) -> Anchor | None:
    """The best place in ``paragraphs`` (folded) for ``finding``'s comment, or ``None``.

    Candidates are the occurrences of the matched words; one inside an occurrence of the
    finding's sentence wins (more so at the sentence's own offset), else the paragraph sharing
    most of the sentence's words; ties go to the first at or after ``cursor``."""
    if not isinstance(paragraphs, Paragraphs):
        paragraphs = Paragraphs(paragraphs)
    match = fold(finding.match).text
    sentence = _NUMBERING.sub("", fold(finding.text).text, count=1)
    rel = _relative_match_offset(finding, sentence)
    best: tuple[tuple, Anchor] | None = None
    sentence_starts: dict[int, list[int]] = {}
    overlaps: dict[int, float] = {}
    for i, pos in paragraphs.find_all(match) if match else ():
        para = paragraphs[i]
        if i not in sentence_starts:
            sentence_starts[i] = _occurrences(para.text, sentence)
        end = pos + len(match)
        inside = [s for s in sentence_starts[i] if s <= pos and end <= s + len(sentence)]
        if inside:
            score = 2.0 + (1.0 if rel is not None and any(s + rel == pos for s in inside) else 0.0)
        else:
            if i not in overlaps:
                overlaps[i] = _overlap(sentence, para.text)
            score = overlaps[i]
        key = (score, i >= cursor, -abs(i - cursor), -pos)
        if best is None or key > best[0]:
            best = (key, Anchor(i, *_to_original(para, pos, pos + len(match)), "match"))
    if best is not None:
        return best[1]
    hits = paragraphs.find_all(sentence) if sentence else []
    for i, at in sorted(hits, key=lambda h: (h[0] < cursor, h[0])):
        return Anchor(i, *_to_original(paragraphs[i], at, at + len(sentence)), "sentence")
    return None


def _relative_match_offset(finding: Finding, folded_sentence: str) -> int | None:
    """Where the matched words start inside the folded, unnumbered sentence (if computable)."""
    rel = finding.start - finding.text_start
    if not 0 <= rel <= len(finding.text):
        return None
    prefix = fold(finding.text[:rel] + "\x00").text[:-1]  # sentinel keeps a trailing space
    full = fold(finding.text).text
    stripped = len(full) - len(folded_sentence)
    return max(len(prefix) - stripped, 0)
