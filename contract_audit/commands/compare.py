"""The ``compare`` command: what changed between two drafts of a contract."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from contract_audit import exitcodes
from contract_audit.commands import common
from contract_audit.domain import SEVERITIES

if TYPE_CHECKING:
    from contract_audit.review.compare import Comparison, FindingChange

_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.command()
@click.argument("old", type=_FILE)
@click.argument("new", type=_FILE)
@click.option(
    "-f", "--format", "formats", metavar="html,json",
    help="Report formats, comma-separated (default: the playbook's, else html,json).",
)
@click.option(
    "-o", "--output", type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the reports (default: the playbook's, else reports/).",
)
@click.option(
    "--fail-on-new", type=click.Choice(SEVERITIES[:3]), metavar="SEVERITY",
    help="Exit 1 when the new draft introduces a risk at or above SEVERITY (high|medium|low).",
)
@common.playbook_options()
@common.decisions_option(
    "Decisions for the NEW draft (default: <new>.decisions.yml beside it, if present)."
)
@click.option(
    "--similarity", type=click.FloatRange(0.0, 1.0), default=0.8, show_default=True,
    help="Word overlap above which an edited clause counts as the same finding, changed.",
)
def compare(
    old: Path,
    new: Path,
    formats: str | None,
    output: Path | None,
    fail_on_new: str | None,
    rules: tuple[Path, ...],
    default_rules: bool | None,
    config: Path | None,
    decisions: Path | None,
    similarity: float,
) -> None:
    """Compare two drafts, OLD then NEW: resolved, introduced and changed risks.

    Findings are paired by fingerprints that survive renumbering and moved clauses; lightly
    edited clauses are paired by word overlap and reported as changed. Also reports the
    responsibilities that became defined or undefined and the change of risk score.
    """
    from contract_audit.review.cli_support import analyse
    from contract_audit.review.compare import compare_results
    from contract_audit.review.compare_report import write_comparison

    with common.reported(), common.write_errors(unnamed="report"):
        settings, ruleset = common.load_playbook(
            config, rules, default_rules, formats=formats, output=output
        )
        old_result = analyse(old, ruleset)
        new_result = analyse(new, ruleset, decisions)
        comparison = compare_results(old_result, new_result, threshold=similarity)
        written = write_comparison(
            comparison, settings.output, _stem(old, new), settings.formats,
            rules_version=str(getattr(ruleset, "version", "")),
        )
    _print_summary(comparison, old, new)
    click.echo("Wrote " + ", ".join(str(p) for p in written))
    if fail_on_new:
        failing = comparison.new_risks_at_or_above(fail_on_new)
        if failing:
            click.echo(
                f"FAIL: {len(failing)} new risk{'s' if len(failing) != 1 else ''} at or above "
                f"{fail_on_new} (--fail-on-new {fail_on_new})."
            )
            raise SystemExit(exitcodes.FINDINGS)


def _stem(old: Path, new: Path) -> str:
    from contract_audit.report.names import safe_stem

    return f"{safe_stem(old)}-vs-{safe_stem(new)}"


def _print_summary(comparison: Comparison, old: Path, new: Path) -> None:
    counts = comparison.counts()
    click.echo(f"{old.name} -> {new.name}")
    click.echo(
        f"  risks resolved {sum(1 for c in comparison.resolved if _risk(c))}, "
        f"introduced {sum(1 for c in comparison.introduced if _risk(c))}, "
        f"changed {counts['changed']}, unchanged {counts['unchanged']}"
    )
    if comparison.score_delta is not None:
        click.echo(
            f"  risk score {comparison.old_score} -> {comparison.new_score} "
            f"({comparison.score_delta:+d})"
        )
    for e in comparison.elements:
        words = "now defined" if e.change == "defined" else "no longer defined"
        click.echo(f"  {e.element}: {words}")
    for c in comparison.introduced:
        f = c.finding
        where = f" ({f.section})" if f.section else ""
        kind = "protection added" if f.family == "protection" else f"new {f.severity} risk"
        click.echo(f"  {kind}: {f.title}{where} [{f.id}]")
    for c in comparison.changed:
        assert c.old is not None and c.new is not None
        where = f" ({c.old.section} -> {c.new.section})" if c.old.section else ""
        worse = f", severity {c.severity_change}" if c.severity_change else ""
        click.echo(f"  reworded, still flagged{worse}: {c.finding.title}{where} [{c.finding.id}]")
    for c in comparison.resolved:
        if c.finding.family == "protection":
            click.echo(f"  protection removed: {c.finding.title} [{c.finding.id}]")


def _risk(change: FindingChange) -> bool:
    return change.finding.family != "protection"
