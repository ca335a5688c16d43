"""The batch index: every input listed, riskiest first, relative links, a chart."""

from __future__ import annotations

import re
from pathlib import Path

from report_factory import (
    hostile_result,
    independent_result,
    other_result,
    sample_result,
    unreadable_result,
)

from contract_audit.report import output_names, render_index_html, write_index_html
from contract_audit.report.index import safe_href

WHEN = "2026-11-26T08:30:00Z"


def batch():
    results = [
        other_result(),
        unreadable_result(),
        sample_result(),
        independent_result(),
        unreadable_result("b/locked.pdf", status="encrypted"),
    ]
    names = output_names(r.path for r in results)
    return results, {p: f"{n}.html" for p, n in names.items()}


def test_every_input_is_a_row_riskiest_first_unreadable_last() -> None:
    results, links = batch()
    html = render_index_html(results, rules_version="r", links=links, generated_at=WHEN)
    rows = re.findall(r'<th scope="row" data-value="([^"]+)"', html)
    assert rows == [
        "northwind-msp-agreement.docx",
        "fractional-cio-sow.pdf",
        "office-lease.pdf",
        "locked.pdf",
        "scanned-addendum.pdf",
    ]


def test_unreadable_files_are_named_with_their_reason() -> None:
    results, links = batch()
    html = render_index_html(results, rules_version="r", links=links, generated_at=WHEN)
    assert "2 files could not be read" in html
    assert "Encrypted" in html and "No text layer" in html
    assert unreadable_result().message in html


def test_identical_copies_are_listed_with_their_row() -> None:
    import dataclasses

    original = sample_result()
    copy_path = "archive/<old> copy.docx"
    result = dataclasses.replace(original, duplicates=(copy_path,))
    html = render_index_html([result], rules_version="r", links={}, generated_at=WHEN)
    assert "identical: archive/&lt;old&gt; copy.docx" in html
    assert "identical:" not in render_index_html(
        [original], rules_version="r", links={}, generated_at=WHEN
    )


def test_counts_engagement_and_level_per_row() -> None:
    results, links = batch()
    html = render_index_html(results, rules_version="r", links=links, generated_at=WHEN)
    row = re.search(r'data-value="northwind-msp-agreement.docx".*?</tr>', html, re.S).group(0)
    assert "MSP vCIO" in row and "High risk" in row and 'data-value="78"' in row
    nums = re.findall(r'<td class="num(?: zero)?" data-label="(\w+)">(\d+)</td>', row)
    assert nums == [
        ("High", "2"),
        ("Medium", "6"),
        ("Low", "1"),
        ("Info", "0"),
        ("Protections", "1"),
    ]


def test_links_are_relative_and_point_to_written_pages(tmp_path: Path) -> None:
    results, links = batch()
    path = write_index_html(
        results, tmp_path / "index.html", rules_version="r", links=links, generated_at=WHEN
    )
    hrefs = re.findall(r'<a class="doc-link" href="([^"]+)"', path.read_text())
    assert sorted(hrefs) == sorted(links.values())
    assert all("/" not in h and ":" not in h for h in hrefs)


def test_missing_link_is_shown_without_one() -> None:
    results, _ = batch()
    html = render_index_html(results, rules_version="r", links={}, generated_at=WHEN)
    assert 'class="doc-link" href' not in html
    assert html.count('<span class="doc-link">') == len(results)


def test_hostile_names_and_links_are_inert() -> None:
    r = hostile_result()
    html = render_index_html(
        [r], rules_version="r", links={r.path: "javascript:alert(1)"}, generated_at=WHEN
    )
    assert 'href="javascript:' not in html
    assert "<script>alert(" not in html
    assert safe_href("javascript:alert(1)") == "javascript%3Aalert%281%29"
    assert safe_href("/etc/passwd") == "./etc/passwd"
    assert safe_href("my report.html") == "my%20report.html"


def test_family_chart_has_a_text_alternative() -> None:
    results, links = batch()
    html = render_index_html(results, rules_version="r", links=links, generated_at=WHEN)
    desc = re.search(r"<desc[^>]*>(.*?)</desc>", html, re.S).group(1)
    assert "Vendor incentives: 2 (1 high, 1 medium)" in desc
    assert "Missing responsibilities: 6 (1 high, 5 medium)" in desc
    assert len(re.findall(r"<rect class=\"bar-", html)) == 6  # 2 segments per family


def test_without_javascript_the_order_is_already_by_risk() -> None:
    results, links = batch()
    html = render_index_html(results, rules_version="r", links=links, generated_at=WHEN)
    assert 'aria-sort="descending"' in html  # the score column is the default sort
    assert html.count("<script>") == 1
