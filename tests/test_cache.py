"""The result cache: content-addressed, namespaced by rules and tool, atomic, forgiving."""

from __future__ import annotations

from pathlib import Path

from contract_audit.cache import (
    ResultCache,
    RulesVersions,
    default_cache_dir,
    file_sha256,
    rules_fingerprint,
)
from contract_audit.results import Decision, DocumentResult

SHA = "ab" * 32


def result(**changes: object) -> DocumentResult:
    base = dict(path="a.pdf", sha256=SHA, status="ok", format="pdf", pages=3, words=90)
    return DocumentResult(**{**base, **changes})


def test_round_trip_relabels_and_strips_per_run_data(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path, rules_version="r1")
    stored = result(duplicates=("b.pdf",), decisions=(Decision("f1", "accept"),))
    assert cache.put(SHA, stored)
    got = ResultCache(tmp_path, rules_version="r1").get(SHA, "renamed.pdf")
    assert got is not None
    assert got.path == "renamed.pdf" and got.pages == 3
    assert got.duplicates == () and got.decisions == ()


def test_other_rules_version_is_a_miss(tmp_path: Path) -> None:
    ResultCache(tmp_path, rules_version="r1").put(SHA, result())
    other = ResultCache(tmp_path, rules_version="r2")
    assert other.get(SHA, "a.pdf") is None
    assert other.misses == 1


def test_only_reproducible_statuses_are_stored(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path, rules_version="r1")
    assert cache.put(SHA, result(status="encrypted"))
    for status in ("timeout", "unreadable", "error", "not-scanned"):
        assert not cache.put("cd" * 32, result(status=status, sha256="cd" * 32))
    assert cache.get("cd" * 32, "x") is None


def test_a_file_that_changed_during_analysis_is_not_stored(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path, rules_version="r1")
    assert not cache.put(SHA, result(sha256="ef" * 32))
    assert cache.get(SHA, "a.pdf") is None


def test_corrupt_entries_are_misses_and_no_temp_files_remain(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path, rules_version="r1")
    cache.put(SHA, result())
    entries = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert len(entries) == 1 and entries[0].suffix == ".pickle"
    entries[0].write_bytes(b"not a pickle")
    assert cache.get(SHA, "a.pdf") is None


def test_unwritable_cache_is_not_fatal(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder should be")
    cache = ResultCache(blocker, rules_version="r1")
    assert not cache.put(SHA, result())
    assert cache.write_errors and str(blocker) in cache.write_errors[0]


def test_file_sha256(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_bytes(b"abc")
    assert file_sha256(path) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_default_dir_follows_xdg(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert default_cache_dir() == tmp_path / "contract-audit"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert default_cache_dir().parts[-2:] == (".cache", "contract-audit")


def test_rules_fingerprint_tracks_content_and_overrides(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "a.yml").write_text("rules: []\n")

    def fp(**kwargs: object) -> str:
        return rules_fingerprint([rules], include_default=True, **kwargs)

    first = fp()
    assert fp() == first
    assert fp(disabled=["x"]) != first
    assert fp(severities={"x": "low"}) != first
    assert rules_fingerprint([rules], include_default=False) != first
    (rules / "a.yml").write_text("rules: [] # edited\n")
    assert fp() != first


class FakeRuleSet:
    version = "040bd385a160"


def test_rules_versions_round_trip(tmp_path: Path) -> None:
    versions = RulesVersions(tmp_path)
    assert versions.get("f" * 32) is None and versions.ruleset("f" * 32) is None
    versions.put("f" * 32, FakeRuleSet())
    again = RulesVersions(tmp_path)
    assert again.get("f" * 32) == "040bd385a160"
    assert isinstance(again.ruleset("f" * 32), FakeRuleSet)
