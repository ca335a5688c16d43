"""PDF text with pypdfium2: fast text, plus just enough geometry to get the reading order right.

Per page we ask PDFium for the page text (``get_text_range``) and its text rectangles
(``count_rects``/``get_rect``: one per run of text on a line, already split at column gaps),
and map each rectangle to its characters: a rectangle that starts a visual line starts the
next text line, so only the others need a ``get_index`` lookup (``get_text_bounded`` is the
last resort). That is ~10x cheaper than a character box per character. The geometry then goes
to :mod:`.pdf_layout` (lines, columns, running headers/footers, paragraphs).

pdfplumber is not used: ~30x slower here, and its extra layout data changes nothing we need.
Pages and text pages are closed explicitly, so memory stays flat however long the PDF is.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from contract_audit.extract.errors import ExtractionError
from contract_audit.extract.pdf_layout import (
    Page,
    Seg,
    group_lines,
    paragraph_blocks,
    split_columns,
    strip_running_lines,
)
from contract_audit.model import Block

if TYPE_CHECKING:  # pypdfium2 itself is imported only when a PDF arrives
    from pypdfium2 import PdfDocument, PdfTextPage

Rect = tuple[float, float, float, float]  # left, bottom, right, top in PDF points

_PDFIUM_HYPHEN = "\ufffe"  # PDFium's mark for a hyphen that ends a line
_LINE_BREAK = re.compile("\r\n|\ufffe")
_MIN_CHARS_PER_PAGE = 10  # fewer non-space characters than this per page: a scan


def read_pdf(path: Path) -> tuple[list[Block], list[str]]:
    """Blocks (paragraphs in reading order) and warnings for the PDF at ``path``."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        raise _load_error(exc) from None
    try:
        pages = [_read_page(pdf, i) for i in range(len(pdf))]
    finally:
        pdf.close()
    if not pages:
        raise ExtractionError("empty", "the PDF has no pages")
    chars = sum(len(ln.text.replace(" ", "")) for p in pages for r in p.regions for ln in r)
    if chars < _MIN_CHARS_PER_PAGE * len(pages):
        n = len(pages)
        with_text = sum(1 for p in pages if any(p.regions))
        where = (
            f"no text layer on its {n} page{'s' if n != 1 else ''}"
            if not with_text
            else f"almost no text ({chars} characters on {with_text} of its {n} pages)"
        )
        raise ExtractionError(
            "no-text",
            f"{where}: a scanned image that needs OCR first; run it through OCR and save it "
            "as a searchable PDF",
        )
    warnings: list[str] = []
    blank = [p.number for p in pages if not p.broken and not any(r for r in p.regions)]
    removed = strip_running_lines(pages)
    if removed:
        shown = "; ".join(f'"{t}"' for t in removed[:3])
        more = f" and {len(removed) - 3} more" if len(removed) > 3 else ""
        warnings.append(
            f"removed running headers/footers and page numbers repeated across pages: {shown}{more}"
        )
    broken = [p.number for p in pages if p.broken]
    if broken:
        warnings.append(f"{len(broken)} page(s) could not be read (damaged): {_ranges(broken)}")
    if blank and len(blank) < len(pages):
        warnings.append(
            f"{len(blank)} page(s) have no text (blank, or images that would need OCR): "
            f"{_ranges(blank)}"
        )
    columns = [p.number for p in pages if p.two_column]
    if columns:
        warnings.append(f"read two-column layout column by column on page(s) {_ranges(columns)}")
    return paragraph_blocks(pages), warnings


def _load_error(exc: Exception) -> ExtractionError:
    code = getattr(exc, "err_code", None)
    text = str(exc)
    if code == 4 or "password" in text.lower():
        return ExtractionError(
            "encrypted", "password-protected PDF: save a copy without the password and try again"
        )
    if code == 6 or "security" in text.lower():
        return ExtractionError("encrypted", "the PDF uses an unsupported security handler")
    if code == 2:
        return ExtractionError("unreadable", "the PDF could not be opened")
    return ExtractionError("corrupt", "the PDF is damaged or truncated (PDFium could not load it)")


def _read_page(pdf: PdfDocument, index: int) -> Page:
    import pypdfium2 as pdfium

    try:
        page = pdf[index]
    except pdfium.PdfiumError:
        return Page(index + 1, 612.0, 792.0, [], False, broken=True)
    try:
        width, height = page.get_size()
        textpage = page.get_textpage()
        try:
            segs = _segments(textpage, height)
        finally:
            textpage.close()
    finally:
        page.close()
    lines = group_lines(segs)
    regions, two = split_columns(lines, width)
    return Page(index + 1, width, height, regions, two)


def _segments(textpage: PdfTextPage, page_height: float) -> list[Seg]:
    """Text runs with their boxes: one ``get_index`` per rectangle maps it to its characters."""
    text = textpage.get_text_range()
    n_chars = len(text)
    n = textpage.count_rects()
    rects = [textpage.get_rect(i) for i in range(n)]
    starts = _start_indexes(textpage, rects, text)
    following = [n_chars] * (n + 1)  # the next known start after each rectangle
    for i in range(n - 1, -1, -1):
        following[i] = starts[i + 1] if i + 1 < n and starts[i + 1] != -1 else following[i + 1]
    segs: list[Seg] = []
    for i, (left, bottom, right, top) in enumerate(rects):
        s = starts[i]
        nxt = following[i]
        bounded = not (s != -1 and s < nxt)
        if bounded:
            raw = textpage.get_text_bounded(left, bottom, right, top)
        else:
            raw = text[s:nxt]
        raw = raw.replace("\r\n", "\n").split("\n", 1)[0]  # never run into the next line
        clean = raw.replace(_PDFIUM_HYPHEN, "-").replace("\x02", "-")
        stripped = clean.strip()
        if not stripped:
            continue
        if bounded and segs and segs[-1].text.endswith(stripped):
            # The previous run's slice reached into this one (its start was not found).
            prev = segs[-1]
            prev.text = prev.text[: len(prev.text) - len(stripped)].rstrip()
            if not prev.text:
                segs.pop()
        space_after = clean != clean.rstrip()
        segs.append(
            Seg(left, page_height - top, right, page_height - bottom, stripped, space_after)
        )
    return segs


def _start_indexes(textpage: PdfTextPage, rects: list[Rect], text: str) -> list[int]:
    """First character index of each rectangle.

    Rectangles come in character order, and PDFium ends each text line with CR LF (or its
    line-end hyphen mark), so a rectangle that starts a new visual line starts the next text
    line: those need no lookup. Only rectangles further along a line (a font change, a column
    gap) are probed with ``get_index``. If the counts disagree, every rectangle is probed.
    """
    n_chars = len(text)
    line_starts = [0, *(m.end() for m in _LINE_BREAK.finditer(text))]
    line_starts = [x for x in line_starts if x < n_chars]
    first: list[bool] = []
    prev_bottom = prev_top = None
    for _left, bottom, _right, top in rects:
        mid = (bottom + top) / 2
        first.append(prev_bottom is None or not (prev_bottom <= mid <= prev_top))
        prev_bottom, prev_top = bottom, top
    if sum(first) != len(line_starts):
        return [_start_index(textpage, rect, n_chars) for rect in rects]
    lines = iter(line_starts)
    starts = [
        next(lines) if f else _start_index(textpage, r, n_chars)
        for f, r in zip(first, rects, strict=True)
    ]
    known = [x for x in starts if x != -1]
    if any(b <= a for a, b in zip(known, known[1:], strict=False)):
        return [_start_index(textpage, rect, n_chars) for rect in rects]
    return starts


def _start_index(textpage: PdfTextPage, rect: Rect, n_chars: int) -> int:
    """The index of the first character of a text rectangle, or -1 if PDFium cannot say.

    Probed just inside the left edge; a narrow first glyph (a comma, a quote) can be missed
    there, so a second, more tolerant probe follows."""
    left, bottom, right, top = rect
    middle = (bottom + top) / 2
    for dx, tol in ((0.3, 1.0), (min(1.5, (right - left) / 2), 2.0)):
        idx = textpage.get_index(left + dx, middle, tol, tol)
        if isinstance(idx, int) and 0 <= idx < n_chars:
            return idx
    return -1


def _ranges(numbers: list[int]) -> str:
    out: list[str] = []
    start = prev = numbers[0]
    for n in numbers[1:] + [None]:  # type: ignore[list-item]
        if n is not None and n == prev + 1:
            prev = n
            continue
        out.append(str(start) if start == prev else f"{start}-{prev}")
        if n is not None:
            start = prev = n
    return ", ".join(out)
