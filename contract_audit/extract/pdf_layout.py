"""PDF layout: from text runs with boxes to paragraphs in reading order.

Everything here is plain geometry over what :mod:`.pdf` read with PDFium: runs are grouped
into lines (top to bottom, left to right), two-column pages are split at their gutter, running
headers and footers are dropped, and lines are joined into paragraphs. Kept apart from the
PDFium calls so each half can be read (and tuned) on its own.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from itertools import accumulate
from statistics import median

from contract_audit.extract.normalize import normalize
from contract_audit.extract.paragraphs import (
    Vocabulary,
    continues_figure,
    join_lines,
    open_ended,
    starts_block,
)
from contract_audit.model import Block

# Candidate header/footer lines: this many lines at each end of a page; a bare page number
# must also be a page's first/last line or sit inside this share of the page height.
EDGE_LINES = 3
EDGE_BAND = 0.14
_PAGE_NUMBER = re.compile(
    r"[-\u2013\u2014\s]*(?:page\s*)?(?:\d{1,4}|[ivxlc]{1,6})(?:\s*(?:of|/)\s*\d{1,4})?"
    r"[-\u2013\u2014\s]*",
    re.IGNORECASE,
)
_DIGITS = re.compile(r"\d+")
# "17.5.2make" / "(a)the": a clause number set at a tab stop comes out glued to its text.
_GLUED_NUMBER = re.compile(r"^(\d{1,3}(?:\.\d{1,3})+\.?|\((?:[a-z]{1,4}|\d{1,2})\))(?=[A-Za-z])")


@dataclass(slots=True)
class Seg:
    """A run of text on one line, in top-down coordinates (points)."""

    x0: float
    top: float
    x1: float
    bottom: float
    text: str
    space_after: bool  # PDFium put a space after it: a word boundary even if boxes touch


@dataclass(slots=True)
class Line:
    x0: float
    top: float
    x1: float
    bottom: float
    text: str
    cells: int = 1  # pieces of one visual row separated by wide gaps: >1 is a table row

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass(slots=True)
class Page:
    number: int
    width: float
    height: float
    regions: list[list[Line]]  # reading order: each region is a column or a full-width band
    two_column: bool
    broken: bool = False  # PDFium could not load the page object


def group_lines(segs: list[Seg]) -> list[Line]:
    """Group runs into lines by vertical overlap, then order each line left to right."""
    segs = sorted(segs, key=lambda s: s.top + s.bottom)
    rows: list[list[Seg]] = []
    top = bottom = 0.0
    for seg in segs:
        mid = (seg.top + seg.bottom) / 2
        if rows and abs(mid - (top + bottom) / 2) < max((bottom - top) * 0.5, 2.0):
            rows[-1].append(seg)
            top, bottom = min(top, seg.top), max(bottom, seg.bottom)
            continue
        rows.append([seg])
        top, bottom = seg.top, seg.bottom
    lines: list[Line] = []
    for row in rows:
        row.sort(key=lambda s: s.x0)
        # Split the row where a gap is wide enough to be a column gutter (handled later).
        cur = [row[0]]
        for seg in row[1:]:
            prev = cur[-1]
            h = max(prev.bottom - prev.top, 1.0)
            if seg.x0 - prev.x1 > 2.5 * h:
                lines.append(_line(cur))
                cur = [seg]
            else:
                cur.append(seg)
        lines.append(_line(cur))
    return lines


def _line(segs: list[Seg]) -> Line:
    text = segs[0].text
    for prev, seg in zip(segs, segs[1:], strict=False):
        gap = seg.x0 - prev.x1
        h = max(prev.bottom - prev.top, 1.0)
        text += (" " if prev.space_after or gap > 0.2 * h else "") + seg.text
    return Line(
        min(s.x0 for s in segs),
        min(s.top for s in segs),
        max(s.x1 for s in segs),
        max(s.bottom for s in segs),
        _GLUED_NUMBER.sub(r"\1 ", normalize(text), count=1),
    )


def split_columns(lines: list[Line], width: float) -> tuple[list[list[Line]], bool]:
    """Split a page into reading regions: full-width bands, and column pairs read left first."""
    if len(lines) < 6:
        return [lines], False
    gutter = _find_gutter(lines, width)
    if gutter is None:
        return [lines], False
    lo, hi = gutter
    regions: list[list[Line]] = []
    left: list[Line] = []
    right: list[Line] = []
    band: list[Line] = []

    def flush_columns() -> None:
        if left:
            regions.append(list(left))
        if right:
            regions.append(list(right))
        left.clear()
        right.clear()

    for line in lines:  # already top to bottom
        if line.x1 <= hi:
            if band:
                regions.append(list(band))
                band.clear()
            left.append(line)
        elif line.x0 >= lo:
            if band:
                regions.append(list(band))
                band.clear()
            right.append(line)
        else:  # crosses the gutter: a full-width title or paragraph ends the column pair
            flush_columns()
            band.append(line)
    flush_columns()
    if band:
        regions.append(band)
    return regions, True


def _find_gutter(lines: list[Line], width: float) -> tuple[float, float] | None:
    """A vertical strip in the middle of the page that (almost) no line crosses, with a real
    column of text on each side of it; None for a single-column page."""
    x_min = min(ln.x0 for ln in lines)
    x_max = max(ln.x1 for ln in lines)
    span = x_max - x_min
    if span < width * 0.4:
        return None
    # Cheap rejection first: lines spanning the whole middle of the text block cross any gutter.
    allowed = max(2, len(lines) // 5)  # full-width titles and spanning paragraphs
    mid_lo, mid_hi = x_min + span * 0.3, x_min + span * 0.7
    if sum(1 for ln in lines if ln.x0 < mid_lo and ln.x1 > mid_hi) > allowed:
        return None
    bins = 200
    step = span / bins
    delta = [0] * (bins + 1)  # a difference array: O(lines + bins), not O(lines * bins)
    for ln in lines:
        delta[max(int((ln.x0 - x_min) / step), 0)] += 1
        delta[min(int((ln.x1 - x_min) / step), bins - 1) + 1] -= 1
    cover = list(accumulate(delta[:bins]))
    best: tuple[int, int] | None = None
    k = int(bins * 0.3)
    while k < int(bins * 0.7):
        if cover[k] <= allowed:
            j = k
            while j < int(bins * 0.7) and cover[j] <= allowed:
                j += 1
            if best is None or j - k > best[1] - best[0]:
                best = (k, j)
            k = j
        k += 1
    if best is None:
        return None
    lo = x_min + best[0] * step
    hi = x_min + best[1] * step
    left = [ln for ln in lines if ln.x1 <= hi]
    right = [ln for ln in lines if ln.x0 >= lo]
    if len(left) < 3 or len(right) < 3:
        return None
    # Both sides must be text columns side by side, not a label column or a ragged table.
    left_w = median(ln.x1 - ln.x0 for ln in left)
    right_w = median(ln.x1 - ln.x0 for ln in right)
    if left_w < span * 0.25 or right_w < span * 0.25:
        return None
    overlap_top = max(min(ln.top for ln in left), min(ln.top for ln in right))
    overlap_bottom = min(max(ln.bottom for ln in left), max(ln.bottom for ln in right))
    if overlap_bottom - overlap_top < 2 * median(ln.height for ln in lines):
        return None
    return lo, hi


def _edge_key(text: str) -> str:
    return _DIGITS.sub("#", " ".join(text.lower().split()))


def strip_running_lines(pages: list[Page]) -> list[str]:
    """Remove repeated header/footer lines and bare page numbers; return what was removed."""
    # Candidates: the first and last few lines of each page, wherever they sit (pages
    # converted from HTML end half-way down, footers and all). Repetition across pages is what
    # condemns a line; a bare page number must also be at the very edge or in the margin band.
    candidates: list[tuple[Page, Line]] = []
    edge_number_ok: set[int] = set()
    for page in pages:
        ordered = sorted((ln for r in page.regions for ln in r), key=lambda ln: ln.top)
        if not ordered:
            continue
        edge = {id(x): x for x in ordered[:EDGE_LINES] + ordered[-EDGE_LINES:]}
        candidates.extend((page, ln) for ln in edge.values() if len(ln.text) <= 150)
        edge_number_ok.update(
            id(ln)
            for ln in edge.values()
            if ln is ordered[0]
            or ln is ordered[-1]
            or ln.bottom <= page.height * EDGE_BAND
            or ln.top >= page.height * (1 - EDGE_BAND)
        )
    with_text = sum(1 for p in pages if any(p.regions))
    counts = Counter(k for k in {(p.number, _edge_key(ln.text)) for p, ln in candidates})
    counts = Counter(k for _, k in counts)
    threshold = max(2, (with_text + 1) // 2) if with_text >= 2 else 10**9
    doomed: set[int] = set()
    removed: list[str] = []
    for _page, ln in candidates:
        key = _edge_key(ln.text)
        repeated = counts[key] >= threshold and (counts[key] >= 3 or not starts_block(ln.text))
        if repeated or (id(ln) in edge_number_ok and _PAGE_NUMBER.fullmatch(ln.text)):
            doomed.add(id(ln))
            label = _DIGITS.sub("#", ln.text) if repeated else ln.text
            if label not in removed:
                removed.append(label)
    if not doomed:
        return []
    for page in pages:
        page.regions = [[ln for ln in r if id(ln) not in doomed] for r in page.regions]
        page.regions = [r for r in page.regions if r]
    return removed


def _rows(region: list[Line]) -> list[Line]:
    """Merge the pieces of one visual row inside a region (table cells, a label and its value)
    back into one line, left to right: the gaps that split them mattered only for columns."""
    rows: list[Line] = []
    for line in region:
        if rows:
            last = rows[-1]
            mid = (line.top + line.bottom) / 2
            if abs(mid - (last.top + last.bottom) / 2) < max(last.height * 0.5, 2.0):
                first, second = (last, line) if last.x0 <= line.x0 else (line, last)
                rows[-1] = Line(
                    first.x0,
                    min(first.top, second.top),
                    max(first.x1, second.x1),
                    max(first.bottom, second.bottom),
                    f"{first.text} {second.text}",
                    first.cells + second.cells,
                )
                continue
        rows.append(line)
    return rows


def _paragraphs(region: list[Line]) -> list[list[Line]]:
    """Split a region's lines into paragraphs: a wide gap, a short line or a number breaks."""
    region = _rows(region)
    if not region:
        return []
    gaps = [b.top - a.bottom for a, b in zip(region, region[1:], strict=False)]
    heights = [ln.height for ln in region]
    h = median(heights)
    normal_gap = median(g for g in gaps if g > -h) if gaps else 0.0
    left = min(ln.x0 for ln in region)
    right = max(ln.x1 for ln in region)
    full = right - left
    out: list[list[Line]] = [[region[0]]]
    for prev, line, gap in zip(region, region[1:], gaps, strict=False):
        # A line is short (the paragraph ended) when the next line's first word would have fit
        # in the space left at its end: the classic reflow test, robust to ragged right edges.
        char_w = (prev.x1 - prev.x0) / max(len(prev.text), 1)
        first_word = len(line.text.split(" ", 1)[0]) + 1
        short = right - prev.x1 > max(first_word * char_w * 1.15, full * 0.04)
        short = short and not open_ended(prev.text) and not continues_figure(prev.text, line.text)
        wide_gap = gap > max(normal_gap, 0.0) + 0.6 * h
        # A table row stands alone, and so does a line that starts far from the one above it
        # (a form's label and value columns), beyond any first-line or hanging indent.
        table = prev.cells > 1 or line.cells > 1
        moved = abs(line.x0 - prev.x0) > full * 0.25
        if wide_gap or short or table or moved or starts_block(line.text, prev.text):
            out.append([line])
        else:
            out[-1].append(line)
    return out


def paragraph_blocks(pages: list[Page]) -> list[Block]:
    """Paragraph blocks for every page; a paragraph running onto the next page stays whole."""
    paras: list[tuple[int, list[str]]] = []
    for page in pages:
        paras.append((page.number, []))  # registers the page even when it is empty
        for region in page.regions:
            for para in _paragraphs(region):
                paras.append((page.number, [ln.text for ln in para]))
    vocab = Vocabulary.from_lines(t for _, lines in paras for t in lines)
    blocks: list[Block] = []
    pending: tuple[int, list[str]] | None = None
    deferred: list[Block] = []  # page markers seen while a paragraph may still continue

    def flush() -> None:
        if pending is not None:
            blocks.append(Block(text=join_lines(pending[1], vocab), page=pending[0]))
        blocks.extend(deferred)
        deferred.clear()

    for number, lines in paras:
        if not lines:
            (deferred if pending is not None else blocks).append(Block(text="", page=number))
            continue
        if pending is not None and _continues(pending[1], lines):
            pending = (pending[0], pending[1] + lines)
            continue
        flush()
        pending = (number, lines)
    flush()
    return blocks


def _continues(prev: list[str], lines: list[str]) -> bool:
    """Does ``lines`` (first paragraph of a page or column) continue ``prev`` mid-sentence?"""
    last = prev[-1].rstrip()
    first = lines[0].lstrip()
    if not last or not first:
        return False
    if starts_block(first, last):
        return False
    if open_ended(last):
        return True  # "... as set out in Section" / "3.1. MDF may ..."
    return last[-1] not in ".:;!?\"')" and (first[0].islower() or last.endswith(("-", ",")))
