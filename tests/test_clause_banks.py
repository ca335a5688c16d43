"""The clause banks (fixtures/clauses, read by benchmarks/clauses.py) are well-formed: every
entry names an idea of the labelling table under its family, says what is expected, has a style
the benchmark can wrap and a clause long enough to be one, and no clause appears twice."""

from __future__ import annotations

from pathlib import Path

import pytest
import srsly
from labels_support import FIXTURES, idea_vocabulary

from contract_audit.domain import ELEMENTS

BANKS = sorted(p for p in (FIXTURES / "clauses").glob("*/*.yml"))
IDEAS = idea_vocabulary()
STYLES = {"formal", "plain", "independent"}


def test_the_banks_are_there() -> None:
    assert {p.parent.name for p in BANKS} >= {"bank1", "bank2", "bank3"}


@pytest.mark.parametrize("bank", BANKS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_bank_entries_are_well_formed(bank: Path) -> None:
    entries = srsly.read_yaml(bank)
    assert isinstance(entries, list) and entries
    for i, e in enumerate(entries):
        where = f"{bank.parent.name}/{bank.name}[{i}]"
        ideas = set(ELEMENTS) if e["family"] == "element" else IDEAS.get(e["family"], set())
        assert e["idea"] in ideas, f"{where}: {e['idea']!r} is no {e['family']} idea"
        assert e["expect"] in ("match", "no_match"), where
        assert e.get("style", "formal") in STYLES, where
        assert len(str(e["text"]).split()) >= 5, where
    texts = [" ".join(str(e["text"]).split()) for e in entries]
    assert len(texts) == len(set(texts)), f"{bank}: a clause appears twice"
