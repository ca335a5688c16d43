"""Read YAML with line numbers and without the YAML 1.1 traps.

We only ask the parser for the node tree and resolve plain scalars ourselves with the YAML 1.2
core schema: ``no``/``on``/``yes``/``off`` are words, dates stay the text that was written, only
``true``/``false``, numbers and ``null``/``~`` are typed. Every value's 1-based line is recorded
under its path (``("rules", 3, "patterns", "tokens", 0)``) so errors can point at the exact line.

The parser is PyYAML (a dependency), through its libyaml binding when built with it (about 20x
faster than pure Python).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

Loc = tuple[str | int, ...]


class YamlProblem(Exception):
    """A file that is not valid YAML (or has duplicate keys); ``line`` is 1-based or None."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


_NULL = re.compile(r"~|null|Null|NULL|")
_BOOL = re.compile(r"true|True|TRUE|false|False|FALSE")
_INT = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_SPECIAL_FLOAT = re.compile(r"[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)")


def _scalar(node: Any) -> Any:
    """YAML 1.2 core schema for plain scalars; quoted scalars are always strings."""
    value = node.value
    if node.style:  # quoted or block scalar ("" / None is plain, depending on the parser)
        return value
    if _NULL.fullmatch(value):
        return None
    if _BOOL.fullmatch(value):
        return value.lower() == "true"
    if _INT.fullmatch(value):
        return int(value, 0) if value.startswith(("0o", "0x")) else int(value)
    if _FLOAT.fullmatch(value) or _SPECIAL_FLOAT.fullmatch(value):
        return float(value.replace("inf", "Infinity").replace("Inf", "Infinity"))
    return value


def _convert(node: Any, loc: Loc, lines: dict[Loc, int]) -> Any:
    lines[loc] = node.start_mark.line + 1
    if node.id == "mapping":
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _convert(key_node, loc, {})
            if not isinstance(key, str | int | float | bool) or key is None:
                raise YamlProblem("mapping keys must be plain words", key_node.start_mark.line + 1)
            if key in out:
                raise YamlProblem(f"duplicate key {key!r}", key_node.start_mark.line + 1)
            out[key] = _convert(value_node, (*loc, key), lines)
            lines[(*loc, key)] = key_node.start_mark.line + 1  # "field X" points at its key
        return out
    if node.id == "sequence":
        return [_convert(v, (*loc, i), lines) for i, v in enumerate(node.value)]
    return _scalar(node)


def _compose(text: str) -> Any:
    """The root node (None for an empty file); raises YamlProblem."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.compose(text, Loader=loader)
    except yaml.MarkedYAMLError as exc:
        _raise_marked(exc)
    except yaml.YAMLError as exc:
        raise YamlProblem(f"invalid YAML: {exc}") from None


def _raise_marked(exc: Any) -> None:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark is not None else None
    problem = " ".join(p for p in (exc.context, exc.problem) if p)
    raise YamlProblem(f"invalid YAML: {problem}", line) from None


def read_yaml(path: Path) -> tuple[Any, dict[Loc, int]]:
    """Parse ``path``; return the data and a map from value path to line number."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise YamlProblem(f"not UTF-8 text ({exc.reason})") from None
    except OSError as exc:
        raise YamlProblem(f"cannot read file ({exc.strerror})") from None
    node = _compose(text)
    if node is None:
        return None, {}
    lines: dict[Loc, int] = {}
    return _convert(node, (), lines), lines


def line_of(lines: dict[Loc, int], loc: Loc) -> int | None:
    """The line of ``loc``, or of its nearest ancestor that has one."""
    while loc:
        if loc in lines:
            return lines[loc]
        loc = loc[:-1]
    return lines.get(())
