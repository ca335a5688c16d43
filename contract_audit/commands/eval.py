"""The `eval` command (stub: to be implemented)."""

from __future__ import annotations

import click


@click.command(name="eval")
def eval_cmd() -> None:
    """(not implemented yet)"""
    raise click.ClickException("not implemented yet")
