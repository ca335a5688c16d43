"""A content-addressed cache of analysis results: rescans of unchanged files are near-instant.

The key is the file's SHA-256 plus a *namespace*: the rules version (a hash of the rule files
after any overrides) and the tool's fingerprint (its version and a hash of its own source, so a
developer who edits the engine never reads stale results). A result does not depend on the
file's name, so two copies of a contract share one entry and a renamed file is still cached.

Entries are pickled :class:`DocumentResult` objects written atomically (temporary file, then
``os.replace``), so an interrupted batch leaves either a whole entry or none, and the next run
resumes from what finished. Pickle is only safe for data you wrote yourself: the cache folder
is created private (mode 0700) and must not be shared with untrusted users (docs/distributed.md
describes a shared store). Any entry that cannot be read is treated as a miss, never an error.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import pickle
import tempfile
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from contract_audit import __version__
from contract_audit.results import DocumentResult

CACHE_FORMAT = 1
# Results worth keeping: a property of the bytes and the rules. Timeouts, unreadable files and
# internal errors may not recur (another --timeout, a fixed permission), so they are redone.
CACHEABLE_STATUSES = frozenset({"ok", "unsupported", "encrypted", "no-text", "corrupt", "empty"})


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/contract-audit``, else ``~/.cache/contract-audit``."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "contract-audit"


# Code that shapes how results are shown or scheduled, never what they contain: editing it
# must not throw away a cache (paths relative to the package).
_PRESENTATION = ("report/", "commands/", "cli.py", "__main__.py", "progress.py",
                 "scan_output.py", "batch.py", "discovery.py", "cache.py")


@lru_cache(maxsize=1)
def tool_fingerprint() -> str:
    """The version plus a short hash of the package source and data that shape results.

    Reading ~100 small files costs about a millisecond and makes the cache safe during
    development, where the version number does not change with every edit.
    """
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        rel = path.relative_to(package).as_posix()
        if rel.startswith(_PRESENTATION) or "__pycache__" in rel:
            continue
        if path.suffix in {".py", ".yaml", ".yml", ".json", ".txt"} and path.is_file():
            digest.update(rel.encode())
            with contextlib.suppress(OSError):
                digest.update(path.read_bytes())
    return f"{__version__}-{digest.hexdigest()[:12]}"


@lru_cache(maxsize=1)
def package_fingerprint() -> str:
    """Like :func:`tool_fingerprint` but over every file of the package, templates included:
    what a rendered report page depends on besides its result."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(package).as_posix().encode())
            with contextlib.suppress(OSError):
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def file_sha256(path: str | os.PathLike[str]) -> str:
    """The hex SHA-256 of a file's bytes (read in chunks; the GIL is released while hashing)."""
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def _atomic_write(target: Path, payload: bytes) -> None:
    """Temporary file in the same folder, then ``os.replace``: readers see all or nothing.

    No fsync: after a power cut an entry may be empty, which :meth:`ResultCache.get` reads as a
    miss; paying a disk flush per file would cost more than the rare recomputation."""
    fd, tmp = tempfile.mkstemp(prefix=".entry.", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


class ResultCache:
    """Results of one rules version and tool build, stored under ``root/<namespace>/``."""

    def __init__(self, root: str | os.PathLike[str], *, rules_version: str) -> None:
        self.root = Path(root)
        namespace = hashlib.sha256(
            f"{CACHE_FORMAT}\0{tool_fingerprint()}\0{rules_version}".encode()
        ).hexdigest()[:20]
        self.folder = self.root / f"v{CACHE_FORMAT}" / namespace
        self.hits = 0
        self.misses = 0
        self.write_errors: list[str] = []
        self._made_root = False

    def _entry(self, sha256: str) -> Path:
        return self.folder / sha256[:2] / f"{sha256}.pickle"

    def get(self, sha256: str, path: str) -> DocumentResult | None:
        """The cached result for these bytes, relabelled with ``path``; ``None`` on a miss."""
        try:
            data = self._entry(sha256).read_bytes()
            fmt, result = pickle.loads(data)
        except Exception:  # missing, truncated, from another Python: all just a miss
            self.misses += 1
            return None
        if fmt != CACHE_FORMAT or not isinstance(result, DocumentResult):
            self.misses += 1
            return None
        self.hits += 1
        return dataclasses.replace(result, path=path)

    def put(self, sha256: str, result: DocumentResult) -> bool:
        """Store ``result`` if its status is cacheable; never raises (a cache is optional)."""
        if result.status not in CACHEABLE_STATUSES or not sha256:
            return False
        if result.sha256 and result.sha256 != sha256:
            return False  # the file changed while it was being read: do not file it wrongly
        # Per-run data stays out of the entry: names, duplicates and reviewer decisions.
        clean = dataclasses.replace(
            result, path="", duplicates=(), decisions=(), stale_decisions=()
        )
        target = self._entry(sha256)
        try:
            if not self._made_root:
                self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
                self._made_root = True
            target.parent.mkdir(parents=True, exist_ok=True)
            payload = pickle.dumps((CACHE_FORMAT, clean), protocol=pickle.HIGHEST_PROTOCOL)
            _atomic_write(target, payload)
        except OSError as exc:
            if not self.write_errors:
                self.write_errors.append(f"cache not written to {self.root}: {exc.strerror or exc}")
            return False
        return True


def rules_fingerprint(
    folders: Iterable[str | os.PathLike[str]],
    *,
    include_default: bool,
    disabled: Iterable[str] = (),
    severities: Mapping[str, str] | None = None,
    default_folder: str | os.PathLike[str] | None = None,
) -> str:
    """A hash of everything a RuleSet is built from, computed without loading it.

    Loading rules validates token patterns with spaCy (about a second); a rescan whose files are
    all cached needs only the rules' *version*, which :class:`RulesVersions` recalls by this
    fingerprint. It covers the bytes of every YAML file in the shipped and named folders, the
    overrides, and the tool itself (the loader's code decides what the bytes mean).
    """
    digest = hashlib.sha256(f"{tool_fingerprint()}\0{include_default}\0".encode())
    named = [Path(default_folder)] if default_folder is not None else []
    for folder in (*named, *(Path(f) for f in folders)):
        digest.update(f"\0folder:{folder}\0".encode())
        if folder.is_file():
            files = [folder]
        elif folder.is_dir():
            files = sorted(p for p in folder.iterdir() if p.suffix in (".yml", ".yaml"))
        else:
            digest.update(b"missing")
            continue
        for path in files:
            digest.update(f"\0{path.name}\0".encode())
            try:
                digest.update(path.read_bytes())
            except OSError as exc:
                digest.update(f"unreadable:{exc.errno}".encode())
    digest.update(json.dumps([sorted(disabled), sorted((severities or {}).items())]).encode())
    return digest.hexdigest()[:32]


class RulesVersions:
    """Rule sets that loaded without error, by :func:`rules_fingerprint`.

    ``<fp>.json`` holds the version (all a fully cached rescan needs); ``<fp>.pickle`` the
    RuleSet itself, which unpickles in a fifth of a second where validating the rule files
    again (with spaCy) takes over a second.
    """

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.folder = Path(root) / f"v{CACHE_FORMAT}" / "rules"

    def get(self, fingerprint: str) -> str | None:
        """The version of the rules with this fingerprint, if they were loaded before."""
        try:
            data = json.loads((self.folder / f"{fingerprint}.json").read_text("utf-8"))
        except (OSError, ValueError):
            return None
        version = data.get("version") if isinstance(data, dict) else None
        return version if isinstance(version, str) and version else None

    def ruleset(self, fingerprint: str) -> Any | None:
        """The RuleSet stored for this fingerprint, or ``None`` (then load the files)."""
        try:
            fmt, ruleset = pickle.loads((self.folder / f"{fingerprint}.pickle").read_bytes())
        except Exception:  # missing, truncated, or pickled by an incompatible pydantic
            return None
        return ruleset if fmt == CACHE_FORMAT else None

    def put(self, fingerprint: str, ruleset: Any) -> None:
        """Remember ``ruleset`` (its version, and the object when it pickles)."""
        with contextlib.suppress(OSError):
            self.folder.mkdir(parents=True, exist_ok=True)
            with contextlib.suppress(pickle.PicklingError, TypeError, AttributeError):
                _atomic_write(self.folder / f"{fingerprint}.pickle",
                              pickle.dumps((CACHE_FORMAT, ruleset), pickle.HIGHEST_PROTOCOL))
            _atomic_write(self.folder / f"{fingerprint}.json",
                          json.dumps({"version": ruleset.version}).encode())
