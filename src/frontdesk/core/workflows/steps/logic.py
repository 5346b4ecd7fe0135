"""Steps that decide where the run goes or when: branch on rules, business hours, dates and
times, wait, jump, end, and start another workflow."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta
from typing import Any

from pydantic import Field, model_validator
from sqlalchemy import select

from frontdesk.core.hours.calendar import is_open, time_zone
from frontdesk.core.hours.queries import effective_schedule
from frontdesk.core.workflows.conditions import evaluate, rule_problems
from frontdesk.core.workflows.steps.base import Config, Outcome, StepContext, StepType, Wait
from frontdesk.core.workspaces.models import Workspace

SUNDAY = 6


class Case(Config):
    id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
    label: str = Field(default="", max_length=120)
    rule: Any


class BranchConfig(Config):
    cases: list[Case] = Field(default_factory=list, max_length=20)  # none: always else


async def branch(ctx: StepContext, config: BranchConfig) -> Outcome:
    for case in config.cases:
        if evaluate(case.rule, ctx.data):
            return Outcome(outlet=case.id, output={"matched": case.id})
    return Outcome(outlet="else", output={"matched": None})


def _branch_problems(config: BranchConfig) -> list[str]:
    problems = [f"case {c.id}: {p}" for c in config.cases for p in rule_problems(c.rule)]
    ids = [c.id for c in config.cases]
    if len(set(ids)) != len(ids):
        problems.append("each case needs its own id")
    return problems


class BusinessHoursConfig(Config):
    team_id: uuid.UUID | None = None  # else the conversation's team, else the workspace's hours


async def business_hours(ctx: StepContext, config: BusinessHoursConfig) -> Outcome:
    team_id = config.team_id or (ctx.conversation.team_id if ctx.conversation else None)
    schedule = await effective_schedule(ctx.uow.session, ctx.run.workspace_id, team_id)
    open_now = is_open(schedule, ctx.uow.now())
    return Outcome(outlet="open" if open_now else "closed", output={"open": open_now})


class DateBranchConfig(Config):
    weekdays: list[int] = Field(default_factory=list, max_length=7)  # 0 Monday ... 6 Sunday
    from_date: date | None = None
    to_date: date | None = None
    from_time: time | None = None
    to_time: time | None = None
    timezone: str | None = None  # else the workspace's


async def date_branch(ctx: StepContext, config: DateBranchConfig) -> Outcome:
    zone_name = config.timezone or await ctx.uow.session.scalar(
        select(Workspace.timezone).where(Workspace.id == ctx.run.workspace_id)
    )
    local = ctx.uow.now().astimezone(time_zone(zone_name or "UTC"))
    matched = (
        (not config.weekdays or local.weekday() in config.weekdays)
        and (config.from_date is None or local.date() >= config.from_date)
        and (config.to_date is None or local.date() <= config.to_date)
        and _in_hours(local.time(), config.from_time, config.to_time)
    )
    return Outcome(outlet="match" if matched else "else", output={"local_time": local.isoformat()})


def _in_hours(now: time, start: time | None, end: time | None) -> bool:
    if start is None and end is None:
        return True
    start, end = start or time.min, end or time.max
    if start <= end:
        return start <= now < end
    return now >= start or now < end  # overnight (22:00 to 06:00)


def _date_problems(config: DateBranchConfig) -> list[str]:
    problems = [f"{d} is not a weekday (0-6)" for d in config.weekdays if not 0 <= d <= SUNDAY]
    if config.timezone:
        try:
            time_zone(config.timezone)
        except Exception:
            problems.append("unknown time zone")
    return problems


class WaitConfig(Config):
    minutes: int | None = Field(default=None, ge=1, le=60 * 24 * 90)
    until: datetime | None = None

    @model_validator(mode="after")
    def _one(self) -> WaitConfig:
        if (self.minutes is None) == (self.until is None):
            raise ValueError("wait either a number of minutes or until a time")
        if self.until is not None and self.until.tzinfo is None:
            raise ValueError("give the time with its time zone offset")
        return self


async def wait(ctx: StepContext, config: WaitConfig) -> Outcome:
    now = ctx.uow.now()
    until = now + timedelta(minutes=config.minutes) if config.minutes else config.until
    if until is None or until <= now:
        return Outcome(outlet="next", output={"waited": False})
    if ctx.is_test:  # a test run shows the wait and goes on
        return Outcome(outlet="next", output={"until": until.isoformat(), "test": True})
    return Outcome(output={"until": until.isoformat()}, wait=Wait("time", until))


class JumpConfig(Config):
    target: str = Field(min_length=1, max_length=64)


async def jump(ctx: StepContext, config: JumpConfig) -> Outcome:
    return Outcome(goto=config.target, output={"target": config.target})


class EndConfig(Config):
    # An end leaves a conversation the bot held with people, unless it closed it before.
    pass


async def end(ctx: StepContext, config: EndConfig) -> Outcome:
    return Outcome(end="completed")


class StartWorkflowConfig(Config):
    workflow_id: uuid.UUID
    variables: dict[str, Any] = Field(default_factory=dict)
    pass_vars: bool = True


async def start_workflow(ctx: StepContext, config: StartWorkflowConfig) -> Outcome:
    from frontdesk.core.workflows import runs  # the engine starts runs; steps are part of it

    variables = {**(ctx.run.variables if config.pass_vars else {})}
    variables.update(ctx.render_value(config.variables))
    variables.pop("_route", None)
    child = await runs.start_child(ctx, config.workflow_id, variables)
    return Outcome(outlet="next", output={"run_id": str(child.id) if child else None})


TYPES = {
    "branch": StepType(BranchConfig, branch, _branch_problems),
    "business_hours": StepType(BusinessHoursConfig, business_hours),
    "date_branch": StepType(DateBranchConfig, date_branch, _date_problems),
    "wait": StepType(WaitConfig, wait),
    "jump": StepType(JumpConfig, jump),
    "end": StepType(EndConfig, end),
    "start_workflow": StepType(StartWorkflowConfig, start_workflow),
}
