"""The blank English pipeline and contract-aware sentence boundaries.

Contracts break sentences where spaCy's sentencizer does not (paragraph breaks, list markers such
as "(a)" or "1.2" at a line start, all-caps headings) and must not break where it does
("Acme Inc.", "U.S.", "Sec. 4", "No. 7", "e.g."). Boundaries are computed with regular expressions
over the text (C speed) and mapped onto tokens, which is both more accurate for contracts and
several times faster than running the sentencizer. The engine calls :func:`make_doc` and
:func:`sentence_starts` directly; :func:`get_nlp` also exposes them as a pipeline component
(``contract_sentences``) for callers that want ``doc.sents``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from spacy.language import Language

if TYPE_CHECKING:
    from spacy.tokens import Doc

# Abbreviations that never end a sentence ("Acme Inc. shall" is one sentence), among them
# personal titles ("Mag. Herbert Zöhrer", "Ing. Petra Novak", "Lic. Ana Ruiz").
ABBREVIATIONS = frozenset(
    "inc ltd co corp llc plc lp llp pty bv gmbh ag sa mr mrs ms dr st jr sr vs viz cf approx "
    "dept est fig assn bros prof mag ing eng lic mgr dipl dott sra mme".split()
)
# Abbreviations that only precede a number ("Sec. 4", "No. 7", "Art. 3").
NUMBER_ABBREVIATIONS = frozenset(
    "no nos sec secs art arts para paras cl p pp vol ch ex exh sched".split()
)

_END = re.compile(r"[.!?][\"'”’)\]]*\s+(?=[\"“'‘(\[]?[A-Z0-9])")
# A blank line: the break between paragraphs (sentences never run across one).
PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_LIST_MARKER = re.compile(
    r"(?m)^[ \t]*(?=(?:\([A-Za-z0-9]{1,4}\)|[a-z0-9]{1,2}\)|\d+(?:\.\d+)+\.?"
    r"|\d{1,3}\.|[ivxlcdm]{1,5}\.|[A-Z]\.|[•▪●◦·\-–*]"
    r"|(?:Section|SECTION|Article|ARTICLE)\s+[0-9IVXLC]+)[ \t]+\S)"
)
# A short all-caps line is a heading; a long one is a wrapped line of an all-caps disclaimer
# ("IN NO EVENT SHALL PROVIDER BE LIABLE FOR ...") and so is one ending in "," or "AND".
_CAPS_LINE = re.compile(
    r"(?m)^[ \t]*(?=[^a-z\n]*[A-Z]{2})[^a-z\n]{2,60}(?<![,;:])(?<!\bAND)(?<!\bOR)(?<!\bTHE)"
    r"(?<!\bOF)(?<!\bTO)(?<!\bFOR)(?<!\bANY)(?<!\bIN)[ \t]*\n(?=[ \t]*\S)"
)
_NUMBERING = re.compile(r"\d+(?:\.\d+)*|[ivxlcdm]{1,5}|[IVXLCDM]{1,5}")
_LINE_END = re.compile(r"\n[ \t]*(?=\S)")
MAX_SENTENCE_CHARS = 2000
HEADING_WORDS = 7  # an all-caps line of more words is a wrapped line of an all-caps paragraph
_INITIALISM = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]?")


def _is_abbreviation(text: str, dot: int) -> bool:
    """Whether the "." at ``dot`` closes an abbreviation rather than a sentence."""
    start = dot
    while start > 0 and not text[start - 1].isspace() and dot - start < 20:
        start -= 1
    word = text[start:dot].lstrip("(\"'“‘[")
    if not word:
        return False
    low = word.lower()
    if low in ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
        return True
    if _NUMBERING.fullmatch(word):  # "1. Fees", "2.3. Term", "iv. Scope": a heading number
        return True
    if _INITIALISM.fullmatch(word + "."):  # U.S., e.g., i.e.
        return True
    if low in NUMBER_ABBREVIATIONS:
        nxt = text[dot + 1 : dot + 4].lstrip()
        return bool(nxt) and nxt[0].isdigit()
    return False


def sentence_char_starts(text: str) -> list[int]:
    """Character offsets where sentences start (always including 0), sorted."""
    starts = {0}
    for m in _END.finditer(text):
        if text[m.start()] == "." and _is_abbreviation(text, m.start()):
            continue
        starts.add(m.end())
    starts.update(m.end() for m in PARAGRAPH_BREAK.finditer(text))
    starts.update(m.end() for m in _LIST_MARKER.finditer(text))
    starts.update(
        m.end() for m in _CAPS_LINE.finditer(text) if len(m.group().split()) <= HEADING_WORDS
    )
    ordered = _join_answers(text, sorted(starts))
    # An unpunctuated run (a table, a list without full stops) would make one huge "sentence":
    # quote-worthy units come back by breaking such runs at their line ends.
    extra = []
    for a, b in zip(ordered, [*ordered[1:], len(text)], strict=True):
        if b - a > MAX_SENTENCE_CHARS:
            extra += [m.end() for m in _LINE_END.finditer(text, a, b)]
    return sorted(starts.union(extra)) if extra else ordered


# An FAQ's question and the first sentence of its answer ("Q: How much of Dana's time does the
# Company get? A: Three days in each month"): one sentence, so that the answer is read with the
# advisor or the topic its question names
# (numbered or lettered as an item: "2. Q: ...", "(c) Question: ...")
_ITEM = r"(?:(?:\d+(?:\.\d+)*\.?|\(?[a-z0-9]{1,3}\))[ \t]+)?"
_QUESTION = re.compile(r"[ \t*]*" + _ITEM + r"(?:Q|Question)\s?[:.]\s")
_ANSWER = re.compile(r"[ \t*]*(?:A|Answer)\s?[:.]\s")


def _join_answers(text: str, ordered: list[int]) -> list[int]:
    """``ordered`` without the starts of answers that directly follow their question."""
    out: list[int] = []
    for start in ordered:
        if out and _ANSWER.match(text, start):
            question = text[out[-1] : start]
            if (
                _QUESTION.match(question)
                and question.rstrip().endswith("?")
                and not PARAGRAPH_BREAK.search(question)
            ):
                continue
        out.append(start)
    return out


def sentence_starts(doc: Doc, text: str | None = None) -> list[int]:
    """Token indices where sentences start (always including 0 for a non-empty doc).

    Pass ``text`` when you have it: ``doc.text`` is rebuilt token by token and is slow."""
    import numpy as np
    from spacy.attrs import IDX

    if len(doc) == 0:
        return []
    idx = doc.to_array([IDX]).ravel().astype(np.int64)
    chars = np.asarray(sentence_char_starts(doc.text if text is None else text), dtype=np.int64)
    toks = np.unique(np.searchsorted(idx, chars))
    toks = toks[toks < len(doc)]
    out = toks.tolist()
    if not out or out[0] != 0:
        out.insert(0, 0)
    return out


@Language.component("contract_sentences")
def contract_sentences(doc: Doc) -> Doc:
    """Pipeline component: set ``is_sent_start`` from :func:`sentence_starts`."""
    import numpy as np
    from spacy.attrs import SENT_START

    if len(doc):
        flags = np.full((len(doc), 1), -1, dtype=np.int32)
        flags[sentence_starts(doc), 0] = 1
        doc.from_array([SENT_START], flags.astype("uint64"))
    return doc


@lru_cache(maxsize=1)
def get_nlp() -> Language:
    """``spacy.blank("en")`` + ``contract_sentences``, built once per process."""
    import spacy

    nlp = spacy.blank("en")
    _drop_numeric_emoticons(nlp)
    nlp.add_pipe("contract_sentences")
    return nlp


def _drop_numeric_emoticons(nlp: Language) -> None:
    """spaCy keeps emoticons such as "8)" and "<3" whole; in a contract they are the end of
    "eight (8) hours" and "less than 3", and a rule must see the number."""
    from spacy.lang.tokenizer_exceptions import emoticons

    drop = {e for e in emoticons if any(c.isdigit() for c in e)}
    nlp.tokenizer.rules = {k: v for k, v in nlp.tokenizer.rules.items() if k not in drop}


def make_doc(text: str) -> Doc:
    """Tokenize only (no components): the engine computes sentences itself."""
    return get_nlp().make_doc(text)
