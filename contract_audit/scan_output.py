"""Where a scan's results go: report files in a folder, JSON on stdout, or a JSON-lines stream.

Every file is written atomically by the report writers, so an interrupted run, a full disk or a
second Ctrl-C never leaves a half-written ``report.json`` or ``index.html`` behind.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from contract_audit.results import DocumentResult
from contract_audit.review.config import DEFAULT_FORMATS, FORMATS

__all__ = ["DEFAULT_FORMATS", "FORMATS"]  # scan imports them from here with the writers
STDOUT = "-"
PAGES_MANIFEST = ".contract-audit-pages.json"  # in the output folder: page -> what made it


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
    reuse: bool = True,
) -> Written:
    """Write the HTML and JSON reports (JSON lines were streamed already).

    One page that fails to render (a bug) must not cost the other pages nor report.json: the
    failure is returned as a line naming the file, and the caller exits non-zero. With
    ``reuse``, document pages whose inputs did not change since the last run are kept.
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

    def attempt(label: str, write: Callable[[], Path]) -> bool:
        try:
            done.paths.append(write())
        except Exception as exc:  # noqa: BLE001 - reported, and the other reports still written
            done.failures.append(f"{label}: report not written: {type(exc).__name__}: {exc}")
            return False
        return True

    if "json" in plan.formats:  # first: the one file that holds everything
        stem = names[results[0].path] if plan.single and results else "report"
        attempt(f"{stem}.json", lambda: write_json(
            results, plan.folder / f"{stem}.json", rules_version=rules_version,
            generated_at=stamp))
    if "html" in plan.formats:
        _write_pages(results, plan.folder, names, rules_version, stamp, attempt, reuse=reuse)
        if not plan.single:
            attempt("index.html", lambda: _write_index(
                results, plan.folder, names, rules_version, stamp))
    return done


def _page_key(result: DocumentResult, rules_version: str) -> str:
    """What a document page is made of: the result, the rules, and the code that renders it."""
    from contract_audit.cache import package_fingerprint

    data = json.dumps(result.to_dict(), sort_keys=True, ensure_ascii=False)
    text = f"{package_fingerprint()}\0{rules_version}\0{data}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _write_pages(
    results: Sequence[DocumentResult],
    folder: Path,
    names: dict[str, str],
    rules_version: str,
    stamp: str,
    attempt: Callable[[str, Callable[[], Path]], bool],
    *,
    reuse: bool,
) -> None:
    """One HTML page per document; a page whose inputs have not changed since the last run in
    this folder is kept as it is (a rescan of an unchanged folder renders nothing but the
    index). ``PAGES_MANIFEST`` records what each page was made from."""
    from contract_audit.report import atomic_write_text, write_document_html

    manifest_path = folder / PAGES_MANIFEST
    previous: dict[str, str] = {}
    if reuse:
        with contextlib.suppress(OSError, ValueError):
            loaded = json.loads(manifest_path.read_text("utf-8"))
            previous = loaded if isinstance(loaded, dict) else {}
    keys = {r.path: _page_key(r, rules_version) for r in results}
    current: dict[str, str] = {}  # the manifest to write: pages known to be up to date
    todo: list[DocumentResult] = []
    for result in results:
        filename = f"{names[result.path]}.html"
        if previous.get(filename) == keys[result.path] and (folder / filename).is_file():
            current[filename] = keys[result.path]
        else:
            todo.append(result)

    def page(result: DocumentResult) -> None:
        filename = f"{names[result.path]}.html"
        if attempt(result.path, lambda: write_document_html(
            result, folder / filename, rules_version=rules_version, generated_at=stamp
        )):
            current[filename] = keys[result.path]

    # Rendering holds the GIL, but each atomic write waits on fsync and rename, which do not:
    # a few threads overlap those waits. The first page is rendered alone so the templates
    # are compiled once, not once per thread.
    if todo:
        page(todo[0])
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(page, todo[1:]))
    if reuse:
        with contextlib.suppress(OSError):
            atomic_write_text(manifest_path, json.dumps(current, sort_keys=True, indent=0))


def _write_index(
    results: Sequence[DocumentResult], folder: Path, names: dict[str, str], rules_version: str,
    stamp: str,
) -> Path:
    from contract_audit.report import write_index_html

    links = {path: f"{name}.html" for path, name in names.items()}
    return write_index_html(results, folder / "index.html", rules_version=rules_version,
                            links=links, generated_at=stamp)
