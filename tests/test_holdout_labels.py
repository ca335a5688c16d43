"""Checks what only the held-out labelled contracts (fixtures/holdout) promise.

The held-out set measures how the rules generalise to drafting nobody tuned them on
(``contract-audit eval fixtures/holdout``). The checks every labelled folder shares (quotes, ids,
word counts, the mix of a held-out set, no wording borrowed from the tuning corpus) are in
``tests/test_labels.py``.
"""

from __future__ import annotations

from labels_support import HOLDOUT


def test_set_size() -> None:
    assert len(HOLDOUT.contracts) >= 10, [p.name for p in HOLDOUT.contracts]


def test_an_independent_engagement_hides_an_incentive() -> None:
    hidden = [
        lab
        for _, lab in HOLDOUT.labelled
        if lab["engagement"] == "independent-fractional"
        and {"success-fee", "no-disclosure-duty"} & {f["idea"] for f in lab["findings"]}
    ]
    assert hidden, "no independent engagement with a subtle incentive"
