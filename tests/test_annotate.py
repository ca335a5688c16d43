"""Word comments: every comment's text and anchor, the package's integrity, what is preserved."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import zipfile
from pathlib import Path, PurePosixPath

import pytest
from lxml import etree
from test_review_fakes import (
    CURLY,
    TITLE,
    build_docx,
    docx_findings,
    make_finding,
    make_result,
    replace_finding,
)

from contract_audit.results import Decision
from contract_audit.review.annotate import AnnotateError, annotate_docx
from contract_audit.review.docx_runs import paragraph_text, split_run
from contract_audit.review.locate import fold, locate

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
HIDDEN = {f"{W}del", f"{W}moveFrom"}
CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def anchored_texts(docx: Path) -> dict[str, str]:
    """Comment id -> the visible text between its range start and end (independent reader)."""
    root = etree.fromstring(zipfile.ZipFile(docx).read("word/document.xml"))
    open_ids: set[str] = set()
    texts: dict[str, str] = {}
    for el in root.iter():
        if el.tag == f"{W}commentRangeStart":
            open_ids.add(el.get(f"{W}id"))
            texts.setdefault(el.get(f"{W}id"), "")
        elif el.tag == f"{W}commentRangeEnd":
            open_ids.discard(el.get(f"{W}id"))
        elif el.tag in (f"{W}t", f"{W}tab") and not any(
            a.tag in HIDDEN for a in el.iterancestors()
        ):
            for cid in open_ids:
                texts[cid] += el.text or "" if el.tag == f"{W}t" else "\t"
    return texts


def comment_texts(docx: Path) -> dict[str, str]:
    root = etree.fromstring(zipfile.ZipFile(docx).read("word/comments.xml"))
    return {
        c.get(f"{W}id"): "\n".join(
            "".join(t.text or "" for t in p.iter(f"{W}t")) for p in c.iter(f"{W}p")
        )
        for c in root.iter(f"{W}comment")
    }


def assert_well_formed(docx: Path) -> None:
    """Zip opens, every XML part parses, content types know the comments part, and every
    internal relationship points at a part that exists."""
    with zipfile.ZipFile(docx) as z:
        assert z.testzip() is None
        names = set(z.namelist())
        for name in names:
            if name.endswith((".xml", ".rels")):
                etree.fromstring(z.read(name))
        types = etree.fromstring(z.read("[Content_Types].xml"))
        overrides = {o.get("PartName"): o.get("ContentType") for o in types.iter(f"{CT}Override")}
        assert overrides.get("/word/comments.xml", "").endswith("comments+xml")
        for rels in (n for n in names if n.endswith(".rels")):
            folder = PurePosixPath(rels).parent.parent
            for rel in etree.fromstring(z.read(rels)).iter(f"{REL}Relationship"):
                if rel.get("TargetMode") == "External":
                    continue
                target = rel.get("Target")
                path = (
                    target.lstrip("/")
                    if target.startswith("/")
                    else str(PurePosixPath(folder, target))
                )
                parts = []
                for piece in path.split("/"):
                    if piece == "..":
                        parts.pop()
                    elif piece not in ("", "."):
                        parts.append(piece)
                assert "/".join(parts) in names, f"{rels}: {target} does not resolve"


@pytest.fixture()
def annotated(tmp_path: Path) -> tuple[Path, Path, list]:
    source = build_docx(tmp_path / "contract.docx")
    findings = docx_findings()
    result = make_result(findings, path=str(source))
    out = tmp_path / "out" / "contract.annotated.docx"
    annotation = annotate_docx(source, result, out)
    return source, out, [findings, annotation]


def test_every_comment_is_anchored_to_the_matched_words(annotated) -> None:
    _, out, (findings, annotation) = annotated
    anchors = anchored_texts(out)
    comments = comment_texts(out)
    assert annotation.comment_count == len(findings) + 1
    for placed in annotation.placed:
        cid = str(placed.comment_id)
        assert placed.anchor is not None and placed.anchor.precision == "match"
        assert anchors[cid] == placed.finding.match
        text = comments[cid]
        assert placed.finding.title in text
        assert f"Why it matters: {placed.finding.rationale}" in text
        assert f"What to ask for: {placed.finding.recommendation}" in text
        assert placed.finding.id in text


def test_summary_comment_sits_on_the_first_paragraph(annotated) -> None:
    _, out, (_, annotation) = annotated
    cid = str(annotation.summary_comment_id)
    assert anchored_texts(out)[cid] == TITLE
    summary = comment_texts(out)[cid]
    assert "risk 60/100 (Elevated risk)" in summary
    assert "Missing responsibility elements: Reporting line." in summary
    assert "- Reporting line: Add a reporting-line clause." in summary
    assert "Scope" not in summary  # present elements are not listed
    assert "5 high" not in summary and "3 high" in summary


def test_repeated_clause_gets_one_comment_per_occurrence(annotated) -> None:
    _, _, (_, annotation) = annotated
    placed = [p for p in annotation.placed if p.finding.rule == "replace-advisor"]
    paragraphs = [p.anchor.paragraph for p in placed]
    assert len(set(paragraphs)) == 2


def test_source_is_untouched_and_package_is_well_formed(tmp_path: Path) -> None:
    source = build_docx(tmp_path / "contract.docx")
    before = hashlib.sha256(source.read_bytes()).hexdigest()
    out = tmp_path / "a.docx"
    annotate_docx(source, make_result(docx_findings()), out)
    assert hashlib.sha256(source.read_bytes()).hexdigest() == before
    assert_well_formed(out)


def test_formatting_tracked_changes_tables_and_numbering_survive(annotated) -> None:
    import docx

    source, out, _ = annotated

    def inventory(path: Path) -> dict:
        root = etree.fromstring(zipfile.ZipFile(path).read("word/document.xml"))
        return {
            "ins": len(root.findall(f".//{W}ins")),
            "del": [t.text for t in root.iter(f"{W}delText")],
            "numPr": len(root.findall(f".//{W}numPr")),
            "tbl": len(root.findall(f".//{W}tbl")),
            "hyperlink": len(root.findall(f".//{W}hyperlink")),
        }

    assert inventory(out) == inventory(source)
    doc = docx.Document(str(out))
    assert [paragraph_text(p._p) for p in doc.paragraphs] == [
        paragraph_text(p._p) for p in docx.Document(str(source)).paragraphs
    ]
    # The split runs keep their own formatting: "referral " italic, "fees from" bold.
    runs = next(p for p in doc.paragraphs if p.text.startswith("Provider may receive")).runs
    styled = {r.text: (bool(r.bold), bool(r.italic)) for r in runs if r.text}
    assert styled["referral "] == (False, True)
    assert styled["fees from"] == (True, False)
    # The comment on a tracked insertion covers the inserted words, and its reference run is
    # outside the w:ins so rejecting the change cannot delete the comment mark.
    root = etree.fromstring(zipfile.ZipFile(out).read("word/document.xml"))
    wrappers = (f"{W}ins", f"{W}del", f"{W}hyperlink")
    for ref in root.iter(f"{W}commentReference"):
        assert not any(a.tag in wrappers for a in ref.iterancestors())


def test_table_paragraph_is_commented(annotated) -> None:
    _, out, (findings, annotation) = annotated
    root = etree.fromstring(zipfile.ZipFile(out).read("word/document.xml"))
    in_table = {
        el.get(f"{W}id")
        for el in root.iter(f"{W}commentRangeStart")
        if any(a.tag == f"{W}tbl" for a in el.iterancestors())
    }
    placed = next(p for p in annotation.placed if p.finding.rule == "employee-of-provider")
    assert in_table == {str(placed.comment_id)}


def test_accepted_decision_appears_in_the_comment(tmp_path: Path) -> None:
    source = build_docx(tmp_path / "c.docx")
    findings = docx_findings()
    reason = "Credited to us in Schedule B"
    decision = Decision(findings[1].id, "accept", reason, "J. Roe", "2026-11-20")
    out = tmp_path / "a.docx"
    annotation = annotate_docx(source, make_result(findings, decisions=(decision,)), out)
    cid = str(next(p.comment_id for p in annotation.placed if p.finding.id == findings[1].id))
    assert f"Accepted by J. Roe on 2026-11-20: {reason}" in comment_texts(out)[cid]


def test_sentence_fallback_and_unplaced_findings(tmp_path: Path) -> None:
    source = build_docx(tmp_path / "c.docx")
    # Matched words that differ from the Word text (e.g. extraction normalised them), inside a
    # sentence that is there: the comment falls back to the sentence.
    drifted = replace_finding(
        make_finding("curly", CURLY, "standard stack"), match="standard-stack", start=0
    )
    absent = make_finding("ghost", "This clause is not in the document at all.", "not in")
    missing = make_finding("missing-scope", "", "", family="missing-responsibility")
    out = tmp_path / "a.docx"
    annotation = annotate_docx(source, make_result([drifted, absent, missing]), out)
    by_rule = {p.finding.rule: p for p in annotation.placed}
    assert by_rule["curly"].anchor.precision == "sentence"
    assert anchored_texts(out)[str(by_rule["curly"].comment_id)] == CURLY
    assert by_rule["ghost"].anchor is None and by_rule["ghost"].comment_id is None
    assert "missing-scope" not in by_rule  # missing elements have no passage
    summary = comment_texts(out)[str(annotation.summary_comment_id)]
    assert "Not anchored in the text" in summary and "not in the document at all" in summary


def test_refuses_to_overwrite_the_source(tmp_path: Path) -> None:
    source = build_docx(tmp_path / "c.docx")
    with pytest.raises(AnnotateError, match="refusing to overwrite"):
        annotate_docx(source, make_result(docx_findings()), tmp_path / "." / "c.docx")


def test_existing_comments_are_kept_and_ids_do_not_clash(tmp_path: Path) -> None:
    first = tmp_path / "first.docx"
    annotate_docx(build_docx(tmp_path / "c.docx"), make_result(docx_findings()), first)
    second = tmp_path / "second.docx"
    annotation = annotate_docx(first, make_result(docx_findings()), second)
    comments = comment_texts(second)
    assert len(comments) == 2 * annotation.comment_count
    assert len(anchored_texts(second)) == len(comments)


def test_locate_folds_quotes_case_and_spaces() -> None:
    paragraphs = [fold("Intro."), fold("Provider\u2019s  \u201cSTANDARD stack\u201d applies.")]
    finding = make_finding("x", 'Provider\'s "standard stack" applies.', '"standard stack"')
    anchor = locate(finding, paragraphs)
    assert anchor is not None and anchor.paragraph == 1
    original = "Provider\u2019s  \u201cSTANDARD stack\u201d applies."
    assert original[anchor.start : anchor.end] == "\u201cSTANDARD stack\u201d"


def test_split_run_keeps_properties_and_text() -> None:
    import docx

    doc = docx.Document()
    run = doc.add_paragraph().add_run("referral fees")
    run.bold = True
    right = split_run(run._r, 4)
    p = run._r.getparent()
    assert paragraph_text(p) == "referral fees"
    assert run.text == "refe" and "".join(t.text for t in right.iter(f"{W}t")) == "rral fees"
    assert right.find(f"{W}rPr/{W}b") is not None


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_the_annotated_file(annotated, tmp_path: Path) -> None:
    """Another consumer of the format: LibreOffice converts the copy to PDF, and its own
    document model (ODT) holds every comment with a range."""
    _, out, (_, annotation) = annotated
    profile = f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}"
    for fmt in ("pdf", "odt"):
        subprocess.run(
            ["soffice", profile, "--headless", "--convert-to", fmt, "--outdir", str(tmp_path),
             str(out)],
            check=True, capture_output=True, timeout=120,
        )
    assert re.match(rb"%PDF", (tmp_path / (out.stem + ".pdf")).read_bytes()[:4])
    content = etree.fromstring(zipfile.ZipFile(tmp_path / (out.stem + ".odt")).read("content.xml"))
    office = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
    assert len(content.findall(f".//{office}annotation")) == annotation.comment_count
    assert len(content.findall(f".//{office}annotation-end")) == annotation.comment_count


def test_broken_package_is_unreadable(tmp_path: Path) -> None:
    from contract_audit.review.annotate import UnreadableDocx

    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 truncated")
    with pytest.raises(UnreadableDocx, match="broken.docx: cannot open as a Word document"):
        annotate_docx(broken, make_result(docx_findings()), tmp_path / "out.docx")
    assert not (tmp_path / "out.docx").exists()


def test_match_inside_a_tracked_insertion_stays_inserted(tmp_path: Path) -> None:
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    doc = docx.Document()
    doc.add_paragraph("AGREEMENT")
    p = doc.add_paragraph("Client shall ")
    ins = OxmlElement("w:ins", attrs={qn("w:id"): "7", qn("w:author"): "Provider",
                                      qn("w:date"): "2026-02-01T09:00:00Z"})
    r = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    rpr.append(OxmlElement("w:i"))
    r.append(rpr)
    t = OxmlElement("w:t")
    t.text = "buy only from Provider today"
    r.append(t)
    ins.append(r)
    p._p.append(ins)
    p.add_run(".")
    source = tmp_path / "c.docx"
    doc.save(str(source))
    text = "Client shall buy only from Provider today."
    finding = make_finding("tied", text, "only from Provider")
    out = tmp_path / "a.docx"
    (placed,) = annotate_docx(source, make_result([finding]), out).placed
    assert anchored_texts(out)[str(placed.comment_id)] == "only from Provider"
    root = etree.fromstring(zipfile.ZipFile(out).read("word/document.xml"))
    (inserted,) = root.iter(f"{W}ins")
    # The inserted text is still all inside the one tracked insertion, split in three italic runs.
    runs = inserted.findall(f"{W}r")
    assert "".join(t.text for t in inserted.iter(f"{W}t")) == "buy only from Provider today"
    assert len(runs) == 3 and all(r.find(f"{W}rPr/{W}i") is not None for r in runs)
    assert all(a.tag != f"{W}ins" for a in next(root.iter(f"{W}commentReference")).iterancestors())
