"""Conditions: JsonLogic rules, the one format the builder (json-logic-js) and the engine share.

A rule is JSON such as `{"==": [{"var": "contact.fields.city"}, "Recife"]}`, evaluated against
the run's variables (variables.py). `tests/fixtures/workflow_rules_cases.json` holds cases both
evaluators must agree on; a rule that cannot be evaluated is false, never a failed run.
"""

from __future__ import annotations

import json
from typing import Any

from json_logic import jsonLogic  # type: ignore[import-untyped]

# The operations a rule may use: the common set json-logic-js and the Python package agree on.
OPERATIONS = frozenset(
    {
        "var",
        "missing",
        "missing_some",
        "if",
        "?:",
        "==",
        "===",
        "!=",
        "!==",
        "!",
        "!!",
        "or",
        "and",
        ">",
        ">=",
        "<",
        "<=",
        "max",
        "min",
        "+",
        "-",
        "*",
        "/",
        "%",
        "in",
        "cat",
        "substr",
        "merge",
    }
)
MAX_RULE_CHARS = 10_000
MAX_DEPTH = 20


def rule_problems(rule: Any) -> list[str]:
    """Why the rule cannot be used (unknown operation, too big, too deep); empty when fine."""
    try:
        size = len(json.dumps(rule))
    except (TypeError, ValueError):
        return ["the rule is not JSON"]
    if size > MAX_RULE_CHARS:
        return [f"the rule is longer than {MAX_RULE_CHARS} characters"]
    problems: list[str] = []
    _walk(rule, 0, problems)
    return problems


def _walk(node: Any, depth: int, problems: list[str]) -> None:
    if depth > MAX_DEPTH:
        problems.append(f"the rule nests deeper than {MAX_DEPTH} levels")
        return
    if isinstance(node, list):
        for item in node:
            _walk(item, depth + 1, problems)
    elif isinstance(node, dict):
        if len(node) != 1:
            problems.append("each operation is an object with one key")
            return
        ((operation, args),) = node.items()
        if operation not in OPERATIONS:
            problems.append(f"unknown operation {operation!r}")
            return
        _walk(args, depth + 1, problems)


def evaluate(rule: Any, data: dict[str, Any]) -> bool:
    """The rule's truth for `data` (JsonLogic truthiness); a broken rule is false."""
    if rule_problems(rule):
        return False
    try:
        result = jsonLogic(rule, data)
    except Exception:  # a rule comparing unlike things, dividing by zero...
        return False
    return truthy(result)


def truthy(value: Any) -> bool:
    """JsonLogic's truthiness: an empty list is false, as in json-logic-js."""
    if isinstance(value, list):
        return len(value) > 0
    return bool(value)
