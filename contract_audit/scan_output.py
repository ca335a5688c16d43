"""Where a scan's results go: report files in a folder, JSON on stdout, or a JSON-lines stream.

Every file is written atomically by the report writers, so an interrupted run, a full disk or a
second Ctrl-C never leaves a half-written ``report.json`` or ``index.html`` behind.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from contract_audit.results import DocumentResult

FORMATS: tuple[str, ...] = ("html", "json", "jsonl")
DEFAULT_FORMATS: tuple[str, ...] = ("html", "json")
STDOUT = "-"


class OutputError(Exception):
    """A combination of output options that cannot work (a usage error)."""


def parse_formats(text: str | Sequence[str]) -> tuple[str, ...]:
    """``"html,json"`` -> ``("html", "json")``; unknown names are an :class:`OutputError`."""
    parts = text.split(",") if isinstance(text, str) else list(text)
    formats = tuple(dict.fromkeys(p.strip().lower() for p in parts if p.strip()))
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise OutputError(
            f"--format: {', '.join(map(repr, unknown)) or 'nothing'} is not one of "
            f"{', '.join(FORMATS)} (comma-separated)"
        )
    return formats


@dataclass(frozen=True, slots=True)
class OutputPlan:
    """What to write where, decided before the scan so mistakes fail before any work."""

    formats: tuple[str, ...]
    folder: Path | None  # None: stdout
    single: bool  # one input file: <name>.html / <name>.json instead of index + report.json

    @classmethod
    def make(cls, formats: tuple[str, ...], output: str, *, single: bool) -> OutputPlan:
        if output == STDOUT:
            if "html" in formats or ("json" in formats and "jsonl" in formats):
                raise OutputError(
                    "--output - writes to stdout: use it with --format json or --format jsonl"
                )
            return cls(formats, None, single)
        return cls(formats, Path(output), single)


def jsonl_line(result: DocumentResult) -> str:
    """One document on one line, exactly ``DocumentResult.to_dict()``."""
    return json.dumps(result.to_dict(), ensure_ascii=False, separators=(",", ":")) + "\n"


class JsonLines:
    """Streams one line per finished document to stdout or ``report.jsonl`` (flushed per line,
    so a consumer, or a user after a crash, sees every finished document)."""

    def __init__(self, plan: OutputPlan, single_name: str | None = None) -> None:
        self.path: Path | None = None
        self.closed_by_reader = False
        if plan.folder is None:
            self.stream: TextIO = sys.stdout
        else:
            plan.folder.mkdir(parents=True, exist_ok=True)
            self.path = plan.folder / f"{single_name or 'report'}.jsonl"
            self.stream = self.path.open("w", encoding="utf-8")

    def write(self, result: DocumentResult) -> None:
        if self.closed_by_reader:
            return
        try:
            self.stream.write(jsonl_line(result))
            self.stream.flush()
        except BrokenPipeError:
            # `scan -o - -f jsonl | head`: the reader left. Finish the scan (the cache and
            # reports still get every result) without writing to, or failing on, the pipe.
            self.closed_by_reader = True
            os.dup2(os.open(os.devnull, os.O_WRONLY), self.stream.fileno())

    def close(self) -> None:
        if self.path is not None:
            self.stream.close()


@dataclass
class Written:
    """The files written, and the reports that could not be (one line each)."""

    paths: list[Path]
    failures: list[str]


def write_outputs(
    results: Sequence[DocumentResult],
    plan: OutputPlan,
    *,
    rules_version: str,
    generated_at: str | None = None,
) -> Written:
    """Write the HTML and JSON reports (JSON lines were streamed already).

    One page that fails to render (a bug) must not cost the other pages nor report.json: the
    failure is returned as a line naming the file, and the caller exits non-zero.
    """
    from contract_audit.report import json_text, output_names, write_json
    from contract_audit.report.json import timestamp

    stamp = timestamp(generated_at)
    done = Written([], [])
    if plan.folder is None:
        if "json" in plan.formats:
            sys.stdout.write(json_text(results, rules_version=rules_version, generated_at=stamp))
            sys.stdout.flush()
        return done
    plan.folder.mkdir(parents=True, exist_ok=True)
    names = output_names(r.path for r in results)

    def attempt(label: str, write: Callable[[], Path]) -> None:
        try:
            done.paths.append(write())
        except Exception as exc:  # noqa: BLE001 - reported, and the other reports still written
            done.failures.append(f"{label}: report not written: {type(exc).__name__}: {exc}")

    if "json" in plan.formats:  # first: the one file that holds everything
        stem = names[results[0].path] if plan.single and results else "report"
        attempt(f"{stem}.json", lambda: write_json(
            results, plan.folder / f"{stem}.json", rules_version=rules_version,
            generated_at=stamp))
    if "html" in plan.formats:
        from contract_audit.report import write_document_html

        def page(result: DocumentResult) -> None:
            target = plan.folder / f"{names[result.path]}.html"
            attempt(result.path, lambda: write_document_html(
                result, target, rules_version=rules_version, generated_at=stamp))

        # Rendering holds the GIL, but each atomic write waits on fsync and rename, which do
        # not: a few threads overlap those waits (a third of a cached rescan's time). The
        # first page is rendered alone so the templates are compiled once, not per thread.
        if results:
            page(results[0])
        with ThreadPoolExecutor(max_workers=4) as pool:
            list(pool.map(page, results[1:]))
        if not plan.single:
            attempt("index.html", lambda: _write_index(
                results, plan.folder, names, rules_version, stamp))
    return done


def _write_index(
    results: Sequence[DocumentResult], folder: Path, names: dict[str, str], rules_version: str,
    stamp: str,
) -> Path:
    from contract_audit.report import write_index_html

    links = {path: f"{name}.html" for path, name in names.items()}
    return write_index_html(results, folder / "index.html", rules_version=rules_version,
                            links=links, generated_at=stamp)
