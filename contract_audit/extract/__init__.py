"""``extract(path) -> Document``: read a PDF, DOCX or text file into the document model.

Each format has its own module, imported only when a file of that format arrives (pypdfium2
and python-docx are heavy). Every failure on bad input is an :class:`ExtractionError` with a
status from ``domain.EXTRACTION_STATUSES`` and a one-line reason.
"""

from __future__ import annotations

import os
from pathlib import Path

from contract_audit.extract.errors import ExtractionError
from contract_audit.model import Document

__all__ = ["extract", "ExtractionError", "DEFAULT_MAX_BYTES"]

DEFAULT_MAX_BYTES = 50 * 2**20
_HEAD = 8192


def extract(path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read ``path`` into a :class:`Document`; raise :class:`ExtractionError` for bad input."""
    p = Path(path)
    try:
        if p.is_dir():
            raise ExtractionError("unreadable", "is a directory, not a file")
        size = p.stat().st_size
        if size > max_bytes:
            raise ExtractionError(
                "too-large",
                f"{_mb(size)} is over the {_mb(max_bytes)} limit (the limit is configurable)",
            )
        if size == 0:
            raise ExtractionError("empty", "the file is empty (0 bytes)")
        with p.open("rb") as fh:
            head = fh.read(_HEAD)
    except FileNotFoundError:
        raise ExtractionError("unreadable", "no such file") from None
    except PermissionError:
        raise ExtractionError("unreadable", "permission denied") from None
    except OSError as exc:
        raise ExtractionError("unreadable", exc.strerror or str(exc)) from None
    try:
        document = _dispatch(p, head, max_bytes)
    except ExtractionError:
        raise
    except MemoryError:
        raise ExtractionError("too-large", "ran out of memory reading the file") from None
    except RecursionError:
        raise ExtractionError("corrupt", "the file's structure is nested too deeply") from None
    except Exception as exc:  # a library choked on bad input: still no traceback for the user
        reason = f"{type(exc).__name__}: {exc}"[:200]
        raise ExtractionError("corrupt", f"could not be parsed ({reason})") from exc
    if not document.text.strip():
        raise ExtractionError("empty", "the file contains no text")
    return document


def _dispatch(p: Path, head: bytes, max_bytes: int) -> Document:
    from contract_audit.builder import build_document
    from contract_audit.extract.sniff import sniff

    kind = sniff(p, head)
    if kind == "pdf":
        from contract_audit.extract.pdf import read_pdf

        blocks, warnings = read_pdf(p)
        return build_document(blocks, format="pdf", path=str(p), warnings=warnings)
    if kind == "cfb":
        from contract_audit.extract.ole import refuse_ole

        refuse_ole(p)  # always raises: encrypted DOCX or a legacy Office file
    data = p.read_bytes()
    if kind == "docx":
        from contract_audit.extract.docx import read_docx

        blocks, warnings = read_docx(data)
        return build_document(blocks, format="docx", path=str(p), warnings=warnings)
    from contract_audit.extract.text import read_text

    markdown = p.suffix.lower() in {".md", ".markdown"}
    blocks, warnings = read_text(data, markdown=markdown)
    return build_document(blocks, format="text", path=str(p), warnings=warnings)


def _mb(n: int) -> str:
    return f"{n / 2**20:.1f} MB"
