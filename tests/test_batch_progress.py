"""Progress on stderr: a bar on a terminal, log lines elsewhere, quiet; and the summary."""

from __future__ import annotations

import io

from contract_audit.progress import Progress, Summary
from contract_audit.results import DocumentResult, Finding


def finding(severity: str) -> Finding:
    return Finding(id=severity, rule="r", family="vendor-incentive", element=None,
                   severity=severity, title="t", text="x", match="x", start=0, end=1,
                   text_start=0, page=1, section=None)


OK = DocumentResult(path="a.pdf", pages=12, findings=(finding("high"), finding("low")),
                    duplicates=("copy/a.pdf",))
BAD = DocumentResult(path="b.pdf", status="encrypted", message="password-protected PDF")


def test_log_lines_when_not_a_terminal() -> None:
    out = io.StringIO()
    progress = Progress(out, tty=False)
    progress.start(3)
    progress.update(OK)
    progress.update(BAD)
    progress.finish()
    lines = out.getvalue().splitlines()
    assert lines == [
        "[2/3] a.pdf: ok, 2 findings (1 high, 1 low), 12 pages [+1 identical file]",
        "[3/3] b.pdf: encrypted: password-protected PDF",
    ]


def test_bar_on_a_terminal_keeps_problem_lines() -> None:
    out = io.StringIO()
    progress = Progress(out, tty=True)
    progress.start(4, total_bytes=400)
    progress.update(OK, size=100)
    progress.update(BAD, size=100)
    progress.finish()
    text = out.getvalue()
    assert "\r\x1b[K[" in text and "3/4 files" in text
    assert "b.pdf: encrypted: password-protected PDF\n" in text
    assert text.endswith("\r\x1b[K")  # the bar is cleared before the summary


def test_eta_is_proportional_to_bytes_left() -> None:
    progress = Progress(io.StringIO(), tty=False)
    progress.start(4, total_bytes=400)
    progress.done, progress.done_bytes = 1, 100
    assert progress._eta(elapsed=2.0) == 6.0


def test_quiet_prints_nothing() -> None:
    out = io.StringIO()
    progress = Progress(out, quiet=True, tty=True)
    progress.start(2)
    progress.update(BAD)
    progress.note("a worker was replaced")
    progress.finish()
    assert out.getvalue() == ""


def test_summary_counts_files_statuses_severities_and_lists_problems() -> None:
    summary = Summary([OK, BAD], elapsed=2.0, cached=1, analysed_pages=12)
    text = summary.text()
    assert text.splitlines()[0] == (
        "Scanned 3 files (2 distinct, 1 duplicate) in 2.0 s: 12 pages, 6 pages/s, 1 from cache"
    )
    assert "  files: 2 ok, 1 encrypted" in text
    assert "  findings: 1 high, 0 medium, 1 low, 0 info" in text
    assert "1 file not analysed:\n  b.pdf: encrypted: password-protected PDF" in text
    assert Summary([OK], 1.0, interrupted=True).text().startswith("Interrupted. ")
