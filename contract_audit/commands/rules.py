"""The ``rules`` command group: list, show and test the detection rules.

Imports of pydantic/spaCy happen inside the commands so ``contract-audit --help`` stays instant.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from contract_audit import domain, exitcodes

KINDS = ("presence", "requirement", "signal")


def _load(rule_dirs: tuple[str, ...], include_default: bool) -> Any:
    """Load rules or exit with status 2 and one line per problem (never a traceback)."""
    from contract_audit.rules import RuleError, load_rules

    try:
        return load_rules(rule_dirs, include_default=include_default)
    except RuleError as exc:
        for problem in exc.problems:
            click.echo(problem, err=True)
        n = len(exc.problems)
        click.echo(f"contract-audit: {n} problem{'s' * (n != 1)} in rule files", err=True)
        sys.exit(exitcodes.USAGE)


def _rule_options(func: Any) -> Any:
    func = click.option("--no-default-rules", is_flag=True, help="Do not load the shipped rules.")(
        func
    )
    return click.option(
        "--rules",
        "rule_dirs",
        multiple=True,
        type=click.Path(),
        metavar="DIR",
        help="Also load rules from DIR (repeatable); a rule with a shipped id replaces it.",
    )(func)


def _family(rule: Any) -> str:
    return rule.family if rule.kind != "signal" else f"signal:{rule.engagement}"


@click.group()
def rules() -> None:
    """List, show and test the detection rules."""


@rules.command("list")
@click.option("--family", type=click.Choice(domain.FAMILIES), help="Only rules of this family.")
@click.option("--kind", type=click.Choice(KINDS), help="Only rules of this kind.")
@_rule_options
def list_cmd(
    family: str | None, kind: str | None, rule_dirs: tuple[str, ...], no_default_rules: bool
) -> None:
    """List rules: id, family, severity and title."""
    ruleset = _load(rule_dirs, not no_default_rules)
    chosen = [
        r
        for r in ruleset.rules
        if (family is None or r.family == family) and (kind is None or r.kind == kind)
    ]
    if not chosen:
        click.echo("no rules match", err=True)
        return
    wid = max(len(r.id) for r in chosen)
    wfam = max(len(_family(r)) for r in chosen)
    for r in sorted(chosen, key=lambda r: (r.kind, r.family or "", r.id)):
        severity = r.severity or "-"
        click.echo(f"{r.id:<{wid}}  {_family(r):<{wfam}}  {severity:<6}  {r.title}")
    click.echo(f"{len(chosen)} rules (rule set {ruleset.version})", err=True)


def _block(title: str, body: str) -> None:
    click.echo(click.style(title, bold=True))
    for line in body.splitlines() or [""]:
        click.echo(f"  {line}")


@rules.command("show")
@click.argument("rule_id")
@_rule_options
def show_cmd(rule_id: str, rule_dirs: tuple[str, ...], no_default_rules: bool) -> None:
    """Show one rule: rationale, recommendation, patterns, qualifiers and examples."""
    from contract_audit.token_patterns import pattern_anchors

    ruleset = _load(rule_dirs, not no_default_rules)
    try:
        r = ruleset.get(rule_id)
    except KeyError:
        close = [i for i in ruleset.ids if rule_id in i or i in rule_id][:5]
        hint = f" (did you mean: {', '.join(close)}?)" if close else ""
        click.echo(f"contract-audit: no rule with id {rule_id!r}{hint}", err=True)
        sys.exit(exitcodes.USAGE)
    click.echo(click.style(f"{r.id}: {r.title}", bold=True))
    facts = [
        ("kind", r.kind),
        ("family", r.family),
        ("element", r.element),
        ("engagement", r.engagement),
        ("weight", r.weight),
        ("severity", r.severity),
        ("scope", r.scope),
        ("sections", ", ".join(r.sections) if r.sections else None),
        ("defined at", ruleset.sources.get(r.id)),
    ]
    for name, value in facts:
        if value not in (None, ""):
            click.echo(f"  {name + ':':<12}{value}")
    if r.rationale:
        _block("Rationale", r.rationale)
    if r.recommendation:
        _block("Recommendation", r.recommendation)
    if r.protection_title:
        _block("Protection title", r.protection_title)
    if r.overrides:
        _block("Overrides", ", ".join(r.overrides))
    lines = [f"phrase: {p}" for p in r.patterns.phrases]
    for pattern in r.patterns.tokens:
        anchors = sorted(r.anchors or pattern_anchors(pattern) or [])
        gate = (
            f"   (runs near: {', '.join(anchors)})" if anchors else "   (no anchor: every sentence)"
        )
        lines.append(f"tokens: {json.dumps(pattern)}{gate}")
    _block("Patterns", "\n".join(lines))
    if r.qualifiers:
        qlines = []
        for q in r.qualifiers:
            what = f"party={q.party}" if q.party else f"cues={q.cues}"
            extra = "" if q.party else f" direction={q.direction} window={q.window}"
            term = f" terminators={q.terminators}" if q.terminators else ""
            qlines.append(f"{q.name}: {what}{extra}{term} when={q.when} -> {q.effect}")
        _block("Qualifiers", "\n".join(qlines))
    for kind in ("match", "no_match"):
        exs = getattr(r.examples, kind)
        body = []
        for ex in exs:
            notes = [
                f"{k}={getattr(ex, k)!r}" for k in ("matched", "family", "severity", "section")
            ]
            notes = [n for n in notes if not n.endswith("=None")]
            body.append(f"- {ex.text}" + (f"   ({', '.join(notes)})" if notes else ""))
        _block(f"Examples ({kind})", "\n".join(body))


@rules.command("test")
@click.argument("dirs", nargs=-1, type=click.Path())
@click.option("--rule", "only", multiple=True, metavar="ID", help="Only test these rule ids.")
@click.option("-v", "--verbose", is_flag=True, help="List every example that passed too.")
def test_cmd(dirs: tuple[str, ...], only: tuple[str, ...], verbose: bool) -> None:
    """Run every rule's examples through the engine (the shipped rules, or those in DIRS).

    Exit status: 0 all examples behave, 1 some fail, 2 a rule file is invalid."""
    from contract_audit.rules.examples import check_examples

    ruleset = _load(dirs, include_default=not dirs)
    if only:
        unknown = sorted(set(only) - set(ruleset.ids))
        if unknown:
            click.echo(f"contract-audit: unknown rule id(s): {', '.join(unknown)}", err=True)
            sys.exit(exitcodes.USAGE)
        ruleset = ruleset.subset(only)
    total, failures = check_examples(ruleset)
    for failure in failures:
        click.echo(click.style("FAIL ", fg="red") + str(failure))
    if verbose:
        failed = {f.case.case_id for f in failures}
        from contract_audit.rules.examples import example_cases

        for case in example_cases(ruleset):
            if case.case_id not in failed:
                click.echo(click.style("ok   ", fg="green") + case.case_id)
    rules_failed = len({f.case.rule for f in failures})
    summary = (
        f"{len(ruleset)} rules, {total} examples: "
        f"{total - len(failures)} passed, {len(failures)} failed"
        + (f" (in {rules_failed} rules)" if failures else "")
    )
    click.echo(summary)
    sys.exit(exitcodes.FINDINGS if failures else exitcodes.OK)
