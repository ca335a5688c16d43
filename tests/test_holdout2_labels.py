"""Checks the second blind held-out set (fixtures/holdout2).

The set measures how well the detection rules generalise (``contract-audit eval
fixtures/holdout2``); rule authors never tune on it. A quote that is not in its contract, an
unknown id or a clause borrowed from a set the rules were tuned on would silently skew those
figures, so each is checked here. These tests check the labels, not the analyzer.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from contract_audit.domain import ADVISORY_TYPES, ELEMENTS, ENGAGEMENT_TYPES, FAMILIES
from contract_audit.evaluation import load_labels, locate, normalise

ROOT = Path(__file__).resolve().parents[1]
HOLDOUT2 = ROOT / "fixtures" / "holdout2"
TUNING = ROOT / "fixtures" / "contracts"
FIRST_HOLDOUT = ROOT / "fixtures" / "holdout"
REAL_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
MIN_WORDS, MAX_WORDS = 600, 2500
QUOTE_WORDS = (8, 30)
SPAN_FAMILIES = tuple(f for f in FAMILIES if f != "missing-responsibility")
# A run this long shared with another labelled set means a clause was reused, not rewritten.
SHINGLE = 8


def _collapse(text: str) -> str:
    """Collapse whitespace, as the evaluator does before locating a quote."""
    return re.sub(r"\s+", " ", text).strip()


def _ideas() -> dict[str, set[str]]:
    """The idea vocabulary per family, read from the tuning corpus README (its single source)."""
    table = (TUNING / "README.md").read_text(encoding="utf-8")
    ideas: dict[str, set[str]] = {}
    for family, idea in re.findall(r"^\| ([a-z-]+) \| `([a-z-]+)` \|", table, re.MULTILINE):
        ideas.setdefault(family, set()).add(idea)
    return ideas


def _labels_path(contract: Path) -> Path:
    return contract.with_name(contract.stem + ".labels.yml")


IDEAS = _ideas()
CONTRACTS = sorted(HOLDOUT2.glob("*.txt"))
LABELLED = [
    (p, yaml.safe_load(_labels_path(p).read_text(encoding="utf-8")))
    for p in CONTRACTS
    if _labels_path(p).exists()
]


def _ids(value: object) -> str:
    return getattr(value, "stem", "")


def test_idea_vocabulary_was_read() -> None:
    assert set(IDEAS) == set(SPAN_FAMILIES)
    assert "right-of-first-refusal" in IDEAS["vendor-incentive"]
    assert "self-review" in IDEAS["divided-loyalty"]
    assert "no-data-sharing" in IDEAS["protection"]


def test_every_contract_has_a_label_file_and_back() -> None:
    assert len(CONTRACTS) == 10, [p.name for p in CONTRACTS]
    missing = [p.name for p in CONTRACTS if not _labels_path(p).exists()]
    assert not missing, f"contracts without labels: {missing}"
    orphans = [
        p.name
        for p in HOLDOUT2.glob("*.labels.yml")
        if not p.with_name(p.name.removesuffix(".labels.yml") + ".txt").exists()
    ]
    assert not orphans, f"label files without a contract: {orphans}"


@pytest.mark.parametrize("path", CONTRACTS, ids=_ids)
def test_word_count_in_range(path: Path) -> None:
    words = len(path.read_text(encoding="utf-8").split())
    assert MIN_WORDS <= words <= MAX_WORDS, f"{path.name}: {words} words"


@pytest.mark.parametrize(("path", "labels"), LABELLED, ids=_ids)
def test_labels_are_valid(path: Path, labels: dict) -> None:
    assert set(labels) <= {"engagement", "negative_control", "findings", "elements"}, path.name
    engagement = labels["engagement"]
    assert engagement in ENGAGEMENT_TYPES, f"{path.name}: engagement {engagement!r}"
    assert labels["negative_control"] is (engagement == "other"), f"{path.name}: negative_control"
    findings = labels["findings"]
    assert isinstance(findings, list), path.name
    if labels["negative_control"]:
        assert findings == [], f"{path.name}: a negative control has no findings"
    for f in findings:
        assert set(f) == {"family", "idea", "quote"}, f"{path.name}: {f}"
        assert f["family"] in SPAN_FAMILIES, f"{path.name}: family {f['family']!r}"
        assert f["idea"] in IDEAS[f["family"]], f"{path.name}: idea {f['idea']!r} in {f['family']}"
    if engagement in ADVISORY_TYPES:
        elements = labels["elements"]
        assert set(elements) == set(ELEMENTS), f"{path.name}: elements {sorted(elements)}"
        assert set(elements.values()) <= {"present", "missing"}, f"{path.name}: {elements}"
    else:
        assert "elements" not in labels, f"{path.name}: elements only for advisory contracts"


@pytest.mark.parametrize(("path", "labels"), LABELLED, ids=_ids)
def test_evaluator_reads_the_labels(path: Path, labels: dict) -> None:
    """The loader `contract-audit eval` uses accepts the file and sees the same findings."""
    loaded = load_labels(_labels_path(path))
    assert loaded.engagement == labels["engagement"]
    assert len(loaded.findings) == len(labels["findings"])
    assert dict(loaded.elements) == dict(labels.get("elements") or {})


@pytest.mark.parametrize(("path", "labels"), LABELLED, ids=_ids)
def test_quotes_are_distinct_substrings(path: Path, labels: dict) -> None:
    raw = path.read_text(encoding="utf-8")
    text = _collapse(raw)
    norm_text, where = normalise(raw)
    seen: set[tuple[str, str]] = set()
    for f in labels["findings"]:
        quote = _collapse(f["quote"])
        assert quote in text, f"{path.name}: quote not found: {quote!r}"
        assert text.count(quote) == 1, f"{path.name}: quote occurs more than once: {quote!r}"
        assert locate(quote, norm_text, where) is not None, f"{path.name}: evaluator: {quote!r}"
        low, high = QUOTE_WORDS
        assert low <= len(quote.split()) <= high, f"{path.name}: {len(quote.split())} words"
        key = (f["idea"], quote)
        assert key not in seen, f"{path.name}: duplicate label {key}"
        seen.add(key)


@pytest.mark.parametrize(("path", "labels"), LABELLED, ids=_ids)
def test_labelled_clauses_do_not_overlap_across_families(path: Path, labels: dict) -> None:
    """Overlapping quotes of different families would let one prediction score twice."""
    text = _collapse(path.read_text(encoding="utf-8"))
    spans = []
    for f in labels["findings"]:
        quote = _collapse(f["quote"])
        start = text.find(quote)
        spans.append((start, start + len(quote), f["family"], f["idea"]))
    for i, (a0, a1, fam_a, idea_a) in enumerate(spans):
        for b0, b1, fam_b, idea_b in spans[i + 1 :]:
            if fam_a != fam_b:
                assert a1 <= b0 or b1 <= a0, f"{path.name}: {idea_a} overlaps {idea_b}"


ADVISORY_LABELLED = [(p, lab) for p, lab in LABELLED if lab["engagement"] in ADVISORY_TYPES]


@pytest.mark.parametrize(("path", "labels"), ADVISORY_LABELLED, ids=_ids)
def test_disclosure_element_agrees_with_findings(path: Path, labels: dict) -> None:
    """A labelled duty to disclose conflicts (advisory engagements only) means the element is
    present, and vice versa."""
    ideas = {f["idea"] for f in labels["findings"] if f["family"] == "protection"}
    present = labels["elements"]["conflict-disclosure"] == "present"
    if "conflict-disclosure" in ideas:
        assert present, f"{path.name}: a conflict-disclosure duty is labelled but not the element"
    if present:
        assert ideas & {"conflict-disclosure", "compensation-disclosure"}, path.name


def test_set_composition() -> None:
    """The mix the brief asks for: 4+ MSP agreements, a clean and a conflicted independent,
    a reseller, a mostly protective agreement and two unrelated negative controls."""
    counts = Counter(labels["engagement"] for _, labels in LABELLED)
    assert counts["msp-vcio"] >= 4 and counts["independent-fractional"] >= 2, counts
    assert counts["reseller-partner"] >= 1, counts
    assert sum(1 for _, lab in LABELLED if lab["negative_control"]) >= 2, counts
    families = [Counter(f["family"] for f in lab["findings"]) for _, lab in LABELLED]
    assert any(
        c["protection"] >= 10 and c["protection"] > 3 * c["divided-loyalty"] for c in families
    )
    assert any(c["vendor-incentive"] + c["divided-loyalty"] >= 12 for c in families)
    independents = [
        {f["family"] for f in lab["findings"]}
        for _, lab in LABELLED
        if lab["engagement"] == "independent-fractional"
    ]
    assert {"protection"} in independents, "no clean independent engagement"
    assert any("vendor-incentive" in fams for fams in independents), "no conflicted independent"


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9']+", text.lower())
    return {tuple(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


@pytest.mark.parametrize(
    "other", [TUNING, FIRST_HOLDOUT, REAL_CORPUS], ids=["contracts", "holdout", "real-corpus"]
)
def test_labelled_clauses_are_not_worded_like_other_sets(other: Path) -> None:
    """Boilerplate (governing law, a general cap) may coincide; a labelled clause may not.
    The real corpus is for measuring only, so its sentences must not appear here either."""
    if not other.is_dir():
        pytest.skip(f"{other} absent")
    seen: set[tuple[str, ...]] = set()
    for path in other.rglob("*.txt"):
        seen |= _shingles(path.read_text(encoding="utf-8", errors="replace"))
    borrowed = [
        (path.name, f["idea"], " ".join(run))
        for path, labels in LABELLED
        for f in labels["findings"]
        for run in sorted(_shingles(f["quote"]) & seen)
    ]
    assert not borrowed, f"{SHINGLE}-word runs shared with {other.name}: {borrowed}"
