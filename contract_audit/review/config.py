"""Playbooks: a team's standing choices for contract-audit, kept in a TOML file.

Either ``[tool.contract-audit]`` in ``pyproject.toml`` or the top level of ``contract-audit.toml``,
found in the current directory or the nearest parent (``contract-audit.toml`` wins in the same
folder), or named with ``--config FILE``::

    rules = ["playbooks/acme"]           # extra rule folders, relative to the config file
    default-rules = true                  # false: only the folders above
    disable = ["exclusive-projects"]      # rule ids to switch off
    fail-on = "high"                      # default --fail-on
    format = ["html", "json"]             # default --format
    output = "reports"                    # default --output, relative to the config file

    [severity]                            # in pyproject: [tool.contract-audit.severity]
    referral-commission = "medium"

Command-line values win over the file: :func:`resolve` takes the file's :class:`Config` and the
flags the user actually gave (``None`` = not given) and returns the :class:`Settings` to run with.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from contract_audit.domain import SEVERITIES

FILE_NAME = "contract-audit.toml"
PYPROJECT = "pyproject.toml"
# Report formats a playbook may name (jsonl streams one line per document; scan only).
FORMATS: tuple[str, ...] = ("html", "json", "jsonl")
KEYS: tuple[str, ...] = (
    "rules",
    "default-rules",
    "disable",
    "severity",
    "fail-on",
    "format",
    "output",
)
DEFAULT_FORMATS: tuple[str, ...] = ("html", "json")
DEFAULT_OUTPUT = Path("reports")


class ConfigError(Exception):
    """A configuration that cannot be used; the message names the file and the key."""


@dataclass(frozen=True)
class Config:
    """What a playbook file says (paths already resolved against the file's folder)."""

    path: Path | None = None  # None: no file found, all defaults
    rules: tuple[Path, ...] = ()
    default_rules: bool | None = None
    disabled: tuple[str, ...] = ()
    severities: Mapping[str, str] = field(default_factory=dict)
    fail_on: str | None = None
    formats: tuple[str, ...] | None = None
    output: Path | None = None

    def to_dict(self) -> dict:
        return {
            "path": str(self.path) if self.path else None,
            "rules": [str(p) for p in self.rules],
            "default_rules": self.default_rules,
            "disabled": list(self.disabled),
            "severities": dict(self.severities),
            "fail_on": self.fail_on,
            "formats": list(self.formats) if self.formats is not None else None,
            "output": str(self.output) if self.output else None,
        }


@dataclass(frozen=True)
class Settings:
    """The values a command runs with once the file and the command line are merged."""

    rules: tuple[Path, ...] = ()
    default_rules: bool = True
    disabled: tuple[str, ...] = ()
    severities: Mapping[str, str] = field(default_factory=dict)
    fail_on: str | None = None
    formats: tuple[str, ...] = DEFAULT_FORMATS
    output: Path = DEFAULT_OUTPUT
    config: Path | None = None

    def to_dict(self) -> dict:
        return {
            "rules": [str(p) for p in self.rules],
            "default_rules": self.default_rules,
            "disabled": list(self.disabled),
            "severities": dict(self.severities),
            "fail_on": self.fail_on,
            "formats": list(self.formats),
            "output": str(self.output),
            "config": str(self.config) if self.config else None,
        }


def find_config(start: Path) -> Path | None:
    """The nearest ``contract-audit.toml``, or ``pyproject.toml`` with a ``[tool.contract-audit]``
    table, in ``start`` or a parent folder."""
    start = start.resolve()
    for folder in (start, *start.parents):
        candidate = folder / FILE_NAME
        if candidate.is_file():
            return candidate
        pyproject = folder / PYPROJECT
        if pyproject.is_file() and _pyproject_table(pyproject) is not None:
            return pyproject
    return None


def load_config(path: str | Path | None = None, start: Path | None = None) -> Config:
    """Read the playbook named by ``path`` (``--config``) or found upward from ``start``
    (default: the current directory). No file found means an empty :class:`Config`."""
    if path is not None:
        path = Path(path)
        if not path.is_file():
            raise ConfigError(f"{path}: configuration file not found")
        if path.name == PYPROJECT:
            table = _pyproject_table(path)
            if table is None:
                raise ConfigError(f"{path}: no [tool.contract-audit] table")
        else:
            table = _read_toml(path)
    else:
        path = find_config(start if start is not None else Path.cwd())
        if path is None:
            return Config()
        table = _pyproject_table(path) if path.name == PYPROJECT else _read_toml(path)
        assert table is not None
    return parse_config(table, path)


def _read_toml(path: Path) -> dict[str, Any]:
    import tomllib

    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read configuration: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None


def _pyproject_table(path: Path) -> dict[str, Any] | None:
    tool = _read_toml(path).get("tool", {})
    table = tool.get("contract-audit") if isinstance(tool, dict) else None
    if table is not None and not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.contract-audit] must be a table")
    return table


def parse_config(table: Mapping[str, Any], path: Path) -> Config:
    """Validate a playbook table; every error names ``path`` and the key."""
    where = "[tool.contract-audit] " if path.name == PYPROJECT else ""
    unknown = [k for k in table if k not in KEYS]
    if unknown:
        raise ConfigError(
            f"{path}: {where}unknown key {unknown[0]!r} (expected one of: {', '.join(KEYS)})"
        )

    def bad(key: str, message: str) -> ConfigError:
        return ConfigError(f"{path}: {where}key {key!r}: {message}")

    base = path.parent
    rules = tuple(base / p for p in _strings(table, "rules", bad))
    for folder in rules:
        if not folder.is_dir():
            raise bad("rules", f"rule folder {folder} does not exist")
    default_rules = table.get("default-rules")
    if default_rules is not None and not isinstance(default_rules, bool):
        raise bad("default-rules", "expected true or false")
    disabled = _strings(table, "disable", bad)
    severities = table.get("severity", {})
    if not isinstance(severities, dict):
        raise bad("severity", "expected a table of rule-id = \"high|medium|low|info\"")
    for rule_id, level in severities.items():
        if level not in SEVERITIES:
            raise bad(
                "severity", f"rule {rule_id!r}: {level!r} is not one of {', '.join(SEVERITIES)}"
            )
    fail_on = table.get("fail-on")
    if fail_on is not None and fail_on not in SEVERITIES:
        raise bad("fail-on", f"{fail_on!r} is not one of {', '.join(SEVERITIES)}")
    formats = None
    if "format" in table:
        raw = table["format"]
        formats = parse_formats(raw) if isinstance(raw, str) else _strings(table, "format", bad)
        for fmt in formats:
            if fmt not in FORMATS:
                raise bad("format", f"{fmt!r} is not one of {', '.join(FORMATS)}")
        if not formats:
            raise bad("format", "name at least one format")
    output = table.get("output")
    if output is not None and not (isinstance(output, str) and output):
        raise bad("output", "expected a folder name")
    return Config(
        path=path,
        rules=rules,
        default_rules=default_rules,
        disabled=disabled,
        severities=dict(severities),
        fail_on=fail_on,
        formats=formats,
        output=base / output if output else None,
    )


def _strings(table: Mapping[str, Any], key: str, bad: Any) -> tuple[str, ...]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise bad(key, "expected a list of strings")
    return tuple(value)


def parse_formats(text: str) -> tuple[str, ...]:
    """``"html,json"`` -> ``("html", "json")`` (the ``--format`` syntax)."""
    return tuple(p.strip().lower() for p in text.split(",") if p.strip())


def resolve(
    config: Config,
    *,
    rules: Iterable[str | Path] | None = None,
    default_rules: bool | None = None,
    disabled: Iterable[str] | None = None,
    severities: Mapping[str, str] | None = None,
    fail_on: str | None = None,
    formats: Iterable[str] | str | None = None,
    output: str | Path | None = None,
) -> Settings:
    """Merge the file with the command line; ``None`` means the flag was not given.

    Scalars given on the command line replace the file's value. Rule folders add up (the
    playbook's first, then ``--rules``, so a later folder overrides an earlier rule id), and so do
    disabled rules and severity overrides (the command line's win on the same rule).
    """
    if isinstance(formats, str):
        formats = parse_formats(formats)
    merged_formats = tuple(formats) if formats else config.formats or DEFAULT_FORMATS
    for fmt in merged_formats:
        if fmt not in FORMATS:
            raise ConfigError(f"--format: {fmt!r} is not one of {', '.join(FORMATS)}")
    if fail_on is not None and fail_on not in SEVERITIES:
        raise ConfigError(f"--fail-on: {fail_on!r} is not one of {', '.join(SEVERITIES)}")
    return Settings(
        rules=(*config.rules, *(Path(p) for p in rules or ())),
        default_rules=(
            default_rules
            if default_rules is not None
            else (config.default_rules if config.default_rules is not None else True)
        ),
        disabled=tuple(dict.fromkeys((*config.disabled, *(disabled or ())))),
        severities={**config.severities, **(severities or {})},
        fail_on=fail_on if fail_on is not None else config.fail_on,
        formats=merged_formats,
        output=Path(output) if output is not None else config.output or DEFAULT_OUTPUT,
        config=config.path,
    )


def given(ctx: Any, name: str) -> bool:
    """True when the click parameter ``name`` came from the command line (or the environment),
    not from its default: lets a command pass ``None`` to :func:`resolve` for untouched flags."""
    import click

    source = ctx.get_parameter_source(name)
    return source in (
        click.core.ParameterSource.COMMANDLINE,
        click.core.ParameterSource.ENVIRONMENT,
    )


def load_ruleset(settings: Settings) -> Any:
    """The :class:`~contract_audit.rules.RuleSet` for ``settings`` (folders, disabled rules,
    severity overrides). Raises ``RuleError`` for bad rule files and :class:`ConfigError` when the
    playbook names a rule that does not exist."""
    from contract_audit.rules import RuleError, load_rules

    ruleset = load_rules(settings.rules, include_default=settings.default_rules)
    if not settings.disabled and not settings.severities:
        return ruleset
    try:
        return ruleset.with_overrides(
            disabled=settings.disabled, severities=dict(settings.severities)
        )
    except RuleError as exc:
        where = f"{settings.config}: " if settings.config else ""
        problems = [_playbook_words(p) for p in getattr(exc, "problems", ())] or [str(exc)]
        raise ConfigError(where + "; ".join(problems)) from None


def _playbook_words(problem: str) -> str:
    """Name the playbook's keys in the rule loader's messages ("disabled:" -> "key 'disable':")."""
    for loader_word, key in (("disabled:", "disable"), ("severities:", "severity")):
        if problem.startswith(loader_word):
            return f"key {key!r}:{problem[len(loader_word):]}"
    return problem
