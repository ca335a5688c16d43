"""Safe, unique, deterministic output names for input files.

Input names come from wherever the contracts were found, so they are untrusted: a name may hold
``..``, slashes, control characters, a Windows device name, or simply be shared by two files in
different folders. Reports are written next to each other in one folder, so every input gets a
plain stem (no folder, no extension) that is unique within the batch, the same from run to run,
and never one of the batch files (``index``, ``report``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from pathlib import PurePath, PurePosixPath, PureWindowsPath

MAX_STEM = 80
RESERVED = frozenset({"index", "report"})  # index.html and report.json of a batch
_WINDOWS_DEVICES = frozenset(
    {"con", "prn", "aux", "nul"} | {f"com{i}" for i in range(10)} | {f"lpt{i}" for i in range(10)}
)
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_stem(path: str | PurePath) -> str:
    """A file-name stem made of ``[A-Za-z0-9._-]`` derived from ``path``'s last component."""
    raw = str(path)
    # Take the last component whichever separator the name uses: "a\\b.pdf" is "b".
    name = PureWindowsPath(PurePosixPath(raw).name).name if raw else ""
    stem = name.rsplit(".", 1)[0] if "." in name.lstrip(".") else name
    ascii_ = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    cleaned = _UNSAFE.sub("-", ascii_).strip(".-_")
    cleaned = re.sub(r"-{2,}", "-", cleaned)[:MAX_STEM].rstrip(".-_")
    if not cleaned:
        return "document"
    if cleaned.casefold() in _WINDOWS_DEVICES:
        return f"{cleaned}-file"
    return cleaned


def output_names(paths: Iterable[str | PurePath]) -> dict[str, str]:
    """Map each input path (as ``str``) to a unique stem: ``contract``, ``contract-2``, ...

    Deterministic: paths are numbered in sorted order, so the same set of inputs gives the same
    names whatever order they were found in. Uniqueness ignores case, because two reports named
    ``Contract.html`` and ``contract.html`` overwrite each other on macOS and Windows.
    """
    keys = sorted({str(p) for p in paths})
    taken: set[str] = set(RESERVED)
    names: dict[str, str] = {}
    # First give every path its plain stem where that is free, so "contract-2.pdf" keeps its name
    # and a numbered duplicate moves around it rather than the other way round.
    stems = {k: safe_stem(k) for k in keys}
    for k in keys:
        folded = stems[k].casefold()
        if folded not in taken:
            names[k] = stems[k]
            taken.add(folded)
    for k in keys:
        if k in names:
            continue
        n = 2
        while f"{stems[k]}-{n}".casefold() in taken:
            n += 1
        names[k] = f"{stems[k]}-{n}"
        taken.add(names[k].casefold())
    return names
