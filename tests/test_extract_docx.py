"""DOCX extraction: numbering, headings, tables, tracked changes, and hostile packages."""

from __future__ import annotations

import io
import resource
import zipfile
from pathlib import Path

import pytest

from contract_audit.extract import ExtractionError, extract
from contract_audit.extract.numbering import format_number

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "extract"


@pytest.fixture(scope="module")
def numbered():
    return extract(FIXTURES / "numbered.docx")


def test_automatic_numbering_is_reconstructed(numbered) -> None:
    paragraphs = numbered.text.split("\n\n")
    assert paragraphs[:12] == [
        "Fractional CIO Engagement Letter",
        "1. Engagement",
        "1.1 The Client engages the Advisor as its fractional chief information officer.",
        "1.2 The Advisor reports to the Client's chief financial officer.",
        "2. Independence",
        "2.1 The Advisor shall act solely in the Client's interest and shall:",
        "(a) disclose every relationship with a vendor;",
        "(b) refuse any payment from a vendor; and",
        "(c) obtain at least two competing quotations.",
        "2.2 The Advisor may work for other clients only if:",
        "(i) no such client competes with the Client;",
        "(ii) the Client consents in writing.",
    ]


def test_sections_follow_headings_and_numbers(numbered) -> None:
    doc = numbered
    assert [(s.number, s.heading, s.level) for s in doc.sections] == [
        ("", "Fractional CIO Engagement Letter", 1),
        ("1", "Engagement", 2),
        ("1.1", "", 3),
        ("1.2", "", 3),
        ("2", "Independence", 2),
        ("2.1", "", 3),
        ("(a)", "", 4),
        ("(b)", "", 4),
        ("(c)", "", 4),
        ("2.2", "", 3),
        ("(i)", "", 4),
        ("(ii)", "", 4),
        ("", "Rates", 3),
        ("ARTICLE I", "General", 2),
        ("3", "", 3),
    ]
    assert doc.section_at(doc.text.index("refuse any payment")).number == "(b)"
    assert doc.section_at(doc.text.index("$6,500")).label == "Rates"
    assert doc.format == "docx"


def test_list_formats_and_counters_per_list(numbered) -> None:
    # "ARTICLE %1" in upper roman from a third list; list 1 carries on at level 0 with "3.".
    assert numbered.text.endswith(
        "ARTICLE I General\n\n3. This letter is the entire agreement between the parties."
    )


def test_tables_text_boxes_headers_and_footers(numbered) -> None:
    text = numbered.text
    assert "Role | Monthly fee\n\nAdvisor | $6,500\n\nProject lead | $4,200" in text
    # Tables sit where they are in the body, before the paragraph that follows them.
    assert text.index("Project lead") < text.index("The rates above are fixed")
    # The text box is kept once (DrawingML), not twice (its VML fallback is skipped).
    assert text.count("Text box: fees exclude travel expenses.") == 1
    # Headers and footers repeat on every page: left out of the body text.
    assert "Draft for discussion" not in text and "Provider confidential" not in text


def test_tracked_changes_are_read_as_accepted() -> None:
    doc = extract(FIXTURES / "tracked.docx")
    assert doc.text == (
        "1. Vendor Relationships\n\n"
        "The Provider shall pass through to the Client all rebates received from vendors.\n\n"
        "2. Audit. The Client may audit those rebates once a year.\n\n"
        "Payment is due within thirty days."
    )
    assert "may keep" not in doc.text and "waives" not in doc.text
    assert "sixty days" not in doc.text  # the comment is ignored
    assert len(doc.warnings) == 1
    assert "unaccepted tracked changes" in doc.warnings[0]
    assert "2 insertions" in doc.warnings[0] and "2 deletions" in doc.warnings[0]
    assert [(s.number, s.heading) for s in doc.sections] == [
        ("1", "Vendor Relationships"),
        ("2", "Audit"),
    ]


def test_zip_bomb_is_refused_from_the_directory_without_inflating() -> None:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(ExtractionError) as info:
        extract(FIXTURES / "zip-bomb.docx")
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert info.value.status == "too-large"
    assert "zip bomb" in info.value.message
    assert (after - before) < 50 * 1024  # KiB: the 200 MB part was never inflated


def test_entity_expansion_is_refused() -> None:
    with pytest.raises(ExtractionError) as info:
        extract(FIXTURES / "entities.docx")
    assert info.value.status == "corrupt"
    assert "DTD" in info.value.message


@pytest.mark.parametrize(
    ("name", "status", "reason"),
    [
        ("encrypted.docx", "encrypted", "password"),
        ("legacy.doc", "unsupported", "save it as .docx or PDF"),
        ("legacy.rtf", "unsupported", "save it as .docx or PDF"),
        ("not-word.docx", "corrupt", "not a DOCX"),
    ],
)
def test_refused_office_files(name: str, status: str, reason: str) -> None:
    with pytest.raises(ExtractionError) as info:
        extract(FIXTURES / name)
    assert info.value.status == status
    assert reason in info.value.message


def test_truncated_docx_is_corrupt(tmp_path: Path) -> None:
    data = (FIXTURES / "numbered.docx").read_bytes()
    path = tmp_path / "cut.docx"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ExtractionError) as info:
        extract(path)
    assert info.value.status == "corrupt"


def test_excel_workbook_is_unsupported(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
    path = tmp_path / "prices.docx"
    path.write_bytes(buf.getvalue())
    with pytest.raises(ExtractionError) as info:
        extract(path)
    assert info.value.status == "unsupported"


@pytest.mark.parametrize(
    ("value", "fmt", "expected"),
    [
        (3, "decimal", "3"),
        (3, "lowerLetter", "c"),
        (28, "lowerLetter", "bb"),
        (4, "upperLetter", "D"),
        (4, "lowerRoman", "iv"),
        (14, "upperRoman", "XIV"),
        (7, "decimalZero", "07"),
        (5, "ordinalText", "5"),
    ],
)
def test_number_formats(value: int, fmt: str, expected: str) -> None:
    assert format_number(value, fmt) == expected


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _docx_with_body(tmp_path: Path, body_xml: str, name: str = "built.docx") -> Path:
    """A DOCX (python-docx's default template) whose body is replaced by ``body_xml``."""
    import docx
    from docx.oxml import parse_xml

    doc = docx.Document()
    body = doc.element.body
    sect = body.find(f"{{{W_NS}}}sectPr")
    for child in list(body):
        if child is not sect:
            body.remove(child)
    fragment = parse_xml(f'<w:body xmlns:w="{W_NS}">{body_xml}</w:body>')
    for child in list(fragment):
        sect.addprevious(child)
    path = tmp_path / name
    doc.save(str(path))
    return path


def _p(text: str, extra: str = "", ppr: str = "") -> str:
    return (
        f"<w:p><w:pPr>{ppr}</w:pPr>{extra}<w:r><w:t xml:space='preserve'>{text}</w:t></w:r></w:p>"
    )


def test_explicit_page_breaks_give_pages(tmp_path: Path) -> None:
    body = (
        _p("First page clause.")
        + "<w:p><w:r><w:br w:type='page'/></w:r></w:p>"
        + _p("Second page clause.")
        + _p("Third page clause.", ppr="<w:pageBreakBefore/>")
    )
    doc = extract(_docx_with_body(tmp_path, body))
    assert [p.number for p in doc.pages] == [1, 2, 3]
    assert doc.page_at(doc.text.index("Second")) == 2
    assert doc.page_at(doc.text.index("Third")) == 3


def test_rendered_page_breaks_win_over_explicit_ones(tmp_path: Path) -> None:
    body = (
        _p("Alpha clause.")
        + "<w:p><w:r><w:lastRenderedPageBreak/><w:t>Beta clause.</w:t></w:r></w:p>"
        + "<w:p><w:r><w:br w:type='page'/></w:r></w:p>"
        + "<w:p><w:r><w:lastRenderedPageBreak/><w:t>Gamma clause.</w:t></w:r></w:p>"
    )
    doc = extract(_docx_with_body(tmp_path, body))
    assert [doc.page_at(doc.text.index(w)) for w in ("Alpha", "Beta", "Gamma")] == [1, 2, 3]


def test_content_controls_and_deleted_paragraph_marks(tmp_path: Path) -> None:
    deleted_mark = "<w:rPr><w:del w:id='9' w:author='A' w:date='2026-01-01T00:00:00Z'/></w:rPr>"
    body = (
        "<w:sdt><w:sdtPr><w:alias w:val='Parties'/></w:sdtPr><w:sdtContent>"
        + _p("This agreement is between Acme and Beta.")
        + "</w:sdtContent></w:sdt>"
        + _p("The Provider shall", ppr=deleted_mark)
        + _p("disclose all vendor fees.")
        + "<w:p><w:pPr>"
        + deleted_mark
        + "</w:pPr><w:del w:id='10' w:author='A' w:date='2026-01-01T00:00:00Z'>"
        "<w:r><w:delText>A paragraph removed entirely.</w:delText></w:r></w:del></w:p>"
        + _p("Closing words.")
    )
    doc = extract(_docx_with_body(tmp_path, body))
    assert doc.text == (
        "This agreement is between Acme and Beta.\n\n"
        "The Provider shall disclose all vendor fees.\n\n"
        "Closing words."
    )
    assert "tracked changes" in doc.warnings[0]


def test_heading_styles_based_on_headings_and_outline_levels(tmp_path: Path) -> None:
    import docx
    from docx.enum.style import WD_STYLE_TYPE

    d = docx.Document()
    custom = d.styles.add_style("Clause Title", WD_STYLE_TYPE.PARAGRAPH)
    custom.base_style = d.styles["Heading 2"]
    d.add_paragraph("Services", style="Heading 1")
    d.add_paragraph("Service Levels", style="Clause Title")
    d.add_paragraph("The Provider meets the agreed response times.")
    path = tmp_path / "styles.docx"
    d.save(str(path))
    doc = extract(path)
    assert [(s.heading, s.level) for s in doc.sections] == [
        ("Services", 1),
        ("Service Levels", 2),
    ]


def test_footnotes_are_appended_after_the_body(tmp_path: Path) -> None:
    base = _docx_with_body(
        tmp_path,
        "<w:p><w:r><w:t>The fee is fixed.</w:t></w:r>"
        "<w:r><w:footnoteReference w:id='2'/></w:r></w:p>",
    )
    notes = (
        f'<w:footnotes xmlns:w="{W_NS}">'
        "<w:footnote w:type='separator' w:id='0'><w:p><w:r><w:separator/></w:r></w:p></w:footnote>"
        "<w:footnote w:id='2'><w:p><w:r><w:t>Excluding pass-through licence costs.</w:t></w:r>"
        "</w:p></w:footnote></w:footnotes>"
    )
    rel_type = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"
    ctype = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
    out = tmp_path / "notes.docx"
    with zipfile.ZipFile(base) as zin, zipfile.ZipFile(out, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == "word/_rels/document.xml.rels":
                rel = f'<Relationship Id="rIdFn" Type="{rel_type}" Target="footnotes.xml"/>'
                data = data.replace(b"</Relationships>", rel.encode() + b"</Relationships>")
            if item.filename == "[Content_Types].xml":
                over = f'<Override PartName="/word/footnotes.xml" ContentType="{ctype}"/>'
                data = data.replace(b"</Types>", over.encode() + b"</Types>")
            zout.writestr(item, data)
        zout.writestr("word/footnotes.xml", notes)
    doc = extract(out)
    assert doc.text == ("The fee is fixed.\n\n[footnote 2] Excluding pass-through licence costs.")
