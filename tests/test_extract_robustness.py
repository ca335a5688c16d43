"""Damaged input never escapes as anything but an ExtractionError with a readable reason."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from contract_audit.domain import EXTRACTION_STATUSES
from contract_audit.extract import ExtractionError, extract
from contract_audit.model import Document

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "extract"
SOURCES = ["multipage.pdf", "two-column.pdf", "numbered.docx", "tracked.docx", "utf16le-bom.txt"]


def _mutations(data: bytes, rng: random.Random) -> list[bytes]:
    cut = data[: rng.randrange(1, len(data))]
    flipped = bytearray(data)
    for _ in range(12):
        flipped[rng.randrange(len(flipped))] = rng.randrange(256)
    at = rng.randrange(len(data))
    spliced = data[:at] + bytes(rng.randrange(256) for _ in range(64)) + data[at:]
    return [cut, bytes(flipped), spliced]


@pytest.mark.parametrize("name", SOURCES)
def test_mutated_files_fail_cleanly(tmp_path: Path, name: str) -> None:
    rng = random.Random(name)  # deterministic per file
    data = (FIXTURES / name).read_bytes()
    for round_no in range(4):
        for i, blob in enumerate(_mutations(data, rng)):
            path = tmp_path / f"m{round_no}-{i}{Path(name).suffix}"
            path.write_bytes(blob)
            try:
                result = extract(path)
            except ExtractionError as exc:
                assert exc.status in EXTRACTION_STATUSES
                assert exc.message and "\n" not in exc.message
                assert "Traceback" not in exc.message
            else:
                assert isinstance(result, Document) and result.text.strip()
