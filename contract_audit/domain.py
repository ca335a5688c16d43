"""The vocabulary of the domain: ids that appear in the JSON output (see docs/json-schema.md)."""

from __future__ import annotations

FAMILIES: tuple[str, ...] = (
    "vendor-incentive",
    "divided-loyalty",
    "protection",
    "missing-responsibility",
)

ELEMENTS: tuple[str, ...] = (
    "scope",
    "deliverables",
    "time-commitment",
    "reporting-line",
    "decision-authority",
    "performance-measures",
    "conflict-disclosure",
)

ENGAGEMENT_TYPES: tuple[str, ...] = (
    "msp-vcio",
    "independent-fractional",
    "reseller-partner",
    "other",
)
ADVISORY_TYPES: frozenset[str] = frozenset({"msp-vcio", "independent-fractional"})

# Ordered from most to least severe; index = rank.
SEVERITIES: tuple[str, ...] = ("high", "medium", "low", "info")

RISK_LEVELS: tuple[str, ...] = ("high", "elevated", "moderate", "low")

# Extraction statuses besides "ok" (a document that could not be analysed).
EXTRACTION_STATUSES: tuple[str, ...] = (
    "unsupported",
    "encrypted",
    "no-text",
    "corrupt",
    "too-large",
    "empty",
    "unreadable",
    "timeout",
    "error",
)

# Statuses only a batch scan gives: the run stopped (Ctrl-C) before it reached the file.
BATCH_STATUSES: tuple[str, ...] = ("not-scanned",)


def severity_rank(severity: str) -> int:
    """0 for high … 3 for info; lower is more severe."""
    return SEVERITIES.index(severity)


def at_or_above(severity: str, threshold: str) -> bool:
    """True when ``severity`` is as severe as ``threshold`` or more."""
    return severity_rank(severity) <= severity_rank(threshold)
