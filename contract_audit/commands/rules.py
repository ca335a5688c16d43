"""The `rules` command group (stub: to be implemented)."""

from __future__ import annotations

import click


@click.group()
def rules() -> None:
    """List, show and test the detection rules."""
