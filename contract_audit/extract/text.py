"""Plain text (.txt, .md): decode, split into paragraphs, keep form feeds as page breaks."""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable

from contract_audit.builder import detect_marker
from contract_audit.extract.errors import ExtractionError
from contract_audit.extract.normalize import normalize
from contract_audit.extract.paragraphs import Vocabulary, join_lines, starts_block
from contract_audit.model import Block

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_MD_HEADING = re.compile(r"(#{1,6})\s+(.*?)\s*#*\s*$")
_MD_ANY_HEADING = re.compile(r"^#{1,6} \S", re.MULTILINE)
_MD_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")
# A file whose lines are this long is not hard-wrapped: each line is a paragraph.
_UNWRAPPED_WIDTH = 160


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding): BOM first, then strict UTF-8, then Windows-1252 (never fails)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise ExtractionError("corrupt", f"invalid {encoding} text: {exc.reason}") from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        # cp1252 leaves five bytes undefined: drop them rather than fail on them.
        return data.decode("cp1252", errors="replace").replace("\ufffd", ""), "cp1252"


def read_text(data: bytes, *, markdown: bool = False) -> tuple[list[Block], list[str]]:
    """Blocks for a text file; form feeds (``\\f``) start a new page.

    Markdown headings (``# Title``) are honoured in ``.md`` files and in text files that use
    them. When numbered lines are nested by indentation (a Markdown-style outline, or text
    pasted from Word), the indentation becomes the outline level, since the numbers alone
    (``1.`` under ``1.``) cannot say which item is inside which.
    """
    text, _ = decode(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    text = text.replace("\u2029", "\n\n")
    markdown = markdown or bool(_MD_ANY_HEADING.search(text))
    raw_pages = [
        [(_indent(line), normalize(line).strip()) for line in _column_rows(page.split("\n"))]
        for page in text.split("\f")
    ]
    vocab = Vocabulary.from_lines(line for page in raw_pages for _, line in page)
    lengths = sorted(len(line) for page in raw_pages for _, line in page if line)
    width = lengths[int(len(lengths) * 0.9)] if lengths else 0
    wrapped = 0 < width < _UNWRAPPED_WIDTH
    paragraphs = [
        (number, para)
        for number, lines in enumerate(raw_pages, start=1)
        for para in [None, *_paragraphs(lines, width if wrapped else 0, markdown)]
    ]
    outline = _outline_levels(p for _, p in paragraphs if p is not None)
    blocks: list[Block] = []
    for number, para in paragraphs:
        if para is None:
            blocks.append(Block(text="", page=number))  # registers pages with no text
            continue
        indent, lines = para
        level = None
        if markdown:
            m = _MD_HEADING.match(lines[0])
            if m and len(lines) == 1:
                level, lines = len(m.group(1)), [m.group(2)]
            lines = [_MD_EMPHASIS.sub(r"\2", line) for line in lines]
        if level is None and outline and indent in outline and detect_marker(lines[0]):
            level = _deepest_heading(paragraphs, markdown) + outline[indent]
        blocks.append(Block(text=join_lines(lines, vocab), page=number, heading_level=level))
    return blocks, []


# A gap of two or more spaces (or a tab) between two words, not after a sentence's end: a column
# boundary in a table laid out with spaces ("Hardware resale    cost plus 12%    monthly").
_COLUMN_GAP = re.compile(r"(?<=[^\s.;:!?])(?: {2,}|\t+)(?=\S)")


_ROW = " | "


def _column_rows(lines: list[str]) -> list[str]:
    """Lines with their column gaps written as " | ", the way a Word table's row reads, when
    they are rows of a table laid out with spaces: two gaps or more, or one gap with a row
    above or below that has one too. Reflowing such rows into one paragraph would merge every
    row of a fee table into a single sentence."""
    gaps = [len(_COLUMN_GAP.findall(line.strip())) for line in lines]
    out = []
    for i, line in enumerate(lines):
        near = (i > 0 and gaps[i - 1] > 0) or (i + 1 < len(lines) and gaps[i + 1] > 0)
        if gaps[i] >= 2 or (gaps[i] == 1 and near):
            indent = line[: len(line) - len(line.lstrip())]
            line = indent + _COLUMN_GAP.sub(_ROW, line.strip())
        out.append(line)
    return out


def _indent(line: str) -> int:
    expanded = line.expandtabs(4)
    return len(expanded) - len(expanded.lstrip(" "))


def _outline_levels(paragraphs: Iterable[tuple[int, list[str]]]) -> dict[int, int]:
    """indent -> outline level (1, 2, ...) for numbered lines, but only when the numbers alone
    cannot express the nesting: the same kind of number (``1.`` and ``1.``) at two indents.
    Otherwise (``2.`` / ``2.1`` / indented ``(a)``) the numbers already say it all."""
    seen: dict[tuple[str, int], set[int]] = {}
    for indent, lines in paragraphs:
        marker = detect_marker(lines[0])
        if marker is not None:
            seen.setdefault((marker.style, marker.depth), set()).add(indent)
    if not any(len(indents) > 1 for indents in seen.values()):
        return {}
    indents = sorted(set().union(*seen.values()))
    return {indent: rank for rank, indent in enumerate(indents, start=1)}


def _deepest_heading(paragraphs: list, markdown: bool) -> int:
    """The deepest Markdown heading level in the file (list outlines nest below it)."""
    if not markdown:
        return 0
    levels = [
        len(m.group(1))
        for _, para in paragraphs
        if para is not None and len(para[1]) == 1 and (m := _MD_HEADING.match(para[1][0]))
    ]
    return max(levels, default=0)


def _paragraphs(
    lines: list[tuple[int, str]], width: int, markdown: bool
) -> list[tuple[int, list[str]]]:
    """Group lines into (indent of the first line, lines): a blank line, a numbered/bulleted
    line or a short previous line breaks.

    ``width`` is the wrap width of a hard-wrapped file, or 0 when every line is a paragraph.
    """
    out: list[tuple[int, list[str]]] = []
    current: list[str] = []
    first_indent = 0
    for indent, line in lines:
        if not line:
            if current:
                out.append((first_indent, current))
            current = []
            continue
        heading = markdown and line.startswith("#")
        breaks = (
            not width
            or _ROW in line  # a table row is a paragraph of its own
            or (current and _ROW in current[-1])
            or starts_block(line, current[-1] if current else "")
            or heading
            or len(current[-1] if current else "") < width * 0.7
        )
        if current and breaks:
            out.append((first_indent, current))
            current = []
        if not current:
            first_indent = indent
        current.append(line)
        if heading:
            out.append((first_indent, current))
            current = []
    if current:
        out.append((first_indent, current))
    return out
