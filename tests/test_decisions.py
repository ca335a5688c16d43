"""Reviewer decisions: reading, validation errors that name file/entry/field, applying them."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_review_fakes import make_finding, make_result

from contract_audit.results import Decision
from contract_audit.review.decisions import (
    DecisionsError,
    apply_decisions,
    default_path,
    dump_decisions,
    find_decisions_file,
    load_decisions,
    render_template,
    upsert,
)

GOOD = """\
contract: sample.docx
decisions:
  - finding: 1e10            # looks like a float to YAML: must stay the string "1e10"
    title: "[high] Referral fees"
    action: accept
    reason: Fees are credited to us under Schedule B.
    by: Jane Roe
    date: 2026-11-20
  - finding: 00ab12
    action: reject
    reason: "Must go: no exclusivity."
    by: Sam Poe
    date: "2026-11-21"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "c.decisions.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_reads_entries_as_strings(tmp_path: Path) -> None:
    decisions = load_decisions(write(tmp_path, GOOD))
    assert decisions == (
        Decision(
            "1e10", "accept", "Fees are credited to us under Schedule B.", "Jane Roe", "2026-11-20"
        ),
        Decision("00ab12", "reject", "Must go: no exclusivity.", "Sam Poe", "2026-11-21"),
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "decisions:\n  - finding: a\n    action: approve\n    reason: r\n    by: b\n"
            "    date: 2026-01-01\n",
            r"c\.decisions\.yml:2: decision 1: field 'action': 'approve'",
        ),
        (
            "decisions:\n  - finding: a\n    action: accept\n    by: b\n    date: 2026-01-01\n",
            r"decision 1: field 'reason': missing or empty",
        ),
        (
            "decisions:\n  - finding: a\n    action: accept\n    reason: r\n    by: b\n"
            "    date: yesterday\n",
            r"field 'date': 'yesterday' is not a date",
        ),
        (
            "decisions:\n  - finding: a\n    action: accept\n    reason: r\n    by: b\n"
            "    date: 2026-01-01\n    colour: red\n",
            r"decision 1: unknown field 'colour'",
        ),
        ("decision:\n  - finding: a\n", r"c\.decisions\.yml:1: unknown top-level key 'decision'"),
        ("decisions: {finding: a}\n", r"'decisions' must be a list"),
        ("decisions:\n  - just text\n", r"decision 1: expected a mapping"),
        ("decisions:\n  - finding: [a, b]\n", r"field 'finding': expected text"),
        ("decisions: [\n", r"not valid YAML"),
    ],
)
def test_errors_name_file_entry_and_field(tmp_path: Path, text: str, expected: str) -> None:
    with pytest.raises(DecisionsError, match=expected) as info:
        load_decisions(write(tmp_path, text))
    assert str(tmp_path / "c.decisions.yml") in str(info.value)


def test_duplicate_finding_is_an_error(tmp_path: Path) -> None:
    entry = "  - finding: a\n    action: accept\n    reason: r\n    by: b\n    date: 2026-01-01\n"
    with pytest.raises(DecisionsError, match=r":7: decision 2: finding a already has a decision"):
        load_decisions(write(tmp_path, "decisions:\n" + entry + entry))


def test_empty_file_means_no_decisions(tmp_path: Path) -> None:
    assert load_decisions(write(tmp_path, "")) == ()
    assert load_decisions(write(tmp_path, "decisions: []\n")) == ()


def test_default_file_is_found_beside_the_contract(tmp_path: Path) -> None:
    contract = tmp_path / "msa.docx"
    assert default_path(contract) == tmp_path / "msa.decisions.yml"
    assert find_decisions_file(contract) is None
    default_path(contract).write_text("decisions: []\n")
    assert find_decisions_file(contract) == tmp_path / "msa.decisions.yml"
    with pytest.raises(DecisionsError, match="decisions file not found"):
        find_decisions_file(contract, tmp_path / "other.yml")


def test_apply_splits_current_and_stale() -> None:
    kept = make_finding("r1", "Provider may receive referral fees.", "referral fees")
    result = make_result([kept])
    current = Decision(kept.id, "accept", "ok", "J", "2026-01-01")
    stale = Decision("gone", "accept", "ok", "J", "2026-01-01")
    applied = apply_decisions(result, [current, stale])
    assert applied.decisions == (current,)
    assert applied.stale_decisions == (stale,)
    assert applied.decision_for(kept.id) == current
    assert result.decisions == ()  # the input is not modified


def test_dump_round_trips_awkward_text(tmp_path: Path) -> None:
    tricky = Decision(
        "0x1F", "accept", 'Says "no": yes; #not a comment\nsecond line', "Ann: B", "2026-02-03"
    )
    decisions = upsert((Decision("0x1F", "reject", "old", "X", "2026-01-01"),), tricky)
    path = write(tmp_path, dump_decisions(decisions, contract="c.docx", titles={"0x1F": "T"}))
    assert load_decisions(path) == (tricky,)


def test_template_lists_undecided_risks(tmp_path: Path) -> None:
    risk = make_finding("r1", "Provider may receive referral fees.", "referral fees")
    guard = make_finding("g", "Provider shall disclose conflicts.", "disclose", family="protection")
    text = render_template(make_result([risk, guard]))
    assert f'#  - finding: "{risk.id}"' in text and guard.id not in text
    path = write(tmp_path, text)
    assert load_decisions(path) == ()  # the template itself is valid and decides nothing
    uncommented = text.replace("decisions: []", "decisions:").replace("#  - ", "  - ")
    uncommented = uncommented.replace("#    ", "    ").replace('reason: ""', "reason: fine")
    uncommented = uncommented.replace('by: ""', "by: me")
    assert load_decisions(write(tmp_path, uncommented))[0].finding == risk.id
