"""analyze_document / analyze_file: the decisions on top of the engine (with a fake engine, so
each decision is tested alone), and the file path (bad input never raises)."""

from __future__ import annotations

import pickle
import sys
import types
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import contract_audit
from contract_audit import analysis
from contract_audit.domain import ELEMENTS, severity_rank
from contract_audit.model import Document
from contract_audit.results import Evidence, Finding


@dataclass(frozen=True)
class Sig:
    rule: str
    engagement: str
    weight: float
    text: str
    provider_evidence: bool = False


@dataclass(frozen=True)
class FakeResult:
    findings: tuple[Finding, ...] = ()
    evidence: dict = field(default_factory=dict)
    signals: tuple[Sig, ...] = ()


@dataclass(frozen=True)
class FakeRule:
    id: str
    kind: str
    element: str | None
    severity: str
    title: str
    rationale: str = "why"
    recommendation: str = "add it"


@dataclass(frozen=True)
class FakeRuleSet:
    rules: tuple[FakeRule, ...] = ()
    version: str = "test"


MSP_SIGNALS = (Sig("signal-vcio", "msp-vcio", 3, "vCIO"), Sig("s-ms", "msp-vcio", 1, "MSP"))
RULES = FakeRuleSet(
    (
        FakeRule("conflict-low", "requirement", "conflict-disclosure", "low", "weak"),
        FakeRule("conflict-duty", "requirement", "conflict-disclosure", "high", "No duty"),
        FakeRule("scope-duties", "requirement", "scope", "medium", "No scope"),
    )
)


def finding(fid: str, severity: str, start: int, family: str = "vendor-incentive") -> Finding:
    return Finding(
        fid, f"r-{fid}", family, None, severity, fid, "t", "m", start, start + 1, start, 1, None
    )


def evidence(start: int) -> Evidence:
    return Evidence("ev", "clause", "m", start, start + 5, 1, None)


@pytest.fixture
def fake_engine(monkeypatch):
    """Install a fake ``contract_audit.engine`` whose ``match`` returns ``state['result']``."""
    state: dict = {}
    module = types.ModuleType("contract_audit.engine")
    module.match = lambda document, ruleset: state["result"]  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "contract_audit.engine", module)
    monkeypatch.setattr(contract_audit, "engine", module, raising=False)
    return state


DOC = Document(text="word " * 100, path="c.txt")


def test_advisory_contract_elements_present_or_missing_with_findings(fake_engine):
    present = {
        e: (evidence(50), evidence(10))
        for e in ELEMENTS
        if e not in ("scope", "conflict-disclosure")
    }
    fake_engine["result"] = FakeResult((finding("a", "high", 40),), present, MSP_SIGNALS)
    result = analysis.analyze_document(DOC, RULES)
    assert result.engagement.type == "msp-vcio"
    assert result.elements["deliverables"].status == "present"
    assert result.elements["deliverables"].evidence.start == 10  # the earliest clause
    assert result.elements["scope"].status == "missing"
    missing = {f.element: f for f in result.findings if f.family == "missing-responsibility"}
    assert set(missing) == {"scope", "conflict-disclosure"}
    # the element's most severe requirement rule speaks for it
    assert missing["conflict-disclosure"].severity == "high"
    assert missing["conflict-disclosure"].title == "No duty"
    assert missing["conflict-disclosure"].rule == "conflict-duty"
    assert result.elements["conflict-disclosure"].recommendation == "add it"
    assert result.risk is not None and result.risk.score > 0


def test_missing_ids_are_stable_and_distinct(fake_engine):
    fake_engine["result"] = FakeResult((), {}, MSP_SIGNALS)
    first = analysis.analyze_document(DOC, RULES)
    second = analysis.analyze_document(Document(text="other text " * 9), RULES)
    ids = [f.id for f in first.findings]
    assert len(set(ids)) == len(ELEMENTS)
    assert ids == [f.id for f in second.findings]


def test_other_contract_findings_drop_to_info_and_elements_are_not_assessed(fake_engine):
    fake_engine["result"] = FakeResult(
        (finding("a", "high", 40), finding("b", "medium", 10)), {}, ()
    )
    result = analysis.analyze_document(DOC, RULES)
    assert result.engagement.type == "other"
    assert [f.id for f in result.findings] == ["b", "a"]  # still listed
    assert {f.severity for f in result.findings} == {"info"}
    assert all(f.qualifiers[-1].name == "not-an-it-advisory-contract" for f in result.findings)
    assert {e.status for e in result.elements.values()} == {"not-assessed"}
    assert result.risk.score == 0


def test_reseller_contract_keeps_severities_but_assesses_no_elements(fake_engine):
    # (two IT words: one passing mention does not make a distribution agreement an IT one)
    it_words = MSP_SIGNALS[1:] + (Sig("s-hd", "msp-vcio", 1, "help desk"),)
    signals = (Sig("r", "reseller-partner", 2, "Reseller Agreement"),) * 2 + it_words
    fake_engine["result"] = FakeResult((finding("a", "high", 40),), {}, signals)
    result = analysis.analyze_document(DOC, RULES)
    assert result.engagement.type == "reseller-partner"
    assert result.findings[0].severity == "high"
    assert not [f for f in result.findings if f.family == "missing-responsibility"]
    assert {e.status for e in result.elements.values()} == {"not-assessed"}


def test_findings_sorted_by_severity_then_position(fake_engine):
    found = (
        finding("late-high", "high", 90),
        finding("low", "low", 5),
        finding("early-high", "high", 20),
    )
    every = {e: (evidence(1),) for e in ELEMENTS}
    fake_engine["result"] = FakeResult(found, every, MSP_SIGNALS)
    result = analysis.analyze_document(DOC, RULES)
    assert [f.id for f in result.findings] == ["early-high", "late-high", "low"]


def test_one_protection_per_quoted_text_the_native_one_wins(fake_engine):
    from dataclasses import replace

    from contract_audit.results import QualifierHit

    negated = replace(
        finding("negated-risk", "high", 30, "protection"),
        qualifiers=(QualifierHit("negated", "shall not", "protection"),),
    )
    native = finding("native", "info", 30, "protection")  # same text, written as a protection
    other = replace(finding("elsewhere", "info", 60, "protection"), text="another clause")
    every = {e: (evidence(1),) for e in ELEMENTS}
    fake_engine["result"] = FakeResult((negated, native, other), every, MSP_SIGNALS)
    ids = [f.id for f in analysis.analyze_document(DOC, RULES).findings]
    assert sorted(ids) == ["elsewhere", "native"]


def test_result_is_picklable_and_counts_words(fake_engine):
    fake_engine["result"] = FakeResult((finding("a", "high", 40),), {}, MSP_SIGNALS)
    result = analysis.analyze_document(DOC, RULES)
    assert result.words == 100 and result.format == "text"
    assert pickle.loads(pickle.dumps(result)) == result


def test_analyze_file_hashes_the_bytes_and_analyses(tmp_path: Path, fake_engine):
    import hashlib

    path = tmp_path / "c.txt"
    path.write_text("MSP shall assign a vCIO to the Client.\n", encoding="utf-8")
    fake_engine["result"] = FakeResult((), {}, MSP_SIGNALS)
    result = analysis.analyze_file(path, RULES)
    assert result.status == "ok"
    assert result.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert result.path == str(path)


@pytest.mark.parametrize(
    ("make", "status"),
    [
        (lambda d: d / "missing.txt", "unreadable"),
        (lambda d: d, "unreadable"),
        (lambda d: _write(d / "empty.txt", b""), "empty"),
        (lambda d: _write(d / "big.txt", b"x" * 2048), "too-large"),
    ],
)
def test_analyze_file_turns_bad_input_into_a_status(tmp_path: Path, make, status):
    result = analysis.analyze_file(make(tmp_path), RULES, max_bytes=1024)
    assert result.status == status
    assert result.message and "\n" not in result.message
    assert result.findings == ()


def test_analyze_file_reports_analysis_crashes_as_error(tmp_path: Path, monkeypatch):
    module = types.ModuleType("contract_audit.engine")

    def boom(document, ruleset):
        raise ValueError("bad pattern state")

    module.match = boom  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "contract_audit.engine", module)
    monkeypatch.setattr(contract_audit, "engine", module, raising=False)
    path = _write(tmp_path / "c.txt", b"Some contract text.\n")
    result = analysis.analyze_file(path, RULES)
    assert result.status == "error" and "bad pattern state" in result.message


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


# --- through the real extractor, engine and shipped rules --------------------------------------

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "contracts"


@pytest.fixture(scope="module")
def shipped_rules():
    from contract_audit.rules import load_rules

    return load_rules()


def test_real_advisory_contract_end_to_end(shipped_rules):
    result = analysis.analyze_file(
        FIXTURES / "msp01-harborline-managed-services.txt", shipped_rules
    )
    assert result.status == "ok" and result.engagement.type == "msp-vcio"
    assert set(result.elements) == set(ELEMENTS)
    assert {e.status for e in result.elements.values()} <= {"present", "missing"}
    for element, state in result.elements.items():
        has_finding = any(f.element == element for f in result.findings)
        assert (state.status == "missing") == has_finding
        assert (state.status == "present") == (state.evidence is not None)
    ranks = [severity_rank(f.severity) for f in result.findings]
    assert ranks == sorted(ranks)
    assert len({f.id for f in result.findings}) == len(result.findings)
    explained = sum(i.points for i in result.risk.explanation)
    assert result.risk.score == max(0, min(100, round(explained)))
    assert pickle.loads(pickle.dumps(result)) == result


def test_real_lease_is_quiet(shipped_rules):
    result = analysis.analyze_file(FIXTURES / "oth01-copperfield-office-lease.txt", shipped_rules)
    assert result.engagement.type == "other"
    assert all(f.severity == "info" for f in result.findings)
    assert {e.status for e in result.elements.values()} == {"not-assessed"}
    assert result.risk.score == 0
