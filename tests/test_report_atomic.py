"""Atomic writes: the old file or the new one, never half of either, no temp files left."""

from __future__ import annotations

from pathlib import Path

import pytest

from contract_audit.report import atomic
from contract_audit.report.atomic import atomic_write_text


def test_writes_and_creates_folders(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "er" / "r.html"
    atomic_write_text(target, "héllo\n")
    assert target.read_text(encoding="utf-8") == "héllo\n"
    assert list(target.parent.iterdir()) == [target]


def test_replaces_existing_file(tmp_path: Path) -> None:
    target = tmp_path / "r.html"
    target.write_text("old")
    atomic_write_text(target, "new")
    assert target.read_text() == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["r.html"]


def test_interrupted_write_keeps_old_report_and_no_temp(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "r.html"
    target.write_text("old report")

    def boom(src, dst):  # the process dies between writing and renaming
        raise KeyboardInterrupt

    monkeypatch.setattr(atomic.os, "replace", boom)
    with pytest.raises(KeyboardInterrupt):
        atomic_write_text(target, "new report " * 1000)
    assert target.read_text() == "old report"
    assert [p.name for p in tmp_path.iterdir()] == ["r.html"]


def test_temp_file_is_in_the_target_folder(tmp_path: Path, monkeypatch) -> None:
    seen = []
    real = atomic.os.replace

    def spy(src, dst):
        seen.append((Path(src).parent, Path(dst).parent))
        real(src, dst)

    monkeypatch.setattr(atomic.os, "replace", spy)
    atomic_write_text(tmp_path / "sub" / "a.json", "{}")
    assert seen == [(tmp_path / "sub", tmp_path / "sub")]
