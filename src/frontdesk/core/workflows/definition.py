"""The shape of a workflow definition, and the checks a definition must pass to be published.

A definition is JSON, stored as a workflow's draft and in each published version:

    {
      "trigger": {"type": "message_received", "config": {"match": "keyword", "keywords": ["cv"]}},
      "start": "greet",
      "steps": [
        {"id": "greet", "type": "send_message", "name": "Greeting",
         "config": {"text": "Olá {{contact.name}}!"}, "next": {"next": "menu"},
         "position": {"x": 0, "y": 0}},
        ...
      ]
    }

Each step leaves by one of its outlets; `next` maps every outlet to the id of the step that
follows. The outlets of a step are fixed by its type (`outlets`), except for the ones its
config names (a choice question's options, a branch's cases). A flow ends only at a terminal
step (`end`, `handover`, `jump`), so an outlet left unconnected is an error, not an end.

`config` is checked per step type by the engine (steps.py); this module checks the graph.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

MAX_STEPS_PER_DEFINITION = 200
# Steps one run may take before it is stopped as a loop (a jump back to a menu counts each time).
STEP_BUDGET = 500

TRIGGER_TYPES = (
    "conversation_opened",
    "conversation_closed",
    "message_received",  # config: {"match": "any"|"keyword"|"regex", "keywords": [...], "pattern"}
    "contact_tag_changed",  # config: {"tag_ids": [...], "change": "added"|"removed"|"any"}
    "contact_field_changed",  # config: {"field_keys": [...]}
    "contact_lifecycle_changed",  # config: {"stages": [...]}
    "shortcut",  # an agent runs it on a conversation
    "webhook",  # an incoming, signed HTTP call
    "schedule",  # config: {"cron": "0 9 * * 1-5", "timezone": "America/Sao_Paulo"}
    "sla_at_risk",
    "sla_breached",
    "workflow",  # started by another workflow's start_workflow step
)

STEP_TYPES = (
    "send_message",  # text, buttons, list, template or file
    "ask_question",  # validated answer saved to a contact field or a variable
    "branch",  # conditions (rules) in order, else
    "business_hours",  # open / closed, by the team's or the workspace's schedule
    "date_branch",  # config: weekdays / date ranges / time of day
    "assign",  # a team (with its strategy), an agent, the contact's owner, the previous agent
    "tag",  # add or remove conversation or contact tags
    "update_contact",  # a field or the lifecycle stage
    "note",  # an internal note
    "set_status",  # open, close (with outcome) or snooze
    "wait",  # a duration, or until a time
    "http_request",
    "start_workflow",
    "handover",  # ends bot handling: the conversation goes to people (terminal)
    "jump",  # config: {"target": step_id} (terminal: the run goes on at the target)
    "end",  # terminal
)

TERMINAL_TYPES = frozenset({"handover", "jump", "end"})

# Fixed outlets per step type; `ask_question` with options and `branch` add their own.
OUTLETS: dict[str, tuple[str, ...]] = {
    "send_message": ("next",),
    "ask_question": ("reply", "invalid", "timeout"),
    "branch": ("else",),
    "business_hours": ("open", "closed"),
    "date_branch": ("match", "else"),
    "assign": ("next",),
    "tag": ("next",),
    "update_contact": ("next",),
    "note": ("next",),
    "set_status": ("next",),
    "wait": ("next",),
    "http_request": ("success", "error", "timeout"),
    "start_workflow": ("next",),
    "handover": (),
    "jump": (),
    "end": (),
}


class Position(BaseModel):
    x: float = 0
    y: float = 0


class Trigger(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: Literal[TRIGGER_TYPES]  # type: ignore[valid-type]
    config: dict[str, Any] = Field(default_factory=dict)


class Step(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
    type: Literal[STEP_TYPES]  # type: ignore[valid-type]
    name: str = Field(default="", max_length=120)
    config: dict[str, Any] = Field(default_factory=dict)
    next: dict[str, str] = Field(default_factory=dict)
    position: Position = Field(default_factory=Position)


class Definition(BaseModel):
    model_config = ConfigDict(extra="forbid")

    trigger: Trigger
    start: str | None = None
    steps: list[Step] = Field(default_factory=list, max_length=MAX_STEPS_PER_DEFINITION)


class Problem(BaseModel):
    """One reason a definition cannot be published; `step_id` and `outlet` point the builder
    at it."""

    code: str  # "no_start", "unknown_step", "dangling_outlet", "unreachable", "duplicate_id", ...
    message: str
    step_id: str | None = None
    outlet: str | None = None


def outlets_of(step: Step) -> tuple[str, ...]:
    """Every outlet the step has: its type's, plus its options' or cases' ids."""
    extra: list[str] = []
    if step.type == "ask_question":
        extra = [str(o.get("id")) for o in step.config.get("options") or [] if isinstance(o, dict)]
    elif step.type == "branch":
        extra = [str(c.get("id")) for c in step.config.get("cases") or [] if isinstance(c, dict)]
    return tuple(extra) + OUTLETS[step.type]


def graph_problems(definition: Definition) -> list[Problem]:
    """The graph's faults: no start, duplicate ids, an outlet unconnected or pointing nowhere, a
    jump to nowhere, a step no path reaches. Empty when the graph may be published."""
    problems: list[Problem] = []
    by_id: dict[str, Step] = {}
    for step in definition.steps:
        if step.id in by_id:
            problems.append(
                Problem(code="duplicate_id", message="two steps share an id", step_id=step.id)
            )
        by_id[step.id] = step
    if not definition.steps:
        return [Problem(code="no_steps", message="the workflow has no step")]
    if definition.start is None or definition.start not in by_id:
        problems.append(Problem(code="no_start", message="the first step is not set"))
    for step in definition.steps:
        problems.extend(_outlet_problems(step, by_id))
    reached = _reachable(definition, by_id)
    for step in definition.steps:
        if step.id not in reached:
            problems.append(
                Problem(code="unreachable", message="no path reaches this step", step_id=step.id)
            )
    return problems


def _outlet_problems(step: Step, by_id: dict[str, Step]) -> list[Problem]:
    problems: list[Problem] = []
    for outlet in outlets_of(step):
        target = step.next.get(outlet)
        if not target:
            problems.append(
                Problem(
                    code="dangling_outlet",
                    message="this branch leads nowhere",
                    step_id=step.id,
                    outlet=outlet,
                )
            )
        elif target not in by_id:
            problems.append(
                Problem(
                    code="unknown_step",
                    message="this branch leads to a step that does not exist",
                    step_id=step.id,
                    outlet=outlet,
                )
            )
    for outlet in step.next:
        if outlet not in outlets_of(step):
            problems.append(
                Problem(
                    code="unknown_outlet",
                    message="this step has no such branch",
                    step_id=step.id,
                    outlet=outlet,
                )
            )
    if step.type == "jump" and step.config.get("target") not in by_id:
        problems.append(
            Problem(code="unknown_step", message="the jump leads nowhere", step_id=step.id)
        )
    return problems


def _reachable(definition: Definition, by_id: dict[str, Step]) -> set[str]:
    seen: set[str] = set()
    todo = [definition.start] if definition.start in by_id else []
    while todo:
        current = todo.pop()
        if current is None or current in seen or current not in by_id:
            continue
        seen.add(current)
        step = by_id[current]
        todo.extend(step.next.values())
        if step.type == "jump":
            target = step.config.get("target")
            if isinstance(target, str):
                todo.append(target)
    return seen
