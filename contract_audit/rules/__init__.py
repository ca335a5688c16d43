"""Rule files: schema, loading and validation (see docs/rule-language.md).

Importing this package is cheap; pydantic and spaCy are imported when rules are loaded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from contract_audit.rules.loader import (
    RuleError,
    RuleProblem,
    RuleSet,
    default_rules_dir,
    load_rules,
)

if TYPE_CHECKING:
    from contract_audit.rules.schema import Rule

__all__ = ["Rule", "RuleError", "RuleProblem", "RuleSet", "default_rules_dir", "load_rules"]


def __getattr__(name: str) -> Any:
    if name == "Rule":  # lazy: keeps pydantic out of `import contract_audit.rules`
        from contract_audit.rules.schema import Rule

        return Rule
    raise AttributeError(name)
