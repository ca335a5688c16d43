"""Loading and validating rule files: locations, YAML traps, overrides, playbook overrides."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from rule_fixtures.helpers import FIXTURES, rule, write_rules

from contract_audit.rules import RuleError, RuleSet, default_rules_dir, load_rules

BASIC = FIXTURES / "basic"


def load_only(*dirs: Path) -> RuleSet:
    return load_rules(list(dirs), include_default=False)


def problems_of(*dirs: Path) -> list[str]:
    with pytest.raises(RuleError) as info:
        load_only(*dirs)
    return info.value.problems


def test_loads_fixture_rules_with_sources_and_vocabularies() -> None:
    rs = load_only(BASIC)
    assert set(rs.ids) == {
        "t-referral-fee",
        "t-markup",
        "t-exclusive-provider",
        "t-no-fiduciary",
        "t-client-no-hire",
        "t-advisor-scope",
        "t-signal-vcio",
    }
    assert rs.sources["t-markup"].endswith("incentives.yml:43")
    assert "negation" in rs.cues and "fees" in rs.sections  # shared vocabularies always load
    assert rs.get("t-referral-fee").patterns.phrases[2] == "finder's fee"


def test_version_is_stable_and_content_based(tmp_path: Path) -> None:
    a, b = load_only(BASIC), load_only(BASIC)
    assert a.version == b.version and len(a.version) == 12
    changed = write_rules(tmp_path / "x", rule("t-extra", patterns={"phrases": ["rebate"]}))
    assert load_only(BASIC, changed).version != a.version


def test_ruleset_pickles() -> None:
    rs = load_only(BASIC)
    back = pickle.loads(pickle.dumps(rs))
    assert back.ids == rs.ids and back.version == rs.version


def test_broken_folder_reports_every_problem_with_location() -> None:
    problems = problems_of(FIXTURES / "broken")
    bad, dupes = str(FIXTURES / "broken" / "bad.yml"), str(FIXTURES / "broken" / "dupes.yml")
    expected = [
        (f"{bad}:4: rule t-bad-enum: field kind:", "presence"),
        (f"{bad}:22: rule t-bad-token: field colour:", "unknown key 'colour'"),
        (
            f"{bad}:25: rule t-bad-token: field patterns.tokens[0]:",
            "LEMMA needs a trained pipeline",
        ),
        (f"{bad}:26: rule t-bad-token: field patterns.tokens[1]:", "unknown attribute SHAPE_OF"),
        (
            f"{bad}:29: rule t-bad-token: field qualifiers[0].cues:",
            "unknown cue list '@no-such-list'",
        ),
        (f"{bad}:31: rule t-bad-token: field sections[0]:", "unknown section gate 'nowhere'"),
        (f"{bad}:33: rule t-bad-token: field examples.match:", "at least 2 examples, found 1"),
        (f"{dupes}:2: rule t-bad-enum: field id:", "duplicate id"),
    ]
    assert len(problems) == len(expected)
    for (prefix, detail), problem in zip(expected, problems, strict=True):
        assert problem.startswith(prefix), problem
        assert detail in problem


def test_yaml_traps_stay_text(tmp_path: Path) -> None:
    folder = tmp_path / "traps"
    folder.mkdir()
    (folder / "traps.yml").write_text(
        """rules:
  - id: t-traps
    family: vendor-incentive
    kind: presence
    severity: high
    title: YAML 1.1 would turn these into booleans, dates and numbers
    rationale: r
    recommendation: r
    patterns:
      phrases: [no, on, yes, off, 2020-01-01, 1.0, 401k]
      tokens:
        - [{LOWER: on}, {LOWER: {IN: [no, yes]}}, {IS_DIGIT: true}]
    examples:
      match: [yes, on]
      no_match: [no, 2021-02-03]
""",
        encoding="utf-8",
    )
    r = load_only(folder).get("t-traps")
    assert r.patterns.phrases == ["no", "on", "yes", "off", "2020-01-01", "1.0", "401k"]
    assert r.patterns.tokens[0] == [
        {"LOWER": "on"},
        {"LOWER": {"IN": ["no", "yes"]}},
        {"IS_DIGIT": True},
    ]
    assert [e.text for e in r.examples.no_match] == ["no", "2021-02-03"]


def test_yaml_syntax_error_and_duplicate_key_have_lines(tmp_path: Path) -> None:
    folder = tmp_path / "syntax"
    folder.mkdir()
    (folder / "a.yml").write_text("rules:\n  - id: x\n    title: [unclosed\n", encoding="utf-8")
    (folder / "b.yml").write_text("rules:\n  - id: y\n    id: z\n", encoding="utf-8")
    problems = problems_of(folder)
    assert problems[0].startswith(f"{folder / 'a.yml'}:") and "invalid YAML" in problems[0]
    assert problems[1] == f"{folder / 'b.yml'}:3: duplicate key 'id'"


def test_kind_specific_fields_are_checked(tmp_path: Path) -> None:
    folder = write_rules(
        tmp_path / "k",
        rule(
            "t-req",
            kind="requirement",
            family="missing-responsibility",
            patterns={"phrases": ["x"]},
            qualifiers=[{"name": "neg", "cues": ["not"], "effect": "protection"}],
        ),
        rule(
            "t-sig", kind="signal", family=None, engagement="msp-vcio", patterns={"phrases": ["y"]}
        ),
        rule("T_Bad", patterns={"tokens": [[{"LOWER": "Fee"}]]}, anchors=["Two Words"]),
        rule("t-risk-evidence", evidence_for="conflict-disclosure", patterns={"phrases": ["z"]}),
    )
    problems = problems_of(folder)
    text = "\n".join(problems)
    assert (
        "rule t-risk-evidence: field evidence_for: only presence rules of family protection take"
        " evidence_for" in text
    )
    assert "rule t-req: field element: requirement rules need an element" in text
    assert "rule t-req: field qualifiers[0].effect: requirement rules only take effect drop" in text
    assert "rule t-sig: field weight: signal rules need a weight" in text
    assert "rule T_Bad: field id: 'T_Bad' is not kebab-case" in text
    assert "field patterns.tokens[0]: token 0: LOWER 'Fee' has capitals" in text
    assert "field anchors[0]: anchor 'Two Words' must be one lowercase word" in text


def test_qualifier_needs_cues_or_party_and_a_known_effect(tmp_path: Path) -> None:
    folder = write_rules(
        tmp_path / "q",
        rule(
            "t-q",
            patterns={"phrases": ["x"]},
            qualifiers=[
                {"name": "both", "cues": ["a"], "party": "client", "effect": "drop"},
                {"name": "odd", "cues": ["a"], "effect": "explode"},
                {"name": "bare", "cues": "not-a-reference", "effect": "drop"},
                {"name": "named", "party": "client", "defined_names": False, "effect": "drop"},
            ],
        ),
    )
    text = "\n".join(problems_of(folder))
    assert "field qualifiers[0]: a qualifier needs exactly one of 'cues' or 'party'" in text
    assert "field qualifiers[1]: unknown effect 'explode'" in text
    assert "field qualifiers[2].cues: expected a list of phrases or an '@list' reference" in text
    assert "field qualifiers[3]: 'defined_names' only applies to 'cues' qualifiers" in text


def test_overrides_name_existing_rules_of_the_kind_each_family_outranks(tmp_path: Path) -> None:
    folder = write_rules(
        tmp_path / "o",
        rule("t-risk", patterns={"phrases": ["x"]}),
        rule("t-guard", family="protection", patterns={"phrases": ["y"]}, overrides=["t-missing"]),
        rule("t-guard2", family="protection", patterns={"phrases": ["z"]}, overrides=["t-guard"]),
        rule("t-risk2", patterns={"phrases": ["w"]}, overrides=["t-risk"]),
        rule(
            "t-need",
            kind="requirement",
            family="missing-responsibility",
            element="scope",
            patterns={"phrases": ["v"]},
        ),
        rule("t-guard3", family="protection", patterns={"phrases": ["u"]}, overrides=["t-need"]),
        rule("t-risk3", patterns={"phrases": ["t"]}, overrides=["t-need"]),
    )
    text = "\n".join(problems_of(folder))
    assert "rule t-guard: field overrides[0]: unknown rule id 't-missing'" in text
    assert "rule t-guard2: field overrides[0]: 't-guard' is not a risk rule" in text
    # a risk rule overrides only evidence (a requirement rule), a protection only a risk
    assert "rule t-risk2: field overrides[0]: 't-risk' is not a requirement rule" in text
    assert "rule t-guard3: field overrides[0]: 't-need' is not a risk rule" in text
    assert "t-risk3" not in text


def test_user_folder_replaces_rule_with_same_id() -> None:
    base = load_only(BASIC)
    rs = load_only(BASIC, FIXTURES / "override")
    assert len(rs) == len(base)
    assert rs.get("t-markup").severity == "low"
    assert rs.get("t-markup").patterns.phrases == ["resale margin"]
    assert "override" in rs.sources["t-markup"]


def test_shipped_rules_are_skipped_without_default(tmp_path: Path) -> None:
    shipped = load_rules()
    assert len(shipped) > 0  # the shipped folder is found next to the package
    assert load_only(BASIC).ids == load_only(BASIC).ids
    assert not set(shipped.ids) & set(load_only(BASIC).ids)


def test_missing_folder_is_a_rule_error(tmp_path: Path) -> None:
    assert problems_of(tmp_path / "nope") == [f"{tmp_path / 'nope'}: rule folder not found"]


def test_empty_file_has_no_rules_and_bad_top_level_keys_are_errors(tmp_path: Path) -> None:
    folder = tmp_path / "e"
    folder.mkdir()
    (folder / "empty.yml").write_text("", encoding="utf-8")
    assert len(load_only(folder)) == 0
    (folder / "extra.yml").write_text("rules: []\nrulez: []\n", encoding="utf-8")
    assert problems_of(folder) == [
        f"{folder / 'extra.yml'}:2: unknown top-level key 'rulez' "
        "(a rule file holds 'rules:' and 'description:')"
    ]


def test_user_vocabulary_file_adds_and_replaces_lists(tmp_path: Path) -> None:
    folder = write_rules(
        tmp_path / "v",
        rule(
            "t-v",
            patterns={"phrases": ["rebate"]},
            qualifiers=[{"name": "mine", "cues": "@my-cues", "effect": "drop"}],
            sections=["my-gate"],
        ),
    )
    (folder / "_vocab.yml").write_text(
        "cues:\n  my-cues: [alpha, beta]\n  negation: [nope]\nsections:\n  my-gate: [gamma]\n",
        encoding="utf-8",
    )
    rs = load_only(folder)
    assert rs.cues["my-cues"] == ("alpha", "beta") and rs.cues["negation"] == ("nope",)
    assert rs.sections["my-gate"] == ("gamma",)


def test_with_overrides_disables_and_sets_severity() -> None:
    rs = load_only(BASIC)
    out = rs.with_overrides(disabled=["t-markup"], severities={"t-referral-fee": "low"})
    assert "t-markup" not in out.ids and len(out) == len(rs) - 1
    assert out.get("t-referral-fee").severity == "low"
    assert rs.get("t-referral-fee").severity == "high"  # the original is untouched
    assert out.version != rs.version


def test_with_overrides_rejects_unknown_ids_and_levels() -> None:
    rs = load_only(BASIC)
    with pytest.raises(RuleError) as info:
        rs.with_overrides(disabled=["t-nope"], severities={"t-markup": "severe", "t-zzz": "low"})
    assert info.value.problems == [
        "disabled: unknown rule id 't-nope'",
        "severities: unknown rule id 't-zzz'",
        "severities: rule t-markup: 'severe' is not one of high, medium, low, info",
    ]


def test_default_dir_follows_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert default_rules_dir().name == "patterns"
    monkeypatch.setenv("CONTRACT_AUDIT_PATTERNS", str(tmp_path))
    assert default_rules_dir() == tmp_path


def test_a_slot_fills_a_cue_phrase_from_a_shared_list(tmp_path: Path) -> None:
    """``{client-names}`` in a cue phrase stands for each way of naming the client; a slot
    naming no shared list is reported at the phrase."""
    from contract_audit import engine
    from contract_audit.model import Document, Page

    good = rule(
        "t-kept",
        patterns={"phrases": ["rebates"]},
        qualifiers=[
            {"name": "passed", "cues": ["credited to {client-names}"], "effect": "protection"}
        ],
    )
    rs = load_only(write_rules(tmp_path / "good", good))
    text = "All rebates are credited to the purchaser."
    (f,) = engine.match(Document(text=text, pages=(Page(1, 0, len(text)),)), rs).findings
    assert f.family == "protection"
    assert [q.cue for q in f.qualifiers] == ["credited to the purchaser"]
    bad = rule(
        "t-bad-slot",
        patterns={"phrases": ["rebates"]},
        qualifiers=[{"name": "q", "cues": ["paid to {nobody}"], "effect": "drop"}],
    )
    (problem,) = problems_of(write_rules(tmp_path / "bad", bad))
    assert "rule t-bad-slot: field qualifiers[0].cues[0]:" in problem
    assert "unknown cue list {nobody}" in problem
