"""What every step type shares: the context a step runs in, what it returns, its config model.

A step's handler runs inside the advance's transaction and returns an `Outcome`: the outlet it
leaves by, or a wait, or the run's end. Its config is validated by the type's pydantic model,
both when a definition is published (`config_problems`) and when the step runs.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from frontdesk.core.actor import Actor
from frontdesk.core.conversations.models import Conversation
from frontdesk.core.workflows.definition import Definition, Step
from frontdesk.core.workflows.models import WorkflowRun
from frontdesk.core.workflows.variables import render, render_value
from frontdesk.db.uow import UnitOfWork


class Config(BaseModel):
    """A step type's config; fields the builder keeps for itself are ignored."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)


class StepFailed(Exception):
    """The step cannot go on (a missing conversation, a refused send...): the run fails here,
    and can be retried from this step."""


@dataclass(frozen=True)
class Wait:
    kind: str  # "reply" | "time"
    until: datetime | None


@dataclass
class Outcome:
    outlet: str | None = None
    output: dict[str, Any] = field(default_factory=dict)
    wait: Wait | None = None
    # "completed" ends the run here (an `end` step); "handover" ends it with people in charge.
    end: str | None = None
    goto: str | None = None  # a jump's target


@dataclass
class StepContext:
    uow: UnitOfWork
    run: WorkflowRun
    definition: Definition
    step: Step
    seq: int
    data: dict[str, Any]
    conversation: Conversation | None
    actor: Actor
    resolved: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> str:
        """The step's idempotency key: the same on every attempt of this step of this run."""
        return f"{self.run.id}:{self.seq}"

    @property
    def message_key(self) -> str:
        return f"wf:{self.run.id.hex}:{self.seq}"

    @property
    def is_test(self) -> bool:
        return self.run.is_test

    def render(self, text: str) -> str:
        return render(text, self.data)

    def render_value(self, value: Any) -> Any:
        return render_value(value, self.data)

    def require_conversation(self) -> Conversation:
        if self.conversation is None:
            raise StepFailed(f"a {self.step.type} step needs a conversation; this run has none")
        return self.conversation

    def contact_id(self) -> uuid.UUID | None:
        if self.conversation is not None:
            return self.conversation.contact_id
        return self.run.contact_id


Handler = Callable[[StepContext, Any], Awaitable[Outcome]]


@dataclass(frozen=True)
class StepType:
    config: type[Config]
    run: Handler
    # Checks beyond the model's (a rule's operations...): messages for the builder.
    check: Callable[[Any], list[str]] | None = None


def save_target_problems(save_to: str | None) -> list[str]:
    if not save_to:
        return []
    if save_to in ("contact.email", "contact.phone", "contact.name"):
        return []
    for prefix in ("contact.fields.", "vars."):
        if save_to.startswith(prefix) and save_to[len(prefix) :].replace("_", "a").isalnum():
            return []
    return [
        "save_to must be contact.name, contact.email, contact.phone, "
        "contact.fields.<key> or vars.<name>"
    ]
