"""build_document: joining, page ranges, section detection and nesting, fast lookups."""

from __future__ import annotations

import pickle

import pytest

from contract_audit.builder import build_document, detect_marker, looks_like_heading
from contract_audit.model import Block, Document, Section


def _doc(*texts: str, **kw) -> Document:
    return build_document([Block(text=t) for t in texts], format="text", **kw)


def _numbers(doc: Document) -> list[tuple[str, int, str | None]]:
    """(number, level, parent number) for each section."""
    return [
        (s.number, s.level, doc.sections[s.parent].number if s.parent is not None else None)
        for s in doc.sections
    ]


def test_blocks_are_joined_by_blank_lines_and_stripped() -> None:
    doc = _doc("  First paragraph. ", "", "Second paragraph.")
    assert doc.text == "First paragraph.\n\nSecond paragraph."
    assert doc.format == "text"
    assert doc.word_count == 4


def test_page_ranges_cover_the_text_and_keep_empty_pages() -> None:
    blocks = [
        Block("Page one text.", page=1),
        Block("More on one.", page=1),
        Block("", page=2),  # a blank page still exists
        Block("Page three text.", page=3),
    ]
    doc = build_document(blocks, format="pdf")
    assert [p.number for p in doc.pages] == [1, 2, 3]
    one, two, three = doc.pages
    assert (one.start, three.end) == (0, len(doc.text))
    assert doc.text[three.start :] == "Page three text."
    assert two.start == two.end  # empty range
    assert doc.page_at(doc.text.index("More")) == 1
    assert doc.page_at(doc.text.index("three")) == 3


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("1. Definitions", "1"),
        ("1.1 Services. The Provider shall", "1.1"),
        ("3.2.1 Notice periods apply.", "3.2.1"),
        ("Section 4 Fees", "Section 4"),
        ("SECTION 4.2 Late Payment", "SECTION 4.2"),
        ("ARTICLE IV", "ARTICLE IV"),
        ("Article 2 - Term", "Article 2"),
        ("(a) the Client shall", "(a)"),
        ("(iv) any rebate", "(iv)"),
        ("Schedule B", "Schedule B"),
        ("Exhibit A-1 Pricing", "Exhibit A-1"),
        ("A. Background", "A."),
        ("C1  Conflicts of Interest. The Service Provider shall", "C1"),
        ("B6. Change of vCIO. Redgum may", "B6"),
        ("D2.1 The Service Provider assigns", "D2.1"),
        ("§ 4 Remuneration", "§ 4"),
        ("§12 Term and Termination", "§ 12"),
    ],
)
def test_section_markers(text: str, number: str) -> None:
    doc = _doc(text, "Body text follows here and it is long enough to be a sentence.")
    assert doc.sections[0].number == number
    assert doc.sections[0].start == 0


@pytest.mark.parametrize(
    "text",
    [
        "12 months after the Effective Date the fees increase.",
        "2024. The parties met.",
        "The Provider shall disclose every commission.",
        "THE SERVICES ARE PROVIDED AS IS WITHOUT ANY WARRANTY OF ANY KIND, EXPRESS OR IMPLIED.",
        "B6 of the Order Form sets the fee.",
    ],
)
def test_ordinary_paragraphs_open_no_section(text: str) -> None:
    assert _doc(text).sections == ()


def test_headings_are_read_from_run_in_titles_and_next_lines() -> None:
    doc = _doc(
        "ARTICLE IV",
        "CONFIDENTIALITY",
        "4.1 Disclosure. Each party shall keep the other's information secret.",
        "4.2 Each party may disclose information to its advisers.",
    )
    art, s41, s42 = doc.sections
    assert (art.number, art.heading, art.label) == ("ARTICLE IV", "CONFIDENTIALITY",
                                                    "ARTICLE IV CONFIDENTIALITY")  # fmt: skip
    assert s41.heading == "Disclosure"
    assert s42.heading == ""  # a sentence is not a heading
    assert s41.parent == 0 and s42.parent == 0


def test_nesting_and_ranges() -> None:
    doc = _doc(
        "MASTER SERVICES AGREEMENT",
        "1. Services",
        "1.1 The Provider shall deliver the services.",
        "(a) monitoring;",
        "(b) patching; and",
        "(i) weekly reports;",
        "(ii) monthly reviews.",
        "1.2 The Client shall cooperate.",
        "2. Fees",
        "2.1 Fees are due monthly.",
        "Schedule A",
        "Pricing table.",
    )
    assert _numbers(doc) == [
        ("", 1, None),
        ("1", 2, ""),
        ("1.1", 3, "1"),
        ("(a)", 4, "1.1"),
        ("(b)", 4, "1.1"),
        ("(i)", 5, "(b)"),
        ("(ii)", 5, "(b)"),
        ("1.2", 3, "1"),
        ("2", 2, ""),
        ("2.1", 3, "2"),
        ("Schedule A", 1, None),
    ]
    by_number = {s.number: s for s in doc.sections}
    # A section runs to the next section of the same or a higher level.
    assert doc.text[by_number["1"].start : by_number["1"].end].rstrip().endswith("cooperate.")
    assert doc.text[by_number["(b)"].start : by_number["(b)"].end].startswith("(b) patching")
    assert by_number["(b)"].end == by_number["1.2"].start
    assert by_number["2"].end == by_number["Schedule A"].start
    assert by_number["Schedule A"].end == len(doc.text)


def test_letter_i_after_h_is_a_letter_not_a_roman_numeral() -> None:
    items = [f"({c}) item {c};" for c in "abcdefghij"]
    doc = _doc("1. List", *items)
    levels = {s.number: s.level for s in doc.sections}
    assert levels["(i)"] == levels["(h)"] == levels["(j)"] == 2


def test_article_outranks_numbering_and_decimal_siblings_do_not_nest() -> None:
    doc = _doc(
        "ARTICLE I DEFINITIONS",
        "1.1 Terms have these meanings.",
        "ARTICLE II SERVICES",
        "2.1 The Provider shall perform.",
        "3.1 Orphan numbering still sits beside 2.1, not inside it.",
    )
    assert _numbers(doc) == [
        ("ARTICLE I", 1, None),
        ("1.1", 2, "ARTICLE I"),
        ("ARTICLE II", 1, None),
        ("2.1", 2, "ARTICLE II"),
        ("3.1", 2, "ARTICLE II"),
    ]
    assert doc.sections[0].heading == "DEFINITIONS"


def test_docx_heading_levels_and_reconstructed_numbers() -> None:
    blocks = [
        Block("Engagement Letter", heading_level=0),
        Block("1. Scope", heading_level=1, number="1."),
        Block("1.1 The Advisor advises.", number="1.1"),
        Block("(a) strategy;", number="(a)"),
        Block("Fees", heading_level=2),  # a heading style outranks list paragraphs
        Block("Termination", heading_level=1),
    ]
    doc = build_document(blocks, format="docx")
    assert _numbers(doc) == [
        ("", 1, None),
        ("1", 2, ""),
        ("1.1", 3, "1"),
        ("(a)", 4, "1.1"),
        ("", 3, "1"),
        ("", 2, ""),
    ]
    assert [s.heading for s in doc.sections] == [
        "Engagement Letter", "Scope", "", "", "Fees", "Termination",
    ]  # fmt: skip


def test_section_at_is_the_innermost_and_matches_a_linear_scan() -> None:
    doc = _doc(
        "1. Services",
        "1.1 The Provider shall deliver.",
        "(a) monitoring;",
        "Unnumbered follow-on text inside (a).",
        "2. Fees",
        "2.1 Fees are due.",
    )

    def slow(offset: int) -> Section | None:
        best = None
        for s in doc.sections:
            if s.start <= offset < s.end and (best is None or s.level >= best.level):
                best = s
        return best

    for offset in range(len(doc.text) + 2):
        assert doc.section_at(offset) == slow(offset), offset
    assert doc.section_at(doc.text.index("follow-on")).number == "(a)"
    assert doc.section_at(doc.text.index("due")).label == "2.1"


def test_section_at_falls_back_for_hand_made_sections() -> None:
    # Sections out of order and without parents (as a test elsewhere might build them).
    sections = (
        Section("2", "Fees", 50, 100, 1, None),
        Section("1", "Scope", 0, 50, 1, None),
        Section("1.1", "", 10, 40, 2, None),
    )
    doc = Document(text="x" * 100, sections=sections)
    assert doc.section_at(20).number == "1.1"
    assert doc.section_at(45).number == "1"
    assert doc.section_at(60).number == "2"


def test_document_pickles_and_serialises() -> None:
    doc = _doc("1. Scope", "1.1 Text here.", warnings=("a warning",), path="x.txt")
    clone = pickle.loads(pickle.dumps(doc))
    assert clone == doc
    assert clone.section_at(12) == doc.section_at(12)
    data = doc.to_dict()
    assert data["warnings"] == ["a warning"] and data["path"] == "x.txt"
    assert data["sections"][1] == {"number": "1.1", "heading": "", "start": 10, "end": 24,
                                   "level": 2, "parent": 0}  # fmt: skip


def test_empty_input() -> None:
    doc = build_document([], format="text")
    assert doc.text == "" and doc.pages == () and doc.sections == ()
    assert doc.page_at(0) is None and doc.section_at(0) is None


def test_helpers() -> None:
    assert detect_marker("no marker here") is None
    marker = detect_marker("(ii) second")
    assert marker is not None and marker.style == "paren-lower-roman"
    assert looks_like_heading("Limitation of Liability")
    assert not looks_like_heading("refuse any payment from a vendor; and")
    assert not looks_like_heading("The Advisor shall act")


def test_a_short_clause_with_a_lower_case_verb_is_no_run_in_heading() -> None:
    """"4.5 The Technology Advisor reports to the CEO. On all advisory matters ..." is a clause
    (its sentence must be read), while "Reports and Meetings" stays a caption."""
    assert not looks_like_heading("The Technology Advisor reports to the CEO")
    assert looks_like_heading("Reports and Meetings")
    doc = _doc(
        "4.5 The Technology Advisor reports to the CEO. On all advisory matters the Technology "
        "Advisor takes direction only from the Board."
    )
    assert doc.sections[0].number == "4.5"
    assert "reports" not in doc.sections[0].heading


def test_a_heading_after_a_numbered_sentence_is_not_swallowed() -> None:
    doc = _doc(
        "2.2 The Provider shall keep records.",
        "CONFIDENTIALITY",
        "Each party keeps the other's information secret.",
    )
    assert [(s.number, s.heading) for s in doc.sections] == [
        ("2.2", ""),
        ("", "CONFIDENTIALITY"),
    ]


def test_section_ends_with_deep_nesting() -> None:
    blocks = []
    for i in range(1, 4):
        blocks.append(Block(f"{i}. Heading {i}"))
        for j in range(1, 3):
            blocks.append(Block(f"{i}.{j} Clause text here."))
            blocks.append(Block(f"{i}.{j}.1 Detail text here."))
    doc = build_document(blocks, format="text")
    assert len(doc.sections) == 15
    for s in doc.sections:
        later = [t for t in doc.sections if t.start > s.start and t.level <= s.level]
        assert s.end == (later[0].start if later else len(doc.text)), s.number
        if s.parent is not None:
            parent = doc.sections[s.parent]
            assert parent.start < s.start and s.end <= parent.end


def test_unnumbered_headings_need_a_clause_after_them() -> None:
    doc = _doc(
        "MANAGED SERVICES AGREEMENT",
        "This agreement sets out how the Provider supports the Client's systems.",
        "Vendor Relationships",
        "The Provider shall tell the Client about every reseller agreement it holds.",
        "Fees & Expenses",
        "1. The Client pays the fees in the order form.",
        "Print Name",
        "{signatory}",
        "Title",
        "{title}",
    )
    assert [(s.number, s.heading, s.level) for s in doc.sections] == [
        ("", "MANAGED SERVICES AGREEMENT", 1),
        ("", "Vendor Relationships", 2),
        ("", "Fees & Expenses", 2),
        ("1", "", 3),
    ]


def test_heading_styled_clause_gets_its_run_in_heading() -> None:
    doc = build_document(
        [Block("Referral Fees. The Provider may not accept referral fees.", heading_level=2)],
        format="docx",
    )
    assert [(s.heading, s.level) for s in doc.sections] == [("Referral Fees", 1)]


@pytest.mark.parametrize(
    ("line", "previous", "expected"),
    [
        ("Exhibit A, as updated quarterly.", "", False),
        ("Section 4.2 of this Agreement applies.", "", False),
        ("2.1 of the Order Form applies.", "", False),
        ("3.5 million units are covered.", "", False),
        ("(30) days after notice.", "on thirty", False),
        ("3.1. MDF may be used for events.", "as set out in Section", False),
        ("Exhibit A - Pricing", "", True),
        ("Section 4.2 Fees", "", True),
        ("(2) the Client pays.", "the Provider invoices; and", True),
        ("* a bullet point", "", True),
        ("The Client pays.", "", False),
    ],
)
def test_starts_block_tells_clauses_from_wrapped_citations(
    line: str, previous: str, expected: bool
) -> None:
    from contract_audit.builder import starts_block

    assert starts_block(line, previous) is expected


def test_paren_numbers_must_run_in_sequence_inside_a_document() -> None:
    doc = _doc(
        "1. Notice",
        "(1) by hand;",
        "(2) by courier;",
        "(10) days later the notice is deemed received.",
    )
    assert [s.number for s in doc.sections] == ["1", "(1)", "(2)"]


def test_table_of_contents_lines_are_not_sections() -> None:
    doc = _doc(
        "TABLE OF CONTENTS",
        "ARTICLE I DEFINITIONS....1",
        "ARTICLE II SERVICES2",
        "2.1 Scope. 2",
        "2.2 Changes 3",
        "2.3 Referral Fees 4",
        "ARTICLE I DEFINITIONS",
        "1.1 Terms used here have these meanings in every schedule.",
        "ARTICLE II SERVICES",
        "2.1 Scope. The Provider runs the help desk.",
    )
    assert [(s.number, s.heading) for s in doc.sections] == [
        ("", "TABLE OF CONTENTS"),  # the contents as a whole is a part of the document
        ("ARTICLE I", "DEFINITIONS"),
        ("1.1", ""),
        ("ARTICLE II", "SERVICES"),
        ("2.1", "Scope"),
    ]
    # A lone heading that happens to end in a number is still a heading.
    assert _doc("Schedule 2", "The fees for Year 2 are listed below in full.").sections[
        0
    ].number == ("Schedule 2")


def test_a_bare_list_item_is_cited_with_its_ancestors_numbers() -> None:
    from contract_audit.model import Document, Page, Section

    text = "x" * 100
    sections = (
        Section("5", "Procurement", 0, 100, 1, None),
        Section("5.1", "Purchasing", 10, 100, 2, 0),
        Section("(a)", "", 20, 100, 3, 1),
        Section("(ii)", "Hardware", 30, 100, 4, 2),
    )
    doc = Document(text, (Page(1, 0, 100),), sections)
    assert doc.section_label(35) == "5.1(a)(ii) Hardware"
    assert doc.section_label(25) == "5.1(a)"
    assert doc.section_label(12) == "5.1 Purchasing"
    schedule = Document(
        text,
        (Page(1, 0, 100),),
        (Section("SCHEDULE A", "VIRTUAL CIO", 0, 100, 1, None), Section("(e)", "", 20, 100, 2, 0)),
    )
    assert schedule.section_label(30) == "SCHEDULE A (e)"
