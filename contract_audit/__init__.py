"""contract-audit: find conflict-of-interest clauses in IT advisory contracts."""

__version__ = "0.1.0"
