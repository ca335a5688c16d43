"""Turning lines back into paragraphs: where to break, and how to undo end-of-line hyphens.

Shared by the PDF and plain-text readers, which both see text wrapped at a fixed width.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from contract_audit.builder import starts_block as _starts_block

_WORD = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*")
_HYPHEN_END = re.compile(r"(?<![A-Za-z])([A-Za-z]+)-$")
_LOWER_START = re.compile(r"([a-z]+)")
# Compounds that keep their hyphen even when the document never spells them out elsewhere.
_COMPOUND_PREFIXES = {
    "non", "self", "co", "third", "sub", "cross", "pre", "post", "multi", "anti", "semi",
    "so", "well", "long", "short", "full", "part", "end", "on", "off", "out", "ex", "vice",
    "first", "second", "high", "low", "fixed", "time", "year", "month", "day",
}  # fmt: skip
# Line-end fragments that are word endings, never words of a compound.
_SUFFIXES = {
    "ment", "ments", "ing", "ings", "ed", "er", "ers", "or", "ors", "ion", "ions", "tion",
    "tions", "sion", "able", "ible", "ness", "ity", "ities", "ly", "ance", "ances", "ence",
    "ences", "al", "ive", "ous", "ful", "less", "ship", "ize", "ise", "ized", "ised", "es", "s",
    "ary", "ory", "ant", "ent", "ee", "ees", "ic", "ical", "ism", "ist", "ure", "age",
}  # fmt: skip


class Vocabulary:
    """Word forms seen in a document, to decide ``consid-``+``ered`` vs ``third-``+``party``.

    The document is its own dictionary: if it spells ``considered`` somewhere, the hyphen at a
    line end was a break; if it spells ``third-party``, the hyphen is real.
    """

    def __init__(self, texts: Iterable[str] = ()) -> None:
        self.words: set[str] = set()
        for text in texts:
            self.add(text)

    @classmethod
    def from_lines(cls, lines: Iterable[str]) -> Vocabulary:
        """Words of wrapped lines, leaving out the fragments on either side of a line-end hyphen
        (they are exactly what we must not treat as known words)."""
        vocab = cls()
        kept: list[str] = []
        broken = False
        for line in lines:
            text = line.strip()
            if broken:
                text = _LOWER_START.sub("", text, count=1)
            broken = text.endswith("-")
            if broken:
                text = _HYPHEN_END.sub("", text)
            kept.append(text)
        vocab.add("\n".join(kept))
        return vocab

    def add(self, text: str) -> None:
        found = set(_WORD.findall(text.lower()))
        self.words |= found
        for word in found:
            if "-" in word:
                self.words.update(word.split("-"))

    def join(self, head: str, tail: str) -> str:
        """Join ``head-`` (a line ending in a hyphen) and ``tail`` (the next line's first word)."""
        h, t = head.lower(), tail.lower()
        if h + t in self.words:
            return head + tail
        if f"{h}-{t}" in self.words:
            return f"{head}-{tail}"
        if t in _SUFFIXES:
            return head + tail  # "agree-" + "ment", "pay-" + "able"
        if (h in _COMPOUND_PREFIXES and len(t) > 2) or (
            len(h) > 2 and len(t) > 2 and h in self.words and t in self.words
        ):
            return f"{head}-{tail}"
        return head + tail


def join_lines(lines: list[str], vocab: Vocabulary) -> str:
    """One paragraph from its wrapped lines: spaces between lines, line-end hyphens undone."""
    out = ""
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if not out:
            out = line
            continue
        m = _HYPHEN_END.search(out[-40:]) if out.endswith("-") else None
        n = _LOWER_START.match(line)
        if m and n and not out.endswith("--"):
            joined = vocab.join(m.group(1), n.group(1))
            out = out[: len(out) - len(m.group(0))] + joined + line[n.end() :]
        else:
            out = f"{out} {line}"
    return out


def starts_block(line: str, previous_line: str = "") -> bool:
    """Does this line open a new paragraph by its first characters (a number, a bullet)?"""
    return _starts_block(line, previous_line)


_OPEN_END_WORDS = frozenset(
    "the a an of to in on by for with and or under per between section sections clause "
    "clauses article articles paragraph paragraphs exhibit exhibits schedule schedules".split()
)


def open_ended(line: str) -> bool:
    """Does ``line`` stop where no paragraph can end (``as set out in Section``, ``the``)?"""
    text = line.rstrip()
    if text.endswith((";", "; and", "; or")):
        return False  # the end of a list item: the next line may be the next item
    return text.endswith(",") or text.rsplit(" ", 1)[-1].lower() in _OPEN_END_WORDS


_NUMBER_WORDS = frozenset(
    "one two three four five six seven eight nine ten eleven twelve fifteen twenty thirty "
    "forty fifty sixty seventy eighty ninety hundred thousand million".split()
)
_PAREN_FIGURE = re.compile(r"\(\d[\d,.]*\)")


def continues_figure(previous_line: str, line: str) -> bool:
    """``thirty`` then ``(30) days``: the figure repeats the number, mid-sentence."""
    last = previous_line.rstrip().rsplit(" ", 1)[-1].lower()
    return last in _NUMBER_WORDS and bool(_PAREN_FIGURE.match(line.lstrip()))
