"""Draft comparison: pairing across renumbering and edits, elements, score, reports, CLI gate."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_review_fakes import make_finding, make_result, replace_finding

from contract_audit.results import Decision
from contract_audit.review.compare import compare_results, jaccard, pair_findings
from contract_audit.review.compare_report import comparison_json, render_comparison_html

REFERRAL = "Provider may receive referral fees from vendors whose products it recommends."
BUY = (
    "Client shall purchase all hardware and software through Provider at list price plus ten "
    "percent."
)
EXCLUSIVE = "Provider shall have an exclusive right to perform every project on the roadmap."
NOHIRE = "Client shall not hire the vCIO during the term and for two years after it ends."


def drafts():
    old = [
        make_finding("referral", REFERRAL, "referral fees", fid="ref-1", text_start=500),
        make_finding("buy", BUY, "through Provider", fid="buy-1", text_start=900),
        make_finding("exclusive", EXCLUSIVE, "exclusive right", fid="exc-1", text_start=1200),
        make_finding(
            "guard",
            "Provider shall disclose any conflict of interest.",
            "disclose",
            family="protection",
            severity="info",
            fid="guard-1",
        ),
    ]
    new = [
        # Moved to another section and renumbered: the fingerprint (rule + text) is the same.
        replace_finding(old[0], start=40, end=53, text_start=10, section="9.1 Fees"),
        # Lightly edited: same rule, "plus ten percent" -> "plus twelve percent".
        make_finding(
            "buy", BUY.replace("ten", "twelve"), "through Provider", fid="buy-2", severity="high"
        ),
        # New in this draft.
        make_finding(
            "nohire",
            NOHIRE,
            "shall not hire",
            family="divided-loyalty",
            severity="medium",
            fid="hire-1",
        ),
    ]
    return (
        make_result(
            old,
            path="v1.docx",
            score=70,
            level="high",
            elements={
                "scope": "present",
                "reporting-line": "missing",
                "conflict-disclosure": "present",
            },
        ),
        make_result(
            new,
            path="v2.docx",
            score=55,
            level="elevated",
            elements={
                "scope": "present",
                "reporting-line": "present",
                "conflict-disclosure": "missing",
            },
        ),
    )


def test_pairs_moved_edited_resolved_and_introduced() -> None:
    comparison = compare_results(*drafts())
    by_status = {
        s: [c.finding.rule for c in comparison.with_status(s)]
        for s in ("unchanged", "changed", "resolved", "introduced")
    }
    assert by_status == {
        "unchanged": ["referral"],
        "changed": ["buy"],
        "resolved": ["exclusive", "guard"],
        "introduced": ["nohire"],
    }
    changed = comparison.changed[0]
    assert changed.old.id == "buy-1" and changed.new.id == "buy-2"
    assert 0.8 <= changed.similarity < 1.0


def test_elements_and_score() -> None:
    comparison = compare_results(*drafts())
    assert [(e.element, e.change) for e in comparison.elements] == [
        ("reporting-line", "defined"),
        ("conflict-disclosure", "undefined"),
    ]
    assert (comparison.old_score, comparison.new_score, comparison.score_delta) == (70, 55, -15)


def test_similarity_threshold_and_rule_must_match() -> None:
    a = make_finding("r", "Provider may receive referral fees from any vendor.", "referral fees")
    b = make_finding("r", "Provider may keep rebates from its partners.", "rebates")
    c = make_finding(
        "other", "Provider may receive referral fees from any vendor!", "referral fees", fid="x"
    )
    assert jaccard(a.text, b.text) < 0.8
    statuses = sorted(ch.status for ch in pair_findings([a], [b]))
    assert statuses == ["introduced", "resolved"]
    assert sorted(ch.status for ch in pair_findings([a], [c])) == ["introduced", "resolved"]
    assert [ch.status for ch in pair_findings([a], [b], threshold=0.1)] == ["changed"]


def test_jaccard_ignores_numbering_case_and_punctuation() -> None:
    assert jaccard("4.2 Provider MAY receive fees.", "7.1 provider may receive fees") == 1.0
    assert jaccard("(b) Client shall pay.", "Client shall pay") == 1.0


def test_duplicate_fingerprints_pair_one_to_one() -> None:
    twin = make_finding("r", "Provider may replace the vCIO.", "replace the vCIO", fid="same")
    changes = pair_findings([twin, twin], [twin])
    assert sorted(c.status for c in changes) == ["resolved", "unchanged"]


def test_fail_on_new_counts_introduced_and_worsened_not_accepted() -> None:
    old, new = drafts()
    comparison = compare_results(old, new)
    assert [f.rule for f in comparison.new_risks_at_or_above("medium")] == ["nohire"]
    assert comparison.new_risks_at_or_above("high") == []
    import dataclasses

    decided = dataclasses.replace(
        new, decisions=(Decision("hire-1", "accept", "Agreed", "J", "2026-01-01"),)
    )
    assert compare_results(old, decided).new_risks_at_or_above("medium") == []
    # An edit that raises the severity is a new risk too.
    worse = dataclasses.replace(
        new,
        findings=tuple(
            replace_finding(f, severity="high") if f.rule == "buy" else f for f in new.findings
        ),
    )
    old_medium = dataclasses.replace(
        old,
        findings=tuple(
            replace_finding(f, severity="medium") if f.rule == "buy" else f for f in old.findings
        ),
    )
    failing = compare_results(old_medium, worse).new_risks_at_or_above("high")
    assert "buy" in [f.rule for f in failing]


def test_json_shape() -> None:
    data = comparison_json(compare_results(*drafts()), rules_version="abc", generated_at="T")
    assert data["kind"] == "comparison" and data["schema_version"] == 1
    assert data["counts"] == {"introduced": 1, "resolved": 2, "changed": 1, "unchanged": 1}
    assert data["risk"] == {
        "old_score": 70,
        "new_score": 55,
        "delta": -15,
        "old_level": "high",
        "new_level": "elevated",
    }
    assert {e["element"]: e["change"] for e in data["elements"]} == {
        "reporting-line": "defined",
        "conflict-disclosure": "undefined",
    }
    changed = next(f for f in data["findings"] if f["status"] == "changed")
    assert changed["old"]["id"] == "buy-1" and changed["new"]["id"] == "buy-2"
    json.dumps(data)  # plain data only


def test_html_escapes_contract_text_and_reports_sections() -> None:
    old, new = drafts()
    evil = make_finding(
        "evil", '<script>alert("x")</script> exclusive {{ 7*7 }} rights', "exclusive", fid="evil"
    )
    new = type(new)(**{**new.__dict__, "findings": (*new.findings, evil)})
    html = render_comparison_html(
        compare_results(old, new), rules_version="abc", generated_at="2026-01-01T00:00:00Z"
    )
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert "{{ 7*7 }}" in html and "49" not in html.split("exclusive", 1)[1][:40]
    for heading in (
        "Introduced risks",
        "Resolved risks",
        "Reworded but still flagged",
        "Responsibility checklist",
        "Protections",
        "Unchanged risks",
    ):
        assert heading in html
    assert "risk score falls from 70 to 55" in html
    assert "moved:" in html  # the renumbered clause shows where it went
    removed = html.split('id="protections-h"', 1)[1].split("<h3>Added</h3>", 1)[0]
    assert "any conflict of interest" in removed  # the protection the new draft dropped


@pytest.mark.parametrize("formats", [("html",), ("json",), ("html", "json")])
def test_write_comparison_formats(tmp_path: Path, formats: tuple[str, ...]) -> None:
    from contract_audit.review.compare_report import write_comparison

    written = write_comparison(
        compare_results(*drafts()), tmp_path / "r", "a-vs-b", formats, rules_version="v"
    )
    assert [p.name for p in written] == [f"a-vs-b.{f}" for f in formats]
    assert all(p.stat().st_size > 100 for p in written)


def test_same_words_in_another_layout_are_unchanged() -> None:
    in_table = make_finding(
        "markup",
        "3.1 | Hardware is resold at cost plus ten percent.",
        "cost plus ten percent",
        fid="a",
    )
    in_text = make_finding(
        "markup",
        "3.1 Hardware is resold at cost plus ten percent.",
        "cost plus ten percent",
        fid="b",
    )
    (change,) = pair_findings([in_table], [in_text])
    assert (change.status, change.old.id, change.new.id) == ("unchanged", "a", "b")
    worse = replace_finding(in_text, severity="low")
    assert pair_findings([in_table], [worse])[0].status == "changed"


def test_clause_edited_in_place_pairs_by_section_heading() -> None:
    old = make_finding("markup", "Provider shall invoice products at cost plus fifteen percent "
                       "(15%), plus shipping.", "cost plus fifteen percent", fid="o")
    new = make_finding("markup", "Where Client buys products through Provider, Provider shall "
                       "invoice them at cost plus twelve percent (12%), plus shipping.",
                       "cost plus twelve percent", fid="n")
    assert jaccard(old.text, new.text) < 0.8
    moved = [
        replace_finding(old, section="5.2 Pricing"),
        replace_finding(new, section="7.2 Pricing"),
    ]
    (change,) = pair_findings([moved[0]], [moved[1]])
    assert change.status == "changed"
    elsewhere = replace_finding(new, section="7.2 Payment Terms")
    assert sorted(c.status for c in pair_findings([moved[0]], [elsewhere])) == [
        "introduced", "resolved"]
    unnumbered_only = [replace_finding(old, section="(e)"), replace_finding(new, section="(e)")]
    assert sorted(c.status for c in pair_findings([unnumbered_only[0]], [unnumbered_only[1]])) == [
        "introduced", "resolved"]


def test_decisions_carry_over_to_unchanged_findings_only() -> None:
    import dataclasses

    old, new = drafts()
    old = dataclasses.replace(old, decisions=(
        Decision("ref-1", "accept", "Credited back", "J", "2026-01-01"),
        Decision("buy-1", "accept", "Fine at ten percent", "J", "2026-01-01"),
    ))
    comparison = compare_results(old, new)
    decided = {c.finding.rule: comparison.decision_for(c) for c in comparison.changes}
    assert decided["referral"].reason == "Credited back"  # same words in the new draft
    assert decided["buy"] is None  # the clause changed: decide again
    data = comparison_json(comparison, rules_version="v")
    by_rule = {f["rule"]: f["decision"] for f in data["findings"]}
    assert by_rule["referral"]["reason"] == "Credited back" and by_rule["buy"] is None
