"""The visible text of a Word paragraph, run by run, and the surgery to comment on part of it.

A comment in WordprocessingML covers whole runs: ``w:commentRangeStart`` before the first,
``w:commentRangeEnd`` after the last, and a run holding ``w:commentReference``. To comment on
exactly the matched words we split the runs at the match's boundaries (each half keeps the run's
properties, ``w:rPr``). Runs inside tracked insertions (``w:ins``), hyperlinks, smart tags,
simple fields and content controls are part of the visible text; runs inside tracked deletions
(``w:del``, ``w:moveFrom``) are not, and are never split or moved.

Works on lxml elements (python-docx's ``oxml`` classes) so it needs no extra dependency.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def w(tag: str) -> str:
    """Clark name of a ``w:`` tag."""
    return f"{{{W_NS}}}{tag}"


P, R, T, RPR = w("p"), w("r"), w("t"), w("rPr")
#: Containers whose runs are not visible text (tracked deletions, moved-away text).
HIDDEN_CONTAINERS = frozenset({w("del"), w("moveFrom"), f"{{{MC_NS}}}Fallback"})
#: Run children that stand for one visible character.
ONE_CHAR = {w("tab"): "\t", w("br"): "\n", w("cr"): "\n", w("noBreakHyphen"): "-",
            w("ptab"): "\t"}


def element_text(child: Any) -> str:
    """The visible text one run child contributes (``""`` for properties, fields, drawings)."""
    if child.tag == T:
        return child.text or ""
    return ONE_CHAR.get(child.tag, "")


def run_text(r: Any) -> str:
    return "".join(element_text(c) for c in r)


def is_visible_run(r: Any, p: Any) -> bool:
    """True when ``r`` belongs to paragraph ``p`` itself (not a nested text box) and is not
    tracked-deleted text."""
    parent = r.getparent()
    while parent is not None and parent is not p:
        if parent.tag in HIDDEN_CONTAINERS or parent.tag == P:
            return False
        parent = parent.getparent()
    return parent is p


@dataclass(frozen=True, slots=True)
class RunSpan:
    """A run and the characters it holds in the paragraph's visible text."""

    r: Any
    start: int
    end: int


def run_spans(p: Any) -> list[RunSpan]:
    """The paragraph's visible runs in document order with their character offsets."""
    spans: list[RunSpan] = []
    pos = 0
    for r in p.iter(R):
        if not is_visible_run(r, p):
            continue
        n = len(run_text(r))
        spans.append(RunSpan(r, pos, pos + n))
        pos += n
    return spans


def paragraph_text(p: Any) -> str:
    return "".join(run_text(s.r) for s in run_spans(p))


def split_run(r: Any, offset: int) -> Any:
    """Split run ``r`` so that it keeps its first ``offset`` characters; return the new run
    holding the rest (inserted right after ``r``, with a copy of its properties)."""
    right = copy.deepcopy(r)
    pos = 0
    for left_child, right_child in zip(list(r), list(right), strict=True):
        if left_child.tag == RPR:
            continue  # both halves keep the formatting
        n = len(element_text(left_child))
        if pos + n <= offset and not (n == 0 and pos == offset and pos > 0):
            right.remove(right_child)  # wholly before the split point
        elif pos >= offset:
            r.remove(left_child)  # wholly after it
        else:  # a w:t straddling the split point
            text = left_child.text or ""
            cut = offset - pos
            left_child.text, right_child.text = text[:cut], text[cut:]
            left_child.set(XML_SPACE, "preserve")
            right_child.set(XML_SPACE, "preserve")
        pos += n
    r.addnext(right)
    return right


def isolate(p: Any, start: int, end: int) -> list[Any]:
    """Split runs so that characters ``start..end`` of the paragraph's visible text are exactly
    covered by whole runs; return those runs (non-empty ones, in order)."""
    for boundary in (start, end):
        for span in run_spans(p):
            if span.start < boundary < span.end:
                split_run(span.r, boundary - span.start)
                break
    return [s.r for s in run_spans(p) if start <= s.start and s.end <= end and s.end > s.start]


def _hoist(el: Any, p: Any, *, first: bool) -> Any:
    """Climb out of wrappers (w:ins, w:hyperlink, ...) while ``el`` is at their edge, so range
    markers sit outside them when that covers the same text."""
    while el.getparent() is not p:
        parent = el.getparent()
        siblings = [c for c in parent if c.tag != w(parent.tag.split("}")[1] + "Pr")]
        edge = siblings[0] if first else siblings[-1]
        if edge is not el:
            break
        el = parent
    return el


def _top(el: Any, p: Any) -> Any:
    while el.getparent() is not p:
        el = el.getparent()
    return el


def mark_comment(p: Any, runs: list[Any], comment_id: int) -> None:
    """Put ``w:commentRangeStart``/``End`` around ``runs`` (in paragraph ``p``) and the
    ``w:commentReference`` run after the range, outside any tracked change or hyperlink."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    attrs = {qn("w:id"): str(comment_id)}
    _hoist(runs[0], p, first=True).addprevious(OxmlElement("w:commentRangeStart", attrs=attrs))
    end_at = _hoist(runs[-1], p, first=False)
    end_marker = OxmlElement("w:commentRangeEnd", attrs=attrs)
    end_at.addnext(end_marker)
    reference = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    rpr.append(OxmlElement("w:rStyle", attrs={qn("w:val"): "CommentReference"}))
    reference.append(rpr)
    reference.append(OxmlElement("w:commentReference", attrs=attrs))
    _top(end_marker, p).addnext(reference)
