"""The `compare` command (stub: to be implemented)."""

from __future__ import annotations

import click


@click.command()
def compare() -> None:
    """(not implemented yet)"""
    raise click.ClickException("not implemented yet")
