"""The ``scan`` command: analyse contracts and write the risk reports.

Thin on purpose: discovery, the worker pool, the cache and progress live in
:mod:`contract_audit.batch` and its helpers; the report files in
:mod:`contract_audit.scan_output`. This module turns flags into those calls and results into an
exit code. Nothing heavy is imported before a file actually needs analysis.
"""

from __future__ import annotations

import os
import re
import signal
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import click

from contract_audit import exitcodes

EXIT_CODES = """\b
Exit codes (when several apply, the first in this list wins):
  130  interrupted (Ctrl-C): reports were still written for what finished
  2    usage error, bad rule file, configuration or decisions file
  3    some files could not be analysed (unreadable, encrypted, no text,
       timeout...): reports for the others are written
  1    a finding at or above --fail-on remains (not accepted by a reviewer)
  0    success
"""

_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmgt]?i?b?)?\s*$", re.IGNORECASE)
_UNITS = {"": 1, "k": 2**10, "m": 2**20, "g": 2**30, "t": 2**40}


class ByteSize(click.ParamType):
    """``50MB``, ``50 MB``, ``1.5G`` or a plain number of bytes (units are binary: 1 MB = 2^20)."""

    name = "size"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int):
            return value
        match = _SIZE.match(str(value))
        if not match:
            self.fail(f"{value!r} is not a size such as 50MB, 200KB or 1048576", param, ctx)
        number, unit = float(match.group(1)), (match.group(2) or "").lower()[:1]
        size = int(number * _UNITS[unit])
        if size <= 0:
            self.fail("the size must be positive", param, ctx)
        return size


@click.command(epilog=EXIT_CODES, short_help="Analyse contracts and write risk reports.")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option("-f", "--format", "formats", metavar="LIST",
              help="Comma-separated: html, json, jsonl (one JSON line per document as it "
                   "finishes). Default: html,json.")
@click.option("-o", "--output", metavar="DIR",
              help="Folder for the reports (default: reports/), or - to print JSON to stdout.")
@click.option("--rules", "rule_dirs", multiple=True, metavar="DIR",
              help="Extra rule folder (repeatable); a rule overrides a shipped one with its id.")
@click.option("--default-rules/--no-default-rules", default=None,
              help="Use the shipped rules (default) or only the --rules folders.")
@click.option("--fail-on", type=click.Choice(["high", "medium", "low"]),
              help="Exit 1 when a finding at or above this severity remains.")
@click.option("--decisions", type=click.Path(dir_okay=False), metavar="FILE",
              help="Reviewer decisions (YAML). <name>.decisions.yml beside a contract is "
                   "always read.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), metavar="FILE",
              help="Playbook (contract-audit.toml or pyproject.toml [tool.contract-audit]); "
                   "default: the nearest one.")
@click.option("--include", multiple=True, metavar="GLOB",
              help="File names to scan in folders (repeatable). "
                   "Default: *.pdf *.docx *.txt *.md.")
@click.option("--exclude", multiple=True, metavar="GLOB",
              help="Files or folders to skip (repeatable), e.g. 'drafts' or 'old/*.pdf'.")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=0, metavar="N",
              show_default="number of CPUs",
              help="Worker processes; 1 (or a single file) analyses in this process.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=120.0,
              metavar="SECONDS",
              show_default=True, help="Seconds per file before it is stopped (status timeout).")
@click.option("--max-size", type=ByteSize(), default="50MB", show_default=True,
              help="Larger files are not read (status too-large).")
@click.option("--cache", "cache_dir", type=click.Path(file_okay=False), metavar="DIR",
              help="Result cache (default: $XDG_CACHE_HOME/contract-audit or "
                   "~/.cache/contract-audit).")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the result cache.")
@click.option("-q", "--quiet", is_flag=True,
              help="No progress or summary; files that could not be analysed are still listed.")
def scan(**options: Any) -> None:
    """Analyse the contracts in PATH... (files or folders, searched recursively) and write an
    HTML risk report per contract, plus index.html and report.json for several files."""
    try:
        code = run_scan(**options)
    except KeyboardInterrupt:  # a second Ctrl-C, or one before the scan started
        click.echo("\nInterrupted: no report written; finished results are in the cache.",
                   err=True)
        code = exitcodes.INTERRUPTED
    sys.exit(code)


def _usage_error(message: str) -> int:
    click.echo(f"contract-audit: error: {message}", err=True)
    return exitcodes.USAGE


def run_scan(
    *,
    paths: Sequence[str],
    formats: str | None = None,
    output: str | None = None,
    rule_dirs: Sequence[str] = (),
    default_rules: bool | None = None,
    fail_on: str | None = None,
    decisions: str | None = None,
    config_path: str | None = None,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    jobs: int = 0,
    timeout: float = 120.0,
    max_size: int = 50 * 2**20,
    cache_dir: str | None = None,
    no_cache: bool = False,
    quiet: bool = False,
) -> int:
    """The whole command; returns the exit code (see ``EXIT_CODES``)."""
    started = time.perf_counter()
    from contract_audit.batch import BatchOptions, run_batch
    from contract_audit.cache import ResultCache, default_cache_dir
    from contract_audit.discovery import DEFAULT_INCLUDE, discover
    from contract_audit.progress import Progress, Summary, problems_text
    from contract_audit.review.config import ConfigError, load_config, resolve
    from contract_audit.review.decisions import DecisionsError
    from contract_audit.rules import RuleError
    from contract_audit.scan_output import (
        DEFAULT_FORMATS,
        JsonLines,
        OutputError,
        OutputPlan,
        parse_formats,
        write_outputs,
    )

    try:
        config = load_config(config_path)
        settings = resolve(config, rules=rule_dirs, default_rules=default_rules, fail_on=fail_on)
        if formats:
            chosen = parse_formats(formats)
        elif output == "-":  # stdout only makes sense for JSON
            chosen = ("json",)
        else:
            chosen = parse_formats(config.formats or DEFAULT_FORMATS)
    except (ConfigError, OutputError) as exc:
        return _usage_error(str(exc))

    missing = [p for p in paths if not os.path.lexists(p)]
    if missing:  # a typo on the command line, unlike a bad entry found in a folder
        return _usage_error(f"no such file or folder: {', '.join(missing)}")
    found = discover(paths, include=include or DEFAULT_INCLUDE, exclude=exclude)
    if found.count == 0:
        globs = " ".join(include or DEFAULT_INCLUDE)
        return _usage_error(f"no files to scan in {' '.join(paths)} (looking for {globs})")
    single = len(paths) == 1 and found.folders == 0 and found.count == 1
    try:
        plan = OutputPlan.make(chosen, output or str(settings.output), single=single)
        apply_decisions = _decisions(found.files, decisions, single)
    except (OutputError, DecisionsError) as exc:
        return _usage_error(str(exc))

    cache_root = None if no_cache else Path(cache_dir) if cache_dir else default_cache_dir()

    def prestart() -> None:
        if jobs != 1 and len(found.files) > 1:  # workers' imports overlap the rule loading
            from contract_audit.batch import prestart

            prestart()

    try:
        rules_version, ruleset, load = _rules(settings, cache_root, before_load=prestart)
    except RuleError as exc:
        return _usage_error(_rule_problems(exc))
    except ConfigError as exc:
        return _usage_error(str(exc))

    cache = ResultCache(cache_root, rules_version=rules_version) if cache_root else None
    progress = Progress(quiet=quiet)
    stream = None
    if "jsonl" in plan.formats:
        single_name = None
        if plan.single:
            from contract_audit.report.names import output_names

            first = (found.files or tuple(p.path for p in found.problems))[0]
            single_name = output_names([first])[first]
        stream = JsonLines(plan, single_name)
    try:
        outcome = run_batch(
            found,
            ruleset,
            options=BatchOptions(jobs=jobs, timeout=timeout, max_bytes=max_size),
            cache=cache,
            progress=progress,
            transform=apply_decisions,
            on_result=stream.write if stream else None,
            load_ruleset=load,
        )
    except (RuleError, ConfigError) as exc:
        return _usage_error(_rule_problems(exc) if isinstance(exc, RuleError) else str(exc))
    finally:
        if stream is not None:
            stream.close()

    written = write_outputs(outcome.results, plan, rules_version=rules_version,
                            reuse=cache_root is not None)
    summary = Summary(outcome.results, time.perf_counter() - started, outcome.cached,
                      bool(outcome.interrupted), analysed_pages=outcome.analysed_pages)
    failing = _gate(outcome.results, settings.fail_on)
    for note in outcome.notes:
        click.echo(f"note: {note}", err=True)
    for failure in written.failures:
        click.echo(f"contract-audit: error: {failure}", err=True)
    if quiet:
        problems = summary.problems()
        if problems:
            click.echo(problems_text(problems), err=True)
    else:
        click.echo(summary.text(), err=True)
        if plan.folder is not None:
            click.echo(f"Reports: {plan.folder}{os.sep}", err=True)
        if failing:
            click.echo(f"--fail-on {settings.fail_on}: {len(failing)} finding(s) at or above "
                       f"{settings.fail_on} remain", err=True)
    code = exit_code(outcome.results, failing, outcome.interrupted)
    if written.failures and code in (exitcodes.OK, exitcodes.FINDINGS):
        code = exitcodes.UNREADABLE  # results incomplete: a report is missing
    return code


def exit_code(results: Sequence[Any], failing: Sequence[Any], interrupted: int = 0) -> int:
    """The precedence documented in ``EXIT_CODES``: interrupted, unreadable, findings, ok.

    Unreadable beats findings because an exit of 1 promises the scan was complete: a gate that
    passed a folder with an encrypted contract in it would be wrong; both fail a CI job anyway.
    """
    if interrupted:
        return exitcodes.INTERRUPTED if interrupted == signal.SIGINT else 128 + interrupted
    if any(r.status != "ok" for r in results):
        return exitcodes.UNREADABLE
    if failing:
        return exitcodes.FINDINGS
    return exitcodes.OK


def _gate(results: Sequence[Any], fail_on: str | None) -> list[Any]:
    from contract_audit.review.gating import gate

    return gate(results, fail_on)


def _rule_problems(exc: Exception) -> str:
    problems = getattr(exc, "problems", None) or [str(exc)]
    return "bad rules:\n" + "\n".join(f"  {p}" for p in problems)


def _rules(
    settings: Any, cache_root: Path | None, *, before_load: Callable[[], None] = lambda: None
) -> tuple[str, Any, Callable[[], Any]]:
    """``(version, ruleset or None, loader)``: the rules are loaded now only when their version
    is not already known for these exact rule files, so a cached rescan skips loading them.
    ``before_load`` runs first when they must be loaded (files will need analysis then)."""
    from contract_audit.cache import RulesVersions, rules_fingerprint
    from contract_audit.review.config import load_ruleset
    from contract_audit.rules import default_rules_dir

    def load() -> Any:
        return load_ruleset(settings)

    if cache_root is None:
        before_load()
        ruleset = load()
        return ruleset.version, ruleset, load
    fingerprint = rules_fingerprint(
        settings.rules,
        include_default=settings.default_rules,
        disabled=settings.disabled,
        severities=settings.severities,
        default_folder=default_rules_dir(),
    )
    versions = RulesVersions(cache_root)
    known = versions.get(fingerprint)
    if known:
        return known, None, lambda: versions.ruleset(fingerprint) or load()
    before_load()
    ruleset = load()
    versions.put(fingerprint, ruleset)
    return ruleset.version, ruleset, load


def _decisions(
    files: Sequence[str], explicit: str | None, single: bool
) -> Callable[[Any], Any] | None:
    """Load every decisions file before the scan (a typo fails in a second, not after an hour)
    and return the function that attaches them to each result.

    ``--decisions FILE`` applies whole to a single contract. In a batch, each contract takes
    the decisions naming one of its findings: the others belong to other contracts, so they are
    not reported as stale there. A ``<name>.decisions.yml`` beside a contract applies whole.
    """
    from contract_audit.review.decisions import (
        apply_decisions,
        find_decisions_file,
        load_decisions,
    )

    shared = load_decisions(explicit) if explicit else ()
    beside: dict[str, tuple] = {}
    for path in files:
        side = find_decisions_file(path)
        if side is not None and (explicit is None or Path(side) != Path(explicit)):
            beside[path] = load_decisions(side)
    if not shared and not beside:
        return None

    def attach(result: Any) -> Any:
        if result.status != "ok":
            return result
        own = beside.get(result.path, ())
        if single:
            return apply_decisions(result, (*own, *shared)) if own or shared else result
        ids = {f.id for f in result.findings}
        mine = tuple(d for d in shared if d.finding in ids)
        return apply_decisions(result, (*own, *mine)) if own or mine else result

    return attach
