"""What the review commands (``annotate``, ``compare``, ``accept``/``reject``) share on the
command line: the playbook and rule-folder options, loading the settings and rules they name, and
turning a :class:`~contract_audit.review.cli_support.CommandError` into its message and status.

Only click is imported here: the review modules load when a command runs, so
``contract-audit --help`` stays instant.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from contract_audit.review.config import Settings

F = TypeVar("F", bound=Callable[..., Any])

RULES_HELP = "Extra rule folder (repeatable), after the playbook's."
DEFAULT_RULES_HELP = (
    "Load the shipped rules too (default: yes, unless the playbook says otherwise)."
)
CONFIG_HELP = "Playbook file (default: contract-audit.toml or pyproject.toml found upward)."


def stacked(*decorators: Callable[[F], F]) -> Callable[[F], F]:
    """One decorator applying ``decorators`` so that click lists them in the order given."""

    def apply(func: F) -> F:
        for decorator in reversed(decorators):
            func = decorator(func)
        return func

    return apply


def playbook_options(
    *,
    rules_help: str = RULES_HELP,
    default_rules_help: str = DEFAULT_RULES_HELP,
    config_help: str = CONFIG_HELP,
) -> Callable[[F], F]:
    """``--rules``, ``--default-rules/--no-default-rules`` and ``--config``, in that order: the
    flags :func:`load_playbook` merges with the playbook."""
    return stacked(
        click.option(
            "--rules", multiple=True,
            type=click.Path(exists=True, file_okay=False, path_type=Path),
            help=rules_help,
        ),
        click.option("--default-rules/--no-default-rules", default=None, help=default_rules_help),
        click.option(
            "--config", type=click.Path(dir_okay=False, path_type=Path), help=config_help
        ),
    )


def decisions_option(help_text: str) -> Callable[[F], F]:
    """``--decisions FILE``; what it defaults to is the command's (hence ``help_text``)."""
    return click.option(
        "--decisions", type=click.Path(dir_okay=False, path_type=Path), help=help_text
    )


def load_playbook(
    config: Path | None, rules: tuple[Path, ...], default_rules: bool | None, **flags: Any
) -> tuple[Settings, Any]:
    """The settings (playbook merged with the flags) and the rule set they select; raises
    ``CommandError`` naming the file and the reason."""
    from contract_audit.review.cli_support import ruleset_for, settings_for

    settings = settings_for(config, rules=rules, default_rules=default_rules, **flags)
    return settings, ruleset_for(settings)


@contextmanager
def reported() -> Iterator[None]:
    """Run a command's body: a ``CommandError`` ends it with the message on stderr and the
    error's exit status, never a traceback."""
    from contract_audit.review.cli_support import CommandError, fail

    try:
        yield
    except CommandError as exc:
        fail(exc)


@contextmanager
def write_errors(what: str = "", *, unnamed: str = "file") -> Iterator[None]:
    """Turn an ``OSError`` into ``CommandError("<file>: cannot write <what>: <reason>")``
    (``unnamed`` stands for the file when the error names none). Nest it inside
    :func:`reported`."""
    from contract_audit.review.cli_support import CommandError

    try:
        yield
    except OSError as exc:
        action = f"cannot write {what}" if what else "cannot write"
        raise CommandError(f"{exc.filename or unnamed}: {action}: {exc.strerror or exc}") from None
