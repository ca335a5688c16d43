"""Compare two drafts of a contract: which risks were resolved, introduced, kept or edited.

Findings are paired in two passes. First by fingerprint: a finding's ``id`` is computed from its
rule and its normalised text without section numbers, so it survives renumbering and moved
clauses. Then, among what is left, findings of the same rule are paired as *changed* (a clause
edited but still carrying the risk) when their texts are near-identical (token-set Jaccard >=
``threshold``) or, failing that, when they sit under the same section heading (numbers ignored)
and share most of their words (>= 60 % of the shorter clause's): a clause edited in place, such
as a fee lowered from 15 % to 12 %. A pair with exactly the same words and verdict (only
numbering, layout or punctuation differ, e.g. a clause moved out of a table) is *unchanged*.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from contract_audit.domain import ELEMENTS, at_or_above, severity_rank
from contract_audit.engine import normalise  # the text the finding fingerprint is built from
from contract_audit.results import Decision, DocumentResult, Finding

STATUSES: tuple[str, ...] = ("introduced", "resolved", "changed", "unchanged")
DEFAULT_THRESHOLD = 0.8
_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
_LABEL_NOISE = re.compile(r"^(?:\d+|[ivxlc]{1,4}|[a-z]|section|article|clause)$")
SAME_SECTION_OVERLAP = 0.6


@dataclass(frozen=True, slots=True)
class FindingChange:
    """One finding and its counterpart in the other draft (``None`` when it has none)."""

    status: str  # one of STATUSES
    old: Finding | None
    new: Finding | None
    similarity: float  # 1.0 for a fingerprint match, Jaccard for "changed", 0.0 otherwise

    @property
    def finding(self) -> Finding:
        """The finding to show: the new draft's when there is one."""
        found = self.new or self.old
        assert found is not None
        return found

    @property
    def severity_change(self) -> str | None:
        """``"old -> new"`` when the severity moved between drafts."""
        if self.old and self.new and self.old.severity != self.new.severity:
            return f"{self.old.severity} -> {self.new.severity}"
        return None

    @property
    def is_new_risk(self) -> bool:
        """Introduced, or edited into a more severe (or no longer protective) finding."""
        if self.status == "introduced":
            return True
        if self.status != "changed" or self.old is None or self.new is None:
            return False
        if self.old.family == "protection" and self.new.family != "protection":
            return True
        return severity_rank(self.new.severity) < severity_rank(self.old.severity)

    def to_dict(self) -> dict:
        return {
            "status": self.status,
            "id": self.finding.id,
            "rule": self.finding.rule,
            "family": self.finding.family,
            "severity": self.finding.severity,
            "title": self.finding.title,
            "similarity": round(self.similarity, 3),
            "old": self.old.to_dict() if self.old else None,
            "new": self.new.to_dict() if self.new else None,
        }


@dataclass(frozen=True, slots=True)
class ElementChange:
    """A responsibility element that became defined or undefined in the new draft."""

    element: str
    change: str  # "defined" | "undefined"
    old_status: str
    new_status: str

    def to_dict(self) -> dict:
        return {
            "element": self.element,
            "change": self.change,
            "old_status": self.old_status,
            "new_status": self.new_status,
        }


@dataclass(frozen=True)
class Comparison:
    """Everything that changed between two drafts (the old one first)."""

    old: DocumentResult
    new: DocumentResult
    changes: tuple[FindingChange, ...]
    elements: tuple[ElementChange, ...]
    threshold: float = DEFAULT_THRESHOLD

    def with_status(self, status: str) -> tuple[FindingChange, ...]:
        return tuple(c for c in self.changes if c.status == status)

    @property
    def introduced(self) -> tuple[FindingChange, ...]:
        return self.with_status("introduced")

    @property
    def resolved(self) -> tuple[FindingChange, ...]:
        return self.with_status("resolved")

    @property
    def changed(self) -> tuple[FindingChange, ...]:
        return self.with_status("changed")

    @property
    def unchanged(self) -> tuple[FindingChange, ...]:
        return self.with_status("unchanged")

    @property
    def old_score(self) -> int | None:
        return self.old.risk.score if self.old.risk else None

    @property
    def new_score(self) -> int | None:
        return self.new.risk.score if self.new.risk else None

    @property
    def score_delta(self) -> int | None:
        if self.old_score is None or self.new_score is None:
            return None
        return self.new_score - self.old_score

    def new_risks_at_or_above(self, threshold: str) -> list[Finding]:
        """Introduced (or worsened, via "changed") risks at or above ``threshold`` that the new
        draft's reviewer has not accepted: what ``--fail-on-new`` fails on."""
        failing: list[Finding] = []
        for change in self.changes:
            f = change.new
            if f is None or f.family == "protection" or not change.is_new_risk:
                continue
            decision = self.new.decision_for(f.id)
            accepted = decision is not None and decision.action == "accept"
            if at_or_above(f.severity, threshold) and not accepted:
                failing.append(f)
        return failing

    def decision_for(self, change: FindingChange) -> Decision | None:
        """The reviewer's decision on this finding: the new draft's, else (for a finding that
        did not change) the one taken on the old draft, which still applies to the same words."""
        if change.new is not None:
            decision = self.new.decision_for(change.new.id)
            if decision is not None:
                return decision
        if change.old is not None and change.status == "unchanged":
            return self.old.decision_for(change.old.id)
        return None

    def counts(self) -> dict[str, int]:
        return {s: len(self.with_status(s)) for s in STATUSES}

    def to_dict(self) -> dict:
        return {
            "old": _summary(self.old),
            "new": _summary(self.new),
            "risk": {
                "old_score": self.old_score,
                "new_score": self.new_score,
                "delta": self.score_delta,
                "old_level": self.old.risk.level if self.old.risk else None,
                "new_level": self.new.risk.level if self.new.risk else None,
            },
            "counts": self.counts(),
            "findings": [
                {**c.to_dict(), "decision": d.to_dict() if (d := self.decision_for(c)) else None}
                for c in self.changes
            ],
            "elements": [e.to_dict() for e in self.elements],
            "similarity_threshold": self.threshold,
        }


def _summary(result: DocumentResult) -> dict:
    return {
        "path": result.path,
        "sha256": result.sha256,
        "status": result.status,
        "engagement": result.engagement.type if result.engagement else None,
    }


def tokens(text: str) -> frozenset[str]:
    return frozenset(_WORD.findall(normalise(text).replace("’", "'")))


def jaccard(a: str, b: str) -> float:
    """Token-set Jaccard similarity of two clauses (1.0 = same words)."""
    ta, tb = tokens(a), tokens(b)
    if not ta and not tb:
        return 1.0
    return len(ta & tb) / len(ta | tb)


def overlap(a: str, b: str) -> float:
    """Share of the shorter clause's words found in the other (overlap coefficient)."""
    ta, tb = tokens(a), tokens(b)
    if not ta or not tb:
        return 0.0
    return len(ta & tb) / min(len(ta), len(tb))


def heading_words(section: str | None) -> frozenset[str]:
    """The words of a section label without its number: ``"7.2 Pricing"`` -> ``{"pricing"}``."""
    words = _WORD.findall((section or "").lower())
    return frozenset(w for w in words if not _LABEL_NOISE.match(w))


def _same_heading(a: Finding, b: Finding) -> bool:
    words = heading_words(a.section)
    return bool(words) and words == heading_words(b.section)


def pair_findings(
    old: Sequence[Finding], new: Sequence[Finding], threshold: float = DEFAULT_THRESHOLD
) -> list[FindingChange]:
    """Pair ``old`` and ``new`` findings (see the module docstring); unpaired old findings are
    resolved and unpaired new ones introduced."""
    changes: list[FindingChange] = []
    unmatched_old = list(old)
    unmatched_new: list[Finding] = []
    for finding in new:  # pass 1: fingerprints (pair duplicates one to one, in order)
        twin = next((f for f in unmatched_old if f.id == finding.id), None)
        if twin is None:
            unmatched_new.append(finding)
        else:
            unmatched_old.remove(twin)
            changes.append(FindingChange("unchanged", twin, finding, 1.0))
    # Pass 2: same rule, near-identical text (tier 0), or the same section heading with most
    # words shared (tier 1: a clause edited more heavily where it stands). Best pairs first.
    candidates = []
    for i, o in enumerate(unmatched_old):
        for j, n in enumerate(unmatched_new):
            if o.rule != n.rule:
                continue
            score = jaccard(o.text, n.text)
            if score >= threshold:
                candidates.append((0, -score, i, j, score))
            elif _same_heading(o, n) and overlap(o.text, n.text) >= SAME_SECTION_OVERLAP:
                candidates.append((1, -score, i, j, score))
    candidates.sort()
    used_old: set[int] = set()
    used_new: set[int] = set()
    for _tier, _neg, i, j, score in candidates:
        if i in used_old or j in used_new:
            continue
        used_old.add(i)
        used_new.add(j)
        o, n = unmatched_old[i], unmatched_new[j]
        # Same words (only numbering, layout or punctuation moved) and same verdict: unchanged.
        same = score == 1.0 and (o.severity, o.family) == (n.severity, n.family)
        changes.append(FindingChange("unchanged" if same else "changed", o, n, score))
    changes += [
        FindingChange("resolved", f, None, 0.0)
        for i, f in enumerate(unmatched_old)
        if i not in used_old
    ]
    changes += [
        FindingChange("introduced", None, f, 0.0)
        for j, f in enumerate(unmatched_new)
        if j not in used_new
    ]
    return sorted(changes, key=_order)


def _order(change: FindingChange) -> tuple:
    f = change.finding
    return (
        STATUSES.index(change.status),
        f.family == "protection",
        severity_rank(f.severity),
        f.start,
    )


def element_changes(old: DocumentResult, new: DocumentResult) -> list[ElementChange]:
    """Elements present in one draft and missing in the other (in the domain's order)."""
    changes: list[ElementChange] = []
    extra = sorted((set(old.elements) | set(new.elements)) - set(ELEMENTS))
    for element in (*ELEMENTS, *extra):
        was = old.elements.get(element)
        now = new.elements.get(element)
        before = was.status if was else "not-assessed"
        after = now.status if now else "not-assessed"
        if before == "missing" and after == "present":
            changes.append(ElementChange(element, "defined", before, after))
        elif before == "present" and after == "missing":
            changes.append(ElementChange(element, "undefined", before, after))
    return changes


def compare_results(
    old: DocumentResult, new: DocumentResult, *, threshold: float = DEFAULT_THRESHOLD
) -> Comparison:
    """Compare two analysed drafts (old first)."""
    return Comparison(
        old=old,
        new=new,
        changes=tuple(pair_findings(old.findings, new.findings, threshold)),
        elements=tuple(element_changes(old, new)),
        threshold=threshold,
    )
