"""The bad-input matrix in one parallel batch: every file comes back with a status and a reason.

The inputs are built in tmp_path at test time; the encrypted PDF, the image-only PDF and the
zip-bomb DOCX are copied from the extraction fixtures (they need a PDF writer or 200 MB of
deflate to make). "Unreadable" is a named pipe, which no user, root included, can scan; a
chmod-000 file is added only when the tests do not run as root (root reads it anyway).
"""

from __future__ import annotations

import html
import json
import os
import random
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from contract_audit.cli import cli
from contract_audit.domain import ELEMENTS
from contract_audit.report.schema import check

ROOT = Path(__file__).resolve().parents[1]
EXTRACT = ROOT / "fixtures" / "extract"
CONTRACTS = ROOT / "fixtures" / "contracts"
ODD_NAME = "Odd <name> & \"quotes\" 'é' – contrat.txt"

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="rels" ContentType="application/'
    'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
    'ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType='
    '"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.'
    'org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>'
)
_LAUGHS = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE w:document [\n<!ENTITY a "ha ha ha ha">\n'
    + "".join(f'<!ENTITY {chr(ord(p) + 1)} "{("&" + p + ";") * 10}">\n' for p in "abcdefg")
    + ']>\n<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:p><w:r><w:t>&h;</w:t></w:r></w:p></w:body></w:document>"
)


def entity_docx(path: Path) -> None:
    """A DOCX whose document.xml declares nested entities ("billion laughs")."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("word/document.xml", _LAUGHS)


def build_inputs(folder: Path) -> dict[str, str]:
    """Write the matrix into ``folder``; return {relative name: expected status}."""
    (folder / "sub dir").mkdir(parents=True)
    expected: dict[str, str] = {}

    def add(name: str, status: str, data: bytes | None = None, source: Path | None = None):
        target = folder / name
        if source is not None:
            shutil.copy(source, target)
        elif data is not None:
            target.write_bytes(data)
        expected[name] = status

    add("good.txt", "ok", source=CONTRACTS / "msp01-harborline-managed-services.txt")
    add("sub dir/good with spaces.docx", "ok", source=EXTRACT / "numbered.docx")
    add("multipage.pdf", "ok", source=EXTRACT / "multipage.pdf")
    add(ODD_NAME, "ok", source=CONTRACTS / "rp01-cobaltshield-partner-program.txt")
    add(
        "non-utf8.txt",
        "ok",
        data="The Provider’s fee is 5 € per seat — payable monthly.\n".encode("cp1252")
        + b"Stray bytes \x81\x8d\x8f\x90\x9d remain.\n",
    )
    add("empty.pdf", "empty", data=b"")
    whole = (EXTRACT / "multipage.pdf").read_bytes()
    add("truncated.pdf", "corrupt", data=whole[: len(whole) // 3])
    add("random.pdf", "corrupt", data=random.Random(7).randbytes(4096))
    add("encrypted.pdf", "encrypted", source=EXTRACT / "encrypted.pdf")
    add("image-only.pdf", "no-text", source=EXTRACT / "scanned.pdf")
    add("zip-bomb.docx", "too-large", source=EXTRACT / "zip-bomb.docx")
    entity_docx(folder / "entities.docx")
    expected["entities.docx"] = "corrupt"
    os.mkfifo(folder / "pipe.pdf")
    expected["pipe.pdf"] = "unreadable"
    os.symlink("loop.pdf", folder / "loop.pdf")
    expected["loop.pdf"] = "unreadable"
    os.symlink("..", folder / "sub dir" / "up")
    expected["sub dir/up"] = "unreadable"
    if os.geteuid() != 0:
        add("locked.pdf", "unreadable", data=b"%PDF-1.4\n")
        (folder / "locked.pdf").chmod(0)
    return expected


def test_bad_inputs_in_one_batch(tmp_path: Path) -> None:
    if not (EXTRACT / "scanned.pdf").exists():
        pytest.fail("fixtures/extract is missing: the matrix needs its PDFs")
    inputs = tmp_path / "in"
    expected = build_inputs(inputs)
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli,
        ["scan", str(inputs), "-o", str(out), "--jobs", "2", "--timeout", "60", "--no-cache"],
        catch_exceptions=False,
    )
    assert result.exit_code == 3, result.output  # some files failed

    report = json.loads((out / "report.json").read_text())
    assert check(report) == []  # the published JSON schema, bad inputs included
    docs = report["documents"]
    statuses = {os.path.relpath(d["path"], inputs): d["status"] for d in docs}
    assert statuses == expected
    by_name = {os.path.relpath(d["path"], inputs): d for d in docs}
    for name, status in expected.items():
        doc = by_name[name]
        if status != "ok":
            assert doc["message"], f"{name} has no reason"
            assert f"{doc['path']}: {status}: {doc['message']}" in result.stderr  # summary

    # The good files are complete: classified, scored, every element assessed.
    for name in ("good.txt", "sub dir/good with spaces.docx", "multipage.pdf", ODD_NAME):
        doc = by_name[name]
        assert doc["engagement"] and doc["risk"] and doc["words"] > 0
        assert set(doc["elements"]) == set(ELEMENTS)
    assert by_name["good.txt"]["findings"]
    assert by_name["multipage.pdf"]["pages"] == 3
    assert by_name["non-utf8.txt"]["words"] > 5

    index = (out / "index.html").read_text()
    shown = html.unescape(index)
    for name, status in expected.items():
        assert Path(name).name in shown, f"{name} missing from index.html"
        if status != "ok":
            assert by_name[name]["message"] in shown, f"{name}: reason missing from index.html"
    assert "<name>" not in index  # escaped, never markup
    pages = [p.name for p in out.iterdir() if p.suffix == ".html" and p.name != "index.html"]
    assert len(pages) == len(expected)
