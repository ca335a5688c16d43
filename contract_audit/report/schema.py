"""The JSON report's schema (version 1) and a small validator for it, with no dependency.

``SCHEMA`` is written in a subset of JSON Schema (``type``, ``properties``, ``required``,
``additionalProperties``, ``propertyNames``, ``items``, ``enum``, ``const``, ``minimum``,
``maximum``) so it can be handed to a full JSON Schema validator elsewhere; :func:`validate`
understands exactly that subset. :func:`check` adds the rules a schema cannot say (offsets in
order, no findings for an unread file). docs/json-schema.md describes the same fields in prose,
and a test keeps the two in step.
"""

from __future__ import annotations

import re
from typing import Any

from contract_audit.domain import (
    BATCH_STATUSES,
    ELEMENTS,
    ENGAGEMENT_TYPES,
    EXTRACTION_STATUSES,
    FAMILIES,
    RISK_LEVELS,
    SEVERITIES,
)

Schema = dict[str, Any]

_STR: Schema = {"type": "string"}
_INT0: Schema = {"type": "integer", "minimum": 0}
_PAGE: Schema = {"type": ["integer", "null"], "minimum": 1}
_SECTION: Schema = {"type": ["string", "null"]}


def _object(props: dict[str, Schema], required: tuple[str, ...] | None = None) -> Schema:
    """A closed object: every listed key required (unless told), no other key allowed."""
    return {
        "type": "object",
        "properties": props,
        "required": list(props if required is None else required),
        "additionalProperties": False,
    }


QUALIFIER = _object({"name": _STR, "cue": _STR, "effect": _STR})

FINDING = _object(
    {
        "id": _STR,
        "rule": _STR,
        "family": {"type": "string", "enum": list(FAMILIES)},
        "element": {"type": ["string", "null"], "enum": [*ELEMENTS, None]},
        "severity": {"type": "string", "enum": list(SEVERITIES)},
        "title": _STR,
        "text": _STR,
        "match": _STR,
        "start": _INT0,
        "end": _INT0,
        "text_start": _INT0,
        "page": _PAGE,
        "section": _SECTION,
        "qualifiers": {"type": "array", "items": QUALIFIER},
        "rationale": _STR,
        "recommendation": _STR,
    }
)

EVIDENCE = _object(
    {
        "rule": _STR,
        "text": _STR,
        "match": _STR,
        "start": _INT0,
        "end": _INT0,
        "page": _PAGE,
        "section": _SECTION,
    }
)

ELEMENT = _object(
    {
        "status": {"type": "string", "enum": ["present", "missing", "not-assessed"]},
        "evidence": {**EVIDENCE, "type": ["object", "null"]},
        "recommendation": _STR,
    }
)

ENGAGEMENT = _object(
    {
        "type": {"type": "string", "enum": list(ENGAGEMENT_TYPES)},
        "evidence": {"type": "array", "items": _STR},
        "confidence": {"type": "number", "minimum": 0, "maximum": 1},
    }
)

RISK_ITEM = _object(
    {"label": _STR, "points": {"type": "number"}, "finding": {"type": ["string", "null"]}}
)

RISK = _object(
    {
        "score": {"type": "integer", "minimum": 0, "maximum": 100},
        "level": {"type": "string", "enum": list(RISK_LEVELS)},
        "explanation": {"type": "array", "items": RISK_ITEM},
    }
)

DECISION = _object(
    {
        "finding": _STR,
        "action": {"type": "string", "enum": ["accept", "reject"]},
        "reason": _STR,
        "by": _STR,
        "date": _STR,
    }
)

DOCUMENT = _object(
    {
        "path": _STR,
        "sha256": _STR,
        "status": {"type": "string", "enum": ["ok", *EXTRACTION_STATUSES, *BATCH_STATUSES]},
        "message": _STR,
        "format": {"type": ["string", "null"]},
        "pages": _INT0,
        "words": _INT0,
        "engagement": {**ENGAGEMENT, "type": ["object", "null"]},
        "risk": {**RISK, "type": ["object", "null"]},
        "elements": {
            "type": "object",
            "propertyNames": {"enum": list(ELEMENTS)},
            "additionalProperties": ELEMENT,
        },
        "findings": {"type": "array", "items": FINDING},
        "warnings": {"type": "array", "items": _STR},
        "duplicates": {"type": "array", "items": _STR},
        "decisions": {"type": "array", "items": DECISION},
        "stale_decisions": {"type": "array", "items": DECISION},
    }
)

SCHEMA: Schema = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "contract-audit report",
    **_object(
        {
            "schema_version": {"const": 1},
            "tool": _object({"name": _STR, "version": _STR}),
            "rules_version": _STR,
            "generated_at": _STR,
            "documents": {"type": "array", "items": DOCUMENT},
        }
    ),
}

_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "null": (type(None),),
}


def _is(value: Any, name: str) -> bool:
    # bool is an int in Python but not in JSON.
    if isinstance(value, bool) and name in ("integer", "number"):
        return False
    return isinstance(value, _TYPES[name])


def validate(instance: Any, schema: Schema = SCHEMA, where: str = "$") -> list[str]:
    """Every way ``instance`` breaks ``schema``, as ``$.documents[0].risk.score: ...`` lines."""
    errors: list[str] = []
    types = schema.get("type")
    if types is not None:
        names = [types] if isinstance(types, str) else list(types)
        if not any(_is(instance, n) for n in names):
            return [f"{where}: expected {' or '.join(names)}, got {type(instance).__name__}"]
    if "const" in schema and instance != schema["const"]:
        errors.append(f"{where}: must be {schema['const']!r}, got {instance!r}")
    if "enum" in schema and instance not in schema["enum"]:
        errors.append(f"{where}: {instance!r} is not one of {schema['enum']}")
    if _is(instance, "number"):
        if "minimum" in schema and instance < schema["minimum"]:
            errors.append(f"{where}: {instance} is below {schema['minimum']}")
        if "maximum" in schema and instance > schema["maximum"]:
            errors.append(f"{where}: {instance} is above {schema['maximum']}")
    if isinstance(instance, dict):
        props: dict[str, Schema] = schema.get("properties", {})
        errors += [
            f"{where}: missing {k!r}" for k in schema.get("required", []) if k not in instance
        ]
        extra = schema.get("additionalProperties", True)
        names_schema = schema.get("propertyNames")
        for key, value in instance.items():
            path = f"{where}.{key}" if re.fullmatch(r"[A-Za-z_]\w*", key) else f"{where}[{key!r}]"
            if names_schema is not None:
                errors += [
                    e.replace(path, f"{path} (key)", 1) for e in validate(key, names_schema, path)
                ]
            if key in props:
                errors += validate(value, props[key], path)
            elif extra is False:
                errors.append(f"{where}: unexpected key {key!r}")
            elif isinstance(extra, dict):
                errors += validate(value, extra, path)
    if isinstance(instance, list) and "items" in schema:
        for i, item in enumerate(instance):
            errors += validate(item, schema["items"], f"{where}[{i}]")
    return errors


def _semantic(report: dict) -> list[str]:
    """Consistency rules a schema cannot state."""
    errors: list[str] = []
    for i, doc in enumerate(report.get("documents", [])):
        where = f"$.documents[{i}]"
        if doc.get("status") != "ok" and doc.get("findings"):
            errors.append(f"{where}: status {doc.get('status')!r} but has findings")
        if doc.get("status") != "ok" and not doc.get("message"):
            errors.append(f"{where}: status {doc.get('status')!r} needs a message saying why")
        for j, f in enumerate(doc.get("findings", [])):
            if not isinstance(f, dict):
                continue
            fw = f"{where}.findings[{j}]"
            if isinstance(f.get("start"), int) and isinstance(f.get("end"), int):
                if f["start"] > f["end"]:
                    errors.append(f"{fw}: start {f['start']} is after end {f['end']}")
            if f.get("family") == "missing-responsibility" and f.get("element") is None:
                errors.append(f"{fw}: a missing-responsibility finding must name its element")
        ids = [f.get("id") for f in doc.get("findings", []) if isinstance(f, dict)]
        dupes = sorted({x for x in ids if ids.count(x) > 1 and x is not None})
        if dupes:
            errors.append(f"{where}: duplicate finding ids {dupes}")
    return errors


def check(report: Any) -> list[str]:
    """All problems with a JSON report (empty when it is valid schema_version 1)."""
    errors = validate(report)
    if not errors and isinstance(report, dict):
        errors = _semantic(report)
    return errors


def property_names(schema: Schema = SCHEMA) -> set[str]:
    """Every key the schema defines, at any depth (used to keep the docs complete)."""
    names: set[str] = set()
    for key, sub in schema.get("properties", {}).items():
        names.add(key)
        names |= property_names(sub)
    for nested in ("items", "additionalProperties"):
        if isinstance(schema.get(nested), dict):
            names |= property_names(schema[nested])
    return names
