"""JSON output: schema_version 1, validated by our own validator, documented field by field."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from report_factory import (
    hostile_result,
    independent_result,
    other_result,
    sample_result,
    unreadable_result,
)

from contract_audit import __version__
from contract_audit.report import json_text, to_json, write_json
from contract_audit.report.schema import SCHEMA, check, property_names, validate

DOCS = Path(__file__).resolve().parents[1] / "docs" / "json-schema.md"
ALL = [sample_result(), unreadable_result(), other_result(), independent_result(), hostile_result()]


def test_header_and_documents() -> None:
    data = to_json(ALL, rules_version="abc123", generated_at="2026-11-26T08:30:00Z")
    assert data["schema_version"] == 1
    assert data["tool"] == {"name": "contract-audit", "version": __version__}
    assert data["rules_version"] == "abc123"
    assert data["generated_at"] == "2026-11-26T08:30:00Z"
    assert [d["path"] for d in data["documents"]] == [r.path for r in ALL]
    assert data["documents"][0] == ALL[0].to_dict()


def test_generated_at_defaults_to_now_in_utc() -> None:
    stamp = to_json([], rules_version="x")["generated_at"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", stamp)


def test_every_kind_of_result_validates() -> None:
    data = json.loads(json_text(ALL, rules_version="abc123"))
    assert check(data) == []


def test_written_file_round_trips(tmp_path: Path) -> None:
    path = write_json(ALL, tmp_path / "report.json", rules_version="r1")
    text = path.read_text(encoding="utf-8")
    assert text.endswith("\n") and "{{ 7*7 }}" in text  # non-ASCII and markup kept verbatim
    assert json.loads(text)["documents"][4]["findings"][0]["text"] == ALL[4].findings[0].text


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda d: d.update(schema_version=2), "$.schema_version: must be 1"),
        (lambda d: d.pop("rules_version"), "$: missing 'rules_version'"),
        (lambda d: d["tool"].update(extra=1), "$.tool: unexpected key 'extra'"),
        (lambda d: d["documents"][0].update(status="fine"), "$.documents[0].status: 'fine'"),
        (lambda d: d["documents"][0]["risk"].update(score=101), "$.documents[0].risk.score: 101"),
        (lambda d: d["documents"][0]["risk"].update(score=True), "expected integer, got bool"),
        (lambda d: d["documents"][0]["findings"][0].update(severity="severe"), "severity"),
        (lambda d: d["documents"][0]["findings"][0].update(family="greed"), "family"),
        (lambda d: d["documents"][0]["findings"][0].update(page=0), "page: 0 is below 1"),
        (lambda d: d["documents"][0]["findings"][0].pop("match"), "missing 'match'"),
        (
            lambda d: d["documents"][0]["elements"].update(
                budget=d["documents"][0]["elements"]["scope"]
            ),
            "elements.budget (key)",
        ),
        (lambda d: d["documents"][0]["elements"]["scope"].update(status="maybe"), "status"),
        (lambda d: d["documents"][0]["engagement"].update(type="vendor"), "engagement.type"),
        (lambda d: d["documents"][0]["decisions"][0].update(action="ignore"), "action"),
        (lambda d: d["documents"][0].update(findings={}), "expected array, got dict"),
    ],
)
def test_validator_reports_each_violation(mutate, expected: str) -> None:
    data = json.loads(json_text([sample_result()], rules_version="r1"))
    mutate(data)
    errors = check(data)
    assert any(expected in e for e in errors), errors


def test_semantic_checks() -> None:
    bad_offsets = sample_result()
    f = replace(bad_offsets.findings[0], start=50, end=10)
    data = to_json(
        [replace(bad_offsets, findings=(f, *bad_offsets.findings[1:]))], rules_version="r"
    )
    assert any("start 50 is after end 10" in e for e in check(data))

    dupe = sample_result()
    data = to_json(
        [replace(dupe, findings=(dupe.findings[0], dupe.findings[0]))], rules_version="r"
    )
    assert any("duplicate finding ids" in e for e in check(data))

    data = to_json(
        [replace(unreadable_result(), findings=sample_result().findings[:1])], rules_version="r"
    )
    assert any("but has findings" in e for e in check(data))

    data = to_json([replace(unreadable_result(), message="")], rules_version="r")
    assert any("needs a message" in e for e in check(data))


def test_validator_handles_non_objects() -> None:
    assert validate([]) == ["$: expected object, got list"]
    assert check("nope") != []


def test_schema_matches_result_to_dict_keys() -> None:
    """A field added to results.py without updating the schema (and the docs) fails here."""
    doc = sample_result().to_dict()
    doc_schema = SCHEMA["properties"]["documents"]["items"]
    assert set(doc) == set(doc_schema["properties"])
    finding_schema = doc_schema["properties"]["findings"]["items"]
    assert set(doc["findings"][0]) == set(finding_schema["properties"])


def test_docs_name_every_field() -> None:
    text = DOCS.read_text(encoding="utf-8")
    documented = set(re.findall(r"`([a-z_0-9-]+)`", text))
    missing = property_names() - documented
    assert not missing, f"docs/json-schema.md does not mention: {sorted(missing)}"
    assert "schema_version: 1" in text or "`schema_version`" in text


def test_docs_example_is_valid_apart_from_elisions() -> None:
    """The example in the docs parses and validates (the "…" placeholders are strings)."""
    text = DOCS.read_text(encoding="utf-8")
    example = re.search(r"```json\n(.*?)```", text, re.S).group(1)
    assert check(json.loads(example)) == []
