"""OLE2 compound files: an encrypted DOCX/XLSX (Office wraps the zip in one) or a legacy .doc."""

from __future__ import annotations

from pathlib import Path

from contract_audit.extract.errors import ExtractionError

# Directory entry names are stored as UTF-16LE; finding them needs no OLE parser.
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
_WORD_DOCUMENT = "WordDocument".encode("utf-16-le")
_WORKBOOK = "Workbook".encode("utf-16-le")


def refuse_ole(path: Path) -> None:
    """Raise the right :class:`ExtractionError` for an OLE2 file; we never read these."""
    data = path.read_bytes()
    if _ENCRYPTION_INFO in data or _ENCRYPTED_PACKAGE in data:
        raise ExtractionError(
            "encrypted",
            "password-protected Office document: remove the password (save a copy without "
            "encryption) and try again",
        )
    if _WORD_DOCUMENT in data:
        raise ExtractionError(
            "unsupported", "legacy Word 97-2003 .doc format: save it as .docx or PDF"
        )
    if _WORKBOOK in data:
        raise ExtractionError("unsupported", "an Excel workbook is not a contract document")
    raise ExtractionError("unsupported", "legacy Office (OLE2) file: save it as .docx or PDF")
