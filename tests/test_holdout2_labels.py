"""Checks what only the second blind held-out set (fixtures/holdout2) promises.

The set measures how well the detection rules generalise (``contract-audit eval
fixtures/holdout2``); rule authors never tune on it. The checks every labelled folder shares
(quotes, ids, word counts, the mix of a held-out set, no clause borrowed from another set or the
real corpus) are in ``tests/test_labels.py``. These tests check the labels, not the analyzer.
"""

from __future__ import annotations

from labels_support import HOLDOUT2


def test_set_size() -> None:
    assert len(HOLDOUT2.contracts) == 10, [p.name for p in HOLDOUT2.contracts]


def test_a_clean_and_a_conflicted_independent() -> None:
    """The brief asks for a clean and a conflicted independent engagement."""
    independents = [
        {f["family"] for f in lab["findings"]}
        for _, lab in HOLDOUT2.labelled
        if lab["engagement"] == "independent-fractional"
    ]
    assert {"protection"} in independents, "no clean independent engagement"
    assert any("vendor-incentive" in fams for fams in independents), "no conflicted independent"
