"""The `eval` command: a labelled folder in, detection figures (and every miss) out."""

from __future__ import annotations

import json
from pathlib import Path

import click

from contract_audit import exitcodes


@click.command(name="eval")
@click.argument(
    "folders",
    nargs=-1,
    required=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    metavar="DIR...",
)
@click.option("--json", "as_json", is_flag=True, help="Print the figures and errors as JSON.")
@click.option(
    "--rules",
    "rule_dirs",
    multiple=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Extra rule folder (repeatable), loaded after the shipped rules.",
)
@click.option("--no-default-rules", is_flag=True, help="Load only the --rules folders.")
@click.option(
    "--check",
    is_flag=True,
    help="Exit 1 when a figure is below the floors (see docs/evaluation.md).",
)
@click.option(
    "--why",
    is_flag=True,
    help="Under each miss, what the rules did with its clause (dropped by which qualifier, "
    "found as which family).",
)
def eval_cmd(
    folders: tuple[Path, ...],
    as_json: bool,
    rule_dirs: tuple[Path, ...],
    no_default_rules: bool,
    check: bool,
    why: bool,
) -> None:
    """Measure detection on labelled folders (<name>.txt|pdf|docx + <name>.labels.yml).

    Prints precision and recall per family, element and engagement accuracy, medium/high
    findings on negative controls, then every miss and false positive with its text. Several
    folders are pooled into one set of figures (file names must then differ across folders).
    """
    from contract_audit.evaluation import EvalError, EvalReport, evaluate, render
    from contract_audit.rules import RuleError, load_rules

    try:
        ruleset = load_rules(rule_dirs, include_default=not no_default_rules)
    except RuleError as exc:
        for problem in exc.problems:
            click.echo(f"contract-audit: error: {problem}", err=True)
        raise SystemExit(exitcodes.USAGE) from None
    try:
        reports = [evaluate(folder, ruleset, why=why) for folder in folders]
    except EvalError as exc:
        click.echo(f"contract-audit: error: {exc}", err=True)
        raise SystemExit(exitcodes.USAGE) from None
    report = EvalReport(tuple(c for r in reports for c in r.cases), reports[0].ruleset_version)
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2))
    else:
        click.echo(render(report), nl=False)
    if check and report.failures():
        raise SystemExit(exitcodes.FINDINGS)
