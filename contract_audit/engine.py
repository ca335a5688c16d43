"""Run a :class:`~contract_audit.rules.RuleSet` over a :class:`~contract_audit.model.Document`.

Speed comes from doing little per token: one tokenizer pass (``make_doc``, no pipeline), sentence
boundaries by regular expression, one ``PhraseMatcher`` on ``NORM`` for every phrase of every
rule, and token patterns run only near their *anchor* words (see
:mod:`contract_audit.token_patterns`). ``NORM`` is the lowercase form, except that the names a
contract defines for its advisor and parties read as the canonical words the rules use ("vcio",
"provider", "client"; see :mod:`contract_audit.aliases`), so rules written with ``LOWER`` are
compiled to ``NORM`` and generalise to every contract's own vocabulary. Everything after
matching — section gates, qualifiers, dedupe, fingerprints — touches only the sentences that
matched.

Compiled matchers are cached per process and per ``RuleSet.version``.
"""

from __future__ import annotations

import gc
import hashlib
import re
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from contract_audit import aliases as A
from contract_audit import pronouns as P
from contract_audit import qualifiers as Q
from contract_audit.results import Evidence, Finding
from contract_audit.token_patterns import TokenIndex

if TYPE_CHECKING:
    from contract_audit.model import Document
    from contract_audit.rules import RuleSet

_CACHE_SIZE = 16
MAX_QUOTE = 800  # characters: longer sentences are quoted by clause, then by a window
QUOTE_CONTEXT = 40  # tokens either side of the match in such a window


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
    provider_evidence: bool = False  # says what business the provider runs (see the rule field)

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


@dataclass
class _Compiled:
    rules: tuple[Any, ...]
    tokenize: Any
    key_to_rule: dict[int, int]
    phrase_matcher: Any
    tokens: TokenIndex
    qualifiers: list[tuple[Q.CompiledQualifier, ...]]
    gates: list[re.Pattern[str] | None]
    lexicon: Q.PartyLexicon
    role_words: dict[str, tuple[str, ...]]
    word_roles: dict[int, str]
    bar: int  # the hash of "|": a sentence without one is no table row
    obligation: tuple[Q.Cue, ...]
    vocabulary: A.Vocabulary
    pseudo: tuple[Q.Cue, ...] = ()
    # what ends a negation's reach within a sentence (the shared @terminators: "but", ";" ...)
    terminators: tuple[Q.Cue, ...] = ()


def _splitter(nlp: Any) -> Callable[[str], list[str]]:
    """The tokenizer's lowercase words for one pattern value ("co-op" -> co, -, op)."""

    def split(word: str) -> list[str]:
        return [t.lower_ for t in nlp.make_doc(word) if not t.is_space]

    return split


def _compile(ruleset: RuleSet) -> _Compiled:
    from spacy.matcher import PhraseMatcher

    from contract_audit.nlp import get_nlp

    nlp = get_nlp()
    vocab = nlp.vocab
    strings = vocab.strings

    def tokenize(text: str) -> tuple[int, ...]:
        return tuple(strings.add(t.lower_) for t in nlp.make_doc(text) if not t.is_space)

    shared = ruleset.cues
    cue_lists = {
        name: Q.compile_cues(Q.expand_slots(words, shared), tokenize)
        for name, words in shared.items()
    }

    def cues(spec: Any) -> tuple[Q.Cue, ...]:
        if spec is None:
            return ()
        if isinstance(spec, str):
            return cue_lists.get(spec[1:], ())
        return Q.compile_cues(Q.expand_slots([str(w) for w in spec], shared), tokenize)

    joins = frozenset(tokenize("or nor"))  # what a negator reaches through (see qualifiers)
    # ... and the words of getting what it dispenses with ("without the need to obtain the")
    fillers = frozenset(h for w in shared.get("negator-fillers", ()) for h in tokenize(str(w)))
    phrase_matcher = PhraseMatcher(vocab, attr="NORM")
    key_to_rule: dict[int, int] = {}
    compiled_qualifiers = []
    gates: list[re.Pattern[str] | None] = []
    for i, rule in enumerate(ruleset.rules):
        key = f"rule-{i}"
        key_to_rule[strings.add(key)] = i
        if rule.patterns.phrases:
            # Tokenized as written ("U.S." is one token, "u.s." is not); compared on NORM, which
            # is the lowercase form (no aliases in a phrase).
            phrase_matcher.add(
                key, [A.apply(nlp.make_doc(p), p, ()) for p in rule.patterns.phrases]
            )
        compiled_qualifiers.append(
            tuple(
                Q.CompiledQualifier(
                    name=q.name,
                    effect=q.effect,
                    when=q.when,
                    cues=cues(q.cues),
                    terminators=cues(q.terminators),
                    negators=cues(q.negators),
                    negators_after=cues(q.negators_after),
                    joins=joins if q.negators else frozenset(),
                    fillers=fillers if q.negators else frozenset(),
                    defined_names=q.defined_names,
                    direction=q.direction,
                    window=q.window,
                    party=q.party,
                )
                for q in rule.qualifiers
            )
        )
        words = [w.lower() for s in rule.sections for w in ruleset.sections.get(s, ())]
        gates.append(
            re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + ")") if words else None
        )

    lexicon = Q.base_lexicon(cue_lists, tokenize)
    role_words = {
        role: tuple(w.lower() for w in ruleset.cues.get(f"{role}-party", ()))
        for role in ("provider", "client")
    }
    obligation = cue_lists["obligation"]  # patterns/_cues.yml always loads
    # one-word names of each role in the shared lists ("company" names the client in a cue's
    # "{client-names}"), so a cue does not read a word the contract gives the other role as its own
    lists = {"client": ("client-party", "client-names"), "provider": ("provider-party",)}
    word_roles = {
        h[0]: role
        for role, names in lists.items()
        for name in names
        for w in shared.get(name, ())
        if len(h := tokenize(str(w))) == 1
    }
    return _Compiled(
        rules=tuple(ruleset.rules),
        tokenize=tokenize,
        key_to_rule=key_to_rule,
        phrase_matcher=phrase_matcher,
        tokens=TokenIndex(ruleset.rules, vocab, attr="NORM", split=_splitter(nlp)),
        qualifiers=compiled_qualifiers,
        gates=gates,
        lexicon=lexicon,
        role_words=role_words,
        word_roles=word_roles,
        bar=tokenize("|")[0],
        obligation=obligation,
        vocabulary=A.Vocabulary.from_cues(ruleset.cues, Q.NOT_A_PARTY),
        pseudo=cue_lists.get("pseudo-cues", ()),
        terminators=cue_lists.get("terminators", ()),
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
    # The compiled matchers and cue lists are some 100,000 long-lived objects: left to the
    # cyclic garbage collector, every full collection walks them all again (a fifth of the
    # engine's time on a large rule set). Freezing moves what exists now out of its reach.
    gc.freeze()
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
    """Clause bounds (relative to the sentence): split at ";", at a table row's "|" (each cell
    is a clause of its own) and inline "(a)" / "(ii)"."""
    cuts = [0]
    for i in range(s + 1, e):
        tok = doc[i]
        if tok.text in (";", "|") and i + 1 < e:
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
        from spacy.attrs import LOWER, NORM

        from contract_audit.nlp import make_doc, sentence_starts

        self.document = document
        self.comp = comp
        self.aliases = A.find_aliases(document.text, comp.vocabulary)
        self.doc = A.apply(make_doc(document.text), document.text, self.aliases)
        self.starts = sentence_starts(self.doc, document.text)
        self.ends = [*self.starts[1:], len(self.doc)]
        self.starts_arr = np.asarray(self.starts, dtype=np.int64)
        # Lowercase token hashes with defined names replaced by their canonical word.
        self.lower = self.doc.to_array(NORM) if len(self.doc) else np.zeros(0, dtype=np.uint64)
        self.original = (
            self.doc.to_array(LOWER) if self.aliases and len(self.doc) else None
        )  # plain lowercase, kept only when a name was rewritten
        if self.original is not None and any(a.name in P.PRONOUNS for a in self.aliases):
            # In a letter written by the client, "you" is the provider: the plain reading of a
            # pronoun is wrong, not just another spelling, so a cue must not see it.
            strings = self.doc.vocab.strings
            pronouns = np.asarray([strings[p] for p in P.PRONOUNS], dtype=np.uint64)
            turned = np.isin(self.original, pronouns)
            self.original[turned] = self.lower[turned]
        if self.original is not None:
            # "Appendix No. 2", "is not exclusive" (see ``aliases.apply``): no cue may read a
            # negation there
            strings = self.doc.vocab.strings
            readings = np.asarray([strings[w] for w in A.READING_NORMS], dtype=np.uint64)
            read = np.isin(self.lower, readings)
            self.original[read] = self.lower[read]
        self._contexts: dict[int, Q.SentenceContext] = {}
        self._headings: dict[int, bool] = {}
        self._sorted_sections = sorted(document.sections, key=lambda sec: sec.start)
        self._section_starts = [sec.start for sec in self._sorted_sections]
        self._lexicon: Q.PartyLexicon | None = None
        self._by_number: dict[str, Any] | None = None
        self._cited: dict[str, tuple[int, ...]] = {}

    def close(self) -> None:
        """Drop the sentence contexts. Their callbacks point back at this run: left in place,
        that cycle keeps the whole document (its tokens, hash lists and indexes) alive until
        the cyclic garbage collector's next full pass, and those passes, walking every such
        document, cost a sixth of the engine's time. Cleared, plain reference counting frees
        the run as soon as the match is done."""
        self._contexts.clear()

    def sentence_of(self, token: int) -> int:
        import numpy as np

        return int(np.searchsorted(self.starts_arr, token, side="right")) - 1

    def raw_matches(self) -> list[tuple[int, int, int, int]]:
        """(rule index, start, end, sentence) for every pattern match inside one sentence."""
        comp, doc = self.comp, self.doc
        out = []
        for key, s, e in comp.phrase_matcher(doc):
            si = self.sentence_of(s)
            if e <= self.ends[si]:
                out.append((comp.key_to_rule[key], s, e, si))
        out.extend(comp.tokens.find(doc, self.lower, self.starts_arr, self.ends))
        return self._within_answers(out)

    def _within_answers(self, found: list[tuple[int, int, int, int]]) -> list:
        """``found`` without the matches that run from an FAQ's question into its answer ("Q:
        Will my vCIO suggest any vendor out there? A: Your vCIO works from the Standard Stack"):
        the two are one sentence so the answer reads its question's topic, but a pattern's words
        belong to one of them ("any vendor" is asked, not granted)."""
        text = self.document.text
        if "?" not in text:
            return found
        idx = self.doc.to_array("IDX")
        n = len(idx)
        kept = []
        for m in found:
            a = int(idx[m[1]])
            b = int(idx[m[2]]) if m[2] < n else len(text)
            if "?" in text[a:b] and _ANSWER_MARK.search(text, a, b):
                continue
            kept.append(m)
        return kept

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
            original = None
            if self.original is not None:
                plain = self.original[s:e]
                if (plain != self.lower[s:e]).any():
                    original = plain.tolist()
            hashes = self.lower[s:e].tolist()
            ctx = Q.SentenceContext(
                hashes=hashes,
                original=original,
                texts=lambda a, b, s=s: self.doc[s + a : s + b].text,
                clause_finder=lambda s=s, e=e: _clauses(self.doc, s, e),
                parties=self.lexicon,
                obligation=self.comp.obligation,
                head=self._head(s, e),
                asked=self._asked(s, e),
                pseudo=self.comp.pseudo,
                lead_in=lambda si=si: self._lead_in(si),
                question=lambda si=si: self._question(si),
                around=lambda si=si: self._around(si),
                owner=(lambda si=si: self._matrix_owners(si)) if self.comp.bar in hashes else None,
                word_roles=self.comp.word_roles,
            )
            self._contexts[si] = ctx
        return ctx

    def _lead_in(self, si: int) -> list[int] | None:
        """Token hashes of the sentence introducing the list that sentence ``si`` is an item
        of ("The vCIO will provide:" before "(b) a vendor shortlist ..."), or None."""
        text = self.document.text
        nested: list[str] = []  # sub-clause numbers of the items passed ("4.2.4")
        for back in range(si, max(si - LIST_ITEMS, 0) - 1, -1):
            a, b = self.char_span(self.starts[back], self.ends[back])
            if back < si and text[a:b].rstrip().endswith(":"):
                own = _SUB_NUMBER.match(text, a, b)
                parent = own[1] + "." if own else None
                if any(parent is None or not n.startswith(parent) for n in nested):
                    return None  # "4.3 ..." is no item of "4.2 The vCIO shall:"
                s, e = self.starts[back], self.ends[back]
                while e > s and (self.doc[e - 1].is_space or self.doc[e - 1].text == ":"):
                    e -= 1  # its last word ends it: "The vCIO will not:" ends with "not"
                return self.lower[s:e].tolist()
            number = _SUB_NUMBER.match(text, a, b)
            if number:
                nested.append(number[1])
            elif not _LIST_ITEM.match(text, a, b):
                return None
        return None

    def _around(self, si: int) -> list[int]:
        """Token hashes of the sentence before ``si`` in its paragraph, then of the clauses
        ``si`` refers to by number ("if the Advisor breaches clause 6.2": the heading and the
        opening words of 6.2): where the topic a sentence takes for granted is named."""
        out: list[int] = []
        text = self.document.text
        a, b = self.char_span(self.starts[si], self.ends[si])
        first, asked = self._paragraph(si)
        if first < si:
            out.extend(self._words(si - 1))
        earlier = next((q for q in asked if q < si - 1), None)
        if earlier is not None:
            # the question the paragraph opens with ("Is the roadmap binding advice? No. It
            # is an informational tool ..."): the answer takes its topic from it
            out.extend(self._words(earlier))
        if first == si and si > 0 and _ANAPHOR.match(text, a, b) and not self.is_heading(si - 1):
            # a clause of its own that points back ("5.5 If such a benefit is nevertheless
            # paid ..." below 5.4's "any commission ... or other benefit from a supplier"): the
            # clause before names what "such" refers to
            out.extend(self._words(si - 1))
        if first > 0 and self._question_above(first):
            # an FAQ answer takes its topic from the question above it ("How much of the
            # virtual IT manager's time do we get?" above "Up to four hours a month.")
            out.extend(self._words(first - 1))
        for ref in _REFERENCE.finditer(text, a, b):
            if _CARVE_OUT.search(text, max(a, ref.start() - 40), ref.start()):
                continue  # "Except as stated in clause 3.4, ...": the clause is excluded
            out.extend(self._clause_words(ref[1].rstrip(".")))
        if self.comp.bar in self.lower[self.starts[si] : self.ends[si]]:
            out.extend(self._table_heading(si))
        return out

    def _table_head(self, si: int) -> tuple[int, int, int, int] | None:
        """(row start, row end, heading start, heading end) of the table row holding sentence
        ``si``, or None when it is no row below a heading row (rows as ``_TABLE_ROW`` reads them;
        extraction may put blank lines between them)."""
        text = self.document.text
        a = self.char_span(self.starts[si], self.ends[si])[0]
        lo = text.rfind("\n", 0, a) + 1
        hi = text.find("\n", a)
        hi = len(text) if hi < 0 else hi
        if not _TABLE_ROW.fullmatch(text, lo, hi):
            return None
        top = scan = lo  # the table's first line: climb while the line above is a row too
        for _ in range(MATRIX_ROWS):
            if scan == 0:
                break
            above = text.rfind("\n", 0, scan - 1) + 1
            line = text[above : scan - 1]
            if line.strip():
                if not _TABLE_ROW.fullmatch(line):
                    break
                top = above
            scan = above
        if top == lo:
            return None
        end = text.find("\n", top)
        return lo, hi, top, end

    def _words_at(self, a: int, b: int) -> list[int]:
        """Token hashes of the characters ``[a, b)``."""
        span = self.doc.char_span(a, b, alignment_mode="expand")
        return self.lower[span.start : span.end].tolist() if span is not None else []

    def _table_heading(self, si: int) -> list[int]:
        """Token hashes of the heading row of the table row holding sentence ``si`` ("Deliverable
        | Due" above "IT strategy and three-year roadmap | Within 4 months"): the topic its rows
        take for granted."""
        found = self._table_head(si)
        return self._words_at(found[2], found[3]) if found else []

    def _matrix_owners(self, si: int) -> list[int]:
        """Token hashes of the column headings under which the table row of sentence ``si``
        marks R or A: in a responsibility matrix ("Activity | vCIO | Service Desk | Client CFO"
        above "Monthly scoring of the service levels | R/A | C | I") that heading is who does
        the row's work."""
        found = self._table_head(si)
        if found is None:
            return []
        lo, hi, top, end = found
        text = self.document.text
        heads = text[top:end].split("|")
        cells = text[lo:hi].split("|")
        if len(heads) != len(cells):
            return []
        out: list[int] = []
        pos = top
        for head, cell in zip(heads, cells, strict=True):
            if _RACI_OWNER.fullmatch(cell):
                out.extend(self._words_at(pos, pos + len(head)))
            pos += len(head) + 1
        return out

    def is_question(self, si: int) -> bool:
        """Whether sentence ``si`` asks rather than states ("Do we have to tell our End Clients
        about our margins?"): an FAQ's question promises and grants nothing; its answer does."""
        a, b = self.char_span(self.starts[si], self.ends[si])
        return self.document.text[a:b].rstrip().endswith("?")

    def _words(self, si: int) -> list[int]:
        """Token hashes of sentence ``si``."""
        return self.lower[self.starts[si] : self.ends[si]].tolist()

    def _paragraph(self, si: int) -> tuple[int, list[int]]:
        """The first sentence of ``si``'s paragraph (at most ``ANSWER_REACH`` back), and the
        questions before ``si`` in it, nearest first."""
        from contract_audit.nlp import PARAGRAPH_BREAK

        text = self.document.text
        first, asked = si, []
        while first > 0 and si - first < ANSWER_REACH:
            pa, pb = self.char_span(self.starts[first - 1], self.ends[first - 1])
            qa = self.char_span(self.starts[first], self.ends[first])[0]
            if PARAGRAPH_BREAK.search(text, pb, qa + 1):
                break
            if text[pa:pb].rstrip().endswith("?"):
                asked.append(first - 1)
            first -= 1
        return first, asked

    def _question(self, si: int) -> list[int]:
        """Token hashes of the question sentence ``si`` answers earlier in its own paragraph
        ("Q: How much of my vCIO's time do I get? A: Up to ten hours a month"); empty when it
        answers none. (A question standing on a line above is a heading the paragraph's clauses
        may each leave behind: "Who do we phone when the internet goes down?" is read for a topic,
        ``window: context``, only.)"""
        asked = self._paragraph(si)[1]
        return self._words(asked[0]) if asked else []

    def _question_above(self, first: int) -> bool:
        """Whether the line just above the paragraph starting at sentence ``first`` is a
        question standing on its own (an FAQ heading), not a caption or an ordinary clause."""
        return self.is_question(first - 1) and self.is_heading(first - 1)

    def _clause_words(self, number: str) -> tuple[int, ...]:
        """Token hashes of the heading and opening words of the clause numbered ``number``
        (empty when there is none), tokenized once however many sentences cite it."""
        words = self._cited.get(number)
        if words is None:
            section = self.numbered().get(number)
            words = ()
            if section is not None:
                text = self.document.text
                body = text[section.start : min(section.end, section.start + REFERENCE_CHARS)]
                words = self.comp.tokenize(section.heading + " " + body)
            self._cited[number] = words
        return words

    def numbered(self) -> dict[str, Any]:
        """Sections by their number without a trailing dot ("6.2", "9", "IV")."""
        if self._by_number is None:
            self._by_number = {}
            for section in self.document.sections:
                key = section.number.strip().rstrip(".")
                if key:
                    self._by_number.setdefault(key, section)
        return self._by_number

    def _asked(self, s: int, e: int) -> int:
        """Offset (in the sentence) of the answer that follows its FAQ question in one sentence
        ("Q: ...? A: ..."), or 0."""
        a, b = self.char_span(s, e)
        text = self.document.text
        m = _ANSWER_MARK.search(text, a, b) if "?" in text[a:b] else None
        if m is None:
            return 0
        for i in range(s, e):
            if self.doc[i].idx >= m.end() - 1:
                return i - s
        return 0

    def _head(self, s: int, e: int) -> int:
        """Offset (in the sentence) of its first word after a list marker or section number."""
        doc = self.doc
        i = s
        while i < e and (
            doc[i].is_space
            or doc[i].is_punct
            or doc[i].like_num
            or (len(doc[i].text) <= 4 and i + 1 < e and doc[i + 1].text in (")", "."))
            or doc[i].lower_ in ("section", "article", "clause", "part")
        ):
            i += 1
        return i - s if i < e else 0

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

    def quote(self, rule: Any, si: int, ms: int, me: int) -> tuple[int, int]:
        """Character span of the text a finding quotes: its sentence or clause. A sentence
        longer than ``MAX_QUOTE`` characters is quoted by its clause, and a clause still that
        long by ``QUOTE_CONTEXT`` tokens either side of the match (a readable report line)."""
        s, e = self.starts[si], self.ends[si]
        a, b = self.char_span(s, e)
        if rule.scope == "clause" or b - a > MAX_QUOTE:
            lo, hi = self.context(si).clause_of(ms - s)
            s, e = s + lo, s + hi
            a, b = self.char_span(s, e)
            if b - a > MAX_QUOTE:
                s, e = max(s, ms - QUOTE_CONTEXT), min(e, me + QUOTE_CONTEXT)
                a, b = self.char_span(s, e)
        return a, b

    def is_heading(self, si: int) -> bool:
        """Whether sentence ``si`` is a heading (a section's caption, or a line that reads as
        one): headings name a topic, they do not agree to anything, so they give no findings
        or evidence."""
        found = self._headings.get(si)
        if found is None:
            found = self._heading(si)
            self._headings[si] = found
        return found

    def _heading(self, si: int) -> bool:
        a, b = self.char_span(self.starts[si], self.ends[si])
        text = self.document.text
        sentence = text[a:b]
        for section in self._sections_near(a):
            label = " ".join(section.label.split()).rstrip(".: ").lower()
            words = " ".join(sentence.split()).rstrip(".: ").lower()
            if label and (words == label or (len(words) <= len(label) and label.startswith(words))):
                return True
        line_start = text.rfind("\n", 0, a) + 1
        line_end = text.find("\n", b)
        line_end = line_end if line_end >= 0 else len(text)
        whole_line = not text[line_start:a].strip() and not text[b:line_end].strip()
        return looks_like_heading(sentence, whole_line)

    def _sections_near(self, char: int) -> list[Any]:
        """Sections whose caption starts within a few characters of ``char``."""
        from bisect import bisect_left

        if not self._section_starts:
            return []
        i = bisect_left(self._section_starts, char - 12)
        out = []
        while i < len(self._section_starts) and self._section_starts[i] <= char + 2:
            out.append(self._sorted_sections[i])
            i += 1
        return out

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


_SMALL_WORDS = frozenset(
    "a an and or of the to for in on by with at as per its our your their & - – — / vs".split()
)
_HEADING_NUMBER = re.compile(
    r"^(?:(?:section|article|clause|part|schedule|annex|annexure|appendix|exhibit)\s+)?"
    r"(?:[0-9]+(?:\.[0-9]+)*\.?|[ivxlc]{1,5}\.|[a-z]\.|\(?[a-z0-9]{1,3}\))\s*",
    re.IGNORECASE,
)
# "4.2.1 advise the Firm ..." under "4.2 The Virtual CIO shall:": a sub-clause is an item of the
# clause its number extends
_SUB_NUMBER = re.compile(r"\(?(\d{1,3}(?:\.\d{1,3}){1,3})\.?\)?\s")
# A list item: a bullet, "(b)", "b)", "iv." or "2)" opening the sentence.
_LIST_ITEM = re.compile(r"(?:[-•*▪◦–—·]|\(?(?:[a-z]|[ivx]{1,4}|[0-9]{1,2})[.)])\s", re.IGNORECASE)
# "clause 6.2", "Section 9", "paragraphs 4.1", "paragraph C1", "clause A.2": a sentence that
# names another clause by number (a schedule's letter prefix included)
_REFERENCE = re.compile(
    r"\b(?:clause|section|paragraph|article)s?\s+((?:[A-Z]{1,2}\.?)?\d{1,3}(?:\.\d{1,3}){0,3})\b",
    re.IGNORECASE,
)
_CARVE_OUT = re.compile(
    r"\b(?:except|excepting|save|subject\s+to|other\s+than|notwithstanding|without\s+prejudice"
    r"\s+to|does\s+not\s+(?:limit|apply))\b[^.;]*$",
    re.IGNORECASE,
)
# a responsibility matrix's cell naming who does the row's work: R, A, "R/A", "A, R"
_RACI_OWNER = re.compile(r"\s*(?:R|A|RA|AR|R\s*[/,&+]\s*A|A\s*[/,&+]\s*R)\s*")
MATRIX_ROWS = 200  # lines a table row climbs to find its heading row
# a sentence opening by pointing back ("If such a benefit is ...", "Any such payment ..."; its
# clause number aside), not "such as", nor a "such" deeper in that refers within the sentence
# ("any implementation project ..., and Client shall notify Provider of each such project")
_ANAPHOR = re.compile(r"\s*(?:[\d.()a-z]{1,8}\s+)?(?:\w+\s+){0,2}[Ss]uch\b(?!\s+as\b)")
ANSWER_REACH = 8  # sentences back to an answer paragraph's start, for the question above it
REFERENCE_CHARS = 400  # of a referenced clause: its heading and opening words name its topic
LIST_ITEMS = 12  # how far back an item's lead-in may be, in sentences
_LABEL_VALUE = re.compile(r"[^:]{2,40}:\s+(?:the|a|an|our|your|its|their)\s", re.IGNORECASE)
HEADING_WORDS = 12  # a heading is short; a longer capitalised line is a clause


def looks_like_heading(sentence: str, whole_line: bool) -> bool:
    """Whether a sentence is a heading rather than a clause, from its text alone.

    A question standing on its own line ("Can we hire our vCIO?", an FAQ heading followed by
    its answer) is a heading; so is a short all-caps or title-case line ("4. VENDOR INCENTIVES
    AND CONFLICTS", "Other Clients") and a numbered title-case caption that starts a paragraph
    ("Section 6.1 Non-Solicitation. The Client shall ...")."""
    text = " ".join(sentence.split())
    if text.count("|") >= 2:
        return False  # a table row ("| Reports to | Chief Financial Officer |") is content
    if _LABEL_VALUE.match(text):
        return False  # "Accountable to: the Practice Manager." gives a value, it names no topic
    numbered = _HEADING_NUMBER.match(text)
    body = text[numbered.end() :] if numbered else text
    words = re.findall(r"[A-Za-z][A-Za-z'’\-]*", body)
    if not words or len(words) > HEADING_WORDS + 8:
        return False
    if whole_line and body.endswith("?"):
        return True
    if len(words) > HEADING_WORDS or body.endswith((",", ";", ":")):
        return False
    if not (whole_line or numbered):
        return False
    content = [w for w in words if w.lower() not in _SMALL_WORDS]
    return bool(content) and all(w[0].isupper() for w in content)


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
    start: int = -1  # character offsets of the match in the document
    end: int = -1


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
    try:
        return _match(run, trace)
    finally:
        run.close()


def _match(run: _Run, trace: list[TraceEvent] | None) -> EngineResult:
    """:func:`match` over the document of ``run``."""
    comp, document = run.comp, run.document
    text = document.text
    findings: list[Finding] = []
    evidence: dict[str, list[Evidence]] = defaultdict(list)
    signals: list[Signal] = []
    seen: set[tuple] = set()
    # a risk rule's match a qualifier turned into a protection: (rule, quote) -> its end token
    negations: dict[tuple[str, int, int], int] = {}
    occurrences: dict[tuple[str, str], int] = defaultdict(int)
    for ri, ms, me, si in _dedupe_overlaps(run.raw_matches()):
        rule = comp.rules[ri]
        start, end = run.char_span(ms, me)
        gate = comp.gates[ri]
        if gate is not None and not run.gate_passes(gate, si, start):
            if trace is not None:
                reason = "outside sections " + ", ".join(rule.sections)
                trace.append(TraceEvent(rule.id, text[start:end], "gated", reason, start, end))
            continue
        if rule.kind != "signal" and run.is_heading(si):
            if trace is not None:
                trace.append(
                    TraceEvent(rule.id, text[start:end], "dropped", "a heading", start, end)
                )
            continue
        if rule.kind == "presence" and run.is_question(si):
            if trace is not None:
                trace.append(
                    TraceEvent(rule.id, text[start:end], "dropped", "a question", start, end)
                )
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
                trace.append(TraceEvent(rule.id, text[start:end], "dropped", reason, start, end))
            continue
        qa, qb = run.quote(rule, si, ms, me)
        once = (rule.id, outcome.family, qa, qb)
        if rule.kind == "presence" and rule.scope == "document":
            once = (rule.id,)
        negated = negations.get((rule.id, qa, qb))
        if once in seen or (
            negated is not None
            and outcome.family != "protection"
            and negated <= ms
            and not run.context(si).find(
                comp.terminators, negated - run.starts[si], ms - run.starts[si]
            )
        ):
            # the same clause again, or a later match the same negation still governs (until a
            # terminator, "but ..."): in "shall not, during the Term, provide IT advisory services
            # to any direct competitor", "competitor" is under the first match's "not"
            if trace is not None:
                trace.append(
                    TraceEvent(rule.id, text[start:end], "merged", outcome.family or "", start, end)
                )
            continue
        seen.add(once)
        if outcome.family == "protection" and rule.family != "protection":
            negations.setdefault((rule.id, qa, qb), me)
        quoted = text[qa:qb]
        page = document.page_at(start)
        label = document.section_label(start)
        # a requirement rule's clause, or a protection's that also defines an element (evidence_for)
        element = rule.element if rule.kind == "requirement" else None
        if rule.evidence_for and outcome.family == "protection":
            element = rule.evidence_for
        if element is not None:
            evidence[element].append(
                Evidence(rule.id, quoted, text[start:end], start, end, page, label)
            )
        if rule.kind == "requirement":
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
                    rule.provider_evidence,
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
    findings = _restated_in_tables(_without_overridden(findings, comp.rules, trace), text, trace)
    findings = _described_elsewhere(findings, document, run.numbered(), trace)
    findings = _named_again(findings, trace)
    return EngineResult(
        findings=tuple(findings),
        evidence=_uncontradicted(evidence, findings, comp.rules, trace),
        signals=tuple(signals),
    )


def _overriders(rules: Sequence[Any], *, risks: bool) -> dict[str, set[str]]:
    """Rule id -> the ids of the rules that override it: protections over risk rules, or
    (``risks``) risk rules over the evidence of requirement rules."""
    out: dict[str, set[str]] = defaultdict(set)
    for rule in rules:
        if (rule.family not in (None, "protection")) == risks:
            for rid in rule.overrides:
                out[rid].add(rule.id)
    return out


def _keep_unless_overridden(
    item: Finding | Evidence, winner: Finding | None, kept: list, trace: list[TraceEvent] | None
) -> None:
    """Keep ``item`` when nothing overrides it, else record why it was dropped."""
    if winner is None:
        kept.append(item)
    elif trace is not None:
        reason = f"overridden by {winner.rule} ({winner.match!r})"
        trace.append(TraceEvent(item.rule, item.match, "dropped", reason, item.start, item.end))


def _without_overridden(
    findings: list[Finding], rules: Sequence[Any], trace: list[TraceEvent] | None
) -> list[Finding]:
    """Drop a risk whose words a protection declared to override it also matched, in the same
    sentence: "Nothing in an order obliges the Buyer to purchase ..." is the free-choice
    protection, not a purchasing mandate whose negation the risk rule's own cues missed."""
    overriders = _overriders(rules, risks=False)
    if not overriders:
        return findings
    protectors = set().union(*overriders.values())
    protections = [g for g in findings if g.family == "protection" and g.rule in protectors]
    kept: list[Finding] = []
    for f in findings:
        by = overriders.get(f.rule, set()) if f.family != "protection" else set()
        winner = next(
            (
                g
                for g in protections
                if g.rule in by
                and g.text_start == f.text_start
                and g.start < f.end
                and f.start < g.end
            ),
            None,
        )
        _keep_unless_overridden(f, winner, kept, trace)
    return kept


def _uncontradicted(
    evidence: dict[str, list[Evidence]],
    findings: list[Finding],
    rules: Sequence[Any],
    trace: list[TraceEvent] | None,
) -> dict[str, tuple[Evidence, ...]]:
    """Drop the evidence of an element whose words start inside the words of a risk declared to
    override it: "takes direction from, and is supervised by, Tropicline management" is the
    advisor under the provider's control, not a reporting line; "the results of that choice
    rest with you alone" is the client bearing the consequences, not its authority over spend."""
    overriders = _overriders(rules, risks=True)
    if not overriders:
        return {k: tuple(v) for k, v in evidence.items()}
    risks = [  # (a risk a qualifier discounted, "under the authority of the Client's Finance
        # Director", contradicts nothing)
        f
        for f in findings
        if f.family not in ("protection", None) and f.severity != "info"
    ]
    out: dict[str, tuple[Evidence, ...]] = {}
    for element, items in evidence.items():
        kept: list[Evidence] = []
        for e in items:
            by = overriders.get(e.rule, ())
            winner = next((f for f in risks if f.rule in by and f.start <= e.start < f.end), None)
            _keep_unless_overridden(e, winner, kept, trace)
        if kept:
            out[element] = tuple(kept)
    return out


def _described_elsewhere(
    findings: list[Finding],
    document: Document,
    numbered: dict[str, Any],
    trace: list[TraceEvent] | None,
) -> list[Finding]:
    """A sentence that points to the clause describing it ("(e) preparing the monthly service
    performance report described in clause 4.2") or to the clause whose breach it prices ("If
    the Client breaches clause 10.1, it shall pay a placement fee") repeats that clause: when the
    cited clause has a finding of the same rule, the pointer adds none. Data "supplied under
    section 3.4" or a conflict "Section 4.2 requires" to be disclosed is a new term about it."""
    text = document.text
    if not findings or not numbered or not _REFERENCE.search(text):
        return findings
    kept: list[Finding] = []
    for f in findings:
        a = f.text_start
        b = a + len(f.text)
        cited = None
        for ref in _REFERENCE.finditer(text, a, b):
            section = numbered.get(ref[1].rstrip("."))
            if section is None or section.start <= f.start < section.end:
                continue
            before = (max(a, ref.start() - 40), ref.start())
            if not _POINTER.search(text, *before) or _CARVE_OUT.search(text, *before):
                continue  # ("save as set out in Section 4.4" sets the clause aside)
            cited = next(
                (
                    g
                    for g in findings
                    if g.rule == f.rule and section.start <= g.start < section.end
                ),
                None,
            )
            if cited is not None:
                break
        if cited is None:
            kept.append(f)
        elif trace is not None:
            why = f"the clause it cites has the same finding ({cited.section})"
            trace.append(TraceEvent(f.rule, f.match, "merged", why, f.start, f.end))
    return kept


# where an FAQ's answer starts after its question ("...? A: ")
_ANSWER_MARK = re.compile(r"\?\s+(?:A|Answer)\s?[:.]\s")
# what a pointer to the clause that describes or forbids the same thing says just before it
_POINTER = re.compile(
    r"\b(?:described|set\s+out|referred\s+to|detailed|specified|breach(?:es|ed)?(?:\s+of)?"
    r"|contraven(?:es?|ed|tion\s+of)|violat(?:es?|ed|ion\s+of))\s+(?:in\s+)?(?:the\s+)?$",
    re.IGNORECASE,
)
# a row drawn with pipes: "| cell | cell |" in text, "cell | cell" as DOCX tables are extracted
_TABLE_ROW = re.compile(r"^[ \t]*(?:\|.*|[^\n|]+(?: \| [^\n|]*)+)$", re.MULTILINE)


def _restated_in_tables(
    findings: list[Finding], text: str, trace: list[TraceEvent] | None
) -> list[Finding]:
    """A table restates the clauses it prices: when "pricing is distributor cost plus the uplift
    shown below" has a finding, the rows "cost + 15% uplift", "cost + 20% uplift" of the same
    rule add none, and neither does a fee schedule's row when a clause anywhere in the text has
    that rule's finding ("| Hardware supplied under Clause 3 | margin on list price | 18% |").
    (Rows of a rule that no clause outside a table has keep their own findings: each row may be
    a term of its own.)"""
    if "|" not in text:
        return findings
    tables: list[tuple[int, int]] = []  # character spans of runs of consecutive table rows
    for row in _TABLE_ROW.finditer(text):
        if tables and not text[tables[-1][1] : row.start()].strip():
            tables[-1] = (tables[-1][0], row.end())
        else:
            tables.append((row.start(), row.end()))

    def table_of(at: int) -> tuple[int, int] | None:
        return next(((a, b) for a, b in tables if a <= at < b), None)

    in_prose = {g.rule: g for g in reversed(findings) if table_of(g.start) is None}
    kept: list[Finding] = []
    for f in findings:
        lead = in_prose.get(f.rule) if table_of(f.start) is not None else None
        if lead is None:
            kept.append(f)
        elif trace is not None:
            why = f"a clause outside the table has the same finding ({lead.section})"
            trace.append(TraceEvent(f.rule, f.match, "merged", why, f.start, f.end))
    return kept


# matched words that are only a capitalised name: "Growth Rebate", "Referral Fees"
_CAPITALISED_NAME = re.compile(r"[A-Z][\w'’-]*(?: [A-Z][\w'’-]*){1,3}")
# what may come before that name when it is the sentence's subject: "4.2 The ", "(b) Any "
_SUBJECT_LEAD = re.compile(r"\s*(?:[\w.()]{1,8}\s+)?(?:(?:the|any|each|all|such|every)\s+)?", re.I)


def _named_again(findings: list[Finding], trace: list[TraceEvent] | None) -> list[Finding]:
    """A later clause whose subject is only the capitalised name of a payment an earlier clause
    of the same rule created ("4.2 The Growth Rebate shall be issued as a credit memo within 45
    days" after "4.1 ... the Distributor shall grant the Reseller a growth rebate equal to 4%")
    says how that payment is made, not that there is another: the earlier finding stands for
    both. Matched words that say more than a name, or a name that is not the sentence's
    subject ("Crestline pays a one-time Referral Fee for each account"), keep their finding."""
    kept: list[Finding] = []
    for f in findings:
        first = None
        lead = f.text[: max(0, f.start - f.text_start)]
        if _CAPITALISED_NAME.fullmatch(f.match) and _SUBJECT_LEAD.fullmatch(lead):
            name = re.compile(r"\b" + re.escape(f.match.lower()) + r"\b")
            first = next(
                (
                    g
                    for g in kept
                    if g.rule == f.rule and g.end <= f.text_start and name.search(g.text.lower())
                ),
                None,
            )
        if first is None:
            kept.append(f)
        elif trace is not None:
            why = f"names the payment an earlier clause created ({first.section})"
            trace.append(TraceEvent(f.rule, f.match, "merged", why, f.start, f.end))
    return kept
