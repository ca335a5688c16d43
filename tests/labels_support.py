"""What the label tests share: the labelled folders, how a label file is read, and the text
helpers the checks compare quotes with.

The evaluator (``contract-audit eval``) trusts the ``<stem>.labels.yml`` files of each folder, so
the same checks run over every folder (``tests/test_labels.py``); what only one set promises
stays in that set's own test module.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from contract_audit.rules.yamlread import read_yaml

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
REAL_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
LABEL_SUFFIX = ".labels.yml"
QUOTE_WORDS = (8, 30)


@dataclass(frozen=True)
class LabelSet:
    """One labelled folder and the contract length it promises (in words)."""

    name: str
    folder: Path
    words: tuple[int, int]

    @property
    def contracts(self) -> list[Path]:
        return sorted(self.folder.glob("*.txt"))

    @property
    def labelled(self) -> list[tuple[Path, dict[str, Any]]]:
        """(contract, labels) for every contract that has a label file."""
        return [(p, read_labels(p)) for p in self.contracts if labels_path(p).exists()]


CONTRACTS = LabelSet("contracts", FIXTURES / "contracts", (600, 3000))
SAMPLE = LabelSet("sample", FIXTURES / "sample", (1500, 2600))
HOLDOUT = LabelSet("holdout", FIXTURES / "holdout", (600, 2500))
HOLDOUT2 = LabelSet("holdout2", FIXTURES / "holdout2", (600, 2500))


def _later_sets() -> tuple[LabelSet, ...]:
    """holdout3 onwards, found by folder name, so a new held-out set is checked the moment its
    writer creates the folder."""
    numbers = sorted(
        int(d.name[len("holdout") :])
        for d in FIXTURES.glob("holdout*")
        if d.name[len("holdout") :].isdigit() and int(d.name[len("holdout") :]) >= 3
    )
    return tuple(LabelSet(f"holdout{n}", FIXTURES / f"holdout{n}", (600, 2200)) for n in numbers)


HELD_OUT = (HOLDOUT, HOLDOUT2, *_later_sets())
SETS = (CONTRACTS, SAMPLE, *HELD_OUT)


def labels_path(contract: Path) -> Path:
    return contract.with_name(contract.stem + LABEL_SUFFIX)


def read_labels(contract: Path) -> dict[str, Any]:
    """The label file of ``contract``, read the way every YAML file of the project is read."""
    data, _lines = read_yaml(labels_path(contract))
    return data


def collapse(text: str) -> str:
    """Collapse whitespace, as the evaluator does before locating a quote (quotes may span the
    contract's line breaks)."""
    return re.sub(r"\s+", " ", text).strip()


def idea_vocabulary() -> dict[str, set[str]]:
    """The idea vocabulary per family, read from the tuning corpus README (its single source)."""
    table = (CONTRACTS.folder / "README.md").read_text(encoding="utf-8")
    ideas: dict[str, set[str]] = {}
    for family, idea in re.findall(r"^\| ([a-z-]+) \| `([a-z-]+)` \|", table, re.MULTILINE):
        ideas.setdefault(family, set()).add(idea)
    return ideas


def word_runs(text: str, size: int, token: str = r"[a-z0-9']+") -> set[tuple[str, ...]]:
    """Every run of ``size`` consecutive words: a shared run means wording was reused."""
    words = re.findall(token, text.lower())
    return {tuple(words[i : i + size]) for i in range(len(words) - size + 1)}


@functools.cache
def folder_runs(folder: Path, size: int, token: str = r"[a-z0-9']+") -> frozenset[tuple[str, ...]]:
    """:func:`word_runs` of every ``.txt`` below ``folder`` (read once per test session)."""
    runs: set[tuple[str, ...]] = set()
    for path in folder.rglob("*.txt"):
        runs |= word_runs(path.read_text(encoding="utf-8", errors="replace"), size, token)
    return frozenset(runs)


def docx_content(path: Path) -> tuple[list[str], set[str], int]:
    """Paragraph then table-cell texts, the paragraph style names used, and the table count."""
    import docx

    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    styles = {p.style.name for p in document.paragraphs if p.style is not None}
    return parts, styles, len(document.tables)
