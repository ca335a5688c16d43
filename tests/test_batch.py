"""The batch runner with a fake per-file function: pool, timeouts, crashes, cache, signals.

The fakes are module-level so worker processes can unpickle them; what a fake does is decided
by the file's content, so one folder exercises every path through the pool.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from contract_audit.batch import NOT_SCANNED, BatchOptions, run_batch
from contract_audit.cache import ResultCache
from contract_audit.discovery import discover
from contract_audit.results import DocumentResult, Finding


def fake_analyze(path: str, ruleset: object, *, max_bytes: int) -> DocumentResult:
    """ok with one finding per line; SLEEP hangs, CRASH kills the worker, RAISE raises."""
    data = Path(path).read_bytes()
    if b"SLEEP" in data:
        time.sleep(60)
    if b"CRASH" in data:
        os.kill(os.getpid(), signal.SIGKILL)
    if b"RAISE" in data:
        raise ValueError("the fake analysis failed")
    if data.startswith(b"INTERRUPT-PID"):  # the batch's pid: a forkserver child's parent differs
        os.kill(int(data.split()[1]), signal.SIGINT)
        time.sleep(60)
    if b"INTERRUPT-SELF" in data:
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(60)
    lines = data.decode("utf-8", "replace").splitlines()
    findings = tuple(
        Finding(
            id=f"f{i}",
            rule="r",
            family="vendor-incentive",
            element=None,
            severity="high",
            title=line,
            text=line,
            match=line,
            start=0,
            end=1,
            text_start=0,
            page=1,
            section=None,
        )
        for i, line in enumerate(lines)
    )
    return DocumentResult(
        path=path,
        status="ok",
        format="text",
        pages=len(lines) or 1,
        words=len(data.split()),
        findings=findings,
    )


def fake_warm(ruleset: object) -> None:
    """Workers warm up; a crash here would show up as a start failure."""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def run(
    folder: Path,
    *,
    jobs: int = 2,
    timeout: float = 30,
    cache: ResultCache | None = None,
    **kwargs: object,
):
    return run_batch(
        discover([folder]),
        object(),
        options=BatchOptions(jobs=jobs, timeout=timeout),
        cache=cache,
        analyze=fake_analyze,
        warm=fake_warm,
        preload=(),
        **kwargs,
    )


def by_name(outcome) -> dict[str, DocumentResult]:
    return {Path(r.path).name: r for r in outcome.results}


@pytest.mark.parametrize("jobs", [1, 2])
def test_every_file_gets_a_result_in_path_order(tmp_path: Path, jobs: int) -> None:
    for i in range(6):
        write(tmp_path, f"doc{i}.txt", "clause\n" * (i + 1))
    outcome = run(tmp_path, jobs=jobs)
    assert [Path(r.path).name for r in outcome.results] == [f"doc{i}.txt" for i in range(6)]
    assert [len(r.findings) for r in outcome.results] == [1, 2, 3, 4, 5, 6]
    assert all(len(r.sha256) == 64 for r in outcome.results)
    assert outcome.analysed == 6 and not outcome.interrupted


def test_identical_files_are_analysed_once_and_listed_as_duplicates(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", "same words\n")
    write(tmp_path, "sub/b.txt", "same words\n")
    write(tmp_path, "c.txt", "other words\n")
    outcome = run(tmp_path)
    assert outcome.analysed == 2
    results = by_name(outcome)
    assert set(results) == {"a.txt", "c.txt"}
    assert results["a.txt"].duplicates == (str(tmp_path / "sub" / "b.txt"),)


def test_runaway_crashing_and_raising_files_do_not_stop_the_batch(tmp_path: Path) -> None:
    write(tmp_path, "slow.txt", "SLEEP")
    write(tmp_path, "crash.txt", "CRASH")
    write(tmp_path, "raise.txt", "RAISE")
    for i in range(4):
        write(tmp_path, f"good{i}.txt", f"clause {i}\n")
    started = time.monotonic()
    outcome = run(tmp_path, jobs=2, timeout=1.5)
    assert time.monotonic() - started < 20
    results = by_name(outcome)
    assert results["slow.txt"].status == "timeout"
    assert "1.5 s" in results["slow.txt"].message
    assert results["crash.txt"].status == "error"
    assert "SIGKILL" in results["crash.txt"].message
    assert results["raise.txt"].status == "error"
    assert "the fake analysis failed" in results["raise.txt"].message
    assert all(results[f"good{i}.txt"].status == "ok" for i in range(4))
    assert len(outcome.results) == 7


def test_in_process_timeout_interrupts_python_code(tmp_path: Path) -> None:
    write(tmp_path, "slow.txt", "SLEEP")
    write(tmp_path, "good.txt", "clause\n")
    outcome = run(tmp_path, jobs=1, timeout=0.5)
    results = by_name(outcome)
    assert results["slow.txt"].status == "timeout"
    assert results["good.txt"].status == "ok"


def test_too_large_files_are_refused_without_reading(tmp_path: Path) -> None:
    write(tmp_path, "big.txt", "x" * 5000)
    write(tmp_path, "small.txt", "x")
    outcome = run_batch(
        discover([tmp_path]),
        object(),
        options=BatchOptions(jobs=1, max_bytes=1000),
        analyze=fake_analyze,
    )
    results = by_name(outcome)
    assert results["big.txt"].status == "too-large"
    assert "--max-size" in results["big.txt"].message
    assert results["small.txt"].status == "ok"


def test_discovery_problems_become_unreadable_results(tmp_path: Path) -> None:
    write(tmp_path, "good.txt", "clause\n")
    os.symlink("loop.pdf", tmp_path / "loop.pdf")
    outcome = run(tmp_path, jobs=1)
    results = by_name(outcome)
    assert results["loop.pdf"].status == "unreadable"
    assert "loop" in results["loop.pdf"].message


def test_rescan_comes_from_the_cache_without_loading_rules(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    for i in range(3):
        write(folder, f"doc{i}.txt", f"clause {i}\n")
    write(folder, "bad.txt", "RAISE")
    cache = ResultCache(tmp_path / "cache", rules_version="v1")
    first = run(folder, jobs=1, cache=cache)
    assert first.analysed == 4

    loads: list[int] = []

    def load_ruleset() -> object:
        loads.append(1)
        return object()

    cache2 = ResultCache(tmp_path / "cache", rules_version="v1")
    again = run_batch(
        discover([folder]),
        None,
        options=BatchOptions(jobs=1),
        cache=cache2,
        analyze=fake_analyze,
        load_ruleset=load_ruleset,
    )
    # The three good files come from the cache; the error is not cached, so it is redone.
    assert again.cached == 3 and again.analysed == 1 and loads == [1]
    assert [r.to_dict() for r in again.results] == [r.to_dict() for r in first.results]

    (folder / "bad.txt").unlink()
    cache3 = ResultCache(tmp_path / "cache", rules_version="v1")
    loads.clear()
    third = run_batch(
        discover([folder]),
        None,
        options=BatchOptions(jobs=1),
        cache=cache3,
        analyze=fake_analyze,
        load_ruleset=load_ruleset,
    )
    assert third.cached == 3 and third.analysed == 0 and loads == []


def test_transform_and_streaming_see_every_final_result(tmp_path: Path) -> None:
    for i in range(3):
        write(tmp_path, f"doc{i}.txt", "clause\n")
    write(tmp_path, "doc3.txt", "another\n")
    streamed: list[str] = []
    outcome = run(
        tmp_path,
        jobs=2,
        transform=lambda r: DocumentResult(**{**r.__dict__, "message": "seen"}),
        on_result=lambda r: streamed.append(r.path),
    )
    assert sorted(streamed) == [r.path for r in outcome.results]
    assert all(r.message == "seen" for r in outcome.results)


def test_sigint_in_process_keeps_finished_results(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", "a clause long enough to go first\n")
    write(tmp_path, "b.txt", "INTERRUPT-SELF")
    write(tmp_path, "c.txt", "clause\n")
    previous = signal.getsignal(signal.SIGINT)
    outcome = run_batch(
        discover([tmp_path]), object(), options=BatchOptions(jobs=1), analyze=fake_analyze
    )
    assert signal.getsignal(signal.SIGINT) is previous  # handlers restored
    assert outcome.interrupted == signal.SIGINT
    statuses = {Path(r.path).name: r.status for r in outcome.results}
    # Largest first: a.txt finishes, b.txt is stopped by the signal, c.txt never starts.
    assert statuses == {"a.txt": "ok", "b.txt": NOT_SCANNED, "c.txt": NOT_SCANNED}


def test_sigint_during_a_pool_run_stops_workers_and_lists_the_rest(tmp_path: Path) -> None:
    write(tmp_path, "stop.txt", f"INTERRUPT-PID {os.getpid()}" + " " * 100)  # largest: first
    for i in range(5):
        write(tmp_path, f"doc{i}.txt", f"SLEEP {i}")
    started = time.monotonic()
    outcome = run(tmp_path, jobs=2, timeout=60)
    assert time.monotonic() - started < 20
    assert outcome.interrupted == signal.SIGINT
    assert len(outcome.results) == 6
    assert {r.status for r in outcome.results} == {NOT_SCANNED}


def test_a_single_file_is_analysed_in_process(tmp_path: Path) -> None:
    write(tmp_path, "only.txt", "clause\n")
    outcome = run(tmp_path, jobs=4)
    assert outcome.analysed == 1 and outcome.worker_peak_rss_kb == []  # no worker started
