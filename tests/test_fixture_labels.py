"""Checks what only the labelled fixture corpus (fixtures/contracts) and the bundled sample
contracts (fixtures/sample) promise: the mix of contracts, the protective ones, the Word and PDF
twins rendered from the same text, and the sample's two drafts.

The checks every labelled folder shares (label files, ids, quotes, word counts, no copying from the
real corpus) are in ``tests/test_labels.py``.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from labels_support import CONTRACTS, SAMPLE, collapse, docx_content, read_labels

from contract_audit.domain import ADVISORY_TYPES, ELEMENTS

# Contracts written almost entirely in negated or protective language (the brief asks for two).
NEGATED = ("msp07-northgate-negative-covenants", "ind03-ashdown-advisor-covenants")
STATUSES = {"present", "missing"}
SAMPLE_STEMS = ("sample-msp-agreement", "sample-msp-agreement-v2")


def _docx_text(path: Path) -> tuple[str, set[str], int]:
    """Paragraph and table text (whitespace collapsed), the paragraph styles and table count."""
    parts, styles, tables = docx_content(path)
    return collapse("\n".join(parts)), styles, tables


def test_required_counts_per_category() -> None:
    labelled = CONTRACTS.labelled
    counts = Counter(labels["engagement"] for _, labels in labelled)
    assert len(labelled) >= 22, counts
    assert counts["msp-vcio"] >= 8, counts
    assert counts["independent-fractional"] >= 4, counts
    assert counts["reseller-partner"] >= 3, counts
    assert counts["other"] >= 3, counts
    families = {p.stem: Counter(f["family"] for f in lab["findings"]) for p, lab in labelled}
    # The MSP set runs from very risky to balanced.
    msp = [p.stem for p, lab in labelled if lab["engagement"] == "msp-vcio"]
    assert any(families[s]["protection"] == 0 for s in msp), "no purely risky MSP contract"
    assert any(families[s]["protection"] > families[s]["vendor-incentive"] for s in msp)
    # At least one independent engagement hides an incentive.
    assert any(
        lab["engagement"] == "independent-fractional" and families[p.stem]["vendor-incentive"]
        for p, lab in labelled
    )
    # Every element is present somewhere and missing somewhere, or the labels teach nothing.
    advisory = [lab["elements"] for _, lab in labelled if lab["engagement"] in ADVISORY_TYPES]
    for element in ELEMENTS:
        assert {e[element] for e in advisory} == STATUSES, element


@pytest.mark.parametrize("stem", NEGATED)
def test_negated_contracts_are_mostly_protections(stem: str) -> None:
    labels = read_labels(CONTRACTS.folder / f"{stem}.txt")
    families = Counter(f["family"] for f in labels["findings"])
    assert families["protection"] >= 6
    assert families["protection"] > 2 * (families["vendor-incentive"] + families["divided-loyalty"])


def test_other_formats_share_a_labelled_stem() -> None:
    docx = sorted(CONTRACTS.folder.glob("*.docx"))
    pdf = sorted(CONTRACTS.folder.glob("*.pdf"))
    assert len(docx) >= 3 and len(pdf) >= 3, (docx, pdf)
    for path in docx + pdf:
        assert path.with_suffix(".txt").exists(), f"{path.name} has no .txt twin"


def test_docx_files_hold_the_labelled_quotes_and_real_headings() -> None:
    with_headings = 0
    for path in sorted(CONTRACTS.folder.glob("*.docx")):
        text, styles, _ = _docx_text(path)
        for f in read_labels(path)["findings"]:
            assert collapse(f["quote"]) in text, f"{path.name}: {f['quote']!r}"
        with_headings += any(s.startswith("Heading") for s in styles)
    assert with_headings >= 1


def test_pdf_files_hold_the_labelled_quotes() -> None:
    import pdfplumber

    pages = []
    for path in sorted(CONTRACTS.folder.glob("*.pdf")):
        with pdfplumber.open(path) as pdf:
            pages.append(len(pdf.pages))
            text = collapse("\n".join(page.extract_text() or "" for page in pdf.pages))
        for f in read_labels(path)["findings"]:
            assert collapse(f["quote"]) in text, f"{path.name}: {f['quote']!r}"
    assert max(pages) >= 2, pages


@pytest.mark.parametrize("stem", SAMPLE_STEMS)
def test_sample_docx_holds_its_quotes_and_has_structure(stem: str) -> None:
    """The sample's length (1,500-2,600 words) is checked with the other word counts."""
    text, styles, tables = _docx_text(SAMPLE.folder / f"{stem}.docx")
    assert tables >= 1, "the fee table should be a real Word table"
    assert any(s.startswith("Heading") for s in styles), styles
    for f in read_labels(SAMPLE.folder / f"{stem}.txt")["findings"]:
        assert collapse(f["quote"]) in text, f"{stem}.docx: {f['quote']!r}"


def test_sample_revision_fixes_some_risks_and_adds_one() -> None:
    def ideas(stem: str) -> set[tuple[str, str]]:
        labels = read_labels(SAMPLE.folder / f"{stem}.txt")
        return {(f["family"], f["idea"]) for f in labels["findings"]}

    v1, v2 = (ideas(stem) for stem in SAMPLE_STEMS)
    risks = {"vendor-incentive", "divided-loyalty"}
    assert {i for i in v1 - v2 if i[0] in risks}, "v2 should remove some risks"
    assert {i for i in v2 - v1 if i[0] in risks}, "v2 should introduce a new risk"
    assert {i for i in v2 - v1 if i[0] == "protection"}, "v2 should add protections"


def test_sample_copies_in_the_corpus_are_identical() -> None:
    """The eval corpus holds copies of the bundled sample; they must not drift apart."""
    for copy in sorted(CONTRACTS.folder.glob("sample-*")):
        original = SAMPLE.folder / copy.name
        assert original.exists(), f"{copy.name} has no original in fixtures/sample"
        if copy.suffix in {".txt", ".yml"}:
            assert copy.read_bytes() == original.read_bytes(), (
                f"{copy.name} differs from the sample"
            )


@pytest.mark.parametrize(
    "docx_path",
    sorted(CONTRACTS.folder.glob("*.docx")) + sorted(SAMPLE.folder.glob("*.docx")),
    ids=lambda p: p.name,
)
def test_docx_twins_have_the_words_of_their_text(docx_path: Path) -> None:
    """A twin must say exactly what its .txt says (list letters may become Word numbering)."""
    parts, styles, _ = docx_content(docx_path)
    theirs = Counter(" ".join(parts).split())
    text = docx_path.with_suffix(".txt").read_text(encoding="utf-8")
    if "List Number" in styles:
        text = re.sub(r"(?m)^\s*\([a-z]+\)\s+", "", text)
    ours = Counter(text.split())
    assert theirs == ours, (theirs - ours, ours - theirs)
