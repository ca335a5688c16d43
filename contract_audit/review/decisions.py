"""Reviewer decisions: accept or reject a finding by its id, with a reason, a name and a date.

The file is YAML, kept beside the contract as ``<stem>.decisions.yml`` so it travels with it::

    decisions:
      - finding: 1f3a9c0d2b7e          # the finding id from the report or the Word comment
        title: Referral fees from vendors   # optional, for the human reader
        action: accept                  # accept | reject
        reason: Fees are credited to us under Schedule B.
        by: Jane Roe
        date: 2026-11-20

An accepted finding stays in the report, marked accepted with the reason, and no longer fails
``--fail-on``. A rejected one keeps counting (the reviewer confirmed it must be fixed). Scalars are
read as raw strings (never YAML numbers or dates) so hex ids such as ``1e10`` stay intact.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterable, Sequence
from pathlib import Path

from contract_audit.results import Decision, DocumentResult

ACTIONS: tuple[str, ...] = ("accept", "reject")
REQUIRED_FIELDS: tuple[str, ...] = ("finding", "action", "reason", "by", "date")
OPTIONAL_FIELDS: tuple[str, ...] = ("title",)
TOP_LEVEL_KEYS: tuple[str, ...] = ("decisions", "contract")
SUFFIX = ".decisions.yml"


class DecisionsError(Exception):
    """A decisions file that cannot be used; the message names the file, entry and field."""


def default_path(contract: str | Path) -> Path:
    """``<stem>.decisions.yml`` beside the contract."""
    contract = Path(contract)
    return contract.with_name(contract.stem + SUFFIX)


def find_decisions_file(contract: str | Path, explicit: str | Path | None = None) -> Path | None:
    """The decisions file to use: ``explicit`` (must exist) or the default one if it exists."""
    if explicit is not None:
        path = Path(explicit)
        if not path.is_file():
            raise DecisionsError(f"{path}: decisions file not found")
        return path
    path = default_path(contract)
    return path if path.is_file() else None


def load_decisions(path: str | Path) -> tuple[Decision, ...]:
    """Read and validate a decisions file; raise :class:`DecisionsError` on any problem."""
    import yaml

    path = Path(path)
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DecisionsError(f"{path}: cannot read decisions file: {exc}") from None
    try:
        root = yaml.compose(source, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise DecisionsError(f"{path}: not valid YAML: {exc}") from None
    return parse_decisions(root, path)


def parse_decisions(root: object, path: Path) -> tuple[Decision, ...]:
    """Validate a composed YAML node tree (see :func:`load_decisions`)."""
    import yaml

    if root is None:
        return ()
    if not isinstance(root, yaml.MappingNode):
        raise DecisionsError(f"{path}: expected a mapping with a 'decisions:' list at the top")
    entries: yaml.Node | None = None
    for key_node, value_node in root.value:
        key = _scalar(key_node)
        if key not in TOP_LEVEL_KEYS:
            raise DecisionsError(
                f"{path}:{_line(key_node)}: unknown top-level key {key!r} "
                f"(expected: {', '.join(TOP_LEVEL_KEYS)})"
            )
        if key == "decisions":
            entries = value_node
    if entries is None or _is_null(entries):
        return ()
    if not isinstance(entries, yaml.SequenceNode):
        raise DecisionsError(f"{path}:{_line(entries)}: 'decisions' must be a list of entries")
    decisions: list[Decision] = []
    seen: dict[str, int] = {}
    for number, node in enumerate(entries.value, start=1):
        decision = _parse_entry(node, number, path)
        if decision.finding in seen:
            raise DecisionsError(
                f"{path}:{_line(node)}: decision {number}: finding {decision.finding} "
                f"already has a decision (entry {seen[decision.finding]})"
            )
        seen[decision.finding] = number
        decisions.append(decision)
    return tuple(decisions)


def _parse_entry(node: object, number: int, path: Path) -> Decision:
    import yaml

    where = f"{path}:{_line(node)}: decision {number}"
    if not isinstance(node, yaml.MappingNode):
        raise DecisionsError(f"{where}: expected a mapping with {', '.join(REQUIRED_FIELDS)}")
    fields: dict[str, str] = {}
    for key_node, value_node in node.value:
        key = _scalar(key_node)
        if key not in REQUIRED_FIELDS + OPTIONAL_FIELDS:
            raise DecisionsError(
                f"{where}: unknown field {key!r} (expected: "
                f"{', '.join(REQUIRED_FIELDS + OPTIONAL_FIELDS)})"
            )
        if not isinstance(value_node, yaml.ScalarNode):
            raise DecisionsError(f"{where}: field {key!r}: expected text, got a list or mapping")
        fields[key] = "" if _is_null(value_node) else str(value_node.value).strip()
    for key in REQUIRED_FIELDS:
        if not fields.get(key):
            raise DecisionsError(f"{where}: field {key!r}: missing or empty")
    if fields["action"] not in ACTIONS:
        raise DecisionsError(
            f"{where}: field 'action': {fields['action']!r} is not one of {', '.join(ACTIONS)}"
        )
    try:
        dt.date.fromisoformat(fields["date"])
    except ValueError:
        raise DecisionsError(
            f"{where}: field 'date': {fields['date']!r} is not a date (write YYYY-MM-DD)"
        ) from None
    return Decision(
        finding=fields["finding"],
        action=fields["action"],
        reason=fields["reason"],
        by=fields["by"],
        date=fields["date"],
    )


def _scalar(node: object) -> str:
    import yaml

    return str(node.value) if isinstance(node, yaml.ScalarNode) else repr(node)


def _is_null(node: object) -> bool:
    import yaml

    return isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null")


def _line(node: object) -> int:
    mark = getattr(node, "start_mark", None)
    return mark.line + 1 if mark is not None else 0


def apply_decisions(result: DocumentResult, decisions: Iterable[Decision]) -> DocumentResult:
    """A copy of ``result`` whose ``decisions`` are those naming one of its findings and whose
    ``stale_decisions`` are the others (their finding disappeared: the clause changed)."""
    ids = {f.id for f in result.findings}
    decisions = tuple(decisions)
    return dataclasses.replace(
        result,
        decisions=tuple(d for d in decisions if d.finding in ids),
        stale_decisions=tuple(d for d in decisions if d.finding not in ids),
    )


def upsert(decisions: Sequence[Decision], decision: Decision) -> tuple[Decision, ...]:
    """``decisions`` with ``decision`` added, replacing any earlier one for the same finding."""
    kept = [d for d in decisions if d.finding != decision.finding]
    return (*kept, decision)


def dump_decisions(
    decisions: Sequence[Decision], *, contract: str = "", titles: dict[str, str] | None = None
) -> str:
    """The canonical YAML text for ``decisions`` (strings double-quoted, so never mis-typed)."""
    titles = titles or {}
    lines = [
        "# Review decisions (contract-audit). action: accept = risk accepted, no longer",
        "# fails --fail-on; reject = confirmed, must be fixed. Edit by hand or run",
        "# `contract-audit accept` / `contract-audit reject`.",
    ]
    if contract:
        lines.append(f"contract: {_quote(contract)}")
    if not decisions:
        lines.append("decisions: []")
    else:
        lines.append("decisions:")
    for d in decisions:
        lines.append(f"  - finding: {_quote(d.finding)}")
        if titles.get(d.finding):
            lines.append(f"    title: {_quote(titles[d.finding])}")
        lines.append(f"    action: {d.action}")
        lines.append(f"    reason: {_quote(d.reason)}")
        lines.append(f"    by: {_quote(d.by)}")
        lines.append(f"    date: {_quote(d.date)}")
    return "\n".join(lines) + "\n"


def render_template(result: DocumentResult) -> str:
    """A decisions file for ``result`` with one commented-out entry per finding to fill in."""
    header = dump_decisions(result.decisions, contract=Path(result.path).name).rstrip("\n")
    lines = [header, "# Findings without a decision (uncomment an entry, and move it under"]
    lines.append("# 'decisions:' replacing '[]' if the list is empty):")
    decided = {d.finding for d in result.decisions}
    today = dt.date.today().isoformat()
    for f in result.findings:
        if f.id in decided or f.family == "protection":
            continue
        lines += [
            f"#  - finding: {_quote(f.id)}",
            f"#    title: {_quote(f'[{f.severity}] {f.title}')}",
            "#    action: accept",
            '#    reason: ""',
            '#    by: ""',
            f"#    date: {_quote(today)}",
        ]
    return "\n".join(lines) + "\n"


def _quote(text: str) -> str:
    # A JSON string is a valid YAML double-quoted scalar.
    return json.dumps(text, ensure_ascii=False)


def save_decisions(path: str | Path, text: str) -> None:
    """Write ``text`` atomically so a crash never leaves half a decisions file."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
