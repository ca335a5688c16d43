"""Find the contracts to scan under the paths a user named.

A folder scan must never stop on one bad entry and never drop one silently: every path that
matches the include globs but cannot be read (a broken or looping symbolic link, a named pipe,
a folder that cannot be listed) comes back as a :class:`Problem` that the batch turns into a
result with status ``unreadable`` and the reason. Hidden files and folders (a leading ``.``)
are skipped on purpose: they are editor backups, ``.git`` and the like, never contracts.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase
from functools import lru_cache

DEFAULT_INCLUDE: tuple[str, ...] = ("*.pdf", "*.docx", "*.txt", "*.md")


@dataclass(frozen=True, slots=True)
class Problem:
    """A path that matched but cannot be scanned, with a one-line reason."""

    path: str
    reason: str
    status: str = "unreadable"

    def to_dict(self) -> dict:
        return {"path": self.path, "status": self.status, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class Discovery:
    """What :func:`discover` found: regular files to scan and problems to report, both sorted."""

    files: tuple[str, ...]
    problems: tuple[Problem, ...]
    folders: int = 0  # how many folders were named or walked (a multi-file batch if > 0)

    @property
    def count(self) -> int:
        return len(self.files) + len(self.problems)


def discover(
    paths: Iterable[str | os.PathLike[str]],
    *,
    include: Sequence[str] = DEFAULT_INCLUDE,
    exclude: Sequence[str] = (),
) -> Discovery:
    """Walk ``paths`` recursively; keep the files whose name matches ``include``.

    A file named explicitly is always kept (a user who types ``scan notes.rtf`` wants to hear
    that it is unsupported, not to get an empty report); globs apply to what a walk finds.
    ``exclude`` globs prune matching files and folders. Globs match the name case-insensitively,
    or, when they contain a ``/``, the path relative to the named folder (``*`` then stays
    within one folder and ``**`` spans any number).
    """
    walker = _Walker(tuple(include), tuple(exclude))
    for arg in paths:
        walker.visit_argument(os.fspath(arg))
    files = sorted(walker.files)
    problems = sorted(walker.problems.values(), key=lambda p: p.path)
    return Discovery(tuple(files), tuple(problems), walker.folders)


@lru_cache(maxsize=256)
def _path_glob(pattern: str) -> re.Pattern[str]:
    """A glob over a relative path: ``*`` and ``?`` stay within one folder, ``**`` crosses."""
    out = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out).removeprefix("/") + r"\Z")


def _glob_match(patterns: Sequence[str], name: str, rel: str) -> bool:
    """Case-insensitive: ``*.PDF`` files are PDFs too (and Windows/macOS names fold case)."""
    name, rel = name.casefold(), rel.casefold()
    for pattern in patterns:
        p = pattern.casefold()
        if "/" in p:
            if _path_glob(p.lstrip("/")).match(rel):
                return True
        elif fnmatchcase(name, p):
            return True
    return False


def _os_reason(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "symbolic link loop (the link points back to itself)"
    if exc.errno == errno.ENOENT:
        if exc.filename and os.path.islink(exc.filename):
            return f"broken symbolic link (to {os.readlink(exc.filename)}, which does not exist)"
        return "no such file or directory"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    return (exc.strerror or str(exc)).strip()


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"


class _Walker:
    """Iterative walk (no recursion limit) that remembers the folders on the current branch."""

    def __init__(self, include: tuple[str, ...], exclude: tuple[str, ...]) -> None:
        self.include = include
        self.exclude = exclude
        self.files: set[str] = set()
        self.problems: dict[str, Problem] = {}
        self.folders = 0

    def _problem(self, path: str, reason: str) -> None:
        self.problems.setdefault(path, Problem(path, reason))

    def visit_argument(self, arg: str) -> None:
        path = os.path.normpath(arg) if arg else arg
        try:
            st = os.stat(path)
        except OSError as exc:
            self._problem(path, _os_reason(exc))
            return
        if stat.S_ISDIR(st.st_mode):
            self._walk(path)
        elif stat.S_ISREG(st.st_mode):
            self.files.add(path)
        else:
            self._problem(path, f"not a regular file: {_kind(st.st_mode)}")

    def _walk(self, root: str) -> None:
        self.folders += 1
        root_id = _dir_id(root)
        # Each stack entry: (folder path, path relative to root, ids of the folders above it).
        stack: list[tuple[str, str, frozenset[tuple[int, int]]]] = [
            (root, "", frozenset({root_id} if root_id else ()))
        ]
        while stack:
            folder, rel, ancestors = stack.pop()
            try:
                with os.scandir(folder) as it:
                    entries = sorted(it, key=lambda e: e.name)
            except OSError as exc:
                self._problem(folder, f"cannot list the folder: {_os_reason(exc)}")
                continue
            subfolders = []
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                entry_rel = f"{rel}/{entry.name}" if rel else entry.name
                if _glob_match(self.exclude, entry.name, entry_rel):
                    continue
                child = self._entry(entry, entry_rel, ancestors)
                if child is not None:
                    subfolders.append(child)
            stack.extend(reversed(subfolders))

    def _entry(
        self, entry: os.DirEntry[str], rel: str, ancestors: frozenset[tuple[int, int]]
    ) -> tuple[str, str, frozenset[tuple[int, int]]] | None:
        """Record a file or problem; return a subfolder to walk, if ``entry`` is one."""
        matches = _glob_match(self.include, entry.name, rel)
        try:
            st = entry.stat(follow_symlinks=True)
        except OSError as exc:
            # A loop is reported whatever its name: it is a folder link as often as a file link.
            if matches or exc.errno == errno.ELOOP:
                self._problem(entry.path, _os_reason(exc))
            return None
        if stat.S_ISDIR(st.st_mode):
            ident = (st.st_dev, st.st_ino)
            if ident in ancestors:
                target = os.readlink(entry.path) if entry.is_symlink() else "a parent folder"
                self._problem(
                    entry.path, f"symbolic link loop: points back to {target!s}, not followed"
                )
                return None
            self.folders += 1
            return (entry.path, rel, ancestors | {ident})
        if not matches:
            return None
        if stat.S_ISREG(st.st_mode):
            self.files.add(entry.path)
        else:
            self._problem(entry.path, f"not a regular file: {_kind(st.st_mode)}")
        return None


def _dir_id(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)
