"""Output names: safe, unique (ignoring case), deterministic."""

from __future__ import annotations

import re

import pytest

from contract_audit.report.names import output_names, safe_stem

SAFE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def test_same_name_in_two_folders_gets_numbered() -> None:
    names = output_names(["b/contract.pdf", "a/contract.pdf"])
    assert names == {"a/contract.pdf": "contract", "b/contract.pdf": "contract-2"}


def test_names_do_not_depend_on_input_order() -> None:
    paths = ["x/Contract.docx", "y/contract.pdf", "contract-2.txt", "z/contract.txt", "q/CONTRACT"]
    assert output_names(paths) == output_names(reversed(paths))


def test_numbered_duplicate_steps_around_a_real_name() -> None:
    names = output_names(["a/contract.pdf", "b/contract.pdf", "contract-2.pdf"])
    assert names["contract-2.pdf"] == "contract-2"
    assert sorted(names.values()) == ["contract", "contract-2", "contract-3"]


def test_unique_ignoring_case() -> None:
    names = output_names(["A/Offer.pdf", "b/offer.pdf", "c/OFFER.docx"])
    assert len({n.casefold() for n in names.values()}) == 3


@pytest.mark.parametrize(
    "path",
    [
        "../../etc/passwd",
        "..\\..\\windows\\system32\\config.sys",
        "/abs/path/to/../x.pdf",
        "..",
        ".",
        "",
        "   .pdf",
        "a/b/\x00\x1fnull.pdf",
        "<script>alert(1)</script>.pdf",
        "javascript:alert(1).pdf",
        "weird name (final) v2 — signed.docx",
        "x" * 500 + ".pdf",
        "CON.pdf",
        "nul",
        "Vertrag für Müller & Söhne.docx",
        "合同.pdf",
    ],
)
def test_stems_are_plain_file_names(path: str) -> None:
    stem = safe_stem(path)
    assert SAFE.fullmatch(stem), stem
    assert "/" not in stem and "\\" not in stem and ".." not in stem
    assert len(stem) <= 80
    assert stem.casefold() not in {"con", "nul"}


def test_batch_file_names_are_reserved() -> None:
    names = output_names(["index.pdf", "report.docx", "Index.txt"])
    assert not {n.casefold() for n in names.values()} & {"index", "report"}
    assert names["index.pdf"].startswith("index-")


def test_readable_names_survive() -> None:
    assert safe_stem("deals/2026/Acme MSP Agreement v3.docx") == "Acme-MSP-Agreement-v3"
    assert safe_stem("Vertrag für Müller.docx") == "Vertrag-fur-Muller"
    assert safe_stem("archive.tar.gz") == "archive.tar"
    assert safe_stem("合同.pdf") == "document"
