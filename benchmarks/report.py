"""HTML report size and render time on real contracts (the CUAD PDFs) and on a synthetic one.

    python benchmarks/report.py [--limit N]

For each PDF: pages, findings, report size (KB) and render time (ms), then the largest report per
page count and the synthetic 30-page worst case (150 findings with long clauses). The budget is
1 MB for a 30-page contract. Skips the corpus part (exit 0) when ../shared/corpus is absent.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "cuad" / "pdf"
BUDGET = 1_000_000


def render_size(result, version: str) -> tuple[int, float]:  # type: ignore[no-untyped-def]
    from contract_audit.report import render_document_html

    t0 = time.perf_counter()
    html = render_document_html(result, rules_version=version)
    return len(html.encode("utf-8")), (time.perf_counter() - t0) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=int, default=20, help="PDFs to measure (largest first)")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT / "tests"))
    from report_factory import sample_result  # noqa: F401  (warm the factory's imports)
    from test_report_html import large_result

    size, ms = render_size(large_result(), "synthetic")
    print(
        f"synthetic 30 pages, 150 findings: {size / 1024:.0f} KB, {ms:.0f} ms "
        f"({'within' if size < BUDGET else 'OVER'} the 1 MB budget)"
    )

    if not CORPUS.is_dir():
        print(f"{CORPUS} is absent: corpus part skipped")
        return 0
    from contract_audit.analysis import analyze_file
    from contract_audit.rules import load_rules

    ruleset = load_rules()
    pdfs = sorted(CORPUS.glob("*.pdf"), key=lambda p: p.stat().st_size, reverse=True)
    rows = []
    for pdf in pdfs[: args.limit]:
        result = analyze_file(pdf, ruleset)
        size, ms = render_size(result, ruleset.version)
        rows.append((result.pages, len(result.findings), size, ms, pdf.name, result.status))
    print(f"{'pages':>5} {'finds':>5} {'KB':>6} {'ms':>6}  file")
    for pages, n, size, ms, name, status in sorted(rows, reverse=True):
        note = "" if status == "ok" else f"  ({status})"
        print(f"{pages:>5} {n:>5} {size / 1024:>6.0f} {ms:>6.0f}  {name[:60]}{note}")
    long = [r for r in rows if r[0] >= 10] or rows  # per-page rate of short files is overhead
    worst = max(long, key=lambda r: r[2] / max(r[0], 1))
    print(
        f"largest per page: {worst[2] / 1024 / max(worst[0], 1):.1f} KB/page ({worst[4][:50]}); "
        f"at that rate 30 pages = {worst[2] / max(worst[0], 1) * 30 / 1024:.0f} KB"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
