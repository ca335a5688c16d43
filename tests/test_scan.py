"""``contract-audit scan`` end to end: outputs, formats, exit codes, cache, Ctrl-C."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from contract_audit.cli import cli

ROOT = Path(__file__).resolve().parents[1]
CONTRACTS = ROOT / "fixtures" / "contracts"
RISKY = CONTRACTS / "msp01-harborline-managed-services.txt"  # high findings, advisory contract
LEASE = CONTRACTS / "oth01-copperfield-office-lease.txt"


def scan(*args: str | Path, cache: Path | None = None):
    runner = CliRunner()
    extra = ["--cache", str(cache)] if cache else ["--no-cache"]
    result = runner.invoke(cli, ["scan", *map(str, args), *extra], catch_exceptions=False)
    return result


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    inp = tmp_path / "in"
    (inp / "sub").mkdir(parents=True)
    shutil.copy(RISKY, inp / "risky.txt")
    shutil.copy(RISKY, inp / "sub" / "same-as-risky.txt")
    shutil.copy(LEASE, inp / "lease.txt")
    return inp


def test_single_file_writes_named_html_and_json(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copy(RISKY, tmp_path / "Harbor Line.txt")
    result = scan("-j", "1", "Harbor Line.txt")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "reports").iterdir()) == [
        "Harbor-Line.html",
        "Harbor-Line.json",
    ]
    data = json.loads((tmp_path / "reports" / "Harbor-Line.json").read_text())
    (doc,) = data["documents"]
    assert doc["path"] == "Harbor Line.txt" and doc["status"] == "ok" and doc["findings"]
    assert "Harbor Line.txt" in (tmp_path / "reports" / "Harbor-Line.html").read_text()


def test_folder_writes_one_page_per_document_an_index_and_report_json(
    folder: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = scan(folder, "-o", out, "-j", "2")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "index.html",
        "lease.html",
        "report.json",
        "risky.html",
    ]
    docs = json.loads((out / "report.json").read_text())["documents"]
    assert [Path(d["path"]).name for d in docs] == ["lease.txt", "risky.txt"]
    assert docs[1]["duplicates"] == [str(folder / "sub" / "same-as-risky.txt")]
    index = (out / "index.html").read_text()
    assert 'href="risky.html"' in index and 'href="lease.html"' in index
    assert "Scanned 3 files (2 distinct, 1 duplicate)" in result.stderr


def test_json_to_stdout_and_jsonl_stream(folder: Path) -> None:
    result = scan(folder, "-o", "-", "-j", "1", "-q")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["schema_version"] == 1 and len(data["documents"]) == 2

    lines = scan(folder, "-o", "-", "-f", "jsonl", "-j", "1", "-q").stdout.splitlines()
    assert sorted(json.loads(line)["path"] for line in lines) == [
        str(folder / "lease.txt"),
        str(folder / "risky.txt"),
    ]


def test_jsonl_file_is_written_beside_the_reports(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert scan(folder, "-o", out, "-f", "jsonl,json", "-j", "1").exit_code == 0
    assert len((out / "report.jsonl").read_text().splitlines()) == 2
    assert not (out / "index.html").exists()


def test_fail_on_and_the_precedence_of_unreadable_files(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    failed = scan(folder, "-o", out, "--fail-on", "high", "-j", "1")
    assert failed.exit_code == 1
    assert "--fail-on high" in failed.stderr
    assert scan(LEASE, "-o", out, "--fail-on", "high", "-j", "1").exit_code == 0
    (folder / "broken.pdf").write_bytes(b"%PDF-1.7\n garbage")
    both = scan(folder, "-o", out, "--fail-on", "high", "-j", "1")
    assert both.exit_code == 3  # unreadable wins over findings: the scan is incomplete
    assert "broken.pdf: corrupt" in both.stderr


def test_accepted_findings_no_longer_fail_the_gate(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = json.loads(scan(RISKY, "-o", "-", "-j", "1", "-q").stdout)["documents"][0]
    high = [f["id"] for f in first["findings"] if f["severity"] == "high"]
    assert high
    decisions = tmp_path / "decisions.yml"
    decisions.write_text(
        "decisions:\n"
        + "".join(
            f"  - finding: {fid}\n    action: accept\n    reason: negotiated\n"
            f"    by: Test Reviewer\n    date: 2026-11-20\n"
            for fid in high
        )
    )
    result = scan(folder, "-o", out, "--fail-on", "high", "--decisions", decisions, "-j", "1")
    assert result.exit_code == 0, result.output
    risky = json.loads((out / "report.json").read_text())["documents"][1]
    assert {d["finding"] for d in risky["decisions"]} == set(high)
    assert risky["stale_decisions"] == []


@pytest.mark.parametrize(
    "args, message",
    [
        (["-f", "pdf"], "'pdf' is not one of"),
        (["-o", "-", "-f", "html"], "--output - writes to stdout"),
        (["--rules", "/nonexistent-rules"], "rule folder not found"),
        (["--decisions", "/nonexistent.yml"], "decisions"),
        (["--max-size", "lots"], "not a size"),
    ],
)
def test_usage_errors_exit_2(folder: Path, args: list[str], message: str) -> None:
    result = scan(folder, *args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_missing_path_and_empty_folder_exit_2(tmp_path: Path) -> None:
    assert scan(tmp_path / "nope.pdf").exit_code == 2
    (tmp_path / "empty").mkdir()
    result = scan(tmp_path / "empty")
    assert result.exit_code == 2 and "no files to scan" in result.stderr


def test_cached_rescan_gives_the_same_report(folder: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = scan(folder, "-o", tmp_path / "a", "-j", "1", cache=cache)
    again = scan(folder, "-o", tmp_path / "b", "-j", "1", cache=cache)
    assert "from cache" not in first.stderr
    assert "2 from cache" in again.stderr

    def documents(path: Path) -> list:
        return json.loads((path / "report.json").read_text())["documents"]

    assert documents(tmp_path / "a") == documents(tmp_path / "b")


_SLOW_WRAPPER = """
import sys, time
import contract_audit.analysis as analysis
real = analysis.analyze_file
def slow(path, ruleset, **kw):
    if "slow" in str(path):
        sys.stderr.write("SLOW-STARTED\\n"); sys.stderr.flush(); time.sleep(60)
    return real(path, ruleset, **kw)
analysis.analyze_file = slow
from contract_audit.cli import main
sys.argv = ["contract-audit", *sys.argv[1:]]
main()
"""


def test_ctrl_c_keeps_finished_results_and_writes_the_reports(folder: Path, tmp_path: Path):
    (folder / "slow.txt").write_text("A short file that will hang.\n")  # smallest: runs last
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            _SLOW_WRAPPER,
            "scan",
            str(folder),
            "-o",
            str(out),
            "-j",
            "1",
            "--no-cache",
        ],
        stderr=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    assert proc.stderr is not None
    for line in proc.stderr:
        if "SLOW-STARTED" in line or time.monotonic() > deadline:
            break
    proc.send_signal(signal.SIGINT)
    _, rest = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert "Interrupted" in rest and "slow.txt: not-scanned" in rest
    docs = {
        Path(d["path"]).name: d for d in json.loads((out / "report.json").read_text())["documents"]
    }
    assert docs["slow.txt"]["status"] == "not-scanned"
    assert docs["risky.txt"]["status"] == "ok" and docs["risky.txt"]["findings"]
    assert (out / "index.html").exists()
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no temporary files


def test_help_lists_exit_codes() -> None:
    result = CliRunner().invoke(cli, ["scan", "--help"])
    assert "Exit codes" in result.output and "130" in result.output


@pytest.mark.skipif(os.name != "posix", reason="uses a POSIX named pipe")
def test_quiet_still_lists_problem_files(folder: Path, tmp_path: Path) -> None:
    os.mkfifo(folder / "pipe.pdf")
    result = scan(folder, "-o", tmp_path / "out", "-q", "-j", "1")
    assert result.exit_code == 3
    assert "pipe.pdf: unreadable: not a regular file" in result.stderr
    assert "Scanned" not in result.stderr


def test_a_report_that_fails_to_render_does_not_cost_the_others(
    folder: Path, tmp_path: Path, monkeypatch
) -> None:
    import contract_audit.report as report

    real = report.write_document_html

    def flaky(result, path, **kwargs):
        if "lease" in result.path:
            raise RuntimeError("template bug")
        return real(result, path, **kwargs)

    monkeypatch.setattr(report, "write_document_html", flaky)
    out = tmp_path / "out"
    result = scan(folder, "-o", out, "-j", "1")
    assert result.exit_code == 3
    assert "lease.txt: report not written: RuntimeError: template bug" in result.stderr
    assert {p.name for p in out.iterdir()} == {"index.html", "report.json", "risky.html"}


def test_exit_code_precedence() -> None:
    from contract_audit.commands.scan import exit_code
    from contract_audit.results import DocumentResult

    ok, bad = DocumentResult(path="a"), DocumentResult(path="b", status="encrypted")
    assert exit_code([ok], []) == 0
    assert exit_code([ok], ["finding"]) == 1
    assert exit_code([ok, bad], ["finding"]) == 3
    assert exit_code([ok, bad], ["finding"], interrupted=signal.SIGINT) == 130
    assert exit_code([ok], [], interrupted=signal.SIGTERM) == 143


def test_rescan_rewrites_only_the_pages_that_changed(folder: Path, tmp_path: Path) -> None:
    cache, out = tmp_path / "cache", tmp_path / "out"
    assert scan(folder, "-o", out, "-j", "1", cache=cache).exit_code == 0
    risky, lease = out / "risky.html", out / "lease.html"
    before = {p: p.stat().st_mtime_ns for p in (risky, lease, out / "report.json")}
    time.sleep(0.02)
    (folder / "lease.txt").write_text(LEASE.read_text() + "\nSigned in two counterparts.\n")
    assert scan(folder, "-o", out, "-j", "1", cache=cache).exit_code == 0
    assert risky.stat().st_mtime_ns == before[risky]  # same inputs: page kept
    assert lease.stat().st_mtime_ns != before[lease]  # changed file: page rendered again
    assert (out / "report.json").stat().st_mtime_ns != before[out / "report.json"]
    risky.unlink()
    assert scan(folder, "-o", out, "-j", "1", cache=cache).exit_code == 0
    assert risky.is_file()  # a missing page is always written
    kept = risky.stat().st_mtime_ns
    time.sleep(0.02)
    assert scan(folder, "-o", out, "-j", "1", "--no-cache").exit_code == 0
    assert risky.stat().st_mtime_ns != kept  # --no-cache renders everything again
