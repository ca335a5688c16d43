"""The ``annotate`` command: a copy of a Word contract with a comment on each flagged passage."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from contract_audit import exitcodes
from contract_audit.commands import common

if TYPE_CHECKING:
    from contract_audit.results import DocumentResult
    from contract_audit.review.annotate import Annotation

PDF_MESSAGE = (
    "{path}: Word comments need the DOCX version of the contract (this is a {kind} file). "
    "Ask for the .docx, or run `contract-audit scan {path}` and share the HTML report instead."
)


@click.command()
@click.argument("contract", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "-o", "--output", "out", type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the annotated copy (default: <output folder>/<name>.annotated.docx).",
)
@common.playbook_options()
@common.decisions_option(
    "Reviewer decisions (default: <contract>.decisions.yml beside it, if present)."
)
@click.option("--author", default="contract-audit", show_default=True, help="Comment author.")
@click.option("--protections", is_flag=True, help="Also comment on protective clauses.")
def annotate(
    contract: Path,
    out: Path | None,
    rules: tuple[Path, ...],
    default_rules: bool | None,
    config: Path | None,
    decisions: Path | None,
    author: str,
    protections: bool,
) -> None:
    """Write a copy of CONTRACT (.docx) with a Word comment on each flagged passage.

    Each comment sits on the matched words and says what the risk is, why it matters and what
    to ask for; one comment at the top gives the risk score and the missing responsibilities.
    The original file is never modified.
    """
    from contract_audit.review.cli_support import CommandError, analyse

    with common.reported():
        suffix = contract.suffix.lower()
        if suffix != ".docx":
            kind = "PDF" if suffix == ".pdf" else (suffix.lstrip(".").upper() or "plain")
            raise CommandError(PDF_MESSAGE.format(path=contract, kind=kind), exitcodes.USAGE)
        settings, ruleset = common.load_playbook(config, rules, default_rules)
        result = analyse(contract, ruleset, decisions)
        target = out or settings.output / f"{_stem(contract)}.annotated.docx"
        written = _write(contract, result, target, author, protections)
    exact, sentence = written.count("match"), written.count("sentence")
    missing = written.count(None)
    details = [f"{exact} on the matched words"]
    if sentence:
        details.append(f"{sentence} on the whole clause")
    if missing:
        details.append(f"{missing} not found in the Word text, listed in the summary")
    click.echo(
        f"Wrote {written.output}: a summary comment and {exact + sentence} comments on flagged "
        f"passages ({', '.join(details)})."
    )
    if result.risk is not None:
        click.echo(f"Risk {result.risk.score}/100 ({result.risk.level}).")


def _stem(contract: Path) -> str:
    from contract_audit.report.names import safe_stem

    return safe_stem(contract)


def _write(
    contract: Path, result: DocumentResult, target: Path, author: str, protections: bool
) -> Annotation:
    from contract_audit.review.annotate import AnnotateError, UnreadableDocx, annotate_docx
    from contract_audit.review.cli_support import CommandError

    try:
        return annotate_docx(
            contract, result, target, author=author, initials="CA", protections=protections
        )
    except UnreadableDocx as exc:
        raise CommandError(str(exc), exitcodes.UNREADABLE) from None
    except AnnotateError as exc:
        raise CommandError(str(exc), exitcodes.USAGE) from None
    except OSError as exc:
        raise CommandError(f"{target}: cannot write: {exc.strerror or exc}") from None
