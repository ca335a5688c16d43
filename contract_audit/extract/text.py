"""Plain text (.txt, .md): decode, split into paragraphs, keep form feeds as page breaks."""

from __future__ import annotations

import codecs
import re

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
        # cp1252 leaves five bytes undefined; map them like latin-1 rather than fail.
        return data.decode("cp1252", errors="replace").replace("\ufffd", ""), "cp1252"


def read_text(data: bytes, *, markdown: bool = False) -> tuple[list[Block], list[str]]:
    """Blocks for a text file; form feeds (``\\f``) start a new page."""
    text, _ = decode(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    text = text.replace("\u2029", "\n\n")
    pages = text.split("\f")
    blocks: list[Block] = []
    raw_pages = [[normalize(line).rstrip() for line in page.split("\n")] for page in pages]
    vocab = Vocabulary.from_lines(line for page in raw_pages for line in page)
    lengths = sorted(len(line) for page in raw_pages for line in page if line.strip())
    width = lengths[int(len(lengths) * 0.9)] if lengths else 0
    wrapped = 0 < width < _UNWRAPPED_WIDTH
    for number, lines in enumerate(raw_pages, start=1):
        blocks.append(Block(text="", page=number))  # registers pages with no text
        for para in _paragraphs(lines, width if wrapped else 0, markdown):
            level = None
            if markdown:
                m = _MD_HEADING.match(para[0])
                if m and len(para) == 1:
                    level, para = len(m.group(1)), [m.group(2)]
                para = [_MD_EMPHASIS.sub(r"\2", p) for p in para]
            blocks.append(Block(text=join_lines(para, vocab), page=number, heading_level=level))
    return blocks, []


def _paragraphs(lines: list[str], width: int, markdown: bool) -> list[list[str]]:
    """Group lines: a blank line, a numbered/bulleted line or a short previous line breaks.

    ``width`` is the wrap width of a hard-wrapped file, or 0 when every line is a paragraph.
    """
    out: list[list[str]] = []
    current: list[str] = []
    for line in lines:
        if not line.strip():
            if current:
                out.append(current)
            current = []
            continue
        breaks = (
            not width
            or starts_block(line)
            or (markdown and line.lstrip().startswith("#"))
            or (current and len(current[-1]) < width * 0.7)
        )
        if current and breaks:
            out.append(current)
            current = []
        current.append(line)
        if markdown and line.lstrip().startswith("#"):
            out.append(current)
            current = []
    if current:
        out.append(current)
    return out
