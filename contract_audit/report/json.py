"""The JSON output (schema_version 1, documented in docs/json-schema.md).

One shape for one document or many: a header naming the tool and the rules, then
``documents``, each exactly ``DocumentResult.to_dict()``. Consumers should ignore keys they do not
know; a breaking change bumps ``schema_version``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from contract_audit import __version__
from contract_audit.report.atomic import atomic_write_text
from contract_audit.results import DocumentResult

SCHEMA_VERSION = 1
TOOL_NAME = "contract-audit"


def timestamp(when: datetime | str | None = None) -> str:
    """ISO 8601 UTC time, to the second (``2026-11-26T08:30:00Z``); ``None`` means now."""
    if isinstance(when, str):
        return when
    when = when or datetime.now(UTC)
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def to_json(
    results: Iterable[DocumentResult],
    *,
    rules_version: str,
    generated_at: datetime | str | None = None,
) -> dict:
    """The whole report as plain data (dicts, lists, str, int, float, bool, None)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": TOOL_NAME, "version": __version__},
        "rules_version": rules_version,
        "generated_at": timestamp(generated_at),
        "documents": [r.to_dict() for r in results],
    }


def dumps(data: dict) -> str:
    """Stable, readable text: indented, key order kept, non-ASCII left as is, final newline."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def json_text(
    results: Iterable[DocumentResult],
    *,
    rules_version: str,
    generated_at: datetime | str | None = None,
) -> str:
    """The JSON report as text (for ``--output -``)."""
    return dumps(to_json(results, rules_version=rules_version, generated_at=generated_at))


def write_json(
    results: Iterable[DocumentResult],
    path: str | os.PathLike[str],
    *,
    rules_version: str,
    generated_at: datetime | str | None = None,
) -> Path:
    """Write the JSON report atomically; returns the path written."""
    text = json_text(results, rules_version=rules_version, generated_at=generated_at)
    return atomic_write_text(path, text)
