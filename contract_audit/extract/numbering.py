"""Word automatic numbering, reconstructed: ``1.``, ``1.1``, ``(a)``, ``ARTICLE IV``.

Word stores no number in the text of a numbered paragraph, only ``numPr`` (a list instance and
a level), so without this a contract's section numbers simply vanish. ``numbering.xml`` maps
each ``w:num`` to a ``w:abstractNum`` whose levels give the start value, the format
(``numFmt``) and the template (``lvlText``, ``%1.%2``). We keep one counter per list instance
(numId) and level, restart deeper levels when a shallower one advances, and render the
template with every level's current value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lxml.etree import _Element as Element

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@dataclass(frozen=True, slots=True)
class Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    legal: bool = False  # isLgl: render every level as decimal ("1.1" under "ARTICLE I")
    restart: int | None = None  # lvlRestart: restart after this (1-based) level; 0 = never


@dataclass(slots=True)
class Numbering:
    """Definitions from numbering.xml plus the running counters of one document."""

    abstract: dict[str, dict[int, Level]] = field(default_factory=dict)
    nums: dict[str, str] = field(default_factory=dict)  # numId -> abstractNumId
    overrides: dict[tuple[str, int], Level | int] = field(default_factory=dict)
    counters: dict[str, dict[int, int]] = field(default_factory=dict)

    @classmethod
    def from_xml(cls, root: Element | None) -> Numbering:
        numbering = cls()
        if root is None:
            return numbering
        for an in root.iter(f"{W}abstractNum"):
            levels: dict[int, Level] = {}
            for lvl in an.findall(f"{W}lvl"):
                levels[_int(lvl.get(f"{W}ilvl"), 0)] = _level(lvl)
            aid = an.get(f"{W}abstractNumId", "")
            numbering.abstract[aid] = levels
            link = an.find(f"{W}numStyleLink")  # levels defined by another list (via a style)
            if link is not None and not levels:
                numbering.abstract[aid] = {}
        for num in root.iter(f"{W}num"):
            nid = num.get(f"{W}numId", "")
            ref = num.find(f"{W}abstractNumId")
            numbering.nums[nid] = ref.get(f"{W}val", "") if ref is not None else ""
            for ov in num.findall(f"{W}lvlOverride"):
                ilvl = _int(ov.get(f"{W}ilvl"), 0)
                lvl = ov.find(f"{W}lvl")
                start = ov.find(f"{W}startOverride")
                if lvl is not None:
                    numbering.overrides[(nid, ilvl)] = _level(lvl)
                elif start is not None:
                    numbering.overrides[(nid, ilvl)] = _int(start.get(f"{W}val"), 1)
        return numbering

    def level(self, num_id: str, ilvl: int) -> Level | None:
        override = self.overrides.get((num_id, ilvl))
        if isinstance(override, Level):
            return override
        base = self.abstract.get(self.nums.get(num_id, ""), {}).get(ilvl)
        if isinstance(override, int):
            base = base or Level()
            return Level(override, base.fmt, base.text, base.legal, base.restart)
        return base

    def next_label(self, num_id: str, ilvl: int) -> str | None:
        """Advance list ``num_id`` at level ``ilvl`` and return the rendered label.

        None for bullets, ``numId 0`` (numbering switched off) and unknown lists.
        """
        if num_id in ("", "0") or num_id not in self.nums:
            return None
        level = self.level(num_id, ilvl)
        if level is None:
            return None
        counters = self.counters.setdefault(num_id, {})
        counters[ilvl] = counters[ilvl] + 1 if ilvl in counters else level.start
        for deeper in [k for k in counters if k > ilvl]:
            restart = (self.level(num_id, deeper) or Level()).restart
            if restart != 0 and (restart is None or restart - 1 >= ilvl):
                del counters[deeper]
        if level.fmt in ("bullet", "none"):
            return None
        label = level.text
        for k in range(9):
            token = f"%{k + 1}"
            if token not in label:
                continue
            lv = self.level(num_id, k) or Level()
            value = counters.get(k, lv.start)
            fmt = "decimal" if level.legal and k < ilvl else lv.fmt
            label = label.replace(token, format_number(value, fmt))
        return label.strip() or None


def format_number(value: int, fmt: str) -> str:
    """Render ``value`` in a Word ``numFmt`` (unknown formats fall back to decimal)."""
    if fmt in ("lowerLetter", "upperLetter"):
        letters = _letters(value)
        return letters.upper() if fmt == "upperLetter" else letters
    if fmt in ("lowerRoman", "upperRoman"):
        roman = to_roman(value)
        return roman.lower() if fmt == "lowerRoman" else roman
    if fmt == "decimalZero":
        return f"{value:02d}"
    if fmt == "none":
        return ""
    return str(value)


_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
          (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))  # fmt: skip


def to_roman(value: int) -> str:
    if value <= 0:
        return str(value)
    out = []
    for n, sym in _ROMAN:
        while value >= n:
            out.append(sym)
            value -= n
    return "".join(out)


def _letters(value: int) -> str:
    """Word's letter numbering: a..z, then aa..zz, aaa.. (a repeated letter, not base 26)."""
    if value <= 0:
        return str(value)
    letter = chr(ord("a") + (value - 1) % 26)
    return letter * ((value - 1) // 26 + 1)


def _level(lvl: Element) -> Level:
    def val(tag: str) -> str | None:
        el = lvl.find(f"{W}{tag}")
        return el.get(f"{W}val") if el is not None else None

    legal = lvl.find(f"{W}isLgl")
    restart = val("lvlRestart")
    return Level(
        start=_int(val("start"), 1),
        fmt=val("numFmt") or "decimal",
        text=val("lvlText") if val("lvlText") is not None else "",
        legal=legal is not None and legal.get(f"{W}val", "1") not in ("0", "false"),
        restart=_int(restart, 0) if restart is not None else None,
    )


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default
