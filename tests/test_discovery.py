"""Discovery: recursive, glob-filtered, hidden entries skipped, bad entries reported not fatal."""

from __future__ import annotations

import os
from pathlib import Path

from contract_audit.discovery import discover


def touch(folder: Path, *names: str) -> None:
    for name in names:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")


def names(found, root: Path) -> list[str]:
    return [os.path.relpath(p, root) for p in found.files]


def test_walks_recursively_with_default_globs_case_insensitive(tmp_path: Path) -> None:
    touch(tmp_path, "a.pdf", "B.PDF", "sub/c.docx", "sub/deep/d.txt", "e.md", "f.doc", "g.yml")
    found = discover([tmp_path])
    assert names(found, tmp_path) == ["B.PDF", "a.pdf", "e.md", "sub/c.docx", "sub/deep/d.txt"]
    assert found.problems == ()
    assert found.folders == 3


def test_hidden_files_and_folders_are_skipped(tmp_path: Path) -> None:
    touch(tmp_path, ".draft.pdf", ".git/x.txt", "kept.txt", "sub/.hidden/y.pdf")
    assert names(discover([tmp_path]), tmp_path) == ["kept.txt"]


def test_include_and_exclude_globs(tmp_path: Path) -> None:
    touch(tmp_path, "a.pdf", "b.txt", "drafts/c.pdf", "old/d.pdf", "old/keep/e.pdf")
    found = discover([tmp_path], include=["*.pdf"], exclude=["drafts", "old/*.pdf"])
    assert names(found, tmp_path) == ["a.pdf", "old/keep/e.pdf"]


def test_a_named_file_is_kept_whatever_its_extension(tmp_path: Path) -> None:
    touch(tmp_path, "notes.rtf")
    found = discover([tmp_path / "notes.rtf"])
    assert found.files == (str(tmp_path / "notes.rtf"),) and found.folders == 0


def test_overlapping_arguments_list_a_file_once(tmp_path: Path) -> None:
    touch(tmp_path, "a.pdf")
    found = discover([tmp_path, tmp_path / "a.pdf", f"{tmp_path}/./a.pdf"])
    assert found.files == (str(tmp_path / "a.pdf"),)


def test_symlink_loops_broken_links_and_pipes_are_reported(tmp_path: Path) -> None:
    touch(tmp_path, "sub/a.pdf")
    os.symlink("..", tmp_path / "sub" / "up")  # a folder loop
    os.symlink("self.pdf", tmp_path / "self.pdf")  # a file loop
    os.symlink("missing.pdf", tmp_path / "broken.pdf")
    os.symlink("missing.txt", tmp_path / "broken.doc")  # not matched: not reported
    os.mkfifo(tmp_path / "pipe.pdf")
    found = discover([tmp_path])
    assert names(found, tmp_path) == ["sub/a.pdf"]
    problems = {os.path.relpath(p.path, tmp_path): p for p in found.problems}
    assert set(problems) == {"sub/up", "self.pdf", "broken.pdf", "pipe.pdf"}
    assert all(p.status == "unreadable" for p in problems.values())
    assert "loop" in problems["sub/up"].reason
    assert "loop" in problems["self.pdf"].reason
    assert problems["broken.pdf"].reason.startswith("broken symbolic link (to missing.pdf")
    assert "pipe" in problems["pipe.pdf"].reason


def test_a_symlinked_folder_outside_the_branch_is_followed(tmp_path: Path) -> None:
    touch(tmp_path, "real/a.pdf")
    os.symlink(tmp_path / "real", tmp_path / "alias")
    found = discover([tmp_path])
    assert names(found, tmp_path) == ["alias/a.pdf", "real/a.pdf"]  # duplicates merge later


def test_missing_arguments_are_problems_not_errors(tmp_path: Path) -> None:
    touch(tmp_path, "a.pdf")
    found = discover([tmp_path / "nope.pdf", tmp_path])
    assert len(found.files) == 1
    assert [p.reason for p in found.problems] == ["no such file or directory"]
    assert found.count == 2


def test_unlistable_folder_is_reported(tmp_path: Path) -> None:
    touch(tmp_path, "ok/a.pdf", "locked/b.pdf")
    locked = tmp_path / "locked"
    locked.chmod(0)
    try:
        found = discover([tmp_path])
    finally:
        locked.chmod(0o755)
    if os.geteuid() == 0:  # root reads anyway: the folder is simply walked
        assert names(found, tmp_path) == ["locked/b.pdf", "ok/a.pdf"]
    else:
        assert names(found, tmp_path) == ["ok/a.pdf"]
        assert "permission denied" in found.problems[0].reason


def test_path_globs_keep_star_within_a_folder(tmp_path: Path) -> None:
    touch(tmp_path, "a/x.pdf", "a/b/y.pdf", "a/b/c/z.pdf")
    assert names(discover([tmp_path], include=["a/*.pdf"]), tmp_path) == ["a/x.pdf"]
    assert names(discover([tmp_path], include=["a/**/*.pdf"]), tmp_path) == [
        "a/b/c/z.pdf",
        "a/b/y.pdf",
        "a/x.pdf",
    ]
    assert names(discover([tmp_path], exclude=["**/c"]), tmp_path) == ["a/b/y.pdf", "a/x.pdf"]
