"""Read YAML with line numbers and without the YAML 1.1 traps.

srsly ships ruamel.yaml (a spaCy dependency, so nothing to add); we compose the node tree
ourselves in YAML 1.2 mode, where ``no``/``on``/``yes`` are plain strings, and we keep dates as
the text that was written. Every value's 1-based line is recorded under its path
(``("rules", 3, "patterns", "tokens", 0)``) so errors can point at the exact line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

Loc = tuple[str | int, ...]


class YamlProblem(Exception):
    """A file that is not valid YAML (or has duplicate keys); ``line`` is 1-based or None."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


_TAG = "tag:yaml.org,2002:"


def _scalar(node: Any) -> Any:
    tag = node.tag.removeprefix(_TAG)
    value = node.value
    try:
        if tag == "null":
            return None
        if tag == "bool":
            return value.lower() == "true"
        if tag == "int":
            digits = value.replace("_", "")
            try:
                return int(digits, 0)
            except ValueError:
                return int(digits, 10)  # "010": YAML 1.2 reads decimal
        if tag == "float":
            return float(value.replace("_", ""))
    except ValueError:
        return value
    return value  # str, timestamp (kept as written), anything else


def _convert(node: Any, loc: Loc, lines: dict[Loc, int]) -> Any:
    from srsly.ruamel_yaml.nodes import MappingNode, SequenceNode

    lines[loc] = node.start_mark.line + 1
    if isinstance(node, MappingNode):
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
    if isinstance(node, SequenceNode):
        return [_convert(v, (*loc, i), lines) for i, v in enumerate(node.value)]
    return _scalar(node)


def read_yaml(path: Path) -> tuple[Any, dict[Loc, int]]:
    """Parse ``path``; return the data and a map from value path to line number."""
    from srsly.ruamel_yaml import YAML
    from srsly.ruamel_yaml.error import MarkedYAMLError, YAMLError

    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise YamlProblem(f"not UTF-8 text ({exc.reason})") from None
    except OSError as exc:
        raise YamlProblem(f"cannot read file ({exc.strerror})") from None
    yaml = YAML(typ="safe", pure=True)
    try:
        constructor, _parser = yaml.get_constructor_parser(text)
        node = constructor.composer.get_single_node()
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = " ".join(p for p in (exc.context, exc.problem) if p)
        raise YamlProblem(f"invalid YAML: {problem}", line) from None
    except YAMLError as exc:
        raise YamlProblem(f"invalid YAML: {exc}") from None
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
