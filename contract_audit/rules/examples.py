"""Rules test themselves: run each rule's examples through the full engine, in isolation.

Semantics (see docs/rule-language.md, *Examples*):

- presence rule, ``match``: the rule yields a finding of the example's ``family`` (default: the
  rule's own family; write ``family: protection`` for a sentence a qualifier turns into a
  protection), with the ``matched`` words and ``severity`` when those are given;
- presence rule, ``no_match``: the rule yields no finding of its own family (a protection made
  by a qualifier is allowed: that is the point of the qualifier);
- requirement rule: ``match`` means the rule yields evidence for its element, ``no_match`` none;
- signal rule: ``match`` means the rule yields a signal, ``no_match`` none.

An example with ``section`` is placed under a heading of that name, for section-gated rules.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from contract_audit.model import Document, Page, Section
from contract_audit.rules.loader import RuleSet


@dataclass(frozen=True, slots=True)
class ExampleCase:
    rule: str
    kind: str  # "match" | "no_match"
    index: int  # 0-based position in the rule's list
    text: str

    @property
    def case_id(self) -> str:
        return f"{self.rule}-{self.kind}-{self.index}"


@dataclass(frozen=True, slots=True)
class ExampleFailure:
    case: ExampleCase
    message: str
    source: str = ""  # "file:line" of the rule

    def __str__(self) -> str:
        where = f"{self.source}: " if self.source else ""
        case = self.case
        field = f"examples.{case.kind}[{case.index}]"
        return f"{where}rule {case.rule}: {field}: {self.message}\n    text: {case.text}"


def example_cases(ruleset: RuleSet) -> Iterator[ExampleCase]:
    for rule in ruleset.rules:
        for kind in ("match", "no_match"):
            for i, ex in enumerate(getattr(rule.examples, kind)):
                yield ExampleCase(rule.id, kind, i, ex.text)


def example_document(text: str, section: str | None = None) -> Document:
    """A one-page document holding ``text`` (under a ``section`` heading when given)."""
    if section:
        full = f"{section}\n\n{text}"
        return Document(
            text=full,
            pages=(Page(1, 0, len(full)),),
            sections=(Section("", section, 0, len(full), 1, None),),
        )
    return Document(text=text, pages=(Page(1, 0, len(text)),))


def _fold(text: str) -> str:
    return " ".join(text.lower().split())


def _describe(items: list[Any]) -> str:
    if not items:
        return "nothing"
    parts = []
    for f in items:
        family = getattr(f, "family", "")
        hits = ", ".join(f"{q.name}: {q.cue!r} -> {q.effect}" for q in getattr(f, "qualifiers", ()))
        parts.append(f"{family} {f.match!r}".strip() + (f" [{hits}]" if hits else ""))
    return "; ".join(parts)


def run_case(ruleset: RuleSet, case: ExampleCase) -> str | None:
    """None when the example behaves as declared, else a readable reason.

    ``ruleset`` should hold just the rule (see :meth:`RuleSet.subset`) so other rules cannot
    make or mask the result."""
    from contract_audit.engine import TraceEvent, match

    rule = ruleset.get(case.rule)
    ex = getattr(rule.examples, case.kind)[case.index]
    trace: list[TraceEvent] = []
    result = match(example_document(ex.text, ex.section), ruleset, trace=trace)
    if rule.kind == "presence":
        produced: list[Any] = [f for f in result.findings if f.rule == rule.id]
        wanted_family = ex.family or rule.family
        what = f"a {wanted_family} finding"
    elif rule.kind == "requirement":
        produced = [e for e in result.evidence.get(rule.element, ()) if e.rule == rule.id]
        wanted_family = None
        what = f"evidence for element {rule.element}"
    else:
        produced = [s for s in result.signals if s.rule == rule.id]
        wanted_family = None
        what = f"a {rule.engagement} signal"
    why = "; ".join(f"{t.match!r} {t.status}: {t.reason}" for t in trace if t.status != "merged")
    why = f" ({why})" if why else ""
    merged = [
        t.match
        for t in trace
        if t.status == "merged" and (wanted_family is None or t.reason == wanted_family)
    ]
    if case.kind == "no_match":
        own = [p for p in produced if getattr(p, "family", rule.family) == rule.family]
        return f"expected no match, got {_describe(own)}" if own else None
    hits = [p for p in produced if wanted_family is None or p.family == wanted_family]
    if not hits:
        got = f", got {_describe(produced)}" if produced else ""
        return f"expected {what}{got}{why or ' (no pattern matched)' if not produced else ''}"
    matched = [p.match for p in hits] + merged
    if ex.matched is not None and not any(_fold(m) == _fold(ex.matched) for m in matched):
        return f"expected the match {ex.matched!r}, got {_describe(hits)}"
    if ex.severity is not None and not any(p.severity == ex.severity for p in hits):
        severities = ", ".join(sorted({p.severity for p in hits}))
        return f"expected severity {ex.severity}, got {severities}"
    return None


def check_examples(ruleset: RuleSet) -> tuple[int, list[ExampleFailure]]:
    """Run every example of every rule; return (number of cases, failures)."""
    failures = []
    total = 0
    for rule in ruleset.rules:
        single = ruleset.isolate(rule.id)
        for case in example_cases(single):
            total += 1
            message = run_case(single, case)
            if message:
                failures.append(ExampleFailure(case, message, ruleset.sources.get(rule.id, "")))
    return total, failures
