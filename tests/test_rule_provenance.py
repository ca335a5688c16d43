"""Rule examples are our own writing: none is lifted from a held-out set or the real corpus.

A rule example copied from a held-out contract would make that contract's measurement a test of
memory, not of generalisation; the real corpus is for measuring only.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from labels_support import HELD_OUT, REAL_CORPUS, folder_runs, word_runs

from contract_audit.rules import load_rules
from contract_audit.rules.examples import example_cases

# Eight words in a row is a copied clause, not a shared idiom ("in the best interest of the").
RUN = 12


def _example_runs() -> dict[tuple[str, ...], str]:
    runs: dict[tuple[str, ...], str] = {}
    for case in example_cases(load_rules()):
        for run in word_runs(case.text, RUN):
            runs.setdefault(run, case.rule)
    return runs


SOURCES = [pytest.param(s.folder, id=s.name) for s in HELD_OUT] + [
    pytest.param(REAL_CORPUS, id="real-corpus")
]


@pytest.mark.parametrize("folder", SOURCES)
def test_rule_examples_are_not_copied_from(folder: Path) -> None:
    if not folder.is_dir():
        pytest.skip(f"{folder} is absent")
    runs = _example_runs()
    copied = sorted({(runs[r], " ".join(r)) for r in runs.keys() & folder_runs(folder, RUN)})
    assert not copied, f"rule examples share {RUN}-word runs with {folder.name}: {copied[:10]}"
