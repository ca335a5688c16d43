"""The ``accept`` and ``reject`` commands: record a reviewer's decision on one finding.

Written for a lawyer, not a YAML editor: name the contract and the finding id shown in the report
or the Word comment (a unique prefix is enough), give a reason and your name. The decision goes
into ``<contract>.decisions.yml`` beside the contract (created if needed), which ``scan``,
``annotate`` and ``compare`` then read.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import click

from contract_audit.commands import common

if TYPE_CHECKING:
    from contract_audit.results import DocumentResult, Finding


# The arguments and options ``accept`` and ``reject`` share.
_options = common.stacked(
    click.argument("contract", type=click.Path(exists=True, dir_okay=False, path_type=Path)),
    click.argument("finding_id"),
    click.option("--reason", required=True, help="Why (kept in the report and the file)."),
    click.option(
        "--by", "by", required=True, envvar="CONTRACT_AUDIT_REVIEWER",
        help="Your name (or set CONTRACT_AUDIT_REVIEWER).",
    ),
    click.option("--date", "date", help="YYYY-MM-DD (default: today)."),
    common.decisions_option(
        "Decisions file (default: <contract>.decisions.yml beside the contract)."
    ),
    common.playbook_options(
        rules_help="Extra rule folder (repeatable), as given to scan.",
        default_rules_help="As given to scan.",
        config_help="Playbook file, as given to scan.",
    ),
)


@click.command()
@_options
def accept(**kwargs: object) -> None:
    """Accept the risk of a finding, with a reason.

    FINDING_ID (from the report or the Word comment; a unique prefix is enough) stays in the
    report, marked accepted with your reason, and no longer fails --fail-on.
    """
    _decide("accept", **kwargs)  # type: ignore[arg-type]


@click.command()
@_options
def reject(**kwargs: object) -> None:
    """Confirm a finding must be fixed, with a reason.

    FINDING_ID stays in the report, marked rejected with your reason, and keeps failing
    --fail-on.
    """
    _decide("reject", **kwargs)  # type: ignore[arg-type]


def _decide(
    action: str,
    *,
    contract: Path,
    finding_id: str,
    reason: str,
    by: str,
    date: str | None,
    decisions: Path | None,
    rules: tuple[Path, ...],
    default_rules: bool | None,
    config: Path | None,
) -> None:
    from contract_audit.results import Decision
    from contract_audit.review import decisions as D
    from contract_audit.review.cli_support import CommandError, analyse

    with common.reported(), common.write_errors("decisions"):
        day = _check_date(date)
        if not reason.strip() or not by.strip():
            raise CommandError("--reason and --by must not be empty")
        path = decisions or D.default_path(contract)
        existing = _load(path)
        _settings, ruleset = common.load_playbook(config, rules, default_rules)
        result = analyse(contract, ruleset, use_decisions=False)
        finding = _resolve(result, finding_id.strip(), action)
        decision = Decision(finding.id, action, reason.strip(), by.strip(), day)
        updated = D.upsert(existing, decision)
        titles = {f.id: f"[{f.severity}] {f.title}" for f in result.findings}
        D.save_decisions(path, D.dump_decisions(updated, contract=contract.name, titles=titles))
    verb = "Accepted" if action == "accept" else "Rejected"
    effect = "no longer fails --fail-on" if action == "accept" else "still fails --fail-on"
    click.echo(f"{verb} [{finding.severity}] {finding.title} ({finding.id}): {effect}.")
    click.echo(f"Recorded in {path}.")


def _check_date(date: str | None) -> str:
    from contract_audit.review.cli_support import CommandError

    if date is None:
        return dt.date.today().isoformat()
    try:
        return dt.date.fromisoformat(date).isoformat()
    except ValueError:
        raise CommandError(f"--date: {date!r} is not a date (write YYYY-MM-DD)") from None


def _load(path: Path) -> tuple:
    from contract_audit.review.cli_support import CommandError
    from contract_audit.review.decisions import DecisionsError, load_decisions

    if not path.exists():
        return ()
    try:
        return load_decisions(path)
    except DecisionsError as exc:
        raise CommandError(str(exc)) from None


def _resolve(result: DocumentResult, wanted: str, action: str) -> Finding:
    """The finding whose id is ``wanted`` or starts with it (unique), else a helpful error."""
    from contract_audit.review.cli_support import CommandError

    exact = [f for f in result.findings if f.id == wanted]
    matches = exact or [f for f in result.findings if wanted and f.id.startswith(wanted)]
    listing = "\n".join(
        f"  {f.id}  {f.severity:<6}  {f.title}"
        for f in (matches if len(matches) > 1 else result.findings)
        if f.family != "protection"
    )
    if not matches:
        raise CommandError(
            f"{result.path}: no finding {wanted!r}. Its findings are:\n{listing or '  (none)'}"
        )
    if len(matches) > 1:
        raise CommandError(f"{result.path}: {wanted!r} matches several findings:\n{listing}")
    finding = matches[0]
    if finding.family == "protection":
        raise CommandError(
            f"{result.path}: {finding.id} is a protection, not a risk: nothing to {action}"
        )
    return finding

