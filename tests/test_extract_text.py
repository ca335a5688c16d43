"""Plain-text extraction: encodings, line endings, paragraphs, pages, and refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from contract_audit.extract import ExtractionError, extract
from contract_audit.extract.text import decode

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "extract"

EXPECTED = (
    "ADVISORY SERVICES AGREEMENT\n\n"
    "1. Scope\n\n"
    "1.1 The Advisor shall provide part-time technology leadership to the Client, including "
    "budget planning and vendor reviews, as reasonably requested.\n\n"
    "1.2 Résumé of the Advisor's duties: the Advisor's \"independent\" opinion is owed to the "
    "Client alone - never to a reseller.\n\n"
    "2. Fees\n\n"
    "2.1 The Client shall pay a fixed monthly fee of €4,000."
)


@pytest.mark.parametrize(
    "name",
    ["utf8.txt", "utf8-bom-crlf.txt", "utf16le-bom.txt", "utf16be-bom-cr.txt", "cp1252.txt"],
)
def test_every_encoding_and_line_ending_reads_the_same(name: str) -> None:
    doc = extract(FIXTURES / name)
    assert doc.text == EXPECTED
    assert doc.format == "text"
    assert [(s.number, s.heading, s.level) for s in doc.sections] == [
        ("", "ADVISORY SERVICES AGREEMENT", 1),
        ("1", "Scope", 2),
        ("1.1", "", 3),
        ("1.2", "Résumé of the Advisor's duties", 3),  # a run-in heading before a colon
        ("2", "Fees", 2),
        ("2.1", "", 3),
    ]
    assert [(p.number, p.start, p.end) for p in doc.pages] == [(1, 0, len(EXPECTED))]


def test_decode_reports_the_encoding() -> None:
    assert decode("é".encode())[1] == "utf-8"
    assert decode("é".encode("cp1252")) == ("é", "cp1252")
    assert decode(b"\xff\xfe" + "é".encode("utf-16-le")) == ("é", "utf-16-le")
    assert decode(b"\x81ok")[0] == "ok"  # a byte cp1252 leaves undefined is dropped


def test_form_feeds_are_page_breaks(tmp_path: Path) -> None:
    doc = extract(FIXTURES / "pages.txt")
    assert doc.text == (
        "Page one says the term is twelve months.\n\nPage two covers renewal.\n\nPage four."
    )
    assert [p.number for p in doc.pages] == [1, 2, 3, 4]
    assert doc.page_at(doc.text.index("renewal")) == 2
    assert doc.page_at(doc.text.index("four")) == 4
    assert doc.pages[2].start == doc.pages[2].end  # page three is blank


def test_markdown_headings_and_emphasis() -> None:
    doc = extract(FIXTURES / "notes.md")
    assert "**" not in doc.text and "#" not in doc.text
    assert "deliver the managed services listed" in doc.text
    assert [(s.number, s.heading, s.level) for s in doc.sections] == [
        ("", "Master Services Agreement", 1),
        ("1", "Services", 2),
        ("2", "Conflicts", 2),
    ]


def test_unwrapped_lines_are_separate_paragraphs(tmp_path: Path) -> None:
    long_a = "The Provider shall disclose every referral fee it receives from any vendor " * 3
    long_b = "The Client may terminate this Agreement on thirty days' written notice " * 3
    path = tmp_path / "long.txt"
    path.write_text(f"{long_a.strip()}\n{long_b.strip()}\n", encoding="utf-8")
    doc = extract(path)
    assert doc.text == f"{long_a.strip()}\n\n{long_b.strip()}"


def test_wrapped_lines_join_but_short_lines_and_numbers_break(tmp_path: Path) -> None:
    path = tmp_path / "wrapped.txt"
    path.write_text(
        "WHEREAS the Client wishes to engage an independent technology\n"
        "adviser for strategic planning; and\n"
        "1. The Adviser shall report to the Client's board of directors\n"
        "every quarter.\n",
        encoding="utf-8",
    )
    doc = extract(path)
    assert doc.text == (
        "WHEREAS the Client wishes to engage an independent technology adviser for strategic "
        "planning; and\n\n1. The Adviser shall report to the Client's board of directors every "
        "quarter."
    )


def test_a_table_laid_out_with_spaces_keeps_one_row_per_paragraph(tmp_path: Path) -> None:
    """Rows of a fee table aligned with spaces read as a Word table's rows do ("a | b"), one
    paragraph each, instead of being reflowed into one sentence; prose with two spaces after a
    full stop is no table."""
    path = tmp_path / "fees.txt"
    path.write_text(
        "4. Fees. The Customer pays the fees below.  Hardware is resold at the uplift shown,\n"
        "which the Provider retains.\n\n"
        "Item                  Basis                     Amount\n"
        "Managed services      per user per month        USD 95\n"
        "Hardware resale       distributor cost plus     12% uplift\n"
        "vCIO advisory         per month                 USD 1,500\n",
        encoding="utf-8",
    )
    paragraphs = extract(path).text.split("\n\n")
    assert paragraphs == [
        "4. Fees. The Customer pays the fees below. Hardware is resold at the uplift shown, "
        "which the Provider retains.",
        "Item | Basis | Amount",
        "Managed services | per user per month | USD 95",
        "Hardware resale | distributor cost plus | 12% uplift",
        "vCIO advisory | per month | USD 1,500",
    ]


def test_unicode_is_normalised(tmp_path: Path) -> None:
    path = tmp_path / "odd.txt"
    path.write_text(
        "The \ufb01nal\u00a0fee is \u201cdue\u201d on sign\u00adature \u2014 no\u200b delay.",
        encoding="utf-8",
    )
    assert extract(path).text == 'The final fee is "due" on signature - no delay.'


def test_guillemets_read_as_quotes(tmp_path: Path) -> None:
    """Translated drafting quotes its defined terms in guillemets: 'hereinafter the «Provider»'."""
    path = tmp_path / "ro.txt"
    path.write_text("referred to as the \u00abProvider\u00bb, and \u2039this\u203a", "utf-8")
    assert extract(path).text == "referred to as the \"Provider\", and 'this'"
    french = tmp_path / "fr.txt"
    french.write_text("le \u00ab\u00a0Prestataire\u00a0\u00bb, et le \u00ab Client \u00bb", "utf-8")
    assert extract(french).text == 'le "Prestataire", et le "Client"'


@pytest.mark.parametrize(
    ("content", "name", "status", "reason"),
    [
        (b"", "empty.txt", "empty", "0 bytes"),
        (b"  \n\r\n\t ", "blank.txt", "empty", "no text"),
        (b"\x00\x01\x02binary\x00data" * 20, "blob.txt", "unsupported", "save it as"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "scan.png", "unsupported", "OCR"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 64, "scan.txt", "unsupported", "JPEG"),
    ],
)
def test_bad_text_input(tmp_path: Path, content: bytes, name: str, status: str, reason: str):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ExtractionError) as info:
        extract(path)
    assert info.value.status == status
    assert reason in info.value.message
    assert "\n" not in info.value.message


def test_size_cap_and_missing_files(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("word " * 1000, encoding="utf-8")
    with pytest.raises(ExtractionError) as info:
        extract(path, max_bytes=1000)
    assert info.value.status == "too-large"
    assert extract(path, max_bytes=10_000).word_count == 1000
    with pytest.raises(ExtractionError) as info:
        extract(tmp_path / "absent.txt")
    assert info.value.status == "unreadable"
    with pytest.raises(ExtractionError) as info:
        extract(tmp_path)
    assert info.value.status == "unreadable"


def test_extraction_error_pickles_and_rejects_unknown_status() -> None:
    import pickle

    err = pickle.loads(pickle.dumps(ExtractionError("corrupt", "bad\nthing")))
    assert (err.status, err.message) == ("corrupt", "bad thing")
    with pytest.raises(ValueError):
        ExtractionError("nonsense", "x")


def test_utf32_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "wide.txt"
    path.write_bytes(b"\xff\xfe\x00\x00" + "Fee: €10.".encode("utf-32-le"))
    assert extract(path).text == "Fee: €10."


def test_indented_outline_and_markdown_headings_in_a_txt(tmp_path: Path) -> None:
    path = tmp_path / "outline.txt"
    path.write_text(
        "# Support Terms\n\n"
        "1. Coverage\n"
        "    1. Hours.  Support runs on business days from nine to five.\n"
        "    2. Channels.  The Client may raise tickets by email or phone.\n"
        "        a. Urgent tickets are answered within one hour.\n"
        "2. Escalation\n"
        "    1. Contacts.  Each party names an escalation contact in writing.\n",
        encoding="utf-8",
    )
    doc = extract(path)
    assert doc.text.startswith("Support Terms\n\n1. Coverage\n\n1. Hours. Support runs")
    assert [(s.number, s.heading, s.level) for s in doc.sections] == [
        ("", "Support Terms", 1),
        ("1", "Coverage", 2),
        ("1", "Hours", 3),
        ("2", "Channels", 3),
        ("a.", "", 4),
        ("2", "Escalation", 2),
        ("1", "Contacts", 3),
    ]
    urgent = doc.section_at(doc.text.index("Urgent"))
    assert urgent.number == "a." and doc.sections[urgent.parent].heading == "Channels"
