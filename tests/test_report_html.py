"""The per-document HTML report: content, safety, self-containment, accessibility, size."""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest
from report_factory import (
    HOSTILE,
    finding,
    hostile_result,
    independent_result,
    other_result,
    sample_result,
    unreadable_result,
)

from contract_audit.domain import ELEMENTS, EXTRACTION_STATUSES
from contract_audit.report import render_document_html, write_document_html
from contract_audit.report.labels import LEVEL_COLOURS, NEUTRAL, SEVERITY_COLOURS
from contract_audit.results import Decision, Risk, RiskItem

WHEN = "2026-11-26T08:30:00Z"


def render(result, **kw) -> str:
    return render_document_html(result, rules_version="r-42", generated_at=WHEN, **kw)


class Page(HTMLParser):
    """Just enough structure to make assertions about a rendered page."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.headings: list[int] = []
        self.marks: list[str] = []
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self.text: list[str] = []
        self._in: list[str] = []
        self._buf = ""
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag in ("mark", "script", "style"):
            self._in.append(tag)
            self._buf = ""

    def handle_endtag(self, tag):
        if self._in and self._in[-1] == tag:
            self._in.pop()
            {"mark": self.marks, "script": self.scripts, "style": self.styles}[tag].append(
                self._buf
            )

    def handle_data(self, data):
        if self._in:
            self._buf += data
        self.text.append(data)

    @property
    def body_text(self) -> str:
        return re.sub(r"\s+", " ", "".join(self.text))

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.tags if t == tag]


@pytest.fixture(scope="module")
def sample_html() -> str:
    return render(sample_result())


def test_header_shows_identity_of_the_file(sample_html: str) -> None:
    r = sample_result()
    text = Page(sample_html).body_text
    assert f'<time datetime="{WHEN}">26 Nov 2026, 08:30 UTC</time>' in sample_html
    for expected in (
        "northwind-msp-agreement.docx",
        r.sha256,
        "r-42",
        "contract-audit 0.1.0",
        "14 pages",
        "5,230 words",
    ):
        assert expected in text


def test_executive_summary(sample_html: str) -> None:
    page = Page(sample_html)
    svg = page.all("svg")[0]
    assert svg["role"] == "img"
    assert "Risk score 78 out of 100: High risk" in page.body_text
    assert "Virtual CIO supplied by a managed services provider" in page.body_text
    assert "employed by the same company that sells you" in page.body_text  # what it means
    assert "“the vCIO remains an employee of Provider”" in page.body_text  # its evidence
    # counts per family and severity: vendor incentives 1 high, 1 medium, total 2
    row = re.search(r"Vendor incentives</th>(.*?)</tr>", sample_html).group(1)
    assert re.findall(r">(\d+)<", row) == ["1", "1", "0", "0", "2"]


def test_matched_words_are_highlighted_inside_the_clause(sample_html: str) -> None:
    marks = Page(sample_html).marks
    r = sample_result()
    for f in r.findings:
        if f.match:
            assert f.match in marks
    # the evidence of a present element is highlighted too
    assert "strategic technology planning" in marks


def test_highlight_uses_offset_not_first_occurrence() -> None:
    clause = "A fee is due. Provider may also keep any referral fee from a vendor."
    rel = clause.index("fee from")
    f = replace(finding(clause, "fee"), start=1000 + rel, end=1000 + rel + 3)
    html = render(replace(sample_result(), findings=(f,)))
    assert "referral <mark>fee</mark> from a vendor" in html
    assert "A <mark>fee</mark> is due" not in html


def test_findings_grouped_by_family_and_sorted_by_severity(sample_html: str) -> None:
    h3 = re.findall(r'<h3 id="family-([a-z-]+)"', sample_html)
    assert h3 == ["vendor-incentive", "divided-loyalty", "missing-responsibility"]
    sevs = re.findall(r'data-family="divided-loyalty" data-severity="(\w+)"', sample_html)
    assert sevs == ["high", "low"]


def test_finding_details(sample_html: str) -> None:
    text = Page(sample_html).body_text
    assert "§ 7.2 Referral Fees, p. 3" in text
    assert "The advisor gains when it recommends" in text  # rationale
    assert "Suggested clause" in text
    assert "Provider shall disclose in writing any commission" in text
    assert "disclosed: “eighteen percent” → downgrade" in text  # qualifier that fired


def test_accepted_finding_stays_visible_and_marked(sample_html: str) -> None:
    page = Page(sample_html)
    assert "You may not hire the advisor without paying a fee" in page.body_text
    assert (
        "Accepted by reviewer (J. Ortega, 2026-11-20): We do not intend to hire the advisor."
        in (page.body_text)
    )


def test_stale_decisions_are_listed(sample_html: str) -> None:
    text = Page(sample_html).body_text
    assert "no longer match a finding" in text and "gone-99" in text


def test_checklist_has_all_seven_elements(sample_html: str) -> None:
    ids = re.findall(r'<tr id="element-([a-z-]+)"', sample_html)
    assert ids == list(ELEMENTS)
    assert sample_html.count("✓ Defined") == 2 and sample_html.count("✗ Missing") == 5
    assert "The Advisor shall disclose in writing, before making a recommendation" in sample_html


def test_checklist_not_assessed_for_non_advisory_contract() -> None:
    html = render(other_result())
    assert html.count("Not assessed</span>") == 7
    assert "✗ Missing" not in html
    assert "Not an IT-advisory contract" in html


def test_independent_fractional_explained() -> None:
    text = Page(render(independent_result())).body_text
    assert "Independent fractional CIO" in text and "does not sell the technology" in text


def test_protections_questions_warnings_and_score(sample_html: str) -> None:
    text = Page(sample_html).body_text
    assert "You are told before the advisor is replaced" in text  # protection
    assert "Will you list in writing every commission" in text  # from the referral finding
    assert "To whom in our organisation will the advisor report?" in text  # missing element
    assert "Removed a running header repeated on 14 pages" in text
    assert "Tracked changes were present" in text
    assert "Provider controls the advisor (high)" in text and "−8" in text


@pytest.mark.parametrize("status", EXTRACTION_STATUSES)
def test_unreadable_document_gets_a_clear_page(status: str) -> None:
    r = unreadable_result(status=status)
    page = Page(render(r))
    assert "This document could not be analysed" in page.body_text
    assert r.message in page.body_text
    assert "Its risk is unknown, not low." in page.body_text
    assert page.scripts == []  # nothing to filter
    assert not page.all("nav")


def test_score_without_explanation_and_without_risk() -> None:
    assert "no breakdown was recorded" in render(
        replace(sample_result(), risk=Risk(40, "moderate"))
    )
    html = render(replace(sample_result(), risk=None))
    assert "Not scored" in html and 'class="gauge"' not in html


def test_gauge_extremes() -> None:
    zero = render(replace(sample_result(), risk=Risk(0, "low", (RiskItem("nothing", 0.0),))))
    assert 'class="value' not in zero
    full = render(replace(sample_result(), risk=Risk(100, "high")))
    assert 'd="M 20.0 100.0 A 80.0 80.0 0 0 1 180.0 100.0"' in full


# ---------------------------------------------------------------- safety


def test_hostile_text_is_escaped_everywhere() -> None:
    html = render(hostile_result())
    page = Page(html)
    assert len(page.scripts) == 1 and "alert" not in page.scripts[0]
    assert len(page.styles) == 1 and "pwned" not in page.styles[0]
    assert not page.all("iframe") and not page.all("img")
    assert not [a for a in page.all("a") if (a.get("href") or "").startswith("javascript")]
    assert "<script>alert" not in html and "</style><script>" not in html
    assert "&lt;script&gt;alert(&#39;pwned&#39;)&lt;/script&gt;" in html
    assert "{{ 7*7 }}" in html and "49" not in page.body_text  # template syntax is text
    assert HOSTILE.replace("\u202e", "[U+202E]") in page.body_text
    assert "\u202e" not in html  # bidi overrides shown as codes, never obeyed
    assert "<script>alert('pwned')</script>" in page.marks  # the hostile match, highlighted as text


def test_templates_never_mark_contract_text_safe() -> None:
    templates = Path(__file__).resolve().parents[1] / "contract_audit" / "report" / "templates"
    for t in templates.glob("*.j2"):
        source = re.sub(r"\{#.*?#\}", "", t.read_text(encoding="utf-8"), flags=re.S)
        assert "|safe" not in source.replace(" ", ""), t.name
        assert "autoescape false" not in source, t.name


# ------------------------------------------------------ self-contained page


def _sha(source: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(source.encode()).digest()).decode()


def test_self_contained_with_content_security_policy(sample_html: str) -> None:
    page = Page(sample_html)
    assert not re.search(r"""(?:src|href|action)\s*=\s*["']?(?:https?:|//|ftp:)""", sample_html)
    assert "@import" not in sample_html and "@font-face" not in sample_html
    assert "url(" not in sample_html
    assert [a.get("href") for a in page.all("link")] == ["data:,"]  # no favicon fetch
    csp = next(
        a["content"] for a in page.all("meta") if a.get("http-equiv") == "Content-Security-Policy"
    )
    assert "default-src 'none'" in csp
    assert f"style-src '{_sha(page.styles[0])}'" in csp
    assert f"script-src '{_sha(page.scripts[0])}'" in csp


def test_works_without_javascript(sample_html: str) -> None:
    """The filter form is hidden until the script reveals it; no finding starts hidden."""
    page = Page(sample_html)
    form = page.all("form")[0]
    assert "hidden" in form
    assert not [a for t, a in page.tags if "data-finding" in a and "hidden" in a]


def test_accessible_structure(sample_html: str) -> None:
    page = Page(sample_html)
    assert page.all("html")[0]["lang"] == "en"
    for landmark in ("header", "nav", "main", "footer"):
        assert page.all(landmark), landmark
    assert page.headings[0] == 1 and page.headings.count(1) == 1
    for a, b in zip(page.headings, page.headings[1:], strict=False):
        assert b <= a + 1, f"heading level jumps from h{a} to h{b}"
    assert page.all("nav")[0].get("aria-label")
    for table in re.findall(r"<table.*?</table>", sample_html, re.S):
        assert "<th scope=" in table
    assert re.search(r'<a class="skip-link" href="#main"', sample_html)


def _luminance(hex_colour: str) -> float:
    rgb = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize("swatch", [*SEVERITY_COLOURS.values(), *LEVEL_COLOURS.values(), NEUTRAL])
def test_colours_meet_wcag_aa(swatch) -> None:
    assert contrast(swatch.ink, swatch.tint) >= 4.5
    assert contrast(swatch.ink, "#ffffff") >= 4.5


def test_body_text_colours_meet_wcag_aa(sample_html: str) -> None:
    css = Page(sample_html).styles[0]
    colours = dict(re.findall(r"--([a-z0-9-]+):\s*(#[0-9a-f]{6})", css))
    for fg in ("ink", "ink-2", "muted", "link"):
        for bg in ("paper", "canvas", "quote"):
            assert contrast(colours[fg], colours[bg]) >= 4.5, (fg, bg)
    assert contrast(colours["ink"], colours["mark"]) >= 4.5


def test_print_stylesheet(sample_html: str) -> None:
    css = Page(sample_html).styles[0]
    print_css = css[css.index("@media print") :]
    assert "@page" in print_css and "break-inside: avoid" in print_css
    assert ".toc" in print_css and "display: none" in print_css


# ------------------------------------------------------------ files & size


def test_write_is_deterministic(tmp_path: Path) -> None:
    a = write_document_html(
        sample_result(), tmp_path / "a.html", rules_version="r", generated_at=WHEN
    )
    b = write_document_html(
        sample_result(), tmp_path / "b.html", rules_version="r", generated_at=WHEN
    )
    assert a.read_bytes() == b.read_bytes()


def large_result():
    """A 30-page contract with a finding on most paragraphs and long clauses."""
    clause = (
        "Provider may receive referral fees, rebates and other incentives from vendors and "
        "distributors in connection with products recommended to Client by the vCIO, "
        "subject to the terms of Provider's partner agreements as amended from time to time. "
    )
    findings = []
    for i in range(150):
        findings.append(
            finding(
                clause * 3,
                "referral fees",
                page=1 + i // 5,
                section=f"{i // 5 + 1}.{i % 5 + 1} Fees",
                severity=("high", "medium", "low", "info")[i % 4],
                fid=f"big{i}",
                text_start=2000 * i,
            )
        )
    return replace(
        sample_result(),
        pages=30,
        words=15000,
        findings=tuple(findings),
        warnings=tuple(f"Page {i} has no text." for i in range(1, 31)),
    )


def test_thirty_page_report_stays_under_one_megabyte() -> None:
    html = render(large_result())
    assert html.count('<article class="finding') == 150
    assert len(html.encode("utf-8")) < 1_000_000


def test_long_clauses_are_trimmed_around_the_match() -> None:
    clause = (
        "Lorem ipsum dolor sit amet. " * 100 + "Provider keeps every referral fee." + " Tail." * 200
    )
    html = render(replace(sample_result(), findings=(finding(clause, "referral fee"),)))
    findings = html[html.index('id="findings"') :]
    excerpt = re.search(r'<blockquote class="clause">(.*?)</blockquote>', findings, re.S).group(1)
    assert "<mark>referral fee</mark>" in excerpt
    assert excerpt.startswith("…") and excerpt.endswith("…") and len(excerpt) < 1000


def test_findings_sharing_an_id_are_all_shown() -> None:
    a = finding("Provider may keep the referral fee.", "referral fee", fid="same")
    b = finding("Provider may keep the rebate.", "rebate", fid="same", severity="low")
    html = render(replace(sample_result(), findings=(a, b), decisions=()))
    assert html.count('<article class="finding') == 2


def test_rejected_finding_is_marked_must_change() -> None:
    r = sample_result()
    f = r.findings[0]
    html = render(replace(r, decisions=(Decision(f.id, "reject", "Unacceptable", "A. Lee"),)))
    text = Page(html).body_text
    assert "Rejected by reviewer: must be changed before signing (A. Lee): Unacceptable" in text
    assert "1 rejected (must be changed)" in text
    assert 'class="finding sev-high accepted"' not in html
