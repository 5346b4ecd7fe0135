"""The workflow templates: each one a definition (see definition.py) built in one language from
the parameters its maker gives (the team behind each route, keywords, a tag).

A parameter left out leaves its part unconnected rather than guessed: a menu option whose team
was not picked has no next step, so the builder flags that branch ("dangling_outlet") until
someone connects it. Every template with every parameter given passes `graph_problems`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from frontdesk.core.csat.settings import DEFAULT_QUESTIONS, TEXT_INSTRUCTIONS
from frontdesk.core.workflows.templates.texts import TEXTS

ParameterKind = Literal["team", "tag", "keywords"]
Step = dict[str, Any]
# The row between two steps laid out one under the other (the builder may re-lay them out).
ROW = 140
COLUMN = 280


@dataclass(frozen=True)
class Parameter:
    key: str
    kind: ParameterKind
    required: bool = False


@dataclass
class Values:
    """The maker's parameters, checked: team and tag ids as strings, keywords as a list."""

    ids: dict[str, str] = field(default_factory=dict)
    keywords: list[str] = field(default_factory=list)
    # The workspace's contact fields: an answer is saved on the contact where one fits.
    contact_fields: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Template:
    key: str
    trigger: str
    parameters: tuple[Parameter, ...]
    build: Callable[[dict[str, str], Values], dict[str, Any]]


def _step(
    step_id: str,
    step_type: str,
    config: dict[str, Any] | None = None,
    next_: dict[str, str | None] | None = None,
    *,
    at: tuple[int, int] = (0, 0),
    name: str = "",
) -> Step:
    return {
        "id": step_id,
        "type": step_type,
        "name": name,
        "config": config or {},
        # An outlet whose target is unknown yet stays out: the builder shows it unconnected.
        "next": {outlet: target for outlet, target in (next_ or {}).items() if target},
        "position": {"x": at[0] * COLUMN, "y": at[1] * ROW},
    }


def _definition(trigger: str, steps: list[Step], config: dict[str, Any] | None = None) -> Step:
    return {
        "trigger": {"type": trigger, "config": config or {}},
        "start": steps[0]["id"],
        "steps": steps,
    }


def _assign_team(step_id: str, team_id: str | None, *, at: tuple[int, int], **extra: Any) -> Step:
    config: dict[str, Any] = {"to": "team", "team_id": team_id, **extra}
    return _step(step_id, "assign", config, {"next": "end"}, at=at)


def _end(at: tuple[int, int]) -> Step:
    return _step("end", "end", at=at)


def greeting_menu(t: dict[str, str], v: Values) -> dict[str, Any]:
    """1 Jobs, 2 Interview (asks for the CPF first), 3 Talk to a recruiter; a wrong answer
    re-shows the menu; no answer ends politely and leaves it to people."""
    routes = [("jobs", "1"), ("interview", "2"), ("recruiter", "3")]
    options = [
        {
            "id": key,
            "title": t[f"route.{key}"],
            "keywords": [number, t[f"route.{key}"].casefold()],
            "route": {"key": key, "label": t[f"route.{key}"]},
        }
        for key, number in routes
    ]
    team = {key: v.ids.get(f"{key}_team") for key, _ in routes}
    menu_next: dict[str, str | None] = {
        "jobs": "assign_jobs" if team["jobs"] else None,
        "interview": "ask_cpf",
        "recruiter": "assign_recruiter" if team["recruiter"] else None,
        "reply": "not_understood",
        "invalid": "not_understood",
        "timeout": "timed_out",
    }
    interview_next = "assign_interview" if team["interview"] else None
    steps = [
        _step(
            "menu",
            "ask_question",
            {
                "text": t["greeting_menu.menu"],
                "answer_type": "choice",
                "options": options,
                # The numbered text reaches every channel (buttons and lists do not); the
                # builder can switch a WhatsApp menu to buttons.
                "show_options": "text",
                "invalid_text": t["greeting_menu.invalid"],
                "max_attempts": 2,
                "timeout_minutes": 60,
                "save_to": "vars.menu_choice",
            },
            menu_next,
            at=(1, 0),
        ),
        _step(
            "not_understood",
            "send_message",
            {"text": t["greeting_menu.not_understood"]},
            {"next": "back_to_menu"},
            at=(3, 1),
        ),
        _step("back_to_menu", "jump", {"target": "menu"}, at=(3, 2)),
        _step(
            "timed_out",
            "send_message",
            {"text": t["greeting_menu.timeout"]},
            {"next": "to_people"},
            at=(4, 1),
        ),
        _step("to_people", "handover", at=(4, 2)),
        _step(
            "ask_cpf",
            "ask_question",
            {
                "text": t["greeting_menu.cpf"],
                "answer_type": "cpf",
                "save_to": "contact.fields.cpf" if "cpf" in v.contact_fields else "vars.cpf",
                "invalid_text": t["greeting_menu.cpf_invalid"],
                "max_attempts": 3,
                "timeout_minutes": 60,
            },
            {"reply": interview_next, "invalid": interview_next, "timeout": "to_people"},
            at=(1, 1),
        ),
    ]
    places = {"jobs": (0, 2), "interview": (1, 2), "recruiter": (2, 2)}
    steps += [
        _assign_team(f"assign_{key}", team[key], at=places[key]) for key, _ in routes if team[key]
    ]
    steps.append(_end((1, 3)))
    return _definition("conversation_opened", steps)


def keyword_route(t: dict[str, str], v: Values) -> dict[str, Any]:
    keywords = v.keywords or t["keyword_route.keywords"].split(",")
    route = {"key": keywords[0].casefold()[:64], "label": t["keyword_route.label"]}
    team_id = v.ids.get("team")
    steps = [
        _step(
            "thanks",
            "send_message",
            {"text": t["keyword_route.reply"]},
            {"next": "assign_team" if team_id else None},
            at=(0, 0),
        ),
    ]
    if team_id:
        steps.append(_assign_team("assign_team", team_id, at=(0, 1), route=route))
    steps.append(_end((0, 2)))
    trigger = {"match": "keyword", "keywords": keywords, "route": route}
    return _definition("message_received", steps, trigger)


def business_hours_away(t: dict[str, str], v: Values) -> dict[str, Any]:
    steps = [
        _step("hours", "business_hours", {}, {"open": "end", "closed": "away"}, at=(0, 0)),
        _step(
            "away",
            "send_message",
            {"text": t["business_hours_away.away"]},
            {"next": "end"},
            at=(1, 1),
        ),
        _end((0, 2)),
    ]
    return _definition("conversation_opened", steps)


def ask_for_cv(t: dict[str, str], v: Values) -> dict[str, Any]:
    steps = [
        _step(
            "ask_cv",
            "ask_question",
            {
                "text": t["ask_for_cv.ask"],
                # A message with a file (a PDF, a photo); its message id is kept.
                "answer_type": "file",
                "save_to": "vars.cv_message_id",
                "invalid_text": t["ask_for_cv.invalid"],
                "max_attempts": 2,
                "timeout_minutes": 24 * 60,
            },
            {"reply": "thanks", "invalid": "no_cv", "timeout": "no_cv"},
            at=(1, 0),
        ),
        _step(
            "thanks",
            "send_message",
            {"text": t["ask_for_cv.thanks"]},
            {"next": "cv_note"},
            at=(0, 1),
        ),
        _step("cv_note", "note", {"text": t["ask_for_cv.note"]}, {"next": "end"}, at=(0, 2)),
        _step("no_cv", "note", {"text": t["ask_for_cv.missing"]}, {"next": "end"}, at=(2, 2)),
        _end((1, 3)),
    ]
    return _definition("shortcut", steps)


def vip_to_owner(t: dict[str, str], v: Values) -> dict[str, Any]:
    tag_id = v.ids.get("vip_tag")
    rule: dict[str, Any] = {"in": [tag_id, {"var": "contact.tag_ids"}]}
    case = {"id": "vip", "label": t["vip_to_owner.case"], "rule": rule}
    steps = [
        _step(
            "is_vip",
            "branch",
            {"cases": [case] if tag_id else []},
            {"vip": "to_owner" if tag_id else None, "else": "end"},
            at=(1, 0),
        ),
        _step("to_owner", "assign", {"to": "owner"}, {"next": "end"}, at=(0, 1)),
        _end((1, 2)),
    ]
    if not tag_id:
        steps = [steps[0], steps[2]]  # no case to reach the owner's step: the builder adds one
    return _definition("conversation_opened", steps)


def csat_after_close(t: dict[str, str], v: Values) -> dict[str, Any]:
    """The survey core/csat sends on a close: its question and how to answer, in the
    template's language, as text (which every channel takes); `survey: csat` asks the engine
    to send it through core/csat, which keeps the row its answer is recorded in."""
    language = t["language"]
    text = f"{DEFAULT_QUESTIONS[language]}\n{TEXT_INSTRUCTIONS[language]}"
    steps = [
        _step("survey", "send_message", {"survey": "csat", "text": text}, {"next": "end"}),
        _end((0, 1)),
    ]
    return _definition("conversation_closed", steps)


def team_recipe(t: dict[str, str], v: Values) -> dict[str, Any]:
    """New conversations go to the team picked; the team's own routing strategy (round robin
    among online agents, least open conversations...) chooses the agent."""
    first = _step(
        "assign_team",
        "assign",
        {"to": "team", "team_id": v.ids.get("team")},
        {"next": "end"},
        at=(0, 0),
    )
    return _definition("conversation_opened", [first, _end((0, 1))])


def returning_customer(t: dict[str, str], v: Values) -> dict[str, Any]:
    """Back to the agent who last had one of the contact's conversations; with none, the run
    ends and the conversation is queued for its team as usual."""
    steps = [
        _step("previous_agent", "assign", {"to": "previous_agent"}, {"next": "end"}, at=(0, 0)),
        _end((0, 1)),
    ]
    return _definition("conversation_opened", steps)


TEMPLATES: dict[str, Template] = {
    t.key: t
    for t in (
        Template(
            "greeting_menu",
            "conversation_opened",
            (
                Parameter("jobs_team", "team"),
                Parameter("interview_team", "team"),
                Parameter("recruiter_team", "team"),
            ),
            greeting_menu,
        ),
        Template(
            "keyword_route",
            "message_received",
            (Parameter("team", "team"), Parameter("keywords", "keywords")),
            keyword_route,
        ),
        Template("business_hours_away", "conversation_opened", (), business_hours_away),
        Template("ask_for_cv", "shortcut", (), ask_for_cv),
        Template(
            "vip_to_owner", "conversation_opened", (Parameter("vip_tag", "tag"),), vip_to_owner
        ),
        Template("csat_after_close", "conversation_closed", (), csat_after_close),
        Template(
            "round_robin_online",
            "conversation_opened",
            (Parameter("team", "team", required=True),),
            team_recipe,
        ),
        Template(
            "least_open",
            "conversation_opened",
            (Parameter("team", "team", required=True),),
            team_recipe,
        ),
        Template("returning_customer", "conversation_opened", (), returning_customer),
    )
}


def texts(language: str) -> dict[str, str]:
    chosen = language if language in TEXTS else "en"
    return {**TEXTS[chosen], "language": chosen}


def build_definition(key: str, language: str, values: Values) -> dict[str, Any]:
    """The template's definition in `language` with the parameters given."""
    return TEMPLATES[key].build(texts(language), values)
