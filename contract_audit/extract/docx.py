"""DOCX: body paragraphs and tables in document order, numbers and tracked changes resolved.

Choices (see docs/extraction.md):

* Body order comes from python-docx's ``Document.iter_inner_content()``; the text of each
  paragraph is read from its XML ourselves, because python-docx's ``Paragraph.text`` skips runs
  inside ``w:ins`` (tracked insertions) and we read a document *as if all changes were
  accepted*: ``w:ins``/``w:moveTo`` text in, ``w:del``/``w:moveFrom`` text out, with a warning.
* Automatic numbering is rebuilt from numbering.xml (:mod:`.numbering`) and written in front of
  the paragraph text, so "7.2" is searchable and becomes the section number.
* Headings: ``Title`` is level 0, ``Heading N`` (or a style based on one, or an outline level)
  is level N.
* Tables: a row of short cells is one block (``cell | cell``); rows holding real paragraphs
  (contracts laid out in tables) give one block per paragraph.
* Text boxes are kept (after the paragraph that anchors them; the DrawingML choice, not its VML
  fallback copy). Footnotes and endnotes are kept, at the end. Headers and footers are left out:
  they repeat on every page and hold titles, page numbers and "Confidential" marks. Comments
  are ignored.
* Pages: Word's ``lastRenderedPageBreak`` marks where pages ended the last time it laid the
  document out; without them, explicit page breaks. Approximate by nature.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from contract_audit.extract.docx_safety import check_no_dtd, check_zip
from contract_audit.extract.errors import ExtractionError
from contract_audit.extract.normalize import normalize
from contract_audit.extract.numbering import Numbering, W
from contract_audit.model import Block

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from lxml.etree import _Element as Element

MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_SKIP = {f"{W}del", f"{W}moveFrom", f"{W}instrText", f"{W}delText", f"{W}delInstrText",
         f"{MC}Fallback", f"{W}rPr", f"{W}pPr", f"{W}sdtPr", f"{W}commentReference",
         f"{W}footnoteReference", f"{W}endnoteReference"}  # fmt: skip
_CHANGES = {f"{W}ins": "insertion", f"{W}del": "deletion", f"{W}moveFrom": "move",
            f"{W}moveTo": "move"}  # fmt: skip
_HEADING = re.compile(r"heading\s*([1-9])$", re.IGNORECASE)
_ROW_AS_ONE_BLOCK = 300  # characters: longer rows are read paragraph by paragraph
_FOOTNOTES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"
_ENDNOTES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/endnotes"


@dataclass(slots=True)
class _State:
    numbering: Numbering
    style_info: dict[str, tuple[int | None, tuple[str, int] | None]]
    use_rendered_breaks: bool
    default_style: str = "Normal"  # the paragraph style of paragraphs that name none
    page: int = 1
    changes: dict[str, int] = field(default_factory=dict)
    text_boxes: int = 0


def read_docx(data: bytes) -> tuple[list[Block], list[str]]:
    """Blocks and warnings for a DOCX given as bytes (refuses bombs and DTDs before parsing)."""
    from lxml import etree

    try:
        return _read_docx(data)
    except (zipfile.BadZipFile, zlib.error, EOFError):
        raise ExtractionError(
            "corrupt", "the DOCX is damaged or truncated (a part fails to decompress)"
        ) from None
    except etree.XMLSyntaxError as exc:
        raise ExtractionError("corrupt", f"the DOCX holds malformed XML ({exc})") from None


def _read_docx(data: bytes) -> tuple[list[Block], list[str]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, EOFError):
        reason = "not a valid zip archive (truncated or damaged DOCX)"
        raise ExtractionError("corrupt", reason) from None
    with archive:
        check_zip(archive)
        names = set(archive.namelist())
        _check_is_word(names)
        check_no_dtd(archive)
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except PackageNotFoundError:
        raise ExtractionError("corrupt", "not a Word package (no main document part)") from None
    except ValueError as exc:
        if "content type" in str(exc).lower():
            raise ExtractionError(
                "unsupported", "a macro-enabled document or template: save it as a plain .docx"
            ) from None
        raise
    body = document.element.body
    state = _State(
        numbering=Numbering.from_xml(_numbering_root(document)),
        style_info=_styles(document),
        use_rendered_breaks=next(body.iter(f"{W}lastRenderedPageBreak"), None) is not None,
        default_style=_default_style(document),
    )
    blocks: list[Block] = []
    for el in _body_elements(body):
        if el.tag == f"{W}p":
            blocks.extend(_paragraph_blocks(el, state))
        else:
            blocks.extend(_table_blocks(el, state))
    blocks.extend(_notes(document, state))
    return _merge_deleted_marks(blocks), _warnings(state)


def _body_elements(container: Element) -> Iterator[Element]:
    """``w:p`` and ``w:tbl`` in document order, like python-docx's ``iter_inner_content()``
    but also inside content controls (``w:sdt``) and custom XML, which it skips and which
    template-built contracts use a lot."""
    for child in container.iterchildren():
        tag = child.tag
        if tag in (f"{W}p", f"{W}tbl"):
            yield child
        elif tag == f"{W}sdt":
            content = child.find(f"{W}sdtContent")
            if content is not None:
                yield from _body_elements(content)
        elif tag == f"{W}customXml":
            yield from _body_elements(child)


def _check_is_word(names: set[str]) -> None:
    if "word/document.xml" in names:
        return
    if "xl/workbook.xml" in names:
        raise ExtractionError("unsupported", "an Excel workbook, not a contract document")
    if any(n.startswith("ppt/") for n in names):
        raise ExtractionError("unsupported", "a PowerPoint file: save it as PDF")
    if "mimetype" in names and "content.xml" in names:
        raise ExtractionError("unsupported", "an OpenDocument file: save it as .docx or PDF")
    raise ExtractionError("corrupt", "a zip archive without word/document.xml: not a DOCX")


def _numbering_root(document: WordDocument) -> Element | None:
    try:
        return document.part.numbering_part.element
    except (KeyError, NotImplementedError, AttributeError):
        return None


def _styles(document: WordDocument) -> dict[str, tuple[int | None, tuple[str, int] | None]]:
    """style id -> (heading level, (numId, ilvl) from the style's own numbering), following
    ``basedOn`` so a custom "Clause Heading" based on "Heading 2" is still level 2."""
    raw: dict[str, tuple[str, str | None, int | None, tuple[str, int] | None]] = {}
    for style in document.styles.element.iter(f"{W}style"):
        sid = style.get(f"{W}styleId", "")
        name_el = style.find(f"{W}name")
        name = name_el.get(f"{W}val", "") if name_el is not None else ""
        based = style.find(f"{W}basedOn")
        ppr = style.find(f"{W}pPr")
        outline = num = None
        if ppr is not None:
            ol = ppr.find(f"{W}outlineLvl")
            if ol is not None and (ol.get(f"{W}val") or "").isdigit():
                value = int(ol.get(f"{W}val"))
                outline = value + 1 if value < 9 else None
            num = _num_pr(ppr)
        raw[sid] = (name, based.get(f"{W}val") if based is not None else None, outline, num)

    def resolve(sid: str, depth: int = 0) -> tuple[int | None, tuple[str, int] | None]:
        if sid not in raw or depth > 20:
            return None, None
        name, based, outline, num = raw[sid]
        level: int | None = 0 if name.lower() == "title" else None
        m = _HEADING.match(name)
        if m:
            level = int(m.group(1))
        if level is None:
            level = outline
        if based and (level is None or num is None):
            base_level, base_num = resolve(based, depth + 1)
            level = level if level is not None else base_level
            num = num if num is not None else base_num
        return level, num

    return {sid: resolve(sid) for sid in raw}


def _default_style(document: WordDocument) -> str:
    """The default paragraph style's id ("Normal" in English Word, localised elsewhere)."""
    for style in document.styles.element.iter(f"{W}style"):
        if style.get(f"{W}type") == "paragraph" and style.get(f"{W}default") in ("1", "true"):
            return style.get(f"{W}styleId", "Normal")
    return "Normal"


def _num_pr(ppr: Element) -> tuple[str, int] | None:
    num_pr = ppr.find(f"{W}numPr")
    if num_pr is None:
        return None
    nid = num_pr.find(f"{W}numId")
    ilvl = num_pr.find(f"{W}ilvl")
    num_id = nid.get(f"{W}val", "") if nid is not None else ""
    level = ilvl.get(f"{W}val", "0") if ilvl is not None else "0"
    return num_id, int(level) if level.isdigit() else 0


@dataclass(slots=True)
class _Para:
    text: str
    boxes: list[Element] = field(default_factory=list)  # w:txbxContent anchored here
    breaks_before: int = 0  # page breaks before the first text
    breaks_after: int = 0  # page breaks after the first text (apply to the next block)


def _paragraph_blocks(p: Element, state: _State) -> Iterator[Block]:
    ppr = p.find(f"{W}pPr")
    style_id = None
    own_num = None
    outline = None
    if ppr is not None:
        ps = ppr.find(f"{W}pStyle")
        style_id = ps.get(f"{W}val") if ps is not None else None
        own_num = _num_pr(ppr)
        ol = ppr.find(f"{W}outlineLvl")
        if ol is not None and (ol.get(f"{W}val") or "").isdigit() and int(ol.get(f"{W}val")) < 9:
            outline = int(ol.get(f"{W}val")) + 1
        if not state.use_rendered_breaks and ppr.find(f"{W}pageBreakBefore") is not None:
            state.page += 1
        if ppr.find(f"{W}rPr/{W}del") is not None:
            state.changes["deletion"] = state.changes.get("deletion", 0) + 1
    heading, style_num = state.style_info.get(style_id or state.default_style, (None, None))
    if outline is not None:
        heading = outline
    para = _Para("")
    parts: list[str] = []
    _walk(p, parts, para, state)
    para.text = normalize("".join(parts)).strip()
    state.page += para.breaks_before
    merged = ppr is not None and ppr.find(f"{W}rPr/{W}del") is not None
    if merged and not para.text and not para.boxes:
        state.page += para.breaks_after
        return  # a whole paragraph deleted: accepting the change removes it, number and all
    num = own_num if own_num is not None else style_num
    # Word shows (and counts) a number even on an empty list paragraph, so always advance;
    # but a number with no text is not worth a block of its own.
    label = state.numbering.next_label(*num) if num else None
    text = f"{label} {para.text}" if label and para.text else para.text
    if text:
        kind = _MergeNext if merged else Block
        yield kind(text=text, page=state.page, heading_level=heading, number=label or None)
    for box in para.boxes:
        state.text_boxes += 1
        for inner in box.iterchildren():
            if inner.tag == f"{W}p":
                yield from _paragraph_blocks(inner, state)
            elif inner.tag == f"{W}tbl":
                yield from _table_blocks(inner, state)
    state.page += para.breaks_after


class _MergeNext(Block):
    """A paragraph whose mark was deleted: accepting the change joins it to the next one."""

    __slots__ = ()


def _walk(el: Element, parts: list[str], para: _Para, state: _State) -> None:
    for child in el.iterchildren():
        tag = child.tag
        if not isinstance(tag, str):
            continue  # comments and processing instructions
        if tag in _CHANGES:
            kind = _CHANGES[tag]
            state.changes[kind] = state.changes.get(kind, 0) + 1
        if tag in _SKIP:
            continue
        if tag == f"{W}t":
            parts.append(child.text or "")
        elif tag in (f"{W}tab", f"{W}ptab"):
            parts.append(" ")
        elif tag in (f"{W}br", f"{W}cr"):
            kind = child.get(f"{W}type")
            if kind == "page" and not state.use_rendered_breaks:
                _page_break(parts, para)
            elif kind != "page":
                parts.append(" ")  # a manual line break inside a paragraph
        elif tag == f"{W}lastRenderedPageBreak":
            if state.use_rendered_breaks:
                _page_break(parts, para)
        elif tag == f"{W}noBreakHyphen":
            parts.append("-")
        elif tag == f"{W}softHyphen":
            continue
        elif tag == f"{W}sym":
            continue  # Symbol/Wingdings glyphs: checkboxes and bullets, no words
        elif tag == f"{W}txbxContent":
            para.boxes.append(child)
        else:
            _walk(child, parts, para, state)


def _page_break(parts: list[str], para: _Para) -> None:
    if "".join(parts).strip():
        para.breaks_after += 1
    else:
        para.breaks_before += 1


def _table_blocks(tbl: Element, state: _State) -> Iterator[Block]:
    for tr in tbl.iterchildren(f"{W}tr"):
        cells: list[list[Block]] = []
        for tc in _cells(tr):
            cell_blocks: list[Block] = []
            for child in tc.iterchildren():
                if child.tag == f"{W}p":
                    cell_blocks.extend(_paragraph_blocks(child, state))
                elif child.tag == f"{W}tbl":
                    cell_blocks.extend(_table_blocks(child, state))
            cells.append(cell_blocks)
        flat = [b for c in cells for b in c]
        if not flat:
            continue
        simple = all(len(c) <= 1 for c in cells) and not any(b.number for b in flat)
        if simple and sum(len(b.text) for b in flat) <= _ROW_AS_ONE_BLOCK:
            text = " | ".join(c[0].text if c else "" for c in cells).strip(" |")
            yield Block(text=text, page=flat[0].page)
        else:
            yield from flat


def _cells(tr: Element) -> Iterator[Element]:
    """The row's cells, including those wrapped in content controls (w:sdt)."""
    for child in tr.iterchildren():
        if child.tag == f"{W}tc":
            yield child
        elif child.tag == f"{W}sdt":
            content = child.find(f"{W}sdtContent")
            if content is not None:
                yield from content.iterchildren(f"{W}tc")


def _notes(document: WordDocument, state: _State) -> Iterator[Block]:
    """Footnote and endnote text, after the body, each prefixed with its number."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    for reltype, tag in ((_FOOTNOTES, "footnote"), (_ENDNOTES, "endnote")):
        for rel in document.part.rels.values():
            if rel.reltype != reltype or rel.is_external:
                continue
            root = etree.fromstring(rel.target_part.blob, parser)
            for note in root.iter(f"{W}{tag}"):
                if note.get(f"{W}type") in ("separator", "continuationSeparator",
                                             "continuationNotice"):  # fmt: skip
                    continue
                texts = []
                for p in note.iter(f"{W}p"):
                    parts: list[str] = []
                    _walk(p, parts, _Para(""), state)
                    texts.append(normalize("".join(parts)).strip())
                body = " ".join(t for t in texts if t)
                if body:
                    yield Block(text=f"[{tag} {note.get(f'{W}id')}] {body}", page=state.page)


def _merge_deleted_marks(blocks: list[Block]) -> list[Block]:
    out: list[Block] = []
    carry: Block | None = None
    for block in blocks:
        if carry is not None:
            block = Block(
                text=f"{carry.text} {block.text}",
                page=carry.page,
                heading_level=carry.heading_level,
                number=carry.number,
            )
            carry = None
        if isinstance(block, _MergeNext):
            carry = block
            continue
        out.append(block)
    if carry is not None:
        out.append(Block(carry.text, carry.page, carry.heading_level, carry.number))
    return out


def _warnings(state: _State) -> list[str]:
    out: list[str] = []
    if state.changes:
        detail = ", ".join(f"{n} {kind}{'s' if n != 1 else ''}"
                           for kind, n in sorted(state.changes.items()))  # fmt: skip
        out.append(
            f"the document carries unaccepted tracked changes ({detail}): "
            "read as if all changes were accepted"
        )
    return out
