"""The `contract-audit extract` command: text, JSON, and bad input on stderr with exit 3."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from contract_audit import exitcodes
from contract_audit.cli import cli

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "extract"


def _run(*args: str):
    return CliRunner().invoke(cli, ["extract", *args])


def test_prints_plain_text() -> None:
    result = _run(str(FIXTURES / "utf8.txt"))
    assert result.exit_code == exitcodes.OK
    assert result.stdout.startswith("ADVISORY SERVICES AGREEMENT\n\n1. Scope\n")
    assert "€4,000" in result.stdout


def test_prints_the_document_model_as_json() -> None:
    result = _run(str(FIXTURES / "tracked.docx"), "--json")
    assert result.exit_code == exitcodes.OK
    data = json.loads(result.stdout)
    assert data["format"] == "docx"
    assert data["text"].startswith("1. Vendor Relationships")
    assert data["sections"][0] == {
        "number": "1", "heading": "Vendor Relationships", "start": 0,
        "end": data["text"].index("2. Audit"), "level": 1, "parent": None,
    }  # fmt: skip
    assert data["pages"] == [{"number": 1, "start": 0, "end": len(data["text"])}]
    assert "unaccepted tracked changes" in data["warnings"][0]
    assert "warning: the document carries unaccepted" in result.stderr


def test_bad_input_is_one_line_on_stderr_with_exit_3() -> None:
    path = str(FIXTURES / "encrypted.pdf")
    result = _run(path)
    assert result.exit_code == exitcodes.UNREADABLE
    assert result.stdout == ""
    assert result.stderr.startswith(f"{path}: encrypted: password-protected PDF")
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


def test_missing_file_and_size_cap(tmp_path: Path) -> None:
    missing = _run(str(tmp_path / "nope.pdf"))
    assert missing.exit_code == exitcodes.UNREADABLE
    assert "nope.pdf: unreadable: no such file" in missing.stderr
    capped = _run(str(FIXTURES / "multipage.pdf"), "--max-size", "0.001")
    assert capped.exit_code == exitcodes.UNREADABLE
    assert ": too-large: " in capped.stderr
