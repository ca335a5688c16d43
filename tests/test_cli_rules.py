"""`contract-audit rules list | show | test`."""

from __future__ import annotations

from click.testing import CliRunner
from rule_fixtures.helpers import FIXTURES

from contract_audit import exitcodes
from contract_audit.cli import cli

BASIC = str(FIXTURES / "basic")
ONLY_BASIC = ["--rules", BASIC, "--no-default-rules"]


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_list_shows_id_family_severity_title_and_filters() -> None:
    res = run("rules", "list", *ONLY_BASIC)
    assert res.exit_code == 0
    line = next(x for x in res.output.splitlines() if x.startswith("t-referral-fee "))
    assert line.split()[1:4] == ["vendor-incentive", "high", "The"]
    assert "t-signal-vcio" in res.output and "signal:msp-vcio" in res.output
    res = run("rules", "list", "--family", "divided-loyalty", *ONLY_BASIC)
    ids = [x.split()[0] for x in res.output.splitlines() if x.startswith("t-")]
    assert ids == ["t-client-no-hire", "t-no-fiduciary"]


def test_list_shipped_rules() -> None:
    res = run("rules", "list")
    assert res.exit_code == 0 and "rules (rule set " in res.output


def test_show_prints_rationale_patterns_qualifiers_and_examples() -> None:
    res = run("rules", "show", "t-referral-fee", *ONLY_BASIC)
    assert res.exit_code == 0
    out = res.output
    for expected in (
        "t-referral-fee: The provider is paid by vendors",
        "Rationale",
        "Pay from vendors rewards",
        "Recommendation",
        "phrase: finder's fee",
        "(runs near: commission, commissions)",
        "negated: cues=@negation direction=before window=8",
        "Examples (match)",
        "(matched='referral fees')",
        "Examples (no_match)",
        "incentives.yml:3",
    ):
        assert expected in out, expected


def test_show_unknown_rule_is_a_usage_error() -> None:
    res = run("rules", "show", "t-referal-fee", *ONLY_BASIC)
    assert res.exit_code == exitcodes.USAGE
    assert "no rule with id 't-referal-fee'" in res.output


def test_test_passes_on_good_rules() -> None:
    res = run("rules", "test", BASIC)
    assert res.exit_code == 0
    assert "7 rules, 31 examples: 31 passed, 0 failed" in res.output


def test_test_reports_failing_examples_readably() -> None:
    res = run("rules", "test", str(FIXTURES / "failing-examples"))
    assert res.exit_code == exitcodes.FINDINGS
    assert (
        "rule t-wrong-examples: examples.match[1]: expected a vendor-incentive finding"
        in res.output
    )
    assert "text: The vendor pays a volume incentive to Provider." in res.output
    assert "examples.no_match[0]: expected no match, got vendor-incentive 'rebate'" in res.output
    assert "4 examples: 1 passed, 3 failed (in 1 rules)" in res.output


def test_test_on_invalid_files_exits_2_without_traceback() -> None:
    res = run("rules", "test", str(FIXTURES / "broken"))
    assert res.exit_code == exitcodes.USAGE
    assert "Traceback" not in res.output
    assert "bad.yml:22: rule t-bad-token: field colour: unknown key 'colour'" in res.output
    assert "contract-audit: 8 problems in rule files" in res.output


def test_test_selects_rules() -> None:
    res = run("rules", "test", BASIC, "--rule", "t-markup", "-v")
    assert res.exit_code == 0 and "ok   t-markup-match-0" in res.output
    assert "1 rules, 4 examples" in res.output
    res = run("rules", "test", BASIC, "--rule", "t-nope")
    assert res.exit_code == exitcodes.USAGE
