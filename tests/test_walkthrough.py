"""The README's "Pre-signing review" walkthrough, run command by command on a copy of the sample.

Each ``contract-audit`` line of the section's code block is run with click's CliRunner; a
trailing ``# exits N`` comment gives its expected status (0 otherwise). Then the files and claims
the walkthrough describes are checked.
"""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from contract_audit.cli import cli

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "fixtures" / "sample"


def walkthrough_commands() -> list[tuple[list[str], int]]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Pre-signing review", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```bash\n(.*?)```", section, re.S)
    assert block, "the walkthrough has a bash block"
    commands = []
    for line in block.group(1).splitlines():
        if not line.startswith("contract-audit "):
            continue
        expected = re.search(r"#\s*exits (\d+)", line)
        argv = shlex.split(line, comments=True)[1:]
        commands.append((argv, int(expected.group(1)) if expected else 0))
    return commands


def test_walkthrough_names_the_four_steps() -> None:
    steps = [argv[0] for argv, _ in walkthrough_commands()]
    assert steps == ["scan", "annotate", "accept", "compare"]


def test_walkthrough_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if not (SAMPLE / "sample-msp-agreement-v2.docx").exists():
        pytest.fail("the bundled sample drafts are missing from fixtures/sample")
    shutil.copytree(SAMPLE, tmp_path / "fixtures" / "sample",
                    ignore=shutil.ignore_patterns("*.decisions.yml"))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    runner = CliRunner()
    for argv, expected in walkthrough_commands():
        result = runner.invoke(cli, argv, catch_exceptions=False)
        assert result.exit_code == expected, f"contract-audit {' '.join(argv)}\n{result.output}"

    # What the walkthrough says each step leaves behind.
    assert Path("reports/sample-msp-agreement.html").exists()
    annotated = Path("reports/sample-msp-agreement.annotated.docx")
    from test_annotate import anchored_texts, assert_well_formed, comment_texts

    assert_well_formed(annotated)
    assert len(comment_texts(annotated)) > 1 and anchored_texts(annotated)
    assert Path("reports/sample-msp-agreement-vs-sample-msp-agreement-v2.html").exists()

    # The accepted finding is marked and no longer counts for --fail-on.
    from contract_audit.analysis import analyze_file
    from contract_audit.review.decisions import apply_decisions, load_decisions
    from contract_audit.review.gating import gate
    from contract_audit.rules import load_rules

    contract = Path("fixtures/sample/sample-msp-agreement.docx")
    (decision,) = load_decisions(contract.with_name("sample-msp-agreement.decisions.yml"))
    assert decision.action == "accept" and decision.by == "Jane Roe"
    # The README tells the reader to take the id from the Word comment: it must be there.
    assert any(f"finding {decision.finding}" in t for t in comment_texts(annotated).values())
    result = apply_decisions(analyze_file(contract, load_rules()), [decision])
    assert result.decisions == (decision,)
    accepted = next(f for f in result.findings if f.id == decision.finding)
    assert accepted not in gate(result, "low")
    assert accepted in gate(apply_decisions(result, []), "low")
