"""The `extract` command: show exactly the text (or document model) the analyzer will read."""

from __future__ import annotations

import json
import sys

import click

from contract_audit import exitcodes


@click.command()
@click.argument("file", type=str)  # not click.Path: a bad path is an exit-3 read error
@click.option("--json", "as_json", is_flag=True, help="Print the document model as JSON.")
@click.option(
    "--max-size",
    type=click.FloatRange(min=0, min_open=True),
    default=50.0,
    show_default=True,
    help="Refuse files larger than this many MB.",
)
def extract(file: str, as_json: bool, max_size: float) -> None:
    """Print the text the analyzer reads from FILE (PDF, DOCX, TXT or MD)."""
    from contract_audit.extract import ExtractionError
    from contract_audit.extract import extract as extract_document

    try:
        document = extract_document(file, max_bytes=int(max_size * 2**20))
    except ExtractionError as exc:
        click.echo(f"{file}: {exc.status}: {exc.message}", err=True)
        sys.exit(exitcodes.UNREADABLE)
    if as_json:
        click.echo(json.dumps(document.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(document.text)
    for warning in document.warnings:
        click.echo(f"{file}: warning: {warning}", err=True)
