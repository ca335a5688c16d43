"""Command-line entry point. Thin on purpose: each command lives in ``contract_audit.commands``
and imports spaCy and the extractors only when it runs, so ``--help`` answers instantly."""

from __future__ import annotations

import click

from contract_audit import __version__
from contract_audit.commands.annotate import annotate
from contract_audit.commands.compare import compare
from contract_audit.commands.decide import accept, reject
from contract_audit.commands.eval import eval_cmd
from contract_audit.commands.extract import extract
from contract_audit.commands.rules import rules
from contract_audit.commands.scan import scan

EPILOG = """\b
Exit codes:
  0  success (no finding at or above --fail-on)
  1  a finding at or above --fail-on / --fail-on-new remains
  2  usage error, bad rule file or bad configuration
  3  some files could not be read (results for the others are written)
  130  interrupted (Ctrl-C); reports were written for what finished
"""


@click.group(epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="contract-audit")
def cli() -> None:
    """Find conflict-of-interest clauses in MSP / vCIO / fractional-CIO contracts."""


for command in (scan, extract, rules, eval_cmd, annotate, compare, accept, reject):
    cli.add_command(command)


def main() -> None:
    cli(prog_name="contract-audit")
