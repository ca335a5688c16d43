"""What the review commands share: settings from the playbook and the flags, the rule set, one
analysed contract with its reviewer decisions, and errors that end with the documented status.

Every failure here is a :class:`CommandError` with a message naming the file and the reason;
the commands turn it into that message on stderr and the exit status, never a traceback.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from contract_audit import exitcodes
from contract_audit.results import DocumentResult
from contract_audit.review.config import ConfigError, Settings, load_config, load_ruleset, resolve
from contract_audit.review.decisions import (
    DecisionsError,
    apply_decisions,
    find_decisions_file,
    load_decisions,
)


class CommandError(Exception):
    """A message for the user and the exit status to end with."""

    def __init__(self, message: str, status: int = exitcodes.USAGE) -> None:
        super().__init__(message)
        self.status = status


def settings_for(
    config: Path | None,
    *,
    rules: Iterable[Path] = (),
    default_rules: bool | None = None,
    **flags: Any,
) -> Settings:
    """The playbook merged with the flags (a flag left at ``None`` keeps the playbook's value)."""
    try:
        return resolve(
            load_config(config),
            rules=tuple(rules) or None,
            default_rules=default_rules,
            **flags,
        )
    except ConfigError as exc:
        raise CommandError(str(exc)) from None


def ruleset_for(settings: Settings) -> Any:
    from contract_audit.rules import RuleError

    try:
        return load_ruleset(settings)
    except RuleError as exc:
        raise CommandError("invalid rules:\n  " + "\n  ".join(exc.problems)) from None
    except ConfigError as exc:
        raise CommandError(str(exc)) from None


def analyse(
    path: Path, ruleset: Any, decisions: Path | None = None, *, use_decisions: bool = True
) -> DocumentResult:
    """Analyse ``path`` and apply its decisions file; an unreadable contract is exit status 3."""
    from contract_audit.analysis import analyze_file

    result = analyze_file(path, ruleset)
    if result.status != "ok":
        raise CommandError(
            f"{path}: {result.status}: {result.message or 'cannot be analysed'}",
            exitcodes.UNREADABLE,
        )
    return with_decisions(result, path, decisions) if use_decisions else result


def with_decisions(
    result: DocumentResult, contract: Path, decisions: Path | None = None
) -> DocumentResult:
    """``result`` with the decisions of ``decisions`` (or the contract's default file) applied."""
    try:
        found = find_decisions_file(contract, decisions)
        return apply_decisions(result, load_decisions(found)) if found else result
    except DecisionsError as exc:
        raise CommandError(str(exc)) from None


def fail(error: CommandError) -> None:
    """Print ``error`` the way every command does and exit with its status."""
    import click

    click.echo(f"contract-audit: error: {error}", err=True)
    raise SystemExit(error.status)
