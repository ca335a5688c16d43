"""Token patterns (spaCy ``Matcher``) run only where they can match, and cheaply there.

The ``Matcher`` costs time per token, per pattern, per active state; an any-token gap such as
``{OP: "{0,12}"}`` multiplies the states. So each distinct pattern becomes a :class:`Unit`:

- **gated**: it runs only near its *anchor* words (a required token's literal values, or the
  rule's explicit ``anchors``) and only when every required literal token of the pattern occurs
  in the window;
- **windowed**: a derived anchor is part of every match, so the Matcher runs on a window of the
  pattern's reach around each anchor (or after each word a match can start with), not on the
  whole sentence;
- **split at gaps**: interior any-token gaps are cut out; the pieces are matched separately and
  chained when the distance between them fits the gap. Same matches, far fewer states;
- **shared**: rules with an identical pattern share one unit, so duplicated rules cost nothing.

Finding the windows (a million anchor occurrences on a large corpus, most of them without the
pattern's other words nearby) is done in numpy for a whole document at once; Python only sees
the windows that can hold a match.
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


def as_tokenized(pattern: Pattern, split: Callable[[str], list[str]]) -> list[Pattern]:
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
    if single or op == "?":  # (an optional spec left with no value may still be skipped)
        forms.append([{**spec, key: {"IN": single}}] if single else [])
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
    lengths: list[float]  # the most tokens each piece can match (inf: unbounded)
    required: tuple[frozenset[int], ...]  # hashes of each required literal token

    def possible(self, words: set[int] | frozenset[int]) -> bool:
        """Whether ``words`` (a sentence's or window's token hashes) hold every required word."""
        for group in self.required:  # a plain loop: this runs for every (pattern, window)
            if words.isdisjoint(group):
                return False
        return True

    def find(self, doc: Any, lo: int, hi: int) -> list[tuple[int, int]]:
        """Every (start, end) match inside tokens [lo, hi).

        The pieces run in turn, each only on the tokens where it can continue a chain of the
        pieces before it (the Matcher's cost is per token), and a piece that finds nothing
        ends the search: the same chains as matching every piece on the whole window."""
        partial = [(s + lo, e + lo) for _k, s, e in self.pieces[0](doc[lo:hi])]
        for (low, high), piece, longest in zip(
            self.gaps, self.pieces[1:], self.lengths[1:], strict=True
        ):
            if not partial:
                return []
            a = min(e0 for _s0, e0 in partial) + low
            b = hi
            if high + longest < math.inf:
                b = min(hi, max(e0 for _s0, e0 in partial) + int(high + longest))
            if a >= b:
                return []
            nxt = [(s + a, e + a) for _k, s, e in piece(doc[a:b])]
            partial = [(s0, e) for s0, e0 in partial for s, e in nxt if low <= s - e0 <= high]
        return list(dict.fromkeys(partial))


def _reads_lowercase(spec: dict[str, Any], attr: str) -> bool:
    """Whether the token a match puts at ``spec`` shows one of the spec's literal words in the
    document's ``attr`` array: true when the literal is read on ``attr`` itself and written in
    lowercase (an ``ORTH`` literal also matches a defined name whose lowercase form became
    "provider"). A spec without literal words has nothing to show."""
    spec = _upper(spec)
    for key in ("LOWER", "NORM", "ORTH", "TEXT"):  # the order _literal_words reads them in
        value = spec.get(key)
        if isinstance(value, str):
            values = [value]
        elif isinstance(value, dict) and set(value) == {"IN"} and value["IN"]:
            values = value["IN"]
        else:
            continue
        return key == attr and all(str(v) == str(v).lower() for v in values)
    return True


def anchor_reach(pattern: Pattern, anchors: frozenset[str]) -> tuple[int, int] | None:
    """(before, after): the most tokens a match of ``pattern`` holds before and after the token
    of its required spec whose words are ``anchors`` (None when the pattern is unbounded)."""
    highs = [repeats(spec)[1] for spec in pattern]
    if math.inf in highs:
        return None
    before = after = -1
    for k, spec in enumerate(pattern):
        if _required(spec) and _literal_words(spec) == anchors:
            extra = int(highs[k]) - 1  # a repeated anchor spec: any of its tokens
            before = max(before, int(sum(highs[:k])) + extra)
            after = max(after, int(sum(highs[k + 1 :])) + extra)
    return (before, after) if before >= 0 else None


WHOLE = 1 << 40  # a window reach that any sentence clips: the whole sentence


def _csr(rows: dict[int, list[tuple[int, ...]]]) -> tuple[Any, Any, Any]:
    """Sorted keys, row pointers and the rows' values (one column per tuple field): a
    dictionary of lists as numpy arrays, so many keys are looked up and expanded at once."""
    import numpy as np

    keys = sorted(rows)
    ptr = np.zeros(len(keys) + 1, dtype=np.int64)
    ptr[1:] = np.cumsum([len(rows[k]) for k in keys])
    values = [v for k in keys for v in rows[k]]
    width = len(values[0]) if values else 1
    table = np.asarray(values, dtype=np.int64).reshape(-1, width)
    return np.asarray(keys, dtype=np.uint64), ptr, table


def _expand(ptr: Any, rows: Any) -> tuple[Any, Any]:
    """For each entry of ``rows`` (indices into a CSR's rows) the flat indices of that row's
    values, and for each of those the position in ``rows`` it came from."""
    import numpy as np

    first = ptr[rows]
    counts = ptr[rows + 1] - first
    offsets = np.cumsum(counts) - counts
    flat = np.arange(int(counts.sum()), dtype=np.int64) + np.repeat(first - offsets, counts)
    return flat, np.repeat(np.arange(len(rows), dtype=np.int64), counts)


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
        ``split``: the tokenizer's words for a value ("co-op" -> co, -, op), to match a value
        the tokenizer cuts as the tokens the document has (see :func:`as_tokenized`)."""
        import numpy as np
        from spacy.matcher import Matcher

        strings = vocab.strings
        grouped: dict[tuple[str, frozenset[str] | None, bool], list[int]] = defaultdict(list)
        patterns: dict[str, Pattern] = {}
        for i, rule in enumerate(rules):
            explicit = frozenset(rule.anchors) if rule.anchors else None
            forms = (
                [f for p in rule.patterns.tokens for f in as_tokenized(p, split)]
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
        # word -> (unit, tokens before, tokens after): the windows a unit runs on around the
        # word's occurrences (clipped to the sentence)
        triggers: dict[int, list[tuple[int, ...]]] = defaultdict(list)
        for (ident, anchors, windowed), rule_ids in grouped.items():
            pattern = patterns[ident]
            pieces, gaps = split_gaps(pattern)
            matchers = []
            for piece in pieces:
                m = Matcher(vocab)
                m.add("piece", [piece])
                matchers.append(m)
            unit = Unit(
                rules=sorted(set(rule_ids)),
                pieces=matchers,
                gaps=gaps,
                lengths=[sum(repeats(spec)[1] for spec in piece) for piece in pieces],
                required=tuple(hashes(w) for w in required_literals(pattern)),
            )
            if anchors is None:
                self.loose.append(unit)
                continue
            self.units.append(unit)
            u = len(self.units) - 1
            for h, before, after in self._windows_of(pattern, anchors, windowed, attr):
                triggers[strings.add(h)].append((u, before, after))
        # The windows' required-word test starts in numpy with the groups free of the most
        # frequent words (their occurrences would dominate the arrays, and nearly every window
        # holds them); Unit.possible then tests every group of the windows that pass.
        group_id: dict[frozenset[int], int] = {}
        unit_checks: dict[int, list[tuple[int, ...]]] = {}
        top = hashes(TOP)
        self.rechecked: list[bool] = []  # whether a unit has groups numpy does not test
        for u, unit in enumerate(self.units):
            selective = [g for g in unit.required if top.isdisjoint(g)]
            unit_checks[u] = [(group_id.setdefault(g, len(group_id)),) for g in selective]
            self.rechecked.append(len(selective) < len(unit.required))
        checks: dict[int, list[tuple[int, ...]]] = defaultdict(list)
        for g, i in group_id.items():
            for h in g:
                checks[h].append((i,))
        # one sorted vocabulary for both lookups (a word may trigger windows and fill groups)
        words = sorted(set(triggers) | set(checks))
        self.words = np.asarray(words, dtype=np.uint64)
        _k, self.trigger_ptr, self.trigger = _csr({h: triggers.get(h, []) for h in words})
        _k, self.check_ptr, check = _csr({h: checks.get(h, []) for h in words})
        self.check_group = check[:, 0]
        _k, self.unit_check_ptr, unit_check = _csr(unit_checks)
        self.unit_check_group = unit_check[:, 0]

    @staticmethod
    def _windows_of(
        pattern: Pattern, anchors: frozenset[str], windowed: bool, attr: str
    ) -> list[tuple[str, int, int]]:
        """(word, tokens before, tokens after) for each word whose occurrences give the unit a
        window to run on: the window must hold every match in the sentence.

        - a pattern with explicit anchors, or of unbounded length, runs on every sentence that
          holds an anchor word (an explicit anchor need not be part of the match);
        - when every required literal is read on the lowercase array as written, each match
          holds an anchor word at a known place: the window is the pattern's reach around it;
        - otherwise (an ``ORTH`` literal also matches a defined name, whose lowercase form is
          "provider") the windows stay as they were first drawn, so the matches found stay the
          same: after each word a match can start with, else ``reach - 1`` tokens either side.
        """
        if not windowed:
            return [(w, WHOLE, WHOLE) for w in anchors]
        reach = int(pattern_span(pattern) or 0)
        if all(_reads_lowercase(spec, attr) for spec in pattern if _required(spec)):
            around = anchor_reach(pattern, anchors)
            if around is not None:
                return [(w, *around) for w in anchors]
        first = _literal_words(pattern[0]) if _required(pattern[0]) else None
        if first and not first & (TOP | COMMON):
            return [(w, 0, reach - 1) for w in first]
        return [(w, reach - 1, reach - 1) for w in anchors]

    def windows(self, lower: Any, starts: Any, ends: Any) -> list[tuple[int, int, int, int]]:
        """(unit, sentence, start, end) of the token windows the units must run on: around each
        trigger word, clipped to its sentence, overlapping windows of a unit merged, and only
        those holding a word of each of the unit's selective required groups. All in numpy:
        a Python loop over the (word, unit) pairs cost more than the matching."""
        import numpy as np

        n = len(lower)
        span = n + 1  # positions of different groups or keys never compare equal in a key
        if not len(self.words):
            return []
        at = np.searchsorted(self.words, lower)
        np.minimum(at, len(self.words) - 1, out=at)
        pos = np.flatnonzero(self.words[at] == lower)
        word = at[pos]
        flat, src = _expand(self.trigger_ptr, word)
        if not len(flat):
            return []
        trigger = self.trigger[flat]
        unit, p = trigger[:, 0], pos[src]
        sent = np.searchsorted(starts, p, side="right") - 1
        lo = np.maximum(starts[sent], p - trigger[:, 1])
        hi = np.minimum(ends[sent], p + trigger[:, 2] + 1)
        # merge per (unit, sentence): sorted by start, a window joins the one before when it
        # starts at or before the running end (a window never reaches into another sentence)
        key = unit * len(starts) + sent
        order = np.argsort(key * span + lo)
        key, lo, hi = key[order], lo[order], hi[order]
        ran = np.maximum.accumulate(hi + key * span)
        new = np.ones(len(key), dtype=bool)
        new[1:] = (key[1:] != key[:-1]) | (lo[1:] + key[1:] * span > ran[:-1])
        firsts = np.flatnonzero(new)
        key, lo, hi = key[firsts], lo[firsts], np.maximum.reduceat(hi, firsts)
        unit, sent = key // len(starts), key % len(starts)
        # selective groups: (group, position) of every occurrence, then one search per window
        # and group for an occurrence inside the window
        flat, src = _expand(self.check_ptr, word)
        occurs = np.sort(self.check_group[flat] * span + pos[src])
        flat, src = _expand(self.unit_check_ptr, unit)
        keep = np.ones(len(key), dtype=bool)
        if len(flat):
            inside = np.zeros(len(flat), dtype=bool)
            if len(occurs):
                base = self.unit_check_group[flat] * span
                found = np.searchsorted(occurs, base + lo[src])
                inside = occurs[np.minimum(found, len(occurs) - 1)] < base + hi[src]
                inside &= found < len(occurs)
            keep[src[~inside]] = False
        rows = np.flatnonzero(keep)
        return list(
            zip(
                unit[rows].tolist(),
                sent[rows].tolist(),
                lo[rows].tolist(),
                hi[rows].tolist(),
                strict=True,
            )
        )

    def find(self, doc: Any, lower: Any, starts: Sequence[int], ends: Sequence[int]) -> list[Match]:
        """(rule index, start, end, sentence) of every token-pattern match."""
        import numpy as np

        out: list[Match] = []
        if not len(doc):
            return out
        tokens = lower.tolist()
        starts_arr = np.asarray(starts, dtype=np.int64)
        ends_arr = np.asarray(ends, dtype=np.int64)
        units, rechecked = self.units, self.rechecked
        for u, si, lo, hi in self.windows(np.asarray(lower, dtype=np.uint64), starts_arr, ends_arr):
            unit = units[u]
            if not rechecked[u] or unit.possible(set(tokens[lo:hi])):
                for s, e in unit.find(doc, lo, hi):
                    out.extend((r, s, e, si) for r in unit.rules)
        if self.loose:  # each sentence's words, read once for every loose unit
            sentences = [set(tokens[a:b]) for a, b in zip(starts, ends, strict=True)]
        for unit in self.loose:
            for si, (a, b) in enumerate(zip(starts, ends, strict=True)):
                if unit.possible(sentences[si]):
                    for s, e in unit.find(doc, a, b):
                        out.extend((r, s, e, si) for r in unit.rules)
        return out
