"""The draft comparison as HTML (the report's base layout and CSS) and JSON.

Like the risk report, every piece of contract text reaches the template as a plain string and is
escaped there; highlighting goes through :mod:`contract_audit.report.excerpt` pieces.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from contract_audit import __version__
from contract_audit.domain import ELEMENTS
from contract_audit.results import Finding
from contract_audit.review.compare import Comparison, FindingChange

SCHEMA_VERSION = 1
KIND = "comparison"


@dataclass(frozen=True, slots=True)
class ChangeView:
    """One row of the comparison, ready for the template (no HTML inside)."""

    status: str
    id: str
    severity: str
    title: str
    rule: str
    family: str
    old_ref: str
    new_ref: str
    old_excerpt: list[Any]
    new_excerpt: list[Any]
    recommendation: list[Any]
    rationale: str
    severity_change: str | None
    similarity: float
    moved: bool
    decision: Any


def _excerpt(f: Finding | None) -> list[Any]:
    from contract_audit.report.excerpt import pieces

    return pieces(f.text, f.match, f.start - f.text_start) if f and f.text else []


def _ref(f: Finding | None) -> str:
    from contract_audit.report.questions import ref

    return ref(f.page, f.section) if f else ""


def _view(change: FindingChange, comparison: Comparison) -> ChangeView:
    from contract_audit.report.excerpt import clause_pieces

    f = change.finding
    old_ref, new_ref = _ref(change.old), _ref(change.new)
    return ChangeView(
        status=change.status,
        id=f.id,
        severity=f.severity,
        title=f.title,
        rule=f.rule,
        family=f.family,
        old_ref=old_ref,
        new_ref=new_ref,
        old_excerpt=_excerpt(change.old),
        new_excerpt=_excerpt(change.new),
        recommendation=clause_pieces(f.recommendation),
        rationale=f.rationale,
        severity_change=change.severity_change,
        similarity=change.similarity,
        moved=bool(change.old and change.new and old_ref and new_ref and old_ref != new_ref),
        decision=comparison.decision_for(change),
    )


def comparison_view(
    comparison: Comparison, *, rules_version: str, generated_at: datetime | str | None = None
) -> dict[str, Any]:
    """Plain data for ``compare.html.j2``."""
    from contract_audit.report import labels as L
    from contract_audit.report.html import display_name
    from contract_audit.report.json import timestamp

    old, new = comparison.old, comparison.new
    views = [_view(c, comparison) for c in comparison.changes]
    risks = [v for v in views if v.family != "protection"]
    protections = [v for v in views if v.family == "protection"]
    changed_elements = {e.element: e.change for e in comparison.elements}
    elements = [
        {
            "id": key,
            "label": L.label(L.ELEMENT_LABELS, key),
            "old": old.elements[key].status if key in old.elements else "not-assessed",
            "new": new.elements[key].status if key in new.elements else "not-assessed",
            "change": changed_elements.get(key),
        }
        for key in (*ELEMENTS, *sorted((set(old.elements) | set(new.elements)) - set(ELEMENTS)))
    ]
    delta = comparison.score_delta
    return {
        "old_name": display_name(old.path),
        "new_name": display_name(new.path),
        "old": old,
        "new": new,
        "old_level_label": L.label(L.LEVEL_LABELS, old.risk.level) if old.risk else "Not scored",
        "new_level_label": L.label(L.LEVEL_LABELS, new.risk.level) if new.risk else "Not scored",
        "delta": delta,
        "verdict": _verdict(comparison),
        "introduced": [v for v in risks if v.status == "introduced"],
        "resolved": [v for v in risks if v.status == "resolved"],
        "changed": [v for v in risks if v.status == "changed"],
        "unchanged": [v for v in risks if v.status == "unchanged"],
        "protections_added": [v for v in protections if v.status == "introduced"],
        "protections_removed": [v for v in protections if v.status == "resolved"],
        "protections_kept": [v for v in protections if v.status in ("changed", "unchanged")],
        "elements": elements,
        "defined": [e for e in elements if e["change"] == "defined"],
        "undefined": [e for e in elements if e["change"] == "undefined"],
        "severity_labels": L.SEVERITY_LABELS,
        "rules_version": rules_version,
        "generated_at": timestamp(generated_at),
        "threshold": comparison.threshold,
    }


def _verdict(comparison: Comparison) -> str:
    """One sentence a reader can act on."""
    risks = [c for c in comparison.changes if c.finding.family != "protection"]
    introduced = sum(1 for c in risks if c.status == "introduced")
    resolved = sum(1 for c in risks if c.status == "resolved")
    lost = sum(1 for c in comparison.changes
               if c.finding.family == "protection" and c.status == "resolved")
    parts = [
        f"The new draft resolves {resolved} risk{'s' if resolved != 1 else ''}",
        f"introduces {introduced}",
    ]
    text = ", ".join(parts)
    if lost:
        text += f" and drops {lost} protection{'s' if lost != 1 else ''}"
    delta = comparison.score_delta
    if delta is not None:
        direction = "falls" if delta < 0 else "rises" if delta > 0 else "stays"
        text += (
            f"; the risk score {direction} from {comparison.old_score} to {comparison.new_score}"
            if delta
            else f"; the risk score stays at {comparison.new_score}"
        )
    return text + "."


def render_comparison_html(
    comparison: Comparison, *, rules_version: str, generated_at: datetime | str | None = None
) -> str:
    from contract_audit.report.env import render_page

    view = comparison_view(comparison, rules_version=rules_version, generated_at=generated_at)
    return render_page("compare.html.j2", **view)


def comparison_json(
    comparison: Comparison, *, rules_version: str, generated_at: datetime | str | None = None
) -> dict:
    """The comparison as plain data (documented in docs/review.md)."""
    from contract_audit.report.json import TOOL_NAME, timestamp

    return {
        "schema_version": SCHEMA_VERSION,
        "kind": KIND,
        "tool": {"name": TOOL_NAME, "version": __version__},
        "rules_version": rules_version,
        "generated_at": timestamp(generated_at),
        **comparison.to_dict(),
    }


def write_comparison(
    comparison: Comparison,
    folder: str | os.PathLike[str],
    stem: str,
    formats: tuple[str, ...],
    *,
    rules_version: str,
    generated_at: datetime | str | None = None,
) -> list[Path]:
    """Write ``<stem>.html`` and/or ``<stem>.json`` into ``folder`` atomically."""
    from contract_audit.report.atomic import atomic_write_text
    from contract_audit.report.json import dumps, timestamp

    meta = {"rules_version": rules_version, "generated_at": timestamp(generated_at)}
    written: list[Path] = []
    # A comparison is one document: "jsonl" (a scan's stream) means its JSON.
    for fmt in dict.fromkeys("json" if f == "jsonl" else f for f in formats):
        path = Path(folder) / f"{stem}.{fmt}"
        if fmt == "html":
            text = render_comparison_html(comparison, **meta)
        else:
            text = dumps(comparison_json(comparison, **meta))
        written.append(atomic_write_text(path, text))
    return written
