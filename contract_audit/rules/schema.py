"""The rule schema (pydantic v2, shipped with spaCy): what a rule file may say, field by field.

The loader validates every rule separately so that each error carries the rule id and the exact
field path; cross-rule checks (duplicate ids, unknown ``@lists`` and section names, spaCy token
pattern validity) happen in :mod:`contract_audit.rules.loader`, which knows the whole rule set.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from contract_audit import domain

KEBAB = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
EFFECT = re.compile(r"^(?:drop|protection|downgrade|upgrade|severity:(?:high|medium|low|info))$")
MIN_EXAMPLES = 2

Family = Literal[domain.FAMILIES]  # type: ignore[valid-type]
Element = Literal[domain.ELEMENTS]  # type: ignore[valid-type]
Severity = Literal[domain.SEVERITIES]  # type: ignore[valid-type]
EngagementType = Literal[domain.ENGAGEMENT_TYPES]  # type: ignore[valid-type]


def _scalar_text(value: Any) -> Any:
    """YAML scalars that must be text (ids, phrases, examples) are text even if they look like
    numbers or booleans: ``- 401k`` stays ``"401k"``, ``- 1.0`` becomes ``"1.0"``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return value


Text = Annotated[str, BeforeValidator(_scalar_text)]
Phrase = Annotated[str, BeforeValidator(_scalar_text), Field(min_length=1)]


def _cue_spec(value: Any) -> Any:
    """A cue list is either ``"@name"`` (a shared list) or an inline list of phrases."""
    if isinstance(value, str) and not value.startswith("@"):
        raise ValueError(f"expected a list of phrases or an '@list' reference, got {value!r}")
    return value


CueSpec = Annotated[str | list[Phrase], BeforeValidator(_cue_spec)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Qualifier(_Strict):
    """A ConText-style context check applied to every match of its rule."""

    name: Annotated[Text, Field(min_length=1)]
    cues: CueSpec | None = None
    party: Literal["provider", "client"] | None = None
    direction: Literal["before", "after", "both"] = "both"
    window: Annotated[int, Field(ge=1)] | Literal["sentence", "clause", "context"] = "sentence"
    terminators: CueSpec | None = None
    # words that void a cue right after them ("without" in "without the Client's consent"), and
    # phrases that void a cue right before them ("the Client's consent shall not be required")
    negators: CueSpec | None = None
    negators_after: CueSpec | None = None
    # false: a cue never matches a name the contract defines (a client defined as "the Insurer"
    # is the client, not the insurance trade a cue "insurer" is about)
    defined_names: bool = True
    when: Literal["present", "absent"] = "present"
    effect: Text

    @model_validator(mode="after")
    def _check(self) -> Qualifier:
        if (self.cues is None) == (self.party is None):
            raise ValueError("a qualifier needs exactly one of 'cues' or 'party'")
        windowed = (self.terminators, self.negators, self.negators_after)
        if self.party is not None and any(spec is not None for spec in windowed):
            raise ValueError("'terminators' and negators only apply to 'cues' qualifiers")
        if self.party is not None and not self.defined_names:
            raise ValueError("'defined_names' only applies to 'cues' qualifiers")
        if self.window == "context" and self.when != "absent":
            raise ValueError("'window: context' only applies to 'when: absent' (a required topic)")
        if not EFFECT.match(self.effect):
            raise ValueError(
                f"unknown effect {self.effect!r}: expected drop, protection, downgrade, upgrade "
                "or severity:<high|medium|low|info>"
            )
        return self


class Patterns(_Strict):
    phrases: list[Phrase] = []
    tokens: list[list[dict[str, Any]]] = []

    @model_validator(mode="after")
    def _not_empty(self) -> Patterns:
        if not self.phrases and not self.tokens:
            raise ValueError("a rule needs at least one of 'phrases' or 'tokens'")
        return self


class Example(_Strict):
    """One example sentence (or short passage) the rule must (or must not) report.

    ``matched`` checks the matched words, ``family`` the family of the finding (default: the
    rule's own; use ``protection`` for a sentence a qualifier turns into a protection),
    ``severity`` the severity after qualifiers, ``section`` a heading to place the text under
    (for rules gated by ``sections``)."""

    text: Annotated[Text, Field(min_length=1)]
    matched: Text | None = None
    family: Family | None = None
    severity: Severity | None = None
    section: Text | None = None


def _example(value: Any) -> Any:
    return {"text": value} if isinstance(value, str | int | float) else value


ExampleItem = Annotated[Example, BeforeValidator(_example)]


class Examples(_Strict):
    match: Annotated[list[ExampleItem], Field(min_length=MIN_EXAMPLES)]
    no_match: Annotated[list[ExampleItem], Field(min_length=MIN_EXAMPLES)]


class Rule(_Strict):
    """One detection rule. Immutable and picklable (it travels to worker processes)."""

    id: Text
    family: Family | None = None
    kind: Literal["presence", "requirement", "signal"]
    element: Element | None = None
    severity: Severity | None = None
    title: Annotated[Text, Field(min_length=1)]
    rationale: Text = ""
    recommendation: Text = ""
    protection_title: Text | None = None
    overrides: list[Text] = []
    scope: Literal["sentence", "clause", "document"] = "sentence"
    patterns: Patterns
    anchors: list[Phrase] = []
    sections: list[Text] = []
    qualifiers: list[Qualifier] = []
    examples: Examples
    engagement: EngagementType | None = None
    weight: float | None = None
    # a signal that says what kind of business the provider runs (managed services, "an
    # independent consultancy"), not just that there is an advisor: see engagement.classify
    provider_evidence: bool = False
    # a protection that also defines a responsibility element: a duty to disclose conflicts is
    # the conflict-disclosure element, whichever rule reads it (see docs/rule-language.md)
    evidence_for: Element | None = None

    @property
    def effective_severity(self) -> str:
        return self.severity or "info"


Loc = tuple[str | int, ...]


def check_rule(rule: Rule) -> list[tuple[Loc, str]]:
    """Checks that depend on the rule's kind, each with the path of the offending field."""
    problems: list[tuple[Loc, str]] = []
    add = problems.append
    if not KEBAB.match(rule.id):
        add((("id",), f"{rule.id!r} is not kebab-case (a-z, 0-9 and '-')"))
    if rule.kind == "presence":
        if rule.family not in ("vendor-incentive", "divided-loyalty", "protection"):
            add(
                (("family",), "presence rules need vendor-incentive, divided-loyalty or protection")
            )
    elif rule.kind == "requirement":
        if rule.family != "missing-responsibility":
            add((("family",), "requirement rules need family missing-responsibility"))
        if rule.element is None:
            add(
                (
                    ("element",),
                    "requirement rules need an element (one of " + ", ".join(domain.ELEMENTS) + ")",
                )
            )
    if rule.kind != "requirement" and rule.element is not None:
        add((("element",), "only requirement rules take an element"))
    if rule.kind == "signal":
        if rule.engagement is None:
            add((("engagement",), "signal rules need an engagement"))
        if rule.weight is None:
            add((("weight",), "signal rules need a weight"))
    else:
        for name in ("engagement", "weight"):
            if getattr(rule, name) is not None:
                add(((name,), "only signal rules take an engagement and a weight"))
        if rule.provider_evidence:
            add((("provider_evidence",), "only signal rules take provider_evidence"))
        for name in ("severity", "rationale", "recommendation"):
            if not getattr(rule, name):
                add(((name,), f"{rule.kind} rules need a {name}"))
    if rule.protection_title and rule.kind != "presence":
        add((("protection_title",), "only presence rules take a protection_title"))
    if rule.evidence_for and (rule.kind != "presence" or rule.family != "protection"):
        add((("evidence_for",), "only presence rules of family protection take evidence_for"))
    if rule.overrides and rule.kind != "presence":
        add((("overrides",), "only presence rules (a protection or a risk) take overrides"))
    for i, q in enumerate(rule.qualifiers):
        if q.effect != "drop" and rule.kind != "presence":
            add((("qualifiers", i, "effect"), f"{rule.kind} rules only take effect drop"))
        if q.effect == "protection" and rule.family == "protection":
            add((("qualifiers", i, "effect"), "a protection rule cannot turn into a protection"))
    for i, word in enumerate(rule.anchors):
        if word != word.lower() or len(word.split()) != 1:
            add((("anchors", i), f"anchor {word!r} must be one lowercase word"))
    for kind in ("match", "no_match"):
        for i, ex in enumerate(getattr(rule.examples, kind)):
            if ex.family and rule.kind != "presence":
                add((("examples", kind, i, "family"), "only presence rule examples take a family"))
            if kind == "no_match" and (ex.matched or ex.family or ex.severity):
                add((("examples", kind, i), "no_match examples take only text and section"))
    return problems
