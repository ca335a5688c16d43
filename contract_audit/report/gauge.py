"""Geometry for the risk gauge and the bar chart, computed here so templates hold no maths.

Only numbers leave this module; the SVG markup lives in the templates.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

CX, CY, R = 100.0, 100.0, 80.0


@dataclass(frozen=True, slots=True)
class Gauge:
    score: int
    track: str  # SVG path of the full half circle
    value: str  # SVG path of the filled part ("" for 0)


def _point(fraction: float) -> tuple[float, float]:
    angle = math.pi * (1 - fraction)  # 180 deg (left) at 0, 0 deg (right) at 1
    return round(CX + R * math.cos(angle), 2), round(CY - R * math.sin(angle), 2)


def gauge(score: int) -> Gauge:
    """A half-circle gauge, filled clockwise from the left in proportion to ``score`` (0-100)."""
    score = max(0, min(100, int(score)))
    x0, y0 = _point(0)
    x1, y1 = _point(1)
    track = f"M {x0} {y0} A {R} {R} 0 0 1 {x1} {y1}"
    if score == 0:
        return Gauge(score, track, "")
    x, y = _point(score / 100)
    return Gauge(score, track, f"M {x0} {y0} A {R} {R} 0 0 1 {x} {y}")


@dataclass(frozen=True, slots=True)
class Segment:
    severity: str
    count: int
    x: float
    width: float


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    total: int
    y: float
    segments: tuple[Segment, ...]


def stacked_bars(
    rows: list[tuple[str, dict[str, int]]],
    order: tuple[str, ...],
    *,
    width: float = 420.0,
    row_height: float = 34.0,
) -> tuple[list[Bar], float]:
    """Horizontal stacked bars (one per row, segments in ``order``) and the chart's height."""
    biggest = max((sum(c.values()) for _, c in rows), default=0) or 1
    bars = []
    for i, (label, counts) in enumerate(rows):
        x = 0.0
        segs = []
        for sev in order:
            n = counts.get(sev, 0)
            if n:
                w = round(width * n / biggest, 2)
                segs.append(Segment(sev, n, round(x, 2), w))
                x += w
        bars.append(Bar(label, sum(counts.values()), i * row_height, tuple(segs)))
    return bars, len(rows) * row_height
