"""The per-document HTML risk report: one self-contained file (inline CSS and SVG, no fetches).

:func:`document_view` turns a :class:`DocumentResult` into plain data for
``document.html.j2``; every piece of contract text stays a string and is escaped by the
template (see :mod:`contract_audit.report.excerpt` for how highlighting avoids building HTML).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from contract_audit.domain import ADVISORY_TYPES, ELEMENTS, SEVERITIES
from contract_audit.report import labels as L
from contract_audit.report.atomic import atomic_write_text
from contract_audit.report.env import render_page
from contract_audit.report.excerpt import Piece, clause_pieces, pieces
from contract_audit.report.gauge import gauge
from contract_audit.report.json import timestamp
from contract_audit.report.questions import Question, questions, ref
from contract_audit.results import Decision, DocumentResult, Finding


@dataclass(frozen=True, slots=True)
class FindingView:
    number: int  # in reading order of the report (groups, then protections)
    anchor: str
    id: str
    rule: str
    family: str
    severity: str
    title: str
    element: str
    ref: str
    excerpt: list[Piece]
    rationale: str
    recommendation: list[Piece]
    qualifiers: list[dict[str, str]]
    decision: Decision | None
    to_add: list[Piece] = field(default_factory=list)  # missing element: what to add


@dataclass(frozen=True, slots=True)
class Group:
    family: str
    label: str
    blurb: str
    findings: list[FindingView]


@dataclass(frozen=True, slots=True)
class ElementView:
    id: str
    label: str
    meaning: str
    status: str
    excerpt: list[Piece] = field(default_factory=list)
    ref: str = ""
    to_add: list[Piece] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ScoreLine:
    label: str
    points: float
    anchor: str | None


def display_name(path: str) -> str:
    """The file's own name, whichever separator its path uses."""
    return PureWindowsPath(PurePosixPath(path).name).name or path or "(unnamed input)"


def _finding_view(f: Finding, number: int, result: DocumentResult) -> FindingView:
    to_add = ""
    if f.family == "missing-responsibility" and f.element:
        er = result.elements.get(f.element)
        to_add = (er.recommendation if er else "") or L.ELEMENT_TO_ADD.get(f.element, "")
    return FindingView(
        number=number,
        anchor=f"finding-{number}",
        id=f.id,
        rule=f.rule,
        family=f.family,
        severity=f.severity,
        title=f.title,
        element=L.label(L.ELEMENT_LABELS, f.element),
        ref=ref(f.page, f.section),
        excerpt=pieces(f.text, f.match, f.start - f.text_start),
        rationale=f.rationale,
        recommendation=clause_pieces(f.recommendation),
        qualifiers=[{"name": q.name, "cue": q.cue, "effect": q.effect} for q in f.qualifiers],
        decision=result.decision_for(f.id),
        to_add=clause_pieces(to_add) if not f.recommendation else [],
    )


def _action(result: DocumentResult, f: Finding) -> str | None:
    decision = result.decision_for(f.id)
    return decision.action if decision else None


def _sorted(findings: list[Finding]) -> list[Finding]:
    return sorted(
        findings,
        key=lambda f: (L.severity_order(f.severity), L.element_order(f.element), f.start),
    )


def _counts(findings: tuple[Finding, ...]) -> list[dict[str, Any]]:
    """Rows per family (protections apart): a count per severity and a total."""
    families = sorted(
        {f.family for f in findings if f.family != "protection"}
        | {"vendor-incentive", "divided-loyalty", "missing-responsibility"},
        key=L.family_order,
    )
    rows = []
    for fam in families:
        cells = [
            sum(1 for f in findings if f.family == fam and f.severity == s) for s in SEVERITIES
        ]
        rows.append(
            {
                "family": fam,
                "label": L.label(L.FAMILY_LABELS, fam),
                "cells": cells,
                "total": sum(cells),
            }
        )
    return rows


def _elements(result: DocumentResult, advisory: bool) -> list[ElementView]:
    out = []
    for el in sorted(set(ELEMENTS) | set(result.elements), key=L.element_order):
        er = result.elements.get(el)
        status = er.status if er else ("missing" if advisory else "not-assessed")
        if not advisory and status == "missing":
            status = "not-assessed"
        ev = er.evidence if er else None
        to_add = er.recommendation if er and er.recommendation else L.ELEMENT_TO_ADD.get(el, "")
        out.append(
            ElementView(
                id=el,
                label=L.label(L.ELEMENT_LABELS, el),
                meaning=L.ELEMENT_MEANINGS.get(el, ""),
                status=status,
                excerpt=pieces(ev.text, ev.match, None, limit=420) if ev else [],
                ref=ref(ev.page, ev.section) if ev else "",
                to_add=clause_pieces(to_add) if status == "missing" else [],
            )
        )
    return out


def document_view(
    result: DocumentResult, *, rules_version: str, generated_at: datetime | str | None = None
) -> dict[str, Any]:
    """Everything ``document.html.j2`` shows, as plain data."""
    risks = [f for f in result.findings if f.family != "protection"]
    ordered: list[Finding] = []
    grouped: list[tuple[str, list[Finding]]] = []
    for fam in sorted({f.family for f in risks}, key=L.family_order):
        fs = _sorted([f for f in risks if f.family == fam])
        grouped.append((fam, fs))
        ordered += fs
    ordered += _sorted([f for f in result.findings if f.family == "protection"])
    # Views by position, so even two findings sharing an id both show; lookups by id (score
    # lines, questions) take the first.
    numbered = [_finding_view(f, n, result) for n, f in enumerate(ordered, start=1)]
    views: dict[str, FindingView] = {}
    for v in numbered:
        views.setdefault(v.id, v)
    anchors = {fid: v.anchor for fid, v in views.items()}
    groups, start = [], 0
    for fam, fs in grouped:
        chunk = numbered[start : start + len(fs)]
        groups.append(
            Group(fam, L.label(L.FAMILY_LABELS, fam), L.FAMILY_BLURBS.get(fam, ""), chunk)
        )
        start += len(fs)
    protections = numbered[start:]
    engagement = result.engagement
    advisory = engagement is None or engagement.type in ADVISORY_TYPES
    risk = result.risk
    explanation = [
        ScoreLine(i.label, i.points, anchors.get(i.finding) if i.finding else None)
        for i in (risk.explanation if risk else ())
    ]
    elements = _elements(result, advisory)
    qs: list[Question] = questions(result)
    q_views = [
        {
            "text": q.text,
            "severity": q.severity,
            "refs": q.refs,
            "findings": [views[i] for i in q.findings if i in views],
            "element": q.key.removeprefix("element:") if q.key.startswith("element:") else None,
        }
        for q in qs
    ]
    return {
        "name": display_name(result.path),
        "result": result,
        "ok": result.status == "ok",
        "status_label": L.label(L.STATUS_LABELS, result.status),
        "status_help": L.STATUS_HELP.get(result.status, L.STATUS_HELP_DEFAULT),
        "generated_at": timestamp(generated_at),
        "rules_version": rules_version,
        "risk": risk,
        "gauge": gauge(risk.score) if risk else None,
        "level_label": L.label(L.LEVEL_LABELS, risk.level) if risk else "",
        "level_advice": L.LEVEL_ADVICE.get(risk.level, "") if risk else "",
        "counts": _counts(result.findings),
        "severities": [(s, L.SEVERITY_LABELS[s]) for s in SEVERITIES],
        "totals": {
            "findings": len(risks),
            "high": sum(1 for f in risks if f.severity == "high"),
            "protections": len(protections),
            "missing": sum(1 for e in elements if e.status == "missing"),
            "present": sum(1 for e in elements if e.status == "present"),
            "accepted": sum(1 for f in risks if _action(result, f) == "accept"),
            "rejected": sum(1 for f in risks if _action(result, f) == "reject"),
        },
        "engagement": engagement,
        "engagement_label": L.label(L.ENGAGEMENT_LABELS, engagement.type) if engagement else "",
        "engagement_meaning": L.ENGAGEMENT_MEANINGS.get(engagement.type, "") if engagement else "",
        "advisory": advisory,
        "elements": elements,
        "groups": groups,
        "families": [(g.family, g.label) for g in groups],
        "protections": protections,
        "questions": q_views,
        "explanation": explanation,
        "family_labels": L.FAMILY_LABELS,
        "severity_labels": L.SEVERITY_LABELS,
        "element_labels": L.ELEMENT_LABELS,
    }


def render_document_html(
    result: DocumentResult, *, rules_version: str, generated_at: datetime | str | None = None
) -> str:
    """The report as one HTML string."""
    view = document_view(result, rules_version=rules_version, generated_at=generated_at)
    scripts = ("filter",) if view["ok"] and view["groups"] else ()
    return render_page("document.html.j2", scripts=scripts, **view)


def write_document_html(
    result: DocumentResult,
    path: str | os.PathLike[str],
    *,
    rules_version: str,
    generated_at: datetime | str | None = None,
) -> Path:
    """Render and write the report atomically; returns the path written."""
    html = render_document_html(result, rules_version=rules_version, generated_at=generated_at)
    return atomic_write_text(path, html)
