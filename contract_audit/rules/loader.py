"""Load rule folders into a validated, immutable :class:`RuleSet`.

Every problem is collected (not just the first) and reported as
``file:line: rule <id>: field <name>: message`` so a rule author can fix a whole file in one go.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from contract_audit import domain
from contract_audit.qualifiers import slot_names
from contract_audit.rules.yamlread import Loc, YamlProblem, line_of, read_yaml

MIN_EXAMPLES = 2  # mirrors schema.MIN_EXAMPLES (kept here so importing this module stays light)
ENV_PATTERNS = "CONTRACT_AUDIT_PATTERNS"
RULE_FILE_KEYS = ("description", "rules")
VOCAB_FILE_KEYS = ("description", "cues", "sections")
# Token attributes a blank pipeline never sets: a pattern using them could never match.
UNAVAILABLE_ATTRS = frozenset(
    {
        "LEMMA",
        "POS",
        "TAG",
        "MORPH",
        "DEP",
        "ENT_TYPE",
        "ENT_IOB",
        "ENT_ID",
        "ENT_KB_ID",
        "SENT_START",
        "IS_SENT_START",
        "SENT_END",
        "IS_SENT_END",
        "_",
    }
)
CASE_FOLDED_ATTRS = ("LOWER", "NORM")


@dataclass(frozen=True, slots=True)
class RuleProblem:
    """One located problem in a rule file."""

    file: str
    message: str
    line: int | None = None
    rule: str | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line else "")
        parts = [where]
        if self.rule:
            parts.append(f"rule {self.rule}")
        if self.field:
            parts.append(f"field {self.field}")
        parts.append(self.message)
        return ": ".join(parts)


class RuleError(Exception):
    """Invalid rule files. ``problems`` holds one located message per problem."""

    def __init__(self, problems: Iterable[RuleProblem | str]) -> None:
        self.details: list[RuleProblem] = [
            p if isinstance(p, RuleProblem) else RuleProblem("", str(p)) for p in problems
        ]
        self.problems: list[str] = [str(p).lstrip(": ") for p in self.details]
        super().__init__("\n".join(self.problems))


def default_rules_dir() -> Path:
    """The shipped ``patterns/`` folder (``$CONTRACT_AUDIT_PATTERNS`` overrides it)."""
    env = os.environ.get(ENV_PATTERNS)
    if env:
        return Path(env)
    import contract_audit

    return Path(contract_audit.__file__).resolve().parents[1] / "patterns"


def _field_name(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


@dataclass(frozen=True, eq=False)
class RuleSet:
    """Validated rules plus the shared vocabularies they reference. Picklable.

    ``version`` hashes the content (rules and vocabularies), so compiled matchers can be
    cached per version and reports can say which rules produced them."""

    rules: tuple[Any, ...]  # tuple[Rule, ...]; Any keeps pydantic out of module import
    cues: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    sections: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    sources: Mapping[str, str] = field(default_factory=dict)  # rule id -> "file:line"
    version: str = ""

    @classmethod
    def build(
        cls,
        rules: Iterable[Any],
        cues: Mapping[str, tuple[str, ...]],
        sections: Mapping[str, tuple[str, ...]],
        sources: Mapping[str, str] | None = None,
    ) -> RuleSet:
        rules = tuple(rules)
        payload = {
            "rules": [r.model_dump(mode="json") for r in rules],
            "cues": {k: list(v) for k, v in sorted(cues.items())},
            "sections": {k: list(v) for k, v in sorted(sections.items())},
        }
        digest = hashlib.sha1(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:12]
        return cls(rules, dict(cues), dict(sections), dict(sources or {}), digest)

    def __iter__(self) -> Iterator[Any]:
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(r.id for r in self.rules)

    def get(self, rule_id: str) -> Any:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)

    def isolate(self, rule_id: str) -> RuleSet:
        """The rule alone, with the protections that override it (its examples may rely on
        them: "Nothing obliges the Buyer to purchase ..." is no mandatory-purchase risk)."""
        return self.subset([rule_id, *(r.id for r in self.rules if rule_id in r.overrides)])

    def subset(self, ids: Iterable[str]) -> RuleSet:
        """Only the rules named (used to run a rule's examples in isolation)."""
        wanted = set(ids)
        return RuleSet.build(
            (r for r in self.rules if r.id in wanted), self.cues, self.sections, self.sources
        )

    def with_overrides(
        self,
        disabled: Iterable[str] = (),
        severities: Mapping[str, str] | None = None,
    ) -> RuleSet:
        """A copy without the ``disabled`` rules and with ``severities`` ({id: level}) applied.

        Playbooks use this; an unknown rule id or severity is a :class:`RuleError` so a typo in a
        playbook is not silently ignored."""
        severities = dict(severities or {})
        disabled = set(disabled)
        known = set(self.ids)
        problems = [f"disabled: unknown rule id {i!r}" for i in sorted(disabled - known)]
        problems += [f"severities: unknown rule id {i!r}" for i in sorted(set(severities) - known)]
        problems += [
            f"severities: rule {i}: {s!r} is not one of {', '.join(domain.SEVERITIES)}"
            for i, s in severities.items()
            if s not in domain.SEVERITIES
        ]
        if problems:
            raise RuleError(problems)
        rules = [
            r.model_copy(update={"severity": severities[r.id]}) if r.id in severities else r
            for r in self.rules
            if r.id not in disabled
        ]
        return RuleSet.build(rules, self.cues, self.sections, self.sources)


# --------------------------------------------------------------------------- loading


@dataclass
class _Loaded:
    """A rule as read: ``rule`` is None when it failed validation (``raw`` is still checked)."""

    rid: str
    raw: dict
    rule: Any
    file: str
    lines: dict[Loc, int]
    base: Loc  # the rule's path inside its file, e.g. ("rules", 3)

    def problem(self, loc: Loc, message: str) -> RuleProblem:
        return RuleProblem(
            self.file,
            message,
            line_of(self.lines, (*self.base, *loc)),
            self.rid,
            _field_name(loc) or None,
        )


def _rule_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix in (".yml", ".yaml") and p.is_file())


def _pydantic_problems(exc: Any, file: str, rule_id: str | None, lines: dict, base: Loc) -> list:
    out = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        # Drop pydantic's union/validator branch names so the field path is the YAML path.
        loc = tuple(
            p
            for p in loc
            if isinstance(p, int)
            or not str(p).startswith(("function-", "list[", "str", "int", "literal["))
        )
        message = err["msg"]
        if err["type"] == "extra_forbidden":
            message = f"unknown key {loc[-1]!r}" if loc else "unknown key"
        elif err["type"] == "missing":
            message = "missing required field"
        elif err["type"] == "too_short" and loc and loc[0] == "examples":
            found = len(err.get("input") or [])
            message = f"needs at least {MIN_EXAMPLES} examples, found {found}"
        elif message.startswith("Value error, "):
            message = message.removeprefix("Value error, ")
        out.append(
            RuleProblem(
                file, message, line_of(lines, (*base, *loc)), rule_id, _field_name(loc) or None
            )
        )
    return out


def _load_vocab(path: Path, data: Any, lines: dict[Loc, int], cues: dict, sections: dict) -> list:
    from contract_audit.rules.schema import KEBAB

    file = str(path)
    problems: list[RuleProblem] = []
    if not isinstance(data, dict):
        return [RuleProblem(file, "expected a mapping with 'cues:' and/or 'sections:'", 1)]
    for key in data:
        if key not in VOCAB_FILE_KEYS:
            problems.append(
                RuleProblem(file, f"unknown top-level key {key!r}", line_of(lines, (key,)))
            )
    for kind, target in (("cues", cues), ("sections", sections)):
        lists = data.get(kind) or {}
        if not isinstance(lists, dict):
            problems.append(
                RuleProblem(file, f"'{kind}' must map names to lists", line_of(lines, (kind,)))
            )
            continue
        for name, words in lists.items():
            where = line_of(lines, (kind, name))
            if not isinstance(name, str) or not KEBAB.match(name):
                problems.append(
                    RuleProblem(
                        file, f"list name {name!r} is not kebab-case", where, field=f"{kind}.{name}"
                    )
                )
            if not isinstance(words, list) or not words:
                problems.append(
                    RuleProblem(
                        file, "expected a non-empty list of phrases", where, field=f"{kind}.{name}"
                    )
                )
                continue
            clean = []
            for i, w in enumerate(words):
                if (
                    isinstance(w, bool)
                    or not isinstance(w, str | int | float)
                    or not str(w).strip()
                ):
                    problems.append(
                        RuleProblem(
                            file,
                            f"entry {w!r} is not a phrase",
                            line_of(lines, (kind, name, i)),
                            field=f"{kind}.{name}[{i}]",
                        )
                    )
                else:
                    clean.append(str(w).strip())  # matched on lowercase tokens
            target[str(name)] = tuple(dict.fromkeys(clean))
    return problems


def _load_rule_file(path: Path, data: Any, lines: dict[Loc, int]) -> tuple[list[_Loaded], list]:
    from pydantic import ValidationError

    from contract_audit.rules.schema import Rule, check_rule

    file = str(path)
    if data is None:
        return [], []
    if not isinstance(data, dict):
        return [], [RuleProblem(file, "expected a mapping with a top-level 'rules:' list", 1)]
    problems = [
        RuleProblem(
            file,
            f"unknown top-level key {k!r} (a rule file holds 'rules:' and 'description:')",
            line_of(lines, (k,)),
        )
        for k in data
        if k not in RULE_FILE_KEYS
    ]
    raw_rules = data.get("rules") or []
    if not isinstance(raw_rules, list):
        return [], [
            *problems,
            RuleProblem(file, "'rules' must be a list", line_of(lines, ("rules",))),
        ]
    loaded = []
    for i, raw in enumerate(raw_rules):
        base: Loc = ("rules", i)
        rid = raw.get("id") if isinstance(raw, dict) else None
        rid = str(rid) if rid is not None else f"#{i + 1}"
        if not isinstance(raw, dict):
            problems.append(
                RuleProblem(file, "a rule must be a mapping", line_of(lines, base), rid)
            )
            continue
        try:
            rule = Rule.model_validate(raw)
        except ValidationError as exc:
            problems += _pydantic_problems(exc, file, rid, lines, base)
            rule = None
        item = _Loaded(rid, raw, rule, file, lines, base)
        if rule is not None:
            problems += [item.problem(loc, msg) for loc, msg in check_rule(rule)]
        loaded.append(item)
    return loaded, problems


_SPACY_ERROR = re.compile(r"^\[pattern -> (\d+)(?: -> ([^\]]+))?\] (.*)$")


def _spacy_message(error: str) -> str:
    """``[pattern -> 1 -> FOO] Extra inputs...`` -> ``token 1: unknown attribute FOO``."""
    m = _SPACY_ERROR.match(error)
    if not m:
        return error
    token, where, message = m.groups()
    if message.startswith("Extra inputs") and where:
        return f"token {token}: unknown attribute {where.split(' -> ')[-1]}"
    return f"token {token}: {where + ': ' if where else ''}{message}"


def _check_token_pattern(pattern: Any) -> list[str]:
    """spaCy's own validator plus the blank-pipeline limits it cannot know about."""
    from spacy.schemas import validate_token_pattern

    if not isinstance(pattern, list) or not pattern:
        return ["a token pattern is a non-empty list of token specs"]
    errors = [_spacy_message(e) for e in validate_token_pattern(pattern)]
    if errors:
        return errors
    for t, spec in enumerate(pattern):
        for attr, value in spec.items():
            if attr.upper() in UNAVAILABLE_ATTRS:
                errors.append(
                    f"token {t}: {attr} needs a trained pipeline; the blank pipeline only sets "
                    "tokenizer attributes (LOWER, ORTH, TEXT, REGEX, IS_*, LIKE_NUM, LENGTH)"
                )
            if attr.upper() in CASE_FOLDED_ATTRS:
                values = value.get("IN", []) if isinstance(value, dict) else [value]
                for v in values:
                    if isinstance(v, str) and v != v.lower():
                        errors.append(f"token {t}: {attr} {v!r} has capitals so it can never match")
    if all(spec.get("OP") in ("?", "*", "!") for spec in pattern):
        errors.append("every token is optional or negated: the pattern could match nothing")
    if not errors:
        from spacy.matcher import Matcher

        from contract_audit.nlp import get_nlp

        try:
            Matcher(get_nlp().vocab, validate=True).add("check", [pattern])
        except Exception as exc:  # spaCy raises ValueError / MatchPatternError variants
            errors.append(str(exc).splitlines()[0])
    return errors


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _check_references(item: _Loaded, cues: Mapping, sections: Mapping) -> list[RuleProblem]:
    """Checks needing the whole rule set; they read the raw mapping so that a rule failing
    schema validation still gets its token patterns and references checked."""
    raw = item.raw
    problems = []
    for i, q in enumerate(_list(raw.get("qualifiers"))):
        for name in ("cues", "terminators", "negators", "negators_after"):
            spec = q.get(name) if isinstance(q, dict) else None
            if isinstance(spec, str) and spec.startswith("@") and spec[1:] not in cues:
                known = ", ".join("@" + c for c in sorted(cues)) or "none defined"
                msg = f"unknown cue list {spec!r} (known: {known})"
                problems.append(item.problem(("qualifiers", i, name), msg))
            for j, phrase in enumerate(_list(spec)):
                for slot in slot_names(str(phrase)):
                    if slot not in cues:
                        known = ", ".join(sorted(cues)) or "none defined"
                        msg = f"unknown cue list {{{slot}}} in {phrase!r} (known: {known})"
                        problems.append(item.problem(("qualifiers", i, name, j), msg))
    for i, s in enumerate(_list(raw.get("sections"))):
        if isinstance(s, str) and s not in sections:
            known = ", ".join(sorted(sections)) or "none defined"
            msg = f"unknown section gate {s!r} (known: {known})"
            problems.append(item.problem(("sections", i), msg))
    patterns = raw.get("patterns")
    tokens = patterns.get("tokens") if isinstance(patterns, dict) else None
    for i, pattern in enumerate(_list(tokens)):
        for msg in _check_token_pattern(pattern):
            problems.append(item.problem(("patterns", "tokens", i), msg))
    return problems


def _check_overrides(item: _Loaded, by_id: Mapping[str, _Loaded]) -> list[RuleProblem]:
    """A protection overrides risk rules, and a risk rule the evidence of requirement rules,
    that exist: a typo must not silently disable it."""
    problems = []
    risk = item.rule is not None and item.rule.family not in (None, "protection")
    for j, rid in enumerate(_list(item.raw.get("overrides"))):
        target = by_id.get(rid)
        rule = target.rule if target is not None else None
        if target is None:
            problems.append(item.problem(("overrides", j), f"unknown rule id {rid!r}"))
        elif rule is None:
            continue
        elif risk and rule.kind != "requirement":
            msg = f"{rid!r} is not a requirement rule (a risk rule overrides only evidence)"
            problems.append(item.problem(("overrides", j), msg))
        elif not risk and (rule.kind != "presence" or rule.family == "protection"):
            msg = f"{rid!r} is not a risk rule (a presence rule of a risk family)"
            problems.append(item.problem(("overrides", j), msg))
    return problems


def _problem_order(p: RuleProblem) -> tuple:
    return (p.file, p.line or 0)


def load_rules(dirs: Iterable[str | Path] = (), *, include_default: bool = True) -> Any:
    """Load the shipped rules (unless ``include_default`` is false) then each folder of ``dirs``.

    A later folder's rule replaces an earlier rule with the same id (so a user can override a
    shipped rule); the same id twice within one folder is an error. The shared vocabularies
    (``_*.yml``) of the shipped folder are always loaded, because user rules reference them;
    a user ``_*.yml`` list with the same name replaces the shipped one.
    Raises :class:`RuleError` listing every problem found."""
    default = default_rules_dir()
    folders: list[tuple[Path, bool]] = [(default, include_default)]
    folders += [(Path(d), True) for d in dirs]
    problems: list[RuleProblem] = []
    cues: dict[str, tuple[str, ...]] = {}
    sections: dict[str, tuple[str, ...]] = {}
    by_id: dict[str, _Loaded] = {}
    for folder, use_rules in folders:
        if folder.is_file():
            files = [folder]
        elif folder.is_dir():
            files = _rule_files(folder)
        else:
            if use_rules or folder != default:
                problems.append(RuleProblem(str(folder), "rule folder not found"))
            continue
        seen: dict[str, _Loaded] = {}
        for path in files:
            try:
                data, lines = read_yaml(path)
            except YamlProblem as exc:
                problems.append(RuleProblem(str(path), exc.message, exc.line))
                continue
            if path.name.startswith("_"):
                problems += _load_vocab(path, data, lines, cues, sections)
                continue
            if not use_rules:
                continue
            loaded, file_problems = _load_rule_file(path, data, lines)
            problems += file_problems
            for item in loaded:
                rid = item.rid
                if rid in seen:
                    first = seen[rid]
                    where = f"{first.file}:{line_of(first.lines, first.base)}"
                    problems.append(
                        item.problem(("id",), f"duplicate id (first defined at {where})")
                    )
                    continue
                seen[rid] = item
        by_id.update(seen)
    for item in by_id.values():
        problems += _check_references(item, cues, sections)
        problems += _check_overrides(item, by_id)
    if problems:
        raise RuleError(sorted(dict.fromkeys(problems), key=_problem_order))
    sources = {rid: f"{it.file}:{line_of(it.lines, it.base)}" for rid, it in by_id.items()}
    return RuleSet.build((it.rule for it in by_id.values()), cues, sections, sources)
