"""Scan many files: hash, reuse cached results, analyse the rest in parallel, never lose a result.

The order of work is chosen for speed and safety:

1. every discovered file is stat'ed and hashed in the parent (cheap), so identical files are
   analysed once and a fully cached rescan never starts a worker nor imports spaCy;
2. the remaining files go to a small pool of worker processes of our own (not
   ``concurrent.futures``, which cannot stop one runaway task): each worker builds the spaCy
   pipeline once, receives one file at a time over a pipe, and is killed and replaced when its
   file passes ``--timeout``, or replaced when it dies, without stopping the batch;
3. each result is cached as soon as it arrives, so an interrupted batch resumes where it stopped.

On SIGINT/SIGTERM the workers are stopped, the files not finished become ``not-scanned`` results
and :func:`run_batch` returns normally, so the caller still writes every report.
"""

from __future__ import annotations

import contextlib
import dataclasses
import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any

from contract_audit.cache import ResultCache, file_sha256
from contract_audit.discovery import Discovery
from contract_audit.domain import BATCH_STATUSES
from contract_audit.progress import Progress
from contract_audit.results import DocumentResult

NOT_SCANNED = BATCH_STATUSES[0]  # the run stopped before this file was analysed
DEFAULT_TIMEOUT = 120.0
DEFAULT_MAX_BYTES = 50 * 2**20
DEFAULT_MAX_TASKS_PER_WORKER = 500  # recycle workers now and then: caps slow memory growth
_STARTUP_TIMEOUT = 120.0  # a worker that cannot import spaCy in this time is broken
_MAX_START_FAILURES = 3

Analyze = Callable[..., DocumentResult]  # (path, ruleset, *, max_bytes) -> DocumentResult
Warm = Callable[[Any], None]  # (ruleset) -> None


# --- the default work, imported lazily so that a cached rescan never loads spaCy -------------


def analyze_path(path: str, ruleset: Any, *, max_bytes: int) -> DocumentResult:
    """The per-file function: ``contract_audit.analysis.analyze_file`` (lazy import)."""
    from contract_audit.analysis import analyze_file

    return analyze_file(path, ruleset, max_bytes=max_bytes)


def warm_up(ruleset: Any) -> None:
    """Build the spaCy pipeline and compile the rules once per worker, before the first file.

    Analysing a one-line document exercises the whole path (pipeline, matchers, scoring), so the
    first real file is not billed the start-up and does not risk its ``--timeout`` on it.
    """
    from contract_audit.analysis import analyze_document
    from contract_audit.model import Document

    analyze_document(Document(text="The Provider shall provide services.", path="warm-up"), ruleset)


# Imported once by the fork server; every worker forked from it starts with them loaded.
DEFAULT_PRELOAD = (
    "spacy",
    "contract_audit.analysis",
    "contract_audit.engine",
    "contract_audit.nlp",
    "contract_audit.extract",
    "contract_audit.extract.pdf",
    "contract_audit.extract.docx",
)


@dataclass(frozen=True, slots=True)
class BatchOptions:
    jobs: int = 0  # 0 = one per CPU
    timeout: float = DEFAULT_TIMEOUT
    max_bytes: int = DEFAULT_MAX_BYTES
    max_tasks_per_worker: int = DEFAULT_MAX_TASKS_PER_WORKER

    @property
    def workers(self) -> int:
        return self.jobs if self.jobs > 0 else usable_cpus()


def usable_cpus() -> int:
    """CPUs this process may run on (a container's or ``taskset``'s limit, not the host's)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


@dataclass
class BatchOutcome:
    """The results of a batch (one per distinct content, sorted by path) and its figures."""

    results: list[DocumentResult]
    elapsed: float
    cached: int = 0
    analysed: int = 0
    analysed_pages: int = 0
    interrupted: int = 0  # the signal number that stopped the batch, 0 if it ran to the end
    worker_peak_rss_kb: list[int] = field(default_factory=list)  # one per worker process
    worker_cpu_seconds: float = 0.0  # CPU time of all workers (benchmarks: utilisation)
    notes: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _Task:
    id: int
    path: str
    sha256: str
    size: int
    duplicates: tuple[str, ...]


def _mb(size: int) -> str:
    return f"{size / 2**20:.1f} MB"


def _status_result(path: str, status: str, message: str, **extra: Any) -> DocumentResult:
    return DocumentResult(path=path, status=status, message=message, **extra)


# --- signals ---------------------------------------------------------------------------------


class _Stop:
    """Turns SIGINT/SIGTERM into a flag (plus a wake-up pipe for the pool's ``wait``).

    While ``raising`` is on (an in-process analysis is running), SIGINT raises
    KeyboardInterrupt as usual so a long file can be abandoned. A second signal while the
    reports are being written is left to the default behaviour.
    """

    def __init__(self) -> None:
        self.signum = 0
        self.raising = False
        self._read, self._write = os.pipe()
        os.set_blocking(self._write, False)
        self._previous: dict[int, Any] = {}

    @property
    def fd(self) -> int:
        return self._read

    def _handle(self, signum: int, frame: Any) -> None:
        first = not self.signum
        self.signum = self.signum or signum
        with contextlib.suppress(OSError):
            os.write(self._write, b"!")
        if self.raising or not first:
            raise KeyboardInterrupt

    @contextlib.contextmanager
    def installed(self) -> Iterator[_Stop]:
        main = threading.current_thread() is threading.main_thread()
        try:
            if main:
                for sig in (signal.SIGINT, signal.SIGTERM):
                    self._previous[sig] = signal.signal(sig, self._handle)
            yield self
        finally:
            for sig, handler in self._previous.items():
                signal.signal(sig, handler)
            os.close(self._read)
            os.close(self._write)


class _FileTimeout(BaseException):
    """Raised by SIGALRM inside an in-process analysis; a BaseException so no ``except
    Exception`` in the analysis swallows it."""


@contextlib.contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    """Best-effort deadline for in-process work (``--jobs 1``): interrupts Python code only."""
    usable = (
        seconds > 0
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield
        return

    def fire(signum: int, frame: Any) -> None:
        raise _FileTimeout

    previous = signal.signal(signal.SIGALRM, fire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# --- the batch -------------------------------------------------------------------------------


def run_batch(
    discovery: Discovery,
    ruleset: Any,
    *,
    options: BatchOptions | None = None,
    cache: ResultCache | None = None,
    progress: Progress | None = None,
    on_result: Callable[[DocumentResult], None] | None = None,
    transform: Callable[[DocumentResult], DocumentResult] | None = None,
    load_ruleset: Callable[[], Any] | None = None,
    analyze: Analyze = analyze_path,
    warm: Warm | None = warm_up,
    preload: Sequence[str] = DEFAULT_PRELOAD,
) -> BatchOutcome:
    """Analyse every discovered file; return one result per distinct file content.

    ``analyze`` and ``warm`` must be picklable (module-level functions) because workers receive
    them; tests pass fakes. ``transform`` adjusts each final result after it is cached (e.g.
    reviewer decisions, which belong to the run, not the content); ``on_result`` is then called
    in the parent as each result is final (completion order), e.g. to stream JSON lines. When
    ``ruleset`` is ``None``, ``load_ruleset()`` provides it only if some file needs analysis, so
    a fully cached rescan never loads the rules (nor spaCy).
    """
    options = options or BatchOptions()
    progress = progress or Progress(quiet=True)
    started = time.perf_counter()
    outcome = BatchOutcome(results=[], elapsed=0.0)
    sizes: dict[str, int] = {}

    def emit(result: DocumentResult, *, cached: bool = False) -> None:
        if transform is not None:
            result = transform(result)
        outcome.results.append(result)
        progress.update(result, cached=cached, size=sizes.get(result.path, 0))
        if on_result is not None:
            on_result(result)

    stop = _Stop()
    with stop.installed():
        unreadable: list[DocumentResult] = []
        for path in discovery.files:
            try:
                sizes[path] = os.stat(path).st_size
            except OSError as exc:
                unreadable.append(_status_result(path, "unreadable", exc.strerror or str(exc)))
        progress.start(discovery.count, sum(sizes.values()))
        for problem in discovery.problems:
            emit(_status_result(problem.path, problem.status, problem.reason))
        for result in unreadable:
            emit(result)

        tasks = _plan(discovery, sizes, options, cache, emit)
        outcome.cached = cache.hits if cache else 0

        def finish(task: _Task, result: DocumentResult) -> None:
            result = dataclasses.replace(
                result,
                path=task.path,
                sha256=result.sha256 or task.sha256,
                duplicates=task.duplicates,
            )
            if cache is not None:
                cache.put(task.sha256, result)
            outcome.analysed += 1
            outcome.analysed_pages += result.pages
            emit(result)

        remaining: list[_Task] = []
        # One file to analyse starts fastest here: a worker would import spaCy again.
        in_process = options.workers == 1 or len(tasks) == 1
        if tasks and ruleset is None and load_ruleset is not None:
            if not in_process and preload:
                prestart(preload)  # the workers' imports overlap loading the rules
            ruleset = load_ruleset()
        if tasks and not stop.signum:
            if in_process:
                remaining = _run_in_process(tasks, ruleset, options, analyze, stop, finish)
            else:
                pool = _Pool(ruleset, options, analyze, warm, preload, stop, progress)
                remaining = pool.run(tasks, finish)
                outcome.worker_peak_rss_kb = pool.peak_rss_kb
                outcome.worker_cpu_seconds = pool.cpu_seconds
                outcome.notes.extend(pool.notes)
        elif tasks:
            remaining = tasks
        if stop.signum:
            outcome.interrupted = stop.signum
        reason = "the scan was interrupted before this file was analysed"
        for task in remaining:
            emit(_status_result(task.path, NOT_SCANNED, reason, sha256=task.sha256,
                                duplicates=task.duplicates))
    progress.finish()
    if cache is not None:
        outcome.notes.extend(cache.write_errors)
    outcome.results.sort(key=lambda r: r.path)
    outcome.elapsed = time.perf_counter() - started
    return outcome


def _plan(
    discovery: Discovery,
    sizes: dict[str, int],
    options: BatchOptions,
    cache: ResultCache | None,
    emit: Callable[..., None],
) -> list[_Task]:
    """Hash the files, group identical ones, answer from the cache; return what is left to do."""
    to_hash: list[str] = []
    for path in discovery.files:
        if path not in sizes:
            continue  # already reported unreadable
        if sizes[path] > options.max_bytes:
            emit(_status_result(
                path, "too-large",
                f"{_mb(sizes[path])} is over the {_mb(options.max_bytes)} limit (--max-size)",
            ))
        else:
            to_hash.append(path)

    def digest(path: str) -> tuple[str, str | OSError]:
        try:
            return path, file_sha256(path)
        except OSError as exc:
            return path, exc

    if len(to_hash) > 8:  # hashlib releases the GIL: threads overlap reads and hashing
        with ThreadPoolExecutor(max_workers=min(8, (os.cpu_count() or 1) * 2)) as pool:
            hashed = list(pool.map(digest, to_hash))
    else:
        hashed = [digest(p) for p in to_hash]

    groups: dict[str, list[str]] = {}
    for path, sha in hashed:
        if isinstance(sha, OSError):
            emit(_status_result(path, "unreadable", sha.strerror or str(sha)))
        else:
            groups.setdefault(sha, []).append(path)

    tasks: list[_Task] = []
    # Largest first: the long files start early, so the batch does not end on one straggler.
    for sha, paths in sorted(groups.items(), key=lambda g: (-sizes[g[1][0]], g[1][0])):
        primary, duplicates = paths[0], tuple(paths[1:])
        cached = cache.get(sha, primary) if cache is not None else None
        if cached is not None:
            emit(dataclasses.replace(cached, duplicates=duplicates), cached=True)
        else:
            tasks.append(_Task(len(tasks), primary, sha, sizes[primary], duplicates))
    return tasks


def _timeout_message(seconds: float) -> str:
    return f"analysis took longer than {seconds:g} s (--timeout) and was stopped"


def _error_message(exc: BaseException) -> str:
    return f"internal error while analysing: {type(exc).__name__}: {exc}"[:300]


def _run_in_process(
    tasks: list[_Task],
    ruleset: Any,
    options: BatchOptions,
    analyze: Analyze,
    stop: _Stop,
    finish: Callable[[_Task, DocumentResult], None],
) -> list[_Task]:
    """``--jobs 1``: no process start-up at all; returns the tasks not done (on a signal)."""
    for index, task in enumerate(tasks):
        if stop.signum:
            return tasks[index:]
        try:
            stop.raising = True
            with _alarm(options.timeout):
                result = analyze(task.path, ruleset, max_bytes=options.max_bytes)
        except _FileTimeout:
            result = _status_result(task.path, "timeout", _timeout_message(options.timeout))
        except KeyboardInterrupt:
            stop.signum = stop.signum or signal.SIGINT
            return tasks[index:]
        except Exception as exc:  # analyze_file should not raise; a bug must not stop the batch
            result = _status_result(task.path, "error", _error_message(exc))
        finally:
            stop.raising = False
        finish(task, result)
    return []


# --- the worker pool -------------------------------------------------------------------------


def _usage() -> tuple[int, float]:
    """This process's peak RSS (KB on Linux) and CPU seconds so far, for the figures."""
    try:
        import resource

        usage = resource.getrusage(resource.RUSAGE_SELF)
        return int(usage.ru_maxrss), usage.ru_utime + usage.ru_stime
    except (ImportError, OSError):
        return 0, 0.0


def _worker_main(conn: Connection, ruleset: Any, analyze: Analyze, warm: Warm | None) -> None:
    """A worker: warm up, say ready, then analyse one path per message until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides what Ctrl-C means
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    note = ""
    if warm is not None:
        try:
            warm(ruleset)
        except Exception as exc:  # warming is an optimisation; the real calls report errors
            note = f"worker warm-up failed: {type(exc).__name__}: {exc}"
    conn.send(("ready", note, _usage()))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        task_id, path, max_bytes = message
        try:
            result = analyze(path, ruleset, max_bytes=max_bytes)
            reply: tuple = ("done", task_id, result, _usage())
        except Exception as exc:
            reply = ("failed", task_id, _error_message(exc), _usage())
        try:
            conn.send(reply)
        except OSError:
            return  # the parent is gone: nobody to answer
        except Exception as exc:  # e.g. a result that does not pickle
            conn.send(("failed", task_id, _error_message(exc), _usage()))


@dataclass(eq=False)
class _Worker:
    process: Any
    conn: Connection
    started: float
    ready: bool = False
    task: _Task | None = None
    deadline: float = 0.0
    done: int = 0
    peak_rss_kb: int = 0
    cpu_seconds: float = 0.0


def _context() -> multiprocessing.context.BaseContext:
    """forkserver where it exists (safe with threads, cheap worker restarts), else spawn."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def prestart(preload: Sequence[str] = DEFAULT_PRELOAD) -> None:
    """Start the fork server now, so its imports (spaCy, the extractors) run on another core
    while this process is still loading the rules. Optional: the pool starts it anyway."""
    ctx = _context()
    if ctx.get_start_method() != "forkserver":
        return
    from multiprocessing import forkserver

    ctx.set_forkserver_preload(list(preload))  # type: ignore[attr-defined]
    forkserver.ensure_running()


def _exit_reason(exitcode: int | None) -> str:
    if exitcode is None:
        return "no exit code"
    if exitcode < 0:
        try:
            return f"killed by {signal.Signals(-exitcode).name}"
        except ValueError:
            return f"killed by signal {-exitcode}"
    return f"exit code {exitcode}"


class _Pool:
    """At most ``jobs`` workers; one task each; per-task deadlines; replacement on death."""

    def __init__(
        self,
        ruleset: Any,
        options: BatchOptions,
        analyze: Analyze,
        warm: Warm | None,
        preload: Sequence[str],
        stop: _Stop,
        progress: Progress,
    ) -> None:
        self.ruleset = ruleset
        self.options = options
        self.analyze = analyze
        self.warm = warm
        self.stop = stop
        self.progress = progress
        self.ctx = _context()
        if preload and self.ctx.get_start_method() == "forkserver":
            self.ctx.set_forkserver_preload(list(preload))  # type: ignore[attr-defined]
        self.workers: list[_Worker] = []
        self.peak_rss_kb: list[int] = []
        self.cpu_seconds = 0.0
        self.notes: list[str] = []
        self.start_failures = 0

    def _start(self) -> _Worker:
        parent, child = self.ctx.Pipe(duplex=True)
        process = self.ctx.Process(  # type: ignore[attr-defined]
            target=_worker_main,
            args=(child, self.ruleset, self.analyze, self.warm),
            name="contract-audit-worker",
            daemon=True,
        )
        process.start()
        child.close()
        worker = _Worker(process, parent, time.monotonic())
        self.workers.append(worker)
        return worker

    def _retire(self, worker: _Worker, *, kill: bool) -> None:
        if worker in self.workers:
            self.workers.remove(worker)
        if worker.peak_rss_kb:
            self.peak_rss_kb.append(worker.peak_rss_kb)
        self.cpu_seconds += worker.cpu_seconds
        if not kill:
            with contextlib.suppress(OSError, ValueError):
                worker.conn.send(None)
            worker.process.join(timeout=2)
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join(timeout=2)
        with contextlib.suppress(OSError):
            worker.conn.close()

    def _note(self, line: str) -> None:
        self.notes.append(line)
        self.progress.note(line)

    def run(
        self, tasks: list[_Task], finish: Callable[[_Task, DocumentResult], None]
    ) -> list[_Task]:
        """Run ``tasks``; return those not done because of a signal."""
        pending = deque(tasks)
        try:
            while pending or any(w.task for w in self.workers):
                if self.stop.signum:
                    break
                self._top_up(len(pending))
                if self.start_failures >= _MAX_START_FAILURES:
                    self._give_up(pending, finish)
                    break
                self._assign(pending, finish)
                self._wait_and_collect(pending, finish)
        finally:
            interrupted = bool(self.stop.signum)
            running = [w.task for w in self.workers if w.task is not None]
            for worker in list(self.workers):
                self._retire(worker, kill=interrupted)
        return [*running, *pending] if interrupted else []

    def _top_up(self, pending: int) -> None:
        busy = sum(1 for w in self.workers if w.task is not None)
        wanted = min(self.options.workers, busy + pending)
        while len(self.workers) < wanted:
            self._start()

    def _assign(self, pending: deque[_Task], finish: Callable[..., None]) -> None:
        for worker in list(self.workers):
            if not (worker.ready and worker.task is None and pending):
                continue
            task = pending.popleft()
            try:
                worker.conn.send((task.id, task.path, self.options.max_bytes))
            except (OSError, ValueError):
                pending.appendleft(task)  # the worker died idle: not the file's fault
                self._retire(worker, kill=True)
                continue
            worker.task = task
            worker.deadline = time.monotonic() + self.options.timeout

    def _wait_and_collect(self, pending: deque[_Task], finish: Callable[..., None]) -> None:
        now = time.monotonic()
        deadlines = [w.deadline for w in self.workers if w.task is not None]
        deadlines += [w.started + _STARTUP_TIMEOUT for w in self.workers if not w.ready]
        timeout = max(0.0, min(deadlines) - now) if deadlines else None
        by_conn = {w.conn: w for w in self.workers}
        by_sentinel = {w.process.sentinel: w for w in self.workers}
        ready = wait([*by_conn, *by_sentinel, self.stop.fd], timeout)
        if self.stop.signum:
            return
        for obj in ready:
            worker = by_conn.get(obj)  # type: ignore[call-overload]
            if worker is not None and worker in self.workers:
                self._receive(worker, finish)
        for obj in ready:
            worker = by_sentinel.get(obj)  # type: ignore[call-overload]
            if worker is not None and worker in self.workers:
                self._died(worker, pending, finish)
        now = time.monotonic()
        for worker in list(self.workers):
            if worker.task is not None and now >= worker.deadline:
                task = worker.task
                self._retire(worker, kill=True)
                finish(task, _status_result(task.path, "timeout",
                                            _timeout_message(self.options.timeout)))
            elif not worker.ready and now >= worker.started + _STARTUP_TIMEOUT:
                self.start_failures += 1
                self._retire(worker, kill=True)

    def _receive(self, worker: _Worker, finish: Callable[..., None]) -> None:
        try:
            while worker.conn.poll():
                message = worker.conn.recv()
                self._handle(worker, message, finish)
        except (EOFError, OSError):
            pass  # the sentinel reports the death

    def _handle(self, worker: _Worker, message: tuple, finish: Callable[..., None]) -> None:
        kind = message[0]
        if kind == "ready":
            _, note, (rss, cpu) = message
            worker.ready = True
            worker.peak_rss_kb, worker.cpu_seconds = max(worker.peak_rss_kb, rss), cpu
            self.start_failures = 0
            if note and note not in self.notes:
                self._note(note)
            return
        _, task_id, payload, (rss, cpu) = message
        task = worker.task
        worker.peak_rss_kb, worker.cpu_seconds = max(worker.peak_rss_kb, rss), cpu
        if task is None or task.id != task_id:
            return  # a late answer for a task already settled (cannot happen, but be safe)
        worker.task = None
        worker.done += 1
        if kind == "done":
            finish(task, payload)
        else:
            finish(task, _status_result(task.path, "error", payload))
        limit = self.options.max_tasks_per_worker
        if limit and worker.done >= limit:
            self._retire(worker, kill=False)

    def _died(self, worker: _Worker, pending: deque[_Task], finish: Callable[..., None]) -> None:
        if worker.conn.poll():  # a last message may sit in the pipe
            self._receive(worker, finish)
            if worker not in self.workers:
                return
        worker.process.join(timeout=1)
        reason = _exit_reason(worker.process.exitcode)
        task = worker.task
        if not worker.ready:
            self.start_failures += 1
            self._note(f"a worker process failed to start ({reason}); starting another")
        self._retire(worker, kill=True)
        if task is not None:
            message = f"the analysis process stopped while reading this file ({reason})"
            finish(task, _status_result(task.path, "error", message))

    def _give_up(self, pending: deque[_Task], finish: Callable[..., None]) -> None:
        message = "worker processes could not be started; see the messages above"
        self._note(f"error: {message}")
        while pending:
            task = pending.popleft()
            finish(task, _status_result(task.path, "error", message))
