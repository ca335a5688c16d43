"""Batch-scan figures over the CUAD contracts in ../shared/corpus/cuad (skips when absent).

    python benchmarks/batch.py [--jobs 2] [--n 40]

Prints, for ``contract-audit scan`` run as a user runs it (a fresh process, HTML + JSON reports,
a fresh cache):

* the first scan of the 72 PDFs: wall time, files/s, pages/s, words/s (target: >= 200 pages/s
  end to end with --jobs 2, start-up included);
* the cached rescan of the same folder, and how many times faster it is (target: >= 20x);
* scaling: N, 2N and 4N distinct files (PDF and text) through the batch API without a cache,
  with the time to the first result (start-up) and the peak RSS of each worker (target:
  < 400 MB and not growing with the number of files).

The machine's load average is printed first: figures taken while other jobs run are not
comparable (the batch wants every core).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "cuad"


def cli_scan(folder: Path, out: Path, cache: Path, jobs: int) -> float:
    """Wall time of one ``contract-audit scan`` in a new process."""
    cmd = [sys.executable, "-m", "contract_audit", "scan", str(folder), "-o", str(out),
           "--cache", str(cache), "--jobs", str(jobs), "--quiet"]
    started = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):
        sys.exit(f"scan failed ({done.returncode}): {done.stderr[-2000:]}")
    return elapsed


def end_to_end(jobs: int, work: Path) -> None:
    pdfs = CORPUS / "pdf"
    out, cache = work / "out", work / "cache"
    cold = cli_scan(pdfs, out, cache, jobs)
    docs = json.loads((out / "report.json").read_text())["documents"]
    files = len(docs) + sum(len(d["duplicates"]) for d in docs)
    pages = sum(d["pages"] for d in docs)
    words = sum(d["words"] for d in docs)

    def figures(label: str, seconds: float) -> None:
        print(f"{label}: {seconds:.2f} s, {files / seconds:.1f} files/s, "
              f"{pages / seconds:.0f} pages/s, {words / seconds / 1000:.0f}k words/s")

    print(f"{files} PDFs, {pages} pages, {words} words, --jobs {jobs}, HTML + JSON reports "
          "(target >= 200 pages/s):")
    figures("  first scan, empty cache", cold)
    # The usual first scan of new files: the rules were loaded (and cached) by an earlier run.
    fresh = work / "cache-rules-only"
    note = work / "one"
    note.mkdir()
    (note / "note.txt").write_text("The Provider shall deliver a quarterly IT roadmap.\n")
    cli_scan(note, work / "out-one", fresh, jobs)
    first = cli_scan(pdfs, work / "out-2", fresh, jobs)
    figures("  first scan, rules already cached", first)
    rescans = [cli_scan(pdfs, out, cache, jobs) for _ in range(3)]
    best = min(rescans)
    print(f"cached rescan: {best:.2f} s (best of 3: {', '.join(f'{r:.2f}' for r in rescans)}), "
          f"{first / best:.0f}x faster   (target >= 20x)")


def scaling(jobs: int, n: int) -> None:
    from contract_audit.rules import load_rules

    pdfs = sorted((CORPUS / "pdf").glob("*.pdf"))
    txts = sorted((CORPUS / "txt").glob("*.txt"))
    # Interleave PDFs and texts so each slice has the same mix.
    mixed = [f for pair in zip(pdfs, txts, strict=False) for f in pair] + pdfs[len(txts):] + \
        txts[len(pdfs):]
    ruleset = load_rules()
    print(f"scaling (--jobs {jobs}, no cache, PDF and text interleaved, best of 2 runs):")
    base = None
    for count in (n, 2 * n, 4 * n):
        files = tuple(str(p) for p in mixed[:count])
        if len(files) < count:
            print(f"  {count} files: only {len(files)} in the corpus, skipped")
            continue
        best = min((_timed_batch(files, ruleset, jobs) for _ in range(2)), key=lambda r: r[0])
        elapsed, first, outcome = best
        pages = sum(r.pages for r in outcome.results)
        per_page = (elapsed - first) / pages
        base = base or per_page
        rss = ", ".join(f"{kb / 1024:.0f}" for kb in outcome.worker_peak_rss_kb)
        busy = outcome.worker_cpu_seconds / (elapsed * jobs)
        print(f"  {count:4d} files, {pages:5d} pages: {elapsed:6.2f} s; first result at "
              f"{first:.2f} s, then {1000 * per_page:.1f} ms/page (x{per_page / base:.2f} of "
              f"N's); workers {busy:.0%} busy; worker peak RSS MB: {rss}")


def _timed_batch(files: tuple[str, ...], ruleset: object, jobs: int) -> tuple[float, float, Any]:
    """(wall seconds, seconds to the first result, outcome) of one uncached batch."""
    from contract_audit.batch import BatchOptions, run_batch
    from contract_audit.discovery import Discovery

    first: list[float] = []
    started = time.perf_counter()

    def seen(_result: object) -> None:
        if not first:
            first.append(time.perf_counter() - started)

    outcome = run_batch(Discovery(files, ()), ruleset, options=BatchOptions(jobs=jobs),
                        on_result=seen)
    return time.perf_counter() - started, first[0], outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--n", type=int, default=40, help="N for the N/2N/4N scaling runs")
    parser.add_argument("--skip-scaling", action="store_true")
    args = parser.parse_args()
    if not (CORPUS / "pdf").is_dir():
        print(f"skipped: {CORPUS} is absent")
        return
    load = os.getloadavg()[0]
    print(f"load average before: {load:.2f} on {os.cpu_count()} CPUs"
          + ("  (busy machine: figures will be low)" if load > 0.5 else ""))
    work = Path(tempfile.mkdtemp(prefix="batch-bench-"))
    try:
        end_to_end(args.jobs, work)
        if not args.skip_scaling:
            scaling(args.jobs, args.n)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
