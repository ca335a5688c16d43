"""The one exception extractors raise for bad input."""

from __future__ import annotations

from contract_audit.domain import EXTRACTION_STATUSES


class ExtractionError(Exception):
    """A document that cannot be analysed: ``status`` is machine-readable, ``message`` one line.

    Callers turn it into ``FILE: <status>: <reason>`` and a non-zero exit; it never carries a
    traceback to the user, so the message must say what is wrong and, where possible, what to do.
    """

    def __init__(self, status: str, message: str) -> None:
        if status not in EXTRACTION_STATUSES:
            raise ValueError(f"unknown extraction status {status!r}")
        self.status = status
        self.message = " ".join(str(message).split())  # always one line
        super().__init__(f"{status}: {self.message}")

    def __reduce__(self) -> tuple:
        # Exceptions with custom __init__ signatures do not pickle by default; worker processes
        # send these back to the parent, so keep them picklable.
        return (type(self), (self.status, self.message))
