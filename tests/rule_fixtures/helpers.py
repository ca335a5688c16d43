"""Helpers for the rule and engine tests: write small rule files, build documents."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import srsly

from contract_audit.model import Document, Page, Section
from contract_audit.rules import load_rules

FIXTURES = Path(__file__).resolve().parent

BASE_RULE: dict[str, Any] = {
    "family": "vendor-incentive",
    "kind": "presence",
    "severity": "high",
    "title": "A test rule",
    "rationale": "Why it matters.",
    "recommendation": "What to ask for.",
    "examples": {
        "match": ["first example here", "second example here"],
        "no_match": ["third example here", "fourth example here"],
    },
}


def rule(rule_id: str, **fields: Any) -> dict[str, Any]:
    """A valid rule mapping with ``fields`` overriding the defaults."""
    return {"id": rule_id, **BASE_RULE, **fields}


def write_rules(folder: Path, *rules: dict[str, Any], name: str = "rules.yml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    srsly.write_yaml(folder / name, {"rules": list(rules)})
    return folder


def ruleset_of(tmp_path: Path, *rules: dict[str, Any]) -> Any:
    """Load just ``rules`` (plus the shipped shared vocabularies)."""
    return load_rules([write_rules(tmp_path / "r", *rules)], include_default=False)


def document(
    text: str, sections: tuple[Section, ...] = (), pages: tuple[Page, ...] = ()
) -> Document:
    return Document(text=text, pages=pages or (Page(1, 0, len(text)),), sections=sections)
