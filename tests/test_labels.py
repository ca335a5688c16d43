"""Checks every labelled folder (fixtures/contracts, fixtures/sample, fixtures/holdout,
fixtures/holdout2) the same way.

``contract-audit eval <folder>`` trusts these labels: a typo in a quote or an id would silently
skew every figure it prints, and a clause borrowed from a set the rules were tuned on (or from the
real corpus, which is for measuring only) would make a held-out measurement meaningless. What a
single set promises (its mix of contracts, its Word/PDF twins) is checked in that set's module.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from labels_support import (
    CONTRACTS,
    HELD_OUT,
    QUOTE_WORDS,
    REAL_CORPUS,
    SETS,
    LabelSet,
    collapse,
    folder_runs,
    idea_vocabulary,
    labels_path,
    word_runs,
)

from contract_audit.domain import ADVISORY_TYPES, ELEMENTS, ENGAGEMENT_TYPES, FAMILIES
from contract_audit.evaluation import EvalError, load_labels, locate, normalise

IDEAS = idea_vocabulary()
SPAN_FAMILIES = tuple(f for f in FAMILIES if f != "missing-responsibility")
STATUSES = {"present", "missing"}
# A run this long shared with another labelled set means a clause was reused, not rewritten.
SHINGLE = 8
# A whole contract may share a legal phrase ("the receipt and sufficiency of which are hereby
# acknowledged") with the real corpus; a run this long is a copied recital or clause.
COPIED_RUN = 16

CONTRACT_CASES = [pytest.param(s, p, id=f"{s.name}/{p.stem}") for s in SETS for p in s.contracts]
LABELLED_CASES = [
    pytest.param(p, lab, id=f"{s.name}/{p.stem}") for s in SETS for p, lab in s.labelled
]
ADVISORY_CASES = [
    pytest.param(p, lab, id=f"{s.name}/{p.stem}")
    for s in SETS
    for p, lab in s.labelled
    if lab["engagement"] in ADVISORY_TYPES
]


def test_idea_vocabulary_was_read() -> None:
    assert set(IDEAS) == set(SPAN_FAMILIES)
    assert {family: len(ideas) for family, ideas in IDEAS.items()} == {
        "vendor-incentive": 8,
        "divided-loyalty": 11,
        "protection": 16,
    }
    assert "vendor-compensation" in IDEAS["vendor-incentive"]
    assert "right-of-first-refusal" in IDEAS["vendor-incentive"]
    assert "self-review" in IDEAS["divided-loyalty"]
    assert "no-data-sharing" in IDEAS["protection"]
    assert "termination-for-conflict" in IDEAS["protection"]


@pytest.mark.parametrize("label_set", SETS, ids=lambda s: s.name)
def test_every_contract_has_a_label_file_and_back(label_set: LabelSet) -> None:
    missing = [p.name for p in label_set.contracts if not labels_path(p).exists()]
    assert not missing, f"contracts without labels: {missing}"
    orphans = [
        p.name
        for p in label_set.folder.glob("*.labels.yml")
        if not p.with_name(p.name.removesuffix(".labels.yml") + ".txt").exists()
    ]
    assert not orphans, f"label files without a contract: {orphans}"


@pytest.mark.parametrize(("label_set", "path"), CONTRACT_CASES)
def test_word_count_in_range(label_set: LabelSet, path: Path) -> None:
    low, high = label_set.words
    words = len(path.read_text(encoding="utf-8").split())
    assert low <= words <= high, f"{path.name}: {words} words"


@pytest.mark.parametrize(("path", "labels"), LABELLED_CASES)
def test_labels_are_valid(path: Path, labels: dict[str, Any]) -> None:
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
        assert set(elements.values()) <= STATUSES, f"{path.name}: {elements}"
    else:
        assert "elements" not in labels, f"{path.name}: elements only for advisory contracts"


@pytest.mark.parametrize(("path", "labels"), LABELLED_CASES)
def test_evaluator_reads_the_labels(path: Path, labels: dict[str, Any]) -> None:
    """The loader `contract-audit eval` uses accepts the file and sees the same findings."""
    loaded = load_labels(labels_path(path))
    assert loaded.engagement == labels["engagement"]
    assert len(loaded.findings) == len(labels["findings"])
    assert dict(loaded.elements) == dict(labels.get("elements") or {})


@pytest.mark.parametrize(("path", "labels"), LABELLED_CASES)
def test_quotes_are_distinct_substrings(path: Path, labels: dict[str, Any]) -> None:
    raw = path.read_text(encoding="utf-8")
    text = collapse(raw)
    norm_text, where = normalise(raw)
    low, high = QUOTE_WORDS
    seen: set[tuple[str, str]] = set()
    for f in labels["findings"]:
        quote = collapse(f["quote"])
        assert quote in text, f"{path.name}: quote not found: {quote!r}"
        assert text.count(quote) == 1, f"{path.name}: quote occurs more than once: {quote!r}"
        assert locate(quote, norm_text, where) is not None, f"{path.name}: evaluator: {quote!r}"
        assert low <= len(quote.split()) <= high, f"{path.name}: {len(quote.split())} words"
        key = (f["idea"], quote)
        assert key not in seen, f"{path.name}: duplicate label {key}"
        seen.add(key)


@pytest.mark.parametrize(("path", "labels"), LABELLED_CASES)
def test_labelled_clauses_do_not_overlap_across_families(
    path: Path, labels: dict[str, Any]
) -> None:
    """Overlapping quotes of different families would let one prediction score twice."""
    text = collapse(path.read_text(encoding="utf-8"))
    spans = []
    for f in labels["findings"]:
        quote = collapse(f["quote"])
        start = text.find(quote)
        spans.append((start, start + len(quote), f["family"], f["idea"]))
    for i, (a0, a1, fam_a, idea_a) in enumerate(spans):
        for b0, b1, fam_b, idea_b in spans[i + 1 :]:
            if fam_a != fam_b:
                assert a1 <= b0 or b1 <= a0, f"{path.name}: {idea_a} overlaps {idea_b}"


@pytest.mark.parametrize(("path", "labels"), ADVISORY_CASES)
def test_disclosure_element_agrees_with_findings(path: Path, labels: dict[str, Any]) -> None:
    """A labelled duty to disclose conflicts (advisory engagements only) means the element is
    present, and vice versa."""
    ideas = {f["idea"] for f in labels["findings"] if f["family"] == "protection"}
    present = labels["elements"]["conflict-disclosure"] == "present"
    if "conflict-disclosure" in ideas:
        assert present, f"{path.name}: a conflict-disclosure duty is labelled but not the element"
    if present:
        assert ideas & {"conflict-disclosure", "compensation-disclosure"}, path.name


@pytest.mark.parametrize("label_set", HELD_OUT, ids=lambda s: s.name)
def test_held_out_set_composition(label_set: LabelSet) -> None:
    """The mix each held-out set promises: risky to protective MSPs, independents, a reseller,
    and unrelated negative controls (each set's own promises are in its module)."""
    labelled = label_set.labelled
    counts = Counter(labels["engagement"] for _, labels in labelled)
    assert counts["msp-vcio"] >= 4 and counts["independent-fractional"] >= 2, counts
    assert counts["reseller-partner"] >= 1, counts
    assert sum(1 for _, lab in labelled if lab["negative_control"]) >= 2, counts
    families = [Counter(f["family"] for f in lab["findings"]) for _, lab in labelled]
    assert any(
        c["protection"] >= 10 and c["protection"] > 3 * c["divided-loyalty"] for c in families
    )
    assert any(c["vendor-incentive"] + c["divided-loyalty"] >= 12 for c in families)


# (labelled set, folder its labelled clauses must not be worded like): each held-out set against
# our own contracts, every earlier held-out set and the real corpus.
NOT_WORDED_LIKE = [
    pytest.param(held, other.folder, id=f"{held.name}-vs-{other.name}")
    for i, held in enumerate(HELD_OUT)
    for other in (CONTRACTS, *HELD_OUT[:i])
] + [pytest.param(held, REAL_CORPUS, id=f"{held.name}-vs-real-corpus") for held in HELD_OUT[1:]]


@pytest.mark.parametrize(("label_set", "other"), NOT_WORDED_LIKE)
def test_labelled_clauses_are_not_worded_like_other_sets(label_set: LabelSet, other: Path) -> None:
    """Boilerplate (governing law, a general cap) may coincide; a labelled clause may not.
    The real corpus is for measuring only, so its sentences must not appear either."""
    if other == REAL_CORPUS and not other.is_dir():
        pytest.skip("../shared/corpus is absent")
    seen = folder_runs(other, SHINGLE)
    borrowed = [
        (path.name, f["idea"], " ".join(run))
        for path, labels in label_set.labelled
        for f in labels["findings"]
        for run in sorted(word_runs(f["quote"], SHINGLE) & seen)
    ]
    assert not borrowed, f"{SHINGLE}-word runs shared with {other.name}: {borrowed}"


@pytest.mark.parametrize("label_set", SETS, ids=lambda s: s.name)
def test_contracts_do_not_copy_the_real_corpus(label_set: LabelSet) -> None:
    """Our fixtures, held-out sets included, are our own writing: no 16-word run of a whole
    contract may come from ../shared/corpus (shorter runs are common legal phrases)."""
    if not REAL_CORPUS.is_dir():
        pytest.skip("../shared/corpus is absent")
    token = r"[a-z0-9]+"
    real = folder_runs(REAL_CORPUS, COPIED_RUN, token)
    copied = {
        p.name: sorted(word_runs(p.read_text(encoding="utf-8"), COPIED_RUN, token) & real)[:1]
        for p in label_set.contracts
    }
    assert not {k: v for k, v in copied.items() if v}


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ("engagement: msp\n", 1, "engagement 'msp'"),
        ("engagement: other\nnegative_control: no\n", 2, "write true or false"),
        ("engagement: other\nengagement: other\n", 2, "duplicate key"),
        ("engagement: msp-vcio\nfindings:\n  - family: nope\n    quote: x\n", 3, "findings[0]"),
        ("engagement: msp-vcio\nelements:\n  scope: present\n  bogus: present\n", 4, "bogus"),
        ("engagement: other\nfindings: [\n", 3, "invalid YAML"),
    ],
)
def test_a_malformed_label_file_is_reported_at_its_line(
    tmp_path: Path, text: str, line: int, reason: str
) -> None:
    """The evaluator reads labels like the rule files: the message names the file and line."""
    path = tmp_path / "x.labels.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(EvalError) as caught:
        load_labels(path)
    assert str(caught.value).startswith(f"{path}:{line}: "), caught.value
    assert reason in str(caught.value)
