"""Progress and the final summary of a batch, on stderr (stdout may be carrying JSON).

Three modes: a one-line bar redrawn in place when stderr is a terminal; one plain log line per
file otherwise (CI logs, pipes), so a long run is never silent; nothing with ``--quiet`` except
the list of files that could not be analysed, which is always printed.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TextIO

from contract_audit.domain import SEVERITIES
from contract_audit.results import DocumentResult

_REDRAW_EVERY = 0.1  # seconds: a bar redrawn on every file would cost more than small files
_MAX_LISTED = 50


def _clock(seconds: float) -> str:
    seconds = max(0, int(round(seconds)))
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def problem_line(result: DocumentResult) -> str:
    """``FILE: status: reason`` — the one-line form of a file that was not analysed."""
    return f"{result.path}: {result.status}: {result.message or 'no reason given'}"


def plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def _result_line(result: DocumentResult, cached: bool) -> str:
    same = f" [+{plural(len(result.duplicates), 'identical file')}]" if result.duplicates else ""
    if result.status != "ok":
        return problem_line(result) + same
    counts = Counter(f.severity for f in result.findings)
    detail = ", ".join(f"{counts[s]} {s}" for s in SEVERITIES if counts[s])
    findings = plural(len(result.findings), "finding") + (f" ({detail})" if detail else "")
    extra = " (cached)" if cached else ""
    return f"{result.path}: ok, {findings}, {plural(result.pages, 'page')}{extra}{same}"


class Progress:
    """Receives each finished file; draws a bar, logs a line, or stays quiet."""

    def __init__(self, stream: TextIO | None = None, *, quiet: bool = False,
                 tty: bool | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.quiet = quiet
        if tty is None:
            isatty = getattr(self.stream, "isatty", None)
            tty = bool(isatty and isatty())
        self.tty = tty and not quiet
        self.total = 0
        self.total_bytes = 0
        self.done = 0
        self.done_bytes = 0
        self.pages = 0
        self.started = time.perf_counter()
        self._drawn = 0.0
        self._bar_visible = False

    def start(self, total: int, total_bytes: int = 0) -> None:
        self.total, self.total_bytes = total, total_bytes
        self.started = time.perf_counter()
        if self.tty:
            self._draw(force=True)

    def update(self, result: DocumentResult, *, cached: bool = False, size: int = 0) -> None:
        self.done += 1 + len(result.duplicates)
        self.done_bytes += size
        self.pages += result.pages
        if self.quiet:
            return
        if self.tty:
            if result.status != "ok":
                self._print(problem_line(result))
            self._draw()
        else:
            self._print(f"[{self.done}/{self.total}] {_result_line(result, cached)}")

    def note(self, line: str) -> None:
        """A message that must not be lost under the bar (e.g. a worker that was replaced)."""
        if not self.quiet:
            self._print(line)

    def finish(self) -> None:
        if self._bar_visible:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._bar_visible = False

    def _print(self, line: str) -> None:
        if self._bar_visible:
            self.stream.write("\r\x1b[K")
            self._bar_visible = False
        self.stream.write(line + "\n")
        if self.tty:
            self._draw(force=True)
        self.stream.flush()

    def _draw(self, force: bool = False) -> None:
        now = time.perf_counter()
        if not force and now - self._drawn < _REDRAW_EVERY and self.done < self.total:
            return
        self._drawn = now
        elapsed = now - self.started
        width = 24
        filled = int(width * self.done / self.total) if self.total else width
        bar = "#" * filled + "-" * (width - filled)
        parts = [f"[{bar}] {self.done}/{self.total} files"]
        if elapsed > 0.5 and self.pages:
            parts.append(f"{self.pages / elapsed:.0f} pages/s")
        left = self._eta(elapsed)
        if left is not None:
            parts.append(f"{_clock(left)} left")
        self.stream.write("\r\x1b[K" + " · ".join(parts))
        self.stream.flush()
        self._bar_visible = True

    def _eta(self, elapsed: float) -> float | None:
        """Time left, by bytes when sizes are known (a 90-page PDF is not a 1-page memo)."""
        if self.done == 0 or self.done >= self.total or elapsed < 0.5:
            return None
        if self.total_bytes and self.done_bytes:
            return elapsed * (self.total_bytes - self.done_bytes) / self.done_bytes
        return elapsed * (self.total - self.done) / self.done


@dataclass(frozen=True, slots=True)
class Summary:
    """The figures of a finished batch, for the final lines on stderr."""

    results: Sequence[DocumentResult]
    elapsed: float
    cached: int = 0
    interrupted: bool = False
    analysed_pages: int | None = None  # pages read this run (None: all of them)

    @property
    def files(self) -> int:
        return sum(1 + len(r.duplicates) for r in self.results)

    @property
    def pages(self) -> int:
        return sum(r.pages for r in self.results)

    def status_counts(self) -> Counter[str]:
        return Counter(r.status for r in self.results for _ in range(1 + len(r.duplicates)))

    def severity_counts(self) -> Counter[str]:
        return Counter(f.severity for r in self.results for f in r.findings)

    def problems(self) -> list[DocumentResult]:
        return [r for r in self.results if r.status != "ok"]

    def text(self) -> str:
        """The multi-line summary: totals, files by status, findings by severity, problems."""
        documents = len(self.results)
        duplicates = self.files - documents
        read = self.pages if self.analysed_pages is None else self.analysed_pages
        head = f"Scanned {plural(self.files, 'file')}"
        if duplicates:
            head += f" ({documents} distinct, {plural(duplicates, 'duplicate')})"
        head += f" in {self.elapsed:.1f} s: {plural(self.pages, 'page')}"
        if read and self.elapsed > 0:
            head += f", {read / self.elapsed:.0f} pages/s"
        if self.cached:
            head += f", {self.cached} from cache"
        if self.interrupted:
            head = "Interrupted. " + head
        statuses = self.status_counts()
        status_line = ", ".join(f"{n} {s}" for s, n in sorted(statuses.items(),
                                                               key=lambda i: (i[0] != "ok", i[0])))
        severities = self.severity_counts()
        finding_line = ", ".join(f"{severities[s]} {s}" for s in SEVERITIES)
        lines = [head, f"  files: {status_line or 'none'}", f"  findings: {finding_line}"]
        problems = self.problems()
        if problems:
            lines.append(problems_text(problems))
        return "\n".join(lines)


def problems_text(problems: Sequence[DocumentResult]) -> str:
    """Every file that was not analysed, one per line (capped, pointing at report.json)."""
    count = sum(1 + len(r.duplicates) for r in problems)
    lines = [f"{plural(count, 'file')} not analysed:"]
    for r in problems[:_MAX_LISTED]:
        lines.append(f"  {problem_line(r)}")
        lines.extend(f"  {d}: {r.status} (same content as {r.path})" for d in r.duplicates)
    if len(problems) > _MAX_LISTED:
        lines.append(f"  ... and {len(problems) - _MAX_LISTED} more (see report.json)")
    return "\n".join(lines)
