"""Decide a file's format from its content (magic bytes) first and its extension second.

Content wins because files are misnamed all the time (a Word 97 file saved as ``.docx``, a
scan saved as ``.pdf``); the extension only breaks ties for plain text and explains failures.
"""

from __future__ import annotations

from pathlib import Path

from contract_audit.extract.errors import ExtractionError

CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE2 compound file (.doc, encrypted .docx)
ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP_MAGIC = b"PK\x05\x06"

_IMAGE_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"BM", "BMP"),
)
_TEXT_EXTENSIONS = {".txt", ".text", ".md", ".markdown", ""}
_TEXT_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_OCR_HINT = "it needs OCR first: run it through OCR and save as a searchable PDF"


def sniff(path: Path, head: bytes) -> str:
    """Return ``"pdf"``, ``"docx"``, ``"cfb"`` or ``"text"``; raise for what we cannot read.

    ``head`` is the first few KiB of the file. ``"cfb"`` is an OLE2 container, which the caller
    must open to tell an encrypted DOCX from a legacy ``.doc``.
    """
    ext = path.suffix.lower()
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(ZIP_MAGIC) or head.startswith(EMPTY_ZIP_MAGIC):
        return "docx"  # the DOCX reader refuses zips that hold no word/document.xml
    if head.startswith(CFB_MAGIC):
        return "cfb"
    if head.lstrip().startswith(b"{\\rtf"):
        raise ExtractionError("unsupported", "RTF is not supported: save it as .docx or PDF")
    for magic, name in _IMAGE_MAGIC:
        if head.startswith(magic) and not head.startswith(_TEXT_BOMS):
            if name == "BMP" and ext in _TEXT_EXTENSIONS - {""}:
                break  # "BM..." can start a text file; let the extension decide
            raise ExtractionError("unsupported", f"a {name} image holds no text: {_OCR_HINT}")
    if ext == ".pdf":
        raise ExtractionError("corrupt", "not a PDF file (no %PDF- header)")
    if ext in {".docx", ".docm", ".dotx"}:
        raise ExtractionError("corrupt", "not a valid DOCX file (not a zip archive)")
    if ext in {".doc", ".dot"}:
        raise ExtractionError("corrupt", "not a Word document (no OLE2 header)")
    if ext in {".odt", ".pages", ".xls", ".xlsx", ".ppt", ".pptx", ".html", ".htm"}:
        raise ExtractionError("unsupported", f"{ext} files are not supported: save as .docx or PDF")
    if looks_binary(head):
        raise ExtractionError(
            "unsupported", "not a PDF, DOCX or text file: save it as .docx, PDF or .txt"
        )
    return "text"


def looks_binary(head: bytes) -> bool:
    """True for data that is not text in any encoding we read (NULs without a UTF-16 BOM)."""
    if head.startswith(_TEXT_BOMS):
        return False
    if not head:
        return False
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls > len(head) * 0.05
