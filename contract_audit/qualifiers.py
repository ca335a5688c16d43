"""ConText-style qualifiers: decide what a match means from the words around it.

A qualifier (see docs/rule-language.md) has a cue list, a direction and a window (in tokens, or
the sentence / clause), terminators that close the window, and an effect. Party qualifiers
instead ask which party the sentence obliges (or benefits). Everything works on lowercase token
hashes (spaCy ``NORM``, which the engine sets to the lowercase form with the contract's defined
names read as canonical words; see :mod:`contract_audit.aliases`) of one sentence, so evaluating
a qualifier is a few list scans and costs
nothing for the sentences that have no match.

Cue phrases may contain ``...`` for a discontinuous cue: ``neither ... nor`` fires at
"neither" when a "nor" follows later in the sentence.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from contract_audit import domain
from contract_audit.results import QualifierHit

Hashes = Sequence[int]
T = TypeVar("T")
Tokenize = Callable[[str], tuple[int, ...]]

PREAMBLE_CHARS = 5000  # where a contract defines its parties
PARTY_WINDOW = 8  # tokens between a party mention and the verb it governs
PASSIVE_GAP = 3  # tokens from "be" to the agent's "by": "be solicited directly by"
PASSIVE_REACH = 6  # tokens after "shall be" within which "by" names the passive's agent
PASSIVE_AGENT = ("by",)
BENEFICIARY = ("to", "for", "in favour of", "in favor of", "for the benefit of")
# A party right after one of these is an object, never the subject of the nearest verb
# ("Hiring your advisor away from us will cost you a fee" obliges "you", not "us").
OBJECT_PREPOSITIONS = ("from", "to", "with", "by", "for", "of", "against", "at", "on", "towards")


@dataclass(frozen=True, slots=True)
class Cue:
    """One cue phrase as token hashes; ``parts`` has several items for ``a ... b`` cues."""

    text: str
    parts: tuple[tuple[int, ...], ...]


LEAD_IN_TAIL = 3  # words before a lead-in's colon that may hold a cue governing its items
NEGATOR_REACH = 3  # tokens before a cue within which a negator voids it ("without the Client's")
# ... and after it, for negators_after ("the Client's consent shall not be required")
NEGATOR_AFTER = 8
NEGATOR_JOINED = 8  # ... or further back when an "or" lies between
_SLOT = re.compile(r"\{([a-z0-9-]+)\}")


def expand_slots(phrases: Sequence[str], lists: Mapping[str, Sequence[str]]) -> list[str]:
    """Phrases with every ``{name}`` slot filled by each entry of the shared list ``name``:
    "refund it to {client-names}" is one line for "refund it to the client", "... to you" and
    the rest, so a cue list names an idea once, not once per way of naming the client."""
    out: list[str] = []
    for phrase in phrases:
        m = _SLOT.search(phrase)
        if m is None:
            out.append(phrase)
            continue
        fills = [phrase[: m.start()] + str(w) + phrase[m.end() :] for w in lists.get(m[1], ())]
        out.extend(expand_slots(fills, lists))
    return out


def slot_names(phrase: str) -> list[str]:
    """The shared lists a phrase's ``{name}`` slots refer to."""
    return _SLOT.findall(phrase)


def compile_cues(phrases: Sequence[str], tokenize: Tokenize) -> tuple[Cue, ...]:
    out = []
    for phrase in phrases:
        parts = tuple(tokenize(p) for p in phrase.split("...") if p.strip())
        if parts and all(parts):
            out.append(Cue(phrase, parts))
    return tuple(out)


Index = Mapping[int, Sequence[int]]  # token hash -> positions in the sentence


def _find(
    seq: Hashes, needle: tuple[int, ...], lo: int, hi: int, index: Index | None = None
) -> list[int]:
    n = len(needle)
    first = needle[0]
    if index is not None:
        candidates: Iterable[int] = index.get(first, ())
    else:
        candidates = (i for i in range(lo, hi - n + 1) if seq[i] == first)
    return [
        i for i in candidates if lo <= i <= hi - n and (n == 1 or tuple(seq[i : i + n]) == needle)
    ]


def index_of(seq: Hashes) -> dict[int, list[int]]:
    """Positions of every token hash: cue lookups become dictionary hits."""
    index: dict[int, list[int]] = {}
    for i, h in enumerate(seq):
        index.setdefault(h, []).append(i)
    return index


def _once_per_list(build: Callable[[Sequence[Cue]], T]) -> Callable[[Sequence[Cue]], T]:
    """``build`` memoised per compiled cue list (lists live as long as their compiled rule set;
    the identity check keeps a reused id from reading a stale entry)."""
    memo: dict[int, tuple[Sequence[Cue], T]] = {}

    def per_list(cues: Sequence[Cue]) -> T:
        hit = memo.get(id(cues))
        if hit is None or hit[0] is not cues:
            hit = memo[id(cues)] = (cues, build(cues))
        return hit[1]

    return per_list


@_once_per_list
def _firsts(cues: Sequence[Cue]) -> dict[int, list[tuple[int, Cue]]]:
    """First word hash -> (position in the list, cue)."""
    firsts: dict[int, list[tuple[int, Cue]]] = {}
    for i, cue in enumerate(cues):
        firsts.setdefault(cue.parts[0][0], []).append((i, cue))
    return firsts


@_once_per_list
def _words(cues: Sequence[Cue]) -> dict[int, list[int]]:
    """Word hash -> positions in the list of the cues holding that word (any part): which cues
    a renamed word touches is then a lookup, not a scan."""
    words: dict[int, list[int]] = {}
    for i, cue in enumerate(cues):
        for h in {h for part in cue.parts for h in part}:
            words.setdefault(h, []).append(i)
    return words


@_once_per_list
def _gaps(cues: Sequence[Cue]) -> bool:
    """Whether any cue of the list is discontinuous ("neither ... nor")."""
    return any(len(c.parts) > 1 for c in cues)


def occurrences(
    seq: Hashes,
    cues: Sequence[Cue],
    lo: int = 0,
    hi: int | None = None,
    index: Index | None = None,
) -> list[tuple[int, int, Cue]]:
    """Every (start, end, cue) of ``cues`` in ``seq[lo:hi]`` (end exclusive)."""
    hi = len(seq) if hi is None else hi
    found = []
    if index is not None:  # only the cues whose first word occurs at all (lists run long)
        firsts = _firsts(cues)
        present = sorted(c for h in firsts.keys() & index.keys() for c in firsts[h])
        cues = [cue for _, cue in present]
    for cue in cues:
        head = cue.parts[0]
        for i in _find(seq, head, lo, hi, index):
            end = i + len(head)
            ok = True
            for part in cue.parts[1:]:  # discontinuous cue: later parts follow, in order
                later = _find(seq, part, end, hi, index)
                if not later:
                    ok = False
                    break
                end = later[0] + len(part)
            if ok:
                found.append((i, i + len(head), cue))
    return found


@dataclass(frozen=True, slots=True)
class CompiledQualifier:
    name: str
    effect: str
    when: str = "present"
    cues: tuple[Cue, ...] = ()
    terminators: tuple[Cue, ...] = ()
    negators: tuple[Cue, ...] = ()
    negators_after: tuple[Cue, ...] = ()
    # "or", "nor": a negator reaches through them to a cue further on ("without prior notice to
    # or the consent of the Firm")
    joins: frozenset[int] = frozenset()
    # "without the need to obtain the consent of the Client": a negator reaches a cue further
    # back when only these words lie between
    fillers: frozenset[int] = frozenset()
    defined_names: bool = True
    direction: str = "both"
    window: int | str = "sentence"
    party: str | None = None


@dataclass
class SentenceContext:
    """One sentence of the document, as the qualifiers see it (offsets relative to it)."""

    hashes: list[int]
    texts: Callable[[int, int], str]  # (start, end) -> the original words
    clause_finder: Callable[[], list[tuple[int, int]]]  # clause bounds, covering the sentence
    parties: PartyLexicon
    obligation: tuple[Cue, ...] = ()
    # The plain lowercase hashes when a defined name was rewritten in this sentence
    # (``hashes`` then holds the canonical words): a cue written with the contract's own word
    # ("without the Company's consent") still counts, so aliases only ever add readings.
    original: list[int] | None = None
    # The first word after any list marker or section number: a cue there ("No fee ...",
    # "Neither Provider nor ...") governs the whole sentence, whatever the qualifier's window.
    head: int = 0
    # In an FAQ's question joined to its answer ("Q: Will my vCIO suggest any vendor? A: ..."),
    # the offset where the answer starts: the question's words give the answer its topic (a
    # required context may sit there) but grant or deny nothing (a present cue may not).
    asked: int = 0
    # Phrases in which a cue word is no cue ("no later than", "not only"): pseudo-triggers.
    pseudo: tuple[Cue, ...] = ()
    # For a list item, the sentence that introduces the list ("The vCIO will provide:"): an
    # item ("(b) a shortlist of three vendors ...") reads as the end of that sentence, so a
    # context the item must hold (a clause verb, a catalogue) may sit in its lead-in.
    lead_in: Callable[[], list[int] | None] | None = None
    # For an FAQ answer, the question it answers ("Q: How much of my vCIO's time do I get?" before
    # "A: Up to ten hours a month"): like a lead-in, it finishes the answer's sentence.
    question: Callable[[], list[int] | None] | None = None
    # For ``window: context``: the sentence before this one in its paragraph, where the topic a
    # sentence takes for granted is named ("You may buy laptops through us. If you do, we'll
    # price them at our cost plus 12%").
    around: Callable[[], list[int] | None] | None = None
    # For a table row of a responsibility matrix, the headings of the columns where the row marks
    # R or A: the row's subject ("vCIO" above "Monthly scoring of the service levels | R/A").
    owner: Callable[[], list[int] | None] | None = None
    # The shared lists' one-word party names and their roles (word hash -> "client"/"provider").
    word_roles: Mapping[int, str] = field(default_factory=dict)
    _clauses: list[tuple[int, int]] | None = field(default=None, repr=False)
    _index: dict[int, list[int]] | None = field(default=None, repr=False)
    _original_index: dict[int, list[int]] | None = field(default=None, repr=False)
    _pseudo_reach: list[int] | None = field(default=None, repr=False)
    _renamed: frozenset[int] = field(default=frozenset(), repr=False)
    _contrary: frozenset[int] = field(default=frozenset(), repr=False)
    _beyond: dict[str, tuple[list[int], dict[int, list[int]]]] = field(
        default_factory=dict, repr=False
    )
    _found: dict[int, tuple[Sequence[Cue], list]] = field(default_factory=dict, repr=False)

    @property
    def clauses(self) -> list[tuple[int, int]]:
        if self._clauses is None:
            self._clauses = self.clause_finder()
        return self._clauses

    @property
    def index(self) -> dict[int, list[int]]:
        if self._index is None:
            self._index = index_of(self.hashes)
        return self._index

    def find(self, cues: Sequence[Cue], lo: int = 0, hi: int | None = None) -> list:
        """(start, end, cue) of every cue in this sentence between ``lo`` and ``hi``.

        The whole sentence is searched once per cue list (rules share lists, and one sentence
        is asked about by several matches and qualifiers); a window filters that result, except
        for ``a ... b`` cues, whose later parts must fall inside the window too."""
        n = len(self.hashes)
        hi = n if hi is None else hi
        cached = self._found.get(id(cues))
        if cached is None or cached[0] is not cues:
            cached = (cues, self._search(cues, 0, n))
            self._found[id(cues)] = cached
        whole = cached[1]
        if not whole or (lo == 0 and hi == n):
            return list(whole)
        if not _gaps(cues):
            return [o for o in whole if lo <= o[0] and o[1] <= hi]
        return self._search(cues, lo, hi)

    def _search(self, cues: Sequence[Cue], lo: int, hi: int) -> list:
        found = occurrences(self.hashes, cues, lo, hi, self.index)
        if self.original is None:
            return found
        if self._original_index is None:
            self._original_index = index_of(self.original)
            self._renamed = frozenset(
                o for o, h in zip(self.original, self.hashes, strict=True) if o != h
            )
            # a party word the contract gives the other party's role ("the Company" defined as
            # the provider): the cue's "{client-names}" must not read it as the client
            roles = self.word_roles
            self._contrary = frozenset(
                i
                for i, (o, h) in enumerate(zip(self.original, self.hashes, strict=True))
                if o != h and {roles.get(o), roles.get(h)} == {"client", "provider"}
            )
        # Only a cue holding a renamed word can read differently in the original words.
        by_word = _words(cues)
        hit = sorted({i for h in self._renamed for i in by_word.get(h, ())})
        touched = [cues[i] for i in hit]
        if not touched:
            return found
        extra = occurrences(self.original, touched, lo, hi, self._original_index)
        if self._contrary:
            extra = [o for o in extra if not self._contrary.intersection(range(o[0], o[1]))]
        return list(dict.fromkeys(found + extra))

    def find_cues(
        self, cues: Sequence[Cue], lo: int = 0, hi: int | None = None, names: bool = True
    ) -> list:
        """Like :meth:`find`, without the cues that lie inside a pseudo-cue phrase (nor, with
        ``names`` false, those touching a name the contract defines)."""
        found = self.find(cues, lo, hi)
        if not names and self.original is not None:
            plain, canonical = self.original, self.hashes
            found = [o for o in found if all(plain[i] == canonical[i] for i in range(o[0], o[1]))]
        if not found or not self.pseudo:
            return found
        if self._pseudo_reach is None:
            # reach[i]: the furthest end of a pseudo-cue phrase starting at or before token i, so
            # a cue lies inside one exactly when reach[its start] >= its end
            spans = self.find(self.pseudo)
            reach: list[int] = []
            if spans:
                ends = [0] * (len(self.hashes) + 1)
                for s, e, _c in spans:
                    ends[s] = max(ends[s], e)
                best = 0
                for e in ends:
                    best = max(best, e)
                    reach.append(best)
            self._pseudo_reach = reach
        reach = self._pseudo_reach
        if not reach:
            return found
        return [o for o in found if reach[o[0]] < o[1]]

    def _read(self, where: str) -> tuple[list[int], dict[int, list[int]]]:
        """The words of the list lead-in (``"lead_in"``), of the question an answer answers
        (``"question"``), of the sentence before (``"around"``)
        or of a matrix row's owning columns (``"owner"``) and their index, read once per
        sentence."""
        cached = self._beyond.get(where)
        if cached is None:
            source = getattr(self, where)
            words = (source() if source is not None else None) or []
            cached = self._beyond[where] = (words, index_of(words) if words else {})
        return cached

    def beyond(
        self,
        where: str,
        cues: Sequence[Cue],
        reach: int | None = None,
        negators: Sequence[Cue] = (),
    ) -> bool:
        """Whether any of ``cues`` is in the list lead-in or the sentence before (in its last
        ``reach`` words, when given), not voided by one of ``negators`` right before it
        ("acknowledges having been informed" is no duty to inform)."""
        words, index = self._read(where)
        if not words:
            return False
        lo = 0 if reach is None else max(0, len(words) - reach)
        found = occurrences(words, cues, lo, len(words), index)
        if negators:
            found = [
                o
                for o in found
                if not occurrences(words, negators, max(0, o[0] - NEGATOR_REACH), o[0])
            ]
        return bool(found)

    def lead_in_tail(self, cues: Sequence[Cue]) -> Cue | None:
        """The cue among ``cues`` that ends a list's lead-in, just before its colon ("The
        Provider shall not:", "The following will be credited to the Client:"): it governs
        every item of the list."""
        words, _index = self._read("lead_in")
        if not words:
            return None
        end = len(words)  # the engine gives the lead-in without its colon
        lo = max(0, end - LEAD_IN_TAIL)
        found = [o for o in occurrences(words, cues, lo, end) if o[1] == end]
        return max(found, key=lambda o: o[1] - o[0])[2] if found else None

    def clause_of(self, start: int) -> tuple[int, int]:
        for lo, hi in self.clauses:
            if lo <= start < hi:
                return lo, hi
        return 0, len(self.hashes)


def _window(q: CompiledQualifier, ctx: SentenceContext, ms: int, me: int) -> tuple[int, int]:
    if q.window in ("sentence", "context"):
        return 0, len(ctx.hashes)
    if q.window == "clause":
        return ctx.clause_of(ms)
    w = int(q.window)
    lo = ms - w if q.direction in ("before", "both") else ms
    hi = me + w if q.direction in ("after", "both") else me
    return max(lo, 0), min(hi, len(ctx.hashes))


def _cue_hit(
    q: CompiledQualifier, ctx: SentenceContext, ms: int, me: int
) -> tuple[int, int, Cue] | None:
    lo, hi = _window(q, ctx, ms, me)

    def distance(o: tuple[int, int, Cue]) -> tuple[int, int]:
        cs, ce, _ = o
        gap = ms - ce if ce <= ms else (cs - me if cs >= me else 0)
        return gap, -(ce - cs)  # nearest first; "shall not" before "not"

    names = q.defined_names
    candidates = ctx.find_cues(q.cues, lo, hi, names)
    if isinstance(q.window, int) and q.direction in ("before", "both") and ctx.head < ms:
        # A sentence-initial cue scopes over the sentence ("No fee ... is payable if Client
        # employs ..."), however far the match is.
        candidates += [o for o in ctx.find_cues(q.cues, ctx.head, ms, names) if o[0] == ctx.head]
    if ctx.asked and q.when == "present":
        candidates = [o for o in candidates if o[0] >= ctx.asked]
    if q.negators or q.negators_after:
        # "without the Client's consent", "the Client's approval shall not be required": a cue
        # next to a negator is dispensed with
        n = len(ctx.hashes)
        candidates = [
            o
            for o in candidates
            if not (q.negators and _negated(q, ctx, o[0]))
            and not (
                q.negators_after and ctx.find(q.negators_after, o[1], min(n, o[1] + NEGATOR_AFTER))
            )
        ]
    for cs, ce, cue in sorted(dict.fromkeys(candidates), key=distance):
        overlaps = cs < me and ce > ms
        if overlaps:
            return cs, ce, cue
        if ce <= ms and q.direction in ("before", "both"):
            gap = (ce, ms)
        elif cs >= me and q.direction in ("after", "both"):
            gap = (me, cs)
        else:
            continue
        if q.terminators and ctx.find(q.terminators, *gap):
            continue  # a terminator ("but", "except", ";") closes the window
        return cs, ce, cue
    if q.when == "present" and q.direction in ("before", "both"):
        cue = ctx.lead_in_tail(q.cues)
        if cue is not None:  # "The vCIO will not:" then "- take a commission ...": inherited
            return 0, 0, cue
    return None


def _negated(q: CompiledQualifier, ctx: SentenceContext, cs: int) -> bool:
    """Whether a negator voids the cue at ``cs``: right before it, or further back across an
    "or" ("without prior notice to or the consent of the Firm") or across words of getting it
    ("without the need to obtain the consent of the Client")."""
    if ctx.find(q.negators, max(0, cs - NEGATOR_REACH), cs):
        return True
    far = ctx.find(q.negators, max(0, cs - NEGATOR_JOINED), cs)
    return any(
        any(h in q.joins for h in ctx.hashes[end:cs])
        or all(h in q.fillers for h in ctx.hashes[end:cs])
        for _, end, _ in far
    )


def _lead_in_reach(window: int, ctx: SentenceContext, ms: int) -> int:
    """How many of a list lead-in's last words a ``before`` window of ``window`` words reaches
    from a match at ``ms``: what is left of the window at the item's first word, or the whole
    window when no party is named in the item before the match ("The tasks of the Advisor
    shall include: ... d) drawing up a quarterly report ..., containing an assessment of how
    the Contractor has met the service levels": the lead-in's subject still acts)."""
    if ms - ctx.head >= window and not ctx.parties.find(ctx.hashes, ctx.head, ms):
        return window
    return window - (ms - ctx.head)


def evaluate(q: CompiledQualifier, ctx: SentenceContext, ms: int, me: int) -> QualifierHit | None:
    """The hit if qualifier ``q`` fires on the match ``[ms, me)`` of this sentence."""
    if q.party is not None:
        found = obligated_party(ctx, ms, me)
        role, mention = found if found else (None, "")
        fired = (role == q.party) == (q.when == "present")
        if not fired:
            return None
        return QualifierHit(q.name, mention or f"(not {q.party})", q.effect)
    if q.when == "absent":
        if q.window in ("sentence", "context") and q.direction == "both" and not q.terminators:
            # a required context anywhere in the sentence: whether any cue is there is enough
            # (and the whole-sentence search is shared by every rule asking for this list)
            if ctx.find_cues(q.cues, names=q.defined_names):
                return None
        elif _cue_hit(q, ctx, ms, me) is not None:
            return None
        if q.window in ("sentence", "context") and (
            ctx.beyond("lead_in", q.cues, negators=q.negators)
            or ctx.beyond("question", q.cues, negators=q.negators)
        ):
            return None
        if (
            isinstance(q.window, int)
            and q.direction in ("before", "both")
            and ctx.beyond("lead_in", q.cues, reach=_lead_in_reach(q.window, ctx, ms))
        ):
            # a list item continues its lead-in: in "The vCIO will provide: ... (d) a service
            # review report ...", the words before the item's first word are the lead-in's last
            return None
        if q.window == "context" and ctx.beyond("around", q.cues, negators=q.negators):
            return None
        if q.direction in ("before", "both") and ctx.beyond("owner", q.cues):
            return None  # a matrix row's R/A column names who does it, before its words
        listed = ", ".join(c.text for c in q.cues[:4]) + (", ..." if len(q.cues) > 4 else "")
        return QualifierHit(q.name, f"(none of: {listed})", q.effect)
    hit = _cue_hit(q, ctx, ms, me)
    if hit is None:
        return None
    cs, ce, cue = hit
    words = ctx.texts(cs, ce) if len(cue.parts) == 1 and ce > cs else cue.text
    return QualifierHit(q.name, words, q.effect)


@dataclass
class Outcome:
    """What a match becomes after its qualifiers."""

    family: str | None
    severity: str
    title: str
    hits: list[QualifierHit] = field(default_factory=list)
    dropped: bool = False


def apply(outcome: Outcome, hit: QualifierHit, protection_title: str | None) -> Outcome:
    """Apply one fired qualifier's effect."""
    outcome.hits.append(hit)
    effect = hit.effect
    if effect == "drop":
        outcome.dropped = True
    elif effect == "protection":
        outcome.family = "protection"
        outcome.title = protection_title or f"Contained: {outcome.title}"
    elif effect.startswith("severity:"):
        outcome.severity = effect.split(":", 1)[1]
    elif effect in ("downgrade", "upgrade"):
        rank = domain.severity_rank(outcome.severity) + (1 if effect == "downgrade" else -1)
        outcome.severity = domain.SEVERITIES[min(max(rank, 0), len(domain.SEVERITIES) - 1)]
    return outcome


# --------------------------------------------------------------------------- parties

_DEFINITION = re.compile(
    r"""(?:\(\s*|hereinafter\s+)(?:(?:hereinafter|herein)\s+)?
        (?:(?:referred\s+to|called|known)(?:\s+(?:here|herein|below))?\s+as\s+)?
        (?:the\s+|each\s+a\s+|an?\s+)?["“”'‘’]{1,2}(?:the\s+)?
        ([A-Z][A-Za-z0-9&.\- ]{0,38}[A-Za-z0-9])["“”'‘’]{1,2}""",
    re.VERBOSE,
)
NOT_A_PARTY = frozenset(
    "agreement effective date services service term parties party confidential information "
    "schedule exhibit sow statement of work order deliverables fees work product territory "
    "products software".split()
)


@dataclass
class PartyLexicon:
    """Words that name the provider or the client: the shared lists plus the document's own
    definitions (``Acme Ltd ("Consultant")``, ``(the "Company")``)."""

    mentions: dict[int, list[tuple[tuple[int, ...], str]]] = field(default_factory=dict)
    defined: dict[str, str] = field(default_factory=dict)  # defined name -> role
    possessives: frozenset[int] = frozenset()  # "'s", "’s": "Provider's staff" is no subject
    articles: frozenset[int] = frozenset()  # "the" in "credited to the Client"
    agent_cues: tuple[Cue, ...] = ()  # "by" (passive agent)
    beneficiary_cues: tuple[Cue, ...] = ()  # "to", "for the benefit of"
    prepositions: frozenset[int] = frozenset()  # "from", "with": a party after one is an object
    passive: frozenset[int] = frozenset()  # "be", "been": "shall be borne by the Client"

    def add(self, words: tuple[int, ...], role: str) -> None:
        bucket = self.mentions.setdefault(words[0], [])
        if all(w != words for w, _ in bucket):
            bucket.append((words, role))
            bucket.sort(key=lambda item: -len(item[0]))

    def copy(self) -> PartyLexicon:
        return PartyLexicon(
            {k: list(v) for k, v in self.mentions.items()},
            dict(self.defined),
            self.possessives,
            self.articles,
            self.agent_cues,
            self.beneficiary_cues,
            self.prepositions,
            self.passive,
        )

    def find(self, seq: Hashes, lo: int = 0, hi: int | None = None) -> list[tuple[int, int, str]]:
        hi = len(seq) if hi is None else hi
        out = []
        i = lo
        while i < hi:
            for words, role in self.mentions.get(seq[i], ()):
                if tuple(seq[i : i + len(words)]) == words and i + len(words) <= hi:
                    out.append((i, i + len(words), role))
                    i += len(words) - 1
                    break
            i += 1
        return out


def base_lexicon(cues: Mapping[str, tuple[Cue, ...]], tokenize: Tokenize) -> PartyLexicon:
    """The shared party lists (``@provider-party``, ``@client-party``) as a lexicon."""

    def hashes(words: Sequence[str]) -> frozenset[int]:
        return frozenset(h for w in words for h in tokenize(w)[:1])

    lex = PartyLexicon(
        possessives=hashes(["'s", "’s", "'", "’"]),
        articles=hashes(["the", "a", "an", "each"]),
        agent_cues=compile_cues(PASSIVE_AGENT, tokenize),
        beneficiary_cues=compile_cues(BENEFICIARY, tokenize),
        prepositions=hashes(OBJECT_PREPOSITIONS),
        passive=hashes(["be", "been"]),
    )
    for role in ("provider", "client"):
        for cue in cues.get(f"{role}-party", ()):
            lex.add(cue.parts[0], role)
    return lex


def _role_by_words(text: str, role_words: Mapping[str, Sequence[str]]) -> str | None:
    """The role whose word appears nearest the end of ``text`` (the defined name's context)."""
    best: tuple[int, str] | None = None
    low = text.lower()
    for role, words in role_words.items():
        for w in words:
            for m in re.finditer(r"\b" + re.escape(w) + r"\b", low):
                if best is None or m.start() > best[0]:
                    best = (m.start(), role)
    return best[1] if best else None


def document_lexicon(
    text: str, base: PartyLexicon, role_words: Mapping[str, Sequence[str]], tokenize: Tokenize
) -> PartyLexicon:
    """Add the parties the contract defines itself, deciding each one's role.

    A defined name that is itself a role word ("Consultant") takes that role; otherwise the role
    words just before it decide (``Beta LLC, the customer ("Company")``); failing that, in a
    two-party preamble the other party's opposite role is used."""
    found: list[tuple[str, str | None]] = []
    prev_end = 0
    head = text[:PREAMBLE_CHARS]  # parties are defined up front; later ones are terms
    for m in _DEFINITION.finditer(head):
        name = " ".join(m.group(1).split())
        if name.lower() in NOT_A_PARTY or any(n == name for n, _ in found):
            prev_end = m.end()
            continue
        role = _role_by_words(name, role_words)
        if role is None:
            context = head[max(prev_end, m.start() - 160) : m.start()]
            role = _role_by_words(context, role_words)
        found.append((name, role))
        prev_end = m.end()
    if not found:
        return base
    resolved = [r for _, r in found if r]
    if len(found) == 2 and len(resolved) == 1:
        other = "client" if resolved[0] == "provider" else "provider"
        found = [(n, r or other) for n, r in found]
    lex = base.copy()
    for name, role in found:
        if role:
            words = tokenize(name)
            if words:
                lex.add(words, role)
                lex.defined[name] = role
    return lex


def _possessive(seq: Hashes, end: int, possessives: frozenset[int]) -> bool:
    return end < len(seq) and seq[end] in possessives


def _object(seq: Hashes, start: int, lex: PartyLexicon) -> bool:
    """The mention follows a preposition ("away from us", "with the Client"): an object."""
    if start > 0 and seq[start - 1] in lex.articles:
        start -= 1
    return start > 0 and seq[start - 1] in lex.prepositions


def _passive_agent(
    ctx: SentenceContext, mentions: list[tuple[int, int, str]], verb_end: int
) -> tuple[str, str] | None:
    """The agent of a passive the obligation verb opens ("... shall be borne exclusively by
    the Company"): whatever party a long subject mentions, the agent is the one bound. Not an
    owner ("shall be bound by the Provider's policies")."""
    seq = ctx.hashes
    if verb_end >= len(seq) or seq[verb_end] not in ctx.parties.passive:
        return None
    lo, hi = verb_end + 1, min(len(seq), verb_end + 1 + PASSIVE_REACH)
    for _ps, pe, _cue in ctx.find(ctx.parties.agent_cues, lo, hi):
        # the first "by" names the agent, or there is none
        found = _party_after(ctx, mentions, pe)
        if found is None or _possessive(seq, found[1], ctx.parties.possessives):
            return None
        return found[2], ctx.texts(found[0], found[1])
    return None


def _party_after(
    ctx: SentenceContext, mentions: list[tuple[int, int, str]], at: int
) -> tuple[int, int, str] | None:
    """The party mention starting at token ``at``, or after an article there ("by the Client")."""
    seq = ctx.hashes
    for s, e, role in mentions:
        if s == at or (s == at + 1 and seq[at] in ctx.parties.articles):
            return s, e, role
    return None


def obligated_party(ctx: SentenceContext, ms: int, me: int) -> tuple[str, str] | None:
    """(role, mention) of the party the sentence obliges or benefits, nearest the match.

    The subject before the nearest obligation verb ("Client shall not solicit ..."), else the
    nearest party before the match ("Provider keeps all rebates"), else the agent of a passive
    ("... may not be solicited by Client"), else the beneficiary ("... credited to Client")."""
    seq = ctx.hashes
    mentions = ctx.parties.find(seq)
    if not mentions:
        return None
    possessives = ctx.parties.possessives
    # Subjects are never objects of a preposition; the passive agent and the beneficiary below
    # still read every mention.
    subjects_only = [m for m in mentions if not _object(seq, m[0], ctx.parties)]
    verbs = ctx.find(ctx.obligation)
    before = sorted((v for v in verbs if v[0] < ms), key=lambda v: -v[0])
    after = sorted((v for v in verbs if v[0] >= ms), key=lambda v: v[0])
    for vs, ve, _cue in before + after:
        agent = _passive_agent(ctx, mentions, ve)
        if agent is not None:
            return agent
        subjects = [
            m
            for m in subjects_only
            if m[1] <= vs and vs - m[1] <= PARTY_WINDOW and not _possessive(seq, m[1], possessives)
        ]
        if subjects:
            s, e, role = subjects[-1]
            return role, ctx.texts(s, e)
    subjects = [  # no obligation verb ("Provider keeps all rebates"): the nearest party before
        m  # the match, or opening it ("Company assumes all risk ... proposed by the Consultant")
        for m in subjects_only
        if m[0] <= ms and ms - m[1] <= PARTY_WINDOW and not _possessive(seq, m[1], possessives)
    ]
    if subjects:
        s, e, role = subjects[-1]
        return role, ctx.texts(s, e)
    for preps in (ctx.parties.agent_cues, ctx.parties.beneficiary_cues):
        for ps, pe, _cue in ctx.find(preps):
            if preps is ctx.parties.agent_cues and _participle_agent(ctx, ps):
                continue  # "a strategy proposed by the Consultant": a participle's agent
            found = _party_after(ctx, mentions, pe)
            if found:
                return found[2], ctx.texts(found[0], found[1])
    return None


def _participle_agent(ctx: SentenceContext, at: int) -> bool:
    """Whether the agent cue at ``at`` follows a participle that modifies a noun ("any strategy
    proposed by the Consultant is undertaken at the Company's risk"), not a passive ("may not be
    solicited by the Client") or a noun ("any recruitment by you"): its party binds nothing."""
    if at == 0 or not ctx.texts(at - 1, at).lower().endswith(("ed", "en")):
        return False
    return not any(h in ctx.parties.passive for h in ctx.hashes[max(0, at - PASSIVE_GAP) : at])
