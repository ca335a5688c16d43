"""The document model: the text the rules read, and where every character came from.

Every extractor produces a list of :class:`Block` objects (paragraphs in reading order, each with
its page and, for DOCX, its heading level); :func:`contract_audit.builder.build_document` turns
them into one immutable :class:`Document`. Offsets are character offsets into ``Document.text``.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Block:
    """One paragraph (or table row, or heading) as an extractor read it."""

    text: str
    page: int = 1
    heading_level: int | None = None  # from a DOCX heading style; None when unknown
    number: str | None = None  # reconstructed automatic numbering ("1.1", "(a)"), if any


@dataclass(frozen=True, slots=True)
class Page:
    number: int  # 1-based
    start: int
    end: int

    def to_dict(self) -> dict:
        return {"number": self.number, "start": self.start, "end": self.end}


@dataclass(frozen=True, slots=True)
class Section:
    number: str  # "3.2", "ARTICLE IV", "(b)", or "" for an unnumbered heading
    heading: str
    start: int
    end: int
    level: int  # 1 = top level
    parent: int | None  # index of the enclosing section in Document.sections

    @property
    def label(self) -> str:
        """Human label such as ``3.2 Fees``."""
        return " ".join(p for p in (self.number, self.heading) if p)

    def to_dict(self) -> dict:
        return {
            "number": self.number,
            "heading": self.heading,
            "start": self.start,
            "end": self.end,
            "level": self.level,
            "parent": self.parent,
        }


@dataclass(frozen=True)
class Document:
    """Immutable and picklable: safe to send to and from worker processes."""

    text: str
    pages: tuple[Page, ...] = ()
    sections: tuple[Section, ...] = ()
    warnings: tuple[str, ...] = ()
    format: str = "text"  # "pdf", "docx" or "text"
    path: str = ""
    _page_starts: tuple[int, ...] = field(default=(), repr=False, compare=False)
    _section_starts: tuple[int, ...] = field(default=(), repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_page_starts", tuple(p.start for p in self.pages))
        starts = tuple(s.start for s in self.sections)
        # Only sections in document order whose nesting is recorded in ``parent`` can be searched
        # by bisection (builder output always is); others fall back to a linear scan.
        linked = all(a <= b for a, b in zip(starts, starts[1:], strict=False)) and all(
            (s.parent is None and s.level == 1) or (s.parent is not None and s.parent < i)
            for i, s in enumerate(self.sections)
        )
        object.__setattr__(self, "_section_starts", starts if linked else ())

    @property
    def page_count(self) -> int:
        return len(self.pages) or 1

    @property
    def word_count(self) -> int:
        return len(self.text.split())

    def page_at(self, offset: int) -> int | None:
        """The 1-based page number holding ``offset`` (None if the model has no pages)."""
        if not self.pages:
            return None
        i = bisect_right(self._page_starts, offset) - 1
        return self.pages[max(i, 0)].number

    def section_at(self, offset: int) -> Section | None:
        """The innermost section containing ``offset``.

        Called once per finding, so it bisects to the last section starting at or before
        ``offset`` and walks up its parents (O(depth)); the linear scan below is only the
        fallback for hand-made models whose sections are unordered or lack parent links.
        """
        if self._section_starts:
            i: int | None = bisect_right(self._section_starts, offset) - 1
            while i is not None and i >= 0:
                s = self.sections[i]
                if s.start <= offset < s.end:
                    return s
                i = s.parent
            return None
        best: Section | None = None
        for s in self.sections:
            if s.start <= offset < s.end and (best is None or s.level >= best.level):
                best = s
        return best

    def section_label(self, offset: int) -> str | None:
        """Where ``offset`` sits, as a reader cites it: a bare list item borrows its ancestors'
        numbers (``5.1(a)(ii)``, ``SCHEDULE A (e)``) so "(e)" alone never stands for a place."""
        section = self.section_at(offset)
        if section is None:
            return None
        markers: list[str] = []
        node = section
        while node.number.startswith("(") and node.parent is not None:
            markers.append(node.number)
            node = self.sections[node.parent]
        if node is section:
            return section.label
        base = node.number or node.heading
        joined = "".join(reversed(markers))
        glue = "" if base[-1:].isdigit() or base.endswith(")") else " "
        place = f"{base}{glue}{joined}"
        return " ".join(p for p in (place, section.heading) if p)

    def to_dict(self) -> dict:
        return {
            "path": self.path,
            "format": self.format,
            "text": self.text,
            "pages": [p.to_dict() for p in self.pages],
            "sections": [s.to_dict() for s in self.sections],
            "warnings": list(self.warnings),
        }
