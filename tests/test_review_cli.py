"""The review commands end to end, with the shipped rules: annotate, accept/reject, compare,
and the playbook and decisions files they read. Contracts are written here, in our own words."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_annotate import anchored_texts, assert_well_formed, comment_texts

from contract_audit.cli import cli

CLAUSES = {
    "1.1": 'Provider will assign a virtual CIO (the "vCIO") who will prepare an annual IT '
    "strategy and technology roadmap for Client.",
    "1.2": "The vCIO is an employee of Provider and works under Provider's direction and control.",
    "1.3": "Provider may reassign or replace the vCIO at any time without notice to Client.",
    "2.1": "Client shall purchase all hardware and software licences exclusively through Provider.",
    "2.2": "Provider may receive referral fees and rebates from vendors whose products the vCIO "
    "recommends, and Provider has no obligation to disclose such amounts to Client.",
    "3.1": "Hardware is resold to Client at cost plus eighteen percent.",
}
NO_HIRE = (
    "Client shall not solicit or hire the vCIO during the term, and if it does so it "
    "shall pay Provider a placement fee equal to one year of the vCIO's salary."
)


def write_contract(path: Path, clauses: dict[str, str], *, table_clause: str = "3.1") -> Path:
    """A Word contract: headings, numbered clauses (a bold run inside one), one in a table."""
    import docx

    doc = docx.Document()
    doc.add_paragraph("MANAGED IT SERVICES AND VIRTUAL CIO AGREEMENT", style="Title")
    doc.add_paragraph(
        'This Agreement is made between Kestrel Cloud Partners LLC ("Provider") '
        'and Marlow Dental Group ("Client").'
    )
    heading = None
    for number, text in clauses.items():
        if number[0] != heading:
            heading = number[0]
            title = {"1": "Virtual CIO Services", "2": "Purchasing", "3": "Fees"}.get(heading, "")
            doc.add_heading(f"{heading}. {title or 'General'}", level=1)
        if number == table_clause:
            table = doc.add_table(rows=1, cols=2)
            table.cell(0, 0).text = number
            table.cell(0, 1).text = text
            continue
        p = doc.add_paragraph(f"{number} ")
        if "employee of Provider" in text:
            before, after = text.split("employee of Provider", 1)
            p.add_run(before)
            p.add_run("employee of").bold = True
            p.add_run(" Provider" + after)
        else:
            p.add_run(text)
    doc.save(str(path))
    return path


@pytest.fixture()
def contract(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CONTRACT_AUDIT_REVIEWER", raising=False)
    return write_contract(tmp_path / "msa.docx", CLAUSES)


def run(*args: str) -> object:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def analysed(path: Path) -> object:
    from contract_audit.analysis import analyze_file
    from contract_audit.rules import load_rules

    return analyze_file(path, load_rules())


def test_annotate_comments_every_risk_on_its_words(contract: Path) -> None:
    before = hashlib.sha256(contract.read_bytes()).hexdigest()
    result = run("annotate", str(contract))
    assert result.exit_code == 0, result.output
    out = Path("reports/msa.annotated.docx")
    assert f"Wrote {out}" in result.output
    assert_well_formed(out)
    assert hashlib.sha256(contract.read_bytes()).hexdigest() == before
    risks = [
        f
        for f in analysed(contract).findings
        if f.match and f.family not in ("protection", "missing-responsibility")
    ]
    assert len(risks) >= 4
    anchors, comments = anchored_texts(out), comment_texts(out)
    assert len(comments) == len(risks) + 1
    for finding in risks:
        cid = next(k for k, v in comments.items() if f"finding {finding.id}" in v)
        assert anchors[cid] == finding.match
        assert finding.title in comments[cid] and finding.recommendation in comments[cid]
    summary = next(v for v in comments.values() if v.startswith("contract-audit:"))
    assert "Missing responsibility elements:" in summary


def test_annotate_refuses_pdf_and_overwriting(contract: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "msa.pdf"
    pdf.write_bytes(b"%PDF-1.4\n")
    result = run("annotate", str(pdf))
    assert result.exit_code == 2
    assert "Word comments need the DOCX" in result.output and "HTML report" in result.output
    result = run("annotate", str(contract), "-o", str(contract))
    assert result.exit_code == 2 and "refusing to overwrite" in result.output


def test_annotate_unreadable_docx_is_status_3(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    result = run("annotate", str(broken))
    assert result.exit_code == 3
    assert "broken.docx" in result.output and "Traceback" not in result.output


def test_accept_then_annotate_shows_the_decision(contract: Path) -> None:
    finding = next(f for f in analysed(contract).findings if f.rule == "resale-markup")
    result = run(
        "accept",
        str(contract),
        finding.id[:6],
        "--reason",
        "Market rate for us",
        "--by",
        "Jane Roe",
        "--date",
        "2026-11-20",
    )
    assert result.exit_code == 0, result.output
    decisions = contract.with_name("msa.decisions.yml")
    assert f'finding: "{finding.id}"' in decisions.read_text()
    run("annotate", str(contract))
    comments = comment_texts(Path("reports/msa.annotated.docx"))
    text = next(v for v in comments.values() if f"finding {finding.id}" in v)
    assert "Accepted by Jane Roe on 2026-11-20: Market rate for us" in text


def test_reject_replaces_an_earlier_accept(contract: Path) -> None:
    finding = next(f for f in analysed(contract).findings if f.rule == "resale-markup")
    run("accept", str(contract), finding.id, "--reason", "ok", "--by", "A")
    result = run("reject", str(contract), finding.id, "--reason", "No: cap it", "--by", "B")
    assert result.exit_code == 0 and "still fails --fail-on" in result.output
    from contract_audit.review.decisions import load_decisions

    (decision,) = load_decisions(contract.with_name("msa.decisions.yml"))
    assert (decision.action, decision.reason, decision.by) == ("reject", "No: cap it", "B")


def test_accept_errors(contract: Path) -> None:
    result = run("accept", str(contract), "nonexistent", "--reason", "x", "--by", "y")
    assert result.exit_code == 2
    assert "no finding 'nonexistent'" in result.output
    risk = next(f for f in analysed(contract).findings if f.rule == "resale-markup")
    assert f"{risk.id}  {risk.severity:<6}" in result.output  # it lists the ids to choose from
    result = run("accept", str(contract), "abc", "--reason", "x")
    assert result.exit_code == 2 and "--by" in result.output
    result = run("accept", str(contract), "abc", "--reason", "x", "--by", "y", "--date", "soon")
    assert result.exit_code == 2 and "'soon' is not a date" in result.output


def test_bad_decisions_file_is_status_2(contract: Path) -> None:
    contract.with_name("msa.decisions.yml").write_text("decisions:\n  - finding: x\n")
    result = run("annotate", str(contract))
    assert result.exit_code == 2
    assert "msa.decisions.yml:2: decision 1: field 'action': missing" in result.output


def test_playbook_disables_a_rule_and_moves_output(contract: Path) -> None:
    Path("contract-audit.toml").write_text('disable = ["resale-markup"]\noutput = "review"\n')
    result = run("annotate", str(contract))
    assert result.exit_code == 0, result.output
    comments = comment_texts(Path("review/msa.annotated.docx"))
    assert not any("cost plus" in v or "resale-markup" in v for v in comments.values())
    Path("contract-audit.toml").write_text('disable = ["no-such-rule"]\n')
    result = run("annotate", str(contract))
    assert result.exit_code == 2
    assert "contract-audit.toml: key 'disable': unknown rule id 'no-such-rule'" in result.output


def test_compare_drafts(contract: Path, tmp_path: Path) -> None:
    revised = dict(CLAUSES)
    del revised["2.2"]  # referral fees and non-disclosure removed
    revised = {
        "1.1": revised["1.1"],
        "1.2": NO_HIRE,
        "1.3": revised["1.2"],
        "1.4": revised["1.3"],
        "2.1": revised["2.1"],
        "3.1": revised["3.1"],
    }
    new = write_contract(tmp_path / "msa-v2.docx", revised, table_clause="none")
    result = run("compare", str(contract), str(new), "--format", "html,json")
    assert result.exit_code == 0, result.output
    data = json.loads(Path("reports/msa-vs-msa-v2.json").read_text())
    assert Path("reports/msa-vs-msa-v2.html").exists()

    # Whatever the rules flag, each finding's status follows from where its clause went: the
    # deleted clause's findings are resolved, the new clause's introduced, and the clauses that
    # were renumbered (1.2 -> 1.3, 1.3 -> 1.4) or moved out of the table are unchanged.
    def clause_of(finding: dict) -> str:
        if not finding["text"]:
            return "element"
        if NO_HIRE[:40] in finding["text"]:
            return "added"
        return next(n for n, t in CLAUSES.items() if t[:40] in finding["text"])

    expected = {"2.2": "resolved", "added": "introduced", "element": "unchanged"}
    seen: dict[str, set[str]] = {}
    for f in data["findings"]:
        side = f["new"] or f["old"]
        clause = clause_of(side)
        assert f["status"] == expected.get(clause, "unchanged"), (clause, f)
        seen.setdefault(clause, set()).add(f["status"])
    assert {"2.2", "added", "1.2", "1.3", "3.1"} <= set(seen)  # the test exercised every case
    assert data["risk"]["old_score"] == analysed(contract).risk.score

    gated = run("compare", str(contract), str(new), "--format", "json", "--fail-on-new", "low")
    assert gated.exit_code == 1 and "new risk" in gated.output
    same = run("compare", str(contract), str(contract), "--format", "json", "--fail-on-new", "low")
    assert same.exit_code == 0, same.output


def test_compare_bad_format_and_missing_file(contract: Path) -> None:
    result = run("compare", str(contract), str(contract), "--format", "html,xml")
    assert result.exit_code == 2 and "'xml'" in result.output
    result = run("compare", str(contract), "missing.docx")
    assert result.exit_code == 2 and "missing.docx" in result.output


def test_annotated_file_is_a_valid_zip_with_comments_part(contract: Path) -> None:
    run("annotate", str(contract), "-o", "x/annotated.docx")
    with zipfile.ZipFile("x/annotated.docx") as z:
        assert "word/comments.xml" in z.namelist()


def test_playbook_in_pyproject_overrides_a_severity(contract: Path) -> None:
    Path("pyproject.toml").write_text(
        '[project]\nname = "review"\n\n[tool.contract-audit.severity]\nresale-markup = "high"\n'
    )
    result = run("annotate", str(contract))
    assert result.exit_code == 0, result.output
    comments = comment_texts(Path("reports/msa.annotated.docx"))
    (markup,) = [v for v in comments.values() if "rule resale-markup" in v]
    assert markup.startswith("[HIGH] ")
    result = run("annotate", str(contract), "--config", "missing.toml")
    assert result.exit_code == 2 and "missing.toml: configuration file not found" in result.output
