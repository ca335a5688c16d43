"""The reports on real analysis results (our own fixture contracts), not just hand-made ones."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import pytest

from contract_audit.report import output_names, to_json, write_document_html, write_index_html
from contract_audit.report.schema import check

ROOT = Path(__file__).resolve().parents[1]
CONTRACTS = sorted((ROOT / "fixtures" / "contracts").glob("*.txt"))
UNREADABLE = [ROOT / "fixtures" / "extract" / "encrypted.pdf", ROOT / "fixtures" / "nope.pdf"]


@pytest.fixture(scope="module")
def results():
    analysis = pytest.importorskip("contract_audit.analysis")
    from contract_audit.rules import load_rules

    if not CONTRACTS:
        pytest.skip("fixtures/contracts has no contracts yet")
    ruleset = load_rules()
    picked = [CONTRACTS[i] for i in range(0, len(CONTRACTS), max(1, len(CONTRACTS) // 6))]
    return ruleset.version, [analysis.analyze_file(p, ruleset) for p in [*picked, *UNREADABLE]]


def test_real_results_validate_against_the_schema(results) -> None:
    version, rs = results
    data = json.loads(json.dumps(to_json(rs, rules_version=version)))
    assert check(data) == []
    assert {d["status"] for d in data["documents"]} >= {"ok"}
    assert any(d["status"] != "ok" for d in data["documents"])


def test_real_reports_render_every_finding_highlighted(results, tmp_path: Path) -> None:
    version, rs = results
    names = output_names(r.path for r in rs)
    for r in rs:
        page = write_document_html(r, tmp_path / f"{names[r.path]}.html", rules_version=version)
        html = page.read_text(encoding="utf-8")
        assert len(html.encode()) < 1_000_000
        if r.status != "ok":
            assert "could not be analysed" in html
            continue
        marks = {unescape(m) for m in re.findall(r"<mark>(.*?)</mark>", html, re.S)}
        for f in r.findings:
            if f.match and f.text:
                assert f.match in marks or " ".join(f.match.split()) in marks, (r.path, f.rule)
        assert html.count('<article class="finding') == sum(
            1 for f in r.findings if f.family != "protection"
        )
    index = write_index_html(
        rs,
        tmp_path / "index.html",
        rules_version=version,
        links={p: f"{n}.html" for p, n in names.items()},
    )
    text = index.read_text(encoding="utf-8")
    assert text.count('<th scope="row"') == len(rs)
