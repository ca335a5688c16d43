"""Blocks -> Document: join paragraphs, map pages, and find the numbered sections.

Sections are detected from the start of each block, because that is where contracts put their
numbers whatever the format (``1.``, ``1.1``, ``3.2.1``, ``Section 4``, ``ARTICLE IV``,
``Article 2``, ``(a)``, ``(iv)``, ``Schedule B``, short ALL-CAPS headings), plus whatever a DOCX
told us (heading styles, reconstructed automatic numbers). Nesting comes from an outline stack:
a marker of a style already on the stack closes everything below it (a sibling), a new style
opens a child. So ``ARTICLE II`` > ``2.1`` > ``(a)`` > ``(i)`` nests without a fixed table of
levels, which matters because every drafter orders these styles differently.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from contract_audit.model import Block, Document, Page, Section

__all__ = ["build_document", "detect_marker", "looks_like_heading", "Marker", "starts_block"]

BLOCK_SEPARATOR = "\n\n"

_ROMAN = r"(?:m{0,3}(?:cm|cd|d?c{0,3})(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3}))"
_ROMAN_RE = re.compile(rf"{_ROMAN}", re.IGNORECASE)

# "ARTICLE IV", "Article 2", "Section 4.1", "Schedule B", "Exhibit A-1", "Annex 3", ...
# (and the civil-law paragraph sign: "§ 4 Remuneration", "§ 12 Term")
_NAMED = re.compile(
    r"(?P<word>(?:ARTICLE|Article|SECTION|Section|SCHEDULE|Schedule|EXHIBIT|Exhibit|ANNEX|Annex|"
    r"APPENDIX|Appendix|ADDENDUM|Addendum|ATTACHMENT|Attachment|PART|Part)(?=\s)|§)"
    r"\s*(?P<num>\d{1,3}(?:\.\d{1,3})*|[IVXLC]{1,7}|[A-Z](?:-\d{1,2})?)\b\.?"
)
_TOP_WORDS = {"schedule", "exhibit", "annex", "appendix", "addendum", "attachment"}
# "1.", "1.1", "3.2.1", "1.1." followed by text
_DECIMAL = re.compile(r"(?P<num>\d{1,3}(?:\.\d{1,3}){0,5})(?P<dot>\.?)(?=\s+\S|$)")
# "(a)", "(iv)", "(A)", "(1)", "a)", "iv)"
_PAREN = re.compile(
    r"(?P<num>\((?:[a-z]{1,4}|[A-Z]{1,4}|\d{1,2})\)|(?:[a-z]{1,4}|\d{1,2})\))(?=\s+\S|$)"
)
# "C1", "B6.", "D2.1" followed by a capitalised word: a schedule's own paragraph numbering
_PREFIXED = re.compile(r"(?P<num>[A-Z]\d{1,2}(?:\.\d{1,2}){0,3})\.?(?=\s+[\"'A-Z(])")
# "A.", "b.", "IV." followed by text that starts with a capital or a quote
_LETTER_DOT = re.compile(r"(?P<num>[A-Za-z]|[IVXivx]{2,5})\.(?=\s+[\"'A-Z(])")

# What follows a number that is being cited, not used as a heading.
_REFERENCE_TAIL = re.compile(
    r"\s*(?:[,;)\]]|(?:of|shall|and|or|to|in|on|at|by|hereto|hereof|herein|thereof|above|below|"
    r"attached|will|may|must|is|are|was|as|for|which|that|the|under|with|sets|describes|lists|"
    r"applies|apply|between|through|until|unless|except)\b)"
)

#: Does a line start with something that may begin a new block (a number, a bullet, a named
#: part)? A quick filter: :func:`starts_block` confirms with :func:`detect_marker`.
SECTION_START = re.compile(
    r"\s*(?:(?:ARTICLE|Article|SECTION|Section|SCHEDULE|Schedule|EXHIBIT|Exhibit|ANNEX|Annex|"
    r"APPENDIX|Appendix)\s+[\dIVXLCA-Z]|§\s*\d|\d{1,3}(?:\.\d{1,3})*\.?\s+[A-Z\"(]|\d{1,3}\.\d{1,3}\s|"
    r"\((?:[a-z]{1,4}|[A-Z]{1,4}|\d{1,2})\)\s|(?:[A-Za-z]|[ivxIVX]{2,5})\.\s+[A-Z\"(]|[*\u2022-]\s"
    r"|[A-Z]\d{1,2}(?:\.\d{1,2}){0,3}\.?\s+[A-Z\"(])"
)

_MAX_HEADING_WORDS = 12
_CAPS_MAX_WORDS = 10


@dataclass(frozen=True, slots=True)
class Marker:
    """A section marker found at the start of a block.

    ``style`` is what the outline stack compares ("decimal", "lower-alpha", "ARTICLE", ...);
    ``depth`` orders markers of one style (``1`` < ``1.1`` < ``1.1.1``); ``top`` markers
    (schedules, exhibits) always start a new top-level part.
    """

    number: str
    style: str
    depth: int
    rest: str  # the block text after the marker
    top: bool = False


def _is_roman(s: str) -> bool:
    return bool(s) and bool(_ROMAN_RE.fullmatch(s))


def _alpha_or_roman(token: str, previous: dict[str, str], prefix: str) -> str:
    """Classify ``i``, ``v``, ``x`` ...: a letter if it continues a letter run (``h`` -> ``i``)."""
    case = "lower" if token.islower() else "upper"
    alpha, roman = f"{prefix}-{case}-alpha", f"{prefix}-{case}-roman"
    if len(token) == 1 and _is_roman(token):
        last = previous.get(alpha)
        if last and len(last) == 1 and ord(token.lower()) == ord(last.lower()) + 1:
            return alpha
        low = token.lower()
        if low == "i" or (low in {"v", "x"} and roman in previous):
            return roman
        return alpha
    return roman if _is_roman(token) else alpha


def detect_marker(text: str, previous: dict[str, str] | None = None) -> Marker | None:
    """The section marker at the start of ``text``, or None.

    ``previous`` maps a style to the last value seen in it, to tell ``(i)`` the letter (after
    ``(h)``) from ``(i)`` the roman numeral.
    """
    previous = previous or {}
    s = text.lstrip()
    m = _NAMED.match(s)
    if m:
        word = m.group("word")
        num = m.group("num")
        rest = s[m.end() :]
        if _REFERENCE_TAIL.match(rest):
            return None  # "Exhibit A, as updated" / "Section 4.2 of this Agreement": a reference
        if word.lower() in ("section", "§") or (word.lower() == "part" and num[0].isdigit()):
            depth = num.count(".") + 1
            return Marker(f"{word} {num}", word.lower(), depth, rest)
        return Marker(f"{word} {num}", word.lower(), 1, rest, top=word.lower() in _TOP_WORDS)
    m = _DECIMAL.match(s)
    if m:
        num = m.group("num")
        rest = s[m.end() :]
        if "." not in num and not m.group("dot"):
            return None  # "12 months ..." is a sentence, not a section
        if "." not in num:
            first = rest.lstrip()[:1]
            if not (first.isupper() or first in "\"'(" or not first):
                return None  # "1. the" is more likely a broken sentence than a heading
        parts = num.split(".")
        if len(parts) > 1 and (_REFERENCE_TAIL.match(rest) or rest.lstrip()[:1].islower()):
            return None  # "2.1 of the Order Form", "3.5 million": a wrapped sentence
        if int(parts[0]) > 300 or (len(parts) == 2 and len(parts[1]) > 2 and not rest.strip()):
            return None
        return Marker(num, "decimal", len(parts), rest)
    m = _PAREN.match(s)
    if m:
        raw = m.group("num")
        token = raw.strip("()")
        rest = s[m.end() :]
        closed = "paren" if raw.startswith("(") else "half"
        style = f"{closed}-digit" if token.isdigit() else _alpha_or_roman(token, previous, closed)
        if token.isdigit() and token != "1" and previous:
            if previous.get(style) != str(int(token) - 1):
                return None  # "(10)" with no "(9)" before it: "ten (10) days", not an item
        if style.endswith("alpha") and len(token) > 1 and len(set(token)) > 1:
            return None  # "(ab)" is not an outline marker
        return Marker(raw, style, 1, rest)
    m = _PREFIXED.match(s)
    if m and not _REFERENCE_TAIL.match(s[m.end() :]):
        num = m.group("num")
        return Marker(num, f"prefixed-{num[0]}", num.count(".") + 1, s[m.end() :])
    m = _LETTER_DOT.match(s)
    if m:
        token = m.group("num")
        style = _alpha_or_roman(token, previous, "dot")
        return Marker(f"{token}.", style, 1, s[m.end() :])
    return None


# A contents line ends in its page number: "Fees ........ 12" and "DEFINITIONS1" say so
# alone; "Term. 5" or "Counterparts 18" only in a run of such lines.
_TOC_STRONG = re.compile(r"(?:\.{3,}|\.\s?\.|[A-Z]{3,})\s*\d{1,3}$")
_TOC_WEAK = re.compile(r"[A-Za-z)][.:]?\s+\d{1,3}$")
_TOC_RUN = 3


def _contents_lines(blocks: list[Block]) -> set[int]:
    """Indexes of blocks that are table-of-contents entries (they repeat the headings)."""
    strong: set[int] = set()
    weak: list[int] = []
    for i, block in enumerate(blocks):
        text = block.text.strip()
        if len(text.split()) > 14:
            continue
        if _TOC_STRONG.search(text):
            strong.add(i)
        elif _TOC_WEAK.search(text):
            weak.append(i)
    found = set(strong)
    flagged = sorted(strong | set(weak))
    run: list[int] = []
    for i in [*flagged, -2]:
        if run and i != run[-1] + 1:
            if len(run) >= _TOC_RUN:
                found.update(run)
            run = []
        run.append(i)
    return found


_BULLET = re.compile(r"\s*[*\u2022-]\s")
_PAREN_NUMBER = re.compile(r"\s*\(\d+\)")
# Last words of a line after which the next line continues a citation, not a new clause.
_REFERENCE_WORDS = frozenset(
    "section sections clause clauses article articles paragraph paragraphs exhibit exhibits "
    "schedule schedules annex appendix subsection subsections item items see".split()
)
_NUMBER_WORDS = frozenset(
    "one two three four five six seven eight nine ten eleven twelve fifteen twenty thirty "
    "forty fifty sixty seventy eighty ninety hundred thousand million".split()
)


def _last_word(line: str) -> str:
    return line.rstrip().rsplit(" ", 1)[-1].lower()


def starts_block(line: str, previous_line: str = "") -> bool:
    """Does this line open a new paragraph by its first characters (a number, a bullet)?

    A reference that a line wrap put at the start of a line (``Exhibit A, as updated``) does
    not, nor does the figure in ``thirty`` / ``(30) days``."""
    if not SECTION_START.match(line):
        return False
    if previous_line:
        last = _last_word(previous_line)
        if last in _REFERENCE_WORDS:
            return False  # "... as set out in Section" / "3.1. MDF may be used ..."
        if last in _NUMBER_WORDS and _PAREN_NUMBER.match(line):
            return False
    return bool(_BULLET.match(line)) or detect_marker(line) is not None


def _caps_heading(text: str) -> bool:
    """A short ALL-CAPS line such as ``CONFIDENTIALITY`` or ``TERMS AND CONDITIONS``."""
    if len(text) > 90:
        return False
    s = text.strip()
    if not s or "\n" in s or len(s) > 80 or s[-1] in ".,;":
        return False
    words = s.split()
    if len(words) > _CAPS_MAX_WORDS:
        return False
    return s.isupper() and sum(c.isalpha() for c in s) >= 4


_SENTENCE_WORDS = frozenset(
    "shall will may must means mean is are be agrees agree has have includes include".split()
)
# Verbs that make a clause when written in lower case ("The Technology Advisor reports to the
# CEO. On all advisory matters ..."); capitalised they may be a caption ("Reports and Meetings")
_LOWER_CLAUSE_VERBS = frozenset(
    "reports acts serves provides receives pays owes keeps retains takes gives answers "
    "decides approves performs".split()
)


def looks_like_heading(text: str) -> bool:
    """``Fees and Payment`` yes; ``refuse any payment from a vendor; and`` no.

    A heading is short, starts with a capital, does not end like a sentence or a list item,
    has no verb a clause would need, and capitalises most of its longer words (or is tiny).
    """
    s = text.strip()
    words = s.split()
    if not words or len(words) > 10 or not (s[0].isupper() or s[0] in "\"'"):
        return False
    if s[-1] in ".,;:" or ";" in s:
        return False
    if any(w.lower().strip(",") in _SENTENCE_WORDS for w in words):
        return False
    if any(w.strip(",") in _LOWER_CLAUSE_VERBS for w in words):
        return False
    compact = s.replace(" ", "")
    if sum(c.isalpha() for c in compact) < 0.6 * len(compact):
        return False  # "By: ______ By: ______", "$4,200 | 12%": not words
    long_words = [w.strip("\"'([*_") for w in words]
    long_words = [w for w in long_words if len(w) > 3 and w[0].isalpha()]
    capitalised = sum(1 for w in long_words if w[0].isupper())
    return len(words) <= 3 or capitalised * 2 >= len(long_words)


def _heading_of(rest: str) -> str:
    """The heading words after a marker: ``Fees. Client shall...`` -> ``Fees``; a whole short
    block (``ARTICLE IV CONFIDENTIALITY``) -> the words after the number; else ""."""
    rest = rest.strip().lstrip(".:-\u2013\u2014 ").strip()
    if not rest:
        return ""
    first_line = rest.split("\n", 1)[0].strip()
    if first_line == rest and looks_like_heading(first_line.rstrip(".:")):
        if first_line[-1] not in ".:" or _title_case(first_line):
            return first_line.rstrip(".:").strip()  # "Fees" / "Fees and Payment." alone
    m = re.match(r"(.{1,80}?)(?:\.\s|:\s|\s[-\u2013\u2014]\s)", first_line)
    if m and len(m.group(1).split()) <= 8 and looks_like_heading(m.group(1)):
        return m.group(1).strip()  # run-in heading: "Fees. Client shall pay ..."
    caps = re.match(r"([A-Z][A-Z0-9&,'/ -]{2,80}?)(?=\s+[A-Z][a-z]|\s*$)", first_line)
    if caps and _caps_heading(caps.group(1)):
        return caps.group(1).strip()  # "CONFIDENTIALITY Each party shall..."
    return ""


def _title_case(text: str) -> bool:
    """Every word of four letters or more capitalised: ``Limitation of Liability.``"""
    return all(w[0].isupper() or not w[0].isalpha() for w in text.split() if len(w) > 3)


def _short(text: str) -> bool:
    return looks_like_heading(text) or _caps_heading(text)


@dataclass(slots=True)
class _Open:
    """A section under construction (its end is found later)."""

    number: str
    heading: str
    start: int
    level: int
    parent: int | None
    style: str
    depth: int
    end: int = -1


def build_document(
    blocks: Iterable[Block],
    *,
    format: str,
    path: str = "",
    warnings: Sequence[str] = (),
) -> Document:
    """Join ``blocks`` with blank lines and compute pages and sections.

    Empty blocks add no text but still register their page, so a blank page keeps its number.
    Each page runs from its first block to the start of the next page; each section from its
    block to the next section of the same or a higher level.
    """
    parts: list[str] = []
    starts: list[int] = []
    kept: list[Block] = []
    page_first: dict[int, int] = {}
    pos = 0
    for block in blocks:
        text = block.text.strip()
        if block.page not in page_first:
            page_first[block.page] = pos if not parts else pos + len(BLOCK_SEPARATOR)
        if not text:
            continue
        if parts:
            pos += len(BLOCK_SEPARATOR)
        starts.append(pos)
        parts.append(text)
        kept.append(block)
        pos += len(text)
    full = BLOCK_SEPARATOR.join(parts)
    pages = _pages(page_first, kept, starts, len(full))
    sections = _sections(kept, starts, len(full))
    return Document(
        text=full,
        pages=pages,
        sections=sections,
        warnings=tuple(warnings),
        format=format,
        path=str(path),
    )


def _pages(
    page_first: dict[int, int], kept: list[Block], starts: list[int], length: int
) -> tuple[Page, ...]:
    if not page_first:
        return ()
    # A page starts where its first non-empty block starts; an empty page sits where it was seen.
    first_text: dict[int, int] = {}
    for block, start in zip(kept, starts, strict=True):
        first_text.setdefault(block.page, start)
    numbers = sorted(page_first)
    begin = {n: min(first_text.get(n, page_first[n]), length) for n in numbers}
    out: list[Page] = []
    last = 0
    for i, n in enumerate(numbers):
        start = max(begin[n], last) if i else 0
        end = begin[numbers[i + 1]] if i + 1 < len(numbers) else length
        end = max(end, start)
        out.append(Page(number=n, start=start, end=end))
        last = end
    return tuple(out)


def _sections(kept: list[Block], starts: list[int], length: int) -> tuple[Section, ...]:
    opened: list[_Open] = []
    stack: list[int] = []  # indexes into ``opened``
    previous: dict[str, str] = {}
    skip_next = False
    toc = _contents_lines(kept)
    for i, (block, start) in enumerate(zip(kept, starts, strict=True)):
        if skip_next:
            skip_next = False
            continue
        text = block.text.strip()
        if i in toc:
            continue  # "ARTICLE IV FEES....12": a table-of-contents line, not the article
        found = _classify(block, text, previous, kept[i + 1] if i + 1 < len(kept) else None)
        if found is None:
            continue
        number, heading, style, depth, top = found
        bare = number and text.rstrip(".:") in (number, number.rstrip("."))
        if bare and not heading and i + 1 < len(kept):
            nxt = kept[i + 1].text.strip()
            if _short(nxt) and detect_marker(nxt) is None and kept[i + 1].heading_level is None:
                heading = nxt  # "ARTICLE IV" / "CONFIDENTIALITY" on two lines
                skip_next = True
        if top:
            stack.clear()
        else:
            _close_siblings(stack, opened, number, style, depth)
        parent = stack[-1] if stack else None
        level = len(stack) + 1
        opened.append(_Open(number, heading, start, level, parent, style, depth))
        stack.append(len(opened) - 1)
    # Close each section at the next one of the same or a higher level (one pass, a stack).
    unclosed: list[_Open] = []
    for o in opened:
        while unclosed and unclosed[-1].level >= o.level:
            unclosed.pop().end = o.start
        unclosed.append(o)
    for o in unclosed:
        o.end = length
    return tuple(
        Section(
            number=o.number,
            heading=o.heading,
            start=o.start,
            end=o.end,
            level=o.level,
            parent=o.parent,
        )
        for o in opened
    )


_TOP_STYLES = {"schedule", "exhibit", "annex", "appendix", "addendum", "attachment"}
# Styles that sit above any numbering they meet unless a schedule encloses them.
_MAJOR_STYLES = {"article", "part", "caps", "title"}
# Lower outranks higher; styles not listed (numbering) never enclose a major style.
_RANKS = {**dict.fromkeys(_TOP_STYLES, 0), "article": 1, "part": 1, "caps": 2, "title": 3}


def _close_siblings(
    stack: list[int], opened: list[_Open], number: str, style: str, depth: int
) -> None:
    """Pop the stack down to where a new ``style``/``depth`` marker belongs."""
    for pos, idx in enumerate(stack):
        o = opened[idx]
        if o.style != style:
            continue
        if o.depth >= depth:
            del stack[pos:]
            return
        if style == "decimal" and not number.startswith(o.number + "."):
            del stack[pos:]  # "2.1" after "1." belongs beside it, not inside it
            return
    if style == "heading":
        # Word heading styles are authoritative: a "Heading 2" sits under the nearest shallower
        # heading, whatever numbered paragraphs came in between.
        for pos in range(len(stack) - 1, -1, -1):
            o = opened[stack[pos]]
            if (o.style == "heading" and o.depth < depth) or o.style in _TOP_STYLES:
                del stack[pos + 1 :]
                return
        stack.clear()
        return
    if style in _MAJOR_STYLES:
        # An ARTICLE, or an unnumbered heading, outranks the numbering seen so far: it goes
        # under the nearest part that outranks it (a schedule; an article or an ALL-CAPS
        # heading for a Title Case heading), else to the top.
        above = _RANKS[style]
        for pos in range(len(stack) - 1, -1, -1):
            if _RANKS.get(opened[stack[pos]].style, 99) < above:
                del stack[pos + 1 :]
                return
        stack.clear()


def _classify(
    block: Block, text: str, previous: dict[str, str], nxt: Block | None = None
) -> tuple[str, str, str, int, bool] | None:
    """(number, heading, style, depth, top) for a block that opens a section, else None."""
    short = _short(text)
    if block.number:
        marker = detect_marker(block.number, previous)
        rest = text[len(block.number) :] if text.startswith(block.number) else text
        heading = _heading_of(rest)
        number = block.number.rstrip(".") if marker and marker.style == "decimal" else block.number
        if marker:
            previous[marker.style] = marker.number.strip("().")
            style, depth = marker.style, marker.depth
        else:
            style, depth = f"numbered-{block.number[-1:]}", 1
        if block.heading_level is not None:
            style, depth = "heading", block.heading_level
        return number, heading, style, depth, bool(marker and marker.top)
    marker = detect_marker(text, previous)
    if marker is not None:
        previous[marker.style] = marker.number.split()[-1].strip("().")
        number = marker.number.rstrip(".") if marker.style == "decimal" else marker.number
        heading = _heading_of(marker.rest)
        if block.heading_level is not None:
            return number, heading, "heading", block.heading_level, False
        return number, heading, marker.style, marker.depth, marker.top
    if block.heading_level is not None:
        heading = text if short else _heading_of(text)
        return ("", heading, "heading", block.heading_level, False) if heading else None
    # Unnumbered headings need a body after them, which tells "Payment & Taxes" above a clause
    # from "Print Name" above a signature line, or "COMPANY" above an address.
    if nxt is None or not _opens_body(nxt.text, previous):
        return None
    if _caps_heading(text):
        return "", text, "caps", 1, False
    if (
        looks_like_heading(text)
        and _title_case(text)
        and len(text.split()) <= 6
        and not _NOT_TITLE.search(text)
    ):
        return "", text, "title", 1, False
    return None


# Title Case lines that are names, labels or dates rather than headings.
_NOT_TITLE = re.compile(
    r"\d|:\s*\S|,\s*(?:LLC|L\.L\.C\.|Inc\.?|Ltd\.?|PLLC|LLP|LP|Corp\.?|GmbH|plc)\b|"
    r"\b(?:LLC|Inc\.|Ltd|PLLC|LLP|Corporation|Limited)\.?$|^Page$"
)


def _opens_body(text: str, previous: dict[str, str]) -> bool:
    """Is ``text`` a clause (long enough) or a numbered block: something a heading can head?"""
    s = text.strip()
    words = len(s.split())
    return (
        words >= 6
        or (words >= 3 and s[-1] in ".;:")
        or detect_marker(s, dict(previous)) is not None
    )
