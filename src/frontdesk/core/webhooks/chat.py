"""Team chat notices: escalations read from the event log become Slack-compatible messages.

An escalation is an SLA breach (`conversation.sla_breached`), a raised hand
(`conversation.help_raised`) or a team mentioned in an internal note: `@<team name>` in the
note's text (`message.created` of a note, not a whisper). Each enabled hook that chose the
escalation gets one message, a hook of one team only for that team's conversations (a mention,
only when its team is mentioned). The message, `{"text", "blocks"}` in the workspace's
language, is made here and posted by the `team_chat_post` job, which the job runner retries.
"""

from __future__ import annotations

import re
import uuid
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from frontdesk.core.accounts.models import User
from frontdesk.core.contacts.models import Contact
from frontdesk.core.conversations.models import Conversation
from frontdesk.core.webhooks.chat_texts import texts
from frontdesk.core.webhooks.models import TeamChatHook
from frontdesk.core.workspaces.models import Team, Workspace
from frontdesk.core.workspaces.settings import conversation_settings
from frontdesk.db.outbox import EventLogEntry
from frontdesk.db.uow import UnitOfWork

TEAM_CHAT_POST_JOB = "team_chat_post"
ESCALATION_OF = {
    "conversation.sla_breached": "sla_breached",
    "conversation.help_raised": "help_raised",
    "message.created": "team_mentioned",
}
NOTE_EXCERPT = 300


@dataclass(frozen=True)
class Escalation:
    kind: str
    conversation: Conversation
    member_id: uuid.UUID | None
    detail: str  # the SLA target, the hand's note, or the note's text
    teams: tuple[Team, ...] = ()


def _uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None


def mentioned_teams(body: str, teams: list[Team]) -> tuple[Team, ...]:
    """Teams named as `@<name>` (any case, the whole name) in a note."""
    found = []
    for team in teams:
        pattern = r"(?<![\w@])@" + re.escape(team.name) + r"(?!\w)"
        if re.search(pattern, body, flags=re.IGNORECASE):
            found.append(team)
    return tuple(found)


async def _escalation(
    uow: UnitOfWork, entry: EventLogEntry, teams: list[Team]
) -> Escalation | None:
    kind, payload = ESCALATION_OF.get(entry.type), entry.payload or {}
    if kind is None:
        return None
    member_id, detail = None, ""
    mentioned: tuple[Team, ...] = ()
    if kind == "team_mentioned":
        message = payload.get("message") or {}
        if message.get("kind") != "note" or message.get("is_whisper"):
            return None
        detail = str(message.get("body") or "")
        mentioned = mentioned_teams(detail, teams)
        if not mentioned:
            return None
        conversation_id = _uuid(message.get("conversation_id"))
        member_id = _uuid((message.get("sender") or {}).get("id"))
    elif kind == "help_raised":
        conversation_id = _uuid(payload.get("conversation_id"))
        help_ = payload.get("help") or {}
        member_id, detail = _uuid(help_.get("raised_by_id")), str(help_.get("note") or "")
    else:
        conversation_id, detail = _uuid(payload.get("conversation_id")), str(payload["target"])
    conv = await uow.session.scalar(
        select(Conversation).where(
            Conversation.id == conversation_id, Conversation.workspace_id == entry.workspace_id
        )
    )
    if conv is None:
        return None
    return Escalation(kind, conv, member_id, detail, mentioned)


def _takes(hook: TeamChatHook, escalation: Escalation) -> bool:
    if escalation.kind not in (hook.escalations or []):
        return False
    if hook.team_id is None:
        return True
    if escalation.kind == "team_mentioned":
        return any(t.id == hook.team_id for t in escalation.teams)
    return escalation.conversation.team_id == hook.team_id


async def _message(
    uow: UnitOfWork, escalation: Escalation, language: str, base_url: str
) -> dict[str, Any]:
    words, conv = texts(language), escalation.conversation
    contact = await uow.session.get(Contact, conv.contact_id)
    member = await uow.session.get(User, escalation.member_id) if escalation.member_id else None
    team = await uow.session.get(Team, conv.team_id) if conv.team_id else None
    values = {
        "contact": (contact.name if contact and contact.name else words["customer"]),
        "member": member.name if member else words["someone"],
        "team": words["team"].format(team=team.name) if team else "",
        "teams": ", ".join(f"@{t.name}" for t in escalation.teams),
        "target": words.get(escalation.detail, escalation.detail),
    }
    headline = words[escalation.kind].format(**values)
    lines = [headline]
    if escalation.kind != "sla_breached" and escalation.detail:
        lines.append(words["note"].format(note=escalation.detail[:NOTE_EXCERPT]))
    link = f"{base_url.rstrip('/')}/conversations/{conv.id}"
    text = "\n".join(lines)
    return {
        "text": f"{text}\n{link}",
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": text}},
            {
                "type": "context",
                "elements": [{"type": "mrkdwn", "text": f"<{link}|{words['open']}>"}],
            },
        ],
    }


async def queue_team_chat_posts(uow: UnitOfWork, events: list[EventLogEntry], base_url: str) -> int:
    """One post job per hook told of each escalation in `events`; how many were queued."""
    relevant = [e for e in events if e.type in ESCALATION_OF and e.workspace_id is not None]
    if not relevant:
        return 0
    workspace_ids = list({e.workspace_id for e in relevant})
    hooks: dict[uuid.UUID, list[TeamChatHook]] = defaultdict(list)
    for hook in await uow.session.scalars(
        select(TeamChatHook).where(
            TeamChatHook.workspace_id.in_(workspace_ids), TeamChatHook.is_enabled.is_(True)
        )
    ):
        hooks[hook.workspace_id].append(hook)
    queued = 0
    for entry in relevant:
        listening = hooks.get(entry.workspace_id) if entry.workspace_id else None
        if not listening:
            continue
        teams = list(
            await uow.session.scalars(select(Team).where(Team.workspace_id == entry.workspace_id))
        )
        escalation = await _escalation(uow, entry, teams)
        if escalation is None:
            continue
        workspace = await uow.session.get_one(Workspace, entry.workspace_id)
        language = conversation_settings(workspace.settings).default_language
        message = await _message(uow, escalation, language, base_url)
        for hook in listening:
            if _takes(hook, escalation):
                uow.enqueue(
                    TEAM_CHAT_POST_JOB,
                    {"hook_id": str(hook.id), "event_id": entry.id, "message": message},
                    workspace_id=hook.workspace_id,
                )
                queued += 1
    return queued
