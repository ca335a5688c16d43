"""Write a copy of a Word contract with a comment on each flagged passage.

Each risk gets a Word comment anchored to its matched words (runs are split at the boundaries,
keeping their formatting) with the title, why it matters and what to ask for; one more comment on
the first paragraph summarises the risk score, level and missing responsibility elements.
Everything else in the file (tracked changes, tables, numbering, existing comments) is kept as
is: we only add range markers, reference runs and the comments part. The source file is never
written to.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from contract_audit.domain import SEVERITIES, severity_rank
from contract_audit.results import DocumentResult, Finding
from contract_audit.review.docx_runs import P, isolate, mark_comment, paragraph_text
from contract_audit.review.locate import Anchor, Paragraphs, fold, locate

AUTHOR = "contract-audit"
INITIALS = "CA"
TEXTBOX = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}txbxContent"


class AnnotateError(Exception):
    """The Word file cannot be annotated (the output would replace the input, no text)."""


class UnreadableDocx(AnnotateError):
    """python-docx cannot open the file (a broken or non-Word package): exit status 3."""


@dataclass(frozen=True, slots=True)
class Placed:
    """One finding and where its comment went (``anchor`` is None when it could not be placed,
    in which case the summary comment lists it)."""

    finding: Finding
    anchor: Anchor | None
    comment_id: int | None

    def to_dict(self) -> dict:
        return {
            "finding": self.finding.id,
            "precision": self.anchor.precision if self.anchor else None,
            "paragraph": self.anchor.paragraph if self.anchor else None,
            "comment_id": self.comment_id,
        }


@dataclass(frozen=True)
class Annotation:
    """What :func:`annotate_docx` wrote."""

    source: Path
    output: Path
    placed: tuple[Placed, ...]
    summary_comment_id: int

    @property
    def comment_count(self) -> int:
        return 1 + sum(1 for p in self.placed if p.comment_id is not None)

    def count(self, precision: str | None) -> int:
        """How many findings were anchored with ``precision`` (None: not anchored)."""
        return sum(1 for p in self.placed if (p.anchor and p.anchor.precision) == precision)

    def to_dict(self) -> dict:
        return {
            "source": str(self.source),
            "output": str(self.output),
            "comments": self.comment_count,
            "summary_comment_id": self.summary_comment_id,
            "placed": [p.to_dict() for p in self.placed],
        }


def body_paragraphs(document: Any) -> list[Any]:
    """Every ``w:p`` of the body in document order, table cells (nested too) included; text
    boxes are left out (they are drawn objects, and appear twice in compatibility markup)."""
    body = document.element.body
    return [p for p in body.iter(P) if not any(a.tag == TEXTBOX for a in p.iterancestors())]


def commentable(findings: Iterable[Finding], *, protections: bool = False) -> list[Finding]:
    """The findings that deserve a comment on a passage, in document order: risks with matched
    words (missing elements have no passage; they go in the summary)."""
    chosen = [
        f for f in findings
        if f.match.strip() and (protections or f.family != "protection")
        and f.family != "missing-responsibility"
    ]
    return sorted(chosen, key=lambda f: (f.start, f.end, severity_rank(f.severity)))


def finding_comment(finding: Finding, result: DocumentResult) -> str:
    """The comment text: title, why it matters, what to ask for (one paragraph each)."""
    label = "PROTECTION" if finding.family == "protection" else finding.severity.upper()
    lines = [f"[{label}] {finding.title}"]
    if finding.rationale:
        lines.append(f"Why it matters: {finding.rationale}")
    if finding.recommendation:
        lines.append(f"What to ask for: {finding.recommendation}")
    decision = result.decision_for(finding.id)
    if decision is not None:
        verb = "Accepted" if decision.action == "accept" else "Rejected"
        lines.append(f"{verb} by {decision.by} on {decision.date}: {decision.reason}")
    lines.append(f"({finding.family} · rule {finding.rule} · finding {finding.id})")
    return "\n".join(_clean(line) for line in lines)


def summary_comment(result: DocumentResult, unplaced: Iterable[Finding] = ()) -> str:
    """The comment at the top: score, level, counts, missing elements, unplaced findings."""
    from contract_audit.report import labels as L

    lines: list[str] = []
    if result.risk is not None:
        lines.append(
            f"contract-audit: conflict-of-interest risk {result.risk.score}/100 "
            f"({L.label(L.LEVEL_LABELS, result.risk.level)})."
        )
    else:
        lines.append("contract-audit: conflict-of-interest review.")
    if result.engagement is not None:
        kind = L.label(L.ENGAGEMENT_LABELS, result.engagement.type)
        lines.append(f"Engagement: {kind} ({result.engagement.type}).")
    risks = [f for f in result.findings if f.family not in ("protection",)]
    counts = {s: sum(1 for f in risks if f.severity == s) for s in SEVERITIES}
    parts = [f"{n} {s}" for s, n in counts.items() if n]
    protections = sum(1 for f in result.findings if f.family == "protection")
    lines.append(
        f"Findings: {', '.join(parts) if parts else 'none'}; protections found: {protections}."
    )
    accepted = [d for d in result.decisions if d.action == "accept"]
    if accepted:
        lines.append(f"Accepted by a reviewer: {len(accepted)} (see their comments).")
    missing = [k for k, e in result.elements.items() if e.status == "missing"]
    if missing:
        names = [L.label(L.ELEMENT_LABELS, key) for key in missing]
        lines.append("Missing responsibility elements: " + ", ".join(names) + ".")
        for key, name in zip(missing, names, strict=True):
            if result.elements[key].recommendation:
                lines.append(f"- {name}: {result.elements[key].recommendation}")
    for f in unplaced:
        lines.append(f"Not anchored in the text: [{f.severity}] {f.title} — “{f.text}”")
    return "\n".join(_clean(line) for line in lines)


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _clean(text: str) -> str:
    """Comments are plain paragraphs: drop the characters XML 1.0 cannot hold."""
    return _NOT_XML.sub("", text.replace("\r", " ").replace("\n", " "))


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (b.exists() and a.samefile(b))
    except OSError:
        return False


def annotate_docx(
    source: str | Path,
    result: DocumentResult,
    output: str | Path,
    *,
    author: str = AUTHOR,
    initials: str = INITIALS,
    protections: bool = False,
) -> Annotation:
    """Write ``output``: a copy of ``source`` with a comment on each finding of ``result``."""
    import docx

    source, output = Path(source), Path(output)
    if _same_file(source, output):
        raise AnnotateError(f"{output}: refusing to overwrite the contract; choose another -o")
    try:
        data = source.read_bytes()  # read once: the source file is never opened for writing
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds for a broken package
        raise UnreadableDocx(f"{source}: cannot open as a Word document ({exc})") from None

    paragraphs = body_paragraphs(document)
    folded = Paragraphs([fold(paragraph_text(p)) for p in paragraphs])
    anchors: list[tuple[Finding, Anchor | None]] = []
    cursor = 0
    for finding in commentable(result.findings, protections=protections):
        anchor = locate(finding, folded, cursor)
        if anchor is not None:
            cursor = anchor.paragraph
        anchors.append((finding, anchor))

    unplaced = [f for f, a in anchors if a is None]
    top = next((i for i, f in enumerate(folded.items) if f.text), None)
    if top is None:
        raise AnnotateError(f"{source}: the document has no text to comment on")
    summary = document.comments.add_comment(
        summary_comment(result, unplaced), author=author, initials=initials
    )
    top_len = len(paragraph_text(paragraphs[top]))
    mark_comment(paragraphs[top], isolate(paragraphs[top], 0, top_len), summary.comment_id)

    placed: list[Placed] = []
    for finding, anchor in anchors:
        if anchor is None:
            placed.append(Placed(finding, None, None))
            continue
        p = paragraphs[anchor.paragraph]
        runs = isolate(p, anchor.start, anchor.end)
        if not runs:  # nothing visible to hold the comment (should not happen)
            placed.append(Placed(finding, None, None))
            continue
        comment = document.comments.add_comment(
            finding_comment(finding, result), author=author, initials=initials
        )
        mark_comment(p, runs, comment.comment_id)
        placed.append(Placed(finding, anchor, comment.comment_id))

    from contract_audit.report.atomic import atomic_write_bytes

    buffer = io.BytesIO()
    document.save(buffer)
    atomic_write_bytes(output, buffer.getvalue())
    return Annotation(source, output, tuple(placed), summary.comment_id)
