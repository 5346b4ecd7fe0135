"""Every step type: its config model and its handler (one module per group of types).

`config_problems` checks each step's config for publishing, next to the graph's checks.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from frontdesk.core.workflows.definition import Definition, Problem, Step
from frontdesk.core.workflows.steps import http, logic, messages, people
from frontdesk.core.workflows.steps.base import Config, StepType

STEP_HANDLERS: dict[str, StepType] = {
    **messages.TYPES,
    **logic.TYPES,
    **people.TYPES,
    **http.TYPES,
}


def parse_config(step: Step) -> Config:
    """The step's config as its type's model (raises ValidationError)."""
    return STEP_HANDLERS[step.type].config.model_validate(step.config)


def _describe(error: Any) -> str:
    where = ".".join(str(p) for p in error.get("loc", ()))
    message = str(error.get("msg", "invalid")).removeprefix("Value error, ")
    return f"{where}: {message}" if where else message


def step_problems(step: Step) -> list[Problem]:
    kind = STEP_HANDLERS.get(step.type)
    if kind is None:
        return [Problem(code="unknown_type", message="unknown step type", step_id=step.id)]
    try:
        config = kind.config.model_validate(step.config)
    except ValidationError as exc:
        return [
            Problem(code="invalid_config", message=_describe(e), step_id=step.id)
            for e in exc.errors()
        ]
    messages_ = kind.check(config) if kind.check else []
    return [Problem(code="invalid_config", message=m, step_id=step.id) for m in messages_]


def config_problems(definition: Definition) -> list[Problem]:
    """Each step's config checked by its type (and a jump's target by the graph's checks)."""
    from frontdesk.core.workflows.matching import trigger_config_problems

    problems = trigger_config_problems(definition.trigger)
    for step in definition.steps:
        problems.extend(step_problems(step))
    return problems


def definition_vars(definition: Definition) -> list[str]:
    """The `vars.<name>` a definition's steps save (for the builder's variable picker)."""
    names: list[str] = []
    for step in definition.steps:
        save_to = step.config.get("save_to")
        if isinstance(save_to, str) and save_to.startswith("vars."):
            names.append(save_to[5:])
        mapping = step.config.get("map")
        if step.type == "http_request" and isinstance(mapping, dict):
            names.extend(str(k) for k in mapping)
    return list(dict.fromkeys(names))
