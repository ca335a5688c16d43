"""The `annotate` command (stub: to be implemented)."""

from __future__ import annotations

import click


@click.command()
def annotate() -> None:
    """(not implemented yet)"""
    raise click.ClickException("not implemented yet")
