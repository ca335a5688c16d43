"""The batch ``index.html``: one row per input file, unreadable ones included, riskiest first."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from contract_audit.domain import SEVERITIES
from contract_audit.report import labels as L
from contract_audit.report.atomic import atomic_write_text
from contract_audit.report.env import render_page
from contract_audit.report.gauge import stacked_bars
from contract_audit.report.html import display_name
from contract_audit.report.json import timestamp
from contract_audit.results import DocumentResult


@dataclass(frozen=True, slots=True)
class Row:
    name: str
    path: str
    href: str | None
    ok: bool
    status: str
    status_label: str
    message: str
    engagement: str
    engagement_label: str
    score: int | None
    level: str | None
    level_label: str
    counts: dict[str, int]  # open (non-protection) findings per severity
    protections: int
    missing: int
    duplicates: tuple[str, ...] = ()  # other paths with identical content


def safe_href(link: str) -> str:
    """A relative URL for ``link``: percent-encoded, so no scheme (``javascript:``) survives."""
    href = quote(link.replace(os.sep, "/"), safe="/-._~")
    return href if not href.startswith("/") else "." + href


def _row(result: DocumentResult, link: str | None) -> Row:
    risks = [f for f in result.findings if f.family != "protection"]
    eng = result.engagement.type if result.engagement else ""
    return Row(
        name=display_name(result.path),
        path=result.path,
        href=safe_href(link) if link else None,
        ok=result.status == "ok",
        status=result.status,
        status_label=L.label(L.STATUS_LABELS, result.status),
        message=result.message,
        engagement=eng,
        engagement_label=L.label(L.ENGAGEMENT_SHORT, eng) if eng else "—",
        score=result.risk.score if result.risk else None,
        level=result.risk.level if result.risk else None,
        level_label=L.label(L.LEVEL_LABELS, result.risk.level) if result.risk else "",
        counts={s: sum(1 for f in risks if f.severity == s) for s in SEVERITIES},
        protections=sum(1 for f in result.findings if f.family == "protection"),
        missing=sum(1 for e in result.elements.values() if e.status == "missing"),
        duplicates=tuple(result.duplicates),
    )


def _order(row: Row) -> tuple:
    """Riskiest first; unreadable files after the scored ones (their risk is unknown)."""
    return (
        not row.ok,
        -(row.score if row.score is not None else -1),
        [-row.counts[s] for s in SEVERITIES],
        row.name.casefold(),
        row.path,
    )


def index_view(
    results: Iterable[DocumentResult],
    *,
    rules_version: str,
    links: Mapping[str, str],
    generated_at: datetime | str | None = None,
) -> dict[str, Any]:
    results = list(results)
    rows = sorted((_row(r, links.get(r.path)) for r in results), key=_order)
    per_family: dict[str, dict[str, int]] = {}
    for r in results:
        for f in r.findings:
            if f.family != "protection":
                fam = per_family.setdefault(f.family, {s: 0 for s in SEVERITIES})
                fam[f.severity] = fam.get(f.severity, 0) + 1
    families = sorted(
        set(per_family) | {"vendor-incentive", "divided-loyalty", "missing-responsibility"},
        key=L.family_order,
    )
    chart_rows = [(L.label(L.FAMILY_LABELS, f), per_family.get(f, {})) for f in families]
    bars, height = stacked_bars(chart_rows, SEVERITIES)
    levels = {lv: sum(1 for row in rows if row.level == lv) for lv in L.LEVEL_LABELS}
    return {
        "rows": rows,
        "bars": bars,
        "chart_height": height,
        "severities": [(s, L.SEVERITY_LABELS[s]) for s in SEVERITIES],
        "levels": [(lv, L.LEVEL_LABELS[lv], n) for lv, n in levels.items()],
        "total": len(rows),
        "unreadable": [row for row in rows if not row.ok],
        "findings_total": sum(b.total for b in bars),
        "generated_at": timestamp(generated_at),
        "rules_version": rules_version,
    }


def render_index_html(
    results: Iterable[DocumentResult],
    *,
    rules_version: str,
    links: Mapping[str, str],
    generated_at: datetime | str | None = None,
) -> str:
    view = index_view(results, rules_version=rules_version, links=links, generated_at=generated_at)
    return render_page("index.html.j2", scripts=("sort",), **view)


def write_index_html(
    results: Iterable[DocumentResult],
    path: str | os.PathLike[str],
    *,
    rules_version: str,
    links: Mapping[str, str],
    generated_at: datetime | str | None = None,
) -> Path:
    """Write the batch index atomically. ``links`` maps ``result.path`` to a relative href
    (e.g. ``contract-2.html``); a result without a link is listed without one."""
    html = render_index_html(
        results, rules_version=rules_version, links=links, generated_at=generated_at
    )
    return atomic_write_text(path, html)
