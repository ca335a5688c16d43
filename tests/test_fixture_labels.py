"""Checks the labelled fixture corpus (fixtures/contracts) and the bundled sample contracts.

The evaluation (``contract-audit eval fixtures/contracts``) trusts these labels, so a typo in a
quote or an id would silently corrupt every figure it prints: this test keeps them honest.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from contract_audit.domain import ADVISORY_TYPES, ELEMENTS, ENGAGEMENT_TYPES, FAMILIES

ROOT = Path(__file__).resolve().parents[1]
CONTRACTS = ROOT / "fixtures" / "contracts"
SAMPLE = ROOT / "fixtures" / "sample"

# The idea vocabulary documented in fixtures/contracts/README.md, per family.
IDEAS: dict[str, frozenset[str]] = {
    "vendor-incentive": frozenset(
        {
            "vendor-compensation",
            "resale-markup",
            "mandatory-procurement",
            "right-of-first-refusal",
            "restricted-catalogue",
            "roadmap-to-projects",
            "success-fee",
            "no-disclosure-duty",
        }
    ),
    "divided-loyalty": frozenset(
        {
            "advisor-under-provider-control",
            "advisor-substitution",
            "provider-policies-interests",
            "serves-other-clients",
            "advice-information-only",
            "no-fiduciary-duty",
            "client-bears-consequences",
            "no-hire-conversion-fee",
            "self-review",
            "data-sharing",
            "advice-liability-cap",
        }
    ),
    "protection": frozenset(
        {
            "conflict-disclosure",
            "compensation-disclosure",
            "no-vendor-compensation",
            "vendor-neutral",
            "best-interest",
            "rebates-credited",
            "free-vendor-choice",
            "competitive-bids",
            "independent-review",
            "reports-to-client-executive",
            "advisor-continuity",
            "hire-without-fee",
            "no-data-sharing",
            "no-competitor-clients",
            "no-self-review",
            "termination-for-conflict",
        }
    ),
}

# Contracts written almost entirely in negated or protective language (the brief asks for two).
NEGATED = ("msp07-northgate-negative-covenants", "ind03-ashdown-advisor-covenants")
STATUSES = {"present", "missing"}
MIN_WORDS, MAX_WORDS = 600, 3000


def _normalise(text: str) -> str:
    """Collapse whitespace so a quote may span the contract's line breaks."""
    return re.sub(r"\s+", " ", text).strip()


def _contracts() -> list[Path]:
    return sorted(CONTRACTS.glob("*.txt"))


def _labelled(folder: Path) -> list[tuple[Path, dict]]:
    out = []
    for txt in sorted(folder.glob("*.txt")):
        labels = txt.with_name(txt.stem + ".labels.yml")
        if labels.exists():
            out.append((txt, yaml.safe_load(labels.read_text(encoding="utf-8"))))
    return out


ALL_LABELLED = _labelled(CONTRACTS) + _labelled(SAMPLE)


def test_every_contract_has_a_label_file() -> None:
    missing = [p.name for p in _contracts() if not p.with_name(p.stem + ".labels.yml").exists()]
    assert not missing, f"contracts without labels: {missing}"
    orphans = [
        p.name
        for p in CONTRACTS.glob("*.labels.yml")
        if not p.with_name(p.name.removesuffix(".labels.yml") + ".txt").exists()
    ]
    assert not orphans, f"label files without a contract: {orphans}"


@pytest.mark.parametrize("path", _contracts(), ids=lambda p: p.stem)
def test_word_count_in_range(path: Path) -> None:
    words = len(path.read_text(encoding="utf-8").split())
    assert MIN_WORDS <= words <= MAX_WORDS, f"{path.name}: {words} words"


@pytest.mark.parametrize(("path", "labels"), ALL_LABELLED, ids=lambda v: getattr(v, "stem", ""))
def test_labels_are_valid(path: Path, labels: dict) -> None:
    assert set(labels) <= {"engagement", "negative_control", "findings", "elements"}, path.name
    engagement = labels["engagement"]
    assert engagement in ENGAGEMENT_TYPES, f"{path.name}: engagement {engagement!r}"
    assert labels["negative_control"] is (engagement == "other"), f"{path.name}: negative_control"
    findings = labels["findings"]
    assert isinstance(findings, list), path.name
    if engagement == "other":
        assert findings == [], f"{path.name}: a negative control has no findings"
    for f in findings:
        assert set(f) == {"family", "idea", "quote"}, f"{path.name}: {f}"
        assert f["family"] in FAMILIES and f["family"] != "missing-responsibility", f
        assert f["idea"] in IDEAS[f["family"]], f"{path.name}: idea {f['idea']!r} in {f['family']}"
    if engagement in ADVISORY_TYPES:
        elements = labels["elements"]
        assert set(elements) == set(ELEMENTS), f"{path.name}: elements {sorted(elements)}"
        bad = {k: v for k, v in elements.items() if v not in STATUSES}
        assert not bad, f"{path.name}: {bad}"
    else:
        assert "elements" not in labels, f"{path.name}: elements only for advisory contracts"


@pytest.mark.parametrize(("path", "labels"), ALL_LABELLED, ids=lambda v: getattr(v, "stem", ""))
def test_quotes_are_distinct_substrings(path: Path, labels: dict) -> None:
    text = _normalise(path.read_text(encoding="utf-8"))
    seen: set[tuple[str, str]] = set()
    for f in labels["findings"]:
        quote = _normalise(f["quote"])
        assert quote in text, f"{path.name}: quote not found: {quote!r}"
        assert text.count(quote) == 1, f"{path.name}: quote occurs more than once: {quote!r}"
        assert 8 <= len(quote.split()) <= 30, f"{path.name}: quote of {len(quote.split())} words"
        key = (f["idea"], quote)
        assert key not in seen, f"{path.name}: duplicate label {key}"
        seen.add(key)


def test_required_counts_per_category() -> None:
    labelled = _labelled(CONTRACTS)
    counts = Counter(labels["engagement"] for _, labels in labelled)
    assert len(labelled) >= 22, counts
    assert counts["msp-vcio"] >= 8, counts
    assert counts["independent-fractional"] >= 4, counts
    assert counts["reseller-partner"] >= 3, counts
    assert counts["other"] >= 3, counts
    families = {p.stem: Counter(f["family"] for f in lab["findings"]) for p, lab in labelled}
    # The MSP set runs from very risky to balanced.
    msp = [s for p, lab in labelled if lab["engagement"] == "msp-vcio" for s in [p.stem]]
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
    labels = yaml.safe_load((CONTRACTS / f"{stem}.labels.yml").read_text(encoding="utf-8"))
    families = Counter(f["family"] for f in labels["findings"])
    assert families["protection"] >= 6
    assert families["protection"] > 2 * (families["vendor-incentive"] + families["divided-loyalty"])


def test_other_formats_share_a_labelled_stem() -> None:
    docx = sorted(CONTRACTS.glob("*.docx"))
    pdf = sorted(CONTRACTS.glob("*.pdf"))
    assert len(docx) >= 3 and len(pdf) >= 3, (docx, pdf)
    for path in docx + pdf:
        assert path.with_suffix(".txt").exists(), f"{path.name} has no .txt twin"


def _docx_text(path: Path) -> tuple[str, set[str], int]:
    """Paragraph and table text, the paragraph style names used, and the table count."""
    import docx

    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    styles = {p.style.name for p in document.paragraphs if p.style is not None}
    return _normalise("\n".join(parts)), styles, len(document.tables)


def test_docx_files_hold_the_labelled_quotes_and_real_headings() -> None:
    with_headings = 0
    for path in sorted(CONTRACTS.glob("*.docx")):
        text, styles, _ = _docx_text(path)
        labels = yaml.safe_load(path.with_name(path.stem + ".labels.yml").read_text("utf-8"))
        for f in labels["findings"]:
            assert _normalise(f["quote"]) in text, f"{path.name}: {f['quote']!r}"
        with_headings += any(s.startswith("Heading") for s in styles)
    assert with_headings >= 1


def test_pdf_files_hold_the_labelled_quotes() -> None:
    import pdfplumber

    pages = []
    for path in sorted(CONTRACTS.glob("*.pdf")):
        with pdfplumber.open(path) as pdf:
            pages.append(len(pdf.pages))
            text = _normalise("\n".join(page.extract_text() or "" for page in pdf.pages))
        labels = yaml.safe_load(path.with_name(path.stem + ".labels.yml").read_text("utf-8"))
        for f in labels["findings"]:
            assert _normalise(f["quote"]) in text, f"{path.name}: {f['quote']!r}"
    assert max(pages) >= 2, pages


@pytest.mark.parametrize("stem", ["sample-msp-agreement", "sample-msp-agreement-v2"])
def test_sample_docx_matches_its_text_and_has_structure(stem: str) -> None:
    txt = SAMPLE / f"{stem}.txt"
    text, styles, tables = _docx_text(SAMPLE / f"{stem}.docx")
    words = len(txt.read_text(encoding="utf-8").split())
    assert 1500 <= words <= 2600, words
    assert tables >= 1, "the fee table should be a real Word table"
    assert any(s.startswith("Heading") for s in styles), styles
    labels = yaml.safe_load((SAMPLE / f"{stem}.labels.yml").read_text(encoding="utf-8"))
    for f in labels["findings"]:
        assert _normalise(f["quote"]) in text, f"{stem}.docx: {f['quote']!r}"


def test_sample_revision_fixes_some_risks_and_adds_one() -> None:
    def ideas(stem: str) -> set[tuple[str, str]]:
        labels = yaml.safe_load((SAMPLE / f"{stem}.labels.yml").read_text(encoding="utf-8"))
        return {(f["family"], f["idea"]) for f in labels["findings"]}

    v1, v2 = ideas("sample-msp-agreement"), ideas("sample-msp-agreement-v2")
    risks = {"vendor-incentive", "divided-loyalty"}
    assert {i for i in v1 - v2 if i[0] in risks}, "v2 should remove some risks"
    assert {i for i in v2 - v1 if i[0] in risks}, "v2 should introduce a new risk"
    assert {i for i in v2 - v1 if i[0] == "protection"}, "v2 should add protections"


def test_sample_copies_in_the_corpus_are_identical() -> None:
    """The eval corpus holds copies of the bundled sample; they must not drift apart."""
    for copy in sorted(CONTRACTS.glob("sample-*")):
        original = SAMPLE / copy.name
        assert original.exists(), f"{copy.name} has no original in fixtures/sample"
        if copy.suffix in {".txt", ".yml"}:
            assert copy.read_bytes() == original.read_bytes(), (
                f"{copy.name} differs from the sample"
            )


def test_fixtures_do_not_copy_the_real_corpus() -> None:
    """Our fixtures are our own writing: no 20-word run may come from ../shared/corpus.

    Shorter runs are allowed because legal boilerplate ("the receipt and sufficiency of which are
    hereby acknowledged") is common to every contract; a copied sentence is longer than that.
    """
    corpus = ROOT.parent / "shared" / "corpus"
    if not corpus.is_dir():
        pytest.skip("../shared/corpus is absent")
    size = 20

    def windows(text: str) -> set[str]:
        words = re.findall(r"[a-z0-9]+", text.lower())
        return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}

    real: set[str] = set()
    for path in corpus.rglob("*.txt"):
        real |= windows(path.read_text(encoding="utf-8", errors="ignore"))
    ours = sorted(CONTRACTS.glob("*.txt")) + sorted(SAMPLE.glob("*.txt"))
    copied = {p.name: sorted(windows(p.read_text(encoding="utf-8")) & real)[:1] for p in ours}
    assert not {k: v for k, v in copied.items() if v}


@pytest.mark.parametrize(
    "docx_path",
    sorted(CONTRACTS.glob("*.docx")) + sorted(SAMPLE.glob("*.docx")),
    ids=lambda p: p.name,
)
def test_docx_twins_have_the_words_of_their_text(docx_path: Path) -> None:
    """A twin must say exactly what its .txt says (list letters may become Word numbering)."""
    import docx

    document = docx.Document(str(docx_path))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    styles = {p.style.name for p in document.paragraphs if p.style is not None}
    theirs = Counter(" ".join(parts).split())
    text = docx_path.with_suffix(".txt").read_text(encoding="utf-8")
    if "List Number" in styles:
        text = re.sub(r"(?m)^\s*\([a-z]+\)\s+", "", text)
    ours = Counter(text.split())
    assert theirs == ours, (theirs - ours, ours - theirs)
