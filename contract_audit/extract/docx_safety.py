"""Checks a DOCX must pass before any XML in it is parsed: zip bombs and entity expansion.

Both attacks work by making a small file expand enormously while it is read, so the checks use
only what is cheap and bounded: the zip central directory (declared sizes; ``zipfile`` never
inflates past a declared size) and a streamed scan of each part for a DTD, which Word never
writes (OPC forbids DTDs in package parts, so refusing one rejects no genuine document).
"""

from __future__ import annotations

import zipfile

from contract_audit.extract.errors import ExtractionError

MAX_TOTAL_UNCOMPRESSED = 512 * 2**20
MAX_PART_UNCOMPRESSED = 256 * 2**20  # media (images) barely compress: allow big ones
MAX_XML_PART = 64 * 2**20  # a contract's document.xml is a few MB; lxml trees are ~5x larger
MAX_RATIO = 200  # Word XML compresses 5-20x; a ratio this high is a bomb, not a document
RATIO_FLOOR = 16 * 2**20  # small parts may compress extremely well (runs of spaces): ignore
MAX_ENTRIES = 20_000
_DTD_MARKERS = (b"<!DOCTYPE", b"<!ENTITY", "<!DOCTYPE".encode("utf-16-le"),
                "<!DOCTYPE".encode("utf-16-be"))  # fmt: skip
_CHUNK = 1 << 20


def check_zip(archive: zipfile.ZipFile) -> None:
    """Refuse an archive whose directory promises more data than a contract could hold."""
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        raise ExtractionError("corrupt", f"the DOCX has {len(infos)} parts: not a Word document")
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        is_xml = info.filename.lower().endswith((".xml", ".rels"))
        if (
            info.file_size > MAX_PART_UNCOMPRESSED
            or (is_xml and info.file_size > MAX_XML_PART)
            or (info.file_size > RATIO_FLOOR and ratio > MAX_RATIO)
        ):
            raise ExtractionError(
                "too-large",
                f"part {info.filename} would expand to {info.file_size / 2**20:.0f} MB "
                f"({ratio:.0f}:1 compression): refused as a likely zip bomb",
            )
    if total > MAX_TOTAL_UNCOMPRESSED:
        raise ExtractionError(
            "too-large",
            f"the DOCX would expand to {total / 2**20:.0f} MB: refused as a likely zip bomb",
        )


def check_no_dtd(archive: zipfile.ZipFile) -> None:
    """Refuse any XML part that declares a DTD or entities (billion-laughs, external entities)."""
    for info in archive.infolist():
        name = info.filename.lower()
        if not (name.endswith(".xml") or name.endswith(".rels")):
            continue
        tail = b""
        with archive.open(info) as fh:
            while chunk := fh.read(_CHUNK):
                window = tail + chunk
                if any(marker in window for marker in _DTD_MARKERS):
                    raise ExtractionError(
                        "corrupt",
                        f"part {info.filename} declares a DTD/XML entities, which Word never "
                        "writes: refused as unsafe",
                    )
                tail = window[-32:]
