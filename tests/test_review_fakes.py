"""Factories shared by the review tests: findings, results and a Word file built on the fly.

The Word file exercises what annotation must survive: numbered paragraphs, a table, a match
split over differently formatted runs, a tracked insertion and deletion, a hyperlink, curly
quotes and a clause that appears twice.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from contract_audit.results import (
    Decision,
    DocumentResult,
    ElementResult,
    Engagement,
    Finding,
    Risk,
)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def make_finding(
    rule: str = "referral-commission",
    text: str = "Provider may receive referral fees from vendors.",
    match: str = "referral fees",
    *,
    severity: str = "high",
    family: str = "vendor-incentive",
    fid: str | None = None,
    start: int | None = None,
    text_start: int = 0,
    element: str | None = None,
    title: str | None = None,
) -> Finding:
    rel = text.find(match) if match else 0
    begin = text_start + max(rel, 0) if start is None else start
    return Finding(
        id=fid or hashlib.sha256(f"{rule}|{text}".encode()).hexdigest()[:12],
        rule=rule,
        family=family,
        element=element,
        severity=severity,
        title=title or f"Title of {rule}",
        text=text,
        match=match,
        start=begin,
        end=begin + len(match),
        text_start=text_start,
        page=1,
        section=None,
        rationale=f"Why {rule} matters.",
        recommendation=f'Ask for "no {rule}".',
    )


def make_result(
    findings: tuple[Finding, ...] | list[Finding] = (),
    *,
    path: str = "contract.docx",
    score: int = 60,
    level: str = "elevated",
    elements: dict[str, str] | None = None,
    decisions: tuple[Decision, ...] = (),
) -> DocumentResult:
    default = {"scope": "present", "reporting-line": "missing"}
    statuses = elements if elements is not None else default
    return DocumentResult(
        path=path,
        sha256="0" * 64,
        format="docx",
        engagement=Engagement("msp-vcio", (), 0.9),
        risk=Risk(score, level),
        elements={
            k: ElementResult(v, recommendation=f"Add a {k} clause." if v == "missing" else "")
            for k, v in statuses.items()
        },
        findings=tuple(findings),
        decisions=decisions,
    )


# --------------------------------------------------------------------------- the Word file

TITLE = "MANAGED SERVICES AGREEMENT"
FORMATTED = "Provider may receive referral fees from vendors whose products it recommends."
TABLE_CELL = "The vCIO is an employee of Provider under its direction and control."
TRACKED = "Client shall purchase all hardware through Provider at list price."
REPEATED = "Provider may replace the vCIO at any time."
CURLY = "Provider\u2019s \u201cstandard stack\u201d limits what the vCIO may recommend."
LINKED = "Provider may share Client data with its affiliates."


def build_docx(path: Path) -> Path:
    """Write the test contract and return its path (see the module docstring)."""
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    doc = docx.Document()
    doc.add_paragraph(TITLE, style="Title")
    doc.add_paragraph("Services", style="List Number")
    doc.add_paragraph(REPEATED, style="List Number")

    # A match split over runs with different formatting: "referral " | "fees from" (bold) | ...
    p = doc.add_paragraph(style="List Number")
    p.add_run("Provider may receive ")
    p.add_run("referral ").italic = True
    bold = p.add_run("fees from")
    bold.bold = True
    p.add_run(" vendors whose products it recommends.")

    table = doc.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Personnel"
    table.cell(0, 1).text = TABLE_CELL

    # Tracked changes: "at list price" inserted, "at cost" deleted.
    p = doc.add_paragraph("Client shall purchase all hardware through Provider ")
    ins = _revision("w:ins", "901", "w:t", "at list price")
    dele = _revision("w:del", "902", "w:delText", " at cost")
    p._p.append(ins)
    p._p.append(dele)
    p.add_run(".")

    doc.add_paragraph(CURLY)

    # A hyperlink around "share Client data".
    p = doc.add_paragraph("Provider may ")
    link = OxmlElement("w:hyperlink", attrs={qn("w:anchor"): "data"})
    r = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = "share Client data"
    r.append(t)
    link.append(r)
    p._p.append(link)
    p.add_run(" with its affiliates.")

    doc.add_paragraph(REPEATED, style="List Number")
    doc.save(str(path))
    return path


def docx_findings() -> list[Finding]:
    """Findings for :func:`build_docx` in document order, as the analysis would report them."""
    return [
        make_finding(
            "replace-advisor",
            REPEATED,
            "replace the vCIO",
            severity="medium",
            family="divided-loyalty",
            text_start=40,
        ),
        make_finding("referral-commission", FORMATTED, "referral fees from", text_start=100),
        make_finding(
            "employee-of-provider",
            TABLE_CELL,
            "employee of Provider",
            family="divided-loyalty",
            text_start=200,
        ),
        make_finding(
            "must-buy-through-provider", TRACKED, "through Provider at list price", text_start=300
        ),
        make_finding(
            "standard-stack", CURLY, "\u201cstandard stack\u201d", severity="medium", text_start=400
        ),
        make_finding(
            "data-sharing",
            LINKED,
            "share Client data with its affiliates",
            severity="low",
            family="divided-loyalty",
            text_start=500,
        ),
        make_finding(
            "replace-advisor",
            REPEATED,
            "replace the vCIO",
            severity="medium",
            family="divided-loyalty",
            text_start=600,
            fid="second-occurrence",
        ),
    ]


def replace_finding(finding: Finding, **changes: object) -> Finding:
    import dataclasses

    return dataclasses.replace(finding, **changes)


def _revision(tag: str, rev_id: str, text_tag: str, text: str) -> object:
    """A tracked insertion (``w:ins``/``w:t``) or deletion (``w:del``/``w:delText``) of one run."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    change = OxmlElement(
        tag,
        attrs={qn("w:id"): rev_id, qn("w:author"): "Counsel", qn("w:date"): "2026-01-05T10:00:00Z"},
    )
    run = OxmlElement("w:r")
    t = OxmlElement(text_tag)
    t.text = text
    run.append(t)
    change.append(run)
    return change
