"""Run a :class:`~contract_audit.rules.RuleSet` over a :class:`~contract_audit.model.Document`.

Speed comes from doing little per token: one tokenizer pass (``make_doc``, no pipeline), sentence
boundaries by regular expression, one ``PhraseMatcher`` on ``LOWER`` for every phrase of every
rule, and token patterns run only on the sentences that contain one of their *anchor* words
(patterns with the same anchors share one small ``Matcher``). Everything after matching —
section gates, qualifiers, dedupe, fingerprints — touches only the sentences that matched.

Compiled matchers are cached per process and per ``RuleSet.version``.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from contract_audit import qualifiers as Q
from contract_audit.results import Evidence, Finding

if TYPE_CHECKING:
    from contract_audit.model import Document
    from contract_audit.rules import RuleSet

# Frequent words in contracts: a poor gate, so a rarer token of the pattern is preferred as the
# anchor (the list is our own guess at high-frequency English and contract boilerplate).
_COMMON = frozenset(
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
_CACHE_SIZE = 16


@dataclass(frozen=True, slots=True)
class Signal:
    """Evidence for an engagement type (from a ``kind: signal`` rule)."""

    rule: str
    engagement: str
    weight: float
    text: str  # the sentence
    match: str = ""  # the matched words
    start: int = 0  # offsets of the matched words in Document.text
    end: int = 0

    def to_dict(self) -> dict:
        return {
            "rule": self.rule,
            "engagement": self.engagement,
            "weight": self.weight,
            "text": self.text,
            "match": self.match,
            "start": self.start,
            "end": self.end,
        }


@dataclass(frozen=True)
class EngineResult:
    findings: tuple[Finding, ...] = ()
    evidence: dict[str, tuple[Evidence, ...]] = field(default_factory=dict)
    signals: tuple[Signal, ...] = ()

    def to_dict(self) -> dict:
        return {
            "findings": [f.to_dict() for f in self.findings],
            "evidence": {k: [e.to_dict() for e in v] for k, v in self.evidence.items()},
            "signals": [s.to_dict() for s in self.signals],
        }


# --------------------------------------------------------------------------- compile


def _required_literals(pattern: list[dict[str, Any]]) -> list[frozenset[str]]:
    """For each token every match must contain, its possible lowercase forms (if literal)."""
    out = []
    for spec in pattern:
        spec = {str(k).upper(): v for k, v in spec.items()}
        op = str(spec.get("OP", ""))
        if op in ("?", "*", "!") or op.startswith(("{0", "{,")):
            continue
        for attr in ("LOWER", "ORTH", "TEXT"):
            value = spec.get(attr)
            if isinstance(value, str):
                out.append(frozenset({value.lower()}))
            elif isinstance(value, dict) and set(value) == {"IN"} and value["IN"]:
                out.append(frozenset(str(w).lower() for w in value["IN"]))
            else:
                continue
            break
    return out


def pattern_anchors(pattern: list[dict[str, Any]]) -> frozenset[str] | None:
    """Lowercase words one of which is part of every match of ``pattern`` (None: no gate).

    Picks the required token with literal ``LOWER``/``ORTH``/``TEXT`` values that is the best
    gate: the lowest estimated frequency (common words count 100, short words 10, others 1).
    ``NORM`` is not used: "n't" has the norm "not" but the lowercase form "n't"."""

    def cost(words: frozenset[str]) -> int:
        return sum(100 if w in _COMMON else 10 if len(w) < 4 else 1 for w in words)

    literals = _required_literals(pattern)
    return min(literals, key=cost) if literals else None


def pattern_span(pattern: list[dict[str, Any]]) -> int | None:
    """The most tokens a match of ``pattern`` can cover (None when unbounded: ``*``, ``+``)."""
    total = 0
    for spec in pattern:
        op = str({str(k).upper(): v for k, v in spec.items()}.get("OP", ""))
        if op in ("*", "+"):
            return None
        m = re.fullmatch(r"\{(\d*)(,?)(\d*)\}", op)
        if m:
            low, comma, high = m.groups()
            if comma and not high:
                return None
            total += int(high or low)
        else:
            total += 1
    return total


@dataclass
class _Compiled:
    rules: tuple[Any, ...]
    tokenize: Any
    key_to_rule: dict[int, int]
    phrase_matcher: Any
    groups: list[Any]  # Matchers
    reach: list[int | None]  # per group: longest match in tokens, None = run on the sentence
    required: list[tuple[frozenset[int], ...]]  # per group: hashes of each required token
    starters: list[frozenset[int] | None]  # per group: the words a match starts with, if literal
    anchor_to_groups: dict[int, tuple[int, ...]]
    anchor_array: Any  # numpy uint64 array of anchor hashes
    unanchored: Any  # Matcher for patterns without a usable anchor, or None
    qualifiers: list[tuple[Q.CompiledQualifier, ...]]
    gates: list[re.Pattern[str] | None]
    lexicon: Q.PartyLexicon
    role_words: dict[str, tuple[str, ...]]
    obligation: tuple[Q.Cue, ...]


def _compile(ruleset: RuleSet) -> _Compiled:
    import numpy as np
    from spacy.matcher import Matcher, PhraseMatcher

    from contract_audit.nlp import get_nlp

    nlp = get_nlp()
    vocab = nlp.vocab
    strings = vocab.strings

    def tokenize(text: str) -> tuple[int, ...]:
        return tuple(strings.add(t.lower_) for t in nlp.make_doc(text) if not t.is_space)

    cue_lists = {name: Q.compile_cues(words, tokenize) for name, words in ruleset.cues.items()}

    def cues(spec: Any) -> tuple[Q.Cue, ...]:
        if spec is None:
            return ()
        if isinstance(spec, str):
            return cue_lists.get(spec[1:], ())
        return Q.compile_cues([str(w).lower() for w in spec], tokenize)

    phrase_matcher = PhraseMatcher(vocab, attr="LOWER")
    # One Matcher per distinct token pattern (rules sharing a pattern share it). A derived
    # anchor is part of every match, so the Matcher only runs on a window of the pattern's reach
    # around each anchor; explicit rule anchors are context words, so those patterns run on the
    # whole sentence. Either way it only runs when every required literal token is present.
    grouped: dict[tuple[str, frozenset[str], bool], list[tuple[str, list]]] = defaultdict(list)
    loose: list[tuple[str, list]] = []
    key_to_rule: dict[int, int] = {}
    compiled_qualifiers = []
    gates: list[re.Pattern[str] | None] = []
    for i, rule in enumerate(ruleset.rules):
        key = f"rule-{i}"
        key_to_rule[strings.add(key)] = i
        if rule.patterns.phrases:
            phrase_matcher.add(key, [nlp.make_doc(p.lower()) for p in rule.patterns.phrases])
        explicit = frozenset(rule.anchors) if rule.anchors else None
        for pattern in rule.patterns.tokens:
            anchors = explicit or pattern_anchors(pattern)
            if anchors:
                windowed = explicit is None and pattern_span(pattern) is not None
                ident = json.dumps(pattern, sort_keys=True)
                grouped[(ident, anchors, windowed)].append((key, pattern))
            else:
                loose.append((key, pattern))
        compiled_qualifiers.append(
            tuple(
                Q.CompiledQualifier(
                    name=q.name,
                    effect=q.effect,
                    when=q.when,
                    cues=cues(q.cues),
                    terminators=cues(q.terminators),
                    direction=q.direction,
                    window=q.window,
                    party=q.party,
                )
                for q in rule.qualifiers
            )
        )
        words = [w for s in rule.sections for w in ruleset.sections.get(s, ())]
        gates.append(
            re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + ")") if words else None
        )

    def matcher(patterns: list[tuple[str, list]]) -> Any:
        m = Matcher(vocab)
        by_key: dict[str, list] = defaultdict(list)
        for key, pattern in patterns:
            by_key[key].append(pattern)
        for key, pats in by_key.items():
            m.add(key, pats)
        return m

    groups = []
    reach: list[int | None] = []
    required: list[tuple[frozenset[int], ...]] = []
    starters: list[frozenset[int] | None] = []
    anchor_to_groups: dict[int, list[int]] = defaultdict(list)
    for g, ((_ident, anchors, windowed), patterns) in enumerate(grouped.items()):
        pattern = patterns[0][1]
        groups.append(matcher(patterns))
        reach.append(pattern_span(pattern) if windowed else None)
        required.append(
            tuple(frozenset(strings.add(w) for w in ws) for ws in _required_literals(pattern))
        )
        first = _required_literals(pattern[:1])
        starters.append(frozenset(strings.add(w) for w in first[0]) if windowed and first else None)
        for word in anchors:
            anchor_to_groups[strings.add(word)].append(g)
    lexicon = Q.base_lexicon(cue_lists, tokenize)
    role_words = {
        role: tuple(ruleset.cues.get(f"{role}-party", ())) for role in ("provider", "client")
    }
    obligation = cue_lists.get("obligation") or Q.compile_cues(Q.DEFAULT_OBLIGATION, tokenize)
    return _Compiled(
        rules=tuple(ruleset.rules),
        tokenize=tokenize,
        key_to_rule=key_to_rule,
        phrase_matcher=phrase_matcher,
        groups=groups,
        reach=reach,
        required=required,
        starters=starters,
        anchor_to_groups={k: tuple(v) for k, v in anchor_to_groups.items()},
        anchor_array=np.array(sorted(anchor_to_groups), dtype=np.uint64),
        unanchored=matcher(loose) if loose else None,
        qualifiers=compiled_qualifiers,
        gates=gates,
        lexicon=lexicon,
        role_words=role_words,
        obligation=obligation,
    )


_compiled: OrderedDict[str, _Compiled] = OrderedDict()


def compiled(ruleset: RuleSet) -> _Compiled:
    """The compiled matchers for ``ruleset``, built once per process and version."""
    key = ruleset.version
    if key in _compiled:
        _compiled.move_to_end(key)
        return _compiled[key]
    result = _compiled[key] = _compile(ruleset)
    while len(_compiled) > _CACHE_SIZE:
        _compiled.popitem(last=False)
    return result


# --------------------------------------------------------------------------- match

_LEADING_NUMBER = re.compile(
    r"^\s*(?:(?:section|article|clause|schedule)\s+)?(?:\(?[a-z0-9]{1,4}\)|\d+(?:\.\d+)*\.?|[ivxlc]{1,5}\.)\s+"
)


def normalise(text: str) -> str:
    """Lowercase, whitespace folded, leading section numbers / list markers removed."""
    out = " ".join(text.lower().split())
    for _ in range(3):
        stripped = _LEADING_NUMBER.sub("", out, count=1)
        if stripped == out:
            break
        out = stripped
    return out


def fingerprint(rule_id: str, text: str, occurrence: int) -> str:
    """A finding id stable across runs, page layouts and renumbering."""
    raw = f"{rule_id}\x1f{normalise(text)}\x1f{occurrence}"
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:12]


def _clauses(doc: Any, s: int, e: int) -> list[tuple[int, int]]:
    """Clause bounds (relative to the sentence): split at ";" and inline "(a)" / "(ii)"."""
    cuts = [0]
    for i in range(s + 1, e):
        tok = doc[i]
        if tok.text == ";" and i + 1 < e:
            cuts.append(i + 1 - s)
        elif (
            tok.text == "("
            and i + 2 < e
            and doc[i + 2].text == ")"
            and len(doc[i + 1].text) <= 4
            and doc[i - 1].whitespace_
            and doc[i + 1].text.isalnum()
        ):
            cuts.append(i - s)
    cuts = sorted(set(cuts))
    return [(a, b) for a, b in zip(cuts, [*cuts[1:], e - s], strict=True) if b > a]


class _Run:
    """State for one document: the doc, its sentences, and lazily built contexts."""

    def __init__(self, document: Document, comp: _Compiled) -> None:
        import numpy as np
        from spacy.attrs import LOWER

        from contract_audit.nlp import make_doc, sentence_starts

        self.document = document
        self.comp = comp
        self.doc = make_doc(document.text)
        self.starts = sentence_starts(self.doc, document.text)
        self.ends = [*self.starts[1:], len(self.doc)]
        self.starts_arr = np.asarray(self.starts, dtype=np.int64)
        self.lower = self.doc.to_array(LOWER) if len(self.doc) else np.zeros(0, dtype=np.uint64)
        self._contexts: dict[int, Q.SentenceContext] = {}
        self._lexicon: Q.PartyLexicon | None = None

    def sentence_of(self, token: int) -> int:
        import numpy as np

        return int(np.searchsorted(self.starts_arr, token, side="right")) - 1

    def raw_matches(self) -> list[tuple[int, int, int, int]]:
        """(rule index, start, end, sentence) for every pattern match inside one sentence."""
        import numpy as np

        comp, doc = self.comp, self.doc
        out = []
        for key, s, e in comp.phrase_matcher(doc):
            si = self.sentence_of(s)
            if e <= self.ends[si]:
                out.append((comp.key_to_rule[key], s, e, si))
        if comp.groups and len(doc):
            pos = np.flatnonzero(np.isin(self.lower, comp.anchor_array))
            if len(pos):
                sents = (np.searchsorted(self.starts_arr, pos, side="right") - 1).tolist()
                todo: dict[tuple[int, int], list[int]] = defaultdict(list)  # (group, sent) -> pos
                for p, h, si in zip(pos.tolist(), self.lower[pos].tolist(), sents, strict=True):
                    for g in comp.anchor_to_groups[h]:
                        todo[(g, si)].append(p)
                lower = self.lower
                for (g, si), anchors in sorted(todo.items()):
                    required = comp.required[g]
                    starters = comp.starters[g]
                    if starters is not None:  # a match starts at one of these words
                        a, b = self.starts[si], self.ends[si]
                        anchors = [
                            a + i for i, h in enumerate(lower[a:b].tolist()) if h in starters
                        ]
                    for lo, hi in self._windows(comp.reach[g], si, anchors, starters is not None):
                        present = set(lower[lo:hi].tolist())
                        if not all(present & words for words in required):
                            continue  # a required word is missing: the pattern cannot match
                        for key, s, e in comp.groups[g](doc[lo:hi]):
                            out.append((comp.key_to_rule[key], s + lo, e + lo, si))
        if comp.unanchored is not None:
            for key, s, e in comp.unanchored(doc):
                si = self.sentence_of(s)
                if e <= self.ends[si]:
                    out.append((comp.key_to_rule[key], s, e, si))
        return out

    def _windows(
        self, reach: int | None, si: int, anchors: list[int], starts: bool = False
    ) -> list[tuple[int, int]]:
        """Merged token windows of ``reach`` around each anchor, or after each match start when
        ``starts`` (or the whole sentence when ``reach`` is None)."""
        a, b = self.starts[si], self.ends[si]
        if reach is None:
            return [(a, b)]
        out: list[tuple[int, int]] = []
        for p in anchors:
            lo, hi = (
                (p, min(b, p + reach)) if starts else (max(a, p - reach + 1), min(b, p + reach))
            )
            if out and lo <= out[-1][1]:
                out[-1] = (out[-1][0], max(out[-1][1], hi))
            else:
                out.append((lo, hi))
        return out

    @property
    def lexicon(self) -> Q.PartyLexicon:
        if self._lexicon is None:
            c = self.comp
            self._lexicon = Q.document_lexicon(
                self.document.text, c.lexicon, c.role_words, c.tokenize
            )
        return self._lexicon

    def context(self, si: int) -> Q.SentenceContext:
        ctx = self._contexts.get(si)
        if ctx is None:
            s, e = self.starts[si], self.ends[si]
            ctx = Q.SentenceContext(
                hashes=self.lower[s:e].tolist(),
                texts=lambda a, b, s=s: self.doc[s + a : s + b].text,
                clause_finder=lambda s=s, e=e: _clauses(self.doc, s, e),
                parties=self.lexicon,
                obligation=self.comp.obligation,
            )
            self._contexts[si] = ctx
        return ctx

    def char_span(self, start: int, end: int) -> tuple[int, int]:
        """Character offsets of tokens [start, end), trimmed of surrounding whitespace."""
        doc = self.doc
        while end > start + 1 and doc[end - 1].is_space:
            end -= 1
        while start < end - 1 and doc[start].is_space:
            start += 1
        first, last = doc[start], doc[end - 1]
        a, b = first.idx, last.idx + len(last.text)
        text = self.document.text
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        return a, b

    def quote(self, rule: Any, si: int, ms: int) -> tuple[int, int]:
        """Character span of the text a finding quotes (its sentence or clause)."""
        s, e = self.starts[si], self.ends[si]
        if rule.scope == "clause":
            lo, hi = self.context(si).clause_of(ms - s)
            s, e = s + lo, s + hi
        return self.char_span(s, e)

    def gate_passes(self, gate: re.Pattern[str], si: int, char: int) -> bool:
        document = self.document
        if not document.sections:
            a, b = self.char_span(self.starts[si], self.ends[si])
            return bool(gate.search(document.text[a:b].lower()))
        section = document.section_at(char)
        while section is not None:
            if gate.search(section.heading.lower()) or gate.search(section.number.lower()):
                return True
            section = document.sections[section.parent] if section.parent is not None else None
        return False


def _dedupe_overlaps(matches: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """Per rule and sentence, keep the longest of overlapping matches (earliest on ties)."""
    kept: list[tuple[int, int, int, int]] = []
    ordered = sorted(set(matches), key=lambda m: (m[0], m[3], -(m[2] - m[1]), m[1]))
    taken: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    for m in ordered:
        spans = taken[(m[0], m[3])]
        if any(m[1] < e and s < m[2] for s, e in spans):
            continue
        spans.append((m[1], m[2]))
        kept.append(m)
    return sorted(kept, key=lambda m: (m[1], m[2], m[0]))


@dataclass(frozen=True, slots=True)
class TraceEvent:
    """A match that produced no output of its own, and why (for ``rules test`` messages)."""

    rule: str
    match: str
    status: str  # "gated" | "dropped" | "merged" (same rule, same sentence/clause)
    reason: str = ""


def match(
    document: Document, ruleset: RuleSet, *, trace: list[TraceEvent] | None = None
) -> EngineResult:
    """Findings (presence rules), element evidence (requirement rules) and engagement signals.

    ``trace``, when given, collects the matches that were gated, dropped or merged into another
    match of the same sentence, so ``rules test`` can say why an example did not match."""
    comp = compiled(ruleset)
    if not document.text.strip() or not comp.rules:
        return EngineResult()
    run = _Run(document, comp)
    text = document.text
    findings: list[Finding] = []
    evidence: dict[str, list[Evidence]] = defaultdict(list)
    signals: list[Signal] = []
    seen: set[tuple] = set()
    occurrences: dict[tuple[str, str], int] = defaultdict(int)
    for ri, ms, me, si in _dedupe_overlaps(run.raw_matches()):
        rule = comp.rules[ri]
        start, end = run.char_span(ms, me)
        gate = comp.gates[ri]
        if gate is not None and not run.gate_passes(gate, si, start):
            if trace is not None:
                reason = "outside sections " + ", ".join(rule.sections)
                trace.append(TraceEvent(rule.id, text[start:end], "gated", reason))
            continue
        outcome = Q.Outcome(rule.family, rule.effective_severity, rule.title)
        if comp.qualifiers[ri]:
            ctx = run.context(si)
            rel_s, rel_e = ms - run.starts[si], me - run.starts[si]
            for q in comp.qualifiers[ri]:
                hit = Q.evaluate(q, ctx, rel_s, rel_e)
                if hit is not None:
                    Q.apply(outcome, hit, rule.protection_title)
                    if outcome.dropped:
                        break
        if outcome.dropped:
            if trace is not None:
                last = outcome.hits[-1]
                reason = f"qualifier {last.name} ({last.cue!r})"
                trace.append(TraceEvent(rule.id, text[start:end], "dropped", reason))
            continue
        qa, qb = run.quote(rule, si, ms)
        once = (rule.id, outcome.family, qa, qb)
        if rule.kind == "presence" and rule.scope == "document":
            once = (rule.id,)
        if once in seen:
            if trace is not None:
                trace.append(TraceEvent(rule.id, text[start:end], "merged", outcome.family or ""))
            continue
        seen.add(once)
        quoted = text[qa:qb]
        page = document.page_at(start)
        section = document.section_at(start)
        label = section.label if section else None
        if rule.kind == "requirement":
            evidence[rule.element].append(
                Evidence(rule.id, quoted, text[start:end], start, end, page, label)
            )
            continue
        if rule.kind == "signal":
            signals.append(
                Signal(
                    rule.id,
                    rule.engagement,
                    float(rule.weight),
                    quoted,
                    text[start:end],
                    start,
                    end,
                )
            )
            continue
        norm_key = (rule.id, normalise(quoted))
        occurrence = occurrences[norm_key]
        occurrences[norm_key] += 1
        findings.append(
            Finding(
                id=fingerprint(rule.id, quoted, occurrence),
                rule=rule.id,
                family=outcome.family,
                element=None,
                severity=outcome.severity,
                title=outcome.title,
                text=quoted,
                match=text[start:end],
                start=start,
                end=end,
                text_start=qa,
                page=page,
                section=label,
                qualifiers=tuple(outcome.hits),
                rationale=rule.rationale,
                recommendation=rule.recommendation,
            )
        )
    return EngineResult(
        findings=tuple(findings),
        evidence={k: tuple(v) for k, v in evidence.items()},
        signals=tuple(signals),
    )
