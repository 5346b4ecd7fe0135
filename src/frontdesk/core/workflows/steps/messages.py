"""Steps that talk to the customer: send a message, ask a question (and check its answer),
and leave an internal note for the team."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any, Literal

from pydantic import Field, model_validator

from frontdesk.core.actor import Actor
from frontdesk.core.channels.choices import CHOICE_LIMITS
from frontdesk.core.conversations.messages import add_note
from frontdesk.core.conversations.schemas import (
    Interactive,
    ListRow,
    ListSection,
    NoteCreate,
    ReplyButton,
    TemplateParameters,
)
from frontdesk.core.csat.survey import send_survey_on_close
from frontdesk.core.errors import DomainError
from frontdesk.core.workflows.steps.answers import ANSWER_TYPES, FILE_KINDS, check_answer, choose
from frontdesk.core.workflows.steps.base import (
    Config,
    Outcome,
    StepContext,
    StepFailed,
    StepType,
    Wait,
    save_target_problems,
)
from frontdesk.core.workflows.steps.effects import save_value, send_bot_message

BUTTONS_AT_MOST = 3  # more options than this go out as a list


class ListConfig(Config):
    button_label: str = Field(min_length=1, max_length=100)
    sections: list[ListSection] = Field(min_length=1, max_length=10)


class SendMessageConfig(Config):
    text: str = Field(default="", max_length=4096)
    buttons: list[ReplyButton] = Field(default_factory=list, max_length=10)
    template: TemplateParameters | None = None
    attachment_ids: list[uuid.UUID] = Field(default_factory=list, max_length=10)
    # "csat": the satisfaction survey of core/csat (which records its answer), not `text`.
    survey: Literal["csat"] | None = None
    # Rows under a button that opens them (`"list"` in the definition's JSON).
    list_: ListConfig | None = Field(default=None, alias="list")

    @model_validator(mode="after")
    def _something(self) -> SendMessageConfig:
        if not (self.text.strip() or self.template or self.attachment_ids or self.survey):
            raise ValueError("write a message, pick a template or attach a file")
        return self


def interactive_of(config: SendMessageConfig) -> Interactive | None:
    if config.buttons:
        return Interactive(type="buttons", buttons=config.buttons)
    if config.list_ is not None:
        return Interactive(
            type="list", button_label=config.list_.button_label, sections=config.list_.sections
        )
    return None


async def send_message(ctx: StepContext, config: SendMessageConfig) -> Outcome:
    if config.survey == "csat":
        return Outcome(outlet="next", output=await _survey(ctx))
    template = None
    if config.template is not None:
        template = TemplateParameters(
            template_id=config.template.template_id,
            parameters=[ctx.render(p) for p in config.template.parameters],
        )
    output = await send_bot_message(
        ctx,
        ctx.render(config.text),
        interactive=interactive_of(config),
        template=template,
        attachment_ids=config.attachment_ids,
    )
    return Outcome(outlet="next", output=output)


async def _survey(ctx: StepContext) -> dict[str, Any]:
    """The close's survey (core/csat, which keeps the answer), once per close and only while
    the customer can still be reached; the workflow asks whatever the workspace's setting (a
    member's close has sent it already where surveys are on: then nothing more goes)."""
    if ctx.is_test:
        return {"survey": "csat", "sent": False, "test": True}
    conv = ctx.require_conversation()
    closer = Actor(workspace_id=conv.workspace_id, role=ctx.actor.role, user_id=conv.closed_by_id)
    sent = await send_survey_on_close(ctx.uow, closer, conv, by_workflow=True)
    return {"survey": "csat", "sent": sent}


class Option(Config):
    id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
    title: str = Field(min_length=1, max_length=100)
    keywords: list[str] = Field(default_factory=list, max_length=20)
    # A chat route: the option sends the conversation to a team (routing report).
    route: dict[str, Any] | None = None


class AskQuestionConfig(Config):
    text: str = Field(min_length=1, max_length=4096)
    answer_type: Literal[ANSWER_TYPES] = "text"  # type: ignore[valid-type]
    options: list[Option] = Field(default_factory=list, max_length=10)
    # How the options are shown: buttons (3 at most), a list, or the text alone ("1 Vagas...").
    show_options: Literal["auto", "buttons", "list", "text"] = "auto"
    list_button: str = Field(default="Options", min_length=1, max_length=20)
    save_to: str | None = None
    invalid_text: str = Field(default="Sorry, I did not understand. Please try again.")
    max_attempts: int = Field(default=3, ge=1, le=10)
    timeout_minutes: int | None = Field(default=None, ge=1, le=60 * 24 * 30)

    @model_validator(mode="after")
    def _options(self) -> AskQuestionConfig:
        if self.answer_type == "choice" and not self.options:
            raise ValueError("a choice question needs options")
        if self.answer_type != "choice" and self.options:
            raise ValueError("only a choice question has options")
        ids = [o.id for o in self.options]
        if len(set(ids)) != len(ids):
            raise ValueError("each option needs its own id")
        return self


def _question_interactive(
    config: AskQuestionConfig, channel_type: str, text: str
) -> Interactive | None:
    """The options as buttons or a list where the channel carries them and they fit its
    limits (titles too); else None, and the options go in the text ("1. Vagas")."""
    limits = CHOICE_LIMITS.get(channel_type)
    if config.answer_type != "choice" or config.show_options == "text" or limits is None:
        return None
    if not text.strip() or len(text) > limits.body:
        return None
    count, titles = len(config.options), [len(o.title) for o in config.options]
    fits_buttons = count <= limits.buttons and max(titles) <= limits.button_title
    fits_list = count <= limits.rows and max(titles) <= limits.row_title
    wants = config.show_options
    if wants == "auto":
        wants = "buttons" if fits_buttons else "list"
    if wants == "buttons" and fits_buttons:
        return Interactive(
            type="buttons", buttons=[ReplyButton(id=o.id, title=o.title) for o in config.options]
        )
    if wants == "list" and fits_list and len(config.list_button) <= limits.button_label:
        rows = [ListRow(id=o.id, title=o.title) for o in config.options]
        return Interactive(
            type="list", button_label=config.list_button, sections=[ListSection(rows=rows)]
        )
    return None


def _question_text(ctx: StepContext, config: AskQuestionConfig) -> tuple[str, Interactive | None]:
    channel_type = str(ctx.data.get("conversation", {}).get("channel_type") or "")
    if ctx.is_test:
        channel_type = "whatsapp"  # a test run shows the options as WhatsApp would
    text = ctx.render(config.text)
    interactive = _question_interactive(config, channel_type, text)
    # "text": the question's own text lists the options; otherwise, where buttons or a list
    # cannot go, the options are numbered under it.
    if config.answer_type == "choice" and interactive is None and config.show_options != "text":
        listed = "\n".join(f"{i}. {o.title}" for i, o in enumerate(config.options, start=1))
        text = f"{text}\n\n{listed}"
    return text, interactive


async def ask_question(ctx: StepContext, config: AskQuestionConfig) -> Outcome:
    if ctx.is_test:
        return await _test_answer(ctx, config)
    text, interactive = _question_text(ctx, config)
    output = await send_bot_message(ctx, text, interactive=interactive)
    until = (
        ctx.uow.now() + timedelta(minutes=config.timeout_minutes)
        if config.timeout_minutes
        else None
    )
    return Outcome(output={**output, "attempts": 0}, wait=Wait("reply", until))


async def answer_question(
    ctx: StepContext,
    config: AskQuestionConfig,
    text: str,
    choice_id: str | None,
    attempt: int,
    *,
    file: dict[str, Any] | None = None,
) -> Outcome | None:
    """The outlet an answer leads to (saving it where asked), or None when the question is
    asked again (an invalid answer with attempts left). A `file` question takes a message
    that carries a file (`file`: its id and kind); what is saved is that message's id, where
    the file is kept once it has been fetched from the provider."""
    value: Any
    if config.answer_type == "choice":
        picked = choose([o.model_dump() for o in config.options], text, choice_id)
        valid, value = picked is not None, picked
    elif config.answer_type == "file":
        valid = file is not None and file.get("kind") in FILE_KINDS
        value = str(file["id"]) if valid and file is not None else None
    else:
        valid, value = check_answer(config.answer_type, text)
    if not valid:
        if attempt >= config.max_attempts:
            return Outcome(outlet="invalid", output={"answer": text, "attempts": attempt})
        await send_bot_message(ctx, ctx.render(config.invalid_text), suffix=f":{attempt}")
        return None
    output: dict[str, Any] = {"answer": text, "value": value, "attempts": attempt}
    if config.answer_type == "choice":
        option = next(o for o in config.options if o.id == value)
        output["option"] = {"id": option.id, "title": option.title}
        if option.route:
            route = {"key": option.id, "label": option.title, **option.route}
            ctx.run.variables = {**ctx.run.variables, "_route": route}
        if config.save_to:
            output.update(await save_value(ctx, config.save_to, option.title))
        return Outcome(outlet=option.id, output=output)
    if config.save_to:
        output.update(await save_value(ctx, config.save_to, value))
    return Outcome(outlet="reply", output=output)


async def _test_answer(ctx: StepContext, config: AskQuestionConfig) -> Outcome:
    """A test run waits for nobody: the sample answer given for this step in the run's
    `answers` variable is taken, and with none the question times out."""
    text, interactive = _question_text(ctx, config)
    asked = await send_bot_message(ctx, text, interactive=interactive)
    answers = ctx.run.variables.get("answers")
    answer = answers.get(ctx.step.id) if isinstance(answers, dict) else None
    if answer is None:
        return Outcome(outlet="timeout", output={**asked, "answer": None})
    sample = {"id": "sample", "kind": "media"}  # a sample answer stands for a file sent
    outcome = await answer_question(
        ctx, config, str(answer), None, config.max_attempts, file=sample
    )
    if outcome is None:  # pragma: no cover - the last attempt never asks again
        return Outcome(outlet="invalid", output={**asked, "answer": answer})
    outcome.output = {**asked, **outcome.output}
    return outcome


def _ask_problems(config: AskQuestionConfig) -> list[str]:
    return save_target_problems(config.save_to)


class NoteConfig(Config):
    text: str = Field(min_length=1, max_length=4096)


async def note(ctx: StepContext, config: NoteConfig) -> Outcome:
    body = ctx.render(config.text)
    if ctx.is_test:
        return Outcome(outlet="next", output={"body": body, "test": True})
    conv = ctx.require_conversation()
    bot = Actor(workspace_id=ctx.actor.workspace_id, role=ctx.actor.role)
    try:
        read = await add_note(
            ctx.uow, bot, conv, NoteCreate(body=body, client_message_id=ctx.message_key)
        )
    except DomainError as exc:
        raise StepFailed(f"the note was refused: {exc}") from exc
    return Outcome(outlet="next", output={"body": body, "message_id": str(read.id)})


TYPES = {
    "send_message": StepType(SendMessageConfig, send_message),
    "ask_question": StepType(AskQuestionConfig, ask_question, _ask_problems),
    "note": StepType(NoteConfig, note),
}
