"""What changed between two definitions of a workflow, step by step (not a text diff): the
builder colours added, removed and changed steps and lists which of a step's fields moved."""

from __future__ import annotations

from typing import Any

from frontdesk.core.workflows.definition import Definition, Step
from frontdesk.core.workflows.schemas import StepChange, StepRef, WorkflowDiff


def _ref(step: Step) -> StepRef:
    return StepRef(step_id=step.id, type=step.type, name=step.name)


def _keys_changed(prefix: str, before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    keys = sorted(set(before) | set(after))
    return [
        f"{prefix}.{k}"
        for k in keys
        if before.get(k) != after.get(k) or (k in before) != (k in after)
    ]


def _fields_changed(before: Step, after: Step) -> list[str]:
    fields = [name for name in ("type", "name") if getattr(before, name) != getattr(after, name)]
    fields.extend(_keys_changed("config", before.config, after.config))
    fields.extend(_keys_changed("next", before.next, after.next))
    if before.position != after.position:
        fields.append("position")
    return fields


def diff_definitions(
    before: Definition, after: Definition, *, from_label: str, to_label: str
) -> WorkflowDiff:
    old = {s.id: s for s in before.steps}
    new = {s.id: s for s in after.steps}
    changed = []
    for step_id, step in new.items():
        if step_id in old:
            fields = _fields_changed(old[step_id], step)
            if fields:
                changed.append(StepChange(**_ref(step).model_dump(), fields=fields))
    return WorkflowDiff(
        from_version=from_label,
        to_version=to_label,
        trigger_changed=before.trigger != after.trigger,
        trigger_before=before.trigger.model_dump(mode="json"),
        trigger_after=after.trigger.model_dump(mode="json"),
        start_changed=before.start != after.start,
        steps_added=[_ref(s) for i, s in new.items() if i not in old],
        steps_removed=[_ref(s) for i, s in old.items() if i not in new],
        steps_changed=changed,
    )
