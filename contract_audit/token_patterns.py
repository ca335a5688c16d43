"""Token patterns (spaCy ``Matcher``) run only where they can match, and cheaply there.

The ``Matcher`` costs time per token, per pattern, per active state; an any-token gap such as
``{OP: "{0,12}"}`` multiplies the states. So each distinct pattern becomes a :class:`Unit`:

- **gated**: it runs only in sentences holding one of its *anchor* words (a required token's
  literal values, or the rule's explicit ``anchors``) and only when every required literal token
  of the pattern occurs in the window;
- **windowed**: a derived anchor is part of every match, so the Matcher runs on a window of the
  pattern's reach (after each word a match can start with, or around each anchor), not on the
  whole sentence;
- **split at gaps**: interior any-token gaps are cut out; the pieces are matched separately and
  chained when the distance between them fits the gap. Same matches, far fewer states;
- **shared**: rules with an identical pattern share one unit, so duplicated rules cost nothing.
"""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

Pattern = list[dict[str, Any]]
Match = tuple[int, int, int, int]  # (rule index, start token, end token, sentence index)

# The words of almost every contract sentence (a pattern gated on one runs nearly everywhere).
TOP = frozenset(
    """
    the a an of to and or in on by for with any all be is are shall will may not no as at from
    this that such its which other each it , . ( ) ; : " ' -
    """.split()
)
# Frequent words in contracts: a poor gate, so a rarer token of the pattern is preferred as the
# anchor (the list is our own guess at high-frequency English and contract boilerplate).
COMMON = frozenset(
    """
    the a an of to and or in on by for with any all its their such this that these those be is
    are was were been being shall will may must not no as at from under other which who whom
    whose what when where than then there said same each either one two per up out if so after
    before during upon within without into between through hereunder herein hereof thereof
    including include includes it he she they we you our your his her them us do does did have
    has had can could would should make made use used using provide provided provides order
    part first third state pay paid payment only required require obligations obligation term
    date time notice written section agreement party parties services service company product
    products information right rights following set forth applicable law terms conditions
    contract performance business provider client customer
    """.split()
)
_REPEAT = re.compile(r"\{(\d*)(,?)(\d*)\}")


def _upper(spec: dict[str, Any]) -> dict[str, Any]:
    return {str(k).upper(): v for k, v in spec.items()}


def repeats(spec: dict[str, Any]) -> tuple[int, float]:
    """(min, max) tokens a spec consumes, from its ``OP``."""
    op = str(_upper(spec).get("OP", ""))
    if op in ("", "!"):
        return 1, 1
    if op == "?":
        return 0, 1
    if op == "*":
        return 0, math.inf
    if op == "+":
        return 1, math.inf
    m = _REPEAT.fullmatch(op)
    if not m:
        return 1, 1
    low, comma, high = m.groups()
    if not comma:
        return int(low), int(low)
    return int(low or 0), int(high) if high else math.inf


def to_attr(pattern: Pattern, attr: str) -> Pattern:
    """``pattern`` with its ``LOWER`` keys renamed to ``attr`` (the engine matches on ``NORM``:
    the lowercase form with the document's defined names read as canonical words)."""
    if attr == "LOWER":
        return pattern
    return [
        {(attr if str(k).upper() == "LOWER" else k): v for k, v in spec.items()} for spec in pattern
    ]


MAX_VARIANTS = 8  # token sequences per pattern (a product over its multi-token values)


def split_hyphenated(pattern: Pattern, split: Callable[[str], list[str]]) -> list[Pattern]:
    """``pattern`` as the tokenizer sees it: the tokenizer cuts "co-marketing" into "co", "-",
    "marketing" (and "client's" into "client", "'s"), so a token spec listing such a value could
    never match it. Each multi-token value moves into a variant where it is its words in sequence
    (values of the same length share one variant: ``[co, non] - [marketing, exclusive]``); the
    spec keeps its single-token values, and is dropped from the pattern when none is left."""
    variants: list[Pattern] = [[]]
    for spec in pattern:
        options = _spec_forms(spec, split)
        variants = [v + o for v in variants for o in options][:MAX_VARIANTS]
    return [v for v in variants if v]


def _may_split(word: str) -> bool:
    """Whether a value is one token in running text only if the tokenizer keeps it whole alone:
    "co-marketing", "client's", "100%", "cannot" are several tokens wherever they stand, but an
    abbreviation ("dr.") or a clitic ("'s", "'m") is one token in a sentence and cut when alone."""
    return not word.endswith(".") and word[:1] not in ("'", "’")


def _spec_forms(spec: dict[str, Any], split: Callable[[str], list[str]]) -> list[Pattern]:
    """The token sequences one spec stands for: itself (minus its multi-token values), plus one
    sequence per shape of its multi-token values."""
    key = next((k for k in spec if str(k).upper() == "LOWER"), None)
    value = spec.get(key) if key is not None else None
    words = value["IN"] if isinstance(value, dict) and set(value) == {"IN"} else None
    if isinstance(value, str):
        words = [value]
    op = str(_upper(spec).get("OP", ""))
    if not words or op not in ("", "?"):
        return [[spec]]
    single, shapes = [], defaultdict(list)
    for w in words:
        parts = split(str(w)) if _may_split(str(w)) else [w]
        if len(parts) > 1:
            shapes[len(parts)].append(parts)
        else:
            single.append(w)
    if not shapes:
        return [[spec]]
    forms: list[Pattern] = []
    if single or op == "?":
        kept = {**spec, key: {"IN": single}} if single else None
        forms.append([kept] if kept else [])
    for n, values in sorted(shapes.items()):
        forms.append([{key: {"IN": sorted({v[i] for v in values})}} for i in range(n)])
    return forms


def _literal_words(spec: dict[str, Any]) -> frozenset[str] | None:
    spec = _upper(spec)
    # NORM is the engine's lowercase form (see contract_audit.aliases): a literal like LOWER.
    for attr in ("LOWER", "NORM", "ORTH", "TEXT"):
        value = spec.get(attr)
        if isinstance(value, str):
            return frozenset({value.lower()})
        if isinstance(value, dict) and set(value) == {"IN"} and value["IN"]:
            return frozenset(str(w).lower() for w in value["IN"])
    return None


def required_literals(pattern: Pattern) -> list[frozenset[str]]:
    """For each token every match must contain, its possible lowercase forms (if literal)."""
    out = []
    for spec in pattern:
        words = _literal_words(spec) if _required(spec) else None
        if words:
            out.append(words)
    return out


def _required(spec: dict[str, Any]) -> bool:
    """Whether every match holds a token meeting ``spec`` (not optional, not negated)."""
    return repeats(spec)[0] >= 1 and _upper(spec).get("OP") != "!"


def pattern_anchors(pattern: Pattern) -> frozenset[str] | None:
    """Lowercase words one of which is part of every match of ``pattern`` (None: no gate).

    Picks the required literal token with the lowest estimated frequency (one of the most
    frequent words counts 1,000, another common word 100, a short word 10, any other word 1):
    "to" is in nearly every sentence, "paid" in few, so {paid, granted, given} beats {to}."""

    def cost(words: frozenset[str]) -> int:
        return sum(
            1000 if w in TOP else 100 if w in COMMON else 10 if len(w) < 4 else 1 for w in words
        )

    literals = required_literals(pattern)
    return min(literals, key=cost) if literals else None


def pattern_span(pattern: Pattern) -> int | None:
    """The most tokens a match of ``pattern`` can cover (None when unbounded: ``*``, ``+``)."""
    total = sum(repeats(spec)[1] for spec in pattern)
    return None if total == math.inf else int(total)


def _is_gap(spec: dict[str, Any]) -> bool:
    """An any-token spec (``{}`` with an optional ``OP`` other than ``!``)."""
    spec = _upper(spec)
    return set(spec) <= {"OP"} and spec.get("OP") != "!"


def split_gaps(pattern: Pattern) -> tuple[list[Pattern], list[tuple[int, float]]]:
    """Cut ``pattern`` at interior any-token gaps: the pieces and the (min, max) gap between
    consecutive pieces. Leading and trailing gaps stay attached (they change the match span)."""
    pieces: list[Pattern] = [[]]
    gaps: list[tuple[int, float]] = []
    pending: tuple[int, float] | None = None
    for spec in pattern:
        if _is_gap(spec) and pieces[-1]:
            low, high = repeats(spec)
            pending = (pending[0] + low, pending[1] + high) if pending else (low, high)
            continue
        if pending is not None:
            pieces.append([])
            gaps.append(pending)
            pending = None
        pieces[-1].append(spec)
    if pending is not None:  # trailing gap: keep it in the last piece
        gaps_low, gaps_high = pending
        op = "*" if gaps_high == math.inf else f"{{{gaps_low},{int(gaps_high)}}}"
        pieces[-1].append({"OP": op})
    return pieces, gaps


@dataclass
class Unit:
    """One distinct token pattern and the rules that use it."""

    rules: list[int]
    pieces: list[Any]  # a Matcher per piece
    gaps: list[tuple[int, float]]
    reach: int | None  # window length in tokens; None = the whole sentence
    required: tuple[frozenset[int], ...]  # hashes of each required literal token
    starters: frozenset[int] | None  # hashes a match starts with (windows start there)

    def possible(self, words: set[int] | frozenset[int]) -> bool:
        """Whether ``words`` (a sentence's or window's token hashes) hold every required word."""
        for group in self.required:  # a plain loop: this runs for every (pattern, sentence)
            if words.isdisjoint(group):
                return False
        return True

    def find(self, doc: Any, lo: int, hi: int) -> list[tuple[int, int]]:
        """Every (start, end) match inside tokens [lo, hi)."""
        span = doc[lo:hi]
        found = [[(s + lo, e + lo) for _k, s, e in piece(span)] for piece in self.pieces]
        partial = found[0]
        for (low, high), nxt in zip(self.gaps, found[1:], strict=True):
            if not partial or not nxt:
                return []
            partial = [(s0, e) for s0, e0 in partial for s, e in nxt if low <= s - e0 <= high]
        return list(dict.fromkeys(partial))


class TokenIndex:
    """All token patterns of a rule set, compiled into gated, windowed units."""

    def __init__(
        self,
        rules: Sequence[Any],
        vocab: Any,
        attr: str = "LOWER",
        split: Callable[[str], list[str]] | None = None,
    ) -> None:
        """``attr``: the lowercase token attribute the document arrays hold (``LOWER``, or
        ``NORM`` when the engine rewrites defined names); ``LOWER`` patterns are run on it.
        ``split``: the tokenizer's words for a value ("co-op" -> co, -, op), to match a
        hyphenated value as the tokens the document has."""
        import numpy as np
        from spacy.matcher import Matcher

        strings = vocab.strings
        grouped: dict[tuple[str, frozenset[str] | None, bool], list[int]] = defaultdict(list)
        patterns: dict[str, Pattern] = {}
        for i, rule in enumerate(rules):
            explicit = frozenset(rule.anchors) if rule.anchors else None
            forms = (
                [f for p in rule.patterns.tokens for f in split_hyphenated(p, split)]
                if split is not None
                else rule.patterns.tokens
            )
            for pattern in (to_attr(p, attr) for p in forms):
                ident = json.dumps(pattern, sort_keys=True)
                patterns[ident] = pattern
                anchors = explicit or pattern_anchors(pattern)
                windowed = (
                    explicit is None and anchors is not None and pattern_span(pattern) is not None
                )
                grouped[(ident, anchors, windowed)].append(i)

        def hashes(words: frozenset[str]) -> frozenset[int]:
            return frozenset(strings.add(w) for w in words)

        self.units: list[Unit] = []
        self.loose: list[Unit] = []  # no anchor: run on every sentence
        by_anchor: dict[int, list[int]] = defaultdict(list)
        for (ident, anchors, windowed), rule_ids in grouped.items():
            pattern = patterns[ident]
            pieces, gaps = split_gaps(pattern)
            matchers = []
            for piece in pieces:
                m = Matcher(vocab)
                m.add("piece", [piece])
                matchers.append(m)
            first = _literal_words(pattern[0]) if _required(pattern[0]) else None
            if first and first & (TOP | COMMON):
                first = None  # finding a common first word everywhere costs more than it saves
            unit = Unit(
                rules=sorted(set(rule_ids)),
                pieces=matchers,
                gaps=gaps,
                reach=pattern_span(pattern) if windowed else None,
                required=tuple(hashes(w) for w in required_literals(pattern)),
                starters=hashes(first) if windowed and first else None,
            )
            if anchors is None:
                self.loose.append(unit)
                continue
            self.units.append(unit)
            for h in hashes(anchors):
                by_anchor[h].append(len(self.units) - 1)
        self.by_anchor = {h: frozenset(v) for h, v in by_anchor.items()}
        # Each distinct required-word group gets an id, and each word the ids of the groups it
        # belongs to: a sentence's satisfied groups are then one union over its words, and a
        # unit can run there only if its group ids are a subset (one C-level test per unit).
        group_id: dict[frozenset[int], int] = {}
        self.unit_groups: list[frozenset[int]] = [
            frozenset(group_id.setdefault(g, len(group_id)) for g in u.required) for u in self.units
        ]
        word_groups: dict[int, set[int]] = defaultdict(set)
        for g, i in group_id.items():
            for h in g:
                word_groups[h].add(i)
        self.word_groups = {h: frozenset(v) for h, v in word_groups.items()}
        self.group_words = np.array(sorted(self.word_groups), dtype=np.uint64)
        # One scan finds anchor words and the words windowed patterns start with.
        starters = {h for u in self.units if u.starters for h in u.starters}
        self.anchor_array = np.array(sorted(set(self.by_anchor) | starters), dtype=np.uint64)

    def find(self, doc: Any, lower: Any, starts: Sequence[int], ends: Sequence[int]) -> list[Match]:
        """(rule index, start, end, sentence) of every token-pattern match."""
        import numpy as np

        out: list[Match] = []
        if not len(doc):
            return out
        sentences: dict[int, _Sentence] = {}

        def sentence(si: int) -> _Sentence:
            if si not in sentences:
                sentences[si] = _Sentence(si, starts[si], lower[starts[si] : ends[si]].tolist())
            return sentences[si]

        # (sentence, word) -> positions of an anchor or starter word there, grouped in numpy
        pairs: dict[tuple[int, int], list[int]] = {}
        if self.units:
            pos = np.flatnonzero(np.isin(lower, self.anchor_array))
            if len(pos):
                sents = np.searchsorted(starts, pos, side="right") - 1
                words_at = lower[pos]
                order = np.lexsort((words_at, sents))  # by sentence, then word, then position
                pos, sents, words_at = pos[order], sents[order], words_at[order]
                cuts = np.flatnonzero((sents[1:] != sents[:-1]) | (words_at[1:] != words_at[:-1]))
                bounds = [0, *(cuts + 1).tolist(), len(pos)]
                firsts = bounds[:-1]
                keys = zip(sents[firsts].tolist(), words_at[firsts].tolist(), strict=True)
                positions = pos.tolist()
                for (si, h), a, b in zip(keys, firsts, bounds[1:], strict=True):
                    pairs[(si, h)] = positions[a:b]
        by_sentence: dict[int, list[int]] = defaultdict(list)  # sentence -> its anchor words
        for si, h in pairs:
            if h in self.by_anchor:
                by_sentence[si].append(h)
        by_anchor, unit_groups, word_groups = self.by_anchor, self.unit_groups, self.word_groups
        # the tokens that belong to some required-word group (most tokens belong to none)
        grouped = np.isin(lower, self.group_words)
        for si in sorted(by_sentence):
            words = by_sentence[si]
            candidates: set[int] = set()
            for h in words:
                candidates.update(by_anchor[h])
            a, b = starts[si], ends[si]
            satisfied: set[int] = set()
            for h in set(lower[a:b][grouped[a:b]].tolist()):
                satisfied |= word_groups[h]
            # most (unit, sentence) pairs stop here: a required word is missing
            passing = sorted(u for u in candidates if unit_groups[u] <= satisfied)
            if passing:
                sent = sentence(si)
            for u in passing:
                anchors = [p for h in words if u in by_anchor[h] for p in pairs[(si, h)]]
                self._run(self.units[u], doc, sent, anchors, pairs, out)
        for unit in self.loose:
            for si in range(len(starts)):
                if unit.possible(sentence(si).words):
                    self._run(unit, doc, sentence(si), [], pairs, out)
        return out

    @staticmethod
    def _run(
        unit: Unit,
        doc: Any,
        sent: _Sentence,
        anchors: list[int],
        pairs: dict[tuple[int, int], list[int]],
        out: list,
    ) -> None:
        """Run ``unit`` on the windows of ``sent`` where a match can start or must lie."""
        si = sent.index
        a, b = sent.start, sent.start + len(sent.tokens)
        windows: list[tuple[int, int]] = []
        if unit.reach is None:
            windows = [(a, b)]
        else:
            if unit.starters is not None:  # a match starts at one of these words
                anchors = sorted(
                    p for h in unit.starters & sent.words for p in pairs.get((si, h), ())
                )
                bounds = [(p, min(b, p + unit.reach)) for p in anchors]
            else:
                anchors = sorted(anchors)
                bounds = [(max(a, p - unit.reach + 1), min(b, p + unit.reach)) for p in anchors]
            for lo, hi in bounds:  # merge overlapping windows
                if windows and lo <= windows[-1][1]:
                    windows[-1] = (windows[-1][0], max(windows[-1][1], hi))
                else:
                    windows.append((lo, hi))
        seen: set[tuple[int, int]] = set()
        for lo, hi in windows:
            if (lo, hi) != (a, b) and not unit.possible(set(sent.tokens[lo - a : hi - a])):
                continue  # a required word is missing: the pattern cannot match here
            for span in unit.find(doc, lo, hi):
                if span not in seen:
                    seen.add(span)
                    out.extend((r, span[0], span[1], si) for r in unit.rules)


class _Sentence:
    """One sentence's token hashes, built once and shared by every pattern run on it."""

    __slots__ = ("index", "start", "tokens", "words")

    def __init__(self, index: int, start: int, tokens: list[int]) -> None:
        self.index = index
        self.start = start
        self.tokens = tokens
        self.words = set(tokens)
